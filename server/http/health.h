/* health.h: the operators' endpoints, /healthz, /readyz and /metrics. They
 * live with the plumbing they report on, not with the API. */
#ifndef SIGNPOST_HEALTH_H
#define SIGNPOST_HEALTH_H

#include "lib/request.h"

int health_live(struct req *r);     /* GET /healthz: the process answers */
int health_ready(struct req *r);    /* GET /readyz: and so does the database */
int health_metrics(struct req *r);  /* GET /metrics: Prometheus text */

#endif
