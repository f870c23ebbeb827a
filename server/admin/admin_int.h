/* admin_int.h: private to server/admin/: what the write handlers share
 * (write.c). Every answer of the curators' API is no-store. */
#ifndef SIGNPOST_ADMIN_INT_H
#define SIGNPOST_ADMIN_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "admin/admin.h"
#include "admin/auth.h"
#include "lib/buf.h"
#include "lib/request.h"
#include "store/store.h"
#include "views/problem.h"

extern const char admin_json_type[];

/* Marks r's answer status and never cacheable; returns status. */
int admin_no_store(struct req *r, int status);
/* A no-store problem answer; returns status. */
int admin_problem(struct req *r, int status, const char *detail);
/* Reads the body as a JSON object (application/json, or with merge_patch
 * also application/merge-patch+json) into *doc (caller decrefs). False
 * after answering 415, 400 or 422. */
bool admin_body_or_reply(struct req *r, bool merge_patch, json_t **doc);
/* The ETag of a record's public representation, as its GET gives it. */
void admin_etag_of(const struct buf *body, char out[24]);
/* True when an If-Match header names tag (or its gzip form) or is "*". */
bool admin_if_match(const char *header, const char *tag);
/* Answers a save's outcome as the write API does: the record (with its
 * ETag; a Location of location and the slug for a 201), or the problem:
 * 404 says no entity has slug. Returns the status. */
int admin_answer_saved(struct req *r, struct admin_saved *s, const char *entity,
                       const char *slug, const char *location);
/* Rolls back; the outcome is a 503 (read_only set on a replica). */
int admin_save_failed(struct admin_saved *s);
/* Checks If-Match against current, the record's public representation
 * (whose hash its GET gives as ETag): false after answering 428 or 412. */
bool admin_precondition_or_reply(struct req *r, const struct buf *current);
/* Answers status with body (taken over) as the record and its ETag. */
int admin_answer_record(struct req *r, int status, struct buf *body);
/* Rolls back and answers 503 (read-only replica, or a failed write). */
int admin_db_failed(struct req *r);
/* Commits (which publishes the new data version): false after answering
 * 503. */
bool admin_commit_or_reply(struct req *r);
/* Answers 409: the slug in the body belongs to another record of what. */
int admin_slug_taken(struct req *r, const char *what);
/* Answers 200 {"items": items} (taken over). */
int admin_rows_answer(struct req *r, json_t *items);
/* A list for role: {"items": the rows load gives}. */
int admin_list_for(struct req *r, enum auth_role role, int (*load)(json_t **rows));
/* Answers 404 for the organisation slug. */
int admin_org_not_found(struct req *r, const char *slug);

#endif
