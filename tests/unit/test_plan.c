/* test_plan.c: unit tests of reading a search (server/store/plan.c) against
 * a real, freshly seeded database: the concepts each word becomes, the
 * corrections, the topics meant, and that whatever anyone types, every
 * concept is FTS5 syntax we wrote (quoted a-z0-9 words, OR, *), which FTS5
 * accepts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "store/store_int.h"
#include "search_reference.h"

static struct store_index *ix;

static bool has_concept(const struct plan *p, const char *expr)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->concept[i], expr) == 0)
            return true;
    return false;
}

static void test_every_word_is_a_prefix_and_stop_words_go(void)
{
    struct plan p;
    CHECK_INT(plan_build(ix, "my son is being blackmailed", false, &p), 0);
    CHECK_INT(p.n, 1);
    CHECK(has_concept(&p, "\"blackmailed\"*"));
    CHECK(p.meaningful);
    plan_reset(&p);
}

static void test_only_stop_words_mean_nothing_to_search(void)
{
    struct plan p;
    CHECK_INT(plan_build(ix, "what do i do", false, &p), 0);
    CHECK(!p.meaningful);
    CHECK_INT(p.n, 0);
    plan_reset(&p);
}

static void test_two_words_the_index_knows_as_one_are_joined(void)
{
    struct plan p;
    CHECK_INT(plan_build(ix, "cyber bullying", false, &p), 0);
    CHECK(has_concept(&p, "\"cyberbullying\"*"));
    plan_reset(&p);
    CHECK_INT(plan_build(ix, "child line", false, &p), 0);
    CHECK(has_concept(&p, "\"childline\"*"));
    plan_reset(&p);
}

static void test_a_misspelt_word_is_corrected_and_said_back(void)
{
    struct plan p;
    CHECK_INT(plan_build(ix, "parental contols", false, &p), 0);
    CHECK_STR(p.corrected, "parental controls");
    plan_reset(&p);
    CHECK_INT(plan_build(ix, "childine", false, &p), 0);
    CHECK_STR(p.corrected, "childline");
    plan_reset(&p);
    CHECK_INT(plan_build(ix, "sextorsion", false, &p), 0);
    CHECK_STR(p.corrected, "sextortion");
    plan_reset(&p);
}

static void test_a_correction_is_said_in_written_words_never_a_stem(void)
{
    /* "emergency" is in no name, summary or search term: its spelling
     * comes from the indexed text, not the stem "emerg" */
    struct plan p;
    CHECK_INT(plan_build(ix, "emregency", false, &p), 0);
    CHECK_STR(p.corrected, "emergency");
    CHECK(has_concept(&p, "\"emergency\"*"));
    plan_reset(&p);
}

static void test_a_prefix_past_its_stem_finds_the_word_even_exact(void)
{
    /* "grooming" is indexed as "groom": "groomin" starts no stem */
    for (int exact = 0; exact <= 1; exact++) {
        struct plan p;
        CHECK_INT(plan_build(ix, "groomin", exact, &p), 0);
        CHECK_INT(p.n, 1);
        CHECK(p.n == 1 && strstr(p.concept[0], "\"grooming\"*") != NULL);
        CHECK(p.corrected == NULL);
        plan_reset(&p);
    }
}

static void test_exact_turns_correction_off(void)
{
    struct plan p;
    CHECK_INT(plan_build(ix, "parental contols", true, &p), 0);
    CHECK(p.corrected == NULL);
    CHECK_INT(p.n, 1); /* "contols" finds nothing and is dropped */
    plan_reset(&p);
}

static void test_a_word_nothing_finds_is_dropped(void)
{
    struct plan p;
    CHECK_INT(plan_build(ix, "xqzvw bullying", false, &p), 0);
    CHECK_INT(p.n, 1);
    CHECK(p.corrected == NULL);
    plan_reset(&p);
}

