/* exchange.c: see exchange.h. */
#include "exchange/exchange.h"
#include "lib/escape.h"
#include "store/store.h"
#include "lib/util.h"
#include "views/problem.h"
#include "views/csv.h"
#include "records/org.h"
#include "records/record.h"
#include "records/resource.h"

#include <ctype.h>
#include <stdarg.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT_NAME "signpost/1"

/* ---- export -------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *slug_array(char **list)
{
    json_t *a = json_array();
    for (char **s = list; s && *s; s++)
        json_array_append_new(a, json_string(*s));
    return a;
}

/* One organisation with everything an import needs. NULL on error. */
static json_t *org_export(json_t *row)
{
    struct store_org_detail d;
    const char *slug = json_string_value(json_object_get(row, "slug"));
    if (store_org_get_any(slug, true, &d) != 1)
        return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(d.id));
    json_object_set_new(o, "slug", json_string(d.slug));
    json_object_set_new(o, "name", json_string(d.name));
    json_object_set_new(o, "summary", json_string(d.summary));
    json_object_set_new(o, "description", json_string(d.description));
    json_object_set_new(o, "website", str_or_null(d.website));
    json_object_set_new(o, "kind", json_string(d.kind));
    json_object_set_new(o, "coverage", json_string(d.coverage));
    json_object_set_new(o, "source", json_string(d.source));
    json_object_set_new(o, "last_reviewed", str_or_null(d.last_reviewed));
    json_object_set_new(o, "reviewed_by", str_or_null(d.reviewed_by));
    json_object_set_new(o, "created_at", str_or_null(d.created_at));
    json_object_set_new(o, "updated_at", str_or_null(d.updated_at));
    json_object_set_new(o, "archived_at", str_or_null(d.archived_at));
    json_object_set_new(o, "audiences", slug_array(d.audiences));
    json_object_set_new(o, "topics", slug_array(d.topics));
    json_object_set_new(o, "search_terms", slug_array(d.search_terms));
    json_t *contacts = json_array();
    for (size_t i = 0; i < d.n_contacts; i++)
        json_array_append_new(contacts, json_pack("{s:s, s:s, s:s, s:o}", "kind",
                                                  d.contacts[i].kind, "label", d.contacts[i].label,
                                                  "value", d.contacts[i].value, "hours",
                                                  str_or_null(d.contacts[i].hours)));
    json_object_set_new(o, "contacts", contacts);
    store_org_detail_reset(&d);

    json_t *rows;
    if (store_dump_resources(json_integer_value(json_object_get(row, "pk")), &rows) != 0) {
        json_decref(o);
        return NULL;
    }
    json_t *resources = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        json_object_del(r, "pk");
        store_lists_from_text(r);
        json_array_append(resources, r);
    }
    json_decref(rows);
    json_object_set_new(o, "resources", resources);
    return o;
}

static int export_json(struct buf *out)
{
    json_t *audiences, *topics, *orgs;
    if (store_dump_taxonomy(&audiences, &topics) != 0)
        return -1;
    if (store_dump_orgs(&orgs) != 0) {
        json_decref(audiences);
        json_decref(topics);
        return -1;
    }
    json_t *list = json_array();
    size_t i;
    json_t *row;
    int rc = 0;
    json_array_foreach(orgs, i, row) {
        json_t *o = org_export(row);
        if (!o) {
            rc = -1;
            break;
        }
        json_array_append_new(list, o);
    }
    json_decref(orgs);
    json_t *doc = json_pack("{s:s, s:o, s:o, s:o}", "format", FORMAT_NAME, "audiences",
                            audiences, "topics", topics, "organisations", list);
    if (rc == 0) {
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (text) {
            buf_puts(out, text);
            buf_putc(out, '\n');
            free(text);
        } else {
            rc = -1;
        }
    }
    json_decref(doc);
    return rc;
}

