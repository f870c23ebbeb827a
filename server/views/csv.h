/* csv.h: writing CSV (RFC 4180) that a spreadsheet opens safely. */
#ifndef SIGNPOST_CSV_H
#define SIGNPOST_CSV_H

#include "lib/buf.h"

/* Appends one field, quoted when it needs to be; a value that a
 * spreadsheet would run as a formula is put behind an apostrophe. NULL
 * appends nothing. */
void csv_field(struct buf *out, const char *s);

#endif
