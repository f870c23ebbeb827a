/* term.c: see term.h. */
#include "records/term.h"
#include "lib/escape.h"
#include "views/markdown.h"

#include <stdlib.h>
#include <string.h>

static void organisations_url(struct jsonw *w, const char *param, const char *slug)
{
    struct buf url = BUF_INIT;
    buf_printf(&url, "/api/v1/organisations?%s=", param);
    esc_url_str(&url, slug);
    jsonw_kstr(w, "organisations_url", url.data);
    buf_reset(&url);
}

void term_audience_body(struct buf *out, const struct store_index *ix, int a)
{
    const struct store_term *t = &ix->audiences[a];
    struct jsonw w;
    jsonw_init(&w, out);
    jsonw_obj_open(&w);
    jsonw_kstr(&w, "slug", t->slug);
    jsonw_kstr(&w, "label", t->label);
    jsonw_kstr(&w, "description", t->description);
    jsonw_kint(&w, "count", (int64_t)t->count);
    organisations_url(&w, "audience", t->slug);
    jsonw_obj_close(&w);
}

void term_topic_body(struct buf *out, const struct store_index *ix, int t)
{
    const struct store_term *topic = &ix->topics[t];
    struct jsonw w;
    jsonw_init(&w, out);
    jsonw_obj_open(&w);
    jsonw_kstr(&w, "slug", topic->slug);
    jsonw_kstr(&w, "label", topic->label);
    jsonw_kstr(&w, "description", topic->description);
    jsonw_kstr(&w, "parent", topic->parent >= 0 ? ix->topics[topic->parent].slug : NULL);
    jsonw_key(&w, "children");
    jsonw_arr_open(&w);
    for (size_t i = 0; i < ix->n_topics; i++)
        if (ix->topics[i].parent == t)
            jsonw_str(&w, ix->topics[i].slug);
    jsonw_arr_close(&w);
    jsonw_kint(&w, "count", (int64_t)topic->count);
    jsonw_key(&w, "search_terms");
    record_terms_list(&w, topic->terms);
    jsonw_kstr(&w, "guidance_markdown", topic->guidance_md);
    char *html = markdown_to_html(topic->guidance_md);
    jsonw_kstr(&w, "guidance_html", html);
    free(html);
    organisations_url(&w, "topic", topic->slug);
    jsonw_obj_close(&w);
}

bool term_input(json_t *doc, const struct store_index *ix, bool topic, const char *id,
                struct problems *p, struct term_in *in)
{
    static const char *const w_aud[] = {"slug", "label", "description", "position", NULL};
    static const char *const w_top[] = {"slug", "label", "description", "position",
                                        "parent", "guidance_markdown", "search_terms", NULL};
    static const char *const ro[] = {"count", "children", "guidance_html",
                                     "organisations_url", NULL};
    size_t before = p->n;
    memset(in, 0, sizeof *in);
    in->slug = record_text(doc, "slug", true, false, 100, p, "");
    if (in->slug && !record_is_slug(in->slug))
        record_problem(p, "", "slug", -1, "must be lower-case letters, digits and hyphens");
    record_known_keys(doc, topic ? w_top : w_aud, ro, "this record", p, "");
    in->label = record_text(doc, "label", true, false, 120, p, "");
    in->description = record_text(doc, "description", false, false, 1000, p, "");
    json_t *pos = json_object_get(doc, "position");
    if (pos && !json_is_integer(pos))
        record_problem(p, "", "position", -1, "must be a whole number");
    /* No position: keep the term where it is, or put a new one last. */
    in->position = json_is_integer(pos) ? json_integer_value(pos) : STORE_KEEP;
    if (topic) {
        in->parent = record_text(doc, "parent", false, true, 100, p, "");
        int at = in->parent ? store_term_find(ix->topics, ix->n_topics, in->parent) : -1;
        if (in->parent && (at < 0 || (in->slug && strcmp(in->parent, in->slug) == 0))) {
            record_problem(p, "", "parent", -1, "must be the slug of another topic, or null");
            at = -1;
        }
        /* The new parent must not sit below this topic: walk up from it. */
        for (size_t hops = 0; at >= 0 && hops <= ix->n_topics; hops++) {
            if (id && strcmp(ix->topics[at].id, id) == 0) {
                record_problem(p, "", "parent", -1,
                               "would make a loop: that topic is below this one");
                break;
            }
            at = ix->topics[at].parent;
        }
        in->guidance_md = record_text(doc, "guidance_markdown", false, false, 50000, p, "");
        in->search_terms = record_search_terms(doc, "search_terms", p, "");
    }
    return p->n == before;
}

void term_input_reset(struct term_in *in)
{
    record_strings_free(in->search_terms);
    in->search_terms = NULL;
}
