/* fulltext.c: the organisations' own text in memory, for search. org_fts's
 * postings (every stem's rows, with its frequency there weighted by
 * column, and its count in the name alone) are read once per index from
 * FTS5's own instance table, so the tokens are exactly FTS5's; a concept
 * of one-word phrases (nearly all: a word, its prefix, joins, corrections)
 * is then matched and scored without a query. Through SQLite, each
 * matching row costs a step, a document-size lookup and its position
 * lists, about half a microsecond; a word in 2,000 of 100,000
 * organisations cost a millisecond. Here it is a pass over an array.
 *
 * The score is FTS5's bm25() as fts5_aux.c computes it: per phrase, its
 * instances' column weights summed (aFreq), an IDF of log((N - hits + 0.5)
 * / (hits + 0.5)) (at least 1e-6) over every row of the table, and
 * k1 1.2, b 0.75 over the row's tokens against the average, phrases summed
 * in their order. tests/unit/test_plan.c checks it equal to SQLite's. */
#include "store/store_int.h"
#include "lib/util.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static const char *const col_names[SEARCH_ORG_COLS] = {"name",  "summary",  "description",
                                                      "extra", "contacts", "terms"};

/* An SQLite varint (as FTS5 writes a row's column sizes) at *p, within end. */
static uint64_t varint(const unsigned char **p, const unsigned char *end)
{
    uint64_t v = 0;
    for (int i = 0; i < 9 && *p < end; i++) {
        unsigned char c = *(*p)++;
        if (i == 8)
            return (v << 8) | c;
        v = (v << 7) | (c & 0x7F);
        if (!(c & 0x80))
            break;
    }
    return v;
}

/* The rows: rowids, organisations, lengths (org_fts_docsize). */
static bool load_rows(struct fulltext *ft, const struct store_index *ix, struct conn *c)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db, "SELECT id, sz FROM org_fts_docsize ORDER BY id", -1, &st,
                           NULL) != SQLITE_OK)
        return false;
    size_t cap = 64;
    ft->row_pk = xmalloc(cap * sizeof *ft->row_pk);
    ft->dl = xmalloc(cap * sizeof *ft->dl);
    uint64_t total = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (ft->n_rows == cap) {
            cap *= 2;
            ft->row_pk = xrealloc(ft->row_pk, cap * sizeof *ft->row_pk);
            ft->dl = xrealloc(ft->dl, cap * sizeof *ft->dl);
        }
        const unsigned char *b = sqlite3_column_blob(st, 1);
        const unsigned char *end = b + sqlite3_column_bytes(st, 1);
        uint64_t dl = 0;
        while (b && b < end)
            dl += varint(&b, end);
        ft->row_pk[ft->n_rows] = sqlite3_column_int64(st, 0);
        ft->dl[ft->n_rows++] = (uint32_t)dl;
        total += dl;
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return false;
    ft->avgdl = ft->n_rows ? (double)total / (double)ft->n_rows : 1.0;
    ft->row_org = xmalloc((ft->n_rows + 1) * sizeof *ft->row_org);
    for (size_t r = 0; r < ft->n_rows; r++) {
        long o = org_by_pk(ix, ft->row_pk[r]);
        ft->row_org[r] = o >= 0 ? (int32_t)o : -1;
    }
    return true;
}

/* The row of rowid pk, or -1. */
static long row_of(const struct fulltext *ft, int64_t pk, const int32_t *dense, int64_t dense_max)
{
    if (dense)
        return pk >= 0 && pk <= dense_max ? dense[pk] : -1;
    size_t lo = 0, hi = ft->n_rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ft->row_pk[mid] < pk)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ft->n_rows && ft->row_pk[lo] == pk ? (long)lo : -1;
}

/* The column of a name fts5vocab gives (its own static strings, so the
 * pointer is remembered), or -1. */
static int col_of(const char *name, const char **seen)
{
    for (int k = 0; k < SEARCH_ORG_COLS; k++)
        if (seen[k] == name)
            return k;
    for (int k = 0; name && k < SEARCH_ORG_COLS; k++)
        if (strcmp(name, col_names[k]) == 0) {
            seen[k] = name;
            return k;
        }
    return -1;
}

