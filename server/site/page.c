/* page.c: see page.h. Each handler gathers what its page shows into a
 * jansson object and renders a template into the layout. Nothing here
 * writes markup: the templates do, and they escape every value. */
#include "site/page.h"
#include "lib/assets.h"
#include "lib/buf.h"
#include "lib/escape.h"
#include "views/markdown.h"
#include "lib/sha256.h"
#include "store/store.h"
#include "views/tmpl.h"
#include "lib/util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PAGE_MAX_AGE 300
#define RESULTS_PER_PAGE 20
#define Q_MAX_CHARS 200

static struct tmpl_set *templates;
static char *theme;                /* the operator's theme directory, or NULL */
static char *site_css, *site_js;   /* inlined into every page */
static char *csp;                  /* Content-Security-Policy with their hashes */
static char css_hash[45], js_hash[45];
static char *public_url;

static const char *const html_type = "text/html; charset=utf-8";

/* The neutral site the quick-exit button leaves for. */
#define EXIT_URL "https://www.bbc.co.uk/weather"

/* ---- start-up ------------------------------------------------------------ */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    return buf_detach(&b, len);
}

/* Compiled-in text of an asset, or the theme's replacement if it has one. */
static char *load_text(const char *theme_dir, const char *theme_name,
                       const char *asset_name, size_t *len)
{
    if (theme_dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", theme_dir, theme_name);
        char *text = read_file(path, len);
        if (text)
            return text;
    }
    const struct asset *a = asset_find(asset_name);
    if (!a)
        return NULL;
    *len = a->len;
    return xstrndup((const char *)a->data, a->len);
}

char *page_theme_text(const char *theme_name, const char *asset_name, size_t *len)
{
    return load_text(theme, theme_name, asset_name, len);
}

int page_init(const char *theme_dir, const char *url)
{
    theme = theme_dir ? xstrdup(theme_dir) : NULL;
    templates = tmpl_set_new();
    static const char prefix[] = "server/templates/";
    for (size_t i = 0; i < assets_count; i++) {
        const char *name = assets[i].name;
        if (strncmp(name, prefix, sizeof prefix - 1) != 0)
            continue;
        const char *file = name + sizeof prefix - 1;   /* "home.html" */
        char tname[128], theme_name[256];
        snprintf(tname, sizeof tname, "%.*s", (int)(strlen(file) - 5), file);
        snprintf(theme_name, sizeof theme_name, "templates/%s", file);
        size_t len;
        char *src = load_text(theme_dir, theme_name, name, &len);
        char *err = NULL;
        if (!src || tmpl_add(templates, tname, src, len, &err) != 0) {
            fprintf(stderr, "signpost: %s\n", err ? err : "cannot read a template");
            free(err);
            free(src);
            return -1;
        }
        free(src);
    }
    size_t css_len, js_len;
    site_css = load_text(theme_dir, "site.css", "server/static/site.css", &css_len);
    site_js = load_text(theme_dir, "exit.js", "server/static/exit.js", &js_len);
    if (!site_css || !site_js) {
        fprintf(stderr, "signpost: the site's CSS or script is missing\n");
        return -1;
    }
    sha256_base64(site_css, css_len, css_hash);
    sha256_base64(site_js, js_len, js_hash);
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "default-src 'none'; style-src 'sha256-%s'; script-src 'sha256-%s'; "
               "img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
               "base-uri 'none'; object-src 'none'",
               css_hash, js_hash);
    csp = buf_detach(&b, NULL);
    public_url = xstrdup(url);
    size_t n = strlen(public_url);
    while (n && public_url[n - 1] == '/')
        public_url[--n] = '\0';
    return 0;
}

void page_shutdown(void)
{
    tmpl_set_free(templates);
    templates = NULL;
    free(site_css);
    free(site_js);
    free(csp);
    free(public_url);
    free(theme);
    site_css = site_js = csp = public_url = theme = NULL;
}

/* ---- shared pieces ------------------------------------------------------- */

