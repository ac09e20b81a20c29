/*
 * test_password.c - argon2id hashing and the stored password record with
 * the 16-character truncation rule of msnp.md 2.6.2 (password.h).
 *
 * Hashing uses libsodium's minimum passes and 8 MiB so the suite stays
 * fast; the parameters are stored in the hash, so verification does not
 * depend on them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "password.h"

#define OPS crypto_pwhash_OPSLIMIT_MIN
#define MEM_KIB 8192

#define LONG_PW "correct horse battery staple" /* 28 characters */
#define LONG_PW_16 "correct horse ba"

static void test_hash_and_verify(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_SIZE];
    assert_int_equal(password_hash("s3cr,t", OPS, MEM_KIB, h), PASSWORD_OK);
    assert_memory_equal(h, "$argon2id$", 10);
    assert_null(strchr(h, '\n'));
    assert_true(password_verify(h, "s3cr,t"));
    assert_false(password_verify(h, "s3cr,T"));
    assert_false(password_verify(h, "s3cr,t "));
    assert_false(password_verify(h, ""));
    assert_false(password_verify("not a hash", "s3cr,t"));
    assert_false(password_verify(NULL, "x"));
    assert_false(password_verify(h, NULL));

    /* A fresh salt every time. */
    char h2[PASSWORD_HASH_SIZE];
    assert_int_equal(password_hash("s3cr,t", OPS, MEM_KIB, h2), PASSWORD_OK);
    assert_string_not_equal(h, h2);
    assert_true(password_verify(h2, "s3cr,t"));
}

static void test_hash_rejects_bad_input(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_SIZE];
    assert_int_equal(password_hash(NULL, OPS, MEM_KIB, h), PASSWORD_E_INVALID);
    assert_int_equal(password_hash("", OPS, MEM_KIB, h), PASSWORD_E_INVALID);
    assert_int_equal(password_hash("pw", 0, MEM_KIB, h), PASSWORD_E_INVALID);
    assert_int_equal(password_hash("pw", OPS, 0, h), PASSWORD_E_INVALID);

    char *huge = malloc(PASSWORD_MAX_BYTES + 2);
    assert_non_null(huge);
    memset(huge, 'x', PASSWORD_MAX_BYTES + 1);
    huge[PASSWORD_MAX_BYTES + 1] = '\0';
    assert_int_equal(password_hash(huge, OPS, MEM_KIB, h), PASSWORD_E_INVALID);
    huge[PASSWORD_MAX_BYTES] = '\0'; /* exactly the limit is fine */
    assert_int_equal(password_hash(huge, OPS, MEM_KIB, h), PASSWORD_OK);
    assert_true(password_verify(h, huge));
    free(huge);
}

static void test_record_without_truncation(void **state)
{
    (void)state;
    char *rec = NULL;
    assert_int_equal(password_record_new(LONG_PW, OPS, MEM_KIB, false, &rec), PASSWORD_OK);
    assert_null(strchr(rec, '\n'));
    assert_int_equal(password_record_check(rec, LONG_PW, false), PASSWORD_OK);
    assert_int_equal(password_record_check(rec, LONG_PW, true), PASSWORD_OK);
    assert_int_equal(password_record_check(rec, "wrong", true), PASSWORD_MISMATCH);
    /* No second hash: the 16-character form is refused even when allowed. */
    assert_int_equal(password_record_check(rec, LONG_PW_16, true), PASSWORD_MISMATCH);
    free(rec);
}

static void test_record_with_truncation(void **state)
{
    (void)state;
    char *rec = NULL;
    assert_int_equal(password_record_new(LONG_PW, OPS, MEM_KIB, true, &rec), PASSWORD_OK);
    char *nl = strchr(rec, '\n');
    assert_non_null(nl);
    assert_null(strchr(nl + 1, '\n'));
    assert_memory_equal(nl + 1, "$argon2id$", 10);

    assert_int_equal(password_record_check(rec, LONG_PW, false), PASSWORD_OK);
    assert_int_equal(password_record_check(rec, LONG_PW, true), PASSWORD_OK);
    /* The first 16 characters: only with truncation allowed. */
    assert_int_equal(password_record_check(rec, LONG_PW_16, true), PASSWORD_OK);
    assert_int_equal(password_record_check(rec, LONG_PW_16, false), PASSWORD_MISMATCH);
    /* Any other prefix length is not the truncated form. */
    assert_int_equal(password_record_check(rec, "correct horse b", true), PASSWORD_MISMATCH);
    assert_int_equal(password_record_check(rec, "correct horse bat", true), PASSWORD_MISMATCH);
    assert_int_equal(password_record_check(rec, "Correct horse ba", true), PASSWORD_MISMATCH);
    free(rec);
}

