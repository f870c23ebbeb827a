/* store.h: all SQL lives behind this header. It hands out plain structs.
 *
 * One SQLite connection per thread (opened on first use, closed when the
 * thread ends), hot statements prepared once and reset after every use.
 * Reads of the organisation list go through an immutable in-memory index
 * (store_index) built once per data version: listing, filtering and facet
 * counting then cost no SQL at all, and full-text search costs one FTS5
 * query. */
#ifndef SIGNPOST_STORE_H
#define SIGNPOST_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

#include <jansson.h>

/* Opens (creating if missing) the database at path, migrates it forward
 * and, if it was new, seeds it. Must be called once before any other store_
 * function and before threads start. Returns 0, or -1 after printing why to
 * stderr. */
int store_open(const char *path);
/* The same; a new database is seeded only when seed is true. */
int store_open_ex(const char *path, bool seed);
/* Opens a snapshot (made by store_backup) read-only, for a replica: no
 * migrations, no writes. 0 or -1 (printed). */
int store_open_snapshot(const char *path);
/* True on a replica. */
bool store_read_only(void);
/* Reopens the snapshot path (a new one was moved into place): every
 * thread's next query uses the new file, and the caches start over. */
void store_reload(void);

/* Checkpoints the WAL, closes the calling thread's connection and forgets
 * the path. */
void store_close(void);

/* Starts (stops) a thread that notices writes by other processes to the
 * same file within a second. */
int store_watch_start(void);
void store_watch_stop(void);

/* The data version: moved on by every committed write (store_commit) and
 * by other processes' writes (store_watch_start); part of every cache key. */
uint64_t store_data_version(void);

/* True when the calling thread's connection answers and the schema is at the
 * latest migration. */
bool store_ready(void);
/* Database errors since start (for /metrics). */
uint64_t store_db_errors(void);
/* Number of migrations this binary knows. */
int store_schema_version(void);

/* One audience or topic. */
struct store_term {
    int64_t pk;
    char *id, *slug, *label, *description;
    int parent;          /* topics: index of the parent topic, or -1 */
    char *guidance_md;   /* topics: Markdown; audiences: "" */
    char **terms;        /* topics: their search terms (the lexicon), in
                            order, NULL-terminated; audiences: none */
    size_t count;        /* public organisations carrying it (topics: or a
                            sub-topic) */
};

/* One public organisation as the list shows it. */
struct store_org {
    int64_t pk;
    char *id, *slug, *name, *summary, *kind, *coverage, *website, *last_reviewed;
    char *phone;                /* first phone contact, or NULL */
    const uint64_t *audiences;  /* bitset over index->audiences */
    const uint64_t *topics;     /* bitset over index->topics, own tags */
    const uint64_t *topics_eff; /* own tags and all their ancestors */
};

#define FTS_SLOTS 8192     /* remembered phrases per index */
#define FTS_KEEP_MAX 20000 /* longest answer remembered, in organisations */
#define FTS_BUDGET (32u << 20) /* and the bytes they may take */

struct fts_hit {
    char *expr;              /* "p" + a phrase */
    uint32_t *idx;           /* matching organisations */
    double *score;           /* phrases: their bm25() scores */
    size_t n;
    size_t bytes;            /* what it costs the budget */
};

#define ANSWER_SLOTS 16384              /* remembered search answers per index */
#define ANSWER_BUDGET (48u << 20)     /* and the bytes they may take */

struct answer_hit {
    char *key;               /* expression and filter masks */
    size_t key_len;
    uint32_t *list;          /* the first n matching organisations, in order */
    size_t n;
    size_t total;            /* how many match */
    size_t unfiltered;       /* and without the filters */
    size_t *counts;          /* the facet counts: audiences, then topics */
    size_t bytes;
};

struct store_index {
    uint64_t version;
    struct store_term *audiences, *topics;
    size_t n_audiences, n_topics;
    struct store_org *orgs;      /* public organisations, by name */
    size_t n_orgs;
    size_t aud_words, topic_words; /* bitset sizes in 64-bit words */
    /* private */
    size_t *by_pk;               /* org indexes sorted by pk */
    int32_t *pk_index;           /* pk -> org index (-1: none), when dense */
    uint64_t pk_max;
    struct fts_hit fts[FTS_SLOTS];
    struct answer_hit *answers;  /* ANSWER_SLOTS */
    size_t answer_bytes, fts_bytes;
    pthread_mutex_t fts_lock;    /* guards fts, answers, answer_bytes, vocab */
    struct store_vocab *vocab;   /* the full-text vocabulary, loaded on
                                    first need (vocab.c) */
    uint32_t *helpers;           /* organisations behind the urgent-help
                                    channels, in their order */
    size_t n_helpers;
    uint64_t *bits;
    /* Bitsets over organisations (org_words 64-bit words each): each
     * audience's, then each topic's own tags, then each topic's with its
     * sub-topics; and the organisations serving professionals only. */
    size_t org_words;
    uint64_t *members;
    uint64_t *pro_only;
    int64_t *pks;                /* each organisation's pk, by index */
    int refs;
};

