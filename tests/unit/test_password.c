/* test_password.c: unit tests of the curators' password rule and hashes
 * (lib/password.h): what is refused and why, what is allowed, the shipped
 * common-password list, and Argon2id hashes through libsodium. */
#include "check.h"
#include "lib/password.h"

#include <sodium.h>
#include <string.h>

static const char *refusal(const char *pw)
{
    return password_refusal(pw, strlen(pw), "jane.doe@example.org", "Jane Doe");
}

static void too_short_is_refused_by_characters_not_bytes(void)
{
    CHECK(refusal("") != NULL);
    CHECK(refusal("elevenchars") != NULL);                 /* 11 */
    CHECK(refusal("twelve chars") == NULL);                /* 12 */
    /* Eleven characters, 22 bytes: still too short. */
    CHECK(refusal("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                  "\xc3\xa9\xc3\xa9") != NULL);
    /* Twelve of them: allowed (no composition rules). */
    CHECK(refusal("\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab\xc3\xa0\xc3\xa2\xc3\xa4\xc3\xa7\xc3\xae"
                  "\xc3\xaf\xc3\xb4\xc3\xb6") == NULL);
}

static void too_long_and_nul_are_refused(void)
{
    char pw[PASSWORD_MAX_BYTES + 2];
    for (size_t i = 0; i < sizeof pw - 1; i++)
        pw[i] = (char)('a' + (i * 7) % 26);
    pw[sizeof pw - 1] = '\0';
    CHECK(password_refusal(pw, PASSWORD_MAX_BYTES, NULL, NULL) == NULL);
    CHECK(password_refusal(pw, PASSWORD_MAX_BYTES + 1, NULL, NULL) != NULL);
    CHECK(password_refusal("a long pass\0phrase", 18, NULL, NULL) != NULL);
}

static void common_passwords_are_refused_in_any_case(void)
{
    CHECK(password_is_common("password", 8));
    CHECK(password_is_common("123qweasdzxc", 12));
    CHECK(!password_is_common("Password", 8));          /* the list is lowercase */
    CHECK(!password_is_common("zz-not-a-common-one", 19));
    CHECK(!password_is_common("", 0));
    CHECK(refusal("123qweasdzxc") != NULL);
    CHECK(refusal("1QAZ2WSX3EDC") != NULL);
}

static void a_common_word_with_digits_or_symbols_added_is_refused(void)
{
    CHECK(refusal("Password2024!") != NULL);
    CHECK(refusal("!!!Dragon123456") != NULL);
    CHECK(refusal("football1234") != NULL);
    CHECK(refusal("  letmein  12") != NULL);
    /* Words inside a longer phrase are fine. */
    CHECK(refusal("dragon football 12") == NULL);
}

static void runs_of_few_or_consecutive_characters_are_refused(void)
{
    CHECK(refusal("aaaaaaaaaaaaaaaa") != NULL);
    CHECK(refusal("abababababababab") != NULL);
    CHECK(refusal("abcabcabcabcabc") != NULL);
    CHECK(refusal("abcdefghijklmnop") != NULL);
    CHECK(refusal("zyxwvutsrqponm") != NULL);
    CHECK(refusal("0123456789:;") != NULL);
}

static void the_person_and_the_service_are_refused(void)
{
    CHECK(refusal("jane.doe@example.org") != NULL);
    CHECK(refusal("JANE.DOE@EXAMPLE.ORG!") != NULL);
    CHECK(refusal("jane.doe2025!!") != NULL);           /* the address's local part */
    CHECK(refusal("JaneDoe123456") != NULL);            /* the name, spaces removed */
    CHECK(refusal("signpost2026!!") != NULL);
    CHECK(password_refusal("jane.doe2025!!", 14, NULL, NULL) == NULL);
    CHECK(refusal("jane doe likes quiet rivers") == NULL);
}

static void ordinary_passphrases_are_allowed(void)
{
    CHECK(refusal("correct horse battery staple") == NULL);
    CHECK(refusal("Tea at four, then the allotment") == NULL);
    CHECK(refusal("mj4#kq9!zr2@wp") == NULL);
}

static void hashes_verify_only_their_password(void)
{
    char hash[PASSWORD_HASH_BYTES];
    const char *pw = "correct horse battery staple";
    if (!CHECK(password_hash(pw, strlen(pw), hash)))
        return;
    CHECK(strncmp(hash, "$argon2id$v=19$m=65536,t=2,p=1$", 31) == 0);
    CHECK(password_verify(hash, pw, strlen(pw)));
    CHECK(!password_verify(hash, "correct horse battery stapl", 27));
    CHECK(!password_verify(hash, "Correct horse battery staple", 28));
    CHECK(!password_needs_rehash(hash));
    char again[PASSWORD_HASH_BYTES];
    CHECK(password_hash(pw, strlen(pw), again));
    CHECK(strcmp(hash, again) != 0);                    /* a new salt each time */
}

static void malformed_or_other_hashes_never_match(void)
{
    const char *pw = "correct horse battery staple";
    CHECK(!password_verify(NULL, pw, strlen(pw)));
    CHECK(!password_verify("", pw, strlen(pw)));
    CHECK(!password_verify("$argon2id$", pw, strlen(pw)));
    CHECK(!password_verify("$argon2id$v=19$m=65536,t=2,p=1$AAAA$BBBB", pw, strlen(pw)));
    char hash[PASSWORD_HASH_BYTES];
    /* An Argon2i hash of the right password is refused: only Argon2id. */
    if (CHECK(crypto_pwhash_argon2i_str(hash, pw, strlen(pw), 3, 8u << 20) == 0))
        CHECK(!password_verify(hash, pw, strlen(pw)));
    /* Older, cheaper parameters still verify, and ask for a rehash. */
    if (CHECK(crypto_pwhash_argon2id_str(hash, pw, strlen(pw), 1, 8u << 20) == 0)) {
        CHECK(password_verify(hash, pw, strlen(pw)));
        CHECK(password_needs_rehash(hash));
    }
    char longpw[PASSWORD_MAX_BYTES + 1];
    memset(longpw, 'x', sizeof longpw);
    CHECK(!password_hash(longpw, sizeof longpw, hash));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(too_short_is_refused_by_characters_not_bytes);
    RUN(too_long_and_nul_are_refused);
    RUN(common_passwords_are_refused_in_any_case);
    RUN(a_common_word_with_digits_or_symbols_added_is_refused);
    RUN(runs_of_few_or_consecutive_characters_are_refused);
    RUN(the_person_and_the_service_are_refused);
    RUN(ordinary_passphrases_are_allowed);
    RUN(hashes_verify_only_their_password);
    RUN(malformed_or_other_hashes_never_match);
    return check_finish();
}
