/* oruk.c: see oruk.h. Rows come from the store as jansson objects; this
 * file maps them onto HSDS objects and pages. IDs the directory does not
 * store itself (contacts, phones, attributes, service areas, the two
 * taxonomies) are name-based UUIDs derived from stable keys, so they never
 * change between requests or exports. */
#include "oruk/oruk.h"
#include "api/api.h"
#include "lib/assets.h"
#include "lib/escape.h"
#include "lib/sha256.h"
#include "store/store.h"
#include "lib/util.h"
#include "views/problem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define ORUK_BASE "/openreferral/v3"
#define ORUK_MAX_AGE 300
#define DEFAULT_PER_PAGE 50
#define MAX_PER_PAGE 100

static char *public_url;

void oruk_init(const char *url)
{
    free(public_url);
    public_url = xstrdup(url ? url : "");
}

void oruk_shutdown(void)
{
    free(public_url);
    public_url = NULL;
}

/* ---- identifiers --------------------------------------------------------- */

/* A UUID (RFC 9562 version 8, name-based) derived from the parts. */
static void derived_uuid(char out[37], const char *kind, const char *a, const char *b)
{
    struct buf key = BUF_INIT;
    buf_printf(&key, "signpost:%s:%s:%s", kind, a ? a : "", b ? b : "");
    uint8_t d[SHA256_BYTES];
    sha256(key.data, key.len, d);
    buf_reset(&key);
    d[6] = (uint8_t)((d[6] & 0x0F) | 0x80); /* version 8 */
    d[8] = (uint8_t)((d[8] & 0x3F) | 0x80); /* variant 10 */
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11],
             d[12], d[13], d[14], d[15]);
}

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

/* The two taxonomies. */
enum { TAX_AUDIENCE, TAX_TOPIC, TAX_COUNT };
static const char *const tax_slug[TAX_COUNT] = {"audience", "topic"};
static const char *const tax_name[TAX_COUNT] = {"Signpost audiences", "Signpost topics"};
static const char *const tax_desc[TAX_COUNT] = {
    "Who a service is for: children, young people, parents and carers, professionals.",
    "What a service is about: online abuse, grooming, cyberbullying, sharing nudes, "
    "exploitation, reporting and more.",
};

static void tax_id(char out[37], int tax)
{
    derived_uuid(out, "taxonomy", tax_slug[tax], NULL);
}

/* ---- small helpers ------------------------------------------------------- */

static const char *row_str(json_t *row, const char *key)
{
    return json_string_value(json_object_get(row, key));
}

