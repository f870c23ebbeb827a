/* fuzz_search.c: the search path (server/store/plan.c, fulltext.c, taxon.c,
 * search.c) against a real, freshly migrated and seeded database.
 *
 * Input: the first byte's low bit is `exact`; the rest, up to 512 bytes
 * (to its first NUL), is the search as typed; its first byte also chooses
 * the page (offset 0, 20 or 40).
 *
 * Guards:
 *   - plan_build succeeds; at most WORDS_MAX concepts, each non-empty,
 *     NUL-terminated within PLAN_EXPR_MAX and nothing but our syntax
 *     ("w[ w]"[*] joined by " OR ", w of a-z0-9), so no byte of what was
 *     typed reaches FTS5 as syntax, and FTS5 accepts every concept;
 *   - fulltext.c agrees with SQLite's FTS5 bm25() exactly: for every
 *     concept it answers in memory, the same public organisations in rowid
 *     order with scores equal to the bit;
 *   - taxon.c agrees with topic_fts and audience_fts the same way (matches,
 *     scores, main-column matches), its hits within TERM_HITS_MAX and the
 *     taxonomy;
 *   - store_search gives a page that holds what total says it should, of
 *     distinct organisations of the index, facet counts within the answer,
 *     and the same page whether remembered (memo on, asked twice) or
 *     computed afresh (memo off), and whether ranked alone or as a slice
 *     of the first five pages. */
#include "fuzz.h"
#include "store/store_int.h"
#include "../unit/search_reference.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define Q_MAX 512
#define PAGE 20

static char db_path[] = "/tmp/signpost-fuzz-search-XXXXXX";
static struct store_index *ix;
static sqlite3_stmt *fts_st;  /* org_fts: rowid, bm25() under fulltext_weights */
static sqlite3_stmt *topic_st, *topic_main_st, *aud_st;
static const double topic_w[TAXON_COLS] = {2.0, 2.0, 1.5, 0.25};
static const double aud_w[TAXON_COLS] = {1.0, 1.0};

static void prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    FUZZ_CHECK(rc == SQLITE_OK, "prepare %s: %s", sql, sqlite3_errmsg(db));
}

static void finish(void)
{
    sqlite3_finalize(fts_st);
    sqlite3_finalize(topic_st);
    sqlite3_finalize(topic_main_st);
    sqlite3_finalize(aud_st);
    fts_st = topic_st = topic_main_st = aud_st = NULL;
    if (ix)
        store_index_release(ix);
    ix = NULL;
    store_close();
    char name[sizeof db_path + 8];
    unlink(db_path);
    snprintf(name, sizeof name, "%s-wal", db_path);
    unlink(name);
    snprintf(name, sizeof name, "%s-shm", db_path);
    unlink(name);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    int fd = mkstemp(db_path);
    FUZZ_CHECK(fd >= 0, "mkstemp %s", db_path);
    close(fd);
    unlink(db_path); /* SQLite creates it */
    FUZZ_CHECK(store_open(db_path) == 0, "store_open %s", db_path);
    atexit(finish);
    struct conn *c = conn_get();
    FUZZ_CHECK(c != NULL, "no connection");
    /* a row of org_fts that is no public organisation's (as an archived
     * one's would be: it counts in the IDF, it is never returned), in words
     * the seed already has, as tests/unit/test_plan.c adds */
    FUZZ_CHECK(sqlite3_exec(c->db,
                            "INSERT INTO org_fts (rowid, name, summary, description, extra,"
                            " contacts, terms) VALUES (900000, 'online safety', 'report online"
                            " bullying', 'help for parents and children online', '', 'phone', '')",
                            NULL, NULL, NULL) == SQLITE_OK,
               "insert into org_fts: %s", sqlite3_errmsg(c->db));
    ix = store_index_acquire();
    FUZZ_CHECK(ix != NULL, "store_index_acquire");
    FUZZ_CHECK(ix->n_orgs > 0, "no organisations: the seed is missing");
    FUZZ_CHECK(vocab_get(ix) != NULL, "no vocabulary");
    FUZZ_CHECK(vocab_fulltext(ix) != NULL, "no postings: the differential would be empty");

    char sql[256];
    org_bm25_sql(sql, sizeof sql);
    prepare(c->db, sql, &fts_st);
    prepare(c->db,
            "SELECT rowid, bm25(topic_fts, 2.0, 2.0, 1.5, 0.25) FROM topic_fts"
            " WHERE topic_fts MATCH ?",
            &topic_st);
    prepare(c->db, "SELECT rowid FROM topic_fts WHERE topic_fts MATCH ?", &topic_main_st);
    prepare(c->db,
            "SELECT rowid, bm25(audience_fts, 1.0, 1.0) FROM audience_fts"
            " WHERE audience_fts MATCH ?",
            &aud_st);
    return 0;
}