/* Every instance, in term, row, column, offset order: a posting per term
 * and row, and one per term and row whose name has it. The instance table
 * names each row's term, a copy per row that would cost most of the read;
 * org_fts_vocab says how many instances each term has, in the same order,
 * so the terms are counted off instead (in one read transaction with it). */
static bool load_postings(const struct store_vocab *v, struct fulltext *ft, struct conn *c)
{
    sqlite3_stmt *terms = NULL, *st = NULL;
    if (sqlite3_prepare_v2(c->db, "SELECT term, doc, cnt FROM org_fts_vocab", -1, &terms,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, "SELECT doc, col FROM temp.org_fts_where", -1, &st, NULL) !=
            SQLITE_OK) {
        sqlite3_finalize(terms);
        return false;
    }
    /* per stem of the vocabulary: instances in org_fts */
    uint64_t *count = xcalloc(v->n + 1, sizeof *count);
    size_t pairs = 0, at = 0;
    bool ok = true;
    int step;
    while ((step = sqlite3_step(terms)) == SQLITE_ROW) {
        const char *term = (const char *)sqlite3_column_text(terms, 0);
        while (term && at < v->n && strcmp(v->stem[at], term) < 0)
            at++;
        if (!term || at == v->n || strcmp(v->stem[at], term) != 0) {
            ok = false; /* the vocabulary reads org_fts_vocab: cannot be */
            break;
        }
        count[at] = (uint64_t)sqlite3_column_int64(terms, 2);
        pairs += (size_t)sqlite3_column_int64(terms, 1);
    }
    sqlite3_finalize(terms);
    if (step != SQLITE_DONE || pairs > UINT32_MAX)
        ok = false;
    int32_t *dense = NULL;
    int64_t dense_max = ft->n_rows ? ft->row_pk[ft->n_rows - 1] : 0;
    if (ok && dense_max >= 0 && (uint64_t)dense_max <= 16 * (uint64_t)ft->n_rows + 4096) {
        dense = xmalloc(((size_t)dense_max + 1) * sizeof *dense);
        memset(dense, 0xFF, ((size_t)dense_max + 1) * sizeof *dense);
        for (size_t r = 0; r < ft->n_rows; r++)
            if (ft->row_pk[r] >= 0)
                dense[ft->row_pk[r]] = (int32_t)r;
    }
    ft->start = xcalloc(v->n + 2, sizeof *ft->start);
    ft->name_start = xcalloc(v->n + 2, sizeof *ft->name_start);
    ft->row = xmalloc((pairs + 1) * sizeof *ft->row);
    ft->wf = xmalloc((pairs + 1) * sizeof *ft->wf);
    size_t n = 0, n_name = 0, cap_name = 0;
    const char *seen[SEARCH_ORG_COLS] = {0};
    long row = -1;
    float wf = 0;
    uint32_t ntf = 0;
    uint64_t left = 0; /* instances of stem `at` still to read */
    at = 0;
    /* closes the (stem, row) pair being read */
#define CLOSE()                                                                    \
    do {                                                                           \
        if (row >= 0) {                                                            \
            if (n == pairs) {                                                      \
                ok = false;                                                        \
                break;                                                             \
            }                                                                      \
            ft->row[n] = (uint32_t)row;                                            \
            ft->wf[n++] = wf;                                                      \
            if (ntf) {                                                             \
                if (n_name == cap_name) {                                          \
                    cap_name = cap_name ? 2 * cap_name : 1024;                     \
                    ft->name_row = xrealloc(ft->name_row, cap_name * sizeof *ft->name_row); \
                    ft->name_tf = xrealloc(ft->name_tf, cap_name * sizeof *ft->name_tf);    \
                }                                                                  \
                ft->name_row[n_name] = (uint32_t)row;                              \
                ft->name_tf[n_name++] = ntf > UINT16_MAX ? UINT16_MAX : (uint16_t)ntf; \
            }                                                                      \
        }                                                                          \
        row = -1;                                                                  \
        wf = 0;                                                                    \
        ntf = 0;                                                                   \
    } while (0)
    while (ok && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!left) {
            CLOSE();
            while (at < v->n && !count[at]) {
                ft->start[at + 1] = (uint32_t)n;
                ft->name_start[at + 1] = (uint32_t)n_name;
                at++;
            }
            if (at == v->n) {
                ok = false; /* more instances than the terms said */
                break;
            }
            left = count[at];
        }
        long r = row_of(ft, sqlite3_column_int64(st, 0), dense, dense_max);
        int col = col_of((const char *)sqlite3_column_text(st, 1), seen);
        if (r < 0 || col < 0) {
            ok = false;
            break;
        }
        if (r != row) {
            CLOSE();
            row = r;
        }
        wf += (float)search_org_weights[col];
        ntf += col == 0;
        if (--left == 0) {
            CLOSE();
            ft->start[at + 1] = (uint32_t)n;
            ft->name_start[at + 1] = (uint32_t)n_name;
            at++;
        }
    }
