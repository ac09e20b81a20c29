/* test_url.c - URL encoding, decoding, UTF-8 and Windows-1252 (msnp.md 1.7). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "msnp_status.h"
#include "msnp_url.h"

/* Encodes s and compares with want byte for byte. */
static void expect_encode(const char *s, size_t len, const char *want)
{
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_url_encode(&b, s, len), MSNP_OK);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    assert_int_equal(b.data[b.len], '\0');
    msnp_buf_free(&b);
}

/* Decodes s with flags and checks the status and, on success, the result. */
static void expect_decode(const char *s, unsigned flags, int rc,
                          const char *want, size_t want_len)
{
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_buf_append_str(&b, "keep"), MSNP_OK);
    assert_int_equal(msnp_url_decode(&b, s, strlen(s), flags), rc);
    if (rc == MSNP_OK) {
        assert_int_equal(b.len, 4 + want_len);
        assert_memory_equal(b.data + 4, want, want_len);
    } else {
        /* Errors leave the buffer as it was. */
        assert_int_equal(b.len, 4);
        assert_string_equal(b.data, "keep");
    }
    msnp_buf_free(&b);
}

static void test_encode_spec_examples(void **state)
{
    (void)state;
    expect_encode("Alice (at work)", 15, "Alice%20(at%20work)");
    expect_encode("Zo\xC3\xAB", 4, "Zo%C3%AB");
    expect_encode(" %+,", 4, "%20%25%2B%2C");
    expect_encode("-_.!~*'()@", 10, "-_.!~*'()@");
    expect_encode("", 0, "");
}

static void test_encode_every_byte(void **state)
{
    (void)state;
    static const char keep[] = "-_.!~*'()@";
    static const char hex[] = "0123456789ABCDEF";
    for (int c = 0; c < 256; c++) {
        char in = (char)c;
        char want[4];
        bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                     (c >= '0' && c <= '9') || (c != 0 && strchr(keep, c));
        if (plain) {
            want[0] = (char)c;
            want[1] = '\0';
        } else {
            want[0] = '%';
            want[1] = hex[c >> 4];
            want[2] = hex[c & 15];
            want[3] = '\0';
        }
        expect_encode(&in, 1, want);
    }
}

static void test_encode_appends(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_buf_append_str(&b, "REA 1 a@b.c "), MSNP_OK);
    assert_int_equal(msnp_url_encode(&b, "A B", 3), MSNP_OK);
    assert_string_equal(b.data, "REA 1 a@b.c A%20B");
    msnp_buf_free(&b);
}

static void test_encode_limit_leaves_buffer(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    msnp_buf_set_limit(&b, 5);
    assert_int_equal(msnp_buf_append_str(&b, "ab"), MSNP_OK);
    assert_int_equal(msnp_url_encode(&b, "  ", 2), MSNP_E_TOO_LONG);
    assert_int_equal(b.len, 2);
    assert_string_equal(b.data, "ab");
    msnp_buf_free(&b);
}

static void test_encode_dup(void **state)
{
    (void)state;
    char *s = msnp_url_encode_dup("Bob B.");
    assert_non_null(s);
    assert_string_equal(s, "Bob%20B.");
    free(s);
    s = msnp_url_encode_dup("");
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
}

static void test_decode_strict(void **state)
{
    (void)state;
    expect_decode("Alice%20(at%20work)", MSNP_URL_STRICT, MSNP_OK, "Alice (at work)", 15);
    expect_decode("Zo%C3%AB", MSNP_URL_STRICT, MSNP_OK, "Zo\xC3\xAB", 4);
    expect_decode("Zo%c3%ab", MSNP_URL_STRICT, MSNP_OK, "Zo\xC3\xAB", 4);
    expect_decode("a+b", MSNP_URL_STRICT, MSNP_OK, "a+b", 3);          /* + is not space */
    expect_decode("Zo\xC3\xAB", MSNP_URL_STRICT, MSNP_OK, "Zo\xC3\xAB", 4); /* raw UTF-8 */
    expect_decode("tab%09ok", MSNP_URL_STRICT, MSNP_OK, "tab\tok", 6);
    expect_decode("", MSNP_URL_STRICT, MSNP_OK, "", 0);
    expect_decode("%25%2B", MSNP_URL_STRICT, MSNP_OK, "%+", 2);
}

