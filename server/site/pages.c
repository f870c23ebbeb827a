/* pages.c: the site's page handlers apart from the results page
 * (listing.c) and the report form (report.c): home, one organisation, one
 * topic's guidance, get help now, about. Each gathers what its page shows
 * into a jansson object and renders its template into the layout. Nothing
 * here writes markup: the templates do, and they escape every value. */
#include "site/page_int.h"
#include "lib/buf.h"
#include "lib/escape.h"
#include "lib/util.h"
#include "store/store.h"
#include "views/markdown.h"

#include <stdlib.h>
#include <string.h>

/* ---- home ---------------------------------------------------------------- */

/* The audience entry points on the home page, in the order people look. */
static const char *const entry_points[][3] = {
    {"parents", "I'm a parent or carer", "Advice and people to talk to about your child"},
    {"young-people", "I'm a young person", "Help that is confidential and free"},
    {"children", "I'm a child", "Someone to talk to, any time"},
    {"professionals", "I work with children", "Guidance, training and helplines for professionals"},
};

/* A topic with the sentence that says what it covers. */
static json_t *topic_json(const struct store_term *t)
{
    json_t *o = page_term_json(t);
    page_set_str(o, "description", t->description);
    return o;
}

/* Every topic, sub-topics marked, with how many organisations carry it. */
static json_t *topics_json(const struct store_index *ix)
{
    json_t *list = json_array();
    for (size_t i = 0; i < ix->n_topics; i++) {
        const struct store_term *t = &ix->topics[i];
        json_t *o = topic_json(t);
        json_object_set_new(o, "count", json_integer((json_int_t)t->count));
        if (t->parent >= 0)
            json_object_set_new(o, "sub", json_true());
        json_array_append_new(list, o);
    }
    return list;
}

int page_home(struct req *r)
{
    struct store_index *ix = page_index_or_reply(r);
    if (!ix)
        return r->status;
    json_t *ctx = json_object();
    json_t *entries = json_array();
    for (size_t i = 0; i < sizeof entry_points / sizeof *entry_points; i++) {
        if (store_term_find(ix->audiences, ix->n_audiences, entry_points[i][0]) < 0)
            continue;
        json_t *e = json_object();
        page_set_str(e, "slug", entry_points[i][0]);
        page_set_str(e, "label", entry_points[i][1]);
        page_set_str(e, "hint", entry_points[i][2]);
        json_array_append_new(entries, e);
    }
    json_object_set_new(ctx, "entries", entries);
    json_t *top = json_array();
    for (size_t i = 0; i < ix->n_topics; i++)
        if (ix->topics[i].parent < 0)
            json_array_append_new(top, topic_json(&ix->topics[i]));
    json_object_set_new(ctx, "topics", top);
    json_object_set_new(ctx, "topics_all", topics_json(ix));
    json_object_set_new(ctx, "org_count", json_integer((json_int_t)ix->n_orgs));
    json_object_set_new(ctx, "urgent_inline", json_true());
    store_index_release(ix);
    return page_render(r, 200, "home", ctx, "Find support for online safety");
}

/* ---- one organisation ---------------------------------------------------- */

/* The known terms among slugs, as links; unknown slugs are left out. */
static json_t *term_labels(char **slugs, const struct store_term *terms, size_t n)
{
    json_t *list = json_array();
    for (char **s = slugs; s && *s; s++) {
        int i = store_term_find(terms, n, *s);
        if (i >= 0)
            json_array_append_new(list, page_term_json(&terms[i]));
    }
    return list;
}

/* One resource with its type and the ages it is for, in words. */
static json_t *resource_json(const struct store_resource *res)
{
    json_t *o = json_object();
    page_set_str(o, "name", res->name);
    page_set_str(o, "url", res->url);
    page_set_str(o, "summary", res->summary);
    page_set_str(o, "type", page_type_label(res->type));
    struct buf ages = BUF_INIT;
    if (res->age_min >= 0 && res->age_max >= 0)
        buf_printf(&ages, "Ages %d to %d", res->age_min, res->age_max);
    else if (res->age_min >= 0)
        buf_printf(&ages, "Ages %d and over", res->age_min);
    else if (res->age_max >= 0)
        buf_printf(&ages, "Up to age %d", res->age_max);
    if (ages.len)
        page_set_str(o, "ages", ages.data);
    buf_reset(&ages);
    return o;
}

