/* embed.h: listings for other sites. A council's page can carry a Signpost
 * listing as a pasted link (oEmbed), a script tag (/embed.js inserts and
 * sizes an iframe), a plain iframe (/embed/organisations), or HTML included
 * on its own server (/embed/organisations.html). /embed helps an editor
 * build the code. Embed routes are the only ones other sites may frame. */
#ifndef SIGNPOST_EMBED_H
#define SIGNPOST_EMBED_H

#include "lib/request.h"

/* origins: the sites allowed to frame the embeds, space-separated
 * ("https://www.derby.gov.uk https://schools.example"), or NULL for any.
 * Call after page_init. Returns 0, or -1 after printing why. */
int embed_init(const char *origins);
void embed_shutdown(void);

int embed_script(struct req *r);        /* /embed.js */
int embed_listing(struct req *r);       /* /embed/organisations */
int embed_organisation(struct req *r);  /* /embed/organisations/{slug} */
int embed_fragment(struct req *r);      /* /embed/organisations.html */
int embed_oembed(struct req *r);        /* /oembed */
int embed_builder(struct req *r);       /* /embed */

#endif