static void check_concept(const char *q, const char *c)
{
    size_t len = strnlen(c, PLAN_EXPR_MAX);
    FUZZ_CHECK(len < PLAN_EXPR_MAX, "a concept of \"%s\" is not terminated", q);
    FUZZ_CHECK(len > 0, "an empty concept for \"%s\"", q);
    for (size_t i = 0; i < len; i++) {
        char ch = c[i];
        FUZZ_CHECK((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == ' ' ||
                       ch == '"' || ch == '*' || ch == 'O' || ch == 'R',
                   "concept %s of \"%s\" has byte 0x%02x", c, q, (unsigned char)ch);
    }
    FUZZ_CHECK(safe_concept(c), "concept %s of \"%s\" is not our syntax", c, q);
}

/* fulltext.c against org_fts's bm25(). */
static void compare_fulltext(const char *concept)
{
    struct scored *got = NULL;
    size_t n = 0;
    int rc = fulltext_match(vocab_fulltext(ix), vocab_get(ix), ix, concept, 2000, &got, &n);
    FUZZ_CHECK(rc == 0 || rc == 1, "fulltext_match %s: %d", concept, rc);
    struct conn *c = conn_get();
    sqlite3_reset(fts_st);
    sqlite3_bind_text(fts_st, 1, concept, -1, SQLITE_STATIC);
    size_t pub = 0, cap = 0;
    int64_t *pk = NULL;
    double *want = NULL;
    int step;
    while ((step = sqlite3_step(fts_st)) == SQLITE_ROW) {
        int64_t r = sqlite3_column_int64(fts_st, 0);
        if (org_by_pk(ix, r) < 0)
            continue;
        if (pub == cap) {
            cap = cap ? 2 * cap : 64;
            pk = realloc(pk, cap * sizeof *pk);
            want = realloc(want, cap * sizeof *want);
            FUZZ_CHECK(pk && want, "out of memory");
        }
        pk[pub] = r;
        want[pub++] = sqlite3_column_double(fts_st, 1);
    }
    FUZZ_CHECK(step == SQLITE_DONE, "FTS5 refuses %s: %s", concept, sqlite3_errmsg(c->db));
    sqlite3_reset(fts_st);
    sqlite3_clear_bindings(fts_st);
    if (rc == 0) {
        FUZZ_CHECK(n == pub, "%s: fulltext.c finds %zu, FTS5 %zu", concept, n, pub);
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(got[i].pk == pk[i], "%s: row %zu is pk %lld, FTS5 %lld", concept, i,
                       (long long)got[i].pk, (long long)pk[i]);
            FUZZ_CHECK(got[i].idx < ix->n_orgs && ix->pks[got[i].idx] == pk[i],
                       "%s: row %zu (pk %lld) has index %u", concept, i, (long long)pk[i],
                       got[i].idx);
            FUZZ_CHECK(got[i].score == want[i], "%s pk %lld: %.17g, FTS5 %.17g", concept,
                       (long long)pk[i], got[i].score, want[i]);
        }
    }
    free(got);
    free(pk);
    free(want);
}

