/* orgs.c: organisations in the console: the list (search by name, archived
 * ones too when asked), the edit form, and saving it through the same
 * path as the write API (admin_org_save: one validation, one transaction,
 * one revision, the ETag the form was read at). When someone else saved
 * in between, the conflict page shows each field that differs, the
 * curator's and the other person's, and asks which to keep; the choice is
 * saved against the new version, and nothing typed is lost. */
#include "console/console_int.h"
#include "admin/admin.h"
#include "lib/buf.h"
#include "lib/escape.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define LIST_ROWS 500

int console_orgs(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    const char *q = query_get(&r->query, "q");
    const char *arch = query_get(&r->query, "archived");
    bool archived = arch && strcmp(arch, "1") == 0;
    if (!q)
        q = "";
    if (strlen(q) > 200)
        return console_message(r, 400, "That search is too long",
                               "Search with a few words of the organisation's name.", &u);
    json_t *rows = NULL;
    if (store_org_titles(q, archived, LIST_ROWS, &rows) != 0)
        return console_message(r, 503, "The list could not be shown",
                               "Something went wrong on our side. Try again in a minute.", &u);
    json_t *ctx = json_pack("{s:s, s:b, s:I, s:b, s:o}", "q", q, "archived", archived, "total",
                            (json_int_t)json_array_size(rows), "one", json_array_size(rows) == 1,
                            "orgs", rows);
    return console_page(r, 200, "organisations", ctx, "Organisations", &u);
}

/* The edit form for doc (the record as stored, or as the curator sent it),
 * read at etag, with errors and, on a conflict, the fields that differ. */
static int form_page(struct req *r, int status, const struct console_user *u, const char *slug,
                     json_t *doc, const char *etag, json_t *bases, json_t *errors,
                     json_t *conflicts, json_t *changed_by, json_t *extra)
{
    struct store_index *ix = store_index_acquire();
    if (!ix) {
        json_decref(bases);
        json_decref(errors);
        json_decref(conflicts);
        json_decref(changed_by);
        json_decref(extra);
        return console_message(r, 503, "The form could not be shown",
                               "Something went wrong on our side. Try again in a minute.", u);
    }
    json_t *ctx = orgform_context(doc, ix);
    store_index_release(ix);
    /* A contact's errors go beside its row's fields: error_value in row 2. */
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        long row;
        char part[16];
        if (sscanf(json_string_value(json_object_get(e, "field")) ?: "", "contact_%ld_%15s", &row,
                   part) == 2) {
            json_t *o = json_array_get(json_object_get(ctx, "contacts"), (size_t)row);
            char key[32];
            snprintf(key, sizeof key, "error_%s", part);
            if (o && !json_object_get(o, key))
                json_object_set(o, key, json_object_get(e, "message"));
        }
    }
    json_object_set_new(ctx, "path_slug", json_string(slug));
    if (extra)
        json_object_update(ctx, extra);
    json_decref(extra);
    json_t *base_list = json_array();
    const char *bk;
    json_t *bv;
    json_object_foreach(bases, bk, bv)
        json_array_append_new(base_list, json_pack("{s:s, s:O}", "key", bk, "hash", bv));
    json_decref(bases);
    json_object_set_new(ctx, "bases", base_list);
    json_object_set_new(ctx, "etag", json_string(etag));
    json_object_set_new(ctx, "errors", errors ? errors : json_array());
    const char *saved = query_get(&r->query, "saved");
    json_object_set_new(ctx, "saved", json_boolean(saved && strcmp(saved, "1") == 0 && !errors));
    if (conflicts) {
        json_t *c;
        json_array_foreach(conflicts, i, c) {
            char key[64];
            snprintf(key, sizeof key, "choose_%s", json_string_value(json_object_get(c, "key")));
            json_t *e2;
            size_t k;
            json_array_foreach(json_object_get(ctx, "errors"), k, e2)
                if (strcmp(json_string_value(json_object_get(e2, "field")) ?: "", key) == 0)
                    json_object_set(c, "error", json_object_get(e2, "message"));
        }
        json_object_set_new(ctx, "has_conflicts", json_true());
        json_object_set_new(ctx, "conflicts", conflicts);
        json_object_set_new(ctx, "changed_by", changed_by ? changed_by : json_null());
    }
    const char *name = json_string_value(json_object_get(doc, "name"));
    char title[300];
    snprintf(title, sizeof title, "%s %s", conflicts ? "Someone else changed" : "Edit",
             name && *name ? name : slug);
    return console_page(r, status, "organisation", ctx, title, u);
}

