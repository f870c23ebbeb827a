/* search.c: store_search over an index. Matching, filtering and facet
 * counts are bitset work in memory, a 64-bit word of organisations at a
 * time; full text costs one FTS5 query per phrase, and each index
 * remembers phrases and whole answers within a byte budget, so paging and
 * repeated searches cost no SQL. */
#include "store/store_int.h"
#include "lib/buf.h"
#include "lib/util.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How much of their bm25() the organisations serving professionals only
 * (STORE_PROFESSIONALS_ONLY) keep among equal matches. */
#define PROFESSIONALS_ONLY_WEIGHT 0.6

/* A word found only in a topic's guidance (not its label, description or
 * search terms) counts for a quarter of a word: concepts matched are
 * counted in quarters, COVER_FULL for a word, COVER_PART for one in
 * guidance only. */
#define COVER_FULL 4
#define COVER_PART 1

static const char *const search_sql[ST_COUNT] = {
    /* The ranking weights, in one place. An organisation's own text, by
     * column of org_fts (007):
     *   name 10, summary 4, description 1, extra (resources) 2, contacts
     *   (labels and kinds) 2, terms (its own search terms) 3;
     * each of its topics' (own tags), by column of topic_fts, which counts
     * for every organisation filed under the topic:
     *   label 2, description 2, terms 1.5, guidance 0.25;
     * and each of its audiences', by column of audience_fts:
     *   label 1, description 1.
     * bm25() is smaller for better matches. One concept at a time: a
     * search's score is the sum of its concepts' scores (own text plus the
     * best of its topics), so each is scored once, remembered, and combined
     * in C. */
    [ST_FTS] = "SELECT rowid, bm25(org_fts, 10.0, 4.0, 1.0, 2.0, 2.0, 3.0)"
               " FROM org_fts WHERE org_fts MATCH ?1",
    [ST_FTS_IDS] = "SELECT rowid FROM org_fts WHERE org_fts MATCH ?1",
};

static uint64_t *mask_new(const int *idx, size_t n, size_t words)
{
    if (!n)
        return NULL;
    uint64_t *m = xcalloc(words + 1, sizeof *m);
    for (size_t i = 0; i < n; i++)
        m[idx[i] / 64] |= 1ULL << (idx[i] % 64);
    return m;
}

static bool memo_on = true;

void store_search_memo(bool on)
{
    memo_on = on;
}

/* Remembered full-text answers, per index (so per data version), in a small
 * direct-mapped table: "p" + a phrase, with its matches in the
 * organisations' own text (rowid order) and their scores. Returns a copy of
 * the entry's lists (scores may be NULL), or false. */
static bool fts_recall(struct store_index *ix, const char *key, size_t len, uint32_t **idx,
                       double **score, size_t *n)
{
    if (!memo_on)
        return false;
    struct fts_hit *slot = &ix->fts[util_hash(UTIL_FNV_INIT, key, len) % FTS_SLOTS];
    bool hit = false;
    pthread_mutex_lock(&ix->fts_lock);
    if (slot->expr && strlen(slot->expr) == len && memcmp(slot->expr, key, len) == 0) {
        hit = true;
        *n = slot->n;
        *idx = xmalloc((slot->n + 1) * sizeof **idx);
        memcpy(*idx, slot->idx, slot->n * sizeof **idx);
        if (score) {
            *score = xmalloc((slot->n + 1) * sizeof **score);
            memcpy(*score, slot->score, slot->n * sizeof **score);
        }
    }
    pthread_mutex_unlock(&ix->fts_lock);
    return hit;
}

static void fts_keep(struct store_index *ix, const char *key, size_t len, const uint32_t *idx,
                     const double *score, size_t n)
{
    if (n > FTS_KEEP_MAX || !memo_on)
        return;
    size_t bytes = len + 64 + n * (sizeof *idx + (score ? sizeof *score : 0));
    char *k = xstrndup(key, len);
    uint32_t *i2 = xmalloc((n + 1) * sizeof *i2);
    memcpy(i2, idx, n * sizeof *i2);
    double *s2 = NULL;
    if (score) {
        s2 = xmalloc((n + 1) * sizeof *s2);
        memcpy(s2, score, n * sizeof *s2);
    }
    struct fts_hit *slot = &ix->fts[util_hash(UTIL_FNV_INIT, key, len) % FTS_SLOTS];
    pthread_mutex_lock(&ix->fts_lock);
    size_t freed = slot->expr ? slot->bytes : 0;
    if (ix->fts_bytes - freed + bytes <= FTS_BUDGET) {
        free(slot->expr);
        free(slot->idx);
        free(slot->score);
        ix->fts_bytes = ix->fts_bytes - freed + bytes;
        slot->expr = k;
        slot->idx = i2;
        slot->score = s2;
        slot->n = n;
        slot->bytes = bytes;
        k = NULL;
        i2 = NULL;
        s2 = NULL;
    }
    pthread_mutex_unlock(&ix->fts_lock);
    free(k);
    free(i2);
    free(s2);
}

