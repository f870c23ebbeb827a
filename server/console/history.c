/* history.c: an organisation's revisions in the console, newest first,
 * each as who, when, what kind of change and a field-by-field diff of the
 * record as stored before and after; and restoring any of them, through
 * admin_org_restore (today's rules, the current ETag, a revision of its
 * own). */
#include "console/console_int.h"
#include "admin/admin.h"
#include "lib/buf.h"
#include "lib/escape.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

static const char *action_label(const char *action)
{
    static const char *const labels[][2] = {
        {"create", "Created"},   {"update", "Edited"},         {"archive", "Archived"},
        {"restore", "Restored"}, {"review", "Marked as checked"}, {"import", "Imported"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (action && strcmp(action, labels[i][0]) == 0)
            return labels[i][1];
    return action ? action : "";
}

static json_t *parse(json_t *row, const char *key)
{
    const char *t = json_string_value(json_object_get(row, key));
    return t ? json_loads(t, 0, NULL) : NULL;
}

int console_org_history(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    json_t *stored = NULL, *rows = NULL;
    char etag[24];
    int found = admin_org_read(r->args[0], &stored, etag, NULL);
    const char *id = found == 1 ? json_string_value(json_object_get(stored, "id")) : NULL;
    if (found <= 0 || !id || store_revisions("organisation", id, &rows) != 0) {
        json_decref(stored);
        return console_message(r, found == 0 ? 404 : 503,
                               found == 0 ? "There is no such organisation"
                                          : "The history could not be shown",
                               found == 0 ? "Find it in the list of organisations."
                                          : "Something went wrong on our side. Try again in a "
                                            "minute.",
                               &u);
    }
    json_t *list = json_array();
    for (size_t i = json_array_size(rows); i-- > 0;) {
        json_t *row = json_array_get(rows, i);
        json_t *before = parse(row, "before"), *after = parse(row, "after");
        json_t *changes = orgform_diff(before, after);
        json_array_append_new(
            list, json_pack("{s:O, s:O, s:O, s:s, s:b, s:o, s:b, s:b}", "n",
                            json_object_get(row, "n"),
                            "actor", json_object_get(row, "actor"), "at",
                            json_object_get(row, "at"), "action",
                            action_label(json_string_value(json_object_get(row, "action"))),
                            "has_changes", json_array_size(changes) > 0, "changes", changes,
                            "restorable", before != NULL, "latest",
                            i + 1 == json_array_size(rows)));
        json_decref(before);
        json_decref(after);
    }
    json_decref(rows);
    json_t *ctx = json_pack("{s:s, s:O, s:s, s:o}", "path_slug", r->args[0], "name",
                            json_object_get(stored, "name"), "etag", etag, "revisions", list);
    json_decref(stored);
    return console_page(r, 200, "history", ctx, "History", &u);
}

int console_org_restore(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    struct query form;
    long n;
    if (!console_signed_form(r, &u, &form, "Nothing was restored"))
        return r->status;
    if (!query_parse_int(r->args[1], 1, 1000000000, &n)) {
        query_reset(&form);
        return console_message(r, 404, "Nothing was restored",
                               "There is no such version. Open the history again.", &u);
    }
    struct admin_saved s;
    admin_saved_init(&s);
    const char *etag = query_get(&form, "etag");
    /* Each change offers the version before it: every version there has
     * been, back to the first, is one of those. */
    admin_org_restore(r->args[0], n, true, etag && *etag ? etag : "\"none\"", u.email, &s);
    query_reset(&form);
    int st;
    if (s.status == 200) {
        st = console_saved(r, "/console/organisations/", s.slug);
    } else if (s.status == 412 || s.status == 428) {
        st = console_message(r, 409, "Nothing was restored",
                             "Someone changed this organisation after you opened its history. "
                             "Open the history again to see their change, then choose.", &u);
    } else if (s.status == 422) {
        st = console_message(r, 422, "That version cannot be restored",
                             "It does not meet today's rules for a record (a web address or "
                             "phone number in a form no longer accepted, or a topic that has "
                             "gone). Edit the organisation instead.", &u);
    } else {
        st = console_message(r, s.status == 404 || s.status == 409 ? s.status : 503,
                             "Nothing was restored",
                             s.detail ? s.detail
                             : s.status == 404 ? "There is no such organisation."
                                               : "Something went wrong on our side. Nothing "
                                                 "was changed; please try again.",
                             &u);
    }
    admin_saved_reset(&s);
    return st;
}
