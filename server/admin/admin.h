/* admin.h: the curators' write API. Every write needs a bearer token
 * (auth.h), runs in one BEGIN IMMEDIATE transaction, keeps a revision (who,
 * when, the whole record before and after), bumps the data version and is
 * guarded by If-Match, so two curators never silently overwrite each other.
 * Nothing is deleted: DELETE archives, and archived records come back. */
#ifndef SIGNPOST_ADMIN_H
#define SIGNPOST_ADMIN_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/buf.h"
#include "lib/request.h"
#include "store/store.h"
#include "views/problem.h"

int admin_org_create(struct req *r);           /* POST /api/v1/organisations */
int admin_org_replace(struct req *r);          /* PUT .../{slug} */
int admin_org_patch(struct req *r);            /* PATCH .../{slug} (merge patch) */
int admin_org_archive(struct req *r);          /* DELETE .../{slug} */
int admin_org_unarchive(struct req *r);        /* POST .../{slug}/restore */
int admin_org_review(struct req *r);           /* POST .../{slug}/review */
int admin_org_revisions(struct req *r);        /* GET .../{slug}/revisions */
int admin_org_revision_restore(struct req *r); /* POST .../{slug}/revisions/{n}/restore */
int admin_archived(struct req *r);             /* GET /api/v1/archive/organisations */
int admin_review_queue(struct req *r);         /* GET /api/v1/review-queue */
int admin_reports(struct req *r);              /* GET /api/v1/reports */
int admin_report_close(struct req *r);         /* POST /api/v1/reports/{id}/close */

/* An organisation saved from any surface (the API's PUT and PATCH, the
 * console's form): one validation, one transaction, one revision, guarded
 * by the ETag it was read at. The outcome, for the surface to answer in
 * its own way: */
struct admin_saved {
    int status;                /* 200 (201 made); 404, 409 (slug taken), 412 (changed
                                  since read), 422 (invalid), 428 (no
                                  ETag), 503 */
    struct problems problems;  /* 409 and 422: each problem, by JSON pointer */
    struct buf shown;          /* 200: as published now; 412: as it is now */
    char etag[24];             /* 200 and 412: shown's ETag */
    bool read_only;            /* 503 on a read-only replica */
    const char *detail;        /* when set, the one sentence to answer */
    char slug[128];            /* 200 and 201: the record's slug now */
};
void admin_saved_init(struct admin_saved *s);
void admin_saved_reset(struct admin_saved *s);
/* Replaces organisation slug with doc (patch: merges doc into what is
 * stored), if if_match (an If-Match value) names its current ETag; author
 * goes in the revision. Returns s->status. */
int admin_org_save(const char *slug, json_t *doc, bool patch, const char *if_match,
                   const char *author, struct admin_saved *s);
/* Restores organisation slug (archived too; it comes back) to what
 * revision n kept (before_it: the record as it was before that change), if
 * if_match names its current ETag: checked by today's rules, kept as a
 * "restore" revision by author. Returns s->status. */
int admin_org_restore(const char *slug, long n, bool before_it, const char *if_match,
                      const char *author, struct admin_saved *s);
/* Creates the organisation doc describes (201 with it shown, 409, 422,
 * 503), kept as a "create" revision by author. Returns s->status. */
int admin_org_add(json_t *doc, const char *author, struct admin_saved *s);
/* Archives organisation slug, brings an archived one back, or marks it
 * as checked today by author (which needs no ETag: no content changes).
 * Returns s->status. */
enum admin_org_change { ADMIN_ARCHIVE, ADMIN_UNARCHIVE, ADMIN_REVIEW };
int admin_org_change(const char *slug, enum admin_org_change what, const char *if_match,
                     const char *author, struct admin_saved *s);
/* The organisation slug (archived too) as stored, what a form edits, the
 * ETag a save must name, and (archived not NULL) whether it is archived:
 * 1, 0 when there is none, -1 on error. */
int admin_org_read(const char *slug, json_t **stored, char etag[24], bool *archived);

/* Resources (editors) and audiences and topics (admins), saved from any
 * surface as organisations are: slug NULL creates one (a resource under
 * the organisation org_slug; 404 when there is none); otherwise slug is
 * replaced by doc (patch: merged into it) if if_match names its current
 * ETag. s->shown is what its public GET shows (empty for a record the
 * public does not see). Returns s->status (201, 200; 404, 409, 412, 422,
 * 428, 503). */
enum admin_kind { ADMIN_RESOURCE, ADMIN_AUDIENCE, ADMIN_TOPIC };
int admin_kind_save(enum admin_kind kind, const char *slug, const char *org_slug, json_t *doc,
                    bool patch, const char *if_match, const char *author, struct admin_saved *s);
/* The record as stored (what a form edits; for a resource, with its
 * organisation's slug as "organisation") and the ETag a save must name:
 * 1, 0, -1. */
int admin_kind_read(enum admin_kind kind, const char *slug, json_t **stored, char etag[24]);

/* Resources (editor) and the taxonomies (admin): the same rules. */
int admin_resource_create(struct req *r);   /* POST /api/v1/organisations/{slug}/resources */
int admin_resource_replace(struct req *r);  /* PUT /api/v1/resources/{slug} */
int admin_resource_patch(struct req *r);
int admin_resource_archive(struct req *r);  /* DELETE: archives */
int admin_resource_unarchive(struct req *r);/* POST .../restore */
int admin_audience_create(struct req *r);
int admin_audience_replace(struct req *r);
int admin_audience_patch(struct req *r);
int admin_audience_delete(struct req *r);   /* only when nothing uses it */
int admin_topic_create(struct req *r);
int admin_topic_replace(struct req *r);
int admin_topic_patch(struct req *r);
int admin_topic_delete(struct req *r);
/* POST /api/v1/audiences/{slug}/restore (and topics): a deleted term back,
 * from its last revision. */
int admin_audience_restore(struct req *r);
int admin_topic_restore(struct req *r);

/* Tokens, for admins: list (names and roles), create (the token is in the
 * answer, once), revoke. */
int admin_tokens_list(struct req *r);   /* GET /api/v1/tokens */
int admin_token_create(struct req *r);  /* POST /api/v1/tokens */
int admin_token_revoke(struct req *r);  /* DELETE /api/v1/tokens/{name} */


#endif