/* bm25() is smaller for better matches; ties go to the older record, as
 * SQLite's ORDER BY bm25(), rowid would put them. */
static int by_score(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return x->pk < y->pk ? -1 : x->pk > y->pk;
}

/* Runs one full-text statement for expr: every match's (index, score) in
 * rowid order, appended to *list; the score is bm25() when scored, else
 * flat. With a limit, stops there and returns 1 ("more than that"). 0 when
 * done, -1 on a database error. */
static int fts_rows(struct store_index *ix, enum stmt_id id, const char *expr, size_t len,
                    bool scored, double flat, size_t limit, struct scored **list, size_t *count,
                    size_t *cap)
{
    struct conn *c = conn_get();
    sqlite3_stmt *st = c ? stmt(c, id, search_sql) : NULL;
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, expr, (int)len, SQLITE_STATIC);
    int step, rc = 0;
    size_t rows = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (limit && ++rows > limit) {
            rc = 1;
            break;
        }
        int64_t pk = sqlite3_column_int64(st, 0);
        long o = org_by_pk(ix, pk);
        if (o < 0)
            continue; /* archived */
        if (*count == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *list = xrealloc(*list, *cap * sizeof **list);
        }
        (*list)[(*count)++] =
            (struct scored){(uint32_t)o, scored ? sqlite3_column_double(st, 1) : flat, pk};
    }
    stmt_done(st);
    if (rc == 0 && step != SQLITE_DONE) {
        log_db_error(c->db, "full-text search");
        return -1;
    }
    return rc;
}

/* A concept's matches in the organisations' own text, in rowid order, with
 * their scores. bm25() costs most of a search whose word is everywhere
 * ("online" in 100,000 summaries), and says least there: its IDF is near
 * nothing. So past BM25_MAX matches, each match scores that IDF, flat, plus
 * bm25() of its name alone (a name still counts most); below, bm25() in
 * full. The seed never comes near. */
#define BM25_MAX 2000
static int own_matches(struct store_index *ix, const char *phrase, size_t len,
                       struct scored **out, size_t *n)
{
    const struct store_vocab *v = vocab_get(ix);
    if (v) {
        int in_memory = fulltext_match(vocab_fulltext(ix), v, ix, phrase, BM25_MAX, out, n);
        if (in_memory <= 0)
            return in_memory;
    }
    size_t count = 0, cap = 0;
    struct scored *list = NULL;
    int rc = fts_rows(ix, ST_FTS, phrase, len, true, 0, BM25_MAX, &list, &count, &cap);
    if (rc == 1) {
        count = 0;
        rc = fts_rows(ix, ST_FTS_IDS, phrase, len, false, 0, 0, &list, &count, &cap);
        if (rc == 0) {
            double docs = (double)ix->n_orgs, hits = (double)count;
            double idf = log((docs - hits + 0.5) / (hits + 0.5) + 1.0);
            for (size_t i = 0; i < count; i++)
                list[i].score = -idf;
            char named[PLAN_EXPR_MAX + 64];
            int nl = snprintf(named, sizeof named, "{name} : (%s)", phrase);
            size_t n_named = 0, cap_named = 0;
            struct scored *in_name = NULL;
            rc = fts_rows(ix, ST_FTS, named, (size_t)nl, true, 0, 0, &in_name, &n_named,
                          &cap_named);
            /* both in rowid order */
            for (size_t i = 0, j = 0; rc == 0 && j < n_named; j++) {
                while (i < count && list[i].pk < in_name[j].pk)
                    i++;
                if (i < count && list[i].pk == in_name[j].pk)
                    list[i].score += in_name[j].score;
            }
            free(in_name);
        }
    }
    if (rc != 0) {
        free(list);
        return -1;
    }
    *out = list;
    *n = count;
    return 0;
}

/* One phrase's matches in the organisations' own text, with their scores
 * (in rowid order), remembered. */
