/* tmpl.c: see tmpl.h. Templates compile to a tree of nodes once, at start;
 * rendering walks the tree with a stack of contexts. */
#include "views/tmpl.h"
#include "lib/escape.h"
#include "lib/util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 24      /* section nesting while rendering */
#define MAX_PARTIALS 8    /* partial nesting while rendering */

enum node_kind { N_TEXT, N_VAR, N_URL, N_HREF, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };

struct node {
    enum node_kind kind;
    char *text;           /* N_TEXT: the text; others: the name */
    size_t len;
    struct node *children;/* sections */
    size_t n_children;
};

struct tmpl {
    char *name;
    struct node root;
};

struct tmpl_set {
    struct tmpl *items;
    size_t n;
};

static void node_free(struct node *n)
{
    for (size_t i = 0; i < n->n_children; i++)
        node_free(&n->children[i]);
    free(n->children);
    free(n->text);
}

struct tmpl_set *tmpl_set_new(void)
{
    return xcalloc(1, sizeof(struct tmpl_set));
}

void tmpl_set_free(struct tmpl_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++) {
        free(set->items[i].name);
        node_free(&set->items[i].root);
    }
    free(set->items);
    free(set);
}

static struct node *add_child(struct node *parent, enum node_kind kind, const char *text,
                              size_t len)
{
    parent->children = xrealloc(parent->children,
                                (parent->n_children + 1) * sizeof *parent->children);
    struct node *n = &parent->children[parent->n_children++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->text = xstrndup(text, len);
    n->len = len;
    return n;
}

static size_t line_of(const char *src, const char *at)
{
    size_t line = 1;
    for (const char *p = src; p < at; p++)
        line += *p == '\n';
    return line;
}

static char *errorf(const char *name, const char *src, const char *at, const char *what)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "template %s, line %zu: %s", name, line_of(src, at), what);
    return buf_detach(&b, NULL);
}

/* Trims spaces around a tag's name. */
static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

/* Parses src[*pos..) into parent until {{/close}} (or the end when close is
 * NULL). */
static int parse(const char *name, const char *src, size_t len, size_t *pos,
                 struct node *parent, const char *close, size_t close_len,
                 const char *open_at, char **err)
{
    while (*pos < len) {
        const char *start = src + *pos;
        const char *tag = strstr(start, "{{");
        if (!tag || tag >= src + len)
            tag = src + len;
        if (tag > start)
            add_child(parent, N_TEXT, start, (size_t)(tag - start));
        if (tag == src + len) {
            *pos = len;
            break;
        }
        bool triple = tag[2] == '{';
        const char *body = tag + (triple ? 3 : 2);
        const char *end = strstr(body, triple ? "}}}" : "}}");
        if (!end) {
            *err = errorf(name, src, tag, "a tag opened with {{ is never closed");
            return -1;
        }
        *pos = (size_t)(end - src) + (triple ? 3 : 2);
        char sigil = triple ? '&' : *body;
        if (!triple && strchr("#^/>!", sigil))
            body++;
        const char *b = body, *e = end;
        trim(&b, &e);
        size_t n = (size_t)(e - b);
        if (sigil == '!')
            continue;
        if (n == 0) {
            *err = errorf(name, src, tag, "a tag has no name");
            return -1;
        }
        if (sigil == '/') {
            if (!close || n != close_len || memcmp(b, close, n) != 0) {
                char what[160];
                snprintf(what, sizeof what, "{{/%.*s}} does not close the open section%s%.*s",
                         (int)(n > 60 ? 60 : n), b, close ? " " : "",
                         close ? (int)(close_len > 60 ? 60 : close_len) : 0, close ? close : "");
                *err = errorf(name, src, tag, what);
                return -1;
            }
            return 0;
        }
        if (sigil == '#' || sigil == '^') {
            struct node *sec = add_child(parent, sigil == '#' ? N_SECTION : N_INVERTED, b, n);
            char *sec_name = xstrndup(b, n);
            int rc = parse(name, src, len, pos, sec, sec_name, n, tag, err);
            free(sec_name);
            if (rc != 0)
                return rc;
            continue;
        }
        if (sigil == '>') {
            add_child(parent, N_PARTIAL, b, n);
            continue;
        }
        if (sigil == '&') {
            add_child(parent, N_RAW, b, n);
            continue;
        }
        if (n > 4 && strncmp(b, "url ", 4) == 0) {
            const char *v = b + 4;
            trim(&v, &e);
            add_child(parent, N_URL, v, (size_t)(e - v));
        } else if (n > 5 && strncmp(b, "href ", 5) == 0) {
            const char *v = b + 5;
            trim(&v, &e);
            add_child(parent, N_HREF, v, (size_t)(e - v));
        } else {
            add_child(parent, N_VAR, b, n);
        }
    }
    if (close) {
        char what[160];
        snprintf(what, sizeof what, "section {{#%.*s}} is never closed",
                 (int)(close_len > 60 ? 60 : close_len), close);
        *err = errorf(name, src, open_at, what);
        return -1;
    }
    return 0;
}

