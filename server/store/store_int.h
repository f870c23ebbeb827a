/* store_int.h: what the files of the store share, in the manner of SQLite's
 * sqliteInt.h. Only the store's own .c files include it; everyone else sees
 * store.h. It is the one header that includes sqlite3.h, so the store's
 * files are the only code that can talk to SQLite.
 *
 *   db.c        connections, migrations and seeding, the data version and
 *               the transactions that move it, the watch thread, readiness
 *   sql.c       the prepared-statement cache and the SQL helpers
 *   index.c     the in-memory index of public organisations
 *   search.c    full-text search and filtering over the index: reading,
 *               fetching each concept's matches, the memos
 *   match.c     a search's sets, facet counts and ranking
 *   plan.c      reading a search: words to full-text concepts
 *   vocab.c     the index's vocabulary: stems, surface words, topics' stems
 *   taxon.c     the taxonomy's text in memory, matched and scored
 *   fulltext.c  the organisations' own text in memory, matched and scored
 *   org.c       one organisation, urgent help
 *   feed.c      the Open Referral UK reads
 *   write.c     organisation writes, revisions, the review queue
 *   token.c, report.c, backup.c, exchange.c, resource.c: as named */
#ifndef SIGNPOST_STORE_INT_H
#define SIGNPOST_STORE_INT_H

#include "store/store.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/words.h"

/* The hot statements: prepared once per connection, on first use, and
 * kept. An id is a slot in every connection's cache; the SQL lives in the
 * file that runs the statement, in a table indexed by these ids (see
 * stmt). */
enum stmt_id {
    /* index.c */
    ST_AUDIENCES,
    ST_TOPICS,
    ST_ORGS,
    ST_ORG_AUDIENCES,
    ST_ORG_TOPICS,
    /* search.c */
    ST_FTS,
    ST_FTS_IDS,
    /* vocab.c */
    ST_VOCAB,
    ST_VOCAB_TERMS,
    ST_VOCAB_WHERE,
    /* org.c */
    ST_ORG_BY_SLUG,
    ST_ORG_AUDIENCE_SLUGS,
    ST_ORG_TOPIC_SLUGS,
    ST_ORG_TERMS,
    ST_ORG_CONTACTS,
    ST_ORG_RESOURCES,
    ST_RES_AUDIENCE_SLUGS,
    ST_RES_TOPIC_SLUGS,
    ST_HELP,
    /* feed.c */
    ST_SERVICES,
    ST_SERVICES_COUNT,
    ST_SERVICE_GET,
    ST_RESOURCE_TERMS,
    ST_CONTACTS,
    ST_ORGANIZATIONS,
    ST_ORGANIZATIONS_COUNT,
    ST_ORGANIZATION_GET,
    ST_COUNT
};

struct conn {
    unsigned generation;      /* the snapshot it was opened on (replicas) */
    sqlite3 *db;
    sqlite3_stmt *stmts[ST_COUNT];
};

/* A topic's search terms as a JSON array text, for a row of topic t. */
#define TOPIC_TERMS_SQL \
    "(SELECT json_group_array(term) FROM (SELECT term FROM search_term" \
    " WHERE topic_pk = t.pk ORDER BY position, pk))"

/* ---- db.c ---------------------------------------------------------------- */

/* The calling thread's connection, opened on first use. NULL on failure. */
struct conn *conn_get(void);
/* Counts a database error (store_db_errors) and prints it with what was
 * being done. db may be NULL. */
void log_db_error(sqlite3 *db, const char *what);

/* ---- sql.c --------------------------------------------------------------- */

/* Statement id of c, prepared from stmt_sql[id] (the calling file's table) on
 * first use, reset and with bindings cleared. NULL on failure (logged). */
sqlite3_stmt *stmt(struct conn *c, enum stmt_id id, const char *const stmt_sql[ST_COUNT]);
/* Resets st and clears its bindings: always, after every use. */
void stmt_done(sqlite3_stmt *st);
/* Column i as a new string (caller frees): NULL for SQL NULL, or "". */
char *col_text(sqlite3_stmt *st, int i);
char *col_text_or_empty(sqlite3_stmt *st, int i);
/* Steps st to the end, collecting each row as an object keyed by column
 * name, and resets it. Returns 0 with *rows set (a new reference), or -1. */
