/* http.c: see http.h. The daemon and the access handler. A request goes:
 *   on_uri (the raw target kept, the context made) -> on_request (first
 *   call: framing and size checks; later calls: the body) -> respond:
 *   decode the target, try the cache, route, run the handler, make the
 *   answer, cache it, queue it -> on_completed (the context freed).
 * deadline.c keeps slow clients to their deadlines, answer.c makes and
 * caches the responses, log.c writes the access log. */
#include "http/http_int.h"
#include "http/router.h"
#include "http/metrics.h"
#include "site/page.h"
#include "store/store.h"
#include "lib/util.h"
#include "views/problem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

struct http_config http_conf;

static struct MHD_Daemon *daemon_;
static _Atomic long active_requests;

size_t http_conn_memory(const struct http_config *c)
{
    if (c->conn_memory)
        return c->conn_memory;
    /* A request head holds the target twice while libmicrohttpd parses it
     * (the line and the decoded copy), and headers besides: below that, a
     * long target would reset the connection without an answer. */
    size_t need = 2 * c->max_target + 16 * 1024;
    return need > 32 * 1024 ? need : 32 * 1024;
}

void http_config_defaults(struct http_config *c)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    c->bind = "127.0.0.1";
    c->port = 8080;
    c->threads = cpus > 0 ? (unsigned)cpus : 2;
    c->max_connections = 1000;
    /* A sixteenth of the connections, so that no fewer than sixteen
     * addresses can hold every slot (main.c keeps to the same share of
     * another --max-connections). */
    c->max_per_ip = c->max_connections / 16;
    c->idle_timeout = 30;
    c->max_body = 256 * 1024;
    c->max_target = 8 * 1024;
    c->conn_memory = 0; /* enough for max_target (http_conn_memory) */
    c->cache_bytes = 64 * 1024 * 1024;
    c->header_timeout = 5;
    c->body_timeout = 15;
    c->access_log = true;
    c->log_ip = false;
    c->log_query = false;
    c->trust_proxy = false;
}

/* ---- the request path ---------------------------------------------------- */

/* The JSON API and the Open Referral feed (and their CORS) live under /api/
 * and /openreferral/; everything else is the site, whose errors are pages. */
bool http_is_api(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 ||
           strncmp(path, "/openreferral/", 14) == 0 || strcmp(path, "/openreferral") == 0;
}

/* The same judged on the raw target, for when it cannot be decoded. */
static bool raw_is_api(const char *target)
{
    return strncmp(target, "/api/", 5) == 0 || strncmp(target, "/openreferral/", 14) == 0;
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
        else if (http_is_api(r->query.path))
            problem_reply(r, 404, "There is nothing at this address. The API starts at "
                                "/api/v1.");
        else
            page_error(r, 404, NULL);
        break;
    case ROUTER_BAD_METHOD: {
        struct buf allow = BUF_INIT, msg = BUF_INIT;
        router_allow_header(*allowed, &allow);
        buf_printf(&msg, "This address answers %s only.", allow.data);
        if (http_is_api(r->query.path))
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

/* The client's address, as a plain string in r->client. Behind a proxy we
 * trust, it is the last address the proxy added to X-Forwarded-For (earlier
 * entries are whatever the client claimed). */
static void fill_client(struct MHD_Connection *conn, struct req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
                  r->client, sizeof r->client);
    else if (ci && ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
                  r->client, sizeof r->client);
    const char *xff = http_conf.trust_proxy
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

/* Hands a handler the rest of what it may need of the request, as plain
 * strings (Accept is in already: the cache key needs it). */
static void fill_inputs(struct MHD_Connection *conn, struct http_ctx *ctx, struct req *r)
{
    if (ctx->body.len) {
        r->in_body = ctx->body.data;
        r->in_body_len = ctx->body.len;
    }
    r->in_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                             MHD_HTTP_HEADER_CONTENT_TYPE);
    r->in_if_match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_IF_MATCH);
    r->in_auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                             MHD_HTTP_HEADER_AUTHORIZATION);
    r->in_origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ORIGIN);
    r->in_fetch_site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
    r->in_host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    r->in_cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
    fill_client(conn, r);
}

/* The access handler proper, once the whole request is in (or has been
 * refused): one answer queued, logged and counted. */
static enum MHD_Result respond(struct MHD_Connection *conn, struct http_ctx *ctx,
                               const char *method)
{
    struct req r;
    memset(&r, 0, sizeof r);
    r.method = method_of(method);
    bool gz_ok = answer_accepts_gzip(conn);
    enum MHD_Result ret = MHD_NO;
    struct buf key = BUF_INIT;
    struct answer *a = NULL;
    uint64_t version = store_data_version();
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
                                      http_conf.max_target);
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

    r.in_accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    a = answer_cache_get(&r, gz_ok, version, &key);
    if (a) {
        hit = true;
        if (http_conf.log_ip)
            fill_client(conn, &r);
        goto send;
    }
    fill_inputs(conn, ctx, &r);

    unsigned allowed = 0;
    if (r.method == REQ_OPTIONS) {
        router_handler h;
        enum router_result rr = router_match(&r, &h, &allowed);
        if (rr == ROUTER_BAD_METHOD) {
            ret = answer_queue_options(conn, allowed, http_is_api(r.query.path));
            goto out;
        }
        dispatch(&r, &allowed); /* 404 */
    } else {
        dispatch(&r, &allowed);
    }
make:
    a = answer_new(&r, gz_ok);
    if (!a)
        goto out;
    answer_cache_put(&r, a, &key, version);
