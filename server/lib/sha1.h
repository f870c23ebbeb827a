/* sha1.h: SHA-1 (FIPS 180-4) and HMAC-SHA-1 (RFC 2104), only because TOTP
 * needs HMAC-SHA-1: authenticator apps default to it, and HMAC-SHA-1 is
 * still sound (it rests on the compression function as a PRF, not on
 * collision resistance). Never use sha1() where an attacker chooses two
 * inputs. Pure. */
#ifndef SIGNPOST_SHA1_H
#define SIGNPOST_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_BYTES 20

void sha1(const void *data, size_t len, uint8_t out[SHA1_BYTES]);
/* HMAC-SHA-1 of msg under key (any length). */
void hmac_sha1(const void *key, size_t key_len, const void *msg, size_t msg_len,
               uint8_t out[SHA1_BYTES]);

#endif
