/* frame.h: the framing of HTTP/1.1 requests on one connection, read as
 * strictly as RFC 9112 asks, byte by byte as they arrive (any split), so
 * that nothing a proxy in front could read differently ever reaches the
 * server: request lines of a token method, a visible target (no NUL, no
 * space, no control) and HTTP/1.0 or HTTP/1.1, CRLF line ends only (no bare
 * LF or CR), field names of token characters up to the colon (no space
 * before it), no obs-fold, no control characters in values, at most one
 * Host, at most one Content-Length (digits only) and at most one
 * Transfer-Encoding, exactly "chunked", never both; bodies skipped by
 * their length or their chunks, so that the next request's head is found
 * where the server will look for it. Pure: no I/O, no allocation; a state
 * of a few dozen bytes per connection. */
#ifndef SIGNPOST_FRAME_H
#define SIGNPOST_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct frame {
    uint8_t state;
    uint8_t blank_lines;    /* empty lines before a request line */
    uint8_t name_len;       /* of the field name, as far as kept */
    uint8_t value_len;      /* of the kept value (Transfer-Encoding) */
    uint8_t field;          /* which framing field this line is */
    uint8_t hosts, lengths, codings;
    bool in_trailer;
    bool started;           /* the current message has a byte */
    char name[20];          /* the name, lower case, while it may be framing */
    char value[12];         /* Transfer-Encoding's value, lower case, trimmed */
    uint8_t ows;            /* spaces pending after the value (trimmed) */
    uint16_t ext_len;       /* chunk extension bytes */
    uint64_t length;        /* Content-Length, then the body or chunk left */
    const char *error;      /* what was wrong, for the answer; NULL if fine */
};

void frame_init(struct frame *f);

/* Reads n more bytes of the connection. True while everything so far is
 * well framed. False at the first fault (f->error says which; every later
 * call is false too): *good is then how many bytes of p came before the
 * message with the fault (whole earlier requests, which may be served),
 * 0 when that message began in an earlier call. */
bool frame_feed(struct frame *f, const unsigned char *p, size_t n, size_t *good);

#endif
