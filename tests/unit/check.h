/* check.h: a header-only harness for the unit tests.
 *
 * A test is a function named for the one behaviour it guards. RUN() calls it
 * and counts it passed when none of its checks failed. A failing check prints
 * file:line and the expression (with both values for CHECK_STR/CHECK_INT)
 * and the test carries on, so one run shows every broken behaviour. Each
 * check is an expression that yields whether it held, for guards such as
 * `if (!CHECK(p != NULL)) return;`. check_finish() prints the last line,
 * "N passed, M failed" (tests, not checks), and returns the exit status. */
#ifndef SIGNPOST_CHECK_H
#define SIGNPOST_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static struct {
    int passed, failed;      /* tests */
    long checks;             /* every check evaluated, for the summary */
    int failures_in_test;    /* failed checks in the test running now */
    const char *test;        /* its name */
} check_state;

/* Prints s quoted, with bytes that are not printable ASCII as \xNN, so a
 * failure shows exactly which bytes differed. */
static inline void check_print_str_(const char *s)
{
    if (!s) {
        fputs("NULL", stdout);
        return;
    }
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p >= 0x20 && *p < 0x7F)
            putchar(*p);
        else
            printf("\\x%02x", *p);
    }
    putchar('"');
}

static inline bool check_record_(bool ok, const char *file, int line,
                                 const char *what, const char *expr)
{
    check_state.checks++;
    if (ok)
        return true;
    check_state.failures_in_test++;
    printf("%s:%d: %s: %s(%s) failed\n", file, line,
           check_state.test ? check_state.test : "(outside a test)", what, expr);
    return false;
}

static inline bool check_true_(bool ok, const char *file, int line, const char *expr)
{
    return check_record_(ok, file, line, "CHECK", expr);
}

static inline bool check_str_(const char *a, const char *b, const char *file, int line,
                              const char *expr)
{
    bool ok = (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
    if (!check_record_(ok, file, line, "CHECK_STR", expr)) {
        fputs("    got:      ", stdout);
        check_print_str_(a);
        fputs("\n    expected: ", stdout);
        check_print_str_(b);
        putchar('\n');
    }
    return ok;
}

static inline bool check_int_(long long a, long long b, const char *file, int line,
                              const char *expr)
{
    bool ok = a == b;
    if (!check_record_(ok, file, line, "CHECK_INT", expr))
        printf("    got: %lld, expected: %lld\n", a, b);
    return ok;
}

/* CHECK(cond): cond holds. */
#define CHECK(cond) check_true_((cond) ? true : false, __FILE__, __LINE__, #cond)
/* CHECK_STR(got, expected): equal C strings (or both NULL). */
#define CHECK_STR(a, b) check_str_((a), (b), __FILE__, __LINE__, #a ", " #b)
/* CHECK_INT(got, expected): equal as integers (compared as long long). */
#define CHECK_INT(a, b) \
    check_int_((long long)(a), (long long)(b), __FILE__, __LINE__, #a ", " #b)

static inline void check_run_(const char *name, void (*fn)(void))
{
    check_state.test = name;
    check_state.failures_in_test = 0;
    fn();
    if (check_state.failures_in_test) {
        check_state.failed++;
        printf("FAIL %s\n", name);
    } else {
        check_state.passed++;
    }
    check_state.test = NULL;
    check_state.failures_in_test = 0; /* from here on: checks outside a test */
    fflush(stdout);
}

/* RUN(test_fn): runs one test function, void test_fn(void). */
#define RUN(fn) check_run_(#fn, fn)

/* Prints "N passed, M failed" on its own line; returns the exit status for
 * main: 1 when any test (or any check outside a test) failed. */
static inline int check_finish(void)
{
    int failed = check_state.failed + (check_state.failures_in_test ? 1 : 0);
    printf("(%ld checks)\n%d passed, %d failed\n", check_state.checks,
           check_state.passed, failed);
    fflush(stdout);
    return failed ? 1 : 0;
}

#endif
