/* http.h: the HTTP server. All of libmicrohttpd lives behind this header:
 * limits, request decoding, standard headers, conditional requests, gzip,
 * and the response cache. */
#ifndef SIGNPOST_HTTP_H
#define SIGNPOST_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct http_config {
    const char *bind;            /* address to listen on: "127.0.0.1", "::" */
    unsigned port;               /* 0: any free port */
    unsigned threads;            /* worker threads (each with its own SQLite
                                    connection) */
    unsigned max_connections;
    unsigned max_per_ip;         /* 0: no per-address limit */
    unsigned idle_timeout;       /* seconds */
    unsigned header_timeout;     /* seconds a request's headers may take */
    unsigned body_timeout;       /* seconds its body may take after them */
    size_t max_body;             /* request body limit in bytes */
    size_t max_target;           /* request target (path + query) limit */
    size_t conn_memory;          /* libmicrohttpd's memory per connection
                                    (request head and answer headers); 0:
                                    enough for max_target (http_start) */
    size_t cache_bytes;          /* response cache bound; 0 disables it */
    bool access_log;             /* one JSON line per request on stdout */
    bool log_ip;                 /* ...with the client's address */
    bool log_query;              /* ...with the query string (search text) */
    bool trust_proxy;            /* take the client's address from the last
                                    X-Forwarded-For entry (behind nginx) */
};

/* Fills c with the defaults. */
void http_config_defaults(struct http_config *c);
/* The memory libmicrohttpd may use per connection: conn_memory, or by
 * default 32 KiB or enough for the longest target, if more. */
size_t http_conn_memory(const struct http_config *c);

/* Opens the listening socket now (so the port is known before serving).
 * Returns 0 with the bound port in *port, or -1 after printing why. */
int http_bind(const struct http_config *c, unsigned *port);

/* Starts serving (binding first if http_bind was not called). Returns 0 and the port actually bound in *port, or -1
 * after printing why to stderr. */
int http_start(const struct http_config *c, unsigned *port);

/* Stops accepting new connections and waits up to seconds for requests in
 * flight to finish. Returns how many were still running. */
int http_drain(unsigned seconds);

/* Stops accepting, closes connections and joins the workers. */
void http_stop(void);

#endif
