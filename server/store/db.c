/* db.c: the database itself. Connections (one per thread, opened on first
 * use, reopened on a new snapshot), migrations and seeding, opening and
 * closing, the data version and the transactions that move it (store_commit
 * is its one owner), the thread that notices other processes' writes, and
 * readiness. */
#include "store/store_int.h"
#include "lib/assets.h"
#include "lib/buf.h"
#include "lib/util.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *db_path;
static bool read_only;                 /* a replica serving a snapshot */
static _Atomic unsigned generation;    /* bumped to reopen on a new snapshot */
static pthread_key_t conn_key;
static pthread_once_t conn_key_once = PTHREAD_ONCE_INIT;
static _Atomic uint64_t data_version = 1;

/* ---- connections --------------------------------------------------------- */

static void conn_free(void *p)
{
    struct conn *c = p;
    if (!c)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(c->stmts[i]);
    sqlite3_close(c->db);
    free(c);
}

static void conn_key_create(void)
{
    pthread_key_create(&conn_key, conn_free);
}

static _Atomic uint64_t db_errors;

uint64_t store_db_errors(void)
{
    return atomic_load(&db_errors);
}

void log_db_error(sqlite3 *db, const char *what)
{
    atomic_fetch_add(&db_errors, 1);
    fprintf(stderr, "signpost: database error in %s: %s\n", what,
            db ? sqlite3_errmsg(db) : "no connection");
}

