/* router.h: method + path -> handler. */
#ifndef SIGNPOST_ROUTER_H
#define SIGNPOST_ROUTER_H

#include "lib/request.h"

/* A handler fills in r's answer and returns its status. */
typedef int (*router_handler)(struct req *r);

struct route {
    unsigned methods;        /* REQ_ bits; GET implies HEAD */
    const char *pattern;     /* "/api/v1/topics/{}": {} matches one segment */
    router_handler handler;
};

enum router_result {
    ROUTER_FOUND,            /* *handler set, r->args filled */
    ROUTER_NOT_FOUND,        /* no pattern matches the path */
    ROUTER_BAD_METHOD        /* a pattern matches but not this method;
                                *allowed holds the methods it takes */
};

/* Looks up r->query.path and r->method in the route table. */
enum router_result router_match(struct req *r, router_handler *handler,
                                unsigned *allowed);

/* Writes "GET, HEAD, OPTIONS"-style text for methods into out. */
void router_allow_header(unsigned methods, struct buf *out);

#endif
