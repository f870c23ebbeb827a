/* fuzz_cookie.c: the console's readers of what a browser or a person sends
 * that is not a form: the Cookie header (server/lib/cookie.h), a typed
 * TOTP code and a typed base32 secret (server/lib/totp.h).
 *
 * Guards: a cookie found is NUL-terminated within its buffer, holds only
 * RFC 6265 cookie-octets, and appears in the header as its own pair
 * (name=value, with blanks around '=' or quotes around the value); a smaller buffer never finds a longer value; base32 that
 * decodes re-encodes to the same letters (upper case, no spaces or
 * padding), and what base32_encode writes decodes back; a code is accepted
 * only at a step within one of the time given, and never at or before the
 * last step used. */
#include "fuzz.h"
#include "lib/cookie.h"
#include "lib/totp.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static bool cookie_octet(unsigned char c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
           (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

/* Whether header holds name, blanks, '=', blanks, an optional quote and
 * value, as a pair of its own (at the start or after ';' and blanks). */
static bool written_as(const char *header, const char *name, const char *value)
{
    size_t nl = strlen(name), vl = strlen(value);
    for (const char *p = header; (p = strstr(p, name)) != NULL; p++) {
        const char *b = p;
        while (b > header && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b != header && b[-1] != ';')
            continue;
        const char *q = p + nl;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q++ != '=')
            continue;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == '"')
            q++;
        if (strncmp(q, value, vl) == 0)
            return true;
    }
    return false;
}

static void check_cookie(const char *header, const char *name)
{
    char out[64];
    memset(out, 'Z', sizeof out);
    if (!cookie_find(header, name, out, sizeof out))
        return;
    size_t n = strnlen(out, sizeof out);
    FUZZ_CHECK(n < sizeof out, "value not terminated");
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(cookie_octet((unsigned char)out[i]), "byte 0x%02x in a value",
                   (unsigned char)out[i]);
    FUZZ_CHECK(written_as(header, name, out), "%s=%s not in the header", name, out);
    char small[8];
    if (cookie_find(header, name, small, sizeof small))
        FUZZ_CHECK(strcmp(small, out) == 0 && n < sizeof small, "a smaller buffer differs");
}

static void check_base32(const char *text)
{
    uint8_t bytes[64];
    long n = base32_decode(text, bytes, sizeof bytes);
    if (n < 0)
        return;
    char again[128];
    size_t k = base32_encode(bytes, (size_t)n, again, sizeof again);
    FUZZ_CHECK(k > 0 || n == 0, "no room to re-encode %ld bytes", n);
    size_t j = 0;
    for (const char *p = text; *p; p++) {
        if (*p == ' ' || *p == '=')
            continue;
        FUZZ_CHECK(j < k && again[j] == toupper((unsigned char)*p), "re-encoded differs at %zu",
                   j);
        j++;
    }
    FUZZ_CHECK(j == k, "re-encoded is %zu letters, typed %zu", k, j);
    uint8_t back[64];
    FUZZ_CHECK(base32_decode(again, back, sizeof back) == n && memcmp(back, bytes, (size_t)n) == 0,
               "encode then decode differs");
}

static void check_code(const uint8_t *key, size_t keylen, const char *code, int64_t now,
                       int64_t last)
{
    int64_t step = -1;
    if (!totp_check(key, keylen, now, code, last, &step))
        return;
    int64_t at = totp_step(now);
    FUZZ_CHECK(step >= at - 1 && step <= at + 1, "step %lld for time %lld", (long long)step,
               (long long)now);
    FUZZ_CHECK(step > last, "step %lld at or before the last %lld", (long long)step,
               (long long)last);
    char want[8];
    snprintf(want, sizeof want, "%06u", totp_hotp(key, keylen, (uint64_t)step, TOTP_DIGITS));
    size_t j = 0;
    for (const char *p = code; *p; p++)
        if (*p != ' ')
            FUZZ_CHECK(j < 6 && *p == want[j++], "accepted a code that is not the step's");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 9000)
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';   /* stops at the first NUL, as a C string would */
    check_cookie(text, "signpost_console");
    check_cookie(text, "a");
    check_base32(text);
    /* The first 8 bytes choose a time and last step; the code is the rest. */
    if (size > 8) {
        uint32_t t, l;
        memcpy(&t, data, 4);
        memcpy(&l, data + 4, 4);
        static const uint8_t key[] = "12345678901234567890";
        check_code(key, 20, text + 8, (int64_t)t, (int64_t)(t / 30) - (int64_t)(l % 4));
        /* Every code of the hour around t is accepted once, then refused. */
        if (l % 97 == 0) {
            char code[8];
            snprintf(code, sizeof code, "%06u", totp_hotp(key, 20, (uint64_t)(t / 30), 6));
            int64_t step = 0;
            FUZZ_CHECK(totp_check(key, 20, (int64_t)t, code, (int64_t)(t / 30) - 2, &step),
                       "the current code refused");
            FUZZ_CHECK(!totp_check(key, 20, (int64_t)t, code, step, &step), "a code used twice");
        }
    }
    free(text);
    return 0;
}
