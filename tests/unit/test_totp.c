/* test_totp.c: SHA-1 and HMAC-SHA-1 against FIPS 180 and RFC 2202, HOTP
 * against RFC 4226 appendix D, TOTP against RFC 6238 appendix B, the
 * one-step window and one use per code, and base32 against RFC 4648. */
#include "check.h"
#include "lib/sha1.h"
#include "lib/totp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static void sha1_matches_fips_180_vectors(void)
{
    uint8_t d[SHA1_BYTES];
    char h[41];
    sha1("abc", 3, d);
    hex(d, sizeof d, h);
    CHECK_STR(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha1(m, strlen(m), d);
    hex(d, sizeof d, h);
    CHECK_STR(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    sha1("", 0, d);
    hex(d, sizeof d, h);
    CHECK_STR(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    char *million = malloc(1000000);
    memset(million, 'a', 1000000);
    sha1(million, 1000000, d);
    free(million);
    hex(d, sizeof d, h);
    CHECK_STR(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

static void hmac_sha1_matches_rfc_2202(void)
{
    uint8_t d[SHA1_BYTES], key[80];
    char h[41];
    memset(key, 0x0b, 20);
    hmac_sha1(key, 20, "Hi There", 8, d);
    hex(d, sizeof d, h);
    CHECK_STR(h, "b617318655057264e28bc0b6fb378c8ef146be00");
    hmac_sha1("Jefe", 4, "what do ya want for nothing?", 28, d);
    hex(d, sizeof d, h);
    CHECK_STR(h, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    memset(key, 0xaa, 80);   /* case 6: a key longer than a block */
    hmac_sha1(key, 80, "Test Using Larger Than Block-Size Key - Hash Key First", 54, d);
    hex(d, sizeof d, h);
    CHECK_STR(h, "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

static const uint8_t rfc_key[] = "12345678901234567890";

static void hotp_matches_rfc_4226_appendix_d(void)
{
    static const uint32_t want[10] = {755224, 287082, 359152, 969429, 338314,
                                      254676, 287922, 162583, 399871, 520489};
    for (uint64_t c = 0; c < 10; c++)
        CHECK_INT(totp_hotp(rfc_key, 20, c, 6), want[c]);
}

static void totp_matches_rfc_6238_appendix_b(void)
{
    static const struct { int64_t t; uint32_t code; } v[] = {
        {59, 94287082}, {1111111109, 7081804}, {1111111111, 14050471},
        {1234567890, 89005924}, {2000000000, 69279037}, {20000000000, 65353130},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        CHECK_INT(totp_hotp(rfc_key, 20, (uint64_t)totp_step(v[i].t), 8), v[i].code);
}

static void code_at(int64_t t, char out[8])
{
    snprintf(out, 8, "%06u", totp_hotp(rfc_key, 20, (uint64_t)totp_step(t), 6));
}

static void one_step_either_side_is_accepted_and_no_more(void)
{
    int64_t now = 1700000000, step = 0;
    char c[8];
    code_at(now, c);
    CHECK(totp_check(rfc_key, 20, now, c, 0, &step));
    CHECK_INT(step, totp_step(now));
    code_at(now - 30, c);
    CHECK(totp_check(rfc_key, 20, now, c, 0, &step));
    CHECK_INT(step, totp_step(now) - 1);
    code_at(now + 30, c);
    CHECK(totp_check(rfc_key, 20, now, c, 0, &step));
    code_at(now - 60, c);
    CHECK(!totp_check(rfc_key, 20, now, c, 0, &step));
    code_at(now + 60, c);
    CHECK(!totp_check(rfc_key, 20, now, c, 0, &step));
}

static void a_code_works_once(void)
{
    int64_t now = 1700000000, step = 0;
    char c[8];
    code_at(now, c);
    CHECK(totp_check(rfc_key, 20, now, c, 0, &step));
    CHECK(!totp_check(rfc_key, 20, now, c, step, &step));       /* replayed */
    CHECK(!totp_check(rfc_key, 20, now + 25, c, step, &step));  /* still replayed */
    code_at(now - 30, c);                                      /* an earlier one */
    CHECK(!totp_check(rfc_key, 20, now, c, totp_step(now), &step));
    code_at(now + 30, c);                                      /* the next is fine */
    CHECK(totp_check(rfc_key, 20, now + 30, c, totp_step(now), &step));
}

static void malformed_codes_are_refused(void)
{
    int64_t now = 1700000000, step = 0;
    char c[8], spaced[12];
    code_at(now, c);
    snprintf(spaced, sizeof spaced, "%.3s %.3s", c, c + 3);
    CHECK(totp_check(rfc_key, 20, now, spaced, 0, &step));
    CHECK(!totp_check(rfc_key, 20, now, NULL, 0, &step));
    CHECK(!totp_check(rfc_key, 20, now, "", 0, &step));
    CHECK(!totp_check(rfc_key, 20, now, "12345", 0, &step));
    CHECK(!totp_check(rfc_key, 20, now, "1234567", 0, &step));
    CHECK(!totp_check(rfc_key, 20, now, "12a456", 0, &step));
    CHECK(!totp_check(rfc_key, 20, now, "-12345", 0, &step));
    snprintf(spaced, sizeof spaced, "%s0", c);   /* a seventh digit */
    CHECK(!totp_check(rfc_key, 20, now, spaced, 0, &step));
    snprintf(spaced, sizeof spaced, " %.1s %.1s %.1s %.3s", c, c + 1, c + 2, c + 3);
    CHECK(totp_check(rfc_key, 20, now, spaced, 0, &step));     /* four spaces */
    snprintf(spaced, sizeof spaced, "  %.1s %.1s %.1s %.3s", c, c + 1, c + 2, c + 3);
    CHECK(!totp_check(rfc_key, 20, now, spaced, 0, &step));    /* five */
}

static void base32_matches_rfc_4648(void)
{
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[] = {"", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB",
                                      "MZXW6YTBOI"};
    for (size_t i = 0; i < 7; i++) {
        char b[32];
        uint8_t back[16];
        CHECK_INT(base32_encode((const uint8_t *)in[i], strlen(in[i]), b, sizeof b),
                  strlen(out[i]));
        CHECK_STR(b, out[i]);
        long n = base32_decode(out[i], back, sizeof back);
        CHECK_INT(n, (long)strlen(in[i]));
        CHECK(n >= 0 && memcmp(back, in[i], (size_t)n) == 0);
    }
}

static void base32_reads_what_people_type_and_nothing_else(void)
{
    uint8_t b[32];
    CHECK_INT(base32_decode("mzxw 6ytb oi", b, sizeof b), 6);
    CHECK_INT(base32_decode("MZXW6YTBOI======", b, sizeof b), 6);
    CHECK_INT(base32_decode("MZXW1", b, sizeof b), -1);     /* 1 is not base32 */
    CHECK_INT(base32_decode("MZ-XW", b, sizeof b), -1);
    CHECK_INT(base32_decode("MY", b, sizeof b), 1);
    CHECK_INT(base32_decode("MZ", b, sizeof b), -1);        /* trailing bits set */
    CHECK_INT(base32_decode("MY7", b, sizeof b), -1);       /* a spare character */
    CHECK_INT(base32_decode("MY", b, 0), -1);               /* no room */
    CHECK_INT(base32_decode(NULL, b, sizeof b), -1);
    CHECK_INT(base32_decode("MB", b, sizeof b), -1);        /* trailing bits set */
    char small[4];
    CHECK_INT(base32_encode((const uint8_t *)"foo", 3, small, sizeof small), 0);
    uint8_t key[TOTP_SECRET_BYTES];
    for (int i = 0; i < TOTP_SECRET_BYTES; i++)
        key[i] = (uint8_t)(i * 37 + 11);
    char text[TOTP_BASE32_CHARS + 1];
    CHECK_INT(base32_encode(key, sizeof key, text, sizeof text), TOTP_BASE32_CHARS);
    CHECK_INT(base32_decode(text, b, sizeof b), TOTP_SECRET_BYTES);
    CHECK(memcmp(b, key, sizeof key) == 0);
}

int main(void)
{
    RUN(sha1_matches_fips_180_vectors);
    RUN(hmac_sha1_matches_rfc_2202);
    RUN(hotp_matches_rfc_4226_appendix_d);
    RUN(totp_matches_rfc_6238_appendix_b);
    RUN(one_step_either_side_is_accepted_and_no_more);
    RUN(a_code_works_once);
    RUN(malformed_codes_are_refused);
    RUN(base32_matches_rfc_4648);
    RUN(base32_reads_what_people_type_and_nothing_else);
    return check_finish();
}
