/* org.c: the curators' writes to organisations: create, replace, merge
 * patch, archive, restore, mark as checked, history and restoring a
 * revision. Each reads top to bottom: authorise, read and check the body,
 * begin, load the current record, check If-Match against what the public
 * reads, write, keep a revision of what is stored, commit, answer. */
#include "admin/admin_int.h"
#include "lib/escape.h"
#include "lib/util.h"
#include "records/org.h"
#include "records/record.h"

#include <stdlib.h>
#include <string.h>

/* Loads the organisation with slug (archived too when asked): what the
 * public reads of it (shown, whose hash is the ETag; may be NULL) and what
 * is stored (stored: what revisions keep and merges start from). */
static int load_org(const char *slug, bool archived_too, struct store_org_detail *d,
                    struct buf *shown, struct buf *stored)
{
    int found = store_org_get_any(slug, archived_too, d);
    if (found == 1) {
        if (shown)
            org_body(shown, d, RECORD_PUBLIC);
        org_body(stored, d, RECORD_STORED);
    }
    return found;
}

int admin_org_not_found(struct req *r, const char *slug)
{
    problem_not_found(r, "organisation", slug);
    return admin_no_store(r, 404);
}

void admin_saved_init(struct admin_saved *s)
{
    memset(s, 0, sizeof *s);
    problem_list_init(&s->problems);
    buf_init(&s->shown);
}

void admin_saved_reset(struct admin_saved *s)
{
    problem_list_reset(&s->problems);
    buf_reset(&s->shown);
}

int admin_save_failed(struct admin_saved *s)
{
    store_rollback();
    s->read_only = store_read_only();
    return s->status = 503;
}

int admin_org_read(const char *slug, json_t **stored, char etag[24], bool *archived)
{
    struct store_org_detail d;
    struct buf shown = BUF_INIT, kept = BUF_INIT;
    *stored = NULL;
    int found = load_org(slug, true, &d, &shown, &kept);
    if (found == 1) {
        admin_etag_of(&shown, etag);
        if (archived)
            *archived = d.archived_at != NULL;
        *stored = json_loadb(kept.data, kept.len, 0, NULL);
        store_org_detail_reset(&d);
        if (!*stored)
            found = -1;
    }
    buf_reset(&shown);
    buf_reset(&kept);
    return found;
}

/* After a write to organisation id in the caller's transaction: what is
 * stored now (under slug) kept as a revision (action, author, before), the
 * commit, and s answered with the record as published. False after a 503. */
static bool keep_and_commit(const char *id, const char *slug, const char *action,
                            const char *author, const char *before, struct admin_saved *s)
{
    struct store_org_detail d;
    struct buf after = BUF_INIT;
    buf_reset(&s->shown);
    bool ok = load_org(slug, true, &d, &s->shown, &after) == 1;
    if (ok)
        store_org_detail_reset(&d);
    ok = ok && store_revision_add("organisation", id, action, author, before, after.data,
                                  NULL) == STORE_OK &&
         store_commit() == 0;
    buf_reset(&after);
    if (!ok) {
        admin_save_failed(s);
        return false;
    }
    admin_etag_of(&s->shown, s->etag);
    snprintf(s->slug, sizeof s->slug, "%s", slug);
    return true;
}

/* Checks doc (against stored: what a write leaves unchanged is not checked
 * again) and writes it over organisation id, in the caller's transaction:
 * true, or false rolled back with s->status 422, 409 (conflict: the
 * sentence to answer, or NULL for the slug problem) or 503. */
static bool check_and_update(json_t *doc, json_t *stored, const char *id, const char *conflict,
                             struct admin_saved *s, struct store_org_in *in,
                             struct store_index **ix)
{
    if (!(*ix = store_index_acquire())) {
        admin_save_failed(s);
        return false;
    }
    if (!org_input(doc, stored, *ix, &s->problems, "", in)) {
        store_rollback();
        s->status = 422;
        return false;
    }
    int rc = store_org_update(id, in);
    if (rc == STORE_CONFLICT) {
        store_rollback();
        if (conflict)
            s->detail = conflict;
        else
            problem_list_add(&s->problems, "/slug", "body",
                             "is already used by another organisation", NULL, 0);
        s->status = 409;
        return false;
    }
    if (rc != STORE_OK) {
        admin_save_failed(s);
        return false;
    }
    return true;
}