static int phrase_matches(struct store_index *ix, const char *phrase, size_t len,
                          struct scored **out, size_t *n)
{
    struct buf key = BUF_INIT;
    buf_putc(&key, 'p');
    buf_append(&key, phrase, len);
    uint32_t *idx;
    double *score;
    if (fts_recall(ix, key.data, key.len, &idx, &score, n)) {
        *out = xmalloc((*n + 1) * sizeof **out);
        for (size_t i = 0; i < *n; i++)
            (*out)[i] = (struct scored){idx[i], score[i], ix->orgs[idx[i]].pk};
        free(idx);
        free(score);
        buf_reset(&key);
        return 0;
    }
    size_t count = 0;
    struct scored *list = NULL;
    if (own_matches(ix, phrase, len, &list, &count) != 0) {
        buf_reset(&key);
        return -1;
    }
    if (count <= FTS_KEEP_MAX) {
        uint32_t *i2 = xmalloc((count + 1) * sizeof *i2);
        double *s2 = xmalloc((count + 1) * sizeof *s2);
        for (size_t i = 0; i < count; i++)
            i2[i] = list[i].idx, s2[i] = list[i].score;
        fts_keep(ix, key.data, key.len, i2, s2, count);
        free(i2);
        free(s2);
    }
    buf_reset(&key);
    *out = list;
    *n = count;
    return 0;
}

/* ---- one search's working memory ------------------------------------------ */

/* What a search works in, kept per thread between searches (sized to the
 * largest index seen) so that a search over 100,000 organisations neither
 * allocates nor clears megabytes: score and cover are dense per
 * organisation, zero outside the organisations a search touched (it clears
 * those on the way out), and the rest are bitsets over organisations. */
struct scratch {
    size_t cap;          /* organisations */
    size_t words;        /* 64-bit words of each bitset */
    double *score;       /* sum of the concepts' scores */
    uint8_t *cover;      /* concepts matched, in quarters (COVER_FULL each,
                            a guidance-only one COVER_PART) */
    uint64_t *hit;       /* matched by some concept */
    uint64_t *sets;      /* per concept: matched in full, then matched by
                            guidance only (2 * WORDS_MAX sets) */
    uint64_t *scored;    /* given a score and a count (see rank_set) */
    uint64_t *taken;     /* this concept's taxonomy: given a score already */
    uint64_t *pass;      /* passing the filters */
    uint64_t *pass_a;    /* passing the audience filter */
    uint64_t *pass_t;    /* passing the topic filter */
};

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p)
{
    struct scratch *s = p;
    if (!s)
        return;
    free(s->score);
    free(s->cover);
    free(s->hit);
    free(s);
}

static void scratch_init(void)
{
    pthread_key_create(&scratch_key, scratch_free);
}

/* The calling thread's scratch for ix: score and cover zero, hit empty. */
static struct scratch *scratch_get(const struct store_index *ix)
{
    pthread_once(&scratch_once, scratch_init);
    struct scratch *s = pthread_getspecific(scratch_key);
    if (s && s->cap >= ix->n_orgs)
        return s;
    scratch_free(s);
    s = xcalloc(1, sizeof *s);
    s->cap = ix->n_orgs + ix->n_orgs / 8 + 64;
    size_t words = s->cap / 64 + 1;
    s->score = xcalloc(s->cap, sizeof *s->score);
    s->cover = xcalloc(s->cap + 64, sizeof *s->cover);
    s->hit = xcalloc((7 + 2 * WORDS_MAX) * words, sizeof *s->hit);
    s->scored = s->hit + words;
    s->sets = s->scored + words;
    s->taken = s->sets + 2 * WORDS_MAX * words;
    s->pass = s->taken + words;
    s->pass_a = s->pass + words;
    s->pass_t = s->pass_a + words;
    s->words = words;
    pthread_setspecific(scratch_key, s);
    return s;
}

