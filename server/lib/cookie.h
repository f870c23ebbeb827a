/* cookie.h: reading a Cookie request header (RFC 6265 section 5.4 and
 * 4.2.1) that may be hostile. Pure. */
#ifndef SIGNPOST_COOKIE_H
#define SIGNPOST_COOKIE_H

#include <stdbool.h>
#include <stddef.h>

/* Finds the cookie called name (exact, case-sensitive) in header (the
 * Cookie field's value; may be NULL) and copies its value, without the
 * optional surrounding double quotes, and a NUL into out (room for outsz
 * bytes). Pairs are separated by ';' with optional spaces or tabs; a pair
 * without '=' is skipped; when the name appears more than once, returns
 * false (ambiguous: a cookie planted by a sibling site could shadow ours).
 * Returns false when absent, too long for out, or the value holds a byte
 * outside RFC 6265's cookie-octet set. Reads at most 8192 bytes of header. */
bool cookie_find(const char *header, const char *name, char *out, size_t outsz);

#endif