/* taxon.c against topic_fts or audience_fts. */
static void compare_taxon(int which, const char *concept)
{
    const bool topics = which == TAXON_TOPICS;
    const struct store_term *terms = topics ? ix->topics : ix->audiences;
    const size_t n_terms = topics ? ix->n_topics : ix->n_audiences;
    const char *table = topics ? "topic_fts" : "audience_fts";
    struct term_hits h;
    taxon_match(vocab_get(ix), which, topics ? topic_w : aud_w, topics ? 3 : 2, concept, &h);
    FUZZ_CHECK(h.n >= 0 && h.n <= TERM_HITS_MAX, "%s %s: %ld hits", table, concept, h.n);
    for (long k = 0; k < h.n; k++) {
        FUZZ_CHECK(h.idx[k] >= 0 && (size_t)h.idx[k] < n_terms, "%s %s: hit %ld is %d of %zu",
                   table, concept, k, h.idx[k], n_terms);
        for (long j = 0; j < k; j++)
            FUZZ_CHECK(h.idx[j] != h.idx[k], "%s %s: %d twice", table, concept, h.idx[k]);
    }

    struct conn *c = conn_get();
    sqlite3_stmt *st = topics ? topic_st : aud_st;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, concept, -1, SQLITE_STATIC);
    long found = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t pk = sqlite3_column_int64(st, 0);
        double want = sqlite3_column_double(st, 1);
        long k = 0;
        while (k < h.n && terms[h.idx[k]].pk != pk)
            k++;
        FUZZ_CHECK(k < h.n, "%s %s: FTS5 finds pk %lld, taxon.c does not", table, concept,
                   (long long)pk);
        FUZZ_CHECK(h.score[k] == want, "%s %s pk %lld: %.17g, FTS5 %.17g", table, concept,
                   (long long)pk, h.score[k], want);
        found++;
    }
    FUZZ_CHECK(step == SQLITE_DONE, "%s refuses %s: %s", table, concept, sqlite3_errmsg(c->db));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    FUZZ_CHECK(h.n == found, "%s %s: taxon.c finds %ld, FTS5 %ld", table, concept, h.n, found);

    if (!topics)
        return;
    /* a match in label, description or terms is a main one */
    char filtered[PLAN_EXPR_MAX + 64];
    snprintf(filtered, sizeof filtered, "{label description terms} : (%s)", concept);
    sqlite3_reset(topic_main_st);
    sqlite3_bind_text(topic_main_st, 1, filtered, -1, SQLITE_STATIC);
    long mains = 0;
    while ((step = sqlite3_step(topic_main_st)) == SQLITE_ROW) {
        int64_t pk = sqlite3_column_int64(topic_main_st, 0);
        for (long k = 0; k < h.n; k++)
            if (terms[h.idx[k]].pk == pk)
                FUZZ_CHECK(h.main[k], "%s %s pk %lld: a main match taxon.c misses", table,
                           concept, (long long)pk);
        mains++;
    }
    FUZZ_CHECK(step == SQLITE_DONE, "%s refuses %s: %s", table, filtered,
               sqlite3_errmsg(c->db));
    sqlite3_reset(topic_main_st);
    sqlite3_clear_bindings(topic_main_st);
    long ours = 0;
    for (long k = 0; k < h.n; k++)
        ours += h.main[k];
    FUZZ_CHECK(ours == mains, "%s %s: %ld main matches, FTS5 %ld", table, concept, ours, mains);
}

static void check_results(const char *q, const struct plan *p, size_t offset,
                          const struct store_results *r, unsigned char *seen)
{
    FUZZ_CHECK(r->total <= ix->n_orgs, "\"%s\": total %zu of %zu", q, r->total, ix->n_orgs);
    FUZZ_CHECK(r->unfiltered == r->total, "\"%s\": unfiltered %zu, total %zu, no filters", q,
               r->unfiltered, r->total);
    size_t want = r->total > offset ? r->total - offset : 0;
    if (want > PAGE)
        want = PAGE;
    FUZZ_CHECK(r->n_items == want, "\"%s\" offset %zu: %zu items of %zu", q, offset, r->n_items,
               r->total);
    memset(seen, 0, ix->n_orgs);
    for (size_t i = 0; i < r->n_items; i++) {
        const struct store_org *o = r->items[i];
        FUZZ_CHECK(o >= ix->orgs && o < ix->orgs + ix->n_orgs, "\"%s\": item %zu is not in ix",
                   q, i);
        size_t k = (size_t)(o - ix->orgs);
        FUZZ_CHECK(!seen[k], "\"%s\": %s twice on the page", q, o->slug);
        seen[k] = 1;
    }
    for (size_t a = 0; a < ix->n_audiences; a++)
        FUZZ_CHECK(r->audience_counts[a] <= ix->n_orgs && r->audience_counts[a] <= r->total,
                   "\"%s\": audience %s counts %zu of %zu", q, ix->audiences[a].slug,
                   r->audience_counts[a], r->total);
    for (size_t t = 0; t < ix->n_topics; t++)
        FUZZ_CHECK(r->topic_counts[t] <= ix->n_orgs && r->topic_counts[t] <= r->total,
                   "\"%s\": topic %s counts %zu of %zu", q, ix->topics[t].slug,
                   r->topic_counts[t], r->total);
    if (r->everything)
        FUZZ_CHECK(r->total == ix->n_orgs, "\"%s\": everything, but %zu of %zu", q, r->total,
                   ix->n_orgs);
    /* what the search says of q is what the plan says */
    FUZZ_CHECK(r->everything == !p->meaningful, "\"%s\": everything %d, meaningful %d", q,
               r->everything, p->meaningful);
    FUZZ_CHECK(r->urgent == p->urgent, "\"%s\": urgent %d, plan %d", q, r->urgent, p->urgent);
    FUZZ_CHECK(r->n_meant == p->n_meant && r->n_meant <= STORE_MEANT_MAX, "\"%s\": %zu meant",
               q, r->n_meant);
    for (size_t m = 0; m < r->n_meant; m++)
        FUZZ_CHECK(r->meant[m] == p->meant[m] && r->meant[m] >= 0 &&
                       (size_t)r->meant[m] < ix->n_topics,
                   "\"%s\": meant %d", q, r->meant[m]);
    FUZZ_CHECK((r->corrected == NULL) == (p->corrected == NULL) &&
                   (!r->corrected || strcmp(r->corrected, p->corrected) == 0),
               "\"%s\": corrected \"%s\", plan \"%s\"", q, r->corrected ? r->corrected : "",
               p->corrected ? p->corrected : "");
}

