/* porter.h: the Porter (1980) stemmer, as SQLite's FTS5 "porter" tokenizer
 * applies it, so that a word's stem can be looked up in the full-text
 * index's own vocabulary (for typo correction and compound words). Written
 * from the published algorithm; tests/unit/test_porter.c checks it against
 * FTS5 itself on thousands of words. */
#ifndef SIGNPOST_PORTER_H
#define SIGNPOST_PORTER_H

#include <stddef.h>

#define PORTER_MAX 64   /* longer words are left as they are, as FTS5 does */

/* Stems the lower-case ASCII word w (n bytes) into out (at least n + 1
 * bytes); returns the stem's length. Words of fewer than three letters, or
 * with anything but a-z, are copied unchanged. */
size_t porter_stem(const char *w, size_t n, char *out);

#endif
