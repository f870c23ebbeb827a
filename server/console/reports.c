/* reports.c: reports from the public's "report a problem" form, in the
 * console: the open ones (or all), one report with a link to its record,
 * and resolving it with a note of what was found and done. */
#include "console/console_int.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define NOTE_MAX 2000

/* What a visitor said was wrong, as a curator reads it. */
static const char *what_label(const char *what)
{
    static const char *const labels[][2] = {
        {"phone", "A phone number is wrong"},   {"website", "The website is wrong"},
        {"email", "An email address is wrong"}, {"closed", "It has closed"},
        {"description", "The description is wrong"}, {"other", "Something else"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (what && strcmp(what, labels[i][0]) == 0)
            return labels[i][1];
    return what ? what : "";
}

static void label_rows(json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        json_object_set_new(row, "what_label",
                            json_string(what_label(json_string_value(json_object_get(row, "what")))));
}

int console_reports(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    const char *status = query_get(&r->query, "status");
    bool all = status && strcmp(status, "all") == 0;
    json_t *rows = NULL;
    if (store_reports(!all, &rows) != 0)
        return console_message(r, 503, "The reports could not be shown",
                               "Something went wrong on our side. Try again in a minute.", &u);
    label_rows(rows);
    json_t *ctx = json_pack("{s:b, s:I, s:o}", "all", all, "total",
                            (json_int_t)json_array_size(rows), "reports", rows);
    const char *done = query_get(&r->query, "resolved");
    long id;
    if (done && query_parse_int(done, 1, 2000000000, &id))
        json_object_set_new(ctx, "resolved", json_integer(id));
    return console_page(r, 200, "reports", ctx, "Reports from the public", &u);
}

/* The report r->args[0] names, or a message page: 1, or 0 after answering. */
static int load_report(struct req *r, const struct console_user *u, json_t **row, long *id)
{
    *row = NULL;
    int got = query_parse_int(r->args[0], 1, 2000000000, id) ? store_report_get(*id, row) : 0;
    if (got == 1)
        return 1;
    if (got < 0)
        console_message(r, 503, "The report could not be shown",
                        "Something went wrong on our side. Try again in a minute.", u);
    else
        console_message(r, 404, "There is no such report",
                        "Find it in the list of reports from the public.", u);
    return 0;
}

static int report_page(struct req *r, int status, const struct console_user *u, json_t *row,
                       const char *note, json_t *errors)
{
    json_object_set_new(row, "what_label",
                        json_string(what_label(json_string_value(json_object_get(row, "what")))));
    json_object_set_new(row, "note", json_string(note ? note : ""));
    json_object_set_new(row, "errors", errors ? errors : json_array());
    char title[64];
    snprintf(title, sizeof title, "Report %lld",
             (long long)json_integer_value(json_object_get(row, "id")));
    return console_page(r, status, "report", row, title, u);
}

int console_report(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    json_t *row;
    long id;
    if (!load_report(r, &u, &row, &id))
        return r->status;
    return report_page(r, 200, &u, row, NULL, NULL);
}

int console_report_resolve(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    struct query form;
    if (!console_signed_form(r, &u, &form, "The report was not resolved"))
        return r->status;
    json_t *row;
    long id;
    if (!load_report(r, &u, &row, &id)) {
        query_reset(&form);
        return r->status;
    }
    const char *note = query_get(&form, "note");
    json_t *errors = json_array();
    size_t chars = 0;
    for (const char *p = note ? note : ""; *p; p++)
        chars += ((unsigned char)*p & 0xc0) != 0x80;
    if (!note || strspn(note, " \t\r\n") == strlen(note))
        console_add_error(errors, "note", "Enter what you found and what you did");
    else if (chars > NOTE_MAX)
        console_add_error(errors, "note", "The note must be 2,000 characters or fewer");
    int st;
    if (json_array_size(errors)) {
        st = report_page(r, 400, &u, row, note, errors);
    } else if (!json_is_null(json_object_get(row, "closed_at"))) {
        json_decref(errors);
        json_decref(row);
        st = console_message(r, 409, "This report is resolved already",
                             "Someone else resolved it meanwhile: their note is on the report.",
                             &u);
    } else {
        int rc = store_report_close(id, u.email, note);
        json_decref(errors);
        json_decref(row);
        if (rc == STORE_OK) {
            char to[64];
            snprintf(to, sizeof to, "/console/reports?resolved=%ld", id);
            st = console_redirect(r, to);
        } else {
            st = console_message(r, rc == STORE_NOT_FOUND ? 409 : 503,
                                 "The report was not resolved",
                                 rc == STORE_NOT_FOUND
                                     ? "Someone else resolved it meanwhile."
                                     : "Something went wrong on our side. Try again in a minute.",
                                 &u);
        }
    }
    query_reset(&form);
    return st;
}
