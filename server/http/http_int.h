/* http_int.h: what the files of the HTTP server share, and nothing outside
 * server/http/ includes. http.c runs the daemon and the access handler;
 * deadline.c enforces the header deadline and the connection limit;
 * answer.c turns a struct req into libmicrohttpd responses and keeps them
 * in the response cache; log.c writes the access log. */
#ifndef SIGNPOST_HTTP_INT_H
#define SIGNPOST_HTTP_INT_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "lib/buf.h"
#include "lib/request.h"

/* The configuration http_start was given; read-only while serving. */
extern struct http_config http_conf;

/* Everything one request owns; made by the URI-log callback, freed in the
 * completed-request callback. */
struct http_ctx {
    uint64_t start_ns;
    char *target;         /* the raw request target, as the client sent it */
    size_t target_len;
    bool started;         /* the access handler's first call has been */
    struct buf body;
    bool body_too_large;
    bool bad_framing;     /* two Content-Lengths, or one with Transfer-Encoding */
};

/* True for the paths of the JSON API and the Open Referral feed, whose
 * errors are problem+json and whose reads any origin may make (CORS). */
bool http_is_api(const char *path);

/* ---- deadline.c: the header deadline and the connection limit ------------
 * libmicrohttpd's idle timeout resets on every byte, so a client that
 * trickles its headers could hold a slot for ever: a sweeper thread shuts
 * the socket of any connection still waiting past its deadline. And
 * libmicrohttpd at its connection limit stops accepting, so newcomers hang
 * in the backlog: it is given more room (DEADLINE_HEADROOM_*) and the limit,
 * http_conf.max_connections, is kept here. */

/* Connections libmicrohttpd may hold beyond http_conf.max_connections:
 * those being turned away or shut to make room, until it has closed them.
 * Its limit is split evenly between the worker threads, so this is per
 * thread. */
#define DEADLINE_HEADROOM_PER_THREAD 16u
#define DEADLINE_HEADROOM_MIN 64u

/* MHD_OPTION_NOTIFY_CONNECTION: tracks each connection from its start, with
 * the header deadline already running, and admits it: past the limit, the
 * connection idle longest between requests is shut to make room, and when
 * none is idle the newcomer is answered 503 and dropped. */
void deadline_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                            enum MHD_ConnectionNotificationCode code);
/* Conn is busy with a request (being read or handled) until at_ns
 * (util_now_ns's clock); 0 lifts its deadline while its request is being
 * handled. A busy connection is never shut to make room. */
void deadline_set(struct MHD_Connection *conn, uint64_t at_ns);
/* Conn is between requests (its answer sent) and may wait for the next one
 * until until_ns; from now it may be shut to make room, longest idle
 * first. */
void deadline_idle(struct MHD_Connection *conn, uint64_t until_ns);
/* Starts and stops the sweeper thread. */
void deadline_start(void);
void deadline_stop(void);

/* ---- guard.c: the request framing guard ---------------------------------
 * Every byte a client sends is read by lib/frame.c before libmicrohttpd
 * parses it (guard.c interposes on recv()); a request whose framing could
 * be read two ways gets a 400 and the connection is closed. */

/* Makes the guard's table (http_start calls it before serving). */
void guard_start(void);
/* Guards the connection on fd from its first byte, and stops. */
void guard_open(int fd);
void guard_close(int fd);
/* Makes every later read libmicrohttpd makes of fd fail as a reset
 * connection would, so that it closes the connection without reading
 * another request. Safe from any thread while fd's connection is open. */
void guard_drop(int fd);
/* Answers the connection on fd, just accepted, with a 503 problem+json
 * (Retry-After, Connection: close), counted in /metrics, and makes
 * libmicrohttpd drop it at its first read. */
void guard_refuse_full(int fd);

/* ---- answer.c: responses, ETag/304, gzip and the response cache --------- */

/* A finished answer: one or two shared response objects, reference-counted,
 * so that every connection served from the cache shares them. */
struct answer;

/* What answer_queue sent, for the access log and the metrics. */
struct answer_sent {
    int status;           /* 304 when If-None-Match matched */
    size_t bytes;         /* body bytes queued */
    const char *route;    /* the router pattern that made it, or "-" (static) */
};

/* True when the client takes gzip: a "gzip" coding (or "*") not given q=0. */
bool answer_accepts_gzip(struct MHD_Connection *conn);

/* Turns the handler's answer in r into response objects (a gzip one too
 * when want_gz and it pays), with the standard headers. Takes r->body.
 * Returns a new reference, or NULL when libmicrohttpd refused. */
struct answer *answer_new(struct req *r, bool want_gz);
void answer_unref(struct answer *a);

/* Queues a, or a 304 for it when If-None-Match names it; fills *sent.
 * gz_ok chooses the gzip variant when there is one. */
enum MHD_Result answer_queue(struct MHD_Connection *conn, const struct answer *a,
                             bool gz_ok, struct answer_sent *sent);

/* Answers OPTIONS for a known path: 204 with the methods it takes, and the
 * CORS preflight headers. */
enum MHD_Result answer_queue_options(struct MHD_Connection *conn, unsigned allowed,
                                     bool cors);

/* Makes the response cache, bounded to max_bytes (0: no cache), and frees it. */
void answer_cache_open(size_t max_bytes);
void answer_cache_close(void);

/* The cached answer to r for a client that takes gzip or not, with a new
 * reference, or NULL. version is the data's version now. When r is one the
 * cache keeps (a GET or HEAD, with the cache on), its key is written to key;
 * otherwise key stays empty. */
struct answer *answer_cache_get(const struct req *r, bool gz_ok, uint64_t version,
                                struct buf *key);

/* Keeps a (taking a new reference) under key, made at version, when key is
 * not empty and r's answer may be kept. */
void answer_cache_put(const struct req *r, struct answer *a, const struct buf *key,
                      uint64_t version);

/* ---- log.c: the access log ---------------------------------------------- */

/* Writes ctx's request as one JSON line on stdout, when the access log is on. */
void log_request(const struct http_ctx *ctx, const char *method,
                 const struct answer_sent *sent, bool hit, const char *client);

#endif
