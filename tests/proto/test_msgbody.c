/* test_msgbody.c - typed MSG payloads (msnp.md 2.7, 5.7, 5.8, 7.2, 7.3). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "msnp_msgbody.h"
#include "msnp_status.h"

#define S(lit) lit, sizeof(lit) - 1

/* ---- the msnp.md examples, byte for byte --------------------------------- */

static const char spec_text[] = /* 5.7, 141 bytes */
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "X-MMS-IM-Format: FN=MS%20Sans%20Serif; EF=B; CO=ff0000; CS=0; PF=22\r\n"
    "\r\n"
    "Hello Bob!";

static const char spec_typing[] = /* 5.8, 90 bytes */
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/x-msmsgscontrol\r\n"
    "TypingUser: alice@example.com\r\n"
    "\r\n"
    "\r\n";

static const char spec_profile[] = /* 2.7, 417 bytes */
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/x-msmsgsprofile; charset=UTF-8\r\n"
    "LoginTime: 1062764229\r\n"
    "EmailEnabled: 0\r\n"
    "MemberIdHigh: 3100\r\n"
    "MemberIdLow: -1234567890\r\n"
    "lang_preference: 1033\r\n"
    "preferredEmail: alice@example.com\r\n"
    "country: US\r\n"
    "PostalCode: \r\n"
    "Gender: \r\n"
    "Kid: 0\r\n"
    "Age: \r\n"
    "BDayPre: \r\n"
    "Birthday: \r\n"
    "Wallet: \r\n"
    "Flags: 1027\r\n"
    "sid: 507\r\n"
    "kv: 5\r\n"
    "MSPAuth: 7Ok3xWq9Nf2bLrT5sVy8Pz1aHc4mDg6E$$\r\n"
    "ClientIP: 192.0.2.17\r\n"
    "ClientPort: 10247\r\n"
    "\r\n";

static const char spec_initial_email[] = /* 2.7 / 7.2, 253 bytes */
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/x-msmsgsinitialemailnotification; charset=UTF-8\r\n"
    "\r\n"
    "Inbox-Unread: 2\r\n"
    "Folders-Unread: 0\r\n"
    "Inbox-URL: /cgi-bin/HoTMaiL\r\n"
    "Folders-URL: /cgi-bin/folders\r\n"
    "Post-URL: https://login.example.net/ppsecure/md5auth.srf?lc=1033\r\n"
    "\r\n";

static const char spec_email[] = /* 7.2, 350 bytes */
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/x-msmsgsemailnotification; charset=UTF-8\r\n"
    "\r\n"
    "From: Bob Example\r\n"
    "Message-URL: /cgi-bin/getmsg?msg=MSG1062764300.17&start=1&len=2048&curmbox=ACTIVE\r\n"
    "Post-URL: https://login.example.net/ppsecure/md5auth.srf?lc=1033\r\n"
    "Subject: =?\"us-ascii\"?Q?Lunch_tomorrow?=\r\n"
    "Dest-Folder: ACTIVE\r\n"
    "From-Addr: bob@example.org\r\n"
    "id: 2\r\n"
    "\r\n";

static const char spec_active_email[] = /* 7.2, 147 bytes */
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/x-msmsgsactivemailnotification; charset=UTF-8\r\n"
    "\r\n"
    "Src-Folder: ACTIVE\r\n"
    "Dest-Folder: trAsH\r\n"
    "Message-Delta: 1\r\n"
    "\r\n";

static const char spec_system[] = /* 7.3, 88 bytes */
    "MIME-Version: 1.0\r\n"
    "Content-Type: application/x-msmsgssystemmessage\r\n"
    "\r\n"
    "Type: 1\r\n"
    "Arg1: 5\r\n";

static void expect_bytes(const msnp_buf *b, const char *want, size_t len)
{
    assert_int_equal(b->len, len);
    assert_memory_equal(b->data, want, len);
}

static void test_spec_lengths(void **state)
{
    (void)state;
    /* The byte counts printed in msnp.md. */
    assert_int_equal(sizeof spec_text - 1, 141);
    assert_int_equal(sizeof spec_typing - 1, 90);
    assert_int_equal(sizeof spec_profile - 1, 417);
    assert_int_equal(sizeof spec_initial_email - 1, 253);
    assert_int_equal(sizeof spec_email - 1, 350);
    assert_int_equal(sizeof spec_active_email - 1, 147);
    assert_int_equal(sizeof spec_system - 1, 88);
}

/* ---- X-MMS-IM-Format ----------------------------------------------------- */

static msnp_text_format spec_format(void)
{
    msnp_text_format f;
    memset(&f, 0, sizeof f);
    strcpy(f.font, "MS Sans Serif");
    f.effects = MSNP_EFFECT_BOLD;
    f.color = 0xff0000;
    f.charset = 0;
    f.pitch_family = 0x22;
    return f;
}

static void expect_format(const msnp_text_format *f, const char *want)
{
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_text_format_build(&b, f), MSNP_OK);
    assert_string_equal(b.data, want);
    msnp_buf_free(&b);
}

