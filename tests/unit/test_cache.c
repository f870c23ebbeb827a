/* test_cache.c: unit tests of server/cache.h, the versioned response cache.
 * Values are fake reference-counted objects, so every test can see whether
 * the cache took, handed out and released exactly the references it should. */
#include "http/cache.h"
#include "check.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct val {
    _Atomic int refs;      /* the test owns one; the cache and readers add theirs */
    _Atomic int freed;     /* times refs reached zero: 0 while the owner holds one */
    _Atomic int underflow; /* set when unref went below zero */
    int id;
};

static void val_ref(void *v)
{
    atomic_fetch_add(&((struct val *)v)->refs, 1);
}

static void val_unref(void *v)
{
    struct val *x = v;
    int left = atomic_fetch_sub(&x->refs, 1) - 1;
    if (left == 0)
        atomic_fetch_add(&x->freed, 1);
    if (left < 0)
        atomic_store(&x->underflow, 1);
}

static const struct cache_ops ops = {val_ref, val_unref};

static void val_init(struct val *v, int id)
{
    atomic_init(&v->refs, 1);
    atomic_init(&v->freed, 0);
    atomic_init(&v->underflow, 0);
    v->id = id;
}

static int refs(struct val *v) { return atomic_load(&v->refs); }

static void *get(struct cache *c, const char *key, uint64_t version)
{
    return cache_get(c, key, strlen(key), version);
}

static void put(struct cache *c, const char *key, uint64_t version, struct val *v,
                size_t bytes)
{
    cache_put(c, key, strlen(key), version, v, bytes);
}

/* Drops the reference a successful cache_get handed out. */
static void release(void *v)
{
    if (v)
        val_unref(v);
}

static struct cache_stats stats(struct cache *c)
{
    struct cache_stats s;
    cache_stats(c, &s);
    return s;
}

static void test_get_after_put_hits(void)
{
    struct val a;
    val_init(&a, 1);
    struct cache *c = cache_new(8, 1 << 20, &ops);
    put(c, "/api/x?a=1", 7, &a, 100);
    CHECK_INT(refs(&a), 2); /* the owner's and the cache's */
    void *got = get(c, "/api/x?a=1", 7);
    CHECK(got == &a);
    CHECK_INT(refs(&a), 3); /* plus the reader's */
    release(got);
    got = get(c, "/api/x?a=1", 7); /* a hit leaves the entry in place */
    CHECK(got == &a);
    release(got);
    cache_free(c);
    CHECK_INT(refs(&a), 1);
}

static void test_get_at_other_version_misses(void)
{
    struct val a;
    val_init(&a, 1);
    struct cache *c = cache_new(8, 1 << 20, &ops);
    put(c, "k", 7, &a, 10);
    CHECK(get(c, "k", 8) == NULL);
    CHECK(get(c, "k", 6) == NULL);
    CHECK(get(c, "k", 0) == NULL);
    CHECK_INT(refs(&a), 2); /* a miss hands out nothing */
    void *got = get(c, "k", 7);
    CHECK(got == &a);
    release(got);
    cache_free(c);
    CHECK_INT(refs(&a), 1);
}

static void test_get_of_unknown_key_misses(void)
{
    struct val a;
    val_init(&a, 1);
    struct cache *c = cache_new(8, 1 << 20, &ops);
    CHECK(get(c, "k", 1) == NULL); /* empty cache */
    CHECK(cache_get(c, "", 0, 1) == NULL);
    put(c, "k", 1, &a, 10);
    CHECK(get(c, "other", 1) == NULL);
    cache_free(c);
    CHECK_INT(refs(&a), 1);
}

/* With slot_bits 0 every key lands in the one slot, so only the key
 * comparison tells entries apart. */
static void test_key_compare_is_exact_when_slots_collide(void)
{
    struct val a;
    val_init(&a, 1);
    struct cache *c = cache_new(0, 1 << 20, &ops);
    put(c, "abc", 1, &a, 10);
    CHECK(get(c, "abd", 1) == NULL);
    CHECK(get(c, "ab", 1) == NULL);
    CHECK(get(c, "abcd", 1) == NULL);
    CHECK(get(c, "ABC", 1) == NULL);
    CHECK(cache_get(c, "abc\0", 4, 1) == NULL);
    void *got = cache_get(c, "abcd", 3, 1); /* key_len bounds the key */
    CHECK(got == &a);
    release(got);
    /* "abc" was just asked for (once): the first put of another key into
     * its slot only takes that hit away, the second takes the slot */
    cache_put(c, "x\0y", 3, 1, &a, 10); /* keys are bytes, NUL included */
    CHECK(cache_get(c, "x\0y", 3, 1) == NULL);
    cache_put(c, "x\0y", 3, 1, &a, 10);
    CHECK(cache_get(c, "x\0z", 3, 1) == NULL);
    CHECK(cache_get(c, "x", 1, 1) == NULL);
    got = cache_get(c, "x\0y", 3, 1);
    CHECK(got == &a);
    release(got);
    CHECK_INT(refs(&a), 2);
    cache_free(c);
    CHECK_INT(refs(&a), 1);
}

