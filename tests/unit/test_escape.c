/* test_escape.c: unit tests of server/escape.h: the JSON, HTML and URL
 * escapers, the safe-href check and the UTF-8 helpers. */
#include "lib/buf.h"
#include "check.h"
#include "lib/escape.h"

#include <string.h>

static struct buf esc_out = BUF_INIT;

/* The result of escaping s[0..n) with fn; valid until the next call. */
static const char *run_esc(void (*fn)(struct buf *, const char *, size_t),
                           const char *s, size_t n)
{
    buf_reset(&esc_out);
    fn(&esc_out, s, n);
    return buf_str(&esc_out);
}

static const char *json(const char *s) { return run_esc(esc_json, s, strlen(s)); }
static const char *html(const char *s) { return run_esc(esc_html, s, strlen(s)); }
static const char *url(const char *s) { return run_esc(esc_url, s, strlen(s)); }

/* ---- esc_json ------------------------------------------------------------ */

static void test_json_quotes_plain_text(void)
{
    CHECK_STR(json(""), "\"\"");
    CHECK_STR(json("hello world"), "\"hello world\"");
}

static void test_json_escapes_quote_and_backslash(void)
{
    CHECK_STR(json("a\"b\\c"), "\"a\\\"b\\\\c\"");
    CHECK_STR(json("\\\""), "\"\\\\\\\"\"");
}

static void test_json_escapes_control_characters(void)
{
    CHECK_STR(json("\n\r\t"), "\"\\n\\r\\t\"");
    CHECK_STR(json("\x01\x08\x0c\x1f\x7f"), "\"\\u0001\\u0008\\u000c\\u001f\\u007f\"");
}

static void test_json_escapes_html_sensitive_characters(void)
{
    CHECK_STR(json("</script><b>&amp;"),
              "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026amp;\"");
}

static void test_json_escapes_line_and_paragraph_separators(void)
{
    CHECK_STR(json("a\xE2\x80\xA8" "b\xE2\x80\xA9" "c"), "\"a\\u2028b\\u2029c\"");
    /* A neighbour of U+2028 that JSON and JavaScript both accept stays. */
    CHECK_STR(json("\xE2\x80\xA7"), "\"\xE2\x80\xA7\"");
}

static void test_json_keeps_valid_non_ascii(void)
{
    CHECK_STR(json("caf\xC3\xA9 \xE6\x9D\xB1 \xF0\x9F\x98\x80"),
              "\"caf\xC3\xA9 \xE6\x9D\xB1 \xF0\x9F\x98\x80\"");
}

