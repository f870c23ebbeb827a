/* record.h: what every record of the directory shares, between the handlers
 * and the store. A record has two views: what the public sees (a GET, and
 * what its ETag hashes: web addresses that are not safe to link are
 * withheld as null) and what is stored (what revisions keep and what a
 * merge patch starts from, so a write never loses a value the public view
 * withholds). Input is checked by one validator per record, used by the
 * write API, import and the console alike, each problem recorded with its
 * JSON pointer. */
#ifndef SIGNPOST_RECORD_H
#define SIGNPOST_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "views/jsonw.h"
#include "views/problem.h"

enum record_view { RECORD_PUBLIC, RECORD_STORED };

/* What the view shows of a stored web address: in the public view only a
 * well-formed http(s) URL (so nobody who links it is led to javascript: or
 * worse), else NULL; in the stored view the value itself. */
const char *record_web(enum record_view view, const char *url);

/* Writes "href" for a contact of kind (tel:, sms:, mailto: or the address
 * itself), null when the result is not safe to link. */
void record_contact_href(struct jsonw *w, const char *kind, const char *value);
/* Writes a NULL-terminated list of slugs as a JSON array. */
void record_slug_list(struct jsonw *w, char **slugs);

/* ---- checking input ------------------------------------------------------ */

/* Records a problem at prefix/field (field escaped as a JSON pointer token,
 * RFC 6901), and /index when index is not -1. */
void record_problem(struct problems *p, const char *prefix, const char *field, long index,
                    const char *reason);
/* A string member: required or optional, NULL allowed when nullable, at
 * most max characters. Returns it (borrowed from doc) or NULL, recording
 * any problem. */
const char *record_text(json_t *doc, const char *key, bool required, bool nullable,
                        size_t max, struct problems *p, const char *prefix);
/* True for lower-case letters, digits and inner hyphens, 1 to 100 long. */
bool record_is_slug(const char *s);
/* True when s is in the NULL-terminated list. */
bool record_one_of(const char *s, const char *const *list);
/* Records every member of doc that is in neither list. */
void record_known_keys(json_t *doc, const char *const *writable, const char *const *read_only,
                       const char *what, struct problems *p, const char *prefix);
/* A list of known slugs of terms[0..n) (borrowed from doc; duplicates
 * dropped), always a NULL-terminated array the caller frees (never NULL). */
char **record_slugs(json_t *doc, const char *key, const struct store_term *terms,
                    size_t n_terms, struct problems *p, const char *prefix);
/* An age member: -1 when absent or null. */
int record_age(json_t *doc, const char *key, struct problems *p, const char *prefix);
/* True for a UK phone number as people write them (0808 800 5000,
 * +44 808 800 5000, 999, 116 123). */
bool record_is_uk_phone(const char *s);

/* The search terms under key (everyday words that find a topic or an
 * organisation): at most 200, each 1 to 60 letters, digits, spaces,
 * apostrophes or hyphens, never a phone number, web or email address.
 * Returns a NULL-terminated array of lower-cased copies, duplicates
 * dropped (free with record_strings_free), or NULL when doc has no such
 * member (leave them as they are) or it is wrong (problems in p). */
char **record_search_terms(json_t *doc, const char *key, struct problems *p,
                           const char *prefix);
void record_strings_free(char **list);
/* The strings of a JSON array as a NULL-terminated array of pointers into
 * it (free the array alone); NULL when list is not an array. */
char **record_strings_of(json_t *list);
/* Writes terms (NULL-terminated; NULL writes []) as a JSON array. */
void record_terms_list(struct jsonw *w, char *const *terms);

/* True when stored is not NULL and key has the same value in doc and in
 * stored: a value the write did not change. Its format is not checked
 * again, so a record stored under older rules can still be edited. */
bool record_unchanged(json_t *doc, json_t *stored, const char *key);

/* RFC 7396 merge patch: patch applied to target (neither is changed).
 * Returns a new reference. */
json_t *record_merge_patch(json_t *target, json_t *patch);

#endif
