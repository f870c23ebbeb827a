/* search.c: store_search over an index. Filtering and facet counts are
 * bitset work in memory; full text costs one FTS5 query per phrase, and
 * each index remembers phrases, expressions and whole answers within a byte
 * budget, so paging and repeated searches cost no SQL. */
#include "store/store_int.h"
#include "lib/buf.h"
#include "lib/util.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The audience whose organisations serve professionals only, and how much
 * of their bm25() they keep among equal matches. */
#define PROFESSIONALS_ONLY "professionals"
#define PROFESSIONALS_ONLY_WEIGHT 0.6

/* A word found only in a topic's guidance (not its label, description or
 * search terms) counts for this much of a word. */
#define GUIDANCE_ONLY 0.25

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

static bool intersects(const uint64_t *a, const uint64_t *b, size_t words)
{
    for (size_t i = 0; i < words; i++)
        if (a[i] & b[i])
            return true;
    return false;
}

static void count_bits(const uint64_t *set, size_t words, size_t *counts)
{
    for (size_t w = 0; w < words; w++) {
        uint64_t v = set[w];
        while (v) {
            counts[w * 64 + (size_t)__builtin_ctzll(v)]++;
            v &= v - 1;
        }
    }
}

struct search_state {
    const struct store_index *ix;
    const struct store_search *q;
    struct store_results *out;
    uint64_t *aud_mask, *topic_mask; /* NULL: no filter */
    uint32_t *all;                   /* every match, for the answer cache */
    size_t n_all, cap_all;
};

static void consider(struct search_state *s, const struct store_org *o)
{
    const struct store_index *ix = s->ix;
    bool pa = !s->aud_mask || intersects(o->audiences, s->aud_mask, ix->aud_words);
    bool pt = !s->topic_mask || intersects(o->topics_eff, s->topic_mask, ix->topic_words);
    if (pt)
        count_bits(o->audiences, ix->aud_words, s->out->audience_counts);
    if (pa)
        count_bits(o->topics_eff, ix->topic_words, s->out->topic_counts);
    if (pa && pt) {
        size_t k = s->out->total++;
        if (k >= s->q->offset && k - s->q->offset < s->q->limit)
            s->out->items[s->out->n_items++] = o;
        if (s->all) {
            if (s->n_all == s->cap_all) {
                s->cap_all *= 2;
                s->all = xrealloc(s->all, s->cap_all * sizeof *s->all);
            }
            s->all[s->n_all++] = (uint32_t)(o - ix->orgs);
        }
    }
}

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
 * direct-mapped table shared by two kinds of entry: "p" + a phrase, with its
 * matches in the organisations' own text (rowid order) and their scores; "e" + a whole
 * expression, with its matches best first. Returns a copy of the entry's
 * lists (scores may be NULL), or false. */
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

struct scored {
    uint32_t idx;
    double score;
    int64_t pk;
};

/* bm25() is smaller for better matches; ties go to the older record, as
 * SQLite's ORDER BY bm25(), rowid would put them. */
static int by_score(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return x->pk < y->pk ? -1 : x->pk > y->pk;
}

/* Sorts a (in pk order) by score, ties in pk order, as by_score would: a
 * stable radix sort on the score's bits for long lists (a word found in
 * tens of thousands of organisations), qsort for short ones. */