static void test_put_in_occupied_slot_releases_old_value(void)
{
    struct val a, b;
    val_init(&a, 1);
    val_init(&b, 2);
    struct cache *c = cache_new(0, 1 << 20, &ops);
    put(c, "first", 1, &a, 10);
    put(c, "second", 1, &b, 20);
    CHECK_INT(refs(&a), 1);
    CHECK_INT(refs(&b), 2);
    CHECK(get(c, "first", 1) == NULL);
    void *got = get(c, "second", 1);
    CHECK(got == &b);
    release(got);
    struct cache_stats s = stats(c);
    CHECK_INT(s.entries, 1);
    CHECK_INT(s.bytes, 20);
    cache_free(c);
    CHECK_INT(refs(&b), 1);
    CHECK_INT(atomic_load(&a.freed) + atomic_load(&b.freed), 0);
}

static void test_put_same_key_new_version_releases_old_value(void)
{
    struct val a, b;
    val_init(&a, 1);
    val_init(&b, 2);
    struct cache *c = cache_new(8, 1 << 20, &ops);
    put(c, "k", 1, &a, 10);
    put(c, "k", 2, &b, 10);
    CHECK_INT(refs(&a), 1);
    CHECK(get(c, "k", 1) == NULL);
    void *got = get(c, "k", 2);
    CHECK(got == &b);
    release(got);
    CHECK_INT(stats(c).entries, 1);
    cache_free(c);
    CHECK_INT(refs(&b), 1);
}

static void test_put_same_value_twice_keeps_one_reference(void)
{
    struct val a;
    val_init(&a, 1);
    struct cache *c = cache_new(8, 1 << 20, &ops);
    put(c, "k", 1, &a, 10);
    put(c, "k", 1, &a, 10);
    CHECK_INT(refs(&a), 2);
    CHECK_INT(atomic_load(&a.freed), 0);
    struct cache_stats s = stats(c);
    CHECK_INT(s.entries, 1);
    CHECK_INT(s.bytes, 10);
    cache_free(c);
    CHECK_INT(refs(&a), 1);
}

static void test_put_larger_than_eighth_of_max_is_ignored(void)
{
    struct val small, big, edge;
    val_init(&small, 1);
    val_init(&big, 2);
    val_init(&edge, 3);
    struct cache *c = cache_new(0, 800, &ops);
    put(c, "small", 1, &small, 50);
    put(c, "big", 1, &big, 101);
    CHECK_INT(refs(&big), 1); /* no reference taken */
    CHECK(get(c, "big", 1) == NULL);
    void *got = get(c, "small", 1); /* and the slot's entry survives */
    CHECK(got == &small);
    release(got);
    struct cache_stats s = stats(c);
    CHECK_INT(s.entries, 1);
    CHECK_INT(s.bytes, 50);
    put(c, "edge", 1, &edge, 100); /* "small" was asked for: it keeps its slot once */
    CHECK(get(c, "edge", 1) == NULL);
    put(c, "edge", 1, &edge, 100); /* exactly max/8 is allowed */
    got = get(c, "edge", 1);
    CHECK(got == &edge);
    release(got);
    cache_free(c);
    CHECK_INT(refs(&small), 1);
    CHECK_INT(refs(&big), 1);
    CHECK_INT(refs(&edge), 1);
}