static const char *const csv_columns[] = {
    "id", "slug", "name", "summary", "description", "website", "kind", "coverage",
    "audiences", "topics", "phones", "emails", "last_reviewed", "source", "updated_at",
    "archived_at", NULL};

static void join_contacts(struct buf *b, const struct store_org_detail *d, bool phones)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    for (size_t i = 0; i < d->n_contacts; i++) {
        const char *k = d->contacts[i].kind;
        bool is_phone = !strcmp(k, "phone") || !strcmp(k, "text");
        if (phones ? !is_phone : strcmp(k, "email") != 0)
            continue;
        if (b->len)
            buf_puts(b, "; ");
        buf_puts(b, d->contacts[i].value);
    }
}

static void join_slugs(struct buf *b, char **list)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    for (char **s = list; s && *s; s++)
        buf_printf(b, "%s%s", b->len ? ";" : "", *s);
}

static int export_csv(struct buf *out)
{
    json_t *orgs;
    if (store_dump_orgs(&orgs) != 0)
        return -1;
    for (int i = 0; csv_columns[i]; i++)
        buf_printf(out, "%s%s", i ? "," : "", csv_columns[i]);
    buf_puts(out, "\r\n");
    size_t i;
    json_t *row;
    struct buf tmp = BUF_INIT;
    int rc = 0;
    json_array_foreach(orgs, i, row) {
        struct store_org_detail d;
        if (store_org_get_any(json_string_value(json_object_get(row, "slug")), true, &d) != 1) {
            rc = -1;
            break;
        }
        const char *cells[16];
        struct buf aud = BUF_INIT, top = BUF_INIT, ph = BUF_INIT, em = BUF_INIT;
        join_slugs(&aud, d.audiences);
        join_slugs(&top, d.topics);
        join_contacts(&ph, &d, true);
        join_contacts(&em, &d, false);
        cells[0] = d.id, cells[1] = d.slug, cells[2] = d.name, cells[3] = d.summary;
        cells[4] = d.description, cells[5] = d.website, cells[6] = d.kind, cells[7] = d.coverage;
        cells[8] = buf_str(&aud), cells[9] = buf_str(&top), cells[10] = buf_str(&ph);
        cells[11] = buf_str(&em), cells[12] = d.last_reviewed, cells[13] = d.source;
        cells[14] = d.updated_at, cells[15] = d.archived_at;
        for (int c = 0; c < 16; c++) {
            if (c)
                buf_putc(out, ',');
            csv_field(out, cells[c]);
        }
        buf_puts(out, "\r\n");
        buf_reset(&aud);
        buf_reset(&top);
        buf_reset(&ph);
        buf_reset(&em);
        store_org_detail_reset(&d);
    }
    buf_reset(&tmp);
    json_decref(orgs);
    return rc;
}

int exchange_export(const char *format, struct buf *out)
{
    if (strcmp(format, "json") == 0)
        return export_json(out);
    if (strcmp(format, "csv") == 0)
        return export_csv(out);
    return -1;
}

/* ---- import: checking ---------------------------------------------------- */

static bool is_uuid(const char *s)
{
    if (!s || strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++)
        if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-'
                                                      : !isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* One rule for slugs: the records layer's. */
static bool is_slug(const char *s)
{
    return s && record_is_slug(s);
}

static bool is_timestamp(const char *s)
{
    int y, mo, d, h, mi, se, n = 0;
    return s && sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &n) == 6 &&
           n == 20 && !s[n];
}

static bool is_date(const char *s)
{
    int y, mo, d, n = 0;
    return s && sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10 && !s[n] &&
           mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

static void problem_at(struct problems *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records "pointer: reason" as one problem. */
static void problem_at(struct problems *p, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    buf_puts(&b, tmp);
    char *colon = strstr(b.data, ": ");
    if (colon) {
        *colon = '\0';
        problem_list_add(p, b.data, "file", colon + 2, NULL, 0);
    } else {
        problem_list_add(p, "/", "file", b.data, NULL, 0);
    }
    buf_reset(&b);
}

/* The terms an import may use: the file's and the database's. */
struct vocab {
    struct store_term *audiences, *topics;
    size_t n_audiences, n_topics;
};

static void vocab_add(struct store_term **list, size_t *n, const char *slug)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i].slug, slug) == 0)
            return;
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    memset(&(*list)[*n], 0, sizeof **list);
    (*list)[*n].slug = (char *)slug; /* borrowed */
    (*list)[*n].parent = -1;
    (*n)++;
}