#undef CLOSE
    sqlite3_finalize(st);
    free(dense);
    if (ok && (step != SQLITE_DONE || left || n != pairs))
        ok = false;
    for (; at < v->n; at++) {
        if (count[at])
            ok = false; /* fewer instances than the terms said */
        ft->start[at + 1] = (uint32_t)n;
        ft->name_start[at + 1] = (uint32_t)n_name;
    }
    free(count);
    return ok;
}

void fulltext_build(struct fulltext *ft, const struct store_vocab *v, const struct store_index *ix,
                    struct conn *c)
{
    memset(ft, 0, sizeof *ft);
    /* one read transaction: the rows, the terms and the instances agree */
    bool ok = vocab_where_ready(c) &&
              sqlite3_exec(c->db, "SAVEPOINT fulltext", NULL, NULL, NULL) == SQLITE_OK;
    if (ok) {
        ok = load_rows(ft, ix, c) && load_postings(v, ft, c);
        sqlite3_exec(c->db, "RELEASE fulltext", NULL, NULL, NULL);
    }
    if (!ok) {
        log_db_error(c->db, "reading the organisations' postings (searching through SQLite)");
        fulltext_free(ft);
        return;
    }
    ft->ready = true;
}

void fulltext_free(struct fulltext *ft)
{
    free(ft->row_pk);
    free(ft->row_org);
    free(ft->dl);
    free(ft->start);
    free(ft->row);
    free(ft->wf);
    free(ft->name_start);
    free(ft->name_row);
    free(ft->name_tf);
    memset(ft, 0, sizeof *ft);
}

/* ---- matching -------------------------------------------------------------- */

/* A thread's working memory over rows, kept between searches: acc and sc
 * are zero and seen empty outside a call. */
struct ft_scratch {
    size_t cap;
    float *acc;        /* a phrase's frequency per row */
    double *sc;        /* the sum of the phrases' scores per row */
    uint32_t *touched; /* the rows a phrase reached */
    uint64_t *seen;    /* the rows the concept matches */
};

static pthread_key_t ft_key;
static pthread_once_t ft_once = PTHREAD_ONCE_INIT;

static void ft_scratch_free(void *p)
{
    struct ft_scratch *s = p;
    if (!s)
        return;
    free(s->acc);
    free(s->sc);
    free(s->touched);
    free(s->seen);
    free(s);
}

static void ft_init(void)
{
    pthread_key_create(&ft_key, ft_scratch_free);
}

static struct ft_scratch *ft_scratch_get(size_t rows)
{
    pthread_once(&ft_once, ft_init);
    struct ft_scratch *s = pthread_getspecific(ft_key);
    if (s && s->cap >= rows)
        return s;
    ft_scratch_free(s);
    s = xcalloc(1, sizeof *s);
    s->cap = rows + rows / 8 + 64;
    s->acc = xcalloc(s->cap, sizeof *s->acc);
    s->sc = xcalloc(s->cap, sizeof *s->sc);
    s->touched = xcalloc(s->cap, sizeof *s->touched);
    s->seen = xcalloc(s->cap / 64 + 1, sizeof *s->seen);
    pthread_setspecific(ft_key, s);
    return s;
}

/* Adds phrase ph's bm25() term to s->sc of every row it is in, from the
 * postings (start, rows) with frequencies wf, or weight times counts tf. */
