/* test_cookie.c: cookie_find on what browsers send and on hostile headers. */
#include "check.h"
#include "lib/cookie.h"

#include <stdlib.h>
#include <string.h>

static char v[64];

static void finds_a_cookie_among_others(void)
{
    CHECK(cookie_find("a=1; sid=abc; b=2", "sid", v, sizeof v));
    CHECK_STR(v, "abc");
    CHECK(cookie_find("sid=abc", "sid", v, sizeof v));
    CHECK_STR(v, "abc");
    CHECK(cookie_find("a=1;sid=x_y-Z", "sid", v, sizeof v));
    CHECK_STR(v, "x_y-Z");
    CHECK(cookie_find("sid=\"quoted\"", "sid", v, sizeof v));
    CHECK_STR(v, "quoted");
    CHECK(cookie_find("\tsid = abc ;", "sid", v, sizeof v));
    CHECK_STR(v, "abc");
    CHECK(cookie_find("sid=", "sid", v, sizeof v));
    CHECK_STR(v, "");
}

static void other_names_do_not_match(void)
{
    CHECK(!cookie_find("xsid=1; sidx=2; SID=3", "sid", v, sizeof v));
    CHECK(cookie_find("xsid=1; sid=2", "sid", v, sizeof v));
    CHECK_STR(v, "2");
    CHECK(!cookie_find("sid; a=1", "sid", v, sizeof v));   /* no '=' */
    CHECK(!cookie_find("a=sid=1", "sid", v, sizeof v));
    CHECK(!cookie_find(NULL, "sid", v, sizeof v));
    CHECK(!cookie_find("", "sid", v, sizeof v));
    CHECK(!cookie_find(";;;;", "sid", v, sizeof v));
}

static void a_repeated_name_is_refused(void)
{
    /* A cookie planted by a sibling site for a wider path comes too. */
    CHECK(!cookie_find("sid=mine; sid=planted", "sid", v, sizeof v));
    CHECK_STR(v, "");
}

static void bad_bytes_and_long_values_are_refused(void)
{
    CHECK(!cookie_find("sid=a b", "sid", v, sizeof v));
    CHECK(!cookie_find("sid=a\\b", "sid", v, sizeof v));
    CHECK(!cookie_find("sid=a,b", "sid", v, sizeof v));
    CHECK(!cookie_find("sid=a\"b", "sid", v, sizeof v));
    CHECK(!cookie_find("sid=\x01", "sid", v, sizeof v));
    CHECK(!cookie_find("sid=\xc3\xa9", "sid", v, sizeof v));
    char small[4];
    CHECK(!cookie_find("sid=abcd", "sid", small, sizeof small));
    CHECK(cookie_find("sid=abc", "sid", small, sizeof small));
    CHECK(!cookie_find("sid=abc", "sid", small, 0));
}

static void huge_headers_are_refused(void)
{
    size_t n = 9000;
    char *h = malloc(n + 1);
    memset(h, 'a', n);
    memcpy(h, "sid=1; x=", 9);
    h[n] = '\0';
    CHECK(!cookie_find(h, "sid", v, sizeof v));
    h[8000] = '\0';
    CHECK(cookie_find(h, "sid", v, sizeof v));
    CHECK_STR(v, "1");
    free(h);
}

int main(void)
{
    RUN(finds_a_cookie_among_others);
    RUN(other_names_do_not_match);
    RUN(a_repeated_name_is_refused);
    RUN(bad_bytes_and_long_values_are_refused);
    RUN(huge_headers_are_refused);
    return check_finish();
}
