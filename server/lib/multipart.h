/* multipart.h: a multipart/form-data body (RFC 7578 over RFC 2046 section
 * 5.1) read whole from memory, as a browser sends a form with a file: the
 * boundary from the Content-Type, then each part's Content-Disposition
 * (name, filename), Content-Type and bytes. Pure; read strictly; nothing
 * is copied: each part's name, filename and data point into the parser's
 * own buffer (names, unquoted) or into the body (data). */
#ifndef SIGNPOST_MULTIPART_H
#define SIGNPOST_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#define MULTIPART_MAX_PARTS 16
#define MULTIPART_MAX_NAME 128     /* a field name, a file name */
#define MULTIPART_MAX_HEADERS 8    /* header lines in one part */
#define MULTIPART_MAX_HEADER 1024  /* bytes in one header line */

struct multipart_part {
    char name[MULTIPART_MAX_NAME];       /* the field's name, never empty */
    char filename[MULTIPART_MAX_NAME];   /* "" when not a file */
    bool has_filename;
    char type[MULTIPART_MAX_NAME];       /* its Content-Type, "" when none */
    const char *data;                    /* into the body */
    size_t len;
};

struct multipart {
    char boundary[71];                   /* as the Content-Type gave it */
    struct multipart_part parts[MULTIPART_MAX_PARTS];
    size_t n;
    const char *error;                   /* why not, for a person */
};

/* Reads body (len bytes; may hold NULs) as content_type (the request's
 * Content-Type, which must be multipart/form-data with a boundary) says.
 * True with m filled; false with m->error set when anything is not as RFC
 * 7578 says: no or a bad boundary, a part without a form-data disposition
 * or a name, header lines too long or too many, more than
 * MULTIPART_MAX_PARTS parts, no closing delimiter. */
bool multipart_parse(const char *content_type, const char *body, size_t len,
                     struct multipart *m);

/* The first part called name, or NULL. */
const struct multipart_part *multipart_get(const struct multipart *m, const char *name);

#endif
