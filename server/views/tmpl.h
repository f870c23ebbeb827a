/* tmpl.h: HTML templates, a small Mustache dialect rendered from a jansson
 * value. Safe by default: every {{value}} is HTML-escaped.
 *
 *   {{name}}  {{a.b}}  {{.}}   the value, HTML-escaped (text or a quoted
 *                              attribute)
 *   {{url name}}               percent-encoded, for a query value or path
 *                              segment inside an href
 *   {{href name}}              a URL from data: escaped if it is http(s),
 *                              mailto, tel, sms or a local path, else "#"
 *   {{{name}}}                 raw: only for HTML this program made itself
 *                              (rendered templates, cmark's safe output)
 *   {{#name}}...{{/name}}      a list: once per item; an object: once inside
 *                              it; true / non-empty / non-zero: once
 *   {{^name}}...{{/name}}      once when name is missing, false, null, "",
 *                              0 or an empty list
 *   {{> name}}                 another template of the same set
 *   {{! comment }}
 *
 * Names are looked up from the innermost section outwards. */
#ifndef SIGNPOST_TMPL_H
#define SIGNPOST_TMPL_H

#include <jansson.h>
#include <stddef.h>

#include "lib/buf.h"

struct tmpl_set;

/* An empty set. Never NULL. */
struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *set);

/* Compiles src (len bytes) and adds it to set as name (replacing any
 * template of that name). Returns 0, or -1 with a message naming the line
 * in *err (caller frees). */
int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len,
             char **err);

/* Renders template name with ctx into out. Returns 0, or -1 if there is no
 * such template (a missing partial renders as nothing). */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx,
                struct buf *out);

#endif
