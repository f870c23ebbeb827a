/* lists.c: what curators read: archived organisations, the review queue,
 * reports from the public and closing them. */
#include "admin/admin_int.h"
#include "lib/escape.h"

#include <string.h>

#define REVIEW_MONTHS_DEFAULT 12

/* A list for the given role: {"items": rows from load}. */

int admin_archived(struct req *r)
{
    return admin_list_for(r, AUTH_EDITOR, store_archived_orgs);
}

int admin_review_queue(struct req *r)
{
    struct auth who;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who))
        return admin_no_store(r, r->status);
    long months = REVIEW_MONTHS_DEFAULT;
    const char *s = query_get(&r->query, "months");
    if (s && !query_parse_int(s, 0, 600, &months)) {
        struct problems p;
        problem_list_init(&p);
        problem_list_add(&p, "months", "query", "must be a whole number from 0 to 600", NULL, 0);
        problem_list_none_or_reply(r, &p);
        problem_list_reset(&p);
        return admin_no_store(r, 400);
    }
    json_t *rows;
    if (store_review_queue((int)months, &rows) != 0)
        return admin_db_failed(r);
    return admin_rows_answer(r, rows);
}

int admin_reports(struct req *r)
{
    struct auth who;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who))
        return admin_no_store(r, r->status);
    const char *status = query_get(&r->query, "status");
    if (status && strcmp(status, "open") != 0 && strcmp(status, "all") != 0) {
        struct problems p;
        problem_list_init(&p);
        problem_list_add(&p, "status", "query", "must be open or all", NULL, 0);
        problem_list_none_or_reply(r, &p);
        problem_list_reset(&p);
        return admin_no_store(r, 400);
    }
    json_t *rows;
    if (store_reports(!status || strcmp(status, "open") == 0, &rows) != 0)
        return admin_db_failed(r);
    return admin_rows_answer(r, rows);
}

int admin_report_close(struct req *r)
{
    struct auth who;
    if (auth_require_or_reply(r, AUTH_EDITOR, &who))
        return admin_no_store(r, r->status);
    long id;
    if (!query_parse_int(r->args[0], 1, 2000000000, &id))
        return admin_problem(r, 404, "There is no such report.");
    int rc = store_report_close(id, who.name, NULL);
    if (rc == STORE_NOT_FOUND)
        return admin_problem(r, 404, "There is no open report with this number.");
    if (rc != STORE_OK)
        return admin_db_failed(r);
    buf_printf(&r->body, "{\"id\":%ld,\"closed_by\":", id);
    esc_json_str(&r->body, who.name);
    buf_putc(&r->body, '}');
    r->content_type = admin_json_type;
    return admin_no_store(r, 200);
}

