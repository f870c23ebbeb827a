/* search.c: store_search over an index. Filtering and facet counts are
 * bitset work in memory; full text costs one FTS5 query per phrase, and
 * each index remembers phrases, expressions and whole answers within a byte
 * budget, so paging and repeated searches cost no SQL. */
#include "store/store_int.h"
#include "lib/buf.h"
#include "lib/util.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The audience whose organisations serve professionals only, and how much
 * of their bm25() they keep among equal matches. */
#define PROFESSIONALS_ONLY "professionals"
#define PROFESSIONALS_ONLY_WEIGHT 0.6

/* Every column of org_fts but the topics' guidance. */
#define MAIN_COLUMNS "{name summary description extra contacts audiences terms topic_terms}"

static const char *const search_sql[ST_COUNT] = {
    /* The ranking weights, in one place, by column of org_fts (006):
     *   name 10, summary 4, description 1, extra (resources, topics) 2,
     *   contacts (labels and kinds) 2, audiences 1, terms (its own search
     *   terms) 3, topic_terms (its topics' search terms) 1.5, guidance (its
     *   topics' guidance text) 0.25.
     * bm25() is smaller for better matches. One concept at a time: a
     * search's score is the sum of its concepts' scores, so each is scored
     * once, remembered, and combined in C. */
    [ST_FTS] = "SELECT rowid, bm25(org_fts, 10.0, 4.0, 1.0, 2.0, 2.0, 1.0, 3.0, 1.5, 0.25)"
               " FROM org_fts WHERE org_fts MATCH ?1",
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
 * matches in organisation order and their bm25() scores; "e" + a whole
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

static int by_index(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
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

/* One phrase's matches, in organisation order, with their scores. */
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
    struct conn *c = conn_get();
    sqlite3_stmt *st = c ? stmt(c, ST_FTS, search_sql) : NULL;
    if (!st) {
        buf_reset(&key);
        return -1;
    }
    sqlite3_bind_text(st, 1, phrase, (int)len, SQLITE_STATIC);
    size_t cap = 64, count = 0;
    struct scored *list = xmalloc(cap * sizeof *list);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t pk = sqlite3_column_int64(st, 0);
        long o = org_by_pk(ix, pk);
        if (o < 0)
            continue; /* archived */
        if (count == cap) {
            cap *= 2;
            list = xrealloc(list, cap * sizeof *list);
        }
        list[count++] = (struct scored){(uint32_t)o, sqlite3_column_double(st, 1), pk};
    }
    stmt_done(st);
    if (step != SQLITE_DONE) {
        log_db_error(c->db, "full-text search");
        free(list);
        buf_reset(&key);
        return -1;
    }
    qsort(list, count, sizeof *list, by_index);
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

/* The organisations (indexes into ix->orgs) matching a plan, best first:
 * those matching more of its concepts (its meaningful words) first, then
 * by the sum of the concepts' bm25() scores, then the older record. Each
 * concept is scored once and remembered; so is the whole order. *hits is
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
    struct scored *acc = NULL;
    double *cover = NULL;
    size_t n_acc = 0;
    int rc = 0;
    for (size_t c = 0; c < plan->n && rc == 0; c++) {
        struct scored *ph, *main;
        size_t n_ph, n_main;
        char in_main[PLAN_EXPR_MAX + 64];
        snprintf(in_main, sizeof in_main, "%s : (%s)", MAIN_COLUMNS, plan->concept[c]);
        rc = phrase_matches(ix, plan->concept[c], strlen(plan->concept[c]), &ph, &n_ph);
        if (rc == 0 &&
            (rc = phrase_matches(ix, in_main, strlen(in_main), &main, &n_main)) != 0)
            free(ph);
        if (rc != 0)
            break;
        /* A word found only in the topics' guidance, which many
         * organisations share, counts for a quarter of one found in their
         * own text. */
        double *weight = xmalloc((n_ph + 1) * sizeof *weight);
        for (size_t i = 0, m = 0; i < n_ph; i++) {
            while (m < n_main && main[m].idx < ph[i].idx)
                m++;
            weight[i] = m < n_main && main[m].idx == ph[i].idx ? 1.0 : 0.25;
        }
        free(main);
        /* union, both in organisation order: scores add up, and so does
         * the number of concepts each organisation matches */
        struct scored *merged = xmalloc((n_acc + n_ph + 1) * sizeof *merged);
        double *mcover = xmalloc((n_acc + n_ph + 1) * sizeof *mcover);
        size_t i = 0, j = 0, k = 0;
        while (i < n_acc || j < n_ph) {
            if (j >= n_ph || (i < n_acc && acc[i].idx < ph[j].idx)) {
                mcover[k] = cover[i];
                merged[k++] = acc[i++];
            } else if (i >= n_acc || ph[j].idx < acc[i].idx) {
                mcover[k] = weight[j];
                merged[k++] = ph[j++];
            } else {
                mcover[k] = cover[i] + weight[j];
                merged[k] = acc[i++];
                merged[k++].score += ph[j++].score;
            }
        }
        free(acc);
        free(cover);
        free(ph);
        free(weight);
        acc = merged;
        cover = mcover;
        n_acc = k;
    }
    if (rc == 0) {
        /* Someone who writes in the first person ("my nudes got leaked",
         * "someone wants me to...") asks for help for themselves: among
         * equal matches, what they can use comes before what serves only
         * professionals (guidance for schools and police). */
        int pro = plan->first_person
                      ? store_term_find(ix->audiences, ix->n_audiences, PROFESSIONALS_ONLY)
                      : -1;
        for (size_t i = 0; pro >= 0 && i < n_acc; i++) {
            const uint64_t *a = ix->orgs[acc[i].idx].audiences;
            bool only = store_bit(a, (size_t)pro);
            for (size_t w = 0; only && w < ix->aud_words; w++)
                only = (a[w] & ~(w == (size_t)pro / 64 ? 1ULL << (pro % 64) : 0)) == 0;
            if (only)
                acc[i].score *= PROFESSIONALS_ONLY_WEIGHT;
        }
        /* More concepts matched first: fold the count into the score,
         * which bm25() keeps within (-1e3, 0] for any sane text. */
        for (size_t i = 0; i < n_acc; i++)
            acc[i].score -= 1e6 * cover[i];
        if (n_acc) /* acc is NULL when nothing matched */
            qsort(acc, n_acc, sizeof *acc, by_score);
        *hits = xmalloc((n_acc + 1) * sizeof **hits);
        for (size_t i = 0; i < n_acc; i++)
            (*hits)[i] = acc[i].idx;
        *n = n_acc;
        fts_keep(ix, key.data, key.len, *hits, NULL, n_acc);
    }
    free(acc);
    free(cover);
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