static void set_str(json_t *o, const char *key, const char *value)
{
    if (value)
        json_object_set_new(o, key, json_string(value));
}

/* tel:/sms: links keep digits and a leading +. */
static char *phone_href(const char *scheme, const char *number)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, scheme);
    size_t base = b.len;
    for (const char *p = number; *p; p++)
        if ((*p >= '0' && *p <= '9') || (*p == '+' && b.len == base))
            buf_putc(&b, *p);
    return buf_detach(&b, NULL);
}

/* One contact channel as the templates show it. */
static json_t *channel_json(const char *kind, const char *label, const char *value,
                            const char *hours, const char *description)
{
    json_t *c = json_object();
    set_str(c, "label", label);
    set_str(c, "value", value);
    set_str(c, "hours", hours);
    set_str(c, "description", description);
    char *href = NULL;
    const char *action = "Visit";
    if (strcmp(kind, "phone") == 0) {
        href = phone_href("tel:", value);
        action = "Call";
        json_object_set_new(c, "is_phone", json_true());
    } else if (strcmp(kind, "text") == 0) {
        href = phone_href("sms:", value);
        action = "Text";
        json_object_set_new(c, "is_phone", json_true());
    } else if (strcmp(kind, "email") == 0) {
        struct buf b = BUF_INIT;
        buf_puts(&b, "mailto:");
        buf_puts(&b, value);
        href = buf_detach(&b, NULL);
        action = "Email";
    } else {
        href = xstrdup(value);
        action = strcmp(kind, "report-form") == 0 ? "Report online" : "Visit";
    }
    set_str(c, "href", href);
    set_str(c, "action", action);
    free(href);
    return c;
}

static json_t *help_json(void)
{
    struct store_help *list = NULL;
    int n = store_help_list(&list);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        const struct store_help *h = &list[i];
        json_t *c = channel_json(strcmp(h->kind, "web") == 0 ? "website" : h->kind,
                                 h->label, h->value, h->hours, h->description);
        if (i < 3)
            json_object_set_new(c, "top", json_true());
        json_array_append_new(items, c);
    }
    if (n > 0)
        store_help_free(list, n);
    return items;
}

static const char *kind_label(const char *kind)
{
    static const char *const map[][2] = {
        {"charity", "Charity"}, {"government", "Government"}, {"police", "Police"},
        {"local-authority", "Local council"}, {"partnership", "Partnership"},
        {"public-body", "Public body"}, {"company", "Company"}, {"other", "Organisation"},
    };
    for (size_t i = 0; kind && i < sizeof map / sizeof *map; i++)
        if (strcmp(kind, map[i][0]) == 0)
            return map[i][1];
    return "Organisation";
}

static const char *type_label(const char *type)
{
    static const char *const map[][2] = {
        {"helpline", "Helpline"}, {"reporting-tool", "Report"},
        {"education-pack", "Education pack"}, {"campaign", "Campaign"},
        {"guidance", "Guidance"}, {"website", "Website"}, {"film", "Film"},
        {"service", "Service"},
    };
    for (size_t i = 0; type && i < sizeof map / sizeof *map; i++)
        if (strcmp(type, map[i][0]) == 0)
            return map[i][1];
    return "Resource";
}

/* "2026-01-31" -> "31 January 2026"; anything else is returned as given. */
static char *long_date(const char *iso)
{
    static const char *const months[] = {"January", "February", "March", "April",
                                         "May", "June", "July", "August",
                                         "September", "October", "November", "December"};
    int y, m, d;
    char tail;
    if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
        d < 1 || d > 31)
        return iso ? xstrdup(iso) : NULL;
    struct buf b = BUF_INIT;
    buf_printf(&b, "%d %s %d", d, months[m - 1], y);
    return buf_detach(&b, NULL);
}

/* Joins the labels of the bits set in set: "Parents and carers, Professionals". */
static char *labels_of(const uint64_t *set, const struct store_term *terms, size_t n)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (!store_bit(set, i))
            continue;
        if (b.len)
            buf_puts(&b, ", ");
        buf_puts(&b, terms[i].label);
    }
    return buf_detach(&b, NULL);
}

