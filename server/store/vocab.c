/* vocab.c: the full-text index's own vocabulary, for reading a search:
 * every stem the index holds (fts5vocab over org_fts) with the number of
 * organisations that carry it, a surface word for stems seen in names,
 * summaries, topic labels and search terms (to say "Showing results for
 * parental controls", not "parent control"), and each topic's stems (to
 * notice a search that names a topic). Built once per index, on the first
 * search that needs it. */
#include "store/store_int.h"
#include "lib/porter.h"
#include "lib/util.h"
#include "lib/words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const vocab_sql[ST_COUNT] = {
    /* both indexes' stems; doc counts organisations and topics alike */
    [ST_VOCAB] = "SELECT term, sum(doc) FROM (SELECT term, doc FROM org_fts_vocab"
                 " UNION ALL SELECT term, doc FROM topic_fts_vocab"
                 " UNION ALL SELECT term, doc FROM audience_fts_vocab) GROUP BY term ORDER BY term",
    [ST_VOCAB_TERMS] = "SELECT term FROM search_term WHERE org_pk IS NOT NULL ORDER BY pk",
    /* the first place a stem is indexed (see vocab_spelling): a topic's
     * text, or an organisation's */
    [ST_VOCAB_WHERE] = "SELECT f.label, f.description, f.terms, f.guidance"
                       " FROM temp.topic_fts_where w JOIN topic_fts f ON f.rowid = w.doc"
                       " WHERE w.term = ?1"
                       " UNION ALL SELECT * FROM (SELECT f.name, f.summary || ' ' || f.description,"
                       " f.extra || ' ' || f.contacts, f.terms"
                       " FROM temp.org_fts_where w JOIN org_fts f ON f.rowid = w.doc"
                       " WHERE w.term = ?1 LIMIT 1) LIMIT 2",
};

/* Index of the first stem >= s. */
static size_t lower_bound(const struct store_vocab *v, const char *s)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v->stem[mid], s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

long vocab_find(const struct store_vocab *v, const char *stem)
{
    size_t i = lower_bound(v, stem);
    return i < v->n && strcmp(v->stem[i], stem) == 0 ? (long)i : -1;
}

void vocab_prefix_range(const struct store_vocab *v, const char *prefix, uint32_t *lo,
                        uint32_t *hi)
{
    char past[WORD_MAX + 4];
    snprintf(past, sizeof past, "%s\x7f", prefix); /* stems hold a-z and 0-9 */
    *lo = (uint32_t)lower_bound(v, prefix);
    *hi = (uint32_t)lower_bound(v, past);
}

bool vocab_has_prefix(const struct store_vocab *v, const char *prefix)
{
    size_t i = lower_bound(v, prefix);
    return i < v->n && strncmp(v->stem[i], prefix, strlen(prefix)) == 0;
}

/* Optimal string alignment distance between a and b (transpositions count
 * one), or max + 1 when it is more than max. */
static size_t distance(const char *a, size_t na, const char *b, size_t nb, size_t max)
{
    if ((na > nb ? na - nb : nb - na) > max)
        return max + 1;
    size_t prev2[WORD_MAX + 2], prev[WORD_MAX + 2], cur[WORD_MAX + 2];
    if (na > WORD_MAX || nb > WORD_MAX)
        return max + 1;
    for (size_t j = 0; j <= nb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = i;
        size_t best = cur[0];
        for (size_t j = 1; j <= nb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t d = prev[j - 1] + cost;
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
            if (d < best)
                best = d;
        }
        if (best > max)
            return max + 1;
        memcpy(prev2, prev, (nb + 1) * sizeof *prev);
        memcpy(prev, cur, (nb + 1) * sizeof *cur);
    }
    return prev[nb];
}

/* The set of letters and digits in s, as bits: an edit changes at most
 * two, so two words whose sets differ in more than 2 * max are more than
 * max edits apart, and need no distance(). */
static uint64_t letters(const char *s)
{
    uint64_t m = 0;
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            m |= 1ULL << (*s - 'a');
        else if (*s >= '0' && *s <= '9')
            m |= 1ULL << (26 + *s - '0');
    return m;
}