int rows_json(struct conn *c, sqlite3_stmt *st, json_t **rows);

/* Statements run rarely (writes, curation reads) are prepared per call
 * through these. Parameters are bound from a format: 't' text (NULL binds
 * NULL), 'i' or 'I' int64, 'N' int64 with negatives bound as NULL, 'K'
 * int64 with STORE_KEEP bound as NULL, 'b' bool. */

/* Runs sql to completion. Returns the number of rows changed, or -1
 * (-2 for a UNIQUE or CHECK constraint, so callers can say "conflict"). */
int sql_run(const char *sql, const char *fmt, ...);
/* Runs sql and collects its rows as objects (see rows_json): 0 or -1. */
int sql_rows(json_t **rows, const char *sql, const char *fmt, ...);
/* Runs sql for one row: 1 with *row (a new reference), 0 when there is
 * none, -1 on error. */
int sql_row(json_t **row, const char *sql, const char *fmt, ...);

/* BEGIN IMMEDIATE (refused on a replica) and COMMIT for writes to the
 * curators' tables (curator.c), which move no data version. 0 or -1. */
int account_begin(void);
int account_commit(void);

/* ---- write.c ------------------------------------------------------------- */

/* Replaces the search terms of topic pk (topic true) or organisation pk
 * with terms (NULL: leaves them), then re-indexes the organisations they
 * reach, once. STORE_OK or STORE_ERROR. */
int terms_replace(bool topic, int64_t pk, char **terms);

/* ---- index.c ------------------------------------------------------------- */

/* The audience whose organisations serve professionals only (guidance for
 * schools and police): a first-person search puts them after the rest
 * among equal matches. */
#define STORE_PROFESSIONALS_ONLY "professionals"

/* Index of the organisation with primary key pk in ix->orgs, or -1. */
long org_by_pk(const struct store_index *ix, int64_t pk);
/* Lets go of the current index (store_close): the next acquire builds one. */
void index_drop(void);

/* ---- vocab.c ------------------------------------------------------------- */

#define VOCAB_SURFACES 4

/* The taxonomy's text as stems (taxon.c): per topic its label,
 * description, search terms and guidance; per audience its label and
 * description. Each token is a place in the vocabulary's stem list. */
#define TAXON_COLS 4
#define TAXON_NONE UINT32_MAX
struct taxon_col {
    uint32_t *tok;
    size_t n, cap;
};
struct taxon_doc {
    struct taxon_col col[TAXON_COLS];
};
struct taxon_post {
    uint32_t stem, doc, col, pos;
};
struct taxon_set {
    struct taxon_doc *doc;  /* in ix->topics or ix->audiences order */
    struct taxon_post *post; /* every token, by stem, doc, column, place */
    size_t n_post;
    size_t n;
    int n_cols;
    double avgdl;           /* tokens per document, for bm25() */
};
enum { TAXON_TOPICS, TAXON_AUDIENCES };

/* The organisations' own text in memory (fulltext.c): org_fts's postings,
 * read from its instance table, so that a concept of one-word phrases is
 * matched and scored with FTS5's bm25() without a query. Rows are
 * org_fts's, archived organisations' too (they count in bm25()'s IDF), in
 * rowid order. */
#define SEARCH_ORG_COLS 6
struct fulltext {
    bool ready;
    size_t n_rows;
    int64_t *row_pk;       /* each row's rowid, ascending */
    int32_t *row_org;      /* its organisation in the index, or -1 */
    uint32_t *dl;          /* its tokens, all columns */
    double avgdl;
    uint32_t *start;       /* per stem: its first posting; start[n] ends */
    uint32_t *row;         /* postings: rows, ascending within a stem */
    float *wf;             /* and the stem's weighted frequency there */
    uint32_t *name_start;  /* the same for the name column alone, */
    uint32_t *name_row;
    uint16_t *name_tf;     /* with the stem's count there */
};

