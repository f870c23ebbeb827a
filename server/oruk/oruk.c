/* oruk.c: see oruk.h. The feed's route handlers and their parameter checks:
 * each reads and checks its parameters (every bad one listed at once),
 * reads the store, and has hsds.c map the rows onto HSDS objects. */
#include "oruk/oruk.h"
#include "oruk/oruk_int.h"
#include "api/api.h"
#include "lib/assets.h"
#include "lib/escape.h"
#include "lib/util.h"
#include "views/problem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define ORUK_MAX_AGE 300
#define DEFAULT_PER_PAGE 50
#define MAX_PER_PAGE 100

char *oruk_public_url;

void oruk_init(const char *url)
{
    free(oruk_public_url);
    oruk_public_url = xstrdup(url ? url : "");
}

void oruk_shutdown(void)
{
    free(oruk_public_url);
    oruk_public_url = NULL;
}

/* ---- answers ------------------------------------------------------------- */

/* Answers body (taking it) as the feed's JSON. */
static int serve_json(struct req *r, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
    json_decref(body);
    if (!text)
        return problem_reply(r, 500, "The answer could not be written.");
    buf_puts(&r->body, text);
    free(text);
    api_json_ok(r);
    r->max_age = ORUK_MAX_AGE;
    return 200;
}

static int unavailable(struct req *r)
{
    return problem_reply(r, 503, "The directory cannot be read just now. Please try again "
                               "in a moment.");
}

static int not_found(struct req *r, const char *what)
{
    struct buf msg = BUF_INIT;
    buf_printf(&msg, "No %s has the id '%.80s'.", what, r->args[0]);
    problem_reply(r, 404, msg.data);
    buf_reset(&msg);
    return 404;
}

/* ---- parameters ---------------------------------------------------------- */

