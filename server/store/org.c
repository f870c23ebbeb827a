/* org.c: one organisation as its page and the API show it, every list
 * filled in (taxonomy slugs, contacts, resources and theirs), and the
 * urgent-help channels. */
#include "store/store_int.h"
#include "lib/util.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static const char *const org_sql[ST_COUNT] = {
    [ST_ORG_BY_SLUG] = "SELECT pk, id, slug, name, summary, description, website,"
                       " kind, coverage, last_reviewed, source, updated_at, archived_at,"
                       " created_at, reviewed_by"
                       " FROM organisation WHERE slug = ?1 AND (?2 OR archived_at IS NULL)",
    [ST_ORG_AUDIENCE_SLUGS] = "SELECT a.slug FROM org_audience x JOIN audience a"
                              " ON a.pk = x.audience_pk WHERE x.org_pk = ?1"
                              " ORDER BY a.position, a.label",
    [ST_ORG_TOPIC_SLUGS] = "SELECT t.slug FROM org_topic x JOIN topic t"
                           " ON t.pk = x.topic_pk WHERE x.org_pk = ?1"
                           " ORDER BY t.position, t.label",
    [ST_ORG_TERMS] = "SELECT term FROM search_term WHERE org_pk = ?1 ORDER BY position, pk",
    [ST_ORG_CONTACTS] = "SELECT kind, label, value, hours FROM contact"
                        " WHERE org_pk = ?1 ORDER BY position, pk",
    [ST_ORG_RESOURCES] = "SELECT pk, id, slug, name, type, url, summary, age_min,"
                         " age_max FROM resource WHERE org_pk = ?1"
                         " AND archived_at IS NULL ORDER BY position, name",
    [ST_RES_AUDIENCE_SLUGS] = "SELECT a.slug FROM resource_audience x JOIN audience a"
                              " ON a.pk = x.audience_pk WHERE x.resource_pk = ?1"
                              " ORDER BY a.position, a.label",
    [ST_RES_TOPIC_SLUGS] = "SELECT t.slug FROM resource_topic x JOIN topic t"
                           " ON t.pk = x.topic_pk WHERE x.resource_pk = ?1"
                           " ORDER BY t.position, t.label",
    [ST_HELP] = "SELECT h.label, h.description, h.kind, h.value, h.hours, o.slug"
                " FROM help_channel h LEFT JOIN organisation o ON o.pk = h.org_pk"
                " AND o.archived_at IS NULL ORDER BY h.position, h.pk",
};

/* ---- one organisation ---------------------------------------------------- */

/* Runs st (already bound) and collects column 0 of each row as a
 * NULL-terminated list. Returns NULL on error. */
static char **collect_slugs(struct conn *c, sqlite3_stmt *st)
{
    size_t n = 0, cap = 8;
    char **list = xmalloc(cap * sizeof *list);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n + 1 >= cap) {
            cap *= 2;
            list = xrealloc(list, cap * sizeof *list);
        }
        list[n++] = col_text_or_empty(st, 0);
    }
    list[n] = NULL;
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading slugs");
        for (size_t i = 0; i < n; i++)
            free(list[i]);
        free(list);
        return NULL;
    }
    return list;
}

static char **slugs_for(struct conn *c, enum stmt_id id, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, id, org_sql);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    return collect_slugs(c, st);
}

static void slugs_free(char **list)
{
    if (!list)
        return;
    for (char **p = list; *p; p++)
        free(*p);
    free(list);
}

int store_org_get(const char *slug, struct store_org_detail *d)
{
    return store_org_get_any(slug, false, d);
}