struct store_vocab {
    char **stem;          /* every stem of org_fts, in strcmp order */
    uint32_t *df;         /* organisations carrying each (archived too) */
    char *(*surface)[VOCAB_SURFACES]; /* words people write for it, the
                                         first the most usual; NULL after */
    size_t n;
    char ***topic_stems;  /* per topic: the stems of its label and search
                             terms, NULL-terminated */
    size_t n_topics;
    uint64_t *stem_letters;   /* the letters of each stem and surface, as */
    uint64_t (*surface_letters)[VOCAB_SURFACES]; /* bits (vocab_nearest) */
    struct taxon_set taxon[2]; /* TAXON_TOPICS, TAXON_AUDIENCES */
    struct fulltext ft;   /* built once, outside the index's lock
                             (vocab_fulltext); until then, SQLite */
    bool ft_started, ft_ready;
    struct vocab_written {
        const char *word; /* a surface (borrowed from surface) */
        uint32_t stem;    /* its place in stem */
    } *written;           /* every surface, in strcmp order */
    size_t n_written;
};

/* ix's vocabulary, loaded on first call (NULL if the database fails). It
 * lives as long as ix. */
const struct store_vocab *vocab_get(struct store_index *ix);
/* ix's postings of the organisations' own text, or NULL while they are
 * read (or when they could not be). The first caller reads them, about a
 * second at 100,000 organisations, without holding the index's lock:
 * other searches meanwhile ask SQLite, and wait for nothing. */
const struct fulltext *vocab_fulltext(struct store_index *ix);
void vocab_free(struct store_vocab *v);
/* Makes the calling connection's instance views of org_fts and topic_fts
 * (temp.org_fts_where, temp.topic_fts_where: fts5vocab 'instance' tables;
 * nothing is written to the database). False on failure (logged). */
bool vocab_where_ready(struct conn *c);
/* The place of stem in v, or -1. */
long vocab_find(const struct store_vocab *v, const char *stem);
/* True when some stem of v starts with prefix. */
bool vocab_has_prefix(const struct store_vocab *v, const char *prefix);
/* The stems of v that start with prefix: places [*lo, *hi). */
void vocab_prefix_range(const struct store_vocab *v, const char *prefix, uint32_t *lo,
                        uint32_t *hi);

/* ---- taxon.c ------------------------------------------------------------- */

/* Topics or audiences one concept can match (the taxonomy is small). */
#define TERM_HITS_MAX 256
struct term_hits {
    int idx[TERM_HITS_MAX];       /* into ix->topics or ix->audiences */
    double score[TERM_HITS_MAX];  /* bm25(), smaller is better */
    bool main[TERM_HITS_MAX];     /* matched in a column that counts in full */
    long n;
};

/* One quoted phrase of a concept: its tokens' stem ranges in the
 * vocabulary ([lo, hi): one stem, or every stem with the last token as
 * prefix; TAXON_NONE when the index lacks it). */
struct phrase {
    uint32_t lo[WORDS_MAX], hi[WORDS_MAX];
    size_t n;
};
/* Reads the phrase of a concept (what plan.c writes: "a b"* with a-z0-9
 * words, joined by OR) at *p into ph; false at the end. */
bool concept_phrase(const struct store_vocab *v, const char **p, struct phrase *ph);

/* Builds v->taxon from ix's topics and audiences (after v's stems). */
void taxon_build(struct store_vocab *v, const struct store_index *ix);
void taxon_free(struct store_vocab *v);
/* The topics (which TAXON_TOPICS) or audiences matching concept (a plan
 * concept: quoted a-z0-9 phrases, * for a prefix, joined by OR) into h,
 * with FTS5's bm25() under the column weights weight[]; a match in one of
 * the first main_cols columns is a main one. */
void taxon_match(const struct store_vocab *v, int which, const double *weight, int main_cols,
                 const char *concept, struct term_hits *h);

/* Up to max words people write that start with prefix (longer than it),
 * commonest stem first: for a prefix that runs past its stem ("groomin":
 * "grooming", whose stem is "groom"). Returns how many were put in out. */
size_t vocab_written_prefix(const struct store_vocab *v, const char *prefix,
                            const char **out, size_t max);
/* A word people write for stem i of v, into out: its first surface, or
 * else the first word of the indexed text with that stem; the stem itself
 * only when the database cannot say. */
void vocab_spelling(const struct store_vocab *v, long i, char out[WORD_MAX + 1]);
/* The stem nearest to word (normalised; stem is its stem): within one edit
 * for words of 4 to 7 letters, two from 8, of the word from a word people
 * write or of its stem from the stem; on a tie the nearer written word,
 * then the commonest. *say gets the written word to show (or the stem).
 * -1 when none is that near. */
