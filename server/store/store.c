/* store.c: see store.h. The only file that includes sqlite3.h. */
#include "store/store.h"
#include "lib/assets.h"
#include "lib/buf.h"
#include "lib/util.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

enum stmt_id {
    ST_AUDIENCES,
    ST_TOPICS,
    ST_ORGS,
    ST_ORG_AUDIENCES,
    ST_ORG_TOPICS,
    ST_FTS,
    ST_ORG_BY_SLUG,
    ST_ORG_AUDIENCE_SLUGS,
    ST_ORG_TOPIC_SLUGS,
    ST_ORG_CONTACTS,
    ST_ORG_RESOURCES,
    ST_RES_AUDIENCE_SLUGS,
    ST_RES_TOPIC_SLUGS,
    ST_HELP,
    ST_SERVICES,
    ST_SERVICES_COUNT,
    ST_SERVICE_GET,
    ST_RESOURCE_TERMS,
    ST_CONTACTS,
    ST_ORGANIZATIONS,
    ST_ORGANIZATIONS_COUNT,
    ST_ORGANIZATION_GET,
    ST_COUNT
};

#define SERVICE_COLUMNS \
    "SELECT r.pk AS pk, r.id AS id, r.slug AS slug, r.name AS name, r.type AS type," \
    " r.url AS url, r.summary AS summary, r.age_min AS age_min, r.age_max AS age_max," \
    " max(r.updated_at, o.updated_at) AS last_modified, o.pk AS org_pk, o.id AS org_id," \
    " o.name AS org_name, o.summary AS org_summary, o.description AS org_description," \
    " o.website AS org_website, o.coverage AS org_coverage," \
    " o.last_reviewed AS org_last_reviewed" \
    " FROM resource r JOIN organisation o ON o.pk = r.org_pk" \
    " WHERE r.archived_at IS NULL AND o.archived_at IS NULL"

/* Every filter is optional: a NULL parameter switches its clause off, so one
 * prepared statement serves every combination. */
#define SERVICE_FILTERS \
    " AND (?1 IS NULL OR r.name LIKE ?1 ESCAPE '\\' OR r.summary LIKE ?1 ESCAPE '\\')" \
    " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM resource_audience x" \
    "      WHERE x.resource_pk = r.pk AND x.audience_pk = ?2))" \
    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM resource_topic x WHERE x.resource_pk = r.pk" \
    "      AND x.topic_pk IN (WITH RECURSIVE sub(pk) AS (SELECT ?3 UNION" \
    "      SELECT t.pk FROM topic t JOIN sub ON t.parent_pk = sub.pk) SELECT pk FROM sub)))" \
    " AND (?4 IS NULL" \
    "      OR (?4 = 'audience' AND EXISTS (SELECT 1 FROM resource_audience x WHERE x.resource_pk = r.pk))" \
    "      OR (?4 = 'topic' AND EXISTS (SELECT 1 FROM resource_topic x WHERE x.resource_pk = r.pk)))" \
    " AND (?5 IS NULL OR r.age_max IS NULL OR r.age_max >= ?5)" \
    " AND (?6 IS NULL OR r.age_min IS NULL OR r.age_min <= ?6)" \
    " AND (?7 IS NULL OR max(r.updated_at, o.updated_at) >= ?7)" \
    " AND (?8 IS NULL OR o.id = ?8)"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_SERVICES] = SERVICE_COLUMNS SERVICE_FILTERS
                    " ORDER BY r.name COLLATE NOCASE, r.pk LIMIT ?9 OFFSET ?10",
    [ST_SERVICES_COUNT] = "SELECT count(*) FROM resource r JOIN organisation o"
                          " ON o.pk = r.org_pk WHERE r.archived_at IS NULL"
                          " AND o.archived_at IS NULL" SERVICE_FILTERS,
    [ST_SERVICE_GET] = SERVICE_COLUMNS " AND r.id = ?1",
    [ST_RESOURCE_TERMS] = "SELECT 'audience' AS kind, audience_pk AS pk FROM resource_audience"
                          " WHERE resource_pk = ?1 UNION ALL"
                          " SELECT 'topic', topic_pk FROM resource_topic WHERE resource_pk = ?1",
    [ST_CONTACTS] = "SELECT pk, kind, label, value, hours FROM contact"
                    " WHERE org_pk = ?1 ORDER BY position, pk",
    [ST_ORGANIZATIONS] = "SELECT pk, id, name, summary, description, website,"
                         " last_reviewed, updated_at FROM organisation"
                         " WHERE archived_at IS NULL ORDER BY name COLLATE NOCASE, pk"
                         " LIMIT ?1 OFFSET ?2",
    [ST_ORGANIZATIONS_COUNT] = "SELECT count(*) FROM organisation WHERE archived_at IS NULL",
    [ST_ORGANIZATION_GET] = "SELECT pk, id, name, summary, description, website,"
                            " last_reviewed, updated_at FROM organisation"
                            " WHERE archived_at IS NULL AND id = ?1",
    [ST_AUDIENCES] = "SELECT pk, id, slug, label, description, NULL, ''"
                     " FROM audience ORDER BY position, label",
    [ST_TOPICS] = "SELECT pk, id, slug, label, description, parent_pk, guidance_md"
                  " FROM topic ORDER BY position, label",
    [ST_ORGS] = "SELECT o.pk, o.id, o.slug, o.name, o.summary, o.kind, o.coverage,"
                " o.website, o.last_reviewed,"
                " (SELECT c.value FROM contact c WHERE c.org_pk = o.pk"
                "   AND c.kind = 'phone' ORDER BY c.position, c.pk LIMIT 1)"
                " FROM organisation o WHERE o.archived_at IS NULL"
                " ORDER BY o.name COLLATE NOCASE, o.slug",
    [ST_ORG_AUDIENCES] = "SELECT org_pk, audience_pk FROM org_audience",
    [ST_ORG_TOPICS] = "SELECT org_pk, topic_pk FROM org_topic",
    /* Name weighs most, then summary, then resources and topics, then the
     * description. bm25() is smaller for better matches. */
    /* One phrase at a time: a query's bm25() is the sum of its phrases'
     * scores, so phrases are scored once, remembered, and combined in C. */
    [ST_FTS] = "SELECT rowid, bm25(org_fts, 10.0, 4.0, 1.0, 2.0) FROM org_fts"
               " WHERE org_fts MATCH ?1",
    [ST_ORG_BY_SLUG] = "SELECT pk, id, slug, name, summary, description, website,"
                       " kind, coverage, last_reviewed, source, updated_at, archived_at,"
                       " created_at, reviewed_by"
                       " FROM organisation WHERE slug = ?1 AND (?2 OR archived_at IS NULL)",
    [ST_ORG_AUDIENCE_SLUGS] = "SELECT a.slug FROM org_audience x JOIN audience a"
                              " ON a.pk = x.audience_pk WHERE x.org_pk = ?1"
                              " ORDER BY a.position, a.label",
    [ST_ORG_TOPIC_SLUGS] = "SELECT t.slug FROM org_topic x JOIN topic t"
                           " ON t.pk = x.topic_pk WHERE x.org_pk = ?1"
                           " ORDER BY t.position, t.label",
    [ST_ORG_CONTACTS] = "SELECT kind, label, value, hours FROM contact"
                        " WHERE org_pk = ?1 ORDER BY position, pk",
    [ST_ORG_RESOURCES] = "SELECT pk, id, slug, name, type, url, summary, age_min,"
                         " age_max FROM resource WHERE org_pk = ?1"
                         " AND archived_at IS NULL ORDER BY position, name",
    [ST_RES_AUDIENCE_SLUGS] = "SELECT a.slug FROM resource_audience x JOIN audience a"
                              " ON a.pk = x.audience_pk WHERE x.resource_pk = ?1"
                              " ORDER BY a.position, a.label",
    [ST_RES_TOPIC_SLUGS] = "SELECT t.slug FROM resource_topic x JOIN topic t"
                           " ON t.pk = x.topic_pk WHERE x.resource_pk = ?1"
                           " ORDER BY t.position, t.label",
    [ST_HELP] = "SELECT h.label, h.description, h.kind, h.value, h.hours, o.slug"
                " FROM help_channel h LEFT JOIN organisation o ON o.pk = h.org_pk"
                " AND o.archived_at IS NULL ORDER BY h.position, h.pk",
};

struct conn {
    unsigned generation;      /* the snapshot it was opened on (replicas) */
    sqlite3 *db;
    sqlite3_stmt *stmts[ST_COUNT];
};

static char *db_path;
static bool read_only;                 /* a replica serving a snapshot */
static _Atomic unsigned generation;    /* bumped to reopen on a new snapshot */
static pthread_key_t conn_key;
static pthread_once_t conn_key_once = PTHREAD_ONCE_INIT;
static _Atomic uint64_t data_version = 1;

static pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store_index *index_current;

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

static void log_db_error(sqlite3 *db, const char *what)
{
    atomic_fetch_add(&db_errors, 1);
    fprintf(stderr, "signpost: database error in %s: %s\n", what,
            db ? sqlite3_errmsg(db) : "no connection");
}

/* Opens a connection with the settings every connection needs. NULL on
 * failure (logged). */
static sqlite3 *db_connect(const char *path, int flags)
{
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
static struct conn *conn_get(void)
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

/* A prepared statement, reset and with bindings cleared. NULL on failure. */
static sqlite3_stmt *stmt(struct conn *c, enum stmt_id id)
{
    if (!c->stmts[id] &&
        sqlite3_prepare_v3(c->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                           &c->stmts[id], NULL) != SQLITE_OK) {
        log_db_error(c->db, stmt_sql[id]);
        return NULL;
    }
    return c->stmts[id];
}

static void stmt_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrndup((const char *)t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

static char *col_text_or_empty(sqlite3_stmt *st, int i)
{
    char *t = col_text(st, i);
    return t ? t : xstrdup("");
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
        if (rc == 0 && fresh && seed_new && step == want) {
            const struct asset *seed = asset_find("db/seed.sql");
            rc = seed ? exec_asset(db, seed) : 0;
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
    pthread_mutex_lock(&index_lock);
    struct store_index *ix = index_current;
    index_current = NULL;
    pthread_mutex_unlock(&index_lock);
    store_index_release(ix);
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

/* ---- the index ----------------------------------------------------------- */

static void terms_free(struct store_term *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].id);
        free(t[i].slug);
        free(t[i].label);
        free(t[i].description);
        free(t[i].guidance_md);
    }
    free(t);
}

static void index_free(struct store_index *ix)
{
    terms_free(ix->audiences, ix->n_audiences);
    terms_free(ix->topics, ix->n_topics);
    for (size_t i = 0; i < ix->n_orgs; i++) {
        struct store_org *o = &ix->orgs[i];
        free(o->id);
        free(o->slug);
        free(o->name);
        free(o->summary);
        free(o->kind);
        free(o->coverage);
        free(o->website);
        free(o->last_reviewed);
        free(o->phone);
    }
    free(ix->orgs);
    free(ix->by_pk);
    free(ix->pk_index);
    for (size_t i = 0; i < FTS_SLOTS; i++) {
        free(ix->fts[i].expr);
        free(ix->fts[i].idx);
        free(ix->fts[i].score);
    }
    for (size_t i = 0; ix->answers && i < ANSWER_SLOTS; i++) {
        free(ix->answers[i].key);
        free(ix->answers[i].list);
        free(ix->answers[i].counts);
    }
    free(ix->answers);
    pthread_mutex_destroy(&ix->fts_lock);
    free(ix->bits);
    free(ix);
}

static int load_terms(struct conn *c, enum stmt_id id, struct store_term **out,
                      size_t *n_out, int64_t **parent_pks)
{
    sqlite3_stmt *st = stmt(c, id);
    if (!st)
        return -1;
    size_t n = 0, cap = 16;
    struct store_term *t = xcalloc(cap, sizeof *t);
    int64_t *parents = xcalloc(cap, sizeof *parents);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap *= 2;
            t = xrealloc(t, cap * sizeof *t);
            parents = xrealloc(parents, cap * sizeof *parents);
        }
        memset(&t[n], 0, sizeof t[n]);
        t[n].pk = sqlite3_column_int64(st, 0);
        t[n].id = col_text(st, 1);
        t[n].slug = col_text(st, 2);
        t[n].label = col_text(st, 3);
        t[n].description = col_text_or_empty(st, 4);
        parents[n] = sqlite3_column_type(st, 5) == SQLITE_NULL ? 0
                                                               : sqlite3_column_int64(st, 5);
        t[n].guidance_md = col_text_or_empty(st, 6);
        t[n].parent = -1;
        n++;
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading taxonomy");
        terms_free(t, n);
        free(parents);
        return -1;
    }
    *out = t;
    *n_out = n;
    if (parent_pks)
        *parent_pks = parents;
    else
        free(parents);
    return 0;
}

static int term_by_pk(const struct store_term *t, size_t n, int64_t pk)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].pk == pk)
            return (int)i;
    return -1;
}

static const struct store_index *sort_ix; /* qsort has no context argument */
static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

static int cmp_by_pk(const void *a, const void *b)
{
    int64_t x = sort_ix->orgs[*(const size_t *)a].pk;
    int64_t y = sort_ix->orgs[*(const size_t *)b].pk;
    return x < y ? -1 : x > y;
}

/* Index of the organisation with primary key pk, or -1: one load from the
 * direct table when the keys are dense enough for one, else a binary
 * search. */
static long org_by_pk(const struct store_index *ix, int64_t pk)
{
    if (ix->pk_index)
        return pk >= 0 && (uint64_t)pk <= ix->pk_max ? ix->pk_index[pk] : -1;
    size_t lo = 0, hi = ix->n_orgs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int64_t v = ix->orgs[ix->by_pk[mid]].pk;
        if (v == pk)
            return (long)ix->by_pk[mid];
        if (v < pk)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int load_links(struct conn *c, struct store_index *ix, enum stmt_id id,
                      const struct store_term *terms, size_t n_terms, bool topics)
{
    sqlite3_stmt *st = stmt(c, id);
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long o = org_by_pk(ix, sqlite3_column_int64(st, 0));
        int t = term_by_pk(terms, n_terms, sqlite3_column_int64(st, 1));
        if (o < 0 || t < 0)
            continue; /* archived organisation */
        uint64_t *set = (uint64_t *)(topics ? ix->orgs[o].topics : ix->orgs[o].audiences);
        set[t / 64] |= 1ULL << (t % 64);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading taxonomy links");
        return -1;
    }
    return 0;
}

static struct store_index *index_build(struct conn *c, uint64_t version)
{
    struct store_index *ix = xcalloc(1, sizeof *ix);
    int64_t *topic_parents = NULL;
    ix->version = version;
    ix->refs = 1;
    if (load_terms(c, ST_AUDIENCES, &ix->audiences, &ix->n_audiences, NULL) != 0 ||
        load_terms(c, ST_TOPICS, &ix->topics, &ix->n_topics, &topic_parents) != 0)
        goto fail;
    for (size_t i = 0; i < ix->n_topics; i++)
        if (topic_parents[i])
            ix->topics[i].parent = term_by_pk(ix->topics, ix->n_topics, topic_parents[i]);
    free(topic_parents);
    topic_parents = NULL;

    sqlite3_stmt *st = stmt(c, ST_ORGS);
    if (!st)
        goto fail;
    size_t cap = 64;
    ix->orgs = xcalloc(cap, sizeof *ix->orgs);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (ix->n_orgs == cap) {
            cap *= 2;
            ix->orgs = xrealloc(ix->orgs, cap * sizeof *ix->orgs);
        }
        struct store_org *o = &ix->orgs[ix->n_orgs++];
        memset(o, 0, sizeof *o);
        o->pk = sqlite3_column_int64(st, 0);
        o->id = col_text(st, 1);
        o->slug = col_text(st, 2);
        o->name = col_text(st, 3);
        o->summary = col_text_or_empty(st, 4);
        o->kind = col_text(st, 5);
        o->coverage = col_text(st, 6);
        o->website = col_text(st, 7);
        o->last_reviewed = col_text(st, 8);
        o->phone = col_text(st, 9);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading organisations");
        goto fail;
    }

    ix->aud_words = (ix->n_audiences + 63) / 64;
    ix->topic_words = (ix->n_topics + 63) / 64;
    size_t per_org = ix->aud_words + 2 * ix->topic_words;
    ix->bits = xcalloc(ix->n_orgs * per_org + 1, sizeof *ix->bits);
    for (size_t i = 0; i < ix->n_orgs; i++) {
        uint64_t *base = ix->bits + i * per_org;
        ix->orgs[i].audiences = base;
        ix->orgs[i].topics = base + ix->aud_words;
        ix->orgs[i].topics_eff = base + ix->aud_words + ix->topic_words;
    }
    ix->by_pk = xmalloc((ix->n_orgs + 1) * sizeof *ix->by_pk);
    for (size_t i = 0; i < ix->n_orgs; i++)
        ix->by_pk[i] = i;
    pthread_mutex_lock(&sort_lock);
    sort_ix = ix;
    qsort(ix->by_pk, ix->n_orgs, sizeof *ix->by_pk, cmp_by_pk);
    pthread_mutex_unlock(&sort_lock);
    int64_t max_pk = ix->n_orgs ? ix->orgs[ix->by_pk[ix->n_orgs - 1]].pk : 0;
    if (max_pk >= 0 && (uint64_t)max_pk <= 16 * (uint64_t)ix->n_orgs + 4096) {
        ix->pk_max = (uint64_t)max_pk;
        ix->pk_index = xmalloc(((size_t)max_pk + 1) * sizeof *ix->pk_index);
        memset(ix->pk_index, 0xFF, ((size_t)max_pk + 1) * sizeof *ix->pk_index); /* -1 */
        for (size_t i = 0; i < ix->n_orgs; i++)
            if (ix->orgs[i].pk >= 0)
                ix->pk_index[ix->orgs[i].pk] = (int32_t)i;
    }
    pthread_mutex_init(&ix->fts_lock, NULL);
    ix->answers = xcalloc(ANSWER_SLOTS, sizeof *ix->answers);

    if (load_links(c, ix, ST_ORG_AUDIENCES, ix->audiences, ix->n_audiences, false) != 0 ||
        load_links(c, ix, ST_ORG_TOPICS, ix->topics, ix->n_topics, true) != 0)
        goto fail;

    /* A topic's sub-topics count towards it and match its filter. Parent
     * chains are walked with a bound, so a cycle cannot hang us. */
    for (size_t i = 0; i < ix->n_orgs; i++) {
        struct store_org *o = &ix->orgs[i];
        uint64_t *eff = (uint64_t *)o->topics_eff;
        for (size_t t = 0; t < ix->n_topics; t++) {
            if (!store_bit(o->topics, t))
                continue;
            int p = (int)t;
            for (size_t hops = 0; p >= 0 && hops <= ix->n_topics; hops++) {
                eff[p / 64] |= 1ULL << (p % 64);
                p = ix->topics[p].parent;
            }
        }
        for (size_t a = 0; a < ix->n_audiences; a++)
            ix->audiences[a].count += store_bit(o->audiences, a);
        for (size_t t = 0; t < ix->n_topics; t++)
            ix->topics[t].count += store_bit(eff, t);
    }
    return ix;
