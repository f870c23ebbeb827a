/* fuzz_json_body.c: the input as a request body, loaded as the write API loads it
 * (json_loadb, JSON_REJECT_DUPLICATES); when it is an object,
 * org_input checks it against a fixed taxonomy.
 *
 * Guards: never a crash; the answer does not depend on the JSON pointer
 * prefix; false only with problems recorded, whose "errors" array is valid
 * JSON; true only when every field of struct store_org_in keeps the limits
 * records/org.c documents (lengths in characters, slugs, kinds, known taxonomy
 * slugs without duplicates, valid contacts) and points into the document. */
#include "records/org.h"
#include "lib/assets.h"
#include "lib/escape.h"
#include "fuzz.h"
#include "views/jsonw.h"
#include "store/store.h"
#include "views/problem.h"

#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- stubs ----------------------------------------------------------------
 * store.c reads its migrations and seed from the generated asset table
 * (build/assets.c), which this harness does not build: nothing reachable
 * from org_input opens the database, so an empty table will do. */
const struct asset assets[1];
const size_t assets_count = 0;
const struct asset *asset_find(const char *name)
{
    (void)name;
    return NULL;
}
/* ---- end of stubs -------------------------------------------------------- */

#define TERM(s) {.pk = 0, .id = "00000000-0000-4000-8000-000000000000", .slug = s, \
                 .label = s, .description = "", .parent = -1, .guidance_md = "", .count = 0}

static struct store_term audiences[] = {
    TERM("children"), TERM("young-people"), TERM("parents-carers"), TERM("professionals"),
};
static struct store_term topics[] = {
    TERM("online-safety"), TERM("cyberbullying"), TERM("grooming"), TERM("mental-health"),
    TERM("sexting"),
};
static const struct store_index ix = {
    .audiences = audiences, .n_audiences = sizeof audiences / sizeof *audiences,
    .topics = topics, .n_topics = sizeof topics / sizeof *topics,
};

static const char *const kinds[] = {"charity", "government", "police", "local-authority",
                                    "partnership", "public-body", "company", "other", NULL};
static const char *const contact_kinds[] = {"phone", "text", "email", "webchat",
                                            "report-form", "website", NULL};

static bool one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

/* A string field: NULL, or the document's own string of at most max
 * characters (at least min), valid UTF-8 with no NUL. */
static void check_text(json_t *obj, const char *key, const char *got, bool required,
                       size_t min, size_t max)
{
    if (!got) {
        FUZZ_CHECK(!required, "required \"%s\" is NULL", key);
        return;
    }
    json_t *v = json_object_get(obj, key);
    FUZZ_CHECK(v && json_string_value(v) == got, "\"%s\" does not point into the document",
               key);
    size_t len = strlen(got);
    FUZZ_CHECK(len == json_string_length(v), "\"%s\" has a NUL", key);
    FUZZ_CHECK(esc_utf8_valid(got, len), "\"%s\" is not UTF-8", key);
    size_t chars = esc_utf8_len(got, len);
    FUZZ_CHECK(chars >= min && chars <= max, "\"%s\" has %zu characters, not %zu..%zu", key,
               chars, min, max);
}

static bool is_slug(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 100 || s[0] == '-' || s[n - 1] == '-')
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static void check_slugs(json_t *doc, const char *key, char **list,
                        const struct store_term *terms, size_t n_terms)
{
    FUZZ_CHECK(list != NULL, "\"%s\" list is NULL", key);
    size_t n = 0;
    for (; list[n]; n++) {
        FUZZ_CHECK(n < 50, "more than 50 %s", key);
        FUZZ_CHECK(store_term_find(terms, n_terms, list[n]) >= 0, "unknown %s \"%s\"", key,
                   list[n]);
        for (size_t k = 0; k < n; k++)
            FUZZ_CHECK(strcmp(list[k], list[n]) != 0, "\"%s\" twice in %s", list[n], key);
    }
    json_t *v = json_object_get(doc, key);
    if (!v || json_is_null(v))
        FUZZ_CHECK(n == 0, "%zu %s from nothing", n, key);
    else
        FUZZ_CHECK(json_is_array(v) && n <= json_array_size(v) && (n > 0) == (json_array_size(v) > 0),
                   "%s: %zu slugs from the document's list", key, n);
}

