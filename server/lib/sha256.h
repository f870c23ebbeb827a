/* sha256.h: SHA-256 (FIPS 180-4), for Content-Security-Policy hashes of
 * inline styles and scripts, and for hashing secrets at rest. */
#ifndef SIGNPOST_SHA256_H
#define SIGNPOST_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32

void sha256(const void *data, size_t len, uint8_t out[SHA256_BYTES]);

/* Writes the base64 of the digest of data (44 chars + NUL) into out. */
void sha256_base64(const void *data, size_t len, char out[45]);

#endif
