/* api.c: the read-only JSON API. Each handler reads its parameters, asks
 * the store, and writes the answer through jsonw. Validators that have
 * already answered with a 4xx are named ..._or_reply and return false. */
#include "api/api.h"
#include "lib/assets.h"
#include "lib/escape.h"
#include "views/jsonw.h"
#include "store/store.h"
#include "lib/util.h"
#include "views/problem.h"
#include "records/org.h"
#include "records/resource.h"
#include "records/term.h"
#include "views/csv.h"

#include <stdlib.h>
#include <string.h>

#define API_MAX_AGE 60
#define LIST_MAX_PAGE 100000
#define LIST_MAX_PER_PAGE 100
#define LIST_DEFAULT_PER_PAGE 20
#define Q_MAX_CHARS 200

static const char *const json_content_type = "application/json; charset=utf-8";

void api_json_ok(struct req *r)
{
    r->status = 200;
    r->content_type = json_content_type;
    r->max_age = API_MAX_AGE;
    r->cacheable = true;
}

/* ---- small handlers ------------------------------------------------------ */

int api_index(struct req *r)
{
    struct jsonw w;
    jsonw_init(&w, &r->body);
    jsonw_obj_open(&w);
    jsonw_kstr(&w, "name", "Signpost");
    jsonw_kstr(&w, "version", "1");
    jsonw_key(&w, "links");
    jsonw_obj_open(&w);
    jsonw_kstr(&w, "organisations", "/api/v1/organisations");
    jsonw_kstr(&w, "audiences", "/api/v1/audiences");
    jsonw_kstr(&w, "topics", "/api/v1/topics");
    jsonw_kstr(&w, "help", "/api/v1/help");
    jsonw_kstr(&w, "openapi", "/api/v1/openapi.yaml");
    jsonw_obj_close(&w);
    jsonw_obj_close(&w);
    api_json_ok(r);
    return 200;
}

int api_openapi(struct req *r)
{
    const struct asset *a = asset_find("api-spec/openapi.yaml");
    if (!a)
        return problem_reply(r, 404, "This build carries no OpenAPI document.");
    buf_append(&r->body, a->data, a->len);
    api_json_ok(r);
    r->content_type = "application/yaml; charset=utf-8";
    r->max_age = 3600;
    return 200;
}

/* ---- organisations ------------------------------------------------------- */

static void write_bit_slugs(struct jsonw *w, const uint64_t *set,
                            const struct store_term *terms, size_t n)
{
    jsonw_arr_open(w);
    for (size_t i = 0; i < n; i++)
        if (store_bit(set, i))
            jsonw_str(w, terms[i].slug);
    jsonw_arr_close(w);
}

static void write_self_url(struct jsonw *w, const char *slug)
{
    struct buf url = BUF_INIT;
    buf_puts(&url, "/api/v1/organisations/");
    esc_url_str(&url, slug);
    jsonw_kstr(w, "url", url.data);
    buf_reset(&url);
}

static void write_org_summary(struct jsonw *w, const struct store_index *ix,
                              const struct store_org *o)
{
    jsonw_obj_open(w);
    jsonw_kstr(w, "id", o->id);
    jsonw_kstr(w, "slug", o->slug);
    jsonw_kstr(w, "name", o->name);
    jsonw_kstr(w, "summary", o->summary);
    jsonw_kstr(w, "kind", o->kind);
    jsonw_kstr(w, "coverage", o->coverage);
    jsonw_kstr(w, "website", record_web(RECORD_PUBLIC, o->website));
    jsonw_key(w, "audiences");
    write_bit_slugs(w, o->audiences, ix->audiences, ix->n_audiences);
    jsonw_key(w, "topics");
    write_bit_slugs(w, o->topics, ix->topics, ix->n_topics);
    jsonw_kstr(w, "last_reviewed", o->last_reviewed);
    write_self_url(w, o->slug);
    jsonw_obj_close(w);
}