long vocab_nearest(const struct store_vocab *v, const char *word, const char *stem,
                   const char **say);

/* ---- fulltext.c ---------------------------------------------------------- */

/* One match: an organisation (index into ix->orgs), its score, its pk. */
struct scored {
    uint32_t idx;
    double score;
    int64_t pk;
};

/* The column weights of org_fts's bm25() (search.c, where its SQL uses the
 * same): name, summary, description, extra, contacts, terms. */
extern const double search_org_weights[SEARCH_ORG_COLS];

/* Reads org_fts's postings into ft (v's stems are its stems); ft->ready
 * false when the database cannot say (search then asks SQLite). */
void fulltext_build(struct fulltext *ft, const struct store_vocab *v, const struct store_index *ix,
                    struct conn *c);
void fulltext_free(struct fulltext *ft);
/* The organisations whose own text matches concept, in rowid order, each
 * scored as SQLite's bm25() would score them under search_org_weights; past
 * bm25_max matching rows, each scores the IDF of the concept's matches,
 * flat, plus bm25() of its name alone. Into *out (the caller frees) and
 * *n: 0. 1 when the concept is not for memory (no postings, ft NULL; a
 * phrase of several words, too many phrases): ask SQLite. */
int fulltext_match(const struct fulltext *ft, const struct store_vocab *v,
                   const struct store_index *ix, const char *concept, size_t bm25_max,
                   struct scored **out, size_t *n);

/* ---- match.c ------------------------------------------------------------- */

/* One thread's working memory for a search, kept between searches. */
struct match;
/* What one concept of a plan matched: its own-text matches (any order)
 * and the topics and audiences it names. */
struct match_found {
    const struct scored *own;
    size_t n_own;
    const struct term_hits *topics, *audiences;
};
/* The calling thread's working memory, sized for ix and empty. */
struct match *match_begin(const struct store_index *ix);
/* Empties m again (clearing only what the search touched). */
void match_end(struct match *m, const struct store_index *ix);
/* Every organisation matched (a search without words). */
void match_all(struct match *m, const struct store_index *ix);
/* Concept c (in plan order, from 0) matched what f says. */
void match_concept(struct match *m, const struct store_index *ix, size_t c,
                   const struct match_found *f);
/* Applies q's audience and topic filters: total, the facet counts (each
 * with the other filter applied) and unfiltered (for a search of words
 * that the filters emptied, how many the words alone find) into out. */
void match_filter(struct match *m, const struct store_index *ix, const struct store_search *q,
                  bool words, struct store_results *out);
/* The first k matches passing the filters, best first (more concepts
 * matched, then the sum of the scores, then the older record), into list
 * from the n concepts of f; returns how many. */
size_t match_ranked(struct match *m, const struct store_index *ix, const struct match_found *f,
                    size_t n, bool first_person, size_t k, uint32_t *list);
/* The first k passing the filters in the index's order (by name), those
 * behind urgent help first when helpers_first. */
size_t match_in_order(struct match *m, const struct store_index *ix, bool helpers_first,
                      size_t k, uint32_t *list);

/* ---- plan.c -------------------------------------------------------------- */

#define PLAN_EXPR_MAX 512

/* A search as the index can answer it: one concept per meaningful word
 * (an FTS5 expression of its variants, OR'd: the word as a prefix, the
 * word joined with its neighbour, the word split in two, the nearest word
 * of the vocabulary, unless exact), what was corrected, which topics it
 * names. */
struct plan {
    char concept[WORDS_MAX][PLAN_EXPR_MAX];
    size_t n;
    bool meaningful;          /* some word was not a stop word */
    bool urgent;
    bool first_person;        /* "i", "me", "my": asking for oneself */
    char *corrected;          /* the search with corrections, or NULL */
    int meant[STORE_MEANT_MAX];
    size_t n_meant;
};

/* Reads q against ix into p (free with plan_reset). 0, or -1 when the
 * vocabulary cannot be read. */
int plan_build(struct store_index *ix, const char *q, bool exact, struct plan *p);
void plan_reset(struct plan *p);

#endif
