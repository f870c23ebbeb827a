/* report.c: "report a problem with this entry", /organisations/{slug}/report.
 * The form, and its answer: the choice and details are checked, a bot that
 * fills the hidden field is thanked and ignored, each client may send a
 * few reports per ten minutes, a form sent from another website is shown
 * again rather than sent, and a report that passes is stored for the
 * curators' review queue. */
#include "site/page_int.h"
#include "lib/buf.h"
#include "lib/limit.h"
#include "lib/escape.h"
#include "lib/query.h"
#include "lib/util.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#define REPORTS_PER_WINDOW 5
#define REPORT_WINDOW_SECONDS 600

static const char *const report_choices[][2] = {
    {"phone", "A phone number is wrong"},
    {"website", "A website address is wrong"},
    {"email", "An email address is wrong"},
    {"closed", "The organisation or service has closed"},
    {"description", "The description is wrong or out of date"},
    {"other", "Something else"},
};

/* Reports a client may send: a few per ten minutes per address, counted
 * per address (lib/limit.h; about 90 KB). */
static struct limit_entry report_slots[1024];
static struct limit reports = LIMIT_INIT(report_slots, REPORT_WINDOW_SECONDS);

/* Counts a report from client and says whether it may be sent. */
static bool report_allowed(const char *client)
{
    return limit_take(&reports, client, REPORTS_PER_WINDOW);
}

/* True when the form was sent from a page of this site, or by a client
 * that does not say where from (curl, and browsers older than
 * Sec-Fetch-Site that send no Origin), so that another site cannot make
 * its visitors' browsers send reports; no cookie or script is needed.
 * Sec-Fetch-Site decides when it is there: same-origin, or none (the
 * address typed or bookmarked); a same-site sibling is another site.
 * Otherwise an Origin must be the public address's or the Host's; an
 * "Origin: null" says nothing, since browsers send it for our own form as
 * our pages answer Referrer-Policy: no-referrer. */
static bool report_from_this_site(const struct req *r)
{
    if (r->in_fetch_site)
        return strcmp(r->in_fetch_site, "same-origin") == 0 ||
               strcmp(r->in_fetch_site, "none") == 0;
    const char *origin = r->in_origin;
    if (!origin || strcmp(origin, "null") == 0)
        return true;
    size_t n = strlen(origin);
    const char *url = page_public_url();
    const char *sep = strstr(url, "://");
    if (sep && n == (size_t)(sep + 3 - url) + strcspn(sep + 3, "/") &&
        strncasecmp(origin, url, n) == 0)
        return true;
    const char *host = r->in_host;
    const char *after = strncasecmp(origin, "https://", 8) == 0  ? origin + 8
                        : strncasecmp(origin, "http://", 7) == 0 ? origin + 7
                                                                  : NULL;
    return host && *host && after && strcasecmp(after, host) == 0;
}

static int report_page(struct req *r, int status, const char *slug, const char *name,
                       const char *what, const char *details, json_t *errors, bool sent)
{
    json_t *ctx = json_object();
    page_set_str(ctx, "slug", slug);
    page_set_str(ctx, "name", name);
    page_set_str(ctx, "details", details);
    json_t *choices = json_array();
    for (size_t i = 0; i < sizeof report_choices / sizeof *report_choices; i++) {
        json_t *c = json_pack("{s:s, s:s}", "value", report_choices[i][0], "label",
                              report_choices[i][1]);
        if (what && strcmp(what, report_choices[i][0]) == 0)
            json_object_set_new(c, "checked", json_true());
        json_array_append_new(choices, c);
    }
    json_object_set_new(ctx, "choices", choices);
    if (errors)
        json_object_set_new(ctx, "errors", json_pack("{s:o}", "list", errors));
    if (sent)
        json_object_set_new(ctx, "sent", json_true());
    json_object_set_new(ctx, "noindex", json_true());
    page_render_layout(r, status, "report", ctx, "Report a problem with this entry", NULL, NULL);
    r->cacheable = status == 200 && !sent && !errors;
    if (!r->cacheable)
        r->max_age = -1;
    return status;
}

/* Appends one message to the form's error summary, linked to its field. */
static void add_error(json_t *errors, const char *field, const char *message)
{
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", message));
}

int page_report_form(struct req *r)
{
    struct store_org_detail d;
    if (page_org_or_reply(r, &d) != 0)
        return r->status;
    report_page(r, 200, d.slug, d.name, NULL, NULL, NULL, false);
    store_org_detail_reset(&d);
    return 200;
}

int page_report_send(struct req *r)
{
    struct store_org_detail d;
    if (page_org_or_reply(r, &d) != 0)
        return r->status;
    struct req form;
    memset(&form, 0, sizeof form);
    struct buf target = BUF_INIT;
    buf_putc(&target, '?');
    if (r->in_body)
        buf_append(&target, r->in_body, r->in_body_len);
    json_t *errors = json_array();
    const char *type = r->in_type ? r->in_type : "";
    if (strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0 ||
        query_parse(&form.query, target.data, target.len, 8192) != QUERY_OK)
        add_error(errors, "what", "The form could not be read. Please try again.");
    const char *what = query_get(&form.query, "what");
    const char *details = query_get(&form.query, "details");
    const char *trap = query_get(&form.query, "contact_me");
    bool known = false;
    for (size_t i = 0; what && i < sizeof report_choices / sizeof *report_choices; i++)
        known |= strcmp(what, report_choices[i][0]) == 0;
    if (!json_array_size(errors) && !known)
        add_error(errors, "what", "Choose what is wrong");
    if (details && esc_utf8_len(details, strlen(details)) > 2000)
        add_error(errors, "details", "Details must be 2,000 characters or fewer");
    int status = 200;
    if (!report_from_this_site(r)) {
        /* The form again, as sent, on this site: sending it from here
         * works. */
        status = 403;
        json_array_clear(errors);
        add_error(errors, "what", "This report was sent from a page on another website, so "
                                  "it has not been sent to us. If you meant to send it, check "
                                  "it below and press Send report.");
    } else if (json_array_size(errors)) {
        status = 400;
    } else if (trap && *trap) {
        /* A bot filled the hidden field: thank it and keep nothing. */
        json_decref(errors);
        errors = NULL;
    } else if (!report_allowed(r->client)) {
        status = 429;
        add_error(errors, "what", "Too many reports from your connection. Please try again "
                                  "in a few minutes.");
    } else if (store_report_add(d.slug, what, details ? details : "") != STORE_OK) {
        status = 503;
        add_error(errors, "what", "Your report could not be saved just now. Please try again.");
    } else {
        json_decref(errors);
        errors = NULL;
    }
    report_page(r, status, d.slug, d.name, what, details, errors, status == 200);
    if (status == 429)
        req_add_header(r, "Retry-After", "600");
    req_reset(&form);
    buf_reset(&target);
    store_org_detail_reset(&d);
    return status;
}
