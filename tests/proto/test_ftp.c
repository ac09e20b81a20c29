/* test_ftp.c - MSNFTP control lines and data blocks (msnp.md 6.2-6.6). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "msnp_ftp.h"
#include "msnp_status.h"

#define S(lit) lit, sizeof(lit) - 1

static int parse(const char *s, msnp_ftp_line *l)
{
    return msnp_ftp_parse_line(s, strlen(s), l);
}

/* The complete example of msnp.md 6.6, line by line. */
static void test_spec_example(void **state)
{
    msnp_ftp_line l;
    (void)state;
    assert_int_equal(parse("VER MSNFTP", &l), MSNP_OK);
    assert_int_equal(l.verb, MSNP_FTP_VER);
    assert_true(l.msnftp);
    assert_int_equal(parse("USR bob@example.org 90210117", &l), MSNP_OK);
    assert_int_equal(l.verb, MSNP_FTP_USR);
    assert_string_equal(l.handle, "bob@example.org");
    assert_int_equal(l.auth_cookie, 90210117u);
    assert_int_equal(parse("FIL 11", &l), MSNP_OK);
    assert_int_equal(l.verb, MSNP_FTP_FIL);
    assert_int_equal(l.size, 11);
    assert_int_equal(parse("TFR", &l), MSNP_OK);
    assert_int_equal(l.verb, MSNP_FTP_TFR);
    assert_int_equal(parse("BYE 16777989", &l), MSNP_OK);
    assert_int_equal(l.verb, MSNP_FTP_BYE);
    assert_int_equal(l.code, MSNP_FTP_BYE_OK);
    assert_int_equal(parse("CCL", &l), MSNP_OK);
    assert_int_equal(l.verb, MSNP_FTP_CCL);
}

/* 6.3: VER with extra tokens; MSNFTP anywhere among them. */
static void test_ver_variants(void **state)
{
    msnp_ftp_line l;
    (void)state;
    assert_int_equal(parse("VER MYPROTO MSNFTP", &l), MSNP_OK);
    assert_true(l.msnftp);
    assert_int_equal(parse("VER MSNFTP 1", &l), MSNP_OK);
    assert_true(l.msnftp);
    assert_int_equal(parse("  VER   MYPROTO  ", &l), MSNP_OK);
    assert_int_equal(l.verb, MSNP_FTP_VER);
    assert_false(l.msnftp);
    assert_int_equal(parse("VER msnftp", &l), MSNP_OK); /* names are exact */
    assert_false(l.msnftp);
    assert_int_equal(parse("VER", &l), MSNP_E_MISSING_FIELD);
    assert_int_equal(parse("VER A B C D E F G H", &l), MSNP_E_TOO_MANY_PARAMS);
}

static void test_errors(void **state)
{
    msnp_ftp_line l;
    (void)state;
    assert_int_equal(parse("", &l), MSNP_E_SYNTAX);
    assert_int_equal(parse("   ", &l), MSNP_E_SYNTAX);
    assert_int_equal(parse("ver MSNFTP", &l), MSNP_E_SYNTAX);
    assert_int_equal(parse("MSG 1 N 2", &l), MSNP_E_SYNTAX);
    assert_int_equal(parse("USR bob@example.org", &l), MSNP_E_MISSING_FIELD);
    assert_int_equal(parse("USR bob@example.org 1 2", &l), MSNP_E_TOO_MANY_PARAMS);
    assert_int_equal(parse("USR bob@example.org -1", &l), MSNP_E_BAD_VALUE);
    assert_int_equal(parse("USR bob@example.org 4294967296", &l), MSNP_E_BAD_VALUE);
    assert_int_equal(parse("USR bob@example.org 4294967295", &l), MSNP_OK);
    assert_int_equal(parse("FIL 011", &l), MSNP_E_BAD_VALUE);
    assert_int_equal(parse("FIL +1", &l), MSNP_E_BAD_VALUE);
    assert_int_equal(parse("FIL 18446744073709551615", &l), MSNP_OK);
    assert_int_equal(l.size, UINT64_MAX);
    assert_int_equal(parse("FIL 18446744073709551616", &l), MSNP_E_BAD_VALUE);
    assert_int_equal(parse("FIL 0", &l), MSNP_OK);
    assert_int_equal(parse("FIL", &l), MSNP_E_MISSING_FIELD);
    assert_int_equal(parse("TFR now", &l), MSNP_E_TOO_MANY_PARAMS);
    assert_int_equal(parse("BYE", &l), MSNP_E_MISSING_FIELD);
    assert_int_equal(parse("BYE x", &l), MSNP_E_BAD_VALUE);
    assert_int_equal(l.verb, MSNP_FTP_NONE); /* zeroed on error */
    assert_int_equal(msnp_ftp_parse_line(S("VER\tMSNFTP"), &l), MSNP_E_CONTROL_CHAR);
    assert_int_equal(msnp_ftp_parse_line(S("VER MSNFTP\0"), &l), MSNP_E_CONTROL_CHAR);
    assert_int_equal(msnp_ftp_parse_line(NULL, 3, &l), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_ftp_parse_line("TFR", 3, NULL), MSNP_E_INVALID_ARG);

    char handle[200];
    memset(handle, 'a', sizeof handle);
    memcpy(handle, "USR ", 4);
    memcpy(handle + 4 + 130, " 1", 3); /* a 130-byte handle */
    assert_int_equal(parse(handle, &l), MSNP_E_TOO_LONG);
    char big[MSNP_FTP_MAX_LINE + 2];
    memset(big, ' ', sizeof big);
    memcpy(big, "TFR", 3);
    assert_int_equal(msnp_ftp_parse_line(big, sizeof big, &l), MSNP_E_TOO_LONG);
}