/* Lower-cases s in place (UUIDs are compared in lower case). */
static char *lower(char *s)
{
    for (char *p = s; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return s;
}

static bool is_uuid(const char *s)
{
    if (!s || strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

/* Reads page and per_page, recording problems. */
static void paging_params(struct req *r, struct problems *p, long *page, long *per_page)
{
    *page = 1;
    *per_page = DEFAULT_PER_PAGE;
    const char *s = query_get(&r->query, "page");
    if (s && !query_parse_int(s, 1, 100000, page))
        problem_list_add(p, "page", "query", "must be a whole number from 1 to 100000", NULL, 0);
    s = query_get(&r->query, "per_page");
    if (s && !query_parse_int(s, 1, MAX_PER_PAGE, per_page))
        problem_list_add(p, "per_page", "query", "must be a whole number from 1 to 100", NULL, 0);
}

/* True when nothing was recorded in p; otherwise answers the 400. Frees p
 * either way. */
static bool params_ok_or_reply(struct req *r, struct problems *p)
{
    bool ok = problem_list_none_or_reply(r, p);
    problem_list_reset(p);
    return ok;
}

/* For the lists that take nothing but page and per_page. */
static bool paging_or_reply(struct req *r, long *page, long *per_page)
{
    struct problems p;
    problem_list_init(&p);
    paging_params(r, &p, page, per_page);
    return params_ok_or_reply(r, &p);
}

/* True when item number i (from 0) is on the page asked for. */
static bool on_page(size_t i, long page, long per_page)
{
    return i >= (size_t)((page - 1) * per_page) && i < (size_t)(page * per_page);
}

/* The UUID parameter name, lower-cased, or NULL when absent or recorded as bad. */
static const char *uuid_param(struct req *r, struct problems *p, const char *name)
{
    char *s = (char *)query_get(&r->query, name);
    lower(s);
    if (s && !is_uuid(s)) {
        problem_list_add(p, name, "query", "must be a UUID such as "
                                       "3f7b145d-84af-42d7-8fae-eaca714b02b2", NULL, 0);
        return NULL;
    }
    return s;
}

/* Reads an age parameter into *age, recording a problem. */
static void age_param(struct req *r, struct problems *p, const char *name, long *age)
{
    long v;
    const char *s = query_get(&r->query, name);
    if (s && !query_parse_int(s, 0, 150, &v))
        problem_list_add(p, name, "query", "must be a whole number of years from 0 to 150",
                         NULL, 0);
    else if (s)
        *age = v;
}

/* Parses an ISO 8601 date or date-time into "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
static bool parse_when(const char *s, char out[21])
{
    int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
        return false;
    const char *p = s + 10;
    long offset = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        int m = 0;
        if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &m) != 3 || m != 8)
            return false;
        p += 1 + m;
        if (*p == '.')
            for (p++; isdigit((unsigned char)*p); p++)
                ;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om, k = 0;
            if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5 || oh > 23 || om > 59)
                return false;
            offset = (*p == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
            p += 1 + k;
        }
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 ||
        y < 1970 || y > 9999)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    time_t t = timegm(&tm) - offset;
    struct tm utc;
    if (!gmtime_r(&t, &utc))
        return false;
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return true;
}

/* Answers the record whose UUID is in the path: read by get (a store
 * getter), mapped with everything nested by full (an hsds_..._full). */
static int serve_record(struct req *r, const char *what,
                        int (*get)(const char *id, json_t **row), hsds_map *full)
{
    lower(r->args[0]);
    json_t *row;
    int found = is_uuid(r->args[0]) ? get(r->args[0], &row) : 0;
    if (found < 0)
        return unavailable(r);
    if (!found)
        return not_found(r, what);
    struct store_index *ix = store_index_acquire();
    json_t *o = ix ? full(ix, row) : NULL;
    store_index_release(ix);
    json_decref(row);
    return o ? serve_json(r, o) : unavailable(r);
}

/* ---- services ------------------------------------------------------------ */

int oruk_services(struct req *r)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return unavailable(r);
    struct problems p;
    problem_list_init(&p);
    long page, per_page;
    paging_params(r, &p, &page, &per_page);
    struct store_service_filter f = {.age_from = -1, .age_to = -1};
    bool nothing = false;   /* a filter no service can match */
    char when[21];

    f.search = query_get(&r->query, "search");
    if (f.search && esc_utf8_len(f.search, strlen(f.search)) > 200)
        problem_list_add(&p, "search", "query", "must be at most 200 characters", NULL, 0);
    const char *term = uuid_param(r, &p, "taxonomy_term_id");
    int tax;
    const struct store_term *t = term ? hsds_term_find(ix, term, &tax) : NULL;
    if (t && tax == TAX_AUDIENCE)
        f.audience_pk = t->pk;
    else if (t)
        f.topic_pk = t->pk;
    else if (term)
        nothing = true;
    const char *taxonomy = uuid_param(r, &p, "taxonomy_id");
    if (taxonomy) {
        int only = hsds_taxonomy_find(taxonomy);
        if (only < 0)
            nothing = true;
        else
            f.taxonomy = hsds_tax_slug[only];
    }
    age_param(r, &p, "minimum_age", &f.age_from);
    age_param(r, &p, "maximum_age", &f.age_to);
    const char *s = query_get(&r->query, "modified_after");
    if (s && !parse_when(s, when))
        problem_list_add(&p, "modified_after", "query",
                     "must be a date or date-time such as 2026-01-31 or 2026-01-31T09:00:00Z",
                     NULL, 0);
    else if (s)
        f.modified_after = when;
    f.org_id = uuid_param(r, &p, "organization_id");
    if (!params_ok_or_reply(r, &p)) {
        store_index_release(ix);
        return r->status;
    }
    f.offset = (size_t)(page - 1) * (size_t)per_page;
    f.limit = (size_t)per_page;
    json_t *rows = NULL;
    size_t total = 0;
    if (!nothing && store_services(&f, &rows, &total) != 0) {
        store_index_release(ix);
        return unavailable(r);
    }
    json_t *o = hsds_page_of(rows, hsds_service, ix, total, page, per_page);
    store_index_release(ix);
    return serve_json(r, o);
}

int oruk_service(struct req *r)
{
    return serve_record(r, "service", store_service_get, hsds_service_full);
}

/* ---- taxonomies ---------------------------------------------------------- */

int oruk_taxonomies(struct req *r)
{
    long page, per_page;
    if (!paging_or_reply(r, &page, &per_page))
        return r->status;
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return unavailable(r);
    json_t *contents = json_array();
    for (int t = 0; t < TAX_COUNT; t++)
        if (on_page((size_t)t, page, per_page))
            json_array_append_new(contents, hsds_taxonomy(ix, t, false));
    store_index_release(ix);
    return serve_json(r, hsds_page(contents, TAX_COUNT, page, per_page));
}

int oruk_taxonomy(struct req *r)
{
    lower(r->args[0]);
    int t = is_uuid(r->args[0]) ? hsds_taxonomy_find(r->args[0]) : -1;
    if (t < 0)
        return not_found(r, "taxonomy");
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return unavailable(r);
    json_t *o = hsds_taxonomy(ix, t, true);
    store_index_release(ix);
    return serve_json(r, o);
}

int oruk_taxonomy_terms(struct req *r)
{
    struct problems p;
    problem_list_init(&p);
    long page, per_page;
    paging_params(r, &p, &page, &per_page);
    const char *taxonomy = uuid_param(r, &p, "taxonomy_id");
    const char *parent = uuid_param(r, &p, "parent_id");
    const char *top = query_get(&r->query, "top_only");
    bool top_only = false;
    if (top && strcmp(top, "true") != 0 && strcmp(top, "false") != 0 && strcmp(top, "1") != 0 &&
        strcmp(top, "0") != 0)
        problem_list_add(&p, "top_only", "query", "must be true or false", NULL, 0);
    else if (top)
        top_only = strcmp(top, "true") == 0 || strcmp(top, "1") == 0;
    if (!params_ok_or_reply(r, &p))
        return r->status;
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return unavailable(r);
    int only_tax = taxonomy ? hsds_taxonomy_find(taxonomy) : -1;
    json_t *contents = json_array();
    size_t total = 0;
    for (int t = 0; t < TAX_COUNT; t++) {
        if (taxonomy && only_tax != t)
            continue;
        size_t n;
        const struct store_term *terms = hsds_terms(ix, t, &n);
        for (size_t i = 0; i < n; i++) {
            int parent_idx = t == TAX_TOPIC ? terms[i].parent : -1;
            if (top_only && parent_idx >= 0)
                continue;
            if (parent && (parent_idx < 0 || strcasecmp(ix->topics[parent_idx].id, parent) != 0))
                continue;
            if (on_page(total, page, per_page))
                json_array_append_new(contents, hsds_term(ix, t, &terms[i]));
            total++;
        }
    }
    store_index_release(ix);
    return serve_json(r, hsds_page(contents, total, page, per_page));
}

int oruk_taxonomy_term(struct req *r)
{
    lower(r->args[0]);
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return unavailable(r);
    int tax;
    const struct store_term *t = is_uuid(r->args[0]) ? hsds_term_find(ix, r->args[0], &tax)
                                                     : NULL;
    if (!t) {
        store_index_release(ix);
        return not_found(r, "taxonomy term");
    }
    json_t *o = hsds_term(ix, tax, t);
    store_index_release(ix);
    return serve_json(r, o);
}

/* ---- organizations ------------------------------------------------------- */

int oruk_organizations(struct req *r)
{
    long page, per_page;
    if (!paging_or_reply(r, &page, &per_page))
        return r->status;
    json_t *rows;
    size_t total;
    if (store_organizations((size_t)(page - 1) * (size_t)per_page, (size_t)per_page, &rows,
                            &total) != 0)
        return unavailable(r);
    return serve_json(r, hsds_page_of(rows, hsds_organization, NULL, total, page, per_page));
}

int oruk_organization(struct req *r)
{
    return serve_record(r, "organization", store_organization_get, hsds_organization_full);
}

/* ---- the feed's own description ------------------------------------------ */

int oruk_index(struct req *r)
{
    struct buf url = BUF_INIT;
    buf_printf(&url, "%s" ORUK_BASE "/openapi.json", oruk_public_url);
    json_t *o = json_pack("{s:s, s:s, s:s}", "version", "HSDS-UK-3.0", "profile",
                          "https://openreferraluk.org/", "openapi_url", url.data);
    buf_reset(&url);
    return serve_json(r, o);
}

int oruk_openapi(struct req *r)
{
    const struct asset *a = asset_find("api-spec/openreferral.json");
    if (!a)
        return problem_reply(r, 404, "This build carries no feed description.");
    buf_append(&r->body, a->data, a->len);
    api_json_ok(r);
    r->max_age = 3600;
    return 200;
}
