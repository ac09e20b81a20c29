/* test_alert.c - NOT alert documents (msnp.md 7.1). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "msnp_alert.h"
#include "msnp_status.h"

#define S(lit) lit, sizeof(lit) - 1

/* msnp.md 7.1: 324 bytes, CR LF line ends, none after the last line. */
static const char spec_alert[] =
    "<NOTIFICATION ver=\"1\" id=\"7\" siteid=\"111100200\" siteurl=\"http://alerts.example.net/\">\r\n"
    "<TO pid=\"0x00000C1C:0xB669FD2E\" name=\"alice@example.com\" />\r\n"
    "<MSG pri=\"\" id=\"1\">\r\n"
    "<ACTION url=\"a.asp?x=1\" />\r\n"
    "<SUBSCR url=\"s.asp?x=1\" />\r\n"
    "<BODY lang=\"1033\" icon=\"\">\r\n"
    "<TEXT>Your build has finished.</TEXT>\r\n"
    "</BODY>\r\n"
    "</MSG>\r\n"
    "</NOTIFICATION>";

static msnp_alert spec_struct(void)
{
    msnp_alert a;
    memset(&a, 0, sizeof a);
    a.ver = 1;
    a.id = 7;
    a.site_id = 111100200;
    a.site_url = "http://alerts.example.net/";
    a.pid_high = 3100;
    a.pid_low = 0xB669FD2E;
    a.to_name = "alice@example.com";
    a.pri = "";
    a.msg_id = 1;
    a.action_url = "a.asp?x=1";
    a.subscr_url = "s.asp?x=1";
    a.lang = 1033;
    a.icon = "";
    a.text = "Your build has finished.";
    return a;
}

static void str_eq(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void expect_alert_equal(const msnp_alert *a, const msnp_alert *b)
{
    assert_int_equal(a->ver, b->ver);
    assert_int_equal(a->id, b->id);
    assert_int_equal(a->site_id, b->site_id);
    str_eq(a->site_url, b->site_url);
    assert_int_equal(a->pid_high, b->pid_high);
    assert_int_equal(a->pid_low, b->pid_low);
    str_eq(a->to_name, b->to_name);
    str_eq(a->to_email, b->to_email);
    str_eq(a->pri, b->pri);
    assert_int_equal(a->msg_id, b->msg_id);
    str_eq(a->action_url, b->action_url);
    str_eq(a->subscr_url, b->subscr_url);
    assert_int_equal(a->lang, b->lang);
    str_eq(a->icon, b->icon);
    str_eq(a->text, b->text);
    str_eq(a->textx, b->textx);
}

static void test_build_spec(void **state)
{
    (void)state;
    assert_int_equal(sizeof spec_alert - 1, 324);
    msnp_alert a = spec_struct();
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_alert_build(&b, &a), MSNP_OK);
    assert_int_equal(b.len, 324);
    assert_memory_equal(b.data, spec_alert, 324);
    msnp_buf_free(&b);
}

static void test_parse_spec(void **state)
{
    (void)state;
    msnp_alert want = spec_struct(), got;
    assert_int_equal(msnp_alert_parse(S(spec_alert), &got), MSNP_OK);
    expect_alert_equal(&got, &want);
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_alert_build(&b, &got), MSNP_OK);
    assert_int_equal(b.len, 324);
    assert_memory_equal(b.data, spec_alert, 324);
    msnp_buf_free(&b);
    msnp_alert_free(&got);
    assert_null(got.text);
    msnp_alert_free(NULL);
}

