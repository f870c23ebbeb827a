/* main.c: the command line. `signpost serve` runs the server; other
 * commands work on the database directly. */
#include "admin/auth.h"
#include "admin/curator.h"
#include "console/console.h"
#include "embed/embed.h"
#include "exchange/exchange.h"
#include "http/http.h"
#include <jansson.h>
#include "oruk/oruk.h"
#include "site/page.h"
#include "store/store.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sodium.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SIGNPOST_VERSION
#define SIGNPOST_VERSION "dev"
#endif

static const char usage[] =
    "Usage: signpost COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  serve      serve the directory over HTTP\n"
    "  migrate    create, migrate and (if new) seed the database, then exit\n"
    "  export     write the whole directory to stdout or --out FILE:\n"
    "             --format json (everything, for import), csv (one row per\n"
    "             organisation, for spreadsheets), oruk (Open Referral UK JSON)\n"
    "  import FILE [--dry-run]   check a JSON or CSV file from export and apply\n"
    "             all of it in one transaction, or nothing; a database that does\n"
    "             not exist is created empty (not seeded)\n"
    "  backup FILE   a consistent, checked copy of the database (safe while\n"
    "             the server runs and writes)\n"
    "  token create --name NAME --role editor|admin\n"
    "             make a token for the write API and print it (only once)\n"
    "  token list             list tokens (names and roles, never the tokens)\n"
    "  token revoke NAME      revoke a token at once\n"
    "  user create --email E --name N --role editor|admin\n"
    "             make a curator's account for the console and print its\n"
    "             invitation link (valid 24 hours, once; --public-url sets the\n"
    "             site's address, default http://127.0.0.1:8080)\n"
    "  user list              list accounts (state, role, last sign-in)\n"
    "  user disable EMAIL     disable an account: its sessions end at once\n"
    "  user enable EMAIL      enable it again\n"
    "  user reset EMAIL       a new invitation: the old password, second\n"
    "             factor, recovery codes and sessions stop working\n"
    "  version    print the version\n"
    "\n"
    "Options for serve, migrate and export:\n"
    "  --db PATH         database file (env SIGNPOST_DB; default data/signpost.db).\n"
    "                    A missing file is created, migrated and seeded; an\n"
    "                    existing one is migrated forward and never reseeded.\n"
    "Options for serve:\n"
    "  --port P          TCP port, 0 for any free one (env SIGNPOST_PORT; 8080)\n"
    "  --bind ADDR       address to listen on (env SIGNPOST_BIND; 127.0.0.1)\n"
    "  --threads N       worker threads (default: one per CPU)\n"
    "  --max-connections N   open connections at most (default 1000); when all\n"
    "                    are open, the one idle longest between requests is closed\n"
    "                    for a newcomer, and if none is idle the newcomer gets 503\n"
    "  --max-per-ip N    open connections per client address (default: a\n"
    "                    sixteenth of --max-connections, 62; 0: no limit, e.g.\n"
    "                    behind a proxy that opens many)\n"
    "  --idle-timeout S  close a connection idle for S seconds (default 30)\n"
    "  --header-timeout S  drop a client whose request headers take longer\n"
    "                    than S seconds (default 5): slow clients cannot hold slots\n"
    "  --body-timeout S  drop a client whose request body takes longer than S\n"
    "                    seconds after its headers (default 15)\n"
    "  --max-body-kb N   largest request body in KiB (default 256)\n"
    "  --max-target N    longest request path and query in bytes (default 8192)\n"
    "  --connection-memory-kb N  memory per connection for its request head\n"
    "                    and answer headers, in KiB (default 32, or enough for\n"
    "                    --max-target); at least twice the target and 4 KiB\n"
    "  --read-only       serve a snapshot made by `signpost backup` (a replica):\n"
    "                    no writes; SIGHUP reopens --db, so publish a new\n"
    "                    snapshot by moving it into place and sending SIGHUP\n"
    "  --cache-mb N      response cache size in MiB, 0 to disable (default 64)\n"
    "  --search-memo on|off  remember searches' full-text matches (default on;\n"
    "                    off only to measure searches nobody made before)\n"
    "  --access-log on|off  one JSON line per request on stdout (default on)\n"
    "  --log-ip          include the client's address in the access log\n"
    "  --log-query       include the query string (search text) in the access log\n"
    "  --trust-proxy     behind a reverse proxy: the client's address is the last\n"
    "                    X-Forwarded-For entry (for rate limits and --log-ip)\n"
    "  --theme DIR       override templates (DIR/templates/NAME.html), DIR/site.css\n"
    "                    and DIR/exit.js (env SIGNPOST_THEME)\n"
    "  --embed-origins \"ORIGIN ...\"  the only sites that may frame the embeds\n"
    "                    (env SIGNPOST_EMBED_ORIGINS; default: any)\n"
    "  --console-key FILE  the key sealing curators' TOTP secrets, kept out of the\n"
    "                    database (default: the --db path with .key added; made\n"
    "                    with mode 0600 on first start)\n"
    "  --public-url URL  the site's address as visitors see it, for the sitemap\n"
    "                    (env SIGNPOST_PUBLIC_URL; default http://BIND:PORT)\n"
    "  -h, --help        show this help\n";

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "signpost: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n\n%s", usage);
    return 2;
}

