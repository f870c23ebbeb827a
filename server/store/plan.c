/* plan.c: reading a search the way people type it, against the index's own
 * vocabulary. Each meaningful word becomes one concept, an FTS5 expression
 * of its variants joined by OR:
 *   - the word as a prefix ("bull"* finds bully, bullied, bullying: FTS5
 *     stems it as it stems the text), whole only below three letters;
 *   - the word joined with its neighbour when the index knows the join
 *     ("cyber bullying" finds cyberbullying, "child line" Childline);
 *   - the word split in two when the index knows it only apart;
 *   - a word people write that it begins, when it runs past its stem
 *     ("groomin" is the start of "grooming", indexed as "groom");
 *   - when none of those is in the index, the nearest stem of the
 *     vocabulary (one edit for 4-7 letters, two from 8), said back to the
 *     person as a correction.
 * A word none of these finds is dropped: one unknown word never empties
 * the answer. search.c ranks by how many concepts an organisation matches,
 * then by bm25(). */
#include "store/store_int.h"
#include "lib/buf.h"
#include "lib/porter.h"
#include "lib/util.h"

#include <stdio.h>
#include <string.h>

/* Appends a variant to a concept: "text" (with * when prefix). Text holds
 * only a-z, 0-9 and spaces, so it needs no quoting. */
static void add_variant(char *concept, const char *text, bool prefix)
{
    size_t len = strlen(concept);
    if (strstr(concept, text)) {
        /* the same variant twice adds nothing */
        char probe[PLAN_EXPR_MAX];
        snprintf(probe, sizeof probe, "\"%s\"%s", text, prefix ? "*" : "");
        if (strstr(concept, probe))
            return;
    }
    snprintf(concept + len, PLAN_EXPR_MAX - len, "%s\"%s\"%s", len ? " OR " : "", text,
             prefix ? "*" : "");
}

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* True when the index knows word: as a prefix of a stem (three letters or
 * more) or whole. */
static bool known(const struct store_vocab *v, const char *word)
{
    char stem[WORD_MAX + 2];
    size_t n = strlen(word);
    porter_stem(word, n, stem);
    return n >= 3 ? vocab_has_prefix(v, stem) : vocab_find(v, stem) >= 0;
}

/* Words too common in the topics' own labels to say which topic is meant. */
static bool generic(const char *stem)
{
    static const char *const list[] = {"online", "internet", "abus", "child", "safe",
                                       "safeti", "help", "support", "advic", "worri",
                                       "young", "peopl", "parent", "teenag", "son",
                                       "daughter", "report", "setting", NULL};
    for (int i = 0; list[i]; i++)
        if (strcmp(stem, list[i]) == 0)
            return true;
    return false;
}

/* The topics the search names by label or search term: the two that match
 * most of its words, sub-topics before their parents on a tie. */
static void find_meant(const struct store_index *ix, const struct store_vocab *v,
                       char stems[][WORD_MAX + 2], size_t n, struct plan *p)
{
    int best[STORE_MEANT_MAX];
    size_t score[STORE_MEANT_MAX] = {0};
    for (size_t t = 0; t < v->n_topics && t < ix->n_topics; t++) {
        size_t s = 0;
        for (size_t k = 0; k < n; k++) {
            size_t len = strlen(stems[k]);
            if (len < 3 || generic(stems[k]))
                continue;
            for (char **ts = v->topic_stems[t]; *ts; ts++)
                if (strncmp(*ts, stems[k], len) == 0) {
                    s++;
                    break;
                }
        }
        if (!s)
            continue;
        /* insert, keeping the best first; a sub-topic wins a tie */
        for (size_t slot = 0; slot < STORE_MEANT_MAX; slot++) {
            bool better = slot >= p->n_meant || s > score[slot] ||
                          (s == score[slot] && ix->topics[t].parent >= 0 &&
                           ix->topics[best[slot]].parent < 0);
            if (!better)
                continue;
            for (size_t m = STORE_MEANT_MAX - 1; m > slot; m--) {
                best[m] = best[m - 1];
                score[m] = score[m - 1];
            }
            best[slot] = (int)t;
            score[slot] = s;
            if (p->n_meant < STORE_MEANT_MAX)
                p->n_meant++;
            break;
        }
    }
    for (size_t i = 0; i < p->n_meant; i++)
        p->meant[i] = best[i];
}

