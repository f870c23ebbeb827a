/* request.c: see request.h. */
#include "lib/request.h"
#include "lib/util.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void req_add_header(struct req *r, const char *name, const char *value)
{
    assert(r->n_headers < REQ_MAX_HEADERS);
    r->headers[r->n_headers].name = xstrdup(name);
    r->headers[r->n_headers].value = xstrdup(value);
    r->n_headers++;
}

void req_reset(struct req *r)
{
    query_reset(&r->query);
    for (size_t i = 0; i < r->n_args; i++)
        free(r->args[i]);
    for (size_t i = 0; i < r->n_headers; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    buf_reset(&r->body);
    memset(r, 0, sizeof *r);
}
