/* test_query.c: unit tests of server/query.h: request-target parsing and
 * its checks, parameter lookup, normalisation, integer and list parameters
 * and the FTS5 query builder. */
#include "lib/buf.h"
#include "check.h"
#include "lib/query.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_TARGET 8192

static enum query_error parse(struct query *q, const char *target)
{
    return query_parse(q, target, strlen(target), MAX_TARGET);
}

/* ---- query_parse: paths and parameters ----------------------------------- */

static void test_parse_splits_path_and_params(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/api/organisations?audience=young-people&page=2"), QUERY_OK);
    CHECK_INT(q.error, QUERY_OK);
    CHECK_STR(q.path, "/api/organisations");
    CHECK_INT(q.path_len, 18);
    if (CHECK_INT(q.n_params, 2)) {
        CHECK_STR(q.params[0].key, "audience");
        CHECK_STR(q.params[0].value, "young-people");
        CHECK_INT(q.params[0].key_len, 8);
        CHECK_INT(q.params[0].value_len, 12);
        CHECK_STR(q.params[1].key, "page");
        CHECK_STR(q.params[1].value, "2");
    }
    query_reset(&q);
}

static void test_parse_path_only(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/"), QUERY_OK);
    CHECK_STR(q.path, "/");
    CHECK_INT(q.n_params, 0);
    query_reset(&q);
    CHECK_INT(parse(&q, "/x?"), QUERY_OK); /* an empty query */
    CHECK_STR(q.path, "/x");
    CHECK_INT(q.n_params, 0);
    query_reset(&q);
}

static void test_parse_decodes_percent_escapes_in_path(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/a%20b%2Fc%2fd%7E"), QUERY_OK);
    CHECK_STR(q.path, "/a b/c/d~");
    CHECK_INT(q.path_len, 9);
    query_reset(&q);
}

static void test_parse_keeps_plus_in_path(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/a+b?c+d=e+f"), QUERY_OK);
    CHECK_STR(q.path, "/a+b");
    if (CHECK_INT(q.n_params, 1)) {
        CHECK_STR(q.params[0].key, "c d");
        CHECK_STR(q.params[0].value, "e f");
    }
    query_reset(&q);
}

static void test_parse_decodes_escapes_in_query(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/s?q=caf%C3%A9%2Bcr%C3%A8me&a%26b=%3D%25"), QUERY_OK);
    if (CHECK_INT(q.n_params, 2)) {
        CHECK_STR(q.params[0].value, "caf\xC3\xA9+cr\xC3\xA8me");
        CHECK_INT(q.params[0].value_len, 12);
        CHECK_STR(q.params[1].key, "a&b");
        CHECK_STR(q.params[1].value, "=%");
    }
    query_reset(&q);
}

static void test_parse_splits_pair_on_first_equals(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x?a=b=c"), QUERY_OK);
    if (CHECK_INT(q.n_params, 1)) {
        CHECK_STR(q.params[0].key, "a");
        CHECK_STR(q.params[0].value, "b=c");
    }
    query_reset(&q);
}

static void test_parse_skips_empty_pairs(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x?&&a=1&&&b=2&"), QUERY_OK);
    if (CHECK_INT(q.n_params, 2)) {
        CHECK_STR(q.params[0].key, "a");
        CHECK_STR(q.params[1].key, "b");
    }
    query_reset(&q);
    CHECK_INT(parse(&q, "/x?&"), QUERY_OK);
    CHECK_INT(q.n_params, 0);
    query_reset(&q);
}

static void test_parse_key_without_equals_has_empty_value(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x?flag&a=1&=v"), QUERY_OK);
    if (CHECK_INT(q.n_params, 3)) {
        CHECK_STR(q.params[0].key, "flag");
        CHECK_STR(q.params[0].value, "");
        CHECK_INT(q.params[0].value_len, 0);
        CHECK_STR(q.params[2].key, ""); /* "=v": an empty key, kept */
        CHECK_STR(q.params[2].value, "v");
    }
    query_reset(&q);
}

static void test_parse_strips_fragment(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x?a=1#frag&b=2"), QUERY_OK);
    if (CHECK_INT(q.n_params, 1))
        CHECK_STR(q.params[0].value, "1");
    query_reset(&q);
    CHECK_INT(parse(&q, "/p#x?a=1"), QUERY_OK);
    CHECK_STR(q.path, "/p");
    CHECK_INT(q.n_params, 0);
    query_reset(&q);
    /* What follows '#' is not checked either. */
    CHECK_INT(parse(&q, "/p#%00%GG"), QUERY_OK);
    query_reset(&q);
}

