/* render.c: the console's templates (server/templates/console/, compiled
 * in; a theme does not reach them), its layout and stylesheet, and the
 * headers every console answer has: Cache-Control: no-store (never kept
 * by the response cache or a browser), a CSP that allows nothing but its
 * own inlined stylesheet and forms to itself, and no framing. */
#include "console/console_int.h"
#include "lib/assets.h"
#include "lib/buf.h"
#include "lib/escape.h"
#include "lib/sha256.h"
#include "lib/util.h"
#include "views/problem.h"
#include "views/tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct tmpl_set *templates;
static char *css, *csp, *public_url;

static const char prefix[] = "server/templates/console/";

/* A read-only replica serves no console: nothing there can be saved, and
 * it has no key to check a second factor with. */
static bool replica;

int console_on_replica(struct req *r)
{
    if (!replica)
        return 0;
    return console_message(r, 503, "The console is not on this server",
                           "This server is a read-only copy of the directory. Sign in to the "
                           "console on the main server, where changes are made.", NULL);
}

int console_init(const char *key_path, const char *url, bool read_only)
{
    templates = tmpl_set_new();
    for (size_t i = 0; i < assets_count; i++) {
        const char *name = assets[i].name;
        if (strncmp(name, prefix, sizeof prefix - 1) != 0)
            continue;
        const char *file = name + sizeof prefix - 1;
        char tname[128];
        snprintf(tname, sizeof tname, "%.*s", (int)(strlen(file) - 5), file);
        char *err = NULL;
        if (tmpl_add(templates, tname, (const char *)assets[i].data, assets[i].len, &err) != 0) {
            fprintf(stderr, "signpost: console template %s: %s\n", file, err ? err : "?");
            free(err);
            return -1;
        }
    }
    const struct asset *a = asset_find("server/static/console.css");
    if (!a) {
        fprintf(stderr, "signpost: the console's stylesheet is missing\n");
        return -1;
    }
    css = xstrndup((const char *)a->data, a->len);
    char hash[45];
    sha256_base64(css, a->len, hash);
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "default-src 'none'; style-src 'sha256-%s'; img-src 'self'; "
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
               "object-src 'none'",
               hash);
    csp = buf_detach(&b, NULL);
    replica = read_only;
    public_url = xstrdup(url);
    size_t n = strlen(public_url);
    while (n && public_url[n - 1] == '/')
        public_url[--n] = '\0';
    return console_key_load(key_path, read_only);
}

void console_shutdown(void)
{
    tmpl_set_free(templates);
    templates = NULL;
    free(css);
    free(csp);
    free(public_url);
    css = csp = public_url = NULL;
    console_key_forget();
    console_exchange_forget();
}

const char *console_public_url(void)
{
    return public_url;
}

/* What every console answer says about itself. */
void console_headers(struct req *r, int status)
{
    r->status = status;
    r->content_type = "text/html; charset=utf-8";
    r->max_age = -1;        /* no-store */
    r->cacheable = false;
    req_add_header(r, "Content-Security-Policy", csp);
    req_add_header(r, "X-Frame-Options", "DENY");
}

int console_page(struct req *r, int status, const char *name, json_t *ctx, const char *title,
                 const struct console_user *u)
{
    struct buf content = BUF_INIT;
    if (u) {
        json_object_set_new(ctx, "user",
                            json_pack("{s:s, s:s, s:s, s:b}", "name", u->name, "email", u->email,
                                      "role", u->role, "admin", strcmp(u->role, "admin") == 0));
        json_object_set_new(ctx, "csrf", json_string(u->csrf));
    }
    /* Each error also beside its field: error_FIELD. */
    json_t *errors = json_object_get(ctx, "errors");
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        char key[80];
        snprintf(key, sizeof key, "error_%s", json_string_value(json_object_get(e, "field")));
        if (!json_object_get(ctx, key))
            json_object_set(ctx, key, json_object_get(e, "message"));
    }
    json_object_set_new(ctx, "has_errors", json_boolean(json_array_size(errors) > 0));
    tmpl_render(templates, name, ctx, &content);
    json_object_set_new(ctx, "content", json_stringn(content.data ? content.data : "",
                                                     content.len));
    buf_reset(&content);
    json_object_set_new(ctx, "title", json_string(title));
    json_object_set_new(ctx, "css", json_string(css));
    buf_grow(&r->body, 8192);
    tmpl_render(templates, "layout", ctx, &r->body);
    json_decref(ctx);
    console_headers(r, status);
    return status;
}

int console_message(struct req *r, int status, const char *title, const char *text,
                    const struct console_user *u)
{
    return console_page(r, status, "message", json_pack("{s:s, s:s}", "heading", title,
                                                        "text", text),
                        title, u);
}

int console_redirect(struct req *r, const char *path)
{
    console_headers(r, 303);
    req_add_header(r, "Location", path);
    buf_puts(&r->body, "<!doctype html><title>See other</title><a href=\"");
    buf_puts(&r->body, path);   /* local, fixed paths only */
    buf_puts(&r->body, "\">Continue</a>\n");
    return 303;
}

int console_saved(struct req *r, const char *path, const char *slug)
{
    struct buf to = BUF_INIT;
    buf_puts(&to, path);
    esc_url_str(&to, slug);
    buf_puts(&to, "?saved=1");
    int st = console_redirect(r, to.data);
    buf_reset(&to);
    return st;
}

bool console_listed(json_t *list, const char *slug)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), slug) == 0)
            return true;
    return false;
}

json_t *console_lines(const char *text)
{
    json_t *out = json_array();
    for (const char *p = text ? text : ""; *p;) {
        size_t n = strcspn(p, "\r\n");
        const char *s = p, *e = p + n;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > s)
            json_array_append_new(out, json_stringn(s, (size_t)(e - s)));
        p += n;
        while (*p == '\r' || *p == '\n')
            p++;
    }
    return out;
}

json_t *console_problem_list(struct problems *p)
{
    jsonw_arr_close(&p->w);
    json_t *list = json_loadb(p->errors.data, p->errors.len, 0, NULL);
    return list ? list : json_array();
}

void console_add_error(json_t *errors, const char *field, const char *message)
{
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", message));
}