static const char *opt_str(json_t *o, const char *key, bool *bad)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = true;
        return NULL;
    }
    return json_string_value(v);
}

static void check_taxonomy(json_t *doc, struct problems *p, struct vocab *v,
                           const struct store_index *ix)
{
    const char *names[2] = {"audiences", "topics"};
    for (int k = 0; k < 2; k++) {
        json_t *list = json_object_get(doc, names[k]);
        if (!list)
            continue;
        if (!json_is_array(list)) {
            problem_at(p, "/%s: must be a list", names[k]);
            continue;
        }
        size_t i;
        json_t *t;
        json_array_foreach(list, i, t) {
            const char *id = json_string_value(json_object_get(t, "id"));
            const char *slug = json_string_value(json_object_get(t, "slug"));
            const char *label = json_string_value(json_object_get(t, "label"));
            if (!is_uuid(id))
                problem_at(p, "/%s/%zu/id: must be a UUID", names[k], i);
            if (!is_slug(slug))
                problem_at(p, "/%s/%zu/slug: must be a slug (a-z, 0-9, -)", names[k], i);
            if (!label || !*label || strlen(label) > 120)
                problem_at(p, "/%s/%zu/label: must be 1 to 120 characters", names[k], i);
            char at[48];
            snprintf(at, sizeof at, "/%s/%zu", names[k], i);
            record_strings_free(record_search_terms(t, "search_terms", p, at));
            if (!json_is_integer(json_object_get(t, "position")))
                problem_at(p, "/%s/%zu/position: must be a whole number", names[k], i);
            if (is_slug(slug))
                vocab_add(k ? &v->topics : &v->audiences, k ? &v->n_topics : &v->n_audiences,
                          slug);
        }
    }
    for (size_t i = 0; i < ix->n_audiences; i++)
        vocab_add(&v->audiences, &v->n_audiences, ix->audiences[i].slug);
    for (size_t i = 0; i < ix->n_topics; i++)
        vocab_add(&v->topics, &v->n_topics, ix->topics[i].slug);
    json_t *topics = json_object_get(doc, "topics");
    size_t i;
    json_t *t;
    if (json_is_array(topics))
        json_array_foreach(topics, i, t) {
            const char *parent = json_string_value(json_object_get(t, "parent"));
            bool found = !parent;
            for (size_t k = 0; parent && k < v->n_topics; k++)
                found |= strcmp(v->topics[k].slug, parent) == 0;
            if (!found)
                problem_at(p, "/topics/%zu/parent: no topic has the slug %s", i, parent);
        }
}

/* A resource of the file: the records layer checks it as the write API
 * does (one rule for both); import adds its id and times. */
static void check_resource(json_t *r, const char *at, struct problems *p,
                           const struct store_index *vix)
{
    json_t *copy = json_copy(r);
    static const char *const import_only[] = {"created_at", "archived_at", NULL};
    for (int k = 0; import_only[k]; k++)
        json_object_del(copy, import_only[k]);
    struct store_resource_in in = {0};
    resource_input(copy, NULL, vix, p, at, &in);
    resource_input_reset(&in);
    json_decref(copy);
    if (!is_uuid(json_string_value(json_object_get(r, "id"))))
        problem_at(p, "%s/id: must be a UUID", at);
    const char *stamps[] = {"created_at", "updated_at", "archived_at"};
    for (int k = 0; k < 3; k++) {
        bool bad = false;
        const char *s = opt_str(r, stamps[k], &bad);
        if (bad || (s && !is_timestamp(s)))
            problem_at(p, "%s/%s: must be a time such as 2026-01-31T09:00:00Z", at, stamps[k]);
    }
}