int plan_build(struct store_index *ix, const char *q, bool exact, struct plan *p)
{
    memset(p, 0, sizeof *p);
    struct words ws;
    words_read(q, strlen(q), &ws);
    p->urgent = ws.urgent;
    p->first_person = ws.first_person;
    p->meaningful = ws.n_meaningful > 0;
    if (!p->meaningful)
        return 0;
    const struct store_vocab *v = vocab_get(ix);
    if (!v)
        return -1;
    char concepts[WORDS_MAX][PLAN_EXPR_MAX] = {{0}};
    char fixed[WORDS_MAX][WORD_MAX + 1] = {{0}};
    char stems[WORDS_MAX * 2][WORD_MAX + 2];
    char joins[WORDS_MAX][2 * WORD_MAX + 2] = {{0}};   /* word i joined with i + 1 */
    size_t n_stems = 0;
    bool corrected = false;
    for (size_t i = 0; i < ws.n; i++) {
        const struct word *w = &ws.w[i];
        if (w->stop)
            continue;
        char *c = concepts[i];
        size_t len = strlen(w->text);
        porter_stem(w->text, len, stems[n_stems++]);
        if (known(v, w->text))
            add_variant(c, w->text, len >= 3 && !all_digits(w->text));
        /* joined with a neighbour, stop word or not ("on line") */
        for (int side = -1; side <= 1; side += 2) {
            if ((side < 0 && i == 0) || (side > 0 && i + 1 >= ws.n))
                continue;
            const char *a = side < 0 ? ws.w[i - 1].text : w->text;
            const char *b = side < 0 ? w->text : ws.w[i + 1].text;
            char joined[2 * WORD_MAX + 2];
            snprintf(joined, sizeof joined, "%s%s", a, b);
            if (strlen(joined) <= WORD_MAX && strlen(a) >= 2 && strlen(b) >= 2 &&
                known(v, joined)) {
                add_variant(c, joined, true);
                memcpy(joins[side < 0 ? i - 1 : i], joined, sizeof joined);
            }
        }
        if (c[0])
            continue;
        /* split in two, each half known ("onlinesafety") */
        for (size_t k = 3; k + 4 <= len && !c[0]; k++) {
            char a[WORD_MAX + 1], stem_a[WORD_MAX + 2];
            memcpy(a, w->text, k);
            a[k] = '\0';
            porter_stem(a, k, stem_a);
            char stem_b[WORD_MAX + 2];
            porter_stem(w->text + k, len - k, stem_b);
            if (vocab_find(v, stem_a) >= 0 && vocab_find(v, stem_b) >= 0) {
                char both[WORD_MAX + 2];
                snprintf(both, sizeof both, "%s %s", a, w->text + k);
                add_variant(c, both, true);
            }
        }
        /* a prefix that runs past its stem: "groomin" is the start of
         * "grooming", whose stem is "groom" */
        if (len >= 4 && !all_digits(w->text)) {
            const char *longer[4];
            size_t nl = vocab_written_prefix(v, w->text, longer, 4);
            for (size_t k = 0; k < nl; k++)
                add_variant(c, longer[k], true);
        }
        if (c[0] || all_digits(w->text) || exact)
            continue;
        /* the nearest word the index knows */
        const char *say = NULL;
        long near = vocab_nearest(v, w->text, stems[n_stems - 1], &say);
        if (near < 0)
            continue;
        if (say)
            snprintf(fixed[i], sizeof fixed[i], "%s", say);
        else
            vocab_spelling(v, near, fixed[i]);
        add_variant(c, fixed[i], true);
        snprintf(stems[n_stems - 1], sizeof stems[0], "%s", v->stem[near]);
        corrected = true;
    }
    for (size_t i = 0; i < ws.n; i++)
        if (concepts[i][0])
            memcpy(p->concept[p->n++], concepts[i], PLAN_EXPR_MAX);
    /* Two words the index knows as one ("child line") are also a concept
     * of their own: what carries the compound matches one more. */
    for (size_t i = 0; i + 1 < ws.n && p->n < WORDS_MAX; i++)
        if (joins[i][0]) {
            p->concept[p->n][0] = '\0';
            add_variant(p->concept[p->n++], joins[i], true);
        }
    if (corrected) {
        struct buf b = BUF_INIT;
        for (size_t i = 0; i < ws.n; i++)
            buf_printf(&b, "%s%s", i ? " " : "", fixed[i][0] ? fixed[i] : ws.w[i].typed);
        p->corrected = buf_detach(&b, NULL);
    }
    find_meant(ix, v, stems, n_stems, p);
    return 0;
}

void plan_reset(struct plan *p)
{
    free(p->corrected);
    p->corrected = NULL;
}
