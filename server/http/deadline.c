/* deadline.c: the header deadline that libmicrohttpd 0.9.75 lacks, and the
 * connection limit it enforces only by ceasing to accept. Every open
 * connection is tracked from the moment it is accepted; a sweeper thread
 * shuts the socket of any connection whose request headers (or body, or
 * next request) are not in by its deadline, since the idle timeout alone
 * resets on every byte a slow client trickles.
 *
 * The limit is ours, not libmicrohttpd's: at its own limit libmicrohttpd
 * stops accepting and newcomers wait unanswered in the backlog, however
 * many of the open connections are idle keep-alives. So libmicrohttpd is
 * given room above --max-connections (http.c) and every connection it
 * accepts is admitted here: past the limit, the connection idle longest
 * between requests is shut to make room; when none is idle, every slot is
 * busy reading or handling a request, and the newcomer gets a 503 at once
 * (guard.c writes it). */
#include "http/http_int.h"
#include "http/metrics.h"
#include "lib/util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* One open connection. */
struct track {
    struct track *prev, *next;
    int fd;
    bool closing;                   /* shut by us, on its way out (tracks_lock) */
    _Atomic uint64_t deadline_ns;   /* 0: a request is being handled */
    _Atomic uint64_t idle_ns;       /* when it went idle between requests;
                                       0: busy (or no request yet) */
};

static struct track tracks = {&tracks, &tracks, -1, false, 0, 0};
/* Under tracks_lock: connections open, and how many of them are closing
 * (they still hold a libmicrohttpd slot, but no longer one of ours). */
static size_t n_open, n_closing;
static pthread_mutex_t tracks_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t sweeper;
static _Atomic bool sweeping;

static struct track *track_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        conn ? MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT) : NULL;
    return ci ? ci->socket_context : NULL;
}

void deadline_set(struct MHD_Connection *conn, uint64_t at_ns)
{
    struct track *t = track_of(conn);
    if (t) {
        atomic_store(&t->idle_ns, 0);
        atomic_store(&t->deadline_ns, at_ns);
    }
}

void deadline_idle(struct MHD_Connection *conn, uint64_t until_ns)
{
    struct track *t = track_of(conn);
    if (t) {
        atomic_store(&t->deadline_ns, until_ns);
        atomic_store(&t->idle_ns, util_now_ns());
    }
}

/* Marks t as closing; the caller holds tracks_lock. Its deadline is lifted,
 * so the sweeper does not count it as a slow client as well. */
static void track_closing(struct track *t)
{
    t->closing = true;
    n_closing++;
    atomic_store(&t->deadline_ns, 0);
}

/* Shuts the connection idle longest, to make room; the caller holds
 * tracks_lock, so its owner cannot close the descriptor meanwhile (CLOSED
 * waits for the lock). libmicrohttpd's next read of it fails (guard_drop),
 * so a request that arrives now is never read: it is not handled unanswered.
 * Returns false when no connection is idle. */
static bool reclaim_idle(void)
{
    struct track *oldest = NULL;
    uint64_t oldest_ns = 0;
    for (struct track *t = tracks.next; t != &tracks; t = t->next) {
        uint64_t since = atomic_load(&t->idle_ns);
        if (since && !t->closing && t->fd >= 0 && (!oldest || since < oldest_ns)) {
            oldest = t;
            oldest_ns = since;
        }
    }
    if (!oldest)
        return false;
    guard_drop(oldest->fd);
    shutdown(oldest->fd, SHUT_RDWR);
    track_closing(oldest);
    return true;
}

void deadline_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                            enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct track *t = xcalloc(1, sizeof *t);
        t->fd = ci ? ci->connect_fd : -1;
        atomic_store(&t->deadline_ns,
                     util_now_ns() + http_conf.header_timeout * 1000000000ULL);
        bool full = false;
        pthread_mutex_lock(&tracks_lock);
        t->next = tracks.next;
        t->prev = &tracks;
        tracks.next->prev = t;
        tracks.next = t;
        n_open++;
        /* Room is made the moment it is needed, and no earlier: an idle
         * keep-alive connection is closed only for a newcomer. */
        while (n_open - n_closing > http_conf.max_connections && reclaim_idle())
            ;
        if (n_open - n_closing > http_conf.max_connections && t->fd >= 0) {
            track_closing(t);
            full = true;
        }
        pthread_mutex_unlock(&tracks_lock);
        *socket_context = t;
        /* Still ours to write to: only this thread closes it, and later. */
        if (full)
            guard_refuse_full(t->fd);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        struct track *t = *socket_context;
        pthread_mutex_lock(&tracks_lock);
        t->prev->next = t->next;
        t->next->prev = t->prev;
        n_open--;
        if (t->closing)
            n_closing--;
        pthread_mutex_unlock(&tracks_lock);
        free(t);
        *socket_context = NULL;
    }
}

/* Drops connections past their deadline. The socket is shut down, not
 * closed: libmicrohttpd sees the end and cleans up as usual, and it cannot
 * close the descriptor meanwhile, since CLOSED waits for the lock. */
static void *sweep(void *arg)
{
    (void)arg;
    while (atomic_load(&sweeping)) {
        usleep(200 * 1000);
        uint64_t now = util_now_ns();
        pthread_mutex_lock(&tracks_lock);
        for (struct track *t = tracks.next; t != &tracks; t = t->next) {
            uint64_t d = atomic_load(&t->deadline_ns);
            if (d && now > d && t->fd >= 0 && !t->closing) {
                shutdown(t->fd, SHUT_RDWR);
                track_closing(t);
                metrics_slow_client();
            }
        }
        pthread_mutex_unlock(&tracks_lock);
    }
    return NULL;
}

void deadline_start(void)
{
    atomic_store(&sweeping, true);
    if (pthread_create(&sweeper, NULL, sweep, NULL) != 0)
        atomic_store(&sweeping, false);
}

void deadline_stop(void)
{
    if (atomic_load(&sweeping)) {
        atomic_store(&sweeping, false);
        pthread_join(sweeper, NULL);
    }
}
