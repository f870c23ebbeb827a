/* answer.c: from a handler's struct req to libmicrohttpd responses: the
 * standard headers, the ETag and 304, gzip, OPTIONS, and the response cache
 * that keeps whole answers. A cached answer is a pair of response objects
 * (identity and gzip) that libmicrohttpd reference-counts, shared by every
 * connection that asks, so a hit costs a hash lookup and no copy. */
#include "http/http_int.h"
#include "http/cache.h"
#include "http/metrics.h"
#include "http/router.h"
#include "lib/query.h"
#include "lib/util.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GZIP_MIN_BYTES 256

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

static struct cache *cache_;

static void answer_ref(void *p)
{
    atomic_fetch_add(&((struct answer *)p)->refs, 1);
}

static void unref(void *p)
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

void answer_unref(struct answer *a)
{
    unref(a);
}

static const struct cache_ops answer_ops = {answer_ref, unref};

bool answer_accepts_gzip(struct MHD_Connection *conn)
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

/* ---- headers ------------------------------------------------------------- */

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

/* ---- answers ------------------------------------------------------------- */

struct answer *answer_new(struct req *r, bool want_gz)
{
    struct answer *a = xcalloc(1, sizeof *a);
    a->refs = 1;
    a->status = r->status;
    /* Writes answer no other origin: a browser elsewhere cannot read them. */
    a->cors = (r->cors || (r->query.path && http_is_api(r->query.path))) &&
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

enum MHD_Result answer_queue(struct MHD_Connection *conn, const struct answer *a,
                             bool gz_ok, struct answer_sent *sent)
{
    bool gz = gz_ok && a->gz;
    sent->route = a->route;
    if (a->etag[0] && a->status == 200 && etag_matches(conn, a->etag)) {
        sent->status = 304;
        sent->bytes = 0;
        struct MHD_Response *nm = MHD_create_response_from_buffer(0, NULL,
                                                                  MHD_RESPMEM_PERSISTENT);
        if (!nm)
            return MHD_NO;
        char tag[32];
        snprintf(tag, sizeof tag, "\"%s%s\"", a->etag, gz ? "-gz" : "");
        MHD_add_response_header(nm, MHD_HTTP_HEADER_ETAG, tag);
        MHD_add_response_header(nm, MHD_HTTP_HEADER_CACHE_CONTROL, a->cache_control);
        MHD_add_response_header(nm, MHD_HTTP_HEADER_VARY,
                                a->vary_accept ? "Accept-Encoding, Accept" : "Accept-Encoding");
        add_common_headers(nm, a->cors);
        enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, nm);
        MHD_destroy_response(nm);
        return ret;
    }
    sent->status = a->status;
    sent->bytes = gz ? a->gz_len : a->plain_len;
    return MHD_queue_response(conn, (unsigned)a->status, gz ? a->gz : a->plain);
}

enum MHD_Result answer_queue_options(struct MHD_Connection *conn, unsigned allowed,
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

/* ---- the response cache -------------------------------------------------- */

void answer_cache_open(size_t max_bytes)
{
    if (max_bytes)
        cache_ = cache_new(14, max_bytes, &answer_ops);
}

void answer_cache_close(void)
{
    cache_free(cache_);
    cache_ = NULL;
}

struct answer *answer_cache_get(const struct req *r, bool gz_ok, uint64_t version,
                                struct buf *key)
{
    if (!(r->method & (REQ_GET | REQ_HEAD)) || !cache_)
        return NULL;
    query_normalise(&r->query, key);
    /* The one answer chosen by Accept: CSV for the organisation list. */
    if (query_accept_prefers(r->in_accept, "text/csv", "application/json"))
        buf_puts(key, "\naccept=csv");
    struct answer *a = cache_get_latest(cache_, key->data, key->len, version);
    metrics_cache(a != NULL);
    if (a && gz_ok && !a->gz_tried) {
        /* Cached for an identity client; this one takes gzip: remake. */
        unref(a);
        a = NULL;
    }
    return a;
}

void answer_cache_put(const struct req *r, struct answer *a, const struct buf *key,
                      uint64_t version)
{
    /* Errors are cheap to make again and a way to fill the cache with junk
     * (7,000 unknown paths did): only answers below 400 are kept, and only
     * once asked for a second time. */
    if (key->len && r->cacheable && r->status < 400 && cache_admit(cache_, key->data, key->len))
        cache_put(cache_, key->data, key->len, version, a, key->len + a->bytes);
}