/* ---- import: applying ---------------------------------------------------- */

static char **strings_of(json_t *list)
{
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    char **out = xcalloc(n + 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = (char *)json_string_value(json_array_get(list, i));
    return out;
}

static int apply_taxonomy(json_t *doc)
{
    json_t *list = json_object_get(doc, "audiences");
    size_t i;
    json_t *t;
    json_array_foreach(list, i, t)
        if (store_audience_upsert(json_string_value(json_object_get(t, "id")),
                                  json_string_value(json_object_get(t, "slug")),
                                  json_string_value(json_object_get(t, "label")),
                                  json_string_value(json_object_get(t, "description")),
                                  json_integer_value(json_object_get(t, "position"))) != STORE_OK)
            return -1;
    list = json_object_get(doc, "topics");
    /* Twice, so a parent listed after its child is linked on the second pass. */
    for (int pass = 0; pass < 2; pass++)
        json_array_foreach(list, i, t) {
            struct problems checked; /* check_taxonomy found none */
            problem_list_init(&checked);
            char **terms = pass ? record_search_terms(t, "search_terms", &checked, "") : NULL;
            problem_list_reset(&checked);
            int rc = store_topic_upsert(json_string_value(json_object_get(t, "id")),
                                        json_string_value(json_object_get(t, "slug")),
                                        json_string_value(json_object_get(t, "label")),
                                        json_string_value(json_object_get(t, "description")),
                                        json_string_value(json_object_get(t, "parent")),
                                        json_integer_value(json_object_get(t, "position")),
                                        json_string_value(json_object_get(t, "source")),
                                        json_string_value(json_object_get(t, "guidance_md")),
                                        terms);
            record_strings_free(terms);
            if (rc != STORE_OK)
                return -1;
        }
    return 0;
}

/* The JSON of a record as stored (as revisions keep it), or NULL if there
 * is none. */
static char *snapshot(const char *slug)
{
    struct store_org_detail d;
    if (store_org_get_any(slug, true, &d) != 1)
        return NULL;
    struct buf b = BUF_INIT;
    org_body(&b, &d, RECORD_STORED);
    store_org_detail_reset(&d);
    return buf_detach(&b, NULL);
}

static int apply_org(json_t *o, struct store_org_in *in, FILE *err)
{
    const char *id = json_string_value(json_object_get(o, "id"));
    bool bad = false;
    in->id = id;
    in->created_at = opt_str(o, "created_at", &bad);
    in->updated_at = opt_str(o, "updated_at", &bad);
    in->last_reviewed = opt_str(o, "last_reviewed", &bad);
    in->reviewed_by = opt_str(o, "reviewed_by", &bad);
    int exists = store_org_exists(id);
    if (exists < 0)
        return -1;
    char *before = NULL;
    if (exists) {
        json_t *rows;
        /* find the current slug for the snapshot */
        if (store_dump_orgs(&rows) != 0)
            return -1;
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row)
            if (strcmp(json_string_value(json_object_get(row, "id")), id) == 0)
                before = snapshot(json_string_value(json_object_get(row, "slug")));
        json_decref(rows);
    }
    int rc = exists ? store_org_update(id, in) : store_org_insert(in);
    if (rc == STORE_CONFLICT) {
        fprintf(err, "  organisation %s: its slug '%s' belongs to another organisation\n", id,
                in->slug);
        free(before);
        return 1;
    }
    if (rc != STORE_OK ||
        store_org_set_state(id, in->last_reviewed, in->reviewed_by,
                            opt_str(o, "archived_at", &bad), in->updated_at) != STORE_OK) {
        free(before);
        return -1;
    }
    json_t *resources = json_object_get(o, "resources");
    size_t i;
    json_t *r;
    json_array_foreach(resources, i, r) {
        struct store_resource_in ri = {
            .id = json_string_value(json_object_get(r, "id")),
            .slug = json_string_value(json_object_get(r, "slug")),
            .name = json_string_value(json_object_get(r, "name")),
            .type = json_string_value(json_object_get(r, "type")),
            .url = opt_str(r, "url", &bad),
            .summary = opt_str(r, "summary", &bad),
            .source = json_string_value(json_object_get(r, "source")),
            .created_at = opt_str(r, "created_at", &bad),
            .updated_at = opt_str(r, "updated_at", &bad),
            .archived_at = opt_str(r, "archived_at", &bad),
            .age_min = json_is_integer(json_object_get(r, "age_min"))
                           ? (int)json_integer_value(json_object_get(r, "age_min")) : -1,
            .age_max = json_is_integer(json_object_get(r, "age_max"))
                           ? (int)json_integer_value(json_object_get(r, "age_max")) : -1,
            .audiences = strings_of(json_object_get(r, "audiences")),
            .topics = strings_of(json_object_get(r, "topics")),
        };
        rc = store_resource_upsert(id, &ri, (int64_t)i);
        free(ri.audiences);
        free(ri.topics);
        if (rc == STORE_CONFLICT) {
            fprintf(err, "  resource %s: its slug '%s' belongs to another resource\n", ri.id,
                    ri.slug);
            free(before);
            return 1;
        }
        if (rc != STORE_OK) {
            free(before);
            return -1;
        }
    }
    char *after = snapshot(in->slug);
    if (after && before && strcmp(before, after) == 0)
        rc = 0; /* nothing changed: no revision */
    else
        rc = after && store_revision_add("organisation", id, "import", "cli:import", before,
                                         after, NULL) == STORE_OK ? 0 : -1;
    free(before);
    free(after);
    return rc;
}

