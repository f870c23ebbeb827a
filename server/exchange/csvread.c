/* csvread.c: a CSV file (RFC 4180, as a spreadsheet saves it) read into the
 * same document an import of JSON checks, each record keeping its line. */
#include "exchange/csvread.h"
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

/* ---- CSV ----------------------------------------------------------------- */

json_t *csvread_rows(const char *s, size_t len, struct problems *p, json_t **lines)
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
                        exchange_problem_at(p, "line %zu: a quoted field is never closed", start_line);
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
                exchange_problem_at(p, "line %zu: is not valid UTF-8 (save the file as CSV UTF-8)", line);
                goto done;
            }
            /* the formula guard undone, by its one rule (views/csv.h) */
            const char *value = csv_unguard(buf_str(&field));
            size_t taken = (size_t)(value - buf_str(&field));
            json_array_append_new(row, json_stringn(value, field.len - taken));
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

json_t *exchange_csv_to_doc(const char *text, size_t len, struct problems *p)
{
    json_t *lines;
    json_t *rows = csvread_rows(text, len, p, &lines);
    json_t *doc = json_pack("{s:s, s:[]}", "format", EXCHANGE_FORMAT, "organisations");
    json_t *orgs = json_object_get(doc, "organisations");
    json_t *header = json_array_get(rows, 0);
    if (p->n || !header) {
        if (!p->n)
            exchange_problem_at(p, "line 1: the file is empty: it needs a header row");
        goto out;
    }
    size_t c;
    json_t *h;
    json_array_foreach(header, c, h) {
        bool known = false;
        for (int k = 0; exchange_csv_columns[k]; k++)
            known |= !strcmp(exchange_csv_columns[k], json_string_value(h));
        if (!known)
            exchange_problem_at(p, "line 1: unknown column \"%s\" (the columns are those of "
                          "signpost export --format csv)", json_string_value(h));
    }
    json_t *current;
    if (p->n || store_dump_orgs(&current) != 0)
        goto out;
    for (size_t r = 1; r < json_array_size(rows); r++) {
        json_t *row = json_array_get(rows, r);
        json_int_t line = json_integer_value(json_array_get(lines, r));
        if (json_array_size(row) != json_array_size(header)) {
            exchange_problem_at(p, "line %lld: has %zu fields but the header has %zu", (long long)line,
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
                o = exchange_org_export(cur);
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

