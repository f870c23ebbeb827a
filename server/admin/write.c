/* write.c: what every write of the curators' API shares: the body, the
 * If-Match check against the public representation, the answers (every one
 * no-store), the commit. Declared in admin_int.h. */
#include "admin/admin_int.h"
#include "lib/escape.h"
#include "lib/util.h"
#include "views/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char admin_json_type[] = "application/json; charset=utf-8";

int admin_no_store(struct req *r, int status)
{
    r->status = status;
    r->cacheable = false;
    r->max_age = -1;
    return status;
}

int admin_problem(struct req *r, int status, const char *detail)
{
    problem_reply(r, status, detail);
    return admin_no_store(r, status);
}

/* Reads the body as a JSON object. media: the accepted media type(s). */
bool admin_body_or_reply(struct req *r, bool merge_patch, json_t **doc)
{
    const char *t = r->in_type;
    size_t n = t ? strcspn(t, ";") : 0;
    while (n && t[n - 1] == ' ')
        n--;
    bool ok_type = t && ((n == 16 && strncasecmp(t, "application/json", 16) == 0) ||
                         (merge_patch && n == 28 &&
                          strncasecmp(t, "application/merge-patch+json", 28) == 0));
    if (!ok_type) {
        admin_problem(r, 415, merge_patch ? "Send the patch as application/merge-patch+json "
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
        admin_problem(r, 400, msg.data);
        buf_reset(&msg);
        return false;
    }
    if (!json_is_object(*doc)) {
        json_decref(*doc);
        *doc = NULL;
        admin_problem(r, 422, "The body must be a JSON object.");
        return false;
    }
    return true;
}

/* The ETag of a body: as the GET of the same record answers it. */
void admin_etag_of(const struct buf *body, char out[24])
{
    snprintf(out, 24, "\"%016llx\"",
             (unsigned long long)util_hash(UTIL_FNV_INIT, body->data, body->len));
}

/* True when If-Match names tag (its gzip form too) or is "*". */
bool admin_if_match(const char *header, const char *tag)
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
bool admin_precondition_or_reply(struct req *r, const struct buf *current)
{
    char tag[24];
    admin_etag_of(current, tag);
    if (!r->in_if_match) {
        admin_problem(r, 428, "Send If-Match with the ETag you last read, so that nobody's "
                        "change is lost.");
        return false;
    }
    if (!admin_if_match(r->in_if_match, tag)) {
        admin_problem(r, 412, "This record has changed since you read it. Read it again, "
                        "apply your change to the new version, and send that.");
        req_add_header(r, "ETag", tag);
        return false;
    }
    return true;
}

/* Answers with the record's current representation and its ETag. */
int admin_answer_record(struct req *r, int status, struct buf *body)
{
    char tag[24];
    admin_etag_of(body, tag);
    buf_reset(&r->body);
    r->body = *body;
    buf_init(body);
    r->content_type = admin_json_type;
    req_add_header(r, "ETag", tag);
    return admin_no_store(r, status);
}

int admin_db_failed(struct req *r)
{
    store_rollback();
    if (store_read_only())
        return admin_problem(r, 503, "This server is a read-only copy of the directory: send "
                               "changes to the primary.");
    return admin_problem(r, 503, "The change could not be saved just now. Nothing was "
                           "changed; please try again.");
}

/* Commits and tells everyone the data moved on. */
bool admin_commit_or_reply(struct req *r)
{
    if (store_commit() != 0) {
        admin_db_failed(r);
        return false;
    }
    return true;
}

/* Answers 409: the slug in the body belongs to another record of the kind. */
int admin_slug_taken(struct req *r, const char *what)
{
    struct problems p;
    struct buf reason = BUF_INIT;
    buf_printf(&reason, "is already used by another %s", what);
    problem_list_init(&p);
    problem_list_add(&p, "/slug", "body", reason.data, NULL, 0);
    problem_list_none_or_reply_as(r, &p, 409, "/problems/conflict", "Conflict");
    problem_list_reset(&p);
    buf_reset(&reason);
    return admin_no_store(r, 409);
}

int admin_rows_answer(struct req *r, json_t *items)
{
    json_t *doc = json_pack("{s:o}", "items", items);
    char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!text)
        return admin_problem(r, 500, "The answer could not be written.");
    buf_puts(&r->body, text);
    free(text);
    r->content_type = admin_json_type;
    return admin_no_store(r, 200);
}

int admin_list_for(struct req *r, enum auth_role role, int (*load)(json_t **rows))
{
    struct auth who;
    if (auth_require_or_reply(r, role, &who))
        return admin_no_store(r, r->status);
    json_t *rows;
    if (load(&rows) != 0)
        return admin_db_failed(r);
    return admin_rows_answer(r, rows);
}

int admin_answer_saved(struct req *r, struct admin_saved *s, const char *entity,
                       const char *slug, const char *location)
{
    if (s->detail)
        return admin_problem(r, s->status, s->detail);
    switch (s->status) {
    case 200:
    case 201:
        if (s->shown.len) {
            admin_answer_record(r, s->status, &s->shown);
        } else {   /* a record the public does not see */
            r->content_type = admin_json_type;
            admin_no_store(r, s->status == 201 ? 201 : 204);
        }
        if (s->status == 201 && location) {
            struct buf loc = BUF_INIT;
            buf_puts(&loc, location);
            esc_url_str(&loc, s->slug);
            req_add_header(r, "Location", loc.data);
            buf_reset(&loc);
        }
        return r->status;
    case 404:
        problem_not_found(r, entity, slug);
        return admin_no_store(r, 404);
    case 409:
        problem_list_none_or_reply_as(r, &s->problems, 409, "/problems/conflict", "Conflict");
        return admin_no_store(r, 409);
    case 412:
        admin_problem(r, 412, "This record has changed since you read it. Read it again, "
                              "apply your change to the new version, and send that.");
        req_add_header(r, "ETag", s->etag);
        return 412;
    case 422:
        problem_list_none_or_reply_as(r, &s->problems, 422, "/problems/invalid-record",
                                      "Invalid record");
        return admin_no_store(r, 422);
    case 428:
        return admin_problem(r, 428, "Send If-Match with the ETag you last read, so that "
                                     "nobody's change is lost.");
    default:
        return admin_problem(r, 503, s->read_only
                                         ? "This server is a read-only copy of the directory: "
                                           "send changes to the primary."
                                         : "The change could not be saved just now. Nothing "
                                           "was changed; please try again.");
    }
}
