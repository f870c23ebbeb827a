/* test_porter.c: unit tests of server/lib/porter.h. The stemmer must give
 * exactly the stems SQLite's FTS5 "porter" tokenizer puts in the index, or
 * typo correction and compound words would look up stems that are not
 * there: every distinct word of the seed and the lexicon (a few thousand)
 * is stemmed by both and compared. */
#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib/porter.h"

static const char *stem_of(const char *w)
{
    static char out[PORTER_MAX + 2];
    porter_stem(w, strlen(w), out);
    return out;
}

static void test_classic_examples_from_the_paper(void)
{
    static const char *const pairs[][2] = {
        {"caresses", "caress"}, {"ponies", "poni"},     {"cats", "cat"},
        {"feed", "feed"},       {"agreed", "agre"},     {"plastered", "plaster"},
        {"motoring", "motor"},  {"sing", "sing"},       {"conflated", "conflat"},
        {"hopping", "hop"},     {"falling", "fall"},    {"filing", "file"},
        {"happy", "happi"},     {"relational", "relat"}, {"generalization", "gener"},
        {"bullying", "bulli"},  {"bullied", "bulli"},   {"groomed", "groom"},
        {"grooming", "groom"},  {"controls", "control"}, {"childline", "childlin"},
        {"cyberbullying", "cyberbulli"}, {"children", "children"}, {"a", "a"},
        {"no", "no"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        CHECK_STR(stem_of(pairs[i][0]), pairs[i][1]);
}

static void test_words_with_other_characters_are_left_alone(void)
{
    CHECK_STR(stem_of("some1"), "some1");
    CHECK_STR(stem_of("caf\xc3\xa9s"), "caf\xc3\xa9s");
}

/* Adds the lower-case ASCII words of file to words (a "\n"-joined list of
 * distinct words, kept in a buffer of size cap). */
static size_t collect_words(const char *path, char ***words, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return n;
    char w[128];
    size_t len = 0;
    int c;
    do {
        c = fgetc(f);
        if (c != EOF && isalpha(c) && len < sizeof w - 1) {
            w[len++] = (char)tolower(c);
            continue;
        }
        if (len >= 1) {
            w[len] = '\0';
            bool seen = false;
            for (size_t i = 0; i < n && !seen; i++)
                seen = strcmp((*words)[i], w) == 0;
            if (!seen) {
                *words = realloc(*words, (n + 1) * sizeof **words);
                (*words)[n++] = strdup(w);
            }
        }
        len = 0;
    } while (c != EOF);
    fclose(f);
    return n;
}

/* Words the fuzzer or people found hard, compared with FTS5 too (this file
 * is read for words): ies sses ied eed ing ed s ss y. */
static void test_same_stems_as_fts5_on_every_word_of_the_seed(void)
{
    char **words = NULL;
    size_t n = collect_words("db/seed.sql", &words, 0);
    n = collect_words("db/lexicon.sql", &words, n);
    n = collect_words("tests/unit/test_porter.c", &words, n);
    if (!CHECK(n > 1000))
        return;
    sqlite3 *db;
    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db,
                           "CREATE VIRTUAL TABLE f USING fts5(w, tokenize = 'porter unicode61 "
                           "remove_diacritics 2');"
                           "CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance');",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_stmt *ins;
    sqlite3_prepare_v2(db, "INSERT INTO f(rowid, w) VALUES (?, ?)", -1, &ins, NULL);
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(ins, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_text(ins, 2, words[i], -1, SQLITE_STATIC);
        sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_stmt *q;
    sqlite3_prepare_v2(db, "SELECT doc, term FROM v", -1, &q, NULL);
    size_t compared = 0, differ = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        size_t i = (size_t)sqlite3_column_int64(q, 0) - 1;
        const char *fts = (const char *)sqlite3_column_text(q, 1);
        compared++;
        if (strcmp(stem_of(words[i]), fts) != 0 && differ++ < 20)
            printf("  %s: porter_stem %s, FTS5 %s\n", words[i], stem_of(words[i]), fts);
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    CHECK(compared >= n);
    CHECK_INT(differ, 0);
    for (size_t i = 0; i < n; i++)
        free(words[i]);
    free(words);
}

int main(void)
{
    RUN(test_classic_examples_from_the_paper);
    RUN(test_words_with_other_characters_are_left_alone);
    RUN(test_same_stems_as_fts5_on_every_word_of_the_seed);
    return check_finish();
}
