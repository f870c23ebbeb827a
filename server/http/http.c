/* http.c: see http.h. A request goes:
 *   uri_log (raw target kept) -> on_request (first call: set up; later calls:
 *   body) -> respond: decode the target, try the cache, route, run the
 *   handler, make the responses (identity and gzip), cache them, queue one.
 * Cached answers are libmicrohttpd response objects shared by every
 * connection that asks (libmicrohttpd reference-counts them), so a hit
 * costs a hash lookup and no copy. */
#include "http/http.h"
#include "api/api.h"
#include "http/cache.h"
#include "http/metrics.h"
#include "lib/escape.h"
#include "site/page.h"
#include "lib/request.h"
#include "http/router.h"
#include "store/store.h"
#include "lib/util.h"
#include "views/problem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define GZIP_MIN_BYTES 256

static struct MHD_Daemon *daemon_;
static struct cache *cache_;
static struct http_config config_;
static _Atomic uint64_t cache_version;

/* One open connection, for the header deadline: libmicrohttpd's idle
 * timeout resets on every byte, so a client that trickles its headers
 * could hold a slot for ever. The sweeper thread shuts the socket of any
 * connection whose request headers are not complete by its deadline. */
struct track {
    struct track *prev, *next;
    int fd;
    _Atomic uint64_t deadline_ns;   /* 0: a request is being handled */
};

static struct track tracks = {&tracks, &tracks, -1, 0};
static pthread_mutex_t tracks_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t sweeper;
static _Atomic bool sweeping;
static _Atomic long active_requests;

/* Everything one request owns; freed in on_completed. */
struct ctx {
    uint64_t start_ns;
    char *target;
    size_t target_len;
    bool started;
    struct buf body;
    bool body_too_large;
    bool bad_framing;     /* two Content-Lengths, or one with Transfer-Encoding */
};

/* A finished answer: one or two shared response objects. */
struct answer {
    _Atomic int refs;
    int status;
    struct MHD_Response *plain, *gz;
    char etag[20];        /* 16 hex digits, no quotes */
    char cache_control[40];
    size_t bytes;         /* what it costs the cache */
    bool cors;            /* an API answer: readable from any origin */
    bool vary_accept;     /* chosen by Accept as well as Accept-Encoding */
    const char *route;    /* for the access log */
    bool gz_tried;        /* made for a gzip client: gz is NULL only if
                             compression did not pay */
    size_t plain_len, gz_len;
};

static void answer_ref(void *p)
{
    atomic_fetch_add(&((struct answer *)p)->refs, 1);
}

static void answer_unref(void *p)
{
    struct answer *a = p;
    if (atomic_fetch_sub(&a->refs, 1) != 1)
        return;
    if (a->plain)
        MHD_destroy_response(a->plain);
    if (a->gz)
        MHD_destroy_response(a->gz);
    free(a);
}

static const struct cache_ops answer_ops = {answer_ref, answer_unref};

void http_config_defaults(struct http_config *c)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    c->bind = "127.0.0.1";
    c->port = 8080;
    c->threads = cpus > 0 ? (unsigned)cpus : 2;
    c->max_connections = 1000;
    c->max_per_ip = 256;
    c->idle_timeout = 30;
    c->max_body = 256 * 1024;
    c->max_target = 8 * 1024;
    c->cache_bytes = 64 * 1024 * 1024;
    c->header_timeout = 5;
    c->body_timeout = 15;
    c->access_log = true;
    c->log_ip = false;
    c->log_query = false;
    c->trust_proxy = false;
}

/* ---- small helpers ------------------------------------------------------- */

/* The JSON API and the Open Referral feed (and their CORS) live under /api/
 * and /openreferral/; everything else is the site, whose errors are pages. */
static bool is_api(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 ||
           strncmp(path, "/openreferral/", 14) == 0 || strcmp(path, "/openreferral") == 0;
}


static enum req_method method_of(const char *m)
{
    static const struct { const char *name; enum req_method bit; } map[] = {
        {"GET", REQ_GET}, {"HEAD", REQ_HEAD}, {"POST", REQ_POST}, {"PUT", REQ_PUT},
        {"PATCH", REQ_PATCH}, {"DELETE", REQ_DELETE}, {"OPTIONS", REQ_OPTIONS},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(m, map[i].name) == 0)
            return map[i].bit;
    return REQ_OTHER;
}