static void test_parse_honours_explicit_length(void)
{
    struct query q;
    const char *t = "/x?a=1&b=2";
    CHECK_INT(query_parse(&q, t, 6, MAX_TARGET), QUERY_OK);
    CHECK_STR(q.path, "/x");
    if (CHECK_INT(q.n_params, 1))
        CHECK_STR(q.params[0].value, "1");
    query_reset(&q);
}

/* ---- query_parse: errors ------------------------------------------------- */

static void test_parse_nul_in_path(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/a%00b?x=1"), QUERY_NUL);
    CHECK_INT(q.error, QUERY_NUL);
    CHECK(q.error_in_path);
    CHECK(q.error_name == NULL);
    query_reset(&q);
}

static void test_parse_nul_in_key(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x?ok=1&a%00b=1"), QUERY_NUL);
    CHECK_INT(q.error, QUERY_NUL);
    CHECK(!q.error_in_path);
    CHECK(q.error_name == NULL); /* the name itself is the bad part */
    query_reset(&q);
}

static void test_parse_nul_in_value_names_the_parameter(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x?ok=1&name=a%00"), QUERY_NUL);
    CHECK_INT(q.error, QUERY_NUL);
    CHECK(!q.error_in_path);
    CHECK_STR(q.error_name, "name");
    query_reset(&q);
}

static void test_parse_error_name_is_decoded(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x?my+na%6De=%00"), QUERY_NUL);
    CHECK_STR(q.error_name, "my name");
    query_reset(&q);
}

static void test_parse_rejects_overlong_utf8(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x?q=%C0%AF"), QUERY_BAD_UTF8);
    CHECK_INT(q.error, QUERY_BAD_UTF8);
    CHECK(!q.error_in_path);
    CHECK_STR(q.error_name, "q");
    query_reset(&q);
    CHECK_INT(parse(&q, "/%C0%AF"), QUERY_BAD_UTF8);
    CHECK(q.error_in_path);
    CHECK(q.error_name == NULL);
    query_reset(&q);
    CHECK_INT(parse(&q, "/x?q=%E0%80%AF"), QUERY_BAD_UTF8);
    query_reset(&q);
}

static void test_parse_rejects_truncated_utf8(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x?q=%C3"), QUERY_BAD_UTF8);
    CHECK_STR(q.error_name, "q");
    query_reset(&q);
    CHECK_INT(parse(&q, "/x?q=%C3&r=%A9"), QUERY_BAD_UTF8); /* not across '&' */
    query_reset(&q);
    CHECK_INT(parse(&q, "/x?q=%E6%9D"), QUERY_BAD_UTF8);
    query_reset(&q);
}

static void test_parse_rejects_surrogates(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x?q=%ED%A0%80"), QUERY_BAD_UTF8);
    CHECK_STR(q.error_name, "q");
    query_reset(&q);
    CHECK_INT(parse(&q, "/%ED%BF%BF"), QUERY_BAD_UTF8);
    CHECK(q.error_in_path);
    query_reset(&q);
}

static void test_parse_rejects_code_points_above_10ffff(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x?q=%F4%90%80%80"), QUERY_BAD_UTF8);
    CHECK_STR(q.error_name, "q");
    query_reset(&q);
    CHECK_INT(parse(&q, "/x?q=%F4%8F%BF%BF"), QUERY_OK); /* U+10FFFF itself */
    query_reset(&q);
}

static void test_parse_rejects_raw_invalid_bytes(void)
{
    struct query q;
    CHECK_INT(parse(&q, "/x\xff"), QUERY_BAD_UTF8);
    CHECK(q.error_in_path);
    query_reset(&q);
    CHECK_INT(parse(&q, "/x?k\xC3=1"), QUERY_BAD_UTF8);
    CHECK(!q.error_in_path);
    CHECK(q.error_name == NULL); /* not valid UTF-8: not repeated back */
    query_reset(&q);
}

