/* session.c: who is signed in, and whether a form may change anything.
 *
 * A session's id is 256 bits from the kernel's CSPRNG, sent as base64url in
 * the cookie signpost_console (HttpOnly, Secure, SameSite=Strict, Path=/console,
 * no expiry: the server ends it after 30 idle minutes or 12 hours) and stored
 * only as its SHA-256. Browsers keep Secure cookies on http://localhost and
 * 127.0.0.1 too, so development works without TLS.
 *
 * A state-changing form carries the session's CSRF token: HMAC-SHA-256 keyed
 * with the session id, so nobody without the cookie can make it and nothing
 * more is stored. The server also refuses a form another site sent
 * (Sec-Fetch-Site, else Origin). */
#include "console/console_int.h"
#include "admin/auth.h"
#include "lib/buf.h"
#include "lib/cookie.h"
#include "lib/util.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A session is marked seen at most once a minute: the idle timeout is
 * half an hour, and a page view need not be a write. */
#define TOUCH_SECONDS 60

static void csrf_of(const unsigned char id[CONSOLE_ID_BYTES], char out[CONSOLE_ID_CHARS + 1])
{
    static const char label[] = "signpost console csrf";
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, id, CONSOLE_ID_BYTES);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, sizeof label - 1);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2base64(out, CONSOLE_ID_CHARS + 1, mac, sizeof mac,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void copy(char *dst, size_t n, json_t *row, const char *key)
{
    snprintf(dst, n, "%s", json_string_value(json_object_get(row, key)) ?: "");
}

bool console_user_of(struct req *r, struct console_user *u)
{
    memset(u, 0, sizeof *u);
    char value[CONSOLE_ID_CHARS + 2];
    unsigned char id[CONSOLE_ID_BYTES];
    size_t n = 0;
    if (!cookie_find(r->in_cookie, CONSOLE_COOKIE, value, sizeof value) ||
        strlen(value) != CONSOLE_ID_CHARS ||
        sodium_base642bin(id, sizeof id, value, CONSOLE_ID_CHARS, NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n != sizeof id)
        return false;
    char hash[65];
    auth_token_hash(value, hash);
    json_t *row = NULL;
    if (store_session_find(hash, CONSOLE_IDLE_SECONDS, CONSOLE_ABSOLUTE_SECONDS, &row) != 1)
        return false;
    u->session = json_integer_value(json_object_get(row, "session"));
    u->curator = json_integer_value(json_object_get(row, "curator"));
    copy(u->email, sizeof u->email, row, "email");
    copy(u->name, sizeof u->name, row, "name");
    copy(u->role, sizeof u->role, row, "role");
    if (json_integer_value(json_object_get(row, "idle")) >= TOUCH_SECONDS)
        store_session_touch(u->session);
    json_decref(row);
    csrf_of(id, u->csrf);
    sodium_memzero(id, sizeof id);
    return true;
}

int console_require(struct req *r, struct console_user *u)
{
    if (console_on_replica(r))
        return r->status;
    if (console_user_of(r, u))
        return 0;
    return console_redirect(r, "/console/sign-in");
}

bool console_same_origin(const struct req *r)
{
    if (r->in_fetch_site)
        return strcmp(r->in_fetch_site, "same-origin") == 0;
    const char *origin = r->in_origin;
    if (!origin)
        return true;
    if (strcmp(origin, "null") == 0)
        return false;
    const char *url = console_public_url();
    if (url && strcasecmp(origin, url) == 0)
        return true;
    const char *host = r->in_host;
    const char *after = strncasecmp(origin, "https://", 8) == 0  ? origin + 8
                        : strncasecmp(origin, "http://", 7) == 0 ? origin + 7
                                                                  : NULL;
    return host && *host && after && strcasecmp(after, host) == 0;
}

bool console_form(const struct req *r, struct query *form)
{
    memset(form, 0, sizeof *form);
    const char *type = r->in_type ? r->in_type : "";
    if (strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0)
        return false;
    struct buf target = BUF_INIT;
    buf_putc(&target, '?');
    if (r->in_body)
        buf_append(&target, r->in_body, r->in_body_len);
    bool ok = query_parse_form(form, target.data, target.len, CONSOLE_FORM_BYTES,
                               CONSOLE_FORM_FIELDS) == QUERY_OK;
    buf_reset(&target);
    return ok;
}

bool console_csrf_token_ok(const struct req *r, const struct console_user *u,
                           const char *token, size_t len)
{
    return console_same_origin(r) && token && len == CONSOLE_ID_CHARS &&
           sodium_memcmp(token, u->csrf, CONSOLE_ID_CHARS) == 0;
}

bool console_csrf_ok(const struct req *r, const struct console_user *u,
                     const struct query *form)
{
    const char *token = query_get(form, "csrf");
    return console_csrf_token_ok(r, u, token, token ? strlen(token) : 0);
}

int console_session_start(struct req *r, int64_t pk, const char *rehash, const char *detail)
{
    unsigned char id[CONSOLE_ID_BYTES];
    char value[CONSOLE_ID_CHARS + 1], hash[65];
    randombytes_buf(id, sizeof id);
    sodium_bin2base64(value, sizeof value, id, sizeof id,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(id, sizeof id);
    auth_token_hash(value, hash);
    int rc = store_session_start(pk, hash, rehash, detail, r->client);
    if (rc == STORE_OK) {
        char cookie[160];
        snprintf(cookie, sizeof cookie,
                 CONSOLE_COOKIE "=%s; Path=/console; HttpOnly; Secure; SameSite=Strict", value);
        req_add_header(r, "Set-Cookie", cookie);
    }
    sodium_memzero(value, sizeof value);
    return rc;
}

void console_cookie_clear(struct req *r)
{
    req_add_header(r, "Set-Cookie", CONSOLE_COOKIE "=; Path=/console; HttpOnly; Secure;"
                                    " SameSite=Strict; Max-Age=0");
}

int console_refused(struct req *r, const char *title, const struct console_user *u)
{
    return console_message(r, 403, title,
                           "The form was out of date or came from another website. Go back, "
                           "reload the page and try again.", u);
}

bool console_signed_form(struct req *r, const struct console_user *u, struct query *form,
                         const char *title)
{
    if (console_form(r, form) && console_csrf_ok(r, u, form))
        return true;
    query_reset(form);
    console_refused(r, title, u);
    return false;
}
