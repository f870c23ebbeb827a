/* assets.h: files compiled into the binary (migrations, seed, OpenAPI
 * document; later templates and CSS). The table is generated at build time
 * by tools/embed.c into build/assets.c. */
#ifndef SIGNPOST_ASSETS_H
#define SIGNPOST_ASSETS_H

#include <stddef.h>

struct asset {
    const char *name;            /* path relative to the repository root */
    const unsigned char *data;   /* NUL-terminated for convenience */
    size_t len;                  /* without the NUL */
};

extern const struct asset assets[];
extern const size_t assets_count;   /* sorted by name */

/* The asset called name, or NULL. */
const struct asset *asset_find(const char *name);

#endif
