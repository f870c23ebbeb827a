/* qr.c: QR codes as SVG. libqrencode (Debian's libqrencode4) encodes; a
 * module is dark when the low bit of its byte is set. Each row's dark
 * modules are written as runs ("M x y h n"), drawn with a one-unit stroke,
 * so a 41-module code is a path of a few kilobytes. */
#include "views/qr.h"
#include "lib/escape.h"

#include <qrencode.h>

#define QUIET 4

int qr_svg(const char *text, const char *label, struct buf *out)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return -1;
    int w = q->width, size = w + 2 * QUIET;
    buf_printf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\""
               " viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" aria-label=\"",
               size, size);
    esc_html_str(out, label);
    buf_printf(out, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
                    "<path stroke=\"#000\" d=\"", size, size);
    for (int y = 0; y < w; y++) {
        const unsigned char *row = q->data + (size_t)y * (size_t)w;
        for (int x = 0; x < w;) {
            if (!(row[x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (row[x + run] & 1))
                run++;
            /* the stroke is centred on the line: half a unit down */
            buf_printf(out, "M%d %d.5h%d", x + QUIET, y + QUIET, run);
            x += run;
        }
    }
    buf_puts(out, "\"/></svg>");
    QRcode_free(q);
    return 0;
}
