/* kind.c: the curators' writes to resources (editors) and to the
 * taxonomies, audiences and topics (admins). The same flow as
 * organisations, table-driven: each kind says how to load its
 * representation (whose hash is the ETag its public GET answers), how to
 * check a body and write it, and how DELETE treats it. */
#include "admin/admin_int.h"
#include "lib/escape.h"
#include "lib/util.h"
#include "records/record.h"
#include "records/resource.h"
#include "records/term.h"

#include <stdlib.h>
#include <string.h>

struct kind {
    const char *entity;          /* in revisions: "resource", "audience", "topic" */
    const char *path;            /* "/api/v1/resources/" */
    enum auth_role role;
    bool topic;                  /* taxonomy kinds: which table */
};

static const struct kind resource_kind = {"resource", "/api/v1/resources/", AUTH_EDITOR, false};
static const struct kind audience_kind = {"audience", "/api/v1/audiences/", AUTH_ADMIN, false};
static const struct kind topic_kind = {"topic", "/api/v1/topics/", AUTH_ADMIN, true};

/* What a client reads of the record (whose hash is the ETag its public GET
 * answers): for resources the public view of the row, for terms their body
 * from the index (which holds committed data only). Appends it to body.
 * 0, or -1. */
static int kind_public(const struct kind *k, const char *slug, bool archived_too,
                       struct buf *body)
{
    if (k == &resource_kind) {
        json_t *row = NULL;
        int found = store_resource_get(slug, archived_too, &row);
        if (found == 1)
            resource_body(body, row, RECORD_PUBLIC);
        json_decref(row);
        return found == 1 ? 0 : -1;
    }
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return -1;
    int at = k->topic ? store_term_find(ix->topics, ix->n_topics, slug)
                      : store_term_find(ix->audiences, ix->n_audiences, slug);
    if (at >= 0 && k->topic)
        term_topic_body(body, ix, at);
    else if (at >= 0)
        term_audience_body(body, ix, at);
    store_index_release(ix);
    return at >= 0 ? 0 : -1;
}

/* The record as stored, as revisions keep it (JSON text into snapshot),
 * and its id:
 * 1 found, 0 not, -1 on error. */
static int kind_snapshot(const struct kind *k, const char *slug, bool archived_too, char **id,
                         struct buf *snapshot)
{
    json_t *row = NULL;
    int found = k == &resource_kind ? store_resource_get(slug, archived_too, &row)
                                    : store_term_get(k->topic, slug, &row);
    if (found == 1) {
        if (k == &resource_kind) {
            resource_body(snapshot, row, RECORD_STORED);
        } else {
            char *text = json_dumps(row, JSON_COMPACT | JSON_PRESERVE_ORDER);
            buf_puts(snapshot, text ? text : "null");
            free(text);
        }
        *id = xstrdup(json_string_value(json_object_get(row, "id")));
    }
    json_decref(row);
    return found;
}

/* Loads the record for a write: its snapshot and id, and checks If-Match
 * against what a client reads. Returns true to go on; else r is answered. */
static bool kind_load_or_reply(struct req *r, const struct kind *k, bool archived_too,
                               char **id, struct buf *snapshot, struct buf *shown)
{
    int found = kind_snapshot(k, r->args[0], archived_too, id, snapshot);
    if (found < 0) {
        admin_db_failed(r);
        return false;
    }
    if (found == 0) {
        problem_not_found(r, k->entity, r->args[0]);
        admin_no_store(r, 404);
        return false;
    }
    struct buf current = BUF_INIT;
    bool ok = kind_public(k, r->args[0], archived_too, &current) == 0 &&
              admin_precondition_or_reply(r, &current);
    if (!ok && r->status < 400)
        admin_db_failed(r);
    if (ok && shown)
        *shown = current;
    else
        buf_reset(&current);
    return ok;
}

/* Checks doc as kind k and writes it (create: a new record under org_id for
 * resources). Returns STORE_OK, STORE_CONFLICT, STORE_ERROR, or 1 when p has
 * problems. *slug gets the written slug (borrowed from doc). */
