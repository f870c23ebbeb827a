/* admin.c: see admin.h. A write reads top to bottom: authorise, read and
 * check the body, begin, load the current record, check If-Match, write,
 * add the revision, bump the version, commit, answer. */
#include "admin/admin.h"
#include "api/api.h"
#include "admin/auth.h"
#include "lib/escape.h"
#include "views/jsonw.h"
#include "lib/util.h"
#include "views/problem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REVIEW_MONTHS_DEFAULT 12

static const char *const json_media_type = "application/json; charset=utf-8";

/* ---- small helpers ------------------------------------------------------- */

static int no_store(struct req *r, int status)
{
    r->status = status;
    r->cacheable = false;
    r->max_age = -1;
    return status;
}

static int problem(struct req *r, int status, const char *detail)
{
    problem_reply(r, status, detail);
    return no_store(r, status);
}

/* Reads the body as a JSON object. media: the accepted media type(s). */
static bool body_or_reply(struct req *r, bool merge_patch, json_t **doc)
{
    const char *t = r->in_type;
    size_t n = t ? strcspn(t, ";") : 0;
    while (n && t[n - 1] == ' ')
        n--;
    bool ok_type = t && ((n == 16 && strncasecmp(t, "application/json", 16) == 0) ||
                         (merge_patch && n == 28 &&
                          strncasecmp(t, "application/merge-patch+json", 28) == 0));
    if (!ok_type) {
        problem(r, 415, merge_patch ? "Send the patch as application/merge-patch+json "
                                      "(or application/json)."
                                    : "Send the record as application/json.");
        return false;
    }
    json_error_t err;
    *doc = r->in_body ? json_loadb(r->in_body, r->in_body_len, JSON_REJECT_DUPLICATES, &err)
                      : NULL;
    if (!*doc) {
        struct buf msg = BUF_INIT;
        if (r->in_body)
            buf_printf(&msg, "The body is not valid JSON (line %d, column %d): %s", err.line,
                       err.column, err.text);
        else
            buf_puts(&msg, "The body is empty: send the record as JSON.");
        problem(r, 400, msg.data);
        buf_reset(&msg);
        return false;
    }
    if (!json_is_object(*doc)) {
        json_decref(*doc);
        *doc = NULL;
        problem(r, 422, "The body must be a JSON object.");
        return false;
    }
    return true;
}

/* The ETag of a body: as the GET of the same record answers it. */
static void etag_of(const struct buf *body, char out[24])
{
    snprintf(out, 24, "\"%016llx\"",
             (unsigned long long)util_hash(UTIL_FNV_INIT, body->data, body->len));
}

/* True when If-Match names tag (its gzip form too) or is "*". */
static bool if_match(const char *header, const char *tag)
{
    const char *bare = tag + 1; /* without the quotes */
    size_t n = strlen(bare) - 1;
    for (const char *p = header; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        /* If-Match compares strongly (RFC 9110 13.1.1): a weak tag never
         * matches. */
        bool weak = p[0] == 'W' && p[1] == '/';
        if (weak)
            p += 2;
        if (*p != '"')
            break;
        const char *end = strchr(p + 1, '"');
        if (!end)
            break;
        size_t len = (size_t)(end - p - 1);
        if (!weak && (len == n || (len == n + 3 && strncmp(p + 1 + n, "-gz", 3) == 0)) &&
            strncmp(p + 1, bare, n) == 0)
            return true;
        p = end + 1;
    }
    return false;
}

/* Checks If-Match against the current representation: 428 without one,
 * 412 when stale. */
static bool precondition_or_reply(struct req *r, const struct buf *current)
{
    char tag[24];
    etag_of(current, tag);
    if (!r->in_if_match) {
        problem(r, 428, "Send If-Match with the ETag you last read, so that nobody's "
                        "change is lost.");
        return false;
    }
    if (!if_match(r->in_if_match, tag)) {
        problem(r, 412, "This record has changed since you read it. Read it again, "
                        "apply your change to the new version, and send that.");
        req_add_header(r, "ETag", tag);
        return false;
    }
    return true;
}

/* Answers with the record's current representation and its ETag. */
static int answer_record(struct req *r, int status, struct buf *body)
{
    char tag[24];
    etag_of(body, tag);
    buf_reset(&r->body);
    r->body = *body;
    buf_init(body);
    r->content_type = json_media_type;
    req_add_header(r, "ETag", tag);
    return no_store(r, status);
}

/* Loads the organisation with slug (archived too when asked) and its JSON. */
static int load_org(const char *slug, bool archived_too, struct store_org_detail *d,
                    struct buf *json)
{
    int found = store_org_get_any(slug, archived_too, d);
    if (found == 1)
        api_org_body(json, d);
    return found;
}

static int not_found(struct req *r, const char *slug)
{
    problem_not_found(r, "organisation", slug);
    return no_store(r, 404);
}

static int db_failed(struct req *r)
{
    store_rollback();
    if (store_read_only())
        return problem(r, 503, "This server is a read-only copy of the directory: send "
                               "changes to the primary.");
    return problem(r, 503, "The change could not be saved just now. Nothing was "
                           "changed; please try again.");
}

/* Commits and tells everyone the data moved on. */
static bool commit_or_reply(struct req *r)
{
    if (store_commit() != 0) {
        db_failed(r);
        return false;
    }
    return true;
}

/* ---- validation ---------------------------------------------------------- */

static const char *const kinds[] = {"charity", "government", "police", "local-authority",
                                    "partnership", "public-body", "company", "other", NULL};
