/* health.c: see health.h. */
#include "http/health.h"
#include "http/metrics.h"
#include "store/store.h"
#include "views/problem.h"

int health_live(struct req *r)
{
    r->max_age = -1;
    r->status = 200;
    r->content_type = "text/plain; charset=utf-8";
    buf_puts(&r->body, "ok\n");
    return 200;
}

int health_ready(struct req *r)
{
    if (!store_ready())
        return problem_reply(r, 503, "The database does not answer or its schema is "
                                     "not at the latest migration.");
    r->status = 200;
    r->max_age = -1;
    r->content_type = "text/plain; charset=utf-8";
    buf_puts(&r->body, "ready\n");
    return 200;
}

int health_metrics(struct req *r)
{
    metrics_render(&r->body);
    r->status = 200;
    r->content_type = "text/plain; version=0.0.4; charset=utf-8";
    r->max_age = -1;
    return 200;
}
