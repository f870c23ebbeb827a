/* totp.h: time-based one-time passwords (RFC 6238 over RFC 4226 HOTP with
 * HMAC-SHA-1, 30-second steps, 6 digits), as authenticator apps make them,
 * and the base32 (RFC 4648, upper case, no padding) their secrets are
 * shown and typed in. Pure: no clock, no randomness, no I/O. */
#ifndef SIGNPOST_TOTP_H
#define SIGNPOST_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES 20   /* 160 bits, as RFC 4226 recommends */
#define TOTP_STEP_SECONDS 30
#define TOTP_DIGITS 6
#define TOTP_BASE32_CHARS 32   /* base32 of 20 bytes */

/* The HOTP value of key at counter, reduced to digits decimal digits
 * (1..9): RFC 4226 section 5.3. */
uint32_t totp_hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits);

/* The 30-second step unix_time falls in (floor(t / 30); t >= 0). */
int64_t totp_step(int64_t unix_time);

/* Checks a code typed by a person against key at unix_time, allowing one
 * step either side. code may have spaces (ignored, at most 4); anything
 * else but exactly TOTP_DIGITS digits is refused. A step at or before
 * last_step (the last one accepted for this account) is never accepted
 * again: each code works once. On a match returns true and sets *step to
 * the step that matched (the caller stores it as the new last_step).
 * Compares in constant time in the code's digits. */
bool totp_check(const uint8_t *key, size_t keylen, int64_t unix_time,
                const char *code, int64_t last_step, int64_t *step);

/* Writes the base32 of len bytes and a NUL into out, which has room for
 * outsz bytes; returns the length written, or 0 when it does not fit. */
size_t base32_encode(const uint8_t *in, size_t len, char *out, size_t outsz);
/* Reads base32 (either case; spaces and '=' padding ignored) into out (room
 * for outsz bytes); returns the number of bytes, or -1 on any other
 * character, trailing bits that are not zero, or no room. */
long base32_decode(const char *in, uint8_t *out, size_t outsz);

#endif
