/* router.c: the route table and its matcher. The table is short and
 * matching is a handful of string compares, so a linear scan wins. */
#include "http/router.h"
#include "admin/admin.h"
#include "api/api.h"
#include "console/console.h"
#include "http/health.h"
#include "embed/embed.h"
#include "oruk/oruk.h"
#include "site/page.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

static const struct route routes[] = {
    {REQ_GET, "/", page_home},
    {REQ_GET, "/organisations", page_organisations},
    {REQ_GET, "/organisations/{}", page_organisation},
    {REQ_GET, "/organisations/{}/report", page_report_form},
    {REQ_POST, "/organisations/{}/report", page_report_send},
    {REQ_GET, "/topics/{}", page_topic},
    {REQ_GET, "/help", page_help},
    {REQ_GET, "/about", page_about},
    {REQ_GET, "/sitemap.xml", page_sitemap},
    {REQ_GET, "/robots.txt", page_robots},
    {REQ_GET, "/favicon.svg", page_favicon},
    {REQ_GET, "/embed", embed_builder},
    {REQ_GET, "/embed.js", embed_script},
    {REQ_GET, "/embed/organisations", embed_listing},
    {REQ_GET, "/embed/organisations.html", embed_fragment},
    {REQ_GET, "/embed/organisations/{}", embed_organisation},
    {REQ_GET, "/oembed", embed_oembed},
    {REQ_GET, "/console", console_home},
    {REQ_GET, "/console/sign-in", console_sign_in_form},
    {REQ_POST, "/console/sign-in", console_sign_in},
    {REQ_POST, "/console/sign-out", console_sign_out},
    {REQ_GET, "/console/invitation/{}", console_invitation_form},
    {REQ_POST, "/console/invitation/{}", console_invitation_send},
    {REQ_GET, "/console/audit", console_audit},
    {REQ_GET, "/console/organisations", console_orgs},
    {REQ_GET, "/console/add-organisation", console_org_new},
    {REQ_POST, "/console/add-organisation", console_org_add},
    {REQ_GET, "/console/organisations/{}", console_org_form},
    {REQ_POST, "/console/organisations/{}", console_org_save},
    {REQ_GET, "/console/organisations/{}/history", console_org_history},
    {REQ_POST, "/console/organisations/{}/state", console_org_state},
    {REQ_POST, "/console/organisations/{}/history/{}", console_org_restore},
    {REQ_GET, "/console/people", console_people},
    {REQ_POST, "/console/people", console_invite},
    {REQ_POST, "/console/people/{}", console_person},
    {REQ_POST, "/console/tokens/{}", console_token_revoke},
    {REQ_GET, "/console/exchange", console_exchange},
    {REQ_GET, "/console/exchange/{}", console_export},
    {REQ_POST, "/console/exchange/check", console_import_check},
    {REQ_POST, "/console/exchange/apply", console_import_apply},
    {REQ_GET, "/console/resources/{}", console_resource_form},
    {REQ_POST, "/console/resources/{}", console_resource_save},
    {REQ_GET, "/console/organisations/{}/resources", console_resource_new},
    {REQ_POST, "/console/organisations/{}/resources", console_resource_add},
    {REQ_GET, "/console/taxonomy", console_taxonomy},
    {REQ_GET, "/console/audiences/{}", console_audience_form},
    {REQ_POST, "/console/audiences/{}", console_audience_save},
    {REQ_GET, "/console/add-audience", console_audience_new},
    {REQ_POST, "/console/audiences", console_audience_add},
    {REQ_GET, "/console/topics/{}", console_topic_form},
    {REQ_POST, "/console/topics/{}", console_topic_save},
    {REQ_GET, "/console/add-topic", console_topic_new},
    {REQ_POST, "/console/topics", console_topic_add},
    {REQ_GET, "/console/reports", console_reports},
    {REQ_GET, "/console/reports/{}", console_report},
    {REQ_POST, "/console/reports/{}", console_report_resolve},
    {REQ_GET, "/healthz", health_live},
    {REQ_GET, "/readyz", health_ready},
    {REQ_GET, "/metrics", health_metrics},
    {REQ_GET, "/api/v1", api_index},
    {REQ_GET, "/api/v1/organisations", api_organisations_list},
    {REQ_GET, "/api/v1/organisations/{}", api_organisation_get},
    {REQ_POST, "/api/v1/organisations", admin_org_create},
    {REQ_PUT, "/api/v1/organisations/{}", admin_org_replace},
    {REQ_PATCH, "/api/v1/organisations/{}", admin_org_patch},
    {REQ_DELETE, "/api/v1/organisations/{}", admin_org_archive},
    {REQ_POST, "/api/v1/organisations/{}/restore", admin_org_unarchive},
    {REQ_POST, "/api/v1/organisations/{}/review", admin_org_review},
    {REQ_GET, "/api/v1/organisations/{}/revisions", admin_org_revisions},
    {REQ_POST, "/api/v1/organisations/{}/revisions/{}/restore", admin_org_revision_restore},
    {REQ_GET, "/api/v1/archive/organisations", admin_archived},
    {REQ_POST, "/api/v1/organisations/{}/resources", admin_resource_create},
    {REQ_GET, "/api/v1/resources/{}", api_resource_get},
    {REQ_PUT, "/api/v1/resources/{}", admin_resource_replace},
    {REQ_PATCH, "/api/v1/resources/{}", admin_resource_patch},
    {REQ_DELETE, "/api/v1/resources/{}", admin_resource_archive},
    {REQ_POST, "/api/v1/resources/{}/restore", admin_resource_unarchive},
    {REQ_GET, "/api/v1/audiences/{}", api_audience_get},
    {REQ_POST, "/api/v1/audiences", admin_audience_create},
    {REQ_PUT, "/api/v1/audiences/{}", admin_audience_replace},
    {REQ_PATCH, "/api/v1/audiences/{}", admin_audience_patch},
    {REQ_DELETE, "/api/v1/audiences/{}", admin_audience_delete},
    {REQ_POST, "/api/v1/audiences/{}/restore", admin_audience_restore},
    {REQ_POST, "/api/v1/topics", admin_topic_create},
    {REQ_PUT, "/api/v1/topics/{}", admin_topic_replace},
    {REQ_PATCH, "/api/v1/topics/{}", admin_topic_patch},
    {REQ_DELETE, "/api/v1/topics/{}", admin_topic_delete},
    {REQ_POST, "/api/v1/topics/{}/restore", admin_topic_restore},
    {REQ_GET, "/api/v1/review-queue", admin_review_queue},
    {REQ_GET, "/api/v1/reports", admin_reports},
    {REQ_GET, "/api/v1/tokens", admin_tokens_list},
    {REQ_POST, "/api/v1/tokens", admin_token_create},
    {REQ_DELETE, "/api/v1/tokens/{}", admin_token_revoke},
    {REQ_POST, "/api/v1/reports/{}/close", admin_report_close},
    {REQ_GET, "/api/v1/audiences", api_audiences_list},
    {REQ_GET, "/api/v1/topics", api_topics_list},
    {REQ_GET, "/api/v1/topics/{}", api_topic_get},
    {REQ_GET, "/api/v1/help", api_help_list},
    {REQ_GET, "/api/v1/openapi.yaml", api_openapi},
    {REQ_GET, "/openreferral/v3", oruk_index},
    {REQ_GET, "/openreferral/v3/", oruk_index},
    {REQ_GET, "/openreferral/v3/openapi.json", oruk_openapi},
    {REQ_GET, "/openreferral/v3/services", oruk_services},
    {REQ_GET, "/openreferral/v3/services/{}", oruk_service},
    {REQ_GET, "/openreferral/v3/taxonomies", oruk_taxonomies},
    {REQ_GET, "/openreferral/v3/taxonomies/{}", oruk_taxonomy},
    {REQ_GET, "/openreferral/v3/taxonomy_terms", oruk_taxonomy_terms},
    {REQ_GET, "/openreferral/v3/taxonomy_terms/{}", oruk_taxonomy_term},
    {REQ_GET, "/openreferral/v3/organizations", oruk_organizations},
    {REQ_GET, "/openreferral/v3/organizations/{}", oruk_organization},
};