/* One organisation card, as results and topic pages list them. */
json_t *page_card_json(const struct store_index *ix, const struct store_org *o)
{
    json_t *c = json_object();
    set_str(c, "slug", o->slug);
    set_str(c, "name", o->name);
    set_str(c, "summary", o->summary);
    set_str(c, "coverage", o->coverage);
    set_str(c, "kind", kind_label(o->kind));
    char *aud = labels_of(o->audiences, ix->audiences, ix->n_audiences);
    set_str(c, "audiences", aud);
    free(aud);
    if (o->phone) {
        char *href = phone_href("tel:", o->phone);
        set_str(c, "phone", o->phone);
        set_str(c, "phone_href", href);
        free(href);
    }
    return c;
}

const char *page_site_hashes(const char **css)
{
    *css = css_hash;
    return js_hash;
}

const char *page_public_url(void)
{
    return public_url;
}

int page_render_bare(struct req *r, int status, const char *name, json_t *ctx,
                     const char *policy)
{
    json_object_set_new(ctx, "exit_url", json_string(EXIT_URL));
    buf_grow(&r->body, 8192);
    tmpl_render(templates, name, ctx, &r->body);
    json_decref(ctx);
    r->status = status;
    r->content_type = html_type;
    r->max_age = status == 200 ? PAGE_MAX_AGE : 0;
    r->cacheable = status < 500;
    if (policy)
        req_add_header(r, "Content-Security-Policy", policy);
    return status;
}

static int render_page(struct req *r, int status, const char *name, json_t *ctx,
                       const char *title)
{
    return page_render_layout(r, status, name, ctx, title, NULL, NULL);
}

int page_render_layout(struct req *r, int status, const char *name, json_t *ctx,
                       const char *title, const char *policy, const char *extra_js)
{
    struct buf content = BUF_INIT;
    json_object_set_new(ctx, "exit_url", json_string(EXIT_URL));
    if (!json_object_get(ctx, "help"))
        json_object_set_new(ctx, "help", help_json());
    tmpl_render(templates, name, ctx, &content);
    json_object_set_new(ctx, "content", json_stringn(content.data ? content.data : "",
                                                     content.len));
    buf_reset(&content);
    set_str(ctx, "title", title);
    set_str(ctx, "css", site_css);
    set_str(ctx, "js", site_js);
    set_str(ctx, "extra_js", extra_js);
    buf_grow(&r->body, 16384);
    tmpl_render(templates, "layout", ctx, &r->body);
    json_decref(ctx);
    r->status = status;
    r->content_type = html_type;
    r->max_age = status == 200 ? PAGE_MAX_AGE : 0;
    r->cacheable = status < 500;
    req_add_header(r, "Content-Security-Policy", policy ? policy : csp);
    req_add_header(r, "X-Frame-Options", "DENY");
    return status;
}

int page_error(struct req *r, int status, const char *detail)
{
    const char *title;
    const char *lead;
    switch (status) {
    case 400:
        title = "We could not understand that address";
        lead = "Something in the address of this page is not right.";
        break;
    case 404:
        title = "Page not found";
        lead = "We could not find the page you asked for. It may have moved, or the "
               "address may be mistyped.";
        break;
    case 405:
        title = "That cannot be done here";
        lead = "This page can only be viewed, not sent to.";
        break;
    default:
        title = "Sorry, something went wrong";
        lead = "There is a problem on our side. Please try again in a moment.";
        break;
    }
    buf_reset(&r->body);
    json_t *ctx = json_object();
    json_object_set_new(ctx, "status", json_integer(status));
    set_str(ctx, "heading", title);
    set_str(ctx, "lead", lead);
    set_str(ctx, "detail", detail);
    json_object_set_new(ctx, "noindex", json_true());
    return render_page(r, status, "error", ctx, title);
}

static int index_unavailable(struct req *r)
{
    return page_error(r, 503, "The directory cannot be read just now.");
}

