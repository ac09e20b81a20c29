/*
 * test_errors.c - every numeric error code of msnp.md 1.10 is in the table
 * with the right "close" flag, and unknown codes are handled.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "msnp_errors.h"

/* Transcribed from the table of msnp.md 1.10: code, close column is Y/F. */
static const struct {
    int code;
    bool fatal;
} spec_codes[] = {
    {200,false},{201,false},{205,false},{206,false},{207,false},{208,false},
    {209,false},{210,false},{213,false},{215,false},{216,false},{217,false},
    {218,false},{219,false},{223,false},{224,false},{225,false},{227,false},
    {228,false},{229,false},{230,false},{231,false},{240,false},{280,true},
    {281,false},{282,false},{300,false},{301,false},{302,false},{402,false},
    {403,false},{420,false},{500,true},{501,true},{502,false},{503,false},
    {510,true},{511,true},{520,true},{540,true},{600,true},{601,true},
    {602,true},{603,true},{604,true},{605,true},{700,true},{707,true},
    {710,true},{711,true},{712,true},{713,false},{714,true},{715,false},
    {717,true},{731,false},{800,false},{910,true},{911,true},{912,true},
    {913,false},{914,true},{915,true},{916,true},{917,true},{918,true},
    {919,true},{920,true},{921,true},{922,true},{923,true},{924,true},
    {928,true},{931,true},
};

#define SPEC_COUNT (sizeof spec_codes / sizeof spec_codes[0])

static void test_every_spec_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < SPEC_COUNT; i++) {
        int code = spec_codes[i].code;
        const char *text = msnp_error_text(code);
        assert_true(msnp_error_known(code));
        assert_non_null(text);
        assert_true(strlen(text) > 0);
        assert_string_not_equal(text, "unknown error");
        if (msnp_error_is_fatal(code) != spec_codes[i].fatal)
            fail_msg("code %d: fatal flag should be %d", code, spec_codes[i].fatal);
    }
}

/* The table holds exactly the spec's codes, ascending, no duplicates. */
static void test_table_shape(void **state)
{
    (void)state;
    size_t count = 0;
    const msnp_error_info *table = msnp_error_table(&count);

    assert_int_equal(count, SPEC_COUNT);
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(table[i].code, spec_codes[i].code);
        assert_int_equal(table[i].fatal, spec_codes[i].fatal);
        assert_ptr_equal(msnp_error_text(table[i].code), table[i].text);
        if (i > 0)
            assert_true(table[i - 1].code < table[i].code);
    }
}

static void test_known_meanings(void **state)
{
    (void)state;
    assert_string_equal(msnp_error_text(911), "authentication failed");
    assert_string_equal(msnp_error_text(201), "invalid parameter");
    assert_string_equal(msnp_error_text(217), "user not online");
    assert_string_equal(msnp_error_text(540), "challenge response invalid");
    assert_string_equal(msnp_error_text(913), "not allowed while appearing offline");
    assert_true(msnp_error_is_fatal(911));
    assert_true(msnp_error_is_fatal(600));
    assert_false(msnp_error_is_fatal(215));
    assert_false(msnp_error_is_fatal(800));
}

static void test_unknown_codes(void **state)
{
    (void)state;
    static const int unknown[] = { 0, -1, 1, 99, 100, 199, 202, 214, 299, 401,
                                   541, 706, 909, 930, 932, 999, 1000, 1863 };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_string_equal(msnp_error_text(unknown[i]), "unknown error");
        assert_false(msnp_error_is_fatal(unknown[i]));
        assert_false(msnp_error_known(unknown[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_spec_code),
        cmocka_unit_test(test_table_shape),
        cmocka_unit_test(test_known_meanings),
        cmocka_unit_test(test_unknown_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