static void test_format_build(void **state)
{
    (void)state;
    msnp_text_format f = spec_format();
    expect_format(&f, "FN=MS%20Sans%20Serif; EF=B; CO=ff0000; CS=0; PF=22");
    f.effects = MSNP_EFFECT_STRIKE | MSNP_EFFECT_UNDERLINE | MSNP_EFFECT_ITALIC | MSNP_EFFECT_BOLD;
    f.color = 0xff;
    f.charset = 0xA1;
    f.pitch_family = 0;
    f.rtl = true;
    strcpy(f.font, "Arial");
    expect_format(&f, "FN=Arial; EF=BIUS; CO=ff; CS=A1; PF=00; RL=1");
    memset(&f, 0, sizeof f);
    expect_format(&f, "FN=; EF=; CO=0; CS=0; PF=00");
    f.effects = MSNP_EFFECT_UNDERLINE;
    f.color = 0x00a0b0;
    f.charset = 0x86;
    strcpy(f.font, "\xE5\xAE\x8B\xE4\xBD\x93"); /* SimSun in Chinese */
    expect_format(&f, "FN=%E5%AE%8B%E4%BD%93; EF=U; CO=a0b0; CS=86; PF=00");
}

static void expect_format_build_error(const msnp_text_format *f, int rc)
{
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_buf_append_str(&b, "x"), MSNP_OK);
    assert_int_equal(msnp_text_format_build(&b, f), rc);
    assert_string_equal(b.data, "x");
    msnp_buf_free(&b);
}

static void test_format_build_errors(void **state)
{
    (void)state;
    msnp_text_format f = spec_format();
    f.color = 0x1000000;
    expect_format_build_error(&f, MSNP_E_INVALID_ARG);
    f = spec_format();
    f.effects = 1u << 4;
    expect_format_build_error(&f, MSNP_E_INVALID_ARG);
    f = spec_format();
    f.charset = 256;
    expect_format_build_error(&f, MSNP_E_INVALID_ARG);
    f = spec_format();
    f.pitch_family = 256;
    expect_format_build_error(&f, MSNP_E_INVALID_ARG);
    f = spec_format();
    memset(f.font, 'a', sizeof f.font);               /* not terminated */
    expect_format_build_error(&f, MSNP_E_INVALID_ARG);
    f = spec_format();
    strcpy(f.font, "bad\xC3");
    expect_format_build_error(&f, MSNP_E_BAD_UTF8);
    expect_format_build_error(NULL, MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_text_format_build(NULL, &f), MSNP_E_INVALID_ARG);
}

static void test_format_parse(void **state)
{
    (void)state;
    msnp_text_format f;
    assert_int_equal(msnp_text_format_parse(
                         "FN=MS%20Sans%20Serif; EF=B; CO=ff0000; CS=0; PF=22", &f), MSNP_OK);
    assert_string_equal(f.font, "MS Sans Serif");
    assert_int_equal(f.effects, MSNP_EFFECT_BOLD);
    assert_int_equal(f.color, 0xff0000);
    assert_int_equal(f.charset, 0);
    assert_int_equal(f.pitch_family, 0x22);
    assert_false(f.rtl);

    /* Any order, any case, spaces, empty items, unknown keys. */
    assert_int_equal(msnp_text_format_parse(
                         " pf=1a ;co = FF;;ef=iSu ; Xx=whatever; fn=Times New Roman;cs=cc; rl=1;", &f),
                     MSNP_OK);
    assert_string_equal(f.font, "Times New Roman");
    assert_int_equal(f.effects, MSNP_EFFECT_ITALIC | MSNP_EFFECT_STRIKE | MSNP_EFFECT_UNDERLINE);
    assert_int_equal(f.color, 0xff);
    assert_int_equal(f.charset, 0xCC);
    assert_int_equal(f.pitch_family, 0x1A);
    assert_true(f.rtl);

    /* Later keys override; EF may be empty; lenient font decoding. */
    assert_int_equal(msnp_text_format_parse("EF=B; EF=; FN=100%; RL=0", &f), MSNP_OK);
    assert_int_equal(f.effects, 0);
    assert_string_equal(f.font, "100%");
    assert_false(f.rtl);
    assert_int_equal(msnp_text_format_parse("FN=Caf%E9", &f), MSNP_OK);
    assert_string_equal(f.font, "Caf\xC3\xA9");
    assert_int_equal(msnp_text_format_parse("", &f), MSNP_OK);
    assert_string_equal(f.font, "");
}

static void expect_format_parse_error(const char *v, int rc)
{
    msnp_text_format f;
    memset(&f, 'z', sizeof f);
    assert_int_equal(msnp_text_format_parse(v, &f), rc);
    assert_string_equal(f.font, "");
    assert_int_equal(f.color, 0);
}

static void test_format_parse_errors(void **state)
{
    (void)state;
    expect_format_parse_error("FN", MSNP_E_BAD_VALUE);
    expect_format_parse_error("CO=ff; garbage", MSNP_E_BAD_VALUE);
    expect_format_parse_error("EF=X", MSNP_E_BAD_VALUE);
    expect_format_parse_error("EF=B I", MSNP_E_BAD_VALUE);
    expect_format_parse_error("CO=1234567", MSNP_E_BAD_VALUE);
    expect_format_parse_error("CO=", MSNP_E_BAD_VALUE);
    expect_format_parse_error("CO=zz", MSNP_E_BAD_VALUE);
    expect_format_parse_error("CO=-1", MSNP_E_BAD_VALUE);
    expect_format_parse_error("CS=123", MSNP_E_BAD_VALUE);
    expect_format_parse_error("PF=", MSNP_E_BAD_VALUE);
    expect_format_parse_error("PF=g", MSNP_E_BAD_VALUE);
    expect_format_parse_error("RL=2", MSNP_E_BAD_VALUE);
    expect_format_parse_error("RL=", MSNP_E_BAD_VALUE);
    expect_format_parse_error("FN=a%0Ab", MSNP_E_CONTROL_CHAR);
    expect_format_parse_error("FN=a%00b", MSNP_E_CONTROL_CHAR);
    char v[MSNP_FONT_MAX + 8];
    strcpy(v, "FN=");
    memset(v + 3, 'a', MSNP_FONT_MAX);
    v[3 + MSNP_FONT_MAX] = '\0';
    expect_format_parse_error(v, MSNP_E_TOO_LONG);
    v[3 + MSNP_FONT_MAX - 1] = '\0';                 /* 127 bytes: fits */
    msnp_text_format f;
    assert_int_equal(msnp_text_format_parse(v, &f), MSNP_OK);
    assert_int_equal(strlen(f.font), MSNP_FONT_MAX - 1);
    assert_int_equal(msnp_text_format_parse(NULL, &f), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_text_format_parse("", NULL), MSNP_E_INVALID_ARG);
}

