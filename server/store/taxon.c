/* taxon.c: the taxonomy's text in memory, for search. Every topic (label,
 * description, search terms, guidance) and audience (label, description)
 * is held as the stems FTS5's porter tokenizer makes of it (topic_fts and
 * audience_fts hold the same, and feed the vocabulary), so that a concept
 * is matched and scored against the taxonomy without a query: the
 * taxonomy is a few dozen rows, and at that size an FTS5 query costs its
 * set-up, tens of microseconds, several times per word of every search.
 * The score is FTS5's bm25(), computed as fts5_aux.c does (k1 1.2, b 0.75,
 * an IDF of at least 1e-6, column weights from search.c), so the answers
 * are those the tables would give. */
#include "store/store_int.h"
#include "lib/porter.h"
#include "lib/util.h"
#include "lib/words.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Appends the stems of text, as unicode61 (remove_diacritics 2) and porter
 * would make them, to col: ASCII letters and digits and Latin letters with
 * diacritics make tokens, anything else ends one. A stem missing from the
 * vocabulary (it cannot be: the vocabulary reads the same text) is kept as
 * TAXON_NONE, so that positions and lengths stay right. */
static void tokenize(const struct store_vocab *v, const char *text, struct taxon_col *col)
{
    if (!text)
        return;
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text), i = 0, n = 0;
    char cur[PORTER_MAX + 1], stem[PORTER_MAX + 2];
    for (;;) {
        unsigned cp = 0;
        size_t step = i < len ? words_utf8_next(s + i, len - i, &cp) : 0;
        char c = step ? words_fold_char(cp) : '\0';
        if (c) {
            if (n < PORTER_MAX)
                cur[n] = c;
            n++;
            i += step;
            continue;
        }
        if (n) {
            uint32_t id = TAXON_NONE;
            if (n <= PORTER_MAX) {
                porter_stem(cur, n, stem);
                long at = vocab_find(v, stem);
                if (at >= 0)
                    id = (uint32_t)at;
            }
            if (col->n == col->cap) {
                col->cap = col->cap ? col->cap * 2 : 32;
                col->tok = xrealloc(col->tok, col->cap * sizeof *col->tok);
            }
            col->tok[col->n++] = id;
            n = 0;
        }
        if (!step)
            break;
        i += step;
    }
}

static int by_stem(const void *a, const void *b)
{
    const struct taxon_post *x = a, *y = b;
    if (x->stem != y->stem)
        return x->stem < y->stem ? -1 : 1;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void taxon_build(struct store_vocab *v, const struct store_index *ix)
{
    v->taxon[0].n = ix->n_topics;
    v->taxon[0].n_cols = 4;
    v->taxon[0].doc = xcalloc(ix->n_topics + 1, sizeof *v->taxon[0].doc);
    for (size_t t = 0; t < ix->n_topics; t++) {
        const struct store_term *tp = &ix->topics[t];
        struct taxon_doc *d = &v->taxon[0].doc[t];
        tokenize(v, tp->label, &d->col[0]);
        tokenize(v, tp->description, &d->col[1]);
        for (char **s = tp->terms; s && *s; s++)
            tokenize(v, *s, &d->col[2]);
        tokenize(v, tp->guidance_md, &d->col[3]);
    }
    v->taxon[1].n = ix->n_audiences;
    v->taxon[1].n_cols = 2;
    v->taxon[1].doc = xcalloc(ix->n_audiences + 1, sizeof *v->taxon[1].doc);
    for (size_t a = 0; a < ix->n_audiences; a++) {
        tokenize(v, ix->audiences[a].label, &v->taxon[1].doc[a].col[0]);
        tokenize(v, ix->audiences[a].description, &v->taxon[1].doc[a].col[1]);
    }
    for (int k = 0; k < 2; k++) {
        struct taxon_set *set = &v->taxon[k];
        size_t total = 0;
        for (size_t i = 0; i < set->n; i++)
            for (int c = 0; c < set->n_cols; c++)
                total += set->doc[i].col[c].n;
        set->avgdl = set->n ? (double)total / (double)set->n : 1.0;
        /* every token's place, by stem: a phrase's first token is looked up,
         * not searched for */
        set->post = xmalloc((total + 1) * sizeof *set->post);
        set->n_post = 0;
        for (size_t i = 0; i < set->n; i++)
            for (int c = 0; c < set->n_cols; c++)
                for (size_t p = 0; p < set->doc[i].col[c].n; p++)
                    if (set->doc[i].col[c].tok[p] != TAXON_NONE)
                        set->post[set->n_post++] = (struct taxon_post){
                            set->doc[i].col[c].tok[p], (uint32_t)i, (uint32_t)c, (uint32_t)p};
        qsort(set->post, set->n_post, sizeof *set->post, by_stem);
    }
}

void taxon_free(struct store_vocab *v)
{
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; v->taxon[k].doc && i < v->taxon[k].n; i++)
            for (int c = 0; c < TAXON_COLS; c++)
                free(v->taxon[k].doc[i].col[c].tok);
        free(v->taxon[k].doc);
        free(v->taxon[k].post);
    }
}