int page_organisation(struct req *r)
{
    struct store_org_detail d;
    if (page_org_or_reply(r, &d) != 0)
        return r->status;
    struct store_index *ix = page_index_or_reply(r);
    if (!ix) {
        store_org_detail_reset(&d);
        return r->status;
    }
    json_t *ctx = json_object();
    page_set_str(ctx, "slug", d.slug);
    page_set_str(ctx, "name", d.name);
    page_set_str(ctx, "summary", d.summary);
    page_set_str(ctx, "description", d.description);
    struct buf self = BUF_INIT;
    buf_puts(&self, "/organisations/");
    esc_url_str(&self, d.slug);
    page_set_oembed(ctx, self.data);
    buf_reset(&self);
    page_set_str(ctx, "website", d.website);
    page_set_str(ctx, "kind", page_kind_label(d.kind));
    page_set_str(ctx, "coverage", d.coverage);
    page_set_str(ctx, "source", d.source);
    char *checked = page_long_date(d.last_reviewed);
    page_set_str(ctx, "last_reviewed", checked);
    page_set_str(ctx, "last_reviewed_iso", d.last_reviewed);
    free(checked);
    json_t *contacts = json_array();
    for (size_t i = 0; i < d.n_contacts; i++)
        json_array_append_new(contacts, page_channel_json(d.contacts[i].kind,
                                                          d.contacts[i].label,
                                                          d.contacts[i].value,
                                                          d.contacts[i].hours, NULL));
    json_object_set_new(ctx, "contacts", contacts);
    json_t *resources = json_array();
    for (size_t i = 0; i < d.n_resources; i++)
        json_array_append_new(resources, resource_json(&d.resources[i]));
    json_object_set_new(ctx, "resources", resources);
    json_object_set_new(ctx, "audiences", term_labels(d.audiences, ix->audiences,
                                                      ix->n_audiences));
    json_object_set_new(ctx, "topics", term_labels(d.topics, ix->topics, ix->n_topics));
    store_index_release(ix);
    char *title = xstrdup(d.name);
    store_org_detail_reset(&d);
    page_render(r, 200, "organisation", ctx, title);
    free(title);
    return r->status;
}

/* ---- topics -------------------------------------------------------------- */

int page_topic(struct req *r)
{
    struct store_index *ix = page_index_or_reply(r);
    if (!ix)
        return r->status;
    int t = store_term_find(ix->topics, ix->n_topics, r->args[0]);
    if (t < 0) {
        store_index_release(ix);
        return page_error(r, 404, "There is no topic at this address.");
    }
    const struct store_term *topic = &ix->topics[t];
    json_t *ctx = json_object();
    page_set_str(ctx, "slug", topic->slug);
    page_set_str(ctx, "label", topic->label);
    page_set_str(ctx, "description", topic->description);
    char *html = markdown_to_html(topic->guidance_md);
    page_set_str(ctx, "guidance_html", html);
    free(html);
    if (topic->parent >= 0)
        json_object_set_new(ctx, "parent", page_term_json(&ix->topics[topic->parent]));
    json_t *children = json_array();
    for (size_t i = 0; i < ix->n_topics; i++)
        if (ix->topics[i].parent == t)
            json_array_append_new(children, page_term_json(&ix->topics[i]));
    json_object_set_new(ctx, "children", children);
    int filter[1] = {t};
    struct store_search s = {.topics = filter, .n_topics = 1, .offset = 0, .limit = 100};
    struct store_results res;
    if (store_search(ix, &s, &res) == 0) {
        json_object_set_new(ctx, "items", page_cards_json(ix, &res));
        json_object_set_new(ctx, "total", json_integer((json_int_t)res.total));
        store_results_reset(&res);
    }
    char *title = xstrdup(topic->label);
    store_index_release(ix);
    page_render(r, 200, "topic", ctx, title);
    free(title);
    return r->status;
}

/* ---- fixed pages --------------------------------------------------------- */

int page_help(struct req *r)
{
    json_t *ctx = json_object();
    json_object_set_new(ctx, "urgent_inline", json_true());
    return page_render(r, 200, "help", ctx, "Get help now");
}

int page_about(struct req *r)
{
    return page_render(r, 200, "about", json_object(), "About Signpost");
}