/* Matches path against pattern; on success stores the "{}" segments in r. */
static bool match(const char *pattern, const char *path, struct req *r)
{
    char *args[REQ_MAX_ARGS];
    size_t n = 0;
    const char *p = pattern, *s = path;
    while (*p) {
        if (p[0] == '{' && p[1] == '}') {
            const char *end = strchr(s, '/');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            if (len == 0 || n == REQ_MAX_ARGS)
                goto fail;
            args[n++] = xstrndup(s, len);
            s += len;
            p += 2;
        } else if (*p++ != *s++) {
            goto fail;
        }
    }
    if (*s)
        goto fail;
    for (size_t i = 0; i < n; i++)
        r->args[r->n_args++] = args[i];
    return true;
fail:
    for (size_t i = 0; i < n; i++)
        free(args[i]);
    return false;
}

enum router_result router_match(struct req *r, router_handler *handler,
                                unsigned *allowed)
{
    unsigned methods = 0;
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        const struct route *rt = &routes[i];
        unsigned m = rt->methods | ((rt->methods & REQ_GET) ? REQ_HEAD : 0);
        if (!(m & r->method)) {
            struct req probe = {0};
            if (match(rt->pattern, r->query.path, &probe))
                methods |= m;
            for (size_t k = 0; k < probe.n_args; k++)
                free(probe.args[k]);
            continue;
        }
        if (match(rt->pattern, r->query.path, r)) {
            *handler = rt->handler;
            r->route = rt->pattern;
            return ROUTER_FOUND;
        }
    }
    *allowed = methods | REQ_OPTIONS;
    return methods ? ROUTER_BAD_METHOD : ROUTER_NOT_FOUND;
}

void router_allow_header(unsigned methods, struct buf *out)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        {REQ_GET, "GET"}, {REQ_HEAD, "HEAD"}, {REQ_POST, "POST"},
        {REQ_PUT, "PUT"}, {REQ_PATCH, "PATCH"}, {REQ_DELETE, "DELETE"},
        {REQ_OPTIONS, "OPTIONS"},
    };
    bool first = true;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (!(methods & names[i].bit))
            continue;
        if (!first)
            buf_puts(out, ", ");
        buf_puts(out, names[i].name);
        first = false;
    }
}