static const char *const contact_kinds[] = {"phone", "text", "email", "webchat",
                                            "report-form", "website", NULL};

static bool one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

/* Records a problem at prefix/field, field escaped as a JSON pointer token
 * (RFC 6901: ~ as ~0, / as ~1); index, when not -1, adds /index. */
static void add_at(struct problems *p, const char *prefix, const char *field, long index,
                   const char *reason)
{
    struct buf ptr = BUF_INIT;
    buf_printf(&ptr, "%s/", prefix);
    for (const char *c = field; *c; c++) {
        if (*c == '~')
            buf_puts(&ptr, "~0");
        else if (*c == '/')
            buf_puts(&ptr, "~1");
        else
            buf_putc(&ptr, *c);
    }
    if (index >= 0)
        buf_printf(&ptr, "/%ld", index);
    problem_list_add(p, ptr.data, "body", reason, NULL, 0);
    buf_reset(&ptr);
}

static void add(struct problems *p, const char *prefix, const char *field, const char *reason)
{
    add_at(p, prefix, field, -1, reason);
}

/* A string member: required or optional (NULL allowed when nullable). */
static const char *text(json_t *doc, const char *key, bool required, bool nullable,
                        size_t max, struct problems *p, const char *prefix)
{
    json_t *v = json_object_get(doc, key);
    if (!v || (json_is_null(v) && nullable)) {
        if (required)
            add(p, prefix, key, "is required");
        return NULL;
    }
    if (!json_is_string(v)) {
        add(p, prefix, key, nullable ? "must be a string or null" : "must be a string");
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t chars = esc_utf8_len(s, json_string_length(v));
    if (json_string_length(v) != strlen(s)) {
        add(p, prefix, key, "must not contain NUL characters");
        return NULL;
    }
    if (required && chars == 0) {
        add(p, prefix, key, "must not be empty");
        return NULL;
    }
    if (chars > max) {
        char reason[64];
        snprintf(reason, sizeof reason, "must be at most %zu characters", max);
        add(p, prefix, key, reason);
        return NULL;
    }
    return s;
}

static bool is_slug(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 100 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}


/* UK numbers: 999, 111, 112, 116 xxx, 0 and 7-10 more digits, or +44 and
 * 9-10 digits; spaces and hyphens allowed between digits. */
static bool is_uk_phone(const char *s)
{
    char digits[24];
    size_t n = 0;
    bool plus = false;
    for (const char *c = s; *c; c++) {
        if (*c == '+' && c == s)
            plus = true;
        else if (isdigit((unsigned char)*c) && n < sizeof digits - 1)
            digits[n++] = *c;
        else if (*c != ' ' && *c != '-')
            return false;
    }
    digits[n] = '\0';
    if (plus)
        return strncmp(digits, "44", 2) == 0 && n >= 9 && n <= 12 && digits[2] != '0';
    if (strcmp(digits, "999") == 0 || strcmp(digits, "111") == 0 || strcmp(digits, "112") == 0)
        return true;
    if (n == 6 && strncmp(digits, "116", 3) == 0)
        return true;
    /* Most numbers have 10 or 11 digits; a few freephone lines are shorter
     * (Childline's 0800 1111). */
    return digits[0] == '0' && n >= 8 && n <= 11;
}

/* Collects a list of known slugs. */
static char **slug_list(json_t *doc, const char *key, const struct store_term *terms,
                        size_t n_terms, struct problems *p, const char *prefix)
{
    json_t *v = json_object_get(doc, key);
    char **list = xcalloc(1, sizeof *list);
    if (!v || json_is_null(v))
        return list;
    if (!json_is_array(v) || json_array_size(v) > 50) {
        add(p, prefix, key, "must be a list of at most 50 slugs");
        return list;
    }
    size_t n = 0, i;
    json_t *item;
    list = xrealloc(list, (json_array_size(v) + 1) * sizeof *list);
    json_array_foreach(v, i, item) {
        const char *s = json_string_value(item);
        if (!s || store_term_find(terms, n_terms, s) < 0) {
            struct buf reason = BUF_INIT;
            buf_puts(&reason, "must be one of ");
            for (size_t t = 0; t < n_terms; t++)
                buf_printf(&reason, "%s%s", t ? ", " : "", terms[t].slug);
            add_at(p, prefix, key, (long)i, reason.data);
            buf_reset(&reason);
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup |= strcmp(list[k], s) == 0;
        if (!dup)
            list[n++] = (char *)s; /* borrowed from doc */
    }
    list[n] = NULL;
    return list;
}

bool admin_org_input(json_t *doc, const struct store_index *ix, struct problems *p,
                     const char *prefix, struct store_org_in *in)
{
    static const char *const writable[] = {"slug", "name", "summary", "description",
                                           "website", "kind", "coverage", "source",
                                           "audiences", "topics", "contacts", NULL};
    static const char *const read_only[] = {"id", "url", "updated_at", "last_reviewed",
                                            "resources", NULL};
    size_t before = p->n;
    memset(in, 0, sizeof *in);
    const char *key;
    json_t *value;
    json_object_foreach(doc, key, value) {
        if (!one_of(key, writable) && !one_of(key, read_only)) {
            struct buf reason = BUF_INIT;
            buf_puts(&reason, "is not a field of an organisation");
            add(p, prefix, key, reason.data);
            buf_reset(&reason);
        }
    }
    in->slug = text(doc, "slug", true, false, 100, p, prefix);
    if (in->slug && !is_slug(in->slug))
        add(p, prefix, "slug", "must be lower-case letters, digits and hyphens, such as "
                               "\"nspcc\" or \"derby-city-council\"");
    in->name = text(doc, "name", true, false, 200, p, prefix);
    in->summary = text(doc, "summary", false, false, 500, p, prefix);
    in->description = text(doc, "description", false, false, 10000, p, prefix);
    in->website = text(doc, "website", false, true, 2000, p, prefix);
    if (in->website && !esc_is_web_url(in->website))
        add(p, prefix, "website", "must be a web address starting with https:// or http://");
    in->kind = text(doc, "kind", true, false, 40, p, prefix);
    if (in->kind && !one_of(in->kind, kinds))
        add(p, prefix, "kind", "must be one of charity, government, police, local-authority, "
                               "partnership, public-body, company, other");
    in->coverage = text(doc, "coverage", true, false, 100, p, prefix);
    in->source = text(doc, "source", true, false, 1000, p, prefix);
    in->audiences = slug_list(doc, "audiences", ix->audiences, ix->n_audiences, p, prefix);
    in->topics = slug_list(doc, "topics", ix->topics, ix->n_topics, p, prefix);

    json_t *contacts = json_object_get(doc, "contacts");
    if (contacts && !json_is_null(contacts)) {
        if (!json_is_array(contacts) || json_array_size(contacts) > 20) {
            add(p, prefix, "contacts", "must be a list of at most 20 contacts");
        } else {
            in->contacts = xcalloc(json_array_size(contacts) + 1, sizeof *in->contacts);
            size_t i;
            json_t *c;
            json_array_foreach(contacts, i, c) {
                char cp[96];
                snprintf(cp, sizeof cp, "%s/contacts/%zu", prefix, i);
                if (!json_is_object(c)) {
                    problem_list_add(p, cp, "body", "must be an object", NULL, 0);
                    continue;
                }
                json_object_foreach(c, key, value)
                    if (strcmp(key, "kind") && strcmp(key, "label") && strcmp(key, "value") &&
                        strcmp(key, "hours") && strcmp(key, "href"))
                        add(p, cp, key, "is not a field of a contact");
                struct store_contact *ct = &in->contacts[in->n_contacts++];
                ct->kind = (char *)text(c, "kind", true, false, 20, p, cp);
                ct->label = (char *)text(c, "label", true, false, 200, p, cp);
                ct->value = (char *)text(c, "value", true, false, 2000, p, cp);
                ct->hours = (char *)text(c, "hours", false, true, 200, p, cp);
                if (ct->kind && !one_of(ct->kind, contact_kinds)) {
                    add(p, cp, "kind", "must be one of phone, text, email, webchat, "
                                       "report-form, website");
                } else if (ct->kind && ct->value) {
                    bool phone = !strcmp(ct->kind, "phone") || !strcmp(ct->kind, "text");
                    if (phone && !is_uk_phone(ct->value))
                        add(p, cp, "value", "must be a UK phone number, such as "
                                            "0808 800 5000 or +44 808 800 5000");
                    else if (!strcmp(ct->kind, "email") && !esc_is_email(ct->value))
                        add(p, cp, "value", "must be an email address");
                    else if (!phone && strcmp(ct->kind, "email") && !esc_is_web_url(ct->value))
                        add(p, cp, "value", "must be a web address starting with https://");
                }
            }
        }
    }
    return p->n == before;
}

void admin_org_input_reset(struct store_org_in *in)
{
    free(in->audiences);
    free(in->topics);
    free(in->contacts);
    memset(in, 0, sizeof *in);
}

static bool input_or_reply(struct req *r, json_t *doc, struct store_org_in *in,
                           struct store_index **ix)
{
    *ix = store_index_acquire();
    if (!*ix) {
        problem(r, 503, "The directory cannot be read just now.");
        return false;
    }
    struct problems p;
    problem_list_init(&p);
    bool ok = admin_org_input(doc, *ix, &p, "", in);
    if (!ok) {
        problem_list_none_or_reply_as(r, &p, 422, "/problems/invalid-record", "Invalid record");
        no_store(r, 422);
    }
    problem_list_reset(&p);
    return ok;
}

/* Answers 409: the slug in the body belongs to another record of the kind. */
static int slug_taken(struct req *r, const char *what)
{
    struct problems p;
    struct buf reason = BUF_INIT;
    buf_printf(&reason, "is already used by another %s", what);
    problem_list_init(&p);
    problem_list_add(&p, "/slug", "body", reason.data, NULL, 0);
    problem_list_none_or_reply_as(r, &p, 409, "/problems/conflict", "Conflict");
    problem_list_reset(&p);
    buf_reset(&reason);
    return no_store(r, 409);
}

/* ---- organisations ------------------------------------------------------- */

/* Writes revision and commits; on success answers status with the record. */
static int finish_write(struct req *r, const struct auth *who, const char *id,
                        const char *action, const struct buf *before, const char *slug,
                        int status)
{
    struct store_org_detail d;
    struct buf after = BUF_INIT;
    if (load_org(slug, true, &d, &after) != 1) {
        buf_reset(&after);
        return db_failed(r);
    }
    store_org_detail_reset(&d);
    if (store_revision_add("organisation", id, action, who->name, before ? before->data : NULL,
                           after.data, NULL) != STORE_OK) {
        buf_reset(&after);
        return db_failed(r);
    }
    if (!commit_or_reply(r)) {
        buf_reset(&after);
        return r->status;
    }
    answer_record(r, status, &after);
    if (status == 201) {
        struct buf loc = BUF_INIT;
        buf_puts(&loc, "/api/v1/organisations/");
        esc_url_str(&loc, slug);
        req_add_header(r, "Location", loc.data);
        buf_reset(&loc);
    }
    return status;
}

int admin_org_create(struct req *r)
{
    struct auth who;
    json_t *doc = NULL;
    struct store_index *ix = NULL;
    struct store_org_in in;
    memset(&in, 0, sizeof in);
    if (auth_require_or_reply(r, AUTH_EDITOR, &who) || !body_or_reply(r, false, &doc) ||
        !input_or_reply(r, doc, &in, &ix))
        goto out;
    char *id = store_uuid_new();
    in.id = id;
    if (!id || store_begin() != 0) {
        free(id);
        db_failed(r);
        goto out;
    }
    int rc = store_org_insert(&in);
    if (rc == STORE_CONFLICT) {
        store_rollback();
        slug_taken(r, "organisation");
    } else if (rc != STORE_OK) {
        db_failed(r);
    } else {
        finish_write(r, &who, id, "create", NULL, in.slug, 201);
    }
    free(id);
out:
    admin_org_input_reset(&in);
    json_decref(doc);
    store_index_release(ix);
    return r->status;
}

/* RFC 7396: applies patch to target (both objects), returning a new value. */
static json_t *merge_patch(json_t *target, json_t *patch)
{
    if (!json_is_object(patch))
        return json_deep_copy(patch);
    json_t *out = json_is_object(target) ? json_deep_copy(target) : json_object();
    const char *key;
    json_t *v;
    json_object_foreach(patch, key, v) {
        if (json_is_null(v)) {
            json_object_del(out, key);
        } else {
            json_t *merged = merge_patch(json_object_get(out, key), v);
            json_object_set_new(out, key, merged);
        }
    }
    return out;
}

/* PUT and PATCH: replace the record with doc (PATCH: the current record
 * merged with the patch). */
static int replace(struct req *r, bool patch)
{
    struct auth who;
    json_t *doc = NULL, *full = NULL;
    struct store_index *ix = NULL;
    struct store_org_in in;
    struct store_org_detail d;
    struct buf before = BUF_INIT;
    memset(&in, 0, sizeof in);
    memset(&d, 0, sizeof d);
    bool in_tx = false;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who) || !body_or_reply(r, patch, &doc))
        goto out;
    if (store_begin() != 0) {
        db_failed(r);
        goto out;
    }
    in_tx = true;
    int found = load_org(r->args[0], false, &d, &before);
    if (found < 0) {
        db_failed(r);
        goto out;
    }
    if (found == 0) {
        not_found(r, r->args[0]);
        goto out;
    }
    if (!precondition_or_reply(r, &before))
        goto out;
    if (patch) {
        json_t *current = json_loadb(before.data, before.len, 0, NULL);
        full = merge_patch(current, doc);
        json_decref(current);
    } else {
        full = json_incref(doc);
    }
    if (!input_or_reply(r, full, &in, &ix))
        goto out;
    int rc = store_org_update(d.id, &in);
    if (rc == STORE_CONFLICT) {
        slug_taken(r, "organisation");
        goto out;
    }
    if (rc != STORE_OK) {
        db_failed(r);
        goto out;
    }
    in_tx = false;
    finish_write(r, &who, d.id, "update", &before, in.slug, 200);
out:
    if (in_tx)
        store_rollback();
    admin_org_input_reset(&in);
    store_org_detail_reset(&d);
    buf_reset(&before);
    json_decref(doc);
    json_decref(full);
    store_index_release(ix);
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

/* DELETE (archive), restore and review share this shape: no body, a state
 * change, a revision. */
enum change { ARCHIVE, UNARCHIVE, REVIEW };

static int change_state(struct req *r, enum change what)
{
    struct auth who;
    struct store_org_detail d;
    struct buf before = BUF_INIT;
    memset(&d, 0, sizeof d);
    bool in_tx = false;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who))
        goto out;
    if (store_begin() != 0) {
        db_failed(r);
        goto out;
    }
    in_tx = true;
    int found = load_org(r->args[0], what == UNARCHIVE, &d, &before);
    if (found < 0) {
        db_failed(r);
        goto out;
    }
    if (found == 0 || (what == UNARCHIVE && !d.archived_at)) {
        if (found)
            problem(r, 409, "This organisation is not archived.");
        else
            not_found(r, r->args[0]);
        goto out;
    }
    /* Archiving and restoring need the record's current ETag, like edits;
     * marking as checked changes no content a curator could overwrite. */
    if (what != REVIEW && !precondition_or_reply(r, &before))
        goto out;
    int rc = what == ARCHIVE     ? store_org_set_archived(d.id, true)
             : what == UNARCHIVE ? store_org_set_archived(d.id, false)
                                 : store_org_mark_reviewed(d.id, who.name);
    if (rc != STORE_OK) {
        db_failed(r);
        goto out;
    }
    in_tx = false;
    finish_write(r, &who, d.id, what == ARCHIVE ? "archive" : what == UNARCHIVE ? "restore" : "review",
                 &before, d.slug, 200);