fail:
    free(topic_parents);
    index_free(ix);
    return NULL;
}

struct store_index *store_index_acquire(void)
{
    uint64_t version = store_data_version();
    struct store_index *ix = NULL;
    pthread_mutex_lock(&index_lock);
    if (!index_current || index_current->version != version) {
        struct conn *c = conn_get();
        struct store_index *fresh = c ? index_build(c, version) : NULL;
        if (fresh) {
            if (index_current && --index_current->refs == 0)
                index_free(index_current);
            index_current = fresh;
        }
    }
    if (index_current && index_current->version == version) {
        ix = index_current;
        ix->refs++;
    }
    pthread_mutex_unlock(&index_lock);
    return ix;
}

void store_index_release(struct store_index *ix)
{
    if (!ix)
        return;
    pthread_mutex_lock(&index_lock);
    int left = --ix->refs;
    pthread_mutex_unlock(&index_lock);
    if (left == 0)
        index_free(ix);
}

int store_term_find(const struct store_term *terms, size_t n, const char *slug)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(terms[i].slug, slug) == 0)
            return (int)i;
    return -1;
}

long store_org_find(const struct store_index *ix, const char *slug)
{
    for (size_t i = 0; i < ix->n_orgs; i++)
        if (strcmp(ix->orgs[i].slug, slug) == 0)
            return (long)i;
    return -1;
}

/* ---- search -------------------------------------------------------------- */

static bool intersects(const uint64_t *a, const uint64_t *b, size_t words)
{
    for (size_t i = 0; i < words; i++)
        if (a[i] & b[i])
            return true;
    return false;
}

static void count_bits(const uint64_t *set, size_t words, size_t *counts)
{
    for (size_t w = 0; w < words; w++) {
        uint64_t v = set[w];
        while (v) {
            counts[w * 64 + (size_t)__builtin_ctzll(v)]++;
            v &= v - 1;
        }
    }
}

struct search_state {
    const struct store_index *ix;
    const struct store_search *q;
    struct store_results *out;
    uint64_t *aud_mask, *topic_mask; /* NULL: no filter */
    uint32_t *all;                   /* every match, for the answer cache */
    size_t n_all, cap_all;
};

static void consider(struct search_state *s, const struct store_org *o)
{
    const struct store_index *ix = s->ix;
    bool pa = !s->aud_mask || intersects(o->audiences, s->aud_mask, ix->aud_words);
    bool pt = !s->topic_mask || intersects(o->topics_eff, s->topic_mask, ix->topic_words);
    if (pt)
        count_bits(o->audiences, ix->aud_words, s->out->audience_counts);
    if (pa)
        count_bits(o->topics_eff, ix->topic_words, s->out->topic_counts);
    if (pa && pt) {
        size_t k = s->out->total++;
        if (k >= s->q->offset && k - s->q->offset < s->q->limit)
            s->out->items[s->out->n_items++] = o;
        if (s->all) {
            if (s->n_all == s->cap_all) {
                s->cap_all *= 2;
                s->all = xrealloc(s->all, s->cap_all * sizeof *s->all);
            }
            s->all[s->n_all++] = (uint32_t)(o - ix->orgs);
        }
    }
}

static uint64_t *mask_new(const int *idx, size_t n, size_t words)
{
    if (!n)
        return NULL;
    uint64_t *m = xcalloc(words + 1, sizeof *m);
    for (size_t i = 0; i < n; i++)
        m[idx[i] / 64] |= 1ULL << (idx[i] % 64);
    return m;
}

/* Remembered full-text answers, per index (so per data version), in a small
 * direct-mapped table shared by two kinds of entry: "p" + a phrase, with its
 * matches in organisation order and their bm25() scores; "e" + a whole
 * expression, with its matches best first. Returns a copy of the entry's
 * lists (scores may be NULL), or false. */
static bool fts_recall(struct store_index *ix, const char *key, size_t len, uint32_t **idx,
                       double **score, size_t *n)
{
    struct fts_hit *slot = &ix->fts[util_hash(UTIL_FNV_INIT, key, len) % FTS_SLOTS];
    bool hit = false;
    pthread_mutex_lock(&ix->fts_lock);
    if (slot->expr && strlen(slot->expr) == len && memcmp(slot->expr, key, len) == 0) {
        hit = true;
        *n = slot->n;
        *idx = xmalloc((slot->n + 1) * sizeof **idx);
        memcpy(*idx, slot->idx, slot->n * sizeof **idx);
        if (score) {
            *score = xmalloc((slot->n + 1) * sizeof **score);
            memcpy(*score, slot->score, slot->n * sizeof **score);
        }
    }
    pthread_mutex_unlock(&ix->fts_lock);
    return hit;
}

static void fts_keep(struct store_index *ix, const char *key, size_t len, const uint32_t *idx,
                     const double *score, size_t n)
{
    if (n > FTS_KEEP_MAX)
        return;
    size_t bytes = len + 64 + n * (sizeof *idx + (score ? sizeof *score : 0));
    char *k = xstrndup(key, len);
    uint32_t *i2 = xmalloc((n + 1) * sizeof *i2);
    memcpy(i2, idx, n * sizeof *i2);
    double *s2 = NULL;
    if (score) {
        s2 = xmalloc((n + 1) * sizeof *s2);
        memcpy(s2, score, n * sizeof *s2);
    }
    struct fts_hit *slot = &ix->fts[util_hash(UTIL_FNV_INIT, key, len) % FTS_SLOTS];
    pthread_mutex_lock(&ix->fts_lock);
    size_t freed = slot->expr ? slot->bytes : 0;
    if (ix->fts_bytes - freed + bytes <= FTS_BUDGET) {
        free(slot->expr);
        free(slot->idx);
        free(slot->score);
        ix->fts_bytes = ix->fts_bytes - freed + bytes;
        slot->expr = k;
        slot->idx = i2;
        slot->score = s2;
        slot->n = n;
        slot->bytes = bytes;
        k = NULL;
        i2 = NULL;
        s2 = NULL;
    }
    pthread_mutex_unlock(&ix->fts_lock);
    free(k);
    free(i2);
    free(s2);
}

struct scored {
    uint32_t idx;
    double score;
    int64_t pk;
};

