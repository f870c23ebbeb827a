/* limit.h: counts per key within a time window, for rate limits (failed
 * sign-ins, public reports). An open-addressing table that stores and
 * compares the whole key, so a key landing on another's slot never resets
 * its count (a direct-mapped table did: two addresses taking turns were
 * never limited). A key sits in one of LIMIT_PROBE slots from its hash,
 * seeded at random per process so nobody can aim keys at another's slots;
 * a new key takes a free or expired slot there, and only when all of them
 * are live the one whose window began first. Memory is the caller's array:
 * bounded. Thread-safe. */
#ifndef SIGNPOST_LIMIT_H
#define SIGNPOST_LIMIT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LIMIT_KEY 72   /* longest key kept, with its NUL */
#define LIMIT_PROBE 32

struct limit_entry {
    char key[LIMIT_KEY]; /* "" when free */
    unsigned count;
    uint64_t start;      /* monotonic second the window began */
};

struct limit {
    struct limit_entry *slots; /* a power of two of them */
    size_t n_slots;
    unsigned window;           /* seconds */
    uint64_t seed;
    pthread_mutex_t lock;
};

/* A table over a static array of entries (its length a power of two). */
#define LIMIT_INIT(array, window_seconds) \
    {(array), sizeof(array) / sizeof *(array), (window_seconds), 0, PTHREAD_MUTEX_INITIALIZER}

/* Key's count in its window (0 when it has none); *left, when not NULL,
 * gets the seconds its window has still to run. */
unsigned limit_count(struct limit *l, const char *key, long *left);
/* Adds one to key's count, a new window if it has none. */
void limit_add(struct limit *l, const char *key);
/* Adds one to key's count unless it has reached max: false then. */
bool limit_take(struct limit *l, const char *key, unsigned max);
/* Forgets every count. */
void limit_clear(struct limit *l);

#endif