/* ---- text/plain ---------------------------------------------------------- */

static void test_text_build_spec(void **state)
{
    (void)state;
    msnp_text_format f = spec_format();
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_text_build(&b, "Hello Bob!", 10, &f), MSNP_OK);
    expect_bytes(&b, spec_text, 141);
    msnp_buf_free(&b);
}

static void test_text_build_plain_and_crlf(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_text_build(&b, S("one\ntwo\r\nthree\n\n"), NULL), MSNP_OK);
    assert_string_equal(b.data, "MIME-Version: 1.0\r\n"
                                "Content-Type: text/plain; charset=UTF-8\r\n"
                                "\r\n"
                                "one\r\ntwo\r\nthree\r\n\r\n");
    msnp_buf_reset(&b);
    assert_int_equal(msnp_text_build(&b, S("\nx\r"), NULL), MSNP_OK);
    assert_string_equal(b.data + b.len - 4, "\r\nx\r");
    msnp_buf_reset(&b);
    assert_int_equal(msnp_text_build(&b, NULL, 0, NULL), MSNP_OK);
    assert_string_equal(b.data, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n");
    msnp_buf_free(&b);
}

static void test_text_build_errors(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    msnp_text_format f = spec_format();
    assert_int_equal(msnp_buf_append_str(&b, "MSG 1 N "), MSNP_OK);
    assert_int_equal(msnp_text_build(&b, S("caf\xE9"), NULL), MSNP_E_BAD_UTF8);
    assert_int_equal(msnp_text_build(&b, S("a\0b"), NULL), MSNP_E_CONTROL_CHAR);
    assert_int_equal(msnp_text_build(&b, NULL, 1, NULL), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_text_build(NULL, "a", 1, NULL), MSNP_E_INVALID_ARG);
    f.color = 0x1000000;
    assert_int_equal(msnp_text_build(&b, "a", 1, &f), MSNP_E_INVALID_ARG);
    f = spec_format();
    msnp_buf_set_limit(&b, 100);
    assert_int_equal(msnp_text_build(&b, "a", 1, &f), MSNP_E_TOO_LONG);
    assert_string_equal(b.data, "MSG 1 N ");
    msnp_buf_free(&b);
}

static void test_text_parse_spec(void **state)
{
    (void)state;
    msnp_text_msg m;
    assert_int_equal(msnp_text_parse(S(spec_text), &m), MSNP_OK);
    assert_string_equal(m.text, "Hello Bob!");
    assert_int_equal(m.len, 10);
    assert_true(m.has_format);
    assert_string_equal(m.format.font, "MS Sans Serif");
    assert_int_equal(m.format.effects, MSNP_EFFECT_BOLD);
    assert_int_equal(m.format.color, 0xff0000);
    assert_int_equal(m.format.pitch_family, 0x22);
    msnp_text_msg_free(&m);
    assert_null(m.text);
    msnp_text_msg_free(NULL);
}

static void test_text_roundtrip(void **state)
{
    (void)state;
    static const char text[] = "Line one\nZo\xC3\xAB \xF0\x9F\x98\x80\n\nend\n";
    msnp_text_format f = spec_format();
    f.effects = MSNP_EFFECT_ITALIC | MSNP_EFFECT_STRIKE;
    f.rtl = true;
    strcpy(f.font, "Trebuchet MS; odd=name");
    msnp_buf b = MSNP_BUF_INIT;
    msnp_text_msg m;
    assert_int_equal(msnp_text_build(&b, S(text), &f), MSNP_OK);
    assert_int_equal(msnp_text_parse(b.data, b.len, &m), MSNP_OK);
    assert_int_equal(m.len, sizeof text - 1);
    assert_memory_equal(m.text, text, m.len);
    assert_true(m.has_format);
    assert_string_equal(m.format.font, f.font);
    assert_int_equal(m.format.effects, f.effects);
    assert_int_equal(m.format.color, f.color);
    assert_int_equal(m.format.charset, f.charset);
    assert_int_equal(m.format.pitch_family, f.pitch_family);
    assert_int_equal(m.format.rtl, f.rtl);
    msnp_text_msg_free(&m);
    msnp_buf_free(&b);
}

static void expect_text(const char *payload, size_t len, const char *want)
{
    msnp_text_msg m;
    assert_int_equal(msnp_text_parse(payload, len, &m), MSNP_OK);
    assert_string_equal(m.text, want);
    assert_int_equal(m.len, strlen(want));
    msnp_text_msg_free(&m);
}

