/* exchange.c: what export and import need: the whole directory as rows
 * (taxonomy, organisations archived too, their resources) and the upserts
 * and state setters that write it back by id. */
#include "store/store_int.h"

#include <stdint.h>

int store_dump_taxonomy(json_t **audiences, json_t **topics)
{
    if (sql_rows(audiences, "SELECT id, slug, label, description, position FROM audience"
                            " ORDER BY position, slug", "") != 0)
        return -1;
    if (sql_rows(topics, "SELECT t.id, t.slug, t.label, t.description, p.slug AS parent,"
                         " t.position, t.source, t.guidance_md, " TOPIC_TERMS_SQL
                         " AS search_terms FROM topic t"
                         " LEFT JOIN topic p ON p.pk = t.parent_pk ORDER BY t.position, t.slug",
                 "") != 0) {
        json_decref(*audiences);
        return -1;
    }
    size_t i;
    json_t *row;
    json_array_foreach(*topics, i, row)
        store_lists_from_text(row);
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
                       const char *source, const char *guidance_md, char **search_terms)
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
    if (rc == -2)
        return STORE_CONFLICT;
    if (rc < 0)
        return STORE_ERROR;
    if (!search_terms)
        return STORE_OK;
    json_t *row;
    if (sql_row(&row, "SELECT pk FROM topic WHERE id = ?", "t", id) != 1)
        return STORE_ERROR;
    int64_t pk = json_integer_value(json_object_get(row, "pk"));
    json_decref(row);
    return terms_replace(true, pk, search_terms);
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
