/* words.h: reading a search the way people type it. Splits text into
 * words, folds case and common diacritics, reads text-speak ("some1",
 * "ppl", "u"), maps irregular forms ("children" to "child"), marks stop
 * words and filler ("my", "is", "someone", "please", "what do i do") and
 * notices a cry for urgent help ("help now", "in danger", "hurt myself").
 * Pure: no SQL, no allocation; the store's search builds on it. */
#ifndef SIGNPOST_WORDS_H
#define SIGNPOST_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#define WORDS_MAX 24      /* words kept from one search (the rest ignored) */
#define WORD_MAX 40       /* bytes of one word; longer ones are cut */

struct word {
    char text[WORD_MAX + 1];  /* normalised: lower-case a-z and 0-9 */
    char typed[WORD_MAX + 1]; /* as typed, folded (before text-speak or
                                 irregular forms), for "Showing results for" */
    bool stop;                /* a stop word or filler: never matched alone */
};

struct words {
    struct word w[WORDS_MAX];
    size_t n;
    size_t n_meaningful;      /* words that are not stop words */
    bool urgent;              /* the search asks for urgent help */
    bool first_person;        /* it speaks of oneself: i, me, my, im... */
};

/* Reads text (UTF-8, need not be valid; at most len bytes) into out. */
void words_read(const char *text, size_t len, struct words *out);

/* True when w (normalised) is a stop word or filler. */
bool words_is_stop(const char *w);

/* Decodes one UTF-8 sequence at s (n >= 1 bytes left) into *cp; returns
 * its length (1, with U+FFFD, for a byte that starts no valid sequence). */
size_t words_utf8_next(const unsigned char *s, size_t n, unsigned *cp);

/* The base letter (a-z) of a Latin letter with a diacritic, U+00C0 to
 * U+017F (U+00E9 to 'e'), or '\0' for any other code point. */
char words_fold_latin(unsigned cp);

/* What code point cp is in a word, folded as the full-text index folds it
 * (a-z, 0-9, a Latin letter's base letter), or '\0' when it ends a word. */
char words_fold_char(unsigned cp);

#endif
