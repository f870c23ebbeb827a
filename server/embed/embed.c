/* embed.c: see embed.h. */
#include "embed/embed.h"
#include "lib/escape.h"
#include "site/page.h"
#include "lib/sha256.h"
#include "store/store.h"
#include "lib/util.h"
#include "views/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT_DEFAULT 10
#define LIMIT_MAX 50
#define OEMBED_WIDTH 600
#define OEMBED_HEIGHT 640

static char *embed_css, *frame_js, *exit_js, *builder_js, *loader_js;
static size_t loader_len;
static char *frame_csp;     /* embed pages: framable by the allowed origins */
static char *builder_csp;   /* the builder: the site's CSP plus frames of self */


/* Checks "https://host[:port]" items separated by spaces. */
static bool origins_valid(const char *s)
{
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, ' ');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        size_t scheme = strncmp(p, "https://", 8) == 0 ? 8 : strncmp(p, "http://", 7) == 0 ? 7 : 0;
        if (!scheme || n <= scheme)
            return false;
        for (size_t i = scheme; i < n; i++) {
            char c = p[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == ':' || (c == '*' && i == scheme)))
                return false;
        }
        p += n;
    }
    return true;
}

int embed_init(const char *origins)
{
    size_t css_len, frame_len, exit_len, builder_len;
    embed_css = page_theme_text("embed.css", "server/static/embed.css", &css_len);
    frame_js = page_theme_text("frame.js", "server/static/frame.js", &frame_len);
    exit_js = page_theme_text("exit.js", "server/static/exit.js", &exit_len);
    builder_js = page_theme_text("builder.js", "server/static/builder.js", &builder_len);
    loader_js = page_theme_text("embed.js", "server/static/embed.js", &loader_len);
    if (!embed_css || !frame_js || !exit_js || !builder_js || !loader_js) {
        fprintf(stderr, "signpost: an embed asset is missing\n");
        return -1;
    }
    if (origins && (!*origins || !origins_valid(origins))) {
        fprintf(stderr, "signpost: --embed-origins takes origins such as "
                        "\"https://www.derby.gov.uk https://school.example\"\n");
        return -1;
    }
    char css_hash[45], frame_hash[45], exit_hash[45], builder_hash[45];
    sha256_base64(embed_css, css_len, css_hash);
    sha256_base64(frame_js, frame_len, frame_hash);
    sha256_base64(exit_js, exit_len, exit_hash);
    sha256_base64(builder_js, builder_len, builder_hash);
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "default-src 'none'; style-src 'sha256-%s'; script-src 'sha256-%s' "
               "'sha256-%s'; img-src 'self'; form-action 'self'; base-uri 'none'; "
               "object-src 'none'; frame-ancestors %s",
               css_hash, exit_hash, frame_hash, origins ? origins : "*");
    if (origins) /* the builder's preview frames the embed from this site */
        buf_puts(&b, " 'self'");
    frame_csp = buf_detach(&b, NULL);
    const char *site_css_hash;
    const char *site_js_hash = page_site_hashes(&site_css_hash);
    buf_printf(&b,
               "default-src 'none'; style-src 'sha256-%s'; script-src 'sha256-%s' "
               "'sha256-%s'; img-src 'self'; frame-src 'self'; form-action 'self'; "
               "frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
               site_css_hash, site_js_hash, builder_hash);
    builder_csp = buf_detach(&b, NULL);
    return 0;
}

void embed_shutdown(void)
{
    free(embed_css);
    free(frame_js);
    free(exit_js);
    free(builder_js);
    free(loader_js);
    free(frame_csp);
    free(builder_csp);
    embed_css = frame_js = exit_js = builder_js = loader_js = frame_csp = builder_csp = NULL;
}

/* ---- helpers ------------------------------------------------------------- */

static void set_str(json_t *o, const char *key, const char *value)
{
    if (value)
        json_object_set_new(o, key, json_string(value));
}

/* The context every embed template gets. */
static json_t *frame_ctx(const char *title)
{
    json_t *ctx = json_object();
    set_str(ctx, "title", title);
    set_str(ctx, "site", page_public_url());
    set_str(ctx, "css", embed_css);
    set_str(ctx, "js", exit_js);
    set_str(ctx, "frame_js", frame_js);
    return ctx;
}