out:
    if (in_tx)
        store_rollback();
    store_org_detail_reset(&d);
    buf_reset(&before);
    return r->status;
}

int admin_org_archive(struct req *r)
{
    return change_state(r, ARCHIVE);
}

int admin_org_unarchive(struct req *r)
{
    return change_state(r, UNARCHIVE);
}

int admin_org_review(struct req *r)
{
    return change_state(r, REVIEW);
}

/* ---- history ------------------------------------------------------------- */

static int rows_answer(struct req *r, json_t *items)
{
    json_t *doc = json_pack("{s:o}", "items", items);
    char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!text)
        return problem(r, 500, "The answer could not be written.");
    buf_puts(&r->body, text);
    free(text);
    r->content_type = json_media_type;
    return no_store(r, 200);
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
        return no_store(r, r->status);
    struct store_org_detail d;
    int found = store_org_get_any(r->args[0], true, &d);
    if (found < 0)
        return db_failed(r);
    if (!found)
        return not_found(r, r->args[0]);
    json_t *rows;
    int rc = store_revisions("organisation", d.id, &rows);
    store_org_detail_reset(&d);
    if (rc != 0)
        return db_failed(r);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        revision_values(row);
    return rows_answer(r, rows);
}

int admin_org_revision_restore(struct req *r)
{
    struct auth who;
    long n;
    struct store_org_detail d;
    struct buf before = BUF_INIT;
    struct store_org_in in;
    struct store_index *ix = NULL;
    json_t *row = NULL, *doc = NULL;
    memset(&d, 0, sizeof d);
    memset(&in, 0, sizeof in);
    bool in_tx = false;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who))
        goto out;
    if (!query_parse_int(r->args[1], 1, 1000000000, &n)) {
        problem(r, 404, "There is no such revision.");
        goto out;
    }
    if (store_begin() != 0) {
        db_failed(r);
        goto out;
    }
    in_tx = true;
    int found = load_org(r->args[0], true, &d, &before);
    if (found < 0) {
        db_failed(r);
        goto out;
    }
    if (!found) {
        not_found(r, r->args[0]);
        goto out;
    }
    if (!precondition_or_reply(r, &before))
        goto out;
    found = store_revision_get("organisation", d.id, (int)n, &row);
    const char *after = found == 1 ? json_string_value(json_object_get(row, "after")) : NULL;
    if (found < 0) {
        db_failed(r);
        goto out;
    }
    if (!after || !(doc = json_loads(after, 0, NULL))) {
        problem(r, 404, "There is no such revision of this organisation.");
        goto out;
    }
    if (!input_or_reply(r, doc, &in, &ix))
        goto out;
    int rc = store_org_update(d.id, &in);
    if (rc == STORE_CONFLICT) {
        problem(r, 409, "That revision's slug is now used by another organisation.");
        goto out;
    }
    if (rc != STORE_OK || (d.archived_at && store_org_set_archived(d.id, false) != STORE_OK)) {
        db_failed(r);
        goto out;
    }
    in_tx = false;
    finish_write(r, &who, d.id, "restore", &before, in.slug, 200);
