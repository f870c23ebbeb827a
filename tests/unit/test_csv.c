/* test_csv.c: unit tests of the CSV formula guard (views/csv.h): what
 * csv_field writes for every character that starts a formula, with and
 * without apostrophes before it, what csv_unguard takes off, and that every
 * value written by csv_field reads back through the import's reader
 * (csvread_rows, exchange/csvread.h) as it was. */
#include "check.h"
#include "exchange/csvread.h"
#include "lib/buf.h"
#include "views/csv.h"
#include "views/problem.h"

#include <string.h>

/* OWASP's six first characters of a formula. */
static const char formula_start[] = {'=', '+', '-', '@', '\t', '\r'};
#define N_START (sizeof formula_start / sizeof *formula_start)

static struct buf field_out = BUF_INIT;

/* What csv_field writes for s; valid until the next call. */
static const char *field(const char *s)
{
    buf_reset(&field_out);
    csv_field(&field_out, s);
    return buf_str(&field_out);
}

/* "<apostrophes x k><c>x", and what export must write for it:
 * "\"<apostrophes x (k + 1)><c>x\"" (quoted, one more apostrophe). */
static void guarded_pair(char c, int k, char *value, char *written)
{
    char *v = value, *w = written;
    *w++ = '"';
    *w++ = '\'';
    for (int i = 0; i < k; i++)
        *v++ = *w++ = '\'';
    *v++ = *w++ = c;
    *v++ = *w++ = 'x';
    *w++ = '"';
    *v = *w = '\0';
}

/* ---- the writer ---------------------------------------------------------- */

static void test_field_guards_each_formula_character(void)
{
    CHECK_STR(field("=1+1"), "\"'=1+1\"");
    CHECK_STR(field("+44 800"), "\"'+44 800\"");
    CHECK_STR(field("-x"), "\"'-x\"");
    CHECK_STR(field("@home"), "\"'@home\"");
    CHECK_STR(field("\tTAB"), "\"'\tTAB\"");
    CHECK_STR(field("\rCR"), "\"'\rCR\"");
    CHECK_STR(field("="), "\"'=\"");
    CHECK_STR(field("\t"), "\"'\t\"");
}

static void test_field_guards_apostrophes_before_a_formula_character(void)
{
    /* One, two and three apostrophes before each of the six: one more. */
    for (size_t i = 0; i < N_START; i++)
        for (int k = 0; k <= 3; k++) {
            char value[16], written[16];
            guarded_pair(formula_start[i], k, value, written);
            CHECK(csv_guarded(value));
            CHECK_STR(field(value), written);
        }
    CHECK_STR(field("'=not a formula"), "\"''=not a formula\"");
    CHECK_STR(field("''=two"), "\"'''=two\"");
    CHECK_STR(field("'\rCR"), "\"''\rCR\"");
}

static void test_field_leaves_apostrophes_before_other_characters(void)
{
    static const char *const plain[] = {"'plain", "it's fine", "''plain", "'", "''", "' =x",
                                        "'a=b", "a=b", " =1", "plain", "", "x-y", "'1'"};
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        CHECK(!csv_guarded(plain[i]));
        CHECK_STR(field(plain[i]), plain[i]);
    }
}