static void same_results(const char *q, const char *what, const struct store_results *a,
                         const struct store_results *b)
{
    FUZZ_CHECK(a->total == b->total && a->n_items == b->n_items,
               "\"%s\" %s: total %zu/%zu, items %zu/%zu", q, what, a->total, b->total,
               a->n_items, b->n_items);
    for (size_t i = 0; i < a->n_items; i++)
        FUZZ_CHECK(a->items[i] == b->items[i], "\"%s\" %s: item %zu is %s, then %s", q, what, i,
                   a->items[i]->slug, b->items[i]->slug);
    FUZZ_CHECK(memcmp(a->audience_counts, b->audience_counts,
                      ix->n_audiences * sizeof *a->audience_counts) == 0 &&
                   memcmp(a->topic_counts, b->topic_counts,
                          ix->n_topics * sizeof *a->topic_counts) == 0,
               "\"%s\" %s: facet counts differ", q, what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    bool exact = data[0] & 1;
    char q[Q_MAX + 1];
    size_t len = size - 1 > Q_MAX ? Q_MAX : size - 1;
    memcpy(q, data + 1, len);
    q[len] = '\0';
    size_t offset = size > 1 ? (size_t)(data[1] % 3) * PAGE : 0;

    struct plan p;
    FUZZ_CHECK(plan_build(ix, q, exact, &p) == 0, "plan_build \"%s\"", q);
    FUZZ_CHECK(p.n <= WORDS_MAX, "\"%s\": %zu concepts", q, p.n);
    FUZZ_CHECK(p.meaningful || p.n == 0, "\"%s\": %zu concepts, nothing meaningful", q, p.n);
    FUZZ_CHECK(!exact || !p.corrected, "\"%s\" exact, corrected to \"%s\"", q, p.corrected);
    for (size_t i = 0; i < p.n; i++) {
        check_concept(q, p.concept[i]);
        compare_fulltext(p.concept[i]);
        compare_taxon(TAXON_TOPICS, p.concept[i]);
        compare_taxon(TAXON_AUDIENCES, p.concept[i]);
    }

    unsigned char *seen = malloc(ix->n_orgs + 1);
    FUZZ_CHECK(seen != NULL, "out of memory");
    const struct store_search s = {.q = q, .exact = exact, .offset = offset, .limit = PAGE};
    struct store_results first, again, fresh;
    FUZZ_CHECK(store_search(ix, &s, &first) == 0, "store_search \"%s\"", q);
    check_results(q, &p, offset, &first, seen);
    /* asked again: remembered */
    FUZZ_CHECK(store_search(ix, &s, &again) == 0, "store_search \"%s\" again", q);
    check_results(q, &p, offset, &again, seen);
    same_results(q, "asked again", &first, &again);
    /* computed afresh, nothing remembered */
    store_search_memo(false);
    int rc = store_search(ix, &s, &fresh);
    /* and the first five pages at once (memo on ranks 100 as one): the
     * page is their slice, however many were ranked */
    struct store_results wide;
    const struct store_search sw = {.q = q, .exact = exact, .offset = 0, .limit = 5 * PAGE};
    int rc_wide = store_search(ix, &sw, &wide);
    store_search_memo(true);
    FUZZ_CHECK(rc == 0 && rc_wide == 0, "store_search \"%s\" memo off", q);
    check_results(q, &p, offset, &fresh, seen);
    FUZZ_CHECK(wide.total == fresh.total &&
                   wide.n_items == (wide.total < 5 * PAGE ? wide.total : 5 * PAGE),
               "\"%s\": total %zu, %zu items of the first five pages", q, wide.total,
               wide.n_items);
    for (size_t i = 0; i < fresh.n_items; i++)
        FUZZ_CHECK(wide.items[offset + i] == fresh.items[i],
                   "\"%s\": item %zu of the page at %zu is %s, of the first five pages %s", q, i,
                   offset, fresh.items[i]->slug, wide.items[offset + i]->slug);
    same_results(q, "memo off", &first, &fresh);
    store_results_reset(&first);
    store_results_reset(&again);
    store_results_reset(&fresh);
    store_results_reset(&wide);
    free(seen);
    plan_reset(&p);
    return 0;
}