out:
    if (in_tx)
        store_rollback();
    admin_org_input_reset(&in);
    store_org_detail_reset(&d);
    buf_reset(&before);
    json_decref(row);
    json_decref(doc);
    store_index_release(ix);
    return r->status;
}

/* A list for the given role: {"items": rows from load}. */
static int list_for(struct req *r, enum auth_role role, int (*load)(json_t **rows))
{
    struct auth who;
    if (auth_require_or_reply(r, role, &who))
        return no_store(r, r->status);
    json_t *rows;
    if (load(&rows) != 0)
        return db_failed(r);
    return rows_answer(r, rows);
}

int admin_archived(struct req *r)
{
    return list_for(r, AUTH_EDITOR, store_archived_orgs);
}

int admin_review_queue(struct req *r)
{
    struct auth who;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who))
        return no_store(r, r->status);
    long months = REVIEW_MONTHS_DEFAULT;
    const char *s = query_get(&r->query, "months");
    if (s && !query_parse_int(s, 0, 600, &months)) {
        struct problems p;
        problem_list_init(&p);
        problem_list_add(&p, "months", "query", "must be a whole number from 0 to 600", NULL, 0);
        problem_list_none_or_reply(r, &p);
        problem_list_reset(&p);
        return no_store(r, 400);
    }
    json_t *rows;
    if (store_review_queue((int)months, &rows) != 0)
        return db_failed(r);
    return rows_answer(r, rows);
}

