/* query.c: see query.h. */
#include "lib/query.h"
#include "lib/escape.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) into a new string. plus_is_space for query components. */
static enum query_error decode(const char *s, size_t n, bool plus_is_space,
                               char **out, size_t *out_len)
{
    char *d = xmalloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int hi = i + 1 < n ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                free(d);
                return QUERY_BAD_ESCAPE;
            }
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        d[j++] = c;
    }
    d[j] = '\0';
    if (memchr(d, '\0', j)) {
        free(d);
        return QUERY_NUL;
    }
    if (!esc_utf8_valid(d, j)) {
        free(d);
        return QUERY_BAD_UTF8;
    }
    *out = d;
    *out_len = j;
    return QUERY_OK;
}

static enum query_error fail(struct query *q, enum query_error e, bool in_path,
                             const char *name, size_t name_len)
{
    q->error = e;
    q->error_in_path = in_path;
    if (name && esc_utf8_valid(name, name_len) && !memchr(name, '\0', name_len))
        q->error_name = xstrndup(name, name_len);
    return e;
}

static enum query_error parse(struct query *q, const char *target, size_t len, size_t max_len,
                              size_t max_params)
{
    memset(q, 0, sizeof *q);
    if (len > max_len)
        return fail(q, QUERY_TOO_LONG, false, NULL, 0);
    const char *hash = memchr(target, '#', len);
    if (hash)
        len = (size_t)(hash - target);
    const char *qm = memchr(target, '?', len);
    size_t path_n = qm ? (size_t)(qm - target) : len;
    enum query_error e = decode(target, path_n, false, &q->path, &q->path_len);
    if (e)
        return fail(q, e, true, NULL, 0);
    if (!qm)
        return QUERY_OK;

    const char *p = qm + 1, *end = target + len;
    size_t cap = 0;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if (stop > p) {
            const char *eq = memchr(p, '=', (size_t)(stop - p));
            const char *kend = eq ? eq : stop;
            struct query_param qp;
            e = decode(p, (size_t)(kend - p), true, &qp.key, &qp.key_len);
            if (e)
                return fail(q, e, false, NULL, 0);
            e = eq ? decode(eq + 1, (size_t)(stop - eq - 1), true, &qp.value,
                            &qp.value_len)
                   : decode("", 0, true, &qp.value, &qp.value_len);
            if (e) {
                fail(q, e, false, qp.key, qp.key_len);
                free(qp.key);
                return e;
            }
            if (q->n_params == max_params) {
                free(qp.key);
                free(qp.value);
                return fail(q, QUERY_TOO_MANY, false, NULL, 0);
            }
            if (q->n_params == cap) {
                cap = cap ? cap * 2 : 4;
                q->params = xrealloc(q->params, cap * sizeof *q->params);
            }
            q->params[q->n_params++] = qp;
        }
        p = stop + 1;
    }
    return QUERY_OK;
}

enum query_error query_parse(struct query *q, const char *target, size_t len,
                             size_t max_len)
{
    return parse(q, target, len, max_len, QUERY_MAX_PARAMS);
}

enum query_error query_parse_form(struct query *q, const char *target, size_t len,
                                  size_t max_len, size_t max_params)
{
    return parse(q, target, len, max_len, max_params);
}

void query_reset(struct query *q)
{
    for (size_t i = 0; i < q->n_params; i++) {
        free(q->params[i].key);
        free(q->params[i].value);
    }
    free(q->params);
    free(q->path);
    free(q->error_name);
    memset(q, 0, sizeof *q);
}

const char *query_error_reason(enum query_error e)
{
    switch (e) {
    case QUERY_OK: return "is valid";
    case QUERY_BAD_ESCAPE: return "has a '%' that is not followed by two hex digits";
    case QUERY_NUL: return "contains a NUL byte (%00)";
    case QUERY_BAD_UTF8: return "is not valid UTF-8";
    case QUERY_TOO_LONG: return "is too long";
    case QUERY_TOO_MANY: return "has too many parameters";
    }
    return "is invalid";
}

const char *query_get(const struct query *q, const char *key)
{
    for (size_t i = 0; i < q->n_params; i++)
        if (strcmp(q->params[i].key, key) == 0)
            return q->params[i].value;
    return NULL;
}

