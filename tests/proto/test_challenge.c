/*
 * test_challenge.c - CHL / QRY answers against the test vectors of
 * msnp.md 2.10, the product key table, challenge generation and the
 * constant-time comparison helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "msnp_challenge.h"
#include "msnp_status.h"

static void expect_response(const char *challenge, const char *key,
                            const char *want)
{
    char out[MSNP_CHALLENGE_RESPONSE_SIZE];
    memset(out, 'x', sizeof out);
    assert_int_equal(msnp_challenge_response(challenge, key, out), MSNP_OK);
    assert_string_equal(out, want);
}

static void test_spec_vectors(void **state)
{
    (void)state;
    expect_response("29409134351025259292", "Q1P7W2E4J9R8U3S5",
                    "d0c1178c689350104350d99f8c36ed9c");
    expect_response("12345678901234567890", "Q1P7W2E4J9R8U3S5",
                    "8ba1bb9d6dbf624fee31a2053af5fdd0");
    expect_response("15570131571988941333", "VT6PX?UQTM4WM%YR",
                    "ca90e6a7c94a14aae7b3ae0f6018433e");
    /* Through the table, as the server does it. */
    expect_response("29409134351025259292",
                    msnp_product_key_lookup("msmsgs@msnmsgr.com"),
                    "d0c1178c689350104350d99f8c36ed9c");
    expect_response("15570131571988941333",
                    msnp_product_key_lookup("PROD0038W!61ZTF9"),
                    "ca90e6a7c94a14aae7b3ae0f6018433e");
}

/* Plain concatenation: empty parts are just absent (MD5 of "" and of the
 * key alone). */
static void test_concatenation(void **state)
{
    (void)state;
    expect_response("", "", "d41d8cd98f00b204e9800998ecf8427e");
    expect_response("", "Q1P7W2E4J9R8U3S5", "d76cf52396a7746938e8b16730882661");
    expect_response("Q1P7W2E4J9R8U3S5", "", "d76cf52396a7746938e8b16730882661");
}

static void test_response_errors(void **state)
{
    (void)state;
    char out[MSNP_CHALLENGE_RESPONSE_SIZE] = "junk";
    assert_int_equal(msnp_challenge_response(NULL, "k", out), MSNP_E_INVALID_ARG);
    assert_string_equal(out, "");
    assert_int_equal(msnp_challenge_response("c", NULL, out), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_challenge_response("c", "k", NULL), MSNP_E_INVALID_ARG);
}

static void test_product_keys(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        { "msmsgs@msnmsgr.com", "Q1P7W2E4J9R8U3S5" },
        { "PROD0038W!61ZTF9", "VT6PX?UQTM4WM%YR" },
        { "PROD0058#7IL2{QD", "QHDCY@7R1TB6W?5B" },
        { "PROD0061VRRZH@4F", "JXQ6J@TUOGYV@N0M" },
        { "PROD00504RLUG%WL", "I2EBK%PYNLZL5_J4" },
        { "PROD0076ENE8*@AW", "CEQJ8}OE0!WTSWII" },
    };
    size_t count = 0;
    const msnp_product_key *table = msnp_product_keys(&count);

    assert_int_equal(count, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(table[i].id, pairs[i][0]);
        assert_string_equal(table[i].key, pairs[i][1]);
        assert_string_equal(msnp_product_key_lookup(pairs[i][0]), pairs[i][1]);
    }
    assert_string_equal(msnp_product_key_lookup(MSNP_CHALLENGE_DEFAULT_PRODUCT_ID),
                        "Q1P7W2E4J9R8U3S5");
    assert_null(msnp_product_key_lookup("MSMSGS@msnmsgr.com"));
    assert_null(msnp_product_key_lookup("msmsgs@msnmsgr.com "));
    assert_null(msnp_product_key_lookup("PROD0038W!61ZTF"));
    assert_null(msnp_product_key_lookup(""));
    assert_null(msnp_product_key_lookup(NULL));
}

static void expect_generated(const unsigned char *random, size_t n,
                             const char *want)
{
    char out[MSNP_CHALLENGE_SIZE];
    assert_int_equal(msnp_challenge_generate(random, n, out), MSNP_OK);
    assert_string_equal(out, want);
}

