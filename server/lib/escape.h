/* escape.h: the one escaping function for each output context, and UTF-8
 * checks. Every piece of outside text reaches a response through one of
 * these, at the moment it is appended. */
#ifndef SIGNPOST_ESCAPE_H
#define SIGNPOST_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/* Appends s (n bytes) as a quoted JSON string. Besides what JSON requires it
 * escapes <, >, & and U+2028/U+2029, so the output is also safe inside an
 * HTML <script> block or attribute. Invalid UTF-8 bytes become U+FFFD. */
void esc_json(struct buf *b, const char *s, size_t n);
void esc_json_str(struct buf *b, const char *s); /* NULL appends null */

/* Appends s as HTML text or as the value of a double- or single-quoted
 * attribute: & < > " ' become character references. */
void esc_html(struct buf *b, const char *s, size_t n);
void esc_html_str(struct buf *b, const char *s);

/* Appends s percent-encoded for a URL query value or path segment: every
 * byte outside A-Z a-z 0-9 - . _ ~ becomes %XX. */
void esc_url(struct buf *b, const char *s, size_t n);
void esc_url_str(struct buf *b, const char *s);

/* True when url may be put in an href: http:, https:, mailto:, tel: or sms:
 * (case-insensitive), or a path starting with a single "/". Anything else
 * (javascript:, data:, "//host", control characters) is refused. */
bool esc_url_is_safe(const char *url);

/* True when url is an absolute http: or https: URI by RFC 3986 (a host,
 * an optional port, and only the characters each part allows, with %XX
 * escapes well formed): what may be published as a "uri"-format value. */
bool esc_is_web_url(const char *url);

/* True when s is a plain email address (dot-atom local part, a domain of
 * two or more letter-digit-hyphen labels), as JSON Schema's "email" format
 * checkers accept. */
bool esc_is_email(const char *s);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, no
 * code point above U+10FFFF). */
bool esc_utf8_valid(const char *s, size_t n);
/* Number of code points in well-formed UTF-8 s[0..n). */
size_t esc_utf8_len(const char *s, size_t n);

#endif