static int kind_write(const struct kind *k, json_t *doc, json_t *stored, const char *id,
                      const char *org_id, bool create, struct problems *p, const char **slug)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return STORE_ERROR;
    int rc = 1;
    if (k == &resource_kind) {
        struct store_resource_in in = {.id = id};
        resource_input(doc, stored, ix, p, "", &in);
        *slug = in.slug;
        if (!p->n) {
            json_t *row = NULL;
            int64_t position = create ? store_resource_next_position(org_id) : 0;
            if (!create && store_resource_get_by_id(id, &row) == 1) {
                position = json_integer_value(json_object_get(row, "position"));
                org_id = json_string_value(json_object_get(row, "org_id"));
            }
            rc = org_id ? store_resource_upsert(org_id, &in, position) : STORE_ERROR;
            json_decref(row);
        }
        resource_input_reset(&in);
    } else {
        struct term_in in;
        term_input(doc, ix, k->topic, id, p, &in);
        *slug = in.slug;
        if (!p->n)
            rc = k->topic ? store_topic_upsert(id, in.slug, in.label, in.description, in.parent,
                                               in.position, "curated", in.guidance_md,
                                               in.search_terms)
                          : store_audience_upsert(id, in.slug, in.label, in.description,
                                                  in.position);
        term_input_reset(&in);
    }
    store_index_release(ix);
    return rc;
}

/* Revision, version bump, commit, answer: the record as its GET shows it. */
static int kind_finish(struct req *r, const struct kind *k, const struct auth *who,
                       const char *id, const char *action, const struct buf *before,
                       const char *slug, int status, bool archived_too)
{
    struct buf after = BUF_INIT, shown = BUF_INIT;
    char *id2 = NULL;
    if (kind_snapshot(k, slug, archived_too, &id2, &after) != 1 ||
        store_revision_add(k->entity, id, action, who->name, before ? before->data : NULL,
                           after.data, NULL) != STORE_OK) {
        free(id2);
        buf_reset(&after);
        return admin_db_failed(r);
    }
    free(id2);
    buf_reset(&after);
    if (!admin_commit_or_reply(r))
        return r->status;
    /* Committed: what clients read now, with its ETag. */
    if (kind_public(k, slug, archived_too, &shown) != 0) {
        buf_reset(&shown);
        r->content_type = admin_json_type;
        return admin_no_store(r, status == 201 ? 201 : 204);
    }
    admin_answer_record(r, status, &shown);
    if (status == 201) {
        struct buf loc = BUF_INIT;
        buf_puts(&loc, k->path);
        esc_url_str(&loc, slug);
        req_add_header(r, "Location", loc.data);
        buf_reset(&loc);
    }
    return status;
}

static int kind_conflict(struct req *r)
{
    return admin_slug_taken(r, "record");
}


static const struct kind *kind_of(enum admin_kind which)
{
    return which == ADMIN_RESOURCE ? &resource_kind
           : which == ADMIN_AUDIENCE ? &audience_kind
                                     : &topic_kind;
}

int admin_kind_read(enum admin_kind which, const char *slug, json_t **stored, char etag[24])
{
    const struct kind *k = kind_of(which);
    struct buf snap = BUF_INIT, shown = BUF_INIT;
    char *id = NULL;
    *stored = NULL;
    int found = kind_snapshot(k, slug, false, &id, &snap);
    if (found == 1 && kind_public(k, slug, false, &shown) == 0) {
        admin_etag_of(&shown, etag);
        *stored = json_loadb(snap.data, snap.len, 0, NULL);
        if (!*stored)
            found = -1;
    } else if (found == 1) {
        found = -1;
    }
    free(id);
    buf_reset(&snap);
    buf_reset(&shown);
    return found;
}

