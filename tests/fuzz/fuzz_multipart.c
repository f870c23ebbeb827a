/* fuzz_multipart.c: the multipart/form-data reader (server/lib/multipart.h)
 * on arbitrary bytes: the input's first line is the Content-Type, the rest
 * the body.
 *
 * Guards: on success every part's data lies inside the body, in order and
 * apart; names are non-empty and terminated; the parts written out again
 * as a browser would (the same boundary) read back to the same names, file
 * names, types and bytes; on failure there is a reason and no part. */
#include "fuzz.h"
#include "lib/buf.h"
#include "lib/multipart.h"

#include <stdint.h>
#include <string.h>

static void put_quoted(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            buf_putc(b, '\\');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 70000)
        return 0;
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl)
        return 0;
    char ct[512];
    size_t ctl = (size_t)(nl - data);
    if (ctl >= sizeof ct || memchr(data, '\0', ctl))
        return 0;
    memcpy(ct, data, ctl);
    ct[ctl] = '\0';
    const char *body = (const char *)nl + 1;
    size_t len = size - ctl - 1;
    static struct multipart m, again;
    if (!multipart_parse(ct, body, len, &m)) {
        FUZZ_CHECK(m.error && m.n == 0, "a failure without a reason, or with parts");
        return 0;
    }
    FUZZ_CHECK(m.n >= 1 && m.n <= MULTIPART_MAX_PARTS, "%zu parts", m.n);
    const char *last = body;
    for (size_t i = 0; i < m.n; i++) {
        const struct multipart_part *p = &m.parts[i];
        FUZZ_CHECK(p->name[0] && memchr(p->name, '\0', sizeof p->name), "part %zu's name", i);
        FUZZ_CHECK(p->data >= last && p->data + p->len <= body + len, "part %zu outside", i);
        last = p->data + p->len;
    }
    const char *b = m.boundary;
    FUZZ_CHECK(b[0] != 0, "success without a boundary: %s", ct);
    struct buf out = BUF_INIT;
    for (size_t i = 0; i < m.n; i++) {
        const struct multipart_part *p = &m.parts[i];
        buf_printf(&out, "--%s\r\nContent-Disposition: form-data; name=", b);
        put_quoted(&out, p->name);
        if (p->has_filename) {
            buf_puts(&out, "; filename=");
            put_quoted(&out, p->filename);
        }
        buf_puts(&out, "\r\n");
        if (p->type[0])
            buf_printf(&out, "Content-Type: %s\r\n", p->type);
        buf_puts(&out, "\r\n");
        buf_append(&out, p->data, p->len);
        buf_puts(&out, "\r\n");
    }
    buf_printf(&out, "--%s--\r\n", b);
    bool ok = multipart_parse(ct, out.data, out.len, &again);
    FUZZ_CHECK(ok, "written out again, it does not read: %s", again.error);
    FUZZ_CHECK(again.n == m.n, "%zu parts, then %zu", m.n, again.n);
    for (size_t i = 0; i < m.n; i++) {
        const struct multipart_part *x = &m.parts[i], *y = &again.parts[i];
        FUZZ_CHECK(strcmp(x->name, y->name) == 0 && strcmp(x->filename, y->filename) == 0 &&
                       x->has_filename == y->has_filename && strcmp(x->type, y->type) == 0 &&
                       x->len == y->len && memcmp(x->data, y->data, x->len) == 0,
                   "part %zu differs when read again", i);
    }
    buf_reset(&out);
    return 0;
}