struct list_params {
    const char *q;
    bool exact;         /* exact=true: no typo correction */
    char **aud_slugs, **topic_slugs;
    int *aud, *topics;
    size_t n_aud, n_topics;
    long page, per_page;
    bool csv;           /* answer text/csv */
};

static void list_params_reset(struct list_params *lp)
{
    query_free_list(lp->aud_slugs);
    query_free_list(lp->topic_slugs);
    free(lp->aud);
    free(lp->topics);
    memset(lp, 0, sizeof *lp);
}

/* How an unknown audience or topic is answered: one problem per parameter,
 * however many values it has, naming the first few (each cut to a length)
 * and counting the rest; the valid slugs listed once, as many as fit. */
#define UNKNOWN_NAMED 5
#define UNKNOWN_CHARS 60
#define VALID_BYTES 1024

/* Appends 'value', cut to UNKNOWN_CHARS characters with an ellipsis. */
static void put_value(struct buf *b, const char *value)
{
    buf_putc(b, '\'');
    buf_put_chars(b, value, UNKNOWN_CHARS);
    buf_putc(b, '\'');
}

/* Records the one problem of parameter name: n_unknown of its values are
 * not among terms (named holds the first of them, quoted). */
static void add_unknown(struct problems *p, const char *name, const struct buf *named,
                        size_t n_unknown, const struct store_term *terms, size_t n_terms)
{
    struct buf reason = BUF_INIT;
    if (n_unknown == 1) {
        buf_printf(&reason, "has an unknown value %s", named->data);
    } else {
        buf_puts(&reason, "has ");
        problem_put_count(&reason, n_unknown);
        buf_printf(&reason, " unknown values %s", named->data);
        if (n_unknown > UNKNOWN_NAMED) {
            buf_puts(&reason, " and ");
            problem_put_count(&reason, n_unknown - UNKNOWN_NAMED);
            buf_puts(&reason, " more");
        }
    }
    size_t n_valid = 0, bytes = 0;
    while (n_valid < n_terms && bytes + strlen(terms[n_valid].slug) <= VALID_BYTES)
        bytes += strlen(terms[n_valid++].slug) + 2;
    buf_puts(&reason, n_valid < n_terms ? "; valid values include " : "; valid values are ");
    const char **valid = xcalloc(n_valid + 1, sizeof *valid);
    for (size_t t = 0; t < n_valid; t++) {
        valid[t] = terms[t].slug;
        buf_printf(&reason, "%s%s", t ? ", " : "", terms[t].slug);
    }
    if (n_valid < n_terms) {
        buf_puts(&reason, " and ");
        problem_put_count(&reason, n_terms - n_valid);
        buf_printf(&reason, " more (GET /api/v1/%ss lists them all)", name);
    }
    problem_list_add(p, name, "query", reason.data, valid, n_valid);
    free(valid);
    buf_reset(&reason);
}

/* Maps the slugs of parameter name onto term indexes, recording one
 * problem for the unknown ones. Returns the count of known ones. */
static size_t resolve_terms(struct problems *p, const char *name, char **slugs,
                            const struct store_term *terms, size_t n_terms, int **out)
{
    size_t n = 0;
    for (char **s = slugs; *s; s++)
        n++;
    *out = xcalloc(n + 1, sizeof **out);
    size_t k = 0, n_unknown = 0;
    struct buf named = BUF_INIT;
    for (char **s = slugs; *s; s++) {
        int i = store_term_find(terms, n_terms, *s);
        if (i >= 0) {
            (*out)[k++] = i;
            continue;
        }
        if (n_unknown < UNKNOWN_NAMED) {
            if (n_unknown)
                buf_puts(&named, ", ");
            put_value(&named, *s);
        }
        n_unknown++;
    }
    if (n_unknown)
        add_unknown(p, name, &named, n_unknown, terms, n_terms);
    buf_reset(&named);
    return k;
}

