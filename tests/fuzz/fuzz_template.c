/* fuzz_template.c: the input as a template source for tmpl_add; when it
 * compiles, tmpl_render with a context full of hostile strings.
 *
 * Guards: tmpl_add returns 0 (no message) or -1 (a message naming the
 * template and a line), never crashes; rendering never crashes; and every
 * {{value}}, {{url value}} and {{href value}} is escaped. The last is checked
 * without guessing what the template text itself writes: the template is
 * rendered twice, with the hostile context and with its "neutral twin", the
 * same context with each of < > " ' & in its strings replaced by 'x' (same
 * lengths, same truthiness, same href safety, so the same sections run).
 * Escaped values put none of < > " ' into the page, so both pages must hold
 * exactly as many of each, and as many "<script". Raw {{{tags}}} are meant
 * to pass HTML through, so templates with one are only rendered. */
#include "lib/buf.h"
#include "fuzz.h"
#include "views/tmpl.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The fuzzed template's name holds "}}", so no {{> partial}} can name it:
 * a template that includes itself grows exponentially up to MAX_PARTIALS
 * levels, which is a slow input, not a bug (templates are our own files). */
#define MAIN "main}}"

/* Fixed partials the fuzzed template may include ({{> item}}). */
static const char *const partials[][2] = {
    {"item", "<li><a href=\"{{href url}}\">{{name}}</a>{{#tags}} {{> tag}}{{/tags}}</li>"},
    {"tag", "<span title='{{.}}'>{{name}}</span>"},
    {"search", "<a href=\"/search?q={{url name}}&amp;page={{one}}\">{{title}}</a>"},
};

static const char hostile_json[] =
    "{"
    " \"name\": \"<script>alert(1)</script>\","
    " \"title\": \"\\\"><img src=x onerror=alert(1)>\","
    " \"q\": \"' onmouseover='alert(1)\","
    " \"url\": \"javascript:alert(1)\","
    " \"url2\": \"JaVaScRiPt:alert(document.cookie)\","
    " \"data\": \"data:text/html,<script>alert(1)</script>\","
    " \"web\": \"https://example.org/a?b=<c>&d=\\\"e\\\"#'f'\","
    " \"local\": \"/search?q=<script>alert(1)</script>\","
    " \"slash\": \"//evil.example/<x>\","
    " \"mail\": \"mailto:a@b.example?subject=<x>&body='y'\","
    " \"amp\": \"&lt;already&gt; &amp; &#39;\","
    " \"empty\": \"\","
    " \"zero\": 0, \"one\": 1, \"real\": 2.5, \"yes\": true, \"no\": false, \"nil\": null,"
    " \"user\": {\"name\": \"</textarea><script>alert(2)</script>\","
    "           \"url\": \"javascript:alert(3)\","
    "           \"profile\": {\"bio\": \"<b onclick='x'>&amp;</b>\", \"site\": \"https://x.example/\\\"<\"}},"
    " \"items\": [{\"name\": \"<svg onload=alert(1)>\", \"url\": \"https://ok.example/\\\"'<>\","
    "             \"tags\": [\"<i>\", {\"name\": \"'\\\"\"}]},"
    "            {\"name\": \"\\\"'\", \"url\": \"data:,<x>\", \"tags\": []}],"
    " \"list\": [\"<a>\", \"'\\\"\"],"
    " \"nested\": [[\"<x>\", [\"<y>\"]], {\"deep\": {\"deeper\": \"<z>\"}}],"
    " \"a\": {\"b\": {\"c\": \"<abc>\"}},"
    " \"html\": \"<p onclick=\\\"x\\\">raw</p>\""
    "}";

static json_t *hostile, *neutral;

/* A deep copy of v with < > " ' & in every string value made 'x' (keys
 * stay, so names resolve the same). */