/* ---- home ---------------------------------------------------------------- */

/* The audience entry points on the home page, in the order people look. */
static const char *const entry_points[][3] = {
    {"parents", "I'm a parent or carer", "Advice and people to talk to about your child"},
    {"young-people", "I'm a young person", "Help that is confidential and free"},
    {"children", "I'm a child", "Someone to talk to, any time"},
    {"professionals", "I work with children", "Guidance, training and helplines for professionals"},
};

static json_t *topics_json(const struct store_index *ix, const char *current)
{
    json_t *list = json_array();
    for (size_t i = 0; i < ix->n_topics; i++) {
        const struct store_term *t = &ix->topics[i];
        json_t *o = json_object();
        set_str(o, "slug", t->slug);
        set_str(o, "label", t->label);
        set_str(o, "description", t->description);
        json_object_set_new(o, "count", json_integer((json_int_t)t->count));
        if (t->parent >= 0)
            json_object_set_new(o, "sub", json_true());
        if (current && strcmp(current, t->slug) == 0)
            json_object_set_new(o, "current", json_true());
        json_array_append_new(list, o);
    }
    return list;
}

int page_home(struct req *r)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return index_unavailable(r);
    json_t *ctx = json_object();
    json_t *entries = json_array();
    for (size_t i = 0; i < sizeof entry_points / sizeof *entry_points; i++) {
        if (store_term_find(ix->audiences, ix->n_audiences, entry_points[i][0]) < 0)
            continue;
        json_t *e = json_object();
        set_str(e, "slug", entry_points[i][0]);
        set_str(e, "label", entry_points[i][1]);
        set_str(e, "hint", entry_points[i][2]);
        json_array_append_new(entries, e);
    }
    json_object_set_new(ctx, "entries", entries);
    json_t *top = json_array();
    for (size_t i = 0; i < ix->n_topics; i++) {
        if (ix->topics[i].parent >= 0)
            continue;
        json_t *o = json_object();
        set_str(o, "slug", ix->topics[i].slug);
        set_str(o, "label", ix->topics[i].label);
        set_str(o, "description", ix->topics[i].description);
        json_array_append_new(top, o);
    }
    json_object_set_new(ctx, "topics", top);
    json_object_set_new(ctx, "topics_all", topics_json(ix, NULL));
    json_object_set_new(ctx, "org_count", json_integer((json_int_t)ix->n_orgs));
    json_object_set_new(ctx, "urgent_inline", json_true());
    store_index_release(ix);
    return render_page(r, 200, "home", ctx, "Find support for online safety");
}

/* ---- results ------------------------------------------------------------- */

struct results_query {
    const char *q;
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
    if (page > 1)
        buf_printf(b, "%cpage=%ld", sep, page);
}

/* Sets ctx.oembed_url: the oEmbed address for the page at path (a local
 * address with any query), for the discovery link. */
static void set_oembed(json_t *ctx, const char *path)
{
    struct buf page = BUF_INIT, url = BUF_INIT;
    buf_printf(&page, "%s%s", public_url, path);
    buf_printf(&url, "%s/oembed?format=json&url=", public_url);
    esc_url(&url, page.data, page.len);
    set_str(ctx, "oembed_url", url.data);
    buf_reset(&page);
    buf_reset(&url);
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
        json_t *o = json_object();
        set_str(o, "slug", terms[i].slug);
        set_str(o, "label", terms[i].label);
        json_object_set_new(o, "count", json_integer((json_int_t)counts[i]));
        if (in_list(selected, terms[i].slug))
            json_object_set_new(o, "checked", json_true());
        if (terms[i].parent >= 0)
            json_object_set_new(o, "sub", json_true());
        json_array_append_new(list, o);
    }
    return list;
}

/* Resolves slugs to term indexes; appends a sentence per unknown one to
 * problems. */