/* Prints each recorded problem as "  /pointer: reason". */
static void print_problems(struct problems *p, FILE *err)
{
    jsonw_arr_close(&p->w);
    json_t *list = json_loadb(p->errors.data, p->errors.len, 0, NULL);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
        fprintf(err, "  %s: %s\n", json_string_value(json_object_get(e, "name")),
                json_string_value(json_object_get(e, "reason")));
    json_decref(list);
}

static json_t *csv_to_doc(const char *text, size_t len, struct problems *p);

int exchange_import(const char *path, bool dry_run, FILE *err, struct buf *summary)
{
    size_t len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(err, "signpost: cannot read %s\n", path);
        return 1;
    }
    struct buf text = BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&text, chunk, n);
    fclose(f);
    len = text.len;

    struct problems p;
    problem_list_init(&p);
    json_t *doc = NULL;
    struct store_index *ix = store_index_acquire();
    struct vocab v = {0};
    struct store_index vix = {0};
    int rc = 1;
    size_t dot = strlen(path);
    bool csv = dot > 4 && strcasecmp(path + dot - 4, ".csv") == 0;
    if (!ix) {
        rc = -1;
        goto out;
    }
    if (csv) {
        doc = csv_to_doc(buf_str(&text), len, &p);
    } else {
        json_error_t jerr;
        doc = json_loadb(buf_str(&text), len, JSON_REJECT_DUPLICATES, &jerr);
        if (!doc)
            problem_at(&p, "/: is not valid JSON (line %d, column %d: %s)", jerr.line,
                       jerr.column, jerr.text);
        else if (!json_is_object(doc) ||
                 strcmp(json_string_value(json_object_get(doc, "format")) ?: "", FORMAT_NAME))
            problem_at(&p, "/format: must be \"" FORMAT_NAME "\" (a file from signpost export)");
    }
    if (p.n)
        goto report;
    check_taxonomy(doc, &p, &v, ix);
    json_t *orgs = json_object_get(doc, "organisations");
    if (!json_is_array(orgs)) {
        problem_at(&p, "/organisations: must be a list");
        goto report;
    }
    vix.audiences = v.audiences;
    vix.n_audiences = v.n_audiences;
    vix.topics = v.topics;
    vix.n_topics = v.n_topics;
    size_t i;
    json_t *o;
    json_array_foreach(orgs, i, o) {
        char at[64];
        json_t *line = json_object_get(o, "_line");
        if (json_is_integer(line))
            snprintf(at, sizeof at, "line %lld ", (long long)json_integer_value(line));
        else
            snprintf(at, sizeof at, "/organisations/%zu", i);
        if (!json_is_object(o)) {
            problem_at(&p, "%s: must be an object", at);
            continue;
        }
        json_t *copy = json_copy(o);
        static const char *const import_only[] = {"reviewed_by", "created_at", "archived_at",
                                                  NULL};
        for (int k = 0; import_only[k]; k++)
            json_object_del(copy, import_only[k]);
        json_object_del(copy, "_line");
        json_object_del(copy, "resources");
        struct store_org_in in;
        org_input(copy, NULL, &vix, &p, at, &in);
        org_input_reset(&in);
        json_decref(copy);
        if (!is_uuid(json_string_value(json_object_get(o, "id"))))
            problem_at(&p, "%s/id: must be a UUID", at);
        const char *stamps[] = {"created_at", "updated_at"};
        bool bad = false;
        for (int k = 0; k < 2; k++) {
            const char *s = opt_str(o, stamps[k], &bad);
            if (bad || (s && !is_timestamp(s)))
                problem_at(&p, "%s/%s: must be a time such as 2026-01-31T09:00:00Z", at,
                           stamps[k]);
        }
        const char *lr = opt_str(o, "last_reviewed", &bad);
        if (lr && !is_date(lr))
            problem_at(&p, "%s/last_reviewed: must be a date such as 2026-01-31", at);
        json_t *resources = json_object_get(o, "resources");
        if (resources && !json_is_array(resources)) {
            problem_at(&p, "%s/resources: must be a list", at);
        } else {
            size_t k;
            json_t *r;
            json_array_foreach(resources, k, r) {
                char rat[96];
                snprintf(rat, sizeof rat, "%s/resources/%zu", at, k);
                if (json_is_object(r))
                    check_resource(r, rat, &p, &vix);
                else
                    problem_at(&p, "%s: must be an object", rat);
            }
        }
        /* duplicates within the file */
        for (size_t k = 0; k < i; k++) {
            json_t *prev = json_array_get(orgs, k);
            const char *keys[] = {"id", "slug"};
            for (int q = 0; q < 2; q++) {
                const char *a = json_string_value(json_object_get(prev, keys[q]));
                const char *b = json_string_value(json_object_get(o, keys[q]));
                if (a && b && strcmp(a, b) == 0)
                    problem_at(&p, "%s/%s: repeats /organisations/%zu", at, keys[q], k);
            }
        }
    }