static int frame_error(struct req *r, int status, const char *detail)
{
    json_t *ctx = frame_ctx("Listing unavailable");
    set_str(ctx, "detail", detail);
    return page_render_bare(r, status, "embed_error", ctx, frame_csp);
}

/* Appends "audience=a,b&topic=c&q=..&limit=N" for the listing l. */
static void embed_query(struct buf *b, const struct page_listing *l, long limit, bool repeat)
{
    char **lists[2] = {l->aud, l->topics};
    const char *names[2] = {"audience", "topic"};
    const char *sep = "";
    for (int k = 0; k < 2; k++) {
        if (!lists[k] || !lists[k][0])
            continue;
        if (repeat) {
            for (char **s = lists[k]; *s; s++) {
                buf_printf(b, "%s%s=", sep, names[k]);
                esc_url_str(b, *s);
                sep = "&";
            }
        } else {
            buf_printf(b, "%s%s=", sep, names[k]);
            for (char **s = lists[k]; *s; s++) {
                if (s != lists[k])
                    buf_puts(b, "%2C");
                esc_url_str(b, *s);
            }
            sep = "&";
        }
    }
    if (l->q && *l->q) {
        buf_printf(b, "%sq=", sep);
        esc_url_str(b, l->q);
        sep = "&";
    }
    if (limit > 0)
        buf_printf(b, "%slimit=%ld", sep, limit);
}

/* What the listing is, in a few words. */
static char *listing_heading(const struct store_index *ix, const struct page_listing *l)
{
    struct buf b = BUF_INIT;
    if (l->n_aud == 1 && !l->n_topic)
        buf_printf(&b, "Online safety support for %s", ix->audiences[l->aud_idx[0]].label);
    else if (l->n_topic == 1 && !l->n_aud)
        buf_printf(&b, "Support about %s", ix->topics[l->topic_idx[0]].label);
    else
        buf_puts(&b, "Online safety support");
    return buf_detach(&b, NULL);
}

struct listing {
    struct store_index *ix;
    struct page_listing l;
    struct store_results res;
    long limit;
};

static void listing_reset(struct listing *ls)
{
    store_results_reset(&ls->res);
    page_listing_reset(&ls->l);
    store_index_release(ls->ix);
}

/* Reads the listing parameters and runs the search. On bad input returns
 * false with a sentence in *why (static or in ls->l.problems). */
static bool listing_run(struct req *r, struct listing *ls, const char **why)
{
    memset(ls, 0, sizeof *ls);
    ls->ix = store_index_acquire();
    if (!ls->ix) {
        *why = NULL;
        return false;
    }
    page_listing_parse(r, ls->ix, &ls->l);
    ls->limit = LIMIT_DEFAULT;
    const char *limit = query_get(&r->query, "limit");
    if (limit && *limit && !query_parse_int(limit, 1, LIMIT_MAX, &ls->limit))
        buf_printf(&ls->l.problems, "%sThe number to show must be from 1 to 50.",
                   ls->l.problems.len ? " " : "");
    if (ls->l.problems.len) {
        *why = ls->l.problems.data;
        return false;
    }
    if (page_listing_search(&ls->l, ls->ix, 0, (size_t)ls->limit, &ls->res) != 0) {
        *why = NULL;
        return false;
    }
    return true;
}

/* The context shared by the framed listing and the fragment. */
static json_t *listing_ctx(struct listing *ls, json_t *ctx)
{
    char *heading = listing_heading(ls->ix, &ls->l);
    set_str(ctx, "heading", heading);
    free(heading);
    json_t *items = json_array();
    for (size_t i = 0; i < ls->res.n_items; i++)
        json_array_append_new(items, page_card_json(ls->ix, ls->res.items[i]));
    json_object_set_new(ctx, "items", items);
    json_object_set_new(ctx, "total", json_integer((json_int_t)ls->res.total));
    json_object_set_new(ctx, "empty", json_boolean(ls->res.total == 0));
    json_object_set_new(ctx, "more", json_boolean(ls->res.total > ls->res.n_items));
    if (ls->res.total == 0) {
        /* Never a dead end: the topics the words name, or every top-level
         * topic, on Signpost. */
        json_t *near = json_array();
        for (size_t t = 0; t < ls->ix->n_topics; t++) {
            bool meant = false;
            for (size_t m = 0; m < ls->res.n_meant; m++)
                meant |= ls->res.meant[m] == (int)t;
            if (ls->res.n_meant ? !meant : ls->ix->topics[t].parent >= 0)
                continue;
            json_t *o = json_object();
            set_str(o, "label", ls->ix->topics[t].label);
            set_str(o, "slug", ls->ix->topics[t].slug);
            json_array_append_new(near, o);
        }
        json_object_set_new(ctx, "near_topics", near);
    }
    if (ls->res.corrected)
        set_str(ctx, "corrected", ls->res.corrected);
    struct buf more = BUF_INIT;
    buf_printf(&more, "%s/organisations?", page_public_url());
    embed_query(&more, &ls->l, 0, true);
    if (more.data[more.len - 1] == '?')
        more.data[--more.len] = '\0';
    set_str(ctx, "more_url", more.data);
    buf_reset(&more);
    return ctx;
}

