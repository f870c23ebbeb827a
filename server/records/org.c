/* org.c: see org.h. */
#include "records/org.h"
#include "lib/escape.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = {"charity", "government", "police", "local-authority",
                                    "partnership", "public-body", "company", "other", NULL};
static const char *const contact_kinds[] = {"phone", "text", "email", "webchat",
                                            "report-form", "website", NULL};

void org_body(struct buf *out, const struct store_org_detail *d, enum record_view view)
{
    struct jsonw w;
    jsonw_init(&w, out);
    jsonw_obj_open(&w);
    jsonw_kstr(&w, "id", d->id);
    jsonw_kstr(&w, "slug", d->slug);
    jsonw_kstr(&w, "name", d->name);
    jsonw_kstr(&w, "summary", d->summary);
    jsonw_kstr(&w, "kind", d->kind);
    jsonw_kstr(&w, "coverage", d->coverage);
    jsonw_kstr(&w, "website", record_web(view, d->website));
    jsonw_key(&w, "audiences");
    record_slug_list(&w, d->audiences);
    jsonw_key(&w, "topics");
    record_slug_list(&w, d->topics);
    jsonw_kstr(&w, "last_reviewed", d->last_reviewed);
    jsonw_key(&w, "search_terms");
    record_terms_list(&w, d->search_terms);
    struct buf url = BUF_INIT;
    buf_puts(&url, "/api/v1/organisations/");
    esc_url_str(&url, d->slug);
    jsonw_kstr(&w, "url", url.data);
    buf_reset(&url);
    jsonw_kstr(&w, "description", d->description);
    jsonw_kstr(&w, "source", d->source);
    jsonw_kstr(&w, "updated_at", d->updated_at);
    jsonw_key(&w, "contacts");
    jsonw_arr_open(&w);
    for (size_t i = 0; i < d->n_contacts; i++) {
        const struct store_contact *c = &d->contacts[i];
        jsonw_obj_open(&w);
        jsonw_kstr(&w, "kind", c->kind);
        jsonw_kstr(&w, "label", c->label);
        jsonw_kstr(&w, "value", c->value);
        jsonw_kstr(&w, "hours", c->hours);
        record_contact_href(&w, c->kind, c->value);
        jsonw_obj_close(&w);
    }
    jsonw_arr_close(&w);
    jsonw_key(&w, "resources");
    jsonw_arr_open(&w);
    for (size_t i = 0; i < d->n_resources; i++) {
        const struct store_resource *res = &d->resources[i];
        jsonw_obj_open(&w);
        jsonw_kstr(&w, "id", res->id);
        jsonw_kstr(&w, "slug", res->slug);
        jsonw_kstr(&w, "name", res->name);
        jsonw_kstr(&w, "type", res->type);
        jsonw_kstr(&w, "url", record_web(view, res->url));
        jsonw_kstr(&w, "summary", res->summary);
        jsonw_key(&w, "age_min");
        res->age_min < 0 ? jsonw_null(&w) : jsonw_int(&w, res->age_min);
        jsonw_key(&w, "age_max");
        res->age_max < 0 ? jsonw_null(&w) : jsonw_int(&w, res->age_max);
        jsonw_key(&w, "audiences");
        record_slug_list(&w, res->audiences);
        jsonw_key(&w, "topics");
        record_slug_list(&w, res->topics);
        jsonw_obj_close(&w);
    }
    jsonw_arr_close(&w);
    jsonw_obj_close(&w);
}