static inline const uint64_t *store_audience_members(const struct store_index *ix, size_t a)
{
    return ix->members + a * ix->org_words;
}
static inline const uint64_t *store_topic_members(const struct store_index *ix, size_t t)
{
    return ix->members + (ix->n_audiences + t) * ix->org_words;
}
static inline const uint64_t *store_topic_eff_members(const struct store_index *ix, size_t t)
{
    return ix->members + (ix->n_audiences + ix->n_topics + t) * ix->org_words;
}

static inline bool store_bit(const uint64_t *set, size_t i)
{
    return (set[i / 64] >> (i % 64)) & 1;
}

/* The index for the current data version, built if needed. Never NULL
 * unless the database fails (then NULL, logged). Release with
 * store_index_release. */
struct store_index *store_index_acquire(void);
void store_index_release(struct store_index *ix);

/* Index of slug in terms[0..n), or -1. */
int store_term_find(const struct store_term *terms, size_t n, const char *slug);
/* Index of the organisation with slug, or -1. */
long store_org_find(const struct store_index *ix, const char *slug);

struct store_search {
    const char *q;            /* the words as typed, or NULL for all */
    bool exact;               /* no typo correction: the words as typed */
    const int *audiences;     /* audience indexes (OR); n_audiences 0: any */
    size_t n_audiences;
    const int *topics;        /* topic indexes (OR, sub-topics included) */
    size_t n_topics;
    size_t offset, limit;
};

#define STORE_MEANT_MAX 2

struct store_results {
    size_t total;
    size_t unfiltered;        /* matches of q before the audience and topic
                                 filters (to suggest dropping them) */
    char *corrected;          /* q with misspelt words corrected, when one
                                 was; NULL otherwise */
    int meant[STORE_MEANT_MAX]; /* topics q names, by label or search term */
    size_t n_meant;
    bool urgent;              /* q asks for urgent help ("in danger") */
    bool everything;          /* q had no word worth searching for: every
                                 organisation, as listed without q */
    size_t *audience_counts;  /* per audience: q and topic filters applied */
    size_t *topic_counts;     /* per topic: q and audience filters applied */
    const struct store_org **items; /* the requested page, pointing into ix */
    size_t n_items;
};

/* Whether searches remember their full-text matches and answers (the
 * memos of search.c; default on). Off only to measure the cost of searches
 * nobody made before (`signpost serve --search-memo off`, make bench). Set
 * before serving. */
void store_search_memo(bool on);

/* Runs a search against ix: q is read as people type (stop words, text-
 * speak, every word a prefix, compounds, typos corrected within the
 * index's vocabulary), organisations matching more of its words first,
 * then by bm25() with the weights in search.c. Fills out (free with
 * store_results_reset). Returns 0, or -1 on a database error. */
int store_search(struct store_index *ix, const struct store_search *q,
                 struct store_results *out);
void store_results_reset(struct store_results *r);

struct store_contact {
    char *kind, *label, *value, *hours;
};

struct store_resource {
    char *id, *slug, *name, *type, *url, *summary;
    int age_min, age_max;        /* -1: unknown */
    char **audiences, **topics;  /* NULL-terminated slug lists */
};

struct store_org_detail {
    char *id, *slug, *name, *summary, *description, *website, *kind, *coverage,
        *last_reviewed, *source, *updated_at;
    char *archived_at, *created_at, *reviewed_by;  /* archived_at: NULL if public */
    char **audiences, **topics;  /* NULL-terminated slug lists */
    char **search_terms;         /* its own search terms, in order */
    struct store_contact *contacts;
    size_t n_contacts;
    struct store_resource *resources;
    size_t n_resources;
};

/* Loads the public organisation with slug. Returns 1 when found, 0 when
 * there is none, -1 on a database error. Free with store_org_detail_reset. */
int store_org_get(const char *slug, struct store_org_detail *out);
void store_org_detail_reset(struct store_org_detail *d);
/* The same, archived organisations included when archived_too. */
int store_org_get_any(const char *slug, bool archived_too, struct store_org_detail *d);

