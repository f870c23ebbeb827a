/* import.c: a file into the directory: every record checked first by the
 * records layer (the write API's rules) and every error reported with its
 * record and field, then all of it applied in one transaction, or nothing.
 * See exchange.h. */
#include "exchange/exchange_int.h"
#include "lib/escape.h"
#include "lib/util.h"
#include "records/org.h"
#include "records/record.h"
#include "records/resource.h"
#include "store/store.h"
#include "views/csv.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FORMAT_NAME EXCHANGE_FORMAT

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

/* Records "pointer: reason" as one problem. */
void exchange_problem_at(struct problems *p, const char *fmt, ...)
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
            exchange_problem_at(p, "/%s: must be a list", names[k]);
            continue;
        }
        size_t i;
        json_t *t;
        json_array_foreach(list, i, t) {
            const char *id = json_string_value(json_object_get(t, "id"));
            const char *slug = json_string_value(json_object_get(t, "slug"));
            const char *label = json_string_value(json_object_get(t, "label"));
            if (!is_uuid(id))
                exchange_problem_at(p, "/%s/%zu/id: must be a UUID", names[k], i);
            if (!is_slug(slug))
                exchange_problem_at(p, "/%s/%zu/slug: must be a slug (a-z, 0-9, -)", names[k], i);
            if (!label || !*label || strlen(label) > 120)
                exchange_problem_at(p, "/%s/%zu/label: must be 1 to 120 characters", names[k], i);
            char at[48];
            snprintf(at, sizeof at, "/%s/%zu", names[k], i);
            record_strings_free(record_search_terms(t, "search_terms", p, at));
            if (!json_is_integer(json_object_get(t, "position")))
                exchange_problem_at(p, "/%s/%zu/position: must be a whole number", names[k], i);
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
                exchange_problem_at(p, "/topics/%zu/parent: no topic has the slug %s", i, parent);
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
        exchange_problem_at(p, "%s/id: must be a UUID", at);
    const char *stamps[] = {"created_at", "updated_at", "archived_at"};
    for (int k = 0; k < 3; k++) {
        bool bad = false;
        const char *s = opt_str(r, stamps[k], &bad);
        if (bad || (s && !is_timestamp(s)))
            exchange_problem_at(p, "%s/%s: must be a time such as 2026-01-31T09:00:00Z", at, stamps[k]);
    }
}

/* ---- import: applying ---------------------------------------------------- */

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

static int apply_org(json_t *o, struct store_org_in *in, const char *actor, FILE *err,
                     struct exchange_counts *counts)
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
            .audiences = record_strings_of(json_object_get(r, "audiences")),
            .topics = record_strings_of(json_object_get(r, "topics")),
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
    if (after && before && strcmp(before, after) == 0) {
        rc = 0; /* nothing changed: no revision */
        counts->unchanged++;
    } else {
        rc = after && store_revision_add("organisation", id, "import", actor, before, after,
                                         NULL) == STORE_OK ? 0 : -1;
        if (before)
            counts->changed++;
        else
            counts->added++;
    }
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

int exchange_import(const char *path, bool dry_run, FILE *err, struct buf *summary)
{
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
    size_t dot = strlen(path);
    bool csv = dot > 4 && strcasecmp(path + dot - 4, ".csv") == 0;
    struct exchange_counts counts;
    int rc = exchange_import_text(buf_str(&text), text.len, csv, dry_run, "cli:import", path, err,
                                  summary, &counts);
    buf_reset(&text);
    return rc;
}

int exchange_import_text(const char *text, size_t len, bool csv, bool dry_run,
                         const char *actor, const char *path, FILE *err, struct buf *summary,
                         struct exchange_counts *counts)
{
    memset(counts, 0, sizeof *counts);

    struct problems p;
    problem_list_init(&p);
    json_t *doc = NULL;
    struct store_index *ix = store_index_acquire();
    struct vocab v = {0};
    struct store_index vix = {0};
    int rc = 1;
    if (!ix) {
        rc = -1;
        goto out;
    }
    if (csv) {
        doc = exchange_csv_to_doc(text, len, &p);
    } else {
        json_error_t jerr;
        doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!doc)
            exchange_problem_at(&p, "/: is not valid JSON (line %d, column %d: %s)", jerr.line,
                       jerr.column, jerr.text);
        else if (!json_is_object(doc) ||
                 strcmp(json_string_value(json_object_get(doc, "format")) ?: "", FORMAT_NAME))
            exchange_problem_at(&p, "/format: must be \"" FORMAT_NAME "\" (a file from signpost export)");
    }
    if (p.n)
        goto report;
    check_taxonomy(doc, &p, &v, ix);
    json_t *orgs = json_object_get(doc, "organisations");
    if (!json_is_array(orgs)) {
        exchange_problem_at(&p, "/organisations: must be a list");
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
            exchange_problem_at(&p, "%s: must be an object", at);
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
            exchange_problem_at(&p, "%s/id: must be a UUID", at);
        const char *stamps[] = {"created_at", "updated_at"};
        bool bad = false;
        for (int k = 0; k < 2; k++) {
            const char *s = opt_str(o, stamps[k], &bad);
            if (bad || (s && !is_timestamp(s)))
                exchange_problem_at(&p, "%s/%s: must be a time such as 2026-01-31T09:00:00Z", at,
                           stamps[k]);
        }
        const char *lr = opt_str(o, "last_reviewed", &bad);
        if (lr && !is_date(lr))
            exchange_problem_at(&p, "%s/last_reviewed: must be a date such as 2026-01-31", at);
        json_t *resources = json_object_get(o, "resources");
        if (resources && !json_is_array(resources)) {
            exchange_problem_at(&p, "%s/resources: must be a list", at);
        } else {
            size_t k;
            json_t *r;
            json_array_foreach(resources, k, r) {
                char rat[96];
                snprintf(rat, sizeof rat, "%s/resources/%zu", at, k);
                if (json_is_object(r))
                    check_resource(r, rat, &p, &vix);
                else
                    exchange_problem_at(&p, "%s: must be an object", rat);
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
                    exchange_problem_at(&p, "%s/%s: repeats /organisations/%zu", at, keys[q], k);
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
        rc = apply_org(o, &in, actor, err, counts);
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
        buf_printf(summary, "%s %zu organisations from %s (%zu new, %zu changed, %zu unchanged)",
                   dry_run ? "would import" : "imported", count, path, counts->added,
                   counts->changed, counts->unchanged);
out:
    problem_list_reset(&p);
    free(v.audiences);
    free(v.topics);
    json_decref(doc);
    store_index_release(ix);
    return rc;
}