int admin_kind_save(enum admin_kind which, const char *slug, const char *org_slug, json_t *doc,
                    bool patch, const char *if_match, const char *author, struct admin_saved *s)
{
    const struct kind *k = kind_of(which);
    json_t *full = NULL, *current = NULL;
    struct buf before = BUF_INIT, after = BUF_INIT;
    struct store_org_detail d;
    memset(&d, 0, sizeof d);
    char *id = NULL, *id2 = NULL;
    const char *org_id = NULL;
    bool create = slug == NULL;
    if (create && !(id = store_uuid_new())) {
        s->status = 503;
        goto out;
    }
    if (store_begin() != 0) {
        admin_save_failed(s);
        goto out;
    }
    if (create) {
        if (k == &resource_kind) {
            int found = store_org_get(org_slug ? org_slug : "", &d);
            if (found != 1) {
                if (found < 0) {
                    admin_save_failed(s);
                } else {
                    store_rollback();
                    s->status = 404;
                }
                goto out;
            }
            org_id = d.id;
        }
        full = json_incref(doc);
    } else {
        int found = kind_snapshot(k, slug, false, &id, &before);
        if (found != 1 || kind_public(k, slug, false, &s->shown) != 0) {
            if (found == 0) {
                store_rollback();
                s->status = 404;
            } else {
                admin_save_failed(s);
            }
            goto out;
        }
        admin_etag_of(&s->shown, s->etag);
        if (!if_match || !admin_if_match(if_match, s->etag)) {
            store_rollback();
            s->status = if_match ? 412 : 428;
            goto out;
        }
        /* A merge patch starts from the record as stored (for terms the
         * public GET, which withholds nothing and names the fields as the
         * API does): a value the public view withholds is never lost. */
        const struct buf *from = patch && k != &resource_kind ? &s->shown : &before;
        current = json_loadb(from->data, from->len, 0, NULL);
        if (!patch) {
            json_decref(current);
            current = json_loadb(before.data, before.len, 0, NULL);
        }
        full = patch ? record_merge_patch(current, doc) : json_incref(doc);
    }
    const char *written = NULL;
    int rc = kind_write(k, full, current, id, org_id, create, &s->problems, &written);
    if (rc == 1 || rc == STORE_CONFLICT) {
        store_rollback();
        if (rc == STORE_CONFLICT)
            problem_list_add(&s->problems, "/slug", "body", "is already used by another record",
                             NULL, 0);
        s->status = rc == 1 ? 422 : 409;
        goto out;
    }
    snprintf(s->slug, sizeof s->slug, "%s", written ? written : "");
    if (rc != STORE_OK || kind_snapshot(k, s->slug, false, &id2, &after) != 1 ||
        store_revision_add(k->entity, id, create ? "create" : "update", author,
                           create ? NULL : before.data, after.data, NULL) != STORE_OK ||
        store_commit() != 0) {
        admin_save_failed(s);
        goto out;
    }
    /* Committed: what clients read now, with its ETag. */
    buf_reset(&s->shown);
    if (kind_public(k, s->slug, false, &s->shown) == 0)
        admin_etag_of(&s->shown, s->etag);
    else
        buf_reset(&s->shown);
    s->status = create ? 201 : 200;
out:
    free(id);
    free(id2);
    store_org_detail_reset(&d);
    buf_reset(&before);
    buf_reset(&after);
    json_decref(current);
    json_decref(full);
    return s->status;
}

/* Answers a save's outcome as the write API does (a resource made under
 * an organisation that is not there: that organisation's 404). */
static int kind_answer(struct req *r, const struct kind *k, struct admin_saved *s,
                       const char *slug, bool create)
{
    return admin_answer_saved(r, s, create ? "organisation" : k->entity, slug, k->path);
}

static enum admin_kind which_of(const struct kind *k)
{
    return k == &resource_kind ? ADMIN_RESOURCE : k == &audience_kind ? ADMIN_AUDIENCE
                                                                      : ADMIN_TOPIC;
}

/* POST: create (resources under the organisation r->args[0]). */
static int kind_create(struct req *r, const struct kind *k)
{
    struct auth who;
    json_t *doc = NULL;
    if (auth_require_or_reply(r, k->role, &who) || !admin_body_or_reply(r, false, &doc))
        return r->status;
    struct admin_saved s;
    admin_saved_init(&s);
    const char *org = k == &resource_kind ? r->args[0] : NULL;
    admin_kind_save(which_of(k), NULL, org, doc, false, NULL, who.name, &s);
    kind_answer(r, k, &s, org, true);
    admin_saved_reset(&s);
    json_decref(doc);
    return r->status;
}

/* PUT / PATCH. */
static int kind_replace(struct req *r, const struct kind *k, bool patch)
{
    struct auth who;
    json_t *doc = NULL;
    if (auth_require_or_reply(r, k->role, &who) || !admin_body_or_reply(r, patch, &doc))
        return r->status;
    struct admin_saved s;
    admin_saved_init(&s);
    admin_kind_save(which_of(k), r->args[0], NULL, doc, patch, r->in_if_match, who.name, &s);
    kind_answer(r, k, &s, r->args[0], false);
    admin_saved_reset(&s);
    json_decref(doc);
    return r->status;
}

/* DELETE: archives a resource; deletes an unused term (its last revision
 * keeps it, so it can be made again). Restore: brings a resource back. */
