/* page_int.h: what the files of the site (server/site/) share and nothing
 * outside them sees; the public face is page.h. render.c owns the
 * templates, the theme and the layout; fields.c turns records into the
 * values the templates show; listing.c, pages.c, report.c and meta.c are
 * the handlers. */
#ifndef SIGNPOST_PAGE_INT_H
#define SIGNPOST_PAGE_INT_H

#include <jansson.h>

#include "lib/request.h"
#include "site/page.h"
#include "store/store.h"

/* ---- render.c: the layout and the answers that end a handler early ------- */

/* Renders template name inside the layout under the site's CSP, like
 * page_render_layout with no policy or script of its own. Consumes ctx;
 * returns status. */
int page_render(struct req *r, int status, const char *name, json_t *ctx, const char *title);
/* The index of the current data version (release with
 * store_index_release), or NULL after filling r with a 503 error page. */
struct store_index *page_index_or_reply(struct req *r);
/* Loads the public organisation named by the path (r->args[0]) into d.
 * Returns 0 (the caller frees d with store_org_detail_reset), or -1 after
 * filling r with a 503 error page (the store failed) or a 404 (there is no
 * such organisation); d then holds nothing to free. */
int page_org_or_reply(struct req *r, struct store_org_detail *d);

/* ---- fields.c: records as template values -------------------------------- */

/* Sets o[key] to a copy of value; a NULL value sets nothing, so the
 * template's {{#key}} section stays closed. */
void page_set_str(json_t *o, const char *key, const char *value);
/* One contact channel (kind "phone", "text", "email", "report-form", or a
 * website) with its link and the verb on its button. New reference. */
json_t *page_channel_json(const char *kind, const char *label, const char *value,
                          const char *hours, const char *description);
/* What visitors call an organisation's kind and a resource's type (static
 * strings; a NULL or unknown one gets the general word). */
const char *page_kind_label(const char *kind);
const char *page_type_label(const char *type);
/* "2026-01-31" -> "31 January 2026"; anything else is returned as given.
 * Caller frees; NULL for NULL. */
char *page_long_date(const char *iso);
/* {slug, label} of an audience or topic, for links to it. New reference. */
json_t *page_term_json(const struct store_term *t);
/* The cards of every organisation in res, in order. New reference. */
json_t *page_cards_json(const struct store_index *ix, const struct store_results *res);
/* Sets ctx.oembed_url: the oEmbed address for the page at path (a local
 * address with any query), for the discovery link. */
void page_set_oembed(json_t *ctx, const char *path);

#endif