static json_int_t row_int(json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

static void set_str(json_t *o, const char *key, const char *v)
{
    if (v)
        json_object_set_new(o, key, json_string(v));
}


/* "2026-11-28T21:28:25Z" from the store as it is; a date gets midnight. */
static void set_datetime(json_t *o, const char *key, const char *v)
{
    if (!v)
        return;
    if (strlen(v) == 10) {
        char buf[32];
        snprintf(buf, sizeof buf, "%sT00:00:00Z", v);
        set_str(o, key, buf);
    } else {
        set_str(o, key, v);
    }
}

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

/* ---- taxonomy terms ------------------------------------------------------ */

static json_t *term_json(const struct store_index *ix, int tax, size_t i)
{
    const struct store_term *t = tax == TAX_AUDIENCE ? &ix->audiences[i] : &ix->topics[i];
    char tid[37];
    tax_id(tid, tax);
    json_t *o = json_object();
    set_str(o, "id", t->id);
    set_str(o, "name", t->label);
    set_str(o, "description", t->description);
    if (tax == TAX_TOPIC && t->parent >= 0)
        set_str(o, "parent_id", ix->topics[t->parent].id);
    set_str(o, "taxonomy", tax_slug[tax]);
    set_str(o, "taxonomy_id", tid);
    set_str(o, "code", t->slug);
    set_str(o, "term", t->slug);
    struct buf uri = BUF_INIT;
    if (tax == TAX_TOPIC)
        buf_printf(&uri, "%s/topics/", public_url);
    else
        buf_printf(&uri, "%s/organisations?audience=", public_url);
    esc_url_str(&uri, t->slug);
    if (esc_is_web_url(uri.data))
        set_str(o, "term_uri", uri.data);
    buf_reset(&uri);
    return o;
}

/* Finds a term by UUID: sets *tax and *idx. */
static bool term_find(const struct store_index *ix, const char *id, int *tax, size_t *idx)
{
    for (size_t i = 0; i < ix->n_audiences; i++)
        if (strcmp(ix->audiences[i].id, id) == 0)
            return *tax = TAX_AUDIENCE, *idx = i, true;
    for (size_t i = 0; i < ix->n_topics; i++)
        if (strcmp(ix->topics[i].id, id) == 0)
            return *tax = TAX_TOPIC, *idx = i, true;
    return false;
}

static int tax_find(const char *id)
{
    char tid[37];
    for (int t = 0; t < TAX_COUNT; t++) {
        tax_id(tid, t);
        if (strcasecmp(tid, id) == 0)
            return t;
    }
    return -1;
}

static json_t *taxonomy_json(const struct store_index *ix, int tax, bool with_terms)
{
    char tid[37];
    tax_id(tid, tax);
    json_t *o = json_object();
    set_str(o, "id", tid);
    set_str(o, "name", tax_name[tax]);
    set_str(o, "description", tax_desc[tax]);
    set_str(o, "version", "1");
    if (with_terms) {
        json_t *terms = json_array();
        size_t n = tax == TAX_AUDIENCE ? ix->n_audiences : ix->n_topics;
        for (size_t i = 0; i < n; i++)
            json_array_append_new(terms, term_json(ix, tax, i));
        json_object_set_new(o, "taxonomy_terms", terms);
    }
    return o;
}

/* ---- pages --------------------------------------------------------------- */

static json_t *page_json(json_t *contents, size_t total, long page, long per_page)
{
    long pages = (long)((total + (size_t)per_page - 1) / (size_t)per_page);
    json_t *o = json_object();
    json_object_set_new(o, "total_items", json_integer((json_int_t)total));
    json_object_set_new(o, "total_pages", json_integer(pages));
    json_object_set_new(o, "page_number", json_integer(page));
    json_object_set_new(o, "size", json_integer((json_int_t)json_array_size(contents)));
    json_object_set_new(o, "first_page", json_boolean(page == 1));
    json_object_set_new(o, "last_page", json_boolean(page >= pages));
    json_object_set_new(o, "empty", json_boolean(json_array_size(contents) == 0));
    json_object_set_new(o, "contents", contents);
    return o;
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

/* ---- services ------------------------------------------------------------ */

static json_t *organization_brief(json_t *row, const char *prefix)
{
    char key[64];
    json_t *o = json_object();
#define COL(name) (snprintf(key, sizeof key, "%s%s", prefix, name), row_str(row, key))
    set_str(o, "id", COL("id"));
    set_str(o, "name", COL("name"));
    const char *desc = COL("description");
    set_str(o, "description", desc && *desc ? desc : COL("summary"));
    if (!json_object_get(o, "description"))
        set_str(o, "description", "");
    const char *web = COL("website");
    if (esc_is_web_url(web))
        set_str(o, "website", web);
#undef COL
    return o;
}

/* Contacts and phones of an organisation, as HSDS objects for service_id. */
static int add_contacts(json_t *svc, int64_t org_pk, const char *service_id)
{
    json_t *rows;
    if (store_contacts(org_pk, &rows) != 0)
        return -1;
    json_t *contacts = json_array(), *phones = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        char pk[32], cid[37], pid[37];
        snprintf(pk, sizeof pk, "%lld", (long long)row_int(row, "pk"));
        derived_uuid(cid, "contact", service_id, pk);
        const char *kind = row_str(row, "kind"), *value = row_str(row, "value");
        json_t *c = json_object();
        set_str(c, "id", cid);
        set_str(c, "service_id", service_id);
        set_str(c, "name", row_str(row, "label"));
        if (strcmp(kind, "email") == 0 && esc_is_email(value))
            set_str(c, "email", value);
        if (strcmp(kind, "phone") == 0 || strcmp(kind, "text") == 0) {
            derived_uuid(pid, "phone", service_id, pk);
            json_t *ph = json_object();
            set_str(ph, "id", pid);
            set_str(ph, "contact_id", cid);
            set_str(ph, "number", value);
            set_str(ph, "description", row_str(row, "label"));
            set_str(ph, "type", strcmp(kind, "text") == 0 ? "sms" : "voice");
            json_object_set_new(c, "phones", json_pack("[O]", ph));
            json_t *service_phone = json_deep_copy(ph);
            json_object_del(service_phone, "contact_id");
            set_str(service_phone, "service_id", service_id);
            json_array_append_new(phones, service_phone);
            json_decref(ph);
        }
        if ((strcmp(kind, "website") == 0 || strcmp(kind, "report-form") == 0 ||
             strcmp(kind, "webchat") == 0) && esc_is_web_url(value))
            set_str(c, "url", value);
        if (strcmp(kind, "email") == 0 && esc_is_email(value) && !json_object_get(svc, "email"))
            set_str(svc, "email", value);
        json_array_append_new(contacts, c);
    }
    json_decref(rows);
    json_object_set_new(svc, "contacts", contacts);
    json_object_set_new(svc, "phones", phones);
    return 0;
}

static int add_attributes(json_t *svc, const struct store_index *ix, int64_t resource_pk,
                          const char *service_id)
{
    json_t *rows;
    if (store_resource_terms(resource_pk, &rows) != 0)
        return -1;
    json_t *attrs = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        int tax = strcmp(row_str(row, "kind"), "audience") == 0 ? TAX_AUDIENCE : TAX_TOPIC;
        int64_t pk = row_int(row, "pk");
        const struct store_term *terms = tax == TAX_AUDIENCE ? ix->audiences : ix->topics;
        size_t n = tax == TAX_AUDIENCE ? ix->n_audiences : ix->n_topics;
        for (size_t t = 0; t < n; t++) {
            if (terms[t].pk != pk)
                continue;
            char aid[37];
            derived_uuid(aid, "attribute", service_id, terms[t].id);
            json_t *a = json_object();
            set_str(a, "id", aid);
            set_str(a, "link_id", service_id);
            set_str(a, "link_type", "service");
            set_str(a, "link_entity", "service");
            set_str(a, "taxonomy_term_id", terms[t].id);
            json_object_set_new(a, "taxonomy_term", term_json(ix, tax, t));
            json_array_append_new(attrs, a);
        }
    }
    json_decref(rows);
    json_object_set_new(svc, "attributes", attrs);
    return 0;
}