/* Checks one contact at pointer cp. */
static void contact_input(json_t *c, const char *cp, struct problems *p,
                          struct store_contact *ct, bool unchanged)
{
    const char *key;
    json_t *value;
    json_object_foreach(c, key, value)
        if (strcmp(key, "kind") && strcmp(key, "label") && strcmp(key, "value") &&
            strcmp(key, "hours") && strcmp(key, "href"))
            record_problem(p, cp, key, -1, "is not a field of a contact");
    ct->kind = (char *)record_text(c, "kind", true, false, 20, p, cp);
    ct->label = (char *)record_text(c, "label", true, false, 200, p, cp);
    ct->value = (char *)record_text(c, "value", true, false, 2000, p, cp);
    ct->hours = (char *)record_text(c, "hours", false, true, 200, p, cp);
    if (ct->kind && !record_one_of(ct->kind, contact_kinds)) {
        record_problem(p, cp, "kind", -1, "must be one of phone, text, email, webchat, "
                                          "report-form, website");
    } else if (ct->kind && ct->value && !unchanged) {
        bool phone = !strcmp(ct->kind, "phone") || !strcmp(ct->kind, "text");
        if (phone && !record_is_uk_phone(ct->value))
            record_problem(p, cp, "value", -1, "must be a UK phone number, such as "
                                               "0808 800 5000 or +44 808 800 5000");
        else if (!strcmp(ct->kind, "email") && !esc_is_email(ct->value))
            record_problem(p, cp, "value", -1, "must be an email address");
        else if (!phone && strcmp(ct->kind, "email") && !esc_is_web_url(ct->value))
            record_problem(p, cp, "value", -1, "must be a web address starting with https://");
    }
}

bool org_input(json_t *doc, json_t *stored, const struct store_index *ix,
               struct problems *p, const char *prefix, struct store_org_in *in)
{
    static const char *const writable[] = {"slug", "name", "summary", "description",
                                           "website", "kind", "coverage", "source",
                                           "audiences", "topics", "contacts",
                                           "search_terms", NULL};
    static const char *const read_only[] = {"id", "url", "updated_at", "last_reviewed",
                                            "resources", NULL};
    size_t before = p->n;
    memset(in, 0, sizeof *in);
    record_known_keys(doc, writable, read_only, "an organisation", p, prefix);
    in->slug = record_text(doc, "slug", true, false, 100, p, prefix);
    if (in->slug && !record_is_slug(in->slug) && !record_unchanged(doc, stored, "slug"))
        record_problem(p, prefix, "slug", -1,
                       "must be lower-case letters, digits and hyphens, such as "
                       "\"nspcc\" or \"derby-city-council\"");
    in->name = record_text(doc, "name", true, false, 200, p, prefix);
    in->summary = record_text(doc, "summary", false, false, 500, p, prefix);
    in->description = record_text(doc, "description", false, false, 10000, p, prefix);
    in->website = record_text(doc, "website", false, true, 2000, p, prefix);
    if (in->website && !esc_is_web_url(in->website) &&
        !record_unchanged(doc, stored, "website"))
        record_problem(p, prefix, "website", -1,
                       "must be a web address starting with https:// or http://");
    in->kind = record_text(doc, "kind", true, false, 40, p, prefix);
    if (in->kind && !record_one_of(in->kind, kinds))
        record_problem(p, prefix, "kind", -1,
                       "must be one of charity, government, police, local-authority, "
                       "partnership, public-body, company, other");
    in->coverage = record_text(doc, "coverage", true, false, 100, p, prefix);
    in->source = record_text(doc, "source", true, false, 1000, p, prefix);
    in->audiences = record_slugs(doc, "audiences", ix->audiences, ix->n_audiences, p, prefix);
    in->topics = record_slugs(doc, "topics", ix->topics, ix->n_topics, p, prefix);
    in->search_terms = record_search_terms(doc, "search_terms", p, prefix);

    json_t *contacts = json_object_get(doc, "contacts");
    if (contacts && !json_is_null(contacts)) {
        if (!json_is_array(contacts) || json_array_size(contacts) > 20) {
            record_problem(p, prefix, "contacts", -1, "must be a list of at most 20 contacts");
        } else {
            in->contacts = xcalloc(json_array_size(contacts) + 1, sizeof *in->contacts);
            size_t i;
            json_t *c;
            json_array_foreach(contacts, i, c) {
                char cp[96];
                snprintf(cp, sizeof cp, "%s/contacts/%zu", prefix, i);
                if (!json_is_object(c)) {
                    problem_list_add(p, cp, "body", "must be an object", NULL, 0);
                    continue;
                }
                contact_input(c, cp, p, &in->contacts[in->n_contacts++],
                              record_unchanged(doc, stored, "contacts"));
            }
        }
    }
    return p->n == before;
}

void org_input_reset(struct store_org_in *in)
{
    free(in->audiences);
    free(in->topics);
    free(in->contacts);
    record_strings_free(in->search_terms);
    memset(in, 0, sizeof *in);
}
