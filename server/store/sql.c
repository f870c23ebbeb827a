/* sql.c: running SQL. The per-connection cache of hot statements, prepared
 * once and reset after every use; reading columns; rows as JSON objects;
 * and the helpers that prepare a rarely run statement per call and bind
 * its parameters from a format. */
#include "store/store_int.h"
#include "lib/util.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

/* A prepared statement, reset and with bindings cleared. NULL on failure.
 * stmt_sql is the calling file's table: each file keeps the SQL of the
 * statements it runs beside the code that runs them. */
sqlite3_stmt *stmt(struct conn *c, enum stmt_id id, const char *const stmt_sql[ST_COUNT])
{
    if (!c->stmts[id] &&
        sqlite3_prepare_v3(c->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                           &c->stmts[id], NULL) != SQLITE_OK) {
        log_db_error(c->db, stmt_sql[id]);
        return NULL;
    }
    return c->stmts[id];
}

void stmt_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrndup((const char *)t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

char *col_text_or_empty(sqlite3_stmt *st, int i)
{
    char *t = col_text(st, i);
    return t ? t : xstrdup("");
}

/* Steps st to the end, collecting each row as an object keyed by column
 * name. Returns 0 with *rows set, or -1. */
int rows_json(struct conn *c, sqlite3_stmt *st, json_t **rows)
{
    json_t *list = json_array();
    int rc, n = sqlite3_column_count(st);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *row = json_object();
        for (int i = 0; i < n; i++) {
            json_t *v;
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                v = json_integer(sqlite3_column_int64(st, i));
                break;
            case SQLITE_NULL:
                v = json_null();
                break;
            default:
                v = json_stringn((const char *)sqlite3_column_text(st, i),
                                 (size_t)sqlite3_column_bytes(st, i));
                break;
            }
            json_object_set_new(row, sqlite3_column_name(st, i), v ? v : json_null());
        }
        json_array_append_new(list, row);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "reading rows");
        json_decref(list);
        return -1;
    }
    *rows = list;
    return 0;
}

/* ---- statements prepared per call ---------------------------------------- *
 * Writes are rare, so their statements are prepared per call through these
 * two helpers. Parameters are bound from a format: 't' text (NULL binds
 * NULL), 'i' or 'I' int64, 'N' int64 with negatives bound as NULL, 'K' int64
 * with STORE_KEEP bound as NULL, 'b' bool. */

static int bind_args(sqlite3_stmt *st, const char *fmt, va_list ap)
{
    for (int i = 0; fmt[i]; i++) {
        int rc;
        if (fmt[i] == 't') {
            const char *v = va_arg(ap, const char *);
            rc = v ? sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(st, i + 1);
        } else if (fmt[i] == 'i' || fmt[i] == 'I') {
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        } else if (fmt[i] == 'N' || fmt[i] == 'K') {
            int64_t v = va_arg(ap, int64_t);
            bool null = fmt[i] == 'N' ? v < 0 : v == STORE_KEEP;
            rc = null ? sqlite3_bind_null(st, i + 1) : sqlite3_bind_int64(st, i + 1, v);
        } else {
            rc = sqlite3_bind_int(st, i + 1, va_arg(ap, int));
        }
        if (rc != SQLITE_OK)
            return -1;
    }
    return 0;
}

/* Runs sql to completion. Returns the number of rows changed, or -1
 * (-2 for a UNIQUE or CHECK constraint, so callers can say "conflict"). */
int sql_run(const char *sql, const char *fmt, ...)
{
    struct conn *c = conn_get();
    sqlite3_stmt *st = NULL;
    if (!c || sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_db_error(c ? c->db : NULL, sql);
        return -1;
    }
    va_list ap;
    va_start(ap, fmt);
    int rc = bind_args(st, fmt, ap);
    va_end(ap);
    int step = rc == 0 ? sqlite3_step(st) : SQLITE_ERROR;
    int result;
    if (step == SQLITE_DONE || step == SQLITE_ROW)
        result = sqlite3_changes(c->db);
    else if ((sqlite3_extended_errcode(c->db) & 0xFF) == SQLITE_CONSTRAINT)
        result = -2;
    else
        result = -1;
    if (result == -1)
        log_db_error(c->db, sql);
    sqlite3_finalize(st);
    return result;
}

static int sql_rows_v(json_t **rows, const char *sql, const char *fmt, va_list ap)
{
    struct conn *c = conn_get();
    sqlite3_stmt *st = NULL;
    if (!c || sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_db_error(c ? c->db : NULL, sql);
        return -1;
    }
    int rc = bind_args(st, fmt, ap);
    if (rc == 0)
        rc = rows_json(c, st, rows);
    sqlite3_finalize(st);
    return rc;
}

/* Runs sql and collects its rows as objects (see rows_json). */
int sql_rows(json_t **rows, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sql_rows_v(rows, sql, fmt, ap);
    va_end(ap);
    return rc;
}

/* Runs sql for one row: 1 with *row (a new reference), 0 when there is
 * none, -1 on error. */
int sql_row(json_t **row, const char *sql, const char *fmt, ...)
{
    json_t *rows;
    va_list ap;
    va_start(ap, fmt);
    int rc = sql_rows_v(&rows, sql, fmt, ap);
    va_end(ap);
    if (rc != 0)
        return -1;
    int found = json_array_size(rows) > 0;
    if (found)
        *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return found;
}
