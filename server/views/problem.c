/* problem.c: see problem.h. */
#include "views/problem.h"

#include "lib/escape.h"

#include <stdio.h>
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

/* ---- the bound on every body -------------------------------------------- */

/* The budgets, in bytes as sent (JSON-escaped, quotes included), that keep
 * a body within PROBLEM_BODY_MAX: the summary, each name, reason and list
 * of valid values, and the whole "errors" array. One problem always fits
 * whole; the rest are listed while the array has room. */
#define DETAIL_BUDGET 2048         /* "detail", before "; and N more" */
#define DETAIL_PIECE_BUDGET 400    /* one problem's part of it */
#define NAME_BUDGET 256
#define REASON_BUDGET 3072
#define VALID_BUDGET 3072
#define ERRORS_BUDGET (12 * 1024)
#define ERRORS_LISTED_MAX 100
/* The members around them: type, title and status (short strings of ours),
 * the tail of the summary, the keys. */
#define ENVELOPE_BUDGET 512
_Static_assert(DETAIL_BUDGET + ENVELOPE_BUDGET + ERRORS_BUDGET <= PROBLEM_BODY_MAX,
               "the budgets add up to more than PROBLEM_BODY_MAX");
_Static_assert(NAME_BUDGET + REASON_BUDGET + VALID_BUDGET + 64 <= ERRORS_BUDGET,
               "one problem must always fit in the errors array");

static const char ellipsis[] = "\xe2\x80\xa6"; /* not escaped by esc_json */

/* The bytes of the UTF-8 character at s (1 for a stray byte), at most n. */
static size_t char_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)*s;
    size_t k = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return k < n ? k : n;
}

/* Appends s[0..n) to out, or when its JSON escaping would take more than
 * room bytes (room >= 3), as much of its start as fits with an ellipsis,
 * cut between characters. Returns the bytes what was appended takes once
 * escaped (quotes not counted). */
static size_t clip_append(struct buf *out, const char *s, size_t n, size_t room)
{
    struct buf one = BUF_INIT;
    size_t used = 0, i = 0, cut = 0, used_at_cut = 0;
    if (n <= room) { /* escaping never shortens: only then can it all fit */
        esc_json(&one, s, n);
        used = one.len - 2;
        buf_reset(&one);
        if (used <= room) {
            buf_append(out, s, n);
            return used;
        }
        used = 0;
    }
    while (i < n) {
        size_t k = char_len(s + i, n - i);
        one.len = 0;
        esc_json(&one, s + i, k);
        size_t cost = one.len - 2;
        if (used + cost > room)
            break;
        used += cost;
        i += k;
        if (used + sizeof ellipsis - 1 <= room) {
            cut = i;
            used_at_cut = used;
        }
    }
    buf_reset(&one);
    if (i == n) {
        buf_append(out, s, n);
        return used;
    }
    buf_append(out, s, cut);
    buf_puts(out, ellipsis);
    return used_at_cut + sizeof ellipsis - 1;
}

/* Writes s as a JSON string of at most max bytes, quotes included. */
static void put_clipped(struct jsonw *w, const char *s, size_t max)
{
    struct buf t = BUF_INIT;
    clip_append(&t, s, strlen(s), max - 2);
    jsonw_strn(w, buf_str(&t), t.len);
    buf_reset(&t);
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
    jsonw_key(&w, "detail");
    if (detail)
        put_clipped(&w, detail, DETAIL_BUDGET);
    else
        jsonw_null(&w);
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
    jsonw_init(&p->lw, &p->listed);
    jsonw_arr_open(&p->lw);
}

void problem_list_reset(struct problems *p)
{
    buf_reset(&p->errors);
    buf_reset(&p->listed);
    buf_reset(&p->detail);
}

/* Takes w and its buffer b back to the state saved in before, at mark. */
static void rewind_to(struct jsonw *w, const struct jsonw *before, struct buf *b, size_t mark)
{
    *w = *before;
    b->len = mark;
    if (b->data)
        b->data[mark] = '\0';
}

/* Writes one member of "errors" with w; clip: within the budgets, valid
 * left out if it does not fit. */
static void write_problem(struct jsonw *w, bool clip, const char *name, const char *in,
                          const char *reason, const char *const *valid, size_t n_valid)
{
    jsonw_obj_open(w);
    jsonw_key(w, "name");
    if (clip)
        put_clipped(w, name, NAME_BUDGET);
    else
        jsonw_str(w, name);
    jsonw_kstr(w, "in", in);
    jsonw_key(w, "reason");
    if (clip)
        put_clipped(w, reason, REASON_BUDGET);
    else
        jsonw_str(w, reason);
    if (valid) {
        struct jsonw before = *w;
        size_t mark = w->b->len;
        jsonw_key(w, "valid");
        jsonw_arr_open(w);
        for (size_t i = 0; i < n_valid && (!clip || w->b->len - mark <= VALID_BUDGET); i++)
            jsonw_str(w, valid[i]);
        jsonw_arr_close(w);
        if (clip && w->b->len - mark > VALID_BUDGET)
            rewind_to(w, &before, w->b, mark);
    }
    jsonw_obj_close(w);
}

void problem_list_add(struct problems *p, const char *name, const char *in,
                      const char *reason, const char *const *valid, size_t n_valid)
{
    p->n++;
    write_problem(&p->w, false, name, in, reason, valid, n_valid);
    if (p->n_listed < ERRORS_LISTED_MAX) {
        struct jsonw before = p->lw;
        size_t mark = p->listed.len;
        write_problem(&p->lw, true, name, in, reason, valid, n_valid);
        if (p->n_listed && p->listed.len + 1 > ERRORS_BUDGET) /* 1: the ']' */
            rewind_to(&p->lw, &before, &p->listed, mark);
        else
            p->n_listed++;
    }
    if (p->detail_json + DETAIL_PIECE_BUDGET / 4 > DETAIL_BUDGET)
        return;
    struct buf piece = BUF_INIT;
    buf_printf(&piece, "%s%s %s", p->n_in_detail ? "; " : "", name, reason);
    size_t room = DETAIL_BUDGET - 2 - p->detail_json;
    p->detail_json += clip_append(&p->detail, piece.data, piece.len,
                                  room < DETAIL_PIECE_BUDGET ? room : DETAIL_PIECE_BUDGET);
    p->n_in_detail++;
    buf_reset(&piece);
}

void problem_put_count(struct buf *b, size_t n)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%zu", n);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            buf_putc(b, ',');
        buf_putc(b, digits[i]);
    }
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
    jsonw_arr_close(&p->lw);
    if (p->n_in_detail < p->n) {
        buf_puts(&p->detail, "; and ");
        problem_put_count(&p->detail, p->n - p->n_in_detail);
        buf_puts(&p->detail, " more");
    }
    if (p->n_listed < p->n) {
        buf_printf(&p->detail, " (errors lists the first %zu of ", p->n_listed);
        problem_put_count(&p->detail, p->n);
        buf_putc(&p->detail, ')');
    }
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
    buf_append(&r->body, p->listed.data, p->listed.len);
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

