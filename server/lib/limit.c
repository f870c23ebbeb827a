/* limit.c: see limit.h. */
#include "lib/limit.h"
#include "lib/util.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static uint64_t now_s(void)
{
    return util_now_ns() / 1000000000u;
}

static bool live(const struct limit *l, const struct limit_entry *e, uint64_t now)
{
    return e->key[0] && now - e->start < l->window;
}

/* The live entry of key, or NULL; with claim, a fresh one if it has none
 * (never NULL then). Call with l->lock held. */
static struct limit_entry *entry_for(struct limit *l, const char *key, uint64_t now, bool claim)
{
    while (!l->seed && getrandom(&l->seed, sizeof l->seed, 0) != (ssize_t)sizeof l->seed)
        l->seed = util_now_ns() | 1; /* no randomness: still a working table */
    size_t mask = l->n_slots - 1;
    size_t home = (size_t)util_hash(l->seed, key, strlen(key)) & mask;
    struct limit_entry *spare = NULL;
    for (size_t i = 0; i < LIMIT_PROBE && i < l->n_slots; i++) {
        struct limit_entry *e = &l->slots[(home + i) & mask];
        bool is_live = live(l, e, now);
        if (is_live && strcmp(e->key, key) == 0)
            return e;
        if (!spare || (!is_live && live(l, spare, now)) ||
            (is_live && live(l, spare, now) && e->start < spare->start))
            spare = e;
    }
    if (!claim)
        return NULL;
    snprintf(spare->key, sizeof spare->key, "%s", key);
    spare->count = 0;
    spare->start = now;
    return spare;
}

unsigned limit_count(struct limit *l, const char *key, long *left)
{
    uint64_t now = now_s();
    pthread_mutex_lock(&l->lock);
    const struct limit_entry *e = entry_for(l, key, now, false);
    unsigned n = e ? e->count : 0;
    if (left)
        *left = e ? (long)l->window - (long)(now - e->start) : 0;
    pthread_mutex_unlock(&l->lock);
    return n;
}

void limit_add(struct limit *l, const char *key)
{
    uint64_t now = now_s();
    pthread_mutex_lock(&l->lock);
    entry_for(l, key, now, true)->count++;
    pthread_mutex_unlock(&l->lock);
}

bool limit_take(struct limit *l, const char *key, unsigned max)
{
    uint64_t now = now_s();
    pthread_mutex_lock(&l->lock);
    struct limit_entry *e = entry_for(l, key, now, true);
    bool ok = e->count < max;
    if (ok)
        e->count++;
    pthread_mutex_unlock(&l->lock);
    return ok;
}

void limit_clear(struct limit *l)
{
    pthread_mutex_lock(&l->lock);
    memset(l->slots, 0, l->n_slots * sizeof *l->slots);
    pthread_mutex_unlock(&l->lock);
}
