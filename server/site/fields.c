/* fields.c: records as the templates show them. Each function turns a piece
 * of a record (a contact channel, a kind, a date, a term, an organisation's
 * card) into jansson values in the words and links a visitor reads; the
 * templates escape every one of them. */
#include "site/page_int.h"
#include "lib/buf.h"
#include "lib/escape.h"
#include "lib/util.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void page_set_str(json_t *o, const char *key, const char *value)
{
    if (value)
        json_object_set_new(o, key, json_string(value));
}

/* tel:/sms: links keep digits and a leading +. */
static char *phone_href(const char *scheme, const char *number)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, scheme);
    size_t base = b.len;
    for (const char *p = number; *p; p++)
        if ((*p >= '0' && *p <= '9') || (*p == '+' && b.len == base))
            buf_putc(&b, *p);
    return buf_detach(&b, NULL);
}

json_t *page_channel_json(const char *kind, const char *label, const char *value,
                          const char *hours, const char *description)
{
    json_t *c = json_object();
    page_set_str(c, "label", label);
    page_set_str(c, "value", value);
    page_set_str(c, "hours", hours);
    page_set_str(c, "description", description);
    char *href = NULL;
    const char *action = "Visit";
    if (strcmp(kind, "phone") == 0) {
        href = phone_href("tel:", value);
        action = "Call";
        json_object_set_new(c, "is_phone", json_true());
    } else if (strcmp(kind, "text") == 0) {
        href = phone_href("sms:", value);
        action = "Text";
        json_object_set_new(c, "is_phone", json_true());
    } else if (strcmp(kind, "email") == 0) {
        struct buf b = BUF_INIT;
        buf_puts(&b, "mailto:");
        buf_puts(&b, value);
        href = buf_detach(&b, NULL);
        action = "Email";
    } else {
        href = xstrdup(value);
        action = strcmp(kind, "report-form") == 0 ? "Report online" : "Visit";
    }
    page_set_str(c, "href", href);
    page_set_str(c, "action", action);
    free(href);
    return c;
}

/* The label that map gives key, or fallback for NULL or a key it lacks. */
static const char *map_label(const char *const (*map)[2], size_t n, const char *key,
                             const char *fallback)
{
    for (size_t i = 0; key && i < n; i++)
        if (strcmp(key, map[i][0]) == 0)
            return map[i][1];
    return fallback;
}

const char *page_kind_label(const char *kind)
{
    static const char *const map[][2] = {
        {"charity", "Charity"}, {"government", "Government"}, {"police", "Police"},
        {"local-authority", "Local council"}, {"partnership", "Partnership"},
        {"public-body", "Public body"}, {"company", "Company"}, {"other", "Organisation"},
    };
    return map_label(map, sizeof map / sizeof *map, kind, "Organisation");
}

const char *page_type_label(const char *type)
{
    static const char *const map[][2] = {
        {"helpline", "Helpline"}, {"reporting-tool", "Report"},
        {"education-pack", "Education pack"}, {"campaign", "Campaign"},
        {"guidance", "Guidance"}, {"website", "Website"}, {"film", "Film"},
        {"service", "Service"},
    };
    return map_label(map, sizeof map / sizeof *map, type, "Resource");
}

char *page_long_date(const char *iso)
{
    static const char *const months[] = {"January", "February", "March", "April",
                                         "May", "June", "July", "August",
                                         "September", "October", "November", "December"};
    int y, m, d;
    char tail;
    if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
        d < 1 || d > 31)
        return iso ? xstrdup(iso) : NULL;
    struct buf b = BUF_INIT;
    buf_printf(&b, "%d %s %d", d, months[m - 1], y);
    return buf_detach(&b, NULL);
}

json_t *page_term_json(const struct store_term *t)
{
    json_t *o = json_object();
    page_set_str(o, "slug", t->slug);
    page_set_str(o, "label", t->label);
    return o;
}

/* Joins the labels of the bits set in set: "Parents and carers, Professionals". */
static char *labels_of(const uint64_t *set, const struct store_term *terms, size_t n)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (!store_bit(set, i))
            continue;
        if (b.len)
            buf_puts(&b, ", ");
        buf_puts(&b, terms[i].label);
    }
    return buf_detach(&b, NULL);
}

/* One organisation card, as results and topic pages list them. */
json_t *page_card_json(const struct store_index *ix, const struct store_org *o)
{
    json_t *c = json_object();
    page_set_str(c, "slug", o->slug);
    page_set_str(c, "name", o->name);
    page_set_str(c, "summary", o->summary);
    page_set_str(c, "coverage", o->coverage);
    page_set_str(c, "kind", page_kind_label(o->kind));
    char *aud = labels_of(o->audiences, ix->audiences, ix->n_audiences);
    page_set_str(c, "audiences", aud);
    free(aud);
    if (o->phone) {
        char *href = phone_href("tel:", o->phone);
        page_set_str(c, "phone", o->phone);
        page_set_str(c, "phone_href", href);
        free(href);
    }
    return c;
}

json_t *page_cards_json(const struct store_index *ix, const struct store_results *res)
{
    json_t *items = json_array();
    for (size_t i = 0; i < res->n_items; i++)
        json_array_append_new(items, page_card_json(ix, res->items[i]));
    return items;
}

void page_set_oembed(json_t *ctx, const char *path)
{
    struct buf page = BUF_INIT, url = BUF_INIT;
    buf_printf(&page, "%s%s", page_public_url(), path);
    buf_printf(&url, "%s/oembed?format=json&url=", page_public_url());
    esc_url(&url, page.data, page.len);
    page_set_str(ctx, "oembed_url", url.data);
    buf_reset(&page);
    buf_reset(&url);
}
