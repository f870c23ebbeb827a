/* cache.h: a bounded, thread-safe response cache.
 *
 * Keys are byte strings (the normalised request); every entry also carries
 * the data version it was made at, and a lookup at another version misses,
 * so a write is seen at once. Values are opaque and reference-counted by
 * the caller's callbacks: cache_get hands out a new reference, and an
 * evicted value is released, never freed under a reader. Slots are direct-
 * mapped (a new entry replaces the one in its slot): no LRU bookkeeping on
 * the hot path, and a size bound in bytes. */
#ifndef SIGNPOST_CACHE_H
#define SIGNPOST_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct cache;

struct cache_ops {
    void (*ref)(void *value);     /* take a reference */
    void (*unref)(void *value);   /* drop one; free at zero */
};

/* A cache of 2^slot_bits slots holding at most max_bytes of values (as
 * their owners count them). Never NULL. */
struct cache *cache_new(unsigned slot_bits, size_t max_bytes, const struct cache_ops *ops);
void cache_free(struct cache *c);

/* The value stored under key at version, with a new reference, or NULL. */
void *cache_get(struct cache *c, const char *key, size_t key_len, uint64_t version);

/* Stores value (taking a new reference) under key at version, replacing the
 * slot's previous entry. Does nothing when value alone would break the
 * byte bound. */
void cache_put(struct cache *c, const char *key, size_t key_len, uint64_t version,
               void *value, size_t bytes);

/* Drops every entry made at a version other than version. */
void cache_drop_stale(struct cache *c, uint64_t version);

struct cache_stats {
    uint64_t hits, misses, entries, bytes;
};
void cache_stats(struct cache *c, struct cache_stats *out);

#endif