int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len,
             char **err)
{
    struct node root;
    memset(&root, 0, sizeof root);
    size_t pos = 0;
    *err = NULL;
    /* strstr needs a terminated string: work on a copy */
    char *copy = xstrndup(src, len);
    if (memchr(src, '\0', len)) {
        *err = errorf(name, copy, copy, "contains a NUL byte");
        free(copy);
        return -1;
    }
    int rc = parse(name, copy, len, &pos, &root, NULL, 0, NULL, err);
    /* text nodes were copied out of copy, so it can go */
    free(copy);
    if (rc != 0) {
        node_free(&root);
        return -1;
    }
    for (size_t i = 0; i < set->n; i++) {
        if (strcmp(set->items[i].name, name) == 0) {
            node_free(&set->items[i].root);
            set->items[i].root = root;
            return 0;
        }
    }
    set->items = xrealloc(set->items, (set->n + 1) * sizeof *set->items);
    set->items[set->n].name = xstrdup(name);
    set->items[set->n].root = root;
    set->n++;
    return 0;
}

static const struct tmpl *find(const struct tmpl_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->items[i].name, name) == 0)
            return &set->items[i];
    return NULL;
}

struct render {
    const struct tmpl_set *set;
    json_t *stack[MAX_DEPTH];
    size_t depth;
    size_t partials;
    struct buf *out;
};

/* Resolves a dotted name against the context stack, innermost first. */
static json_t *lookup(const struct render *r, const char *name)
{
    if (strcmp(name, ".") == 0)
        return r->depth ? r->stack[r->depth - 1] : NULL;
    const char *dot = strchr(name, '.');
    size_t first_len = dot ? (size_t)(dot - name) : strlen(name);
    json_t *v = NULL;
    for (size_t i = r->depth; i-- > 0;) {
        if (json_is_object(r->stack[i]) &&
            (v = json_object_getn(r->stack[i], name, first_len)) != NULL)
            break;
    }
    while (v && dot) {
        const char *part = dot + 1;
        dot = strchr(part, '.');
        size_t n = dot ? (size_t)(dot - part) : strlen(part);
        v = json_is_object(v) ? json_object_getn(v, part, n) : NULL;
    }
    return v;
}

static bool truthy(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return false;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_integer(v))
        return json_integer_value(v) != 0;
    if (json_is_real(v))
        return json_real_value(v) != 0.0;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    return true;
}

/* The value as text, for output. Writes nothing for objects, arrays, null. */
static void scalar_text(const json_t *v, struct buf *tmp)
{
    if (json_is_string(v))
        buf_append(tmp, json_string_value(v), json_string_length(v));
    else if (json_is_integer(v))
        buf_printf(tmp, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        buf_printf(tmp, "%g", json_real_value(v));
    else if (json_is_true(v))
        buf_puts(tmp, "true");
}

static void render_nodes(struct render *r, const struct node *nodes, size_t n);

static void render_section(struct render *r, const struct node *sec, json_t *v)
{
    if (r->depth == MAX_DEPTH)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            r->stack[r->depth++] = item;
            render_nodes(r, sec->children, sec->n_children);
            r->depth--;
        }
    } else if (json_is_object(v)) {
        r->stack[r->depth++] = v;
        render_nodes(r, sec->children, sec->n_children);
        r->depth--;
    } else {
        render_nodes(r, sec->children, sec->n_children);
    }
}

static void render_nodes(struct render *r, const struct node *nodes, size_t n)
{
    struct buf tmp = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const struct node *nd = &nodes[i];
        json_t *v;
        switch (nd->kind) {
        case N_TEXT:
            buf_append(r->out, nd->text, nd->len);
            break;
        case N_VAR:
        case N_URL:
        case N_HREF:
        case N_RAW:
            v = lookup(r, nd->text);
            if (!v)
                break;
            tmp.len = 0;
            scalar_text(v, &tmp);
            if (!tmp.len)
                break;
            if (nd->kind == N_VAR)
                esc_html(r->out, tmp.data, tmp.len);
            else if (nd->kind == N_URL)
                esc_url(r->out, tmp.data, tmp.len);
            else if (nd->kind == N_HREF)
                esc_html_str(r->out, esc_url_is_safe(tmp.data) ? tmp.data : "#");
            else
                buf_append(r->out, tmp.data, tmp.len);
            break;
        case N_SECTION:
            v = lookup(r, nd->text);
            if (truthy(v))
                render_section(r, nd, v);
            break;
        case N_INVERTED:
            v = lookup(r, nd->text);
            if (!truthy(v))
                render_nodes(r, nd->children, nd->n_children);
            break;
        case N_PARTIAL: {
            const struct tmpl *t = find(r->set, nd->text);
            if (t && r->partials < MAX_PARTIALS) {
                r->partials++;
                render_nodes(r, t->root.children, t->root.n_children);
                r->partials--;
            }
            break;
        }
        }
    }
    buf_reset(&tmp);
}

int tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx,
                struct buf *out)
{
    const struct tmpl *t = find(set, name);
    if (!t)
        return -1;
    struct render r = {.set = set, .depth = 0, .partials = 0, .out = out};
    if (ctx)
        r.stack[r.depth++] = ctx;
    render_nodes(&r, t->root.children, t->root.n_children);
    return 0;
}