static void test_decode_strict_errors(void **state)
{
    (void)state;
    expect_decode("100%", MSNP_URL_STRICT, MSNP_E_BAD_ESCAPE, NULL, 0);
    expect_decode("%2", MSNP_URL_STRICT, MSNP_E_BAD_ESCAPE, NULL, 0);
    expect_decode("%zz", MSNP_URL_STRICT, MSNP_E_BAD_ESCAPE, NULL, 0);
    expect_decode("%2g", MSNP_URL_STRICT, MSNP_E_BAD_ESCAPE, NULL, 0);
    expect_decode("%C3", MSNP_URL_STRICT, MSNP_E_BAD_UTF8, NULL, 0);
    expect_decode("%E9t%E9", MSNP_URL_STRICT, MSNP_E_BAD_UTF8, NULL, 0);
    expect_decode("%C0%80", MSNP_URL_STRICT, MSNP_E_BAD_UTF8, NULL, 0);
    expect_decode("a%0Ab", MSNP_URL_STRICT, MSNP_E_CONTROL_CHAR, NULL, 0);
    expect_decode("a%0Db", MSNP_URL_STRICT, MSNP_E_CONTROL_CHAR, NULL, 0);
    expect_decode("a%1Fb", MSNP_URL_STRICT, MSNP_E_CONTROL_CHAR, NULL, 0);
    expect_decode("a%7Fb", MSNP_URL_STRICT, MSNP_E_CONTROL_CHAR, NULL, 0);
    expect_decode("a\x01" "b", MSNP_URL_STRICT, MSNP_E_CONTROL_CHAR, NULL, 0);
    expect_decode("a%00b", MSNP_URL_STRICT, MSNP_E_CONTROL_CHAR, NULL, 0);
}

static void test_decode_allow_control(void **state)
{
    (void)state;
    expect_decode("a%0Ab%7F", MSNP_URL_ALLOW_CONTROL, MSNP_OK, "a\nb\x7F", 4);
    /* NUL stays an error whatever the flags. */
    expect_decode("a%00b", MSNP_URL_ALLOW_CONTROL, MSNP_E_CONTROL_CHAR, NULL, 0);
    expect_decode("a%00b", MSNP_URL_ALLOW_CONTROL | MSNP_URL_LENIENT,
                  MSNP_E_CONTROL_CHAR, NULL, 0);
}

static void test_decode_lenient(void **state)
{
    (void)state;
    expect_decode("100%", MSNP_URL_LENIENT, MSNP_OK, "100%", 4);
    expect_decode("%zz%2", MSNP_URL_LENIENT, MSNP_OK, "%zz%2", 5);
    expect_decode("%%41", MSNP_URL_LENIENT, MSNP_OK, "%A", 2);
    /* Windows-1252 names from very old clients become UTF-8. */
    expect_decode("%E9t%E9", MSNP_URL_LENIENT, MSNP_OK, "\xC3\xA9t\xC3\xA9", 5);
    expect_decode("%80", MSNP_URL_LENIENT, MSNP_OK, "\xE2\x82\xAC", 3);
    /* Valid UTF-8 is not transcoded. */
    expect_decode("Zo%C3%AB", MSNP_URL_LENIENT, MSNP_OK, "Zo\xC3\xAB", 4);
    /* Lenient is not permissive about control characters. */
    expect_decode("a%0Ab", MSNP_URL_LENIENT, MSNP_E_CONTROL_CHAR, NULL, 0);
    expect_decode("%0A%E9", MSNP_URL_LENIENT, MSNP_E_CONTROL_CHAR, NULL, 0);
    expect_decode("%0A%E9", MSNP_URL_LENIENT | MSNP_URL_ALLOW_CONTROL, MSNP_OK,
                  "\n\xC3\xA9", 3);
}