int console_org_form(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    json_t *stored = NULL;
    char etag[24];
    bool archived = false;
    int found = admin_org_read(r->args[0], &stored, etag, &archived);
    if (found <= 0)
        return console_message(r, found ? 503 : 404,
                               found ? "The organisation could not be read"
                                     : "There is no such organisation",
                               found ? "Something went wrong on our side. Try again in a minute."
                                     : "It may have been renamed. Find it in the list of "
                                       "organisations.",
                               &u);
    json_t *state = json_pack("{s:b, s:O, s:b}", "is_archived", archived, "last_reviewed",
                              json_object_get(stored, "last_reviewed"), "state_forms", true);
    /* The next check is due a year after the last, when the dashboard
     * lists it again (DASHBOARD_MONTHS in pages.c; as SQLite's "+12
     * months", 29 February moves to 1 March). */
    int y, m, d;
    const char *last = json_string_value(json_object_get(stored, "last_reviewed"));
    if (last && sscanf(last, "%4d-%2d-%2d", &y, &m, &d) == 3) {
        char due[40];
        bool leap_day = m == 2 && d == 29;
        snprintf(due, sizeof due, "%04d-%02d-%02d", y + 1, leap_day ? 3 : m, leap_day ? 1 : d);
        json_object_set_new(state, "review_due", json_string(due));
    }
    int st = form_page(r, 200, &u, r->args[0], stored, etag, orgform_bases(stored), NULL, NULL,
                       NULL, state);
    json_decref(stored);
    return st;
}

/* Who saved the record last, and when, for the conflict page. */
static json_t *last_change(json_t *theirs)
{
    json_t *row = NULL;
    const char *id = json_string_value(json_object_get(theirs, "id"));
    if (!id || store_last_revision("organisation", id, &row) != 1)
        return NULL;
    return row;
}

/* Saves mine at etag: 303 to the saved form, or the form again with the
 * problems beside their fields, or (412) the merge of mine with what was
 * saved meanwhile: saved at once when nobody's change meets another, else
 * the conflict page. bases: the fingerprints of the version mine was read
 * at (consumed). */
static int save(struct req *r, const struct console_user *u, json_t *mine, const char *etag,
                json_t *bases, json_t *errors, bool merged)
{
    struct admin_saved s;
    admin_saved_init(&s);
    /* A missing ETag can never match: a conflict, never a blind overwrite. */
    admin_org_save(r->args[0], mine, false, etag && *etag ? etag : "\"none\"", u->email, &s);
    int st;
    if (s.status == 200) {
        json_decref(errors);
        json_decref(bases);
        st = console_saved(r, "/console/organisations/", s.slug);
    } else if (s.status == 422 || s.status == 409) {
        orgform_add_problems(errors, &s.problems);
        st = form_page(r, 400, u, r->args[0], mine, etag ? etag : "", bases, errors, NULL, NULL,
                       NULL);
    } else if (s.status == 412 || s.status == 428) {
        json_t *theirs = NULL;
        char now_tag[24];
        if (admin_org_read(r->args[0], &theirs, now_tag, NULL) != 1) {
            json_decref(errors);
            json_decref(bases);
            st = console_message(r, 404, "Your change was not saved",
                                 "Someone else has renamed or archived this organisation "
                                 "meanwhile. Find it in the list and make your change again.", u);
        } else {
            json_t *conflicts = orgform_merge(mine, theirs, bases);
            json_decref(bases);
            if (json_array_size(conflicts) == 0 && json_array_size(errors) == 0 && !merged) {
                json_decref(conflicts);
                st = save(r, u, mine, now_tag, orgform_bases(theirs), errors, true);
            } else {
                st = form_page(r, 409, u, r->args[0], mine, now_tag, orgform_bases(theirs),
                               errors, conflicts, last_change(theirs), NULL);
            }
            json_decref(theirs);
        }
    } else {
        json_decref(errors);
        json_decref(bases);
        st = console_message(r, s.status == 404 ? 404 : 503, "Your change was not saved",
                             s.status == 404 ? "This organisation has been renamed or archived "
                                               "meanwhile. Find it in the list and try again."
                             : s.read_only   ? "This server is a read-only copy of the "
                                               "directory: make changes on the primary."
                                             : "Something went wrong on our side. Nothing was "
                                               "changed; please try again.",
                             u);
    }
    admin_saved_reset(&s);
    return st;
}

/* When the form answers a conflict page, every field it listed needs a
 * choice (errors says which is missing); where "theirs" was chosen, the
 * field takes the record's value as it is now. */