static bool is_uk_phone_digits(const char *s)
{
    size_t digits = 0;
    for (const char *c = s; *c; c++) {
        if (isdigit((unsigned char)*c))
            digits++;
        else
            FUZZ_CHECK(*c == ' ' || *c == '-' || (*c == '+' && c == s),
                       "phone \"%s\" has 0x%02x", s, (unsigned char)*c);
    }
    return digits >= 3 && digits <= 12;
}

static void check_valid(json_t *doc, const struct store_org_in *in)
{
    check_text(doc, "slug", in->slug, true, 1, 100);
    FUZZ_CHECK(is_slug(in->slug), "slug \"%s\"", in->slug);
    check_text(doc, "name", in->name, true, 1, 200);
    check_text(doc, "summary", in->summary, false, 0, 500);
    check_text(doc, "description", in->description, false, 0, 10000);
    check_text(doc, "website", in->website, false, 0, 2000);
    if (in->website)
        FUZZ_CHECK(esc_is_web_url(in->website), "website \"%s\"", in->website);
    check_text(doc, "kind", in->kind, true, 1, 40);
    FUZZ_CHECK(one_of(in->kind, kinds), "kind \"%s\"", in->kind);
    check_text(doc, "coverage", in->coverage, true, 1, 100);
    check_text(doc, "source", in->source, true, 1, 1000);
    /* read-only members are ignored */
    FUZZ_CHECK(!in->id && !in->last_reviewed && !in->reviewed_by && !in->created_at &&
                   !in->updated_at,
               "a read-only member was taken");
    check_slugs(doc, "audiences", in->audiences, ix.audiences, ix.n_audiences);
    check_slugs(doc, "topics", in->topics, ix.topics, ix.n_topics);

    json_t *contacts = json_object_get(doc, "contacts");
    if (!contacts || json_is_null(contacts)) {
        FUZZ_CHECK(in->n_contacts == 0, "%zu contacts from nothing", in->n_contacts);
        return;
    }
    FUZZ_CHECK(json_is_array(contacts) && in->n_contacts == json_array_size(contacts) &&
                   in->n_contacts <= 20,
               "%zu contacts", in->n_contacts);
    for (size_t i = 0; i < in->n_contacts; i++) {
        const struct store_contact *c = &in->contacts[i];
        json_t *obj = json_array_get(contacts, i);
        check_text(obj, "kind", c->kind, true, 1, 20);
        check_text(obj, "label", c->label, true, 1, 200);
        check_text(obj, "value", c->value, true, 1, 2000);
        check_text(obj, "hours", c->hours, false, 0, 200);
        FUZZ_CHECK(one_of(c->kind, contact_kinds), "contact kind \"%s\"", c->kind);
        if (!strcmp(c->kind, "phone") || !strcmp(c->kind, "text"))
            FUZZ_CHECK(is_uk_phone_digits(c->value), "phone \"%s\"", c->value);
        else if (!strcmp(c->kind, "email"))
            FUZZ_CHECK(esc_is_email(c->value), "email \"%s\"", c->value);
        else
            FUZZ_CHECK(esc_is_web_url(c->value), "web address \"%s\"", c->value);
    }
}

/* Resolves the RFC 6901 pointer ptr[0..n) in doc; NULL if it names
 * nothing. Aborts if it is not a well-formed pointer. */
