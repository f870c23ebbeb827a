/* record.c: see record.h. */
#include "records/record.h"
#include "lib/escape.h"
#include "lib/util.h"
#include "lib/words.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *record_web(enum record_view view, const char *url)
{
    if (view == RECORD_STORED)
        return url;
    return esc_is_web_url(url) ? url : NULL;
}

void record_contact_href(struct jsonw *w, const char *kind, const char *value)
{
    struct buf h = BUF_INIT;
    if (strcmp(kind, "phone") == 0 || strcmp(kind, "text") == 0) {
        buf_puts(&h, kind[0] == 'p' ? "tel:" : "sms:");
        for (const char *p = value; *p; p++)
            if ((*p >= '0' && *p <= '9') || (*p == '+' && h.len == 4))
                buf_putc(&h, *p);
    } else if (strcmp(kind, "email") == 0) {
        buf_puts(&h, "mailto:");
        buf_puts(&h, value);
    } else {
        buf_puts(&h, value);
    }
    jsonw_key(w, "href");
    if (esc_url_is_safe(h.data))
        jsonw_str(w, h.data);
    else
        jsonw_null(w);
    buf_reset(&h);
}

void record_slug_list(struct jsonw *w, char **slugs)
{
    jsonw_arr_open(w);
    for (char **p = slugs; p && *p; p++)
        jsonw_str(w, *p);
    jsonw_arr_close(w);
}

/* ---- checking input ------------------------------------------------------ */

void record_problem(struct problems *p, const char *prefix, const char *field, long index,
                    const char *reason)
{
    struct buf ptr = BUF_INIT;
    buf_printf(&ptr, "%s/", prefix);
    for (const char *c = field; *c; c++) {
        if (*c == '~')
            buf_puts(&ptr, "~0");
        else if (*c == '/')
            buf_puts(&ptr, "~1");
        else
            buf_putc(&ptr, *c);
    }
    if (index >= 0)
        buf_printf(&ptr, "/%ld", index);
    problem_list_add(p, ptr.data, "body", reason, NULL, 0);
    buf_reset(&ptr);
}