static void test_parse_rejects_malformed_escapes(void)
{
    static const char *const bad[] = {
        "/x?q=%", "/x?q=%4", "/x?q=%GG", "/x?q=%4G", "/x?q=%G4", "/x?q=%%41",
        "/x?q=%4&r=1", "/x?q=%&r=1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct query q;
        if (!CHECK_INT(parse(&q, bad[i]), QUERY_BAD_ESCAPE))
            printf("    target: %s\n", bad[i]);
        CHECK_INT(q.error, QUERY_BAD_ESCAPE);
        CHECK(!q.error_in_path);
        CHECK_STR(q.error_name, "q");
        query_reset(&q);
    }
}

static void test_parse_rejects_malformed_escapes_in_path_and_key(void)
{
    static const char *const bad_path[] = {"/%", "/%4", "/%GG", "/a%?x=1", "/a%4?x=1"};
    for (size_t i = 0; i < sizeof bad_path / sizeof *bad_path; i++) {
        struct query q;
        if (!CHECK_INT(parse(&q, bad_path[i]), QUERY_BAD_ESCAPE))
            printf("    target: %s\n", bad_path[i]);
        CHECK(q.error_in_path);
        query_reset(&q);
    }
    struct query q;
    CHECK_INT(parse(&q, "/x?%zz=1"), QUERY_BAD_ESCAPE);
    CHECK(!q.error_in_path);
    CHECK(q.error_name == NULL);
    query_reset(&q);
}

static void test_parse_rejects_target_longer_than_limit(void)
{
    struct query q;
    const char *t = "/abcdefghi"; /* 10 bytes */
    CHECK_INT(query_parse(&q, t, 10, 9), QUERY_TOO_LONG);
    CHECK_INT(q.error, QUERY_TOO_LONG);
    query_reset(&q);
    CHECK_INT(query_parse(&q, t, 10, 10), QUERY_OK);
    CHECK_STR(q.path, t);
    query_reset(&q);
}

static void test_parse_rejects_more_than_max_params(void)
{
    char t[1024] = "/x?";
    for (int i = 0; i < QUERY_MAX_PARAMS; i++)
        snprintf(t + strlen(t), sizeof t - strlen(t), "%sk%d=%d", i ? "&" : "", i, i);
    struct query q;
    CHECK_INT(parse(&q, t), QUERY_OK);
    CHECK_INT(q.n_params, QUERY_MAX_PARAMS);
    CHECK_STR(q.params[QUERY_MAX_PARAMS - 1].key, "k63");
    query_reset(&q);
    strcat(t, "&one=more");
    CHECK_INT(parse(&q, t), QUERY_TOO_MANY);
    CHECK_INT(q.error, QUERY_TOO_MANY);
    CHECK(!q.error_in_path);
    query_reset(&q);
    /* Empty pairs are not parameters and do not count. */
    char u[1100] = "/x?&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&";
    t[strlen(t) - strlen("&one=more")] = '\0';
    strcat(u, t + 3);
    CHECK_INT(parse(&q, u), QUERY_OK);
    CHECK_INT(q.n_params, QUERY_MAX_PARAMS);
    query_reset(&q);
}

static void test_parse_error_reasons_are_distinct_text(void)
{
    const char *r[] = {
        query_error_reason(QUERY_BAD_ESCAPE), query_error_reason(QUERY_NUL),
        query_error_reason(QUERY_BAD_UTF8),   query_error_reason(QUERY_TOO_LONG),
        query_error_reason(QUERY_TOO_MANY),
    };
    for (size_t i = 0; i < 5; i++) {
        CHECK(r[i] != NULL && *r[i]);
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(r[i], r[j]) != 0);
    }
}

static void test_reset_after_error_leaves_empty_query(void)
{
    struct query q;
    parse(&q, "/x?a=1&b=2&c=%00");
    query_reset(&q);
    CHECK(q.path == NULL);
    CHECK(q.params == NULL);
    CHECK_INT(q.n_params, 0);
    CHECK(q.error_name == NULL);
    CHECK_INT(q.error, QUERY_OK);
    query_reset(&q); /* twice is harmless */
}

/* ---- query_get ----------------------------------------------------------- */

static void test_get_returns_first_value_of_key(void)
{
    struct query q;
    parse(&q, "/x?a=1&ab=2&a=3&b=");
    CHECK_STR(query_get(&q, "a"), "1");
    CHECK_STR(query_get(&q, "ab"), "2");
    CHECK_STR(query_get(&q, "b"), "");
    CHECK(query_get(&q, "c") == NULL);
    CHECK(query_get(&q, "A") == NULL);
    CHECK(query_get(&q, "") == NULL);
    query_reset(&q);
}

/* ---- query_normalise ----------------------------------------------------- */

