/* index.c: the in-memory index of the public organisations, one per data
 * version, shared by every thread and reference-counted: the terms with
 * their counts, the organisations by name, their audience and topic
 * bitsets, and the lookups by primary key and by slug. */
#include "store/store_int.h"
#include "lib/util.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static const char *const index_sql[ST_COUNT] = {
    [ST_AUDIENCES] = "SELECT pk, id, slug, label, description, NULL, ''"
                     " FROM audience ORDER BY position, label",
    [ST_TOPICS] = "SELECT pk, id, slug, label, description, parent_pk, guidance_md"
                  " FROM topic ORDER BY position, label",
    [ST_ORGS] = "SELECT o.pk, o.id, o.slug, o.name, o.summary, o.kind, o.coverage,"
                " o.website, o.last_reviewed,"
                " (SELECT c.value FROM contact c WHERE c.org_pk = o.pk"
                "   AND c.kind = 'phone' ORDER BY c.position, c.pk LIMIT 1)"
                " FROM organisation o WHERE o.archived_at IS NULL"
                " ORDER BY o.name COLLATE NOCASE, o.slug",
    [ST_ORG_AUDIENCES] = "SELECT org_pk, audience_pk FROM org_audience",
    [ST_ORG_TOPICS] = "SELECT org_pk, topic_pk FROM org_topic",
};

static pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store_index *index_current;

static void terms_free(struct store_term *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].id);
        free(t[i].slug);
        free(t[i].label);
        free(t[i].description);
        free(t[i].guidance_md);
        for (char **s = t[i].terms; s && *s; s++)
            free(*s);
        free(t[i].terms);
    }
    free(t);
}

static int term_by_pk(const struct store_term *t, size_t n, int64_t pk);

/* Each topic's search terms (the lexicon), in order. 0 or -1. */
static int load_topic_terms(struct store_index *ix)
{
    json_t *rows;
    if (sql_rows(&rows, "SELECT topic_pk AS pk, term FROM search_term"
                        " WHERE topic_pk IS NOT NULL ORDER BY topic_pk, position, term",
                 "") != 0)
        return -1;
    size_t *count = xcalloc(ix->n_topics + 1, sizeof *count);
    for (int pass = 0; pass < 2; pass++) {
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row) {
            int t = term_by_pk(ix->topics, ix->n_topics,
                               json_integer_value(json_object_get(row, "pk")));
            if (t < 0)
                continue;
            if (pass == 0)
                count[t]++;
            else
                ix->topics[t].terms[count[t]++] =
                    xstrdup(json_string_value(json_object_get(row, "term")));
        }
        for (size_t t = 0; pass == 0 && t < ix->n_topics; t++) {
            ix->topics[t].terms = xcalloc(count[t] + 1, sizeof *ix->topics[t].terms);
            count[t] = 0;
        }
    }
    free(count);
    json_decref(rows);
    return 0;
}

static void index_free(struct store_index *ix)
{
    terms_free(ix->audiences, ix->n_audiences);
    terms_free(ix->topics, ix->n_topics);
    for (size_t i = 0; i < ix->n_orgs; i++) {
        struct store_org *o = &ix->orgs[i];
        free(o->id);
        free(o->slug);
        free(o->name);
        free(o->summary);
        free(o->kind);
        free(o->coverage);
        free(o->website);
        free(o->last_reviewed);
        free(o->phone);
    }
    free(ix->orgs);
    free(ix->by_pk);
    free(ix->pk_index);
    for (size_t i = 0; i < FTS_SLOTS; i++) {
        free(ix->fts[i].expr);
        free(ix->fts[i].idx);
        free(ix->fts[i].score);
    }
    for (size_t i = 0; ix->answers && i < ANSWER_SLOTS; i++) {
        free(ix->answers[i].key);
        free(ix->answers[i].list);
        free(ix->answers[i].counts);
    }
    free(ix->answers);
    vocab_free(ix->vocab);
    free(ix->helpers);
    pthread_mutex_destroy(&ix->fts_lock);
    free(ix->bits);
    free(ix->members);
    free(ix->pro_only);
    free(ix->pks);
    free(ix);
}

