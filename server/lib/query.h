/* query.h: the request target, decoded and checked; parameter parsing; the
 * full-text query builder. Pure functions, no I/O: unit-tested and fuzzed. */
#ifndef SIGNPOST_QUERY_H
#define SIGNPOST_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

struct query_param {
    char *key;          /* decoded, NUL-terminated, no NUL inside */
    char *value;
    size_t key_len, value_len;
};

enum query_error {
    QUERY_OK = 0,
    QUERY_BAD_ESCAPE,   /* "%" not followed by two hex digits */
    QUERY_NUL,          /* a decoded NUL byte */
    QUERY_BAD_UTF8,     /* decoded bytes that are not UTF-8 */
    QUERY_TOO_LONG,     /* target longer than the limit */
    QUERY_TOO_MANY      /* more parameters than QUERY_MAX_PARAMS */
};

#define QUERY_MAX_PARAMS 64

struct query {
    char *path;                  /* decoded path, NUL-terminated */
    size_t path_len;
    struct query_param *params;  /* in the order they were sent */
    size_t n_params;
    enum query_error error;
    bool error_in_path;          /* where the error was: path or query */
    char *error_name;            /* the parameter's name, when known */
};

/* Parses a raw request target ("/path?a=1&b=%20x"). Decodes percent escapes
 * (and '+' as space in the query), rejects NUL, invalid UTF-8 and malformed
 * escapes. Returns QUERY_OK or the first error, also stored in q->error; q
 * must be released with query_reset() either way. */
enum query_error query_parse(struct query *q, const char *target, size_t len,
                             size_t max_len);
/* The same for a form body ("?" then the urlencoded fields), with room
 * for up to max_params fields (a form with repeatable rows has more than a
 * request target may). */
enum query_error query_parse_form(struct query *q, const char *target, size_t len,
                                  size_t max_len, size_t max_params);
void query_reset(struct query *q);

/* Human-readable reason for an error ("contains a NUL byte"). */
const char *query_error_reason(enum query_error e);

/* The first value of key, or NULL. */
const char *query_get(const struct query *q, const char *key);

/* Appends the normalised request: the path, then the parameters sorted by
 * key (stable, so repeated keys keep their order), each escaped. Two targets
 * that mean the same thing give the same string. */
void query_normalise(const struct query *q, struct buf *out);

/* Parses s as a whole number in [min, max]: digits only, no sign, no
 * spaces. Returns false on anything else. */
bool query_parse_int(const char *s, long min, long max, long *out);

/* Collects the slugs of every value of key: values split on ',', blanks
 * trimmed, empties skipped, duplicates dropped. *slugs is a NULL-terminated
 * array the caller frees with query_free_list(); returns the count. */
size_t query_get_list(const struct query *q, const char *key, char ***slugs);
void query_free_list(char **list);


/* The quality an Accept (or Accept-Encoding) header gives type ("text/csv",
 * "gzip"): its own entry, else
 * its type/ wildcard, else the full wildcard; 0 when absent or refused. */
double query_accept_q(const char *accept, const char *type);
/* True when accept wants type, and more than other. */
bool query_accept_prefers(const char *accept, const char *type, const char *other);

#endif
