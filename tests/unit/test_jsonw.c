/* test_jsonw.c: unit tests of server/jsonw.h, the streaming JSON writer.
 * Every test compares the exact output, so a missing or extra comma fails. */
#include "lib/buf.h"
#include "check.h"
#include "views/jsonw.h"

#include <stdint.h>

static struct buf out = BUF_INIT;
static struct jsonw w;

static void start(void)
{
    buf_reset(&out);
    jsonw_init(&w, &out);
}

static void test_empty_object_and_array(void)
{
    start();
    jsonw_obj_open(&w);
    jsonw_obj_close(&w);
    CHECK_STR(buf_str(&out), "{}");
    start();
    jsonw_arr_open(&w);
    jsonw_arr_close(&w);
    CHECK_STR(buf_str(&out), "[]");
}

static void test_object_members_separated_by_commas(void)
{
    start();
    jsonw_obj_open(&w);
    jsonw_kstr(&w, "a", "x");
    jsonw_kint(&w, "b", 2);
    jsonw_key(&w, "c");
    jsonw_bool(&w, true);
    jsonw_obj_close(&w);
    CHECK_STR(buf_str(&out), "{\"a\":\"x\",\"b\":2,\"c\":true}");
}

static void test_array_items_separated_by_commas(void)
{
    start();
    jsonw_arr_open(&w);
    jsonw_int(&w, 1);
    jsonw_str(&w, "two");
    jsonw_null(&w);
    jsonw_bool(&w, false);
    jsonw_arr_close(&w);
    CHECK_STR(buf_str(&out), "[1,\"two\",null,false]");
}

static void test_nested_objects_and_arrays(void)
{
    start();
    jsonw_obj_open(&w);
    jsonw_key(&w, "a");
    jsonw_arr_open(&w);
    jsonw_int(&w, 1);
    jsonw_int(&w, 2);
    jsonw_obj_open(&w);
    jsonw_key(&w, "b");
    jsonw_null(&w);
    jsonw_obj_close(&w);
    jsonw_arr_close(&w);
    jsonw_key(&w, "c");
    jsonw_obj_open(&w);
    jsonw_key(&w, "d");
    jsonw_bool(&w, true);
    jsonw_key(&w, "e");
    jsonw_obj_open(&w);
    jsonw_obj_close(&w);
    jsonw_obj_close(&w);
    jsonw_key(&w, "f");
    jsonw_arr_open(&w);
    jsonw_arr_close(&w);
    jsonw_kstr(&w, "g", "h");
    jsonw_obj_close(&w);
    CHECK_STR(buf_str(&out),
              "{\"a\":[1,2,{\"b\":null}],\"c\":{\"d\":true,\"e\":{}},\"f\":[],\"g\":\"h\"}");
    CHECK_INT(w.depth, 0);
}

static void test_arrays_of_arrays_and_objects(void)
{
    start();
    jsonw_arr_open(&w);
    jsonw_arr_open(&w);
    jsonw_arr_close(&w);
    jsonw_arr_open(&w);
    jsonw_int(&w, 1);
    jsonw_arr_close(&w);
    jsonw_arr_open(&w);
    jsonw_arr_open(&w);
    jsonw_int(&w, 2);
    jsonw_int(&w, 3);
    jsonw_arr_close(&w);
    jsonw_arr_close(&w);
    jsonw_obj_open(&w);
    jsonw_kint(&w, "k", 4);
    jsonw_obj_close(&w);
    jsonw_obj_open(&w);
    jsonw_obj_close(&w);
    jsonw_arr_close(&w);
    CHECK_STR(buf_str(&out), "[[],[1],[[2,3]],{\"k\":4},{}]");
}

static void test_deep_nesting_closes_cleanly(void)
{
    start();
    for (int i = 0; i < JSONW_MAX_DEPTH; i++)
        jsonw_arr_open(&w);
    jsonw_int(&w, 0);
    for (int i = 0; i < JSONW_MAX_DEPTH; i++)
        jsonw_arr_close(&w);
    char expect[2 * JSONW_MAX_DEPTH + 2];
    int n = 0;
    for (int i = 0; i < JSONW_MAX_DEPTH; i++)
        expect[n++] = '[';
    expect[n++] = '0';
    for (int i = 0; i < JSONW_MAX_DEPTH; i++)
        expect[n++] = ']';
    expect[n] = '\0';
    CHECK_STR(buf_str(&out), expect);
    CHECK_INT(w.depth, 0);
}

static void test_int_extremes(void)
{
    start();
    jsonw_arr_open(&w);
    jsonw_int(&w, INT64_MIN);
    jsonw_int(&w, INT64_MAX);
    jsonw_int(&w, 0);
    jsonw_int(&w, -1);
    jsonw_arr_close(&w);
    CHECK_STR(buf_str(&out), "[-9223372036854775808,9223372036854775807,0,-1]");
}

static void test_kstr_null_writes_null(void)
{
    start();
    jsonw_obj_open(&w);
    jsonw_kstr(&w, "a", NULL);
    jsonw_kstr(&w, "b", "");
    jsonw_obj_close(&w);
    CHECK_STR(buf_str(&out), "{\"a\":null,\"b\":\"\"}");
}

static void test_str_null_in_array_writes_null(void)
{
    start();
    jsonw_arr_open(&w);
    jsonw_str(&w, NULL);
    jsonw_str(&w, NULL);
    jsonw_arr_close(&w);
    CHECK_STR(buf_str(&out), "[null,null]");
}

static void test_keys_and_strings_are_escaped(void)
{
    start();
    jsonw_obj_open(&w);
    jsonw_kstr(&w, "a\"b</", "<x>\n");
    jsonw_key(&w, "n");
    jsonw_strn(&w, "a\0b", 3);
    jsonw_obj_close(&w);
    CHECK_STR(buf_str(&out),
              "{\"a\\\"b\\u003c/\":\"\\u003cx\\u003e\\n\",\"n\":\"a\\u0000b\"}");
}

static void test_top_level_scalar(void)
{
    start();
    jsonw_int(&w, 7);
    CHECK_STR(buf_str(&out), "7");
    start();
    jsonw_str(&w, "s");
    CHECK_STR(buf_str(&out), "\"s\"");
}

static void test_appends_after_existing_buffer_content(void)
{
    buf_reset(&out);
    buf_puts(&out, "cb(");
    jsonw_init(&w, &out);
    jsonw_arr_open(&w);
    jsonw_int(&w, 1);
    jsonw_arr_close(&w);
    buf_putc(&out, ')');
    CHECK_STR(buf_str(&out), "cb([1])");
}

int main(void)
{
    RUN(test_empty_object_and_array);
    RUN(test_object_members_separated_by_commas);
    RUN(test_array_items_separated_by_commas);
    RUN(test_nested_objects_and_arrays);
    RUN(test_arrays_of_arrays_and_objects);
    RUN(test_deep_nesting_closes_cleanly);
    RUN(test_int_extremes);
    RUN(test_kstr_null_writes_null);
    RUN(test_str_null_in_array_writes_null);
    RUN(test_keys_and_strings_are_escaped);
    RUN(test_top_level_scalar);
    RUN(test_appends_after_existing_buffer_content);
    buf_reset(&out);
    return check_finish();
}
