/* secret.c: TOTP secrets sealed for the database. A copy of the database
 * alone must not be enough to make a curator's codes, so each secret is
 * sealed (libsodium's crypto_secretbox: XSalsa20-Poly1305, a random nonce
 * per secret) with a key kept in a file beside it, not in it: serve
 * --console-key, by default the database's path with ".key" added, made on
 * first start with mode 0600. `signpost backup` copies the database only;
 * keep the key with the deployment's other secrets. Losing the key means
 * every curator enrols again (`signpost user reset`); nothing else is
 * lost. */
#include "console/console_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEALED_BYTES (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TOTP_SECRET_BYTES)
_Static_assert(SEALED_BYTES * 2 + 1 <= CONSOLE_SEALED_CHARS, "sealed text fits");

static unsigned char key[crypto_secretbox_KEYBYTES];
static bool have_key;

static int read_key(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 1;
    if (fd < 0) {
        fprintf(stderr, "signpost: cannot read the console key %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    ssize_t n = read(fd, key, sizeof key);
    char extra;
    ssize_t more = read(fd, &extra, 1);
    close(fd);
    if (n != (ssize_t)sizeof key || more != 0) {
        fprintf(stderr, "signpost: %s is not a console key (%zu bytes of random data)\n", path,
                sizeof key);
        return -1;
    }
    return 0;
}

int console_key_load(const char *path, bool read_only)
{
    int got = read_key(path);
    if (got <= 0) {
        have_key = got == 0;
        return got;
    }
    if (read_only)   /* a replica signs nobody in: no key is needed */
        return 0;
    randombytes_buf(key, sizeof key);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, key, sizeof key) != (ssize_t)sizeof key || fsync(fd) != 0) {
        fprintf(stderr, "signpost: cannot write the console key %s: %s\n", path,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        sodium_memzero(key, sizeof key);
        return -1;
    }
    close(fd);
    have_key = true;
    return 0;
}

void console_key_forget(void)
{
    sodium_memzero(key, sizeof key);
    have_key = false;
}

int console_seal(const uint8_t secret[TOTP_SECRET_BYTES], char out[CONSOLE_SEALED_CHARS])
{
    if (!have_key)
        return -1;
    unsigned char box[SEALED_BYTES];
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, secret, TOTP_SECRET_BYTES, box,
                          key);
    sodium_bin2hex(out, CONSOLE_SEALED_CHARS, box, sizeof box);
    return 0;
}

int console_unseal(const char *hex, uint8_t secret[TOTP_SECRET_BYTES])
{
    unsigned char box[SEALED_BYTES];
    size_t n = 0;
    if (!have_key || !hex || strlen(hex) != 2 * sizeof box ||
        sodium_hex2bin(box, sizeof box, hex, strlen(hex), NULL, &n, NULL) != 0 ||
        n != sizeof box)
        return -1;
    return crypto_secretbox_open_easy(secret, box + crypto_secretbox_NONCEBYTES,
                                      sizeof box - crypto_secretbox_NONCEBYTES, box, key) == 0
               ? 0
               : -1;
}

/* Recovery codes carry 50 bits: SHA-256 alone would let a copy of the
 * database be searched offline. Keyed with a key derived from the console
 * key, a database without the key file tells nothing. */
int console_recovery_hash(const char *code, char out[65])
{
    if (!have_key)
        return -1;
    unsigned char sub[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
    crypto_generichash(sub, sizeof sub, (const unsigned char *)"signpost recovery codes", 23,
                       key, sizeof key);
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, sub, sizeof sub);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)code, strlen(code));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(out, 65, mac, sizeof mac);
    sodium_memzero(sub, sizeof sub);
    return 0;
}