struct store_help {
    char *label, *description, *kind, *value, *hours, *org_slug;
};

/* The urgent-help channels in display order. Returns the count (>= 0) and
 * an array the caller frees with store_help_free, or -1 on error. */
int store_help_list(struct store_help **out);
void store_help_free(struct store_help *list, int n);

/* ---- the Open Referral UK feed -------------------------------------------
 * These return rows as jansson objects keyed by column name (new
 * references, caller decrefs): the feed's mapping to HSDS lives in oruk.c.
 * Each returns 0 (or 1/0 found/not found for the _get ones), -1 on error. */

struct store_service_filter {
    const char *search;        /* a word or phrase in the name or summary */
    int64_t audience_pk;       /* 0: any */
    int64_t topic_pk;          /* 0: any; sub-topics match too */
    const char *taxonomy;      /* "audience" or "topic": has any term; NULL */
    long age_from, age_to;     /* ranges overlapping [from, to]; -1: open */
    const char *modified_after;/* "YYYY-MM-DDTHH:MM:SSZ" or NULL */
    const char *org_id;        /* the provider's UUID, or NULL */
    size_t offset, limit;
};

/* Public resources (services) matching f, by name, with their
 * organisation's columns prefixed "org_"; *total counts every match. */
int store_services(const struct store_service_filter *f, json_t **rows, size_t *total);
int store_service_get(const char *id, json_t **row);
/* The audience and topic primary keys of a resource: [{"kind", "pk"}]. */
int store_resource_terms(int64_t resource_pk, json_t **rows);
/* An organisation's contacts, in order: [{"pk","kind","label","value","hours"}]. */
int store_contacts(int64_t org_pk, json_t **rows);
/* Public organisations by name, and one by UUID. */
int store_organizations(size_t offset, size_t limit, json_t **rows, size_t *total);
int store_organization_get(const char *id, json_t **row);

/* ---- writes --------------------------------------------------------------
 * A handler wraps its reads and writes in store_begin (BEGIN IMMEDIATE:
 * one writer at a time, so a check and the write it guards cannot be
 * separated) and store_commit / store_rollback. store_commit alone
 * publishes the new data version, in the file and in memory. */

enum { STORE_OK = 0, STORE_ERROR = -1, STORE_NOT_FOUND = -2, STORE_CONFLICT = -3 };

/* A position that means "keep it where it is, or last if new". */
#define STORE_KEEP INT64_MIN

int store_begin(void);
int store_commit(void);
void store_rollback(void);
/* The data version kept in the file. */
uint64_t store_db_version(void);
/* A new random UUID (version 4). Caller frees; NULL on error. */
char *store_uuid_new(void);

/* An organisation as written: every field; contacts replace the old ones;
 * audiences and topics are slug lists. created_at, updated_at,
 * last_reviewed and reviewed_by are only taken on insert (import); NULL:
 * now / not reviewed. */
struct store_org_in {
    const char *id, *slug, *name, *summary, *description, *website, *kind, *coverage,
        *source, *last_reviewed, *reviewed_by, *created_at, *updated_at;
    char **audiences, **topics;
    char **search_terms;         /* NULL: leave them as they are */
    struct store_contact *contacts;
    size_t n_contacts;
};

/* STORE_OK, STORE_CONFLICT (the id or slug is taken), STORE_ERROR. */
int store_org_insert(const struct store_org_in *in);
/* STORE_OK, STORE_NOT_FOUND, STORE_CONFLICT (slug taken), STORE_ERROR. */
int store_org_update(const char *id, const struct store_org_in *in);
/* Archives (hides) or restores. STORE_NOT_FOUND if already so. */
int store_org_set_archived(const char *id, bool archived);
/* Marks the organisation checked today by by. */
int store_org_mark_reviewed(const char *id, const char *by);

/* Appends revision n+1 of a record; *n gets its number. before/after are
 * JSON texts (before NULL on create). */
int store_revision_add(const char *entity, const char *entity_id, const char *action,
                       const char *actor, const char *before, const char *after, int *n);
/* [{"n","action","actor","at","before","after"}], oldest first. */
int store_revisions(const char *entity, const char *entity_id, json_t **rows);
/* The latest revision of a record (n, action, actor, at): 1, 0, -1. */
int store_last_revision(const char *entity, const char *entity_id, json_t **row);
/* Organisations whose name or slug holds q ("" for all), archived ones
 * too when asked (after the others), by name, at most limit: rows of slug,
 * name, last_reviewed, archived_at, updated_at. 0 or -1. */