static void test_decode_counted(void **state)
{
    (void)state;
    /* Only len bytes are read: "%4" at the end is incomplete even though
     * the C string continues. */
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_url_decode(&b, "ab%41", 4, MSNP_URL_STRICT), MSNP_E_BAD_ESCAPE);
    assert_int_equal(msnp_url_decode(&b, "ab%41", 5, MSNP_URL_STRICT), MSNP_OK);
    assert_string_equal(b.data, "abA");
    assert_int_equal(msnp_url_decode(&b, NULL, 0, MSNP_URL_STRICT), MSNP_OK);
    assert_int_equal(msnp_url_decode(&b, NULL, 3, MSNP_URL_STRICT), MSNP_E_INVALID_ARG);
    assert_string_equal(b.data, "abA");
    msnp_buf_free(&b);
}

static void test_decode_dup(void **state)
{
    (void)state;
    char *s = (char *)1;
    assert_int_equal(msnp_url_decode_dup("Alice%20A.", MSNP_URL_STRICT, &s), MSNP_OK);
    assert_string_equal(s, "Alice A.");
    free(s);
    s = (char *)1;
    assert_int_equal(msnp_url_decode_dup("%", MSNP_URL_STRICT, &s), MSNP_E_BAD_ESCAPE);
    assert_null(s);
    s = (char *)1;
    assert_int_equal(msnp_url_decode_dup("%", MSNP_URL_LENIENT, &s), MSNP_OK);
    assert_string_equal(s, "%");
    free(s);
    s = (char *)1;
    assert_int_equal(msnp_url_decode_dup(NULL, MSNP_URL_STRICT, &s), MSNP_E_INVALID_ARG);
    assert_null(s);
    assert_int_equal(msnp_url_decode_dup("", MSNP_URL_STRICT, &s), MSNP_OK);
    assert_string_equal(s, "");
    free(s);
}

static void test_roundtrip(void **state)
{
    (void)state;
    static const char *const names[] = {
        "Alice (at work)", "Zo\xC3\xAB", "100% sure + more, yes",
        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", "\xF0\x9F\x98\x80 smile",
        "tab\there", "~!*'()-_.@",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *enc = msnp_url_encode_dup(names[i]);
        char *dec = NULL;
        assert_non_null(enc);
        assert_null(strchr(enc, ' '));
        assert_int_equal(msnp_url_decode_dup(enc, MSNP_URL_STRICT, &dec), MSNP_OK);
        assert_string_equal(dec, names[i]);
        free(enc);
        free(dec);
    }
}

static void expect_utf8(const char *s, size_t len, bool valid)
{
    assert_int_equal(msnp_utf8_valid(s, len), valid);
}

static void test_utf8_valid(void **state)
{
    (void)state;
    expect_utf8("", 0, true);
    expect_utf8("plain", 5, true);
    expect_utf8("\xC2\x80", 2, true);                 /* U+0080 */
    expect_utf8("\xDF\xBF", 2, true);                 /* U+07FF */
    expect_utf8("\xE0\xA0\x80", 3, true);             /* U+0800 */
    expect_utf8("\xED\x9F\xBF", 3, true);             /* U+D7FF */
    expect_utf8("\xEE\x80\x80", 3, true);             /* U+E000 */
    expect_utf8("\xEF\xBF\xBF", 3, true);             /* U+FFFF */
    expect_utf8("\xF0\x90\x80\x80", 4, true);         /* U+10000 */
    expect_utf8("\xF4\x8F\xBF\xBF", 4, true);         /* U+10FFFF */
    expect_utf8("a\0b", 3, true);                     /* NUL is UTF-8 */
}

