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

/* No body this module writes is longer than this, whatever the request:
 * an error answer must never cost more to send than the request that
 * caused it (names, reasons and details are cut between characters and
 * end with an ellipsis; problems past the budget are counted, not listed). */
#define PROBLEM_BODY_MAX (16 * 1024)

/* A collector of every problem with a request, answered all at once (400,
 * type /problems/invalid-parameters, one "errors" member per problem; 422
 * for bodies, with a JSON pointer as each name). errors keeps every
 * problem whole (the import command prints them all); the answer keeps
 * within PROBLEM_BODY_MAX: its "errors" lists the problems that fit and its
 * "detail" says how many more there are. */
struct problems {
    struct buf errors;   /* every problem, as a JSON array being written */
    struct jsonw w;
    size_t n;            /* problems recorded */
    struct buf listed;   /* the answer's "errors" array being written */
    struct jsonw lw;
    size_t n_listed;     /* problems in it */
    struct buf detail;   /* the answer's one-line summary */
    size_t detail_json;  /* its length once JSON-escaped */
    size_t n_in_detail;  /* problems it names */
};
void problem_list_init(struct problems *p);
/* Records that name (in "query", "path" or "body") is wrong because of
 * reason; valid, if not NULL, lists the n_valid accepted values (left out
 * when they would not fit: say them in reason too). */
void problem_list_add(struct problems *p, const char *name, const char *in,
                      const char *reason, const char *const *valid, size_t n_valid);
/* True when nothing was recorded; otherwise fills r with the 400. */
bool problem_list_none_or_reply(struct req *r, struct problems *p);
/* The same with another status, problem type and title. */
bool problem_list_none_or_reply_as(struct req *r, struct problems *p, int status,
                                   const char *type, const char *title);
void problem_list_reset(struct problems *p);

/* Appends n as the problems count things, with thousands separators:
 * 1,894. */
void problem_put_count(struct buf *b, size_t n);

#endif