int store_org_titles(const char *q, bool archived, int limit, json_t **rows);
/* 1 with *row, 0 if there is no such revision, -1. */
int store_revision_get(const char *entity, const char *entity_id, int n, json_t **row);
/* [{"id","slug","name","archived_at"}] of archived organisations. */
int store_archived_orgs(json_t **rows);
/* Organisations never checked, or not checked in months, oldest first. */
int store_review_queue(int months, json_t **rows);
/* [{"slug"}] of every organisation, archived too, by id. */
int store_all_org_slugs(json_t **rows);

/* Tokens: only the hex SHA-256 of a token is stored. */
int store_token_add(const char *name, const char *role, const char *hash);
int store_token_list(json_t **rows);
int store_token_revoke(const char *name);
/* 1 with *row {"name","role","hash"} for a live token, 0, or -1. */
int store_token_find(const char *hash, json_t **row);

/* Reports of a problem with an entry. */
int store_report_add(const char *org_slug, const char *what, const char *details);
int store_reports(bool open_only, json_t **rows);
/* Closes open report id, by whom, with a note (NULL for none). */
int store_report_close(int64_t id, const char *by, const char *note);
/* One report with its organisation's slug and name: 1, 0, -1. */
int store_report_get(int64_t id, json_t **row);

/* ---- bulk exchange (export and import) ---------------------------------- */

/* Audiences [{"id","slug","label","description","position"}] and topics
 * (the same and "parent" slug, "source", "guidance_md"), in order. */
int store_dump_taxonomy(json_t **audiences, json_t **topics);
/* Every organisation, archived too, by slug, with "pk" and all columns. */
int store_dump_orgs(json_t **rows);
/* An organisation's resources, archived too, with "audiences" and "topics"
 * as JSON array texts. */
int store_dump_resources(int64_t org_pk, json_t **rows);
/* Sets what an import carries besides the record itself. */
int store_org_set_state(const char *id, const char *last_reviewed, const char *reviewed_by,
                        const char *archived_at, const char *updated_at);
/* Inserts or updates a term by id. position STORE_KEEP: keep it (update)
 * or put the term last (insert). */
int store_audience_upsert(const char *id, const char *slug, const char *label,
                          const char *description, int64_t position);
int store_topic_upsert(const char *id, const char *slug, const char *label,
                       const char *description, const char *parent_slug, int64_t position,
                       const char *source, const char *guidance_md, char **search_terms);

struct store_resource_in {
    const char *id, *slug, *name, *type, *url, *summary, *source, *created_at, *updated_at,
        *archived_at;
    int age_min, age_max;        /* -1: unknown */
    char **audiences, **topics;  /* slugs */
};
/* Turns a row's "audiences", "topics" and "search_terms" JSON texts (as the
 * dump queries give them) into arrays. */
void store_lists_from_text(json_t *row);
int store_resource_upsert(const char *org_id, const struct store_resource_in *in,
                          int64_t position);
/* 1 if an organisation (archived or not) has this id, 0, or -1. */
int store_org_exists(const char *id);

/* One resource by slug: every column, "organisation" (its slug), "org_id",
 * and "audiences"/"topics" as arrays. 1 with *row, 0, or -1. Archived
 * resources (or of archived organisations) only when archived_too. */
int store_resource_get(const char *slug, bool archived_too, json_t **row);
int store_resource_set_archived(const char *id, bool archived);
/* A resource's "position" and its organisation's "org_id", by id. */
int store_resource_get_by_id(const char *id, json_t **row);
/* The position after an organisation's last resource. */
int store_resource_next_position(const char *org_id);
/* One audience (topic false) or topic by slug, as export shows it. */
int store_term_get(bool topic, const char *slug, json_t **row);
/* The record of the last deleted term with slug, from its revision (as
 * store_term_get gave it): 1 with *row, 0, -1. */
int store_term_archived(bool topic, const char *slug, json_t **row);
/* Deletes an unused term: STORE_CONFLICT when anything still uses it. */
int store_term_delete(bool topic, const char *id);

/* Copies the database to path with SQLite's online backup API (the server
 * may be serving and writing meanwhile), checks the copy's integrity and
 * fsyncs it. 0 or -1. */
int store_backup(const char *path);

/* ---- curators' accounts (curator.c) ---------------------------------------
 * Emails compare without case. Each write is its own transaction, with its
 * audit line; none moves the data version. */

/* A new account, state "invited", with an invitation (invite_hash: hex
 * SHA-256 of the link's token) valid for hours. STORE_OK, STORE_CONFLICT
 * (the e-mail address has an account), STORE_ERROR. */
