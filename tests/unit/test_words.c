/* test_words.c: unit tests of reading a search the way people type it
 * (server/lib/words.c): splitting and folding, text-speak and irregular
 * forms, stop words and filler, urgent help and speaking of oneself, and
 * the bounds (WORDS_MAX words, WORD_MAX bytes, any bytes at all). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lib/words.h"

static struct words ws;

static void read_(const char *s)
{
    words_read(s, strlen(s), &ws);
}

/* The normalised words of ws, space-separated, stop words in brackets. */
static const char *shown(void)
{
    static char out[WORDS_MAX * (WORD_MAX + 3)];
    out[0] = '\0';
    for (size_t i = 0; i < ws.n; i++) {
        char one[WORD_MAX + 4];
        snprintf(one, sizeof one, ws.w[i].stop ? "[%s]" : "%s", ws.w[i].text);
        if (i)
            strcat(out, " ");
        strcat(out, one);
    }
    return out;
}

static void test_case_diacritics_and_punctuation_are_folded_as_the_index_does(void)
{
    read_("Caf\xc3\xa9 NA\xc3\x8f" "VE, \xc5\x81\xc3\xb3\x64\xc5\xba!");
    CHECK_STR(shown(), "cafe naive lodz");
    /* apostrophes and hyphens split, as FTS5's unicode61 does */
    read_("don't anti-bullying");
    CHECK_STR(shown(), "don [t] anti bullying");
    CHECK_INT(ws.n_meaningful, 3);
}

static void test_text_speak_and_irregular_forms_are_read(void)
{
    read_("some1 sent ppl pix of u");
    CHECK_STR(shown(), "[someone] sent [people] pics [of] [you]");
    read_("Children kids teens");
    CHECK_STR(shown(), "child child teenager");
    /* typed keeps what was typed (folded), for "Showing results for" */
    CHECK_STR(ws.w[0].typed, "children");
    read_("sextorted h8ers");
    CHECK_STR(shown(), "sextortion haters");
}

static void test_only_whole_words_are_respelled(void)
{
    /* "u" inside a word, or "2" inside a number, is left alone */
    read_("umbrella 2023 u2");
    CHECK_STR(shown(), "umbrella 2023 u2");
}

static void test_stop_words_and_filler_are_marked_not_dropped(void)
{
    read_("what do i do my son is being blackmailed please");
    CHECK_STR(shown(), "[what] [do] [i] [do] [my] [son] [is] [being] blackmailed [please]");
    CHECK_INT(ws.n, 10);
    CHECK_INT(ws.n_meaningful, 1);
    read_("what do i do");
    CHECK_INT(ws.n_meaningful, 0);
    CHECK(words_is_stop("someone") && words_is_stop("my") && !words_is_stop("grooming"));
}

static void test_urgent_help_is_noticed_in_so_many_words(void)
{
    const char *urgent[] = {"help now", "I am in danger", "i want to kill myself",
                            "EMERGENCY", "self-harm", "selfharm", "not safe at home",
                            "he says he will hurt myself", "call 999", "i want to die",
                            "I wanna die", "i want to end my life", "take my own life",
                            "someone is hurting me", "he hurt me", "end it all", "kms", NULL};
    for (int i = 0; urgent[i]; i++) {
        read_(urgent[i]);
        if (!CHECK(ws.urgent))
            printf("    not urgent: %s\n", urgent[i]);
    }
    const char *calm[] = {"online safety", "help with homework", "dangers of gaming", "help",
                          "want to talk to someone", "end of term", "me too", "hurt feelings",
                          NULL};
    /* "dangers" is not "danger": the list is exact, so no false alarm from
     * an ordinary plural we did not choose */
    for (int i = 0; calm[i]; i++) {
        read_(calm[i]);
        if (!CHECK(!ws.urgent))
            printf("    urgent: %s\n", calm[i]);
    }
}

static void test_speaking_of_oneself_is_noticed(void)
{
    read_("I'm worried about my thoughts");
    CHECK(ws.first_person);
    read_("worried about a pupil");
    CHECK(!ws.first_person);
}

static void test_words_and_their_length_are_bounded(void)
{
    char many[WORDS_MAX * 4 * 2 + 1] = "";
    for (int i = 0; i < WORDS_MAX * 2; i++)
        strcat(many, "abc ");
    read_(many);
    CHECK_INT(ws.n, WORDS_MAX);
    char longw[WORD_MAX * 3 + 1];
    memset(longw, 'x', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    read_(longw);
    CHECK_INT(ws.n, 1);
    CHECK_INT(strlen(ws.w[0].text), WORD_MAX);
    read_("");
    CHECK_INT(ws.n, 0);
    CHECK(!ws.urgent && !ws.first_person);
}

static void test_any_bytes_are_read_without_harm(void)
{
    /* bad UTF-8, a cut sequence, NUL inside the length, emoji: words end */
    static const char bytes[] = "ab\xff\xfe" "cd\xc3" "\0ef \xf0\x9f\x98\xa2 gh\xe2\x82";
    words_read(bytes, sizeof bytes - 1, &ws);
    CHECK_STR(shown(), "ab cd ef gh");
    for (size_t i = 0; i < ws.n; i++)
        for (const char *c = ws.w[i].text; *c; c++)
            CHECK((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'));
}

static void test_utf8_and_latin_folding_helpers(void)
{
    unsigned cp;
    CHECK_INT(words_utf8_next((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
    CHECK_INT(cp, 0xE9);
    CHECK_INT(words_utf8_next((const unsigned char *)"\xe2\x80\x99", 3, &cp), 3);
    CHECK_INT(cp, 0x2019);
    CHECK_INT(words_utf8_next((const unsigned char *)"\xe2\x80", 2, &cp), 1);
    CHECK_INT(cp, 0xFFFD);
    CHECK_INT(words_utf8_next((const unsigned char *)"\x80", 1, &cp), 1);
    CHECK_INT(cp, 0xFFFD);
    CHECK(words_fold_latin(0xE9) == 'e' && words_fold_latin(0xC9) == 'e');
    CHECK(words_fold_latin(0x141) == 'l');
    CHECK(words_fold_latin(0xD7) == '\0' && words_fold_latin(0xF7) == '\0');
    CHECK(words_fold_latin('e') == '\0' && words_fold_latin(0x2019) == '\0');
}

int main(void)
{
    RUN(test_case_diacritics_and_punctuation_are_folded_as_the_index_does);
    RUN(test_text_speak_and_irregular_forms_are_read);
    RUN(test_only_whole_words_are_respelled);
    RUN(test_stop_words_and_filler_are_marked_not_dropped);
    RUN(test_urgent_help_is_noticed_in_so_many_words);
    RUN(test_speaking_of_oneself_is_noticed);
    RUN(test_words_and_their_length_are_bounded);
    RUN(test_any_bytes_are_read_without_harm);
    RUN(test_utf8_and_latin_folding_helpers);
    return check_finish();
}