int admin_org_save(const char *slug, json_t *doc, bool patch, const char *if_match,
                   const char *author, struct admin_saved *s)
{
    json_t *full = NULL, *current = NULL;
    struct store_index *ix = NULL;
    struct store_org_in in;
    struct store_org_detail d;
    struct buf before = BUF_INIT;
    char *id = NULL;
    memset(&in, 0, sizeof in);
    memset(&d, 0, sizeof d);
    if (store_begin() != 0) {
        admin_save_failed(s);
        goto out;
    }
    int found = load_org(slug, false, &d, &s->shown, &before);
    if (found != 1) {
        if (found < 0)
            admin_save_failed(s);
        else
            store_rollback(), s->status = 404;
        goto out;
    }
    admin_etag_of(&s->shown, s->etag);
    if (!if_match || !admin_if_match(if_match, s->etag)) {
        store_rollback();
        s->status = if_match ? 412 : 428;
        goto out;
    }
    id = xstrdup(d.id);
    /* A merge patch starts from the record as stored, never from the public
     * view: a value the public view withholds is kept, not lost. */
    current = json_loadb(before.data, before.len, 0, NULL);
    full = patch ? record_merge_patch(current, doc) : json_incref(doc);
    if (!check_and_update(full, current, id, NULL, s, &in, &ix))
        goto out;
    if (!keep_and_commit(id, in.slug, "update", author, before.data, s))
        goto out;
    s->status = 200;
out:
    free(id);
    org_input_reset(&in);
    store_org_detail_reset(&d);
    buf_reset(&before);
    json_decref(current);
    json_decref(full);
    store_index_release(ix);
    return s->status;
}

/* Answers a save's outcome as the write API does. */
static int answer_saved(struct req *r, const char *slug, struct admin_saved *s)
{
    return admin_answer_saved(r, s, "organisation", slug, "/api/v1/organisations/");
}

int admin_org_add(json_t *doc, const char *author, struct admin_saved *s)
{
    struct store_index *ix = NULL;
    struct store_org_in in;
    struct store_org_detail d;
    memset(&in, 0, sizeof in);
    memset(&d, 0, sizeof d);
    char *id = NULL;
    if (!(ix = store_index_acquire())) {
        s->status = 503;
        goto out;
    }
    if (!org_input(doc, NULL, ix, &s->problems, "", &in)) {
        s->status = 422;
        goto out;
    }
    id = store_uuid_new();
    in.id = id;
    if (!id || store_begin() != 0) {
        s->read_only = store_read_only();
        s->status = 503;
        goto out;
    }
    int rc = store_org_insert(&in);
    if (rc == STORE_CONFLICT) {
        store_rollback();
        problem_list_add(&s->problems, "/slug", "body", "is already used by another organisation",
                         NULL, 0);
        s->status = 409;
        goto out;
    }
    if (rc != STORE_OK) {
        admin_save_failed(s);
        goto out;
    }
    if (!keep_and_commit(id, in.slug, "create", author, NULL, s))
        goto out;
    s->status = 201;
out:
    free(id);
    org_input_reset(&in);
    store_org_detail_reset(&d);
    store_index_release(ix);
    return s->status;
}

int admin_org_create(struct req *r)
{
    struct auth who;
    json_t *doc = NULL;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who) || !admin_body_or_reply(r, false, &doc))
        return r->status;
    struct admin_saved s;
    admin_saved_init(&s);
    admin_org_add(doc, who.name, &s);
    json_decref(doc);
    answer_saved(r, "", &s);
    admin_saved_reset(&s);
    return r->status;
}

/* PUT and PATCH: replace the record with doc (PATCH: the current record
 * merged with the patch). */
static int replace(struct req *r, bool patch)
{
    struct auth who;
    json_t *doc = NULL;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who) || !admin_body_or_reply(r, patch, &doc))
        return r->status;
    struct admin_saved s;
    admin_saved_init(&s);
    admin_org_save(r->args[0], doc, patch, r->in_if_match, who.name, &s);
    answer_saved(r, r->args[0], &s);
    admin_saved_reset(&s);
    json_decref(doc);
    return r->status;
}

int admin_org_replace(struct req *r)
{
    return replace(r, false);
}

int admin_org_patch(struct req *r)
{
    return replace(r, true);
}

int admin_org_change(const char *slug, enum admin_org_change what, const char *if_match,
                     const char *author, struct admin_saved *s)
{
    struct store_org_detail d;
    struct buf before = BUF_INIT;
    char *id = NULL;
    memset(&d, 0, sizeof d);
    if (store_begin() != 0) {
        admin_save_failed(s);
        goto out;
    }
    int found = load_org(slug, what == ADMIN_UNARCHIVE, &d, &s->shown, &before);
    if (found < 0) {
        admin_save_failed(s);
        goto out;
    }
    if (found == 0 || (what == ADMIN_UNARCHIVE && !d.archived_at)) {
        store_rollback();
        s->status = found ? 409 : 404;
        if (found)
            s->detail = "This organisation is not archived.";
        goto out;
    }
    admin_etag_of(&s->shown, s->etag);
    /* Archiving and restoring need the record's current ETag, like edits;
     * marking as checked changes no content a curator could overwrite. */
    if (what != ADMIN_REVIEW && (!if_match || !admin_if_match(if_match, s->etag))) {
        store_rollback();
        s->status = if_match ? 412 : 428;
        goto out;
    }
    id = xstrdup(d.id);
    int rc = what == ADMIN_ARCHIVE     ? store_org_set_archived(id, true)
             : what == ADMIN_UNARCHIVE ? store_org_set_archived(id, false)
                                       : store_org_mark_reviewed(id, author);
    if (rc != STORE_OK) {
        admin_save_failed(s);
        goto out;
    }
    if (!keep_and_commit(id, d.slug,
                         what == ADMIN_ARCHIVE     ? "archive"
                         : what == ADMIN_UNARCHIVE ? "restore"
                                                   : "review",
                         author, before.data, s))
        goto out;
    s->status = 200;
out:
    free(id);
    store_org_detail_reset(&d);
    buf_reset(&before);
    return s->status;
}

