/* buf.h: a growable byte buffer, always NUL-terminated.
 *
 * All output is built in one of these. Outside text goes in through the
 * escaping appenders of escape.h, never through buf_puts directly. */
#ifndef SIGNPOST_BUF_H
#define SIGNPOST_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data;   /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_init(struct buf *b);
/* Frees the storage and resets b to empty. */
void buf_reset(struct buf *b);
/* Makes room for n more bytes. */
void buf_grow(struct buf *b, size_t n);
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
/* One byte (inline: JSON and HTML writers put them one at a time). */
static inline void buf_putc(struct buf *b, char c)
{
    if (b->len + 2 > b->cap)
        buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
/* A decimal integer. */
void buf_put_int(struct buf *b, long long v);
/* At most max_chars characters of the UTF-8 text s (a character's bytes
 * are never split), and an ellipsis (…) when s had more. No escaping: the
 * text goes through a view's escaping later. */
void buf_put_chars(struct buf *b, const char *s, size_t max_chars);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the storage to the caller (who frees it) and resets b. Never NULL. */
char *buf_detach(struct buf *b, size_t *len);
/* The contents as a C string ("" when empty); valid until the next append. */
const char *buf_str(const struct buf *b);

#endif
