/* oruk.h: the Open Referral UK (HSDS 3.0 UK profile) feed under
 * /openreferral/v3, so councils' directory systems can read Signpost.
 *
 * Mapping: organisation -> organization; each resource -> service (with its
 * organisation's contacts as contacts and phones, its coverage as a service
 * area, last_reviewed as the assured date); audience and topic -> two
 * taxonomies whose terms keep the records' UUIDs, with the slug as code. */
#ifndef SIGNPOST_ORUK_H
#define SIGNPOST_ORUK_H

#include <jansson.h>

#include "lib/request.h"

/* public_url: the site's address as its readers see it (no trailing /). */
void oruk_init(const char *public_url);
void oruk_shutdown(void);

int oruk_index(struct req *r);
int oruk_services(struct req *r);
int oruk_service(struct req *r);
int oruk_taxonomies(struct req *r);
int oruk_taxonomy(struct req *r);
int oruk_taxonomy_terms(struct req *r);
int oruk_taxonomy_term(struct req *r);
int oruk_organizations(struct req *r);
int oruk_organization(struct req *r);
int oruk_openapi(struct req *r);

/* The whole directory as one HSDS JSON document for bulk exchange:
 * {"organizations": [... each with its services ...], "taxonomies": [...]}.
 * NULL on a database error. Caller decrefs. */
json_t *oruk_export(void);

#endif