/* Leaves s as scratch_get gives it: zero where the search scored. */
static void scratch_done(struct scratch *s, const struct store_index *ix)
{
    size_t ow = ix->org_words, touched = 0;
    for (size_t w = 0; w < ow; w++)
        touched += (size_t)__builtin_popcountll(s->scored[w]);
    if (touched > ix->n_orgs / 8) {
        memset(s->score, 0, ix->n_orgs * sizeof *s->score);
    } else {
        for (size_t w = 0; w < ow; w++)
            for (uint64_t b = s->scored[w]; b; b &= b - 1)
                s->score[w * 64 + (size_t)__builtin_ctzll(b)] = 0;
    }
    memset(s->cover, 0, ix->n_orgs);
    memset(s->hit, 0, ow * sizeof *s->hit);
    memset(s->scored, 0, ow * sizeof *s->scored);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define POPCOUNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define POPCOUNT_CLONES
#endif

/* The organisations in a & b & c (c may be NULL). */
POPCOUNT_CLONES
static size_t count_and(const uint64_t *a, const uint64_t *b, const uint64_t *c, size_t words)
{
    size_t n = 0;
    if (c)
        for (size_t w = 0; w < words; w++)
            n += (size_t)__builtin_popcountll(a[w] & b[w] & c[w]);
    else
        for (size_t w = 0; w < words; w++)
            n += (size_t)__builtin_popcountll(a[w] & b[w]);
    return n;
}

/* Into pass: every organisation of ix (ids NULL), or those in any of the
 * sets of members(ix, ids[k]). */
static void pass_fill(const struct store_index *ix, uint64_t *pass, const int *ids, size_t n,
                      const uint64_t *(*members)(const struct store_index *, size_t))
{
    size_t ow = ix->org_words;
    if (!n) {
        memset(pass, 0xFF, ow * sizeof *pass);
        if (ix->n_orgs % 64)
            pass[ow - 1] = (1ULL << (ix->n_orgs % 64)) - 1;
        return;
    }
    memset(pass, 0, ow * sizeof *pass);
    for (size_t k = 0; k < n; k++) {
        const uint64_t *m = members(ix, (size_t)ids[k]);
        for (size_t w = 0; w < ow; w++)
            pass[w] |= m[w];
    }
}

/* The column weights of the taxonomy, with those of org_fts above. */
static const double topic_weights[TAXON_COLS] = {2.0, 2.0, 1.5, 0.25};
static const double audience_weights[TAXON_COLS] = {1.0, 1.0};

/* The organisations tagged with a term of h (a topic, its own tags; or an
 * audience) into full (or, matched only in a topic's guidance, part). */
static void mark_terms(const struct store_index *ix, const struct term_hits *h,
                       const uint64_t *(*members)(const struct store_index *, size_t),
                       uint64_t *full, uint64_t *part)
{
    size_t ow = ix->org_words;
    for (long k = 0; k < h->n; k++) {
        const uint64_t *m = members(ix, (size_t)h->idx[k]);
        uint64_t *mark = h->main[k] ? full : part;
        for (size_t w = 0; w < ow; w++)
            mark[w] |= m[w];
    }
}

/* Gives every organisation of mask tagged with a term of h the best of
 * those terms' scores. Whole words at a time: the terms best first, each
 * scoring the members no better term took. */
static void spread(const struct store_index *ix, const struct term_hits *h,
                   const uint64_t *(*members)(const struct store_index *, size_t),
                   const uint64_t *mask, struct scratch *s)
{
    if (h->n == 0)
        return;
    size_t ow = ix->org_words;
    long order[TERM_HITS_MAX];
    for (long k = 0; k < h->n; k++) {
        long j = k;
        for (; j > 0 && h->score[order[j - 1]] > h->score[k]; j--)
            order[j] = order[j - 1];
        order[j] = k;
    }
    memset(s->taken, 0, ow * sizeof *s->taken);
    for (long r = 0; r < h->n; r++) {
        long k = order[r];
        const uint64_t *m = members(ix, (size_t)h->idx[k]);
        double sc = h->score[k] < 0 ? h->score[k] : 0; /* bm25(): below 0 */
        for (size_t w = 0; w < ow; w++) {
            uint64_t fresh = m[w] & mask[w] & ~s->taken[w];
            if (!fresh)
                continue;
            s->taken[w] |= fresh;
            do {
                s->score[w * 64 + (size_t)__builtin_ctzll(fresh)] += sc;
                fresh &= fresh - 1;
            } while (fresh);
        }
    }
}

/* bytes_of[b]: a byte 1 for each bit of b, in its place. */
static const uint64_t bytes_of[256] = {
#define B1(n) ((uint64_t)((n) & 1) | ((uint64_t)(((n) >> 1) & 1) << 8) | \
               ((uint64_t)(((n) >> 2) & 1) << 16) | ((uint64_t)(((n) >> 3) & 1) << 24) | \
               ((uint64_t)(((n) >> 4) & 1) << 32) | ((uint64_t)(((n) >> 5) & 1) << 40) | \
               ((uint64_t)(((n) >> 6) & 1) << 48) | ((uint64_t)(((n) >> 7) & 1) << 56))
#define B4(n) B1(n), B1(n + 1), B1(n + 2), B1(n + 3)
#define B16(n) B4(n), B4(n + 4), B4(n + 8), B4(n + 12)
#define B64(n) B16(n), B16(n + 16), B16(n + 32), B16(n + 48)
    B64(0), B64(64), B64(128), B64(192)
#undef B64
#undef B16
#undef B4
#undef B1
};

/* Adds COVER_FULL to cover[i] for each bit i of full, COVER_PART for each
 * of part (not in full). */
