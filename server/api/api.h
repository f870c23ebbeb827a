/* api.h: the JSON API's handlers (router.c's table) and its error replies. */
#ifndef SIGNPOST_API_H
#define SIGNPOST_API_H

#include <stdbool.h>

#include "views/jsonw.h"
#include "lib/request.h"
#include "store/store.h"

int api_index(struct req *r);
int api_organisations_list(struct req *r);
int api_organisation_get(struct req *r);
int api_audiences_list(struct req *r);
int api_topics_list(struct req *r);
int api_topic_get(struct req *r);
int api_audience_get(struct req *r);
int api_resource_get(struct req *r);
int api_help_list(struct req *r);
int api_openapi(struct req *r);

/* Marks r as a successful, cacheable JSON answer. */
void api_json_ok(struct req *r);


#endif