int admin_reports(struct req *r)
{
    struct auth who;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who))
        return no_store(r, r->status);
    const char *status = query_get(&r->query, "status");
    if (status && strcmp(status, "open") != 0 && strcmp(status, "all") != 0) {
        struct problems p;
        problem_list_init(&p);
        problem_list_add(&p, "status", "query", "must be open or all", NULL, 0);
        problem_list_none_or_reply(r, &p);
        problem_list_reset(&p);
        return no_store(r, 400);
    }
    json_t *rows;
    if (store_reports(!status || strcmp(status, "open") == 0, &rows) != 0)
        return db_failed(r);
    return rows_answer(r, rows);
}

int admin_report_close(struct req *r)
{
    struct auth who;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who))
        return no_store(r, r->status);
    long id;
    if (!query_parse_int(r->args[0], 1, 2000000000, &id))
        return problem(r, 404, "There is no such report.");
    int rc = store_report_close(id, who.name);
    if (rc == STORE_NOT_FOUND)
        return problem(r, 404, "There is no open report with this number.");
    if (rc != STORE_OK)
        return db_failed(r);
    buf_printf(&r->body, "{\"id\":%ld,\"closed_by\":", id);
    esc_json_str(&r->body, who.name);
    buf_putc(&r->body, '}');
    r->content_type = json_media_type;
    return no_store(r, 200);
}