static bool list_params_or_reply(struct req *r, const struct store_index *ix,
                                 struct list_params *lp)
{
    struct problems p;
    problem_list_init(&p);
    memset(lp, 0, sizeof *lp);
    lp->page = 1;
    lp->per_page = LIST_DEFAULT_PER_PAGE;

    const char *s = query_get(&r->query, "page");
    if (s && !query_parse_int(s, 1, LIST_MAX_PAGE, &lp->page))
        problem_list_add(&p, "page", "query", "must be a whole number from 1 to 100000",
                     NULL, 0);
    s = query_get(&r->query, "per_page");
    if (s && !query_parse_int(s, 1, LIST_MAX_PER_PAGE, &lp->per_page))
        problem_list_add(&p, "per_page", "query", "must be a whole number from 1 to 100",
                     NULL, 0);
    const char *format = query_get(&r->query, "format");
    if (format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
        problem_list_add(&p, "format", "query", "must be json or csv", NULL, 0);
    lp->csv = (format && strcmp(format, "csv") == 0) ||
              (!format && query_accept_prefers(r->in_accept, "text/csv", "application/json"));
    lp->q = query_get(&r->query, "q");
    if (lp->q && esc_utf8_len(lp->q, strlen(lp->q)) > Q_MAX_CHARS)
        problem_list_add(&p, "q", "query", "must be at most 200 characters", NULL, 0);
    const char *exact = query_get(&r->query, "exact");
    if (exact && strcmp(exact, "true") != 0 && strcmp(exact, "false") != 0)
        problem_list_add(&p, "exact", "query", "must be true or false", NULL, 0);
    lp->exact = exact && strcmp(exact, "true") == 0;

    query_get_list(&r->query, "audience", &lp->aud_slugs);
    query_get_list(&r->query, "topic", &lp->topic_slugs);
    lp->n_aud = resolve_terms(&p, "audience", lp->aud_slugs, ix->audiences,
                              ix->n_audiences, &lp->aud);
    lp->n_topics = resolve_terms(&p, "topic", lp->topic_slugs, ix->topics,
                                 ix->n_topics, &lp->topics);
    bool ok = problem_list_none_or_reply(r, &p);
    problem_list_reset(&p);
    return ok;
}

/* The page of results as CSV for spreadsheets: a header row, one row per
 * organisation, audiences and topics separated by ";". */
static void write_csv(struct req *r, const struct store_index *ix,
                      const struct store_results *res)
{
    struct buf *b = &r->body;
    buf_puts(b, "id,slug,name,summary,kind,coverage,website,audiences,topics,phone,"
                "last_reviewed,url\r\n");
    struct buf cell = BUF_INIT;
    for (size_t i = 0; i < res->n_items; i++) {
        const struct store_org *o = res->items[i];
        const char *plain[] = {o->id, o->slug, o->name, o->summary, o->kind, o->coverage,
                               o->website};
        for (int k = 0; k < 7; k++) {
            if (k)
                buf_putc(b, ',');
            csv_field(b, plain[k]);
        }
        const uint64_t *sets[2] = {o->audiences, o->topics};
        const struct store_term *terms[2] = {ix->audiences, ix->topics};
        size_t counts[2] = {ix->n_audiences, ix->n_topics};
        for (int k = 0; k < 2; k++) {
            cell.len = 0;
            buf_grow(&cell, 0);
            cell.data[0] = '\0';
            for (size_t t = 0; t < counts[k]; t++)
                if (store_bit(sets[k], t))
                    buf_printf(&cell, "%s%s", cell.len ? ";" : "", terms[k][t].slug);
            buf_putc(b, ',');
            csv_field(b, cell.data);
        }
        buf_putc(b, ',');
        csv_field(b, o->phone);
        buf_putc(b, ',');
        csv_field(b, o->last_reviewed);
        cell.len = 0;
        buf_puts(&cell, "/api/v1/organisations/");
        buf_puts(&cell, o->slug);
        buf_putc(b, ',');
        csv_field(b, cell.data);
        buf_puts(b, "\r\n");
    }
    buf_reset(&cell);
    api_json_ok(r);
    r->content_type = "text/csv; charset=utf-8; header=present";
}

/* Appends the list URL for page n, keeping the request's other filters. */
static void list_url(struct buf *b, const struct list_params *lp, long page)
{
    buf_puts(b, "/api/v1/organisations?");
    if (lp->q) {
        buf_puts(b, "q=");
        esc_url_str(b, lp->q);
        buf_putc(b, '&');
    }
    static const char *const names[2] = {"audience", "topic"};
    char **lists[2] = {lp->aud_slugs, lp->topic_slugs};
    for (int k = 0; k < 2; k++) {
        if (!lists[k][0])
            continue;
        buf_printf(b, "%s=", names[k]);
        for (char **s = lists[k]; *s; s++) {
            if (s != lists[k])
                buf_puts(b, "%2C");
            esc_url_str(b, *s);
        }
        buf_putc(b, '&');
    }
    buf_printf(b, "page=%ld&per_page=%ld%s%s", page, lp->per_page,
               lp->exact ? "&exact=true" : "", lp->csv ? "&format=csv" : "");
}

static void add_link_header(struct req *r, const struct list_params *lp, size_t total)
{
    long last = total ? (long)((total + (size_t)lp->per_page - 1) / (size_t)lp->per_page) : 1;
    struct buf h = BUF_INIT;
    struct { const char *rel; long page; bool show; } links[] = {
        {"first", 1, true},
        {"prev", lp->page - 1, lp->page > 1},
        {"next", lp->page + 1, lp->page < last},
        {"last", last, true},
    };
    for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
        if (!links[i].show)
            continue;
        if (h.len)
            buf_puts(&h, ", ");
        buf_putc(&h, '<');
        list_url(&h, lp, links[i].page > last ? last : links[i].page);
        buf_printf(&h, ">; rel=\"%s\"", links[i].rel);
    }
    req_add_header(r, "Link", h.data);
    buf_reset(&h);
}

