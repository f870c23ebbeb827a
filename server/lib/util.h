/* util.h: allocation that never returns NULL, and small helpers.
 *
 * Out-of-memory is decided once, here: the x-allocators abort the process
 * with a message rather than return NULL, so no caller checks (cmark's
 * xcalloc, redis's zmalloc). */
#ifndef SIGNPOST_UTIL_H
#define SIGNPOST_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Copy of the NUL-terminated string s (NULL gives NULL). Caller frees. */
char *xstrdup(const char *s);
/* Copy of n bytes of s, NUL-terminated. Caller frees. */
char *xstrndup(const char *s, size_t n);

/* A fast 64-bit hash of n bytes (FNV-1a's step over 8-byte words, then a
 * mix), starting from h (UTIL_FNV_INIT). Not for secrets. */
#define UTIL_FNV_INIT 0xcbf29ce484222325ULL
uint64_t util_hash(uint64_t h, const void *data, size_t n);

/* Monotonic clock in nanoseconds. */
uint64_t util_now_ns(void);

#endif