static void test_record_short_password_has_one_hash(void **state)
{
    (void)state;
    char *rec = NULL;
    /* Exactly 16 characters: nothing to truncate. */
    assert_int_equal(password_record_new(LONG_PW_16, OPS, MEM_KIB, true, &rec), PASSWORD_OK);
    assert_null(strchr(rec, '\n'));
    assert_int_equal(password_record_check(rec, LONG_PW_16, true), PASSWORD_OK);
    free(rec);
    assert_int_equal(password_record_new("", OPS, MEM_KIB, true, &rec), PASSWORD_E_INVALID);
    assert_null(rec);
    assert_int_equal(password_record_new(NULL, OPS, MEM_KIB, true, &rec), PASSWORD_E_INVALID);
    assert_int_equal(password_record_new("x", OPS, MEM_KIB, true, NULL), PASSWORD_E_INVALID);
}

/* Characters, not bytes: 20 x U+00E9 is 40 bytes, truncated to 16 x. */
static void test_truncation_counts_characters(void **state)
{
    (void)state;
    char pw[41], pw16[33];
    for (int i = 0; i < 20; i++)
        memcpy(pw + 2 * i, "\xC3\xA9", 2);
    pw[40] = '\0';
    memcpy(pw16, pw, 32);
    pw16[32] = '\0';
    assert_int_equal(password_char_count(pw), 20);
    assert_int_equal(password_prefix_bytes(pw, 16), 32);
    assert_int_equal(password_prefix_bytes("abc", 16), 3);

    char *rec = NULL;
    assert_int_equal(password_record_new(pw, OPS, MEM_KIB, true, &rec), PASSWORD_OK);
    assert_int_equal(password_record_check(rec, pw16, true), PASSWORD_OK);
    /* 16 bytes (8 characters) is not the truncated form. */
    pw16[16] = '\0';
    assert_int_equal(password_record_check(rec, pw16, true), PASSWORD_MISMATCH);
    free(rec);
}

static void test_character_counting_of_bad_utf8(void **state)
{
    (void)state;
    /* Stray bytes count one each; a truncated sequence too. */
    assert_int_equal(password_char_count("\xFF\xFE"), 2);
    assert_int_equal(password_char_count("a\xC3"), 2);
    assert_int_equal(password_char_count("\xE2\x82\xAC"), 1); /* U+20AC */
    assert_int_equal(password_char_count("\xED\xA0\x80"), 3); /* a surrogate */
    assert_int_equal(password_char_count(""), 0);
    assert_int_equal(password_prefix_bytes("\xF0\x9F\x98\x80z", 1), 4);
}

static void test_record_malformed(void **state)
{
    (void)state;
    assert_int_equal(password_record_check("", "pw", true), PASSWORD_E_INVALID);
    assert_int_equal(password_record_check("\n$argon2id$", "pw", true), PASSWORD_E_INVALID);
    assert_int_equal(password_record_check("a\n", "pw", true), PASSWORD_E_INVALID);
    assert_int_equal(password_record_check("a\nb\nc", "pw", true), PASSWORD_E_INVALID);
    assert_int_equal(password_record_check(NULL, "pw", true), PASSWORD_E_INVALID);
    assert_int_equal(password_record_check("a", NULL, true), PASSWORD_E_INVALID);
    /* Well-formed shape but not a hash: just a mismatch. */
    assert_int_equal(password_record_check("garbage", "pw", true), PASSWORD_MISMATCH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_and_verify),
        cmocka_unit_test(test_hash_rejects_bad_input),
        cmocka_unit_test(test_record_without_truncation),
        cmocka_unit_test(test_record_with_truncation),
        cmocka_unit_test(test_record_short_password_has_one_hash),
        cmocka_unit_test(test_truncation_counts_characters),
        cmocka_unit_test(test_character_counting_of_bad_utf8),
        cmocka_unit_test(test_record_malformed),
    };
    assert_int_equal(password_init(), PASSWORD_OK);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