static struct buf norm_out = BUF_INIT;

/* The normalised form of target; valid until the next call. */
static const char *normalised(const char *target)
{
    struct query q;
    buf_reset(&norm_out);
    CHECK_INT(parse(&q, target), QUERY_OK);
    query_normalise(&q, &norm_out);
    query_reset(&q);
    return buf_str(&norm_out);
}

static char *normalised_copy(const char *target, char *dst, size_t n)
{
    snprintf(dst, n, "%s", normalised(target));
    return dst;
}

static void test_normalise_sorts_different_keys(void)
{
    char a[256], b[256];
    CHECK_STR(normalised_copy("/x?b=2&a=1&c=3", a, sizeof a),
              normalised_copy("/x?a=1&c=3&b=2", b, sizeof b));
    CHECK_STR(normalised("/x?b=2&a=1"), "%2Fx?a=1&b=2");
}

static void test_normalise_keeps_order_of_repeated_keys(void)
{
    char a[256], b[256];
    CHECK_STR(normalised("/x?t=2&b=1&t=1"), "%2Fx?b=1&t=2&t=1");
    CHECK(strcmp(normalised_copy("/x?t=1&t=2", a, sizeof a),
                 normalised_copy("/x?t=2&t=1", b, sizeof b)) != 0);
    /* Stable with many equal keys too (qsort alone is not). */
    CHECK_STR(normalised("/x?k=9&k=8&a=0&k=7&k=6&k=5&k=4&k=3&k=2&k=1"),
              "%2Fx?a=0&k=9&k=8&k=7&k=6&k=5&k=4&k=3&k=2&k=1");
}

static void test_normalise_equates_equivalent_encodings(void)
{
    char a[256], b[256];
    CHECK_STR(normalised_copy("/x?q=a+b", a, sizeof a),
              normalised_copy("/x?q=a%20b", b, sizeof b));
    CHECK_STR(normalised_copy("/x?q=%61", a, sizeof a),
              normalised_copy("/x?q=a", b, sizeof b));
    CHECK_STR(normalised_copy("/x?&q=1&", a, sizeof a),
              normalised_copy("/x?q=1", b, sizeof b));
    CHECK_STR(normalised_copy("/x?", a, sizeof a), normalised_copy("/x", b, sizeof b));
    CHECK_STR(normalised_copy("/x?q=1#top", a, sizeof a),
              normalised_copy("/x?q=1", b, sizeof b));
}

static void test_normalise_escapes_separators(void)
{
    char a[256], b[256];
    CHECK_STR(normalised("/x?q=a%26b%3Dc"), "%2Fx?q=a%26b%3Dc");
    CHECK(strcmp(normalised_copy("/x?q=a%26b%3Dc", a, sizeof a),
                 normalised_copy("/x?q=a&b=c", b, sizeof b)) != 0);
    CHECK(strcmp(normalised_copy("/x?a%3Db=c", a, sizeof a),
                 normalised_copy("/x?a=b%3Dc", b, sizeof b)) != 0);
    CHECK(strcmp(normalised_copy("/x%3Fa=1", a, sizeof a),
                 normalised_copy("/x?a=1", b, sizeof b)) != 0);
    CHECK_STR(normalised("/caf%C3%A9?q=%2B"), "%2Fcaf%C3%A9?q=%2B");
}

static void test_normalise_appends_to_buffer(void)
{
    struct buf out = BUF_INIT;
    struct query q;
    buf_puts(&out, "GET ");
    parse(&q, "/x?a=1");
    query_normalise(&q, &out);
    CHECK_STR(buf_str(&out), "GET %2Fx?a=1");
    query_reset(&q);
    buf_reset(&out);
}

/* ---- query_parse_int ----------------------------------------------------- */

static void test_parse_int_accepts_digits_in_bounds(void)
{
    long v = -1;
    CHECK(query_parse_int("42", 1, 100, &v));
    CHECK_INT(v, 42);
    CHECK(query_parse_int("1", 1, 100, &v));
    CHECK_INT(v, 1);
    CHECK(query_parse_int("100", 1, 100, &v));
    CHECK_INT(v, 100);
    CHECK(query_parse_int("007", 1, 100, &v));
    CHECK_INT(v, 7);
    CHECK(query_parse_int("0", 0, 0, &v));
    CHECK_INT(v, 0);
}