static void count_cover(uint8_t *cover, const uint64_t *full, const uint64_t *part, size_t ow)
{
    for (size_t w = 0; w < ow; w++) {
        uint64_t f = full[w], p = part[w] & ~full[w];
        if (!(f | p))
            continue;
        /* eight organisations' counts at a time, a byte each */
        for (unsigned b = 0; b < 8; b++) {
            unsigned fb = (unsigned)(f >> (8 * b)) & 0xFF, pb = (unsigned)(p >> (8 * b)) & 0xFF;
            if (!(fb | pb))
                continue;
            uint8_t *at = cover + w * 64 + 8 * b;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            uint64_t lanes; /* at most 4 * WORDS_MAX a byte: no carry */
            memcpy(&lanes, at, sizeof lanes);
            lanes += bytes_of[fb] * COVER_FULL + bytes_of[pb] * COVER_PART;
            memcpy(at, &lanes, sizeof lanes);
#else
            for (unsigned j = 0; j < 8; j++)
                at[j] += (uint8_t)(((fb >> j) & 1) * COVER_FULL + ((pb >> j) & 1) * COVER_PART);
#endif
        }
    }
}

/* A plan's matches, concept by concept: what plan_find found, for
 * plan_score. */
struct found {
    struct scored *own[WORDS_MAX]; /* in the organisations' own text */
    size_t n_own[WORDS_MAX];
    struct term_hits *topics, *audiences; /* per concept */
    size_t n;
};

static void found_free(struct found *f)
{
    for (size_t c = 0; c < f->n; c++)
        free(f->own[c]);
    free(f->topics);
    free(f->audiences);
}

/* Matches a plan into s, as sets: per concept, the organisations it
 * matches in full (its own text, or a topic it is filed under or an
 * audience it serves) and those it matches only through a topic's
 * guidance; hit, matched by some concept; and each organisation's count
 * of concepts matched (cover).
 * Each concept's own matches are scored once and remembered. */
static int plan_find(struct store_index *ix, const struct plan *plan, struct scratch *s,
                     struct found *f)
{
    const struct store_vocab *v = vocab_get(ix);
    if (!v)
        return -1;
    size_t ow = ix->org_words;
    memset(f, 0, sizeof *f);
    f->topics = xmalloc((plan->n + 1) * sizeof *f->topics);
    f->audiences = xmalloc((plan->n + 1) * sizeof *f->audiences);
    for (size_t c = 0; c < plan->n; c++) {
        if (phrase_matches(ix, plan->concept[c], strlen(plan->concept[c]), &f->own[c],
                           &f->n_own[c]) != 0)
            return -1;
        f->n = c + 1;
        uint64_t *full = s->sets + 2 * c * s->words, *part = full + s->words;
        memset(full, 0, ow * sizeof *full);
        memset(part, 0, ow * sizeof *part);
        for (size_t i = 0; i < f->n_own[c]; i++) {
            uint32_t o = f->own[c][i].idx;
            full[o / 64] |= 1ULL << (o % 64);
        }
        taxon_match(v, TAXON_TOPICS, topic_weights, 3, plan->concept[c], &f->topics[c]);
        mark_terms(ix, &f->topics[c], store_topic_members, full, part);
        taxon_match(v, TAXON_AUDIENCES, audience_weights, 2, plan->concept[c], &f->audiences[c]);
        mark_terms(ix, &f->audiences[c], store_audience_members, full, part);
        for (size_t w = 0; w < ow; w++)
            s->hit[w] |= full[w] | part[w];
        count_cover(s->cover, full, part, ow);
    }
    return 0;
}

/* The organisations of s->pass that can be among the first k, into
 * s->scored: those whose count (cover) reaches that of the k-th best,
 * which is at least COVER_FULL * m when k of them match m concepts in
 * full (the most such m). */
