/* cache.h: a bounded, thread-safe response cache.
 *
 * Keys are byte strings (the normalised request); every entry also carries
 * the data version it was made at, and a lookup at another version misses,
 * so a write is seen at once. The cache remembers the latest version it
 * was asked at (cache_get_latest), so that answers made at any other one
 * are dropped once, not kept until their slots are reused. Values are opaque and reference-counted by
 * the caller's callbacks: cache_get hands out a new reference, and an
 * evicted value is released, never freed under a reader. Slots are direct-
 * mapped, with a size bound in bytes and no LRU bookkeeping on the hot path
 * (a hit counts itself in the slot it has locked anyway). When the bytes
 * are spent, a CLOCK hand makes room: it halves each entry's count of hits
 * as it passes and evicts those at nothing; and a new key takes the slot of
 * another key in use only once that one's count has run down. cache_admit keeps keys
 * asked for only once out altogether, so a flood of one-off requests can
 * neither fill the cache nor push out what people keep asking for. */
#ifndef SIGNPOST_CACHE_H
#define SIGNPOST_CACHE_H

#include <stdbool.h>
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
 * slot's previous entry unless that is another key in use (which keeps it,
 * one hit the poorer), after making room by the CLOCK hand. Does nothing when
 * value alone would take more than an eighth of the bound, or when the
 * hand found no room within its steps. */
void cache_put(struct cache *c, const char *key, size_t key_len, uint64_t version,
               void *value, size_t bytes);

/* The doorkeeper: true when key has been offered before (recently), so
 * that it is worth a place; false the first time, remembering it. Keys are
 * remembered as two bits of a 128 KiB table, forgotten all together after
 * 131,072 new ones. */
bool cache_admit(struct cache *c, const char *key, size_t key_len);

/* Drops every entry made at a version other than version. */
void cache_drop_stale(struct cache *c, uint64_t version);

struct cache_stats {
    uint64_t hits, misses, entries, bytes;
};
void cache_stats(struct cache *c, struct cache_stats *out);

#endif
