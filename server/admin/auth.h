/* auth.h: bearer tokens for the write API. A token is 256 random bits,
 * shown once; the database keeps only its SHA-256. Failed attempts are
 * counted per client address and per address and presented token: past a
 * few a minute with one token that token waits, past more with any tokens
 * the whole address waits. */
#ifndef SIGNPOST_AUTH_H
#define SIGNPOST_AUTH_H

#include "lib/request.h"

enum auth_role { AUTH_NONE = 0, AUTH_EDITOR = 1, AUTH_ADMIN = 2 };

struct auth {
    enum auth_role role;
    char name[65];
};

/* A new token: "sp_" and 43 base64url characters (256 bits from the
 * kernel's CSPRNG). Caller frees; NULL if no randomness could be had. */
char *auth_token_new(void);
/* Hex SHA-256 of token into out. */
void auth_token_hash(const char *token, char out[65]);
/* A token's name: what revisions, logs and `token list` show and what
 * DELETE /api/v1/tokens/{name} takes, so only characters that are safe on
 * a terminal, in a URL path segment and in a shell word. The rule, as the
 * API's and the command line's errors state it: */
#define AUTH_TOKEN_NAME_RULE                                                              \
    "must be 1 to 64 characters: letters, digits and - _ . @ : (no spaces), starting " \
    "with a letter or a digit"
/* True when name keeps AUTH_TOKEN_NAME_RULE (ASCII letters only; a first
 * letter or digit also keeps "." and ".." and an option's "-" out). */
bool auth_token_name_ok(const char *name);
/* "editor" or "admin" to a role; AUTH_NONE for anything else. */
enum auth_role auth_role_of(const char *name);

/* Checks r's "Authorization: Bearer TOKEN" for a live token of at least
 * role need. Returns 0 and fills *who, or fills r with a 401 (with
 * WWW-Authenticate), 403 or 429 (with Retry-After) problem and returns its
 * status. */
int auth_require_or_reply(struct req *r, enum auth_role need, struct auth *who);

/* Forgets every counted failure (for tests and restarts). */
void auth_reset_limits(void);

#endif
