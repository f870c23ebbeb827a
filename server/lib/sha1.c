/* sha1.c: SHA-1 and HMAC-SHA-1, straight from FIPS 180-4 section 6.1 and
 * RFC 2104. Short inputs only matter here (a 20-byte key, an 8-byte
 * counter), so clarity wins over speed. */
#include "lib/sha1.h"

#include <string.h>

struct sha1 {
    uint32_t h[5];
    uint64_t len;
    uint8_t block[64];
};

static uint32_t rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void compress(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

static void start(struct sha1 *s)
{
    static const uint32_t iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
}

static void add(struct sha1 *s, const uint8_t *p, size_t n)
{
    while (n) {
        size_t at = s->len % 64, take = 64 - at < n ? 64 - at : n;
        memcpy(s->block + at, p, take);
        s->len += take;
        p += take;
        n -= take;
        if (s->len % 64 == 0)
            compress(s->h, s->block);
    }
}

static void end(struct sha1 *s, uint8_t out[SHA1_BYTES])
{
    uint64_t bits = s->len * 8;
    uint8_t pad = 0x80, zero = 0, len[8];
    add(s, &pad, 1);
    while (s->len % 64 != 56)
        add(s, &zero, 1);
    for (int i = 0; i < 8; i++)
        len[i] = (uint8_t)(bits >> (56 - 8 * i));
    add(s, len, 8);
    for (int i = 0; i < 5; i++)
        for (int k = 0; k < 4; k++)
            out[4 * i + k] = (uint8_t)(s->h[i] >> (24 - 8 * k));
}

void sha1(const void *data, size_t len, uint8_t out[SHA1_BYTES])
{
    struct sha1 s;
    start(&s);
    add(&s, data, len);
    end(&s, out);
}

void hmac_sha1(const void *key, size_t key_len, const void *msg, size_t msg_len,
               uint8_t out[SHA1_BYTES])
{
    uint8_t k[64] = {0}, pad[64], inner[SHA1_BYTES];
    if (key_len > 64)
        sha1(key, key_len, k);
    else if (key_len)
        memcpy(k, key, key_len);
    struct sha1 s;
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x36;
    start(&s);
    add(&s, pad, 64);
    add(&s, msg, msg_len);
    end(&s, inner);
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x5c;
    start(&s);
    add(&s, pad, 64);
    add(&s, inner, sizeof inner);
    end(&s, out);
}
