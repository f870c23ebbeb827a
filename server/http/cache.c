/* cache.c: see cache.h. Direct-mapped slots, each with its lock (one of
 * LOCKS), a CLOCK hand for eviction and a doorkeeper for admission. */
#include "http/cache.h"
#include "lib/util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define LOCKS 64
#define CLOCK_STEPS 64         /* slots the hand may pass for one put */
#define FREQ_MAX 15
#define DOOR_BITS 20           /* the doorkeeper: 2^20 bits, 128 KiB */
#define DOOR_WORDS (((size_t)1 << DOOR_BITS) / 64)
#define DOOR_AGE (((size_t)1 << DOOR_BITS) / 8) /* sightings before it forgets */

struct entry {
    uint64_t hash, version;
    char *key;
    size_t key_len, bytes;
    void *value;
    uint8_t freq;              /* hits, halved each time the hand passes */
};

struct cache {
    struct entry *slots;
    size_t mask;
    size_t max_bytes;
    const struct cache_ops *ops;
    pthread_mutex_t locks[LOCKS];
    _Atomic size_t bytes;
    _Atomic uint64_t hits, misses, entries;
    _Atomic uint64_t latest;     /* the last version cache_get_latest saw */
    _Atomic size_t hand;         /* the CLOCK hand, a slot index */
    _Atomic uint64_t door[DOOR_WORDS]; /* keys seen once, two bits each */
    _Atomic size_t door_seen;    /* keys noted since it last forgot */
};

struct cache *cache_new(unsigned slot_bits, size_t max_bytes, const struct cache_ops *ops)
{
    struct cache *c = xcalloc(1, sizeof *c);
    c->slots = xcalloc((size_t)1 << slot_bits, sizeof *c->slots);
    c->mask = ((size_t)1 << slot_bits) - 1;
    c->max_bytes = max_bytes;
    c->ops = ops;
    for (int i = 0; i < LOCKS; i++)
        pthread_mutex_init(&c->locks[i], NULL);
    return c;
}

/* Empties slot e; the caller holds its lock. */
static void evict(struct cache *c, struct entry *e)
{
    if (!e->value)
        return;
    c->ops->unref(e->value);
    atomic_fetch_sub(&c->bytes, e->bytes);
    atomic_fetch_sub(&c->entries, 1);
    free(e->key);
    memset(e, 0, sizeof *e);
}

void cache_free(struct cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i <= c->mask; i++)
        evict(c, &c->slots[i]);
    for (int i = 0; i < LOCKS; i++)
        pthread_mutex_destroy(&c->locks[i]);
    free(c->slots);
    free(c);
}

void *cache_get(struct cache *c, const char *key, size_t key_len, uint64_t version)
{
    uint64_t h = util_hash(UTIL_FNV_INIT, key, key_len);
    size_t i = h & c->mask;
    pthread_mutex_t *lock = &c->locks[i % LOCKS];
    void *v = NULL;
    pthread_mutex_lock(lock);
    struct entry *e = &c->slots[i];
    if (e->value && e->hash == h && e->version == version && e->key_len == key_len &&
        memcmp(e->key, key, key_len) == 0) {
        v = e->value;
        c->ops->ref(v);
        if (e->freq < FREQ_MAX)
            e->freq++;
    }
    pthread_mutex_unlock(lock);
    atomic_fetch_add_explicit(v ? &c->hits : &c->misses, 1, memory_order_relaxed);
    return v;
}

void *cache_get_latest(struct cache *c, const char *key, size_t key_len, uint64_t version)
{
    /* Only the caller that moves the version on sweeps; the others look up
     * at once, and miss every stale entry by its version meanwhile. */
    if (atomic_load_explicit(&c->latest, memory_order_relaxed) != version &&
        atomic_exchange(&c->latest, version) != version)
        cache_drop_stale(c, version);
    return cache_get(c, key, key_len, version);
}

/* Makes room for bytes more: the hand passes slots, halving each entry's
 * count of hits and evicting those at nothing (asked for not once since
 * they were halved to it), until the bytes fit or CLOCK_STEPS slots are
 * passed: what people keep asking for survives many passes, a one-off
 * none. Never holds more than one slot's lock. */
