/* csv.c: see csv.h. */
#include "views/csv.h"

#include <stdbool.h>
#include <string.h>

void csv_field(struct buf *out, const char *s)
{
    if (!s)
        return;
    /* A leading =, +, - or @ would be a formula in a spreadsheet: quote it
     * behind an apostrophe so no cell ever runs. */
    bool formula = strchr("=+-@", s[0]) && s[0];
    if (!formula && !strpbrk(s, ",\"\r\n")) {
        buf_puts(out, s);
        return;
    }
    buf_putc(out, '"');
    if (formula)
        buf_putc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(out, '"');
        buf_putc(out, *p);
    }
    buf_putc(out, '"');
}