static void candidates(const struct store_index *ix, struct scratch *s, size_t n_concepts,
                       size_t k)
{
    size_t ow = ix->org_words, m = 0;
    size_t have[WORDS_MAX + 1] = {0}; /* [i]: matched in full by i or more */
    for (size_t w = 0; w < ow; w++) {
        if (!s->pass[w])
            continue;
        uint64_t at[WORDS_MAX + 1] = {~0ULL};
        for (size_t c = 0; c < n_concepts; c++) {
            uint64_t f = s->sets[2 * c * s->words + w];
            for (size_t i = c + 1; i >= 1; i--)
                at[i] |= at[i - 1] & f;
        }
        for (size_t i = 1; i <= n_concepts; i++)
            have[i] += (size_t)__builtin_popcountll(at[i] & s->pass[w]);
    }
    for (size_t i = n_concepts; i >= 1 && !m; i--)
        if (have[i] >= k)
            m = i;
    unsigned t = (unsigned)(COVER_FULL * m);
    const uint64_t lanes_t = 0x0101010101010101ULL * t, high = 0x8080808080808080ULL;
    for (size_t w = 0; w < ow; w++) {
        uint64_t bits = s->pass[w], keep = 0;
        if (!bits || !t) {
            s->scored[w] = bits;
            continue;
        }
        for (unsigned b = 0; b < 8; b++) {
            const uint8_t *x = s->cover + w * 64 + 8 * b;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            uint64_t v; /* every byte below 128, t too: no borrow */
            memcpy(&v, x, sizeof v);
            uint64_t ge = (((v | high) - lanes_t) & high) >> 7;
            keep |= ((ge * 0x0102040810204080ULL) >> 56) << (8 * b);
#else
            for (unsigned j = 0; j < 8; j++)
                keep |= (uint64_t)(x[j] >= t) << (8 * b + j);
#endif
        }
        s->scored[w] = bits & keep;
    }
}

/* Scores the organisations of mask: per organisation, the sum of its
 * concepts' scores (its own bm25() plus its best topic's and its best
 * audience's, concept by concept). */
static void plan_score(const struct store_index *ix, const struct found *f,
                       const uint64_t *mask, struct scratch *s)
{
    for (size_t c = 0; c < f->n; c++) {
        for (size_t i = 0; i < f->n_own[c]; i++) {
            uint32_t o = f->own[c][i].idx;
            if ((mask[o / 64] >> (o % 64)) & 1)
                s->score[o] += f->own[c][i].score;
        }
        spread(ix, &f->topics[c], store_topic_members, mask, s);
        spread(ix, &f->audiences[c], store_audience_members, mask, s);
    }
}

/* A bounded max-heap of the best candidates so far, worst on top. */
struct best {
    struct scored *a;
    size_t n, k;
};

static bool worse(const struct scored *x, const struct scored *y)
{
    return by_score(x, y) > 0;
}

