/* cookie.c: one cookie out of a Cookie header, read as RFC 6265 section
 * 5.4 sends it ("a=1; b=2"), suspicious of everything else. */
#include "lib/cookie.h"

#include <string.h>

#define MAX_HEADER 8192

/* RFC 6265's cookie-octet: printable ASCII but space, '"', ',', ';', '\'. */
static bool cookie_octet(unsigned char c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
           (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

bool cookie_find(const char *header, const char *name, char *out, size_t outsz)
{
    if (!header || !name || !*name || !out || outsz == 0)
        return false;
    out[0] = '\0';
    size_t name_len = strlen(name), len = strnlen(header, MAX_HEADER + 1);
    if (len > MAX_HEADER)
        return false;
    const char *p = header, *end = header + len;
    bool found = false;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *pair = p;
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *stop = semi ? semi : end;
        p = semi ? semi + 1 : end;
        const char *eq = memchr(pair, '=', (size_t)(stop - pair));
        if (!eq)
            continue;
        const char *name_end = eq;
        while (name_end > pair && (name_end[-1] == ' ' || name_end[-1] == '\t'))
            name_end--;
        if ((size_t)(name_end - pair) != name_len || memcmp(pair, name, name_len) != 0)
            continue;
        if (found)
            return out[0] = '\0', false;   /* twice: which one is ours? */
        found = true;
        const char *v = eq + 1, *v_end = stop;
        while (v < v_end && (*v == ' ' || *v == '\t'))
            v++;
        while (v_end > v && (v_end[-1] == ' ' || v_end[-1] == '\t'))
            v_end--;
        if (v_end - v >= 2 && *v == '"' && v_end[-1] == '"') {
            v++;
            v_end--;
        }
        size_t n = (size_t)(v_end - v);
        if (n + 1 > outsz)
            return out[0] = '\0', false;
        for (size_t i = 0; i < n; i++)
            if (!cookie_octet((unsigned char)v[i]))
                return out[0] = '\0', false;
        memcpy(out, v, n);
        out[n] = '\0';
    }
    return found;
}