/* Parses a whole number in [min, max] from s into *out. */
static int parse_uint(const char *s, unsigned long min, unsigned long max,
                      unsigned long *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* What start-up loaded before the store, in reverse. */
static void views_shutdown(void)
{
    console_shutdown();
    page_shutdown();
    oruk_shutdown();
    embed_shutdown();
}

static int serve(const char *db, struct http_config *hc, const char *theme,
                 const char *public_url, const char *embed_origins, bool replica,
                 const char *console_key)
{
    signal(SIGPIPE, SIG_IGN);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    /* Block before the workers start, so they inherit the mask and only
     * sigwait below sees the signals. */
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    unsigned port;
    if (http_bind(hc, &port) != 0)
        return 1;
    hc->port = port;
    char default_url[300];
    if (!public_url) {
        snprintf(default_url, sizeof default_url, "http://%s:%u",
                 strcmp(hc->bind, "0.0.0.0") == 0 ? "localhost" : hc->bind, hc->port);
        public_url = default_url;
    }
    json_object_seed(0); /* before any thread hashes a key */
    if (page_init(theme, public_url) != 0)
        return 1;
    oruk_init(public_url);
    char key_path[4096];
    snprintf(key_path, sizeof key_path, "%s.key", db);
    if (embed_init(embed_origins) != 0 ||
        console_init(console_key ? console_key : key_path, public_url, replica) != 0) {
        views_shutdown();
        return 1;
    }
    if ((replica ? store_open_snapshot(db) : store_open(db)) != 0) {
        views_shutdown();
        return 1;
    }
    struct store_index *ix = store_index_acquire(); /* warm up */
    if (!ix) {
        store_close();
        views_shutdown();
        return 1;
    }
    store_index_release(ix);
    if ((!replica && store_watch_start() != 0) || http_start(hc, &port) != 0) {
        store_watch_stop();
        store_close();
        views_shutdown();
        return 1;
    }
    fprintf(stderr, "signpost: listening on http://%s%s%s:%u\n",
            strchr(hc->bind, ':') ? "[" : "", hc->bind, strchr(hc->bind, ':') ? "]" : "",
            port);
    int sig = 0;
    for (;;) {
        sigwait(&stop, &sig);
        if (sig != SIGHUP)
            break;
        if (replica) {
            /* A new snapshot was moved into place: check it, then switch.
             * Requests in flight finish on the old file. */
            if (store_open_snapshot(db) == 0) {
                store_reload();
                fprintf(stderr, "signpost: SIGHUP: serving the snapshot now at %s\n", db);
            } else {
                fprintf(stderr, "signpost: SIGHUP: the new snapshot is not usable; still "
                                "serving the old one\n");
            }
        } else {
            fprintf(stderr, "signpost: SIGHUP ignored (only --read-only replicas reload)\n");
        }
    }
    fprintf(stderr, "signpost: %s received, finishing requests in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    int left = http_drain(10);
    if (left)
        fprintf(stderr, "signpost: %d requests still running after 10 s; closing them\n", left);
    http_stop();
    store_watch_stop();
    store_close();
    views_shutdown();
    return 0;
}

/* Writes text to path through a temporary file and a rename, so a reader
 * never sees half a file; "-" or NULL is stdout. */
static int write_out(const char *path, const char *text)
{
    if (!path || strcmp(path, "-") == 0)
        return fputs(text, stdout) < 0 || fflush(stdout) != 0 ? -1 : 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "signpost: cannot write %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    int rc = fputs(text, f) < 0 ? -1 : 0;
    if (fflush(f) != 0 || fsync(fileno(f)) != 0)
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0) {
        fprintf(stderr, "signpost: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
    }
    return rc;
}

static int export_directory(const char *db, const char *public_url, const char *out)
{
    json_object_seed(0);
    if (store_open(db) != 0)
        return 1;
    oruk_init(public_url ? public_url : "http://localhost:8080");
    int rc = 1;
    json_t *doc = oruk_export();
    char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (!text) {
        fprintf(stderr, "signpost: export failed\n");
    } else {
        size_t n = strlen(text);
        text = realloc(text, n + 2);
        if (text) {
            text[n] = '\n', text[n + 1] = '\0';
            rc = write_out(out, text) == 0 ? 0 : 1;
        }
    }
    free(text);
    json_decref(doc);
    oruk_shutdown();
    store_close();
    return rc;
}

static int export_file(const char *db, const char *format, const char *out)
{
    json_object_seed(0);
    if (store_open(db) != 0)
        return 1;
    struct buf text = BUF_INIT;
    int rc = exchange_export(format, &text) == 0 && write_out(out, buf_str(&text)) == 0 ? 0 : 1;
    if (rc)
        fprintf(stderr, "signpost: export failed\n");
    buf_reset(&text);
    store_close();
    return rc;
}

static int import_file(const char *db, const char *path, bool dry_run)
{
    json_object_seed(0);
    /* An import into a new database starts it empty, so that what goes in
     * is exactly the file. */
    if (store_open_ex(db, false) != 0)
        return 1;
    struct buf summary = BUF_INIT;
    int rc = exchange_import(path, dry_run, stderr, &summary);
    if (rc == 0)
        fprintf(stderr, "signpost: %s\n", summary.data);
    else if (rc < 0)
        fprintf(stderr, "signpost: the database failed; nothing was imported\n");
    buf_reset(&summary);
    store_close();
    return rc == 0 ? 0 : rc > 0 ? 1 : 2;
}

static int backup_to(const char *db, const char *path)
{
    if (store_open(db) != 0)
        return 1;
    int rc = store_backup(path);
    if (rc == 0)
        fprintf(stderr, "signpost: backed up %s to %s (integrity ok)\n", db, path);
    store_close();
    return rc == 0 ? 0 : 1;
}

/* Prints a stored name for a terminal, padded to width: every byte but
 * visible ASCII (and spaces where spaces_ok), and the backslash, as \xHH.
 * Names are checked now (auth_token_name_ok, curator_name_refusal), but one
 * stored before could hold CR, LF or an escape sequence and so print a line
 * of its own or move the cursor. */
static void term_print(const char *name, int width, bool spaces_ok)
{
    int shown = 0;
    for (const unsigned char *c = (const unsigned char *)(name ? name : ""); *c; c++)
        shown += (*c > ' ' || (spaces_ok && *c == ' ')) && *c < 0x7f && *c != '\\'
                     ? printf("%c", *c)
                     : printf("\\x%02x", *c);
    printf("%*s", width > shown ? width - shown : 0, "");
}

static void token_name_print(const char *name, int width)
{
    term_print(name, width, false);
}

/* `signpost user ...`: curators' accounts. */
static int user_command(const char *db, const char *sub, const char *email, const char *name,
                        const char *role, const char *arg, const char *public_url)
{
    const char *why = NULL;
    if (strcmp(sub, "create") == 0) {
        if (!email || !name)
            return bad_usage("%s", "user create needs --email E and --name N");
        if ((why = curator_email_refusal(email)) || (why = curator_name_refusal(name)))
            return bad_usage("user create: %s", why);
        if (auth_role_of(role) == AUTH_NONE)
            return bad_usage("user create needs --role editor or --role admin, not '%s'",
                             role ? role : "");
    } else if (strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0 ||
               strcmp(sub, "reset") == 0) {
        if (!arg)
            return bad_usage("user %s needs the account's EMAIL", sub);
    } else if (strcmp(sub, "list") != 0) {
        return bad_usage("unknown user command '%s'", sub);
    }
    if (store_open(db) != 0)
        return 1;
    int rc = 1, done;
    char token[CURATOR_TOKEN_CHARS + 1];
    if (strcmp(sub, "create") == 0 || strcmp(sub, "reset") == 0) {
        bool create = strcmp(sub, "create") == 0;
        done = create ? curator_invite(email, name, role, "cli", token)
                      : curator_reset(arg, "cli", token);
        if (done == STORE_OK) {
            struct buf link = BUF_INIT;
            curator_invite_link(&link, public_url ? public_url : "http://127.0.0.1:8080", token);
            printf("%s\n", link.data);
            buf_reset(&link);
            sodium_memzero(token, sizeof token);
            fprintf(stderr, "signpost: send this link to %s only. It works once, for %d hours: "
                            "they set a password and a second factor.\n",
                    create ? email : arg, CURATOR_INVITE_HOURS);
            rc = 0;
        } else if (done == STORE_CONFLICT) {
            fprintf(stderr, create ? "signpost: %s has an account already (user reset %s"
                                     " sends a new invitation)\n"
                                   : "signpost: %s is disabled: user enable %s first\n",
                    create ? email : arg, create ? email : arg);
        } else if (done == STORE_NOT_FOUND) {
            fprintf(stderr, "signpost: no account has the address %s\n", arg);
        }
    } else if (strcmp(sub, "list") == 0) {
        json_t *rows;
        if (store_curator_list(&rows) == 0) {
            size_t i;
            json_t *row;
            json_array_foreach(rows, i, row) {
                const char *seen = json_string_value(json_object_get(row, "signed_in_at"));
                const char *until = json_string_value(json_object_get(row, "invited_until"));
                term_print(json_string_value(json_object_get(row, "email")), 32, false);
                printf(" %-7s %-8s ", json_string_value(json_object_get(row, "role")),
                       json_string_value(json_object_get(row, "state")));
                term_print(json_string_value(json_object_get(row, "name")), 0, true);
                printf("%s%s%s%s\n", seen ? ", last signed in " : "", seen ? seen : "",
                       until ? ", invitation open until " : "", until ? until : "");
            }
            json_decref(rows);
            rc = 0;
        }
    } else {
        bool enable = strcmp(sub, "enable") == 0;
        done = store_curator_set_state(arg, enable, "cli");
        if (done == STORE_OK) {
            fprintf(stderr, enable ? "signpost: %s is enabled\n"
                                   : "signpost: %s is disabled; its sessions have ended\n", arg);
            rc = 0;
        } else if (done == STORE_NOT_FOUND) {
            fprintf(stderr, "signpost: no account has the address %s, or it is %s already\n",
                    arg, enable ? "enabled" : "disabled");
        }
    }
    store_close();
    return rc;
}

static int token_command(const char *db, const char *sub, const char *name, const char *role,
                         const char *arg)
{
    if (strcmp(sub, "create") == 0) {
        if (!name)
            return bad_usage("%s", "token create needs --name NAME");
        if (!auth_token_name_ok(name))
            return bad_usage("%s", "token create --name: a token's name " AUTH_TOKEN_NAME_RULE);
        if (auth_role_of(role) == AUTH_NONE)
            return bad_usage("token create needs --role editor or --role admin, not '%s'",
                             role ? role : "");
    } else if (strcmp(sub, "revoke") == 0) {
        if (!arg)
            return bad_usage("%s", "token revoke needs the token's NAME");
    } else if (strcmp(sub, "list") != 0) {
        return bad_usage("unknown token command '%s'", sub);
    }
    if (store_open(db) != 0)
        return 1;
    int rc = 1;
    if (strcmp(sub, "create") == 0) {
        char *token = auth_token_new();
        char hash[65];
        if (!token) {
            fprintf(stderr, "signpost: no randomness available for a token\n");
            goto out;
        }
        auth_token_hash(token, hash);
        int added = store_token_add(name, role, hash);
        if (added == STORE_CONFLICT)
            fprintf(stderr, "signpost: a token called '%s' exists already\n", name);
        else if (added == STORE_OK) {
            printf("%s\n", token);
            fprintf(stderr, "signpost: token '%s' (%s) created. It is shown this once: "
                            "keep it safe.\n", name, role);
            rc = 0;
        }
        memset(token, 0, strlen(token));
        free(token);
    } else if (strcmp(sub, "list") == 0) {
        json_t *rows;
        if (store_token_list(&rows) == 0) {
            size_t i;
            json_t *row;
            json_array_foreach(rows, i, row) {
                const char *revoked = json_string_value(json_object_get(row, "revoked_at"));
                token_name_print(json_string_value(json_object_get(row, "name")), 24);
                printf(" %-7s created %s%s%s\n",
                       json_string_value(json_object_get(row, "role")),
                       json_string_value(json_object_get(row, "created_at")),
                       revoked ? ", revoked " : "", revoked ? revoked : "");
            }
            json_decref(rows);
            rc = 0;
        }
    } else {
        int revoked = store_token_revoke(arg);
        if (revoked == STORE_NOT_FOUND)
            fprintf(stderr, "signpost: no live token is called '%s'\n", arg);
        else if (revoked == STORE_OK) {
            fprintf(stderr, "signpost: token '%s' revoked\n", arg);
            rc = 0;
        }
    }
out:
    store_close();
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return bad_usage("%s", "a command is needed");
    if (sodium_init() < 0) {
        fprintf(stderr, "signpost: libsodium could not start (no randomness?)\n");
        return 1;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("signpost %s\n", SIGNPOST_VERSION);
        return 0;
    }
    if (strcmp(cmd, "serve") != 0 && strcmp(cmd, "migrate") != 0 &&
        strcmp(cmd, "export") != 0 && strcmp(cmd, "token") != 0 && strcmp(cmd, "user") != 0 &&
        strcmp(cmd, "import") != 0 && strcmp(cmd, "backup") != 0)
        return bad_usage("unknown command '%s'", cmd);

    struct http_config hc = {0};
    http_config_defaults(&hc);
    const char *db = getenv("SIGNPOST_DB") ? getenv("SIGNPOST_DB") : "data/signpost.db";
    unsigned long v;
    if (getenv("SIGNPOST_BIND"))
        hc.bind = getenv("SIGNPOST_BIND");
    if (getenv("SIGNPOST_PORT")) {
        if (parse_uint(getenv("SIGNPOST_PORT"), 0, 65535, &v) != 0)
            return bad_usage("SIGNPOST_PORT=%s is not a port number", getenv("SIGNPOST_PORT"));
        hc.port = (unsigned)v;
    }

    const char *theme = getenv("SIGNPOST_THEME");
    const char *public_url = getenv("SIGNPOST_PUBLIC_URL");
    const char *console_key = NULL;
    enum { O_PORT = 1, O_BIND, O_MEMO, O_DB, O_THREADS, O_MAXCONN, O_PERIP, O_IDLE, O_CACHE,
           O_THEME, O_URL, O_ACCESS_LOG, O_LOG_IP, O_LOG_QUERY, O_FORMAT, O_OUT, O_EMBED_ORIGINS, O_NAME, O_ROLE, O_DRY_RUN, O_HEADER_TIMEOUT,
           O_MAX_BODY, O_MAX_TARGET, O_READ_ONLY, O_TRUST_PROXY, O_BODY_TIMEOUT, O_CONN_MEMORY, O_EMAIL, O_CONSOLE_KEY };
    bool replica = false;
    bool dry_run = false;
    bool per_ip_given = false;
    const char *name = NULL, *role = NULL, *sub = NULL, *email = NULL;
    const char *format = NULL, *out = NULL;
    const char *embed_origins = getenv("SIGNPOST_EMBED_ORIGINS");
    static const struct option opts[] = {
        {"port", required_argument, NULL, O_PORT},
        {"bind", required_argument, NULL, O_BIND},
        {"db", required_argument, NULL, O_DB},
        {"threads", required_argument, NULL, O_THREADS},
        {"max-connections", required_argument, NULL, O_MAXCONN},
        {"max-per-ip", required_argument, NULL, O_PERIP},
        {"idle-timeout", required_argument, NULL, O_IDLE},
        {"cache-mb", required_argument, NULL, O_CACHE},
        {"search-memo", required_argument, NULL, O_MEMO},
        {"theme", required_argument, NULL, O_THEME},
        {"format", required_argument, NULL, O_FORMAT},
        {"embed-origins", required_argument, NULL, O_EMBED_ORIGINS},
        {"name", required_argument, NULL, O_NAME},
        {"email", required_argument, NULL, O_EMAIL},
        {"dry-run", no_argument, NULL, O_DRY_RUN},
        {"header-timeout", required_argument, NULL, O_HEADER_TIMEOUT},
        {"max-body-kb", required_argument, NULL, O_MAX_BODY},
        {"max-target", required_argument, NULL, O_MAX_TARGET},
        {"connection-memory-kb", required_argument, NULL, O_CONN_MEMORY},
        {"read-only", no_argument, NULL, O_READ_ONLY},
        {"trust-proxy", no_argument, NULL, O_TRUST_PROXY},
        {"body-timeout", required_argument, NULL, O_BODY_TIMEOUT},
        {"role", required_argument, NULL, O_ROLE},
        {"out", required_argument, NULL, O_OUT},
        {"access-log", required_argument, NULL, O_ACCESS_LOG},
        {"log-ip", no_argument, NULL, O_LOG_IP},
        {"log-query", no_argument, NULL, O_LOG_QUERY},
        {"public-url", required_argument, NULL, O_URL},
        {"console-key", required_argument, NULL, O_CONSOLE_KEY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    optind = 2;
    if (strcmp(cmd, "token") == 0 || strcmp(cmd, "user") == 0) {
        if (argc < 3 || argv[2][0] == '-')
            return bad_usage("%s", strcmp(cmd, "token") == 0
                                       ? "token needs create, list or revoke"
                                       : "user needs create, list, disable, enable or reset");
        sub = argv[2];
        optind = 3;
    }
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return 0;
        case O_PORT:
            if (parse_uint(optarg, 0, 65535, &v) != 0)
                return bad_usage("--port %s is not a port number (0-65535)", optarg);
            hc.port = (unsigned)v;
            break;
        case O_BIND:
            hc.bind = optarg;
            break;
        case O_DB:
            db = optarg;
            break;
        case O_THREADS:
            if (parse_uint(optarg, 1, 256, &v) != 0)
                return bad_usage("--threads %s is not a number from 1 to 256", optarg);
            hc.threads = (unsigned)v;
            break;
        case O_MAXCONN:
            if (parse_uint(optarg, 1, 1000000, &v) != 0)
                return bad_usage("--max-connections %s is not a number from 1 to 1000000", optarg);
            hc.max_connections = (unsigned)v;
            break;
        case O_PERIP:
            if (parse_uint(optarg, 0, 1000000, &v) != 0)
                return bad_usage("--max-per-ip %s is not a number", optarg);
            hc.max_per_ip = (unsigned)v;
            per_ip_given = true;
            break;
        case O_IDLE:
            if (parse_uint(optarg, 1, 3600, &v) != 0)
                return bad_usage("--idle-timeout %s is not a number of seconds (1-3600)", optarg);
            hc.idle_timeout = (unsigned)v;
            break;
        case O_CACHE:
            if (parse_uint(optarg, 0, 65536, &v) != 0)
                return bad_usage("--cache-mb %s is not a number of MiB (0-65536)", optarg);
            hc.cache_bytes = (size_t)v * 1024 * 1024;
            break;
        case O_MEMO:
            if (strcmp(optarg, "on") != 0 && strcmp(optarg, "off") != 0)
                return bad_usage("--search-memo takes on or off, not '%s'", optarg);
            store_search_memo(strcmp(optarg, "on") == 0);
            break;
        case O_ACCESS_LOG:
            if (strcmp(optarg, "on") != 0 && strcmp(optarg, "off") != 0)
                return bad_usage("--access-log takes on or off, not '%s'", optarg);
            hc.access_log = strcmp(optarg, "on") == 0;
            break;
        case O_LOG_IP:
            hc.log_ip = true;
            break;
        case O_LOG_QUERY:
            hc.log_query = true;
            break;
        case O_HEADER_TIMEOUT:
            if (parse_uint(optarg, 1, 300, &v) != 0)
                return bad_usage("--header-timeout %s is not a number of seconds (1-300)", optarg);
            hc.header_timeout = (unsigned)v;
            break;
        case O_MAX_BODY:
            if (parse_uint(optarg, 1, 65536, &v) != 0)
                return bad_usage("--max-body-kb %s is not a number of KiB (1-65536)", optarg);
            hc.max_body = (size_t)v * 1024;
            break;
        case O_MAX_TARGET:
            if (parse_uint(optarg, 256, 65536, &v) != 0)
                return bad_usage("--max-target %s is not a number of bytes (256-65536)", optarg);
            hc.max_target = (size_t)v;
            break;
        case O_CONN_MEMORY:
            if (parse_uint(optarg, 8, 1024, &v) != 0)
                return bad_usage("--connection-memory-kb %s is not a number of KiB (8-1024)", optarg);
            hc.conn_memory = (size_t)v * 1024;
            break;
        case O_BODY_TIMEOUT:
            if (parse_uint(optarg, 1, 3600, &v) != 0)
                return bad_usage("--body-timeout %s is not a number of seconds (1-3600)", optarg);
            hc.body_timeout = (unsigned)v;
            break;
        case O_TRUST_PROXY:
            hc.trust_proxy = true;
            break;
        case O_READ_ONLY:
            replica = true;
            break;
        case O_DRY_RUN:
            dry_run = true;
            break;
        case O_NAME:
            name = optarg;
            break;
        case O_EMAIL:
            email = optarg;
            break;
        case O_ROLE:
            role = optarg;
            break;
        case O_EMBED_ORIGINS:
            embed_origins = optarg;
            break;
        case O_FORMAT:
            format = optarg;
            break;
        case O_OUT:
            out = optarg;
            break;
        case O_THEME:
            theme = optarg;
            break;
        case O_CONSOLE_KEY:
            console_key = optarg;
            break;
        case O_URL:
            if (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0)
                return bad_usage("--public-url %s must start with http:// or https://", optarg);
            public_url = optarg;
            break;
        case ':':
            return bad_usage("option %s needs a value", argv[optind - 1]);
        default:
            return bad_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (hc.conn_memory && hc.conn_memory < 2 * hc.max_target + 4096)
        return bad_usage("--connection-memory-kb %zu is too small for --max-target %zu: it must "
                         "hold twice the longest target and 4 KiB of headers",
                         hc.conn_memory / 1024, hc.max_target);
    /* Unless told, an address may hold a sixteenth of the connections (as
     * http_config_defaults gives of its own), so that no few addresses can
     * hold them all; at least one, since 0 means no limit. */
    if (!per_ip_given)
        hc.max_per_ip = hc.max_connections / 16 ? hc.max_connections / 16 : 1;
    const char *positional = optind < argc ? argv[optind] : NULL;
    bool takes_file = strcmp(cmd, "import") == 0 || strcmp(cmd, "backup") == 0 ||
                      (sub && (strcmp(sub, "revoke") == 0 || strcmp(sub, "disable") == 0 ||
                               strcmp(sub, "enable") == 0 || strcmp(sub, "reset") == 0));
    if (positional && !(takes_file && optind + 1 == argc))
        return bad_usage("unexpected argument '%s'", positional);
    if (takes_file && !positional)
        return sub ? bad_usage("%s %s needs its argument", cmd, sub)
                   : bad_usage("%s needs a FILE", cmd);
    if (strcmp(cmd, "import") == 0)
        return import_file(db, positional, dry_run);
    if (strcmp(cmd, "backup") == 0)
        return backup_to(db, positional);
    if (sub && strcmp(cmd, "user") == 0)
        return user_command(db, sub, email, name, role, positional, public_url);
    if (sub)
        return token_command(db, sub, name, role, positional);

    if (strcmp(cmd, "export") == 0) {
        if (!format || (strcmp(format, "oruk") && strcmp(format, "json") && strcmp(format, "csv")))
            return bad_usage("export needs --format json, csv or oruk, not '%s'",
                             format ? format : "");
        if (strcmp(format, "oruk") == 0)
            return export_directory(db, public_url, out);
        return export_file(db, format, out);
    }
    if (strcmp(cmd, "migrate") == 0) {
        if (store_open(db) != 0)
            return 1;
        store_close();
        fprintf(stderr, "signpost: %s is at schema version %d\n", db, store_schema_version());
        return 0;
    }
    return serve(db, &hc, theme, public_url, embed_origins, replica, console_key);
}
