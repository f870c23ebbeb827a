/* oruk_int.h: what the two files of the Open Referral UK feed share, and
 * nothing outside server/oruk/ includes. oruk.c holds the route handlers and
 * their parameter checks; hsds.c maps the store's rows onto HSDS objects
 * and pages, and writes the bulk export. */
#ifndef SIGNPOST_ORUK_INT_H
#define SIGNPOST_ORUK_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

#define ORUK_BASE "/openreferral/v3"

/* The site's address as its readers see it (no trailing /); oruk_init sets it. */
extern char *oruk_public_url;

/* The two taxonomies: audience and topic terms. */
enum { TAX_AUDIENCE, TAX_TOPIC, TAX_COUNT };

/* A taxonomy's slug: "audience" or "topic" (as store_service_filter takes it). */
extern const char *const hsds_tax_slug[TAX_COUNT];

/* The terms of taxonomy tax in the index, and how many in *n. */
const struct store_term *hsds_terms(const struct store_index *ix, int tax, size_t *n);

/* The term whose UUID is id (lower case), with its taxonomy in *tax; NULL
 * when there is none. Borrowed from ix. */
const struct store_term *hsds_term_find(const struct store_index *ix, const char *id,
                                        int *tax);

/* The taxonomy whose (derived) UUID is id, in any case, or -1. */
int hsds_taxonomy_find(const char *id);

/* The HSDS objects, each a new reference. t is one of ix's terms of tax. */
json_t *hsds_term(const struct store_index *ix, int tax, const struct store_term *t);
json_t *hsds_taxonomy(const struct store_index *ix, int tax, bool with_terms);

/* The mappers from a store row to an HSDS object (a new reference): one
 * type, so that a list maps its rows with any of them. ix is borrowed. */
typedef json_t *hsds_map(const struct store_index *ix, json_t *row);

/* A service from a store_services row: its own fields only, or with its
 * organization, contacts, phones, attributes and service areas nested
 * (which reads the store: NULL on a database error). */
hsds_map hsds_service, hsds_service_full;

/* An organization from a store_organizations row: its own fields only (ix
 * is not read, and may be NULL), or with every one of its services nested
 * (NULL on a database error). */
hsds_map hsds_organization, hsds_organization_full;

/* A page of an HSDS list, taking contents: total counts every item. */
json_t *hsds_page(json_t *contents, size_t total, long page, long per_page);

/* The same with the page's rows (taken, may be NULL: none) each mapped by
 * map, which must not fail. */
json_t *hsds_page_of(json_t *rows, hsds_map *map, const struct store_index *ix,
                     size_t total, long page, long per_page);

#endif