report:
    if (p.n) {
        fprintf(err, "signpost: %s has %zu error%s; nothing was imported:\n", path, p.n,
                p.n == 1 ? "" : "s");
        print_problems(&p, err);
        rc = 1;
        goto out;
    }
    /* All or nothing. */
    if (store_begin() != 0) {
        rc = -1;
        goto out;
    }
    rc = apply_taxonomy(doc);
    size_t count = 0;
    json_array_foreach(json_object_get(doc, "organisations"), i, o) {
        if (rc != 0)
            break;
        struct store_org_in in;
        json_t *copy = json_copy(o);
        json_object_del(copy, "resources");
        json_object_del(copy, "_line");
        struct problems ignore;
        problem_list_init(&ignore);
        org_input(copy, NULL, &vix, &ignore, "", &in);
        problem_list_reset(&ignore);
        rc = apply_org(o, &in, err);
        org_input_reset(&in);
        json_decref(copy);
        count++;
    }
    if (rc != 0 || dry_run) {
        store_rollback();
        if (rc > 0)
            fprintf(err, "signpost: nothing was imported\n");
    } else if (store_commit() != 0) {
        rc = -1;
    }
    if (rc == 0)
        buf_printf(summary, "%s %zu organisations from %s", dry_run ? "would import" : "imported",
                   count, path);