static void test_total_bytes_never_exceed_max(void)
{
    enum { N = 200, MAX = 800, SIZE = 100 };
    static struct val v[N];
    struct cache *c = cache_new(16, MAX, &ops);
    bool within = true;
    for (int i = 0; i < N; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        val_init(&v[i], i);
        put(c, key, 1, &v[i], SIZE);
        struct cache_stats s = stats(c);
        if (s.bytes > MAX)
            within = false;
    }
    CHECK(within);
    struct cache_stats s = stats(c);
    CHECK_INT(s.bytes, MAX);              /* the bound was reached ... */
    CHECK_INT(s.entries, MAX / SIZE);     /* ... and is what stopped the puts */
    int held = 0;
    for (int i = 0; i < N; i++)
        held += refs(&v[i]) - 1;
    CHECK_INT(held, s.entries); /* refused values were not kept */
    /* The first values went in and stay retrievable. */
    void *got = get(c, "k0", 1);
    CHECK(got == &v[0]);
    release(got);
    cache_free(c);
    for (int i = 0; i < N; i++)
        if (!CHECK_INT(refs(&v[i]), 1))
            break;
}

static void test_drop_stale_drops_old_versions_only(void)
{
    struct val a, b, d;
    val_init(&a, 1);
    val_init(&b, 2);
    val_init(&d, 3);
    struct cache *c = cache_new(16, 1 << 20, &ops);
    put(c, "a", 1, &a, 10);
    put(c, "b", 2, &b, 20);
    put(c, "d", 3, &d, 40);
    CHECK_INT(stats(c).entries, 3);
    cache_drop_stale(c, 2);
    CHECK_INT(refs(&a), 1);
    CHECK_INT(refs(&b), 2);
    CHECK_INT(refs(&d), 1); /* a newer version is stale too */
    struct cache_stats s = stats(c);
    CHECK_INT(s.entries, 1);
    CHECK_INT(s.bytes, 20);
    void *got = get(c, "b", 2);
    CHECK(got == &b);
    release(got);
    cache_drop_stale(c, 2); /* idempotent */
    CHECK_INT(refs(&b), 2);
    cache_free(c);
    CHECK_INT(refs(&b), 1);
}

static void test_free_releases_every_value(void)
{
    enum { N = 50 };
    static struct val v[N];
    struct cache *c = cache_new(16, 1 << 20, &ops);
    for (int i = 0; i < N; i++) {
        char key[16];
        snprintf(key, sizeof key, "/k/%d", i);
        val_init(&v[i], i);
        put(c, key, (uint64_t)i % 3, &v[i], 10);
    }
    int held = 0;
    for (int i = 0; i < N; i++)
        held += refs(&v[i]) - 1;
    CHECK_INT(held, stats(c).entries);
    CHECK(held > 0);
    cache_free(c);
    int left = 0, freed = 0;
    for (int i = 0; i < N; i++) {
        left += refs(&v[i]) - 1;
        freed += atomic_load(&v[i].freed);
    }
    CHECK_INT(left, 0);
    CHECK_INT(freed, 0);
    cache_free(NULL); /* harmless */
}

static void test_stats_count_hits_misses_entries_bytes(void)
{
    struct val a, b;
    val_init(&a, 1);
    val_init(&b, 2);
    struct cache *c = cache_new(16, 1 << 20, &ops);
    struct cache_stats s = stats(c);
    CHECK_INT(s.hits, 0);
    CHECK_INT(s.misses, 0);
    CHECK_INT(s.entries, 0);
    CHECK_INT(s.bytes, 0);
    CHECK(get(c, "a", 1) == NULL);
    put(c, "a", 1, &a, 123);
    put(c, "b", 1, &b, 7);
    release(get(c, "a", 1));
    release(get(c, "a", 1));
    release(get(c, "b", 1));
    CHECK(get(c, "a", 2) == NULL);
    CHECK(get(c, "zzz", 1) == NULL);
    s = stats(c);
    CHECK_INT(s.hits, 3);
    CHECK_INT(s.misses, 3);
    CHECK_INT(s.entries, 2);
    CHECK_INT(s.bytes, 130);
    cache_free(c);
}

/* ---- threads ------------------------------------------------------------- */

enum { T_THREADS = 4, T_OPS = 20000, T_KEYS = 32, T_VERSIONS = 2, T_MAX = 512 };

static struct val t_vals[T_KEYS * T_VERSIONS];
static struct cache *t_cache;
static _Atomic int t_wrong_value, t_dead_value;
static _Atomic long t_gets;

