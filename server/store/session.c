/* session.c: what signing in to the console needs of the curators' tables
 * (db/008_curators.sql): the secrets of an account, enrolment, the one-use
 * guards on TOTP steps and recovery codes, and sessions. Secrets arrive
 * hashed or sealed (console/ makes them); sessions are found by the hash of
 * their id and are over after SESSION idle or absolute seconds, checked here
 * against the database's clock. No write moves the data version. */
#include "store/store_int.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static int finish(int rc)
{
    if (rc == STORE_OK && account_commit() == 0)
        return STORE_OK;
    store_rollback();
    return rc == STORE_OK ? STORE_ERROR : rc;
}

static int audit_in_tx(const char *actor, const char *event, const char *subject,
                       const char *detail, const char *address)
{
    return sql_run("INSERT INTO audit (actor, event, subject, detail, address)"
                   " VALUES (?, ?, ?, substr(?, 1, 500), ?)", "ttttt", actor, event, subject,
                   detail ? detail : "", address) < 0 ? -1 : 0;
}

int store_curator_secrets(const char *email, json_t **row)
{
    return sql_row(row, "SELECT pk, email, name, role, state, password, totp_sealed, totp_step"
                        " FROM curator WHERE email = ?", "t", email);
}

int store_invitation_open(const char *hash, json_t **row)
{
    return sql_row(row, "SELECT c.pk, c.email, c.name, c.role, c.password, c.totp_sealed,"
                        " i.expires_at FROM invitation i JOIN curator c ON c.pk = i.curator_pk"
                        " WHERE i.hash = ? AND i.used_at IS NULL AND c.state = 'invited'"
                        " AND i.expires_at > " NOW, "t", hash);
}

int store_enrol_password(int64_t pk, const char *password_hash, const char *totp_sealed)
{
    int n = sql_run("UPDATE curator SET password = ?, totp_sealed = ?, totp_step = 0"
                    " WHERE pk = ? AND state = 'invited'", "ttI", password_hash, totp_sealed, pk);
    return n < 0 ? STORE_ERROR : n == 0 ? STORE_NOT_FOUND : STORE_OK;
}

int store_enrol_finish(int64_t pk, const char *invite_hash, int64_t step,
                       const char *const *code_hashes, size_t n_codes, const char *address)
{
    if (account_begin() != 0)
        return STORE_ERROR;
    json_t *row = NULL;
    if (sql_row(&row, "SELECT email FROM curator WHERE pk = ? AND state = 'invited'"
                      " AND password IS NOT NULL AND totp_sealed IS NOT NULL", "I", pk) != 1)
        return finish(STORE_NOT_FOUND);
    int rc = STORE_OK;
    const char *email = json_string_value(json_object_get(row, "email"));
    if (sql_run("UPDATE invitation SET used_at = " NOW " WHERE hash = ? AND curator_pk = ?"
                " AND used_at IS NULL", "tI", invite_hash, pk) != 1)
        rc = STORE_NOT_FOUND;
    if (rc == STORE_OK &&
        (sql_run("UPDATE invitation SET used_at = " NOW " WHERE curator_pk = ?"
                 " AND used_at IS NULL", "I", pk) < 0 ||
         sql_run("UPDATE curator SET state = 'active', totp_step = ? WHERE pk = ?", "II", step,
                 pk) != 1 ||
         sql_run("DELETE FROM recovery_code WHERE curator_pk = ?", "I", pk) < 0))
        rc = STORE_ERROR;
    for (size_t i = 0; rc == STORE_OK && i < n_codes; i++)
        if (sql_run("INSERT INTO recovery_code (curator_pk, hash) VALUES (?, ?)", "It", pk,
                    code_hashes[i]) != 1)
            rc = STORE_ERROR;
    if (rc == STORE_OK && audit_in_tx(email, "enrol", email, "", address) != 0)
        rc = STORE_ERROR;
    json_decref(row);
    return finish(rc);
}

