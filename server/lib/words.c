/* words.c: see words.h. */
#include "lib/words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Latin letters with diacritics (U+00C0 to U+017F) to their base letter;
 * '\0' where there is none worth having. */
char words_fold_latin(unsigned cp)
{
    static const char latin1[] =   /* U+00C0 .. U+00FF */
        "aaaaaaaceeeeiiii" "dnooooo\0ouuuuyts"
        "aaaaaaaceeeeiiii" "dnooooo\0ouuuuyty";
    static const char ext_a[] =    /* U+0100 .. U+017F */
        "aaaaaaccccccccdd" "ddeeeeeeeeeegggg" "gggghhhhiiiiiiii" "iijjjjkkklllllll"
        "lllnnnnnnnnnoooo" "oooorrrrrrssssss" "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0];
    if (cp >= 0x100 && cp <= 0x17F)
        return ext_a[cp - 0x100];
    return '\0';
}

char words_fold_char(unsigned cp)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
        return (char)cp;
    if (cp >= 'A' && cp <= 'Z')
        return (char)(cp - 'A' + 'a');
    return words_fold_latin(cp);
}

/* Decodes one UTF-8 sequence at s (n bytes left) into *cp; returns its
 * length (1 for a byte that starts no valid sequence). */
size_t words_utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
    if (len == 1 || len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    unsigned v = s[0] & (0x3F >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return len;
}

struct pair {
    const char *from, *to;
};

/* Text-speak and irregular forms, whole words only: cheap and safe. */
static const struct pair respell[] = {
    {"some1", "someone"}, {"sum1", "someone"}, {"any1", "anyone"}, {"ne1", "anyone"},
    {"every1", "everyone"}, {"no1", "noone"}, {"u", "you"}, {"ur", "your"}, {"r", "are"},
    {"ppl", "people"}, {"pls", "please"}, {"plz", "please"}, {"b4", "before"},
    {"2", "to"}, {"4", "for"}, {"gr8", "great"}, {"h8", "hate"}, {"h8ers", "haters"},
    {"h8ing", "hating"}, {"m8", "mate"}, {"m8s", "mates"}, {"l8r", "later"},
    {"2day", "today"}, {"2nite", "tonight"}, {"cos", "because"}, {"coz", "because"},
    {"cuz", "because"}, {"bc", "because"}, {"wat", "what"}, {"wot", "what"},
    {"bf", "boyfriend"}, {"gf", "girlfriend"}, {"idk", "dunno"}, {"thx", "thanks"},
    {"msgs", "messages"}, {"msg", "message"}, {"txt", "text"}, {"txts", "texts"},
    {"pix", "pics"}, {"nudez", "nudes"}, {"sextorted", "sextortion"},
    {"children", "child"}, {"childrens", "child"}, {"kids", "child"}, {"kid", "child"},
    {"men", "man"}, {"women", "woman"}, {"teens", "teenager"}, {"teen", "teenager"},
    {NULL, NULL}};

/* Stop words and filler: the words of a sentence that say nothing about
 * which help is wanted. Sorted, for bsearch. */
static const char *const stops[] = {
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "anybody",
    "anyone", "anything", "are", "as", "asap", "at", "be", "because", "been", "before",
    "being", "boyfriend", "brother", "but", "by", "can", "cant", "could", "dad",
    "daughter", "daughters", "did", "do", "does", "doing", "dont", "dunno", "each",
    "else", "even", "ever", "every", "everyone", "father", "find", "for", "friend",
    "friends", "from", "get", "gets", "getting", "girlfriend", "give", "go", "going",
    "got", "grandchild", "granddaughter", "grandson", "had", "has", "have", "having",
    "he", "hello", "help", "her", "here", "hers", "hi", "him", "his", "how", "husband",
    "i", "if", "im", "in", "into", "is", "isnt", "it", "its", "ive", "just", "keep",
    "keeps", "know", "like", "lot", "lots", "me", "mine", "mom", "more", "mother",
    "much", "mum", "my", "myself", "need", "needs", "nephew", "niece", "no", "noone",
    "not", "now", "of", "off", "ok", "okay", "on", "one", "or", "our", "out", "over",
    "partner", "people", "please", "pupil", "pupils", "really", "s", "she", "should",
    "sister", "so", "some", "somebody", "someone", "something", "son", "sons", "still",
    "student", "students", "t", "thanks", "that", "the", "their", "them", "then",
    "there", "these", "they", "thing", "things", "think", "this", "those", "to", "too",
    "up", "us", "very", "want", "wants", "was", "we", "were", "what", "whats", "when",
    "where", "which", "who", "why", "wife", "will", "with", "would", "yes", "you",
    "your", "yours"};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool words_is_stop(const char *w)
{
    return bsearch(&w, stops, sizeof stops / sizeof stops[0], sizeof stops[0], cmp_str) !=
           NULL;
}

/* Urgent help asked for in so many words: one word, or two with at most
 * two small words between ("want to die", "take my own life"). */
static bool urgent_at(const struct words *out, size_t i)
{
    static const char *const one[] = {"emergency", "danger", "dangerous", "suicide",
                                      "suicidal", "urgent", "urgently", "unsafe", "999",
                                      "selfharm", "overdose", "kms", "killmyself", NULL};
    static const char *const two[][2] = {
        {"help", "now"},    {"right", "now"},    {"kill", "myself"}, {"hurt", "myself"},
        {"harm", "myself"}, {"self", "harm"},    {"end", "my"},      {"not", "safe"},
        {"in", "danger"},   {"immediate", "danger"}, {"want", "die"}, {"wanna", "die"},
        {"end", "life"},    {"take", "life"},    {"hurting", "me"},  {"hurt", "me"},
        {"end", "all"},     {NULL, NULL}};
    static const char *const between[] = {"to", "my", "me", "own", "it", "a", "the", NULL};
    const char *w = out->w[i].text;
    for (int k = 0; one[k]; k++)
        if (strcmp(w, one[k]) == 0)
            return true;
    for (size_t j = i + 1; j < out->n && j <= i + 3; j++) {
        const char *next = out->w[j].text;
        for (int k = 0; two[k][0]; k++)
            if (strcmp(w, two[k][0]) == 0 && strcmp(next, two[k][1]) == 0)
                return true;
        bool small = false;
        for (int k = 0; between[k] && !small; k++)
            small = strcmp(next, between[k]) == 0;
        if (!small)
            break;
    }
    return false;
}

void words_read(const char *text, size_t len, struct words *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    char cur[WORD_MAX + 1];
    size_t n = 0;
    while (out->n < WORDS_MAX) {
        unsigned cp = 0;
        size_t step = i < len ? words_utf8_next(s + i, len - i, &cp) : 0;
        char c = step ? words_fold_char(cp) : '\0';
        if (c) {
            if (n < WORD_MAX)
                cur[n++] = c;
            i += step;
            continue;
        }
        /* Anything else ends a word (spaces, punctuation, apostrophes,
         * hyphens, emoji), as the full-text index's tokenizer reads it. */
        if (n) {
            cur[n] = '\0';
            struct word *w = &out->w[out->n++];
            memcpy(w->typed, cur, n + 1);
            const char *to = cur;
            for (const struct pair *p = respell; p->from; p++)
                if (strcmp(cur, p->from) == 0) {
                    to = p->to;
                    break;
                }
            snprintf(w->text, sizeof w->text, "%s", to);
            w->stop = words_is_stop(w->text);
            n = 0;
        }
        if (!step)
            break;
        i += step;
    }
    static const char *const self[] = {"i", "me", "my", "im", "ive", "myself", "mine", NULL};
    for (size_t k = 0; k < out->n; k++) {
        for (int m = 0; self[m]; m++)
            out->first_person |= strcmp(out->w[k].text, self[m]) == 0;
        out->urgent |= urgent_at(out, k);
        out->n_meaningful += !out->w[k].stop;
    }
}
