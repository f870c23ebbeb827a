/* test_multipart.c: multipart_parse on what Chromium and Firefox send for
 * a form with a file, and on broken or hostile bodies. */
#include "check.h"
#include "lib/multipart.h"

#include <string.h>

static struct multipart m;
#define CT "multipart/form-data; boundary=----WebKitFormBoundaryx7Yq2"
#define B "------WebKitFormBoundaryx7Yq2"

static bool parse(const char *ct, const char *body)
{
    return multipart_parse(ct, body, strlen(body), &m);
}

static void reads_a_form_with_a_file_as_a_browser_sends_it(void)
{
    const char *body = B "\r\n"
                       "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                       "tok123\r\n" B "\r\n"
                       "Content-Disposition: form-data; name=\"file\"; filename=\"dir.json\"\r\n"
                       "Content-Type: application/json\r\n\r\n"
                       "{\"a\":\r\n1}\r\n" B "--\r\n";
    if (!CHECK(parse(CT, body)))
        return;
    CHECK_INT(m.n, 2);
    CHECK_STR(m.parts[0].name, "csrf");
    CHECK(!m.parts[0].has_filename);
    CHECK_INT(m.parts[0].len, 6);
    CHECK(memcmp(m.parts[0].data, "tok123", 6) == 0);
    const struct multipart_part *f = multipart_get(&m, "file");
    if (!CHECK(f != NULL))
        return;
    CHECK_STR(f->filename, "dir.json");
    CHECK_STR(f->type, "application/json");
    CHECK_INT(f->len, 9);
    CHECK(memcmp(f->data, "{\"a\":\r\n1}", 9) == 0);
    CHECK(multipart_get(&m, "nope") == NULL);
}

static void keeps_binary_data_and_empty_files(void)
{
    static const char body[] = B "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n"
                               "\r\n\0\x01\xff\r\n" B "--";
    if (!CHECK(multipart_parse(CT, body, sizeof body - 1, &m)))
        return;
    CHECK_INT(m.parts[0].len, 3);
    CHECK(m.parts[0].has_filename);
    CHECK_STR(m.parts[0].filename, "");
    CHECK(parse(CT, B "\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n" B "--"));
    CHECK_INT(m.parts[0].len, 0);
}

static void takes_the_boundary_quoted_or_not_and_a_preamble(void)
{
    CHECK(parse("multipart/form-data; charset=utf-8; boundary=\"a b'c\"",
                "preamble\r\n--a b'c\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a b'c--epilogue"));
    CHECK_STR(m.parts[0].name, "x");
    CHECK(parse("Multipart/Form-Data;boundary=zz",
                "--zz\r\ncontent-disposition: form-data; name=\"q\\\"uote\"\r\n\r\nv\r\n--zz--"));
    CHECK_STR(m.parts[0].name, "q\"uote");
}

static void refuses_what_is_not_multipart_form_data(void)
{
    CHECK(!parse(NULL, "x"));
    CHECK(!parse("application/x-www-form-urlencoded", "a=1"));
    CHECK(!parse("multipart/form-data", "--x\r\n"));                 /* no boundary */
    CHECK(!parse("multipart/form-data; boundary=", "--\r\n"));
    CHECK(!parse("multipart/form-data; boundary=\"unterminated", "x"));
    CHECK(!parse("multipart/form-data; boundary=" /* 71 characters */
                 "12345678901234567890123456789012345678901234567890123456789012345678901",
                 "x"));
    CHECK(!parse("multipart/mixed; boundary=x", "--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--"));
    CHECK(m.error != NULL);
    static const char one[] = "--a\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a--";
    CHECK(parse("multipart/form-data; boundary=a", one));
    CHECK_STR(m.boundary, "a");
    CHECK(!parse("multipart/form-data; boundary=a; boundary=b", one));   /* which one? */
    CHECK(!parse("multipart/form-data; x\"=1; boundary=a", one));
    CHECK(!parse("multipart/form-data; boundary=a junk", one));
    CHECK(!parse("multipart/form-data-x; boundary=a", one));
}

static void reads_parameters_whole_never_inside_a_quoted_name(void)
{
    /* "; filename=" inside the quoted name is part of the name. */
    CHECK(parse(CT, B "\r\nContent-Disposition: form-data; name=\"a; filename=evil.sh\"\r\n\r\n1\r\n" B "--"));
    CHECK_STR(m.parts[0].name, "a; filename=evil.sh");
    CHECK(!m.parts[0].has_filename);
    CHECK(!parse(CT, B "\r\nContent-Disposition: form-data; name=\"a\"junk\r\n\r\n1\r\n" B "--"));
    CHECK(!parse(CT, B "\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n1\r\n" B "--"));
    CHECK(!parse(CT, B "\r\nContent-Disposition: form-data; name=a; filename=x; filename=y\r\n\r\n1\r\n" B "--"));
}

static void refuses_broken_bodies(void)
{
    CHECK(!parse(CT, ""));
    CHECK(!parse(CT, "no delimiter at all"));
    CHECK(!parse(CT, B "--"));                                        /* no parts */
    CHECK(!parse(CT, B "\r\nContent-Disposition: form-data; name=a\r\n\r\ncut short"));
    CHECK(!parse(CT, B "\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n" B));
    CHECK(!parse(CT, B "\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n" B "--"));
    CHECK(!parse(CT, B "\r\nContent-Disposition: form-data\r\n\r\n1\r\n" B "--"));
    CHECK(!parse(CT, B "\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n" B "--"));
    CHECK(!parse(CT, B "\r\nContent-Type: text/plain\r\n\r\n1\r\n" B "--"));
    CHECK(!parse(CT, B "\r\n\r\n1\r\n" B "--"));
    CHECK(!parse(CT, B "\r\nno colon here\r\n\r\n1\r\n" B "--"));
    CHECK(!parse(CT, B "\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n\r\n1\r\n" B "--"));
    CHECK(!parse(CT, B "\nContent-Disposition: form-data; name=a\n\n1\n" B "--"));   /* bare LF */
    CHECK(!parse(CT, B "\r\nContent-Disposition: form-data; name=\"a\x01\"\r\n\r\n1\r\n" B "--"));
}

static void bounds_parts_headers_and_names(void)
{
    char body[8192] = "";
    for (int i = 0; i < MULTIPART_MAX_PARTS + 1; i++)
        strcat(body, B "\r\nContent-Disposition: form-data; name=p\r\n\r\nv\r\n");
    strcat(body, B "--");
    CHECK(!parse(CT, body));
    strcpy(body, B "\r\nContent-Disposition: form-data; name=\"");
    for (int i = 0; i < MULTIPART_MAX_NAME; i++)
        strcat(body, "n");
    strcat(body, "\"\r\n\r\nv\r\n" B "--");
    CHECK(!parse(CT, body));
    strcpy(body, B "\r\n");
    for (int i = 0; i < MULTIPART_MAX_HEADERS; i++)
        strcat(body, "X-A: 1\r\n");
    strcat(body, "Content-Disposition: form-data; name=a\r\n\r\nv\r\n" B "--");
    CHECK(!parse(CT, body));
}

int main(void)
{
    RUN(reads_a_form_with_a_file_as_a_browser_sends_it);
    RUN(keeps_binary_data_and_empty_files);
    RUN(takes_the_boundary_quoted_or_not_and_a_preamble);
    RUN(refuses_what_is_not_multipart_form_data);
    RUN(reads_parameters_whole_never_inside_a_quoted_name);
    RUN(refuses_broken_bodies);
    RUN(bounds_parts_headers_and_names);
    return check_finish();
}