static void quiet_allocator(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Opens a connection with the settings every connection needs. NULL on
 * failure (logged). */
static sqlite3 *db_connect(const char *path, int flags)
{
    /* Every thread has its own connection: no memory statistics, whose
     * global mutex every SQLite allocation would take (a few per cent of a
     * large search). Only possible before SQLite starts; later calls are
     * refused harmlessly. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, quiet_allocator);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        log_db_error(db, "open");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    if (sqlite3_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        log_db_error(db, "connection setup");
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* A read-only connection to a snapshot: immutable (no locks, no journal),
 * since a snapshot is never changed in place, only replaced by rename. */
static sqlite3 *db_connect_snapshot(const char *path)
{
    struct buf uri = BUF_INIT;
    buf_puts(&uri, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '?' || *p == '#' || *p == '%')
            buf_printf(&uri, "%%%02X", (unsigned char)*p);
        else
            buf_putc(&uri, *p);
    }
    buf_puts(&uri, "?immutable=1");
    sqlite3 *db = db_connect(uri.data, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    buf_reset(&uri);
    return db;
}

/* The calling thread's connection, opened on first use. NULL on failure. */
struct conn *conn_get(void)
{
    pthread_once(&conn_key_once, conn_key_create);
    struct conn *c = pthread_getspecific(conn_key);
    unsigned gen = atomic_load(&generation);
    if (c && c->generation == gen)
        return c;
    if (c) { /* a new snapshot was published: let go of the old file */
        conn_free(c);
        pthread_setspecific(conn_key, NULL);
    }
    if (!db_path)
        return NULL;
    sqlite3 *db = read_only ? db_connect_snapshot(db_path)
                            : db_connect(db_path, SQLITE_OPEN_READWRITE);
    if (!db)
        return NULL;
    c = xcalloc(1, sizeof *c);
    c->db = db;
    c->generation = gen;
    pthread_setspecific(conn_key, c);
    return c;
}

/* ---- migrations ---------------------------------------------------------- */

static int migration_count(void)
{
    int n = 0;
    for (size_t i = 0; i < assets_count; i++)
        if (strncmp(assets[i].name, "db/0", 4) == 0)
            n++;
    return n;
}

int store_schema_version(void)
{
    return migration_count();
}

static int exec_asset(sqlite3 *db, const struct asset *a)
{
    char *err = NULL;
    if (sqlite3_exec(db, (const char *)a->data, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "signpost: %s: %s\n", a->name, err ? err : "failed");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Applies every migration above the database's user_version, each in its own
 * transaction with the version step. A new database (user_version 0) also
 * gets the seed, in the same transaction as its last migration, so a
 * database is either fully seeded or not created at all. */
/* The migration that indexes the lexicon (006_search_everything.sql). */
#define LEXICON_STEP 6

static int migrate(sqlite3 *db, bool seed_new)
{
    int have = user_version(db);
    if (have < 0) {
        log_db_error(db, "reading user_version");
        return -1;
    }
    int want = migration_count();
    if (have > want) {
        fprintf(stderr,
                "signpost: the database is at schema version %d but this binary "
                "knows only %d: use a newer signpost\n", have, want);
        return -1;
    }
    bool fresh = have == 0;
    int step = 0;
    for (size_t i = 0; i < assets_count; i++) {
        if (strncmp(assets[i].name, "db/0", 4) != 0)
            continue;
        if (++step <= have)
            continue;
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", step);
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
            log_db_error(db, "migration BEGIN");
            return -1;
        }
        int rc = exec_asset(db, &assets[i]);
        /* The first search lexicon (db/lexicon.sql) goes in after the seed
         * on a new database, and with the migration that indexes it on an
         * older one; a new database filled by import brings its own. */
        const struct asset *lexicon = asset_find("db/lexicon.sql");
        if (rc == 0 && fresh && seed_new && step == want) {
            const struct asset *seed = asset_find("db/seed.sql");
            rc = seed ? exec_asset(db, seed) : 0;
            if (rc == 0 && lexicon)
                rc = exec_asset(db, lexicon);
        } else if (rc == 0 && !fresh && step == LEXICON_STEP && lexicon) {
            rc = exec_asset(db, lexicon);
        }
        if (rc == 0 && sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
            log_db_error(db, pragma);
            rc = -1;
        }
        if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            log_db_error(db, "migration COMMIT");
            rc = -1;
        }
        if (rc != 0) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

int store_open(const char *path)
{
    return store_open_ex(path, true);
}

int store_open_ex(const char *path, bool seed)
{
    int rc = -1;
    sqlite3 *db = db_connect(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db)
        goto out;
    if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK) {
        log_db_error(db, "PRAGMA journal_mode");
        goto out;
    }
    if (migrate(db, seed) != 0)
        goto out;
    free(db_path);
    db_path = xstrdup(path);
    rc = 0;
out:
    sqlite3_close(db);
    return rc;
}

int store_open_snapshot(const char *path)
{
    sqlite3 *db = db_connect_snapshot(path);
    if (!db)
        return -1;
    int have = user_version(db);
    sqlite3_close(db);
    if (have != migration_count()) {
        fprintf(stderr, "signpost: %s is at schema version %d, this binary needs %d: "
                        "make the snapshot with a matching signpost backup\n",
                path, have, migration_count());
        return -1;
    }
    free(db_path);
    db_path = xstrdup(path);
    read_only = true;
    return 0;
}

bool store_read_only(void)
{
    return read_only;
}

static void data_changed(void)
{
    atomic_fetch_add_explicit(&data_version, 1, memory_order_acq_rel);
}

void store_reload(void)
{
    atomic_fetch_add(&generation, 1);
    data_changed();
}

void store_close(void)
{
    pthread_once(&conn_key_once, conn_key_create);
    /* Fold the WAL back into the database so the file stands alone. */
    struct conn *own = pthread_getspecific(conn_key);
    if (!read_only && (own || db_path)) {
        struct conn *c = conn_get();
        if (c)
            sqlite3_exec(c->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    }
    conn_free(pthread_getspecific(conn_key));
    pthread_setspecific(conn_key, NULL);
    index_drop();
    free(db_path);
    db_path = NULL;
}

uint64_t store_data_version(void)
{
    return atomic_load_explicit(&data_version, memory_order_acquire);
}

bool store_ready(void)
{
    struct conn *c = conn_get();
    return c && user_version(c->db) == migration_count();
}

/* ---- transactions -------------------------------------------------------- */

static int bump_version(void);

int store_begin(void)
{
    if (read_only)
        return -1;
    return sql_run("BEGIN IMMEDIATE", "") < 0 ? -1 : 0;
}

/* The one way a write ends: the version kept in the file moves on inside
 * the same transaction (so other processes see it), then the commit, then
 * every thread of this process sees the new version (the response cache and
 * the index start over). No caller can forget a step. */
int store_commit(void)
{
    if (bump_version() != 0 || sql_run("COMMIT", "") < 0)
        return -1;
    data_changed();
    return 0;
}

/* Curators' accounts, sessions and the audit log change no public answer,
 * so their writes do not move the data version (a sign-in must not empty
 * the response cache). Still refused on a replica. */
int account_begin(void)
{
    if (read_only)
        return -1;
    return sql_run("BEGIN IMMEDIATE", "") < 0 ? -1 : 0;
}

int account_commit(void)
{
    return sql_run("COMMIT", "") < 0 ? -1 : 0;
}

void store_rollback(void)
{
    struct conn *c = conn_get();
    if (c && !sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

static int bump_version(void)
{
    return sql_run("UPDATE meta SET value = CAST(value AS INTEGER) + 1"
                   " WHERE key = 'data_version'", "") < 0 ? -1 : 0;
}

uint64_t store_db_version(void)
{
    json_t *rows;
    uint64_t v = 0;
    if (sql_rows(&rows, "SELECT CAST(value AS INTEGER) AS v FROM meta"
                        " WHERE key = 'data_version'", "") == 0) {
        v = (uint64_t)json_integer_value(json_object_get(json_array_get(rows, 0), "v"));
        json_decref(rows);
    }
    return v;
}

/* ---- noticing writes by other processes ---------------------------------- */

static pthread_t watch_thread;
static _Atomic bool watch_running;

/* Every second, reads the data version kept in the file: a change made by
 * another process (an import, a restore from the command line) then
 * reaches the cache and the index within a second. */
static void *watch(void *arg)
{
    (void)arg;
    uint64_t seen = store_db_version();
    while (atomic_load(&watch_running)) {
        for (int i = 0; i < 10 && atomic_load(&watch_running); i++)
            usleep(100 * 1000);
        uint64_t now = store_db_version();
        if (now != seen) {
            seen = now;
            data_changed();
        }
    }
    conn_free(pthread_getspecific(conn_key));
    pthread_setspecific(conn_key, NULL);
    return NULL;
}

int store_watch_start(void)
{
    atomic_store(&watch_running, true);
    if (pthread_create(&watch_thread, NULL, watch, NULL) != 0) {
        atomic_store(&watch_running, false);
        return -1;
    }
    return 0;
}

void store_watch_stop(void)
{
    if (!atomic_load(&watch_running))
        return;
    atomic_store(&watch_running, false);
    pthread_join(watch_thread, NULL);
}