static int change_state(struct req *r, enum admin_org_change what)
{
    struct auth who;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who))
        return r->status;
    struct admin_saved s;
    admin_saved_init(&s);
    admin_org_change(r->args[0], what, r->in_if_match, who.name, &s);
    answer_saved(r, r->args[0], &s);
    admin_saved_reset(&s);
    return r->status;
}

int admin_org_archive(struct req *r)
{
    return change_state(r, ADMIN_ARCHIVE);
}

int admin_org_unarchive(struct req *r)
{
    return change_state(r, ADMIN_UNARCHIVE);
}

int admin_org_review(struct req *r)
{
    return change_state(r, ADMIN_REVIEW);
}


/* Turns the stored JSON texts of a revision row into values. */
static void revision_values(json_t *row)
{
    const char *keys[] = {"before", "after"};
    for (int k = 0; k < 2; k++) {
        const char *t = json_string_value(json_object_get(row, keys[k]));
        json_object_set_new(row, keys[k], t ? json_loads(t, 0, NULL) : json_null());
        if (!json_object_get(row, keys[k]))
            json_object_set_new(row, keys[k], json_null());
    }
}

int admin_org_revisions(struct req *r)
{
    struct auth who;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who))
        return admin_no_store(r, r->status);
    struct store_org_detail d;
    int found = store_org_get_any(r->args[0], true, &d);
    if (found < 0)
        return admin_db_failed(r);
    if (!found)
        return admin_org_not_found(r, r->args[0]);
    json_t *rows;
    int rc = store_revisions("organisation", d.id, &rows);
    store_org_detail_reset(&d);
    if (rc != 0)
        return admin_db_failed(r);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        revision_values(row);
    return admin_rows_answer(r, rows);
}

int admin_org_restore(const char *slug, long n, bool before_it, const char *if_match,
                      const char *author, struct admin_saved *s)
{
    struct store_org_detail d;
    struct buf before = BUF_INIT;
    struct store_org_in in;
    struct store_index *ix = NULL;
    json_t *row = NULL, *doc = NULL;
    char *id = NULL;
    memset(&d, 0, sizeof d);
    memset(&in, 0, sizeof in);
    if (store_begin() != 0) {
        admin_save_failed(s);
        goto out;
    }
    int found = load_org(slug, true, &d, &s->shown, &before);
    if (found != 1) {
        if (found < 0) {
            admin_save_failed(s);
        } else {
            store_rollback();
            s->status = 404;
        }
        goto out;
    }
    admin_etag_of(&s->shown, s->etag);
    if (!if_match || !admin_if_match(if_match, s->etag)) {
        store_rollback();
        s->status = if_match ? 412 : 428;
        goto out;
    }
    id = xstrdup(d.id);
    found = n > 0 && n <= 1000000000 ? store_revision_get("organisation", id, (int)n, &row) : 0;
    const char *kept =
        found == 1 ? json_string_value(json_object_get(row, before_it ? "before" : "after"))
                   : NULL;
    if (found < 0) {
        admin_save_failed(s);
        goto out;
    }
    if (!kept || !(doc = json_loads(kept, 0, NULL))) {
        store_rollback();
        s->status = 404;
        s->detail = "There is no such revision of this organisation.";
        goto out;
    }
    if (!check_and_update(doc, NULL, id,
                          "That revision's slug is now used by another organisation.", s, &in,
                          &ix))
        goto out;
    if (d.archived_at && store_org_set_archived(id, false) != STORE_OK) {
        admin_save_failed(s);
        goto out;
    }
    if (!keep_and_commit(id, in.slug, "restore", author, before.data, s))
        goto out;
    s->status = 200;
out:
    free(id);
    org_input_reset(&in);
    store_org_detail_reset(&d);
    buf_reset(&before);
    json_decref(row);
    json_decref(doc);
    store_index_release(ix);
    return s->status;
}

int admin_org_revision_restore(struct req *r)
{
    struct auth who;
    long n;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who))
        return r->status;
    if (!query_parse_int(r->args[1], 1, 1000000000, &n))
        return admin_problem(r, 404, "There is no such revision.");
    struct admin_saved s;
    admin_saved_init(&s);
    admin_org_restore(r->args[0], n, false, r->in_if_match, who.name, &s);
    answer_saved(r, r->args[0], &s);
    admin_saved_reset(&s);
    return r->status;
}