static void test_parse_int_rejects_out_of_bounds(void)
{
    long v = -1;
    CHECK(!query_parse_int("0", 1, 100, &v));
    CHECK(!query_parse_int("101", 1, 100, &v));
    CHECK(!query_parse_int("100000", 1, 100, &v));
    CHECK(!query_parse_int("99999999999999999999", 1, 100, &v));
}

static void test_parse_int_rejects_non_digits(void)
{
    static const char *const bad[] = {"", "+1", "-1", " 1", "1 ", "1.5", "0x10",
                                      "1e3", "\xD9\xA1", "12a", "a12", "1,000"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        long v = -1;
        if (!CHECK(!query_parse_int(bad[i], 0, 1000000, &v)))
            printf("    input: \"%s\"\n", bad[i]);
    }
    long v = -1;
    CHECK(!query_parse_int(NULL, 0, 10, &v));
}

/* The whole range of long: the bound check must not rely on overflowing. */
static void test_parse_int_handles_full_long_range(void)
{
    long v = -1;
    char max[32];
    snprintf(max, sizeof max, "%ld", LONG_MAX);
    CHECK(query_parse_int(max, 0, LONG_MAX, &v));
    CHECK(v == LONG_MAX);
    v = -1;
    CHECK(!query_parse_int("9223372036854775808", 0, LONG_MAX, &v));
    CHECK(!query_parse_int("99999999999999999999", 0, LONG_MAX, &v));
    CHECK(!query_parse_int("18446744073709551617", 0, LONG_MAX, &v));
    CHECK(!query_parse_int("99999999999999999999999999999999999999", 1, LONG_MAX, &v));
}

/* ---- query_get_list ------------------------------------------------------ */

/* The list joined with '|', for one comparison. */
static const char *joined(char **list, size_t n)
{
    static char out[512];
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? "|" : "",
                 list[i]);
    return out;
}

/* query_get_list on target's key, joined; checks the count and terminator. */
static const char *list_of(const char *target, const char *key)
{
    struct query q;
    char **list = NULL;
    CHECK_INT(parse(&q, target), QUERY_OK);
    size_t n = query_get_list(&q, key, &list);
    const char *s = "(no list)";
    if (CHECK(list != NULL)) {
        CHECK(list[n] == NULL);
        s = joined(list, n);
    }
    query_free_list(list);
    query_reset(&q);
    return s;
}

static void test_list_splits_on_commas(void)
{
    CHECK_STR(list_of("/x?t=a,b,c", "t"), "a|b|c");
    CHECK_STR(list_of("/x?t=one", "t"), "one");
}

static void test_list_trims_blanks(void)
{
    CHECK_STR(list_of("/x?t=+a+,%20b%09,%09c", "t"), "a|b|c");
    CHECK_STR(list_of("/x?t=a+b", "t"), "a b"); /* inner blanks stay */
}

static void test_list_skips_empties(void)
{
    CHECK_STR(list_of("/x?t=,,a,,b,", "t"), "a|b");
    CHECK_STR(list_of("/x?t=", "t"), "");
    CHECK_STR(list_of("/x?t=,+,%09", "t"), "");
    CHECK_STR(list_of("/x?t", "t"), "");
}

static void test_list_drops_duplicates(void)
{
    CHECK_STR(list_of("/x?t=a,b,a,+b+,c", "t"), "a|b|c");
    CHECK_STR(list_of("/x?t=ab,a,abc", "t"), "ab|a|abc"); /* prefixes differ */
}

static void test_list_collects_across_repeated_params(void)
{
    CHECK_STR(list_of("/x?t=a,b&u=z&t=b,c&t=a", "t"), "a|b|c");
}

static void test_list_of_missing_key_is_empty(void)
{
    struct query q;
    char **list = NULL;
    parse(&q, "/x?u=1");
    CHECK_INT(query_get_list(&q, "t", &list), 0);
    if (CHECK(list != NULL))
        CHECK(list[0] == NULL);
    query_free_list(list);
    query_free_list(NULL); /* harmless */
    query_reset(&q);
}

static void test_list_grows_past_initial_capacity(void)
{
    CHECK_STR(list_of("/x?t=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", "t"),
              "a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q");
}

