/* export.c: the directory out as a file: JSON (everything an import needs)
 * or CSV (one row per organisation, formula-safe). See exchange.h. */
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
json_t *exchange_org_export(json_t *row)
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
        json_t *o = exchange_org_export(row);
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

const char *const exchange_csv_columns[] = {
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
    for (int i = 0; exchange_csv_columns[i]; i++)
        buf_printf(out, "%s%s", i ? "," : "", exchange_csv_columns[i]);
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

