/* problem.h: every error answer of the JSON surfaces (the API, the write
 * API, auth, the feed) as RFC 9457 problem details. One home, so a 404 or
 * a 422 reads the same wherever it comes from (redis's addReply*, nginx's
 * special responses). */
#ifndef SIGNPOST_PROBLEM_H
#define SIGNPOST_PROBLEM_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"
#include "lib/request.h"
#include "views/jsonw.h"

/* The media type of every problem body. */
extern const char problem_content_type[];

/* The reason phrase of an HTTP status ("Not Found"), "Error" if unknown. */
const char *problem_status_title(int status);

/* Fills r with a problem (type about:blank) and returns status. Answers
 * below 500 may be cached; none carries max-age. */
int problem_reply(struct req *r, int status, const char *detail);
/* Fills r with the 404 "No WHAT has the slug 'SLUG'." and returns 404. */
int problem_not_found(struct req *r, const char *what, const char *slug);
/* Fills r with the 400 for a request target that failed to parse
 * (r->query.error set) and returns 400. */
int problem_bad_target(struct req *r);

/* A collector of every problem with a request, answered all at once (400,
 * type /problems/invalid-parameters, one "errors" member per problem; 422
 * for bodies, with a JSON pointer as each name). */
struct problems {
    struct buf errors;   /* the "errors" array being written */
    struct jsonw w;
    size_t n;
    struct buf detail;   /* one-line summary for "detail" */
};
void problem_list_init(struct problems *p);
/* Records that name (in "query", "path" or "body") is wrong because of
 * reason; valid, if not NULL, lists the n_valid accepted values. */
void problem_list_add(struct problems *p, const char *name, const char *in,
                      const char *reason, const char *const *valid, size_t n_valid);
/* True when nothing was recorded; otherwise fills r with the 400. */
bool problem_list_none_or_reply(struct req *r, struct problems *p);
/* The same with another status, problem type and title. */
bool problem_list_none_or_reply_as(struct req *r, struct problems *p, int status,
                                   const char *type, const char *title);
void problem_list_reset(struct problems *p);

#endif
