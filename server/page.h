/* page.h: the public HTML site. Handlers build a jansson context and hand
 * it to the templates (tmpl.h); the layout, CSS and quick-exit script are
 * compiled in and can be overridden from a theme directory. */
#ifndef SIGNPOST_PAGE_H
#define SIGNPOST_PAGE_H

#include "request.h"

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

/* Fills r with a friendly HTML error page (status 400, 404, 405, 500...)
 * that keeps the search box and the urgent-help block. */
int page_error(struct req *r, int status, const char *detail);

#endif