static void best_offer(struct best *b, struct scored c)
{
    if (b->n < b->k) {
        size_t i = b->n++;
        while (i > 0 && worse(&c, &b->a[(i - 1) / 2])) {
            b->a[i] = b->a[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        b->a[i] = c;
        return;
    }
    if (!worse(&b->a[0], &c))
        return;
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const struct scored *top = &c;
        if (l < b->n && worse(&b->a[l], top))
            m = l, top = &b->a[l];
        if (r < b->n && worse(&b->a[r], top))
            m = r;
        if (m == i)
            break;
        b->a[i] = b->a[m];
        i = m;
    }
    b->a[i] = c;
}

/* The first k organisations of s->pass that plan_score scored, best first: those matching more
 * concepts first, then by the sum of their scores, then the older record.
 * Someone who writes in the first person ("my nudes got leaked", "someone
 * wants me to...") asks for help for themselves: among equal matches, what
 * they can use comes before what serves only professionals (guidance for
 * schools and police). Into list; returns how many. */
static size_t rank(const struct store_index *ix, const struct scratch *s, bool first_person,
                   size_t k, uint32_t *list)
{
    struct best b = {xmalloc((k + 1) * sizeof *b.a), 0, k};
    for (size_t w = 0; w < ix->org_words && k; w++) {
        uint64_t bits = s->pass[w] & s->scored[w], pro = first_person ? ix->pro_only[w] : 0;
        while (bits) {
            size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
            double sc = s->score[i];
            if ((pro >> (i % 64)) & 1)
                sc *= PROFESSIONALS_ONLY_WEIGHT;
            /* More concepts matched first: fold the count into the score,
             * which bm25() keeps within (-1e3, 0] for any sane text. */
            double key = sc - 1e6 * (s->cover[i] / (double)COVER_FULL);
            bits &= bits - 1;
            /* most lose to the worst kept without their pk being read */
            if (b.n == b.k && key > b.a[0].score)
                continue;
            best_offer(&b, (struct scored){(uint32_t)i, key, ix->pks[i]});
        }
    }
    qsort(b.a, b.n, sizeof *b.a, by_score);
    for (size_t i = 0; i < b.n; i++)
        list[i] = b.a[i].idx;
    free(b.a);
    return b.n;
}

/* The first k organisations of s->pass in the index's order (by name),
 * those behind urgent help first when helpers_first. */
static size_t in_order(const struct store_index *ix, const struct scratch *s, bool helpers_first,
                       size_t k, uint32_t *list)
{
    size_t n = 0;
    if (helpers_first)
        for (size_t h = 0; h < ix->n_helpers && n < k; h++)
            if (store_bit(s->pass, ix->helpers[h]))
                list[n++] = ix->helpers[h];
    size_t n_helpers = n;
    for (size_t w = 0; w < ix->org_words && n < k; w++) {
        uint64_t bits = s->pass[w];
        while (bits && n < k) {
            uint32_t i = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
            bits &= bits - 1;
            bool dup = false;
            for (size_t h = 0; h < n_helpers && !dup; h++)
                dup = list[h] == i;
            if (!dup)
                list[n++] = i;
        }
    }
    return n;
}

/* A plan as a key: its concepts, each ended by a NUL. */
static void plan_key(struct buf *key, const struct plan *plan)
{
    for (size_t c = 0; plan && c < plan->n; c++) {
        buf_puts(key, plan->concept[c]);
        buf_putc(key, '\0');
    }
}

/* The answer cache's key: the plan ('-' for every organisation) and the two
 * filter masks. */
static void answer_key(struct buf *key, const struct plan *plan, bool everything,
                       const uint64_t *aud,
                       size_t aud_words, const uint64_t *topic, size_t topic_words)
{
    if (plan)
        plan_key(key, plan);
    else
        buf_putc(key, everything ? '*' : '-');
    buf_putc(key, '\0');
    buf_putc(key, aud ? 'a' : '-');
    if (aud)
        buf_append(key, aud, aud_words * sizeof *aud);
    buf_putc(key, topic ? 't' : '-');
    if (topic)
        buf_append(key, topic, topic_words * sizeof *topic);
}

/* How many of an answer's first organisations are remembered: pages 1 to 5
 * of 20, or as far as the search asked. */
#define ANSWER_KEEP 100

/* Fills out from a remembered answer if there is one that reaches the
 * requested page. */
static bool answer_recall(struct store_index *ix, const struct buf *key,
                          const struct store_search *q, struct store_results *out)
{
    if (!memo_on)
        return false;
    struct answer_hit *slot =
        &ix->answers[util_hash(UTIL_FNV_INIT, key->data, key->len) % ANSWER_SLOTS];
    bool hit = false;
    pthread_mutex_lock(&ix->fts_lock);
    if (slot->key && slot->key_len == key->len && memcmp(slot->key, key->data, key->len) == 0 &&
        (slot->n == slot->total || q->offset + q->limit <= slot->n)) {
        hit = true;
        out->total = slot->total;
        out->unfiltered = slot->unfiltered;
        memcpy(out->audience_counts, slot->counts, ix->n_audiences * sizeof *out->audience_counts);
        memcpy(out->topic_counts, slot->counts + ix->n_audiences,
               ix->n_topics * sizeof *out->topic_counts);
        for (size_t k = q->offset; k < slot->n && out->n_items < q->limit; k++)
            out->items[out->n_items++] = &ix->orgs[slot->list[k]];
    }
    pthread_mutex_unlock(&ix->fts_lock);
    return hit;
}

/* Remembers an answer (its first n organisations), within the byte budget.
 * Takes list. */
static void answer_keep(struct store_index *ix, const struct buf *key,
                        const struct store_results *out, uint32_t *list, size_t n)
{
    if (!memo_on) {
        free(list);
        return;
    }
    size_t bytes = key->len + n * sizeof *list +
                   (ix->n_audiences + ix->n_topics) * sizeof(size_t) + 64;
    struct answer_hit *slot =
        &ix->answers[util_hash(UTIL_FNV_INIT, key->data, key->len) % ANSWER_SLOTS];
    size_t *counts = xmalloc((ix->n_audiences + ix->n_topics + 1) * sizeof *counts);
    memcpy(counts, out->audience_counts, ix->n_audiences * sizeof *counts);
    memcpy(counts + ix->n_audiences, out->topic_counts, ix->n_topics * sizeof *counts);
    char *k = xmalloc(key->len + 1);
    memcpy(k, key->data, key->len);
    pthread_mutex_lock(&ix->fts_lock);
    size_t freed = slot->key ? slot->bytes : 0;
    if (ix->answer_bytes - freed + bytes <= ANSWER_BUDGET) {
        free(slot->key);
        free(slot->list);
        free(slot->counts);
        ix->answer_bytes = ix->answer_bytes - freed + bytes;
        slot->key = k;
        slot->key_len = key->len;
        slot->list = list;
        slot->n = n;
        slot->total = out->total;
        slot->unfiltered = out->unfiltered;
        slot->counts = counts;
        slot->bytes = bytes;
        k = NULL;
        list = NULL;
        counts = NULL;
    }
    pthread_mutex_unlock(&ix->fts_lock);
    free(k);
    free(list);
    free(counts);
}

/* Answers q in s: matches (a plan's, or every organisation), filters,
 * facet counts and the first organisations in order into out and
 * *list (*n of them). */
static int answer(struct store_index *ix, const struct store_search *q, const struct plan *pl,
                  struct scratch *s, struct store_results *out, uint32_t **list, size_t *n)
{
    size_t ow = ix->org_words;
    pass_fill(ix, s->pass_a, q->audiences, q->n_audiences, store_audience_members);
    pass_fill(ix, s->pass_t, q->topics, q->n_topics, store_topic_eff_members);
    struct found f = {0};
    if (pl) {
        if (plan_find(ix, pl, s, &f) != 0) {
            found_free(&f);
            return -1;
        }
    } else {
        pass_fill(ix, s->hit, NULL, 0, NULL);
    }
    for (size_t w = 0; w < ow; w++)
        s->pass[w] = s->hit[w] & s->pass_a[w] & s->pass_t[w];
    out->total = count_and(s->pass, s->pass, NULL, ow);
    for (size_t a = 0; a < ix->n_audiences; a++)
        out->audience_counts[a] = count_and(s->hit, s->pass_t, store_audience_members(ix, a), ow);
    for (size_t t = 0; t < ix->n_topics; t++)
        out->topic_counts[t] = count_and(s->hit, s->pass_a, store_topic_eff_members(ix, t), ow);
    out->unfiltered = out->total;
    if (out->total == 0 && pl && (q->n_audiences || q->n_topics))
        /* Filters emptied the answer: how many the words alone find, so
         * the person can be offered the search without them. */
        out->unfiltered = count_and(s->hit, s->hit, NULL, ow);
    size_t k = q->offset + q->limit;
    if (memo_on && k < ANSWER_KEEP)
        k = ANSWER_KEEP;
    if (k > out->total)
        k = out->total;
    *list = xmalloc((k + 1) * sizeof **list);
    if (!pl) {
        *n = in_order(ix, s, out->everything, k, *list);
        return 0;
    }
    /* Those matching more concepts come first: only those that can be
     * among the first k need a score. */
    candidates(ix, s, pl->n, k);
    plan_score(ix, &f, s->scored, s);
    found_free(&f);
    *n = rank(ix, s, pl->first_person, k, *list);
    return 0;
}

int store_search(struct store_index *ix, const struct store_search *q,
                 struct store_results *out)
{
    int rc = -1;
    memset(out, 0, sizeof *out);
    out->audience_counts = xcalloc(ix->n_audiences + 1, sizeof *out->audience_counts);
    out->topic_counts = xcalloc(ix->n_topics + 1, sizeof *out->topic_counts);
    out->items = xcalloc(q->limit + 1, sizeof *out->items);
    uint64_t *aud_mask = mask_new(q->audiences, q->n_audiences, ix->aud_words);
    uint64_t *topic_mask = mask_new(q->topics, q->n_topics, ix->topic_words);
    struct plan plan;
    struct plan *pl = NULL;
    struct buf key = BUF_INIT;
    if (q->q) {
        if (plan_build(ix, q->q, q->exact, &plan) != 0)
            goto out;
        pl = &plan;
        out->urgent = plan.urgent;
        out->corrected = plan.corrected;
        plan.corrected = NULL;
        out->n_meant = plan.n_meant;
        memcpy(out->meant, plan.meant, sizeof out->meant);
        /* Nothing but stop words ("what do i do"): every organisation. */
        if (!plan.meaningful) {
            out->everything = true;
            pl = NULL;
        }
    }
    /* The same search and filters on another page, or asked again, is
     * answered from memory: paging costs nothing. */
    answer_key(&key, pl, out->everything, aud_mask, ix->aud_words, topic_mask, ix->topic_words);
    if (answer_recall(ix, &key, q, out)) {
        rc = 0;
        goto out;
    }
    struct scratch *s = scratch_get(ix);
    uint32_t *list = NULL;
    size_t n = 0;
    rc = answer(ix, q, pl, s, out, &list, &n);
    scratch_done(s, ix);
    if (rc == 0) {
        for (size_t i = q->offset; i < n && out->n_items < q->limit; i++)
            out->items[out->n_items++] = &ix->orgs[list[i]];
        answer_keep(ix, &key, out, list, n);
    } else {
        free(list);
    }
out:
    if (q->q)
        plan_reset(&plan);
    buf_reset(&key);
    free(aud_mask);
    free(topic_mask);
    if (rc != 0)
        store_results_reset(out);
    return rc;
}


void store_results_reset(struct store_results *r)
{
    free(r->corrected);
    free(r->audience_counts);
    free(r->topic_counts);
    free(r->items);
    memset(r, 0, sizeof *r);
}