static void sort_scored(struct scored *a, size_t n)
{
    if (n < 512) {
        qsort(a, n, sizeof *a, by_score);
        return;
    }
    enum { BITS = 11, BUCKETS = 1 << BITS, PASSES = (64 + BITS - 1) / BITS };
    uint64_t *key = xmalloc(n * sizeof *key), *key2 = xmalloc(n * sizeof *key2);
    struct scored *b = xmalloc(n * sizeof *b);
    size_t (*count)[BUCKETS] = xcalloc(PASSES, sizeof *count);
    for (size_t i = 0; i < n; i++) {
        uint64_t u;
        memcpy(&u, &a[i].score, sizeof u);
        u = (u >> 63) ? ~u : u ^ (1ULL << 63); /* ascending as the double */
        key[i] = u;
        for (int p = 0; p < PASSES; p++)
            count[p][(u >> (p * BITS)) & (BUCKETS - 1)]++;
    }
    for (int p = 0; p < PASSES; p++) {
        size_t *c = count[p];
        if (c[(key[0] >> (p * BITS)) & (BUCKETS - 1)] == n)
            continue; /* every key has this digit */
        size_t sum = 0;
        for (size_t d = 0; d < BUCKETS; d++) {
            size_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++) {
            size_t to = c[(key[i] >> (p * BITS)) & (BUCKETS - 1)]++;
            b[to] = a[i];
            key2[to] = key[i];
        }
        memcpy(a, b, n * sizeof *a);
        uint64_t *t = key;
        key = key2;
        key2 = t;
    }
    free(key);
    free(key2);
    free(b);
    free(count);
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

/* The column weights of the taxonomy, with those of org_fts above. */
static const double topic_weights[TAXON_COLS] = {2.0, 2.0, 1.5, 0.25};
static const double audience_weights[TAXON_COLS] = {1.0, 1.0};

/* Adds to every organisation tagged with a term of h (a topic, its own
 * tags; or an audience) the best of their scores, and to cc[i] the weight of the
 * concept's match (a guidance-only one GUIDANCE_ONLY), if more. */
static void spread(const struct store_index *ix, const struct term_hits *h, bool audiences,
                   double *score, float *cc)
{
    if (h->n == 0)
        return;
    size_t words = audiences ? ix->aud_words : ix->topic_words;
    uint64_t *mask = xcalloc(words + 1, sizeof *mask);
    for (long k = 0; k < h->n; k++)
        mask[h->idx[k] / 64] |= 1ULL << (h->idx[k] % 64);
    for (size_t i = 0; i < ix->n_orgs; i++) {
        const uint64_t *tags = audiences ? ix->orgs[i].audiences : ix->orgs[i].topics;
        if (!intersects(tags, mask, words))
            continue;
        double best = 0;
        float weight = 0;
        for (long k = 0; k < h->n; k++) {
            if (!store_bit(tags, (size_t)h->idx[k]))
                continue;
            if (h->score[k] < best)
                best = h->score[k];
            float w = h->main[k] ? 1.0f : (float)GUIDANCE_ONLY;
            if (w > weight)
                weight = w;
        }
        score[i] += best;
        if (weight > cc[i])
            cc[i] = weight;
    }
    free(mask);
}

/* The organisations (indexes into ix->orgs) matching a plan, best first:
 * those matching more of its concepts (its meaningful words) first, then
 * by the sum of the concepts' scores, then the older record. A concept
 * matches an organisation by its own text, or by the text of a topic it is
 * filed under or an audience it serves (a word only in a topic's guidance
 * counting GUIDANCE_ONLY); its score is its own bm25() plus its best
 * topic's and its best audience's. Each concept's own
 * matches are scored once and remembered; so is the whole order. *hits is
 * the caller's to free. */
static int fts_matches(struct store_index *ix, const struct plan *plan, const char *key_text,
                       size_t key_len, uint32_t **hits, size_t *n)
{
    struct buf key = BUF_INIT;
    buf_putc(&key, 'e');
    buf_append(&key, key_text, key_len);
    if (fts_recall(ix, key.data, key.len, hits, NULL, n)) {
        buf_reset(&key);
        return 0;
    }
    const struct store_vocab *v = vocab_get(ix);
    if (!v) {
        buf_reset(&key);
        return -1;
    }
    size_t n_orgs = ix->n_orgs;
    double *score = xcalloc(n_orgs + 1, sizeof *score);
    float *cover = xcalloc(n_orgs + 1, sizeof *cover);
    float *cc = xmalloc((n_orgs + 1) * sizeof *cc);     /* this concept's */
    struct term_hits *th = xmalloc(sizeof *th), *ah = xmalloc(sizeof *ah);
    int rc = 0;
    for (size_t c = 0; c < plan->n && rc == 0; c++) {
        struct scored *own;
        size_t n_own;
        rc = phrase_matches(ix, plan->concept[c], strlen(plan->concept[c]), &own, &n_own);
        if (rc != 0)
            break;
        taxon_match(v, TAXON_TOPICS, topic_weights, 3, plan->concept[c], th);
        taxon_match(v, TAXON_AUDIENCES, audience_weights, 2, plan->concept[c], ah);
        memset(cc, 0, n_orgs * sizeof *cc);
        for (size_t i = 0; i < n_own; i++) {
            score[own[i].idx] += own[i].score;
            cc[own[i].idx] = 1.0f;
        }
        free(own);
        spread(ix, th, false, score, cc);
        spread(ix, ah, true, score, cc);
        for (size_t i = 0; i < n_orgs; i++)
            cover[i] += cc[i];
    }
    if (rc == 0) {
        size_t n_acc = 0;
        for (size_t i = 0; i < n_orgs; i++)
            n_acc += cover[i] > 0;
        struct scored *acc = xmalloc((n_acc + 1) * sizeof *acc);
        /* Someone who writes in the first person ("my nudes got leaked",
         * "someone wants me to...") asks for help for themselves: among
         * equal matches, what they can use comes before what serves only
         * professionals (guidance for schools and police). */
        int pro = plan->first_person
                      ? store_term_find(ix->audiences, ix->n_audiences, PROFESSIONALS_ONLY)
                      : -1;
        size_t k = 0;
        for (size_t j = 0; j < n_orgs; j++) {
            size_t i = ix->by_pk[j]; /* in pk order: the sort keeps it on ties */
            if (cover[i] <= 0)
                continue;
            double sc = score[i];
            if (pro >= 0) {
                const uint64_t *a = ix->orgs[i].audiences;
                bool only = store_bit(a, (size_t)pro);
                for (size_t w = 0; only && w < ix->aud_words; w++)
                    only = (a[w] & ~(w == (size_t)pro / 64 ? 1ULL << (pro % 64) : 0)) == 0;
                if (only)
                    sc *= PROFESSIONALS_ONLY_WEIGHT;
            }
            /* More concepts matched first: fold the count into the score,
             * which bm25() keeps within (-1e3, 0] for any sane text. */
            acc[k++] = (struct scored){(uint32_t)i, sc - 1e6 * cover[i], ix->orgs[i].pk};
        }
        sort_scored(acc, n_acc);
        *hits = xmalloc((n_acc + 1) * sizeof **hits);
        for (size_t i = 0; i < n_acc; i++)
            (*hits)[i] = acc[i].idx;
        *n = n_acc;
        fts_keep(ix, key.data, key.len, *hits, NULL, n_acc);
        free(acc);
    }
    free(score);
    free(cover);
    free(cc);
    free(th);
    free(ah);
    buf_reset(&key);
    return rc;
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

/* Fills out from a remembered answer if there is one. */
static bool answer_recall(struct store_index *ix, const struct buf *key,
                          const struct store_search *q, struct store_results *out)
{
    if (!memo_on)
        return false;
    struct answer_hit *slot =
        &ix->answers[util_hash(UTIL_FNV_INIT, key->data, key->len) % ANSWER_SLOTS];
    bool hit = false;
    pthread_mutex_lock(&ix->fts_lock);
    if (slot->key && slot->key_len == key->len && memcmp(slot->key, key->data, key->len) == 0) {
        hit = true;
        out->total = slot->n;
        memcpy(out->audience_counts, slot->counts, ix->n_audiences * sizeof *out->audience_counts);
        memcpy(out->topic_counts, slot->counts + ix->n_audiences,
               ix->n_topics * sizeof *out->topic_counts);
        for (size_t k = q->offset; k < slot->n && out->n_items < q->limit; k++)
            out->items[out->n_items++] = &ix->orgs[slot->list[k]];
    }
    pthread_mutex_unlock(&ix->fts_lock);
    return hit;
}

/* Remembers an answer, within the byte budget. Takes list. */
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

int store_search(struct store_index *ix, const struct store_search *q,
                 struct store_results *out)
{
    int rc = -1;
    memset(out, 0, sizeof *out);
    out->audience_counts = xcalloc(ix->n_audiences + 1, sizeof *out->audience_counts);
    out->topic_counts = xcalloc(ix->n_topics + 1, sizeof *out->topic_counts);
    out->items = xcalloc(q->limit + 1, sizeof *out->items);
    struct search_state s = {
        .ix = ix,
        .q = q,
        .out = out,
        .aud_mask = mask_new(q->audiences, q->n_audiences, ix->aud_words),
        .topic_mask = mask_new(q->topics, q->n_topics, ix->topic_words),
    };
    struct plan plan;
    struct plan *pl = NULL;
    struct buf key = BUF_INIT, pkey = BUF_INIT;
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
    answer_key(&key, pl, out->everything, s.aud_mask, ix->aud_words, s.topic_mask, ix->topic_words);
    if (answer_recall(ix, &key, q, out)) {
        rc = 0;
        goto unfiltered;
    }
    s.cap_all = 64;
    s.all = xmalloc(s.cap_all * sizeof *s.all);
    if (out->everything) {
        /* Every organisation, those behind urgent help first. */
        uint64_t *seen = xcalloc(ix->n_orgs / 64 + 1, sizeof *seen);
        for (size_t i = 0; i < ix->n_helpers; i++) {
            seen[ix->helpers[i] / 64] |= 1ULL << (ix->helpers[i] % 64);
            consider(&s, &ix->orgs[ix->helpers[i]]);
        }
        for (size_t i = 0; i < ix->n_orgs; i++)
            if (!store_bit(seen, i))
                consider(&s, &ix->orgs[i]);
        free(seen);
    } else if (!pl) {
        for (size_t i = 0; i < ix->n_orgs; i++)
            consider(&s, &ix->orgs[i]);
    } else {
        size_t n = 0;
        uint32_t *hits = NULL;
        plan_key(&pkey, pl);
        if (fts_matches(ix, pl, pkey.data, pkey.len, &hits, &n) != 0)
            goto out;
        for (size_t i = 0; i < n; i++)
            consider(&s, &ix->orgs[hits[i]]);
        free(hits);
    }
    answer_keep(ix, &key, out, s.all, s.n_all);
    s.all = NULL;
    rc = 0;
unfiltered:
    out->unfiltered = out->total;
    if (out->total == 0 && pl && (s.aud_mask || s.topic_mask)) {
        /* Filters emptied the answer: how many the words alone find, so
         * the person can be offered the search without them. */
        size_t n = 0;
        uint32_t *hits = NULL;
        buf_reset(&pkey);
        plan_key(&pkey, pl);
        if (fts_matches(ix, pl, pkey.data, pkey.len, &hits, &n) == 0)
            out->unfiltered = n;
        free(hits);
    }
out:
    if (q->q)
        plan_reset(&plan);
    free(s.all);
    buf_reset(&key);
    buf_reset(&pkey);
    free(s.aud_mask);
    free(s.topic_mask);
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