/* ---- resources and taxonomy terms ---------------------------------------- *
 * The same flow as organisations, table-driven: each kind says how to load
 * its representation (whose hash is the ETag its public GET answers), how
 * to check a body and write it, and how DELETE treats it. */

struct kind {
    const char *entity;          /* in revisions: "resource", "audience", "topic" */
    const char *path;            /* "/api/v1/resources/" */
    enum auth_role role;
    bool topic;                  /* taxonomy kinds: which table */
};

static const struct kind resource_kind = {"resource", "/api/v1/resources/", AUTH_EDITOR, false};
static const struct kind audience_kind = {"audience", "/api/v1/audiences/", AUTH_ADMIN, false};
static const struct kind topic_kind = {"topic", "/api/v1/topics/", AUTH_ADMIN, true};

/* What a client reads of the record: for resources the record itself, for
 * terms their public GET (built from the index, which holds committed data
 * only). Appends it to body. 0, or -1. */
static int kind_public(const struct kind *k, const char *slug, bool archived_too,
                       struct buf *body)
{
    if (k == &resource_kind) {
        json_t *row = NULL;
        int found = store_resource_get(slug, archived_too, &row);
        if (found == 1)
            api_resource_body(body, row);
        json_decref(row);
        return found == 1 ? 0 : -1;
    }
    struct req tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.args[0] = (char *)slug;
    int status = k->topic ? api_topic_get(&tmp) : api_audience_get(&tmp);
    buf_append(body, buf_str(&tmp.body), tmp.body.len);
    tmp.args[0] = NULL;
    req_reset(&tmp);
    return status == 200 ? 0 : -1;
}

/* The record as revisions keep it (JSON text into snapshot) and its id:
 * 1 found, 0 not, -1 on error. */
static int kind_snapshot(const struct kind *k, const char *slug, bool archived_too, char **id,
                         struct buf *snapshot)
{
    json_t *row = NULL;
    int found = k == &resource_kind ? store_resource_get(slug, archived_too, &row)
                                    : store_term_get(k->topic, slug, &row);
    if (found == 1) {
        if (k == &resource_kind) {
            api_resource_body(snapshot, row);
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
        db_failed(r);
        return false;
    }
    if (found == 0) {
        problem_not_found(r, k->entity, r->args[0]);
        no_store(r, 404);
        return false;
    }
    struct buf current = BUF_INIT;
    bool ok = kind_public(k, r->args[0], archived_too, &current) == 0 &&
              precondition_or_reply(r, &current);
    if (!ok && r->status < 400)
        db_failed(r);
    if (ok && shown)
        *shown = current;
    else
        buf_reset(&current);
    return ok;
}

static bool check_keys(json_t *doc, const char *const *writable, const char *const *read_only,
                       struct problems *p)
{
    size_t before = p->n;
    const char *key;
    json_t *value;
    json_object_foreach(doc, key, value)
        if (!one_of(key, writable) && !one_of(key, read_only))
            add(p, "", key, "is not a field of this record");
    return p->n == before;
}

static int age_of(json_t *doc, const char *key, struct problems *p)
{
    json_t *v = json_object_get(doc, key);
    if (!v || json_is_null(v))
        return -1;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 120) {
        add(p, "", key, "must be a whole number from 0 to 120, or null");
        return -1;
    }
    return (int)json_integer_value(v);
}

/* Checks doc as kind k and writes it (create: a new record under org_id for
 * resources). Returns STORE_OK, STORE_CONFLICT, STORE_ERROR, or 1 when p has
 * problems. *slug gets the written slug (borrowed from doc). */