static void test_escaping_roundtrip(void **state)
{
    (void)state;
    msnp_alert a = spec_struct(), got;
    a.site_url = "http://x/?a=1&b='2'";
    a.to_name = "o'brien@example.com";
    a.to_email = "o\"b\"@example.com";
    a.action_url = "go.asp?x=<1>&y=2";
    a.text = "Tom & Jerry <3 \"quotes\" 'single' caf\xC3\xA9\r\nline two\tend";
    a.textx = "<b>bold</b> & more";
    a.pri = "1";
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_alert_build(&b, &a), MSNP_OK);
    assert_non_null(strstr(b.data, " siteurl=\"http://x/?a=1&amp;b=&apos;2&apos;\">\r\n"));
    assert_non_null(strstr(b.data, "<TO pid=\"0x00000C1C:0xB669FD2E\" name=\"o&apos;brien@example.com\""
                                   " email=\"o&quot;b&quot;@example.com\" />\r\n"));
    assert_non_null(strstr(b.data, "<MSG pri=\"1\" id=\"1\">\r\n"));
    assert_non_null(strstr(b.data, "<ACTION url=\"go.asp?x=&lt;1&gt;&amp;y=2\" />"));
    assert_non_null(strstr(b.data, "<TEXT>Tom &amp; Jerry &lt;3 &quot;quotes&quot; 'single' "
                                   "caf\xC3\xA9\r\nline two\tend</TEXT>\r\n"
                                   "<TEXTX>&lt;b&gt;bold&lt;/b&gt; &amp; more</TEXTX>\r\n"
                                   "</BODY>\r\n</MSG>\r\n</NOTIFICATION>"));
    assert_int_equal(msnp_alert_parse(b.data, b.len, &got), MSNP_OK);
    expect_alert_equal(&got, &a);
    msnp_alert_free(&got);
    msnp_buf_free(&b);
}

static void test_null_optionals(void **state)
{
    (void)state;
    msnp_alert a, got;
    memset(&a, 0, sizeof a);
    a.to_name = "bob@example.org";
    a.text = "";
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_alert_build(&b, &a), MSNP_OK);
    assert_string_equal(b.data,
                        "<NOTIFICATION ver=\"0\" id=\"0\" siteid=\"0\" siteurl=\"\">\r\n"
                        "<TO pid=\"0x00000000:0x00000000\" name=\"bob@example.org\" />\r\n"
                        "<MSG pri=\"\" id=\"0\">\r\n"
                        "<ACTION url=\"\" />\r\n"
                        "<SUBSCR url=\"\" />\r\n"
                        "<BODY lang=\"0\" icon=\"\">\r\n"
                        "<TEXT></TEXT>\r\n"
                        "</BODY>\r\n"
                        "</MSG>\r\n"
                        "</NOTIFICATION>");
    assert_int_equal(msnp_alert_parse(b.data, b.len, &got), MSNP_OK);
    assert_string_equal(got.text, "");
    assert_string_equal(got.site_url, "");
    assert_null(got.to_email);
    assert_null(got.textx);
    msnp_alert_free(&got);
    msnp_buf_free(&b);
}

/* A text that makes the BODY element exactly n bytes long. */
static int build_with_body(size_t n, msnp_buf *b)
{
    /* <BODY lang="1033" icon="">CRLF<TEXT> ... </TEXT>CRLF</BODY> */
    static const size_t overhead = 26 + 2 + 6 + 7 + 2 + 7;
    msnp_alert a = spec_struct();
    char *text = malloc(n - overhead + 1);
    assert_non_null(text);
    memset(text, 'x', n - overhead);
    text[n - overhead] = '\0';
    a.text = text;
    int rc = msnp_alert_build(b, &a);
    free(text);
    return rc;
}

static void test_body_limit(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(build_with_body(MSNP_ALERT_BODY_MAX, &b), MSNP_OK);
    const char *start = strstr(b.data, "<BODY");
    const char *end = strstr(b.data, "</BODY>");
    assert_non_null(start);
    assert_non_null(end);
    assert_int_equal(end + 7 - start, MSNP_ALERT_BODY_MAX);
    msnp_buf_reset(&b);
    assert_int_equal(build_with_body(MSNP_ALERT_BODY_MAX + 1, &b), MSNP_E_TOO_LONG);
    assert_int_equal(b.len, 0);
    /* Escapes count at their escaped size. */
    msnp_alert a = spec_struct();
    char text[300];
    memset(text, '&', sizeof text - 1);
    text[sizeof text - 1] = '\0';              /* 299 * 5 bytes escaped */
    a.text = text;
    assert_int_equal(msnp_alert_build(&b, &a), MSNP_E_TOO_LONG);
    msnp_buf_free(&b);
}

