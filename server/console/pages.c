/* pages.c: the console's pages for a person signed in. The dashboard shows
 * what needs attention: records due for review (oldest first), open
 * reports from the public, and the latest changes by whom. The audit log
 * (admins only) shows sign-ins, failures, sign-outs, invitations and
 * changes of role or state. */
#include "console/console_int.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define DASHBOARD_MONTHS 12
#define DASHBOARD_ROWS 20
#define AUDIT_ROWS 200

/* The first n rows of rows (consumed), and how many there were. */
static json_t *first(json_t *rows, size_t n, size_t *total)
{
    *total = json_array_size(rows);
    while (json_array_size(rows) > n)
        json_array_remove(rows, json_array_size(rows) - 1);
    return rows;
}

int console_home(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    json_t *due = NULL, *reports = NULL, *changes = NULL;
    if (store_review_queue(DASHBOARD_MONTHS, &due) != 0 || store_reports(true, &reports) != 0 ||
        store_recent_changes(DASHBOARD_ROWS, &changes) != 0) {
        json_decref(due);
        json_decref(reports);
        json_decref(changes);
        return console_message(r, 503, "The dashboard could not be shown",
                               "Something went wrong on our side. Try again in a minute.", &u);
    }
    size_t n_due, n_reports, n_changes;
    json_t *ctx = json_object();
    json_object_set_new(ctx, "due", first(due, DASHBOARD_ROWS, &n_due));
    json_object_set_new(ctx, "due_total", json_integer((json_int_t)n_due));
    json_object_set_new(ctx, "reports", first(reports, DASHBOARD_ROWS, &n_reports));
    json_object_set_new(ctx, "reports_total", json_integer((json_int_t)n_reports));
    json_object_set_new(ctx, "changes", first(changes, DASHBOARD_ROWS, &n_changes));
    json_object_set_new(ctx, "changes_total", json_integer((json_int_t)n_changes));
    json_object_set_new(ctx, "months", json_integer(DASHBOARD_MONTHS));
    int left = store_recovery_left(u.curator);
    if (left >= 0 && left <= 3) {
        char msg[160];
        snprintf(msg, sizeof msg, "You have %d recovery code%s left. Ask an admin to reset your "
                 "account to get new ones.", left, left == 1 ? "" : "s");
        json_object_set_new(ctx, "recovery_low", json_string(msg));
    }
    return console_page(r, 200, "home", ctx, "Dashboard", &u);
}

int console_audit(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    if (strcmp(u.role, "admin") != 0)
        return console_message(r, 403, "Only admins can see the audit log",
                               "Ask an admin of your Signpost if you need to know who signed "
                               "in or what changed.", &u);
    json_t *rows = NULL;
    if (store_audit_list(AUDIT_ROWS, &rows) != 0)
        return console_message(r, 503, "The audit log could not be shown",
                               "Something went wrong on our side. Try again in a minute.", &u);
    json_t *ctx = json_pack("{s:o, s:i}", "lines", rows, "limit", AUDIT_ROWS);
    return console_page(r, 200, "audit", ctx, "Audit log", &u);
}
