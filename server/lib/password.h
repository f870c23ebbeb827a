/* password.h: curators' passwords. The rule is NIST SP 800-63B's: at least
 * 12 characters, at most 256 bytes, no composition rules, and refused when
 * it is a common password (db/common-passwords.txt, 49,233 of them, compiled
 * in), one with only digits and punctuation before or after it
 * ("Password2024!"), a run of very few distinct characters, or the person's
 * own e-mail address or name.
 *
 * Hashes are Argon2id through libsodium's crypto_pwhash_str (the PHC string,
 * "$argon2id$v=19$m=65536,t=2,p=1$salt$hash", salt from the system's CSPRNG):
 * PASSWORD_OPSLIMIT passes over PASSWORD_MEMLIMIT bytes, one lane, about
 * 0.1 s on this project's 2-CPU machines. Call sodium_init() once (main.c)
 * before any of these. */
#ifndef SIGNPOST_PASSWORD_H
#define SIGNPOST_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 256
#define PASSWORD_HASH_BYTES 128           /* crypto_pwhash_STRBYTES */
#define PASSWORD_OPSLIMIT 2ULL            /* crypto_pwhash_OPSLIMIT_INTERACTIVE */
#define PASSWORD_MEMLIMIT (64UL << 20)    /* crypto_pwhash_MEMLIMIT_INTERACTIVE */

/* NULL when pw (len bytes, any bytes) may be a password for the person with
 * this e-mail address and name (either may be NULL); otherwise the reason,
 * a sentence for the person choosing it. */
const char *password_refusal(const char *pw, size_t len, const char *email, const char *name);

/* Whether lowercase s is in the shipped common-password list. */
bool password_is_common(const char *s, size_t len);

/* Hashes pw into out (a NUL-terminated PHC string). False when out of
 * memory or pw is longer than PASSWORD_MAX_BYTES. */
bool password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_BYTES]);

/* Whether pw matches hash, in time that does not depend on where they
 * differ. A malformed hash never matches. */
bool password_verify(const char *hash, const char *pw, size_t len);

/* Whether hash was made with other parameters than today's (rehash it at
 * the next sign-in). */
bool password_needs_rehash(const char *hash);

#endif