/* ---- handlers ------------------------------------------------------------ */

int embed_script(struct req *r)
{
    buf_append(&r->body, loader_js, loader_len);
    r->status = 200;
    r->content_type = "text/javascript; charset=utf-8";
    r->max_age = 3600;
    r->cacheable = true;
    r->cors = true;
    return 200;
}

int embed_listing(struct req *r)
{
    struct listing ls;
    const char *why;
    if (!listing_run(r, &ls, &why)) {
        int status = why ? 400 : 503;
        frame_error(r, status, why ? why : "The directory cannot be read just now.");
        listing_reset(&ls);
        return status;
    }
    json_t *ctx = listing_ctx(&ls, frame_ctx("Online safety support"));
    listing_reset(&ls);
    return page_render_bare(r, 200, "embed_listing", ctx, frame_csp);
}

int embed_fragment(struct req *r)
{
    struct listing ls;
    const char *why;
    if (!listing_run(r, &ls, &why)) {
        int status = why ? 400 : 503;
        json_t *ctx = json_object();
        set_str(ctx, "detail", why ? why : "The directory cannot be read just now.");
        set_str(ctx, "site", page_public_url());
        listing_reset(&ls);
        page_render_bare(r, status, "embed_fragment_error", ctx, NULL);
        r->cors = true;
        return status;
    }
    json_t *ctx = json_object();
    set_str(ctx, "site", page_public_url());
    listing_ctx(&ls, ctx);
    listing_reset(&ls);
    page_render_bare(r, 200, "embed_fragment", ctx, NULL);
    r->cors = true;
    return 200;
}

int embed_organisation(struct req *r)
{
    struct store_org_detail d;
    int found = store_org_get(r->args[0], &d);
    if (found < 0)
        return frame_error(r, 503, "The directory cannot be read just now.");
    if (found == 0)
        return frame_error(r, 404, "There is no such organisation in the directory.");
    json_t *ctx = frame_ctx(d.name);
    set_str(ctx, "slug", d.slug);
    set_str(ctx, "name", d.name);
    set_str(ctx, "summary", d.summary);
    set_str(ctx, "website", d.website);
    json_t *contacts = json_array();
    for (size_t i = 0; i < d.n_contacts; i++) {
        const struct store_contact *c = &d.contacts[i];
        json_t *o = json_object();
        set_str(o, "label", c->label);
        set_str(o, "value", c->value);
        set_str(o, "hours", c->hours);
        struct buf href = BUF_INIT;
        const char *action = "Visit";
        if (strcmp(c->kind, "phone") == 0 || strcmp(c->kind, "text") == 0) {
            buf_puts(&href, c->kind[0] == 'p' ? "tel:" : "sms:");
            for (const char *p = c->value; *p; p++)
                if ((*p >= '0' && *p <= '9') || (*p == '+' && href.len == 4))
                    buf_putc(&href, *p);
            action = c->kind[0] == 'p' ? "Call" : "Text";
            json_object_set_new(o, "is_phone", json_true());
        } else if (strcmp(c->kind, "email") == 0) {
            buf_printf(&href, "mailto:%s", c->value);
            action = "Email";
        } else {
            buf_puts(&href, c->value);
        }
        set_str(o, "href", href.data);
        set_str(o, "action", action);
        buf_reset(&href);
        json_array_append_new(contacts, o);
    }
    json_object_set_new(ctx, "contacts", contacts);
    store_org_detail_reset(&d);
    return page_render_bare(r, 200, "embed_organisation", ctx, frame_csp);
}

/* ---- oEmbed -------------------------------------------------------------- */

