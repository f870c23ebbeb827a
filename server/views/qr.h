/* qr.h: a QR code as inline SVG (libqrencode makes the modules, we write
 * the markup), for the console's second-factor enrolment. */
#ifndef SIGNPOST_QR_H
#define SIGNPOST_QR_H

#include "lib/buf.h"

/* Appends an <svg> of text as a QR code (error correction M, 8-bit mode, a
 * four-module quiet zone, black on white, one <path> of horizontal runs),
 * with role="img" and label (HTML-escaped) as its accessible name, sized
 * by CSS. Returns 0, or -1 when text cannot be encoded (appends nothing). */
int qr_svg(const char *text, const char *label, struct buf *out);

#endif