/* True when the client takes gzip: a "gzip" coding (or "*") not given q=0. */
static bool accepts_gzip(struct MHD_Connection *conn)
{
    return query_accept_q(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                      MHD_HTTP_HEADER_ACCEPT_ENCODING),
                          "gzip") > 0;
}

/* True when If-None-Match names this answer's tag (either variant, weak or
 * strong) or is "*". */
static bool etag_matches(struct MHD_Connection *conn, const char *etag)
{
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (!inm)
        return false;
    size_t n = strlen(etag);
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (*p == '*')
            return true;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        if (*p == '"') {
            const char *end = strchr(p + 1, '"');
            if (!end)
                return false;
            size_t len = (size_t)(end - p - 1);
            if ((len == n || (len == n + 3 && strncmp(p + 1 + n, "-gz", 3) == 0)) &&
                strncmp(p + 1, etag, n) == 0)
                return true;
            p = end + 1;
        } else {
            while (*p && *p != ',')
                p++;
        }
    }
    return false;
}

/* Compresses data into a new gzip buffer. NULL when it would not shrink. */
static char *gzip(const char *data, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* Level 1: most answers are made once and cached, but a miss pays for
     * compression on the spot, and level 6 costs three times as much for a
     * few per cent smaller bodies. */
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, len);
    char *out = xmalloc(cap);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END || *out_len >= len) {
        free(out);
        return NULL;
    }
    return out;
}

static void add_common_headers(struct MHD_Response *resp, bool cors)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (cors) {
        MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
        MHD_add_response_header(resp, "Access-Control-Expose-Headers", "ETag, Link");
    }
}

/* Headers every variant of an answer carries. */
static void add_answer_headers(struct MHD_Response *resp, const struct req *r,
                               const struct answer *a, const char *etag_suffix)
{
    add_common_headers(resp, a->cors);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, a->cache_control);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY,
                            a->vary_accept ? "Accept-Encoding, Accept" : "Accept-Encoding");
    if (a->etag[0]) {
        char tag[32];
        snprintf(tag, sizeof tag, "\"%s%s\"", a->etag, etag_suffix);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, tag);
    }
    for (size_t i = 0; i < r->n_headers; i++)
        MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
}

/* Turns the handler's answer into response objects. Takes r->body. */
static struct answer *answer_make(struct req *r, bool want_gz)
{
    struct answer *a = xcalloc(1, sizeof *a);
    a->refs = 1;
    a->status = r->status;
    /* Writes answer no other origin: a browser elsewhere cannot read them. */
    a->cors = (r->cors || (r->query.path && is_api(r->query.path))) &&
              (r->method & (REQ_GET | REQ_HEAD | REQ_OPTIONS));
    a->route = r->route ? r->route : "-";
    a->vary_accept = r->vary_accept;
    if (r->max_age > 0)
        snprintf(a->cache_control, sizeof a->cache_control, "public, max-age=%d",
                 r->max_age);
    else
        snprintf(a->cache_control, sizeof a->cache_control, "%s",
                 r->max_age < 0 ? "no-store" : "no-cache");
    size_t len;
    char *body = buf_detach(&r->body, &len);
    if (r->method & (REQ_GET | REQ_HEAD))
        snprintf(a->etag, sizeof a->etag, "%016llx",
                 (unsigned long long)util_hash(UTIL_FNV_INIT, body, len));
    size_t gz_len = 0;
    a->gz_tried = want_gz;
    char *gz = want_gz && len >= GZIP_MIN_BYTES ? gzip(body, len, &gz_len) : NULL;
    a->bytes = sizeof *a + len + gz_len + 512;
    a->plain_len = len;
    a->gz_len = gz ? gz_len : 0;
    a->plain = MHD_create_response_from_buffer_with_free_callback(len, body, free);
    if (!a->plain) {
        free(body);
        free(gz);
        free(a);
        return NULL;
    }
    add_answer_headers(a->plain, r, a, "");
    if (gz) {
        a->gz = MHD_create_response_from_buffer_with_free_callback(gz_len, gz, free);
        if (a->gz) {
            add_answer_headers(a->gz, r, a, "-gz");
            MHD_add_response_header(a->gz, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
        } else {
            free(gz);
        }
    }
    return a;
}

static enum MHD_Result queue_answer(struct MHD_Connection *conn, struct answer *a,
                                    bool gz_ok, int *sent)
{
    *sent = a->status;
    if (a->etag[0] && a->status == 200 && etag_matches(conn, a->etag)) {
        *sent = 304;
        struct MHD_Response *nm = MHD_create_response_from_buffer(0, NULL,
                                                                  MHD_RESPMEM_PERSISTENT);
        if (!nm)
            return MHD_NO;
        char tag[32];
        snprintf(tag, sizeof tag, "\"%s%s\"", a->etag, gz_ok && a->gz ? "-gz" : "");
        MHD_add_response_header(nm, MHD_HTTP_HEADER_ETAG, tag);
        MHD_add_response_header(nm, MHD_HTTP_HEADER_CACHE_CONTROL, a->cache_control);
        MHD_add_response_header(nm, MHD_HTTP_HEADER_VARY,
                                a->vary_accept ? "Accept-Encoding, Accept" : "Accept-Encoding");
        add_common_headers(nm, a->cors);
        enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, nm);
        MHD_destroy_response(nm);
        return ret;
    }
    return MHD_queue_response(conn, (unsigned)a->status, gz_ok && a->gz ? a->gz : a->plain);
}

