/* term.h: an audience or a topic as a record: its JSON (built from the
 * index, which holds committed data only) and the one check of a term
 * document. */
#ifndef SIGNPOST_TERM_H
#define SIGNPOST_TERM_H

#include "lib/buf.h"
#include "records/record.h"

/* Writes audience a (topic t) of ix as GET /api/v1/audiences/{slug}
 * (/topics/{slug}) shows it. */
void term_audience_body(struct buf *out, const struct store_index *ix, int a);
void term_topic_body(struct buf *out, const struct store_index *ix, int t);

/* A term as written. Strings point into the document. */
struct term_in {
    const char *slug, *label, *description;
    const char *parent, *guidance_md;   /* topics only */
    int64_t position;                   /* STORE_KEEP when not given */
    char **search_terms;                /* topics; NULL: leave them */
};

/* Checks an audience (topic false) or topic document; id is the term's own
 * (NULL for a new one), so a topic cannot be put below itself. True when p
 * got no problems. */
bool term_input(json_t *doc, const struct store_index *ix, bool topic, const char *id,
                struct problems *p, struct term_in *in);
void term_input_reset(struct term_in *in);

#endif
