/* people.c: curators' accounts and API tokens, for admins: everyone with
 * their role, state and last sign-in; inviting someone (the link is shown
 * once, for the admin to send); a new invitation for someone who lost
 * their password or phone; changing a role; disabling (which ends their
 * sessions) and enabling; and the API tokens, listed and revoked. An admin
 * cannot change their own account here, and the last active admin cannot
 * be demoted or disabled: someone must always be able to manage people. */
#include "console/console_int.h"
#include "admin/auth.h"
#include "admin/curator.h"
#include "lib/buf.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The signed-in admin, or an answer (403 for an editor): 0 or the status. */
static int require_admin(struct req *r, struct console_user *u)
{
    if (console_require(r, u))
        return r->status;
    if (strcmp(u->role, "admin") != 0)
        return console_message(r, 403, "Only admins can manage people",
                               "Ask an admin of your Signpost to invite someone or change an "
                               "account.", u);
    return 0;
}

static int people_page(struct req *r, int status, const struct console_user *u, json_t *form,
                       json_t *errors, const char *notice)
{
    json_t *people = NULL, *tokens = NULL;
    if (store_curator_list(&people) != 0 || store_token_list(&tokens) != 0) {
        json_decref(people);
        json_decref(form);
        json_decref(errors);
        return console_message(r, 503, "The list of people could not be shown",
                               "Something went wrong on our side. Try again in a minute.", u);
    }
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        const char *email = json_string_value(json_object_get(p, "email"));
        const char *state = json_string_value(json_object_get(p, "state"));
        const char *role = json_string_value(json_object_get(p, "role"));
        json_object_set_new(p, "me", json_boolean(strcmp(email, u->email) == 0));
        json_object_set_new(p, "disabled", json_boolean(strcmp(state, "disabled") == 0));
        json_object_set_new(p, "is_admin", json_boolean(strcmp(role, "admin") == 0));
    }
    json_t *live = json_array();
    json_array_foreach(tokens, i, p)
        if (json_is_null(json_object_get(p, "revoked_at")))
            json_array_append(live, p);
    json_decref(tokens);
    json_t *ctx = json_pack("{s:o, s:o, s:o}", "people", people, "tokens", live, "errors",
                            errors ? errors : json_array());
    if (form)
        json_object_update(ctx, form);
    json_decref(form);
    if (notice)
        json_object_set_new(ctx, "notice", json_string(notice));
    return console_page(r, status, "people", ctx, "People", u);
}

int console_people(struct req *r)
{
    struct console_user u;
    if (require_admin(r, &u))
        return r->status;
    const char *done = query_get(&r->query, "done");
    static const char *const notices[][2] = {
        {"role", "The role is changed."},        {"disable", "The account is disabled and its sessions have ended."},
        {"enable", "The account is enabled."},   {"revoke", "The token is revoked: it no longer works."},
    };
    const char *notice = NULL;
    for (size_t i = 0; done && i < sizeof notices / sizeof notices[0]; i++)
        if (strcmp(done, notices[i][0]) == 0)
            notice = notices[i][1];
    return people_page(r, 200, &u, NULL, NULL, notice);
}

/* The page that shows a new invitation link, once. */
static int link_page(struct req *r, const struct console_user *u, const char *email,
                     const char *token, bool reset)
{
    struct buf link = BUF_INIT;
    curator_invite_link(&link, console_public_url(), token);
    json_t *ctx = json_pack("{s:s, s:s, s:i, s:b}", "email", email, "link", link.data, "hours",
                            CURATOR_INVITE_HOURS, "reset", reset);
    sodium_memzero(link.data, link.len);
    buf_reset(&link);
    return console_page(r, 200, "invited", ctx, "Send the invitation", u);
}

/* Reads the form of a signed-in admin, CSRF checked: false after answering. */
static bool admin_form(struct req *r, struct console_user *u, struct query *form)
{
    if (require_admin(r, u))
        return false;
    return console_signed_form(r, u, form, "Nothing was changed");
}