static int by_index(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* bm25() is smaller for better matches; ties go to the older record, as
 * SQLite's ORDER BY bm25(), rowid would put them. */
static int by_score(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return x->pk < y->pk ? -1 : x->pk > y->pk;
}

/* One phrase's matches, in organisation order, with their scores. */
static int phrase_matches(struct store_index *ix, const char *phrase, size_t len,
                          struct scored **out, size_t *n)
{
    struct buf key = BUF_INIT;
    buf_putc(&key, 'p');
    buf_append(&key, phrase, len);
    uint32_t *idx;
    double *score;
    if (fts_recall(ix, key.data, key.len, &idx, &score, n)) {
        *out = xmalloc((*n + 1) * sizeof **out);
        for (size_t i = 0; i < *n; i++)
            (*out)[i] = (struct scored){idx[i], score[i], ix->orgs[idx[i]].pk};
        free(idx);
        free(score);
        buf_reset(&key);
        return 0;
    }
    struct conn *c = conn_get();
    sqlite3_stmt *st = c ? stmt(c, ST_FTS) : NULL;
    if (!st) {
        buf_reset(&key);
        return -1;
    }
    sqlite3_bind_text(st, 1, phrase, (int)len, SQLITE_STATIC);
    size_t cap = 64, count = 0;
    struct scored *list = xmalloc(cap * sizeof *list);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t pk = sqlite3_column_int64(st, 0);
        long o = org_by_pk(ix, pk);
        if (o < 0)
            continue; /* archived */
        if (count == cap) {
            cap *= 2;
            list = xrealloc(list, cap * sizeof *list);
        }
        list[count++] = (struct scored){(uint32_t)o, sqlite3_column_double(st, 1), pk};
    }
    stmt_done(st);
    if (step != SQLITE_DONE) {
        log_db_error(c->db, "full-text search");
        free(list);
        buf_reset(&key);
        return -1;
    }
    qsort(list, count, sizeof *list, by_index);
    if (count <= FTS_KEEP_MAX) {
        uint32_t *i2 = xmalloc((count + 1) * sizeof *i2);
        double *s2 = xmalloc((count + 1) * sizeof *s2);
        for (size_t i = 0; i < count; i++)
            i2[i] = list[i].idx, s2[i] = list[i].score;
        fts_keep(ix, key.data, key.len, i2, s2, count);
        free(i2);
        free(s2);
    }
    buf_reset(&key);
    *out = list;
    *n = count;
    return 0;
}

/* The organisations (indexes into ix->orgs) matching an FTS5 expression as
 * query_fts_build writes it ("w1" "w2"*: every phrase must match), best
 * first. Each phrase is scored once and remembered; an expression's bm25()
 * is the sum of its phrases' scores, so combining them here gives SQLite's
 * own order without asking it again. *hits is the caller's to free. */
static int fts_matches(struct store_index *ix, const char *expr, uint32_t **hits, size_t *n)
{
    size_t len = strlen(expr);
    struct buf key = BUF_INIT;
    buf_putc(&key, 'e');
    buf_append(&key, expr, len);
    if (fts_recall(ix, key.data, key.len, hits, NULL, n)) {
        buf_reset(&key);
        return 0;
    }
    struct scored *acc = NULL;
    size_t n_acc = 0;
    bool first = true;
    int rc = 0;
    for (const char *p = expr; *p && rc == 0;) {
        while (*p == ' ')
            p++;
        if (*p != '"')
            break;
        const char *end = strchr(p + 1, '"');
        if (!end)
            break;
        end++;
        if (*end == '*')
            end++;
        struct scored *ph;
        size_t n_ph;
        rc = phrase_matches(ix, p, (size_t)(end - p), &ph, &n_ph);
        p = end;
        if (rc != 0)
            break;
        if (first) {
            acc = ph;
            n_acc = n_ph;
            first = false;
            continue;
        }
        /* intersect, both in organisation order, adding the scores */
        size_t i = 0, j = 0, k = 0;
        while (i < n_acc && j < n_ph) {
            if (acc[i].idx < ph[j].idx) {
                i++;
            } else if (acc[i].idx > ph[j].idx) {
                j++;
            } else {
                acc[k] = acc[i];
                acc[k++].score += ph[j].score;
                i++, j++;
            }
        }
        n_acc = k;
        free(ph);
    }
    if (rc == 0) {
        qsort(acc, n_acc, sizeof *acc, by_score);
        *hits = xmalloc((n_acc + 1) * sizeof **hits);
        for (size_t i = 0; i < n_acc; i++)
            (*hits)[i] = acc[i].idx;
        *n = n_acc;
        fts_keep(ix, key.data, key.len, *hits, NULL, n_acc);
    }
    free(acc);
    buf_reset(&key);
    return rc;
}

/* The answer cache's key: the FTS expression and the two filter masks. */
static void answer_key(struct buf *key, const struct store_search *q, const uint64_t *aud,
                       size_t aud_words, const uint64_t *topic, size_t topic_words)
{
    buf_puts(key, q->fts ? q->fts : "");
    buf_putc(key, '\0');
    buf_putc(key, aud ? 'a' : '-');
    if (aud)
        buf_append(key, aud, aud_words * sizeof *aud);
    buf_putc(key, topic ? 't' : '-');
    if (topic)
        buf_append(key, topic, topic_words * sizeof *topic);
}

/* Fills out from a remembered answer if there is one. */
static bool answer_recall(struct store_index *ix, const struct buf *key,
                          const struct store_search *q, struct store_results *out)
{
    struct answer_hit *slot =
        &ix->answers[util_hash(UTIL_FNV_INIT, key->data, key->len) % ANSWER_SLOTS];
    bool hit = false;
    pthread_mutex_lock(&ix->fts_lock);
    if (slot->key && slot->key_len == key->len && memcmp(slot->key, key->data, key->len) == 0) {
        hit = true;
        out->total = slot->n;
        memcpy(out->audience_counts, slot->counts, ix->n_audiences * sizeof *out->audience_counts);
        memcpy(out->topic_counts, slot->counts + ix->n_audiences,
               ix->n_topics * sizeof *out->topic_counts);
        for (size_t k = q->offset; k < slot->n && out->n_items < q->limit; k++)
            out->items[out->n_items++] = &ix->orgs[slot->list[k]];
    }
    pthread_mutex_unlock(&ix->fts_lock);
    return hit;
}

/* Remembers an answer, within the byte budget. Takes list. */
static void answer_keep(struct store_index *ix, const struct buf *key,
                        const struct store_results *out, uint32_t *list, size_t n)
{
    size_t bytes = key->len + n * sizeof *list +
                   (ix->n_audiences + ix->n_topics) * sizeof(size_t) + 64;
    struct answer_hit *slot =
        &ix->answers[util_hash(UTIL_FNV_INIT, key->data, key->len) % ANSWER_SLOTS];
    size_t *counts = xmalloc((ix->n_audiences + ix->n_topics + 1) * sizeof *counts);
    memcpy(counts, out->audience_counts, ix->n_audiences * sizeof *counts);
    memcpy(counts + ix->n_audiences, out->topic_counts, ix->n_topics * sizeof *counts);
    char *k = xmalloc(key->len + 1);
    memcpy(k, key->data, key->len);
    pthread_mutex_lock(&ix->fts_lock);
    size_t freed = slot->key ? slot->bytes : 0;
    if (ix->answer_bytes - freed + bytes <= ANSWER_BUDGET) {
        free(slot->key);
        free(slot->list);
        free(slot->counts);
        ix->answer_bytes = ix->answer_bytes - freed + bytes;
        slot->key = k;
        slot->key_len = key->len;
        slot->list = list;
        slot->n = n;
        slot->counts = counts;
        slot->bytes = bytes;
        k = NULL;
        list = NULL;
        counts = NULL;
    }
    pthread_mutex_unlock(&ix->fts_lock);
    free(k);
    free(list);
    free(counts);
}

int store_search(struct store_index *ix, const struct store_search *q,
                 struct store_results *out)
{
    int rc = -1;
    memset(out, 0, sizeof *out);
    out->audience_counts = xcalloc(ix->n_audiences + 1, sizeof *out->audience_counts);
    out->topic_counts = xcalloc(ix->n_topics + 1, sizeof *out->topic_counts);
    out->items = xcalloc(q->limit + 1, sizeof *out->items);
    struct search_state s = {
        .ix = ix,
        .q = q,
        .out = out,
        .aud_mask = mask_new(q->audiences, q->n_audiences, ix->aud_words),
        .topic_mask = mask_new(q->topics, q->n_topics, ix->topic_words),
    };
    /* The same search and filters on another page, or asked again, is
     * answered from memory: paging costs nothing. */
    struct buf key = BUF_INIT;
    answer_key(&key, q, s.aud_mask, ix->aud_words, s.topic_mask, ix->topic_words);
    if (answer_recall(ix, &key, q, out)) {
        rc = 0;
        goto out;
    }
    s.cap_all = 64;
    s.all = xmalloc(s.cap_all * sizeof *s.all);
    if (!q->fts) {
        for (size_t i = 0; i < ix->n_orgs; i++)
            consider(&s, &ix->orgs[i]);
    } else {
        size_t n = 0;
        uint32_t *hits = NULL;
        if (fts_matches(ix, q->fts, &hits, &n) != 0)
            goto out;
        for (size_t i = 0; i < n; i++)
            consider(&s, &ix->orgs[hits[i]]);
        free(hits);
    }
    answer_keep(ix, &key, out, s.all, s.n_all);
    s.all = NULL;
    rc = 0;
out:
    free(s.all);
    buf_reset(&key);
    free(s.aud_mask);
    free(s.topic_mask);
    if (rc != 0)
        store_results_reset(out);
    return rc;
}