static int *resolve(char **slugs, const struct store_term *terms, size_t n_terms,
                    const char *what, size_t *count, struct buf *problems)
{
    size_t n = 0;
    for (char **s = slugs; *s; s++)
        n++;
    int *idx = xcalloc(n + 1, sizeof *idx);
    *count = 0;
    for (char **s = slugs; *s; s++) {
        int i = store_term_find(terms, n_terms, *s);
        if (i >= 0)
            idx[(*count)++] = i;
        else
            buf_printf(problems, "%sThere is no %s called \u201c%.60s\u201d.",
                       problems->len ? " " : "", what, *s);
    }
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
    l->searching = l->q && query_fts_build(l->q, &l->fts) > 0;
}

int page_listing_search(const struct page_listing *l, struct store_index *ix, size_t offset,
                        size_t limit, struct store_results *res)
{
    struct store_search s = {
        .fts = l->searching ? l->fts.data : NULL,
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
    buf_reset(&l->fts);
    buf_reset(&l->problems);
    memset(l, 0, sizeof *l);
}

int page_organisations(struct req *r)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return index_unavailable(r);
    struct page_listing l;
    struct store_results res = {0};
    page_listing_parse(r, ix, &l);
    struct results_query rq = {.q = l.q, .aud = l.aud, .topics = l.topics, .page = 1};
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
    set_str(ctx, "q", rq.q);
    json_object_set_new(ctx, "total", json_integer((json_int_t)res.total));
    json_object_set_new(ctx, "one", json_boolean(res.total == 1));
    json_t *items = json_array();
    for (size_t i = 0; i < res.n_items; i++)
        json_array_append_new(items, page_card_json(ix, res.items[i]));
    json_object_set_new(ctx, "items", items);
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
        set_str(a, "label", label.data);
        buf_reset(&label);
        json_object_set_new(a, "url", url_json(&rq, 1, 0, NULL, true));
        json_array_append_new(active, a);
    }
    for (size_t i = 0; i < n_aud; i++) {
        json_t *a = json_object();
        set_str(a, "label", ix->audiences[aud[i]].label);
        json_object_set_new(a, "url", url_json(&rq, 1, 'a', ix->audiences[aud[i]].slug, false));
        json_array_append_new(active, a);
    }
    for (size_t i = 0; i < n_top; i++) {
        json_t *a = json_object();
        set_str(a, "label", ix->topics[top[i]].label);
        json_object_set_new(a, "url", url_json(&rq, 1, 't', ix->topics[top[i]].slug, false));
        json_array_append_new(active, a);
    }
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
    set_str(ctx, "heading", title.data);
    if (rq.page > 1)
        buf_printf(&title, " (page %ld)", rq.page);
    json_object_set_new(ctx, "empty", json_boolean(res.total == 0));
    struct buf self = BUF_INIT;
    results_url(&self, &rq, 1, 0, NULL, false);
    set_oembed(ctx, self.data);
    buf_reset(&self);
    json_object_set_new(ctx, "filtered", json_boolean(n_aud || n_top || searching));
    render_page(r, 200, "organisations", ctx, title.data);
    buf_reset(&title);
out:
    store_results_reset(&res);
    page_listing_reset(&l);
    store_index_release(ix);
    return r->status;
}

/* ---- one organisation ---------------------------------------------------- */

static json_t *term_labels(char **slugs, const struct store_term *terms, size_t n)
{
    json_t *list = json_array();
    for (char **s = slugs; s && *s; s++) {
        int i = store_term_find(terms, n, *s);
        if (i < 0)
            continue;
        json_t *o = json_object();
        set_str(o, "slug", terms[i].slug);
        set_str(o, "label", terms[i].label);
        json_array_append_new(list, o);
    }
    return list;
}