static json_t *neutralise(json_t *v)
{
    if (json_is_string(v)) {
        size_t n = json_string_length(v);
        char *s = malloc(n + 1);
        memcpy(s, json_string_value(v), n + 1);
        for (size_t i = 0; i < n; i++)
            if (strchr("<>\"'&", s[i]) && s[i])
                s[i] = 'x';
        json_t *r = json_stringn(s, n);
        free(s);
        return r;
    }
    if (json_is_array(v)) {
        json_t *r = json_array();
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
            json_array_append_new(r, neutralise(item));
        return r;
    }
    if (json_is_object(v)) {
        json_t *r = json_object();
        const char *key;
        json_t *item;
        json_object_foreach(v, key, item)
            json_object_set_new(r, key, neutralise(item));
        return r;
    }
    return json_deep_copy(v);
}

static void counts(const struct buf *b, size_t out[5])
{
    memset(out, 0, 5 * sizeof *out);
    for (size_t i = 0; i < b->len; i++) {
        switch (b->data[i]) {
        case '<': out[0]++; break;
        case '>': out[1]++; break;
        case '"': out[2]++; break;
        case '\'': out[3]++; break;
        }
    }
    for (const char *p = buf_str(b); (p = strstr(p, "<script")) != NULL; p++)
        out[4]++;
}

/* Number of (possibly overlapping) occurrences of needle in s[0..n). */
static size_t occurrences(const char *s, size_t n, const char *needle)
{
    size_t c = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        c += memcmp(s + i, needle, k) == 0;
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!hostile) {
        json_error_t jerr;
        hostile = json_loads(hostile_json, 0, &jerr);
        FUZZ_CHECK(hostile != NULL, "the context: %s", jerr.text);
        neutral = neutralise(hostile);
    }
    struct tmpl_set *set = tmpl_set_new();
    char *err = NULL;
    for (size_t i = 0; i < sizeof partials / sizeof *partials; i++) {
        FUZZ_CHECK(tmpl_add(set, partials[i][0], partials[i][1], strlen(partials[i][1]),
                            &err) == 0,
                   "partial %s: %s", partials[i][0], err);
    }

    const char *src = (const char *)data;
    int rc = tmpl_add(set, MAIN, src, size, &err);
    FUZZ_CHECK(rc == 0 || rc == -1, "tmpl_add returned %d", rc);
    if (rc == -1) {
        FUZZ_CHECK(err && strncmp(err, "template " MAIN ", line ", 22) == 0,
                   "bad message: %s", err ? err : "(none)");
        free(err);
        FUZZ_CHECK(tmpl_render(set, MAIN, hostile, &(struct buf)BUF_INIT) == -1,
                   "a template that failed was added");
        tmpl_set_free(set);
        return 0;
    }
    FUZZ_CHECK(err == NULL, "success with a message: %s", err);

    /* Each nested {{#list}} over a two-item list doubles the page: keep
     * pages small enough to check quickly. */
    if (occurrences(src, size, "{{#") <= 10) {
        struct buf out1 = BUF_INIT, out2 = BUF_INIT;
        FUZZ_CHECK(tmpl_render(set, MAIN, hostile, &out1) == 0, "render failed");
        FUZZ_CHECK(tmpl_render(set, MAIN, neutral, &out2) == 0, "render failed");
        if (!occurrences(src, size, "{{{")) {
            size_t c1[5], c2[5];
            counts(&out1, c1);
            counts(&out2, c2);
            static const char *const what[5] = {"<", ">", "\"", "'", "<script"};
            for (int i = 0; i < 5; i++)
                FUZZ_CHECK(c1[i] == c2[i],
                           "a value reached the page unescaped: %zu %s with the hostile "
                           "context, %zu without\n--- page:\n%s\n---",
                           c1[i], what[i], c2[i], buf_str(&out1));
        }
        buf_reset(&out1);
        buf_reset(&out2);
    }
    struct buf none = BUF_INIT;
    FUZZ_CHECK(tmpl_render(set, "nope", hostile, &none) == -1, "rendered a missing template");
    FUZZ_CHECK(tmpl_render(set, MAIN, NULL, &none) == 0, "render without a context");
    buf_reset(&none);
    tmpl_set_free(set);
    return 0;
}
