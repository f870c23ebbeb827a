/* test_csrf.c: the console's check of a state-changing form: the token
 * must be the session's, byte for byte and of the right length, and the
 * form must come from this origin (Sec-Fetch-Site, else Origin against
 * Host). */
#include "check.h"
#include "console/console_int.h"

#include <string.h>

static struct console_user u;
static const char good[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";   /* 43 */

static struct req same_origin(void)
{
    struct req r;
    memset(&r, 0, sizeof r);
    r.in_fetch_site = "same-origin";
    return r;
}

static void the_sessions_token_passes(void)
{
    struct req r = same_origin();
    CHECK(console_csrf_token_ok(&r, &u, good, strlen(good)));
}

static void any_other_token_fails(void)
{
    struct req r = same_origin();
    char near[sizeof good];
    memcpy(near, good, sizeof good);
    near[42] = 'R';
    CHECK(!console_csrf_token_ok(&r, &u, near, strlen(near)));
    near[42] = 'Q';
    near[0] = 'A';
    CHECK(!console_csrf_token_ok(&r, &u, near, strlen(near)));
    CHECK(!console_csrf_token_ok(&r, &u, good, 42));           /* a prefix */
    CHECK(!console_csrf_token_ok(&r, &u, "", 0));
    CHECK(!console_csrf_token_ok(&r, &u, NULL, 0));
    char longer[64];
    snprintf(longer, sizeof longer, "%sX", good);
    CHECK(!console_csrf_token_ok(&r, &u, longer, strlen(longer)));
}

static void a_form_from_another_site_fails_even_with_the_token(void)
{
    struct req r = same_origin();
    const char *sites[] = {"cross-site", "same-site", "none", ""};
    for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++) {
        r.in_fetch_site = sites[i];
        CHECK(!console_csrf_token_ok(&r, &u, good, strlen(good)));
    }
}

static void without_sec_fetch_site_origin_must_match_host(void)
{
    struct req r;
    memset(&r, 0, sizeof r);
    r.in_host = "signpost.example";
    r.in_origin = "https://signpost.example";
    CHECK(console_csrf_token_ok(&r, &u, good, strlen(good)));
    r.in_origin = "https://evil.example";
    CHECK(!console_csrf_token_ok(&r, &u, good, strlen(good)));
    r.in_origin = "https://signpost.example.evil.example";
    CHECK(!console_csrf_token_ok(&r, &u, good, strlen(good)));
    r.in_origin = "null";   /* a sandboxed frame, a data: page */
    CHECK(!console_csrf_token_ok(&r, &u, good, strlen(good)));
    r.in_origin = NULL;     /* neither header: not a browser; the token decides */
    CHECK(console_csrf_token_ok(&r, &u, good, strlen(good)));
}

int main(void)
{
    memcpy(u.csrf, good, sizeof good);
    RUN(the_sessions_token_passes);
    RUN(any_other_token_fails);
    RUN(a_form_from_another_site_fails_even_with_the_token);
    RUN(without_sec_fetch_site_origin_must_match_host);
    return check_finish();
}