static void test_the_topic_a_search_names_is_found(void)
{
    struct plan p;
    CHECK_INT(plan_build(ix, "sextortion", false, &p), 0);
    bool exploitation = false;
    for (size_t i = 0; i < p.n_meant; i++)
        exploitation |= strcmp(ix->topics[p.meant[i]].slug, "exploitation") == 0;
    CHECK(exploitation);
    plan_reset(&p);
}

static void test_urgent_and_first_person_are_noticed(void)
{
    struct plan p;
    CHECK_INT(plan_build(ix, "i need help now", false, &p), 0);
    CHECK(p.urgent);
    CHECK(p.first_person);
    plan_reset(&p);
    CHECK_INT(plan_build(ix, "staff training", false, &p), 0);
    CHECK(!p.urgent);
    CHECK(!p.first_person);
    plan_reset(&p);
}


static void test_whatever_is_typed_the_concepts_are_ours_and_fts5_takes_them(void)
{
    static const char *const hostile[] = {
        "\"", "*", "-", "((((", "NEAR(a b)", "name:childline", "a OR b", "a AND NOT b",
        "childline' OR '1'='1", "<script>alert(1)</script>", "^bully", "bully*",
        "caf\xc3\xa9 na\xc3\xafve", "\xff\xfe\xfd", "\xf0\x9f\x98\xa2 help", "   ", ""};
    size_t checked = 0;
    unsigned seed = 12345;
    char text[220];
    for (size_t round = 0; round < 600; round++) {
        const char *q;
        if (round < sizeof hostile / sizeof hostile[0]) {
            q = hostile[round];
        } else {
            /* real words, misspellings and noise, joined by FTS5's syntax */
            static const char *const words[] = {
                "bully", "nudes", "child", "line", "cyber", "report", "groomed", "contols",
                "photos", "help", "now", "my", "derby", "sextorsion", "childine", "xq",
                "caf\xc3\xa9", "NEAR", "OR", "AND", "NOT", "999", "some1", "ppl"};
            static const char seps[] = " \"*-():^'+.,!?";
            size_t len = 0, n = (seed = seed * 1103515245 + 12345) % 9;
            for (size_t i = 0; i < n && len < 180; i++) {
                seed = seed * 1103515245 + 12345;
                len += (size_t)snprintf(text + len, sizeof text - len, "%s%c",
                                        words[(seed >> 16) % (sizeof words / sizeof words[0])],
                                        seps[(seed >> 8) % (sizeof seps - 1)]);
            }
            text[len] = '\0';
            q = text;
        }
        struct plan p;
        if (!CHECK_INT(plan_build(ix, q, false, &p), 0))
            continue;
        for (size_t i = 0; i < p.n; i++) {
            if (!CHECK(safe_concept(p.concept[i])))
                printf("  unsafe concept for %s: %s\n", q, p.concept[i]);
            struct conn *c = conn_get();
            sqlite3_stmt *st = NULL;
            sqlite3_prepare_v2(c->db, "SELECT count(*) FROM org_fts WHERE org_fts MATCH ?", -1,
                               &st, NULL);
            sqlite3_bind_text(st, 1, p.concept[i], -1, SQLITE_STATIC);
            if (!CHECK_INT(sqlite3_step(st), SQLITE_ROW))
                printf("  FTS5 refused %s: %s\n", p.concept[i], sqlite3_errmsg(c->db));
            sqlite3_finalize(st);
            checked++;
        }
        plan_reset(&p);
    }
    CHECK(checked > 200);
}

/* taxon.c scores the taxonomy in memory as FTS5 would: for the concepts
 * of many searches, the topics and audiences it finds, their bm25() and
 * whether they matched beyond a topic's guidance are exactly those of
 * topic_fts and audience_fts. */
