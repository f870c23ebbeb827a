/* listing.c: lists of organisations. A listing request (q, audience and
 * topic, checked against the index) is parsed and searched here for both
 * the results page and the embeds (embed.c); the results page,
 * /organisations, adds its facets, the active filters with links that
 * remove them, pagination and a heading that says what is shown. */
#include "site/page_int.h"
#include "lib/buf.h"
#include "lib/escape.h"
#include "lib/query.h"
#include "lib/util.h"
#include "store/store.h"
#include "views/problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESULTS_PER_PAGE 20
#define Q_MAX_CHARS 200

/* ---- the listing request ------------------------------------------------- */

/* Unknown values named in the sentence for people (each cut to a length);
 * the rest are counted, so the page stays short whatever the address. */
#define UNKNOWN_NAMED 3
#define UNKNOWN_CHARS 60

/* Appends “value”, cut to UNKNOWN_CHARS characters with an ellipsis. */
static void put_value(struct buf *b, const char *value)
{
    buf_puts(b, "\u201c");
    buf_put_chars(b, value, UNKNOWN_CHARS);
    buf_puts(b, "\u201d");
}

/* Resolves slugs to term indexes; appends one sentence to problems when
 * some are unknown: "There is no topic called “a”, “b” or “c”, nor any of
 * the 1,894 others in the address." */
static int *resolve(char **slugs, const struct store_term *terms, size_t n_terms,
                    const char *what, size_t *count, struct buf *problems)
{
    size_t n = 0;
    for (char **s = slugs; *s; s++)
        n++;
    int *idx = xcalloc(n + 1, sizeof *idx);
    *count = 0;
    size_t n_unknown = 0;
    char *named[UNKNOWN_NAMED];
    for (char **s = slugs; *s; s++) {
        int i = store_term_find(terms, n_terms, *s);
        if (i >= 0)
            idx[(*count)++] = i;
        else if (n_unknown++ < UNKNOWN_NAMED)
            named[n_unknown - 1] = *s;
    }
    if (!n_unknown)
        return idx;
    size_t shown = n_unknown < UNKNOWN_NAMED ? n_unknown : UNKNOWN_NAMED;
    buf_printf(problems, "%sThere is no %s called ", problems->len ? " " : "", what);
    for (size_t i = 0; i < shown; i++) {
        if (i)
            buf_puts(problems, i + 1 < shown ? ", " : " or ");
        put_value(problems, named[i]);
    }
    if (n_unknown == shown + 1) {
        buf_puts(problems, ", nor the other one in the address");
    } else if (n_unknown > shown) {
        buf_puts(problems, ", nor any of the ");
        problem_put_count(problems, n_unknown - shown);
        buf_puts(problems, " others in the address");
    }
    buf_putc(problems, '.');
    return idx;
}

void page_listing_parse(struct req *r, const struct store_index *ix, struct page_listing *l)
{
    memset(l, 0, sizeof *l);
    l->q = query_get(&r->query, "q");
    query_get_list(&r->query, "audience", &l->aud);
    query_get_list(&r->query, "topic", &l->topics);
    if (l->q && esc_utf8_len(l->q, strlen(l->q)) > Q_MAX_CHARS)
        buf_puts(&l->problems, "Please use fewer words: searches can be up to 200 "
                               "characters long.");
    l->aud_idx = resolve(l->aud, ix->audiences, ix->n_audiences, "audience", &l->n_aud,
                         &l->problems);
    l->topic_idx = resolve(l->topics, ix->topics, ix->n_topics, "topic", &l->n_topic,
                           &l->problems);
    const char *exact = query_get(&r->query, "exact");
    l->exact = exact && strcmp(exact, "true") == 0;
    l->searching = false;
    for (const char *c = l->q; c && *c && !l->searching; c++)
        l->searching = *c != ' ';
}

int page_listing_search(const struct page_listing *l, struct store_index *ix, size_t offset,
                        size_t limit, struct store_results *res)
{
    struct store_search s = {
        .q = l->searching ? l->q : NULL,
        .exact = l->exact,
        .audiences = l->aud_idx,
        .n_audiences = l->n_aud,
        .topics = l->topic_idx,
        .n_topics = l->n_topic,
        .offset = offset,
        .limit = limit,
    };
    return store_search(ix, &s, res);
}

void page_listing_reset(struct page_listing *l)
{
    query_free_list(l->aud);
    query_free_list(l->topics);
    free(l->aud_idx);
    free(l->topic_idx);
    buf_reset(&l->problems);
    memset(l, 0, sizeof *l);
}

/* ---- the results page ---------------------------------------------------- */

struct results_query {
    const char *q;
    bool exact;             /* exact=true: no typo correction */
    char **aud, **topics;   /* NULL-terminated slug lists */
    long page;
};