static void *worker(void *arg)
{
    uint32_t x = 12345u + 7919u * (uint32_t)(uintptr_t)arg;
    for (int i = 0; i < T_OPS; i++) {
        x = x * 1664525u + 1013904223u;
        unsigned r = x >> 8;
        int k = (int)(r % T_KEYS);
        int ver = (int)((r / T_KEYS) % T_VERSIONS);
        struct val *want = &t_vals[k * T_VERSIONS + ver];
        char key[16];
        int n = snprintf(key, sizeof key, "/k/%d", k);
        if (r & 0x10000) {
            atomic_fetch_add(&t_gets, 1);
            struct val *got = cache_get(t_cache, key, (size_t)n, (uint64_t)ver);
            if (got) {
                if (got != want)
                    atomic_store(&t_wrong_value, 1);
                if (atomic_load(&got->refs) < 2) /* owner's + ours */
                    atomic_store(&t_dead_value, 1);
                val_unref(got);
            }
        } else {
            size_t bytes = 1 + (r >> 17) % (T_MAX / 8);
            cache_put(t_cache, key, (size_t)n, (uint64_t)ver, want, bytes);
        }
    }
    return NULL;
}

static void test_concurrent_get_put_balances_refcounts(void)
{
    for (int i = 0; i < T_KEYS * T_VERSIONS; i++)
        val_init(&t_vals[i], i);
    t_cache = cache_new(4, T_MAX, &ops); /* 16 slots for 64 (key, version)s */
    pthread_t th[T_THREADS];
    int started = 0;
    for (int i = 0; i < T_THREADS; i++)
        if (CHECK_INT(pthread_create(&th[i], NULL, worker, (void *)(uintptr_t)i), 0))
            started++;
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    CHECK(!atomic_load(&t_wrong_value));
    CHECK(!atomic_load(&t_dead_value));
    struct cache_stats s = stats(t_cache);
    CHECK_INT(s.hits + s.misses, atomic_load(&t_gets));
    CHECK(s.hits > 0);
    int held = 0;
    for (int i = 0; i < T_KEYS * T_VERSIONS; i++)
        held += refs(&t_vals[i]) - 1;
    CHECK_INT(held, s.entries); /* one reference per entry, none leaked by readers */
    cache_drop_stale(t_cache, 99); /* no entry is at version 99 */
    s = stats(t_cache);
    CHECK_INT(s.entries, 0);
    CHECK_INT(s.bytes, 0);
    cache_free(t_cache);
    int bad = 0;
    for (int i = 0; i < T_KEYS * T_VERSIONS; i++) {
        val_unref(&t_vals[i]); /* the owner's reference */
        if (refs(&t_vals[i]) != 0 || atomic_load(&t_vals[i].freed) != 1 ||
            atomic_load(&t_vals[i].underflow))
            bad++;
    }
    CHECK_INT(bad, 0);
}

/* Puts from several threads into different slots of a cache kept near its
 * bound. Every put must see the bound hold; the first overshoot ends the
 * test. The bound is checked after each put, as a reader of cache_stats()
 * would see it. */
enum { B_THREADS = 4, B_OPS = 1000000, B_KEYS = 256, B_MAX = 1024 };

static struct cache *b_cache;
static _Atomic int b_over;
static _Atomic uint64_t b_worst;
static struct val b_val;

static void *bound_worker(void *arg)
{
    uint32_t x = 1u + 2654435761u * (uint32_t)(uintptr_t)arg;
    for (int i = 0; i < B_OPS && !atomic_load(&b_over); i++) {
        x = x * 1664525u + 1013904223u;
        unsigned r = x >> 8;
        char key[16];
        int n = snprintf(key, sizeof key, "/b/%u", r % B_KEYS);
        cache_put(b_cache, key, (size_t)n, 1, &b_val, 1 + (r >> 8) % (B_MAX / 8));
        struct cache_stats s;
        cache_stats(b_cache, &s);
        if (s.bytes > B_MAX) {
            atomic_store(&b_over, 1);
            atomic_store(&b_worst, s.bytes);
        }
    }
    return NULL;
}

static void test_concurrent_puts_respect_byte_bound(void)
{
    val_init(&b_val, 0);
    b_cache = cache_new(6, B_MAX, &ops); /* 64 slots on 64 different locks */
    pthread_t th[B_THREADS];
    int started = 0;
    for (int i = 0; i < B_THREADS; i++)
        if (CHECK_INT(pthread_create(&th[i], NULL, bound_worker, (void *)(uintptr_t)i), 0))
            started++;
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    if (!CHECK(!atomic_load(&b_over)))
        printf("    cache held %llu bytes with max_bytes %d\n",
               (unsigned long long)atomic_load(&b_worst), B_MAX);
    cache_free(b_cache);
    CHECK_INT(refs(&b_val), 1);
}

