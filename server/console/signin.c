/* signin.c: signing in and out. One form asks for the e-mail address, the
 * password and a code from the authenticator app or a recovery code; a
 * wrong answer says only that something was wrong, never which. Failures
 * are counted per account and per client address: after ACCOUNT_TRIES for
 * an account or ADDRESS_TRIES from an address within WINDOW seconds the
 * form says how many minutes to wait, for that account or address only,
 * and no password is checked meanwhile. Every sign-in, failure and
 * sign-out is in the audit log. */
#include "console/console_int.h"
#include "admin/auth.h"
#include "lib/limit.h"
#include "lib/password.h"
#include "lib/util.h"
#include "store/store.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define ACCOUNT_TRIES 5
#define ADDRESS_TRIES 20
#define WINDOW (15 * 60)

static struct limit_entry account_slots[1024], address_slots[1024];
static struct limit by_account = LIMIT_INIT(account_slots, WINDOW);
static struct limit by_address = LIMIT_INIT(address_slots, WINDOW);

void console_reset_limits(void)
{
    limit_clear(&by_account);
    limit_clear(&by_address);
}

/* A hash to check a password against when there is no such account, so
 * that an unknown address takes as long as a known one. Made once. */
static char decoy[PASSWORD_HASH_BYTES];
static pthread_once_t decoy_once = PTHREAD_ONCE_INIT;
static void decoy_make(void)
{
    unsigned char noise[24];
    randombytes_buf(noise, sizeof noise);
    if (!password_hash((const char *)noise, sizeof noise, decoy))
        decoy[0] = '\0';
}

static void account_key(const char *email, char key[LIMIT_KEY])
{
    size_t i = 0;
    key[i++] = 'a';
    for (; email[i - 1] && i < LIMIT_KEY - 1; i++)
        key[i] = (char)tolower((unsigned char)email[i - 1]);
    key[i] = '\0';
}

static int sign_in_page(struct req *r, int status, const char *email, json_t *errors)
{
    json_t *ctx = json_object();
    if (email)
        json_object_set_new(ctx, "email", json_string(email));
    json_object_set_new(ctx, "errors", errors ? errors : json_array());
    return console_page(r, status, "sign_in", ctx, "Sign in", NULL);
}

int console_sign_in_form(struct req *r)
{
    if (console_on_replica(r))
        return r->status;
    struct console_user u;
    if (console_user_of(r, &u))
        return console_redirect(r, "/console");
    return sign_in_page(r, 200, NULL, NULL);
}

/* Whether code is a recovery code's shape: ten letters or digits, with
 * any hyphens or spaces between. Writes it normalised (lower case, no
 * separators) into out. */
static bool recovery_shape(const char *code, char out[16])
{
    size_t n = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        if (!isalnum((unsigned char)*p) || n == 10)
            return false;
        out[n++] = (char)tolower((unsigned char)*p);
    }
    out[n] = '\0';
    return n == 10;
}

/* Checks the second factor of account pk: a TOTP code (used once) or a
 * recovery code (used once). *how gets which, for the audit log. */
static bool second_factor_ok(json_t *acct, const char *code, const char **how)
{
    int64_t pk = json_integer_value(json_object_get(acct, "pk"));
    char rc[16];
    if (recovery_shape(code, rc)) {
        char hash[65];
        *how = "recovery code";
        if (console_recovery_hash(rc, hash) != 0 || store_recovery_use(pk, hash) != STORE_OK)
            return false;
        store_audit_add(json_string_value(json_object_get(acct, "email")), "recovery-code-used",
                        json_string_value(json_object_get(acct, "email")), "", NULL);
        return true;
    }
    *how = "authenticator app";
    uint8_t secret[TOTP_SECRET_BYTES];
    if (console_unseal(json_string_value(json_object_get(acct, "totp_sealed")), secret) != 0)
        return false;
    int64_t step = 0;
    bool ok = totp_check(secret, sizeof secret, (int64_t)time(NULL), code,
                         json_integer_value(json_object_get(acct, "totp_step")), &step);
    sodium_memzero(secret, sizeof secret);
    return ok && store_totp_use(pk, step) == STORE_OK;
}

