/* markdown.h: Markdown to HTML through cmark, in safe mode: raw HTML and
 * dangerous URLs (javascript:, vbscript:, file:, most data:) are dropped. */
#ifndef SIGNPOST_MARKDOWN_H
#define SIGNPOST_MARKDOWN_H

/* Renders md (NULL is treated as ""). The caller frees the result. */
char *markdown_to_html(const char *md);

#endif
