/* multipart.c: multipart/form-data read whole and strictly (RFC 7578,
 * RFC 2046 section 5.1.1). Only what browsers send is accepted: CRLF line
 * ends, a boundary of 1 to 70 characters, parts with a form-data
 * Content-Disposition and a name. A preamble before the first delimiter
 * and an epilogue after the last are ignored, as RFC 2046 says. */
#include "lib/multipart.h"

#include <string.h>
#include <strings.h>

#define MAX_BOUNDARY 70

/* RFC 2046's bchars, without the space it allows only inside. */
static bool bchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           strchr("'()+_,-./:=? ", c) != NULL;
}

static bool fail(struct multipart *m, const char *why)
{
    m->error = why;
    m->n = 0;
    return false;
}

/* RFC 9110's tchar. */
static bool tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The boundary parameter of a Content-Type into out (room for
 * MAX_BOUNDARY + 1): its length, or 0 when the type is not
 * multipart/form-data, its parameters are not token=token or
 * token=quoted-string, or the boundary is missing, repeated or bad. */
static size_t boundary_of(const char *ct, char *out)
{
    static const char type[] = "multipart/form-data";
    if (!ct || strncasecmp(ct, type, sizeof type - 1) != 0)
        return 0;
    size_t found = 0;
    for (const char *p = ct + sizeof type - 1;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return found;
        if (*p++ != ';')
            return 0;
        while (*p == ' ' || *p == '\t')
            p++;
        const char *name = p;
        while (tchar((unsigned char)*p))
            p++;
        size_t nl = (size_t)(p - name);
        if (nl == 0 || *p++ != '=')
            return 0;
        char value[MAX_BOUNDARY + 1];
        size_t n = 0;
        bool quoted = *p == '"', fits = true;
        if (quoted) {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                if ((unsigned char)*p < 0x20)
                    return 0;
                if (n < MAX_BOUNDARY)
                    value[n++] = *p;
                else
                    fits = false;
            }
            if (*p++ != '"')
                return 0;
        } else {
            for (; tchar((unsigned char)*p); p++) {
                if (n < MAX_BOUNDARY)
                    value[n++] = *p;
                else
                    fits = false;
            }
        }
        if (nl == 8 && strncasecmp(name, "boundary", 8) == 0) {
            if (found || !fits || n == 0 || value[n - 1] == ' ')
                return 0;
            for (size_t i = 0; i < n; i++)
                if (!bchar((unsigned char)value[i]))
                    return 0;
            memcpy(out, value, n);
            out[n] = '\0';
            found = n;
        }
    }
}

/* Finds needle (n bytes) in hay (len bytes). */
static const char *find(const char *hay, size_t len, const char *needle, size_t n)
{
    if (n == 0 || len < n)
        return NULL;
    for (const char *p = hay, *end = hay + len - n; p <= end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p) + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle, n) == 0)
            return p;
    }
    return NULL;
}

/* Reads the parameters after "form-data" (v, vlen bytes: "; name=\"a\";
 * filename=b") one by one, quoted strings whole, into the name and
 * filename of part: false when they are not a parameter list, a value does
 * not fit, or a parameter comes twice. */
static bool params(const char *v, size_t vlen, struct multipart_part *part, bool *named)
{
    const char *p = v, *end = v + vlen;
    *named = false;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p == end)
            return true;
        if (*p++ != ';')
            return false;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *key = p;
        while (p < end && *p != '=' && *p != ';' && *p != ' ' && *p != '\t' && *p != '"')
            p++;
        size_t kl = (size_t)(p - key);
        if (p == end || *p != '=' || kl == 0)
            return false;
        p++;
        char value[MULTIPART_MAX_NAME];
        size_t n = 0;
        if (p < end && *p == '"') {
            for (p++; p < end && *p != '"'; p++) {
                if (*p == '\\' && p + 1 < end)
                    p++;   /* a quoted-pair: the next character as it is */
                if ((unsigned char)*p < 0x20 || n + 1 >= sizeof value)
                    return false;
                value[n++] = *p;
            }
            if (p == end)
                return false;
            p++;
        } else {
            for (; p < end && *p != ';' && *p != ' ' && *p != '\t'; p++) {
                if ((unsigned char)*p < 0x21 || *p == '"' || n + 1 >= sizeof value)
                    return false;
                value[n++] = *p;
            }
        }
        value[n] = '\0';
        if (kl == 4 && strncasecmp(key, "name", 4) == 0) {
            if (*named)
                return false;
            *named = true;
            memcpy(part->name, value, n + 1);
        } else if (kl == 8 && strncasecmp(key, "filename", 8) == 0) {
            if (part->has_filename)
                return false;
            part->has_filename = true;
            memcpy(part->filename, value, n + 1);
        }
    }
}