static void make_room(struct cache *c, size_t bytes)
{
    for (int step = 0; step < CLOCK_STEPS && atomic_load(&c->bytes) + bytes > c->max_bytes;
         step++) {
        size_t j = atomic_fetch_add(&c->hand, 1) & c->mask;
        pthread_mutex_t *lock = &c->locks[j % LOCKS];
        pthread_mutex_lock(lock);
        struct entry *e = &c->slots[j];
        if (e->value) {
            if (e->freq)
                e->freq >>= 1;
            else
                evict(c, e);
        }
        pthread_mutex_unlock(lock);
    }
}

void cache_put(struct cache *c, const char *key, size_t key_len, uint64_t version,
               void *value, size_t bytes)
{
    if (bytes > c->max_bytes / 8)
        return; /* one huge answer must not empty the cache */
    make_room(c, bytes);
    uint64_t h = util_hash(UTIL_FNV_INIT, key, key_len);
    size_t i = h & c->mask;
    pthread_mutex_t *lock = &c->locks[i % LOCKS];
    pthread_mutex_lock(lock);
    struct entry *e = &c->slots[i];
    bool same = e->value && e->hash == h && e->key_len == key_len &&
                memcmp(e->key, key, key_len) == 0;
    if (e->value && !same && e->freq && e->version == version) {
        /* Another key lives here and is in use: it keeps its slot, one hit
         * the poorer, so that a newcomer asked for as often wins in the end
         * and keys aimed at a popular page's slot do not. */
        e->freq--;
        pthread_mutex_unlock(lock);
        return;
    }
    size_t freed = e->value ? e->bytes : 0;
    /* Reserve the change with one compare-and-swap, so that puts into other
     * slots at the same moment cannot together pass the bound. */
    size_t cur = atomic_load(&c->bytes);
    bool fits = false;
    while (cur - freed + bytes <= c->max_bytes) {
        if (atomic_compare_exchange_weak(&c->bytes, &cur, cur - freed + bytes)) {
            fits = true;
            break;
        }
    }
    if (fits) {
        /* the bytes are accounted already: drop the old entry without them */
        if (e->value) {
            c->ops->unref(e->value);
            atomic_fetch_sub(&c->entries, 1);
            free(e->key);
            memset(e, 0, sizeof *e);
        }
        c->ops->ref(value);
        e->hash = h;
        e->version = version;
        e->key = xstrndup(key, key_len);
        e->key_len = key_len;
        e->bytes = bytes;
        e->value = value;
        e->freq = 0;
        atomic_fetch_add(&c->entries, 1);
    }
    pthread_mutex_unlock(lock);
}

bool cache_admit(struct cache *c, const char *key, size_t key_len)
{
    uint64_t h = util_hash(UTIL_FNV_INIT ^ 0x5bd1e995u, key, key_len);
    size_t a = (size_t)h & (((size_t)1 << DOOR_BITS) - 1);
    size_t b = (size_t)(h >> 32) & (((size_t)1 << DOOR_BITS) - 1);
    uint64_t ba = 1ULL << (a % 64), bb = 1ULL << (b % 64);
    uint64_t was_a = atomic_fetch_or_explicit(&c->door[a / 64], ba, memory_order_relaxed);
    uint64_t was_b = atomic_fetch_or_explicit(&c->door[b / 64], bb, memory_order_relaxed);
    bool seen = (was_a & ba) && (was_b & bb);
    if (!seen && atomic_fetch_add_explicit(&c->door_seen, 1, memory_order_relaxed) == DOOR_AGE) {
        /* Forget, so that what was asked for once long ago is a stranger
         * again and the bits never all end up set. */
        for (size_t w = 0; w < DOOR_WORDS; w++)
            atomic_store_explicit(&c->door[w], 0, memory_order_relaxed);
        atomic_store(&c->door_seen, 0);
    }
    return seen;
}

void cache_drop_stale(struct cache *c, uint64_t version)
{
    for (size_t i = 0; i <= c->mask; i++) {
        pthread_mutex_t *lock = &c->locks[i % LOCKS];
        pthread_mutex_lock(lock);
        if (c->slots[i].value && c->slots[i].version != version)
            evict(c, &c->slots[i]);
        pthread_mutex_unlock(lock);
    }
}

void cache_stats(struct cache *c, struct cache_stats *out)
{
    out->hits = atomic_load(&c->hits);
    out->misses = atomic_load(&c->misses);
    out->entries = atomic_load(&c->entries);
    out->bytes = atomic_load(&c->bytes);
}