static int kind_write(const struct kind *k, json_t *doc, const char *id, const char *org_id,
                      bool create, struct problems *p, const char **slug)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return STORE_ERROR;
    int rc = 1;
    *slug = text(doc, "slug", true, false, 100, p, "");
    if (*slug && !is_slug(*slug))
        add(p, "", "slug", "must be lower-case letters, digits and hyphens");
    if (k == &resource_kind) {
        static const char *const w[] = {"slug", "name", "type", "url", "summary", "age_min",
                                        "age_max", "source", "audiences", "topics", NULL};
        static const char *const ro[] = {"id", "organisation", "updated_at", NULL};
        check_keys(doc, w, ro, p);
        static const char *const types[] = {"helpline", "reporting-tool", "education-pack",
                                            "campaign", "guidance", "website", "film",
                                            "service", NULL};
        struct store_resource_in in = {.id = id};
        in.slug = *slug;
        in.name = text(doc, "name", true, false, 200, p, "");
        in.type = text(doc, "type", true, false, 40, p, "");
        if (in.type && !one_of(in.type, types))
            add(p, "", "type", "must be one of helpline, reporting-tool, education-pack, "
                               "campaign, guidance, website, film, service");
        in.url = text(doc, "url", false, true, 2000, p, "");
        if (in.url && !esc_is_web_url(in.url))
            add(p, "", "url", "must be a web address starting with https:// or http://");
        in.summary = text(doc, "summary", false, false, 1000, p, "");
        in.source = text(doc, "source", true, false, 1000, p, "");
        in.age_min = age_of(doc, "age_min", p);
        in.age_max = age_of(doc, "age_max", p);
        if (in.age_min >= 0 && in.age_max >= 0 && in.age_max < in.age_min)
            add(p, "", "age_max", "must not be below age_min");
        in.audiences = slug_list(doc, "audiences", ix->audiences, ix->n_audiences, p, "");
        in.topics = slug_list(doc, "topics", ix->topics, ix->n_topics, p, "");
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
        free(in.audiences);
        free(in.topics);
    } else {
        static const char *const w_aud[] = {"slug", "label", "description", "position", NULL};
        static const char *const w_top[] = {"slug", "label", "description", "position",
                                            "parent", "guidance_markdown", NULL};
        static const char *const ro[] = {"count", "children", "guidance_html",
                                         "organisations_url", NULL};
        check_keys(doc, k->topic ? w_top : w_aud, ro, p);
        const char *label = text(doc, "label", true, false, 120, p, "");
        const char *description = text(doc, "description", false, false, 1000, p, "");
        json_t *pos = json_object_get(doc, "position");
        if (pos && !json_is_integer(pos))
            add(p, "", "position", "must be a whole number");
        const char *parent = NULL, *guidance = NULL;
        if (k->topic) {
            parent = text(doc, "parent", false, true, 100, p, "");
            int at = parent ? store_term_find(ix->topics, ix->n_topics, parent) : -1;
            if (parent && (at < 0 || (*slug && strcmp(parent, *slug) == 0))) {
                add(p, "", "parent", "must be the slug of another topic, or null");
                at = -1;
            }
            /* The new parent must not sit below this topic: walk up from it. */
            for (size_t hops = 0; at >= 0 && hops <= ix->n_topics; hops++) {
                if (id && strcmp(ix->topics[at].id, id) == 0) {
                    add(p, "", "parent", "would make a loop: that topic is below this one");
                    break;
                }
                at = ix->topics[at].parent;
            }
            guidance = text(doc, "guidance_markdown", false, false, 50000, p, "");
        }
        if (!p->n) {
            /* No position: keep the term where it is, or put a new one last. */
            int64_t position = json_is_integer(pos) ? json_integer_value(pos) : STORE_KEEP;
            rc = k->topic ? store_topic_upsert(id, *slug, label, description, parent, position,
                                               "curated", guidance)
                          : store_audience_upsert(id, *slug, label, description, position);
        }
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
        return db_failed(r);
    }
    free(id2);
    buf_reset(&after);
    if (!commit_or_reply(r))
        return r->status;
    /* Committed: what clients read now, with its ETag. */
    if (kind_public(k, slug, archived_too, &shown) != 0) {
        buf_reset(&shown);
        r->content_type = json_media_type;
        return no_store(r, status == 201 ? 201 : 204);
    }
    answer_record(r, status, &shown);
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
    return slug_taken(r, "record");
}

static int kind_invalid(struct req *r, struct problems *p)
{
    problem_list_none_or_reply_as(r, p, 422, "/problems/invalid-record", "Invalid record");
    return no_store(r, 422);
}

/* Answers a failed kind_write: 422, 409 or 503. Nothing for STORE_OK. */
static void kind_failed(struct req *r, int rc, struct problems *p)
{
    if (rc == 1)
        kind_invalid(r, p);
    else if (rc == STORE_CONFLICT)
        kind_conflict(r);
    else if (rc != STORE_OK)
        db_failed(r);
}

/* POST: create (resources under the organisation r->args[0]). */
static int kind_create(struct req *r, const struct kind *k)
{
    struct auth who;
    json_t *doc = NULL;
    struct store_org_detail d;
    memset(&d, 0, sizeof d);
    char *id = NULL;
    bool in_tx = false;
    if (auth_require_or_reply(r, k->role, &who) || !body_or_reply(r, false, &doc))
        goto out;
    if (!(id = store_uuid_new()) || store_begin() != 0) {
        db_failed(r);
        goto out;
    }
    in_tx = true;
    const char *org_id = NULL;
    if (k == &resource_kind) {
        int found = store_org_get(r->args[0], &d);
        if (found != 1) {
            found < 0 ? db_failed(r) : not_found(r, r->args[0]);
            goto out;
        }
        org_id = d.id;
    }
    struct problems p;
    problem_list_init(&p);
    const char *slug;
    int rc = kind_write(k, doc, id, org_id, true, &p, &slug);
    kind_failed(r, rc, &p);
    problem_list_reset(&p);
    if (rc == STORE_OK) {
        in_tx = false;
        kind_finish(r, k, &who, id, "create", NULL, slug, 201, false);
    }
out:
    if (in_tx)
        store_rollback();
    free(id);
    store_org_detail_reset(&d);
    json_decref(doc);
    return r->status;
}

