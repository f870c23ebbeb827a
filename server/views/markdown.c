/* markdown.c: see markdown.h. */
#include "views/markdown.h"
#include "lib/util.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *markdown_to_html(const char *md)
{
    if (!md)
        md = "";
    /* cmark 0.30 is safe unless CMARK_OPT_UNSAFE is given; say so anyway. */
    char *html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT | CMARK_OPT_SAFE);
    if (!html) {
        fprintf(stderr, "signpost: cmark failed\n");
        abort();
    }
    return html;
}