int page_organisation(struct req *r)
{
    struct store_org_detail d;
    int found = store_org_get(r->args[0], &d);
    if (found < 0)
        return index_unavailable(r);
    if (found == 0)
        return page_error(r, 404, "There is no organisation at this address in the "
                                  "directory.");
    struct store_index *ix = store_index_acquire();
    if (!ix) {
        store_org_detail_reset(&d);
        return index_unavailable(r);
    }
    json_t *ctx = json_object();
    set_str(ctx, "slug", d.slug);
    set_str(ctx, "name", d.name);
    set_str(ctx, "summary", d.summary);
    set_str(ctx, "description", d.description);
    struct buf self = BUF_INIT;
    buf_puts(&self, "/organisations/");
    esc_url_str(&self, d.slug);
    set_oembed(ctx, self.data);
    buf_reset(&self);
    set_str(ctx, "website", d.website);
    set_str(ctx, "kind", kind_label(d.kind));
    set_str(ctx, "coverage", d.coverage);
    set_str(ctx, "source", d.source);
    char *checked = long_date(d.last_reviewed);
    set_str(ctx, "last_reviewed", checked);
    set_str(ctx, "last_reviewed_iso", d.last_reviewed);
    free(checked);
    json_t *contacts = json_array();
    for (size_t i = 0; i < d.n_contacts; i++)
        json_array_append_new(contacts, channel_json(d.contacts[i].kind, d.contacts[i].label,
                                                     d.contacts[i].value, d.contacts[i].hours,
                                                     NULL));
    json_object_set_new(ctx, "contacts", contacts);
    json_t *resources = json_array();
    for (size_t i = 0; i < d.n_resources; i++) {
        const struct store_resource *res = &d.resources[i];
        json_t *o = json_object();
        set_str(o, "name", res->name);
        set_str(o, "url", res->url);
        set_str(o, "summary", res->summary);
        set_str(o, "type", type_label(res->type));
        struct buf ages = BUF_INIT;
        if (res->age_min >= 0 && res->age_max >= 0)
            buf_printf(&ages, "Ages %d to %d", res->age_min, res->age_max);
        else if (res->age_min >= 0)
            buf_printf(&ages, "Ages %d and over", res->age_min);
        else if (res->age_max >= 0)
            buf_printf(&ages, "Up to age %d", res->age_max);
        if (ages.len)
            set_str(o, "ages", ages.data);
        buf_reset(&ages);
        json_array_append_new(resources, o);
    }
    json_object_set_new(ctx, "resources", resources);
    json_object_set_new(ctx, "audiences", term_labels(d.audiences, ix->audiences,
                                                      ix->n_audiences));
    json_object_set_new(ctx, "topics", term_labels(d.topics, ix->topics, ix->n_topics));
    store_index_release(ix);
    char *title = xstrdup(d.name);
    store_org_detail_reset(&d);
    render_page(r, 200, "organisation", ctx, title);
    free(title);
    return r->status;
}

/* ---- topics -------------------------------------------------------------- */

int page_topic(struct req *r)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return index_unavailable(r);
    int t = store_term_find(ix->topics, ix->n_topics, r->args[0]);
    if (t < 0) {
        store_index_release(ix);
        return page_error(r, 404, "There is no topic at this address.");
    }
    const struct store_term *topic = &ix->topics[t];
    json_t *ctx = json_object();
    set_str(ctx, "slug", topic->slug);
    set_str(ctx, "label", topic->label);
    set_str(ctx, "description", topic->description);
    char *html = markdown_to_html(topic->guidance_md);
    set_str(ctx, "guidance_html", html);
    free(html);
    if (topic->parent >= 0) {
        json_t *p = json_object();
        set_str(p, "slug", ix->topics[topic->parent].slug);
        set_str(p, "label", ix->topics[topic->parent].label);
        json_object_set_new(ctx, "parent", p);
    }
    json_t *children = json_array();
    for (size_t i = 0; i < ix->n_topics; i++) {
        if (ix->topics[i].parent != t)
            continue;
        json_t *o = json_object();
        set_str(o, "slug", ix->topics[i].slug);
        set_str(o, "label", ix->topics[i].label);
        json_array_append_new(children, o);
    }
    json_object_set_new(ctx, "children", children);
    int filter[1] = {t};
    struct store_search s = {.topics = filter, .n_topics = 1, .offset = 0, .limit = 100};
    struct store_results res;
    if (store_search(ix, &s, &res) == 0) {
        json_t *items = json_array();
        for (size_t i = 0; i < res.n_items; i++)
            json_array_append_new(items, page_card_json(ix, res.items[i]));
        json_object_set_new(ctx, "items", items);
        json_object_set_new(ctx, "total", json_integer((json_int_t)res.total));
        store_results_reset(&res);
    }
    char *title = xstrdup(topic->label);
    store_index_release(ix);
    render_page(r, 200, "topic", ctx, title);
    free(title);
    return r->status;
}