static int cmp_param_key(const void *a, const void *b)
{
    const struct query_param *const *x = a, *const *y = b;
    int c = strcmp((*x)->key, (*y)->key);
    if (c)
        return c;
    return *x < *y ? -1 : *x > *y; /* stable: original order */
}

void query_normalise(const struct query *q, struct buf *out)
{
    esc_url(out, q->path, q->path_len);
    if (!q->n_params)
        return;
    /* A request target has at most QUERY_MAX_PARAMS: this is the cache
     * key of every request, so no allocation for it; only a form body
     * (query_parse_form) can have more. */
    const struct query_param *local[QUERY_MAX_PARAMS];
    const struct query_param **sorted =
        q->n_params <= QUERY_MAX_PARAMS ? local : xmalloc(q->n_params * sizeof *sorted);
    for (size_t i = 0; i < q->n_params; i++)
        sorted[i] = &q->params[i];
    qsort(sorted, q->n_params, sizeof *sorted, cmp_param_key);
    for (size_t i = 0; i < q->n_params; i++) {
        buf_putc(out, i ? '&' : '?');
        esc_url(out, sorted[i]->key, sorted[i]->key_len);
        buf_putc(out, '=');
        esc_url(out, sorted[i]->value, sorted[i]->value_len);
    }
    if (sorted != local)
        free(sorted);
}

bool query_parse_int(const char *s, long min, long max, long *out)
{
    if (!s || !*s)
        return false;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        long d = *p - '0';
        if (d > max || v > (max - d) / 10) /* v * 10 + d would pass max */
            return false;
        v = v * 10 + d;
    }
    if (v < min)
        return false;
    *out = v;
    return true;
}

static bool list_has(char **list, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
            return true;
    return false;
}

size_t query_get_list(const struct query *q, const char *key, char ***slugs)
{
    size_t n = 0, cap = 4;
    char **list = xmalloc(cap * sizeof *list);
    for (size_t i = 0; i < q->n_params; i++) {
        if (strcmp(q->params[i].key, key) != 0)
            continue;
        const char *p = q->params[i].value;
        while (*p) {
            const char *comma = strchr(p, ',');
            const char *e = comma ? comma : p + strlen(p);
            const char *s = p;
            while (s < e && (*s == ' ' || *s == '\t'))
                s++;
            const char *t = e;
            while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
                t--;
            if (t > s && !list_has(list, n, s, (size_t)(t - s))) {
                if (n + 1 >= cap) {
                    cap *= 2;
                    list = xrealloc(list, cap * sizeof *list);
                }
                list[n++] = xstrndup(s, (size_t)(t - s));
            }
            p = comma ? comma + 1 : e;
        }
    }
    list[n] = NULL;
    *slugs = list;
    return n;
}

void query_free_list(char **list)
{
    if (!list)
        return;
    for (char **p = list; *p; p++)
        free(*p);
    free(list);
}

double query_accept_q(const char *accept, const char *type)
{
    if (!accept)
        return 0;
    size_t tlen = strlen(type);
    const char *slash = strchr(type, '/');
    size_t major = slash ? (size_t)(slash - type) : tlen;
    double best = 0;
    int best_rank = 0; /* 3: exact, 2: the type wildcard, 1: any */
    const char *p = accept;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *start = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ')
            p++;
        size_t n = (size_t)(p - start);
        double q = 1;
        while (*p && *p != ',') {
            if (*p == ';') {
                p++;
                while (*p == ' ')
                    p++;
                if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
                    q = strtod(p + 2, NULL);
            } else {
                p++;
            }
        }
        int rank = 0;
        if (n == tlen && strncasecmp(start, type, n) == 0)
            rank = 3;
        else if (n == major + 2 && strncasecmp(start, type, major) == 0 &&
                 strncmp(start + major, "/*", 2) == 0)
            rank = 2;
        else if ((n == 3 && strncmp(start, "*/*", 3) == 0) || (n == 1 && *start == '*'))
            rank = 1;
        if (rank > best_rank) {
            best_rank = rank;
            best = q < 0 ? 0 : q > 1 ? 1 : q;
        }
        if (!n)
            break;
    }
    return best;
}

bool query_accept_prefers(const char *accept, const char *type, const char *other)
{
    double a = query_accept_q(accept, type);
    return a > 0 && a > query_accept_q(accept, other);
}
