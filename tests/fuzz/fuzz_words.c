/* fuzz_words.c: words_read (server/lib/words.h) on arbitrary bytes, then the
 * Porter stemmer on every word it gives.
 *
 * Guards: at most WORDS_MAX words; every text and typed form is
 * NUL-terminated within WORD_MAX and holds only a-z and 0-9 (so no search
 * syntax can ever reach FTS5 from a word); stop marks agree with
 * words_is_stop and n_meaningful counts the rest; reading twice gives the
 * same answer; porter_stem writes no more than n + 1 bytes and returns at
 * most n. */
#include "fuzz.h"
#include "lib/porter.h"
#include "lib/words.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static void check_word(const char *what, const char *s)
{
    size_t n = strnlen(s, WORD_MAX + 1);
    FUZZ_CHECK(n <= WORD_MAX, "%s longer than WORD_MAX", what);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'),
                   "%s has byte 0x%02x", what, (unsigned char)s[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct words a, b;
    words_read((const char *)data, size, &a);
    words_read((const char *)data, size, &b);
    FUZZ_CHECK(a.n <= WORDS_MAX, "%zu words", a.n);
    FUZZ_CHECK(memcmp(&a, &b, sizeof a) == 0, "two readings differ");
    size_t meaningful = 0;
    for (size_t i = 0; i < a.n; i++) {
        const struct word *w = &a.w[i];
        check_word("text", w->text);
        check_word("typed", w->typed);
        FUZZ_CHECK(w->text[0] && w->typed[0], "an empty word");
        FUZZ_CHECK(w->stop == words_is_stop(w->text), "stop mark of %s", w->text);
        meaningful += !w->stop;
        size_t n = strlen(w->text);
        char out[WORD_MAX + 8];
        memset(out, 0x5a, sizeof out);
        size_t m = porter_stem(w->text, n, out);
        FUZZ_CHECK(m <= n, "stem of %s is longer", w->text);
        FUZZ_CHECK(out[m] == '\0', "stem not terminated");
        for (size_t k = n + 1; k < sizeof out; k++)
            FUZZ_CHECK(out[k] == 0x5a, "porter_stem wrote past n + 1 for %s", w->text);
    }
    FUZZ_CHECK(meaningful == a.n_meaningful, "n_meaningful %zu, counted %zu", a.n_meaningful,
               meaningful);
    return 0;
}