bool concept_phrase(const struct store_vocab *v, const char **p, struct phrase *ph)
{
    const char *s = *p;
    while (*s == ' ' || *s == 'O' || *s == 'R')
        s++;
    if (*s != '"')
        return false;
    const char *end = strchr(++s, '"');
    if (!end)
        return false;
    bool prefix = end[1] == '*';
    ph->n = 0;
    while (s < end && ph->n < WORDS_MAX) {
        while (s < end && *s == ' ')
            s++;
        const char *w = s;
        while (s < end && *s != ' ')
            s++;
        size_t n = (size_t)(s - w);
        if (!n)
            break;
        char stem[PORTER_MAX + 2], word[PORTER_MAX + 1];
        if (n > PORTER_MAX)
            n = PORTER_MAX;
        memcpy(word, w, n);
        word[n] = '\0';
        porter_stem(word, n, stem);
        bool last = s >= end;
        if (prefix && last) {
            vocab_prefix_range(v, stem, &ph->lo[ph->n], &ph->hi[ph->n]);
        } else {
            long at = vocab_find(v, stem);
            ph->lo[ph->n] = at >= 0 ? (uint32_t)at : TAXON_NONE;
            ph->hi[ph->n] = at >= 0 ? (uint32_t)at + 1 : TAXON_NONE;
        }
        ph->n++;
    }
    *p = end + 1 + prefix;
    return ph->n > 0;
}

/* True when the rest of ph (after its first token) follows position pos
 * of col. */
static bool rest_follows(const struct phrase *ph, const struct taxon_col *col, size_t pos)
{
    if (pos + ph->n > col->n)
        return false;
    for (size_t k = 1; k < ph->n; k++) {
        uint32_t t = col->tok[pos + k];
        if (t == TAXON_NONE || t < ph->lo[k] || t >= ph->hi[k])
            return false;
    }
    return true;
}

/* The first posting of set whose stem is >= stem. */
static size_t first_post(const struct taxon_set *set, uint32_t stem)
{
    size_t lo = 0, hi = set->n_post;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->post[mid].stem < stem)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

#define TAXON_PHRASES 32

void taxon_match(const struct store_vocab *v, int which, const double *weight,
                 int main_cols, const char *concept, struct term_hits *h)
{
    const struct taxon_set *set = &v->taxon[which];
    h->n = 0;
    struct phrase ph[TAXON_PHRASES];
    size_t n_ph = 0;
    for (const char *p = concept; n_ph < TAXON_PHRASES && concept_phrase(v, &p, &ph[n_ph]);)
        n_ph++;
    if (!n_ph || !set->n)
        return;
    /* per document and phrase: the weighted instance count, and whether a
     * column that counts in full has one */
    size_t n_docs = set->n;
    double *freq = xcalloc(n_docs * n_ph + 1, sizeof *freq);
    bool *in_main = xcalloc(n_docs + 1, sizeof *in_main);
    size_t *dl = xcalloc(n_docs + 1, sizeof *dl);
    size_t *hits = xcalloc(n_ph + 1, sizeof *hits);
    for (size_t k = 0; k < n_ph; k++) {
        if (ph[k].lo[0] == TAXON_NONE || ph[k].lo[0] >= ph[k].hi[0])
            continue;
        for (size_t i = first_post(set, ph[k].lo[0]);
             i < set->n_post && set->post[i].stem < ph[k].hi[0]; i++) {
            const struct taxon_post *po = &set->post[i];
            if (!rest_follows(&ph[k], &set->doc[po->doc].col[po->col], po->pos))
                continue;
            freq[po->doc * n_ph + k] += weight[po->col];
            if ((int)po->col < main_cols)
                in_main[po->doc] = true;
        }
    }
    /* the documents each phrase is in, for its IDF */
    for (size_t k = 0; k < n_ph; k++) {
        for (size_t d = 0; d < n_docs; d++)
            hits[k] += freq[d * n_ph + k] > 0;
    }
    for (size_t d = 0; d < n_docs; d++) {
        const struct taxon_doc *doc = &set->doc[d];
        for (int c = 0; c < set->n_cols; c++)
            dl[d] += doc->col[c].n;
    }
    for (size_t d = 0; d < n_docs && h->n < TERM_HITS_MAX; d++) {
        double score = 0;
        bool any = false;
        for (size_t k = 0; k < n_ph; k++) {
            double f = freq[d * n_ph + k];
            if (f <= 0)
                continue;
            any = true;
            double idf = log((0.5 + (double)n_docs - (double)hits[k]) / (0.5 + (double)hits[k]));
            if (idf <= 0.0)
                idf = 1e-6;
            score += idf * ((f * (1.2 + 1.0)) /
                            (f + 1.2 * (1 - 0.75 + 0.75 * (double)dl[d] / set->avgdl)));
        }
        if (!any)
            continue;
        h->idx[h->n] = (int)d;
        h->score[h->n] = -score;
        h->main[h->n++] = in_main[d];
    }
    free(freq);
    free(in_main);
    free(dl);
    free(hits);
}
