/* render.c: what every page of the site goes through. Start-up loads the
 * templates, CSS and quick-exit script (compiled in, or the operator's
 * theme) and allows the inlined CSS and script by hash in the
 * Content-Security-Policy; the renderers put a template inside the layout
 * (or alone, for the embeds), with every phone number in them written with
 * no-break spaces; the error page and the two answers that end a handler
 * early (no index, no such organisation) are here too. */
#include "site/page_int.h"
#include "lib/assets.h"
#include "lib/buf.h"
#include "lib/sha256.h"
#include "lib/util.h"
#include "store/store.h"
#include "views/tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_MAX_AGE 300

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
        if (strchr(file, '/'))   /* console/: the console's own (console/render.c) */
            continue;
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

const char *page_site_hashes(const char **css)
{
    *css = css_hash;
    return js_hash;
}

const char *page_public_url(void)
{
    return public_url;
}

/* ---- rendering ----------------------------------------------------------- */

/* The urgent-help block every page carries; the first three are marked
 * "top" for the head of the page. */
static json_t *help_json(void)
{
    struct store_help *list = NULL;
    int n = store_help_list(&list);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        const struct store_help *h = &list[i];
        json_t *c = page_channel_json(strcmp(h->kind, "web") == 0 ? "website" : h->kind,
                                      h->label, h->value, h->hours, h->description);
        if (i < 3)
            json_object_set_new(c, "top", json_true());
        json_object_set_new(c, "n", json_integer(i + 1));   /* for ids */
        json_array_append_new(items, c);
    }
    if (n > 0)
        store_help_free(list, n);
    return items;
}

/* Phone numbers as every page shows them: each space a no-break space, so
 * that no number breaks across lines, even in a fragment on a host page our
 * CSS does not reach (the templates also wrap them in white-space: nowrap).
 * The numbers are the "value" of a phone or text channel (is_phone) and a
 * card's "phone"; their tel: and sms: links are separate values. */
static void unbreak_number(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s || !strchr(s, ' '))
        return;
    struct buf b = BUF_INIT;
    for (; *s; s++) {
        if (*s == ' ')
            buf_puts(&b, "\xc2\xa0");
        else
            buf_putc(&b, *s);
    }
    json_object_set_new(o, key, json_stringn(b.data, b.len));
    buf_reset(&b);
}

static void unbreak_phones(json_t *v, int depth)
{
    if (depth > 8)
        return;
    size_t i;
    const char *key;
    json_t *item;
    if (json_is_array(v)) {
        json_array_foreach(v, i, item)
            unbreak_phones(item, depth + 1);
        return;
    }
    if (!json_is_object(v))
        return;
    if (json_is_true(json_object_get(v, "is_phone")))
        unbreak_number(v, "value");
    unbreak_number(v, "phone");
    json_object_foreach(v, key, item)
        if (json_is_array(item) || json_is_object(item))
            unbreak_phones(item, depth + 1);
}

/* The status and caching every HTML answer shares: only a 200 is kept by
 * browsers, and a server error is not cached at all. */
static void set_html_answer(struct req *r, int status)
{
    r->status = status;
    r->content_type = html_type;
    r->max_age = status == 200 ? PAGE_MAX_AGE : 0;
    r->cacheable = status < 500;
}

int page_render_bare(struct req *r, int status, const char *name, json_t *ctx,
                     const char *policy)
{
    json_object_set_new(ctx, "exit_url", json_string(EXIT_URL));
    unbreak_phones(ctx, 0);
    buf_grow(&r->body, 8192);
    tmpl_render(templates, name, ctx, &r->body);
    json_decref(ctx);
    set_html_answer(r, status);
    if (policy)
        req_add_header(r, "Content-Security-Policy", policy);
    return status;
}

int page_render_layout(struct req *r, int status, const char *name, json_t *ctx,
                       const char *title, const char *policy, const char *extra_js)
{
    struct buf content = BUF_INIT;
    json_object_set_new(ctx, "exit_url", json_string(EXIT_URL));
    if (!json_object_get(ctx, "help"))
        json_object_set_new(ctx, "help", help_json());
    unbreak_phones(ctx, 0);
    tmpl_render(templates, name, ctx, &content);
    json_object_set_new(ctx, "content", json_stringn(content.data ? content.data : "",
                                                     content.len));
    buf_reset(&content);
    page_set_str(ctx, "title", title);
    page_set_str(ctx, "css", site_css);
    page_set_str(ctx, "js", site_js);
    page_set_str(ctx, "extra_js", extra_js);
    buf_grow(&r->body, 16384);
    tmpl_render(templates, "layout", ctx, &r->body);
    json_decref(ctx);
    set_html_answer(r, status);
    req_add_header(r, "Content-Security-Policy", policy ? policy : csp);
    req_add_header(r, "X-Frame-Options", "DENY");
    return status;
}

int page_render(struct req *r, int status, const char *name, json_t *ctx, const char *title)
{
    return page_render_layout(r, status, name, ctx, title, NULL, NULL);
}

/* ---- errors -------------------------------------------------------------- */

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
    page_set_str(ctx, "heading", title);
    page_set_str(ctx, "lead", lead);
    page_set_str(ctx, "detail", detail);
    json_object_set_new(ctx, "noindex", json_true());
    return page_render(r, status, "error", ctx, title);
}

static int index_unavailable(struct req *r)
{
    return page_error(r, 503, "The directory cannot be read just now.");
}

struct store_index *page_index_or_reply(struct req *r)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        index_unavailable(r);
    return ix;
}

int page_org_or_reply(struct req *r, struct store_org_detail *d)
{
    int found = store_org_get(r->args[0], d);
    if (found < 0) {
        index_unavailable(r);
        return -1;
    }
    if (found == 0) {
        page_error(r, 404, "There is no organisation at this address in the directory.");
        return -1;
    }
    return 0;
}
