/* report.c: reports of a problem with an entry, sent by the public from an
 * organisation's page, and their closing by a curator. */
#include "store/store_int.h"

#include <stdbool.h>
#include <stdint.h>

int store_report_add(const char *org_slug, const char *what, const char *details)
{
    int rc = sql_run("INSERT INTO report (org_pk, what, details) SELECT pk, ?, ?"
                     " FROM organisation WHERE slug = ? AND archived_at IS NULL", "ttt",
                     what, details, org_slug);
    return rc < 0 ? STORE_ERROR : rc == 0 ? STORE_NOT_FOUND : STORE_OK;
}

int store_report_get(int64_t id, json_t **row)
{
    return sql_row(row, "SELECT r.pk AS id, o.slug AS organisation, o.name AS name, r.what,"
                        " r.details, r.created_at, r.closed_at, r.closed_by, r.closed_note"
                        " FROM report r JOIN organisation o ON o.pk = r.org_pk WHERE r.pk = ?",
                   "i", id);
}

int store_reports(bool open_only, json_t **rows)
{
    return sql_rows(rows, "SELECT r.pk AS id, o.slug AS organisation, r.what, r.details,"
                          " r.created_at, r.closed_at, r.closed_by, r.closed_note FROM report r"
                          " JOIN organisation o ON o.pk = r.org_pk"
                          " WHERE NOT ? OR r.closed_at IS NULL ORDER BY r.created_at, r.pk",
                    "b", (int)open_only);
}

int store_report_close(int64_t id, const char *by, const char *note)
{
    int rc = sql_run("UPDATE report SET closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
                     " closed_by = ?, closed_note = ? WHERE pk = ? AND closed_at IS NULL", "tti",
                     by, note, id);
    return rc < 0 ? STORE_ERROR : rc == 0 ? STORE_NOT_FOUND : STORE_OK;
}