static void test_text_parse_charsets(void **state)
{
    (void)state;
    /* Plain text/plain is ISO-8859-1 (read as Windows-1252). */
    expect_text(S("Content-Type: text/plain\r\n\r\ncaf\xE9 \x80"), "caf\xC3\xA9 \xE2\x82\xAC");
    expect_text(S("Content-Type: text/plain; charset=ISO-8859-1\r\n\r\n\xE9"), "\xC3\xA9");
    expect_text(S("Content-Type: text/plain; charset=windows-1252\r\n\r\n\xE9"), "\xC3\xA9");
    expect_text(S("Content-Type: text/plain; charset=us-ascii\r\n\r\nabc"), "abc");
    expect_text(S("content-type: TEXT/PLAIN; CHARSET=utf-8\r\n\r\nZo\xC3\xAB"), "Zo\xC3\xAB");
    expect_text(S("Content-Type: text/plain; charset=utf8\r\n\r\nok"), "ok");
    /* CR LF becomes LF; a bare CR stays; bare LF stays. */
    expect_text(S("Content-Type: text/plain; charset=UTF-8\r\n\r\na\r\nb\rc\nd\r"),
                "a\nb\rc\nd\r");
    expect_text(S("Content-Type: text/plain; charset=UTF-8\r\n\r\n"), "");
}

static void expect_text_error(const char *payload, size_t len, int rc)
{
    msnp_text_msg m;
    memset(&m, 'z', sizeof m);         /* must come back zeroed */
    assert_int_equal(msnp_text_parse(payload, len, &m), rc);
    assert_null(m.text);
    assert_int_equal(m.len, 0);
    assert_false(m.has_format);
}

static void test_text_parse_errors(void **state)
{
    (void)state;
    expect_text_error(S("Content-Type: text/plain; charset=UTF-8\r\n\r\ncaf\xE9"), MSNP_E_BAD_UTF8);
    expect_text_error(S("Content-Type: text/plain; charset=Shift_JIS\r\n\r\nx"), MSNP_E_BAD_VALUE);
    expect_text_error(S("Content-Type: text/html\r\n\r\nx"), MSNP_E_BAD_VALUE);
    expect_text_error(S("Content-Type: text\r\n\r\nx"), MSNP_E_BAD_VALUE);
    expect_text_error(S("MIME-Version: 1.0\r\n\r\nx"), MSNP_E_MISSING_FIELD);
    expect_text_error(S("Content-Type: text/plain\r\n\r\na\0b"), MSNP_E_CONTROL_CHAR);
    expect_text_error(S("garbage"), MSNP_E_BAD_HEADER);
    expect_text_error(NULL, 4, MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_text_parse(S(spec_text), NULL), MSNP_E_INVALID_ARG);
}

static void test_text_parse_bad_format_ignored(void **state)
{
    (void)state;
    msnp_text_msg m;
    assert_int_equal(msnp_text_parse(S("Content-Type: text/plain; charset=UTF-8\r\n"
                                       "X-MMS-IM-Format: FN=Arial; CO=notacolour\r\n\r\nhi"), &m),
                     MSNP_OK);
    assert_string_equal(m.text, "hi");
    assert_false(m.has_format);
    assert_string_equal(m.format.font, "");
    msnp_text_msg_free(&m);
    assert_int_equal(msnp_text_parse(S("Content-Type: text/plain; charset=UTF-8\r\n"
                                       "x-mms-im-format: co=ff\r\n\r\nhi"), &m), MSNP_OK);
    assert_true(m.has_format);
    assert_int_equal(m.format.color, 0xff);
    msnp_text_msg_free(&m);
}

/* ---- typing -------------------------------------------------------------- */

static void test_typing(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    char *user = NULL;
    assert_int_equal(msnp_typing_build(&b, "alice@example.com"), MSNP_OK);
    expect_bytes(&b, spec_typing, 90);
    assert_int_equal(msnp_typing_parse(b.data, b.len, &user), MSNP_OK);
    assert_string_equal(user, "alice@example.com");
    free(user);
    /* Any body, any header case. */
    assert_int_equal(msnp_typing_parse(S("content-type: Text/X-MsMsgsControl\r\n"
                                         "typinguser: bob@example.org\r\n\r\nwhatever"), &user),
                     MSNP_OK);
    assert_string_equal(user, "bob@example.org");
    free(user);
    assert_int_equal(msnp_typing_parse(S("Content-Type: text/x-msmsgscontrol\r\n"
                                         "TypingUser: a@b.c\r\n"), &user), MSNP_OK);
    free(user);
    msnp_buf_free(&b);
}