long vocab_nearest(const struct store_vocab *v, const char *word, const char *stem,
                   const char **say)
{
    size_t n = strlen(word), ns = strlen(stem);
    if (n < 4)
        return -1;
    size_t max = n >= 8 ? 2 : 1;
    long best = -1;
    size_t best_d = max + 1, best_surf = max + 2;
    const char *best_say = NULL;
    uint64_t m_word = letters(word), m_stem = letters(stem);
    int far = 2 * (int)max;
    for (size_t i = 0; i < v->n; i++) {
        const char *t = v->stem[i];
        size_t nt = strlen(t);
        if (nt < 4)
            continue;
        size_t d = __builtin_popcountll(m_stem ^ v->stem_letters[i]) > far
                       ? max + 1
                       : distance(stem, ns, t, nt, max);
        size_t d_surf = max + 2;
        const char *said = NULL;
        for (int k = 0; k < VOCAB_SURFACES && v->surface[i][k]; k++) {
            const char *sf = v->surface[i][k];
            if (__builtin_popcountll(m_word ^ v->surface_letters[i][k]) > far)
                continue;
            size_t e = distance(word, n, sf, strlen(sf), max);
            if (e < d_surf) {
                d_surf = e;
                said = sf;
            }
        }
        if (v->surface[i][0] && d_surf > max)
            said = v->surface[i][0];
        if (d_surf < d)
            d = d_surf;
        if (d > max)
            continue;
        if (d < best_d || (d == best_d && d_surf < best_surf) ||
            (d == best_d && d_surf == best_surf && v->df[i] > v->df[best])) {
            best = (long)i;
            best_d = d;
            best_surf = d_surf;
            best_say = said;
        }
    }
    if (best >= 0 && say)
        *say = best_say;
    return best;
}

/* Organisations whose names and summaries give surface words. */
#define VOCAB_SURFACE_ORGS 2000

static int cmp_written(const void *a, const void *b)
{
    const struct vocab_written *x = a, *y = b;
    return strcmp(x->word, y->word);
}

/* Remembers word as the surface form of its stem, if the stem is in v and
 * has none yet. */
static void note_surface(struct store_vocab *v, const char *word, size_t n)
{
    if (n < 3 || n > WORD_MAX)
        return;
    char stem[WORD_MAX + 2];
    porter_stem(word, n, stem);
    long i = vocab_find(v, stem);
    if (i < 0)
        return;
    for (int k = 0; k < VOCAB_SURFACES; k++) {
        if (!v->surface[i][k]) {
            v->surface[i][k] = xstrndup(word, n);
            return;
        }
        if (strlen(v->surface[i][k]) == n && memcmp(v->surface[i][k], word, n) == 0)
            return;
    }
}

/* Every word of text, folded as a search reads it, to fn. */
static void each_word(const char *text, void (*fn)(void *, const char *, size_t), void *arg)
{
    if (!text)
        return;
    size_t len = strlen(text);
    for (size_t off = 0; off < len;) {
        struct words ws;
        /* words_read keeps WORDS_MAX words: read long text in slices that
         * end on a space. */
        size_t take = len - off > 200 ? 200 : len - off;
        while (off + take < len && take > 1 && text[off + take] != ' ')
            take--;
        words_read(text + off, take, &ws);
        for (size_t k = 0; k < ws.n; k++)
            fn(arg, ws.w[k].typed, strlen(ws.w[k].typed));
        off += take;
    }
}

static void surface_cb(void *arg, const char *w, size_t n)
{
    note_surface(arg, w, n);
}

struct topic_acc {
    char **stems;
    size_t n, cap;
};

static void topic_cb(void *arg, const char *w, size_t n)
{
    struct topic_acc *a = arg;
    if (n < 3 || n > WORD_MAX || words_is_stop(w))
        return;
    char stem[WORD_MAX + 2];
    porter_stem(w, n, stem);
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->stems[i], stem) == 0)
            return;
    if (a->n + 1 >= a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->stems = xrealloc(a->stems, a->cap * sizeof *a->stems);
    }
    a->stems[a->n++] = xstrdup(stem);
    a->stems[a->n] = NULL;
}

