/* request.h: what a handler sees of a request and fills in for its answer.
 * No libmicrohttpd type appears here: http.c translates both ways. */
#ifndef SIGNPOST_REQUEST_H
#define SIGNPOST_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"
#include "lib/query.h"

enum req_method {
    REQ_GET = 1 << 0,
    REQ_HEAD = 1 << 1,
    REQ_POST = 1 << 2,
    REQ_PUT = 1 << 3,
    REQ_PATCH = 1 << 4,
    REQ_DELETE = 1 << 5,
    REQ_OPTIONS = 1 << 6,
    REQ_OTHER = 1 << 7
};

#define REQ_MAX_HEADERS 12
#define REQ_MAX_ARGS 4

struct req_header {
    char *name, *value;
};

struct req {
    /* the request */
    enum req_method method;
    struct query query;               /* decoded path and parameters */
    char *args[REQ_MAX_ARGS];         /* path segments matched by "{}" */
    const char *route;                /* the matched pattern (static), for logs */
    const char *in_body;              /* the request body (NUL-terminated), or NULL */
    size_t in_body_len;
    const char *in_type;              /* Content-Type, or NULL */
    const char *in_accept;            /* Accept, or NULL */
    const char *in_if_match;          /* If-Match, or NULL */
    const char *in_auth;              /* Authorization, or NULL */
    const char *in_origin;            /* Origin, or NULL */
    const char *in_fetch_site;        /* Sec-Fetch-Site, or NULL */
    const char *in_host;              /* Host, or NULL */
    const char *in_cookie;            /* Cookie, or NULL: only the console
                                         reads it */
    char client[48];                  /* the client's address, for rate limits;
                                         never logged unless asked */
    size_t n_args;

    /* the answer */
    int status;
    const char *content_type;         /* static string */
    struct buf body;
    struct req_header headers[REQ_MAX_HEADERS];
    size_t n_headers;
    int max_age;                      /* Cache-Control max-age in seconds;
                                         0: no-cache */
    bool cacheable;                   /* may be kept in the response cache */
    bool vary_accept;                 /* the answer depends on Accept too */
    bool cors;                        /* readable by scripts of any origin
                                         (the API, the feed, embed assets) */
};

/* Adds a response header (both strings copied). Extra headers beyond
 * REQ_MAX_HEADERS are a programming error (assert). */
void req_add_header(struct req *r, const char *name, const char *value);
/* Frees everything the request owns. */
void req_reset(struct req *r);

#endif