static void compare_taxon(const struct store_vocab *v, int which, const char *table,
                          const char *weights, const char *main_cols, int n_main,
                          const double *w, const char *concept)
{
    struct term_hits h;
    taxon_match(v, which, w, n_main, concept, &h);
    const struct store_term *terms = which == TAXON_TOPICS ? ix->topics : ix->audiences;
    struct conn *c = conn_get();
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT rowid, bm25(%s, %s) FROM %s WHERE %s MATCH ?", table,
             weights, table, table);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    sqlite3_bind_text(st, 1, concept, -1, SQLITE_STATIC);
    long found = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t pk = sqlite3_column_int64(st, 0);
        double want = sqlite3_column_double(st, 1);
        bool seen = false;
        for (long k = 0; k < h.n; k++)
            if (terms[h.idx[k]].pk == pk) {
                seen = true;
                if (!CHECK(h.score[k] == want))
                    printf("  %s %s pk %lld: %.12f, FTS5 %.12f\n", table, concept, (long long)pk,
                           h.score[k], want);
            }
        if (!CHECK(seen))
            printf("  %s %s: FTS5 finds pk %lld, taxon.c does not\n", table, concept,
                   (long long)pk);
        found++;
    }
    sqlite3_finalize(st);
    if (!CHECK_INT(h.n, found))
        printf("  %s %s: taxon.c finds %ld, FTS5 %ld\n", table, concept, h.n, found);
    if (main_cols) {
        char filtered[PLAN_EXPR_MAX + 64];
        snprintf(filtered, sizeof filtered, "%s : (%s)", main_cols, concept);
        snprintf(sql, sizeof sql, "SELECT rowid FROM %s WHERE %s MATCH ?", table, table);
        sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
        sqlite3_bind_text(st, 1, filtered, -1, SQLITE_STATIC);
        long mains = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            int64_t pk = sqlite3_column_int64(st, 0);
            for (long k = 0; k < h.n; k++)
                if (terms[h.idx[k]].pk == pk && !CHECK(h.main[k]))
                    printf("  %s %s pk %lld: a main match\n", table, concept, (long long)pk);
            mains++;
        }
        sqlite3_finalize(st);
        long ours = 0;
        for (long k = 0; k < h.n; k++)
            ours += h.main[k];
        CHECK_INT(ours, mains);
    }
}

static void test_the_taxonomy_in_memory_scores_as_fts5_does(void)
{
    static const double topic_w[] = {2.0, 2.0, 1.5, 0.25}, aud_w[] = {1.0, 1.0};
    static const char *const searches[] = {
        "bullying", "my son is being groomed online", "sharing nudes", "sextortion",
        "worried about my own thoughts", "parental controls", "child sexual abuse images",
        "report", "peer pressure", "wellbeing", "young people", "parents and carers",
        "teachers", "self esteem", "cyber bullying", "child line", "law", "police",
        "what the law says about sending pictures", "adults worried", "professionals", NULL};
    const struct store_vocab *v = vocab_get(ix);
    if (!CHECK(v != NULL))
        return;
    size_t concepts = 0;
    for (int i = 0; searches[i]; i++) {
        struct plan p;
        if (!CHECK_INT(plan_build(ix, searches[i], false, &p), 0))
            continue;
        for (size_t k = 0; k < p.n; k++, concepts++) {
            compare_taxon(v, TAXON_TOPICS, "topic_fts", "2.0, 2.0, 1.5, 0.25",
                          "{label description terms}", 3, topic_w, p.concept[k]);
            compare_taxon(v, TAXON_AUDIENCES, "audience_fts", "1.0, 1.0", NULL, 2, aud_w,
                          p.concept[k]);
        }
        plan_reset(&p);
    }
    CHECK(concepts > 25);
}

/* fulltext.c scores the organisations' own text in memory as FTS5 would:
 * for the concepts of many searches, the organisations it finds, in rowid
 * order, and their scores are SQLite's bm25() under the same weights; past
 * bm25_max rows, the flat IDF plus bm25() of the name alone, as
 * search.c's SQL path gives them. A row of org_fts with no public
 * organisation (main adds one) counts in the IDF and is never returned. */