static void test_find_line(void **state)
{
    size_t n, used;
    (void)state;
    assert_int_equal(msnp_ftp_find_line(S("VER MSNFTP\r\nFIL 1\r\n"), &n, &used), 1);
    assert_int_equal(n, 10);
    assert_int_equal(used, 12);
    assert_int_equal(msnp_ftp_find_line(S("TFR\n"), &n, &used), 1);
    assert_int_equal(n, 3);
    assert_int_equal(used, 4);
    assert_int_equal(msnp_ftp_find_line(S("\r\n"), &n, &used), 1);
    assert_int_equal(n, 0);
    assert_int_equal(msnp_ftp_find_line(S("VER MSN"), &n, &used), 0);
    assert_int_equal(msnp_ftp_find_line(NULL, 0, &n, &used), 0);
    assert_int_equal(msnp_ftp_find_line(NULL, 1, &n, &used), MSNP_E_INVALID_ARG);
    char *big = malloc(MSNP_FTP_MAX_LINE + 100);
    memset(big, 'x', MSNP_FTP_MAX_LINE + 100);
    assert_int_equal(msnp_ftp_find_line(big, MSNP_FTP_MAX_LINE + 1, &n, &used), 0);
    assert_int_equal(msnp_ftp_find_line(big, MSNP_FTP_MAX_LINE + 2, &n, &used),
                     MSNP_E_LINE_TOO_LONG);
    /* A terminator beyond the limit is not looked for. */
    big[MSNP_FTP_MAX_LINE + 50] = '\n';
    assert_int_equal(msnp_ftp_find_line(big, MSNP_FTP_MAX_LINE + 100, &n, &used),
                     MSNP_E_LINE_TOO_LONG);
    free(big);
}

static void expect_build(const msnp_ftp_line *l, const char *wire)
{
    msnp_buf b = MSNP_BUF_INIT;
    msnp_ftp_line back;
    assert_int_equal(msnp_ftp_build_line(&b, l), MSNP_OK);
    assert_string_equal(b.data, wire);
    assert_int_equal(msnp_ftp_parse_line(b.data, b.len - 2, &back), MSNP_OK);
    assert_true(msnp_ftp_line_equal(l, &back));
    msnp_buf_free(&b);
}