static void test_utf8_invalid(void **state)
{
    (void)state;
    expect_utf8("\x80", 1, false);                    /* lone continuation */
    expect_utf8("\xBF", 1, false);
    expect_utf8("\xC0\x80", 2, false);                /* overlong NUL */
    expect_utf8("\xC1\xBF", 2, false);                /* overlong */
    expect_utf8("\xE0\x80\x80", 3, false);            /* overlong */
    expect_utf8("\xE0\x9F\xBF", 3, false);            /* overlong U+07FF */
    expect_utf8("\xF0\x80\x80\x80", 4, false);        /* overlong */
    expect_utf8("\xF0\x8F\xBF\xBF", 4, false);        /* overlong U+FFFF */
    expect_utf8("\xED\xA0\x80", 3, false);            /* U+D800 */
    expect_utf8("\xED\xBF\xBF", 3, false);            /* U+DFFF */
    expect_utf8("\xF4\x90\x80\x80", 4, false);        /* U+110000 */
    expect_utf8("\xF5\x80\x80\x80", 4, false);
    expect_utf8("\xF8\x88\x80\x80\x80", 5, false);    /* 5-byte form */
    expect_utf8("\xFE", 1, false);
    expect_utf8("\xFF", 1, false);
    expect_utf8("\xC3", 1, false);                    /* truncated */
    expect_utf8("\xE2\x82", 2, false);
    expect_utf8("\xF0\x9F\x98", 3, false);
    expect_utf8("\xC3\x28", 2, false);                /* bad continuation */
    expect_utf8("\xE2\x28\xA1", 3, false);
    expect_utf8("\xE2\x82\x28", 3, false);
    expect_utf8("\xF0\x9F\x98\x28", 4, false);
    /* Length is honoured: the sequence is cut by len. */
    expect_utf8("\xC3\xA9", 1, false);
}

static void expect_cp1252(const char *in, size_t len, const char *want)
{
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_cp1252_to_utf8(&b, in, len), MSNP_OK);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    msnp_buf_free(&b);
}

static void test_cp1252(void **state)
{
    (void)state;
    expect_cp1252("abc", 3, "abc");
    expect_cp1252("\x80", 1, "\xE2\x82\xAC");        /* euro sign */
    expect_cp1252("\x81", 1, "\xC2\x81");            /* undefined: C1 control */
    expect_cp1252("\x8A", 1, "\xC5\xA0");            /* S caron */
    expect_cp1252("\x93\x94", 2, "\xE2\x80\x9C\xE2\x80\x9D");
    expect_cp1252("\x99", 1, "\xE2\x84\xA2");        /* trade mark */
    expect_cp1252("\x9F", 1, "\xC5\xB8");            /* Y diaeresis */
    expect_cp1252("\xA0", 1, "\xC2\xA0");
    expect_cp1252("\xE9", 1, "\xC3\xA9");
    expect_cp1252("\xFF", 1, "\xC3\xBF");
    expect_cp1252("", 0, "");

    /* Every output is valid UTF-8. */
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_cp1252_to_utf8(&b, all, sizeof all), MSNP_OK);
    assert_true(msnp_utf8_valid(b.data, b.len));
    msnp_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_spec_examples),
        cmocka_unit_test(test_encode_every_byte),
        cmocka_unit_test(test_encode_appends),
        cmocka_unit_test(test_encode_limit_leaves_buffer),
        cmocka_unit_test(test_encode_dup),
        cmocka_unit_test(test_decode_strict),
        cmocka_unit_test(test_decode_strict_errors),
        cmocka_unit_test(test_decode_allow_control),
        cmocka_unit_test(test_decode_lenient),
        cmocka_unit_test(test_decode_counted),
        cmocka_unit_test(test_decode_dup),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_invalid),
        cmocka_unit_test(test_cp1252),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