/* Appends a results URL for rq at page, leaving out one filter value
 * (skip_kind 'a' or 't', skip_slug) if given. */
static void results_url(struct buf *b, const struct results_query *rq, long page,
                        char skip_kind, const char *skip_slug, bool skip_q)
{
    buf_puts(b, "/organisations");
    char sep = '?';
    if (rq->q && *rq->q && !skip_q) {
        buf_printf(b, "%cq=", sep);
        esc_url_str(b, rq->q);
        sep = '&';
    }
    char **lists[2] = {rq->aud, rq->topics};
    const char *names[2] = {"audience", "topic"};
    const char kinds[2] = {'a', 't'};
    for (int k = 0; k < 2; k++) {
        for (char **s = lists[k]; s && *s; s++) {
            if (skip_kind == kinds[k] && strcmp(*s, skip_slug) == 0)
                continue;
            buf_printf(b, "%c%s=", sep, names[k]);
            esc_url_str(b, *s);
            sep = '&';
        }
    }
    if (rq->exact && rq->q && *rq->q && !skip_q) {
        buf_printf(b, "%cexact=true", sep);
        sep = '&';
    }
    if (page > 1)
        buf_printf(b, "%cpage=%ld", sep, page);
}

static json_t *url_json(const struct results_query *rq, long page, char skip_kind,
                        const char *skip_slug, bool skip_q)
{
    struct buf b = BUF_INIT;
    results_url(&b, rq, page, skip_kind, skip_slug, skip_q);
    json_t *s = json_stringn(b.data, b.len);
    buf_reset(&b);
    return s;
}

/* A topic as a link to its guidance page. */
static json_t *guidance_json(const struct store_term *t)
{
    json_t *o = page_term_json(t);
    struct buf url = BUF_INIT;
    buf_puts(&url, "/topics/");
    esc_url_str(&url, t->slug);
    page_set_str(o, "url", url.data);
    buf_reset(&url);
    return o;
}

/* What the search understood, and where to go when it found nothing: the
 * corrected words (with the words as typed a link away), the topics the
 * words name, urgent help first when asked for; with no results the closest
 * topics (or every top-level one), urgent help, and the search without its
 * filters when that finds something. Never a dead end. */
static void understanding_json(json_t *ctx, const struct store_index *ix,
                               const struct results_query *rq, const struct store_results *res)
{
    if (res->corrected) {
        json_t *c = json_object();
        page_set_str(c, "text", res->corrected);
        struct results_query typed = *rq;
        typed.exact = true;
        typed.page = 1;
        json_object_set_new(c, "typed_url", url_json(&typed, 1, 0, NULL, false));
        json_object_set_new(ctx, "corrected", c);
    }
    json_t *meant = json_array();
    for (size_t i = 0; i < res->n_meant; i++)
        json_array_append_new(meant, guidance_json(&ix->topics[res->meant[i]]));
    if (res->n_meant)
        json_object_set(ctx, "meant", meant);
    if (res->urgent) {
        /* The urgent-help block leads the page, every channel in it. */
        json_object_set_new(ctx, "urgent_first", json_true());
        json_object_set_new(ctx, "urgent_inline", json_true());
    } else if (res->total == 0) {
        /* It follows the way out of nothing, every channel in it. */
        json_object_set_new(ctx, "urgent_in_empty", json_true());
        json_object_set_new(ctx, "urgent_inline", json_true());
    }
    if (res->total == 0) {
        json_t *near = res->n_meant ? json_incref(meant) : json_array();
        for (size_t t = 0; !res->n_meant && t < ix->n_topics; t++)
            if (ix->topics[t].parent < 0)
                json_array_append_new(near, guidance_json(&ix->topics[t]));
        json_object_set_new(ctx, "near_topics", near);
        if (res->unfiltered > 0 && (rq->aud[0] || rq->topics[0])) {
            struct results_query plain = {.q = rq->q, .exact = rq->exact, .page = 1};
            char *none[1] = {NULL};
            plain.aud = plain.topics = none;
            json_object_set_new(ctx, "unfiltered_url", url_json(&plain, 1, 0, NULL, false));
            json_object_set_new(ctx, "unfiltered", json_integer((json_int_t)res->unfiltered));
        }
    }
    if (res->everything)
        json_object_set_new(ctx, "everything", json_true());
    json_decref(meant);
}

static bool in_list(char **list, const char *s)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

static json_t *facet_json(const struct store_term *terms, size_t n, const size_t *counts,
                          char **selected)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = page_term_json(&terms[i]);
        json_object_set_new(o, "count", json_integer((json_int_t)counts[i]));
        if (in_list(selected, terms[i].slug))
            json_object_set_new(o, "checked", json_true());
        if (terms[i].parent >= 0)
            json_object_set_new(o, "sub", json_true());
        json_array_append_new(list, o);
    }
    return list;
}

