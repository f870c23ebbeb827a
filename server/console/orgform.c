/* orgform.c: an organisation between the record the write path takes
 * (JSON, as the API's PUT) and the console's form: the form's fields from
 * a record, a record from the fields sent, a problem's JSON pointer as the
 * field it belongs beside, and which fields differ between two versions
 * (for the conflict page). No rule of what a good organisation is lives
 * here: that is records/org.c's, through admin_org_save. */
#include "console/console_int.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXTRA_CONTACT_ROWS 2
#define MAX_CONTACT_ROWS 24   /* the validator allows 20: more is its error */

static const char *const kinds[] = {"charity", "government", "police", "local-authority",
                                    "partnership", "public-body", "company", "other", NULL};
static const char *const contact_kinds[] = {"phone", "text", "email", "webchat",
                                            "report-form", "website", NULL};

/* The form's fields, in the form's order, with the labels people see. */
const struct orgform_field orgform_fields[] = {
    {"name", "Name", false},
    {"slug", "Web address name", false},
    {"summary", "Summary", false},
    {"description", "Description", false},
    {"website", "Website", false},
    {"kind", "Kind of organisation", false},
    {"coverage", "Where it helps", false},
    {"audiences", "Who it is for", true},
    {"topics", "Topics", true},
    {"contacts", "Contacts", true},
    {"search_terms", "Search terms", true},
    {"source", "Source", false},
    {NULL, NULL, false},
};

static const char *text_of(json_t *doc, const char *key)
{
    const char *s = json_string_value(json_object_get(doc, key));
    return s ? s : "";
}


static json_t *options(const char *const *values, const char *chosen, bool blank)
{
    json_t *out = json_array();
    if (blank)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                             "Choose", "selected", !chosen || !*chosen));
    for (size_t i = 0; values[i]; i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", values[i], "label",
                                             values[i], "selected",
                                             chosen && strcmp(chosen, values[i]) == 0));
    return out;
}

static json_t *terms(const struct store_term *t, size_t n, json_t *chosen, const char *kind)
{
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b, s:b}", "slug", t[i].slug,
                                             "label", t[i].label, "kind", kind, "checked",
                                             console_listed(chosen, t[i].slug), "sub",
                                             t[i].parent >= 0));
    return out;
}

/* The lines of a list of strings, for a textarea. */
static json_t *lines_of(json_t *list)
{
    struct buf b = BUF_INIT;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (json_is_string(v)) {
            if (b.len)
                buf_putc(&b, '\n');
            buf_puts(&b, json_string_value(v));
        }
    json_t *s = json_stringn(b.data ? b.data : "", b.len);
    buf_reset(&b);
    return s;
}

json_t *orgform_context(json_t *doc, const struct store_index *ix)
{
    json_t *ctx = json_object();
    static const char *const scalars[] = {"name", "slug", "summary", "description",
                                          "website", "coverage", "source", NULL};
    for (size_t i = 0; scalars[i]; i++)
        json_object_set_new(ctx, scalars[i], json_string(text_of(doc, scalars[i])));
    json_object_set_new(ctx, "kinds", options(kinds, text_of(doc, "kind"), false));
    json_object_set_new(ctx, "audiences", terms(ix->audiences, ix->n_audiences,
                                                json_object_get(doc, "audiences"), "audience"));
    json_object_set_new(ctx, "topics", terms(ix->topics, ix->n_topics,
                                             json_object_get(doc, "topics"), "topic"));
    json_object_set_new(ctx, "search_terms", lines_of(json_object_get(doc, "search_terms")));
    json_t *rows = json_array();
    json_t *contacts = json_object_get(doc, "contacts");
    size_t n = json_array_size(contacts);
    for (size_t i = 0; i < n + EXTRA_CONTACT_ROWS && i < MAX_CONTACT_ROWS; i++) {
        json_t *c = json_array_get(contacts, i);
        json_array_append_new(rows, json_pack("{s:I, s:I, s:o, s:s, s:s, s:s}", "i",
                                              (json_int_t)i, "n", (json_int_t)i + 1, "kinds",
                                              options(contact_kinds, text_of(c, "kind"), true),
                                              "label", text_of(c, "label"), "value",
                                              text_of(c, "value"), "hours",
                                              text_of(c, "hours")));
    }
    json_object_set_new(ctx, "contacts", rows);
    json_t *res = json_array();
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(doc, "resources"), k, v)
        json_array_append_new(res, json_pack("{s:s, s:s, s:s}", "slug", text_of(v, "slug"),
                                             "name", text_of(v, "name"), "type",
                                             text_of(v, "type")));
    json_object_set_new(ctx, "resources", res);
    return ctx;
}