/* ---- fixed pages --------------------------------------------------------- */

int page_help(struct req *r)
{
    json_t *ctx = json_object();
    json_object_set_new(ctx, "urgent_inline", json_true());
    return render_page(r, 200, "help", ctx, "Get help now");
}

int page_about(struct req *r)
{
    return render_page(r, 200, "about", json_object(), "About Signpost");
}

static void sitemap_url(struct buf *b, const char *path, const char *slug)
{
    buf_puts(b, "<url><loc>");
    esc_html_str(b, public_url);
    buf_puts(b, path);
    if (slug) {
        struct buf seg = BUF_INIT;
        esc_url_str(&seg, slug);
        esc_html_str(b, seg.data);
        buf_reset(&seg);
    }
    buf_puts(b, "</loc></url>\n");
}

int page_sitemap(struct req *r)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return index_unavailable(r);
    struct buf *b = &r->body;
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    sitemap_url(b, "/", NULL);
    sitemap_url(b, "/help", NULL);
    sitemap_url(b, "/about", NULL);
    sitemap_url(b, "/organisations", NULL);
    for (size_t i = 0; i < ix->n_topics; i++)
        sitemap_url(b, "/topics/", ix->topics[i].slug);
    for (size_t i = 0; i < ix->n_orgs && i < 40000; i++)
        sitemap_url(b, "/organisations/", ix->orgs[i].slug);
    buf_puts(b, "</urlset>\n");
    store_index_release(ix);
    r->status = 200;
    r->content_type = "application/xml; charset=utf-8";
    r->max_age = 3600;
    r->cacheable = true;
    return 200;
}

int page_robots(struct req *r)
{
    buf_printf(&r->body, "User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: %s/sitemap.xml\n",
               public_url);
    r->status = 200;
    r->content_type = "text/plain; charset=utf-8";
    r->max_age = 3600;
    r->cacheable = true;
    return 200;
}

int page_favicon(struct req *r)
{
    const struct asset *a = asset_find("server/static/favicon.svg");
    if (!a)
        return page_error(r, 404, NULL);
    buf_append(&r->body, a->data, a->len);
    r->status = 200;
    r->content_type = "image/svg+xml";
    r->max_age = 86400;
    r->cacheable = true;
    return 200;
}

/* ---- reporting a problem with an entry ----------------------------------- */

#define REPORTS_PER_WINDOW 5
#define REPORT_WINDOW_SECONDS 600

static const char *const report_choices[][2] = {
    {"phone", "A phone number is wrong"},
    {"website", "A website address is wrong"},
    {"email", "An email address is wrong"},
    {"closed", "The organisation or service has closed"},
    {"description", "The description is wrong or out of date"},
    {"other", "Something else"},
};

/* Reports a client may send: a few per ten minutes per address. */
static struct {
    char client[48];
    unsigned count;
    time_t start;
} report_slots[256];
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;

static bool report_allowed(const char *client)
{
    time_t now = time(NULL);
    uint64_t h = util_hash(UTIL_FNV_INIT, client, strlen(client)) % 256;
    bool ok;
    pthread_mutex_lock(&report_lock);
    if (strcmp(report_slots[h].client, client) != 0 ||
        now - report_slots[h].start >= REPORT_WINDOW_SECONDS) {
        snprintf(report_slots[h].client, sizeof report_slots[h].client, "%s", client);
        report_slots[h].count = 0;
        report_slots[h].start = now;
    }
    ok = report_slots[h].count < REPORTS_PER_WINDOW;
    if (ok)
        report_slots[h].count++;
    pthread_mutex_unlock(&report_lock);
    return ok;
}