static void expect_build_error(const msnp_alert *a, int rc)
{
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_buf_append_str(&b, "NOT 0\r\n"), MSNP_OK);
    assert_int_equal(msnp_alert_build(&b, a), rc);
    assert_string_equal(b.data, "NOT 0\r\n");
    msnp_buf_free(&b);
}

static void test_build_errors(void **state)
{
    (void)state;
    msnp_alert a = spec_struct();
    a.text = NULL;
    expect_build_error(&a, MSNP_E_INVALID_ARG);
    a = spec_struct();
    a.to_name = NULL;
    expect_build_error(&a, MSNP_E_INVALID_ARG);
    expect_build_error(NULL, MSNP_E_INVALID_ARG);
    a = spec_struct();
    assert_int_equal(msnp_alert_build(NULL, &a), MSNP_E_INVALID_ARG);
    a.text = "caf\xE9";
    expect_build_error(&a, MSNP_E_BAD_UTF8);
    a = spec_struct();
    a.icon = "\xC0\x80";
    expect_build_error(&a, MSNP_E_BAD_UTF8);
    a = spec_struct();
    a.textx = "bell\x07";
    expect_build_error(&a, MSNP_E_CONTROL_CHAR);
    a = spec_struct();
    a.subscr_url = "del\x7F";
    expect_build_error(&a, MSNP_E_CONTROL_CHAR);
    /* A buffer limit in the middle leaves the buffer untouched. */
    a = spec_struct();
    msnp_buf b = MSNP_BUF_INIT;
    msnp_buf_set_limit(&b, 200);
    assert_int_equal(msnp_alert_build(&b, &a), MSNP_E_TOO_LONG);
    assert_int_equal(b.len, 0);
    msnp_buf_free(&b);
}

static void expect_text(const char *doc, size_t len, const char *want)
{
    msnp_alert got;
    assert_int_equal(msnp_alert_parse(doc, len, &got), MSNP_OK);
    assert_string_equal(got.text, want);
    msnp_alert_free(&got);
}

static void test_parse_entities(void **state)
{
    (void)state;
    expect_text(S("<NOTIFICATION><TEXT>Tom & Jerry</TEXT></NOTIFICATION>"), "Tom & Jerry");
    expect_text(S("<NOTIFICATION><TEXT>a &amp; b &lt;&gt; &quot;&apos;</TEXT>"), "a & b <> \"'");
    expect_text(S("<NOTIFICATION><TEXT>&nbsp;&AMP;&amp</TEXT>"), "&nbsp;&AMP;&amp");
    expect_text(S("<NOTIFICATION><TEXT>&#65;&#x42;&#X43;&#233;&#x20AC;&#x1F600;</TEXT>"),
                "ABC\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    expect_text(S("<NOTIFICATION><TEXT>&#0;&#xD800;&#x110000;&#;&#x;&#1a;&#123456789;</TEXT>"),
                "&#0;&#xD800;&#x110000;&#;&#x;&#1a;&#123456789;");
    expect_text(S("<NOTIFICATION><TEXT>&#x10FFFF;&</TEXT>"), "\xF4\x8F\xBF\xBF&");
    expect_text(S("<NOTIFICATION><TEXT>&#xe9;&#xaB;</TEXT>"), "\xC3\xA9\xC2\xAB");
    expect_text(S("<NOTIFICATION><TEXT>&amp;amp;</TEXT>"), "&amp;");
}

