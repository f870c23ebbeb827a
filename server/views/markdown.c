/* markdown.c: see markdown.h. The guidance is parsed with cmark, the UK
 * phone numbers in its text become tel: links, and the tree is rendered in
 * safe mode.
 *
 * A phone number is recognised only where nothing else could be meant:
 *   - a national number: groups of digits separated by single spaces, the
 *     first starting with 0 (3 to 5 digits, the others 3 to 6), 10 or 11
 *     digits in all ("0808 800 5000", "020 7946 0958", "01332 123456"), or
 *     written as one block of 10 or 11 ("08088005000"); and the 8-digit
 *     freephone numbers "0800 1111" and "0808 ....";
 *   - the same as +44, with an optional (0): "+44 808 800 5000";
 *   - a European 116 number: "116 123", "116000";
 *   - 999, 112, 111 and 101 only straight after "call", "ring", "dial" or
 *     "phone" (and their -ing forms): "call 999", never "999 schools".
 * Before the number comes the start of the text, a space, an opening
 * bracket or a quotation mark; after it the end, a space or punctuation,
 * but never a letter, a digit, a hyphen, a slash, % or a full stop or comma
 * followed by a digit. So years (2015), dates (01/02/2020), times (09:00),
 * money (£0.99), versions (0.30) and other figures are left alone, as is
 * text already inside a link or an image. The link's text is the number as
 * written with each space a no-break space; its address keeps the digits
 * (and +44). */
#include "views/markdown.h"
#include "lib/buf.h"
#include "lib/util.h"

#include <cmark.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUPS 6

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of the separator at s[i] inside a number (a space or a no-break
 * space) when a digit follows it, else 0. */
static size_t separator(const char *s, size_t i, size_t n)
{
    size_t len = 0;
    if (i < n && s[i] == ' ')
        len = 1;
    else if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
        len = 2;
    return len && i + len < n && is_digit(s[i + len]) ? len : 0;
}

/* Whether a number may start at s[i]: what comes before it. */
static bool starts_cleanly(const char *s, size_t i)
{
    if (i == 0)
        return true;
    char c = s[i - 1];
    if (c == ' ' || c == '\t' || c == '\n' || c == '(' || c == '[' || c == '"' || c == '\'')
        return true;
    const unsigned char *u = (const unsigned char *)s;
    if (i >= 2 && u[i - 2] == 0xC2 && u[i - 1] == 0xA0)   /* no-break space */
        return true;
    return i >= 3 && u[i - 3] == 0xE2 && u[i - 2] == 0x80 &&
           (u[i - 1] == 0x98 || u[i - 1] == 0x9C);        /* ‘ “ */
}

/* Whether a number may end at s[j]: what comes after it. */
static bool ends_cleanly(const char *s, size_t j, size_t n)
{
    if (j == n)
        return true;
    char c = s[j];
    if (is_digit(c) || is_alpha(c) || strchr("-/+%_@&=#", c))
        return false;
    if (c == '.' || c == ',' || c == ':')
        return !(j + 1 < n && is_digit(s[j + 1]));
    return true;
}

/* Whether the word before s[i] (after one or more spaces) is a verb of
 * calling, for the short numbers. */
static bool after_call_verb(const char *s, size_t i)
{
    static const char *const verbs[] = {"call", "calling", "ring", "ringing", "dial",
                                        "dialling", "dialing", "phone", "phoning"};
    size_t end = i;
    while (end > 0 && s[end - 1] == ' ')
        end--;
    if (end == i)
        return false;
    size_t start = end;
    while (start > 0 && is_alpha(s[start - 1]))
        start--;
    size_t len = end - start;
    if (start > 0 && !strchr(" \t\n(\"'", s[start - 1]) && (unsigned char)s[start - 1] < 0x80)
        return false;
    for (size_t v = 0; v < sizeof verbs / sizeof *verbs; v++) {
        if (strlen(verbs[v]) != len)
            continue;
        size_t k = 0;
        while (k < len && (s[start + k] | 0x20) == verbs[v][k])
            k++;
        if (k == len)
            return true;
    }
    return false;
}

struct groups {
    size_t n;
    size_t start[MAX_GROUPS], len[MAX_GROUPS];
};

/* Reads runs of digits separated by single spaces from s[i]. */
static void read_groups(const char *s, size_t i, size_t n, struct groups *g)
{
    g->n = 0;
    while (g->n < MAX_GROUPS && i < n && is_digit(s[i])) {
        size_t start = i;
        while (i < n && is_digit(s[i]))
            i++;
        g->start[g->n] = start;
        g->len[g->n] = i - start;
        g->n++;
        size_t sep = separator(s, i, n);
        if (!sep)
            break;
        i += sep;
    }
}

/* Whether the first k groups make a national number's digits after the
 * leading 0 has been read (national) or a +44 number's (after +44). */
static bool number_shape(const char *s, const struct groups *g, size_t k, bool international)
{
    size_t total = 0;
    for (size_t x = 0; x < k; x++)
        total += g->len[x];
    if (k == 1)
        return international ? total == 9 || total == 10 : total == 10 || total == 11;
    if (g->len[0] < (international ? 2 : 3) || g->len[0] > (international ? 4 : 5))
        return false;
    for (size_t x = 1; x < k; x++)
        if (g->len[x] < 3 || g->len[x] > 6)
            return false;
    if (international)
        return total == 9 || total == 10;
    if (total == 10 || total == 11)
        return true;
    /* The 8-digit freephone numbers: 0800 1111. */
    const char *first = s + g->start[0];
    return k == 2 && total == 8 && g->len[0] == 4 &&
           (memcmp(first, "0800", 4) == 0 || memcmp(first, "0808", 4) == 0);
}