static int oembed_error(struct req *r, int status, const char *text)
{
    buf_reset(&r->body);
    buf_puts(&r->body, text);
    r->status = status;
    r->content_type = "text/plain; charset=utf-8";
    r->max_age = 0;
    r->cacheable = true;
    r->cors = true;
    return status;
}

int embed_oembed(struct req *r)
{
    const char *url = query_get(&r->query, "url");
    const char *format = query_get(&r->query, "format");
    if (format && strcmp(format, "json") != 0)
        return oembed_error(r, 501, "Only format=json is available.\n");
    long maxwidth = 0, maxheight = 0;
    const char *s = query_get(&r->query, "maxwidth");
    if (s && !query_parse_int(s, 1, 10000, &maxwidth))
        return oembed_error(r, 400, "maxwidth must be a whole number of pixels.\n");
    s = query_get(&r->query, "maxheight");
    if (s && !query_parse_int(s, 1, 10000, &maxheight))
        return oembed_error(r, 400, "maxheight must be a whole number of pixels.\n");
    const char *site = page_public_url();
    size_t site_len = strlen(site);
    if (!url || strncmp(url, site, site_len) != 0 || (url[site_len] != '/'))
        return oembed_error(r, 404, "That address is not a listing or organisation on "
                                    "this Signpost.\n");

    /* Parse the page address as if it were a request to us. */
    struct req page;
    memset(&page, 0, sizeof page);
    const char *target = url + site_len;
    int status = 404;
    if (query_parse(&page.query, target, strlen(target), 4096) != QUERY_OK)
        goto out;
    struct buf src = BUF_INIT;
    char *title = NULL;
    long height = OEMBED_HEIGHT;
    const char *prefix = "/organisations/";
    if (strcmp(page.query.path, "/organisations") == 0) {
        struct listing ls;
        const char *why;
        if (!listing_run(&page, &ls, &why)) {
            listing_reset(&ls);
            goto out;
        }
        title = listing_heading(ls.ix, &ls.l);
        buf_printf(&src, "%s/embed/organisations?", site);
        embed_query(&src, &ls.l, ls.limit, false);
        listing_reset(&ls);
    } else if (strncmp(page.query.path, prefix, strlen(prefix)) == 0 &&
               !strchr(page.query.path + strlen(prefix), '/')) {
        const char *slug = page.query.path + strlen(prefix);
        struct store_index *ix = store_index_acquire();
        long i = ix ? store_org_find(ix, slug) : -1;
        if (i >= 0) {
            title = xstrdup(ix->orgs[i].name);
            buf_printf(&src, "%s/embed/organisations/", site);
            esc_url_str(&src, slug);
            height = 360;
        }
        store_index_release(ix);
        if (i < 0)
            goto out_src;
    } else {
        goto out_src;
    }
    long width = OEMBED_WIDTH;
    if (maxwidth && width > maxwidth)
        width = maxwidth;
    if (maxheight && height > maxheight)
        height = maxheight;
    struct buf html = BUF_INIT;
    buf_puts(&html, "<iframe src=\"");
    esc_html(&html, src.data, src.len);
    buf_puts(&html, "\" title=\"");
    esc_html_str(&html, title);
    buf_printf(&html, " \xe2\x80\x93 Signpost\" width=\"%ld\" height=\"%ld\" "
                      "style=\"border:0;max-width:100%%\"></iframe>", width, height);
    /* Through the one JSON writer, as every other answer: a name holding
     * "</script>" or U+2028 is escaped here too. */
    struct jsonw w;
    jsonw_init(&w, &r->body);
    jsonw_obj_open(&w);
    jsonw_kstr(&w, "version", "1.0");
    jsonw_kstr(&w, "type", "rich");
    jsonw_kstr(&w, "provider_name", "Signpost");
    jsonw_kstr(&w, "provider_url", site);
    jsonw_kstr(&w, "title", title);
    jsonw_kstr(&w, "html", html.data);
    jsonw_kint(&w, "width", width);
    jsonw_kint(&w, "height", height);
    jsonw_kint(&w, "cache_age", 3600);
    jsonw_obj_close(&w);
    buf_reset(&html);
    r->status = status = 200;
    r->content_type = "application/json; charset=utf-8";
    r->max_age = 3600;
    r->cacheable = true;
    r->cors = true;
out_src:
    free(title);
    buf_reset(&src);
out:
    req_reset(&page);
    if (status != 200)
        return oembed_error(r, 404, "That address is not a listing or organisation on "
                                    "this Signpost.\n");
    return 200;
}