static void test_typing_errors(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    char *user = (char *)1;
    assert_int_equal(msnp_typing_build(&b, NULL), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_typing_build(&b, ""), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_typing_build(&b, "a@b.c\r\nX: y"), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_typing_build(NULL, "a@b.c"), MSNP_E_INVALID_ARG);
    assert_int_equal(b.len, 0);
    msnp_buf_set_limit(&b, 89);                       /* one byte short */
    assert_int_equal(msnp_typing_build(&b, "alice@example.com"), MSNP_E_TOO_LONG);
    assert_int_equal(b.len, 0);
    msnp_buf_set_limit(&b, 90);
    assert_int_equal(msnp_typing_build(&b, "alice@example.com"), MSNP_OK);
    msnp_buf_reset(&b);
    msnp_buf_set_limit(&b, 0);
    assert_int_equal(msnp_typing_parse(S("Content-Type: text/x-msmsgscontrol\r\n\r\n"), &user),
                     MSNP_E_MISSING_FIELD);
    assert_null(user);
    assert_int_equal(msnp_typing_parse(S("Content-Type: text/x-msmsgscontrol\r\n"
                                         "TypingUser: \r\n\r\n"), &user), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_typing_parse(S(spec_text), &user), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_typing_parse(S("TypingUser: a\r\n\r\n"), &user), MSNP_E_MISSING_FIELD);
    assert_int_equal(msnp_typing_parse(S("x"), &user), MSNP_E_BAD_HEADER);
    assert_null(user);
    assert_int_equal(msnp_typing_parse(S(spec_typing), NULL), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

/* ---- profile ------------------------------------------------------------- */

static msnp_profile spec_profile_struct(void)
{
    msnp_profile p;
    memset(&p, 0, sizeof p);
    p.login_time = 1062764229;
    p.email_enabled = false;
    p.member_id_high = 3100;
    p.member_id_low = 0xB669FD2E; /* -1234567890 as int32 */
    p.lang_preference = 1033;
    p.preferred_email = "alice@example.com";
    p.country = "US";
    p.postal_code = "";
    p.gender = NULL;              /* NULL is written like "" */
    p.kid = false;
    p.age = "";
    p.bday_pre = "";
    p.birthday = "";
    p.wallet = "";
    p.flags = 1027;
    p.sid = 507;
    p.kv = 5;
    p.mspauth = "7Ok3xWq9Nf2bLrT5sVy8Pz1aHc4mDg6E$$";
    p.client_ip = "192.0.2.17";
    p.client_port = 1832;         /* sent byte-swapped as 10247 */
    return p;
}

static void test_profile_build_spec(void **state)
{
    (void)state;
    msnp_profile p = spec_profile_struct();
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_profile_build(&b, &p), MSNP_OK);
    expect_bytes(&b, spec_profile, 417);
    msnp_buf_free(&b);
}

static void test_profile_parse_spec(void **state)
{
    (void)state;
    msnp_profile p;
    assert_int_equal(msnp_profile_parse(S(spec_profile), &p), MSNP_OK);
    assert_true(p.login_time == 1062764229);
    assert_false(p.email_enabled);
    assert_int_equal(p.member_id_high, 3100);
    assert_int_equal(p.member_id_low, 0xB669FD2E);
    assert_int_equal(p.lang_preference, 1033);
    assert_string_equal(p.preferred_email, "alice@example.com");
    assert_string_equal(p.country, "US");
    assert_string_equal(p.postal_code, "");
    assert_string_equal(p.gender, "");
    assert_false(p.kid);
    assert_string_equal(p.wallet, "");
    assert_int_equal(p.flags, 1027);
    assert_int_equal(p.sid, 507);
    assert_int_equal(p.kv, 5);
    assert_string_equal(p.mspauth, "7Ok3xWq9Nf2bLrT5sVy8Pz1aHc4mDg6E$$");
    assert_string_equal(p.client_ip, "192.0.2.17");
    assert_int_equal(p.client_port, 1832);
    /* Rebuilding gives the same bytes. */
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_profile_build(&b, &p), MSNP_OK);
    expect_bytes(&b, spec_profile, 417);
    msnp_buf_free(&b);
    msnp_profile_free(&p);
    assert_null(p.country);
    msnp_profile_free(NULL);
}

static void test_profile_parse_variants(void **state)
{
    (void)state;
    msnp_profile p;
    /* Any order and case; unsigned MemberIdLow; unknown fields; empty
     * numbers read as 0; absent strings are NULL. */
    assert_int_equal(msnp_profile_parse(S("clientport: 10247\r\n"
                                          "Content-Type: TEXT/X-MSMSGSPROFILE\r\n"
                                          "MEMBERIDLOW: 3060399406\r\n"
                                          "EmailEnabled: 1\r\n"
                                          "Kid: 1\r\n"
                                          "Flags: \r\n"
                                          "NewField: x\r\n\r\n"), &p), MSNP_OK);
    assert_int_equal(p.client_port, 1832);
    assert_int_equal(p.member_id_low, 0xB669FD2E);
    assert_true(p.email_enabled);
    assert_true(p.kid);
    assert_int_equal(p.flags, 0);
    assert_null(p.country);
    assert_null(p.mspauth);
    msnp_profile_free(&p);
}

static void expect_profile_error(const char *field_line, int rc)
{
    msnp_buf b = MSNP_BUF_INIT;
    msnp_profile p;
    memset(&p, 'z', sizeof p);         /* must come back zeroed */
    assert_int_equal(msnp_buf_appendf(&b, "Content-Type: text/x-msmsgsprofile\r\n%s\r\n\r\n",
                                      field_line), MSNP_OK);
    assert_int_equal(msnp_profile_parse(b.data, b.len, &p), rc);
    assert_null(p.country);
    assert_int_equal(p.sid, 0);
    msnp_buf_free(&b);
}

