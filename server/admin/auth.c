/* auth.c: see auth.h. */
#include "admin/auth.h"
#include "lib/sha256.h"
#include "store/store.h"
#include "lib/util.h"
#include "views/problem.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#define FAILURES_ALLOWED 5      /* per client address per window */
#define WINDOW_SECONDS 60
#define SLOTS 1024

struct slot {
    char client[48];
    unsigned failures;
    time_t window_start;
};

static struct slot slots[SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

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

static struct slot *slot_for(const char *client)
{
    uint64_t h = util_hash(UTIL_FNV_INIT, client, strlen(client));
    return &slots[h % SLOTS];
}

/* Seconds the client must still wait, or 0. */
static long blocked_for(const char *client)
{
    long wait = 0;
    time_t now = time(NULL);
    pthread_mutex_lock(&slots_lock);
    struct slot *s = slot_for(client);
    if (strcmp(s->client, client) == 0 && s->failures >= FAILURES_ALLOWED &&
        now - s->window_start < WINDOW_SECONDS)
        wait = WINDOW_SECONDS - (long)(now - s->window_start);
    pthread_mutex_unlock(&slots_lock);
    return wait;
}

static void count_failure(const char *client)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&slots_lock);
    struct slot *s = slot_for(client);
    if (strcmp(s->client, client) != 0 || now - s->window_start >= WINDOW_SECONDS) {
        snprintf(s->client, sizeof s->client, "%s", client);
        s->failures = 0;
        s->window_start = now;
    }
    s->failures++;
    pthread_mutex_unlock(&slots_lock);
}

void auth_reset_limits(void)
{
    pthread_mutex_lock(&slots_lock);
    memset(slots, 0, sizeof slots);
    pthread_mutex_unlock(&slots_lock);
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
    long wait = blocked_for(r->client);
    if (wait > 0) {
        char secs[24];
        snprintf(secs, sizeof secs, "%ld", wait);
        problem_reply(r, 429, "Too many failed attempts to sign in from this address. "
                            "Wait before trying again.");
        req_add_header(r, "Retry-After", secs);
        r->cacheable = false;
        r->max_age = -1;
        return 429;
    }
    const char *h = r->in_auth;
    if (!h || strncasecmp(h, "Bearer ", 7) != 0 || !h[7]) {
        if (h)
            count_failure(r->client);
        return unauthorised(r, "This needs a token: send \"Authorization: Bearer TOKEN\".");
    }
    const char *token = h + 7;
    while (*token == ' ')
        token++;
    char hash[65];
    auth_token_hash(token, hash);
    json_t *row = NULL;
    int found = store_token_find(hash, &row);
    if (found < 0)
        return problem_reply(r, 503, "Tokens cannot be checked just now.");
    const char *stored = found ? json_string_value(json_object_get(row, "hash")) : NULL;
    if (!found || !stored || strlen(stored) != 64 || !same(stored, hash, 64)) {
        json_decref(row);
        count_failure(r->client);
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