/* A form field's value, "" when it was not sent. */
static const char *field(const struct query *form, const char *key)
{
    const char *v = query_get(form, key);
    return v ? v : "";
}

/* Every value sent under key, as a JSON array of strings. */
static json_t *all_of(const struct query *form, const char *key)
{
    json_t *out = json_array();
    for (size_t i = 0; i < form->n_params; i++)
        if (strcmp(form->params[i].key, key) == 0)
            json_array_append_new(out, json_string(form->params[i].value));
    return out;
}

json_t *orgform_record(const struct query *form)
{
    json_t *doc = json_object();
    static const char *const required[] = {"name", "slug", "kind", "coverage", "source", NULL};
    for (size_t i = 0; required[i]; i++)
        json_object_set_new(doc, required[i], json_string(field(form, required[i])));
    /* Optional text: left out when empty; the website is null then. */
    static const char *const optional[] = {"summary", "description", NULL};
    for (size_t i = 0; optional[i]; i++)
        if (*field(form, optional[i]))
            json_object_set_new(doc, optional[i], json_string(field(form, optional[i])));
    const char *web = field(form, "website");
    json_object_set_new(doc, "website", *web ? json_string(web) : json_null());
    json_object_set_new(doc, "audiences", all_of(form, "audience"));
    json_object_set_new(doc, "topics", all_of(form, "topic"));
    json_object_set_new(doc, "search_terms", console_lines(field(form, "search_terms")));
    json_t *contacts = json_array();
    for (int i = 0; i < MAX_CONTACT_ROWS; i++) {
        char k[4][32];
        static const char *const parts[] = {"kind", "label", "value", "hours"};
        bool any = false;
        for (int j = 0; j < 4; j++) {
            snprintf(k[j], sizeof k[j], "contact_%d_%s", i, parts[j]);
            any = any || *field(form, k[j]);
        }
        if (!any)
            continue;   /* a blank row */
        const char *hours = field(form, k[3]);
        json_array_append_new(contacts,
                              json_pack("{s:s, s:s, s:s, s:o}", "kind", field(form, k[0]),
                                        "label", field(form, k[1]), "value", field(form, k[2]),
                                        "hours", *hours ? json_string(hours) : json_null()));
    }
    json_object_set_new(doc, "contacts", contacts);
    return doc;
}

const struct orgform_field *orgform_field_of(const char *key)
{
    for (const struct orgform_field *f = orgform_fields; f->key; f++)
        if (strcmp(f->key, key) == 0)
            return f;
    return NULL;
}

void orgform_add_problem(json_t *errors, const char *pointer, const char *reason)
{
    char top[64] = "", sub[64] = "";
    long index = -1;
    /* "/name", "/contacts/2/value", "/audiences/1" */
    if (sscanf(pointer, "/%63[^/]/%ld/%63s", top, &index, sub) < 1)
        snprintf(top, sizeof top, "name");
    const struct orgform_field *f = orgform_field_of(top);
    char id[96], message[512];
    if (strcmp(top, "contacts") == 0 && index >= 0) {
        snprintf(id, sizeof id, "contact_%ld_%s", index, *sub ? sub : "kind");
        snprintf(message, sizeof message, "Contact %ld%s%s %s", index + 1, *sub ? ", " : "", sub,
                 reason);
    } else {
        snprintf(id, sizeof id, "%s", f ? top : "name");
        snprintf(message, sizeof message, "%s %s", f ? f->label : top, reason);
    }
    console_add_error(errors, id, message);
}

void orgform_add_problems(json_t *errors, struct problems *p)
{
    json_t *list = console_problem_list(p);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
        orgform_add_problem(errors, json_string_value(json_object_get(e, "name")) ?: "",
                            json_string_value(json_object_get(e, "reason")) ?: "");
    json_decref(list);
}