/* Reads a part's header block (from p, ending at the blank line before
 * end) into part: false with m->error on anything wrong. */
static bool headers(struct multipart *m, const char *p, const char *end,
                    struct multipart_part *part)
{
    bool disposition = false;
    int lines = 0;
    while (p < end) {
        const char *eol = find(p, (size_t)(end - p), "\r\n", 2);
        const char *stop = eol ? eol : end;
        size_t n = (size_t)(stop - p);
        if (++lines > MULTIPART_MAX_HEADERS || n > MULTIPART_MAX_HEADER)
            return fail(m, "A part of the form has too many or too long headers.");
        const char *colon = memchr(p, ':', n);
        if (!colon || colon == p)
            return fail(m, "A part of the form has a header line that is not one.");
        for (const char *c = p; c < stop; c++)
            if ((unsigned char)*c < 0x20 && *c != '\t')
                return fail(m, "A part of the form has a control character in a header.");
        size_t nlen = (size_t)(colon - p);
        const char *v = colon + 1;
        while (v < stop && (*v == ' ' || *v == '\t'))
            v++;
        size_t vlen = (size_t)(stop - v);
        if (nlen == 19 && strncasecmp(p, "Content-Disposition", 19) == 0) {
            if (disposition)
                return fail(m, "A part of the form has two Content-Disposition headers.");
            disposition = true;
            if (vlen < 9 || strncasecmp(v, "form-data", 9) != 0 ||
                (vlen > 9 && v[9] != ';' && v[9] != ' '))
                return fail(m, "A part of the form is not form-data.");
            bool named;
            if (!params(v + 9, vlen - 9, part, &named))
                return fail(m, "A part of the form has a Content-Disposition that cannot be "
                               "read, or a name too long.");
            if (!named || !part->name[0])
                return fail(m, "A part of the form has no name.");
        } else if (nlen == 12 && strncasecmp(p, "Content-Type", 12) == 0) {
            if (vlen >= sizeof part->type)
                return fail(m, "A part of the form has a Content-Type too long.");
            memcpy(part->type, v, vlen);
            part->type[vlen] = '\0';
        }
        p = eol ? eol + 2 : end;
    }
    if (!disposition)
        return fail(m, "A part of the form has no Content-Disposition.");
    return true;
}

bool multipart_parse(const char *content_type, const char *body, size_t len, struct multipart *m)
{
    memset(m, 0, sizeof *m);
    char *boundary = m->boundary;
    size_t bl = boundary_of(content_type, boundary);
    if (!bl)
        return fail(m, "The form must be sent as multipart/form-data with a boundary.");
    if (!body)
        return fail(m, "The form is empty.");
    /* delim = CRLF "--" boundary; the first may start the body. */
    char delim[MAX_BOUNDARY + 5] = "\r\n--";
    memcpy(delim + 4, boundary, bl);
    size_t dl = bl + 4;
    const char *end = body + len, *p;
    if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0)
        p = body + dl - 2;
    else if ((p = find(body, len, delim, dl)) != NULL)
        p += dl;
    else
        return fail(m, "The form has no parts.");
    for (;;) {
        /* After a delimiter: "--" ends the body, CRLF starts a part
         * (transport padding, spaces or tabs, may come between). */
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return m->n > 0 ? true : fail(m, "The form has no parts.");
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return fail(m, "The form is cut short or its boundary is broken.");
        p += 2;
        if (m->n == MULTIPART_MAX_PARTS)
            return fail(m, "The form has too many parts.");
        const char *blank = find(p, (size_t)(end - p), "\r\n\r\n", 4);
        const char *head_end = blank;
        if (p + 2 <= end && p[0] == '\r' && p[1] == '\n')
            return fail(m, "A part of the form has no Content-Disposition.");
        if (!blank || (size_t)(blank - p) > MULTIPART_MAX_HEADERS * (MULTIPART_MAX_HEADER + 2))
            return fail(m, "A part of the form has too many or too long headers.");
        struct multipart_part *part = &m->parts[m->n];
        if (!headers(m, p, head_end, part))
            return false;
        const char *data = blank + 4;
        const char *next = find(data, (size_t)(end - data), delim, dl);
        if (!next)
            return fail(m, "The form is cut short or its boundary is broken.");
        part->data = data;
        part->len = (size_t)(next - data);
        m->n++;
        p = next + dl;
    }
}

const struct multipart_part *multipart_get(const struct multipart *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->parts[i].name, name) == 0)
            return &m->parts[i];
    return NULL;
}