/* Appends the digits of s[from..to) to b. */
static void put_digits(struct buf *b, const char *s, size_t from, size_t to)
{
    for (size_t x = from; x < to; x++)
        if (is_digit(s[x]))
            buf_putc(b, s[x]);
}

/* The phone number starting at s[i], if there is one: returns its length
 * and appends its tel: address to href; else returns 0. */
static size_t phone_at(const char *s, size_t i, size_t n, struct buf *href)
{
    if (!starts_cleanly(s, i))
        return 0;
    struct groups g;
    if (s[i] == '+') {
        /* +44, a space, (0), a space: each optional but the +44. */
        size_t p = i + 1;
        if (p + 2 > n || memcmp(s + p, "44", 2) != 0)
            return 0;
        p += 2;
        if (p < n && s[p] == ' ')
            p++;
        if (p + 3 <= n && memcmp(s + p, "(0)", 3) == 0) {
            p += 3;
            if (p < n && s[p] == ' ')
                p++;
        }
        if (p >= n || !is_digit(s[p]) || s[p] == '0')
            return 0;
        read_groups(s, p, n, &g);
        for (size_t k = g.n; k >= 1; k--) {
            size_t end = g.start[k - 1] + g.len[k - 1];
            if (number_shape(s, &g, k, true) && ends_cleanly(s, end, n)) {
                buf_puts(href, "tel:+44");
                put_digits(href, s, p, end);
                return end - i;
            }
        }
        return 0;
    }
    if (!is_digit(s[i]))
        return 0;
    read_groups(s, i, n, &g);
    for (size_t k = g.n; k >= 1; k--) {
        size_t end = g.start[k - 1] + g.len[k - 1];
        if (!ends_cleanly(s, end, n))
            continue;
        const char *d = s + i;
        bool ok = false;
        if (d[0] == '0')
            ok = number_shape(s, &g, k, false);
        else if (k == 1 && g.len[0] == 6 && memcmp(d, "116", 3) == 0)
            ok = true;                            /* 116123 */
        else if (k == 2 && g.len[0] == 3 && g.len[1] == 3 && memcmp(d, "116", 3) == 0)
            ok = true;                            /* 116 123 */
        else if (k == 1 && g.len[0] == 3 &&
                 (memcmp(d, "999", 3) == 0 || memcmp(d, "112", 3) == 0 ||
                  memcmp(d, "111", 3) == 0 || memcmp(d, "101", 3) == 0))
            ok = after_call_verb(s, i);
        if (ok) {
            buf_puts(href, "tel:");
            put_digits(href, s, i, end);
            return end - i;
        }
    }
    return 0;
}

static bool inside_link(cmark_node *node)
{
    for (cmark_node *p = cmark_node_parent(node); p; p = cmark_node_parent(p)) {
        cmark_node_type t = cmark_node_get_type(p);
        if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
            return true;
    }
    return false;
}

static cmark_node *text_node(const char *s, size_t len)
{
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    char *copy = xstrndup(s, len);
    cmark_node_set_literal(t, copy);
    free(copy);
    return t;
}

/* Replaces the phone numbers in the text node with tel: links. */
static void link_phones(cmark_node *node)
{
    char *text = xstrdup(cmark_node_get_literal(node));
    size_t n = strlen(text), done = 0;
    bool found = false;
    struct buf href = BUF_INIT, shown = BUF_INIT;
    for (size_t i = 0; i < n;) {
        if (!is_digit(text[i]) && text[i] != '+') {
            i++;
            continue;
        }
        buf_reset(&href);
        size_t len = phone_at(text, i, n, &href);
        if (!len) {
            while (i < n && (is_digit(text[i]) || text[i] == '+'))
                i++;
            continue;
        }
        if (i > done)
            cmark_node_insert_before(node, text_node(text + done, i - done));
        buf_reset(&shown);
        for (size_t x = i; x < i + len; x++) {
            if (text[x] == ' ')
                buf_puts(&shown, "\xc2\xa0");
            else
                buf_putc(&shown, text[x]);
        }
        cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
        cmark_node_set_url(link, buf_str(&href));
        cmark_node_append_child(link, text_node(shown.data, shown.len));
        cmark_node_insert_before(node, link);
        found = true;
        i += len;
        done = i;
    }
    if (found) {
        if (done < n) {
            cmark_node_set_literal(node, text + done);
        } else {
            cmark_node_unlink(node);
            cmark_node_free(node);
        }
    }
    buf_reset(&href);
    buf_reset(&shown);
    free(text);
}

char *markdown_to_html(const char *md)
{
    if (!md)
        md = "";
    /* cmark 0.30 is safe unless CMARK_OPT_UNSAFE is given; say so anyway. */
    int options = CMARK_OPT_DEFAULT | CMARK_OPT_SAFE;
    cmark_node *doc = cmark_parse_document(md, strlen(md), options);
    if (!doc) {
        fprintf(stderr, "signpost: cmark failed\n");
        abort();
    }
    cmark_consolidate_text_nodes(doc);
    /* The text nodes first, then the changes: the iterator must not see
     * the tree change under it. */
    cmark_node **texts = NULL;
    size_t n_texts = 0, cap = 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_TEXT ||
            inside_link(node))
            continue;
        if (n_texts == cap) {
            cap = cap ? cap * 2 : 32;
            texts = xrealloc(texts, cap * sizeof *texts);
        }
        texts[n_texts++] = node;
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < n_texts; i++)
        link_phones(texts[i]);
    free(texts);
    char *html = cmark_render_html(doc, options);
    cmark_node_free(doc);
    if (!html) {
        fprintf(stderr, "signpost: cmark failed\n");
        abort();
    }
    return html;
}
