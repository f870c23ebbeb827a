/* fuzz_query.c: query_parse on raw bytes as a request target, then every
 * function that reads a parsed query, on every parameter.
 *
 * Guards: decoded path, keys and values are NUL-free, valid UTF-8 and as
 * long as they say; query_get finds the first value of a key;
 * query_get_list gives trimmed, non-empty, comma-free, distinct slugs;
 * query_parse_int agrees with a plain reference parser; the normalised form
 * always parses and normalises to itself. */
#include "lib/buf.h"
#include "lib/escape.h"
#include "fuzz.h"
#include "lib/query.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define MAX_TARGET 8192 /* what http.c passes */

static void check_string(const char *what, const char *s, size_t len)
{
    FUZZ_CHECK(s != NULL, "%s is NULL", what);
    FUZZ_CHECK(strlen(s) == len, "%s: strlen %zu, length %zu", what, strlen(s), len);
    FUZZ_CHECK(esc_utf8_valid(s, len), "%s is not valid UTF-8", what);
}

/* The reference: digits only, no sign, in [min, max]. */
static bool ref_parse_int(const char *s, long min, long max, long *out)
{
    if (!*s)
        return false;
    unsigned long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        unsigned long long d = (unsigned long long)(*p - '0');
        if (v > ((unsigned long long)LONG_MAX - d) / 10)
            return false; /* past LONG_MAX, so past max */
        v = v * 10 + d;
    }
    if ((long)v < min || (long)v > max)
        return false;
    *out = (long)v;
    return true;
}

static void check_int(const char *s)
{
    static const long ranges[][2] = {
        {1, 1000}, {0, 100}, {1, LONG_MAX}, {0, LONG_MAX}, {5, 5}, {0, 0}, {0, 9},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
        long got = -1, want = -1;
        bool ok = query_parse_int(s, ranges[i][0], ranges[i][1], &got);
        bool ref = ref_parse_int(s, ranges[i][0], ranges[i][1], &want);
        FUZZ_CHECK(ok == ref, "query_parse_int(\"%s\", %ld, %ld) = %d, expected %d", s,
                   ranges[i][0], ranges[i][1], ok, ref);
        if (ok)
            FUZZ_CHECK(got == want, "query_parse_int(\"%s\") = %ld, expected %ld", s, got,
                       want);
    }
    long dummy;
    FUZZ_CHECK(!query_parse_int(NULL, 0, 10, &dummy), "NULL parsed");
}

static void check_list(const struct query *q, const char *key)
{
    char **list = NULL;
    size_t n = query_get_list(q, key, &list);
    FUZZ_CHECK(list != NULL, "query_get_list gave NULL");
    FUZZ_CHECK(list[n] == NULL, "list not NULL-terminated at %zu", n);
    for (size_t i = 0; i < n; i++) {
        const char *s = list[i];
        size_t len = strlen(s);
        FUZZ_CHECK(len > 0, "empty slug in list of \"%s\"", key);
        FUZZ_CHECK(!strchr(s, ','), "slug \"%s\" contains a comma", s);
        FUZZ_CHECK(s[0] != ' ' && s[0] != '\t' && s[len - 1] != ' ' && s[len - 1] != '\t',
                   "slug \"%s\" not trimmed", s);
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(list[j], s) != 0, "slug \"%s\" twice", s);
        /* it came from some value of key */
        bool found = false;
        for (size_t k = 0; k < q->n_params && !found; k++)
            found = strcmp(q->params[k].key, key) == 0 && strstr(q->params[k].value, s);
        FUZZ_CHECK(found, "slug \"%s\" is in no value of \"%s\"", s, key);
    }
    query_free_list(list);
}

static void check_parsed(const struct query *q)
{
    check_string("path", q->path, q->path_len);
    FUZZ_CHECK(q->n_params <= QUERY_MAX_PARAMS, "%zu params", q->n_params);
    for (size_t i = 0; i < q->n_params; i++) {
        const struct query_param *p = &q->params[i];
        check_string("key", p->key, p->key_len);
        check_string("value", p->value, p->value_len);

        const char *first = query_get(q, p->key);
        size_t k = 0;
        while (strcmp(q->params[k].key, p->key) != 0)
            k++;
        FUZZ_CHECK(first == q->params[k].value, "query_get(\"%s\") is not the first value",
                   p->key);
        check_list(q, p->key);
        check_int(p->value);
        check_int(p->key);
    }
    FUZZ_CHECK(query_get(q, "\xff") == NULL, "found a key that cannot be decoded");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct query q;
    enum query_error e = query_parse(&q, (const char *)data, size, MAX_TARGET);
    FUZZ_CHECK(e == q.error, "returned %d, stored %d", e, q.error);
    FUZZ_CHECK(query_error_reason(e) != NULL, "no reason for %d", e);
    if (size > MAX_TARGET)
        FUZZ_CHECK(e == QUERY_TOO_LONG, "a %zu-byte target gave %d", size, e);
    if (e != QUERY_OK) {
        if (q.error_name)
            check_string("error_name", q.error_name, strlen(q.error_name));
        query_reset(&q);
        return 0;
    }
    FUZZ_CHECK(!q.error_name, "error name \"%s\" without an error", q.error_name);
    check_parsed(&q);

    /* normalise(parse(normalise(parse(x)))) == normalise(parse(x)); the
     * normalised form holds only unreserved bytes, %XX, '?', '&' and '=',
     * so it must always parse. */
    struct buf n1 = BUF_INIT, n2 = BUF_INIT;
    query_normalise(&q, &n1);
    const char *s1 = buf_str(&n1);
    for (size_t i = 0; i < n1.len; i++) {
        char c = s1[i];
        FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       strchr("-._~%?&=", c),
                   "normalised form has byte 0x%02x", (unsigned char)c);
    }
    struct query q2;
    e = query_parse(&q2, s1, n1.len, SIZE_MAX);
    FUZZ_CHECK(e == QUERY_OK, "the normalised form \"%s\" does not parse: %s", s1,
               query_error_reason(e));
    check_parsed(&q2);
    FUZZ_CHECK(q2.n_params == q.n_params, "%zu params became %zu", q.n_params, q2.n_params);
    FUZZ_CHECK(q2.path_len == q.path_len && memcmp(q2.path, q.path, q.path_len) == 0,
               "path changed");
    query_normalise(&q2, &n2);
    FUZZ_CHECK(n1.len == n2.len && memcmp(s1, buf_str(&n2), n1.len) == 0,
               "normalising twice: \"%s\" then \"%s\"", s1, buf_str(&n2));

    buf_reset(&n1);
    buf_reset(&n2);
    query_reset(&q2);
    query_reset(&q);
    return 0;
}