static void add_phrase(const struct fulltext *ft, const struct phrase *ph, const uint32_t *start,
                       const uint32_t *rows, const float *wf, const uint16_t *tf, double weight,
                       struct ft_scratch *s)
{
    if (ph->lo[0] == TAXON_NONE)
        return;
    size_t nt = 0;
    for (uint32_t stem = ph->lo[0]; stem < ph->hi[0]; stem++)
        for (uint32_t j = start[stem]; j < start[stem + 1]; j++) {
            uint32_t r = rows[j];
            if (s->acc[r] == 0)
                s->touched[nt++] = r;
            s->acc[r] += wf ? wf[j] : (float)(weight * tf[j]);
        }
    double idf = log(((double)ft->n_rows - (double)nt + 0.5) / ((double)nt + 0.5));
    if (idf <= 0.0)
        idf = 1e-6;
    for (size_t i = 0; i < nt; i++) {
        uint32_t r = s->touched[i];
        double f = s->acc[r];
        s->acc[r] = 0;
        s->sc[r] += idf * ((f * (1.2 + 1.0)) /
                           (f + 1.2 * (1 - 0.75 + 0.75 * (double)ft->dl[r] / ft->avgdl)));
    }
}

#define FULLTEXT_PHRASES 32

int fulltext_match(const struct fulltext *ft, const struct store_vocab *v,
                   const struct store_index *ix, const char *concept, size_t bm25_max,
                   struct scored **out, size_t *n)
{
    if (!ft || !ft->ready)
        return 1;
    struct phrase ph[FULLTEXT_PHRASES + 1];
    size_t n_ph = 0;
    const char *p = concept;
    while (n_ph <= FULLTEXT_PHRASES && concept_phrase(v, &p, &ph[n_ph])) {
        if (ph[n_ph].n != 1)
            return 1;
        n_ph++;
    }
    while (*p == ' ')
        p++;
    if (n_ph > FULLTEXT_PHRASES || *p)
        return 1; /* not only phrases: FTS5 reads it */
    struct ft_scratch *s = ft_scratch_get(ft->n_rows);
    /* the rows matching: any phrase's */
    size_t n_match = 0, n_public = 0;
    for (size_t k = 0; k < n_ph; k++) {
        if (ph[k].lo[0] == TAXON_NONE)
            continue;
        for (uint32_t j = ft->start[ph[k].lo[0]]; j < ft->start[ph[k].hi[0]]; j++) {
            uint32_t r = ft->row[j];
            uint64_t bit = 1ULL << (r % 64);
            if (!(s->seen[r / 64] & bit)) {
                s->seen[r / 64] |= bit;
                n_match++;
                n_public += ft->row_org[r] >= 0;
            }
        }
    }
    bool full = n_match <= bm25_max;
    double flat = 0;
    for (size_t k = 0; k < n_ph; k++) {
        if (full)
            add_phrase(ft, &ph[k], ft->start, ft->row, ft->wf, NULL, 0, s);
        else
            add_phrase(ft, &ph[k], ft->name_start, ft->name_row, NULL, ft->name_tf,
                       search_org_weights[0], s);
    }
    if (!full) {
        double docs = (double)ix->n_orgs, hits = (double)n_public;
        flat = -log((docs - hits + 0.5) / (hits + 0.5) + 1.0);
    }
    struct scored *list = xmalloc((n_public + 1) * sizeof *list);
    size_t count = 0;
    for (size_t w = 0; w <= ft->n_rows / 64 && n_match; w++) {
        uint64_t b = s->seen[w];
        s->seen[w] = 0;
        while (b) {
            size_t r = w * 64 + (size_t)__builtin_ctzll(b);
            b &= b - 1;
            double sc = s->sc[r];
            s->sc[r] = 0;
            int32_t o = ft->row_org[r];
            if (o < 0)
                continue;
            double score = full ? -sc : flat;
            if (!full && sc > 0)
                score += -sc;
            list[count++] = (struct scored){(uint32_t)o, score, ft->row_pk[r]};
        }
    }
    *out = list;
    *n = count;
    return 0;
}