int store_org_get_any(const char *slug, bool archived_too, struct store_org_detail *d)
{
    memset(d, 0, sizeof *d);
    struct conn *c = conn_get();
    sqlite3_stmt *st = c ? stmt(c, ST_ORG_BY_SLUG, org_sql) : NULL;
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, archived_too);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        stmt_done(st);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        log_db_error(c->db, "loading an organisation");
        stmt_done(st);
        return -1;
    }
    int64_t pk = sqlite3_column_int64(st, 0);
    d->id = col_text(st, 1);
    d->slug = col_text(st, 2);
    d->name = col_text(st, 3);
    d->summary = col_text_or_empty(st, 4);
    d->description = col_text_or_empty(st, 5);
    d->website = col_text(st, 6);
    d->kind = col_text(st, 7);
    d->coverage = col_text(st, 8);
    d->last_reviewed = col_text(st, 9);
    d->source = col_text_or_empty(st, 10);
    d->updated_at = col_text(st, 11);
    d->archived_at = col_text(st, 12);
    d->created_at = col_text(st, 13);
    d->reviewed_by = col_text(st, 14);
    stmt_done(st);

    int result = -1;
    d->audiences = slugs_for(c, ST_ORG_AUDIENCE_SLUGS, pk);
    d->topics = slugs_for(c, ST_ORG_TOPIC_SLUGS, pk);
    d->search_terms = slugs_for(c, ST_ORG_TERMS, pk);
    if (!d->audiences || !d->topics || !d->search_terms)
        goto out;

    if (!(st = stmt(c, ST_ORG_CONTACTS, org_sql)))
        goto out;
    sqlite3_bind_int64(st, 1, pk);
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (d->n_contacts == cap) {
            cap = cap ? cap * 2 : 4;
            d->contacts = xrealloc(d->contacts, cap * sizeof *d->contacts);
        }
        struct store_contact *ct = &d->contacts[d->n_contacts++];
        ct->kind = col_text(st, 0);
        ct->label = col_text_or_empty(st, 1);
        ct->value = col_text_or_empty(st, 2);
        ct->hours = col_text(st, 3);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading contacts");
        goto out;
    }

    if (!(st = stmt(c, ST_ORG_RESOURCES, org_sql)))
        goto out;
    sqlite3_bind_int64(st, 1, pk);
    cap = 0;
    size_t n_pks = 0;
    int64_t *pks = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (d->n_resources == cap) {
            cap = cap ? cap * 2 : 4;
            d->resources = xrealloc(d->resources, cap * sizeof *d->resources);
            pks = xrealloc(pks, cap * sizeof *pks);
        }
        pks[n_pks++] = sqlite3_column_int64(st, 0);
        struct store_resource *r = &d->resources[d->n_resources++];
        memset(r, 0, sizeof *r);
        r->id = col_text(st, 1);
        r->slug = col_text(st, 2);
        r->name = col_text(st, 3);
        r->type = col_text(st, 4);
        r->url = col_text(st, 5);
        r->summary = col_text_or_empty(st, 6);
        r->age_min = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 7);
        r->age_max = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 8);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading resources");
        free(pks);
        goto out;
    }
    result = 1;
    for (size_t i = 0; i < n_pks; i++) {
        d->resources[i].audiences = slugs_for(c, ST_RES_AUDIENCE_SLUGS, pks[i]);
        d->resources[i].topics = slugs_for(c, ST_RES_TOPIC_SLUGS, pks[i]);
        if (!d->resources[i].audiences || !d->resources[i].topics)
            result = -1;
    }
    free(pks);
out:
    if (result != 1)
        store_org_detail_reset(d);
    return result;
}

void store_org_detail_reset(struct store_org_detail *d)
{
    free(d->id);
    free(d->slug);
    free(d->name);
    free(d->summary);
    free(d->description);
    free(d->website);
    free(d->kind);
    free(d->coverage);
    free(d->last_reviewed);
    free(d->source);
    free(d->updated_at);
    free(d->archived_at);
    free(d->created_at);
    free(d->reviewed_by);
    slugs_free(d->audiences);
    slugs_free(d->topics);
    slugs_free(d->search_terms);
    for (size_t i = 0; i < d->n_contacts; i++) {
        free(d->contacts[i].kind);
        free(d->contacts[i].label);
        free(d->contacts[i].value);
        free(d->contacts[i].hours);
    }
    free(d->contacts);
    for (size_t i = 0; i < d->n_resources; i++) {
        struct store_resource *r = &d->resources[i];
        free(r->id);
        free(r->slug);
        free(r->name);
        free(r->type);
        free(r->url);
        free(r->summary);
        slugs_free(r->audiences);
        slugs_free(r->topics);
    }
    free(d->resources);
    memset(d, 0, sizeof *d);
}

/* ---- urgent help --------------------------------------------------------- */

int store_help_list(struct store_help **out)
{
    struct conn *c = conn_get();
    sqlite3_stmt *st = c ? stmt(c, ST_HELP, org_sql) : NULL;
    if (!st)
        return -1;
    int n = 0, cap = 8, rc;
    struct store_help *list = xcalloc((size_t)cap, sizeof *list);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap *= 2;
            list = xrealloc(list, (size_t)cap * sizeof *list);
        }
        struct store_help *h = &list[n++];
        h->label = col_text_or_empty(st, 0);
        h->description = col_text_or_empty(st, 1);
        h->kind = col_text_or_empty(st, 2);
        h->value = col_text_or_empty(st, 3);
        h->hours = col_text(st, 4);
        h->org_slug = col_text(st, 5);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        log_db_error(c->db, "loading help channels");
        store_help_free(list, n);
        return -1;
    }
    *out = list;
    return n;
}

void store_help_free(struct store_help *list, int n)
{
    for (int i = 0; i < n; i++) {
        free(list[i].label);
        free(list[i].description);
        free(list[i].kind);
        free(list[i].value);
        free(list[i].hours);
        free(list[i].org_slug);
    }
    free(list);
}
