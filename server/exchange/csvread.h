/* csvread.h: CSV as a spreadsheet saves it (RFC 4180), read into rows of
 * the values csv_field wrote. The import's reader (exchange_csv_to_doc,
 * exchange_int.h) is built on it. */
#ifndef SIGNPOST_CSVREAD_H
#define SIGNPOST_CSVREAD_H

#include <jansson.h>
#include <stddef.h>

#include "views/problem.h"

/* Splits s[0..len) (a leading UTF-8 byte-order mark skipped, blank lines
 * dropped) into rows: a new JSON array of rows, each an array of strings,
 * every field read back through csv_unguard (views/csv.h), so a value
 * written by csv_field reads as it was. *lines gets a new array of the
 * line each row starts on. A quoted field never closed or a field that is
 * not UTF-8 is recorded in p with its line, and the rows before it are
 * returned. The caller frees both arrays. */
json_t *csvread_rows(const char *s, size_t len, struct problems *p, json_t **lines);

#endif
