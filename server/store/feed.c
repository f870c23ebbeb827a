/* feed.c: the reads behind the Open Referral UK feed: services (public
 * resources) with every filter in one prepared statement, their terms,
 * organisations and their contacts. Rows come back as JSON objects keyed
 * by column name; the mapping to HSDS lives in oruk.c. */
#include "store/store_int.h"
#include "lib/util.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

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

static const char *const feed_sql[ST_COUNT] = {
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
};

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
    sqlite3_stmt *count = c ? stmt(c, ST_SERVICES_COUNT, feed_sql) : NULL;
    sqlite3_stmt *list = c ? stmt(c, ST_SERVICES, feed_sql) : NULL;
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
    sqlite3_stmt *st = c ? stmt(c, id, feed_sql) : NULL;
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
    sqlite3_stmt *st = c ? stmt(c, id, feed_sql) : NULL;
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
    sqlite3_stmt *count = c ? stmt(c, ST_ORGANIZATIONS_COUNT, feed_sql) : NULL;
    sqlite3_stmt *list = c ? stmt(c, ST_ORGANIZATIONS, feed_sql) : NULL;
    if (!count || !list || count_of(c, count, total) != 0)
        return -1;
    sqlite3_bind_int64(list, 1, (sqlite3_int64)limit);
    sqlite3_bind_int64(list, 2, (sqlite3_int64)offset);
    return rows_json(c, list, rows);
}