void store_results_reset(struct store_results *r)
{
    free(r->audience_counts);
    free(r->topic_counts);
    free(r->items);
    memset(r, 0, sizeof *r);
}

/* ---- one organisation ---------------------------------------------------- */

/* Runs st (already bound) and collects column 0 of each row as a
 * NULL-terminated list. Returns NULL on error. */
static char **collect_slugs(struct conn *c, sqlite3_stmt *st)
{
    size_t n = 0, cap = 8;
    char **list = xmalloc(cap * sizeof *list);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n + 1 >= cap) {
            cap *= 2;
            list = xrealloc(list, cap * sizeof *list);
        }
        list[n++] = col_text_or_empty(st, 0);
    }
    list[n] = NULL;
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading slugs");
        for (size_t i = 0; i < n; i++)
            free(list[i]);
        free(list);
        return NULL;
    }
    return list;
}

static char **slugs_for(struct conn *c, enum stmt_id id, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, id);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    return collect_slugs(c, st);
}

static void slugs_free(char **list)
{
    if (!list)
        return;
    for (char **p = list; *p; p++)
        free(*p);
    free(list);
}

int store_org_get(const char *slug, struct store_org_detail *d)
{
    return store_org_get_any(slug, false, d);
}

int store_org_get_any(const char *slug, bool archived_too, struct store_org_detail *d)
{
    memset(d, 0, sizeof *d);
    struct conn *c = conn_get();
    sqlite3_stmt *st = c ? stmt(c, ST_ORG_BY_SLUG) : NULL;
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, archived_too);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        stmt_done(st);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        log_db_error(c->db, "loading an organisation");
        stmt_done(st);
        return -1;
    }
    int64_t pk = sqlite3_column_int64(st, 0);
    d->id = col_text(st, 1);
    d->slug = col_text(st, 2);
    d->name = col_text(st, 3);
    d->summary = col_text_or_empty(st, 4);
    d->description = col_text_or_empty(st, 5);
    d->website = col_text(st, 6);
    d->kind = col_text(st, 7);
    d->coverage = col_text(st, 8);
    d->last_reviewed = col_text(st, 9);
    d->source = col_text_or_empty(st, 10);
    d->updated_at = col_text(st, 11);
    d->archived_at = col_text(st, 12);
    d->created_at = col_text(st, 13);
    d->reviewed_by = col_text(st, 14);
    stmt_done(st);

    int result = -1;
    d->audiences = slugs_for(c, ST_ORG_AUDIENCE_SLUGS, pk);
    d->topics = slugs_for(c, ST_ORG_TOPIC_SLUGS, pk);
    if (!d->audiences || !d->topics)
        goto out;

    if (!(st = stmt(c, ST_ORG_CONTACTS)))
        goto out;
    sqlite3_bind_int64(st, 1, pk);
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (d->n_contacts == cap) {
            cap = cap ? cap * 2 : 4;
            d->contacts = xrealloc(d->contacts, cap * sizeof *d->contacts);
        }
        struct store_contact *ct = &d->contacts[d->n_contacts++];
        ct->kind = col_text(st, 0);
        ct->label = col_text_or_empty(st, 1);
        ct->value = col_text_or_empty(st, 2);
        ct->hours = col_text(st, 3);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading contacts");
        goto out;
    }

    if (!(st = stmt(c, ST_ORG_RESOURCES)))
        goto out;
    sqlite3_bind_int64(st, 1, pk);
    cap = 0;
    size_t n_pks = 0;
    int64_t *pks = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (d->n_resources == cap) {
            cap = cap ? cap * 2 : 4;
            d->resources = xrealloc(d->resources, cap * sizeof *d->resources);
            pks = xrealloc(pks, cap * sizeof *pks);
        }
        pks[n_pks++] = sqlite3_column_int64(st, 0);
        struct store_resource *r = &d->resources[d->n_resources++];
        memset(r, 0, sizeof *r);
        r->id = col_text(st, 1);
        r->slug = col_text(st, 2);
        r->name = col_text(st, 3);
        r->type = col_text(st, 4);
        r->url = col_text(st, 5);
        r->summary = col_text_or_empty(st, 6);
        r->age_min = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 7);
        r->age_max = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 8);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading resources");
        free(pks);
        goto out;
    }
    result = 1;
    for (size_t i = 0; i < n_pks; i++) {
        d->resources[i].audiences = slugs_for(c, ST_RES_AUDIENCE_SLUGS, pks[i]);
        d->resources[i].topics = slugs_for(c, ST_RES_TOPIC_SLUGS, pks[i]);
        if (!d->resources[i].audiences || !d->resources[i].topics)
            result = -1;
    }
    free(pks);
out:
    if (result != 1)
        store_org_detail_reset(d);
    return result;
}

void store_org_detail_reset(struct store_org_detail *d)
{
    free(d->id);
    free(d->slug);
    free(d->name);
    free(d->summary);
    free(d->description);
    free(d->website);
    free(d->kind);
    free(d->coverage);
    free(d->last_reviewed);
    free(d->source);
    free(d->updated_at);
    free(d->archived_at);
    free(d->created_at);
    free(d->reviewed_by);
    slugs_free(d->audiences);
    slugs_free(d->topics);
    for (size_t i = 0; i < d->n_contacts; i++) {
        free(d->contacts[i].kind);
        free(d->contacts[i].label);
        free(d->contacts[i].value);
        free(d->contacts[i].hours);
    }
    free(d->contacts);
    for (size_t i = 0; i < d->n_resources; i++) {
        struct store_resource *r = &d->resources[i];
        free(r->id);
        free(r->slug);
        free(r->name);
        free(r->type);
        free(r->url);
        free(r->summary);
        slugs_free(r->audiences);
        slugs_free(r->topics);
    }
    free(d->resources);
    memset(d, 0, sizeof *d);
}

/* ---- urgent help --------------------------------------------------------- */

int store_help_list(struct store_help **out)
{
    struct conn *c = conn_get();
    sqlite3_stmt *st = c ? stmt(c, ST_HELP) : NULL;
    if (!st)
        return -1;
    int n = 0, cap = 8, rc;
    struct store_help *list = xcalloc((size_t)cap, sizeof *list);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap *= 2;
            list = xrealloc(list, (size_t)cap * sizeof *list);
        }
        struct store_help *h = &list[n++];
        h->label = col_text_or_empty(st, 0);
        h->description = col_text_or_empty(st, 1);
        h->kind = col_text_or_empty(st, 2);
        h->value = col_text_or_empty(st, 3);
        h->hours = col_text(st, 4);
        h->org_slug = col_text(st, 5);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading help channels");
        store_help_free(list, n);
        return -1;
    }
    *out = list;
    return n;
}

void store_help_free(struct store_help *list, int n)
{
    for (int i = 0; i < n; i++) {
        free(list[i].label);
        free(list[i].description);
        free(list[i].kind);
        free(list[i].value);
        free(list[i].hours);
        free(list[i].org_slug);
    }
    free(list);
}

/* ---- the Open Referral UK feed ------------------------------------------- */

/* Steps st to the end, collecting each row as an object keyed by column
 * name. Returns 0 with *rows set, or -1. */
static int rows_json(struct conn *c, sqlite3_stmt *st, json_t **rows)
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

static int count_of(struct conn *c, sqlite3_stmt *st, size_t *total)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *total = (size_t)sqlite3_column_int64(st, 0);
    stmt_done(st);
    if (rc != SQLITE_ROW) {
        log_db_error(c->db, "counting");
        return -1;
    }
    return 0;
}

static void bind_service_filter(sqlite3_stmt *st, const struct store_service_filter *f,
                                char *like)
{
    if (like)
        sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
    if (f->audience_pk)
        sqlite3_bind_int64(st, 2, f->audience_pk);
    if (f->topic_pk)
        sqlite3_bind_int64(st, 3, f->topic_pk);
    if (f->taxonomy)
        sqlite3_bind_text(st, 4, f->taxonomy, -1, SQLITE_STATIC);
    if (f->age_from >= 0)
        sqlite3_bind_int64(st, 5, f->age_from);
    if (f->age_to >= 0)
        sqlite3_bind_int64(st, 6, f->age_to);
    if (f->modified_after)
        sqlite3_bind_text(st, 7, f->modified_after, -1, SQLITE_STATIC);
    if (f->org_id)
        sqlite3_bind_text(st, 8, f->org_id, -1, SQLITE_STATIC);
}

