/* exchange.c: the directory in and out of the console. Anyone signed in
 * downloads it (JSON, enough to rebuild it; CSV for spreadsheets; the Open
 * Referral UK document). Admins import a JSON or CSV file in two steps:
 * the upload is checked as a dry run (every error by record and field, or
 * how many organisations it would add, change and leave alone), then
 * applied in one transaction, all or nothing, by the same code as
 * `signpost import`. Between the steps the file waits here, in memory,
 * bound to the session that sent it, for at most half an hour. */
#include "console/console_int.h"
#include "exchange/exchange.h"
#include "lib/buf.h"
#include "lib/multipart.h"
#include "oruk/oruk.h"
#include "store/store.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PENDING_SLOTS 4
#define PENDING_SECONDS (30 * 60)
#define MAX_ERROR_LINES 500

struct pending {
    char id[CONSOLE_ID_CHARS + 1];
    int64_t session;
    time_t at;
    char name[MULTIPART_MAX_NAME];
    bool csv;
    char *text;
    size_t len;
};

static struct pending pending[PENDING_SLOTS];
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

static void pending_free(struct pending *p)
{
    if (p->text)
        sodium_memzero(p->text, p->len);
    free(p->text);
    memset(p, 0, sizeof *p);
}

/* Keeps text for session under a new id (into id); the oldest slot goes. */
static void pending_put(int64_t session, const char *name, bool csv, const char *text,
                        size_t len, char id[CONSOLE_ID_CHARS + 1])
{
    unsigned char raw[CONSOLE_ID_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(id, CONSOLE_ID_CHARS + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    pthread_mutex_lock(&pending_lock);
    struct pending *slot = &pending[0];
    for (int i = 0; i < PENDING_SLOTS; i++) {
        if (pending[i].session == session) {   /* one per session */
            slot = &pending[i];
            break;
        }
        if (pending[i].at < slot->at)
            slot = &pending[i];
    }
    pending_free(slot);
    memcpy(slot->id, id, CONSOLE_ID_CHARS + 1);
    slot->session = session;
    slot->at = time(NULL);
    snprintf(slot->name, sizeof slot->name, "%s", name);
    slot->csv = csv;
    slot->text = malloc(len + 1);
    if (slot->text) {
        memcpy(slot->text, text, len);
        slot->text[len] = '\0';
        slot->len = len;
    }
    pthread_mutex_unlock(&pending_lock);
}

/* Takes the file kept under id for session (the caller frees it): true
 * when there is one, not expired. */
static bool pending_take(int64_t session, const char *id, struct pending *out)
{
    bool found = false;
    pthread_mutex_lock(&pending_lock);
    for (int i = 0; i < PENDING_SLOTS; i++) {
        struct pending *p = &pending[i];
        if (!p->text || p->session != session || !id || strlen(id) != CONSOLE_ID_CHARS ||
            sodium_memcmp(p->id, id, CONSOLE_ID_CHARS) != 0)
            continue;
        if (time(NULL) - p->at <= PENDING_SECONDS) {
            *out = *p;
            memset(p, 0, sizeof *p);
            found = true;
        } else {
            pending_free(p);
        }
        break;
    }
    pthread_mutex_unlock(&pending_lock);
    return found;
}

void console_exchange_forget(void)
{
    pthread_mutex_lock(&pending_lock);
    for (int i = 0; i < PENDING_SLOTS; i++)
        pending_free(&pending[i]);
    pthread_mutex_unlock(&pending_lock);
}

int console_exchange(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    json_t *ctx = json_pack("{s:b}", "can_import", strcmp(u.role, "admin") == 0);
    return console_page(r, 200, "exchange", ctx, "Import and export", &u);
}

/* GET /console/exchange/{file}: the directory as a download. */
int console_export(struct req *r)
{
    struct console_user u;
    if (console_require(r, &u))
        return r->status;
    const char *file = r->args[0];
    struct buf out = BUF_INIT;
    const char *type = NULL;
    int rc = -1;
    if (strcmp(file, "directory.json") == 0 || strcmp(file, "directory.csv") == 0) {
        bool csv = file[10] == 'c';
        rc = exchange_export(csv ? "csv" : "json", &out);
        type = csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
    } else if (strcmp(file, "openreferral.json") == 0) {
        json_t *doc = oruk_export();
        char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(doc);
        if (text) {
            buf_puts(&out, text);
            buf_putc(&out, '\n');
            free(text);
            rc = 0;
        }
        type = "application/json; charset=utf-8";
    } else {
        return console_message(r, 404, "There is no such download",
                               "Choose one from the import and export page.", &u);
    }
    if (rc != 0) {
        buf_reset(&out);
        return console_message(r, 503, "The download could not be made",
                               "Something went wrong on our side. Try again in a minute.", &u);
    }
    console_headers(r, 200);
    buf_reset(&r->body);
    r->body = out;
    r->content_type = type;
    char day[16], disposition[96];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    const char *dot = strrchr(file, '.');
    snprintf(disposition, sizeof disposition, "attachment; filename=\"signpost-%.*s-%s%s\"",
             (int)(dot - file), file, day, dot);
    req_add_header(r, "Content-Disposition", disposition);
    return 200;
}

/* The page that shows a dry run's or an import's outcome. */
static int outcome_page(struct req *r, int status, const struct console_user *u, int rc,
                        const char *name, char *errors, const struct exchange_counts *c,
                        const char *id, bool applied)
{
    json_t *lines = json_array();
    size_t shown = 0, total = 0;
    for (char *line = errors ? strtok(errors, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        while (*line == ' ')
            line++;
        if (!*line || strncmp(line, "signpost: ", 10) == 0)
            continue;   /* the command line's own summary lines */
        total++;
        if (shown++ < MAX_ERROR_LINES)
            json_array_append_new(lines, json_string(line));
    }
    json_t *ctx = json_pack("{s:s, s:b, s:b, s:o, s:I, s:I, s:I, s:I, s:I, s:b}", "name", name,
                            "ok", rc == 0, "applied", applied, "problems", lines, "n_errors",
                            (json_int_t)total, "more", (json_int_t)(total > shown ? total - shown : 0),
                            "added", (json_int_t)c->added, "changed", (json_int_t)c->changed,
                            "unchanged", (json_int_t)c->unchanged, "failed", rc < 0);
    json_object_set_new(ctx, "added_one", json_boolean(c->added == 1));
    json_object_set_new(ctx, "one_error", json_boolean(total == 1));
    if (id)
        json_object_set_new(ctx, "import_id", json_string(id));
    return console_page(r, status, "imported", ctx,
                        applied ? "Imported" : rc == 0 ? "Check the import" : "The file has errors",
                        u);
}

/* Runs the import of text, dry or not, capturing its messages. */
static int run_import(const struct console_user *u, const char *name, bool csv, const char *text,
                      size_t len, bool dry, char **messages, struct exchange_counts *counts)
{
    size_t size = 0;
    *messages = NULL;
    FILE *err = open_memstream(messages, &size);
    if (!err)
        return -1;
    struct buf summary = BUF_INIT;
    int rc = exchange_import_text(text, len, csv, dry, u->email, name, err, &summary, counts);
    fclose(err);
    buf_reset(&summary);
    return rc;
}

/* Admins only: 0, or the status answered. */
static int require_admin(struct req *r, struct console_user *u)
{
    if (console_require(r, u))
        return r->status;
    if (strcmp(u->role, "admin") != 0)
        return console_message(r, 403, "Only admins can import",
                               "An import can change the whole directory and its taxonomy. Ask "
                               "an admin of your Signpost.", u);
    return 0;
}

int console_import_check(struct req *r)
{
    struct console_user u;
    if (require_admin(r, &u))
        return r->status;
    struct multipart m;
    bool read = multipart_parse(r->in_type, r->in_body, r->in_body_len, &m);
    const struct multipart_part *csrf = read ? multipart_get(&m, "csrf") : NULL;
    if (!read || !csrf || !console_csrf_token_ok(r, &u, csrf->data, csrf->len))
        return console_refused(r, "Nothing was imported", &u);
    const struct multipart_part *file = multipart_get(&m, "file");
    if (!file || !file->has_filename || file->len == 0) {
        json_t *ctx = json_pack("{s:b, s:[{s:s, s:s}]}", "can_import", true, "errors", "field",
                                "file", "message", "Choose a JSON or CSV file to import");
        return console_page(r, 400, "exchange", ctx, "Import and export", &u);
    }
    size_t nl = strlen(file->filename);
    bool csv = (nl > 4 && strcasecmp(file->filename + nl - 4, ".csv") == 0) ||
               strncasecmp(file->type, "text/csv", 8) == 0;
    char *messages = NULL;
    struct exchange_counts counts;
    int rc = run_import(&u, file->filename, csv, file->data, file->len, true, &messages, &counts);
    char id[CONSOLE_ID_CHARS + 1] = "";
    if (rc == 0)
        pending_put(u.session, file->filename, csv, file->data, file->len, id);
    int st = outcome_page(r, rc == 0 ? 200 : rc > 0 ? 400 : 503, &u, rc, file->filename, messages,
                          &counts, rc == 0 ? id : NULL, false);
    free(messages);
    return st;
}

int console_import_apply(struct req *r)
{
    struct console_user u;
    if (require_admin(r, &u))
        return r->status;
    struct query form;
    if (!console_signed_form(r, &u, &form, "Nothing was imported"))
        return r->status;
    struct pending p;
    bool have = pending_take(u.session, query_get(&form, "import"), &p);
    query_reset(&form);
    if (!have)
        return console_message(r, 409, "Nothing was imported",
                               "That checked file is no longer kept: it was imported already, "
                               "or half an hour has passed. Upload it again.", &u);
    char *messages = NULL;
    struct exchange_counts counts;
    int rc = run_import(&u, p.name, p.csv, p.text, p.len, false, &messages, &counts);
    int st = outcome_page(r, rc == 0 ? 200 : rc > 0 ? 400 : 503, &u, rc, p.name, messages,
                          &counts, NULL, rc == 0);
    free(messages);
    pending_free(&p);
    return st;
}
