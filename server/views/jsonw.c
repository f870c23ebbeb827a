/* jsonw.c: see jsonw.h. */
#include "views/jsonw.h"
#include "lib/escape.h"

#include <assert.h>
#include <string.h>

void jsonw_init(struct jsonw *w, struct buf *b)
{
    memset(w, 0, sizeof *w);
    w->b = b;
}

/* Writes the separator a new value needs at the current position. */
static void before_value(struct jsonw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth && w->has_items[w->depth - 1])
        buf_putc(w->b, ',');
    if (w->depth)
        w->has_items[w->depth - 1] = true;
}

static void open(struct jsonw *w, char c)
{
    before_value(w);
    assert(w->depth < JSONW_MAX_DEPTH);
    w->has_items[w->depth++] = false;
    buf_putc(w->b, c);
}

static void close_(struct jsonw *w, char c)
{
    assert(w->depth > 0);
    w->depth--;
    buf_putc(w->b, c);
}

void jsonw_obj_open(struct jsonw *w) { open(w, '{'); }
void jsonw_obj_close(struct jsonw *w) { close_(w, '}'); }
void jsonw_arr_open(struct jsonw *w) { open(w, '['); }
void jsonw_arr_close(struct jsonw *w) { close_(w, ']'); }

void jsonw_key(struct jsonw *w, const char *key)
{
    before_value(w);
    esc_json(w->b, key, strlen(key));
    buf_putc(w->b, ':');
    w->after_key = true;
}

void jsonw_strn(struct jsonw *w, const char *s, size_t n)
{
    before_value(w);
    esc_json(w->b, s, n);
}

void jsonw_str(struct jsonw *w, const char *s)
{
    before_value(w);
    esc_json_str(w->b, s);
}

void jsonw_int(struct jsonw *w, int64_t v)
{
    before_value(w);
    buf_put_int(w->b, (long long)v);
}

void jsonw_bool(struct jsonw *w, bool v)
{
    before_value(w);
    buf_puts(w->b, v ? "true" : "false");
}

void jsonw_null(struct jsonw *w)
{
    before_value(w);
    buf_puts(w->b, "null");
}

void jsonw_kstr(struct jsonw *w, const char *key, const char *s)
{
    jsonw_key(w, key);
    jsonw_str(w, s);
}

void jsonw_kint(struct jsonw *w, const char *key, int64_t v)
{
    jsonw_key(w, key);
    jsonw_int(w, v);
}