static void write_facet(struct jsonw *w, const struct store_term *terms, size_t n,
                        const size_t *counts)
{
    jsonw_arr_open(w);
    for (size_t i = 0; i < n; i++) {
        jsonw_obj_open(w);
        jsonw_kstr(w, "slug", terms[i].slug);
        jsonw_kstr(w, "label", terms[i].label);
        jsonw_kint(w, "count", (int64_t)counts[i]);
        jsonw_obj_close(w);
    }
    jsonw_arr_close(w);
}

/* A topic as the search's answers name it. */
static void write_topic_link(struct jsonw *w, const struct store_term *t)
{
    struct buf url = BUF_INIT;
    jsonw_obj_open(w);
    jsonw_kstr(w, "slug", t->slug);
    jsonw_kstr(w, "label", t->label);
    buf_puts(&url, "/api/v1/topics/");
    esc_url_str(&url, t->slug);
    jsonw_kstr(w, "url", url.data);
    url.len = 0;
    buf_puts(&url, "/topics/");
    esc_url_str(&url, t->slug);
    jsonw_kstr(w, "guidance_url", url.data);
    buf_reset(&url);
    jsonw_obj_close(w);
}

/* What the search understood: the corrected words, the topics it names,
 * urgent help; and when nothing matched, somewhere to go instead (never a
 * dead end): the topics closest to it or, failing those, every top-level
 * topic, urgent help, and the search without its filters if that finds
 * something. */