static void test_generate(void **state)
{
    (void)state;
    unsigned char zero[16] = { 0 }, ones[16], seq16[16], seq32[32];

    memset(ones, 0xFF, sizeof ones);
    for (int i = 0; i < 32; i++) {
        if (i < 16)
            seq16[i] = (unsigned char)(i + 1);
        seq32[i] = (unsigned char)(i + 1);
    }
    /* N = 0 maps to the smallest 20-digit number. */
    expect_generated(zero, sizeof zero, "10000000000000000000");
    /* N = 2^128 - 1: low 19 digits of N, then 1 + (N / 10^19) mod 9. */
    expect_generated(ones, sizeof ones, "83374607431768211455");
    expect_generated(seq16, sizeof seq16, "89044581307228491536");
    expect_generated(seq32, sizeof seq32, "24185182714736811808");
    /* The input is not modified. */
    assert_int_equal(seq32[0], 1);
    assert_int_equal(seq32[31], 32);

    /* Every output is 20 digits with a non-zero lead. */
    unsigned char r[16];
    for (unsigned k = 0; k < 256; k++) {
        char out[MSNP_CHALLENGE_SIZE];
        for (int i = 0; i < 16; i++)
            r[i] = (unsigned char)(k * 31u + (unsigned)i * 7u);
        assert_int_equal(msnp_challenge_generate(r, sizeof r, out), MSNP_OK);
        assert_int_equal(strlen(out), MSNP_CHALLENGE_DIGITS);
        assert_true(out[0] >= '1' && out[0] <= '9');
        assert_int_equal(strspn(out, "0123456789"), MSNP_CHALLENGE_DIGITS);
    }

    /* Longer input than the internal 64-byte cap is accepted. */
    unsigned char big[100];
    memset(big, 0x5A, sizeof big);
    char out[MSNP_CHALLENGE_SIZE];
    assert_int_equal(msnp_challenge_generate(big, sizeof big, out), MSNP_OK);
    assert_int_equal(strlen(out), MSNP_CHALLENGE_DIGITS);
}

static void test_generate_errors(void **state)
{
    (void)state;
    unsigned char r[16] = { 1 };
    char out[MSNP_CHALLENGE_SIZE] = "junk";

    assert_int_equal(msnp_challenge_generate(r, 15, out), MSNP_E_INVALID_ARG);
    assert_string_equal(out, "");
    assert_int_equal(msnp_challenge_generate(r, 0, out), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_challenge_generate(NULL, 16, out), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_challenge_generate(r, 16, NULL), MSNP_E_INVALID_ARG);
}

static void test_equal(void **state)
{
    (void)state;
    assert_true(msnp_challenge_equal("abc", 3, "abc", 3));
    assert_false(msnp_challenge_equal("abc", 3, "abd", 3));
    assert_false(msnp_challenge_equal("abc", 3, "xbc", 3));
    assert_false(msnp_challenge_equal("abc", 3, "abcd", 4));
    assert_false(msnp_challenge_equal("abc", 3, "ab", 2));
    assert_true(msnp_challenge_equal(NULL, 0, NULL, 0));
    assert_true(msnp_challenge_equal("x", 0, NULL, 0));
    assert_false(msnp_challenge_equal(NULL, 3, "abc", 3));
    assert_false(msnp_challenge_equal("abc", 3, NULL, 3));
    /* Embedded NULs are compared too. */
    assert_false(msnp_challenge_equal("a\0b", 3, "a\0c", 3));
    assert_true(msnp_challenge_equal("a\0b", 3, "a\0b", 3));
}

static void test_check(void **state)
{
    (void)state;
    const char *key = "Q1P7W2E4J9R8U3S5";
    const char *good = "d0c1178c689350104350d99f8c36ed9c";

    assert_true(msnp_challenge_check("29409134351025259292", key, good, 32));
    /* A response to another challenge, upper case, short, long, NULL. */
    assert_false(msnp_challenge_check("12345678901234567890", key, good, 32));
    assert_false(msnp_challenge_check("29409134351025259292", key,
                                      "D0C1178C689350104350D99F8C36ED9C", 32));
    assert_false(msnp_challenge_check("29409134351025259292", key, good, 31));
    assert_false(msnp_challenge_check("29409134351025259292", key,
                                      "d0c1178c689350104350d99f8c36ed9c0", 33));
    assert_false(msnp_challenge_check("29409134351025259292", key, NULL, 32));
    assert_false(msnp_challenge_check(NULL, key, good, 32));
    assert_false(msnp_challenge_check("29409134351025259292", NULL, good, 32));
    assert_false(msnp_challenge_check("29409134351025259292", "VT6PX?UQTM4WM%YR",
                                      good, 32));
    assert_true(msnp_challenge_check("15570131571988941333", "VT6PX?UQTM4WM%YR",
                                     "ca90e6a7c94a14aae7b3ae0f6018433e", 32));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_vectors),
        cmocka_unit_test(test_concatenation),
        cmocka_unit_test(test_response_errors),
        cmocka_unit_test(test_product_keys),
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_generate_errors),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