/* Answers OPTIONS for a known path: the methods it takes, and CORS. */
static enum MHD_Result queue_options(struct MHD_Connection *conn, unsigned allowed,
                                     bool cors)
{
    struct buf allow = BUF_INIT;
    router_allow_header(allowed, &allow);
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL,
                                                                MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        buf_reset(&allow);
        return MHD_NO;
    }
    add_common_headers(resp, cors);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow.data);
    MHD_add_response_header(resp, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    MHD_add_response_header(resp, "Access-Control-Allow-Headers",
                            "If-None-Match, Accept, Accept-Encoding");
    MHD_add_response_header(resp, "Access-Control-Max-Age", "86400");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "public, max-age=86400");
    enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_NO_CONTENT, resp);
    MHD_destroy_response(resp);
    buf_reset(&allow);
    return ret;
}

/* ---- the request path ---------------------------------------------------- */

/* The same judged on the raw target, for when it cannot be decoded. */
static bool raw_is_api(const char *target)
{
    return strncmp(target, "/api/", 5) == 0 || strncmp(target, "/openreferral/", 14) == 0;
}

/* Runs routing and the handler for r; fills r's answer. Returns the extra
 * Allow methods for a 405 in *allowed. */
static void dispatch(struct req *r, unsigned *allowed)
{
    router_handler handler;
    switch (router_match(r, &handler, allowed)) {
    case ROUTER_FOUND:
        handler(r);
        break;
    case ROUTER_NOT_FOUND:
        if (strncmp(r->query.path, "/openreferral/", 14) == 0)
            problem_reply(r, 404, "There is nothing at this address. The Open Referral UK "
                                "feed starts at /openreferral/v3.");
        else if (is_api(r->query.path))
            problem_reply(r, 404, "There is nothing at this address. The API starts at "
                                "/api/v1.");
        else
            page_error(r, 404, NULL);
        break;
    case ROUTER_BAD_METHOD: {
        struct buf allow = BUF_INIT, msg = BUF_INIT;
        router_allow_header(*allowed, &allow);
        buf_printf(&msg, "This address answers %s only.", allow.data);
        if (is_api(r->query.path))
            problem_reply(r, 405, msg.data);
        else
            page_error(r, 405, msg.data);
        req_add_header(r, MHD_HTTP_HEADER_ALLOW, allow.data);
        r->cacheable = false;
        buf_reset(&allow);
        buf_reset(&msg);
        break;
    }
    }
}

/* One JSON line per request. No client address and no query string (it
 * holds what people search for) unless the operator asked for them. One
 * write(2) per line, so lines from different threads never interleave. */
static void log_request(struct MHD_Connection *conn __attribute__((unused)), const struct ctx *ctx,
                        const char *method, const char *route, int status,
                        size_t bytes, bool hit, const char *client)
{
    if (!config_.access_log)
        return;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"time\":\"%s\",\"method\":", stamp);
    esc_json(&b, method, strnlen(method, 16));
    buf_puts(&b, ",\"route\":");
    esc_json_str(&b, route);
    buf_printf(&b, ",\"status\":%d,\"bytes\":%zu,\"ms\":%.3f,\"cache\":\"%s\"", status,
               bytes, (double)(util_now_ns() - ctx->start_ns) / 1e6, hit ? "hit" : "miss");
    if (config_.log_query) {
        const char *qm = memchr(ctx->target, '?', ctx->target_len);
        buf_puts(&b, ",\"query\":");
        if (qm)
            esc_json(&b, qm + 1, (size_t)(ctx->target + ctx->target_len - qm - 1));
        else
            buf_puts(&b, "null");
    }
    if (config_.log_ip) {
        buf_puts(&b, ",\"ip\":");
        esc_json_str(&b, client && *client ? client : "-");
    }
    buf_puts(&b, "}\n");
    ssize_t w = write(STDOUT_FILENO, b.data, b.len);
    (void)w;
    buf_reset(&b);
}

