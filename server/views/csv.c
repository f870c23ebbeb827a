/* csv.c: see csv.h. */
#include "views/csv.h"

#include <string.h>

/* What starts a formula in a spreadsheet (OWASP): the guard's one list. */
static const char formula_start[] = "=+-@\t\r";

bool csv_guarded(const char *s)
{
    s += strspn(s, "'");
    return *s && strchr(formula_start, *s);
}

const char *csv_unguard(const char *cell)
{
    return cell[0] == '\'' && csv_guarded(cell) ? cell + 1 : cell;
}

void csv_field(struct buf *out, const char *s)
{
    if (!s)
        return;
    bool guard = csv_guarded(s);
    if (!guard && !strpbrk(s, ",\"\r\n")) {
        buf_puts(out, s);
        return;
    }
    buf_putc(out, '"');
    if (guard)
        buf_putc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(out, '"');
        buf_putc(out, *p);
    }
    buf_putc(out, '"');
}