static int load_terms(struct conn *c, enum stmt_id id, struct store_term **out,
                      size_t *n_out, int64_t **parent_pks)
{
    sqlite3_stmt *st = stmt(c, id, index_sql);
    if (!st)
        return -1;
    size_t n = 0, cap = 16;
    struct store_term *t = xcalloc(cap, sizeof *t);
    int64_t *parents = xcalloc(cap, sizeof *parents);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap *= 2;
            t = xrealloc(t, cap * sizeof *t);
            parents = xrealloc(parents, cap * sizeof *parents);
        }
        memset(&t[n], 0, sizeof t[n]);
        t[n].pk = sqlite3_column_int64(st, 0);
        t[n].id = col_text(st, 1);
        t[n].slug = col_text(st, 2);
        t[n].label = col_text(st, 3);
        t[n].description = col_text_or_empty(st, 4);
        parents[n] = sqlite3_column_type(st, 5) == SQLITE_NULL ? 0
                                                               : sqlite3_column_int64(st, 5);
        t[n].guidance_md = col_text_or_empty(st, 6);
        t[n].parent = -1;
        n++;
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading taxonomy");
        terms_free(t, n);
        free(parents);
        return -1;
    }
    *out = t;
    *n_out = n;
    if (parent_pks)
        *parent_pks = parents;
    else
        free(parents);
    return 0;
}

static int term_by_pk(const struct store_term *t, size_t n, int64_t pk)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].pk == pk)
            return (int)i;
    return -1;
}

static const struct store_index *sort_ix; /* qsort has no context argument */
static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

static int cmp_by_pk(const void *a, const void *b)
{
    int64_t x = sort_ix->orgs[*(const size_t *)a].pk;
    int64_t y = sort_ix->orgs[*(const size_t *)b].pk;
    return x < y ? -1 : x > y;
}

/* Index of the organisation with primary key pk, or -1: one load from the
 * direct table when the keys are dense enough for one, else a binary
 * search. */
long org_by_pk(const struct store_index *ix, int64_t pk)
{
    if (ix->pk_index)
        return pk >= 0 && (uint64_t)pk <= ix->pk_max ? ix->pk_index[pk] : -1;
    size_t lo = 0, hi = ix->n_orgs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int64_t v = ix->orgs[ix->by_pk[mid]].pk;
        if (v == pk)
            return (long)ix->by_pk[mid];
        if (v < pk)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int load_links(struct conn *c, struct store_index *ix, enum stmt_id id,
                      const struct store_term *terms, size_t n_terms, bool topics)
{
    sqlite3_stmt *st = stmt(c, id, index_sql);
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long o = org_by_pk(ix, sqlite3_column_int64(st, 0));
        int t = term_by_pk(terms, n_terms, sqlite3_column_int64(st, 1));
        if (o < 0 || t < 0)
            continue; /* archived organisation */
        uint64_t *set = (uint64_t *)(topics ? ix->orgs[o].topics : ix->orgs[o].audiences);
        set[t / 64] |= 1ULL << (t % 64);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading taxonomy links");
        return -1;
    }
    return 0;
}

/* The bitsets over organisations: a search matches, filters and counts
 * by whole words of them, not organisation by organisation. */
static void members_build(struct store_index *ix)
{
    size_t ow = ix->org_words = (ix->n_orgs + 63) / 64;
    size_t n_sets = ix->n_audiences + 2 * ix->n_topics;
    ix->members = xcalloc(n_sets * ow + 1, sizeof *ix->members);
    ix->pro_only = xcalloc(ow + 1, sizeof *ix->pro_only);
    uint64_t *aud = ix->members, *own = aud + ix->n_audiences * ow,
             *eff = own + ix->n_topics * ow;
    int pro = store_term_find(ix->audiences, ix->n_audiences, STORE_PROFESSIONALS_ONLY);
    ix->pks = xmalloc((ix->n_orgs + 1) * sizeof *ix->pks);
    for (size_t i = 0; i < ix->n_orgs; i++) {
        const struct store_org *o = &ix->orgs[i];
        uint64_t bit = 1ULL << (i % 64);
        size_t w = i / 64, n_aud = 0;
        ix->pks[i] = o->pk;
        for (size_t a = 0; a < ix->n_audiences; a++)
            if (store_bit(o->audiences, a)) {
                aud[a * ow + w] |= bit;
                n_aud++;
            }
        for (size_t t = 0; t < ix->n_topics; t++) {
            if (store_bit(o->topics, t))
                own[t * ow + w] |= bit;
            if (store_bit(o->topics_eff, t))
                eff[t * ow + w] |= bit;
        }
        if (pro >= 0 && n_aud == 1 && store_bit(o->audiences, (size_t)pro))
            ix->pro_only[w] |= bit;
    }
}

