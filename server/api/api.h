/* api.h: the JSON API's handlers (router.c's table) and its error replies. */
#ifndef SIGNPOST_API_H
#define SIGNPOST_API_H

#include <stdbool.h>

#include "views/jsonw.h"
#include "lib/request.h"
#include "store/store.h"

int api_healthz(struct req *r);
int api_readyz(struct req *r);
int api_metrics(struct req *r);
int api_index(struct req *r);
int api_organisations_list(struct req *r);
int api_organisation_get(struct req *r);
int api_audiences_list(struct req *r);
int api_topics_list(struct req *r);
int api_topic_get(struct req *r);
int api_audience_get(struct req *r);
int api_resource_get(struct req *r);
/* Writes a resource row (store_resource_get) as GET /api/v1/resources/{slug}
 * shows it. */
void api_resource_body(struct buf *out, json_t *row);
int api_help_list(struct req *r);
int api_openapi(struct req *r);

/* Fills r with an RFC 9457 problem (type about:blank) and returns status. */
int api_problem(struct req *r, int status, const char *detail);
/* Fills r with the 404 "No WHAT has the slug 'SLUG'." and returns 404. */
int api_not_found(struct req *r, const char *what, const char *slug);
/* Fills r with the 400 for a request target that failed to parse
 * (r->query.error set). */
int api_bad_target(struct req *r);

/* Marks r as a successful, cacheable JSON answer. */
void api_json_ok(struct req *r);

/* Invalid parameters: collect every problem, then answer them all at once
 * (400, type /problems/invalid-parameters, an "errors" member per problem). */
struct problems {
    struct buf errors;   /* the "errors" array being written */
    struct jsonw w;
    size_t n;
    struct buf detail;   /* one-line summary for "detail" */
};

void problems_init(struct problems *p);
/* Records that parameter name (in "query" or "path") is wrong because of
 * reason; valid, if not NULL, lists the accepted values (their slugs). */
void problems_add(struct problems *p, const char *name, const char *in,
                  const char *reason, const struct store_term *valid, size_t n_valid);
/* True when nothing was recorded; otherwise fills r with the 400. */
bool problems_none_or_reply(struct req *r, struct problems *p);
/* The same with another status, problem type and title (422 for bodies). */
bool problems_none_or_reply_as(struct req *r, struct problems *p, int status,
                               const char *type, const char *title);

/* Writes an organisation exactly as GET /api/v1/organisations/{slug} shows
 * it: the body whose hash is its ETag, and what revisions keep. */
void api_org_body(struct buf *out, const struct store_org_detail *d);
void problems_reset(struct problems *p);

#endif
