/* write.c: the curators' writes to organisations (insert, update with
 * their contacts and taxonomy links, archive, mark reviewed), revisions,
 * and the curators' lists (archived, the review queue, every slug). The
 * writes run inside the caller's store_begin / store_commit (db.c). */
#include "store/store_int.h"
#include "lib/util.h"

#include <stdio.h>
#include <string.h>

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
    return terms_replace(false, pk, in->search_terms) == STORE_OK ? 0 : -1;
}

int terms_replace(bool topic, int64_t pk, char **terms)
{
    if (!terms)
        return STORE_OK;
    const char *del = topic ? "DELETE FROM search_term WHERE topic_pk = ?"
                            : "DELETE FROM search_term WHERE org_pk = ?";
    const char *ins = topic ? "INSERT OR IGNORE INTO search_term (term, topic_pk, position)"
                              " VALUES (?, ?, ?)"
                            : "INSERT OR IGNORE INTO search_term (term, org_pk, position)"
                              " VALUES (?, ?, ?)";
    if (sql_run(del, "i", pk) < 0)
        return STORE_ERROR;
    for (size_t i = 0; terms[i]; i++)
        if (sql_run(ins, "tii", terms[i], pk, (int64_t)i) < 0)
            return STORE_ERROR;
    /* The search index reads the terms: the record's row, once (a topic's
     * organisations are found through their tags). */
    if (sql_run(topic ? "DELETE FROM topic_fts WHERE rowid = ?" : "DELETE FROM org_fts WHERE rowid = ?",
                "i", pk) < 0)
        return STORE_ERROR;
    return sql_run(topic ? "INSERT INTO topic_fts(rowid, label, description, terms, guidance)"
                           " SELECT * FROM topic_fts_source WHERE pk = ?"
                         : "INSERT INTO org_fts(rowid, name, summary, description, extra, contacts,"
                           " terms) SELECT * FROM org_fts_source WHERE pk = ?",
                   "i", pk) < 0
               ? STORE_ERROR
               : STORE_OK;
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

int store_org_titles(const char *q, bool archived, int limit, json_t **rows)
{
    return sql_rows(rows, "SELECT slug, name, last_reviewed, archived_at, updated_at"
                          " FROM organisation WHERE (archived_at IS NULL OR ?)"
                          " AND (? = '' OR instr(lower(name), lower(?)) > 0"
                          " OR instr(slug, lower(?)) > 0)"
                          " ORDER BY archived_at IS NOT NULL, name COLLATE NOCASE LIMIT ?",
                    "bttti", archived, q, q, q, (int64_t)limit);
}

int store_last_revision(const char *entity, const char *entity_id, json_t **row)
{
    return sql_row(row, "SELECT n, action, actor, at FROM revision"
                        " WHERE entity = ? AND entity_id = ? ORDER BY n DESC LIMIT 1", "tt",
                   entity, entity_id);
}

int store_all_org_slugs(json_t **rows)
{
    return sql_rows(rows, "SELECT slug FROM organisation ORDER BY id", "");
}
