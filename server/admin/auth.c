/* auth.c: see auth.h. */
#include "admin/auth.h"
#include "lib/sha256.h"
#include "store/store.h"
#include "lib/limit.h"
#include "lib/util.h"
#include "views/problem.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

/* Failed sign-ins are counted per address and per address and presented
 * token. Five failures with one token lock that token out for the rest of
 * the minute, from that address only: a misconfigured script keeps being
 * refused, and a colleague behind the same NAT with a valid token still
 * gets in. Twenty failures with any tokens lock the whole address out (a
 * valid token from it waits too, so a locked-out guesser learns nothing):
 * someone guessing is slowed to twenty tries a minute per address, and a
 * colleague who mistypes a few times does not lock everyone else out. */
#define FAILURES_PER_TOKEN 5
#define FAILURES_PER_ADDRESS 20
#define WINDOW_SECONDS 60

/* The counts (lib/limit.h): about 350 KB; one address makes at most 21
 * keys a minute. */
static struct limit_entry limit_slots[4096];
static struct limit limits = LIMIT_INIT(limit_slots, WINDOW_SECONDS);

/* The key of the presented credential from client: the address and the
 * first 64 bits of the credential's SHA-256 (so no part of a token is
 * kept). */
static void limit_token_key(char out[72], const char *client, const char *hash)
{
    snprintf(out, 72, "%s %.16s", client, hash);
}

/* Seconds the client must still wait before trying this credential (a key
 * from limit_token_key), or 0; *whole says the address itself is locked
 * out. */
static long limit_wait(const char *client, const char *token_key, bool *whole)
{
    long left_a, left_t, wait = 0;
    *whole = false;
    if (limit_count(&limits, client, &left_a) >= FAILURES_PER_ADDRESS) {
        wait = left_a;
        *whole = true;
    }
    if (limit_count(&limits, token_key, &left_t) >= FAILURES_PER_TOKEN && left_t > wait)
        wait = left_t;
    return wait;
}

static void limit_count_failure(const char *client, const char *token_key)
{
    limit_add(&limits, client);
    limit_add(&limits, token_key);
}

char *auth_token_new(void)
{
    static const char b64url[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char raw[33];
    size_t got = 0;
    while (got < 32) {
        ssize_t n = getrandom(raw + got, 32 - got, 0);
        if (n <= 0)
            return NULL;
        got += (size_t)n;
    }
    raw[32] = 0;
    char *t = xmalloc(3 + 44 + 1);
    memcpy(t, "sp_", 3);
    size_t j = 3;
    for (size_t i = 0; i < 33; i += 3) {
        unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
        t[j++] = b64url[v >> 18];
        t[j++] = b64url[(v >> 12) & 63];
        t[j++] = b64url[(v >> 6) & 63];
        t[j++] = b64url[v & 63];
    }
    t[3 + 43] = '\0'; /* 32 bytes are 43 characters */
    return t;
}

void auth_token_hash(const char *token, char out[65])
{
    uint8_t d[SHA256_BYTES];
    sha256(token, strlen(token), d);
    for (int i = 0; i < SHA256_BYTES; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

enum auth_role auth_role_of(const char *name)
{
    if (name && strcmp(name, "admin") == 0)
        return AUTH_ADMIN;
    if (name && strcmp(name, "editor") == 0)
        return AUTH_EDITOR;
    return AUTH_NONE;
}

/* ASCII ranges, not isalnum(): the rule must not move with the locale. */
static bool name_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool auth_token_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n < 1 || n > 64 || !name_alnum(name[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!name_alnum(name[i]) && !strchr("-_.@:", name[i]))
            return false;
    return true;
}

void auth_reset_limits(void)
{
    limit_clear(&limits);
}

/* Compares two equal-length strings in time independent of their contents. */
static bool same(const char *a, const char *b, size_t n)
{
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

static int unauthorised(struct req *r, const char *detail)
{
    problem_reply(r, 401, detail);
    r->max_age = -1;
    req_add_header(r, "WWW-Authenticate", "Bearer realm=\"signpost\"");
    r->cacheable = false;
    return 401;
}

int auth_require_or_reply(struct req *r, enum auth_role need, struct auth *who)
{
    /* A replica serves a snapshot: its tokens are as they were when the
     * snapshot was made (one revoked since would still pass), and it
     * cannot write. Every request that needs a token goes to the primary. */
    if (store_read_only()) {
        problem_reply(r, 503, "This server is a read-only copy of the directory: send requests "
                              "that need a token to the primary.");
        r->cacheable = false;
        r->max_age = -1;
        return 503;
    }
    const char *h = r->in_auth;
    bool bearer = h && strncasecmp(h, "Bearer ", 7) == 0;
    const char *token = bearer ? h + 7 : h ? h : "";
    while (bearer && *token == ' ')
        token++;
    /* What was presented is known by its hash alone, for the limits too. */
    char hash[65], token_key[72];
    auth_token_hash(token, hash);
    limit_token_key(token_key, r->client, hash);
    bool whole;
    long wait = limit_wait(r->client, token_key, &whole);
    if (wait > 0) {
        char secs[24];
        snprintf(secs, sizeof secs, "%ld", wait);
        problem_reply(r, 429, whole ? "Too many failed attempts to sign in from this address. "
                                      "Wait before trying again."
                                    : "Too many failed attempts with this token from this "
                                      "address. Wait before trying it again, and check that "
                                      "it is the whole token and has not been revoked.");
        req_add_header(r, "Retry-After", secs);
        r->cacheable = false;
        r->max_age = -1;
        return 429;
    }
    if (!bearer || !*token) {
        if (h)
            limit_count_failure(r->client, token_key);
        return unauthorised(r, "This needs a token: send \"Authorization: Bearer TOKEN\".");
    }
    json_t *row = NULL;
    int found = store_token_find(hash, &row);
    if (found < 0)
        return problem_reply(r, 503, "Tokens cannot be checked just now.");
    const char *stored = found ? json_string_value(json_object_get(row, "hash")) : NULL;
    if (!found || !stored || strlen(stored) != 64 || !same(stored, hash, 64)) {
        json_decref(row);
        limit_count_failure(r->client, token_key);
        return unauthorised(r, "The token is not valid, or has been revoked.");
    }
    enum auth_role role = auth_role_of(json_string_value(json_object_get(row, "role")));
    snprintf(who->name, sizeof who->name, "%s", json_string_value(json_object_get(row, "name")));
    who->role = role;
    json_decref(row);
    if (role < need) {
        problem_reply(r, 403, "This token's role cannot do this: it needs an admin token.");
        r->cacheable = false;
        r->max_age = -1;
        return 403;
    }
    return 0;
}
