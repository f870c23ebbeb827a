/* fuzz_escape.c: every function of escape.h on the input.
 *
 * Guards: esc_json's output is one JSON string (jansson parses it) holding
 * the input, with invalid UTF-8 bytes as U+FFFD, and no raw < > & U+2028
 * U+2029 or control byte; esc_html's output has no < > " ' and decodes back
 * to the input; esc_url's output is unreserved bytes and %XX and decodes
 * back; esc_utf8_valid and esc_utf8_len agree with an independent decoder;
 * esc_url_is_safe refuses javascript:, data:, "//host" and control bytes and
 * accepts only what its contract lists; esc_is_web_url and esc_is_email
 * never crash and accept nothing with a space or a control byte. */
#include "lib/buf.h"
#include "lib/escape.h"
#include "fuzz.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* An independent UTF-8 decoder: returns the length of the well-formed
 * sequence at s, or 0, by decoding the code point. */
static size_t ref_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    else if ((c & 0xE0) == 0xC0)
        len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
        len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* The input as esc_json must render it: invalid bytes become U+FFFD. */
static char *expected_json_text(const unsigned char *s, size_t n, size_t *out_len,
                                bool *valid, size_t *code_points)
{
    char *e = malloc(3 * n + 1);
    size_t j = 0, i = 0;
    *valid = true;
    *code_points = 0;
    while (i < n) {
        size_t k = ref_seq(s + i, n - i);
        if (!k) {
            memcpy(e + j, "\xEF\xBF\xBD", 3);
            j += 3;
            i++;
            *valid = false;
        } else {
            memcpy(e + j, s + i, k);
            j += k;
            i += k;
        }
        ++*code_points;
    }
    *out_len = j;
    return e;
}

static void check_json(const char *s, size_t n)
{
    struct buf b = BUF_INIT;
    esc_json(&b, s, n);
    const char *o = buf_str(&b);
    FUZZ_CHECK(b.len >= 2 && o[0] == '"' && o[b.len - 1] == '"', "not quoted");
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)o[i];
        FUZZ_CHECK(c >= 0x20 && c != 0x7F && c != '<' && c != '>' && c != '&',
                   "raw byte 0x%02x at %zu", c, i);
        FUZZ_CHECK(!(c == 0xE2 && i + 2 < b.len && (unsigned char)o[i + 1] == 0x80 &&
                     ((unsigned char)o[i + 2] == 0xA8 || (unsigned char)o[i + 2] == 0xA9)),
                   "raw U+2028/U+2029 at %zu", i);
    }

    json_error_t err;
    json_t *v = json_loadb(o, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    FUZZ_CHECK(v != NULL, "jansson refuses %s: %s", o, err.text);
    FUZZ_CHECK(json_is_string(v), "not a JSON string: %s", o);

    bool valid;
    size_t want_len, code_points;
    char *want = expected_json_text((const unsigned char *)s, n, &want_len, &valid,
                                    &code_points);
    FUZZ_CHECK(json_string_length(v) == want_len &&
                   memcmp(json_string_value(v), want, want_len) == 0,
               "%s decodes to something else than the input", o);
    FUZZ_CHECK(esc_utf8_valid(s, n) == valid, "esc_utf8_valid says %d", !valid);
    if (valid)
        FUZZ_CHECK(esc_utf8_len(s, n) == code_points, "esc_utf8_len %zu, expected %zu",
                   esc_utf8_len(s, n), code_points);
    free(want);
    json_decref(v);
    buf_reset(&b);
}

