/* resource.c: single resources (by slug or id, archive and restore, the
 * next position) and single taxonomy terms (get, delete when unused, the
 * last deleted one from its revision) for the write API. */
#include "store/store_int.h"

#include <jansson.h>
#include <stdbool.h>

void store_lists_from_text(json_t *row)
{
    static const char *const lists[] = {"audiences", "topics", "search_terms"};
    for (int k = 0; k < 3; k++) {
        if (!json_object_get(row, lists[k]))
            continue;
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
    if (!topic)
        return sql_row(row, "SELECT id, slug, label, description, position"
                            " FROM audience WHERE slug = ?", "t", slug);
    int found = sql_row(row, "SELECT t.id, t.slug, t.label, t.description,"
                             " p.slug AS parent, t.position, t.source, t.guidance_md,"
                             " " TOPIC_TERMS_SQL " AS search_terms"
                             " FROM topic t LEFT JOIN topic p ON p.pk = t.parent_pk"
                             " WHERE t.slug = ?", "t", slug);
    if (found == 1)
        store_lists_from_text(*row);
    return found;
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
