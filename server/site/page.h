/* page.h: the public HTML site. Handlers build a jansson context and hand
 * it to the templates (tmpl.h); the layout, CSS and quick-exit script are
 * compiled in and can be overridden from a theme directory. */
#ifndef SIGNPOST_PAGE_H
#define SIGNPOST_PAGE_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/buf.h"

#include "lib/request.h"
#include "store/store.h"

/* Loads the compiled-in templates, CSS and script, then anything in
 * theme_dir (may be NULL): theme_dir/templates/NAME.html and
 * theme_dir/site.css replace their namesakes. public_url is the site's
 * address as visitors see it ("https://signpost.example"), for the sitemap.
 * Returns 0, or -1 after printing why (a template that does not compile
 * names its line). */
int page_init(const char *theme_dir, const char *public_url);
void page_shutdown(void);

int page_home(struct req *r);
int page_organisations(struct req *r);
int page_organisation(struct req *r);
int page_topic(struct req *r);
int page_help(struct req *r);
int page_about(struct req *r);
int page_sitemap(struct req *r);
int page_robots(struct req *r);
int page_favicon(struct req *r);
int page_report_form(struct req *r);   /* GET /organisations/{slug}/report */
int page_report_send(struct req *r);   /* POST the same */

/* Fills r with a friendly HTML error page (status 400, 404, 405, 500...)
 * that keeps the search box and the urgent-help block. */
int page_error(struct req *r, int status, const char *detail);

/* ---- shared with embed.c ------------------------------------------------- */

/* A listing request: q, audience and topic read from the query and
 * resolved against the index. Unknown values leave a sentence for people in
 * problems (empty when all is well). */
struct page_listing {
    const char *q;              /* borrowed from the request */
    char **aud, **topics;       /* the slugs asked for */
    int *aud_idx, *topic_idx;   /* the known ones, as term indexes */
    size_t n_aud, n_topic;
    bool searching;             /* q holds something to search for */
    bool exact;                 /* exact=true: the words as typed, uncorrected */
    struct buf problems;
};
void page_listing_parse(struct req *r, const struct store_index *ix, struct page_listing *l);
int page_listing_search(const struct page_listing *l, struct store_index *ix, size_t offset,
                        size_t limit, struct store_results *res);
void page_listing_reset(struct page_listing *l);

/* The site's public address, without a trailing slash. */
const char *page_public_url(void);
/* The theme's theme_name file if the operator gave one, else the compiled-in
 * asset. Caller frees; NULL if neither exists. */
char *page_theme_text(const char *theme_name, const char *asset_name, size_t *len);
/* One organisation as the listing templates ("card") show it. */
json_t *page_card_json(const struct store_index *ix, const struct store_org *o);
/* Renders template name with ctx (consumed) as the whole body, without the
 * site layout, under the given Content-Security-Policy (NULL: none). */
int page_render_bare(struct req *r, int status, const char *name, json_t *ctx,
                     const char *policy);

/* Renders template name inside the site layout like every page, under
 * policy instead of the site's CSP (NULL: the site's), with extra_js (NULL:
 * none) inlined after the site's script. Consumes ctx. */
int page_render_layout(struct req *r, int status, const char *name, json_t *ctx,
                       const char *title, const char *policy, const char *extra_js);
/* The base64 SHA-256 of the site's inline script (returned) and CSS. */
const char *page_site_hashes(const char **css);

#endif