static int kind_delete(struct req *r, const struct kind *k, bool restore)
{
    struct auth who;
    struct buf before = BUF_INIT;
    char *id = NULL;
    bool in_tx = false;
    if (auth_require_or_reply(r, k->role, &who))
        goto out;
    if (store_begin() != 0) {
        admin_db_failed(r);
        goto out;
    }
    in_tx = true;
    if (!kind_load_or_reply(r, k, restore, &id, &before, NULL))
        goto out;
    int rc = k == &resource_kind ? store_resource_set_archived(id, !restore)
                                 : store_term_delete(k->topic, id);
    if (rc == STORE_CONFLICT) {
        admin_problem(r, 409, "This term is still used by organisations, resources or sub-topics. "
                        "Remove it from them first.");
        goto out;
    }
    if (rc == STORE_NOT_FOUND) {
        admin_problem(r, 409, restore ? "This resource is not archived." : "This is archived already.");
        goto out;
    }
    if (rc != STORE_OK) {
        admin_db_failed(r);
        goto out;
    }
    in_tx = false;
    if (k == &resource_kind) {
        kind_finish(r, k, &who, id, restore ? "restore" : "archive", &before, r->args[0], 200,
                    true);
    } else {
        if (store_revision_add(k->entity, id, "archive", who.name, before.data, NULL, NULL) !=
                STORE_OK ||
            !admin_commit_or_reply(r))
            goto out;
        admin_no_store(r, 204);
        r->content_type = admin_json_type;
    }
out:
    if (in_tx)
        store_rollback();
    free(id);
    buf_reset(&before);
    return r->status;
}

/* Brings back a deleted audience or topic from its last revision, under
 * its old id, unless the slug has been taken meanwhile. */
static int kind_undelete(struct req *r, const struct kind *k)
{
    struct auth who;
    json_t *row = NULL;
    bool in_tx = false;
    if (auth_require_or_reply(r, k->role, &who))
        goto out;
    if (store_begin() != 0) {
        admin_db_failed(r);
        goto out;
    }
    in_tx = true;
    json_t *live = NULL;
    int exists = store_term_get(k->topic, r->args[0], &live);
    json_decref(live);
    if (exists != 0) {
        if (exists < 0)
            admin_db_failed(r);
        else
            admin_problem(r, 409, "A term with this slug exists: there is nothing to restore.");
        goto out;
    }
    int found = store_term_archived(k->topic, r->args[0], &row);
    if (found != 1) {
        if (found < 0)
            admin_db_failed(r);
        else
            admin_problem(r, 404, "No deleted term had this slug.");
        goto out;
    }
    const char *id = json_string_value(json_object_get(row, "id"));
    const char *slug = json_string_value(json_object_get(row, "slug"));
    const char *label = json_string_value(json_object_get(row, "label"));
    const char *description = json_string_value(json_object_get(row, "description"));
    json_t *pos = json_object_get(row, "position");
    int64_t position = json_is_integer(pos) ? json_integer_value(pos) : STORE_KEEP;
    char **terms = record_strings_of(json_object_get(row, "search_terms"));
    int rc = k->topic
                 ? store_topic_upsert(id, slug, label, description,
                                      json_string_value(json_object_get(row, "parent")), position,
                                      json_string_value(json_object_get(row, "source")),
                                      json_string_value(json_object_get(row, "guidance_md")),
                                      terms)
                 : store_audience_upsert(id, slug, label, description, position);
    free(terms);
    if (rc == STORE_CONFLICT) {
        kind_conflict(r);
        goto out;
    }
    if (rc != STORE_OK) {
        admin_db_failed(r);
        goto out;
    }
    in_tx = false;
    kind_finish(r, k, &who, id, "restore", NULL, slug, 200, false);
out:
    if (in_tx)
        store_rollback();
    json_decref(row);
    return r->status;
}

int admin_audience_restore(struct req *r) { return kind_undelete(r, &audience_kind); }
int admin_topic_restore(struct req *r) { return kind_undelete(r, &topic_kind); }
int admin_resource_create(struct req *r) { return kind_create(r, &resource_kind); }
int admin_resource_replace(struct req *r) { return kind_replace(r, &resource_kind, false); }
int admin_resource_patch(struct req *r) { return kind_replace(r, &resource_kind, true); }
int admin_resource_archive(struct req *r) { return kind_delete(r, &resource_kind, false); }
int admin_resource_unarchive(struct req *r) { return kind_delete(r, &resource_kind, true); }
int admin_audience_create(struct req *r) { return kind_create(r, &audience_kind); }
int admin_audience_replace(struct req *r) { return kind_replace(r, &audience_kind, false); }
int admin_audience_patch(struct req *r) { return kind_replace(r, &audience_kind, true); }
int admin_audience_delete(struct req *r) { return kind_delete(r, &audience_kind, false); }
int admin_topic_create(struct req *r) { return kind_create(r, &topic_kind); }
int admin_topic_replace(struct req *r) { return kind_replace(r, &topic_kind, false); }
int admin_topic_patch(struct req *r) { return kind_replace(r, &topic_kind, true); }
int admin_topic_delete(struct req *r) { return kind_delete(r, &topic_kind, false); }