static void test_build(void **state)
{
    (void)state;
    msnp_ftp_line l = { .verb = MSNP_FTP_VER, .msnftp = true };
    expect_build(&l, "VER MSNFTP\r\n");
    memset(&l, 0, sizeof l);
    l.verb = MSNP_FTP_USR;
    strcpy(l.handle, "bob@example.org");
    l.auth_cookie = 90210117;
    expect_build(&l, "USR bob@example.org 90210117\r\n");
    l.verb = MSNP_FTP_FIL;
    l.size = 307200;
    expect_build(&l, "FIL 307200\r\n");
    l.verb = MSNP_FTP_TFR;
    expect_build(&l, "TFR\r\n");
    l.verb = MSNP_FTP_BYE;
    l.code = MSNP_FTP_BYE_OK;
    expect_build(&l, "BYE 16777989\r\n");
    l.verb = MSNP_FTP_CCL;
    expect_build(&l, "CCL\r\n");

    msnp_buf b = MSNP_BUF_INIT;
    msnp_ftp_line bad = { .verb = MSNP_FTP_VER };
    assert_int_equal(msnp_ftp_build_line(&b, &bad), MSNP_E_INVALID_ARG);
    bad.verb = MSNP_FTP_USR;
    assert_int_equal(msnp_ftp_build_line(&b, &bad), MSNP_E_INVALID_ARG); /* empty */
    strcpy(bad.handle, "a b");
    assert_int_equal(msnp_ftp_build_line(&b, &bad), MSNP_E_INVALID_ARG);
    strcpy(bad.handle, "a\r\n");
    assert_int_equal(msnp_ftp_build_line(&b, &bad), MSNP_E_INVALID_ARG);
    bad.verb = MSNP_FTP_NONE;
    assert_int_equal(msnp_ftp_build_line(&b, &bad), MSNP_E_INVALID_ARG);
    bad.verb = (msnp_ftp_verb)99;
    assert_int_equal(msnp_ftp_build_line(&b, &bad), MSNP_E_INVALID_ARG);
    assert_int_equal(b.len, 0);
    assert_int_equal(msnp_ftp_build_line(NULL, &l), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

/* 6.4: 3-byte header, little-endian length; 11 bytes of "hello world". */
static void test_blocks(void **state)
{
    msnp_buf b = MSNP_BUF_INIT;
    msnp_ftp_block h;
    (void)state;
    assert_int_equal(msnp_ftp_block_write(&b, "hello world", 11), MSNP_OK);
    assert_int_equal(b.len, 14);
    assert_memory_equal(b.data, "\x00\x0B\x00hello world", 14);
    assert_int_equal(msnp_ftp_block_parse(b.data, b.len, &h), 1);
    assert_false(h.end);
    assert_int_equal(h.length, 11);

    static char data[MSNP_FTP_BLOCK_DATA_MAX + 1];
    msnp_buf_reset(&b);
    assert_int_equal(msnp_ftp_block_write(&b, data, MSNP_FTP_BLOCK_DATA_MAX), MSNP_OK);
    assert_memory_equal(b.data, "\x00\xFD\x07", 3); /* 2045 */
    assert_int_equal(msnp_ftp_block_write(&b, data, sizeof data), MSNP_E_TOO_LONG);
    assert_int_equal(b.len, 3 + MSNP_FTP_BLOCK_DATA_MAX);
    assert_int_equal(msnp_ftp_block_write(&b, NULL, 1), MSNP_E_INVALID_ARG);
    msnp_buf_reset(&b);
    assert_int_equal(msnp_ftp_block_write(&b, NULL, 0), MSNP_OK);
    assert_memory_equal(b.data, "\x00\x00\x00", 3);

    msnp_buf_reset(&b);
    assert_int_equal(msnp_ftp_abort_write(&b), MSNP_OK);
    assert_memory_equal(b.data, "\x01\x00\x00", 3);
    assert_int_equal(msnp_ftp_block_parse(b.data, 3, &h), 1);
    assert_true(h.end);
    assert_int_equal(h.length, 0);

    /* Receivers accept any length; a longer header is read as written. */
    assert_int_equal(msnp_ftp_block_parse("\x01\xFF\xFF", 3, &h), 1);
    assert_true(h.end);
    assert_int_equal(h.length, 65535);
    assert_int_equal(msnp_ftp_block_parse("\x00\x01", 2, &h), 0);
    assert_int_equal(msnp_ftp_block_parse(NULL, 0, &h), 0);
    assert_int_equal(msnp_ftp_block_parse("\x02\x00\x00", 3, &h), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_ftp_block_parse("VER", 3, &h), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_ftp_block_parse(NULL, 3, &h), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_ftp_abort_write(NULL), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_example),
        cmocka_unit_test(test_ver_variants),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_find_line),
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