static void write_understanding(struct jsonw *w, const struct store_index *ix,
                                const struct list_params *lp, const struct store_results *res)
{
    if (res->corrected) {
        jsonw_key(w, "corrected");
        jsonw_obj_open(w);
        jsonw_kstr(w, lp->q, res->corrected);
        jsonw_obj_close(w);
    }
    jsonw_key(w, "topics_meant");
    jsonw_arr_open(w);
    for (size_t i = 0; i < res->n_meant; i++)
        write_topic_link(w, &ix->topics[res->meant[i]]);
    jsonw_arr_close(w);
    jsonw_key(w, "urgent");
    jsonw_bool(w, res->urgent);
    if (res->urgent)
        jsonw_kstr(w, "help_url", "/api/v1/help");
    if (res->total > 0)
        return;
    jsonw_key(w, "suggestions");
    jsonw_obj_open(w);
    jsonw_key(w, "topics");
    jsonw_arr_open(w);
    for (size_t i = 0; i < res->n_meant; i++)
        write_topic_link(w, &ix->topics[res->meant[i]]);
    for (size_t t = 0; !res->n_meant && t < ix->n_topics; t++)
        if (ix->topics[t].parent < 0)
            write_topic_link(w, &ix->topics[t]);
    jsonw_arr_close(w);
    jsonw_kstr(w, "help_url", "/api/v1/help");
    jsonw_key(w, "search_url");
    if (res->unfiltered > 0 && (lp->n_aud || lp->n_topics)) {
        struct buf url = BUF_INIT;
        buf_puts(&url, "/api/v1/organisations?q=");
        esc_url_str(&url, lp->q);
        jsonw_str(w, url.data);
        buf_reset(&url);
    } else {
        jsonw_null(w);
    }
    jsonw_obj_close(w);
}

static int index_unavailable(struct req *r)
{
    return problem_reply(r, 503, "The directory cannot be read just now. Please try "
                               "again in a moment.");
}

int api_organisations_list(struct req *r)
{
    r->vary_accept = true; /* JSON or, when asked, CSV */
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return index_unavailable(r);
    struct list_params lp;
    struct store_results res = {0};
    if (!list_params_or_reply(r, ix, &lp))
        goto out;
    struct store_search search = {
        .q = lp.q,
        .exact = lp.exact,
        .audiences = lp.aud,
        .n_audiences = lp.n_aud,
        .topics = lp.topics,
        .n_topics = lp.n_topics,
        .offset = (size_t)(lp.page - 1) * (size_t)lp.per_page,
        .limit = (size_t)lp.per_page,
    };
    if (store_search(ix, &search, &res) != 0) {
        problem_reply(r, 500, "The search failed. Please try again.");
        goto out;
    }
    if (lp.csv) {
        write_csv(r, ix, &res);
        add_link_header(r, &lp, res.total);
        goto out;
    }
    struct jsonw w;
    jsonw_init(&w, &r->body);
    buf_grow(&r->body, 512 * res.n_items + 1024);
    jsonw_obj_open(&w);
    jsonw_key(&w, "items");
    jsonw_arr_open(&w);
    for (size_t i = 0; i < res.n_items; i++)
        write_org_summary(&w, ix, res.items[i]);
    jsonw_arr_close(&w);
    jsonw_kint(&w, "total", (int64_t)res.total);
    jsonw_kint(&w, "page", lp.page);
    jsonw_kint(&w, "per_page", lp.per_page);
    jsonw_key(&w, "facets");
    jsonw_obj_open(&w);
    jsonw_key(&w, "audience");
    write_facet(&w, ix->audiences, ix->n_audiences, res.audience_counts);
    jsonw_key(&w, "topic");
    write_facet(&w, ix->topics, ix->n_topics, res.topic_counts);
    jsonw_obj_close(&w);
    if (lp.q)
        write_understanding(&w, ix, &lp, &res);
    jsonw_obj_close(&w);
    api_json_ok(r);
    add_link_header(r, &lp, res.total);
out:
    store_results_reset(&res);
    list_params_reset(&lp);
    store_index_release(ix);
    return r->status;
}

/* Writes the href a contact's value links to: tel:/sms: with the digits
 * only, mailto:, or the URL itself when it is safe to link. */
int api_organisation_get(struct req *r)
{
    struct store_org_detail d;
    int found = store_org_get(r->args[0], &d);
    if (found < 0)
        return index_unavailable(r);
    if (found == 0) {
        problem_not_found(r, "organisation", r->args[0]);
        return 404;
    }
    org_body(&r->body, &d, RECORD_PUBLIC);
    store_org_detail_reset(&d);
    api_json_ok(r);
    return 200;
}

