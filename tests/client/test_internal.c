/*
 * test_internal.c - unit tests of libmsgr's pure logic: result-code
 * values and names, the MSNP error table, status mapping, name checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void test_hr_values(void **state)
{
    (void)state;
    /* Documented values (api-scope.tsv, errata E4). */
    assert_true((uint32_t)MSGR_E_CONNECT == 0x81000301u);
    assert_true((uint32_t)MSGR_E_NOT_LOGGED_ON == 0x8100031Eu);
    assert_true((uint32_t)MSGR_E_OTHER_UI_ACTIVE == 0x8100031Fu);
    assert_true((uint32_t)MSGR_E_POLICY_RESTRICTED == 0x81000356u);
    assert_true((uint32_t)MSGR_E_API_LOCKED == 0x81000752u);
    assert_true((uint32_t)SR_NETWORK_CONFIG_FAILURE == 0x81000620u);
    assert_int_equal(MSGR_S_GROUP_ALREADY_EXISTS, 0x01000306);
    assert_true((uint32_t)MSGR_E_FAIL == 0x80004005u);
    assert_true((uint32_t)MSGR_E_INVALIDARG == 0x80070057u);
    assert_true((uint32_t)MSGR_E_RPC_X_NULL_REF_POINTER == 0x800706F4u);
    assert_true(MSGR_FAILED(MSGR_E_CONNECT));
    assert_true(MSGR_SUCCEEDED(MSGR_S_FALSE));
    assert_true(MSGR_SUCCEEDED(MSGR_S_ALREADY_IN_THE_MODE));
}

static void test_hr_string(void **state)
{
    (void)state;
    assert_string_equal(msgr_hr_string(MSGR_S_OK), "MSGR_S_OK");
    assert_string_equal(msgr_hr_string(MSGR_E_INVALID_PASSWORD), "MSGR_E_INVALID_PASSWORD");
    assert_string_equal(msgr_hr_string(SR_OLD_SIP_STACK), "SR_OLD_SIP_STACK");
    assert_string_equal(msgr_hr_string(MSGR_E_API_DISABLED), "MSGR_E_API_DISABLED");
    assert_string_equal(msgr_hr_string(MSGR_HR(0x81000399u)),
                        "unknown HRESULT 0x81000399");
}

static void test_errmap(void **state)
{
    (void)state;
    assert_int_equal(errmap_msnp(215), MSGR_E_ALREADY_IN_LIST);
    assert_int_equal(errmap_msnp(205), MSGR_E_USER_NOT_FOUND);
    assert_int_equal(errmap_msnp(224), MSGR_E_GROUP_DOES_NOT_EXIST);
    assert_int_equal(errmap_msnp(225), MSGR_E_USER_NOT_GROUP_MEMBER);
    assert_int_equal(errmap_msnp(229), MSGR_E_GROUP_NAME_TOO_LONG);
    assert_int_equal(errmap_msnp(230), MSGR_E_CANNOT_DELETE);
    assert_int_equal(errmap_msnp(600), MSGR_E_SERVER_TOO_BUSY);
    assert_int_equal(errmap_msnp(601), MSGR_E_SERVER_UNAVAILABLE);
    assert_int_equal(errmap_msnp(911), MSGR_E_INVALID_PASSWORD);
    assert_int_equal(errmap_msnp(999), MSGR_E_UNEXPECTED);
    assert_int_equal(errmap_msnp(0), MSGR_E_UNEXPECTED);
    /* Sign-in never reports an unknown user as such (5.4). */
    assert_int_equal(errmap_signin(205), MSGR_E_INVALID_PASSWORD);
    assert_int_equal(errmap_signin(911), MSGR_E_INVALID_PASSWORD);
    assert_int_equal(errmap_signin(600), MSGR_E_SERVER_TOO_BUSY);
    assert_int_equal(errmap_signin(710), MSGR_E_SERVER_VERSION);
    assert_int_equal(errmap_signin(215), MSGR_E_UNEXPECTED);
    /* Every code of msnp.md 1.10 maps to a failure or, for 218, success. */
    static const int codes[] = { 200, 201, 205, 206, 207, 208, 209, 210, 213, 215, 216,
                                 217, 219, 223, 224, 225, 227, 228, 229, 230, 231, 240,
                                 280, 281, 282, 300, 301, 302, 402, 403, 420, 500, 501,
                                 502, 503, 510, 511, 520, 540, 600, 601, 602, 603, 604,
                                 605, 700, 707, 710, 711, 712, 713, 714, 715, 717, 731,
                                 800, 910, 911, 912, 913, 914, 915, 916, 917, 918, 919,
                                 920, 921, 922, 923, 924, 928, 931 };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        assert_true(MSGR_FAILED(errmap_msnp(codes[i])));
    assert_int_equal(errmap_msnp(218), MSGR_S_ALREADY_IN_THE_MODE);
}