out:
    problem_list_reset(&p);
    free(v.audiences);
    free(v.topics);
    json_decref(doc);
    store_index_release(ix);
    buf_reset(&text);
    return rc;
}

/* ---- CSV ----------------------------------------------------------------- */

/* Splits RFC 4180 text into rows of fields. Each row is a JSON array of
 * strings; rows[i] came from line lines[i]. */
static json_t *csv_parse(const char *s, size_t len, struct problems *p, json_t **lines)
{
    json_t *rows = json_array();
    *lines = json_array();
    size_t i = 0, line = 1;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* a spreadsheet's byte-order mark */
    struct buf field = BUF_INIT;
    while (i < len) {
        json_t *row = json_array();
        size_t start_line = line;
        for (;;) {
            field.len = 0;
            buf_grow(&field, 0);
            field.data[0] = '\0';
            if (i < len && s[i] == '"') {
                i++;
                for (;;) {
                    if (i >= len) {
                        problem_at(p, "line %zu: a quoted field is never closed", start_line);
                        goto done;
                    }
                    if (s[i] == '"') {
                        if (i + 1 < len && s[i + 1] == '"') {
                            buf_putc(&field, '"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (s[i] == '\n')
                        line++;
                    buf_putc(&field, s[i++]);
                }
            } else {
                while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
                    buf_putc(&field, s[i++]);
            }
            if (!esc_utf8_valid(buf_str(&field), field.len)) {
                problem_at(p, "line %zu: is not valid UTF-8 (save the file as CSV UTF-8)", line);
                goto done;
            }
            json_array_append_new(row, json_stringn(buf_str(&field), field.len));
            if (i < len && s[i] == ',') {
                i++;
                continue;
            }
            if (i < len && s[i] == '\r')
                i++;
            if (i < len && s[i] == '\n')
                i++;
            line++;
            break;
        }
        /* skip blank lines */
        if (json_array_size(row) == 1 && json_string_length(json_array_get(row, 0)) == 0) {
            json_decref(row);
            continue;
        }
        json_array_append_new(rows, row);
        json_array_append_new(*lines, json_integer((json_int_t)start_line));
    }
done:
    buf_reset(&field);
    return rows;
}

static json_t *split_list(const char *s, char sep)
{
    json_t *out = json_array();
    while (s && *s) {
        const char *e = strchr(s, sep);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        while (n && isspace((unsigned char)*s))
            s++, n--;
        while (n && isspace((unsigned char)s[n - 1]))
            n--;
        if (n)
            json_array_append_new(out, json_stringn(s, n));
        s = e ? e + 1 : NULL;
    }
    return out;
}

/* Replaces the contacts of kinds (phone and text, or email) with values,
 * keeping the label and hours of those that stay. */
static void merge_contacts(json_t *o, const char *values, bool phones)
{
    json_t *old = json_object_get(o, "contacts");
    json_t *keep = json_array(), *wanted = split_list(values, ';');
    size_t i, k;
    json_t *c, *v;
    json_array_foreach(old, i, c) {
        const char *kind = json_string_value(json_object_get(c, "kind"));
        bool is_phone = kind && (!strcmp(kind, "phone") || !strcmp(kind, "text"));
        bool ours = phones ? is_phone : kind && !strcmp(kind, "email");
        if (!ours) {
            json_array_append(keep, c);
            continue;
        }
        json_array_foreach(wanted, k, v)
            if (!strcmp(json_string_value(v), json_string_value(json_object_get(c, "value")))) {
                json_array_append(keep, c);
                json_array_remove(wanted, k);
                break;
            }
    }
    json_array_foreach(wanted, k, v)
        json_array_append_new(keep, json_pack("{s:s, s:s, s:O, s:n}", "kind",
                                              phones ? "phone" : "email", "label",
                                              phones ? "Phone" : "Email", "value", v, "hours"));
    json_decref(wanted);
    json_object_set_new(o, "contacts", keep);
}

static json_t *csv_to_doc(const char *text, size_t len, struct problems *p)
{
    json_t *lines;
    json_t *rows = csv_parse(text, len, p, &lines);
    json_t *doc = json_pack("{s:s, s:[]}", "format", FORMAT_NAME, "organisations");
    json_t *orgs = json_object_get(doc, "organisations");
    json_t *header = json_array_get(rows, 0);
    if (p->n || !header) {
        if (!p->n)
            problem_at(p, "line 1: the file is empty: it needs a header row");
        goto out;
    }
    size_t c;
    json_t *h;
    json_array_foreach(header, c, h) {
        bool known = false;
        for (int k = 0; csv_columns[k]; k++)
            known |= !strcmp(csv_columns[k], json_string_value(h));
        if (!known)
            problem_at(p, "line 1: unknown column \"%s\" (the columns are those of "
                          "signpost export --format csv)", json_string_value(h));
    }
    json_t *current;
    if (p->n || store_dump_orgs(&current) != 0)
        goto out;
    for (size_t r = 1; r < json_array_size(rows); r++) {
        json_t *row = json_array_get(rows, r);
        json_int_t line = json_integer_value(json_array_get(lines, r));
        if (json_array_size(row) != json_array_size(header)) {
            problem_at(p, "line %lld: has %zu fields but the header has %zu", (long long)line,
                       json_array_size(row), json_array_size(header));
            continue;
        }
        const char *id = NULL;
        json_array_foreach(header, c, h)
            if (!strcmp(json_string_value(h), "id"))
                id = json_string_value(json_array_get(row, c));
        json_t *o = NULL, *was = NULL;
        size_t k;
        json_t *cur;
        json_array_foreach(current, k, cur)
            if (id && *id && !strcmp(json_string_value(json_object_get(cur, "id")), id))
                o = org_export(cur);
        if (o) {
            was = json_deep_copy(o);
            json_object_del(was, "updated_at");
        }
        if (!o) {
            char *fresh = id && *id ? xstrdup(id) : store_uuid_new();
            o = json_pack("{s:s, s:[], s:[], s:[], s:[]}", "id", fresh ? fresh : "", "contacts",
                          "resources", "audiences", "topics");
            free(fresh);
        }
        json_array_foreach(header, c, h) {
            const char *col = json_string_value(h);
            const char *val = json_string_value(json_array_get(row, c));
            /* export wrote '= '+ '- '@ behind an apostrophe: take it off */
            if (val[0] == '\'' && val[1] && strchr("=+-@", val[1]))
                val++;
            if (!strcmp(col, "id") || !strcmp(col, "updated_at"))
                continue;
            if (!strcmp(col, "audiences") || !strcmp(col, "topics"))
                json_object_set_new(o, col, split_list(val, ';'));
            else if (!strcmp(col, "phones") || !strcmp(col, "emails"))
                merge_contacts(o, val, col[0] == 'p');
            else if (!*val && (!strcmp(col, "website") || !strcmp(col, "last_reviewed") ||
                               !strcmp(col, "archived_at")))
                json_object_set_new(o, col, json_null());
            else
                json_object_set_new(o, col, json_string(val));
        }
        json_object_del(o, "updated_at");  /* a spreadsheet edit is a change now */
        if (was && json_equal(was, o)) {
            /* unchanged: leave it, its revisions and its updated_at alone */
            json_decref(was);
            json_decref(o);
            continue;
        }
        json_decref(was);
        json_object_set_new(o, "_line", json_integer(line));
        json_array_append_new(orgs, o);
    }
    json_decref(current);
out:
    json_decref(rows);
    json_decref(lines);
    return doc;
}
