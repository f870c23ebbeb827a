/* org.h: an organisation as a record: its JSON (the public view, whose hash
 * is its ETag, and the stored view, which revisions keep and merges start
 * from) and the one check of an organisation document that the write API,
 * import and the console share. */
#ifndef SIGNPOST_ORG_H
#define SIGNPOST_ORG_H

#include "lib/buf.h"
#include "records/record.h"

/* Writes d as GET /api/v1/organisations/{slug} shows it (RECORD_PUBLIC),
 * or the same shape with every value as stored (RECORD_STORED). */
void org_body(struct buf *out, const struct store_org_detail *d, enum record_view view);

/* Checks an organisation document (read-only members are ignored) and
 * fills *in with pointers into doc, which must outlive it. stored (or NULL)
 * is the record as stored: a value the write leaves as it was is not
 * checked against today's format rules again. Every problem is added to p
 * with its JSON pointer under prefix. Returns true when there were none.
 * Free the lists in *in with org_input_reset. */
bool org_input(json_t *doc, json_t *stored, const struct store_index *ix,
               struct problems *p, const char *prefix, struct store_org_in *in);
void org_input_reset(struct store_org_in *in);

#endif