static struct store_index *index_build(struct conn *c, uint64_t version)
{
    struct store_index *ix = xcalloc(1, sizeof *ix);
    int64_t *topic_parents = NULL;
    ix->version = version;
    ix->refs = 1;
    if (load_terms(c, ST_AUDIENCES, &ix->audiences, &ix->n_audiences, NULL) != 0 ||
        load_terms(c, ST_TOPICS, &ix->topics, &ix->n_topics, &topic_parents) != 0)
        goto fail;
    for (size_t i = 0; i < ix->n_topics; i++)
        if (topic_parents[i])
            ix->topics[i].parent = term_by_pk(ix->topics, ix->n_topics, topic_parents[i]);
    free(topic_parents);
    topic_parents = NULL;
    if (load_topic_terms(ix) != 0)
        goto fail;

    sqlite3_stmt *st = stmt(c, ST_ORGS, index_sql);
    if (!st)
        goto fail;
    size_t cap = 64;
    ix->orgs = xcalloc(cap, sizeof *ix->orgs);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (ix->n_orgs == cap) {
            cap *= 2;
            ix->orgs = xrealloc(ix->orgs, cap * sizeof *ix->orgs);
        }
        struct store_org *o = &ix->orgs[ix->n_orgs++];
        memset(o, 0, sizeof *o);
        o->pk = sqlite3_column_int64(st, 0);
        o->id = col_text(st, 1);
        o->slug = col_text(st, 2);
        o->name = col_text(st, 3);
        o->summary = col_text_or_empty(st, 4);
        o->kind = col_text(st, 5);
        o->coverage = col_text(st, 6);
        o->website = col_text(st, 7);
        o->last_reviewed = col_text(st, 8);
        o->phone = col_text(st, 9);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading organisations");
        goto fail;
    }

    ix->aud_words = (ix->n_audiences + 63) / 64;
    ix->topic_words = (ix->n_topics + 63) / 64;
    size_t per_org = ix->aud_words + 2 * ix->topic_words;
    ix->bits = xcalloc(ix->n_orgs * per_org + 1, sizeof *ix->bits);
    for (size_t i = 0; i < ix->n_orgs; i++) {
        uint64_t *base = ix->bits + i * per_org;
        ix->orgs[i].audiences = base;
        ix->orgs[i].topics = base + ix->aud_words;
        ix->orgs[i].topics_eff = base + ix->aud_words + ix->topic_words;
    }
    ix->by_pk = xmalloc((ix->n_orgs + 1) * sizeof *ix->by_pk);
    for (size_t i = 0; i < ix->n_orgs; i++)
        ix->by_pk[i] = i;
    pthread_mutex_lock(&sort_lock);
    sort_ix = ix;
    qsort(ix->by_pk, ix->n_orgs, sizeof *ix->by_pk, cmp_by_pk);
    pthread_mutex_unlock(&sort_lock);
    int64_t max_pk = ix->n_orgs ? ix->orgs[ix->by_pk[ix->n_orgs - 1]].pk : 0;
    if (max_pk >= 0 && (uint64_t)max_pk <= 16 * (uint64_t)ix->n_orgs + 4096) {
        ix->pk_max = (uint64_t)max_pk;
        ix->pk_index = xmalloc(((size_t)max_pk + 1) * sizeof *ix->pk_index);
        memset(ix->pk_index, 0xFF, ((size_t)max_pk + 1) * sizeof *ix->pk_index); /* -1 */
        for (size_t i = 0; i < ix->n_orgs; i++)
            if (ix->orgs[i].pk >= 0)
                ix->pk_index[ix->orgs[i].pk] = (int32_t)i;
    }
    pthread_mutex_init(&ix->fts_lock, NULL);
    ix->answers = xcalloc(ANSWER_SLOTS, sizeof *ix->answers);

    if (load_links(c, ix, ST_ORG_AUDIENCES, ix->audiences, ix->n_audiences, false) != 0 ||
        load_links(c, ix, ST_ORG_TOPICS, ix->topics, ix->n_topics, true) != 0)
        goto fail;

    /* A topic's sub-topics count towards it and match its filter. Parent
     * chains are walked with a bound, so a cycle cannot hang us. */
    for (size_t i = 0; i < ix->n_orgs; i++) {
        struct store_org *o = &ix->orgs[i];
        uint64_t *eff = (uint64_t *)o->topics_eff;
        for (size_t t = 0; t < ix->n_topics; t++) {
            if (!store_bit(o->topics, t))
                continue;
            int p = (int)t;
            for (size_t hops = 0; p >= 0 && hops <= ix->n_topics; hops++) {
                eff[p / 64] |= 1ULL << (p % 64);
                p = ix->topics[p].parent;
            }
        }
        for (size_t a = 0; a < ix->n_audiences; a++)
            ix->audiences[a].count += store_bit(o->audiences, a);
        for (size_t t = 0; t < ix->n_topics; t++)
            ix->topics[t].count += store_bit(eff, t);
    }
    members_build(ix);
    /* The organisations behind the urgent-help channels, first of every
     * organisation when a search has no word to look for ("help me"). */
    json_t *rows;
    if (sql_rows(&rows, "SELECT org_pk AS pk FROM help_channel WHERE org_pk IS NOT NULL"
                        " GROUP BY org_pk ORDER BY min(position), org_pk", "") != 0)
        goto fail;
    ix->helpers = xcalloc(json_array_size(rows) + 1, sizeof *ix->helpers);
    size_t hi;
    json_t *hrow;
    json_array_foreach(rows, hi, hrow) {
        long o = org_by_pk(ix, json_integer_value(json_object_get(hrow, "pk")));
        if (o >= 0)
            ix->helpers[ix->n_helpers++] = (uint32_t)o;
    }
    json_decref(rows);
    return ix;
