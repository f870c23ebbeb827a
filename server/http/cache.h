/* cache.h: a bounded, thread-safe response cache.
 *
 * Keys are byte strings (the normalised request); every entry also carries
 * the data version it was made at, and a lookup at another version misses,
 * so a write is seen at once. The cache remembers the latest version it
 * was asked at (cache_get_latest), so that answers made at any other one
 * are dropped once, not kept until their slots are reused. Values are opaque and reference-counted by
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

/* The value stored under key at version, with a new reference, or NULL.
 * Only reads: entries at other versions stay where they are. */
void *cache_get(struct cache *c, const char *key, size_t key_len, uint64_t version);

/* As cache_get, where version is the data's version now (the store owns it;
 * the caller keeps no copy). The first such lookup at a version other than
 * the previous one drops every entry made at another version (as
 * cache_drop_stale), so stale answers give their bytes back to fresh ones;
 * any other lookup costs one atomic load more than cache_get. */
void *cache_get_latest(struct cache *c, const char *key, size_t key_len, uint64_t version);

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
