/* exchange.h: the directory in and out as files. Export writes JSON (the
 * whole directory, enough to rebuild it: export, import into an empty
 * database, export again gives the same bytes) or CSV (one row per
 * organisation, for spreadsheets). Import checks the whole file first and
 * reports every error with its record and field, then applies all of it in
 * one transaction with a revision per organisation, or nothing. */
#ifndef SIGNPOST_EXCHANGE_H
#define SIGNPOST_EXCHANGE_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/buf.h"

/* Writes the open database as format ("json" or "csv") into out. 0 or -1
 * (logged). */
int exchange_export(const char *format, struct buf *out);

/* Reads path (JSON, or CSV when it ends in .csv) into the open database.
 * Errors go to err, one per line. With dry_run nothing is kept. Returns 0
 * when applied (or would be), 1 when the file has errors, -1 on a database
 * failure. *summary gets one line on success. */
int exchange_import(const char *path, bool dry_run, FILE *err, struct buf *summary);

/* What an import did (or would do) to the organisations. */
struct exchange_counts {
    size_t added, changed, unchanged;
};
/* The same for a file's text (len bytes; CSV when csv) already in memory,
 * named path in messages; revisions name actor. *counts is filled. */
int exchange_import_text(const char *text, size_t len, bool csv, bool dry_run,
                         const char *actor, const char *path, FILE *err, struct buf *summary,
                         struct exchange_counts *counts);


#endif