static void apply_choices(const char *slug, const struct query *form, json_t *mine,
                          json_t *bases, json_t *errors)
{
    bool listed = false;
    for (size_t i = 0; i < form->n_params; i++) {
        if (strcmp(form->params[i].key, "conflict") != 0)
            continue;
        const struct orgform_field *f = orgform_field_of(form->params[i].value);
        if (!f)
            continue;
        listed = true;
        char key[64];
        snprintf(key, sizeof key, "choose_%s", f->key);
        const char *c = query_get(form, key);
        if (!c || (strcmp(c, "mine") && strcmp(c, "theirs"))) {
            char msg[160];
            snprintf(msg, sizeof msg, "Choose which %s to keep", f->label);
            console_add_error(errors, key, msg);
        }
    }
    /* Asked again, the listed fields are conflicts whatever their bases. */
    if (json_array_size(errors))
        for (size_t i = 0; i < form->n_params; i++)
            if (strcmp(form->params[i].key, "conflict") == 0)
                json_object_del(bases, form->params[i].value);
    json_t *theirs = NULL;
    char etag[24];
    if (listed && json_array_size(errors) == 0 && admin_org_read(slug, &theirs, etag, NULL) == 1) {
        orgform_take_theirs(mine, theirs, form);
        json_decref(theirs);
    }
}

int console_org_save(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    struct query form;
    if (!console_signed_form(r, &u, &form, "Your change was not saved"))
        return r->status;
    char etag[24];
    snprintf(etag, sizeof etag, "%s", query_get(&form, "etag") ?: "");
    json_t *mine = orgform_record(&form);
    json_t *bases = orgform_bases_sent(&form);
    json_t *errors = json_array();
    apply_choices(r->args[0], &form, mine, bases, errors);
    query_reset(&form);
    int st;
    if (json_array_size(errors)) {
        /* A choice is missing: the same conflict page again, saying so. */
        st = save(r, &u, mine, "\"none\"", bases, errors, true);
    } else {
        st = save(r, &u, mine, etag, bases, errors, false);
    }
    json_decref(mine);
    return st;
}

int console_org_state(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    struct query form;
    if (!console_signed_form(r, &u, &form, "Nothing was changed"))
        return r->status;
    const char *action = query_get(&form, "action");
    const char *etag = query_get(&form, "etag");
    enum admin_org_change what;
    if (action && strcmp(action, "archive") == 0)
        what = ADMIN_ARCHIVE;
    else if (action && strcmp(action, "unarchive") == 0)
        what = ADMIN_UNARCHIVE;
    else if (action && strcmp(action, "review") == 0)
        what = ADMIN_REVIEW;
    else {
        query_reset(&form);
        return console_message(r, 400, "Nothing was changed",
                               "Choose archive, bring back, or mark as checked.", &u);
    }
    struct admin_saved s;
    admin_saved_init(&s);
    admin_org_change(r->args[0], what, etag && *etag ? etag : "\"none\"", u.email, &s);
    query_reset(&form);
    int st;
    if (s.status == 200) {
        st = console_saved(r, "/console/organisations/", s.slug);
    } else {
        st = console_message(r, s.status == 412 || s.status == 428 ? 409
                                : s.status == 404 || s.status == 409 ? s.status : 503,
                             "Nothing was changed",
                             s.status == 412 || s.status == 428
                                 ? "Someone changed this organisation after you opened it. "
                                   "Open it again, check their change, then try again."
                             : s.detail ? s.detail
                             : s.status == 404 ? "There is no such organisation."
                                               : "Something went wrong on our side. Please try "
                                                 "again.",
                             &u);
    }
    admin_saved_reset(&s);
    return st;
}

/* The new organisation's form: empty, the kind "charity" and coverage "UK"
 * chosen as most of the directory is. */
int console_org_new(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    json_t *doc = json_pack("{s:s, s:s}", "kind", "charity", "coverage", "UK");
    int st = form_page(r, 200, &u, "", doc, "", json_object(), NULL, NULL, NULL,
                       json_pack("{s:b}", "adding", true));
    json_decref(doc);
    return st;
}

int console_org_add(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    struct query form;
    if (!console_signed_form(r, &u, &form, "Nothing was added"))
        return r->status;
    json_t *doc = orgform_record(&form);
    query_reset(&form);
    struct admin_saved s;
    admin_saved_init(&s);
    admin_org_add(doc, u.email, &s);
    int st;
    if (s.status == 201) {
        st = console_saved(r, "/console/organisations/", s.slug);
    } else if (s.status == 422 || s.status == 409) {
        json_t *errors = json_array();
        orgform_add_problems(errors, &s.problems);
        st = form_page(r, 400, &u, "", doc, "", json_object(), errors, NULL, NULL,
                       json_pack("{s:b}", "adding", true));
    } else {
        st = console_message(r, 503, "Nothing was added",
                             s.read_only ? "This server is a read-only copy of the directory: "
                                           "add organisations on the primary."
                                         : "Something went wrong on our side. Try again in a "
                                           "minute.",
                             &u);
    }
    admin_saved_reset(&s);
    json_decref(doc);
    return st;
}