static void test_profile_errors(void **state)
{
    (void)state;
    expect_profile_error("EmailEnabled: 2", MSNP_E_BAD_VALUE);
    expect_profile_error("Kid: yes", MSNP_E_BAD_VALUE);
    expect_profile_error("LoginTime: soon", MSNP_E_BAD_VALUE);
    expect_profile_error("LoginTime: -1", MSNP_E_BAD_VALUE);
    expect_profile_error("MemberIdLow: 4294967296", MSNP_E_BAD_VALUE);
    expect_profile_error("MemberIdLow: -2147483649", MSNP_E_BAD_VALUE);
    expect_profile_error("MemberIdHigh: -1", MSNP_E_BAD_VALUE);
    expect_profile_error("ClientPort: 65536", MSNP_E_BAD_VALUE);
    expect_profile_error("sid: 1x", MSNP_E_BAD_VALUE);
    expect_profile_error("country: US\r\nbroken", MSNP_E_BAD_HEADER);
    msnp_profile p;
    assert_int_equal(msnp_profile_parse(S(spec_initial_email), &p), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_profile_parse(S("LoginTime: 1\r\n\r\n"), &p), MSNP_E_MISSING_FIELD);
    assert_int_equal(msnp_profile_parse(S(spec_profile), NULL), MSNP_E_INVALID_ARG);

    msnp_profile q = spec_profile_struct();
    msnp_buf b = MSNP_BUF_INIT;
    q.country = "US\r\nInjected: 1";
    assert_int_equal(msnp_profile_build(&b, &q), MSNP_E_INVALID_ARG);
    assert_int_equal(b.len, 0);
    assert_int_equal(msnp_profile_build(&b, NULL), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_profile_build(NULL, &q), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_profile_extremes(void **state)
{
    (void)state;
    msnp_profile p = spec_profile_struct(), q;
    p.login_time = UINT64_MAX;
    p.member_id_low = 0x80000000u;   /* INT32_MIN */
    p.client_port = 0x1234;
    p.kid = true;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_profile_build(&b, &p), MSNP_OK);
    assert_non_null(strstr(b.data, "LoginTime: 18446744073709551615\r\n"));
    assert_non_null(strstr(b.data, "MemberIdLow: -2147483648\r\n"));
    assert_non_null(strstr(b.data, "ClientPort: 13330\r\n")); /* 0x3412 */
    assert_non_null(strstr(b.data, "Kid: 1\r\n"));
    assert_int_equal(msnp_profile_parse(b.data, b.len, &q), MSNP_OK);
    assert_true(q.login_time == UINT64_MAX);
    assert_int_equal(q.member_id_low, 0x80000000u);
    assert_int_equal(q.client_port, 0x1234);
    assert_true(q.kid);
    msnp_profile_free(&q);
    p.member_id_low = 0x7FFFFFFF;
    msnp_buf_reset(&b);
    assert_int_equal(msnp_profile_build(&b, &p), MSNP_OK);
    assert_non_null(strstr(b.data, "MemberIdLow: 2147483647\r\n"));
    msnp_buf_free(&b);
}

/* ---- mail ---------------------------------------------------------------- */

static void test_initial_email(void **state)
{
    (void)state;
    msnp_initial_email m, q;
    memset(&m, 0, sizeof m);
    m.inbox_unread = 2;
    m.folders_unread = 0;
    m.inbox_url = "/cgi-bin/HoTMaiL";
    m.folders_url = "/cgi-bin/folders";
    m.post_url = "https://login.example.net/ppsecure/md5auth.srf?lc=1033";
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_initial_email_build(&b, &m), MSNP_OK);
    expect_bytes(&b, spec_initial_email, 253);
    assert_int_equal(msnp_initial_email_parse(b.data, b.len, &q), MSNP_OK);
    assert_int_equal(q.inbox_unread, 2);
    assert_int_equal(q.folders_unread, 0);
    assert_string_equal(q.inbox_url, m.inbox_url);
    assert_string_equal(q.folders_url, m.folders_url);
    assert_string_equal(q.post_url, m.post_url);
    msnp_initial_email_free(&q);
    assert_null(q.post_url);
    msnp_initial_email_free(NULL);
    msnp_buf_free(&b);
}

static void test_initial_email_errors(void **state)
{
    (void)state;
    msnp_initial_email q;
    assert_int_equal(msnp_initial_email_parse(
                         S("Content-Type: text/x-msmsgsinitialemailnotification\r\n\r\n"
                           "Folders-Unread: 0\r\n\r\n"), &q), MSNP_E_MISSING_FIELD);
    assert_int_equal(msnp_initial_email_parse(
                         S("Content-Type: text/x-msmsgsinitialemailnotification\r\n\r\n"
                           "Inbox-Unread: \r\nFolders-Unread: 0\r\n\r\n"), &q), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_initial_email_parse(
                         S("Content-Type: text/x-msmsgsinitialemailnotification\r\n\r\n"
                           "Inbox-Unread: -1\r\nFolders-Unread: 0\r\n\r\n"), &q), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_initial_email_parse(
                         S("Content-Type: text/x-msmsgsinitialemailnotification\r\n\r\n"
                           "inbox-unread: 4\r\nfolders-UNREAD: 1"), &q), MSNP_OK);
    assert_int_equal(q.inbox_unread, 4);
    assert_int_equal(q.folders_unread, 1);
    assert_null(q.inbox_url);
    msnp_initial_email_free(&q);
    assert_int_equal(msnp_initial_email_parse(S(spec_email), &q), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_initial_email_parse(
                         S("Content-Type: text/x-msmsgsinitialemailnotification\r\n\r\n"
                           "Inbox-Unread: 1\r\nbad line\r\n"), &q), MSNP_E_BAD_HEADER);
    assert_int_equal(msnp_initial_email_parse(S(spec_initial_email), NULL), MSNP_E_INVALID_ARG);
    msnp_initial_email m;
    memset(&m, 0, sizeof m);
    m.post_url = "x\ny";
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_initial_email_build(&b, &m), MSNP_E_INVALID_ARG);
    assert_int_equal(b.len, 0);
    msnp_buf_free(&b);
}