/* Hands the handler what it may need of the request, as plain strings. */
static void fill_inputs(struct MHD_Connection *conn, struct ctx *ctx, struct req *r)
{
    if (ctx->body.len) {
        r->in_body = ctx->body.data;
        r->in_body_len = ctx->body.len;
    }
    r->in_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                             MHD_HTTP_HEADER_CONTENT_TYPE);
    r->in_accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    r->in_if_match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_IF_MATCH);
    r->in_auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                             MHD_HTTP_HEADER_AUTHORIZATION);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
                  r->client, sizeof r->client);
    else if (ci && ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
                  r->client, sizeof r->client);
    /* Behind a proxy we trust, the client is the last address it added to
     * X-Forwarded-For (earlier entries are whatever the client claimed). */
    const char *xff = config_.trust_proxy
                          ? MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For")
                          : NULL;
    if (xff) {
        const char *last = strrchr(xff, ',');
        last = last ? last + 1 : xff;
        while (*last == ' ')
            last++;
        size_t n = strcspn(last, " ");
        unsigned char probe[sizeof(struct in6_addr)];
        char addr[INET6_ADDRSTRLEN];
        if (n < sizeof addr) {
            memcpy(addr, last, n);
            addr[n] = '\0';
            if (inet_pton(AF_INET, addr, probe) == 1 || inet_pton(AF_INET6, addr, probe) == 1)
                snprintf(r->client, sizeof r->client, "%s", addr);
        }
    }
}

static enum MHD_Result respond(struct MHD_Connection *conn, struct ctx *ctx,
                               const char *method)
{
    struct req r;
    memset(&r, 0, sizeof r);
    r.method = method_of(method);
    bool gz_ok = accepts_gzip(conn);
    enum MHD_Result ret = MHD_NO;
    struct buf key = BUF_INIT;
    struct answer *a = NULL;
    uint64_t version = store_data_version();
    bool cacheable_method = false;
    bool hit = false;

    if (ctx->bad_framing) {
        problem_reply(&r, 400, "The request's length is given in two different ways "
                             "(Content-Length twice, or with Transfer-Encoding).");
        r.cacheable = false;
        goto make;
    }
    if (ctx->body_too_large) {
        problem_reply(&r, 413, "The request body is larger than this server accepts.");
        r.cacheable = false;
        r.max_age = -1;
        goto make;
    }
    enum query_error qe = query_parse(&r.query, ctx->target, ctx->target_len,
                                      config_.max_target);
    if (qe == QUERY_TOO_LONG) {
        problem_reply(&r, 414, "The address is longer than this server accepts.");
        r.cacheable = false;
        goto make;
    }
    if (qe != QUERY_OK) {
        r.cors = raw_is_api(ctx->target);
        if (!r.cors)
            page_error(&r, 400, "The address contains characters we cannot read.");
        else
            problem_bad_target(&r);
        r.cacheable = false;
        goto make;
    }

    fill_inputs(conn, ctx, &r);
    cacheable_method = (r.method & (REQ_GET | REQ_HEAD)) && cache_;
    if (cacheable_method) {
        if (atomic_load(&cache_version) != version) {
            atomic_store(&cache_version, version);
            cache_drop_stale(cache_, version);
        }
        query_normalise(&r.query, &key);
        /* The one answer chosen by Accept: CSV for the organisation list. */
        if (query_accept_prefers(r.in_accept, "text/csv", "application/json"))
            buf_puts(&key, "\naccept=csv");
        a = cache_get(cache_, key.data, key.len, version);
        metrics_cache(a != NULL);
        if (a && gz_ok && !a->gz_tried) {
            /* Cached for an identity client; this one takes gzip: remake. */
            answer_unref(a);
            a = NULL;
        }
        if (a) {
            hit = true;
            goto send;
        }
    }

    unsigned allowed = 0;
    if (r.method == REQ_OPTIONS) {
        router_handler h;
        enum router_result rr = router_match(&r, &h, &allowed);
        if (rr == ROUTER_BAD_METHOD) {
            ret = queue_options(conn, allowed, is_api(r.query.path));
            goto out;
        }
        dispatch(&r, &allowed); /* 404 */
    } else {
        dispatch(&r, &allowed);
    }
make:
    a = answer_make(&r, gz_ok);
    if (!a)
        goto out;
    if (cacheable_method && r.cacheable && r.status < 500)
        cache_put(cache_, key.data, key.len, version, a, key.len + a->bytes);
send:;
    int sent;
    ret = queue_answer(conn, a, gz_ok, &sent);
    if (ret == MHD_YES) {
        size_t bytes = sent == 304 ? 0 : gz_ok && a->gz ? a->gz_len : a->plain_len;
        log_request(conn, ctx, method, a->route, sent, bytes, hit, r.client);
        metrics_request(a->route, sent, util_now_ns() - ctx->start_ns);
    }
out:
    if (a)
        answer_unref(a);
    buf_reset(&key);
    req_reset(&r);
    return ret;
}

