/* totp.c: RFC 4226 HOTP and RFC 6238 TOTP over HMAC-SHA-1, and RFC 4648
 * base32. */
#include "lib/totp.h"
#include "lib/sha1.h"

#include <string.h>

uint32_t totp_hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits)
{
    uint8_t msg[8], mac[SHA1_BYTES];
    for (int i = 0; i < 8; i++)
        msg[i] = (uint8_t)(counter >> (56 - 8 * i));
    hmac_sha1(key, keylen, msg, sizeof msg, mac);
    int off = mac[SHA1_BYTES - 1] & 0x0f;   /* dynamic truncation, 5.3 */
    uint32_t bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
                   (uint32_t)mac[off + 2] << 8 | mac[off + 3];
    uint32_t mod = 1;
    for (int i = 0; i < digits && i < 9; i++)
        mod *= 10;
    return bin % mod;
}

int64_t totp_step(int64_t unix_time)
{
    return unix_time < 0 ? 0 : unix_time / TOTP_STEP_SECONDS;
}

/* The code's digits as a number, or -1: exactly TOTP_DIGITS digits, with
 * at most four spaces anywhere ("123 456"). */
static long code_value(const char *code)
{
    if (!code)
        return -1;
    long v = 0;
    int digits = 0, spaces = 0;
    for (const char *p = code; *p; p++) {
        if (*p == ' ' && ++spaces <= 4)
            continue;
        if (*p < '0' || *p > '9' || ++digits > TOTP_DIGITS)
            return -1;
        v = v * 10 + (*p - '0');
    }
    return digits == TOTP_DIGITS ? v : -1;
}

bool totp_check(const uint8_t *key, size_t keylen, int64_t unix_time, const char *code,
                int64_t last_step, int64_t *step)
{
    long want = code_value(code);
    if (want < 0)
        return false;
    int64_t now = totp_step(unix_time);
    bool found = false;
    int64_t which = 0;
    /* Every step in the window is computed and compared, so the time
     * taken does not say which one matched. */
    for (int64_t s = now - 1; s <= now + 1; s++) {
        if (s < 0)
            continue;
        uint32_t got = totp_hotp(key, keylen, (uint64_t)s, TOTP_DIGITS);
        uint32_t diff = got ^ (uint32_t)want;
        bool match = diff == 0 && s > last_step;
        if (match && !found) {
            found = true;
            which = s;
        }
    }
    if (found && step)
        *step = which;
    return found;
}

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t base32_encode(const uint8_t *in, size_t len, char *out, size_t outsz)
{
    size_t need = (len * 8 + 4) / 5;
    if (!out || outsz < need + 1)
        return 0;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = alphabet[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = alphabet[(acc << (5 - bits)) & 31];
    out[o] = '\0';
    return o;
}

long base32_decode(const char *in, uint8_t *out, size_t outsz)
{
    if (!in)
        return -1;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '=')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        const char *at = c ? strchr(alphabet, c) : NULL;
        if (!at)
            return -1;
        acc = (acc << 5) | (uint32_t)(at - alphabet);
        bits += 5;
        if (bits >= 8) {
            if (o == outsz)
                return -1;
            out[o++] = (uint8_t)(acc >> (bits - 8));
            bits -= 8;
        }
        acc &= (1u << bits) - 1;
    }
    if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0)
        return -1;   /* a whole spare character, or trailing bits set */
    return (long)o;
}