static void test_email(void **state)
{
    (void)state;
    msnp_email m, q;
    memset(&m, 0, sizeof m);
    m.from = "Bob Example";
    m.message_url = "/cgi-bin/getmsg?msg=MSG1062764300.17&start=1&len=2048&curmbox=ACTIVE";
    m.post_url = "https://login.example.net/ppsecure/md5auth.srf?lc=1033";
    m.subject = "=?\"us-ascii\"?Q?Lunch_tomorrow?=";
    m.dest_folder = "ACTIVE";
    m.from_addr = "bob@example.org";
    m.id = 2;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_email_build(&b, &m), MSNP_OK);
    expect_bytes(&b, spec_email, 350);
    assert_int_equal(msnp_email_parse(b.data, b.len, &q), MSNP_OK);
    assert_string_equal(q.from, m.from);
    assert_string_equal(q.message_url, m.message_url);
    assert_string_equal(q.post_url, m.post_url);
    assert_string_equal(q.subject, m.subject);
    assert_string_equal(q.dest_folder, m.dest_folder);
    assert_string_equal(q.from_addr, m.from_addr);
    assert_int_equal(q.id, 2);
    msnp_email_free(&q);
    msnp_email_free(NULL);
    /* Nothing is required; a bad id is an error. */
    assert_int_equal(msnp_email_parse(S("Content-Type: text/x-msmsgsemailnotification\r\n\r\n"),
                                      &q), MSNP_OK);
    assert_null(q.from);
    assert_int_equal(q.id, 0);
    msnp_email_free(&q);
    assert_int_equal(msnp_email_parse(S("Content-Type: text/x-msmsgsemailnotification\r\n\r\n"
                                        "id: two\r\n"), &q), MSNP_E_BAD_VALUE);
    assert_null(q.from);
    assert_int_equal(msnp_email_parse(S(spec_active_email), &q), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_email_build(&b, NULL), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_active_email(void **state)
{
    (void)state;
    msnp_active_email m, q;
    memset(&m, 0, sizeof m);
    m.src_folder = "ACTIVE";
    m.dest_folder = "trAsH";
    m.message_delta = 1;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_active_email_build(&b, &m), MSNP_OK);
    expect_bytes(&b, spec_active_email, 147);
    assert_int_equal(msnp_active_email_parse(b.data, b.len, &q), MSNP_OK);
    assert_string_equal(q.src_folder, "ACTIVE");
    assert_string_equal(q.dest_folder, "trAsH");
    assert_int_equal(q.message_delta, 1);
    msnp_active_email_free(&q);
    msnp_active_email_free(NULL);

    m.message_delta = -3;
    msnp_buf_reset(&b);
    assert_int_equal(msnp_active_email_build(&b, &m), MSNP_OK);
    assert_non_null(strstr(b.data, "Message-Delta: -3\r\n"));
    assert_int_equal(msnp_active_email_parse(b.data, b.len, &q), MSNP_OK);
    assert_int_equal(q.message_delta, -3);
    msnp_active_email_free(&q);

    assert_int_equal(msnp_active_email_parse(
                         S("Content-Type: text/x-msmsgsactivemailnotification\r\n\r\n"
                           "Src-Folder: ACTIVE\r\n\r\n"), &q), MSNP_E_MISSING_FIELD);
    assert_int_equal(msnp_active_email_parse(
                         S("Content-Type: text/x-msmsgsactivemailnotification\r\n\r\n"
                           "Message-Delta: 2147483648\r\n\r\n"), &q), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_active_email_parse(S(spec_email), &q), MSNP_E_BAD_VALUE);
    msnp_buf_free(&b);
}

/* ---- system message ------------------------------------------------------ */