/* ---- the builder --------------------------------------------------------- */

static json_t *choices(const struct store_term *terms, size_t n, char **selected)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        set_str(o, "slug", terms[i].slug);
        set_str(o, "label", terms[i].label);
        for (char **s = selected; s && *s; s++)
            if (strcmp(*s, terms[i].slug) == 0)
                json_object_set_new(o, "checked", json_true());
        if (terms[i].parent >= 0)
            json_object_set_new(o, "sub", json_true());
        json_array_append_new(list, o);
    }
    return list;
}

int embed_builder(struct req *r)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return page_error(r, 503, "The directory cannot be read just now.");
    struct page_listing l;
    page_listing_parse(r, ix, &l);
    long limit = 5;
    const char *s = query_get(&r->query, "limit");
    if (s && *s && !query_parse_int(s, 1, LIMIT_MAX, &limit))
        buf_printf(&l.problems, "%sThe number to show must be from 1 to 50.",
                   l.problems.len ? " " : "");
    if (l.problems.len) {
        page_error(r, 400, l.problems.data);
        page_listing_reset(&l);
        store_index_release(ix);
        return 400;
    }
    const char *site = page_public_url();
    json_t *ctx = json_object();
    set_str(ctx, "site", site);
    set_str(ctx, "q", l.q);
    json_object_set_new(ctx, "limit", json_integer(limit));
    json_object_set_new(ctx, "audiences", choices(ix->audiences, ix->n_audiences, l.aud));
    json_object_set_new(ctx, "topics", choices(ix->topics, ix->n_topics, l.topics));

    /* The code, as text: the template escapes it for display. */
    struct buf code = BUF_INIT, q = BUF_INIT, listing = BUF_INIT;
    embed_query(&q, &l, limit, false);
    buf_printf(&code, "<script async src=\"%s/embed.js\"", site);
    char **lists[2] = {l.aud, l.topics};
    const char *names[2] = {"audience", "topic"};
    for (int k = 0; k < 2; k++) {
        if (!lists[k][0])
            continue;
        buf_printf(&code, " data-%s=\"", names[k]);
        for (char **p = lists[k]; *p; p++) {
            if (p != lists[k])
                buf_putc(&code, ',');
            esc_html_str(&code, *p);
        }
        buf_putc(&code, '"');
    }
    if (l.q && *l.q) {
        buf_puts(&code, " data-q=\"");
        esc_html_str(&code, l.q);
        buf_putc(&code, '"');
    }
    buf_printf(&code, " data-limit=\"%ld\"></script>\n<noscript><a href=\"", limit);
    buf_printf(&listing, "%s/organisations", site);
    struct buf lq = BUF_INIT;
    embed_query(&lq, &l, 0, true);
    if (lq.len)
        buf_printf(&listing, "?%s", lq.data);
    buf_reset(&lq);
    esc_html(&code, listing.data, listing.len);
    buf_puts(&code, "\">Find online safety support on Signpost</a></noscript>");
    set_str(ctx, "code_script", code.data);
    buf_reset(&code);
    buf_printf(&code, "<iframe src=\"");
    struct buf frame_src = BUF_INIT;
    buf_printf(&frame_src, "%s/embed/organisations%s%s", site, q.len ? "?" : "",
               q.len ? q.data : "");
    esc_html(&code, frame_src.data, frame_src.len);
    buf_puts(&code, "\" title=\"Online safety support from Signpost\" width=\"100%\" "
                    "height=\"600\" style=\"border:0\"></iframe>");
    set_str(ctx, "code_iframe", code.data);
    set_str(ctx, "listing_url", listing.data);
    buf_reset(&frame_src);
    buf_printf(&frame_src, "/embed/organisations%s%s", q.len ? "?" : "", q.len ? q.data : "");
    set_str(ctx, "preview_src", frame_src.data);
    buf_reset(&frame_src);
    buf_reset(&code);
    buf_reset(&q);
    buf_reset(&listing);
    page_listing_reset(&l);
    store_index_release(ix);
    return page_render_layout(r, 200, "embed_builder", ctx, "Put Signpost on your website",
                              builder_csp, builder_js);
}