const char *record_text(json_t *doc, const char *key, bool required, bool nullable,
                        size_t max, struct problems *p, const char *prefix)
{
    json_t *v = json_object_get(doc, key);
    if (!v || (json_is_null(v) && nullable)) {
        if (required)
            record_problem(p, prefix, key, -1, "is required");
        return NULL;
    }
    if (!json_is_string(v)) {
        record_problem(p, prefix, key, -1,
                       nullable ? "must be a string or null" : "must be a string");
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t chars = esc_utf8_len(s, json_string_length(v));
    if (json_string_length(v) != strlen(s)) {
        record_problem(p, prefix, key, -1, "must not contain NUL characters");
        return NULL;
    }
    if (required && chars == 0) {
        record_problem(p, prefix, key, -1, "must not be empty");
        return NULL;
    }
    if (chars > max) {
        char reason[64];
        snprintf(reason, sizeof reason, "must be at most %zu characters", max);
        record_problem(p, prefix, key, -1, reason);
        return NULL;
    }
    return s;
}

bool record_is_slug(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 100 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

bool record_one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

void record_known_keys(json_t *doc, const char *const *writable, const char *const *read_only,
                       const char *what, struct problems *p, const char *prefix)
{
    const char *key;
    json_t *value;
    json_object_foreach(doc, key, value) {
        if (record_one_of(key, writable) || record_one_of(key, read_only))
            continue;
        char reason[80];
        snprintf(reason, sizeof reason, "is not a field of %s", what);
        record_problem(p, prefix, key, -1, reason);
    }
}

char **record_slugs(json_t *doc, const char *key, const struct store_term *terms,
                    size_t n_terms, struct problems *p, const char *prefix)
{
    json_t *v = json_object_get(doc, key);
    char **list = xcalloc(1, sizeof *list);
    if (!v || json_is_null(v))
        return list;
    if (!json_is_array(v) || json_array_size(v) > 50) {
        record_problem(p, prefix, key, -1, "must be a list of at most 50 slugs");
        return list;
    }
    size_t n = 0, i;
    json_t *item;
    list = xrealloc(list, (json_array_size(v) + 1) * sizeof *list);
    json_array_foreach(v, i, item) {
        const char *s = json_string_value(item);
        if (!s || store_term_find(terms, n_terms, s) < 0) {
            struct buf reason = BUF_INIT;
            buf_puts(&reason, "must be one of ");
            for (size_t t = 0; t < n_terms; t++)
                buf_printf(&reason, "%s%s", t ? ", " : "", terms[t].slug);
            record_problem(p, prefix, key, (long)i, reason.data);
            buf_reset(&reason);
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup |= strcmp(list[k], s) == 0;
        if (!dup)
            list[n++] = (char *)s; /* borrowed from doc */
    }
    list[n] = NULL;
    return list;
}

int record_age(json_t *doc, const char *key, struct problems *p, const char *prefix)
{
    json_t *v = json_object_get(doc, key);
    if (!v || json_is_null(v))
        return -1;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 120) {
        record_problem(p, prefix, key, -1, "must be a whole number from 0 to 120, or null");
        return -1;
    }
    return (int)json_integer_value(v);
}

/* UK numbers: 999, 111, 112, 116 xxx, 0 and 7-10 more digits, or +44 and
 * 9-10 digits; spaces and hyphens allowed between digits. */
bool record_is_uk_phone(const char *s)
{
    char digits[24];
    size_t n = 0;
    bool plus = false;
    for (const char *c = s; *c; c++) {
        if (*c == '+' && c == s)
            plus = true;
        else if (isdigit((unsigned char)*c) && n < sizeof digits - 1)
            digits[n++] = *c;
        else if (*c != ' ' && *c != '-')
            return false;
    }
    digits[n] = '\0';
    if (plus)
        return strncmp(digits, "44", 2) == 0 && n >= 9 && n <= 12 && digits[2] != '0';
    if (strcmp(digits, "999") == 0 || strcmp(digits, "111") == 0 || strcmp(digits, "112") == 0)
        return true;
    if (n == 6 && strncmp(digits, "116", 3) == 0)
        return true;
    /* Most numbers have 10 or 11 digits; a few freephone lines are shorter
     * (Childline's 0800 1111). */
    return digits[0] == '0' && n >= 8 && n <= 11;
}

/* A search term as stored: lower-case, the typographic apostrophe U+2019
 * as ', or NULL with *why when it is not a few words people type. Letters
 * are a-z, digits and Latin letters with diacritics (U+00C0 to U+017F, as in
 * "cafe" with an acute e); Latin-1 capitals are lowered too. */
static char *term_fold(const char *s, size_t len, const char **why)
{
    *why = "must be 1 to 60 characters";
    if (!s || len == 0 || strlen(s) != len)
        return NULL;
    struct buf b = BUF_INIT;
    size_t chars = 0, digits = 0;
    bool bad = false;
    for (size_t k = 0; k < len && !bad;) {
        unsigned cp;
        size_t step = words_utf8_next((const unsigned char *)s + k, len - k, &cp);
        k += step;
        chars++;
        if (cp < 0x80) {
            digits += isdigit((int)cp) != 0;
            if (strchr("@/.:", (int)cp)) {
                *why = "must not be a web or email address: search terms are words people "
                       "type, never contact details";
                bad = true;
            } else if (!isalnum((int)cp) && cp != ' ' && cp != '\'' && cp != '-') {
                *why = "may hold only letters, digits, spaces, apostrophes and hyphens";
                bad = true;
            }
            buf_putc(&b, (char)tolower((int)cp));
        } else if (cp == 0x2019) {
            buf_putc(&b, '\'');
        } else if (words_fold_latin(cp)) {
            if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
                cp += 0x20;     /* Latin-1 capital to small */
            buf_putc(&b, (char)(0xC0 | (cp >> 6)));
            buf_putc(&b, (char)(0x80 | (cp & 0x3F)));
        } else {
            *why = "may hold only letters, digits, spaces, apostrophes and hyphens";
            bad = true;
        }
    }
    if (bad || chars > 60) {
        buf_reset(&b);
        return NULL;
    }
    if (digits >= 5) {
        *why = "must not be a phone number: search terms are words people type, never "
               "contact details";
        buf_reset(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

char **record_search_terms(json_t *doc, const char *key, struct problems *p,
                           const char *prefix)
{
    json_t *v = json_object_get(doc, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_array(v) || json_array_size(v) > 200) {
        record_problem(p, prefix, key, -1, "must be a list of at most 200 search terms");
        return NULL;
    }
    size_t before = p->n, n = 0, i;
    char **out = xcalloc(json_array_size(v) + 1, sizeof *out);
    json_t *item;
    const char *why_not;
    json_array_foreach(v, i, item) {
        const char *s = json_string_value(item);
        size_t len = s ? json_string_length(item) : 0;
        char *t = term_fold(s, len, &why_not);
        if (!t) {
            record_problem(p, prefix, key, (long)i, why_not);
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < n && !dup; k++)
            dup = strcmp(out[k], t) == 0;
        if (dup)
            free(t);
        else
            out[n++] = t;
    }
    if (p->n != before) {
        record_strings_free(out);
        return NULL;
    }
    return out;
}

void record_strings_free(char **list)
{
    for (char **s = list; s && *s; s++)
        free(*s);
    free(list);
}

char **record_strings_of(json_t *list)
{
    if (!json_is_array(list))
        return NULL;
    size_t n = json_array_size(list), k = 0;
    char **out = xcalloc(n + 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        if (json_is_string(json_array_get(list, i)))
            out[k++] = (char *)json_string_value(json_array_get(list, i));
    return out;
}

void record_terms_list(struct jsonw *w, char *const *terms)
{
    jsonw_arr_open(w);
    for (char *const *s = terms; s && *s; s++)
        jsonw_str(w, *s);
    jsonw_arr_close(w);
}

bool record_unchanged(json_t *doc, json_t *stored, const char *key)
{
    if (!stored)
        return false;
    json_t *a = json_object_get(doc, key), *b = json_object_get(stored, key);
    return a && b && json_equal(a, b);
}

json_t *record_merge_patch(json_t *target, json_t *patch)
{
    if (!json_is_object(patch))
        return json_deep_copy(patch);
    json_t *out = json_is_object(target) ? json_deep_copy(target) : json_object();
    const char *key;
    json_t *v;
    json_object_foreach(patch, key, v) {
        if (json_is_null(v)) {
            json_object_del(out, key);
        } else {
            json_t *merged = record_merge_patch(json_object_get(out, key), v);
            json_object_set_new(out, key, merged);
        }
    }
    return out;
}
