/* search_reference.h: what the search's unit tests and its fuzzer hold it
 * to. Include after store/store_int.h. */
#ifndef SIGNPOST_TEST_SEARCH_REFERENCE_H
#define SIGNPOST_TEST_SEARCH_REFERENCE_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The grammar every concept must have: "w[ w]"[*]( OR "w[ w]"[*])* with w
 * of a-z0-9 only, so that nothing typed ever reaches FTS5 as syntax. */
static inline bool safe_concept(const char *c)
{
    const char *s = c;
    for (;;) {
        if (*s++ != '"')
            return false;
        const char *start = s;
        while ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == ' ')
            s++;
        if (s == start || *s++ != '"')
            return false;
        if (*s == '*')
            s++;
        if (!*s)
            return true;
        if (strncmp(s, " OR ", 4) != 0)
            return false;
        s += 4;
    }
}

/* The SQL that scores org_fts as the search does (search_org_weights), in
 * rowid order: what fulltext.c must agree with to the bit. */
static inline void org_bm25_sql(char *sql, size_t size)
{
    char weights[128] = "";
    for (int k = 0; k < SEARCH_ORG_COLS; k++)
        snprintf(weights + strlen(weights), sizeof weights - strlen(weights), "%s%.17g",
                 k ? ", " : "", search_org_weights[k]);
    snprintf(sql, size,
             "SELECT rowid, bm25(org_fts, %s) FROM org_fts WHERE org_fts MATCH ? ORDER BY rowid",
             weights);
}

#endif
