/* escape.c: see escape.h. */
#include "lib/escape.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0) /* overlong */
            return 0;
        if (c == 0xED && s[1] > 0x9F) /* surrogate */
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90) /* overlong */
            return 0;
        if (c == 0xF4 && s[1] > 0x8F) /* above U+10FFFF */
            return 0;
        return 4;
    }
    return 0;
}

bool esc_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_seq(p + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

size_t esc_utf8_len(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

/* The bytes JSON output takes as they are: printable ASCII but the quote,
 * backslash and the HTML-significant < > & (escaped so that JSON inside a
 * page cannot end a script). Everything else, UTF-8 included, is looked at. */
#define P1(c) ((c) >= 0x20 && (c) < 0x7F && (c) != '"' && (c) != '\\' && (c) != '<' && \
               (c) != '>' && (c) != '&')
#define P4(c) P1(c), P1(c + 1), P1(c + 2), P1(c + 3)
#define P16(c) P4(c), P4(c + 4), P4(c + 8), P4(c + 12)
#define P64(c) P16(c), P16(c + 16), P16(c + 32), P16(c + 48)
static const bool json_plain[256] = {P64(0), P64(64), P64(128), P64(192)};
#undef P64
#undef P16
#undef P4
#undef P1

void esc_json(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    buf_grow(b, n + 2);
    buf_putc(b, '"');
    size_t i = 0, start = 0;
    while (i < n) {
        /* runs of characters that stand for themselves, a table look-up
         * each */
        while (i < n && json_plain[p[i]])
            i++;
        if (i == n)
            break;
        unsigned c = p[i];
        const char *rep = NULL;
        char tmp[8];
        size_t skip = 1;
        if (c < 0x80) {
            if (c == '"')
                rep = "\\\"";
            else if (c == '\\')
                rep = "\\\\";
            else if (c == '\n')
                rep = "\\n";
            else if (c == '\r')
                rep = "\\r";
            else if (c == '\t')
                rep = "\\t";
            else if (c < 0x20 || c == '<' || c == '>' || c == '&' ||
                     c == 0x7F) {
                tmp[0] = '\\', tmp[1] = 'u', tmp[2] = '0', tmp[3] = '0';
                tmp[4] = hex[c >> 4], tmp[5] = hex[c & 15], tmp[6] = '\0';
                rep = tmp;
            }
        } else {
            skip = utf8_seq(p + i, n - i);
            if (!skip) {
                rep = "\\ufffd";
                skip = 1;
            } else if (skip == 3 && c == 0xE2 && p[i + 1] == 0x80 &&
                       (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
                rep = p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
            }
        }
        if (rep) {
            buf_append(b, s + start, i - start);
            buf_puts(b, rep);
            i += skip;
            start = i;
        } else {
            i += skip;
        }
    }
    buf_append(b, s + start, n - start);
    buf_putc(b, '"');
}

void esc_json_str(struct buf *b, const char *s)
{
    if (!s)
        buf_append(b, "null", 4);
    else
        esc_json(b, s, strlen(s));
}

void esc_html(struct buf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_append(b, s + start, i - start);
        buf_puts(b, rep);
        start = i + 1;
    }
    buf_append(b, s + start, n - start);
}

void esc_html_str(struct buf *b, const char *s)
{
    if (s)
        esc_html(b, s, strlen(s));
}

void esc_url(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(b, e, 3);
        }
    }
}

void esc_url_str(struct buf *b, const char *s)
{
    if (s)
        esc_url(b, s, strlen(s));
}

bool esc_url_is_safe(const char *url)
{
    static const char *const schemes[] = {"http://", "https://", "mailto:", "tel:",
                                          "sms:"};
    if (!url || !*url)
        return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F || *p == ' ' || *p == '\\')
            return false;
    if (url[0] == '/')
        return url[1] != '/';
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
        if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0)
            return url[strlen(schemes[i])] != '\0';
    return false;
}

static bool unreserved_or_sub(unsigned char c)
{
    return isalnum(c) || strchr("-._~!$&'()*+,;=", c);
}

bool esc_is_web_url(const char *url)
{
    if (!url)
        return false;
    const char *p;
    if (strncasecmp(url, "https://", 8) == 0)
        p = url + 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        p = url + 7;
    else
        return false;
    /* host: a name (letters, digits, - and .) or [IPv6] */
    const char *host = p;
    if (*p == '[') {
        p++;
        while (*p && (isxdigit((unsigned char)*p) || *p == ':' || *p == '.'))
            p++;
        if (*p++ != ']')
            return false;
    } else {
        while (*p && (isalnum((unsigned char)*p) || *p == '-' || *p == '.'))
            p++;
        if (p == host || *host == '.' || *host == '-')
            return false;
    }
    if (*p == ':') {
        const char *port = ++p;
        while (isdigit((unsigned char)*p))
            p++;
        if (p == port || p - port > 5)
            return false;
    }
    if (*p && *p != '/' && *p != '?' && *p != '#')
        return false;
    bool fragment = false;
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '%') {
            if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
                return false;
            p += 2;
        } else if (c == '#') {
            if (fragment)
                return false;
            fragment = true;
        } else if (!unreserved_or_sub(c) && c != ':' && c != '@' && c != '/' && c != '?') {
            return false;
        }
    }
    return true;
}

bool esc_is_email(const char *s)
{
    if (!s)
        return false;
    const char *at = strrchr(s, '@');
    size_t n = strlen(s);
    if (!at || at == s || n > 254 || (size_t)(at - s) > 64)
        return false;
    /* local part: dot-atom */
    char prev = '.';
    for (const char *p = s; p < at; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.') {
            if (prev == '.')
                return false;
        } else if (!isalnum(c) && !strchr("!#$%&'*+/=?^_`{|}~-", c)) {
            return false;
        }
        prev = (char)c;
    }
    if (prev == '.')
        return false;
    /* domain: labels of letters, digits and inner hyphens */
    int labels = 0;
    const char *label = at + 1;
    for (const char *p = at + 1;; p++) {
        if (*p == '.' || *p == '\0') {
            size_t len = (size_t)(p - label);
            if (len == 0 || len > 63 || label[0] == '-' || p[-1] == '-')
                return false;
            labels++;
            if (*p == '\0')
                break;
            label = p + 1;
        } else if (!isalnum((unsigned char)*p) && *p != '-') {
            return false;
        }
    }
    return labels >= 2;
}