static struct store_vocab *vocab_load(struct store_index *ix)
{
    struct conn *c = conn_get();
    sqlite3_stmt *st = c ? stmt(c, ST_VOCAB, vocab_sql) : NULL;
    if (!st)
        return NULL;
    struct store_vocab *v = xcalloc(1, sizeof *v);
    size_t cap = 1024;
    v->stem = xmalloc(cap * sizeof *v->stem);
    v->df = xmalloc(cap * sizeof *v->df);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (v->n == cap) {
            cap *= 2;
            v->stem = xrealloc(v->stem, cap * sizeof *v->stem);
            v->df = xrealloc(v->df, cap * sizeof *v->df);
        }
        v->stem[v->n] = col_text_or_empty(st, 0);
        v->df[v->n++] = (uint32_t)sqlite3_column_int64(st, 1);
    }
    stmt_done(st);
    if (step != SQLITE_DONE) {
        log_db_error(c->db, "reading the search vocabulary");
        vocab_free(v);
        return NULL;
    }
    /* ORDER BY term compares bytes (BINARY), the order strcmp and so
     * lower_bound expect. */
    v->surface = xcalloc(v->n + 1, sizeof *v->surface);
    /* Surface forms: topic terms and labels first (they are how people
     * speak), then organisation names and summaries. */
    v->topic_stems = xcalloc(ix->n_topics + 1, sizeof *v->topic_stems);
    for (size_t t = 0; t < ix->n_topics; t++) {
        struct topic_acc acc = {0};
        each_word(ix->topics[t].label, topic_cb, &acc);
        for (char **s = ix->topics[t].terms; s && *s; s++)
            each_word(*s, topic_cb, &acc);
        v->topic_stems[t] = acc.stems ? acc.stems : xcalloc(1, sizeof(char *));
        each_word(ix->topics[t].label, surface_cb, v);
        for (char **s = ix->topics[t].terms; s && *s; s++)
            each_word(*s, surface_cb, v);
    }
    v->n_topics = ix->n_topics;
    /* the organisations' own search terms, then their names and summaries */
    st = stmt(c, ST_VOCAB_TERMS, vocab_sql);
    if (!st) {
        vocab_free(v);
        return NULL;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        each_word((const char *)sqlite3_column_text(st, 0), surface_cb, v);
    stmt_done(st);
    if (step != SQLITE_DONE) {
        log_db_error(c->db, "reading the search terms");
        vocab_free(v);
        return NULL;
    }
    /* A bounded sample, so that a large directory's vocabulary still loads
     * in milliseconds after every write; a stem none of these spells is
     * spelt from the index when a correction needs it (vocab_spelling). */
    for (size_t i = 0; i < ix->n_orgs && i < VOCAB_SURFACE_ORGS; i++) {
        each_word(ix->orgs[i].name, surface_cb, v);
        each_word(ix->orgs[i].summary, surface_cb, v);
    }
    for (size_t i = 0; i < v->n; i++)
        for (int k = 0; k < VOCAB_SURFACES && v->surface[i][k]; k++)
            v->n_written++;
    v->written = xmalloc((v->n_written + 1) * sizeof *v->written);
    size_t w = 0;
    for (size_t i = 0; i < v->n; i++)
        for (int k = 0; k < VOCAB_SURFACES && v->surface[i][k]; k++)
            v->written[w++] = (struct vocab_written){v->surface[i][k], (uint32_t)i};
    qsort(v->written, v->n_written, sizeof *v->written, cmp_written);
    v->stem_letters = xmalloc((v->n + 1) * sizeof *v->stem_letters);
    v->surface_letters = xcalloc(v->n + 1, sizeof *v->surface_letters);
    for (size_t i = 0; i < v->n; i++) {
        v->stem_letters[i] = letters(v->stem[i]);
        for (int k = 0; k < VOCAB_SURFACES && v->surface[i][k]; k++)
            v->surface_letters[i][k] = letters(v->surface[i][k]);
    }
    taxon_build(v, ix);
    return v;
}

size_t vocab_written_prefix(const struct store_vocab *v, const char *prefix,
                            const char **out, size_t max)
{
    size_t lo = 0, hi = v->n_written, len = strlen(prefix), n = 0;
    uint32_t stems[8];
    if (max > 8)
        max = 8;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v->written[mid].word, prefix) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < v->n_written && strncmp(v->written[i].word, prefix, len) == 0;
         i++) {
        /* one word per stem, the max commonest stems */
        uint32_t st = v->written[i].stem;
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = stems[k] == st;
        if (seen || strlen(v->written[i].word) == len)
            continue;
        size_t at = n < max ? n++ : max;
        while (at > 0 && v->df[stems[at - 1]] < v->df[st]) {
            if (at < max) {
                stems[at] = stems[at - 1];
                out[at] = out[at - 1];
            }
            at--;
        }
        if (at < max) {
            stems[at] = st;
            out[at] = v->written[i].word;
        }
    }
    return n;
}