send:;
    struct answer_sent sent;
    ret = answer_queue(conn, a, gz_ok, &sent);
    if (ret == MHD_YES) {
        log_request(ctx, method, &sent, hit, r.client);
        metrics_request(sent.route, sent.status, util_now_ns() - ctx->start_ns);
    }
out:
    if (a)
        answer_unref(a);
    buf_reset(&key);
    req_reset(&r);
    return ret;
}

/* ---- libmicrohttpd's callbacks ------------------------------------------- */

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

/* A connection opens or closes: the framing guard, the header deadline and
 * the connection limit follow it. The guard first, since the limit may
 * answer a newcomer through it. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    int fd = ci ? ci->connect_fd : -1;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        guard_open(fd);
    deadline_on_connection(cls, conn, socket_context, code);
    if (code == MHD_CONNECTION_NOTIFY_CLOSED)
        guard_close(fd);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    struct http_ctx *ctx = xcalloc(1, sizeof *ctx);
    ctx->start_ns = util_now_ns();
    deadline_set(conn, ctx->start_ns + http_conf.header_timeout * 1000000000ULL);
    atomic_fetch_add(&active_requests, 1);
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
    struct http_ctx *ctx = *con_cls;
    if (!ctx) /* no uri_log call happened: cannot be, but be safe */
        *con_cls = ctx = on_uri(NULL, url, conn);
    if (!ctx->started) {
        ctx->started = true;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        /* Headers are in. A body must arrive within its own deadline, or a
         * client trickling one byte at a time would hold the slot. */
        bool has_body = cl || MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                          MHD_HTTP_HEADER_TRANSFER_ENCODING);
        deadline_set(conn, has_body ? util_now_ns() + http_conf.body_timeout * 1000000000ULL
                                    : 0);
        if (ambiguous_framing(conn)) {
            ctx->bad_framing = true;
            return respond(conn, ctx, method);
        }
        /* Too large: answer before reading any of it. libmicrohttpd takes a
         * response only now or once the body is in, and closes the
         * connection after this one, which is what we want. */
        if (cl && strtoull(cl, NULL, 10) > http_conf.max_body) {
            ctx->body_too_large = true;
            return respond(conn, ctx, method);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* Past the limit (a chunked body), the rest is read and dropped,
         * and the answer is a 413 once it has all arrived. */
        if (ctx->body_too_large || ctx->body.len + *upload_data_size > http_conf.max_body) {
            ctx->body_too_large = true;
            buf_reset(&ctx->body);
        } else {
            buf_append(&ctx->body, upload_data, *upload_data_size);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    deadline_set(conn, 0); /* the whole request is in */
    return respond(conn, ctx, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    struct http_ctx *ctx = *con_cls;
    if (!ctx)
        return;
    atomic_fetch_sub(&active_requests, 1);
    /* Between requests a keep-alive connection may idle, but not for ever
     * while trickling the next request: idle timeout plus the deadline. It
     * is the first to go when the server is full. */
    deadline_idle(conn, util_now_ns() +
                            (http_conf.idle_timeout + http_conf.header_timeout) * 1000000000ULL);
    free(ctx->target);
    buf_reset(&ctx->body);
    free(ctx);
    *con_cls = NULL;
}

/* ---- the daemon ---------------------------------------------------------- */

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("signpost: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

static int listen_fd = -1;

/* Fills *ss with c's address and port. Returns the address's length, or 0
 * after printing why c->bind is not an address. */
static socklen_t bind_address(const struct http_config *c, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, c->bind, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)c->port);
        return sizeof *v4;
    }
    if (inet_pton(AF_INET6, c->bind, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)c->port);
        return sizeof *v6;
    }
    fprintf(stderr, "signpost: --bind %s is not an IPv4 or IPv6 address\n", c->bind);
    return 0;
}

int http_bind(const struct http_config *c, unsigned *port)
{
    struct sockaddr_storage ss;
    socklen_t len = bind_address(c, &ss);
    if (!len)
        return -1;
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
    *port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                          : ((struct sockaddr_in6 *)&ss)->sin6_port);
    listen_fd = fd;
    return 0;
}

int http_start(const struct http_config *c, unsigned *port)
{
    http_conf = *c;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_USE_TURBO | MHD_USE_ITC;
    if (listen_fd < 0 && http_bind(c, port) != 0)
        return -1;
    struct sockaddr_storage ss;
    if (!bind_address(c, &ss))
        return -1;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    answer_cache_open(c->cache_bytes);
    guard_start();
    /* libmicrohttpd stops accepting at its limit, leaving newcomers to hang
     * in the backlog: it is given room above ours, and deadline.c keeps
     * ours, making room or answering 503 at once. */
    unsigned headroom = DEADLINE_HEADROOM_PER_THREAD * c->threads;
    if (headroom < DEADLINE_HEADROOM_MIN)
        headroom = DEADLINE_HEADROOM_MIN;
    daemon_ = MHD_start_daemon(
        flags, (uint16_t)c->port, NULL, NULL, on_request, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, listen_fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)c->threads,
        MHD_OPTION_CONNECTION_LIMIT, c->max_connections + headroom,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)c->max_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)c->idle_timeout,
        /* Enough for the longest target and headers; libmicrohttpd clears
         * this much per connection, so not more. */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, http_conn_memory(c),
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_END);
    if (!daemon_) {
        fprintf(stderr, "signpost: cannot serve on %s port %u\n", c->bind, c->port);
        close(listen_fd);
        listen_fd = -1;
        answer_cache_close();
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_,
                                                           MHD_DAEMON_INFO_BIND_PORT);
    *port = info ? info->port : c->port;
    deadline_start();
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
    deadline_stop();
    if (daemon_)
        MHD_stop_daemon(daemon_);
    daemon_ = NULL;
    answer_cache_close();
}
