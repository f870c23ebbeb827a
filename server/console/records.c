/* records.c: resources (editors) and the taxonomy, audiences and topics
 * (admins), in the console: one form for each, driven by a table of its
 * fields, saved through admin_kind_save (the write API's path: one
 * validation, one transaction, one revision, the ETag the form was read
 * at). A topic's guidance is Markdown, previewed as the public page will
 * show it before anything is saved. On a conflict the form comes back with
 * what the curator typed and the record as it is now beside it. */
#include "console/console_int.h"
#include "admin/admin.h"
#include "lib/buf.h"
#include "lib/escape.h"
#include "store/store.h"
#include "views/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum field_type { TEXT, AREA, NUMBER, SELECT, AUDIENCES, TOPICS, LINES, PARENT };

struct field {
    const char *key, *label, *hint;
    enum field_type type;
    const char *const *options;   /* SELECT */
};

static const char *const resource_types[] = {"helpline", "reporting-tool", "education-pack",
                                             "campaign", "guidance", "website", "film",
                                             "service", NULL};

static const struct field resource_fields[] = {
    {"name", "Name", NULL, TEXT, NULL},
    {"slug", "Web address name", "Lower-case letters, digits and hyphens.", TEXT, NULL},
    {"type", "Kind of resource", NULL, SELECT, resource_types},
    {"url", "Web address", "Its own page, starting with https://. Leave empty if it has none.",
     TEXT, NULL},
    {"summary", "Summary", "One or two sentences.", AREA, NULL},
    {"age_min", "Youngest age it is for", "Leave empty for any age.", NUMBER, NULL},
    {"age_max", "Oldest age it is for", "Leave empty for any age.", NUMBER, NULL},
    {"audiences", "Who it is for", NULL, AUDIENCES, NULL},
    {"topics", "Topics", NULL, TOPICS, NULL},
    {"source", "Source", "Where these details come from.", AREA, NULL},
    {NULL, NULL, NULL, TEXT, NULL},
};

static const struct field audience_fields[] = {
    {"label", "Name", "As people see it: “Parents and carers”.", TEXT, NULL},
    {"slug", "Web address name", "Lower-case letters, digits and hyphens.", TEXT, NULL},
    {"description", "Description", NULL, AREA, NULL},
    {"position", "Position in lists", "A whole number: lower comes first.", NUMBER, NULL},
    {NULL, NULL, NULL, TEXT, NULL},
};

static const struct field topic_fields[] = {
    {"label", "Name", "As people see it: “Sharing nudes”.", TEXT, NULL},
    {"slug", "Web address name", "Lower-case letters, digits and hyphens.", TEXT, NULL},
    {"description", "Description", NULL, AREA, NULL},
    {"parent", "Part of", "The broader topic this one belongs to, if any.", PARENT, NULL},
    {"position", "Position in lists", "A whole number: lower comes first.", NUMBER, NULL},
    {"guidance_markdown", "Guidance",
     "Markdown: a blank line between paragraphs, ## for a heading, * for a list item, "
     "[words](https://…) for a link. Use Preview to see it as the public page will.",
     AREA, NULL},
    {"search_terms", "Search terms", "Words people might type for this topic, one per line.",
     LINES, NULL},
    {NULL, NULL, NULL, TEXT, NULL},
};

struct kind_page {
    enum admin_kind kind;
    const char *noun, *plural, *path;   /* "resource", "resources", "/console/resources/" */
    const struct field *fields;
    bool admin_only;
};

static const struct kind_page resource_page = {ADMIN_RESOURCE, "resource", "resources",
                                               "/console/resources/", resource_fields, false};
static const struct kind_page audience_page = {ADMIN_AUDIENCE, "audience", "audiences",
                                               "/console/audiences/", audience_fields, true};
static const struct kind_page topic_page = {ADMIN_TOPIC, "topic", "topics", "/console/topics/",
                                            topic_fields, true};

/* doc's value of key as the form shows it. */
static json_t *shown_value(json_t *doc, const struct field *f)
{
    json_t *v = json_object_get(doc, f->key);
    if (f->type == LINES) {
        struct buf b = BUF_INIT;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
            buf_printf(&b, "%s%s", b.len ? "\n" : "", json_string_value(x) ?: "");
        json_t *s = json_stringn(b.data ? b.data : "", b.len);
        buf_reset(&b);
        return s;
    }
    if (json_is_integer(v)) {
        char n[32];
        snprintf(n, sizeof n, "%lld", (long long)json_integer_value(v));
        return json_string(n);
    }
    return json_string(json_is_string(v) ? json_string_value(v) : "");
}


/* The form's fields for the template: one object per field with its type
 * as a flag, its value, options or checkboxes, and its error. */
