/* api.h: the JSON API's handlers (router.c's table) and its error replies. */
#ifndef SIGNPOST_API_H
#define SIGNPOST_API_H

#include "request.h"

int api_healthz(struct req *r);
int api_readyz(struct req *r);
int api_index(struct req *r);
int api_organisations_list(struct req *r);
int api_organisation_get(struct req *r);
int api_audiences_list(struct req *r);
int api_topics_list(struct req *r);
int api_topic_get(struct req *r);
int api_help_list(struct req *r);
int api_openapi(struct req *r);

/* Fills r with an RFC 9457 problem (type about:blank) and returns status. */
int api_problem(struct req *r, int status, const char *detail);
/* Fills r with the 400 for a request target that failed to parse
 * (r->query.error set). */
int api_bad_target(struct req *r);

#endif