/* A field's value as a person reads it, for the conflict page. */
static json_t *readable(json_t *doc, const char *key)
{
    json_t *v = json_object_get(doc, key);
    if (strcmp(key, "contacts") == 0) {
        struct buf b = BUF_INIT;
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) {
            buf_printf(&b, "%s%s: %s (%s)", b.len ? "\n" : "", text_of(c, "kind"),
                       text_of(c, "value"), text_of(c, "label"));
            if (*text_of(c, "hours"))
                buf_printf(&b, ", %s", text_of(c, "hours"));
        }
        json_t *s = json_stringn(b.data ? b.data : "", b.len);
        buf_reset(&b);
        return s;
    }
    if (json_is_array(v)) {
        return lines_of(v);
    }
    return json_string(json_is_string(v) ? json_string_value(v) : "");
}

/* Whether two versions of a field say the same (null, absent and "" are). */
static bool same(json_t *a, json_t *b, const char *key)
{
    json_t *x = readable(a, key), *y = readable(b, key);
    bool eq = json_equal(x, y);
    json_decref(x);
    json_decref(y);
    return eq;
}

/* A field's fingerprint: the hash of what a person reads of it. */
static void fingerprint(json_t *doc, const char *key, char out[17])
{
    json_t *v = readable(doc, key);
    const char *s = json_string_value(v);
    snprintf(out, 17, "%016llx", (unsigned long long)util_hash(UTIL_FNV_INIT, s, strlen(s)));
    json_decref(v);
}

json_t *orgform_bases(json_t *doc)
{
    json_t *out = json_object();
    for (const struct orgform_field *f = orgform_fields; f->key; f++) {
        char h[17];
        fingerprint(doc, f->key, h);
        json_object_set_new(out, f->key, json_string(h));
    }
    return out;
}

json_t *orgform_bases_sent(const struct query *form)
{
    json_t *out = json_object();
    for (const struct orgform_field *f = orgform_fields; f->key; f++) {
        char key[64];
        snprintf(key, sizeof key, "base_%s", f->key);
        const char *v = query_get(form, key);
        if (v && strlen(v) == 16)
            json_object_set_new(out, f->key, json_string(v));
    }
    return out;
}

json_t *orgform_merge(json_t *mine, json_t *theirs, json_t *bases)
{
    json_t *out = json_array();
    for (const struct orgform_field *f = orgform_fields; f->key; f++) {
        if (same(mine, theirs, f->key))
            continue;
        const char *base = json_string_value(json_object_get(bases, f->key));
        char hm[17], ht[17];
        fingerprint(mine, f->key, hm);
        fingerprint(theirs, f->key, ht);
        if (base && strcmp(base, ht) == 0)
            continue;   /* only the curator changed it: theirs stands */
        if (base && strcmp(base, hm) == 0) {
            /* only the other person changed it: take theirs, or a stale
             * value would undo their change */
            json_t *v = json_object_get(theirs, f->key);
            if (v)
                json_object_set(mine, f->key, v);
            else
                json_object_del(mine, f->key);
            continue;
        }
        json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:o}", "key", f->key, "label",
                                             f->label, "mine", readable(mine, f->key), "theirs",
                                             readable(theirs, f->key)));
    }
    return out;
}

void orgform_take_theirs(json_t *mine, json_t *theirs, const struct query *form)
{
    for (const struct orgform_field *f = orgform_fields; f->key; f++) {
        char key[64];
        snprintf(key, sizeof key, "choose_%s", f->key);
        const char *choice = query_get(form, key);
        if (!choice || strcmp(choice, "theirs") != 0)
            continue;
        json_t *v = json_object_get(theirs, f->key);
        if (v)
            json_object_set(mine, f->key, v);
        else
            json_object_del(mine, f->key);
    }
}

json_t *orgform_diff(json_t *before, json_t *after)
{
    json_t *out = json_array();
    for (const struct orgform_field *f = orgform_fields; f->key; f++) {
        json_t *b = before ? readable(before, f->key) : json_string("");
        json_t *a = after ? readable(after, f->key) : json_string("");
        if (!json_equal(a, b))
            json_array_append_new(out, json_pack("{s:s, s:o, s:o}", "label", f->label,
                                                 "before", b, "after", a));
        else {
            json_decref(a);
            json_decref(b);
        }
    }
    return out;
}
