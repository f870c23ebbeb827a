/* console.h: the curators' console, /console: signing in with a password
 * and a second factor, enrolment from an invitation, and the pages that
 * keep the directory right. Server-rendered HTML that needs no script;
 * every answer is no-store and cannot be framed; the session cookie is
 * scoped to /console, so the public site never sees it. */
#ifndef SIGNPOST_CONSOLE_H
#define SIGNPOST_CONSOLE_H

#include <stdbool.h>

#include "lib/request.h"

/* Loads the console's templates and its key for sealing TOTP secrets from
 * key_path (made, 32 random bytes, mode 0600, when it does not exist and
 * the server may write). public_url is the site's address (no trailing
 * slash). Returns 0, or -1 with a message on stderr. */
int console_init(const char *key_path, const char *public_url, bool read_only);
void console_shutdown(void);

/* Handlers (router.c). */
int console_home(struct req *r);            /* GET  /console */
int console_sign_in_form(struct req *r);    /* GET  /console/sign-in */
int console_sign_in(struct req *r);         /* POST /console/sign-in */
int console_sign_out(struct req *r);        /* POST /console/sign-out */
int console_invitation_form(struct req *r); /* GET  /console/invitation/{token} */
int console_invitation_send(struct req *r); /* POST /console/invitation/{token} */
int console_audit(struct req *r);           /* GET  /console/audit (admins) */
int console_orgs(struct req *r);            /* GET  /console/organisations */
int console_org_new(struct req *r);         /* GET  /console/add-organisation */
int console_org_add(struct req *r);         /* POST /console/add-organisation */
int console_org_form(struct req *r);        /* GET  /console/organisations/{slug} */
int console_org_save(struct req *r);        /* POST /console/organisations/{slug} */
int console_org_state(struct req *r);       /* POST .../{slug}/state: archive, back, checked */
int console_org_history(struct req *r);     /* GET  /console/organisations/{slug}/history */
int console_org_restore(struct req *r);     /* POST .../history/{n} */
int console_people(struct req *r);          /* GET  /console/people (admins) */
int console_invite(struct req *r);          /* POST /console/people */
int console_person(struct req *r);          /* POST /console/people/{email}: role, state, reset */
int console_token_revoke(struct req *r);    /* POST /console/tokens/{name} */
int console_exchange(struct req *r);        /* GET  /console/exchange */
int console_export(struct req *r);          /* GET  /console/exchange/{file} */
int console_import_check(struct req *r);    /* POST /console/exchange/check (multipart) */
int console_import_apply(struct req *r);    /* POST /console/exchange/apply */
int console_resource_form(struct req *r);   /* GET  /console/resources/{slug} */
int console_resource_save(struct req *r);   /* POST /console/resources/{slug} */
int console_resource_new(struct req *r);    /* GET  /console/organisations/{slug}/resources */
int console_resource_add(struct req *r);    /* POST /console/organisations/{slug}/resources */
int console_taxonomy(struct req *r);        /* GET  /console/taxonomy (admins) */
int console_audience_form(struct req *r);   /* GET  /console/audiences/{slug} */
int console_audience_save(struct req *r);   /* POST /console/audiences/{slug} */
int console_audience_new(struct req *r);    /* GET  /console/add-audience */
int console_audience_add(struct req *r);    /* POST /console/audiences */
int console_topic_form(struct req *r);      /* GET  /console/topics/{slug} */
int console_topic_save(struct req *r);      /* POST /console/topics/{slug} */
int console_topic_new(struct req *r);       /* GET  /console/add-topic */
int console_topic_add(struct req *r);       /* POST /console/topics */
int console_reports(struct req *r);         /* GET  /console/reports */
int console_report(struct req *r);          /* GET  /console/reports/{id} */
int console_report_resolve(struct req *r);  /* POST /console/reports/{id} */

/* Forgets every counted sign-in failure (tests). */
void console_reset_limits(void);

#endif