static void test_parse_lenient(void **state)
{
    (void)state;
    static const char doc[] =
        "<?xml version=\"1.0\"?>\n"
        "<!-- <TEXT>not this</TEXT> -->\n"
        "<notification VER='2' Id=9 siteid=\"\" siteurl = 'http://s/'>"
        "<CAT id=\"3\"/>"
        "<to pid=\"0xc1c:0XB669FD2E\" name=alice@example.com email='a@b.c'>"
        "<VIA agent=\"messenger\"/></to>"
        "<msg id=\"12\"><action url=\"a?b=1&c=2\"/><subscr/>"
        "<body lang=\"1036\" icon=\"i.png\"><text>Bonjour <b>ici</b></Text>"
        "<TEXTX>x</textx></body></msg>"
        "<TEXT>second TEXT is ignored</TEXT>";
    msnp_alert got;
    assert_int_equal(msnp_alert_parse(S(doc), &got), MSNP_OK);
    assert_int_equal(got.ver, 2);
    assert_int_equal(got.id, 9);
    assert_int_equal(got.site_id, 0);
    assert_string_equal(got.site_url, "http://s/");
    assert_int_equal(got.pid_high, 0xC1C);
    assert_int_equal(got.pid_low, 0xB669FD2E);
    assert_string_equal(got.to_name, "alice@example.com");
    assert_string_equal(got.to_email, "a@b.c");
    assert_null(got.pri);
    assert_int_equal(got.msg_id, 12);
    assert_string_equal(got.action_url, "a?b=1&c=2");
    assert_null(got.subscr_url);
    assert_int_equal(got.lang, 1036);
    assert_string_equal(got.icon, "i.png");
    assert_string_equal(got.text, "Bonjour <b>ici</b>");
    assert_string_equal(got.textx, "x");
    msnp_alert_free(&got);
}

static void test_parse_odd_shapes(void **state)
{
    (void)state;
    /* Unclosed TEXT runs to the end; self-closing TEXT is empty. */
    expect_text(S("<NOTIFICATION><TEXT>no end"), "no end");
    expect_text(S("<NOTIFICATION><TEXT/>"), "");
    expect_text(S("<NOTIFICATION/><TEXT />"), "");
    /* TEXTX before TEXT does not confuse the two. */
    msnp_alert got;
    assert_int_equal(msnp_alert_parse(S("<NOTIFICATION><TEXTX>x</TEXTX><TEXT>t</TEXT>"), &got),
                     MSNP_OK);
    assert_string_equal(got.text, "t");
    assert_string_equal(got.textx, "x");
    msnp_alert_free(&got);
    /* Attribute oddities: duplicates (first wins), no value, unterminated. */
    assert_int_equal(msnp_alert_parse(S("<NOTIFICATION id=\"1\" id=\"2\" flag siteurl=\"x"
                                        "<TEXT>t</TEXT>"), &got), MSNP_E_MISSING_FIELD);
    assert_int_equal(msnp_alert_parse(S("<NOTIFICATION id=\"1\" id=\"2\" flag = "
                                        "><TEXT>t</TEXT>"), &got), MSNP_OK);
    assert_int_equal(got.id, 1);
    msnp_alert_free(&got);
    /* An unterminated comment swallows the rest. */
    assert_int_equal(msnp_alert_parse(S("<NOTIFICATION><!-- <TEXT>t</TEXT>"), &got),
                     MSNP_E_MISSING_FIELD);
}

