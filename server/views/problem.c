/* problem.c: see problem.h. */
#include "views/problem.h"

#include <string.h>

const char problem_content_type[] = "application/problem+json; charset=utf-8";

const char *problem_status_title(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    }
    return "Error";
}

int problem_reply(struct req *r, int status, const char *detail)
{
    struct jsonw w;
    buf_reset(&r->body);
    jsonw_init(&w, &r->body);
    jsonw_obj_open(&w);
    jsonw_kstr(&w, "type", "about:blank");
    jsonw_kstr(&w, "title", problem_status_title(status));
    jsonw_kint(&w, "status", status);
    jsonw_kstr(&w, "detail", detail);
    jsonw_obj_close(&w);
    r->status = status;
    r->content_type = problem_content_type;
    r->max_age = 0;
    r->cacheable = status < 500;
    return status;
}

/* ---- invalid parameters: every problem, not just the first -------------- */

void problem_list_init(struct problems *p)
{
    memset(p, 0, sizeof *p);
    jsonw_init(&p->w, &p->errors);
    jsonw_arr_open(&p->w);
}

void problem_list_reset(struct problems *p)
{
    buf_reset(&p->errors);
    buf_reset(&p->detail);
}

void problem_list_add(struct problems *p, const char *name, const char *in,
                         const char *reason, const char *const *valid,
                      size_t n_valid)
{
    jsonw_obj_open(&p->w);
    jsonw_kstr(&p->w, "name", name);
    jsonw_kstr(&p->w, "in", in);
    jsonw_kstr(&p->w, "reason", reason);
    if (valid) {
        jsonw_key(&p->w, "valid");
        jsonw_arr_open(&p->w);
        for (size_t i = 0; i < n_valid; i++)
            jsonw_str(&p->w, valid[i]);
        jsonw_arr_close(&p->w);
    }
    jsonw_obj_close(&p->w);
    buf_printf(&p->detail, "%s%s %s", p->n ? "; " : "", name, reason);
    p->n++;
}

bool problem_list_none_or_reply(struct req *r, struct problems *p)
{
    return problem_list_none_or_reply_as(r, p, 400, "/problems/invalid-parameters",
                                     "Invalid parameters");
}

bool problem_list_none_or_reply_as(struct req *r, struct problems *p, int status,
                               const char *type, const char *title)
{
    if (!p->n)
        return true;
    jsonw_arr_close(&p->w);
    struct jsonw w;
    buf_reset(&r->body);
    jsonw_init(&w, &r->body);
    jsonw_obj_open(&w);
    jsonw_kstr(&w, "type", type);
    jsonw_kstr(&w, "title", title);
    jsonw_kint(&w, "status", status);
    jsonw_key(&w, "detail");
    jsonw_strn(&w, p->detail.data, p->detail.len);
    jsonw_key(&w, "errors");
    buf_append(&r->body, p->errors.data, p->errors.len);
    jsonw_obj_close(&w);
    r->status = status;
    r->content_type = problem_content_type;
    r->max_age = 0;
    r->cacheable = true;
    return false;
}

int problem_not_found(struct req *r, const char *what, const char *slug)
{
    struct buf msg = BUF_INIT;
    buf_printf(&msg, "No %s has the slug '%.80s'.", what, slug);
    problem_reply(r, 404, msg.data);
    buf_reset(&msg);
    return 404;
}

int problem_bad_target(struct req *r)
{
    struct problems p;
    problem_list_init(&p);
    const char *name = r->query.error_in_path ? "path"
                       : r->query.error_name  ? r->query.error_name
                                              : "query";
    problem_list_add(&p, name, r->query.error_in_path ? "path" : "query",
                 query_error_reason(r->query.error), NULL, 0);
    problem_list_none_or_reply(r, &p);
    problem_list_reset(&p);
    return r->status;
}

