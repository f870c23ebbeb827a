/* csv.h: writing CSV (RFC 4180) that a spreadsheet opens safely, and the
 * one rule that keeps it safe and reversible.
 *
 * The formula guard. A spreadsheet runs a cell whose first character is
 * one of = + - @ TAB CR as a formula (OWASP's list, "CSV Injection"). A
 * value is guarded when its first character after any apostrophes it
 * starts with is one of those six: "=1+1", "\tx", and also "'=x" and
 * "''@x", but not "'plain", "it's fine" or "". Export writes a guarded
 * value behind one more apostrophe ('=1+1, ''=x, '''@x) and every other
 * value as it is; import takes the first apostrophe off a cell that
 * starts with an apostrophe and is guarded (exactly the one export added),
 * and reads every other cell as it is. So every value reads back as it
 * was written, no cell export writes starts like a formula, and a cell
 * export did not guard (=1+1 typed into a spreadsheet, 'plain) is
 * imported unchanged. */
#ifndef SIGNPOST_CSV_H
#define SIGNPOST_CSV_H

#include <stdbool.h>

#include "lib/buf.h"

/* Appends one field, quoted when it needs to be, and guarded (above): a
 * guarded value goes behind one more apostrophe, inside quotes. NULL
 * appends nothing. */
void csv_field(struct buf *out, const char *s);

/* Whether s is guarded (above): its first character that is not an
 * apostrophe is =, +, -, @, TAB or CR. */
bool csv_guarded(const char *s);

/* The value a cell that csv_field wrote holds: cell without its first
 * character when that is an apostrophe and cell is guarded, else cell
 * itself (a pointer into cell, never a copy). */
const char *csv_unguard(const char *cell);

#endif