int store_totp_use(int64_t pk, int64_t step)
{
    int n = sql_run("UPDATE curator SET totp_step = ? WHERE pk = ? AND totp_step < ?", "III",
                    step, pk, step);
    return n < 0 ? STORE_ERROR : n == 0 ? STORE_CONFLICT : STORE_OK;
}

int store_recovery_use(int64_t pk, const char *hash)
{
    int n = sql_run("UPDATE recovery_code SET used_at = " NOW " WHERE curator_pk = ?"
                    " AND hash = ? AND used_at IS NULL", "It", pk, hash);
    return n < 0 ? STORE_ERROR : n == 0 ? STORE_NOT_FOUND : STORE_OK;
}

int store_recovery_left(int64_t pk)
{
    json_t *row = NULL;
    if (sql_row(&row, "SELECT count(*) AS n FROM recovery_code WHERE curator_pk = ?"
                      " AND used_at IS NULL", "I", pk) != 1)
        return -1;
    int n = (int)json_integer_value(json_object_get(row, "n"));
    json_decref(row);
    return n;
}

int store_session_start(int64_t pk, const char *hash, const char *rehash, const char *detail,
                        const char *address)
{
    if (account_begin() != 0)
        return STORE_ERROR;
    json_t *row = NULL;
    if (sql_row(&row, "SELECT email FROM curator WHERE pk = ? AND state = 'active'", "I",
                pk) != 1)
        return finish(STORE_NOT_FOUND);
    const char *email = json_string_value(json_object_get(row, "email"));
    int rc = STORE_OK;
    if (sql_run("INSERT INTO session (curator_pk, hash) VALUES (?, ?)", "It", pk, hash) != 1 ||
        sql_run("UPDATE curator SET signed_in_at = " NOW ", password = coalesce(?, password)"
                " WHERE pk = ?", "tI", rehash, pk) != 1 ||
        audit_in_tx(email, "sign-in", email, detail, address) != 0)
        rc = STORE_ERROR;
    json_decref(row);
    return finish(rc);
}

int store_session_find(const char *hash, int idle_seconds, int absolute_seconds, json_t **row)
{
    return sql_row(row, "SELECT s.pk AS session, c.pk AS curator, c.email, c.name, c.role,"
                        " c.signed_in_at, CAST(strftime('%s', 'now') - strftime('%s', s.seen_at)"
                        " AS INTEGER) AS idle FROM session s JOIN curator c ON c.pk = s.curator_pk"
                        " WHERE s.hash = ? AND s.ended_at IS NULL AND c.state = 'active'"
                        " AND s.seen_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ? || ' seconds')"
                        " AND s.created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ? || ' seconds')",
                   "tII", hash, (int64_t)-idle_seconds, (int64_t)-absolute_seconds);
}

int store_session_touch(int64_t session)
{
    return sql_run("UPDATE session SET seen_at = " NOW " WHERE pk = ?", "I", session) < 0
               ? STORE_ERROR
               : STORE_OK;
}

int store_session_end(int64_t session, bool everywhere, const char *address)
{
    if (account_begin() != 0)
        return STORE_ERROR;
    json_t *row = NULL;
    if (sql_row(&row, "SELECT c.pk, c.email FROM session s JOIN curator c"
                      " ON c.pk = s.curator_pk WHERE s.pk = ?", "I", session) != 1)
        return finish(STORE_NOT_FOUND);
    int64_t pk = json_integer_value(json_object_get(row, "pk"));
    const char *email = json_string_value(json_object_get(row, "email"));
    int rc = STORE_OK;
    if ((everywhere ? sql_run("UPDATE session SET ended_at = " NOW " WHERE curator_pk = ?"
                              " AND ended_at IS NULL", "I", pk)
                    : sql_run("UPDATE session SET ended_at = " NOW " WHERE pk = ?"
                              " AND ended_at IS NULL", "I", session)) < 0 ||
        audit_in_tx(email, everywhere ? "sign-out-everywhere" : "sign-out", email, "",
                    address) != 0)
        rc = STORE_ERROR;
    json_decref(row);
    return finish(rc);
}