/* One service from a store_services row; full adds the nested lists. */
static json_t *service_json(const struct store_index *ix, json_t *row, bool full)
{
    const char *id = row_str(row, "id");
    json_t *s = json_object();
    set_str(s, "id", id);
    set_str(s, "organization_id", row_str(row, "org_id"));
    set_str(s, "name", row_str(row, "name"));
    const char *summary = row_str(row, "summary");
    set_str(s, "description", summary && *summary ? summary : row_str(row, "org_summary"));
    if (!json_object_get(s, "description"))
        set_str(s, "description", "");
    if (esc_is_web_url(row_str(row, "url")))
        set_str(s, "url", row_str(row, "url"));
    set_str(s, "status", "active");
    json_t *v = json_object_get(row, "age_min");
    if (json_is_integer(v))
        json_object_set(s, "minimum_age", v);
    v = json_object_get(row, "age_max");
    if (json_is_integer(v))
        json_object_set(s, "maximum_age", v);
    set_str(s, "assured_date", row_str(row, "org_last_reviewed"));
    set_datetime(s, "last_modified", row_str(row, "last_modified"));
    if (!full)
        return s;
    json_object_set_new(s, "organization", organization_brief(row, "org_"));
    int64_t org_pk = row_int(row, "org_pk");
    if (add_contacts(s, org_pk, id) != 0 ||
        add_attributes(s, ix, row_int(row, "pk"), id) != 0) {
        json_decref(s);
        return NULL;
    }
    const char *coverage = row_str(row, "org_coverage");
    json_t *areas = json_array();
    if (coverage && *coverage) {
        char aid[37];
        derived_uuid(aid, "service_area", id, coverage);
        json_array_append_new(areas, json_pack("{s:s, s:s, s:s}", "id", aid, "service_id",
                                               id, "name", coverage));
    }
    json_object_set_new(s, "service_areas", areas);
    json_object_set_new(s, "schedules", json_array());
    json_object_set_new(s, "service_at_locations", json_array());
    json_object_set_new(s, "languages", json_array());
    json_object_set_new(s, "funding", json_array());
    json_object_set_new(s, "cost_options", json_array());
    return s;
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
    size_t idx;
    if (term && term_find(ix, term, &tax, &idx)) {
        if (tax == TAX_AUDIENCE)
            f.audience_pk = ix->audiences[idx].pk;
        else
            f.topic_pk = ix->topics[idx].pk;
    } else if (term) {
        nothing = true;
    }
    const char *taxonomy = uuid_param(r, &p, "taxonomy_id");
    if (taxonomy) {
        int t = tax_find(taxonomy);
        if (t < 0)
            nothing = true;
        else
            f.taxonomy = tax_slug[t];
    }
    long age;
    const char *s = query_get(&r->query, "minimum_age");
    if (s && !query_parse_int(s, 0, 150, &age))
        problem_list_add(&p, "minimum_age", "query", "must be a whole number of years from 0 to 150",
                     NULL, 0);
    else if (s)
        f.age_from = age;
    s = query_get(&r->query, "maximum_age");
    if (s && !query_parse_int(s, 0, 150, &age))
        problem_list_add(&p, "maximum_age", "query", "must be a whole number of years from 0 to 150",
                     NULL, 0);
    else if (s)
        f.age_to = age;
    s = query_get(&r->query, "modified_after");
    if (s && !parse_when(s, when))
        problem_list_add(&p, "modified_after", "query",
                     "must be a date or date-time such as 2026-01-31 or 2026-01-31T09:00:00Z",
                     NULL, 0);
    else if (s)
        f.modified_after = when;
    f.org_id = uuid_param(r, &p, "organization_id");
    if (!problem_list_none_or_reply(r, &p)) {
        problem_list_reset(&p);
        store_index_release(ix);
        return r->status;
    }
    problem_list_reset(&p);
    f.offset = (size_t)(page - 1) * (size_t)per_page;
    f.limit = (size_t)per_page;
    json_t *rows = NULL;
    size_t total = 0;
    if (!nothing && store_services(&f, &rows, &total) != 0) {
        store_index_release(ix);
        return unavailable(r);
    }
    json_t *contents = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        json_array_append_new(contents, service_json(ix, row, false));
    json_decref(rows);
    store_index_release(ix);
    return serve_json(r, page_json(contents, total, page, per_page));
}