static void test_json_replaces_each_invalid_byte_with_fffd(void)
{
    CHECK_STR(json("\xFF"), "\"\\ufffd\"");
    CHECK_STR(json("a\xC3"), "\"a\\ufffd\"");           /* truncated */
    CHECK_STR(json("\xC3(x"), "\"\\ufffd(x\"");         /* bad continuation */
    CHECK_STR(json("\xC0\xAF"), "\"\\ufffd\\ufffd\"");  /* overlong '/' */
    CHECK_STR(json("\xED\xA0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
    CHECK_STR(json("\xF4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    CHECK_STR(json("\x80z"), "\"\\ufffdz\"");           /* lone continuation */
}

static void test_json_escapes_embedded_nul_with_explicit_length(void)
{
    CHECK_STR(run_esc(esc_json, "a\0b", 3), "\"a\\u0000b\"");
    CHECK_STR(run_esc(esc_json, "abc", 1), "\"a\"");
}

static void test_json_str_null_writes_null(void)
{
    struct buf b = BUF_INIT;
    esc_json_str(&b, NULL);
    buf_putc(&b, ',');
    esc_json_str(&b, "x");
    CHECK_STR(buf_str(&b), "null,\"x\"");
    buf_reset(&b);
}

static void test_escapers_append_to_existing_content(void)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "pre:");
    esc_json(&b, "<", 1);
    esc_html(&b, "<", 1);
    esc_url(&b, "<", 1);
    CHECK_STR(buf_str(&b), "pre:\"\\u003c\"&lt;%3C");
    buf_reset(&b);
}

/* ---- esc_html ------------------------------------------------------------ */

static void test_html_escapes_all_five_characters(void)
{
    CHECK_STR(html("&<>\"'"), "&amp;&lt;&gt;&quot;&#39;");
    CHECK_STR(html("<a href=\"x\" title='y'>T&C</a>"),
              "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;T&amp;C&lt;/a&gt;");
}

static void test_html_leaves_other_text_alone(void)
{
    CHECK_STR(html(""), "");
    CHECK_STR(html("plain text / 100% caf\xC3\xA9"), "plain text / 100% caf\xC3\xA9");
}

static void test_html_respects_explicit_length(void)
{
    CHECK_STR(run_esc(esc_html, "a<b<c", 2), "a&lt;");
}

static void test_html_str_null_appends_nothing(void)
{
    struct buf b = BUF_INIT;
    esc_html_str(&b, NULL);
    CHECK_STR(buf_str(&b), "");
    esc_html_str(&b, "<");
    CHECK_STR(buf_str(&b), "&lt;");
    buf_reset(&b);
}

/* ---- esc_url ------------------------------------------------------------- */

static void test_url_keeps_unreserved_characters(void)
{
    const char *unreserved =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    CHECK_STR(url(unreserved), unreserved);
}

static void test_url_encodes_space_as_percent_20(void)
{
    CHECK_STR(url("a b"), "a%20b");
}

static void test_url_encodes_reserved_and_percent(void)
{
    CHECK_STR(url("/?&=+%#:@,;!*'()\"<>"),
              "%2F%3F%26%3D%2B%25%23%3A%40%2C%3B%21%2A%27%28%29%22%3C%3E");
}

static void test_url_encodes_utf8_bytes_uppercase(void)
{
    CHECK_STR(url("caf\xC3\xA9"), "caf%C3%A9");
    CHECK_STR(url("\xE6\x9D\xB1"), "%E6%9D%B1");
    CHECK_STR(url("\xff\x7f\x01"), "%FF%7F%01");
}

static void test_url_encodes_embedded_nul_with_explicit_length(void)
{
    CHECK_STR(run_esc(esc_url, "a\0b", 3), "a%00b");
}

/* ---- esc_url_is_safe ----------------------------------------------------- */

static void test_url_safe_allows_listed_schemes_case_insensitively(void)
{
    CHECK(esc_url_is_safe("http://example.org/"));
    CHECK(esc_url_is_safe("https://example.org/path?q=1"));
    CHECK(esc_url_is_safe("HTTPS://EXAMPLE.ORG"));
    CHECK(esc_url_is_safe("HtTp://x"));
    CHECK(esc_url_is_safe("mailto:help@example.org"));
    CHECK(esc_url_is_safe("MAILTO:help@example.org"));
    CHECK(esc_url_is_safe("tel:+441234567890"));
    CHECK(esc_url_is_safe("Tel:116123"));
    CHECK(esc_url_is_safe("sms:85258"));
    CHECK(esc_url_is_safe("SMS:85258"));
}

static void test_url_safe_allows_site_relative_paths(void)
{
    CHECK(esc_url_is_safe("/ok"));
    CHECK(esc_url_is_safe("/"));
    CHECK(esc_url_is_safe("/organisations/a-b?x=1"));
}

static void test_url_safe_refuses_script_and_data_schemes(void)
{
    CHECK(!esc_url_is_safe("javascript:alert(1)"));
    CHECK(!esc_url_is_safe("JaVaScRiPt:alert(1)"));
    CHECK(!esc_url_is_safe("data:text/html,<script>alert(1)</script>"));
    CHECK(!esc_url_is_safe("vbscript:msgbox"));
    CHECK(!esc_url_is_safe("ftp://example.org"));
    CHECK(!esc_url_is_safe("file:///etc/passwd"));
}

static void test_url_safe_refuses_protocol_relative(void)
{
    CHECK(!esc_url_is_safe("//evil.example"));
    CHECK(!esc_url_is_safe("/\\evil.example"));
}

static void test_url_safe_refuses_whitespace_and_control_tricks(void)
{
    CHECK(!esc_url_is_safe(" javascript:alert(1)"));
    CHECK(!esc_url_is_safe("java\tscript:alert(1)"));
    CHECK(!esc_url_is_safe("java\nscript:alert(1)"));
    CHECK(!esc_url_is_safe("\x01javascript:alert(1)"));
    CHECK(!esc_url_is_safe("https://ok.example/\x7f"));
    CHECK(!esc_url_is_safe("https://ok.example/a b"));
}

static void test_url_safe_refuses_empty_null_and_bare_scheme(void)
{
    CHECK(!esc_url_is_safe(""));
    CHECK(!esc_url_is_safe(NULL));
    CHECK(!esc_url_is_safe("http://"));
    CHECK(!esc_url_is_safe("https://"));
    CHECK(!esc_url_is_safe("mailto:"));
    CHECK(!esc_url_is_safe("http:example.org"));
    CHECK(!esc_url_is_safe("example.org"));
}

/* ---- UTF-8 --------------------------------------------------------------- */

static bool valid(const char *s) { return esc_utf8_valid(s, strlen(s)); }

static void test_utf8_valid_accepts_well_formed_text(void)
{
    CHECK(valid(""));
    CHECK(valid("plain ASCII"));
    CHECK(valid("\xC2\x80"));             /* U+0080 */
    CHECK(valid("\xDF\xBF"));             /* U+07FF */
    CHECK(valid("\xE0\xA0\x80"));         /* U+0800 */
    CHECK(valid("\xED\x9F\xBF"));         /* U+D7FF, just below surrogates */
    CHECK(valid("\xEE\x80\x80"));         /* U+E000, just above */
    CHECK(valid("\xEF\xBF\xBF"));         /* U+FFFF */
    CHECK(valid("\xF0\x90\x80\x80"));     /* U+10000 */
    CHECK(valid("\xF4\x8F\xBF\xBF"));     /* U+10FFFF */
    CHECK(esc_utf8_valid("a\0b", 3));     /* NUL is a code point */
}

static void test_utf8_valid_rejects_overlongs(void)
{
    CHECK(!valid("\xC0\xAF"));
    CHECK(!valid("\xC1\xBF"));
    CHECK(!valid("\xE0\x80\xAF"));
    CHECK(!valid("\xE0\x9F\xBF"));
    CHECK(!valid("\xF0\x80\x80\xAF"));
    CHECK(!valid("\xF0\x8F\xBF\xBF"));
}

static void test_utf8_valid_rejects_surrogates_and_above_max(void)
{
    CHECK(!valid("\xED\xA0\x80"));        /* U+D800 */
    CHECK(!valid("\xED\xBF\xBF"));        /* U+DFFF */
    CHECK(!valid("\xF4\x90\x80\x80"));    /* U+110000 */
    CHECK(!valid("\xF5\x80\x80\x80"));
    CHECK(!valid("\xF8\x88\x80\x80\x80"));
}

static void test_utf8_valid_rejects_truncated_and_stray_bytes(void)
{
    CHECK(!valid("\xC3"));
    CHECK(!valid("a\xE6\x9D"));
    CHECK(!valid("\xF0\x9F\x98"));
    CHECK(!valid("\x80"));
    CHECK(!valid("\xBF"));
    CHECK(!valid("\xFE"));
    CHECK(!valid("\xFF"));
    CHECK(!valid("\xC3\x28"));            /* continuation expected */
    CHECK(!valid("\xE6\x9D\x28"));
    /* The length bounds the check: a sequence cut by n is invalid. */
    CHECK(!esc_utf8_valid("\xC3\xA9", 1));
    CHECK(esc_utf8_valid("\xC3\xA9", 2));
}

static void test_utf8_len_counts_code_points(void)
{
    CHECK_INT(esc_utf8_len("", 0), 0);
    CHECK_INT(esc_utf8_len("abc", 3), 3);
    CHECK_INT(esc_utf8_len("caf\xC3\xA9", 5), 4);
    CHECK_INT(esc_utf8_len("\xE6\x9D\xB1\xE4\xBA\xAC", 6), 2);
    CHECK_INT(esc_utf8_len("\xF0\x9F\x98\x80!", 5), 2);
    CHECK_INT(esc_utf8_len("a\0b", 3), 3);
}

int main(void)
{
    RUN(test_json_quotes_plain_text);
    RUN(test_json_escapes_quote_and_backslash);
    RUN(test_json_escapes_control_characters);
    RUN(test_json_escapes_html_sensitive_characters);
    RUN(test_json_escapes_line_and_paragraph_separators);
    RUN(test_json_keeps_valid_non_ascii);
    RUN(test_json_replaces_each_invalid_byte_with_fffd);
    RUN(test_json_escapes_embedded_nul_with_explicit_length);
    RUN(test_json_str_null_writes_null);
    RUN(test_escapers_append_to_existing_content);
    RUN(test_html_escapes_all_five_characters);
    RUN(test_html_leaves_other_text_alone);
    RUN(test_html_respects_explicit_length);
    RUN(test_html_str_null_appends_nothing);
    RUN(test_url_keeps_unreserved_characters);
    RUN(test_url_encodes_space_as_percent_20);
    RUN(test_url_encodes_reserved_and_percent);
    RUN(test_url_encodes_utf8_bytes_uppercase);
    RUN(test_url_encodes_embedded_nul_with_explicit_length);
    RUN(test_url_safe_allows_listed_schemes_case_insensitively);
    RUN(test_url_safe_allows_site_relative_paths);
    RUN(test_url_safe_refuses_script_and_data_schemes);
    RUN(test_url_safe_refuses_protocol_relative);
    RUN(test_url_safe_refuses_whitespace_and_control_tricks);
    RUN(test_url_safe_refuses_empty_null_and_bare_scheme);
    RUN(test_utf8_valid_accepts_well_formed_text);
    RUN(test_utf8_valid_rejects_overlongs);
    RUN(test_utf8_valid_rejects_surrogates_and_above_max);
    RUN(test_utf8_valid_rejects_truncated_and_stray_bytes);
    RUN(test_utf8_len_counts_code_points);
    buf_reset(&esc_out);
    return check_finish();
}