/* ---- taxonomies ---------------------------------------------------------- */

static void write_terms(struct req *r, const struct store_term *terms, size_t n,
                        bool topics)
{
    struct jsonw w;
    jsonw_init(&w, &r->body);
    jsonw_obj_open(&w);
    jsonw_key(&w, "items");
    jsonw_arr_open(&w);
    for (size_t i = 0; i < n; i++) {
        jsonw_obj_open(&w);
        jsonw_kstr(&w, "slug", terms[i].slug);
        jsonw_kstr(&w, "label", terms[i].label);
        jsonw_kstr(&w, "description", terms[i].description);
        if (topics)
            jsonw_kstr(&w, "parent",
                       terms[i].parent >= 0 ? terms[terms[i].parent].slug : NULL);
        jsonw_kint(&w, "count", (int64_t)terms[i].count);
        jsonw_obj_close(&w);
    }
    jsonw_arr_close(&w);
    jsonw_obj_close(&w);
    api_json_ok(r);
}

int api_audiences_list(struct req *r)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return index_unavailable(r);
    write_terms(r, ix->audiences, ix->n_audiences, false);
    store_index_release(ix);
    return 200;
}

int api_topics_list(struct req *r)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return index_unavailable(r);
    write_terms(r, ix->topics, ix->n_topics, true);
    store_index_release(ix);
    return 200;
}

int api_audience_get(struct req *r)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return index_unavailable(r);
    int a = store_term_find(ix->audiences, ix->n_audiences, r->args[0]);
    if (a < 0) {
        problem_not_found(r, "audience", r->args[0]);
        store_index_release(ix);
        return 404;
    }
    term_audience_body(&r->body, ix, a);
    store_index_release(ix);
    api_json_ok(r);
    return 200;
}

int api_resource_get(struct req *r)
{
    json_t *row = NULL;
    int found = store_resource_get(r->args[0], false, &row);
    if (found < 0)
        return index_unavailable(r);
    if (!found) {
        problem_not_found(r, "resource", r->args[0]);
        return 404;
    }
    resource_body(&r->body, row, RECORD_PUBLIC);
    json_decref(row);
    api_json_ok(r);
    return 200;
}

int api_topic_get(struct req *r)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return index_unavailable(r);
    int t = store_term_find(ix->topics, ix->n_topics, r->args[0]);
    if (t < 0) {
        problem_not_found(r, "topic", r->args[0]);
        store_index_release(ix);
        return 404;
    }
    term_topic_body(&r->body, ix, t);
    store_index_release(ix);
    api_json_ok(r);
    return 200;
}

/* ---- urgent help --------------------------------------------------------- */

int api_help_list(struct req *r)
{
    struct store_help *list = NULL;
    int n = store_help_list(&list);
    if (n < 0)
        return index_unavailable(r);
    struct jsonw w;
    jsonw_init(&w, &r->body);
    jsonw_obj_open(&w);
    jsonw_key(&w, "items");
    jsonw_arr_open(&w);
    for (int i = 0; i < n; i++) {
        const struct store_help *h = &list[i];
        jsonw_obj_open(&w);
        jsonw_kstr(&w, "label", h->label);
        jsonw_kstr(&w, "description", h->description);
        jsonw_kstr(&w, "kind", h->kind);
        jsonw_kstr(&w, "value", h->value);
        record_contact_href(&w, strcmp(h->kind, "web") == 0 ? "website" : h->kind,
                           h->value);
        jsonw_kstr(&w, "hours", h->hours);
        jsonw_kstr(&w, "organisation", h->org_slug);
        jsonw_obj_close(&w);
    }
    jsonw_arr_close(&w);
    jsonw_obj_close(&w);
    store_help_free(list, n);
    api_json_ok(r);
    return 200;
}