/* When the bytes are spent, a put makes room by the CLOCK hand: what was
 * asked for stays, the rest goes (the cache used to refuse every new entry
 * once full, until the next write). */
static void test_when_full_the_hand_evicts_what_nobody_asked_for(void)
{
    struct val v[12];
    char key[16];
    struct cache *c = cache_new(10, 100, &ops);
    for (int i = 0; i < 10; i++) {
        val_init(&v[i], i);
        snprintf(key, sizeof key, "k%d", i);
        put(c, key, 1, &v[i], 10);
    }
    CHECK_INT(stats(c).entries, 10); /* no two of these keys share a slot */
    CHECK_INT(stats(c).bytes, 100);
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof key, "k%d", i);
        release(get(c, key, 1));
    }
    val_init(&v[10], 10);
    put(c, "newcomer", 1, &v[10], 10);
    void *got = get(c, "newcomer", 1);
    CHECK(got == &v[10]);
    release(got);
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof key, "k%d", i);
        got = get(c, key, 1);
        if (!CHECK(got == &v[i]))
            printf("  %s was asked for, and was evicted\n", key);
        release(got);
    }
    CHECK(stats(c).bytes <= 100);
    cache_free(c);
    for (int i = 0; i < 11; i++)
        CHECK_INT(refs(&v[i]), 1);
}

/* The doorkeeper: a key is worth a place the second time it is offered. */
static void test_the_doorkeeper_admits_a_key_the_second_time(void)
{
    struct cache *c = cache_new(4, 1000, &ops);
    CHECK(!cache_admit(c, "/a", 2));
    CHECK(!cache_admit(c, "/b", 2));
    CHECK(cache_admit(c, "/a", 2));
    CHECK(cache_admit(c, "/a", 2));
    CHECK(cache_admit(c, "/b", 2));
    CHECK(!cache_admit(c, "/c", 2));
    cache_free(c);
}

/* As the response cache uses it (admit, then put): a flood of one-off
 * requests, or of requests each made twice, never pushes out a page that
 * keeps being asked for, and the cache stays within its bytes. */
static void test_a_flood_never_pushes_out_what_is_asked_for(void)
{
    struct val popular, junk;
    val_init(&popular, 1);
    val_init(&junk, 2);
    struct cache *c = cache_new(10, 400, &ops);
    const char *page = "/api/v1/organisations";
    for (int i = 0; i < 2; i++)
        if (cache_admit(c, page, strlen(page)))
            put(c, page, 1, &popular, 40);
    int hits = 0, asks = 0;
    char key[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "/nope/%d", i / (i < 10000 ? 1 : 2)); /* once, then twice */
        if (cache_admit(c, key, strlen(key)))
            put(c, key, 1, &junk, 20);
        if (i % 8 == 0) {
            void *got = get(c, page, 1);
            asks++;
            hits += got == &popular;
            release(got);
        }
        CHECK(stats(c).bytes <= 400);
    }
    if (!CHECK(hits == asks))
        printf("  the popular page was a hit %d times of %d\n", hits, asks);
    CHECK(stats(c).entries > 5); /* the twice-asked junk did get in, around it */
    cache_free(c);
    CHECK_INT(refs(&popular), 1);
    CHECK_INT(refs(&junk), 1);
}

int main(void)
{
    RUN(test_get_after_put_hits);
    RUN(test_get_at_other_version_misses);
    RUN(test_get_of_unknown_key_misses);
    RUN(test_key_compare_is_exact_when_slots_collide);
    RUN(test_put_in_occupied_slot_releases_old_value);
    RUN(test_put_same_key_new_version_releases_old_value);
    RUN(test_put_same_value_twice_keeps_one_reference);
    RUN(test_put_larger_than_eighth_of_max_is_ignored);
    RUN(test_total_bytes_never_exceed_max);
    RUN(test_drop_stale_drops_old_versions_only);
    RUN(test_free_releases_every_value);
    RUN(test_stats_count_hits_misses_entries_bytes);
    RUN(test_concurrent_get_put_balances_refcounts);
    RUN(test_concurrent_puts_respect_byte_bound);
    RUN(test_when_full_the_hand_evicts_what_nobody_asked_for);
    RUN(test_the_doorkeeper_admits_a_key_the_second_time);
    RUN(test_a_flood_never_pushes_out_what_is_asked_for);
    return check_finish();
}