static json_t *resolve(json_t *doc, const char *ptr, size_t n)
{
    json_t *v = doc;
    size_t i = 0;
    char *seg = malloc(n + 1);
    while (v && i < n) {
        FUZZ_CHECK(ptr[i] == '/', "pointer \"%.*s\" is malformed", (int)n, ptr);
        i++;
        size_t len = 0;
        while (i < n && ptr[i] != '/') {
            char c = ptr[i++];
            if (c == '~') {
                FUZZ_CHECK(i < n && (ptr[i] == '0' || ptr[i] == '1'),
                           "pointer \"%.*s\" has a bare ~", (int)n, ptr);
                c = ptr[i++] == '0' ? '~' : '/';
            }
            seg[len++] = c;
        }
        seg[len] = '\0';
        if (json_is_object(v)) {
            v = json_object_getn(v, seg, len);
        } else if (json_is_array(v)) {
            char *end;
            unsigned long k = strtoul(seg, &end, 10);
            v = len && *end == '\0' && isdigit((unsigned char)seg[0]) ? json_array_get(v, k)
                                                                       : NULL;
        } else {
            v = NULL;
        }
    }
    free(seg);
    return v;
}

/* A problem's pointer: its parent names a member of the document, and an
 * unknown field names that field. */
static void check_pointer(json_t *doc, const char *ptr, bool names_member)
{
    size_t n = strlen(ptr);
    const char *last = ptr + n;
    while (last > ptr && last[-1] != '/')
        last--;
    FUZZ_CHECK(last > ptr, "\"%s\" is not a pointer", ptr);
    FUZZ_CHECK(resolve(doc, ptr, (size_t)(last - 1 - ptr)) != NULL,
               "the problem \"%s\" is under nothing in the document", ptr);
    if (names_member)
        FUZZ_CHECK(resolve(doc, ptr, n) != NULL, "the problem \"%s\" names nothing", ptr);
    else
        resolve(doc, ptr, n);
}

/* Runs org_input with prefix; returns its answer and the number of
 * problems it recorded. */
static bool run(json_t *doc, const char *prefix, size_t *n_problems)
{
    struct problems p;
    struct store_org_in in;
    problem_list_init(&p);
    bool ok = org_input(doc, NULL, &ix, &p, prefix, &in);
    *n_problems = p.n;
    if (ok) {
        FUZZ_CHECK(p.n == 0, "true with %zu problems", p.n);
        check_valid(doc, &in);
    } else {
        FUZZ_CHECK(p.n > 0, "false without a problem");
        jsonw_arr_close(&p.w);
        json_error_t err;
        json_t *errors = json_loadb(p.errors.data, p.errors.len, 0, &err);
        FUZZ_CHECK(errors && json_is_array(errors) && json_array_size(errors) == p.n,
                   "the problems are not a JSON array of %zu: %s", p.n, err.text);
        size_t i;
        json_t *e;
        json_array_foreach(errors, i, e) {
            const char *name = json_string_value(json_object_get(e, "name"));
            size_t plen = strlen(prefix);
            FUZZ_CHECK(name && strncmp(name, prefix, plen) == 0 && name[plen] == '/',
                       "problem %zu is not under \"%s\"", i, prefix);
            /* a JSON pointer (RFC 6901) to the member, whose parent exists */
            const char *reason = json_string_value(json_object_get(e, "reason"));
            check_pointer(doc, name + plen, reason && strstr(reason, "is not a field"));
        }
        json_decref(errors);
    }
    org_input_reset(&in);
    problem_list_reset(&p);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t err;
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    if (!doc)
        return 0;
    if (json_is_object(doc)) {
        size_t n1, n2;
        bool a = run(doc, "", &n1);
        /* exchange.c checks imports under "/organisations/<i>" */
        bool b = run(doc, "/organisations/18446744073709551615", &n2);
        FUZZ_CHECK(a == b && n1 == n2, "the prefix changes the answer (%d/%zu vs %d/%zu)", a,
                   n1, b, n2);
    }
    json_decref(doc);
    return 0;
}