fail:
    free(topic_parents);
    index_free(ix);
    return NULL;
}

struct store_index *store_index_acquire(void)
{
    uint64_t version = store_data_version();
    struct store_index *ix = NULL;
    pthread_mutex_lock(&index_lock);
    if (!index_current || index_current->version != version) {
        struct conn *c = conn_get();
        struct store_index *fresh = c ? index_build(c, version) : NULL;
        if (fresh) {
            if (index_current && --index_current->refs == 0)
                index_free(index_current);
            index_current = fresh;
        }
    }
    if (index_current && index_current->version == version) {
        ix = index_current;
        ix->refs++;
    }
    pthread_mutex_unlock(&index_lock);
    return ix;
}

void store_index_release(struct store_index *ix)
{
    if (!ix)
        return;
    pthread_mutex_lock(&index_lock);
    int left = --ix->refs;
    pthread_mutex_unlock(&index_lock);
    if (left == 0)
        index_free(ix);
}

void index_drop(void)
{
    pthread_mutex_lock(&index_lock);
    struct store_index *ix = index_current;
    index_current = NULL;
    pthread_mutex_unlock(&index_lock);
    store_index_release(ix);
}

int store_term_find(const struct store_term *terms, size_t n, const char *slug)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(terms[i].slug, slug) == 0)
            return (int)i;
    return -1;
}

long store_org_find(const struct store_index *ix, const char *slug)
{
    for (size_t i = 0; i < ix->n_orgs; i++)
        if (strcmp(ix->orgs[i].slug, slug) == 0)
            return (long)i;
    return -1;
}