static int not_found(struct req *r, const char *what)
{
    struct buf msg = BUF_INIT;
    buf_printf(&msg, "No %s has the id '%.80s'.", what, r->args[0]);
    problem_reply(r, 404, msg.data);
    buf_reset(&msg);
    return 404;
}

int oruk_service(struct req *r)
{
    lower(r->args[0]);
    if (!is_uuid(r->args[0]))
        return not_found(r, "service");
    json_t *row;
    int found = store_service_get(r->args[0], &row);
    if (found < 0)
        return unavailable(r);
    if (!found)
        return not_found(r, "service");
    struct store_index *ix = store_index_acquire();
    json_t *s = ix ? service_json(ix, row, true) : NULL;
    store_index_release(ix);
    json_decref(row);
    return s ? serve_json(r, s) : unavailable(r);
}

/* ---- taxonomies ---------------------------------------------------------- */

int oruk_taxonomies(struct req *r)
{
    struct problems p;
    problem_list_init(&p);
    long page, per_page;
    paging_params(r, &p, &page, &per_page);
    bool ok = problem_list_none_or_reply(r, &p);
    problem_list_reset(&p);
    if (!ok)
        return r->status;
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return unavailable(r);
    json_t *contents = json_array();
    for (int t = 0; t < TAX_COUNT; t++)
        if ((long)t >= (page - 1) * per_page && (long)t < page * per_page)
            json_array_append_new(contents, taxonomy_json(ix, t, false));
    store_index_release(ix);
    return serve_json(r, page_json(contents, TAX_COUNT, page, per_page));
}

int oruk_taxonomy(struct req *r)
{
    lower(r->args[0]);
    int t = is_uuid(r->args[0]) ? tax_find(r->args[0]) : -1;
    if (t < 0)
        return not_found(r, "taxonomy");
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return unavailable(r);
    json_t *o = taxonomy_json(ix, t, true);
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
    bool ok = problem_list_none_or_reply(r, &p);
    problem_list_reset(&p);
    if (!ok)
        return r->status;
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return unavailable(r);
    int only_tax = taxonomy ? tax_find(taxonomy) : -1;
    json_t *contents = json_array();
    size_t total = 0;
    for (int t = 0; t < TAX_COUNT; t++) {
        if (taxonomy && only_tax != t)
            continue;
        size_t n = t == TAX_AUDIENCE ? ix->n_audiences : ix->n_topics;
        for (size_t i = 0; i < n; i++) {
            int parent_idx = t == TAX_TOPIC ? ix->topics[i].parent : -1;
            if (top_only && parent_idx >= 0)
                continue;
            if (parent && (parent_idx < 0 || strcasecmp(ix->topics[parent_idx].id, parent) != 0))
                continue;
            if (total >= (size_t)((page - 1) * per_page) && total < (size_t)(page * per_page))
                json_array_append_new(contents, term_json(ix, t, i));
            total++;
        }
    }
    store_index_release(ix);
    return serve_json(r, page_json(contents, total, page, per_page));
}

