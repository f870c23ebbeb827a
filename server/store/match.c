/* match.c: one search's matching, filtering and ranking, as bitsets over
 * the index's organisations a 64-bit word at a time. search.c reads the
 * words and fetches each concept's matches (the organisations' own text,
 * the topics and audiences); here they become sets (matched in full, or
 * through a topic's guidance only), counts of concepts matched, facet
 * counts by popcount against each term's members, and, for only those
 * organisations that can reach the requested page, scores and a ranking.
 * The ranking's priors live here: a word in a topic's guidance only counts
 * a quarter, and a first-person search puts what serves only
 * professionals after the rest among equal matches. */
#include "store/store_int.h"
#include "lib/util.h"

#include <pthread.h>
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

/* bm25() is smaller for better matches; ties go to the older record, as
 * SQLite's ORDER BY bm25(), rowid would put them. */
static int by_score(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return x->pk < y->pk ? -1 : x->pk > y->pk;
}

/* What a search works in, kept per thread between searches (sized to the
 * largest index seen) so that a search over 100,000 organisations neither
 * allocates nor clears megabytes: score and cover are dense per
 * organisation, zero outside the organisations a search touched (it clears
 * those on the way out), and the rest are bitsets over organisations. */
struct match {
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

static pthread_key_t match_key;
static pthread_once_t match_once = PTHREAD_ONCE_INIT;

static void match_free(void *p)
{
    struct match *s = p;
    if (!s)
        return;
    free(s->score);
    free(s->cover);
    free(s->hit);
    free(s);
}

static void match_init(void)
{
    pthread_key_create(&match_key, match_free);
}

struct match *match_begin(const struct store_index *ix)
{
    pthread_once(&match_once, match_init);
    struct match *s = pthread_getspecific(match_key);
    if (s && s->cap >= ix->n_orgs)
        return s;
    match_free(s);
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
    pthread_setspecific(match_key, s);
    return s;
}

void match_end(struct match *s, const struct store_index *ix)
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
                   const uint64_t *mask, struct match *s)
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

/* The organisations of s->pass that can be among the first k, into
 * s->scored: those whose count (cover) reaches that of the k-th best,
 * which is at least COVER_FULL * m when k of them match m concepts in
 * full (the most such m). */
static void candidates(const struct store_index *ix, struct match *s, size_t n_concepts,
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
static void plan_score(const struct store_index *ix, const struct match_found *f, size_t n,
                       const uint64_t *mask, struct match *s)
{
    for (size_t c = 0; c < n; c++) {
        for (size_t i = 0; i < f[c].n_own; i++) {
            uint32_t o = f[c].own[i].idx;
            if ((mask[o / 64] >> (o % 64)) & 1)
                s->score[o] += f[c].own[i].score;
        }
        spread(ix, f[c].topics, store_topic_members, mask, s);
        spread(ix, f[c].audiences, store_audience_members, mask, s);
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
static size_t rank(const struct store_index *ix, const struct match *s, bool first_person,
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
size_t match_in_order(struct match *s, const struct store_index *ix, bool helpers_first,
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

void match_all(struct match *s, const struct store_index *ix)
{
    pass_fill(ix, s->hit, NULL, 0, NULL);
}

void match_concept(struct match *s, const struct store_index *ix, size_t c,
                   const struct match_found *f)
{
    size_t ow = ix->org_words;
    uint64_t *full = s->sets + 2 * c * s->words, *part = full + s->words;
    memset(full, 0, ow * sizeof *full);
    memset(part, 0, ow * sizeof *part);
    for (size_t i = 0; i < f->n_own; i++) {
        uint32_t o = f->own[i].idx;
        full[o / 64] |= 1ULL << (o % 64);
    }
    mark_terms(ix, f->topics, store_topic_members, full, part);
    mark_terms(ix, f->audiences, store_audience_members, full, part);
    for (size_t w = 0; w < ow; w++)
        s->hit[w] |= full[w] | part[w];
    count_cover(s->cover, full, part, ow);
}

void match_filter(struct match *s, const struct store_index *ix, const struct store_search *q,
                  bool words, struct store_results *out)
{
    size_t ow = ix->org_words;
    pass_fill(ix, s->pass_a, q->audiences, q->n_audiences, store_audience_members);
    pass_fill(ix, s->pass_t, q->topics, q->n_topics, store_topic_eff_members);
    for (size_t w = 0; w < ow; w++)
        s->pass[w] = s->hit[w] & s->pass_a[w] & s->pass_t[w];
    out->total = count_and(s->pass, s->pass, NULL, ow);
    for (size_t a = 0; a < ix->n_audiences; a++)
        out->audience_counts[a] = count_and(s->hit, s->pass_t, store_audience_members(ix, a), ow);
    for (size_t t = 0; t < ix->n_topics; t++)
        out->topic_counts[t] = count_and(s->hit, s->pass_a, store_topic_eff_members(ix, t), ow);
    out->unfiltered = out->total;
    if (out->total == 0 && words && (q->n_audiences || q->n_topics))
        /* Filters emptied the answer: how many the words alone find, so
         * the person can be offered the search without them. */
        out->unfiltered = count_and(s->hit, s->hit, NULL, ow);
}

size_t match_ranked(struct match *s, const struct store_index *ix, const struct match_found *f,
                    size_t n, bool first_person, size_t k, uint32_t *list)
{
    /* Those matching more concepts come first: only those that can be
     * among the first k need a score. */
    candidates(ix, s, n, k);
    plan_score(ix, f, n, s->scored, s);
    return rank(ix, s, first_person, k, list);
}