static json_t *form_fields(const struct kind_page *k, json_t *doc, json_t *errors,
                           const struct store_index *ix, const char *self)
{
    json_t *out = json_array();
    for (const struct field *f = k->fields; f->key; f++) {
        json_t *o = json_pack("{s:s, s:s, s:o}", "key", f->key, "label", f->label, "value",
                              shown_value(doc, f));
        if (f->hint)
            json_object_set_new(o, "hint", json_string(f->hint));
        static const char *const flags[] = {"text", "area", "number", "select", "checks",
                                            "checks", "area", "select"};
        json_object_set_new(o, flags[f->type], json_true());
        const char *chosen = json_string_value(json_object_get(doc, f->key));
        json_t *opts = json_array();
        if (f->type == SELECT)
            for (size_t i = 0; f->options[i]; i++)
                json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", f->options[i],
                                                      "label", f->options[i], "selected",
                                                      chosen && !strcmp(chosen, f->options[i])));
        if (f->type == PARENT) {
            json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                                  "None: a topic of its own", "selected",
                                                  !chosen));
            for (size_t i = 0; i < ix->n_topics; i++)
                if (!self || strcmp(ix->topics[i].slug, self) != 0)
                    json_array_append_new(
                        opts, json_pack("{s:s, s:s, s:b}", "value", ix->topics[i].slug, "label",
                                        ix->topics[i].label, "selected",
                                        chosen && !strcmp(chosen, ix->topics[i].slug)));
        }
        if (f->type == AUDIENCES || f->type == TOPICS) {
            const struct store_term *t = f->type == AUDIENCES ? ix->audiences : ix->topics;
            size_t n = f->type == AUDIENCES ? ix->n_audiences : ix->n_topics;
            for (size_t i = 0; i < n; i++)
                json_array_append_new(opts, json_pack("{s:s, s:s, s:s, s:b, s:b}", "value",
                                                      t[i].slug, "label", t[i].label, "name",
                                                      f->key, "checked",
                                                      console_listed(json_object_get(doc, f->key),
                                                             t[i].slug),
                                                      "sub", t[i].parent >= 0));
        }
        json_object_set_new(o, "options", opts);
        size_t i;
        json_t *e;
        json_array_foreach(errors, i, e)
            if (!strcmp(json_string_value(json_object_get(e, "field")) ?: "", f->key))
                json_object_set(o, "error", json_object_get(e, "message"));
        json_array_append_new(out, o);
    }
    return out;
}

/* The record a sent form describes. */
static json_t *form_record(const struct kind_page *k, const struct query *form)
{
    json_t *doc = json_object();
    for (const struct field *f = k->fields; f->key; f++) {
        const char *v = query_get(form, f->key);
        if (f->type == AUDIENCES || f->type == TOPICS) {
            json_t *list = json_array();
            for (size_t i = 0; i < form->n_params; i++)
                if (!strcmp(form->params[i].key, f->key))
                    json_array_append_new(list, json_string(form->params[i].value));
            json_object_set_new(doc, f->key, list);
        } else if (f->type == LINES) {
            json_object_set_new(doc, f->key, console_lines(v));
        } else if (f->type == NUMBER) {
            long n;
            if (v && *v && query_parse_int(v, -1000000, 1000000, &n))
                json_object_set_new(doc, f->key, json_integer(n));
            else if (v && *v)
                json_object_set_new(doc, f->key, json_string(v));   /* its error says why */
            else if (!strncmp(f->key, "age_", 4))   /* ages: none */
                json_object_set_new(doc, f->key, json_null());
        } else if (f->type == PARENT || !strcmp(f->key, "url")) {
            json_object_set_new(doc, f->key, v && *v ? json_string(v) : json_null());
        } else if (v && (*v || f->type == TEXT || !strcmp(f->key, "source"))) {
            json_object_set_new(doc, f->key, json_string(v));
        }
    }
    return doc;
}

/* The person signed in, allowed for k: 0, or the status answered. */
static int require(struct req *r, const struct kind_page *k, struct console_user *u)
{
    if (console_require(r, u))
        return r->status;
    if (k->admin_only && strcmp(u->role, "admin") != 0)
        return console_message(r, 403, "Only admins can change the taxonomy",
                               "Audiences and topics shape every search. Ask an admin of your "
                               "Signpost.", u);
    return 0;
}