/* "%word%" with LIKE's wildcards escaped, or NULL for no search. */
static char *like_pattern(const char *s)
{
    if (!s || !*s)
        return NULL;
    size_t n = strlen(s);
    char *p = xmalloc(2 * n + 3), *d = p;
    *d++ = '%';
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            *d++ = '\\';
        *d++ = *s;
    }
    *d++ = '%';
    *d = '\0';
    return p;
}

int store_services(const struct store_service_filter *f, json_t **rows, size_t *total)
{
    struct conn *c = conn_get();
    sqlite3_stmt *count = c ? stmt(c, ST_SERVICES_COUNT) : NULL;
    sqlite3_stmt *list = c ? stmt(c, ST_SERVICES) : NULL;
    if (!count || !list)
        return -1;
    char *like = like_pattern(f->search);
    bind_service_filter(count, f, like);
    int rc = count_of(c, count, total);
    if (rc == 0) {
        bind_service_filter(list, f, like);
        sqlite3_bind_int64(list, 9, (sqlite3_int64)f->limit);
        sqlite3_bind_int64(list, 10, (sqlite3_int64)f->offset);
        rc = rows_json(c, list, rows);
    }
    free(like);
    return rc;
}

/* Runs a one-text-parameter statement expected to give at most one row. */
static int get_one(enum stmt_id id, const char *arg, json_t **row)
{
    struct conn *c = conn_get();
    sqlite3_stmt *st = c ? stmt(c, id) : NULL;
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    json_t *rows;
    if (rows_json(c, st, &rows) != 0)
        return -1;
    if (json_array_size(rows) == 0) {
        json_decref(rows);
        return 0;
    }
    *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return 1;
}

int store_service_get(const char *id, json_t **row)
{
    return get_one(ST_SERVICE_GET, id, row);
}

int store_organization_get(const char *id, json_t **row)
{
    return get_one(ST_ORGANIZATION_GET, id, row);
}

static int rows_for_pk(enum stmt_id id, int64_t pk, json_t **rows)
{
    struct conn *c = conn_get();
    sqlite3_stmt *st = c ? stmt(c, id) : NULL;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, pk);
    return rows_json(c, st, rows);
}

int store_resource_terms(int64_t resource_pk, json_t **rows)
{
    return rows_for_pk(ST_RESOURCE_TERMS, resource_pk, rows);
}

int store_contacts(int64_t org_pk, json_t **rows)
{
    return rows_for_pk(ST_CONTACTS, org_pk, rows);
}

int store_organizations(size_t offset, size_t limit, json_t **rows, size_t *total)
{
    struct conn *c = conn_get();
    sqlite3_stmt *count = c ? stmt(c, ST_ORGANIZATIONS_COUNT) : NULL;
    sqlite3_stmt *list = c ? stmt(c, ST_ORGANIZATIONS) : NULL;
    if (!count || !list || count_of(c, count, total) != 0)
        return -1;
    sqlite3_bind_int64(list, 1, (sqlite3_int64)limit);
    sqlite3_bind_int64(list, 2, (sqlite3_int64)offset);
    return rows_json(c, list, rows);
}

/* ---- writes -------------------------------------------------------------- *
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
static int sql_run(const char *sql, const char *fmt, ...)
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
static int sql_rows(json_t **rows, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sql_rows_v(rows, sql, fmt, ap);
    va_end(ap);
    return rc;
}

/* Runs sql for one row: 1 with *row (a new reference), 0 when there is
 * none, -1 on error. */
static int sql_row(json_t **row, const char *sql, const char *fmt, ...)
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