static struct track *track_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        conn ? MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT) : NULL;
    return ci ? ci->socket_context : NULL;
}

struct framing {
    unsigned lengths, encodings;
    const char *first_length;
    bool differ;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    struct framing *f = cls;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        if (f->lengths++ && value && f->first_length && strcmp(value, f->first_length) != 0)
            f->differ = true;
        if (!f->first_length)
            f->first_length = value;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->encodings++;
    }
    return MHD_YES;
}

/* Request smuggling needs two parties to read a body's length differently:
 * refuse any request whose framing could be read two ways. */
static bool ambiguous_framing(struct MHD_Connection *conn)
{
    struct framing f = {0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
    return f.differ || f.lengths > 1 || (f.lengths && f.encodings) || f.encodings > 1;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    struct track *t = track_of(conn);
    if (t)
        atomic_store(&t->deadline_ns, util_now_ns() + config_.header_timeout * 1000000000ULL);
    atomic_fetch_add(&active_requests, 1);
    struct ctx *ctx = xcalloc(1, sizeof *ctx);
    ctx->start_ns = util_now_ns();
    ctx->target_len = strlen(uri);
    ctx->target = xstrndup(uri, ctx->target_len);
    return ctx;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct ctx *ctx = *con_cls;
    if (!ctx) /* no uri_log call happened: cannot be, but be safe */
        *con_cls = ctx = on_uri(NULL, url, conn);
    if (!ctx->started) {
        ctx->started = true;
        struct track *t = track_of(conn);
        /* Headers are in. A body must arrive within its own deadline, or a
         * client trickling one byte at a time would hold the slot. */
        bool has_body = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_CONTENT_LENGTH) ||
                        MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_TRANSFER_ENCODING);
        if (t)
            atomic_store(&t->deadline_ns,
                         has_body ? util_now_ns() + config_.body_timeout * 1000000000ULL : 0);
        if (ambiguous_framing(conn)) {
            ctx->bad_framing = true;
            return respond(conn, ctx, method);
        }
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        /* Too large: answer before reading any of it. libmicrohttpd takes a
         * response only now or once the body is in, and closes the
         * connection after this one, which is what we want. */
        if (cl && strtoull(cl, NULL, 10) > config_.max_body) {
            ctx->body_too_large = true;
            return respond(conn, ctx, method);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* Past the limit (a chunked body), the rest is read and dropped,
         * and the answer is a 413 once it has all arrived. */
        if (ctx->body_too_large || ctx->body.len + *upload_data_size > config_.max_body) {
            ctx->body_too_large = true;
            buf_reset(&ctx->body);
        } else {
            buf_append(&ctx->body, upload_data, *upload_data_size);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct track *t = track_of(conn);
    if (t)
        atomic_store(&t->deadline_ns, 0); /* the whole request is in */
    return respond(conn, ctx, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    struct ctx *ctx = *con_cls;
    if (!ctx)
        return;
    atomic_fetch_sub(&active_requests, 1);
    /* Between requests a keep-alive connection may idle, but not for ever
     * while trickling the next request: idle timeout plus the deadline. */
    struct track *t = track_of(conn);
    if (t)
        atomic_store(&t->deadline_ns,
                     util_now_ns() +
                         (config_.idle_timeout + config_.header_timeout) * 1000000000ULL);
    free(ctx->target);
    buf_reset(&ctx->body);
    free(ctx);
    *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct track *t = xcalloc(1, sizeof *t);
        t->fd = ci ? ci->connect_fd : -1;
        atomic_store(&t->deadline_ns, util_now_ns() + config_.header_timeout * 1000000000ULL);
        pthread_mutex_lock(&tracks_lock);
        t->next = tracks.next;
        t->prev = &tracks;
        tracks.next->prev = t;
        tracks.next = t;
        pthread_mutex_unlock(&tracks_lock);
        *socket_context = t;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        struct track *t = *socket_context;
        pthread_mutex_lock(&tracks_lock);
        t->prev->next = t->next;
        t->next->prev = t->prev;
        pthread_mutex_unlock(&tracks_lock);
        free(t);
        *socket_context = NULL;
    }
}

/* Drops connections past their header deadline. The socket is shut down,
 * not closed: libmicrohttpd sees the end and cleans up as usual, and it
 * cannot close the descriptor meanwhile, since CLOSED waits for the lock. */
static void *sweep(void *arg)
{
    (void)arg;
    while (atomic_load(&sweeping)) {
        usleep(200 * 1000);
        uint64_t now = util_now_ns();
        pthread_mutex_lock(&tracks_lock);
        for (struct track *t = tracks.next; t != &tracks; t = t->next) {
            uint64_t d = atomic_load(&t->deadline_ns);
            if (d && now > d && t->fd >= 0) {
                shutdown(t->fd, SHUT_RDWR);
                atomic_store(&t->deadline_ns, 0);
                metrics_slow_client();
            }
        }
        pthread_mutex_unlock(&tracks_lock);
    }
    return NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("signpost: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

static int listen_fd = -1;

int http_bind(const struct http_config *c, unsigned *port)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    socklen_t len;
    if (inet_pton(AF_INET, c->bind, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)c->port);
        len = sizeof *v4;
    } else if (inet_pton(AF_INET6, c->bind, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)c->port);
        len = sizeof *v6;
    } else {
        fprintf(stderr, "signpost: --bind %s is not an IPv4 or IPv6 address\n", c->bind);
        return -1;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 1024) != 0) {
        fprintf(stderr, "signpost: cannot listen on %s port %u: %s\n", c->bind, c->port,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    *port = ntohs(ss.ss_family == AF_INET ? v4->sin_port : v6->sin6_port);
    listen_fd = fd;
    return 0;
}

int http_start(const struct http_config *c, unsigned *port)
{
    config_ = *c;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_USE_TURBO | MHD_USE_ITC;
    if (listen_fd < 0 && http_bind(c, port) != 0)
        return -1;
    if (inet_pton(AF_INET, c->bind, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)c->port);
    } else if (inet_pton(AF_INET6, c->bind, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)c->port);
        flags |= MHD_USE_IPv6;
    } else {
        fprintf(stderr, "signpost: --bind %s is not an IPv4 or IPv6 address\n", c->bind);
        return -1;
    }
    if (c->cache_bytes)
        cache_ = cache_new(14, c->cache_bytes, &answer_ops);
    cache_version = store_data_version();
    daemon_ = MHD_start_daemon(
        flags, (uint16_t)c->port, NULL, NULL, on_request, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, listen_fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)c->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)c->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)c->max_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)c->idle_timeout,
        /* Enough for the longest target (8 KiB) and headers; libmicrohttpd
         * clears this much per connection, so not more. */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_END);
    if (!daemon_) {
        fprintf(stderr, "signpost: cannot serve on %s port %u\n", c->bind, c->port);
        close(listen_fd);
        listen_fd = -1;
        cache_free(cache_);
        cache_ = NULL;
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_,
                                                           MHD_DAEMON_INFO_BIND_PORT);
    *port = info ? info->port : c->port;
    atomic_store(&sweeping, true);
    if (pthread_create(&sweeper, NULL, sweep, NULL) != 0)
        atomic_store(&sweeping, false);
    return 0;
}

int http_drain(unsigned seconds)
{
    if (!daemon_)
        return 0;
    MHD_socket fd = MHD_quiesce_daemon(daemon_);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    listen_fd = -1;
    uint64_t until = util_now_ns() + seconds * 1000000000ULL;
    while (atomic_load(&active_requests) > 0 && util_now_ns() < until)
        usleep(20 * 1000);
    return (int)atomic_load(&active_requests);
}

void http_stop(void)
{
    if (atomic_load(&sweeping)) {
        atomic_store(&sweeping, false);
        pthread_join(sweeper, NULL);
    }
    if (daemon_)
        MHD_stop_daemon(daemon_);
    daemon_ = NULL;
    cache_free(cache_);
    cache_ = NULL;
}
