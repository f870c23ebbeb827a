/* jsonw.h: a streaming JSON writer into a buf. Keeps track of commas; every
 * string goes through esc_json. Nesting deeper than JSONW_MAX_DEPTH is a
 * programming error (assert). */
#ifndef SIGNPOST_JSONW_H
#define SIGNPOST_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define JSONW_MAX_DEPTH 32

struct jsonw {
    struct buf *b;
    unsigned depth;
    bool after_key;
    bool has_items[JSONW_MAX_DEPTH];
};

void jsonw_init(struct jsonw *w, struct buf *b);
void jsonw_obj_open(struct jsonw *w);
void jsonw_obj_close(struct jsonw *w);
void jsonw_arr_open(struct jsonw *w);
void jsonw_arr_close(struct jsonw *w);
/* Writes "key": (the key is escaped too). */
void jsonw_key(struct jsonw *w, const char *key);
/* String value; NULL writes null. */
void jsonw_str(struct jsonw *w, const char *s);
void jsonw_strn(struct jsonw *w, const char *s, size_t n);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* Shorthands for "key": value. */
void jsonw_kstr(struct jsonw *w, const char *key, const char *s);
void jsonw_kint(struct jsonw *w, const char *key, int64_t v);

#endif
