/* porter.c: see porter.h. The steps and their names follow Porter's paper
 * ("An algorithm for suffix stripping", 1980); b[0..k] is the word being
 * stemmed, j marks where a matched suffix starts. */
#include "lib/porter.h"

#include <stdbool.h>
#include <string.h>

struct stem {
    char b[PORTER_MAX + 1];
    int k, j;
};

/* True when b[i] is a consonant. */
static bool cons(const struct stem *z, int i)
{
    switch (z->b[i]) {
    case 'a': case 'e': case 'i': case 'o': case 'u':
        return false;
    case 'y':
        return i == 0 ? true : !cons(z, i - 1);
    }
    return true;
}

/* m(): the number of vowel-consonant sequences in b[0..j]. */
static int measure(const struct stem *z)
{
    int n = 0, i = 0;
    for (;;) {
        if (i > z->j)
            return n;
        if (!cons(z, i))
            break;
        i++;
    }
    i++;
    for (;;) {
        for (;;) {
            if (i > z->j)
                return n;
            if (cons(z, i))
                break;
            i++;
        }
        i++;
        n++;
        for (;;) {
            if (i > z->j)
                return n;
            if (!cons(z, i))
                break;
            i++;
        }
        i++;
    }
}

/* *v*: b[0..j] contains a vowel. */
static bool vowel_in_stem(const struct stem *z)
{
    for (int i = 0; i <= z->j; i++)
        if (!cons(z, i))
            return true;
    return false;
}

/* *d: b[j-1..j] is a double consonant. */
static bool double_cons(const struct stem *z, int j)
{
    return j >= 1 && z->b[j] == z->b[j - 1] && cons(z, j);
}

/* *o: b[i-2..i] is consonant-vowel-consonant and the last is not w, x, y. */
static bool cvc(const struct stem *z, int i)
{
    if (i < 2 || !cons(z, i) || cons(z, i - 1) || !cons(z, i - 2))
        return false;
    char ch = z->b[i];
    return ch != 'w' && ch != 'x' && ch != 'y';
}

/* True when b[0..k] ends with s, and then j is where it starts. */
static bool ends(struct stem *z, const char *s)
{
    int len = (int)strlen(s);
    /* A suffix is the whole word never (as FTS5 has it: "ies" stems to
     * "ie"). */
    if (len >= z->k + 1 || memcmp(z->b + z->k - len + 1, s, (size_t)len) != 0)
        return false;
    z->j = z->k - len;
    return true;
}

/* Replaces b[j+1..k] with s. */
static void set_to(struct stem *z, const char *s)
{
    int len = (int)strlen(s);
    memcpy(z->b + (z->j + 1), s, (size_t)len);
    z->k = z->j + len;
}

static void step1ab(struct stem *z)
{
    if (z->b[z->k] == 's') {
        if (ends(z, "sses"))
            z->k -= 2;
        else if (ends(z, "ies"))
            set_to(z, "i");
        else if (z->b[z->k - 1] != 's')
            z->k--;
    }
    if (ends(z, "eed")) {
        if (measure(z) > 0)
            z->k--;
    } else if ((ends(z, "ed") || ends(z, "ing")) && vowel_in_stem(z)) {
        z->k = z->j;
        if (ends(z, "at"))
            set_to(z, "ate");
        else if (ends(z, "bl"))
            set_to(z, "ble");
        else if (ends(z, "iz"))
            set_to(z, "ize");
        else if (double_cons(z, z->k)) {
            char ch = z->b[z->k];
            if (ch != 'l' && ch != 's' && ch != 'z')
                z->k--;
        } else {
            z->j = z->k;
            if (measure(z) == 1 && cvc(z, z->k))
                set_to(z, "e");
        }
    }
}

static void step1c(struct stem *z)
{
    if (ends(z, "y") && vowel_in_stem(z))
        z->b[z->k] = 'i';
}

struct rule {
    const char *from, *to;
};

/* Applies the first rule whose suffix matches, when m() > min. */
static void apply(struct stem *z, const struct rule *rules, int min)
{
    for (const struct rule *r = rules; r->from; r++) {
        if (ends(z, r->from)) {
            if (measure(z) > min)
                set_to(z, r->to);
            return;
        }
    }
}

static void step2(struct stem *z)
{
    static const struct rule rules[] = {
        {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"},
        {"izer", "ize"},    {"bli", "ble"},     {"alli", "al"},   {"entli", "ent"},
        {"eli", "e"},       {"ousli", "ous"},   {"ization", "ize"}, {"ation", "ate"},
        {"ator", "ate"},    {"alism", "al"},    {"iveness", "ive"}, {"fulness", "ful"},
        {"ousness", "ous"}, {"aliti", "al"},    {"iviti", "ive"},   {"biliti", "ble"},
        {"logi", "log"},    {NULL, NULL}};
    apply(z, rules, 0);
}

static void step3(struct stem *z)
{
    static const struct rule rules[] = {
        {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"},
        {"ical", "ic"},  {"ful", ""},   {"ness", ""},    {NULL, NULL}};
    apply(z, rules, 0);
}

static void step4(struct stem *z)
{
    static const char *const suffixes[] = {
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
        "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize", NULL};
    for (int i = 0; suffixes[i]; i++) {
        if (!ends(z, suffixes[i]))
            continue;
        if (strcmp(suffixes[i], "ion") == 0 &&
            !(z->j >= 0 && (z->b[z->j] == 's' || z->b[z->j] == 't')))
            return;
        if (measure(z) > 1)
            z->k = z->j;
        return;
    }
}

static void step5(struct stem *z)
{
    z->j = z->k;
    if (z->b[z->k] == 'e') {
        int m = measure(z);
        if (m > 1 || (m == 1 && !cvc(z, z->k - 1)))
            z->k--;
    }
    if (z->b[z->k] == 'l' && double_cons(z, z->k) && measure(z) > 1)
        z->k--;
}

size_t porter_stem(const char *w, size_t n, char *out)
{
    bool plain = n >= 3 && n <= PORTER_MAX;
    for (size_t i = 0; plain && i < n; i++)
        plain = w[i] >= 'a' && w[i] <= 'z';
    if (!plain) {
        memcpy(out, w, n);
        out[n] = '\0';
        return n;
    }
    struct stem z;
    memcpy(z.b, w, n);
    z.k = (int)n - 1;
    z.j = 0;
    step1ab(&z);
    if (z.k > 0) {
        step1c(&z);
        step2(&z);
        step3(&z);
        step4(&z);
        step5(&z);
    }
    memcpy(out, z.b, (size_t)z.k + 1);
    out[z.k + 1] = '\0';
    return (size_t)z.k + 1;
}
