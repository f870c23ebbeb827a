/* resource.h: a resource (a helpline, reporting tool, guide...) as a
 * record: its JSON views and the one check of a resource document. */
#ifndef SIGNPOST_RESOURCE_H
#define SIGNPOST_RESOURCE_H

#include "lib/buf.h"
#include "records/record.h"

/* Writes a resource row (store_resource_get) as GET /api/v1/resources/{slug}
 * shows it (RECORD_PUBLIC) or with every value as stored (RECORD_STORED). */
void resource_body(struct buf *out, json_t *row, enum record_view view);

/* Checks a resource document (read-only members are ignored) and fills *in
 * (id, position and the import-only times are the caller's) with pointers
 * into doc; stored (or NULL) as in org_input. Problems go to p under prefix. True when there were none. Free
 * with resource_input_reset. */
bool resource_input(json_t *doc, json_t *stored, const struct store_index *ix,
                    struct problems *p, const char *prefix, struct store_resource_in *in);
void resource_input_reset(struct store_resource_in *in);

#endif