static void test_accept_q_exact_wildcards_and_refusals(void)
{
    CHECK(query_accept_q("text/csv", "text/csv") == 1.0);
    CHECK(query_accept_q("text/csv;q=0.5", "text/csv") == 0.5);
    CHECK(query_accept_q("text/csv;q=0", "text/csv") == 0.0);
    CHECK(query_accept_q("text/*;q=0.3, */*;q=0.1", "text/csv") == 0.3);
    CHECK(query_accept_q("*/*", "application/json") == 1.0);
    CHECK(query_accept_q(NULL, "text/csv") == 0.0);
    CHECK(query_accept_q("application/json", "text/csv") == 0.0);
    /* the most specific entry wins, whatever its order */
    CHECK(query_accept_q("text/csv;q=0, text/*", "text/csv") == 0.0);
}

static void test_accept_q_reads_accept_encoding(void)
{
    CHECK(query_accept_q("gzip, deflate, br", "gzip") == 1.0);
    CHECK(query_accept_q("deflate, gzip;q=0", "gzip") == 0.0);
    CHECK(query_accept_q("*", "gzip") == 1.0);
    CHECK(query_accept_q("*;q=0", "gzip") == 0.0);
    CHECK(query_accept_q("identity", "gzip") == 0.0);
    CHECK(query_accept_q("GZIP;q=0.5", "gzip") == 0.5);
}

static void test_accept_prefers_only_a_wanted_and_higher_type(void)
{
    CHECK(query_accept_prefers("text/csv", "text/csv", "application/json"));
    CHECK(!query_accept_prefers("text/csv;q=0", "text/csv", "application/json"));
    CHECK(!query_accept_prefers("application/json, text/csv;q=0.1", "text/csv",
                                "application/json"));
    CHECK(query_accept_prefers("application/json;q=0.2, text/csv", "text/csv",
                               "application/json"));
    CHECK(!query_accept_prefers("*/*", "text/csv", "application/json"));
    CHECK(!query_accept_prefers(NULL, "text/csv", "application/json"));
}

int main(void)
{
    RUN(test_accept_q_exact_wildcards_and_refusals);
    RUN(test_accept_prefers_only_a_wanted_and_higher_type);
    RUN(test_accept_q_reads_accept_encoding);
    RUN(test_parse_splits_path_and_params);
    RUN(test_parse_path_only);
    RUN(test_parse_decodes_percent_escapes_in_path);
    RUN(test_parse_keeps_plus_in_path);
    RUN(test_parse_decodes_escapes_in_query);
    RUN(test_parse_splits_pair_on_first_equals);
    RUN(test_parse_skips_empty_pairs);
    RUN(test_parse_key_without_equals_has_empty_value);
    RUN(test_parse_strips_fragment);
    RUN(test_parse_honours_explicit_length);
    RUN(test_parse_nul_in_path);
    RUN(test_parse_nul_in_key);
    RUN(test_parse_nul_in_value_names_the_parameter);
    RUN(test_parse_error_name_is_decoded);
    RUN(test_parse_rejects_overlong_utf8);
    RUN(test_parse_rejects_truncated_utf8);
    RUN(test_parse_rejects_surrogates);
    RUN(test_parse_rejects_code_points_above_10ffff);
    RUN(test_parse_rejects_raw_invalid_bytes);
    RUN(test_parse_rejects_malformed_escapes);
    RUN(test_parse_rejects_malformed_escapes_in_path_and_key);
    RUN(test_parse_rejects_target_longer_than_limit);
    RUN(test_parse_rejects_more_than_max_params);
    RUN(test_parse_error_reasons_are_distinct_text);
    RUN(test_reset_after_error_leaves_empty_query);
    RUN(test_get_returns_first_value_of_key);
    RUN(test_normalise_sorts_different_keys);
    RUN(test_normalise_keeps_order_of_repeated_keys);
    RUN(test_normalise_equates_equivalent_encodings);
    RUN(test_normalise_escapes_separators);
    RUN(test_normalise_appends_to_buffer);
    RUN(test_parse_int_accepts_digits_in_bounds);
    RUN(test_parse_int_rejects_out_of_bounds);
    RUN(test_parse_int_rejects_non_digits);
    RUN(test_list_splits_on_commas);
    RUN(test_list_trims_blanks);
    RUN(test_list_skips_empties);
    RUN(test_list_drops_duplicates);
    RUN(test_list_collects_across_repeated_params);
    RUN(test_list_of_missing_key_is_empty);
    RUN(test_list_grows_past_initial_capacity);
    /* Last: signed overflow here aborts a -fsanitize=undefined build. */
    RUN(test_parse_int_handles_full_long_range);
    buf_reset(&norm_out);
    return check_finish();
}
