/* metrics.h: counters for /metrics, in the Prometheus text format:
 * requests by route and status, a latency histogram, the response cache's
 * hits and misses, database errors, and build information. Recording is
 * lock-free on the hot path. */
#ifndef SIGNPOST_METRICS_H
#define SIGNPOST_METRICS_H

#include <stdint.h>

#include "lib/buf.h"

/* Counts one answered request. route is a static string (a router pattern
 * or "-"); ns is how long it took. */
void metrics_request(const char *route, int status, uint64_t ns);
/* Counts one response-cache lookup. */
void metrics_cache(int hit);
/* Counts one dropped slow client (headers not complete in time). */
void metrics_slow_client(void);

/* Appends every metric in the Prometheus text format. */
void metrics_render(struct buf *out);

#endif