static int record_page(struct req *r, int status, const struct console_user *u,
                       const struct kind_page *k, const char *slug, const char *org,
                       json_t *doc, const char *etag, json_t *errors, json_t *extra)
{
    struct store_index *ix = store_index_acquire();
    if (!ix) {
        json_decref(errors);
        json_decref(extra);
        return console_message(r, 503, "The form could not be shown",
                               "Something went wrong on our side. Try again in a minute.", u);
    }
    if (!errors)
        errors = json_array();
    json_t *ctx = json_pack("{s:o, s:s, s:s, s:s, s:o}", "fields",
                            form_fields(k, doc, errors, ix, slug), "noun", k->noun, "etag",
                            etag ? etag : "", "plural", k->plural, "errors", errors);
    store_index_release(ix);
    struct buf action = BUF_INIT;
    if (slug) {
        buf_puts(&action, k->path);
        esc_url_str(&action, slug);
    } else if (org) {
        buf_puts(&action, "/console/organisations/");
        esc_url_str(&action, org);
        buf_puts(&action, "/resources");
    } else {
        buf_printf(&action, "/console/%s", k->plural);
    }
    json_object_set_new(ctx, "action", json_string(action.data));
    buf_reset(&action);
    json_object_set_new(ctx, "adding", json_boolean(slug == NULL));
    const char *back = json_string_value(json_object_get(doc, "organisation"));
    if (k->kind == ADMIN_RESOURCE && (back || org))
        json_object_set_new(ctx, "organisation", json_string(back ? back : org));
    if (k->kind != ADMIN_RESOURCE)
        json_object_set_new(ctx, "taxonomy", json_true());
    const char *saved = query_get(&r->query, "saved");
    json_object_set_new(ctx, "saved", json_boolean(saved && !strcmp(saved, "1") &&
                                                   json_array_size(errors) == 0));
    if (extra)
        json_object_update(ctx, extra);
    json_decref(extra);
    const char *name = json_string_value(json_object_get(doc, k->kind == ADMIN_RESOURCE ? "name"
                                                                                       : "label"));
    char title[300];
    snprintf(title, sizeof title, "%s %s", slug ? "Edit" : "Add a", slug && name && *name ? name
                                                                     : k->noun);
    json_object_set_new(ctx, "heading", json_string(title));
    return console_page(r, status, "record", ctx, title, u);
}

static int form_get(struct req *r, const struct kind_page *k)
{
    struct console_user u;
    if (require(r, k, &u))
        return r->status;
    json_t *doc = NULL;
    char etag[24];
    int found = admin_kind_read(k->kind, r->args[0], &doc, etag);
    if (found <= 0)
        return console_message(r, found ? 503 : 404,
                               found ? "It could not be read" : "There is no such record",
                               found ? "Something went wrong on our side. Try again in a minute."
                                     : "It may have been renamed or removed.",
                               &u);
    /* A topic is stored with guidance_md; the form and the API call it
     * guidance_markdown. */
    if (json_object_get(doc, "guidance_md"))
        json_object_set(doc, "guidance_markdown", json_object_get(doc, "guidance_md"));
    int st = record_page(r, 200, &u, k, r->args[0], NULL, doc, etag, NULL, NULL);
    json_decref(doc);
    return st;
}

/* The record's problems as errors beside their fields. */
static json_t *problems_of(struct admin_saved *s)
{
    json_t *errors = json_array();
    json_t *list = console_problem_list(&s->problems);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const char *ptr = json_string_value(json_object_get(e, "name")) ?: "";
        char key[64] = "";
        sscanf(ptr, "/%63[^/]", key);
        char msg[400];
        snprintf(msg, sizeof msg, "%s %s", *key ? key : "This record",
                 json_string_value(json_object_get(e, "reason")) ?: "");
        msg[0] = (char)(msg[0] >= 'a' && msg[0] <= 'z' ? msg[0] - 32 : msg[0]);
        for (char *c = msg; *c && *c != ' '; c++)
            if (*c == '_')
                *c = ' ';
        console_add_error(errors, *key ? key : "slug", msg);
    }
    json_decref(list);
    return errors;
}