/* Makes the calling connection's view of where each stem is indexed (a
 * temporary table: nothing is written to the database). */
bool vocab_where_ready(struct conn *c)
{
    if (sqlite3_exec(c->db,
                     "CREATE VIRTUAL TABLE IF NOT EXISTS temp.org_fts_where"
                     " USING fts5vocab(main, org_fts, instance);"
                     "CREATE VIRTUAL TABLE IF NOT EXISTS temp.topic_fts_where"
                     " USING fts5vocab(main, topic_fts, instance)",
                     NULL, NULL, NULL) != SQLITE_OK) {
        log_db_error(c->db, "making the search vocabulary's instance view");
        return false;
    }
    return true;
}

struct spelling {
    const char *stem;
    char *out;
    bool found;
};

static void spelling_cb(void *arg, const char *w, size_t n)
{
    struct spelling *sp = arg;
    if (sp->found || n > WORD_MAX)
        return;
    char stem[WORD_MAX + 2];
    porter_stem(w, n, stem);
    if (strcmp(stem, sp->stem) == 0) {
        memcpy(sp->out, w, n);
        sp->out[n] = '\0';
        sp->found = true;
    }
}

void vocab_spelling(const struct store_vocab *v, long i, char out[WORD_MAX + 1])
{
    snprintf(out, WORD_MAX + 1, "%s", v->surface[i][0] ? v->surface[i][0] : v->stem[i]);
    if (v->surface[i][0])
        return;
    struct conn *c = conn_get();
    if (!c || !vocab_where_ready(c))
        return;
    sqlite3_stmt *st = stmt(c, ST_VOCAB_WHERE, vocab_sql);
    if (!st)
        return;
    sqlite3_bind_text(st, 1, v->stem[i], -1, SQLITE_STATIC);
    struct spelling sp = {v->stem[i], out, false};
    /* the tokenizer and words_read may split differently: every column of
     * the row, and the next row if that did not say it */
    while (!sp.found && sqlite3_step(st) == SQLITE_ROW)
        for (int k = 0; !sp.found && k < 4; k++)
            each_word((const char *)sqlite3_column_text(st, k), spelling_cb, &sp);
    stmt_done(st);
}

const struct store_vocab *vocab_get(struct store_index *ix)
{
    pthread_mutex_lock(&ix->fts_lock);
    if (!ix->vocab)
        ix->vocab = vocab_load(ix);
    const struct store_vocab *v = ix->vocab;
    pthread_mutex_unlock(&ix->fts_lock);
    return v;
}

const struct fulltext *vocab_fulltext(struct store_index *ix)
{
    pthread_mutex_lock(&ix->fts_lock);
    struct store_vocab *v = ix->vocab;
    const struct fulltext *ft = v && v->ft_ready ? &v->ft : NULL;
    bool build = v && !v->ft_started;
    if (build)
        v->ft_started = true;
    pthread_mutex_unlock(&ix->fts_lock);
    struct conn *c = build ? conn_get() : NULL;
    if (!c)
        return ft;
    struct fulltext fresh;
    fulltext_build(&fresh, v, ix, c);
    pthread_mutex_lock(&ix->fts_lock);
    v->ft = fresh;
    v->ft_ready = fresh.ready;
    ft = v->ft_ready ? &v->ft : NULL;
    pthread_mutex_unlock(&ix->fts_lock);
    return ft;
}

void vocab_free(struct store_vocab *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        free(v->stem[i]);
        for (int k = 0; v->surface && k < VOCAB_SURFACES; k++)
            free(v->surface[i][k]);
    }
    for (size_t t = 0; v->topic_stems && t < v->n_topics; t++) {
        for (char **s = v->topic_stems[t]; *s; s++)
            free(*s);
        free(v->topic_stems[t]);
    }
    free(v->topic_stems);
    taxon_free(v);
    fulltext_free(&v->ft);
    free(v->stem_letters);
    free(v->surface_letters);
    free(v->written);
    free(v->stem);
    free(v->df);
    free(v->surface);
    free(v);
}