static void test_status_mapping(void **state)
{
    (void)state;
    static const struct { MISTATUS st; msnp_presence p; } pairs[] = {
        { MISTATUS_ONLINE, MSNP_PRESENCE_NLN }, { MISTATUS_BUSY, MSNP_PRESENCE_BSY },
        { MISTATUS_IDLE, MSNP_PRESENCE_IDL }, { MISTATUS_BE_RIGHT_BACK, MSNP_PRESENCE_BRB },
        { MISTATUS_AWAY, MSNP_PRESENCE_AWY }, { MISTATUS_ON_THE_PHONE, MSNP_PRESENCE_PHN },
        { MISTATUS_OUT_TO_LUNCH, MSNP_PRESENCE_LUN }, { MISTATUS_INVISIBLE, MSNP_PRESENCE_HDN },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        msnp_presence p;
        assert_true(status_to_presence(pairs[i].st, &p));
        assert_int_equal(p, pairs[i].p);
        assert_int_equal(status_from_presence(pairs[i].p), pairs[i].st);
    }
    msnp_presence p;
    assert_false(status_to_presence(MISTATUS_OFFLINE, &p));
    assert_false(status_to_presence(MISTATUS_UNKNOWN, &p));
    assert_false(status_to_presence(MISTATUS_LOCAL_CONNECTING_TO_SERVER, &p));
    assert_int_equal(status_from_presence(MSNP_PRESENCE_FLN), MISTATUS_OFFLINE);
}

static void test_name_checks(void **state)
{
    (void)state;
    char *t = NULL;
    char long_name[200];
    memset(long_name, 'a', 130);
    long_name[130] = '\0';
    assert_int_equal(check_signin_name("a@b.c"), MSGR_S_OK);
    assert_int_equal(check_signin_name(""), MSGR_E_INVALIDARG);
    assert_int_equal(check_signin_name(" a@b.c"), MSGR_E_INVALIDARG);
    assert_int_equal(check_signin_name("a@b\n.c"), MSGR_E_INVALIDARG);
    assert_int_equal(check_signin_name(long_name), MSGR_E_INVALIDARG);
    assert_int_equal(group_name_check("  Work  ", &t), MSGR_S_OK);
    assert_string_equal(t, "Work");
    free(t);
    assert_int_equal(group_name_check("   ", &t), MSGR_E_INVALIDARG);
    assert_int_equal(group_name_check("a\rb", &t), MSGR_E_BAD_GROUP_NAME);
    assert_int_equal(group_name_check("caf\xc3", &t), MSGR_E_BAD_GROUP_NAME);
    memset(long_name, 'a', 61);
    long_name[61] = '\0';
    assert_int_equal(group_name_check(long_name, &t), MSGR_S_OK);
    free(t);
    long_name[30] = ' '; /* encodes as %20: 63 bytes on the wire */
    assert_int_equal(group_name_check(long_name, &t), MSGR_E_GROUP_NAME_TOO_LONG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hr_values),
        cmocka_unit_test(test_hr_string),
        cmocka_unit_test(test_errmap),
        cmocka_unit_test(test_status_mapping),
        cmocka_unit_test(test_name_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
