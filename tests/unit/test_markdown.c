/* test_markdown.c: unit tests of server/views/markdown.h: guidance Markdown
 * to HTML, UK phone numbers in its text as tel: links whose text cannot
 * break across lines, and every other figure (years, dates, times, money,
 * counts) left as it was. */
#include "check.h"
#include "views/markdown.h"

#include <stdlib.h>
#include <string.h>

#define NBSP "\xc2\xa0"

static char *last;

/* The HTML for md; valid until the next call. */
static const char *md(const char *s)
{
    free(last);
    last = markdown_to_html(s);
    return last;
}

/* Whether the HTML for s contains no link at all. */
static bool no_link(const char *s)
{
    return strstr(md(s), "<a ") == NULL;
}

/* ---- numbers that become links ------------------------------------------- */

static void test_national_number_becomes_a_tel_link_with_no_break_spaces(void)
{
    CHECK_STR(md("You can call the NSPCC Helpline on 0808 800 5000 or email them."),
              "<p>You can call the NSPCC Helpline on <a href=\"tel:08088005000\">0808" NBSP
              "800" NBSP "5000</a> or email them.</p>\n");
}

static void test_freephone_8_digit_number_is_linked(void)
{
    CHECK_STR(md("Talk to Childline on 0800 1111. It is free."),
              "<p>Talk to Childline on <a href=\"tel:08001111\">0800" NBSP
              "1111</a>. It is free.</p>\n");
}

static void test_other_national_groupings_are_linked(void)
{
    CHECK(strstr(md("Helpline: 0344 381 4772"), "<a href=\"tel:03443814772\">0344" NBSP "381" NBSP
                 "4772</a>") != NULL);
    CHECK(strstr(md("freephone helpline: 0808 1000 900."), "<a href=\"tel:08081000900\">0808" NBSP
                 "1000" NBSP "900</a>.") != NULL);
    CHECK(strstr(md("London 020 7946 0958"), "<a href=\"tel:02079460958\">") != NULL);
    CHECK(strstr(md("Derby (01332 123456)"), "(<a href=\"tel:01332123456\">01332" NBSP
                 "123456</a>)") != NULL);
    CHECK(strstr(md("or 08088005000 today"), "<a href=\"tel:08088005000\">08088005000</a>") != NULL);
}

static void test_international_form_is_linked_with_plus_44(void)
{
    CHECK(strstr(md("From abroad: +44 808 800 5000."), "<a href=\"tel:+448088005000\">+44" NBSP
                 "808" NBSP "800" NBSP "5000</a>.") != NULL);
    CHECK(strstr(md("From abroad: +44 (0)808 800 5000"), "<a href=\"tel:+448088005000\">+44" NBSP
                 "(0)808" NBSP "800" NBSP "5000</a>") != NULL);
}

static void test_116_numbers_are_linked(void)
{
    CHECK_STR(md("Samaritans: 116 123, any time."),
              "<p>Samaritans: <a href=\"tel:116123\">116" NBSP "123</a>, any time.</p>\n");
    CHECK(strstr(md("Ring 116000"), "<a href=\"tel:116000\">116000</a>") != NULL);
}

static void test_999_is_linked_after_a_verb_of_calling(void)
{
    CHECK_STR(md("**If a child is in immediate danger, call 999.**"),
              "<p><strong>If a child is in immediate danger, call "
              "<a href=\"tel:999\">999</a>.</strong></p>\n");
    CHECK(strstr(md("Dial 112 in an emergency"), "<a href=\"tel:112\">112</a>") != NULL);
    CHECK(strstr(md("For the police, phone 101."), "<a href=\"tel:101\">101</a>") != NULL);
    CHECK(strstr(md("Calling 111 is free"), "<a href=\"tel:111\">111</a>") != NULL);
}

static void test_several_numbers_in_one_text_and_list_items(void)
{
    const char *html = md("- Childline: 0800 1111\n- NSPCC: 0808 800 5000, or call 999\n");
    CHECK(strstr(html, "<li>Childline: <a href=\"tel:08001111\">") != NULL);
    CHECK(strstr(html, "<li>NSPCC: <a href=\"tel:08088005000\">0808" NBSP "800" NBSP
                       "5000</a>, or call <a href=\"tel:999\">999</a></li>") != NULL);
}

/* ---- figures that stay as they are ---------------------------------------- */

static void test_years_and_acts_are_not_numbers(void)
{
    CHECK(no_link("The Serious Crime Act 2015 amended the Sexual Offences Act 2003."));
    CHECK(no_link("First published in December 2020, updated 2024 2025."));
}

static void test_dates_times_and_ages_are_not_numbers(void)
{
    CHECK(no_link("Reported on 01/02/2020 and 2020-02-01."));
    CHECK(no_link("Open 09:00 to 17:00, 0900 to 1700."));
    CHECK(no_link("Under 16 years of age; ages 0 to 5; 01 02 2020."));
}

static void test_money_versions_and_counts_are_not_numbers(void)
{
    CHECK(no_link("It costs £0.99 or 0.30 a minute, 999 schools took part."));
    CHECK(no_link("999 people, 112 pages, 101 ideas and 111 volunteers."));
    CHECK(no_link("Charity number 0123456 and company 00037263."));
}

static void test_numbers_glued_to_other_characters_are_not_numbers(void)
{
    CHECK(no_link("ref A0808 800 5000 and x08088005000"));
    CHECK(no_link("0808-800-5000 is written with hyphens"));
    CHECK(no_link("0808 800 5000/1 and 0808 800 5000%"));
    CHECK(no_link("0808 800 50001 has too many digits, 0808 800 has too few"));
    CHECK(no_link("call 9999 or call 99"));
    CHECK(no_link("116 1234 and 1161234 are not 116 numbers"));
}

static void test_numbers_inside_links_code_and_images_are_left_alone(void)
{
    const char *html = md("[Call 0808 800 5000](https://www.nspcc.org.uk/) and `0800 1111`");
    CHECK_STR(html, "<p><a href=\"https://www.nspcc.org.uk/\">Call 0808 800 5000</a> and "
                    "<code>0800 1111</code></p>\n");
    CHECK(strstr(md("    0808 800 5000\n"), "tel:") == NULL);   /* a code block */
    CHECK(strstr(md("![0808 800 5000](x.png)"), "tel:") == NULL);
}

static void test_still_safe_mode(void)
{
    const char *html = md("<script>alert(1)</script>\n\n[x](javascript:alert(1)) 0800 1111");
    CHECK(strstr(html, "<script") == NULL);
    CHECK(strstr(html, "javascript:") == NULL);
    CHECK(strstr(html, "<a href=\"tel:08001111\">") != NULL);
    CHECK_STR(md(NULL), "");
}

int main(void)
{
    RUN(test_national_number_becomes_a_tel_link_with_no_break_spaces);
    RUN(test_freephone_8_digit_number_is_linked);
    RUN(test_other_national_groupings_are_linked);
    RUN(test_international_form_is_linked_with_plus_44);
    RUN(test_116_numbers_are_linked);
    RUN(test_999_is_linked_after_a_verb_of_calling);
    RUN(test_several_numbers_in_one_text_and_list_items);
    RUN(test_years_and_acts_are_not_numbers);
    RUN(test_dates_times_and_ages_are_not_numbers);
    RUN(test_money_versions_and_counts_are_not_numbers);
    RUN(test_numbers_glued_to_other_characters_are_not_numbers);
    RUN(test_numbers_inside_links_code_and_images_are_left_alone);
    RUN(test_still_safe_mode);
    free(last);
    return check_finish();
}