char *store_uuid_new(void)
{
    json_t *rows;
    char *id = NULL;
    /* SQLite's randomness is a CSPRNG seeded from the OS. */
    if (sql_rows(&rows, "SELECT lower(hex(randomblob(16))) AS h", "") != 0)
        return NULL;
    const char *h = json_string_value(json_object_get(json_array_get(rows, 0), "h"));
    if (h && strlen(h) == 32) {
        char u[37];
        char v = "89ab"[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
        snprintf(u, sizeof u, "%.8s-%.4s-4%.3s-%c%.3s-%.12s", h, h + 8, h + 13, v, h + 17,
                 h + 20);
        id = xstrdup(u);
    }
    json_decref(rows);
    return id;
}

/* Replaces the organisation's contacts and taxonomy links. */
static int org_children(int64_t pk, const struct store_org_in *in)
{
    if (sql_run("DELETE FROM contact WHERE org_pk = ?", "i", pk) < 0 ||
        sql_run("DELETE FROM org_audience WHERE org_pk = ?", "i", pk) < 0 ||
        sql_run("DELETE FROM org_topic WHERE org_pk = ?", "i", pk) < 0)
        return -1;
    for (size_t i = 0; i < in->n_contacts; i++) {
        const struct store_contact *ct = &in->contacts[i];
        if (sql_run("INSERT INTO contact (org_pk, position, kind, label, value, hours)"
                    " VALUES (?, ?, ?, ?, ?, ?)", "iitttt", pk, (int64_t)i, ct->kind,
                    ct->label, ct->value, ct->hours) < 0)
            return -1;
    }
    for (char **s = in->audiences; s && *s; s++)
        if (sql_run("INSERT OR IGNORE INTO org_audience (org_pk, audience_pk)"
                    " SELECT ?, pk FROM audience WHERE slug = ?", "it", pk, *s) < 0)
            return -1;
    for (char **s = in->topics; s && *s; s++)
        if (sql_run("INSERT OR IGNORE INTO org_topic (org_pk, topic_pk)"
                    " SELECT ?, pk FROM topic WHERE slug = ?", "it", pk, *s) < 0)
            return -1;
    return 0;
}

static int64_t org_pk_of(const char *id)
{
    json_t *rows;
    int64_t pk = 0;
    if (sql_rows(&rows, "SELECT pk FROM organisation WHERE id = ?", "t", id) == 0) {
        pk = json_integer_value(json_object_get(json_array_get(rows, 0), "pk"));
        json_decref(rows);
    }
    return pk;
}

int store_org_insert(const struct store_org_in *in)
{
    int rc = sql_run("INSERT INTO organisation (id, slug, name, summary, description, website,"
                     " kind, coverage, source, last_reviewed, reviewed_by, created_at,"
                     " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                     " coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
                     " coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
                     "ttttttttttttt", in->id, in->slug, in->name, in->summary ? in->summary : "",
                     in->description ? in->description : "", in->website, in->kind,
                     in->coverage, in->source, in->last_reviewed, in->reviewed_by,
                     in->created_at, in->updated_at);
    if (rc < 0)
        return rc == -2 ? STORE_CONFLICT : STORE_ERROR;
    int64_t pk = org_pk_of(in->id);
    return pk && org_children(pk, in) == 0 ? STORE_OK : STORE_ERROR;
}

int store_org_update(const char *id, const struct store_org_in *in)
{
    int rc = sql_run("UPDATE organisation SET slug = ?, name = ?, summary = ?, description = ?,"
                     " website = ?, kind = ?, coverage = ?, source = ?,"
                     " updated_at = coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
                     " revision = revision + 1 WHERE id = ?",
                     "tttttttttt", in->slug, in->name, in->summary ? in->summary : "",
                     in->description ? in->description : "", in->website, in->kind,
                     in->coverage, in->source, in->updated_at, id);
    if (rc == -2)
        return STORE_CONFLICT;
    if (rc < 0)
        return STORE_ERROR;
    if (rc == 0)
        return STORE_NOT_FOUND;
    return org_children(org_pk_of(id), in) == 0 ? STORE_OK : STORE_ERROR;
}

int store_org_set_archived(const char *id, bool archived)
{
    int rc = sql_run(archived
                         ? "UPDATE organisation SET archived_at = strftime('%Y-%m-%dT%H:%M:%SZ',"
                           " 'now'), updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                           " WHERE id = ? AND archived_at IS NULL"
                         : "UPDATE organisation SET archived_at = NULL,"
                           " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                           " WHERE id = ? AND archived_at IS NOT NULL",
                     "t", id);
    return rc < 0 ? STORE_ERROR : rc == 0 ? STORE_NOT_FOUND : STORE_OK;
}

int store_org_mark_reviewed(const char *id, const char *by)
{
    int rc = sql_run("UPDATE organisation SET last_reviewed = strftime('%Y-%m-%d', 'now'),"
                     " reviewed_by = ? WHERE id = ? AND archived_at IS NULL", "tt", by, id);
    return rc < 0 ? STORE_ERROR : rc == 0 ? STORE_NOT_FOUND : STORE_OK;
}

int store_revision_add(const char *entity, const char *entity_id, const char *action,
                       const char *actor, const char *before, const char *after, int *n)
{
    if (sql_run("INSERT INTO revision (entity, entity_id, n, action, actor, before, after)"
                " SELECT ?1, ?2, coalesce(max(n), 0) + 1, ?3, ?4, ?5, ?6 FROM revision"
                " WHERE entity = ?1 AND entity_id = ?2",
                "tttttt", entity, entity_id, action, actor, before, after) < 0)
        return STORE_ERROR;
    json_t *rows;
    if (n && sql_rows(&rows, "SELECT max(n) AS n FROM revision WHERE entity = ? AND"
                             " entity_id = ?", "tt", entity, entity_id) == 0) {
        *n = (int)json_integer_value(json_object_get(json_array_get(rows, 0), "n"));
        json_decref(rows);
    }
    return STORE_OK;
}

int store_revisions(const char *entity, const char *entity_id, json_t **rows)
{
    return sql_rows(rows, "SELECT n, action, actor, at, before, after FROM revision"
                          " WHERE entity = ? AND entity_id = ? ORDER BY n", "tt",
                    entity, entity_id);
}

int store_revision_get(const char *entity, const char *entity_id, int n, json_t **row)
{
    return sql_row(row, "SELECT n, action, actor, at, before, after FROM revision"
                        " WHERE entity = ? AND entity_id = ? AND n = ?", "tti",
                 entity, entity_id, (int64_t)n);
}

int store_archived_orgs(json_t **rows)
{
    return sql_rows(rows, "SELECT id, slug, name, archived_at FROM organisation"
                          " WHERE archived_at IS NOT NULL ORDER BY archived_at DESC, name", "");
}

int store_review_queue(int months, json_t **rows)
{
    return sql_rows(rows, "SELECT id, slug, name, last_reviewed, reviewed_by FROM organisation"
                          " WHERE archived_at IS NULL AND (last_reviewed IS NULL OR"
                          " last_reviewed < date('now', printf('-%d months', ?)))"
                          " ORDER BY last_reviewed IS NOT NULL, last_reviewed, name", "i",
                    (int64_t)months);
}

int store_all_org_slugs(json_t **rows)
{
    return sql_rows(rows, "SELECT slug FROM organisation ORDER BY id", "");
}

/* ---- tokens -------------------------------------------------------------- */

int store_token_add(const char *name, const char *role, const char *hash)
{
    int rc = sql_run("INSERT INTO token (name, role, hash) VALUES (?, ?, ?)", "ttt", name,
                     role, hash);
    return rc == -2 ? STORE_CONFLICT : rc < 0 ? STORE_ERROR : STORE_OK;
}

int store_token_list(json_t **rows)
{
    return sql_rows(rows, "SELECT name, role, created_at, revoked_at FROM token ORDER BY name",
                    "");
}

int store_token_revoke(const char *name)
{
    int rc = sql_run("UPDATE token SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                     " WHERE name = ? AND revoked_at IS NULL", "t", name);
    return rc < 0 ? STORE_ERROR : rc == 0 ? STORE_NOT_FOUND : STORE_OK;
}

int store_token_find(const char *hash, json_t **row)
{
    return sql_row(row, "SELECT name, role, hash FROM token WHERE hash = ?"
                        " AND revoked_at IS NULL", "t", hash);
}

/* ---- reports from the public --------------------------------------------- */

int store_report_add(const char *org_slug, const char *what, const char *details)
{
    int rc = sql_run("INSERT INTO report (org_pk, what, details) SELECT pk, ?, ?"
                     " FROM organisation WHERE slug = ? AND archived_at IS NULL", "ttt",
                     what, details, org_slug);
    return rc < 0 ? STORE_ERROR : rc == 0 ? STORE_NOT_FOUND : STORE_OK;
}

int store_reports(bool open_only, json_t **rows)
{
    return sql_rows(rows, "SELECT r.pk AS id, o.slug AS organisation, r.what, r.details,"
                          " r.created_at, r.closed_at, r.closed_by FROM report r"
                          " JOIN organisation o ON o.pk = r.org_pk"
                          " WHERE NOT ? OR r.closed_at IS NULL ORDER BY r.created_at, r.pk",
                    "b", (int)open_only);
}

int store_report_close(int64_t id, const char *by)
{
    int rc = sql_run("UPDATE report SET closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
                     " closed_by = ? WHERE pk = ? AND closed_at IS NULL", "ti", by, id);
    return rc < 0 ? STORE_ERROR : rc == 0 ? STORE_NOT_FOUND : STORE_OK;
}

/* ---- backup -------------------------------------------------------------- */

int store_backup(const char *path)
{
    int rc = -1;
    sqlite3 *dst = NULL;
    struct conn *c = conn_get();
    if (!c)
        return -1;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        log_db_error(dst, "opening the backup file");
        goto out;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db, "main");
    if (!b) {
        log_db_error(dst, "starting the backup");
        goto out;
    }
    /* Copy in steps so a busy writer is never blocked for long; a write
     * in between restarts the copy from the source's new state. */
    int step;
    do {
        step = sqlite3_backup_step(b, 256);
        if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) {
        log_db_error(dst, "copying");
        goto out;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW &&
        strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0)
        rc = 0;
    else
        fprintf(stderr, "signpost: the backup copy fails its integrity check\n");
    sqlite3_finalize(st);
out:
    sqlite3_close(dst);
    if (rc == 0) {
        /* The copy is a rollback-journal database: make it durable. */
        int fd = open(path, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0)
            rc = -1;
        if (fd >= 0)
            close(fd);
    }
    return rc;
}

/* ---- bulk exchange ------------------------------------------------------- */

int store_dump_taxonomy(json_t **audiences, json_t **topics)
{
    if (sql_rows(audiences, "SELECT id, slug, label, description, position FROM audience"
                            " ORDER BY position, slug", "") != 0)
        return -1;
    if (sql_rows(topics, "SELECT t.id, t.slug, t.label, t.description, p.slug AS parent,"
                         " t.position, t.source, t.guidance_md FROM topic t"
                         " LEFT JOIN topic p ON p.pk = t.parent_pk ORDER BY t.position, t.slug",
                 "") != 0) {
        json_decref(*audiences);
        return -1;
    }
    return 0;
}

int store_dump_orgs(json_t **rows)
{
    return sql_rows(rows, "SELECT pk, id, slug, name, summary, description, website, kind,"
                          " coverage, source, last_reviewed, reviewed_by, created_at, updated_at,"
                          " archived_at FROM organisation ORDER BY slug", "");
}

int store_dump_resources(int64_t org_pk, json_t **rows)
{
    return sql_rows(rows, "SELECT r.pk, r.id, r.slug, r.name, r.type, r.url, r.summary,"
                          " r.age_min, r.age_max, r.source, r.created_at, r.updated_at,"
                          " r.archived_at,"
                          " (SELECT json_group_array(slug) FROM (SELECT a.slug FROM"
                          "   resource_audience x JOIN audience a ON a.pk = x.audience_pk"
                          "   WHERE x.resource_pk = r.pk ORDER BY a.position, a.slug)) AS audiences,"
                          " (SELECT json_group_array(slug) FROM (SELECT t.slug FROM"
                          "   resource_topic x JOIN topic t ON t.pk = x.topic_pk"
                          "   WHERE x.resource_pk = r.pk ORDER BY t.position, t.slug)) AS topics"
                          " FROM resource r WHERE r.org_pk = ? ORDER BY r.position, r.slug",
                    "i", org_pk);
}

int store_org_set_state(const char *id, const char *last_reviewed, const char *reviewed_by,
                        const char *archived_at, const char *updated_at)
{
    return sql_run("UPDATE organisation SET last_reviewed = ?, reviewed_by = ?,"
                   " archived_at = ?, updated_at = coalesce(?, updated_at) WHERE id = ?",
                   "ttttt", last_reviewed, reviewed_by, archived_at, updated_at, id) < 0
               ? STORE_ERROR : STORE_OK;
}

int store_audience_upsert(const char *id, const char *slug, const char *label,
                          const char *description, int64_t position)
{
    int rc = sql_run("INSERT INTO audience (id, slug, label, description, position)"
                     " VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 IS NULL THEN"
                     " (SELECT coalesce(max(position), 0) + 1 FROM audience) ELSE ?5 END)"
                     " ON CONFLICT(id) DO UPDATE SET slug = ?2, label = ?3, description = ?4,"
                     " position = CASE WHEN ?5 IS NULL THEN position ELSE ?5 END",
                     "ttttK", id, slug, label, description ? description : "", position);
    return rc == -2 ? STORE_CONFLICT : rc < 0 ? STORE_ERROR : STORE_OK;
}

int store_topic_upsert(const char *id, const char *slug, const char *label,
                       const char *description, const char *parent_slug, int64_t position,
                       const char *source, const char *guidance_md)
{
    int rc = sql_run("INSERT INTO topic (id, slug, label, description, parent_pk, position,"
                     " source, guidance_md) VALUES (?1, ?2, ?3, ?4,"
                     " (SELECT pk FROM topic WHERE slug = ?5), CASE WHEN ?6 IS NULL THEN"
                     " (SELECT coalesce(max(position), 0) + 1 FROM topic) ELSE ?6 END, ?7, ?8)"
                     " ON CONFLICT(id) DO UPDATE SET slug = ?2, label = ?3, description = ?4,"
                     " parent_pk = (SELECT pk FROM topic WHERE slug = ?5),"
                     " position = CASE WHEN ?6 IS NULL THEN position ELSE ?6 END,"
                     " source = ?7, guidance_md = ?8",
                     "ttttt" "Ktt", id, slug, label, description ? description : "",
                     parent_slug, position, source ? source : "", guidance_md ? guidance_md : "");
    return rc == -2 ? STORE_CONFLICT : rc < 0 ? STORE_ERROR : STORE_OK;
}

int store_resource_upsert(const char *org_id, const struct store_resource_in *in,
                          int64_t position)
{
    int rc = sql_run("INSERT INTO resource (id, slug, org_pk, position, name, type, url,"
                     " summary, age_min, age_max, source, created_at, updated_at, archived_at)"
                     " VALUES (?1, ?2, (SELECT pk FROM organisation WHERE id = ?3), ?4, ?5, ?6,"
                     " ?7, ?8, ?9, ?10, ?11,"
                     " coalesce(?12, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
                     " coalesce(?13, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), ?14)"
                     " ON CONFLICT(id) DO UPDATE SET slug = ?2, org_pk = (SELECT pk FROM"
                     " organisation WHERE id = ?3), position = ?4, name = ?5, type = ?6,"
                     " url = ?7, summary = ?8, age_min = ?9, age_max = ?10, source = ?11,"
                     " updated_at = coalesce(?13, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
                     " archived_at = ?14",
                     "tttItttt" "NNtttt", in->id, in->slug, org_id, position, in->name, in->type,
                     in->url, in->summary ? in->summary : "", (int64_t)in->age_min,
                     (int64_t)in->age_max, in->source, in->created_at, in->updated_at,
                     in->archived_at);
    if (rc == -2)
        return STORE_CONFLICT;
    if (rc < 0)
        return STORE_ERROR;
    if (sql_run("DELETE FROM resource_audience WHERE resource_pk ="
                " (SELECT pk FROM resource WHERE id = ?)", "t", in->id) < 0 ||
        sql_run("DELETE FROM resource_topic WHERE resource_pk ="
                " (SELECT pk FROM resource WHERE id = ?)", "t", in->id) < 0)
        return STORE_ERROR;
    for (char **s = in->audiences; s && *s; s++)
        if (sql_run("INSERT OR IGNORE INTO resource_audience (resource_pk, audience_pk)"
                    " SELECT r.pk, a.pk FROM resource r, audience a WHERE r.id = ? AND"
                    " a.slug = ?", "tt", in->id, *s) < 0)
            return STORE_ERROR;
    for (char **s = in->topics; s && *s; s++)
        if (sql_run("INSERT OR IGNORE INTO resource_topic (resource_pk, topic_pk)"
                    " SELECT r.pk, t.pk FROM resource r, topic t WHERE r.id = ? AND"
                    " t.slug = ?", "tt", in->id, *s) < 0)
            return STORE_ERROR;
    return STORE_OK;
}

int store_org_exists(const char *id)
{
    json_t *row = NULL;
    int found = sql_row(&row, "SELECT 1 AS x FROM organisation WHERE id = ?", "t", id);
    json_decref(row);
    return found;
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

/* ---- single resources and taxonomy terms --------------------------------- */

void store_lists_from_text(json_t *row)
{
    static const char *const lists[] = {"audiences", "topics"};
    for (int k = 0; k < 2; k++) {
        const char *t = json_string_value(json_object_get(row, lists[k]));
        json_t *v = t ? json_loads(t, 0, NULL) : NULL;
        json_object_set_new(row, lists[k], json_is_array(v) ? v : json_array());
        if (v && !json_is_array(v))
            json_decref(v);
    }
}

int store_resource_get(const char *slug, bool archived_too, json_t **row)
{
    int found = sql_row(row, "SELECT r.pk, r.id, r.slug, o.slug AS organisation, o.id AS org_id,"
                        " r.name, r.type, r.url, r.summary, r.age_min, r.age_max, r.source,"
                        " r.created_at, r.updated_at, r.archived_at,"
                        " (SELECT json_group_array(slug) FROM (SELECT a.slug FROM"
                        "   resource_audience x JOIN audience a ON a.pk = x.audience_pk"
                        "   WHERE x.resource_pk = r.pk ORDER BY a.position, a.label)) AS audiences,"
                        " (SELECT json_group_array(slug) FROM (SELECT t.slug FROM"
                        "   resource_topic x JOIN topic t ON t.pk = x.topic_pk"
                        "   WHERE x.resource_pk = r.pk ORDER BY t.position, t.label)) AS topics"
                        " FROM resource r JOIN organisation o ON o.pk = r.org_pk"
                        " WHERE r.slug = ? AND (? OR (r.archived_at IS NULL AND"
                        " o.archived_at IS NULL))", "tb", slug, (int)archived_too);
    if (found == 1)
        store_lists_from_text(*row);
    return found;
}

int store_resource_set_archived(const char *id, bool archived)
{
    int rc = sql_run(archived
                         ? "UPDATE resource SET archived_at = strftime('%Y-%m-%dT%H:%M:%SZ',"
                           " 'now'), updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                           " WHERE id = ? AND archived_at IS NULL"
                         : "UPDATE resource SET archived_at = NULL,"
                           " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                           " WHERE id = ? AND archived_at IS NOT NULL",
                     "t", id);
    return rc < 0 ? STORE_ERROR : rc == 0 ? STORE_NOT_FOUND : STORE_OK;
}

int store_resource_next_position(const char *org_id)
{
    json_t *rows;
    int n = 0;
    if (sql_rows(&rows, "SELECT coalesce(max(position), -1) + 1 AS n FROM resource"
                        " WHERE org_pk = (SELECT pk FROM organisation WHERE id = ?)", "t",
                 org_id) == 0) {
        n = (int)json_integer_value(json_object_get(json_array_get(rows, 0), "n"));
        json_decref(rows);
    }
    return n;
}

int store_term_get(bool topic, const char *slug, json_t **row)
{
    return topic ? sql_row(row, "SELECT t.id, t.slug, t.label, t.description,"
                                " p.slug AS parent, t.position, t.source, t.guidance_md"
                                " FROM topic t LEFT JOIN topic p ON p.pk = t.parent_pk"
                                " WHERE t.slug = ?", "t", slug)
                 : sql_row(row, "SELECT id, slug, label, description, position"
                                " FROM audience WHERE slug = ?", "t", slug);
}

int store_term_delete(bool topic, const char *id)
{
    json_t *rows;
    /* In use anywhere, or the parent of another topic: refuse. */
    if (sql_rows(&rows, topic
                            ? "SELECT (SELECT count(*) FROM org_topic WHERE topic_pk = t.pk) +"
                              " (SELECT count(*) FROM resource_topic WHERE topic_pk = t.pk) +"
                              " (SELECT count(*) FROM topic c WHERE c.parent_pk = t.pk) AS n"
                              " FROM topic t WHERE t.id = ?"
                            : "SELECT (SELECT count(*) FROM org_audience WHERE audience_pk = a.pk) +"
                              " (SELECT count(*) FROM resource_audience WHERE audience_pk = a.pk)"
                              " AS n FROM audience a WHERE a.id = ?",
                 "t", id) != 0)
        return STORE_ERROR;
    json_int_t used = json_integer_value(json_object_get(json_array_get(rows, 0), "n"));
    size_t found = json_array_size(rows);
    json_decref(rows);
    if (!found)
        return STORE_NOT_FOUND;
    if (used)
        return STORE_CONFLICT;
    return sql_run(topic ? "DELETE FROM topic WHERE id = ?" : "DELETE FROM audience WHERE id = ?",
                   "t", id) < 0 ? STORE_ERROR : STORE_OK;
}

int store_resource_get_by_id(const char *id, json_t **row)
{
    return sql_row(row, "SELECT r.position, o.id AS org_id FROM resource r JOIN organisation o"
                        " ON o.pk = r.org_pk WHERE r.id = ?", "t", id);
}

int store_term_archived(bool topic, const char *slug, json_t **row)
{
    json_t *rev = NULL;
    int found = sql_row(&rev, "SELECT before FROM revision WHERE entity = ? AND action = 'archive'"
                              " AND json_extract(before, '$.slug') = ? ORDER BY pk DESC LIMIT 1",
                        "tt", topic ? "topic" : "audience", slug);
    if (found != 1)
        return found;
    json_t *doc = json_loads(json_string_value(json_object_get(rev, "before")) ?: "", 0, NULL);
    json_decref(rev);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return 0;
    }
    *row = doc;
    return 1;
}
