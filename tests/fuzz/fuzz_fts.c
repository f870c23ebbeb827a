/* fuzz_fts.c: query_fts_build on the input as a C string (up to the first
 * NUL).
 *
 * Guards the promise that no input can produce FTS syntax: the output is
 * `"word" "word" ... "word"*` (at most QUERY_MAX_TERMS words, no quote
 * inside a word, nothing at all for 0 words), and SQLite's FTS5, with the
 * tokenizer of db/002_search.sql, accepts it: any error is a bug, since the
 * server would answer 500 to a search. */
#include "lib/buf.h"
#include "fuzz.h"
#include "lib/query.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;
static sqlite3_stmt *match;

static void fts_open(void)
{
    static const char *const setup =
        "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='porter unicode61 remove_diacritics 2');"
        "INSERT INTO t(a) VALUES ('Online grooming and sexual exploitation'),"
        " ('Cyberbullying: what to do when it happens'),"
        " ('Caf\xc3\xa9 cr\xc3\xa8me \xe2\x80\x94 advice for parents and carers'),"
        " ('Childline 0800 1111, open 24 hours'),"
        " ('\xd0\x94\xd0\xb5\xd1\x82\xd0\xb8 \xe5\xad\x90\xe4\xbe\x9b NEAR AND OR NOT');";
    char *err = NULL;
    FUZZ_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK, "sqlite3_open");
    FUZZ_CHECK(sqlite3_exec(db, setup, NULL, NULL, &err) == SQLITE_OK, "setup: %s", err);
    FUZZ_CHECK(sqlite3_prepare_v3(db, "SELECT count(*) FROM t WHERE t MATCH ?1", -1,
                                  SQLITE_PREPARE_PERSISTENT, &match, NULL) == SQLITE_OK,
               "prepare: %s", sqlite3_errmsg(db));
}

static bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

/* Checks the grammar; returns the number of words. */
static size_t check_grammar(const char *s, size_t len)
{
    size_t words = 0, i = 0;
    while (i < len) {
        if (words)
            FUZZ_CHECK(s[i++] == ' ', "no space before word %zu in %s", words, s);
        FUZZ_CHECK(s[i++] == '"', "word %zu does not open with a quote in %s", words, s);
        size_t start = i;
        while (i < len && s[i] != '"') {
            FUZZ_CHECK(is_word_byte((unsigned char)s[i]), "byte 0x%02x inside a word",
                       (unsigned char)s[i]);
            i++;
        }
        FUZZ_CHECK(i < len, "word %zu is never closed in %s", words, s);
        FUZZ_CHECK(i > start, "word %zu is empty in %s", words, s);
        i++; /* the closing quote */
        words++;
        if (i == len - 1) {
            FUZZ_CHECK(s[i] == '*', "the last word is not a prefix in %s", s);
            i++;
        } else {
            FUZZ_CHECK(i < len, "the last word is not a prefix in %s", s);
        }
    }
    return words;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        fts_open();
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';

    struct buf out = BUF_INIT;
    size_t n = query_fts_build(text, &out);
    FUZZ_CHECK(n <= QUERY_MAX_TERMS, "%zu terms", n);
    if (n == 0) {
        FUZZ_CHECK(out.len == 0, "0 words but output \"%s\"", buf_str(&out));
        /* nothing to search for: true only when there is no word byte */
        for (const char *p = text; *p; p++)
            FUZZ_CHECK(!is_word_byte((unsigned char)*p), "0 words, but byte 0x%02x",
                       (unsigned char)*p);
    } else {
        FUZZ_CHECK(strlen(out.data) == out.len, "NUL inside the expression");
        FUZZ_CHECK(check_grammar(out.data, out.len) == n, "word count differs from %zu", n);

        sqlite3_bind_text(match, 1, out.data, (int)out.len, SQLITE_STATIC);
        int rc = sqlite3_step(match);
        FUZZ_CHECK(rc == SQLITE_ROW, "FTS5 refused %s: %s", out.data, sqlite3_errmsg(db));
        sqlite3_reset(match);
        sqlite3_clear_bindings(match);
    }
    buf_reset(&out);
    free(text);
    return 0;
}