/* PUT / PATCH. */
static int kind_replace(struct req *r, const struct kind *k, bool patch)
{
    struct auth who;
    json_t *doc = NULL, *full = NULL;
    struct buf before = BUF_INIT, shown = BUF_INIT;
    char *id = NULL;
    bool in_tx = false;
    if (auth_require_or_reply(r, k->role, &who) || !body_or_reply(r, patch, &doc))
        goto out;
    if (store_begin() != 0) {
        db_failed(r);
        goto out;
    }
    in_tx = true;
    if (!kind_load_or_reply(r, k, false, &id, &before, &shown))
        goto out;
    if (patch) {
        /* A merge patch applies to what the client read: the public GET. */
        json_t *current = json_loadb(shown.data, shown.len, 0, NULL);
        full = merge_patch(current, doc);
        json_decref(current);
    } else {
        full = json_incref(doc);
    }
    struct problems p;
    problem_list_init(&p);
    const char *slug;
    int rc = kind_write(k, full, id, NULL, false, &p, &slug);
    kind_failed(r, rc, &p);
    problem_list_reset(&p);
    if (rc == STORE_OK) {
        in_tx = false;
        kind_finish(r, k, &who, id, "update", &before, slug, 200, false);
    }
out:
    if (in_tx)
        store_rollback();
    free(id);
    buf_reset(&before);
    buf_reset(&shown);
    json_decref(doc);
    json_decref(full);
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
        db_failed(r);
        goto out;
    }
    in_tx = true;
    if (!kind_load_or_reply(r, k, restore, &id, &before, NULL))
        goto out;
    int rc = k == &resource_kind ? store_resource_set_archived(id, !restore)
                                 : store_term_delete(k->topic, id);
    if (rc == STORE_CONFLICT) {
        problem(r, 409, "This term is still used by organisations, resources or sub-topics. "
                        "Remove it from them first.");
        goto out;
    }
    if (rc == STORE_NOT_FOUND) {
        problem(r, 409, restore ? "This resource is not archived." : "This is archived already.");
        goto out;
    }
    if (rc != STORE_OK) {
        db_failed(r);
        goto out;
    }
    in_tx = false;
    if (k == &resource_kind) {
        kind_finish(r, k, &who, id, restore ? "restore" : "archive", &before, r->args[0], 200,
                    true);
    } else {
        if (store_revision_add(k->entity, id, "archive", who.name, before.data, NULL, NULL) !=
                STORE_OK ||
            !commit_or_reply(r))
            goto out;
        no_store(r, 204);
        r->content_type = json_media_type;
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
        db_failed(r);
        goto out;
    }
    in_tx = true;
    json_t *live = NULL;
    int exists = store_term_get(k->topic, r->args[0], &live);
    json_decref(live);
    if (exists != 0) {
        if (exists < 0)
            db_failed(r);
        else
            problem(r, 409, "A term with this slug exists: there is nothing to restore.");
        goto out;
    }
    int found = store_term_archived(k->topic, r->args[0], &row);
    if (found != 1) {
        if (found < 0)
            db_failed(r);
        else
            problem(r, 404, "No deleted term had this slug.");
        goto out;
    }
    const char *id = json_string_value(json_object_get(row, "id"));
    const char *slug = json_string_value(json_object_get(row, "slug"));
    const char *label = json_string_value(json_object_get(row, "label"));
    const char *description = json_string_value(json_object_get(row, "description"));
    json_t *pos = json_object_get(row, "position");
    int64_t position = json_is_integer(pos) ? json_integer_value(pos) : STORE_KEEP;
    int rc = k->topic
                 ? store_topic_upsert(id, slug, label, description,
                                      json_string_value(json_object_get(row, "parent")), position,
                                      json_string_value(json_object_get(row, "source")),
                                      json_string_value(json_object_get(row, "guidance_md")))
                 : store_audience_upsert(id, slug, label, description, position);
    if (rc == STORE_CONFLICT) {
        kind_conflict(r);
        goto out;
    }
    if (rc != STORE_OK) {
        db_failed(r);
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

/* ---- tokens (admins) ----------------------------------------------------- */

int admin_tokens_list(struct req *r)
{
    return list_for(r, AUTH_ADMIN, store_token_list);
}

int admin_token_create(struct req *r)
{
    struct auth who;
    json_t *doc = NULL;
    if (auth_require_or_reply(r, AUTH_ADMIN, &who) || !body_or_reply(r, false, &doc))
        return no_store(r, r->status);
    struct problems p;
    problem_list_init(&p);
    const char *key;
    json_t *value;
    json_object_foreach(doc, key, value)
        if (strcmp(key, "name") != 0 && strcmp(key, "role") != 0)
            add(&p, "", key, "is not a field of a token");
    const char *name = text(doc, "name", true, false, 64, &p, "");
    const char *role = text(doc, "role", true, false, 10, &p, "");
    if (role && auth_role_of(role) == AUTH_NONE)
        add(&p, "", "role", "must be editor or admin");
    if (!problem_list_none_or_reply_as(r, &p, 422, "/problems/invalid-record", "Invalid record")) {
        problem_list_reset(&p);
        json_decref(doc);
        return no_store(r, 422);
    }
    problem_list_reset(&p);
    char *token = auth_token_new();
    char hash[65];
    int rc = STORE_ERROR;
    if (token) {
        auth_token_hash(token, hash);
        rc = store_token_add(name, role, hash);
    }
    if (rc == STORE_CONFLICT) {
        problem_list_init(&p);
        problem_list_add(&p, "/name", "body", "is already the name of a token", NULL, 0);
        problem_list_none_or_reply_as(r, &p, 409, "/problems/conflict", "Conflict");
        problem_list_reset(&p);
        no_store(r, 409);
    } else if (rc != STORE_OK) {
        db_failed(r);
    } else {
        /* The only time the token is ever shown. */
        struct jsonw w;
        jsonw_init(&w, &r->body);
        jsonw_obj_open(&w);
        jsonw_kstr(&w, "name", name);
        jsonw_kstr(&w, "role", role);
        jsonw_kstr(&w, "token", token);
        jsonw_obj_close(&w);
        r->content_type = json_media_type;
        no_store(r, 201);
    }
    if (token) {
        memset(token, 0, strlen(token));
        free(token);
    }
    json_decref(doc);
    return r->status;
}

int admin_token_revoke(struct req *r)
{
    struct auth who;
    if (auth_require_or_reply(r, AUTH_ADMIN, &who))
        return no_store(r, r->status);
    int rc = store_token_revoke(r->args[0]);
    if (rc == STORE_NOT_FOUND)
        return problem(r, 404, "No live token has this name.");
    if (rc != STORE_OK)
        return db_failed(r);
    r->content_type = json_media_type;
    return no_store(r, 204);
}
