/* meta.c: what the site answers for machines rather than people: the
 * sitemap (the fixed pages, every topic and up to 40,000 organisations),
 * robots.txt and the favicon. */
#include "site/page_int.h"
#include "lib/assets.h"
#include "lib/buf.h"
#include "lib/escape.h"
#include "store/store.h"

/* Fills in a 200 whose body is already in r->body, cacheable for max_age
 * seconds. Returns 200. */
static int meta_answer(struct req *r, const char *type, int max_age)
{
    r->status = 200;
    r->content_type = type;
    r->max_age = max_age;
    r->cacheable = true;
    return 200;
}

static void sitemap_url(struct buf *b, const char *path, const char *slug)
{
    buf_puts(b, "<url><loc>");
    esc_html_str(b, page_public_url());
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
    struct store_index *ix = page_index_or_reply(r);
    if (!ix)
        return r->status;
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
    return meta_answer(r, "application/xml; charset=utf-8", 3600);
}

int page_robots(struct req *r)
{
    buf_printf(&r->body, "User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: %s/sitemap.xml\n",
               page_public_url());
    return meta_answer(r, "text/plain; charset=utf-8", 3600);
}

int page_favicon(struct req *r)
{
    const struct asset *a = asset_find("server/static/favicon.svg");
    if (!a)
        return page_error(r, 404, NULL);
    buf_append(&r->body, a->data, a->len);
    return meta_answer(r, "image/svg+xml", 86400);
}
