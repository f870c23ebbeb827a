/* password.c: the password rule, and Argon2id hashes through libsodium. */
#include "lib/password.h"
#include "lib/assets.h"
#include "lib/util.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(PASSWORD_HASH_BYTES == crypto_pwhash_STRBYTES, "PHC string size");

/* ---- the common-password list -------------------------------------------- */

struct word {
    const char *s;
    size_t len;
};

static struct word *common;
static size_t n_common;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

/* Points into the compiled-in file: one word per line, sorted bytewise,
 * comment lines starting with '#'. */
static void common_load(void)
{
    const struct asset *a = asset_find("db/common-passwords.txt");
    if (!a)
        return;
    size_t lines = 0;
    for (size_t i = 0; i < a->len; i++)
        lines += a->data[i] == '\n';
    common = xmalloc((lines + 1) * sizeof *common);
    const char *p = (const char *)a->data, *end = p + a->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        if (len && *p != '#')
            common[n_common++] = (struct word){p, len};
        p += len + 1;
    }
}

static int word_cmp(const char *s, size_t len, const struct word *w)
{
    int c = memcmp(s, w->s, len < w->len ? len : w->len);
    return c ? c : (len > w->len) - (len < w->len);
}

bool password_is_common(const char *s, size_t len)
{
    pthread_once(&common_once, common_load);
    size_t lo = 0, hi = n_common;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = word_cmp(s, len, &common[mid]);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

/* ---- the rule --------------------------------------------------------------- */

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Digits, ASCII punctuation and spaces: what people add to a word. */
static bool is_padding(unsigned char c)
{
    return isdigit(c) || ispunct(c) || c == ' ';
}

/* Whether every byte is the one before plus the same step of -1 or +1
 * ("abcdefghijkl", "987654321098" apart from the wrap). */
static bool is_sequence(const char *s, size_t len)
{
    int step = (unsigned char)s[1] - (unsigned char)s[0];
    if (step != 1 && step != -1)
        return false;
    for (size_t i = 2; i < len; i++)
        if ((unsigned char)s[i] - (unsigned char)s[i - 1] != step)
            return false;
    return true;
}

static size_t distinct_bytes(const char *s, size_t len)
{
    bool seen[256] = {false};
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!seen[(unsigned char)s[i]]) {
            seen[(unsigned char)s[i]] = true;
            n++;
        }
    return n;
}

/* Whether core (lowercase, core_len bytes) is word lowercased with its
 * spaces removed. */
static bool same_word(const char *core, size_t core_len, const char *word, size_t word_len)
{
    size_t j = 0;
    for (size_t i = 0; i < word_len; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c == ' ')
            continue;
        if (j == core_len || core[j] != (char)tolower(c))
            return false;
        j++;
    }
    return j == core_len && j > 0;
}

const char *password_refusal(const char *pw, size_t len, const char *email, const char *name)
{
    if (utf8_chars(pw, len) < PASSWORD_MIN_CHARS)
        return "Use at least 12 characters. A few ordinary words together are easy to remember.";
    if (len > PASSWORD_MAX_BYTES)
        return "Use at most 256 characters.";
    if (memchr(pw, '\0', len))
        return "A password cannot contain a NUL character.";
    char lower[PASSWORD_MAX_BYTES];
    for (size_t i = 0; i < len; i++)
        lower[i] = (char)tolower((unsigned char)pw[i]);
    if (password_is_common(lower, len))
        return "This is one of the most common passwords, so it is among the first an attacker "
               "tries. Choose another.";
    size_t a = 0, b = len;
    while (a < b && is_padding((unsigned char)lower[a]))
        a++;
    while (b > a && is_padding((unsigned char)lower[b - 1]))
        b--;
    const char *core = lower + a;
    size_t core_len = b - a;
    if (core_len >= 4 && password_is_common(core, core_len))
        return "This is a common password with numbers or symbols added, which attackers try "
               "early. Choose another.";
    if (distinct_bytes(lower, len) <= 3 || is_sequence(lower, len))
        return "This is a run of repeated or consecutive characters. Choose another.";
    if (same_word(core, core_len, "signpost", 8))
        return "Do not use the name of this service as your password.";
    if (email) {
        const char *at = strchr(email, '@');
        size_t local = at ? (size_t)(at - email) : strlen(email);
        if (same_word(core, core_len, email, strlen(email)) ||
            (local >= 4 && same_word(core, core_len, email, local)))
            return "Do not use your e-mail address as your password.";
    }
    if (name && same_word(core, core_len, name, strlen(name)))
        return "Do not use your name as your password.";
    return NULL;
}

/* ---- hashes ------------------------------------------------------------------ */

bool password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_BYTES])
{
    if (len > PASSWORD_MAX_BYTES)
        return false;
    return crypto_pwhash_str(out, pw, len, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT) == 0;
}

bool password_verify(const char *hash, const char *pw, size_t len)
{
    if (!hash || len > PASSWORD_MAX_BYTES || strncmp(hash, "$argon2id$", 10) != 0 ||
        strnlen(hash, PASSWORD_HASH_BYTES) == PASSWORD_HASH_BYTES)
        return false;
    return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

bool password_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT) != 0;
}