int console_invite(struct req *r)
{
    struct console_user u;
    struct query form;
    if (!admin_form(r, &u, &form))
        return r->status;
    const char *email = query_get(&form, "email") ?: "";
    const char *name = query_get(&form, "name") ?: "";
    const char *role = query_get(&form, "role") ?: "";
    json_t *errors = json_array();
    const char *why;
    if (!*email)
        console_add_error(errors, "email", "Enter their email address");
    else if ((why = curator_email_refusal(email)))
        console_add_error(errors, "email", why);
    if (!*name)
        console_add_error(errors, "name", "Enter their name");
    else if ((why = curator_name_refusal(name)))
        console_add_error(errors, "name", why);
    if (auth_role_of(role) == AUTH_NONE)
        console_add_error(errors, "role", "Choose editor or admin");
    char token[CURATOR_TOKEN_CHARS + 1];
    int rc = json_array_size(errors) ? STORE_ERROR : curator_invite(email, name, role, u.email, token);
    if (!json_array_size(errors) && rc == STORE_CONFLICT)
        console_add_error(errors, "email", "Someone has an account with this address already: "
                                           "send them a new invitation from the list instead");
    int st;
    if (json_array_size(errors)) {
        st = people_page(r, 400, &u,
                         json_pack("{s:s, s:s, s:s, s:b}", "invite_email", email, "invite_name",
                                   name, "invite_role", role, "invite_admin",
                                   strcmp(role, "admin") == 0),
                         errors, NULL);
    } else if (rc != STORE_OK) {
        json_decref(errors);
        st = console_message(r, 503, "Nobody was invited",
                             "Something went wrong on our side. Try again in a minute.", &u);
    } else {
        json_decref(errors);
        st = link_page(r, &u, email, token, false);
        sodium_memzero(token, sizeof token);
    }
    query_reset(&form);
    return st;
}

int console_person(struct req *r)
{
    struct console_user u;
    struct query form;
    if (!admin_form(r, &u, &form))
        return r->status;
    const char *email = r->args[0];
    const char *action = query_get(&form, "action") ?: "";
    int st;
    if (strcmp(email, u.email) == 0) {
        st = console_message(r, 409, "You cannot change your own account here",
                             "Ask another admin: that way nobody locks themselves out by "
                             "mistake.", &u);
    } else if (strcmp(action, "reset") == 0) {
        char token[CURATOR_TOKEN_CHARS + 1];
        int rc = curator_reset(email, u.email, token);
        st = rc == STORE_OK ? link_page(r, &u, email, token, true)
             : console_message(r, rc == STORE_NOT_FOUND ? 404 : rc == STORE_CONFLICT ? 409 : 503,
                               "No new invitation was made",
                               rc == STORE_NOT_FOUND   ? "There is no account with this address."
                               : rc == STORE_CONFLICT ? "The account is disabled: enable it first."
                                                      : "Something went wrong on our side.",
                               &u);
        sodium_memzero(token, sizeof token);
    } else if (strcmp(action, "role") == 0 || strcmp(action, "disable") == 0 ||
               strcmp(action, "enable") == 0) {
        const char *role = query_get(&form, "role") ?: "";
        int rc;
        if (strcmp(action, "role") == 0)
            rc = auth_role_of(role) == AUTH_NONE ? STORE_NOT_FOUND
                                                 : store_curator_set_role(email, role, u.email);
        else if (strcmp(action, "disable") == 0 && store_curator_is_last_admin(email) == 1)
            rc = STORE_CONFLICT;
        else
            rc = store_curator_set_state(email, strcmp(action, "enable") == 0, u.email);
        if (rc == STORE_OK) {
            char to[48];
            snprintf(to, sizeof to, "/console/people?done=%s", action);
            st = console_redirect(r, to);
        } else {
            st = console_message(r, rc == STORE_NOT_FOUND ? 404 : rc == STORE_CONFLICT ? 409 : 503,
                                 "Nothing was changed",
                                 rc == STORE_NOT_FOUND
                                     ? "There is no such account, or it is in that state already."
                                 : rc == STORE_CONFLICT
                                     ? "This is the last active admin: make someone else an "
                                       "admin first, so that someone can always manage people."
                                     : "Something went wrong on our side. Try again in a minute.",
                                 &u);
        }
    } else {
        st = console_message(r, 400, "Nothing was changed",
                             "Choose a new role, disable, enable or a new invitation.", &u);
    }
    query_reset(&form);
    return st;
}

int console_token_revoke(struct req *r)
{
    struct console_user u;
    struct query form;
    if (!admin_form(r, &u, &form))
        return r->status;
    query_reset(&form);
    int rc = store_token_revoke(r->args[0]);
    if (rc == STORE_OK) {
        store_audit_add(u.email, "token-revoke", r->args[0], "", r->client);
        return console_redirect(r, "/console/people?done=revoke");
    }
    return console_message(r, rc == STORE_NOT_FOUND ? 404 : 503, "Nothing was revoked",
                           rc == STORE_NOT_FOUND ? "There is no such token, or it is revoked "
                                                   "already."
                                                 : "Something went wrong on our side.",
                           &u);
}
