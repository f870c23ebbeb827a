/* log.c: the access log, one JSON line per answered request on stdout.
 * No client address and no query string (it holds what people search for)
 * unless the operator asked for them. One write(2) per line, so lines from
 * different threads never interleave. */
#include "http/http_int.h"
#include "lib/escape.h"
#include "lib/util.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

void log_request(const struct http_ctx *ctx, const char *method,
                 const struct answer_sent *sent, bool hit, const char *client)
{
    if (!http_conf.access_log)
        return;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"time\":\"%s\",\"method\":", stamp);
    esc_json(&b, method, strnlen(method, 16));
    buf_puts(&b, ",\"route\":");
    esc_json_str(&b, sent->route);
    buf_printf(&b, ",\"status\":%d,\"bytes\":%zu,\"ms\":%.3f,\"cache\":\"%s\"", sent->status,
               sent->bytes, (double)(util_now_ns() - ctx->start_ns) / 1e6,
               hit ? "hit" : "miss");
    if (http_conf.log_query) {
        const char *qm = memchr(ctx->target, '?', ctx->target_len);
        buf_puts(&b, ",\"query\":");
        if (qm)
            esc_json(&b, qm + 1, (size_t)(ctx->target + ctx->target_len - qm - 1));
        else
            buf_puts(&b, "null");
    }
    if (http_conf.log_ip) {
        buf_puts(&b, ",\"ip\":");
        esc_json_str(&b, client && *client ? client : "-");
    }
    buf_puts(&b, "}\n");
    ssize_t w = write(STDOUT_FILENO, b.data, b.len);
    (void)w;
    buf_reset(&b);
}
