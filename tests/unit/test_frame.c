/* test_frame.c: unit tests of the request framing reader (server/lib/
 * frame.c): what is refused and what is read through, the same whatever
 * the split of the bytes into reads, and where the requests before a fault
 * end. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lib/frame.h"

#define POST "POST /x HTTP/1.1\r\nHost: h\r\n"
#define GET "GET /x HTTP/1.1\r\nHost: h\r\n\r\n"

struct verdict {
    bool ok;
    size_t good;
    const char *error;
};

/* Feeds s in pieces of `step` bytes (0: whole); good is counted from the
 * start of s. */
static struct verdict feed(const char *s, size_t n, size_t step)
{
    struct frame f;
    frame_init(&f);
    size_t at = 0;
    while (at < n || (n == 0 && at == 0)) {
        size_t k = step && n - at > step ? step : n - at;
        size_t good;
        if (!frame_feed(&f, (const unsigned char *)s + at, k, &good)) {
            /* once refused, always refused: even a well-framed request
             * (a field's fault once left the reader mid-line, where the
             * next read carried on) */
            const char *error = f.error;
            size_t again;
            CHECK(!frame_feed(&f, (const unsigned char *)GET, strlen(GET), &again));
            CHECK(f.error == error);
            return (struct verdict){false, at + good, f.error};
        }
        at += k;
        if (n == 0)
            break;
    }
    return (struct verdict){true, n, NULL};
}

static const struct {
    const char *bytes;
    size_t len; /* 0: strlen */
    bool ok;
} cases[] = {
    {GET, 0, true},
    {GET GET GET, 0, true},
    {"\r\n" GET, 0, true},
    {"GET /x HTTP/1.0\r\n\r\n", 0, true},
    {POST "Content-Length: 3\r\n\r\nabc" GET, 0, true},
    {POST "Content-Length:  3  \r\n\r\nabc", 0, true},
    {POST "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" GET, 0, true},
    {POST "Transfer-Encoding: CHUNKED\r\n\r\n3;a=b\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: x\r\n\r\n",
     0, true},
    {"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: h\r\nX: \xc3\xa9\t v\r\n\r\n", 0, true},
    {"GET /x HTTP/1.1\r\nHost: h\r\nX-Empty:\r\n\r\n", 0, true},
    /* refused */
    {"GET /x HTTP/1.1\nHost: h\n\n", 0, false},
    {"GET /x HTTP/1.1\r\nHost: h\rX: y\r\n\r\n", 0, false},
    {"GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 0, false},
    {"GET /a\0b HTTP/1.1\r\nHost: h\r\n\r\n", 35, false},
    {"GET /x HTTP/2.0\r\n\r\n", 0, false},
    {"GET /x\r\n\r\n", 0, false},
    {"GET  /x HTTP/1.1\r\n\r\n", 0, false},
    {" GET /x HTTP/1.1\r\n\r\n", 0, false},
    {"G(T /x HTTP/1.1\r\n\r\n", 0, false},
    {"GET /x HTTP/1.1\r\nHost: h\r\nHost: i\r\n\r\n", 0, false},
    {"GET /x HTTP/1.1\r\nHost : h\r\n\r\n", 0, false},
    {"GET /x HTTP/1.1\r\nHost: h\r\n X: y\r\n\r\n", 0, false},
    {"GET /x HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n", 39, false},
    {"GET /x HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n", 0, false},
    {"GET /x HTTP/1.1\r\nHost: h\r\nX-A: a\r\n b\r\n\r\n", 0, false},
    {"GET /x HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", 0, false},
    {"\r\n\r\n\r\n\r\n\r\n" GET, 0, false},
    {POST "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 0, false},
    {POST "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 0, false},
    {POST "Content-Length: 3a\r\n\r\nabc", 0, false},
    {POST "Content-Length: 1 2\r\n\r\nabc", 0, false},
    {POST "Content-Length:\r\n\r\n", 0, false},
    {POST "Content-Length: 99999999999999999999\r\n\r\n", 0, false},
    {POST "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 0, false},
    {POST "Transfer-Encoding: chunked \r\n\r\n0\r\n\r\n", 0, false},
    {POST "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 0, false},
    {POST "Transfer-Encoding: chunked\r\n\r\nzz\r\n\r\n", 0, false},
    {POST "Transfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n", 0, false},
    {POST "Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 0, false},
    {POST "Transfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", 0, false},
};

static void test_refused_and_read_through_the_same_whatever_the_split(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = cases[i].len ? cases[i].len : strlen(cases[i].bytes);
        struct verdict whole = feed(cases[i].bytes, n, 0);
        if (!CHECK(whole.ok == cases[i].ok))
            printf("  case %zu: %s (%s)\n", i, whole.ok ? "read through" : "refused",
                   whole.error ? whole.error : "");
        CHECK(whole.ok || (whole.error && strlen(whole.error) > 10));
        for (size_t step = 1; step <= 7; step++) {
            struct verdict split = feed(cases[i].bytes, n, step);
            if (!CHECK(split.ok == whole.ok && (whole.ok || strcmp(split.error, whole.error) == 0)))
                printf("  case %zu, reads of %zu: another verdict\n", i, step);
        }
    }
}

static void test_the_requests_before_a_fault_are_handed_over(void)
{
    const char *s = GET POST "Content-Length: 2\r\n\r\nab" "GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
    struct verdict v = feed(s, strlen(s), 0);
    CHECK(!v.ok);
    CHECK_INT(v.good, strlen(GET POST "Content-Length: 2\r\n\r\nab"));
    /* read a byte at a time, the bad request began in an earlier read */
    struct frame f;
    frame_init(&f);
    size_t good = 99, at = 0;
    for (; at < strlen(s); at++)
        if (!frame_feed(&f, (const unsigned char *)s + at, 1, &good))
            break;
    CHECK(at < strlen(s));
    CHECK_INT(good, 0);
    /* after a fault, every read is refused */
    CHECK(!frame_feed(&f, (const unsigned char *)GET, strlen(GET), &good));
}

static void test_a_body_is_never_read_as_a_request(void)
{
    /* the smuggled request is the body: read through, never as a head */
    const char *s = POST "Content-Length: 35\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\nHost: i\r\n" GET;
    CHECK(feed(s, strlen(s), 0).ok);
    CHECK(feed(s, strlen(s), 3).ok);
}

int main(void)
{
    RUN(test_refused_and_read_through_the_same_whatever_the_split);
    RUN(test_the_requests_before_a_fault_are_handed_over);
    RUN(test_a_body_is_never_read_as_a_request);
    return check_finish();
}
