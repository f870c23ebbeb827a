/* enrol.c: following an invitation, /console/invitation/{token}. Step one
 * sets the password (the rule of lib/password.h) and makes a TOTP secret,
 * sealed in the database; step two shows it as a QR code and as text and
 * asks for a code from the app, which proves the app has it; then the
 * account is active, the invitation used, and ten recovery codes are
 * shown, once. Until step two is done the link still works and shows step
 * two again (or step one, to start over with another password). The token
 * in the address is what lets these forms through: it is 256 random bits,
 * stored only as a hash, and the pages are same-origin and no-store. */
#include "console/console_int.h"
#include "admin/auth.h"
#include "lib/buf.h"
#include "lib/escape.h"
#include "lib/password.h"
#include "lib/util.h"
#include "store/store.h"
#include "views/qr.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The open invitation r's address names, or a page that says it is gone
 * (or, on a replica, that the console is not there). */
static json_t *invitation_or_reply(struct req *r, char hash[65])
{
    if (console_on_replica(r))
        return NULL;
    const char *token = r->args[0];
    json_t *row = NULL;
    if (strlen(token) == 43) {
        auth_token_hash(token, hash);
        if (store_invitation_open(hash, &row) == 1)
            return row;
    }
    console_message(r, 404, "This invitation link does not work",
                    "It may have been used already, or it is more than 24 hours old, or it "
                    "was copied only in part. Ask an admin of your Signpost to send you a new "
                    "one.", NULL);
    return NULL;
}

static int password_page(struct req *r, int status, json_t *inv, json_t *errors)
{
    json_t *ctx = json_pack("{s:O, s:s, s:o}", "name", json_object_get(inv, "name"), "token",
                            r->args[0], "errors", errors ? errors : json_array());
    json_object_set(ctx, "email", json_object_get(inv, "email"));
    json_object_set_new(ctx, "min", json_integer(PASSWORD_MIN_CHARS));
    return console_page(r, status, "password", ctx, "Set your password", NULL);
}

/* Step two's page: the sealed secret as a QR code and as text. */
static int factor_page(struct req *r, int status, json_t *inv, json_t *errors)
{
    uint8_t secret[TOTP_SECRET_BYTES];
    if (console_unseal(json_string_value(json_object_get(inv, "totp_sealed")), secret) != 0)
        return password_page(r, 200, inv, NULL);
    char b32[TOTP_BASE32_CHARS + 1];
    base32_encode(secret, sizeof secret, b32, sizeof b32);
    sodium_memzero(secret, sizeof secret);
    struct buf uri = BUF_INIT, svg = BUF_INIT, grouped = BUF_INIT;
    buf_puts(&uri, "otpauth://totp/Signpost:");
    esc_url_str(&uri, json_string_value(json_object_get(inv, "email")));
    buf_printf(&uri, "?secret=%s&issuer=Signpost&algorithm=SHA1&digits=%d&period=%d", b32,
               TOTP_DIGITS, TOTP_STEP_SECONDS);
    qr_svg(uri.data, "QR code for your authenticator app", &svg);
    for (size_t i = 0; b32[i]; i++) {
        if (i && i % 4 == 0)
            buf_putc(&grouped, ' ');
        buf_putc(&grouped, b32[i]);
    }
    json_t *ctx = json_pack("{s:s, s:s%, s:s%, s:o}", "token", r->args[0], "qr",
                            svg.data ? svg.data : "", svg.len, "secret", grouped.data, grouped.len, "errors",
                            errors ? errors : json_array());
    json_object_set(ctx, "email", json_object_get(inv, "email"));
    sodium_memzero(b32, sizeof b32);
    sodium_memzero(uri.data, uri.len);
    buf_reset(&uri);
    buf_reset(&svg);
    buf_reset(&grouped);
    return console_page(r, status, "factor", ctx, "Set up your authenticator app", NULL);
}

int console_invitation_form(struct req *r)
{
    char hash[65];
    json_t *inv = invitation_or_reply(r, hash);
    if (!inv)
        return r->status;
    const char *start = query_get(&r->query, "start");
    bool again = start && strcmp(start, "over") == 0;
    int st = json_is_string(json_object_get(inv, "totp_sealed")) && !again
                 ? factor_page(r, 200, inv, NULL)
                 : password_page(r, 200, inv, NULL);
    json_decref(inv);
    return st;
}

