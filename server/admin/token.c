/* token.c: API tokens, for admins: list (names and roles), create (the
 * token is in the answer, once), revoke. */
#include "admin/admin_int.h"
#include "records/record.h"
#include "views/jsonw.h"

#include <stdlib.h>
#include <string.h>

int admin_tokens_list(struct req *r)
{
    return admin_list_for(r, AUTH_ADMIN, store_token_list);
}

int admin_token_create(struct req *r)
{
    struct auth who;
    json_t *doc = NULL;
    if (auth_require_or_reply(r, AUTH_ADMIN, &who) || !admin_body_or_reply(r, false, &doc))
        return admin_no_store(r, r->status);
    struct problems p;
    problem_list_init(&p);
    const char *key;
    json_t *value;
    json_object_foreach(doc, key, value)
        if (strcmp(key, "name") != 0 && strcmp(key, "role") != 0)
            record_problem(&p, "", key, -1, "is not a field of a token");
    const char *name = record_text(doc, "name", true, false, 64, &p, "");
    if (name && !auth_token_name_ok(name))
        record_problem(&p, "", "name", -1, AUTH_TOKEN_NAME_RULE);
    const char *role = record_text(doc, "role", true, false, 10, &p, "");
    if (role && auth_role_of(role) == AUTH_NONE)
        record_problem(&p, "", "role", -1, "must be editor or admin");
    if (!problem_list_none_or_reply_as(r, &p, 422, "/problems/invalid-record", "Invalid record")) {
        problem_list_reset(&p);
        json_decref(doc);
        return admin_no_store(r, 422);
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
        admin_no_store(r, 409);
    } else if (rc != STORE_OK) {
        admin_db_failed(r);
    } else {
        /* The only time the token is ever shown. */
        struct jsonw w;
        jsonw_init(&w, &r->body);
        jsonw_obj_open(&w);
        jsonw_kstr(&w, "name", name);
        jsonw_kstr(&w, "role", role);
        jsonw_kstr(&w, "token", token);
        jsonw_obj_close(&w);
        r->content_type = admin_json_type;
        admin_no_store(r, 201);
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
        return admin_no_store(r, r->status);
    int rc = store_token_revoke(r->args[0]);
    if (rc == STORE_NOT_FOUND)
        return admin_problem(r, 404, "No live token has this name.");
    if (rc != STORE_OK)
        return admin_db_failed(r);
    r->content_type = admin_json_type;
    return admin_no_store(r, 204);
}