static void check_html(const char *s, size_t n)
{
    struct buf b = BUF_INIT;
    esc_html(&b, s, n);
    static const struct {
        const char *ref;
        char c;
    } refs[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    size_t j = 0; /* position in s */
    for (size_t i = 0; i < b.len;) {
        char c = b.data[i];
        FUZZ_CHECK(c != '<' && c != '>' && c != '"' && c != '\'', "raw %c at %zu", c, i);
        char decoded = c;
        size_t step = 1;
        if (c == '&') {
            size_t r = 0;
            while (r < sizeof refs / sizeof *refs &&
                   strncmp(b.data + i, refs[r].ref, strlen(refs[r].ref)) != 0)
                r++;
            FUZZ_CHECK(r < sizeof refs / sizeof *refs, "a bare & at %zu", i);
            decoded = refs[r].c;
            step = strlen(refs[r].ref);
        }
        FUZZ_CHECK(j < n && s[j] == decoded, "esc_html output does not decode to the input");
        j++;
        i += step;
    }
    FUZZ_CHECK(j == n, "esc_html dropped %zu bytes", n - j);
    buf_reset(&b);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1; /* esc_url writes upper case */
}

static void check_url(const char *s, size_t n)
{
    struct buf b = BUF_INIT;
    esc_url(&b, s, n);
    size_t j = 0;
    for (size_t i = 0; i < b.len;) {
        unsigned char c = (unsigned char)b.data[i];
        unsigned char decoded = c;
        if (c == '%') {
            FUZZ_CHECK(i + 2 < b.len, "a cut %%XX at %zu", i);
            int hi = hexval(b.data[i + 1]), lo = hexval(b.data[i + 2]);
            FUZZ_CHECK(hi >= 0 && lo >= 0, "a bad %%XX at %zu", i);
            decoded = (unsigned char)(hi * 16 + lo);
            bool unreserved = (decoded >= 'A' && decoded <= 'Z') ||
                              (decoded >= 'a' && decoded <= 'z') ||
                              (decoded >= '0' && decoded <= '9') || decoded == '-' ||
                              decoded == '.' || decoded == '_' || decoded == '~';
            FUZZ_CHECK(!unreserved, "%%%02X needlessly escaped", decoded);
            i += 3;
        } else {
            FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                           c == '~',
                       "byte 0x%02x left in a URL", c);
            i++;
        }
        FUZZ_CHECK(j < n && (unsigned char)s[j] == decoded,
                   "esc_url output does not decode to the input");
        j++;
    }
    FUZZ_CHECK(j == n, "esc_url dropped %zu bytes", n - j);
    buf_reset(&b);
}

static bool has_space_or_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7F)
            return true;
    return false;
}

/* s is a NUL-terminated string (the input up to its first NUL). */
static void check_predicates(const char *s)
{
    bool safe = esc_url_is_safe(s);
    if (strncasecmp(s, "javascript:", 11) == 0 || strncasecmp(s, "data:", 5) == 0 ||
        strncasecmp(s, "vbscript:", 9) == 0 || strncmp(s, "//", 2) == 0)
        FUZZ_CHECK(!safe, "esc_url_is_safe(\"%s\")", s);
    if (safe) {
        FUZZ_CHECK(!has_space_or_control(s) && !strchr(s, '\\'),
                   "esc_url_is_safe accepts a space, control byte or backslash");
        FUZZ_CHECK((s[0] == '/' && s[1] != '/') || strncasecmp(s, "http://", 7) == 0 ||
                       strncasecmp(s, "https://", 8) == 0 ||
                       strncasecmp(s, "mailto:", 7) == 0 || strncasecmp(s, "tel:", 4) == 0 ||
                       strncasecmp(s, "sms:", 4) == 0,
                   "esc_url_is_safe accepts \"%s\"", s);
    }

    if (esc_is_web_url(s)) {
        FUZZ_CHECK(strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0,
                   "esc_is_web_url accepts \"%s\"", s);
        FUZZ_CHECK(!has_space_or_control(s) && !strpbrk(s, "<>\"\\^`{|}"),
                   "esc_is_web_url accepts a byte no URI may hold: \"%s\"", s);
        FUZZ_CHECK(safe, "a web URL that is not safe in an href: \"%s\"", s);
    }
    FUZZ_CHECK(!esc_is_web_url(NULL) && !esc_url_is_safe(NULL) && !esc_is_email(NULL),
               "NULL accepted");

    if (esc_is_email(s)) {
        const char *at = strrchr(s, '@');
        FUZZ_CHECK(at && at > s && strchr(at + 1, '.') && strlen(s) <= 254,
                   "esc_is_email accepts \"%s\"", s);
        FUZZ_CHECK(!has_space_or_control(s) && !strpbrk(s, "<>\"\\()[],;:"),
                   "esc_is_email accepts a special byte: \"%s\"", s);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    check_json(s, size);
    check_html(s, size);
    check_url(s, size);

    char *z = malloc(size + 1);
    memcpy(z, data, size);
    z[size] = '\0';
    check_predicates(z);

    /* the _str forms are the same functions up to the first NUL */
    struct buf a = BUF_INIT, b = BUF_INIT;
    esc_json_str(&a, z);
    esc_json(&b, z, strlen(z));
    FUZZ_CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0, "esc_json_str differs");
    buf_reset(&a);
    buf_reset(&b);
    esc_json_str(&a, NULL);
    FUZZ_CHECK(a.len == 4 && memcmp(a.data, "null", 4) == 0, "esc_json_str(NULL)");
    buf_reset(&a);
    free(z);
    return 0;
}
