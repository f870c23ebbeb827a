/* search.c: store_search over an index. A search is read into a plan of
 * concepts (plan.c); each concept's matches are fetched from the
 * organisations' own text (in memory, fulltext.c, or through FTS5 for a
 * phrase of several words) and from the taxonomy (taxon.c), then matched,
 * filtered, counted and ranked as bitsets (match.c). Each index remembers
 * phrases and whole answers within a byte budget, so paging and repeated
 * searches cost even less. The ranking weights are here. */
#include "store/store_int.h"
#include "lib/buf.h"
#include "lib/util.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The column weights of org_fts, for SQLite's bm25() below and for the
 * same score computed in memory (fulltext.c): name, summary, description,
 * extra, contacts, terms. Whole numbers, so that a prefix's frequencies
 * add up exactly in any order. */
#define ORG_WEIGHTS 10.0, 4.0, 1.0, 2.0, 2.0, 3.0
#define SQL_LIST(...) #__VA_ARGS__
#define SQL_OF(...) SQL_LIST(__VA_ARGS__)
const double search_org_weights[SEARCH_ORG_COLS] = {ORG_WEIGHTS};

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
    [ST_FTS] = "SELECT rowid, bm25(org_fts, " SQL_OF(ORG_WEIGHTS) ")"
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

/* The column weights of the taxonomy, with those of org_fts above. */
static const double topic_weights[TAXON_COLS] = {2.0, 2.0, 1.5, 0.25};
static const double audience_weights[TAXON_COLS] = {1.0, 1.0};

/* A plan as a key: its concepts, each ended by a NUL. */
static void plan_key(struct buf *key, const struct plan *plan)
{
    for (size_t c = 0; plan && c < plan->n; c++) {
        buf_puts(key, plan->concept[c]);
        buf_putc(key, '\0');
    }
}

/* The answer cache's key: whether the plan is in the first person and the
 * plan ('*' or '-' for every organisation), and the two filter masks. */
static void answer_key(struct buf *key, const struct plan *plan, bool everything,
                       const uint64_t *aud,
                       size_t aud_words, const uint64_t *topic, size_t topic_words)
{
    if (plan) {
        /* 'p' or 'f': the same concepts rank differently in the first
         * person; and neither is '*' or '-', even for a plan of no concepts */
        buf_putc(key, plan->first_person ? 'f' : 'p');
        plan_key(key, plan);
    } else
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

/* Answers q: matches (a plan's, or every organisation), filters, facet
 * counts, and the first organisations in order into out and *list (*n of
 * them). Each concept's own matches are scored once and remembered. */
static int answer(struct store_index *ix, const struct store_search *q, const struct plan *pl,
                  struct match *m, struct store_results *out, uint32_t **list, size_t *n)
{
    struct match_found f[WORDS_MAX];
    struct term_hits *hits = NULL;
    size_t n_found = 0;
    int rc = 0;
    if (pl) {
        const struct store_vocab *v = vocab_get(ix);
        hits = xmalloc((2 * pl->n + 1) * sizeof *hits);
        for (size_t c = 0; c < pl->n && v; c++) {
            struct scored *own;
            size_t n_own;
            if (phrase_matches(ix, pl->concept[c], strlen(pl->concept[c]), &own, &n_own) != 0)
                break;
            f[c] = (struct match_found){own, n_own, &hits[2 * c], &hits[2 * c + 1]};
            n_found = c + 1;
            taxon_match(v, TAXON_TOPICS, topic_weights, 3, pl->concept[c], &hits[2 * c]);
            taxon_match(v, TAXON_AUDIENCES, audience_weights, 2, pl->concept[c], &hits[2 * c + 1]);
            match_concept(m, ix, c, &f[c]);
        }
        if (n_found < pl->n)
            rc = -1;
    } else {
        match_all(m, ix);
    }
    if (rc == 0) {
        match_filter(m, ix, q, pl != NULL, out);
        size_t k = q->offset + q->limit;
        if (memo_on && k < ANSWER_KEEP)
            k = ANSWER_KEEP;
        if (k > out->total)
            k = out->total;
        *list = xmalloc((k + 1) * sizeof **list);
        *n = pl ? match_ranked(m, ix, f, n_found, pl->first_person, k, *list)
                : match_in_order(m, ix, out->everything, k, *list);
    }
    for (size_t c = 0; c < n_found; c++)
        free((void *)f[c].own);
    free(hits);
    return rc;
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
    struct match *m = match_begin(ix);
    uint32_t *list = NULL;
    size_t n = 0;
    rc = answer(ix, q, pl, m, out, &list, &n);
    match_end(m, ix);
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
