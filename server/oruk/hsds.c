/* hsds.c: the store's rows as HSDS 3.0 (UK profile) objects: taxonomies and
 * their terms, services with their contacts, phones, attributes and service
 * areas, organizations, list pages, and the bulk export. Rows come from the
 * store as jansson objects. IDs the directory does not store itself
 * (contacts, phones, attributes, service areas, the two taxonomies) are
 * name-based UUIDs derived from stable keys, so they never change between
 * requests or exports. */
#include "oruk/oruk_int.h"
#include "oruk/oruk.h"
#include "lib/escape.h"
#include "lib/sha256.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const hsds_tax_slug[TAX_COUNT] = {"audience", "topic"};
static const char *const tax_name[TAX_COUNT] = {"Signpost audiences", "Signpost topics"};
static const char *const tax_desc[TAX_COUNT] = {
    "Who a service is for: children, young people, parents and carers, professionals.",
    "What a service is about: online abuse, grooming, cyberbullying, sharing nudes, "
    "exploitation, reporting and more.",
};

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

static void tax_id(char out[37], int tax)
{
    derived_uuid(out, "taxonomy", hsds_tax_slug[tax], NULL);
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

/* Sets key to the address in uri when it is a web address, and empties uri. */
static void set_url(json_t *o, const char *key, struct buf *uri)
{
    if (esc_is_web_url(uri->data))
        set_str(o, key, uri->data);
    buf_reset(uri);
}

/* HSDS requires a description: text when it is not empty, else fallback,
 * else "". */
static void set_description(json_t *o, const char *text, const char *fallback)
{
    const char *d = text && *text ? text : fallback;
    set_str(o, "description", d ? d : "");
}

/* ---- taxonomies and their terms ------------------------------------------ */

const struct store_term *hsds_terms(const struct store_index *ix, int tax, size_t *n)
{
    *n = tax == TAX_AUDIENCE ? ix->n_audiences : ix->n_topics;
    return tax == TAX_AUDIENCE ? ix->audiences : ix->topics;
}

const struct store_term *hsds_term_find(const struct store_index *ix, const char *id,
                                        int *tax)
{
    for (int t = 0; t < TAX_COUNT; t++) {
        size_t n;
        const struct store_term *terms = hsds_terms(ix, t, &n);
        for (size_t i = 0; i < n; i++)
            if (strcmp(terms[i].id, id) == 0)
                return *tax = t, &terms[i];
    }
    return NULL;
}

int hsds_taxonomy_find(const char *id)
{
    char tid[37];
    for (int t = 0; t < TAX_COUNT; t++) {
        tax_id(tid, t);
        if (strcasecmp(tid, id) == 0)
            return t;
    }
    return -1;
}

json_t *hsds_term(const struct store_index *ix, int tax, const struct store_term *t)
{
    char tid[37];
    tax_id(tid, tax);
    json_t *o = json_object();
    set_str(o, "id", t->id);
    set_str(o, "name", t->label);
    set_str(o, "description", t->description);
    if (tax == TAX_TOPIC && t->parent >= 0)
        set_str(o, "parent_id", ix->topics[t->parent].id);
    set_str(o, "taxonomy", hsds_tax_slug[tax]);
    set_str(o, "taxonomy_id", tid);
    set_str(o, "code", t->slug);
    set_str(o, "term", t->slug);
    struct buf uri = BUF_INIT;
    if (tax == TAX_TOPIC)
        buf_printf(&uri, "%s/topics/", oruk_public_url);
    else
        buf_printf(&uri, "%s/organisations?audience=", oruk_public_url);
    esc_url_str(&uri, t->slug);
    set_url(o, "term_uri", &uri);
    return o;
}

json_t *hsds_taxonomy(const struct store_index *ix, int tax, bool with_terms)
{
    char tid[37];
    tax_id(tid, tax);
    json_t *o = json_object();
    set_str(o, "id", tid);
    set_str(o, "name", tax_name[tax]);
    set_str(o, "description", tax_desc[tax]);
    set_str(o, "version", "1");
    if (with_terms) {
        json_t *list = json_array();
        size_t n;
        const struct store_term *terms = hsds_terms(ix, tax, &n);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, hsds_term(ix, tax, &terms[i]));
        json_object_set_new(o, "taxonomy_terms", list);
    }
    return o;
}

/* ---- pages --------------------------------------------------------------- */

json_t *hsds_page(json_t *contents, size_t total, long page, long per_page)
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

json_t *hsds_page_of(json_t *rows, hsds_map *map, const struct store_index *ix,
                     size_t total, long page, long per_page)
{
    json_t *contents = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        json_array_append_new(contents, map(ix, row));
    json_decref(rows);
    return hsds_page(contents, total, page, per_page);
}

/* ---- services ------------------------------------------------------------ */

/* An organization's own fields, from the row's columns named prefix + field. */
static json_t *organization_brief(json_t *row, const char *prefix)
{
    char key[64];
    json_t *o = json_object();
#define COL(name) (snprintf(key, sizeof key, "%s%s", prefix, name), row_str(row, key))
    set_str(o, "id", COL("id"));
    set_str(o, "name", COL("name"));
    const char *desc = COL("description");
    set_description(o, desc, COL("summary"));
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

/* The resource's audiences and topics, as attributes linking it to terms. */
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
        size_t n;
        const struct store_term *terms = hsds_terms(ix, tax, &n);
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
            json_object_set_new(a, "taxonomy_term", hsds_term(ix, tax, &terms[t]));
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
    set_description(s, row_str(row, "summary"), row_str(row, "org_summary"));
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

json_t *hsds_service(const struct store_index *ix, json_t *row)
{
    return service_json(ix, row, false);
}

json_t *hsds_service_full(const struct store_index *ix, json_t *row)
{
    return service_json(ix, row, true);
}

/* ---- organizations ------------------------------------------------------- */

json_t *hsds_organization(const struct store_index *ix, json_t *row)
{
    (void)ix;
    json_t *o = organization_brief(row, "");
    struct buf uri = BUF_INIT;
    buf_printf(&uri, "%s" ORUK_BASE "/organizations/", oruk_public_url);
    esc_url_str(&uri, row_str(row, "id"));
    set_url(o, "uri", &uri);
    return o;
}

/* Every service of an organisation, fully nested. NULL on a database error. */
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
        json_t *s = hsds_service_full(ix, row);
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

json_t *hsds_organization_full(const struct store_index *ix, json_t *row)
{
    json_t *o = hsds_organization(ix, row);
    json_t *services = services_of(ix, json_string_value(json_object_get(o, "id")));
    if (!services) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "services", services);
    return o;
}

/* ---- the bulk export ----------------------------------------------------- */

json_t *oruk_export(void)
{
    struct store_index *ix = store_index_acquire();
    if (!ix)
        return NULL;
    json_t *doc = json_object();
    json_object_set_new(doc, "version", json_string("HSDS-UK-3.0"));
    json_t *taxonomies = json_array();
    for (int t = 0; t < TAX_COUNT; t++)
        json_array_append_new(taxonomies, hsds_taxonomy(ix, t, true));
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
            json_t *o = hsds_organization_full(ix, row);
            if (!o) {
                json_decref(rows);
                goto fail;
            }
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
