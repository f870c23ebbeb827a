/* test_buf.c: unit tests of server/buf.h, the growable output buffer. */
#include "lib/buf.h"
#include "check.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static void test_new_buffer_is_empty_string(void)
{
    struct buf b = BUF_INIT;
    CHECK(b.data == NULL);
    CHECK_INT(b.len, 0);
    CHECK_STR(buf_str(&b), "");
    struct buf c;
    buf_init(&c);
    CHECK(c.data == NULL);
    CHECK_INT(c.len, 0);
    CHECK_INT(c.cap, 0);
}

static void test_append_grows_past_initial_capacity(void)
{
    struct buf b = BUF_INIT;
    char expect[10000];
    for (size_t i = 0; i < sizeof expect; i++)
        expect[i] = (char)('a' + i % 26);
    for (size_t i = 0; i < sizeof expect; i += 7) {
        size_t n = sizeof expect - i < 7 ? sizeof expect - i : 7;
        buf_append(&b, expect + i, n);
    }
    CHECK_INT(b.len, sizeof expect);
    CHECK(b.cap > b.len);
    if (CHECK(b.data != NULL)) {
        CHECK(memcmp(b.data, expect, sizeof expect) == 0);
        CHECK_INT(b.data[b.len], '\0');
    }
    buf_reset(&b);
}

static void test_putc_and_puts_append_in_order(void)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < 1000; i++)
        buf_putc(&b, (char)('0' + i % 10));
    buf_puts(&b, "end");
    CHECK_INT(b.len, 1003);
    CHECK_INT(strlen(buf_str(&b)), 1003);
    CHECK(strncmp(buf_str(&b), "0123456789", 10) == 0);
    CHECK_STR(buf_str(&b) + 990, "0123456789end");
    buf_reset(&b);
}

static void test_append_keeps_embedded_nul_and_terminates(void)
{
    struct buf b = BUF_INIT;
    buf_append(&b, "a\0b", 3);
    CHECK_INT(b.len, 3);
    CHECK(memcmp(b.data, "a\0b", 4) == 0);
    buf_append(&b, "", 0);
    CHECK_INT(b.len, 3);
    buf_reset(&b);
}

static void test_grow_reserves_room_without_moving_on_later_appends(void)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "x");
    buf_grow(&b, 5000);
    CHECK(b.cap >= b.len + 5000 + 1);
    CHECK_INT(b.len, 1);
    CHECK_STR(buf_str(&b), "x");
    char *before = b.data;
    for (int i = 0; i < 5000; i++)
        buf_putc(&b, 'y');
    CHECK(b.data == before);
    CHECK_INT(b.len, 5001);
    buf_reset(&b);
}

static void test_printf_short(void)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s=%d", "n", 42);
    buf_printf(&b, "|%05.1f", 3.14159);
    CHECK_STR(buf_str(&b), "n=42|003.1");
    CHECK_INT(b.len, strlen("n=42|003.1"));
    buf_reset(&b);
}

static void test_printf_longer_than_256_bytes(void)
{
    char big[1001];
    memset(big, 'z', 1000);
    big[1000] = '\0';
    struct buf b = BUF_INIT;
    buf_printf(&b, "<%s>%d", big, 7);
    CHECK_INT(b.len, 1003);
    CHECK_INT(strlen(buf_str(&b)), 1003);
    CHECK_INT(buf_str(&b)[0], '<');
    CHECK(strncmp(buf_str(&b) + 1, big, 1000) == 0);
    CHECK_STR(buf_str(&b) + 1001, ">7");
    buf_reset(&b);
}

static void test_printf_long_appends_after_existing_content(void)
{
    char big[600];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    struct buf b = BUF_INIT;
    buf_puts(&b, "head:");
    buf_printf(&b, "%s", big);
    buf_puts(&b, ":tail");
    CHECK_INT(b.len, 5 + 599 + 5);
    CHECK(strncmp(buf_str(&b), "head:qqq", 8) == 0);
    CHECK_STR(buf_str(&b) + 5 + 599, ":tail");
    buf_reset(&b);
}

/* Lengths 255, 256, 257 straddle the on-stack first attempt in buf_printf. */
static void test_printf_around_256_byte_boundary(void)
{
    for (int n = 250; n <= 260; n++) {
        char s[300];
        memset(s, 'a' + n % 26, (size_t)n);
        s[n] = '\0';
        struct buf b = BUF_INIT;
        buf_printf(&b, "%s", s);
        CHECK_INT(b.len, n);
        CHECK_STR(buf_str(&b), s);
        buf_reset(&b);
    }
}

static void test_detach_hands_over_storage_and_resets(void)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "hello");
    size_t len = 0;
    char *d = buf_detach(&b, &len);
    CHECK_STR(d, "hello");
    CHECK_INT(len, 5);
    CHECK(b.data == NULL);
    CHECK_INT(b.len, 0);
    CHECK_INT(b.cap, 0);
    CHECK_STR(buf_str(&b), "");
    buf_puts(&b, "again"); /* the buffer is usable after a detach */
    CHECK_STR(buf_str(&b), "again");
    buf_reset(&b);
    free(d);
}

static void test_detach_of_empty_buffer_gives_empty_string(void)
{
    struct buf b = BUF_INIT;
    size_t len = 99;
    char *d = buf_detach(&b, &len);
    if (CHECK(d != NULL))
        CHECK_STR(d, "");
    CHECK_INT(len, 0);
    free(d);
    buf_puts(&b, "x");
    d = buf_detach(&b, NULL); /* len may be NULL */
    CHECK_STR(d, "x");
    free(d);
}

static void test_reset_empties_and_allows_reuse(void)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "some text");
    buf_reset(&b);
    CHECK(b.data == NULL);
    CHECK_INT(b.len, 0);
    CHECK_INT(b.cap, 0);
    CHECK_STR(buf_str(&b), "");
    buf_puts(&b, "new");
    CHECK_STR(buf_str(&b), "new");
    buf_reset(&b);
    buf_reset(&b); /* resetting an empty buffer is harmless */
    CHECK(b.data == NULL);
}

static void test_put_int_writes_every_int64_as_printf_does(void)
{
    static const long long values[] = {0, 7, -7, 10, 99, -100, 1234567890123LL, INT64_MAX,
                                       INT64_MIN, INT64_MIN + 1};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        struct buf b = BUF_INIT, want = BUF_INIT;
        buf_puts(&b, "x");
        buf_put_int(&b, values[i]);
        buf_printf(&want, "x%lld", values[i]);
        CHECK_STR(buf_str(&b), buf_str(&want));
        CHECK_INT(b.len, want.len);
        buf_reset(&b);
        buf_reset(&want);
    }
}

int main(void)
{
    RUN(test_new_buffer_is_empty_string);
    RUN(test_append_grows_past_initial_capacity);
    RUN(test_putc_and_puts_append_in_order);
    RUN(test_append_keeps_embedded_nul_and_terminates);
    RUN(test_grow_reserves_room_without_moving_on_later_appends);
    RUN(test_printf_short);
    RUN(test_printf_longer_than_256_bytes);
    RUN(test_printf_long_appends_after_existing_content);
    RUN(test_printf_around_256_byte_boundary);
    RUN(test_detach_hands_over_storage_and_resets);
    RUN(test_detach_of_empty_buffer_gives_empty_string);
    RUN(test_reset_empties_and_allows_reuse);
    RUN(test_put_int_writes_every_int64_as_printf_does);
    return check_finish();
}