static void expect_parse_error(const char *doc, size_t len, int rc)
{
    msnp_alert got;
    memset(&got, 'z', sizeof got);     /* must come back zeroed */
    assert_int_equal(msnp_alert_parse(doc, len, &got), rc);
    assert_null(got.text);
    assert_null(got.storage_);
    assert_int_equal(got.ver, 0);
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_parse_error(S("<TEXT>t</TEXT>"), MSNP_E_MISSING_FIELD);
    expect_parse_error(S("<NOTIFICATION ver=\"1\"></NOTIFICATION>"), MSNP_E_MISSING_FIELD);
    expect_parse_error(S(""), MSNP_E_MISSING_FIELD);
    expect_parse_error(S("not xml at all"), MSNP_E_MISSING_FIELD);
    expect_parse_error(S("<NOTIFICATION ver=\"one\"><TEXT>t</TEXT>"), MSNP_E_BAD_VALUE);
    expect_parse_error(S("<NOTIFICATION id=\"-1\"><TEXT>t</TEXT>"), MSNP_E_BAD_VALUE);
    expect_parse_error(S("<NOTIFICATION siteid=\"4294967296\"><TEXT>t</TEXT>"), MSNP_E_BAD_VALUE);
    expect_parse_error(S("<NOTIFICATION><MSG id=\"x\"/><TEXT>t</TEXT>"), MSNP_E_BAD_VALUE);
    expect_parse_error(S("<NOTIFICATION><BODY lang=\"en\"/><TEXT>t</TEXT>"), MSNP_E_BAD_VALUE);
    static const char *const pids[] = {
        "0x1:2", "1:0x2", "0x123456789:0x1", "0x:0x1", "0x1:0x", "0x1;0x2",
        "0x1:0x2 ", "0x1:0x2:0x3", "0xg:0x1", "0x1",
    };
    for (size_t i = 0; i < sizeof pids / sizeof pids[0]; i++) {
        msnp_buf b = MSNP_BUF_INIT;
        assert_int_equal(msnp_buf_appendf(&b, "<NOTIFICATION><TO pid=\"%s\"/><TEXT>t</TEXT>",
                                          pids[i]), MSNP_OK);
        expect_parse_error(b.data, b.len, MSNP_E_BAD_VALUE);
        msnp_buf_free(&b);
    }
    expect_parse_error(NULL, 3, MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_alert_parse(S(spec_alert), NULL), MSNP_E_INVALID_ARG);
}

static void test_parse_every_prefix(void **state)
{
    (void)state;
    /* Truncated documents must never be read past their end (ASan). */
    for (size_t n = 0; n <= sizeof spec_alert - 1; n++) {
        char *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, spec_alert, n);
        msnp_alert got;
        int rc = msnp_alert_parse(copy, n, &got);
        assert_true(rc == MSNP_OK || rc == MSNP_E_MISSING_FIELD || rc == MSNP_E_BAD_VALUE);
        if (rc == MSNP_OK)
            assert_non_null(got.text);
        msnp_alert_free(&got);
        free(copy);
    }
}

static void test_escape_helpers(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_xml_escape(&b, S("<a href='x'>&\"</a>"), false), MSNP_OK);
    assert_string_equal(b.data, "&lt;a href='x'&gt;&amp;&quot;&lt;/a&gt;");
    msnp_buf_reset(&b);
    assert_int_equal(msnp_xml_escape(&b, S("'"), true), MSNP_OK);
    assert_string_equal(b.data, "&apos;");
    msnp_buf_reset(&b);
    assert_int_equal(msnp_xml_unescape(&b, S("&lt;a&gt; &#x27;&apos;&quot;&amp;")), MSNP_OK);
    assert_string_equal(b.data, "<a> ''\"&");
    msnp_buf_reset(&b);
    assert_int_equal(msnp_xml_unescape(&b, "x&amp;", 2), MSNP_OK); /* counted */
    assert_string_equal(b.data, "x&");
    msnp_buf_reset(&b);
    msnp_buf_set_limit(&b, 3);
    assert_int_equal(msnp_xml_escape(&b, S("a&b"), false), MSNP_E_TOO_LONG);
    assert_int_equal(b.len, 0);
    msnp_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_spec),
        cmocka_unit_test(test_parse_spec),
        cmocka_unit_test(test_escaping_roundtrip),
        cmocka_unit_test(test_null_optionals),
        cmocka_unit_test(test_body_limit),
        cmocka_unit_test(test_build_errors),
        cmocka_unit_test(test_parse_entities),
        cmocka_unit_test(test_parse_lenient),
        cmocka_unit_test(test_parse_odd_shapes),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_every_prefix),
        cmocka_unit_test(test_escape_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