static int set_password(struct req *r, json_t *inv, const struct query *form)
{
    const char *pw = query_get(form, "password");
    const char *again = query_get(form, "confirm");
    json_t *errors = json_array();
    const char *why = pw ? password_refusal(pw, strlen(pw),
                                            json_string_value(json_object_get(inv, "email")),
                                            json_string_value(json_object_get(inv, "name")))
                         : "Enter a password";
    if (pw && !*pw)
        why = "Enter a password";
    if (why)
        console_add_error(errors, "password", why);
    else if (!again || strcmp(pw, again) != 0)
        console_add_error(errors, "confirm", "The two passwords are not the same");
    if (json_array_size(errors))
        return password_page(r, 400, inv, errors);
    json_decref(errors);
    char hashed[PASSWORD_HASH_BYTES], sealed[CONSOLE_SEALED_CHARS];
    uint8_t secret[TOTP_SECRET_BYTES];
    randombytes_buf(secret, sizeof secret);
    int sealed_ok = console_seal(secret, sealed);
    sodium_memzero(secret, sizeof secret);
    int64_t pk = json_integer_value(json_object_get(inv, "pk"));
    if (sealed_ok != 0 || !password_hash(pw, strlen(pw), hashed) ||
        store_enrol_password(pk, hashed, sealed) != STORE_OK)
        return console_message(r, 503, "Sorry, your password could not be saved",
                               "Something went wrong on our side. Try again in a minute.", NULL);
    json_object_set_new(inv, "totp_sealed", json_string(sealed));
    return factor_page(r, 200, inv, NULL);
}

/* Ten recovery codes of ten base32 letters (50 bits each), shown as
 * "abcde-fghij"; their hashes (of the ten letters) go to the store. */
static int finish_enrolment(struct req *r, json_t *inv, const char *invite_hash, int64_t step)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    char codes[CONSOLE_RECOVERY_CODES][12], hashes[CONSOLE_RECOVERY_CODES][65];
    const char *hash_ptrs[CONSOLE_RECOVERY_CODES];
    json_t *shown = json_array();
    for (int i = 0; i < CONSOLE_RECOVERY_CODES; i++) {
        char plain[11];
        for (int k = 0; k < 10; k++)
            plain[k] = alphabet[randombytes_uniform(32)];
        plain[10] = '\0';
        if (console_recovery_hash(plain, hashes[i]) != 0) {
            sodium_memzero(plain, sizeof plain);
            sodium_memzero(codes, sizeof codes);
            json_decref(shown);
            return console_message(r, 503, "The console is not ready",
                                   "Its key could not be read. Please tell the administrator.",
                                   NULL);
        }
        hash_ptrs[i] = hashes[i];
        snprintf(codes[i], sizeof codes[i], "%.5s-%.5s", plain, plain + 5);
        json_array_append_new(shown, json_string(codes[i]));
        sodium_memzero(plain, sizeof plain);
    }
    sodium_memzero(codes, sizeof codes);
    int rc = store_enrol_finish(json_integer_value(json_object_get(inv, "pk")), invite_hash, step,
                                hash_ptrs, CONSOLE_RECOVERY_CODES, r->client);
    if (rc != STORE_OK) {
        json_decref(shown);
        return console_message(r, rc == STORE_NOT_FOUND ? 404 : 503,
                               "Sorry, your account could not be set up",
                               "The invitation may have been used or reset meanwhile. Ask an "
                               "admin for a new one.", NULL);
    }
    json_t *ctx = json_pack("{s:o}", "codes", shown);
    json_object_set(ctx, "email", json_object_get(inv, "email"));
    return console_page(r, 200, "recovery", ctx, "Your recovery codes", NULL);
}

static int check_code(struct req *r, json_t *inv, const char *invite_hash,
                      const struct query *form)
{
    const char *code = query_get(form, "code");
    uint8_t secret[TOTP_SECRET_BYTES];
    if (console_unseal(json_string_value(json_object_get(inv, "totp_sealed")), secret) != 0)
        return password_page(r, 400, inv, NULL);
    int64_t step = 0;
    bool ok = code && totp_check(secret, sizeof secret, (int64_t)time(NULL), code, 0, &step);
    sodium_memzero(secret, sizeof secret);
    if (!ok) {
        json_t *errors = json_array();
        console_add_error(errors, "code",
                          !code || !*code ? "Enter the 6-digit code from your authenticator app"
                                          : "That code is not right. Check the app's clock is "
                                            "right and enter the code it shows now");
        return factor_page(r, 400, inv, errors);
    }
    return finish_enrolment(r, inv, invite_hash, step);
}

int console_invitation_send(struct req *r)
{
    char hash[65];
    json_t *inv = invitation_or_reply(r, hash);
    if (!inv)
        return r->status;
    struct query form;
    memset(&form, 0, sizeof form);
    int st;
    if (!console_same_origin(r))
        st = console_message(r, 403, "This form came from another website",
                             "Open the invitation link you were sent, and fill in the form "
                             "there.", NULL);
    else if (!console_form(r, &form))
        st = console_message(r, 400, "The form could not be read",
                             "Go back and try again.", NULL);
    else {
        const char *step = query_get(&form, "step");
        if (step && strcmp(step, "code") == 0 &&
            json_is_string(json_object_get(inv, "totp_sealed")))
            st = check_code(r, inv, hash, &form);
        else
            st = set_password(r, inv, &form);
    }
    query_reset(&form);
    json_decref(inv);
    return st;
}
