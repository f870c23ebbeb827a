/* deadline.c: the header deadline that libmicrohttpd 0.9.75 lacks. Every
 * open connection is tracked from the moment it is accepted; a sweeper
 * thread shuts the socket of any connection whose request headers (or body,
 * or next request) are not in by its deadline, since the idle timeout alone
 * resets on every byte a slow client trickles. */
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
    _Atomic uint64_t deadline_ns;   /* 0: a request is being handled */
};

static struct track tracks = {&tracks, &tracks, -1, 0};
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
    if (t)
        atomic_store(&t->deadline_ns, at_ns);
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