static int form_post(struct req *r, const struct kind_page *k, bool create)
{
    struct console_user u;
    if (require(r, k, &u))
        return r->status;
    struct query form;
    if (!console_signed_form(r, &u, &form, "Nothing was saved"))
        return r->status;
    json_t *doc = form_record(k, &form);
    char etag[24];
    snprintf(etag, sizeof etag, "%s", query_get(&form, "etag") ?: "");
    bool preview = query_get(&form, "preview") != NULL;
    query_reset(&form);
    const char *slug = create ? NULL : r->args[0];
    const char *org = create && k->kind == ADMIN_RESOURCE ? r->args[0] : NULL;
    int st;
    if (preview) {
        char *html = markdown_to_html(json_string_value(json_object_get(doc, "guidance_markdown")) ?: "");
        st = record_page(r, 200, &u, k, slug, org, doc, etag, NULL,
                         json_pack("{s:s}", "preview", html ? html : ""));
        free(html);
        json_decref(doc);
        return st;
    }
    struct admin_saved s;
    admin_saved_init(&s);
    admin_kind_save(k->kind, slug, org, doc, false, *etag ? etag : (create ? NULL : "\"none\""),
                    u.email, &s);
    if (s.status == 200 || s.status == 201) {
        st = console_saved(r, k->path, s.slug);
    } else if (s.status == 422 || s.status == 409) {
        st = record_page(r, 400, &u, k, slug, org, doc, etag, problems_of(&s), NULL);
    } else if (s.status == 412 || s.status == 428) {
        json_t *now = NULL;
        char now_tag[24];
        if (admin_kind_read(k->kind, r->args[0], &now, now_tag) == 1) {
            json_t *errors = json_array();
            console_add_error(errors, k->fields[0].key,
                              "Someone else saved this record after you opened it. Your "
                              "changes are below, not saved yet: compare them with theirs, "
                              "then save again.");
            if (json_object_get(now, "guidance_md"))
                json_object_set(now, "guidance_markdown", json_object_get(now, "guidance_md"));
            json_t *theirs = json_array();
            for (const struct field *f = k->fields; f->key; f++) {
                json_t *a = shown_value(now, f), *b = shown_value(doc, f);
                json_array_append_new(theirs, json_pack("{s:s, s:o, s:b}", "label", f->label,
                                                        "value", a, "differs",
                                                        !json_equal(a, b)));
                json_decref(b);
            }
            st = record_page(r, 409, &u, k, slug, org, doc, now_tag, errors,
                             json_pack("{s:o, s:b}", "theirs", theirs, "has_theirs", true));
            json_decref(now);
        } else {
            st = console_message(r, 404, "Nothing was saved",
                                 "Someone else has renamed or removed this record meanwhile.", &u);
        }
    } else {
        st = console_message(r, s.status == 404 ? 404 : 503, "Nothing was saved",
                             s.status == 404 ? (create ? "There is no such organisation."
                                                       : "It has been renamed or removed "
                                                         "meanwhile.")
                             : s.read_only ? "This server is a read-only copy of the directory."
                                           : "Something went wrong on our side. Please try again.",
                             &u);
    }
    admin_saved_reset(&s);
    json_decref(doc);
    return st;
}

static int new_form(struct req *r, const struct kind_page *k, const char *org)
{
    struct console_user u;
    if (require(r, k, &u))
        return r->status;
    json_t *doc = json_object();
    int st = record_page(r, 200, &u, k, NULL, org, doc, NULL, NULL, NULL);
    json_decref(doc);
    return st;
}

int console_resource_form(struct req *r) { return form_get(r, &resource_page); }
int console_resource_save(struct req *r) { return form_post(r, &resource_page, false); }
int console_resource_new(struct req *r) { return new_form(r, &resource_page, r->args[0]); }
int console_resource_add(struct req *r) { return form_post(r, &resource_page, true); }
int console_audience_form(struct req *r) { return form_get(r, &audience_page); }
int console_audience_save(struct req *r) { return form_post(r, &audience_page, false); }
int console_audience_new(struct req *r) { return new_form(r, &audience_page, NULL); }
int console_audience_add(struct req *r) { return form_post(r, &audience_page, true); }
int console_topic_form(struct req *r) { return form_get(r, &topic_page); }
int console_topic_save(struct req *r) { return form_post(r, &topic_page, false); }
int console_topic_new(struct req *r) { return new_form(r, &topic_page, NULL); }
int console_topic_add(struct req *r) { return form_post(r, &topic_page, true); }

/* GET /console/taxonomy: every audience and topic, to edit or add. */
int console_taxonomy(struct req *r)
{
    struct console_user u;
    if (require(r, &topic_page, &u))
        return r->status;
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return console_message(r, 503, "The taxonomy could not be shown",
                               "Something went wrong on our side. Try again in a minute.", &u);
    json_t *aud = json_array(), *top = json_array();
    for (size_t i = 0; i < ix->n_audiences; i++)
        json_array_append_new(aud, json_pack("{s:s, s:s, s:I}", "slug", ix->audiences[i].slug,
                                             "label", ix->audiences[i].label, "count",
                                             (json_int_t)ix->audiences[i].count));
    for (size_t i = 0; i < ix->n_topics; i++)
        json_array_append_new(top, json_pack("{s:s, s:s, s:I, s:b}", "slug", ix->topics[i].slug,
                                             "label", ix->topics[i].label, "count",
                                             (json_int_t)ix->topics[i].count, "sub",
                                             ix->topics[i].parent >= 0));
    store_index_release(ix);
    return console_page(r, 200, "taxonomy", json_pack("{s:o, s:o}", "audiences", aud, "topics", top),
                        "Taxonomy", &u);
}
