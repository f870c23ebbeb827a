/* resource.c: see resource.h. */
#include "records/resource.h"
#include "lib/escape.h"

#include <stdlib.h>
#include <string.h>

void resource_body(struct buf *out, json_t *row, enum record_view view)
{
    struct jsonw w;
    jsonw_init(&w, out);
    jsonw_obj_open(&w);
    static const char *const text[] = {"id", "slug", "organisation", "name", "type", "url",
                                       "summary", NULL};
    for (int i = 0; text[i]; i++) {
        const char *v = json_string_value(json_object_get(row, text[i]));
        jsonw_kstr(&w, text[i], strcmp(text[i], "url") == 0 ? record_web(view, v) : v);
    }
    static const char *const ages[] = {"age_min", "age_max"};
    for (int i = 0; i < 2; i++) {
        json_t *v = json_object_get(row, ages[i]);
        jsonw_key(&w, ages[i]);
        if (json_is_integer(v))
            jsonw_int(&w, json_integer_value(v));
        else
            jsonw_null(&w);
    }
    static const char *const lists[] = {"audiences", "topics"};
    for (int i = 0; i < 2; i++) {
        jsonw_key(&w, lists[i]);
        jsonw_arr_open(&w);
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(row, lists[i]), k, v)
            jsonw_str(&w, json_string_value(v));
        jsonw_arr_close(&w);
    }
    jsonw_kstr(&w, "source", json_string_value(json_object_get(row, "source")));
    jsonw_kstr(&w, "updated_at", json_string_value(json_object_get(row, "updated_at")));
    jsonw_obj_close(&w);
}

bool resource_input(json_t *doc, json_t *stored, const struct store_index *ix,
                    struct problems *p, const char *prefix, struct store_resource_in *in)
{
    static const char *const writable[] = {"slug", "name", "type", "url", "summary",
                                           "age_min", "age_max", "source", "audiences",
                                           "topics", NULL};
    static const char *const read_only[] = {"id", "organisation", "updated_at", NULL};
    static const char *const types[] = {"helpline", "reporting-tool", "education-pack",
                                        "campaign", "guidance", "website", "film",
                                        "service", NULL};
    size_t before = p->n;
    const char *id = in->id;
    memset(in, 0, sizeof *in);
    in->id = id;
    in->slug = record_text(doc, "slug", true, false, 100, p, prefix);
    if (in->slug && !record_is_slug(in->slug) && !record_unchanged(doc, stored, "slug"))
        record_problem(p, prefix, "slug", -1, "must be lower-case letters, digits and hyphens");
    record_known_keys(doc, writable, read_only, "this record", p, prefix);
    in->name = record_text(doc, "name", true, false, 200, p, prefix);
    in->type = record_text(doc, "type", true, false, 40, p, prefix);
    if (in->type && !record_one_of(in->type, types))
        record_problem(p, prefix, "type", -1,
                       "must be one of helpline, reporting-tool, education-pack, "
                       "campaign, guidance, website, film, service");
    in->url = record_text(doc, "url", false, true, 2000, p, prefix);
    if (in->url && !esc_is_web_url(in->url) && !record_unchanged(doc, stored, "url"))
        record_problem(p, prefix, "url", -1,
                       "must be a web address starting with https:// or http://");
    in->summary = record_text(doc, "summary", false, false, 1000, p, prefix);
    in->source = record_text(doc, "source", true, false, 1000, p, prefix);
    in->age_min = record_age(doc, "age_min", p, prefix);
    in->age_max = record_age(doc, "age_max", p, prefix);
    if (in->age_min >= 0 && in->age_max >= 0 && in->age_max < in->age_min)
        record_problem(p, prefix, "age_max", -1, "must not be below age_min");
    in->audiences = record_slugs(doc, "audiences", ix->audiences, ix->n_audiences, p, prefix);
    in->topics = record_slugs(doc, "topics", ix->topics, ix->n_topics, p, prefix);
    return p->n == before;
}

void resource_input_reset(struct store_resource_in *in)
{
    free(in->audiences);
    free(in->topics);
    in->audiences = in->topics = NULL;
}
