/* exchange_int.h: private to server/exchange/: what import.c and
 * csvread.c share. */
#ifndef SIGNPOST_EXCHANGE_INT_H
#define SIGNPOST_EXCHANGE_INT_H

#include <jansson.h>
#include <stddef.h>

#include "exchange/exchange.h"
#include "views/problem.h"

/* The format name an export carries and an import requires. */
#define EXCHANGE_FORMAT "signpost/1"

/* The columns of the CSV export, in order, NULL-terminated. */
extern const char *const exchange_csv_columns[];

/* One organisation (a row of store_dump_orgs) with everything an import
 * needs, as the JSON export writes it. NULL on error. */
json_t *exchange_org_export(json_t *row);

/* Records "pointer: reason" as one problem (the pointer names the record
 * and field, "line 3" for CSV). */
void exchange_problem_at(struct problems *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A CSV file as the document a JSON import would be ({"format",
 * "organisations"}, each organisation with "_line"), or NULL with the
 * problems in p. */
json_t *exchange_csv_to_doc(const char *text, size_t len, struct problems *p);

#endif