static void test_system(void **state)
{
    (void)state;
    msnp_system_msg m = { MSNP_SYSTEM_MAINTENANCE, 5 }, q = { 9, 9 };
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_system_build(&b, &m), MSNP_OK);
    expect_bytes(&b, spec_system, 88);
    assert_int_equal(msnp_system_parse(b.data, b.len, &q), MSNP_OK);
    assert_int_equal(q.type, 1);
    assert_int_equal(q.arg1, 5);
    /* With a trailing blank line, bare LFs, other case. */
    assert_int_equal(msnp_system_parse(S("content-type: Application/X-MSMSGSSystemMessage\n\n"
                                         "type: 2\narg1: 30\n\n"), &q), MSNP_OK);
    assert_int_equal(q.type, 2);
    assert_int_equal(q.arg1, 30);
    assert_int_equal(msnp_system_parse(S("Content-Type: application/x-msmsgssystemmessage\r\n\r\n"
                                         "Type: 1\r\n"), &q), MSNP_E_MISSING_FIELD);
    assert_int_equal(q.type, 0);
    assert_int_equal(msnp_system_parse(S("Content-Type: application/x-msmsgssystemmessage\r\n\r\n"
                                         "Type: one\r\nArg1: 5\r\n"), &q), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_system_parse(S(spec_text), &q), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_system_parse(S(spec_system), NULL), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_system_build(&b, NULL), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

/* ---- classification ------------------------------------------------------ */

static void test_classify(void **state)
{
    (void)state;
    assert_int_equal(msnp_msg_classify(S(spec_text)), MSNP_MSG_TEXT);
    assert_int_equal(msnp_msg_classify(S(spec_typing)), MSNP_MSG_TYPING);
    assert_int_equal(msnp_msg_classify(S(spec_profile)), MSNP_MSG_PROFILE);
    assert_int_equal(msnp_msg_classify(S(spec_initial_email)), MSNP_MSG_INITIAL_EMAIL);
    assert_int_equal(msnp_msg_classify(S(spec_email)), MSNP_MSG_EMAIL);
    assert_int_equal(msnp_msg_classify(S(spec_active_email)), MSNP_MSG_ACTIVE_EMAIL);
    assert_int_equal(msnp_msg_classify(S(spec_system)), MSNP_MSG_SYSTEM);
    assert_int_equal(msnp_msg_classify(S("Content-Type: text/x-msmsgsinvite; charset=UTF-8\r\n\r\n")),
                     MSNP_MSG_INVITE);
    assert_int_equal(msnp_msg_classify(S("content-type: TEXT/X-MSMSGSCONTROL\r\n\r\n")),
                     MSNP_MSG_TYPING);
    assert_int_equal(msnp_msg_classify(S("Content-Type: text/x-clientcaps\r\n\r\n")),
                     MSNP_MSG_CLIENTCAPS);
    assert_int_equal(msnp_msg_classify(S("Content-Type: application/x-msnmsgrp2p\r\n"
                                         "P2P-Dest: bob@example.org\r\n\r\n\0\0\0")),
                     MSNP_MSG_P2P);
    assert_int_equal(msnp_msg_classify(S("Content-Type: text/x-mms-emoticon\r\n\r\n")),
                     MSNP_MSG_EMOTICON);
    assert_int_equal(msnp_msg_classify(S("Content-Type: text/x-keepalive\r\n\r\n")),
                     MSNP_MSG_UNKNOWN);
    assert_int_equal(msnp_msg_classify(S("Content-Type: text/plainer\r\n\r\n")), MSNP_MSG_UNKNOWN);
    assert_int_equal(msnp_msg_classify(S("Content-Type: text\r\n\r\n")), MSNP_MSG_UNKNOWN);
    assert_int_equal(msnp_msg_classify(S("MIME-Version: 1.0\r\n\r\n")), MSNP_MSG_UNKNOWN);
    assert_int_equal(msnp_msg_classify(S("not mime")), MSNP_MSG_UNKNOWN);
    assert_int_equal(msnp_msg_classify(NULL, 0), MSNP_MSG_UNKNOWN);
    assert_int_equal(msnp_msg_kind_of(NULL), MSNP_MSG_UNKNOWN);
}

static void test_kind_content_type(void **state)
{
    (void)state;
    assert_null(msnp_msg_kind_content_type(MSNP_MSG_UNKNOWN));
    assert_string_equal(msnp_msg_kind_content_type(MSNP_MSG_TEXT), "text/plain");
    assert_string_equal(msnp_msg_kind_content_type(MSNP_MSG_SYSTEM),
                        "application/x-msmsgssystemmessage");
    assert_string_equal(msnp_msg_kind_content_type(MSNP_MSG_EMOTICON), "text/x-mms-emoticon");
    assert_null(msnp_msg_kind_content_type((msnp_msg_kind)99));
    assert_null(msnp_msg_kind_content_type((msnp_msg_kind)-1));
    /* Every named kind classifies back to itself. */
    for (int k = MSNP_MSG_TEXT; k <= MSNP_MSG_EMOTICON; k++) {
        msnp_buf b = MSNP_BUF_INIT;
        assert_int_equal(msnp_buf_appendf(&b, "Content-Type: %s\r\n\r\n",
                                          msnp_msg_kind_content_type((msnp_msg_kind)k)), MSNP_OK);
        assert_int_equal(msnp_msg_classify(b.data, b.len), k);
        msnp_buf_free(&b);
    }
}

static void test_null_payload_zeroes(void **state)
{
    (void)state;
    msnp_profile p;
    msnp_initial_email ie;
    msnp_email e;
    msnp_active_email ae;
    msnp_system_msg sm;
    char *user = (char *)&p;
    memset(&p, 'z', sizeof p);
    memset(&ie, 'z', sizeof ie);
    memset(&e, 'z', sizeof e);
    memset(&ae, 'z', sizeof ae);
    memset(&sm, 'z', sizeof sm);
    assert_int_equal(msnp_profile_parse(NULL, 3, &p), MSNP_E_INVALID_ARG);
    assert_null(p.country);
    assert_null(p.storage_.headers);
    assert_int_equal(msnp_initial_email_parse(NULL, 3, &ie), MSNP_E_INVALID_ARG);
    assert_null(ie.post_url);
    assert_int_equal(msnp_email_parse(NULL, 3, &e), MSNP_E_INVALID_ARG);
    assert_null(e.from);
    assert_int_equal(msnp_active_email_parse(NULL, 3, &ae), MSNP_E_INVALID_ARG);
    assert_null(ae.src_folder);
    assert_int_equal(msnp_system_parse(NULL, 3, &sm), MSNP_E_INVALID_ARG);
    assert_int_equal(sm.type, 0);
    assert_int_equal(msnp_typing_parse(NULL, 3, &user), MSNP_E_INVALID_ARG);
    assert_null(user);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_lengths),
        cmocka_unit_test(test_format_build),
        cmocka_unit_test(test_format_build_errors),
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test(test_format_parse_errors),
        cmocka_unit_test(test_text_build_spec),
        cmocka_unit_test(test_text_build_plain_and_crlf),
        cmocka_unit_test(test_text_build_errors),
        cmocka_unit_test(test_text_parse_spec),
        cmocka_unit_test(test_text_roundtrip),
        cmocka_unit_test(test_text_parse_charsets),
        cmocka_unit_test(test_text_parse_errors),
        cmocka_unit_test(test_text_parse_bad_format_ignored),
        cmocka_unit_test(test_typing),
        cmocka_unit_test(test_typing_errors),
        cmocka_unit_test(test_profile_build_spec),
        cmocka_unit_test(test_profile_parse_spec),
        cmocka_unit_test(test_profile_parse_variants),
        cmocka_unit_test(test_profile_errors),
        cmocka_unit_test(test_profile_extremes),
        cmocka_unit_test(test_initial_email),
        cmocka_unit_test(test_initial_email_errors),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_active_email),
        cmocka_unit_test(test_system),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_kind_content_type),
        cmocka_unit_test(test_null_payload_zeroes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
