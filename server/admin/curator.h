/* curator.h: curators' accounts, as the command line (`signpost user`) and
 * the console make them: checking an e-mail address and a name, and making
 * an invitation. An invitation's token is 256 random bits, base64url, shown
 * once in the link; only its SHA-256 is stored, valid CURATOR_INVITE_HOURS
 * and used once. */
#ifndef SIGNPOST_CURATOR_H
#define SIGNPOST_CURATOR_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

#define CURATOR_INVITE_HOURS 24
#define CURATOR_TOKEN_CHARS 43   /* base64url of 32 bytes, no padding */
/* Where an invitation leads, under the site's public address. */
#define CURATOR_INVITE_PATH "/console/invitation/"

/* NULL when email is an address an account may have (3 to 254 bytes of
 * printable ASCII, no spaces, one '@' with something before it and a
 * domain with a dot after it); otherwise why not, for a person. */
const char *curator_email_refusal(const char *email);
/* NULL when name may be a curator's name (1 to 100 bytes of UTF-8 with no
 * control characters, not only spaces); otherwise why not. */
const char *curator_name_refusal(const char *name);

/* A new account (state "invited") with an invitation, audited as actor.
 * On STORE_OK, token gets the link's token. STORE_CONFLICT when the address
 * has an account; STORE_ERROR (randomness or the database). Checks nothing:
 * callers check the address, name and role first. */
int curator_invite(const char *email, const char *name, const char *role, const char *actor,
                   char token[CURATOR_TOKEN_CHARS + 1]);
/* A new invitation for the account, which starts over (store_curator_reset).
 * STORE_OK with token, STORE_NOT_FOUND, STORE_CONFLICT (disabled),
 * STORE_ERROR. */
int curator_reset(const char *email, const char *actor, char token[CURATOR_TOKEN_CHARS + 1]);

/* Appends the invitation link: public_url (no trailing slash needed),
 * CURATOR_INVITE_PATH, token. */
void curator_invite_link(struct buf *b, const char *public_url, const char *token);

#endif
