/* metrics.c: see metrics.h. */
#include "http/metrics.h"
#include "lib/escape.h"
#include "store/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#ifndef SIGNPOST_VERSION
#define SIGNPOST_VERSION "dev"
#endif

#define MAX_SERIES 512

struct series {
    const char *route;
    int status;
    _Atomic uint64_t count;
};

static struct series series[MAX_SERIES];
static _Atomic size_t n_series;
static pthread_mutex_t series_lock = PTHREAD_MUTEX_INITIALIZER;

/* Upper bounds of the latency buckets, in seconds and nanoseconds. */
static const char *const bucket_names[] = {"0.0005", "0.001", "0.0025", "0.005", "0.01",
                                           "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5"};
static const uint64_t bucket_ns[] = {500000, 1000000, 2500000, 5000000, 10000000, 25000000,
                                     50000000, 100000000, 250000000, 500000000, 1000000000,
                                     2500000000};
#define N_BUCKETS (sizeof bucket_ns / sizeof *bucket_ns)
static _Atomic uint64_t buckets[N_BUCKETS];
static _Atomic uint64_t latency_count, latency_sum_ns;
static _Atomic uint64_t cache_hits, cache_misses, slow_clients;

/* The series for (route, status), made on first use. NULL when full. */
static struct series *find(const char *route, int status)
{
    size_t n = atomic_load_explicit(&n_series, memory_order_acquire);
    for (size_t i = 0; i < n; i++)
        if (series[i].route == route && series[i].status == status)
            return &series[i];
    pthread_mutex_lock(&series_lock);
    struct series *s = NULL;
    n = atomic_load(&n_series);
    for (size_t i = 0; i < n && !s; i++)
        if (series[i].route == route && series[i].status == status)
            s = &series[i];
    if (!s && n < MAX_SERIES) {
        s = &series[n];
        s->route = route;
        s->status = status;
        atomic_store_explicit(&n_series, n + 1, memory_order_release);
    }
    pthread_mutex_unlock(&series_lock);
    return s;
}

void metrics_request(const char *route, int status, uint64_t ns)
{
    struct series *s = find(route ? route : "-", status);
    if (s)
        atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
    for (size_t i = 0; i < N_BUCKETS; i++)
        if (ns <= bucket_ns[i]) {
            atomic_fetch_add_explicit(&buckets[i], 1, memory_order_relaxed);
            break;
        }
    atomic_fetch_add_explicit(&latency_count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&latency_sum_ns, ns, memory_order_relaxed);
}

void metrics_cache(int hit)
{
    atomic_fetch_add_explicit(hit ? &cache_hits : &cache_misses, 1, memory_order_relaxed);
}

void metrics_slow_client(void)
{
    atomic_fetch_add_explicit(&slow_clients, 1, memory_order_relaxed);
}

/* Prometheus label values escape \, " and newline. */
static void label(struct buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            buf_putc(out, '\\');
        if (*s == '\n')
            buf_puts(out, "\\n");
        else
            buf_putc(out, *s);
    }
}

void metrics_render(struct buf *out)
{
    buf_puts(out, "# HELP signpost_requests_total Requests answered, by route and status.\n"
                  "# TYPE signpost_requests_total counter\n");
    size_t n = atomic_load_explicit(&n_series, memory_order_acquire);
    for (size_t i = 0; i < n; i++) {
        buf_puts(out, "signpost_requests_total{route=\"");
        label(out, series[i].route);
        buf_printf(out, "\",status=\"%d\"} %llu\n", series[i].status,
                   (unsigned long long)atomic_load(&series[i].count));
    }
    buf_puts(out, "# HELP signpost_request_duration_seconds Time to answer a request.\n"
                  "# TYPE signpost_request_duration_seconds histogram\n");
    uint64_t cumulative = 0;
    for (size_t i = 0; i < N_BUCKETS; i++) {
        cumulative += atomic_load(&buckets[i]);
        buf_printf(out, "signpost_request_duration_seconds_bucket{le=\"%s\"} %llu\n",
                   bucket_names[i], (unsigned long long)cumulative);
    }
    uint64_t count = atomic_load(&latency_count);
    buf_printf(out, "signpost_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
               (unsigned long long)count);
    buf_printf(out, "signpost_request_duration_seconds_sum %.6f\n",
               (double)atomic_load(&latency_sum_ns) / 1e9);
    buf_printf(out, "signpost_request_duration_seconds_count %llu\n", (unsigned long long)count);
    buf_printf(out,
               "# HELP signpost_cache_hits_total Answers served from the response cache.\n"
               "# TYPE signpost_cache_hits_total counter\n"
               "signpost_cache_hits_total %llu\n"
               "# HELP signpost_cache_misses_total Cacheable requests the cache could not answer.\n"
               "# TYPE signpost_cache_misses_total counter\n"
               "signpost_cache_misses_total %llu\n"
               "# HELP signpost_db_errors_total Database errors.\n"
               "# TYPE signpost_db_errors_total counter\n"
               "signpost_db_errors_total %llu\n"
               "# HELP signpost_slow_clients_total Connections dropped for sending headers too slowly.\n"
               "# TYPE signpost_slow_clients_total counter\n"
               "signpost_slow_clients_total %llu\n"
               "# HELP signpost_data_version The directory's data version (every write bumps it).\n"
               "# TYPE signpost_data_version gauge\n"
               "signpost_data_version %llu\n"
               "# HELP signpost_build_info The running build.\n"
               "# TYPE signpost_build_info gauge\n"
               "signpost_build_info{version=\"",
               (unsigned long long)atomic_load(&cache_hits),
               (unsigned long long)atomic_load(&cache_misses),
               (unsigned long long)store_db_errors(),
               (unsigned long long)atomic_load(&slow_clients),
               (unsigned long long)store_data_version());
    label(out, SIGNPOST_VERSION);
    buf_printf(out, "\",schema=\"%d\"} 1\n", store_schema_version());
}
