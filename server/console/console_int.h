/* console_int.h: what the console's files share. render.c: templates,
 * layout and the answers every page shares; session.c: the cookie, the
 * session, CSRF and where a form came from; secret.c: sealing TOTP
 * secrets; signin.c, enrol.c, pages.c: the handlers. */
#ifndef SIGNPOST_CONSOLE_INT_H
#define SIGNPOST_CONSOLE_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "console/console.h"
#include "lib/query.h"
#include "lib/request.h"
#include "lib/totp.h"
#include "store/store.h"
#include "views/problem.h"

#define CONSOLE_COOKIE "signpost_console"
#define CONSOLE_ID_BYTES 32
#define CONSOLE_ID_CHARS 43        /* base64url of 32 bytes, no padding */
#define CONSOLE_IDLE_SECONDS (30 * 60)
#define CONSOLE_ABSOLUTE_SECONDS (12 * 3600)
#define CONSOLE_RECOVERY_CODES 10
#define CONSOLE_FORM_BYTES (256 * 1024 + 1)   /* '?' and the largest body */
#define CONSOLE_FORM_FIELDS 512

/* The person signed in to this request. */
struct console_user {
    int64_t session, curator;
    char email[256], name[128], role[8];
    char csrf[CONSOLE_ID_CHARS + 1];   /* this session's form token */
};

/* ---- render.c ------------------------------------------------------------ */

/* Renders template name (console/NAME.html) inside the console's layout,
 * with title, the person signed in (or NULL) and their CSRF token. Sets
 * the console's headers: no-store, its CSP, no framing. Consumes ctx;
 * returns status. */
int console_page(struct req *r, int status, const char *name, json_t *ctx, const char *title,
                 const struct console_user *u);
/* A short page with a heading and a sentence (errors, "gone"). */
int console_message(struct req *r, int status, const char *title, const char *text,
                    const struct console_user *u);
/* Sets the headers every console answer has (no-store, its CSP, no
 * framing) and status; for answers that are not a page. */
void console_headers(struct req *r, int status);
/* Forgets the imports waiting to be applied (exchange.c). */
void console_exchange_forget(void);
/* On a read-only replica, answers that the console is not there (503)
 * and returns the status; 0 elsewhere. */
int console_on_replica(struct req *r);
/* A 303 to a local path. */
int console_redirect(struct req *r, const char *path);
/* A 303 to path, slug (escaped) and "?saved=1": a form saved. */
int console_saved(struct req *r, const char *path, const char *slug);
/* Whether the JSON list of strings holds slug. */
bool console_listed(json_t *list, const char *slug);
/* A textarea's lines, trimmed, blank ones left out, as a JSON array. */
json_t *console_lines(const char *text);
/* The problems a write found, [{name (a JSON pointer), reason}]; closes
 * p's list, so call it once. */
json_t *console_problem_list(struct problems *p);
/* Appends {field, message} to an error summary. */
void console_add_error(json_t *errors, const char *field, const char *message);
/* The site's public address, no trailing slash. */
const char *console_public_url(void);

/* ---- session.c ----------------------------------------------------------- */

/* Finds the live session r's cookie names and fills *u (marking it seen).
 * True when there is one. */
bool console_user_of(struct req *r, struct console_user *u);
/* console_user_of, or a 303 to the sign-in page: 0, or the status set. */
int console_require(struct req *r, struct console_user *u);
/* True when r came from a page of this origin, by Sec-Fetch-Site, or
 * Origin when that is missing; a client that sends neither (curl) passes,
 * since every such form also needs what only the page gave it. */
bool console_same_origin(const struct req *r);
/* Parses r's urlencoded body into *form (query_reset it after). False when
 * it is not a form or cannot be read. */
bool console_form(const struct req *r, struct query *form);
/* For a state-changing form of a signed-in person: same origin, and the
 * form's csrf field is u's token (constant time). */
bool console_csrf_ok(const struct req *r, const struct console_user *u,
                     const struct query *form);
/* The 403 page for a form without its token or from another site. */
int console_refused(struct req *r, const char *title, const struct console_user *u);
/* console_form and console_csrf_ok together: true with form read (reset
 * it after), or false after answering the 403 titled title. */
bool console_signed_form(struct req *r, const struct console_user *u, struct query *form,
                         const char *title);
/* The same for a token sent some other way (a multipart form's field). */
bool console_csrf_token_ok(const struct req *r, const struct console_user *u,
                           const char *token, size_t len);
/* A new session for account pk: its cookie set on r, its hash stored.
 * STORE_OK or another store result. */
int console_session_start(struct req *r, int64_t pk, const char *rehash, const char *detail);
/* Sets the cookie that clears the session cookie. */
void console_cookie_clear(struct req *r);
/* Forgets counted failures. */
void console_limits_clear(void);

/* ---- orgform.c ----------------------------------------------------------- */

/* A field of the organisation form: its record key and its label. */
struct orgform_field {
    const char *key, *label;
    bool list;
};
extern const struct orgform_field orgform_fields[];
/* The field with record key key, or NULL. */
const struct orgform_field *orgform_field_of(const char *key);
/* The form's template context from a record (stored, or as sent): every
 * field, the kinds and contact kinds as options, the audiences and topics
 * of ix as checkboxes, each contact as a row and two blank rows. */
json_t *orgform_context(json_t *doc, const struct store_index *ix);
/* The record a sent form describes, as the write API's PUT takes it. */
json_t *orgform_record(const struct query *form);
/* Adds every problem of p to errors, as orgform_add_problem does. */
void orgform_add_problems(json_t *errors, struct problems *p);
/* Adds the problem the validator gave at pointer to errors, as the field
 * it belongs to and a sentence that names the field. */
void orgform_add_problem(json_t *errors, const char *pointer, const char *reason);
/* Each field's fingerprint in doc, {key: 16 hex digits}: the form carries
 * those of the version it was read at (base_KEY), for merging. */
json_t *orgform_bases(json_t *doc);
/* The fingerprints a form sent back. */
json_t *orgform_bases_sent(const struct query *form);
/* Merges theirs (saved by someone else since the form was read, at bases)
 * into mine: a field only they changed takes their value; a field only
 * mine changed keeps mine; each field both changed, differently, is
 * returned as a conflict {key, label, mine, theirs} (as a person reads
 * them) for the curator to choose. */
json_t *orgform_merge(json_t *mine, json_t *theirs, json_t *bases);
/* The fields that differ from before to after (either may be NULL):
 * {label, before, after} as a person reads them. */
json_t *orgform_diff(json_t *before, json_t *after);
/* Sets in mine the fields whose choose-KEY in form is "theirs" to theirs'. */
void orgform_take_theirs(json_t *mine, json_t *theirs, const struct query *form);

/* ---- secret.c ------------------------------------------------------------ */

#define CONSOLE_SEALED_CHARS 160   /* hex of nonce, secret and tag, NUL */

/* Seals a TOTP secret as hex text for the database, with the key file's
 * key (XSalsa20-Poly1305, a random nonce). 0 or -1. */
int console_seal(const uint8_t secret[TOTP_SECRET_BYTES], char out[CONSOLE_SEALED_CHARS]);
/* Opens a sealed secret; -1 when it is not one sealed with this key. */
int console_unseal(const char *hex, uint8_t secret[TOTP_SECRET_BYTES]);
/* A recovery code's hash for the database: HMAC-SHA-256 under a key
 * derived from the console key, as 64 hex digits. 0 or -1 (no key). */
int console_recovery_hash(const char *code, char out[65]);
int console_key_load(const char *path, bool read_only);
void console_key_forget(void);

#endif