int store_curator_invite(const char *email, const char *name, const char *role,
                         const char *invite_hash, int hours, const char *actor);
/* Clears the account's password, second factor, recovery codes, sessions
 * and open invitations, and gives it a new invitation. STORE_NOT_FOUND,
 * STORE_CONFLICT (the account is disabled), STORE_OK, STORE_ERROR. */
int store_curator_reset(const char *email, const char *invite_hash, int hours,
                        const char *actor);
/* Disables (ends its sessions and invitations) or enables an account.
 * STORE_NOT_FOUND when there is none or it is already so. */
int store_curator_set_state(const char *email, bool enabled, const char *actor);
/* Every account: email, name, role, state, created_at, signed_in_at,
 * disabled_at, invited_until (an open invitation's expiry, or null). */
/* Gives account email role, audited as actor ("role", "editor to
 * admin"): STORE_OK (also when it had it), STORE_NOT_FOUND, STORE_CONFLICT
 * when it is the last active admin losing the role, STORE_ERROR. */
int store_curator_set_role(const char *email, const char *role, const char *actor);
/* 1 when account email is the only active admin, 0 when not, -1. */
int store_curator_is_last_admin(const char *email);
int store_curator_list(json_t **rows);
/* One account (as in the list), 1 / 0 / -1 as sql_row. */
int store_curator_get(const char *email, json_t **row);
/* The account an open, unexpired invitation is for: 1 with *row (email,
 * name, role, state, expires_at), 0, -1. */
int store_invitation_find(const char *hash, json_t **row);
/* The audit log: an event (db/008_curators.sql lists them) and the newest
 * limit lines, newest first. */
int store_audit_add(const char *actor, const char *event, const char *subject,
                    const char *detail, const char *address);
int store_audit_list(size_t limit, json_t **rows);
/* The newest limit revisions of any record, newest first: entity, action,
 * actor, at, slug (organisations), name. */
int store_recent_changes(size_t limit, json_t **rows);

/* ---- signing in to the console (session.c) -------------------------------- */

/* An account's secrets for signing in: 1 with *row (pk, email, name, role,
 * state, password, totp_sealed, totp_step), 0 when there is none, -1. */
int store_curator_secrets(const char *email, json_t **row);
/* An open, unexpired invitation of an account still "invited": 1 with *row
 * (pk, email, name, role, password, totp_sealed, expires_at), 0, -1. */
int store_invitation_open(const char *hash, json_t **row);
/* Enrolment's first step: the password's hash and the sealed TOTP secret
 * of an invited account (replacing any of an earlier try). STORE_OK,
 * STORE_NOT_FOUND (not invited any more), STORE_ERROR. */
int store_enrol_password(int64_t pk, const char *password_hash, const char *totp_sealed);
/* Enrolment's last step, in one transaction: the invitation used, the
 * account active with step as its last TOTP step, the recovery codes'
 * hashes stored (replacing any), audited. STORE_NOT_FOUND when the
 * invitation or the account's first step is gone. */
int store_enrol_finish(int64_t pk, const char *invite_hash, int64_t step,
                       const char *const *code_hashes, size_t n_codes, const char *address);
/* Records step as the account's last TOTP step if it is later than the
 * last: STORE_OK, STORE_CONFLICT (a code already used), STORE_ERROR. */
int store_totp_use(int64_t pk, int64_t step);
/* Uses a recovery code by its hash: STORE_OK, STORE_NOT_FOUND (no such
 * unused code), STORE_ERROR. store_recovery_left: how many are unused. */
int store_recovery_use(int64_t pk, const char *hash);
int store_recovery_left(int64_t pk);
/* A session for an active account, by the hash of its id: signed_in_at
 * set, the password's hash replaced by rehash when not NULL, audited as a
 * sign-in with detail. STORE_NOT_FOUND when the account is not active. */
int store_session_start(int64_t pk, const char *hash, const char *rehash, const char *detail,
                        const char *address);
/* The live session with this hash: not ended, its account active, seen
 * within idle_seconds and begun within absolute_seconds. 1 with *row
 * (session, curator, email, name, role, signed_in_at, idle: seconds since
 * last seen), 0, -1. */
int store_session_find(const char *hash, int idle_seconds, int absolute_seconds, json_t **row);
/* Marks the session seen now. */
int store_session_touch(int64_t session);
/* Ends the session, or every session of its account, audited. */
int store_session_end(int64_t session, bool everywhere, const char *address);

#endif
