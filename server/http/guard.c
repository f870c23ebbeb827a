/* guard.c: the request framing guard. libmicrohttpd 0.9.75 reads request
 * heads leniently and hides what it read: a space before a header's colon
 * makes another header ("Content-Length " is not Content-Length), an
 * obs-fold is glued onto the name, a NUL ends the target or a value
 * early, a bare LF ends a line, an unknown Transfer-Encoding makes it wait
 * for a body that never ends. A proxy in front may read any of those the
 * other way, which is how requests are smuggled. It offers no hook for the
 * raw head, so the guard reads the bytes before it does: this file defines
 * recv(), which is what libmicrohttpd calls to read a socket (the
 * executable's definition interposes on the C library's for the shared
 * library too), passes each call on to the C library's, and feeds what
 * arrived to lib/frame.c, which knows where every request of the
 * connection starts and ends. Sockets libmicrohttpd has not told us about
 * (guard_open) pass untouched.
 *
 * On a fault, the whole requests before it are handed over and served;
 * the request with the fault gets a 400 problem+json from here, and the
 * connection is closed (the access log does not see it; /metrics counts
 * it as a 400 of route "-"). libmicrohttpd reads only when it waits for a
 * request, never while it sends an answer, so the 400 never lands inside
 * another answer.
 *
 * The connection limit (deadline.c) uses the same two levers: a connection
 * accepted when every slot is busy gets a 503 from here, and a connection
 * shut to make room is dropped (guard_drop) so that libmicrohttpd reads
 * nothing more from it. */
#include "http/http_int.h"
#include "http/metrics.h"
#include "lib/buf.h"
#include "lib/frame.h"
#include "lib/request.h"
#include "views/problem.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

struct guard {
    bool on;
    bool refuse; /* a fault after whole requests: refuse at the next read */
    _Atomic bool drop; /* every read fails: set from any thread (guard_drop) */
    struct frame frame;
};

/* By descriptor; descriptors past the table (more open files than it was
 * made for) pass unguarded, and say so once. */
static struct guard *guards;
static size_t n_guards;
static ssize_t (*libc_recv)(int, void *, size_t, int);
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;

#define GUARDS_MAX 65536
/* Seconds a client turned away at the connection limit is asked to wait:
 * busy slots clear in milliseconds, or slow clients' by the header
 * deadline (5 s by default). */
#define GUARD_RETRY_AFTER "5"

static void guard_init(void)
{
    libc_recv = (ssize_t(*)(int, void *, size_t, int))dlsym(RTLD_NEXT, "recv");
    if (!libc_recv) {
        fprintf(stderr, "signpost: cannot find the C library's recv(): %s\n", dlerror());
        abort();
    }
    struct rlimit rl;
    size_t n = 4096;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > n)
        n = (size_t)rl.rlim_cur;
    if (n > GUARDS_MAX)
        n = GUARDS_MAX;
    guards = calloc(n, sizeof *guards);
    n_guards = guards ? n : 0;
}

void guard_start(void)
{
    pthread_once(&guard_once, guard_init);
}

void guard_open(int fd)
{
    guard_start();
    if (fd < 0)
        return;
    if ((size_t)fd >= n_guards) {
        static bool said;
        if (!said)
            fprintf(stderr, "signpost: descriptor %d is past the framing guard's table of %zu: "
                            "raise it (GUARDS_MAX) or lower the connection limit\n",
                    fd, n_guards);
        said = true;
        return;
    }
    struct guard *g = &guards[fd];
    g->refuse = false;
    atomic_store(&g->drop, false);
    frame_init(&g->frame);
    g->on = true;
}

void guard_close(int fd)
{
    if (fd >= 0 && (size_t)fd < n_guards) {
        guards[fd].on = false;
        atomic_store(&guards[fd].drop, false);
    }
}

void guard_drop(int fd)
{
    if (fd >= 0 && (size_t)fd < n_guards)
        atomic_store(&guards[fd].drop, true);
}

/* Ends a connection with one problem+json answer written straight to the
 * socket: the answer (extra: more header lines, each ending in CRLF), then
 * the end of our side, then what the client already sent read and dropped
 * (so that closing does not reset the connection under the answer). */
static void answer_and_end(int fd, int status, const char *extra, const char *detail)
{
    struct req r;
    memset(&r, 0, sizeof r);
    problem_reply(&r, status, detail); /* the one problem+json writer */
    struct buf out = BUF_INIT;
    buf_printf(&out,
               "HTTP/1.1 %d %s\r\nContent-Type: application/problem+json\r\n"
               "Content-Length: %zu\r\nCache-Control: no-store\r\nConnection: close\r\n"
               "%sX-Content-Type-Options: nosniff\r\n\r\n",
               status, problem_status_title(status), r.body.len, extra);
    buf_append(&out, r.body.data, r.body.len);
    req_reset(&r);
    (void)send(fd, out.data, out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
    buf_reset(&out);
    shutdown(fd, SHUT_WR);
    char drop[4096];
    for (int k = 0; k < 64 && libc_recv(fd, drop, sizeof drop, MSG_DONTWAIT) > 0; k++)
        ;
    metrics_request("-", status, 0);
}

/* Answers the request with the fault and ends the connection;
 * libmicrohttpd is told the connection was reset. */
static ssize_t refuse(int fd, struct guard *g)
{
    answer_and_end(fd, 400, "",
                   g->frame.error ? g->frame.error : "The request is malformed.");
    g->on = false;
    errno = ECONNRESET;
    return -1;
}

void guard_refuse_full(int fd)
{
    pthread_once(&guard_once, guard_init);
    answer_and_end(fd, 503, "Retry-After: " GUARD_RETRY_AFTER "\r\n",
                   "Every connection this server takes at once is busy with a request. "
                   "Try again in a few seconds.");
    /* libmicrohttpd has not read from it yet: its first read fails, and
     * reading is shut so that the socket turns readable for that read. A
     * descriptor past the table is not guarded, but its first read then
     * ends the connection too (end of file, or the rest dropped by the
     * client's reset). */
    guard_drop(fd);
    shutdown(fd, SHUT_RD);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
    pthread_once(&guard_once, guard_init);
    struct guard *g = fd >= 0 && (size_t)fd < n_guards ? &guards[fd] : NULL;
    if (g && atomic_load(&g->drop)) {
        /* What the client sent meanwhile is read and dropped, so that
         * closing does not reset the connection under an answer. */
        char drop[4096];
        for (int k = 0; k < 64 && libc_recv(fd, drop, sizeof drop, MSG_DONTWAIT) > 0; k++)
            ;
        errno = ECONNRESET;
        return -1;
    }
    if (!g || !g->on || (flags & MSG_PEEK))
        return libc_recv(fd, buf, len, flags);
    if (g->refuse)
        return refuse(fd, g);
    ssize_t got = libc_recv(fd, buf, len, flags);
    if (got <= 0)
        return got;
    size_t good;
    if (frame_feed(&g->frame, buf, (size_t)got, &good))
        return got;
    if (good) {
        /* The whole requests before the fault are served first. Reading is
         * shut so that the socket turns readable, and the next read, once
         * they are answered, is the refusal. */
        g->refuse = true;
        shutdown(fd, SHUT_RD);
        return (ssize_t)good;
    }
    return refuse(fd, g);
}