static void test_field_quotes_separators_without_guarding(void)
{
    CHECK_STR(field("a,b"), "\"a,b\"");
    CHECK_STR(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    CHECK_STR(field("one\ntwo"), "\"one\ntwo\"");
    CHECK_STR(field("a\rb"), "\"a\rb\"");
    CHECK_STR(field("'=\"q\""), "\"''=\"\"q\"\"\"");
    buf_reset(&field_out);
    csv_field(&field_out, NULL);
    CHECK_INT(field_out.len, 0);
}

/* ---- undoing it ---------------------------------------------------------- */

static void test_unguard_takes_off_exactly_the_added_apostrophe(void)
{
    CHECK_STR(csv_unguard("'=1+1"), "=1+1");
    CHECK_STR(csv_unguard("'+44 800"), "+44 800");
    CHECK_STR(csv_unguard("'-x"), "-x");
    CHECK_STR(csv_unguard("'@home"), "@home");
    CHECK_STR(csv_unguard("'\tTAB"), "\tTAB");
    CHECK_STR(csv_unguard("'\rCR"), "\rCR");
    CHECK_STR(csv_unguard("''=not a formula"), "'=not a formula");
    CHECK_STR(csv_unguard("'''=two"), "''=two");
}

static void test_unguard_leaves_cells_export_did_not_guard(void)
{
    /* Typed into a spreadsheet, or never guarded: read as they are. */
    static const char *const as_is[] = {"=1+1", "+44 800", "\tTAB", "\rCR", "'plain",
                                        "''plain", "it's fine", "'", "''", "' =x", "", "plain"};
    for (size_t i = 0; i < sizeof as_is / sizeof *as_is; i++)
        CHECK(csv_unguard(as_is[i]) == as_is[i]);
}

/* ---- through the import's reader ------------------------------------------ */

/* The one row that a line of csv_field(values[0]),...,csv_field(values[n-1])
 * reads back as, checked against values, and that the line's cells (as
 * written, before reading) never start like a formula. */
static void check_reads_back(const char *const *values, size_t n)
{
    struct buf line = BUF_INIT;
    buf_puts(&line, "name,summary\r\n");
    for (size_t i = 0; i < n; i++) {
        size_t at = line.len;
        csv_field(&line, values[i]);
        char first = line.data[at] == '"' ? line.data[at + 1] : line.data[at];
        CHECK(!first || !memchr(formula_start, first, N_START));
        buf_puts(&line, ",");
        csv_field(&line, values[i]);
        buf_puts(&line, "\r\n");
    }
    struct problems p;
    problem_list_init(&p);
    json_t *lines;
    json_t *rows = csvread_rows(buf_str(&line), line.len, &p, &lines);
    CHECK_INT(p.n, 0);
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_array_get(rows, 1 + i);
        if (!CHECK_INT(json_array_size(row), 2))
            break;
        CHECK_STR(json_string_value(json_array_get(row, 0)), values[i]);
        CHECK_STR(json_string_value(json_array_get(row, 1)), values[i]);
    }
    CHECK_INT(json_array_size(rows), 1 + n);
    json_decref(rows);
    json_decref(lines);
    problem_list_reset(&p);
    buf_reset(&line);
}

static void test_every_value_reads_back_as_written(void)
{
    static const char *const values[] = {
        "=1+1", "+44 800", "-x", "@home", "\tTAB", "\rCR", "'=not a formula", "''=two",
        "'plain", "it's fine", "'", "''", "' =x", "=", "'\t", "''\r", "'''@x", "a,b",
        "say \"hi\"", "one\r\ntwo", "'=\"q\", r", "plain", "-", "'-", ""};
    check_reads_back(values, sizeof values / sizeof *values);
}

static void test_each_guarded_character_reads_back_behind_any_apostrophes(void)
{
    char store[N_START * 4][16];
    const char *values[N_START * 4];
    size_t n = 0;
    for (size_t i = 0; i < N_START; i++)
        for (int k = 0; k <= 3; k++) {
            char written[16];
            guarded_pair(formula_start[i], k, store[n], written);
            values[n] = store[n];
            n++;
        }
    check_reads_back(values, n);
}

int main(void)
{
    RUN(test_field_guards_each_formula_character);
    RUN(test_field_guards_apostrophes_before_a_formula_character);
    RUN(test_field_leaves_apostrophes_before_other_characters);
    RUN(test_field_quotes_separators_without_guarding);
    RUN(test_unguard_takes_off_exactly_the_added_apostrophe);
    RUN(test_unguard_leaves_cells_export_did_not_guard);
    RUN(test_every_value_reads_back_as_written);
    RUN(test_each_guarded_character_reads_back_behind_any_apostrophes);
    buf_reset(&field_out);
    return check_finish();
}
