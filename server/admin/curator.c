/* curator.c: checking an account's address and name, and invitations. */
#include "admin/curator.h"
#include "admin/auth.h"
#include "store/store.h"

#include <sodium.h>
#include <string.h>

const char *curator_email_refusal(const char *email)
{
    size_t len = email ? strlen(email) : 0;
    if (len < 3 || len > 254)
        return "Give an e-mail address of 3 to 254 characters.";
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)email[i] <= ' ' || (unsigned char)email[i] >= 0x7f)
            return "An e-mail address has no spaces and only plain letters, digits and "
                   "punctuation.";
    const char *at = strchr(email, '@');
    if (!at || at == email || strchr(at + 1, '@'))
        return "Give an e-mail address with one @, as in name@example.org.";
    const char *dot = strchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0' || email[len - 1] == '.')
        return "Give the whole domain after the @, as in name@example.org.";
    return NULL;
}

const char *curator_name_refusal(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len < 1 || len > 100)
        return "Give a name of 1 to 100 characters.";
    bool visible = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < ' ' || c == 0x7f)
            return "A name cannot contain control characters (such as a new line).";
        visible |= c != ' ';
    }
    if (!visible)
        return "Give a name of 1 to 100 characters.";
    /* Bytes of UTF-8 only: a name is shown on pages and in the audit log. */
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)name[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                             : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || i + n > len || (n == 2 && c < 0xC2))
            return "A name must be text (UTF-8).";
        for (size_t k = 1; k < n; k++)
            if (((unsigned char)name[i + k] & 0xC0) != 0x80)
                return "A name must be text (UTF-8).";
        i += n;
    }
    return NULL;
}

/* 32 random bytes as base64url into token, and its hex SHA-256. */
static void new_token(char token[CURATOR_TOKEN_CHARS + 1], char hash[65])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, CURATOR_TOKEN_CHARS + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    auth_token_hash(token, hash);
}

int curator_invite(const char *email, const char *name, const char *role, const char *actor,
                   char token[CURATOR_TOKEN_CHARS + 1])
{
    char hash[65];
    new_token(token, hash);
    int rc = store_curator_invite(email, name, role, hash, CURATOR_INVITE_HOURS, actor);
    if (rc != STORE_OK)
        sodium_memzero(token, CURATOR_TOKEN_CHARS + 1);
    return rc;
}

int curator_reset(const char *email, const char *actor, char token[CURATOR_TOKEN_CHARS + 1])
{
    char hash[65];
    new_token(token, hash);
    int rc = store_curator_reset(email, hash, CURATOR_INVITE_HOURS, actor);
    if (rc != STORE_OK)
        sodium_memzero(token, CURATOR_TOKEN_CHARS + 1);
    return rc;
}

void curator_invite_link(struct buf *b, const char *public_url, const char *token)
{
    size_t len = strlen(public_url);
    while (len && public_url[len - 1] == '/')
        len--;
    buf_append(b, public_url, len);
    buf_puts(b, CURATOR_INVITE_PATH);
    buf_puts(b, token);
}
