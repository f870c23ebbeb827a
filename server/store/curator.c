/* curator.c: curators' accounts, their invitations and the audit log (db/
 * 008_curators.sql). Secrets arrive here already hashed or sealed
 * (admin/curator.c makes them); nothing here sees a password or a token.
 * Account writes move no data version (account_begin). */
#include "store/store_int.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The audit line, inside the caller's transaction. */
static int audit_in_tx(const char *actor, const char *event, const char *subject,
                       const char *detail, const char *address)
{
    return sql_run("INSERT INTO audit (actor, event, subject, detail, address)"
                   " VALUES (?, ?, ?, substr(?, 1, 500), ?)", "ttttt", actor, event, subject,
                   detail ? detail : "", address) < 0 ? -1 : 0;
}

int store_audit_add(const char *actor, const char *event, const char *subject,
                    const char *detail, const char *address)
{
    return audit_in_tx(actor, event, subject, detail, address) < 0 ? STORE_ERROR : STORE_OK;
}

int store_audit_list(size_t limit, json_t **rows)
{
    return sql_rows(rows, "SELECT at, actor, event, subject, detail, address FROM audit"
                          " ORDER BY pk DESC LIMIT ?", "I", (int64_t)limit);
}

/* Ends the invitations of account pk that are still open. */
static int invitations_close(int64_t pk)
{
    return sql_run("UPDATE invitation SET used_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                   " WHERE curator_pk = ? AND used_at IS NULL", "I", pk) < 0 ? -1 : 0;
}

static int invitation_add(int64_t pk, const char *hash, int hours)
{
    return sql_run("INSERT INTO invitation (curator_pk, hash, expires_at) VALUES"
                   " (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ? || ' hours'))", "Iti", pk,
                   hash, (int64_t)hours) < 0 ? -1 : 0;
}

/* Account email's key: > 0, 0 when there is none, -1 on error. */
static int64_t curator_pk(const char *email)
{
    json_t *row = NULL;
    int got = sql_row(&row, "SELECT pk FROM curator WHERE email = ?", "t", email);
    if (got != 1)
        return got == 0 ? 0 : -1;
    int64_t pk = json_integer_value(json_object_get(row, "pk"));
    json_decref(row);
    return pk;
}

static int finish(int rc)
{
    if (rc == STORE_OK && account_commit() == 0)
        return STORE_OK;
    store_rollback();
    return rc == STORE_OK ? STORE_ERROR : rc;
}

int store_curator_invite(const char *email, const char *name, const char *role,
                         const char *invite_hash, int hours, const char *actor)
{
    if (account_begin() != 0)
        return STORE_ERROR;
    int rc = sql_run("INSERT INTO curator (email, name, role) VALUES (?, ?, ?)", "ttt", email,
                     name, role);
    if (rc == -2)
        return finish(STORE_CONFLICT);
    int64_t pk = rc < 0 ? -1 : curator_pk(email);
    if (pk <= 0 || invitation_add(pk, invite_hash, hours) != 0 ||
        audit_in_tx(actor, "invite", email, role, NULL) != 0)
        return finish(STORE_ERROR);
    return finish(STORE_OK);
}

int store_curator_reset(const char *email, const char *invite_hash, int hours,
                        const char *actor)
{
    if (account_begin() != 0)
        return STORE_ERROR;
    json_t *row = NULL;
    int got = sql_row(&row, "SELECT pk, email, state FROM curator WHERE email = ?", "t", email);
    if (got != 1)
        return finish(got == 0 ? STORE_NOT_FOUND : STORE_ERROR);
    int64_t pk = json_integer_value(json_object_get(row, "pk"));
    bool disabled = strcmp(json_string_value(json_object_get(row, "state")), "disabled") == 0;
    if (disabled) {
        json_decref(row);
        return finish(STORE_CONFLICT);
    }
    /* A reset is a new start: the old password, second factor, recovery
     * codes, sessions and links stop working at once. */
    if (sql_run("UPDATE curator SET state = 'invited', password = NULL, totp_sealed = NULL"
                " WHERE pk = ?", "I", pk) < 0 ||
        sql_run("DELETE FROM recovery_code WHERE curator_pk = ?", "I", pk) < 0 ||
        sql_run("UPDATE session SET ended_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                " WHERE curator_pk = ? AND ended_at IS NULL", "I", pk) < 0 ||
        invitations_close(pk) != 0 || invitation_add(pk, invite_hash, hours) != 0 ||
        audit_in_tx(actor, "invite-reset", json_string_value(json_object_get(row, "email")), "",
                    NULL) != 0) {
        json_decref(row);
        return finish(STORE_ERROR);
    }
    json_decref(row);
    return finish(STORE_OK);
}

int store_curator_set_state(const char *email, bool enabled, const char *actor)
{
    if (account_begin() != 0)
        return STORE_ERROR;
    json_t *row = NULL;
    int got = sql_row(&row, "SELECT pk, email, state, password FROM curator WHERE email = ?",
                      "t", email);
    if (got != 1)
        return finish(got == 0 ? STORE_NOT_FOUND : STORE_ERROR);
    int64_t pk = json_integer_value(json_object_get(row, "pk"));
    const char *state = json_string_value(json_object_get(row, "state"));
    bool was_disabled = strcmp(state, "disabled") == 0;
    /* Enabled again, an account that had finished enrolling is active;
     * one that had not is back to its invitation (reset sends a new one). */
    const char *next = !enabled ? "disabled"
                       : json_is_string(json_object_get(row, "password")) ? "active"
                                                                           : "invited";
    /* The address as stored, for the audit log. */
    json_t *stored = json_incref(json_object_get(row, "email"));
    json_decref(row);
    if (was_disabled != enabled) {
        json_decref(stored);
        return finish(STORE_NOT_FOUND);
    }
    int rc = STORE_OK;
    if (sql_run("UPDATE curator SET state = ?, disabled_at = CASE WHEN ? THEN NULL ELSE"
                " strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END WHERE pk = ?", "tbI", next,
                (int)enabled, pk) < 0 ||
        (!enabled && (sql_run("UPDATE session SET ended_at = strftime('%Y-%m-%dT%H:%M:%SZ',"
                              " 'now') WHERE curator_pk = ? AND ended_at IS NULL", "I", pk) < 0 ||
                      invitations_close(pk) != 0)) ||
        audit_in_tx(actor, enabled ? "enable" : "disable", json_string_value(stored), "",
                    NULL) != 0)
        rc = STORE_ERROR;
    json_decref(stored);
    return finish(rc);
}

/* Active admins other than pk: >= 0, or -1. */
static int64_t other_admins(int64_t pk)
{
    json_t *row = NULL;
    if (sql_row(&row, "SELECT count(*) AS n FROM curator WHERE role = 'admin' AND"
                      " state = 'active' AND pk != ?", "I", pk) != 1)
        return -1;
    int64_t n = json_integer_value(json_object_get(row, "n"));
    json_decref(row);
    return n;
}

int store_curator_set_role(const char *email, const char *role, const char *actor)
{
    if (account_begin() != 0)
        return STORE_ERROR;
    json_t *row = NULL;
    int got = sql_row(&row, "SELECT pk, email, role, state FROM curator WHERE email = ?", "t",
                      email);
    if (got != 1)
        return finish(got == 0 ? STORE_NOT_FOUND : STORE_ERROR);
    int64_t pk = json_integer_value(json_object_get(row, "pk"));
    char was[8], detail[40];
    snprintf(was, sizeof was, "%s", json_string_value(json_object_get(row, "role")));
    json_t *stored = json_incref(json_object_get(row, "email"));
    json_decref(row);
    int rc = STORE_OK;
    if (strcmp(was, role) != 0) {
        int64_t others = strcmp(was, "admin") == 0 ? other_admins(pk) : 1;
        snprintf(detail, sizeof detail, "%s to %s", was, role);
        if (others < 0)
            rc = STORE_ERROR;
        else if (others == 0)
            rc = STORE_CONFLICT;   /* the last admin: nobody could manage people */
        else if (sql_run("UPDATE curator SET role = ? WHERE pk = ?", "tI", role, pk) < 0 ||
                 audit_in_tx(actor, "role", json_string_value(stored), detail, NULL) != 0)
            rc = STORE_ERROR;
    }
    json_decref(stored);
    return finish(rc);
}

int store_curator_is_last_admin(const char *email)
{
    json_t *row = NULL;
    int got = sql_row(&row, "SELECT pk, role, state FROM curator WHERE email = ?", "t", email);
    if (got != 1)
        return got == 0 ? 0 : -1;
    bool admin = strcmp(json_string_value(json_object_get(row, "role")), "admin") == 0 &&
                 strcmp(json_string_value(json_object_get(row, "state")), "active") == 0;
    int64_t others = admin ? other_admins(json_integer_value(json_object_get(row, "pk"))) : 1;
    json_decref(row);
    return others < 0 ? -1 : others == 0 ? 1 : 0;
}

int store_curator_list(json_t **rows)
{
    return sql_rows(rows, "SELECT email, name, role, state, created_at, signed_in_at,"
                          " disabled_at, (SELECT max(expires_at) FROM invitation i"
                          " WHERE i.curator_pk = c.pk AND i.used_at IS NULL) AS invited_until"
                          " FROM curator c ORDER BY email", "");
}

int store_curator_get(const char *email, json_t **row)
{
    return sql_row(row, "SELECT email, name, role, state, created_at, signed_in_at,"
                        " disabled_at FROM curator WHERE email = ?", "t", email);
}

int store_invitation_find(const char *hash, json_t **row)
{
    return sql_row(row, "SELECT c.email, c.name, c.role, c.state, i.expires_at FROM invitation i"
                        " JOIN curator c ON c.pk = i.curator_pk WHERE i.hash = ?"
                        " AND i.used_at IS NULL AND c.state = 'invited'"
                        " AND i.expires_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", "t", hash);
}

int store_recent_changes(size_t limit, json_t **rows)
{
    return sql_rows(rows, "SELECT r.entity, r.action, r.actor, r.at, o.slug,"
                          " coalesce(o.name, json_extract(r.after, '$.label'),"
                          " json_extract(r.after, '$.title'), r.entity_id) AS name"
                          " FROM revision r LEFT JOIN organisation o"
                          " ON r.entity = 'organisation' AND o.id = r.entity_id"
                          " ORDER BY r.pk DESC LIMIT ?", "I", (int64_t)limit);
}