static int report_page(struct req *r, int status, const char *slug, const char *name,
                       const char *what, const char *details, json_t *errors, bool sent)
{
    json_t *ctx = json_object();
    set_str(ctx, "slug", slug);
    set_str(ctx, "name", name);
    set_str(ctx, "details", details);
    json_t *choices = json_array();
    for (size_t i = 0; i < sizeof report_choices / sizeof *report_choices; i++) {
        json_t *c = json_pack("{s:s, s:s}", "value", report_choices[i][0], "label",
                              report_choices[i][1]);
        if (what && strcmp(what, report_choices[i][0]) == 0)
            json_object_set_new(c, "checked", json_true());
        json_array_append_new(choices, c);
    }
    json_object_set_new(ctx, "choices", choices);
    if (errors)
        json_object_set_new(ctx, "errors", json_pack("{s:o}", "list", errors));
    if (sent)
        json_object_set_new(ctx, "sent", json_true());
    json_object_set_new(ctx, "noindex", json_true());
    page_render_layout(r, status, "report", ctx, "Report a problem with this entry", NULL, NULL);
    r->cacheable = status == 200 && !sent && !errors;
    if (!r->cacheable)
        r->max_age = -1;
    return status;
}

int page_report_form(struct req *r)
{
    struct store_org_detail d;
    int found = store_org_get(r->args[0], &d);
    if (found < 0)
        return index_unavailable(r);
    if (!found)
        return page_error(r, 404, "There is no organisation at this address in the directory.");
    report_page(r, 200, d.slug, d.name, NULL, NULL, NULL, false);
    store_org_detail_reset(&d);
    return 200;
}

int page_report_send(struct req *r)
{
    struct store_org_detail d;
    int found = store_org_get(r->args[0], &d);
    if (found < 0)
        return index_unavailable(r);
    if (!found)
        return page_error(r, 404, "There is no organisation at this address in the directory.");
    struct req form;
    memset(&form, 0, sizeof form);
    struct buf target = BUF_INIT;
    buf_putc(&target, '?');
    if (r->in_body)
        buf_append(&target, r->in_body, r->in_body_len);
    json_t *errors = json_array();
    const char *type = r->in_type ? r->in_type : "";
    if (strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0 ||
        query_parse(&form.query, target.data, target.len, 8192) != QUERY_OK)
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "what", "message",
                                                "The form could not be read. Please try again."));
    const char *what = query_get(&form.query, "what");
    const char *details = query_get(&form.query, "details");
    const char *trap = query_get(&form.query, "contact_me");
    bool known = false;
    for (size_t i = 0; what && i < sizeof report_choices / sizeof *report_choices; i++)
        known |= strcmp(what, report_choices[i][0]) == 0;
    if (!json_array_size(errors) && !known)
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "what", "message",
                                                "Choose what is wrong"));
    if (details && esc_utf8_len(details, strlen(details)) > 2000)
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "details", "message",
                                                "Details must be 2,000 characters or fewer"));
    int status = 200;
    if (json_array_size(errors)) {
        status = 400;
    } else if (trap && *trap) {
        /* A bot filled the hidden field: thank it and keep nothing. */
        json_decref(errors);
        errors = NULL;
    } else if (!report_allowed(r->client)) {
        status = 429;
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "what", "message",
                                                "Too many reports from your connection. Please "
                                                "try again in a few minutes."));
    } else if (store_report_add(d.slug, what, details ? details : "") != STORE_OK) {
        status = 503;
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "what", "message",
                                                "Your report could not be saved just now. "
                                                "Please try again."));
    } else {
        json_decref(errors);
        errors = NULL;
    }
    report_page(r, status, d.slug, d.name, what, details, errors, status == 200);
    if (status == 429)
        req_add_header(r, "Retry-After", "600");
    req_reset(&form);
    buf_reset(&target);
    store_org_detail_reset(&d);
    return status;
}