static size_t compare_fulltext(const struct store_vocab *v, const char *concept, size_t max)
{
    struct scored *got = NULL;
    size_t n = 0;
    int rc = fulltext_match(vocab_fulltext(ix), v, ix, concept, max, &got, &n);
    if (rc == 1)
        return 0;
    struct conn *c = conn_get();
    char sql[256];
    org_bm25_sql(sql, sizeof sql);
    sqlite3_stmt *st = NULL, *named = NULL;
    sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    sqlite3_prepare_v2(c->db, sql, -1, &named, NULL);
    sqlite3_bind_text(st, 1, concept, -1, SQLITE_STATIC);
    char in_name[PLAN_EXPR_MAX + 64];
    snprintf(in_name, sizeof in_name, "{name} : (%s)", concept);
    sqlite3_bind_text(named, 1, in_name, -1, SQLITE_STATIC);
    int64_t pk[4096];
    double want[4096];
    size_t rows = 0, pub = 0;
    while (sqlite3_step(st) == SQLITE_ROW && pub < 4096) {
        rows++;
        int64_t r = sqlite3_column_int64(st, 0);
        if (org_by_pk(ix, r) < 0)
            continue;
        pk[pub] = r;
        want[pub++] = sqlite3_column_double(st, 1);
    }
    if (rows > max) {
        double idf = log(((double)ix->n_orgs - (double)pub + 0.5) / ((double)pub + 0.5) + 1.0);
        for (size_t i = 0; i < pub; i++)
            want[i] = -idf;
        while (sqlite3_step(named) == SQLITE_ROW)
            for (size_t i = 0; i < pub; i++)
                if (pk[i] == sqlite3_column_int64(named, 0))
                    want[i] += sqlite3_column_double(named, 1);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(named);
    if (!CHECK_INT(n, pub))
        printf("  %s (max %zu): fulltext.c finds %zu, FTS5 %zu\n", concept, max, n, pub);
    for (size_t i = 0; i < n && i < pub; i++) {
        if (!CHECK(got[i].pk == pk[i]))
            printf("  %s: row %zu is pk %lld, FTS5 %lld\n", concept, i, (long long)got[i].pk,
                   (long long)pk[i]);
        else if (!CHECK(got[i].score == want[i] && ix->pks[got[i].idx] == pk[i]))
            printf("  %s (max %zu) pk %lld: %.17g, FTS5 %.17g\n", concept, max,
                   (long long)pk[i], got[i].score, want[i]);
    }
    free(got);
    return 1;
}

static void test_the_own_text_in_memory_scores_as_fts5_does(void)
{
    static const char *const searches[] = {
        "bullying", "my son is being groomed online", "sharing nudes", "sextortion",
        "worried about my own thoughts", "parental controls", "child sexual abuse images",
        "report", "peer pressure", "wellbeing", "young people", "parents and carers",
        "teachers", "self esteem", "cyber bullying", "childline phone", "law", "police",
        "derby social services", "someone wants me to send photos", "online", "help line",
        "a", "the internet", "NSPCC", "ceop report", "text", "email", "web chat", NULL};
    const struct store_vocab *v = vocab_get(ix);
    if (!CHECK(v != NULL) || !CHECK(vocab_fulltext(ix) != NULL))
        return;
    size_t compared = 0;
    for (int i = 0; searches[i]; i++) {
        struct plan p;
        if (!CHECK_INT(plan_build(ix, searches[i], false, &p), 0))
            continue;
        for (size_t k = 0; k < p.n; k++) {
            compared += compare_fulltext(v, p.concept[k], 2000);
            compare_fulltext(v, p.concept[k], 2);
            compare_fulltext(v, p.concept[k], 0);
        }
        plan_reset(&p);
    }
    CHECK(compared > 25);
    /* a phrase of several words needs positions: SQLite answers it */
    struct scored *got = NULL;
    size_t n = 0;
    CHECK_INT(fulltext_match(vocab_fulltext(ix), v, ix, "\"child line\"", 2000, &got, &n), 1);
    CHECK_INT(fulltext_match(vocab_fulltext(ix), v, ix, "\"child\" OR \"line\" NOT \"x\"", 2000, &got, &n),
              1);
}

/* A remembered answer is one for the same reading of the words: "i want
 * parental controls" has the concepts of "parental controls" but ranks in
 * the first person (what serves only professionals after the rest), so it
 * must not get the other's remembered order (fuzz_search found this). */
static void test_a_first_person_search_never_gets_the_other_ones_answer(void)
{
    const char *const asks[] = {"parental controls", "i want parental controls"};
    const struct store_org *want[2][20];
    size_t n_want[2] = {0, 0};
    store_search_memo(false);
    for (int k = 0; k < 2; k++) {
        struct store_results r;
        if (!CHECK_INT(store_search(ix, &(struct store_search){.q = asks[k], .limit = 20}, &r), 0))
            return;
        n_want[k] = r.n_items;
        memcpy(want[k], r.items, r.n_items * sizeof *r.items);
        store_results_reset(&r);
    }
    CHECK(n_want[0] == n_want[1] && memcmp(want[0], want[1], n_want[0] * sizeof *want[0]) != 0);
    store_search_memo(true);
    for (int round = 0; round < 2; round++)
        for (int k = 0; k < 2; k++) {
            struct store_results r;
            if (!CHECK_INT(store_search(ix, &(struct store_search){.q = asks[k], .limit = 20}, &r),
                           0))
                return;
            if (!CHECK(r.n_items == n_want[k] &&
                       memcmp(r.items, want[k], r.n_items * sizeof *r.items) == 0))
                printf("  \"%s\" (round %d): not the order it has on its own\n", asks[k], round);
            store_results_reset(&r);
        }
}

/* A search whose every word is dropped (no concept) is not the list of
 * every organisation, remembered or not. */
static void test_a_search_of_no_concepts_never_gets_the_whole_list(void)
{
    struct store_results r;
    if (!CHECK_INT(store_search(ix, &(struct store_search){.limit = 20}, &r), 0))
        return;
    CHECK(r.total == ix->n_orgs);
    store_results_reset(&r);
    for (int round = 0; round < 2; round++) {
        if (!CHECK_INT(store_search(ix, &(struct store_search){.q = "xylophoneqqq", .limit = 20},
                                    &r),
                       0))
            return;
        CHECK_INT(r.total, 0);
        store_results_reset(&r);
    }
}

int main(void)
{
    char path[] = "/tmp/signpost-test-plan-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    close(fd);
    unlink(path);
    if (store_open(path) != 0)
        return 1;
    /* a row of org_fts that is no public organisation's (as an archived
     * one's would be), in words the seed already has */
    struct conn *c = conn_get();
    if (!c || sqlite3_exec(c->db,
                           "INSERT INTO org_fts (rowid, name, summary, description, extra,"
                           " contacts, terms) VALUES (900000, 'online safety', 'report online"
                           " bullying', 'help for parents and children online', '', 'phone', '')",
                           NULL, NULL, NULL) != SQLITE_OK)
        return 1;
    if (!(ix = store_index_acquire()))
        return 1;
    RUN(test_every_word_is_a_prefix_and_stop_words_go);
    RUN(test_only_stop_words_mean_nothing_to_search);
    RUN(test_two_words_the_index_knows_as_one_are_joined);
    RUN(test_a_misspelt_word_is_corrected_and_said_back);
    RUN(test_a_correction_is_said_in_written_words_never_a_stem);
    RUN(test_a_prefix_past_its_stem_finds_the_word_even_exact);
    RUN(test_exact_turns_correction_off);
    RUN(test_a_word_nothing_finds_is_dropped);
    RUN(test_the_topic_a_search_names_is_found);
    RUN(test_urgent_and_first_person_are_noticed);
    RUN(test_whatever_is_typed_the_concepts_are_ours_and_fts5_takes_them);
    RUN(test_the_taxonomy_in_memory_scores_as_fts5_does);
    RUN(test_the_own_text_in_memory_scores_as_fts5_does);
    RUN(test_a_first_person_search_never_gets_the_other_ones_answer);
    RUN(test_a_search_of_no_concepts_never_gets_the_whole_list);
    store_index_release(ix);
    store_close();
    char wal[64];
    unlink(path);
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    return check_finish();
}