/* Appends to active one filter per term idx[0..n) of the given kind ('a'
 * or 't'), each with a link to the results without it. */
static void active_terms(json_t *active, const struct results_query *rq,
                         const struct store_term *terms, const int *idx, size_t n, char kind)
{
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_object();
        page_set_str(a, "label", terms[idx[i]].label);
        json_object_set_new(a, "url", url_json(rq, 1, kind, terms[idx[i]].slug, false));
        json_array_append_new(active, a);
    }
}

int page_organisations(struct req *r)
{
    struct store_index *ix = page_index_or_reply(r);
    if (!ix)
        return r->status;
    struct page_listing l;
    struct store_results res = {0};
    page_listing_parse(r, ix, &l);
    struct results_query rq = {.q = l.q, .exact = l.exact, .aud = l.aud, .topics = l.topics,
                               .page = 1};
    const char *page = query_get(&r->query, "page");
    if (page && *page && !query_parse_int(page, 1, 100000, &rq.page))
        buf_printf(&l.problems, "%sThe page number must be a whole number from 1 to 100000.",
                   l.problems.len ? " " : "");
    if (l.problems.len) {
        page_error(r, 400, l.problems.data);
        goto out;
    }
    int *aud = l.aud_idx, *top = l.topic_idx;
    size_t n_aud = l.n_aud, n_top = l.n_topic;
    bool searching = l.searching;
    if (page_listing_search(&l, ix, (size_t)(rq.page - 1) * RESULTS_PER_PAGE,
                            RESULTS_PER_PAGE, &res) != 0) {
        page_error(r, 500, "The search failed.");
        goto out;
    }

    json_t *ctx = json_object();
    page_set_str(ctx, "q", rq.q);
    json_object_set_new(ctx, "total", json_integer((json_int_t)res.total));
    json_object_set_new(ctx, "one", json_boolean(res.total == 1));
    json_object_set_new(ctx, "items", page_cards_json(ix, &res));
    json_object_set_new(ctx, "audiences", facet_json(ix->audiences, ix->n_audiences,
                                                     res.audience_counts, rq.aud));
    json_object_set_new(ctx, "topics", facet_json(ix->topics, ix->n_topics,
                                                  res.topic_counts, rq.topics));
    /* The active filters, each with a link that removes it. */
    json_t *active = json_array();
    if (rq.q && *rq.q) {
        json_t *a = json_object();
        struct buf label = BUF_INIT;
        buf_printf(&label, "\u201c%s\u201d", rq.q);
        page_set_str(a, "label", label.data);
        buf_reset(&label);
        json_object_set_new(a, "url", url_json(&rq, 1, 0, NULL, true));
        json_array_append_new(active, a);
    }
    active_terms(active, &rq, ix->audiences, aud, n_aud, 'a');
    active_terms(active, &rq, ix->topics, top, n_top, 't');
    json_object_set_new(ctx, "active", active);

    long last = (long)((res.total + RESULTS_PER_PAGE - 1) / RESULTS_PER_PAGE);
    if (last > 1) {
        json_t *p = json_object();
        json_object_set_new(p, "current", json_integer(rq.page));
        json_object_set_new(p, "last", json_integer(last));
        if (rq.page > 1)
            json_object_set_new(p, "prev_url", url_json(&rq, rq.page - 1 > last ? last : rq.page - 1, 0, NULL, false));
        if (rq.page < last)
            json_object_set_new(p, "next_url", url_json(&rq, rq.page + 1, 0, NULL, false));
        json_object_set_new(ctx, "pagination", p);
    }
    /* The heading says what is being shown. */
    struct buf title = BUF_INIT;
    if (n_aud == 1 && !n_top && !searching)
        buf_printf(&title, "Support for %s", ix->audiences[aud[0]].label);
    else if (n_top == 1 && !n_aud && !searching)
        buf_printf(&title, "Support about %s", ix->topics[top[0]].label);
    else if (searching)
        buf_printf(&title, "Search results for \u201c%s\u201d", rq.q);
    else
        buf_puts(&title, n_aud || n_top ? "Filtered organisations" : "All organisations");
    page_set_str(ctx, "heading", title.data);
    if (rq.page > 1)
        buf_printf(&title, " (page %ld)", rq.page);
    json_object_set_new(ctx, "empty", json_boolean(res.total == 0));
    if (searching)
        understanding_json(ctx, ix, &rq, &res);
    struct buf self = BUF_INIT;
    results_url(&self, &rq, 1, 0, NULL, false);
    page_set_oembed(ctx, self.data);
    buf_reset(&self);
    json_object_set_new(ctx, "filtered", json_boolean(n_aud || n_top || searching));
    page_render(r, 200, "organisations", ctx, title.data);
    buf_reset(&title);
out:
    store_results_reset(&res);
    page_listing_reset(&l);
    store_index_release(ix);
    return r->status;
}