int console_sign_in(struct req *r)
{
    if (console_on_replica(r))
        return r->status;
    struct query form;
    json_t *errors = json_array();
    if (!console_form(r, &form)) {
        query_reset(&form);
        console_add_error(errors, "email", "The form could not be read. Please try again.");
        return sign_in_page(r, 400, NULL, errors);
    }
    const char *email = query_get(&form, "email");
    const char *pw = query_get(&form, "password");
    const char *code = query_get(&form, "code");
    if (!console_same_origin(r)) {
        console_add_error(errors, "email", "This form was sent from another website. "
                                           "Sign in here instead.");
        int st = sign_in_page(r, 403, NULL, errors);
        query_reset(&form);
        return st;
    }
    if (!email || !*email)
        console_add_error(errors, "email", "Enter your email address");
    if (!pw || !*pw)
        console_add_error(errors, "password", "Enter your password");
    if (!code || !*code)
        console_add_error(errors, "code", "Enter the code from your authenticator app, "
                                          "or a recovery code");
    if (json_array_size(errors) > 0) {
        int st = sign_in_page(r, 400, email, errors);
        query_reset(&form);
        return st;
    }
    char akey[LIMIT_KEY];
    account_key(email, akey);
    long left_a = 0, left_c = 0;
    if (limit_count(&by_account, akey, &left_a) >= ACCOUNT_TRIES ||
        limit_count(&by_address, r->client, &left_c) >= ADDRESS_TRIES) {
        long left = left_a > left_c ? left_a : left_c;
        long minutes = (left + 59) / 60;
        char msg[160];
        snprintf(msg, sizeof msg, "Too many tries. Try again in %ld minute%s.", minutes,
                 minutes == 1 ? "" : "s");
        console_add_error(errors, "email", msg);
        char retry[24];
        snprintf(retry, sizeof retry, "%ld", left > 0 ? left : 1);
        req_add_header(r, "Retry-After", retry);
        int st = sign_in_page(r, 429, email, errors);
        query_reset(&form);
        return st;
    }

    json_t *acct = NULL;
    int got = store_curator_secrets(email, &acct);
    const char *hash = got == 1 ? json_string_value(json_object_get(acct, "password")) : NULL;
    bool active = got == 1 && strcmp(json_string_value(json_object_get(acct, "state")),
                                     "active") == 0;
    if (!hash || !active) {
        pthread_once(&decoy_once, decoy_make);
        hash = decoy;
    }
    bool pw_ok = password_verify(hash, pw, strlen(pw)) && active;
    const char *how = "";
    bool ok = pw_ok && second_factor_ok(acct, code, &how);
    if (!ok) {
        limit_add(&by_account, akey);
        limit_add(&by_address, r->client);
        store_audit_add(email, "sign-in-failed", email,
                        got != 1 ? "no such account"
                        : !active ? "account not active"
                        : !pw_ok  ? "wrong password"
                                  : "wrong or used code",
                        r->client);
        console_add_error(errors, "email",
                          "The email address, password or code is not right. Check them and "
                          "try again. A code from the app works once.");
        json_decref(acct);
        int st = sign_in_page(r, 400, email, errors);
        query_reset(&form);
        return st;
    }
    char rehash[PASSWORD_HASH_BYTES];
    bool redo = password_needs_rehash(hash) && password_hash(pw, strlen(pw), rehash);
    char detail[64];
    snprintf(detail, sizeof detail, "with %s", how);
    int rc = console_session_start(r, json_integer_value(json_object_get(acct, "pk")),
                                   redo ? rehash : NULL, detail);
    json_decref(acct);
    json_decref(errors);
    query_reset(&form);
    if (rc != STORE_OK)
        return console_message(r, 503, "Sorry, you could not be signed in",
                               "Something went wrong on our side. Try again in a minute.", NULL);
    return console_redirect(r, "/console");
}

int console_sign_out(struct req *r)
{
    if (console_on_replica(r))
        return r->status;
    struct console_user u;
    if (!console_user_of(r, &u)) {
        console_cookie_clear(r);
        return console_redirect(r, "/console/sign-in");
    }
    struct query form;
    if (!console_signed_form(r, &u, &form, "That did not work"))
        return r->status;
    const char *everywhere = query_get(&form, "everywhere");
    bool all = everywhere && strcmp(everywhere, "1") == 0;
    query_reset(&form);
    store_session_end(u.session, all, r->client);
    console_cookie_clear(r);
    return console_redirect(r, "/console/sign-in");
}