int oruk_taxonomy_term(struct req *r)
{
    lower(r->args[0]);
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return unavailable(r);
    int tax;
    size_t idx;
    if (!is_uuid(r->args[0]) || !term_find(ix, r->args[0], &tax, &idx)) {
        store_index_release(ix);
        return not_found(r, "taxonomy term");
    }
    json_t *o = term_json(ix, tax, idx);
    store_index_release(ix);
    return serve_json(r, o);
}

/* ---- organizations ------------------------------------------------------- */

static json_t *organization_json(json_t *row)
{
    json_t *o = organization_brief(row, "");
    struct buf uri = BUF_INIT;
    buf_printf(&uri, "%s" ORUK_BASE "/organizations/", public_url);
    esc_url_str(&uri, row_str(row, "id"));
    if (esc_is_web_url(uri.data))
        set_str(o, "uri", uri.data);
    buf_reset(&uri);
    return o;
}

/* Every service of an organisation, fully nested. */
static json_t *services_of(const struct store_index *ix, const char *org_id)
{
    struct store_service_filter f = {.age_from = -1, .age_to = -1, .org_id = org_id,
                                     .limit = 1000000};
    json_t *rows;
    size_t total;
    if (store_services(&f, &rows, &total) != 0)
        return NULL;
    json_t *list = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *s = service_json(ix, row, true);
        if (!s) {
            json_decref(list);
            json_decref(rows);
            return NULL;
        }
        json_array_append_new(list, s);
    }
    json_decref(rows);
    return list;
}

int oruk_organizations(struct req *r)
{
    struct problems p;
    problem_list_init(&p);
    long page, per_page;
    paging_params(r, &p, &page, &per_page);
    bool ok = problem_list_none_or_reply(r, &p);
    problem_list_reset(&p);
    if (!ok)
        return r->status;
    json_t *rows;
    size_t total;
    if (store_organizations((size_t)(page - 1) * (size_t)per_page, (size_t)per_page, &rows,
                            &total) != 0)
        return unavailable(r);
    json_t *contents = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        json_array_append_new(contents, organization_json(row));
    json_decref(rows);
    return serve_json(r, page_json(contents, total, page, per_page));
}

int oruk_organization(struct req *r)
{
    lower(r->args[0]);
    if (!is_uuid(r->args[0]))
        return not_found(r, "organization");
    json_t *row;
    int found = store_organization_get(r->args[0], &row);
    if (found < 0)
        return unavailable(r);
    if (!found)
        return not_found(r, "organization");
    json_t *o = organization_json(row);
    json_decref(row);
    struct store_index *ix = store_index_acquire();
    json_t *services = ix ? services_of(ix, json_string_value(json_object_get(o, "id"))) : NULL;
    store_index_release(ix);
    if (!services) {
        json_decref(o);
        return unavailable(r);
    }
    json_object_set_new(o, "services", services);
    return serve_json(r, o);
}

/* ---- the feed's own description ------------------------------------------ */

int oruk_index(struct req *r)
{
    struct buf url = BUF_INIT;
    buf_printf(&url, "%s" ORUK_BASE "/openapi.json", public_url);
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

json_t *oruk_export(void)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return NULL;
    json_t *doc = json_object();
    json_object_set_new(doc, "version", json_string("HSDS-UK-3.0"));
    json_t *taxonomies = json_array();
    for (int t = 0; t < TAX_COUNT; t++)
        json_array_append_new(taxonomies, taxonomy_json(ix, t, true));
    json_object_set_new(doc, "taxonomies", taxonomies);
    json_t *orgs = json_array();
    size_t offset = 0, total = 0;
    for (;;) {
        json_t *rows;
        if (store_organizations(offset, 500, &rows, &total) != 0)
            goto fail;
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row) {
            json_t *o = organization_json(row);
            json_t *services = services_of(ix, json_string_value(json_object_get(o, "id")));
            if (!services) {
                json_decref(o);
                json_decref(rows);
                goto fail;
            }
            json_object_set_new(o, "services", services);
            json_array_append_new(orgs, o);
        }
        size_t n = json_array_size(rows);
        json_decref(rows);
        offset += n;
        if (n == 0 || offset >= total)
            break;
    }
    json_object_set_new(doc, "organizations", orgs);
    store_index_release(ix);
    return doc;
fail:
    json_decref(orgs);
    json_decref(doc);
    store_index_release(ix);
    return NULL;
}
