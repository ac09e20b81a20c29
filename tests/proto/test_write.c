/*
 * test_write.c - the MSNP serializer against every client and server line
 * of msnp.md's examples (sections 1-5 and 7), byte for byte, plus every
 * validation error. Each rejected call must leave the buffer untouched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "msnp_status.h"
#include "msnp_write.h"

/* One example line as it appears on the wire. */
#define L(text) text "\r\n"

/* Asserts that call succeeded and wrote exactly want (a string literal,
 * may contain NUL-free binary), then empties the buffer. */
#define EXPECT(call, want) expect_bytes(&b, (call), (want), sizeof(want) - 1)

/* Asserts that call fails with err and leaves earlier content alone. */
#define REJECT(call, err)                                  \
    do {                                                   \
        msnp_buf_reset(&b);                                \
        assert_int_equal(msnp_buf_append_str(&b, "keep"), MSNP_OK); \
        assert_int_equal((call), (err));                   \
        assert_int_equal(b.len, 4);                        \
        assert_string_equal(b.data, "keep");               \
        msnp_buf_reset(&b);                                \
    } while (0)

static void expect_bytes(msnp_buf *buf, int rc, const char *want, size_t len)
{
    assert_int_equal(rc, MSNP_OK);
    assert_int_equal(buf->len, len);
    assert_memory_equal(buf->data, want, len);
    assert_int_equal(buf->data[len], '\0');
    msnp_buf_reset(buf);
}

#define PROFILE \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsprofile; charset=UTF-8\r\n" \
    "LoginTime: 1062764229\r\n" \
    "EmailEnabled: 0\r\n" \
    "MemberIdHigh: 3100\r\n" \
    "MemberIdLow: -1234567890\r\n" \
    "lang_preference: 1033\r\n" \
    "preferredEmail: alice@example.com\r\n" \
    "country: US\r\n" \
    "PostalCode: \r\n" \
    "Gender: \r\n" \
    "Kid: 0\r\n" \
    "Age: \r\n" \
    "BDayPre: \r\n" \
    "Birthday: \r\n" \
    "Wallet: \r\n" \
    "Flags: 1027\r\n" \
    "sid: 507\r\n" \
    "kv: 5\r\n" \
    "MSPAuth: 7Ok3xWq9Nf2bLrT5sVy8Pz1aHc4mDg6E$$\r\n" \
    "ClientIP: 192.0.2.17\r\n" \
    "ClientPort: 10247\r\n" \
    "\r\n"

#define INITIAL_MAIL \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsinitialemailnotification; charset=UTF-8\r\n" \
    "\r\n" \
    "Inbox-Unread: 2\r\n" \
    "Folders-Unread: 0\r\n" \
    "Inbox-URL: /cgi-bin/HoTMaiL\r\n" \
    "Folders-URL: /cgi-bin/folders\r\n" \
    "Post-URL: https://login.example.net/ppsecure/md5auth.srf?lc=1033\r\n" \
    "\r\n"

#define NEW_MAIL \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsemailnotification; charset=UTF-8\r\n" \
    "\r\n" \
    "From: Bob Example\r\n" \
    "Message-URL: /cgi-bin/getmsg?msg=MSG1062764300.17&start=1&len=2048&curmbox=ACTIVE\r\n" \
    "Post-URL: https://login.example.net/ppsecure/md5auth.srf?lc=1033\r\n" \
    "Subject: =?\"us-ascii\"?Q?Lunch_tomorrow?=\r\n" \
    "Dest-Folder: ACTIVE\r\n" \
    "From-Addr: bob@example.org\r\n" \
    "id: 2\r\n" \
    "\r\n"

#define ACTIVE_MAIL \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgsactivemailnotification; charset=UTF-8\r\n" \
    "\r\n" \
    "Src-Folder: ACTIVE\r\n" \
    "Dest-Folder: trAsH\r\n" \
    "Message-Delta: 1\r\n" \
    "\r\n"

#define SYSTEM_MSG \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: application/x-msmsgssystemmessage\r\n" \
    "\r\n" \
    "Type: 1\r\n" \
    "Arg1: 5\r\n"

#define TEXT_MSG \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/plain; charset=UTF-8\r\n" \
    "X-MMS-IM-Format: FN=MS%20Sans%20Serif; EF=B; CO=ff0000; CS=0; PF=22\r\n" \
    "\r\n" \
    "Hello Bob!"

#define TYPING_MSG \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: text/x-msmsgscontrol\r\n" \
    "TypingUser: alice@example.com\r\n" \
    "\r\n" \
    "\r\n"

#define ALERT \
    "<NOTIFICATION ver=\"1\" id=\"7\" siteid=\"111100200\" siteurl=\"http://alerts.example.net/\">\r\n" \
    "<TO pid=\"0x00000C1C:0xB669FD2E\" name=\"alice@example.com\" />\r\n" \
    "<MSG pri=\"\" id=\"1\">\r\n" \
    "<ACTION url=\"a.asp?x=1\" />\r\n" \
    "<SUBSCR url=\"s.asp?x=1\" />\r\n" \
    "<BODY lang=\"1033\" icon=\"\">\r\n" \
    "<TEXT>Your build has finished.</TEXT>\r\n" \
    "</BODY>\r\n" \
    "</MSG>\r\n" \
    "</NOTIFICATION>"

/* The MSN object of msnp.md 4.2, in its wire (encoded) form. */
#define MSNOBJ                                                              \
    "%3Cmsnobj%20Creator%3D%22alice%40example.com%22%20Size%3D%2221875%22"  \
    "%20Type%3D%223%22%20Location%3D%22TFR2C.tmp%22%20Friendly%3D%22AAA%3D%22" \
    "%20SHA1D%3D%22q7Lm0Zx3Pw9Ty5Ur1Io2Np4Bv6E%3D%22%20SHA1C%3D%22Hd8Kf2Js5Gw1Ae9Rb3Vc7Xn0Ym4%3D%22%2F%3E"

#define CHALLENGE_24                                                       \
    "lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Eexample%2Enet," \
    "ct=1062764229,kpp=1,kv=5,ver=2.1.0173.1,tpf=9b1c4e6f0a2d3c4b5a69788796a5b4c3"

#define TICKET "t=Q9zZm9vYmFyVGlja2V0AA$$&p=cHJvZmlsZUJsb2IA$$"

/* ---- generic core ------------------------------------------------------ */

static void test_line_basic(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    const char *ver[] = { "MSNP8", "CVR0" };

    EXPECT(msnp_write_line(&b, "VER", 15, 2, ver), L("VER 15 MSNP8 CVR0"));
    EXPECT(msnp_write_line(&b, "PNG", MSNP_NO_TRID, 0, NULL), L("PNG"));
    EXPECT(msnp_write_line(&b, "QNG", MSNP_NO_TRID, 0, ver), L("QNG"));
    EXPECT(msnp_write_line(&b, "ACK", 0, 0, NULL), L("ACK 0"));
    EXPECT(msnp_write_line(&b, "ACK", 4294967295LL, 0, NULL),
           L("ACK 4294967295"));
    EXPECT(msnp_write_line(&b, "201", 22, 0, NULL), L("201 22"));
    EXPECT(msnp_write_cmd(&b, "XFR", 15, "SB", (const char *)NULL),
           L("XFR 15 SB"));
    EXPECT(msnp_write_cmd(&b, "FLN", MSNP_NO_TRID, "bob@example.org",
                          (const char *)NULL),
           L("FLN bob@example.org"));
    EXPECT(msnp_write_cmd(&b, "OUT", MSNP_NO_TRID, (const char *)NULL),
           L("OUT"));

    /* Lines accumulate in one buffer. */
    assert_int_equal(msnp_write_cmd(&b, "PNG", MSNP_NO_TRID, (const char *)NULL), MSNP_OK);
    assert_int_equal(msnp_write_error(&b, 911, 4), MSNP_OK);
    EXPECT(MSNP_OK, "PNG\r\n911 4\r\n");
    msnp_buf_free(&b);
}

static void test_line_rejects(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    const char *p[1];

    REJECT(msnp_write_line(&b, "msg", 1, 0, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_line(&b, "MS", 1, 0, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_line(&b, "MSGS", 1, 0, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_line(&b, "12A", 1, 0, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_line(&b, "M1G", 1, 0, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_line(&b, NULL, 1, 0, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_line(&b, "", 1, 0, NULL), MSNP_E_INVALID_ARG);

    REJECT(msnp_write_line(&b, "ACK", -2, 0, NULL), MSNP_E_BAD_TRID);
    REJECT(msnp_write_line(&b, "ACK", 4294967296LL, 0, NULL), MSNP_E_BAD_TRID);
    REJECT(msnp_write_line(&b, "ACK", INT64_MIN, 0, NULL), MSNP_E_BAD_TRID);

    REJECT(msnp_write_line(&b, "FLN", MSNP_NO_TRID, 1, NULL), MSNP_E_INVALID_ARG);
    static const char *const bad[] = {
        "", "a b", "a\r", "a\nb", "a\tb", "\x01", "a\x1f", "a\x7f", "caf\xc3\xa9",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        p[0] = bad[i];
        REJECT(msnp_write_line(&b, "FLN", MSNP_NO_TRID, 1, p), MSNP_E_INVALID_ARG);
    }
    p[0] = NULL;
    REJECT(msnp_write_line(&b, "FLN", MSNP_NO_TRID, 1, p), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_cmd(&b, "XFR", 1, "SB", "a b", (const char *)NULL),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_cmd(&b, "XFR", -5, "SB", (const char *)NULL),
           MSNP_E_BAD_TRID);
    REJECT(msnp_write_cmd(&b, "xfr", 1, (const char *)NULL), MSNP_E_INVALID_ARG);

    assert_int_equal(msnp_write_line(NULL, "PNG", MSNP_NO_TRID, 0, NULL),
                     MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_write_cmd(NULL, "PNG", MSNP_NO_TRID, (const char *)NULL),
                     MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_write_payload(NULL, "NOT", MSNP_NO_TRID, 0, NULL, "x", 1),
                     MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_write_error(NULL, 911, 1), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_write_png(NULL), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_payload(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    const char *msg[] = { "3", "N" };
    static const char binary[] = { 'a', '\0', '\r', '\n', (char)0xff };

    EXPECT(msnp_write_payload(&b, "MSG", MSNP_NO_TRID, 2, msg, "hi", 2),
           "MSG 3 N 2\r\nhi");
    EXPECT(msnp_write_payload(&b, "NOT", MSNP_NO_TRID, 0, NULL, NULL, 0),
           L("NOT 0"));
    EXPECT(msnp_write_payload(&b, "IPG", MSNP_NO_TRID, 0, NULL, binary,
                              sizeof binary),
           "IPG 5\r\na\0\r\n\xff");
    EXPECT(msnp_write_payload(&b, "QRY", 10, 1, (const char *[]){ "x@y" },
                              "0123", 4),
           "QRY 10 x@y 4\r\n0123");

    REJECT(msnp_write_payload(&b, "NOT", MSNP_NO_TRID, 0, NULL, NULL, 3),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_payload(&b, "not", MSNP_NO_TRID, 0, NULL, "abc", 3),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_payload(&b, "MSG", 4294967296LL, 0, NULL, "abc", 3),
           MSNP_E_BAD_TRID);
    REJECT(msnp_write_payload(&b, "MSG", 1, 1, (const char *[]){ "a b" }, "x", 1),
           MSNP_E_INVALID_ARG);
#if SIZE_MAX > UINT32_MAX
    REJECT(msnp_write_payload(&b, "NOT", MSNP_NO_TRID, 0, NULL, "x",
                              (size_t)UINT32_MAX + 1),
           MSNP_E_INVALID_ARG);
#endif
    msnp_buf_free(&b);
}

static void test_error_reply(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_error(&b, 911, 4), L("911 4"));
    EXPECT(msnp_write_error(&b, 201, 20), L("201 20"));
    EXPECT(msnp_write_error(&b, 100, 0), L("100 0"));
    EXPECT(msnp_write_error(&b, 999, 4294967295u), L("999 4294967295"));
    REJECT(msnp_write_error(&b, 99, 1), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_error(&b, 1000, 1), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_error(&b, -911, 1), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

/* A buffer limit that the line would exceed: error, nothing written. */
static void test_buffer_limit(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    msnp_buf_set_limit(&b, 12);
    REJECT(msnp_write_usr_ok(&b, 4, "alice@example.com", "Alice A.", true, false),
           MSNP_E_TOO_LONG);
    /* The limit hits inside the URL-encoded name. */
    msnp_buf_set_limit(&b, 32);
    REJECT(msnp_write_usr_ok(&b, 4, "alice@example.com", "Alice A.", true, false),
           MSNP_E_TOO_LONG);
    /* And inside the payload. */
    msnp_buf_set_limit(&b, 14);
    REJECT(msnp_write_not(&b, "0123456789", 10), MSNP_E_TOO_LONG);
    msnp_buf_set_limit(&b, 0);
    EXPECT(msnp_write_not(&b, "0123456789", 10), "NOT 10\r\n0123456789");
    msnp_buf_free(&b);
}

/* ---- login (msnp.md 2) ------------------------------------------------- */

static void test_ver(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_ver_request(&b, 1, 2, (const char *[]){ "MSNP8", "CVR0" }),
           L("VER 1 MSNP8 CVR0"));
    EXPECT(msnp_write_ver_request(&b, 1, 3,
                                  (const char *[]){ "MSNP9", "MSNP8", "CVR0" }),
           L("VER 1 MSNP9 MSNP8 CVR0"));
    EXPECT(msnp_write_ver_request(&b, 1, 2, (const char *[]){ "MSNP7", "MSNP6" }),
           L("VER 1 MSNP7 MSNP6"));
    EXPECT(msnp_write_ver_reply(&b, 1, MSNP_DIALECT_MSNP8, true),
           L("VER 1 MSNP8 CVR0"));
    EXPECT(msnp_write_ver_reply(&b, 1, MSNP_DIALECT_MSNP9, true),
           L("VER 1 MSNP9 CVR0"));
    EXPECT(msnp_write_ver_reply(&b, 3, MSNP_DIALECT_MSNP8, false), L("VER 3 MSNP8"));
    EXPECT(msnp_write_ver_reply(&b, 15, MSNP_DIALECT_MSNP8, true),
           L("VER 15 MSNP8 CVR0"));
    EXPECT(msnp_write_ver_reject(&b, 1), L("VER 1 0"));

    REJECT(msnp_write_ver_request(&b, 1, 0, (const char *[]){ "MSNP8" }),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_ver_request(&b, 1, 1, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_ver_request(&b, 1, 1, (const char *[]){ "" }),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_ver_reply(&b, 1, MSNP_DIALECT_NONE, true), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_ver_reply(&b, 1, (msnp_dialect)7, false), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_cvr(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    msnp_cvr_info info = { "0x0409", "win", "4.10", "i386", "MSNMSGR",
                           "5.0.0537", "MSMSGS", "alice@example.com" };

    EXPECT(msnp_write_cvr_request(&b, 2, &info),
           L("CVR 2 0x0409 win 4.10 i386 MSNMSGR 5.0.0537 MSMSGS alice@example.com"));
    info.os_type = "winnt";
    info.os_ver = "5.1";
    info.client_ver = "5.0.0540";
    EXPECT(msnp_write_cvr_request(&b, 2, &info),
           L("CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 5.0.0540 MSMSGS alice@example.com"));
    info.handle = NULL;
    EXPECT(msnp_write_cvr_request(&b, 2, &info),
           L("CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 5.0.0540 MSMSGS"));
    EXPECT(msnp_write_cvr_reply(&b, 2, "5.0.0537", "5.0.0537", "5.0.0537",
                                "http://dl.example.net/setup.exe",
                                "http://www.example.net/"),
           L("CVR 2 5.0.0537 5.0.0537 5.0.0537 http://dl.example.net/setup.exe http://www.example.net/"));
    EXPECT(msnp_write_cvr_reply(&b, 2, "5.0.0540", "5.0.0540", "5.0.0540",
                                "http://dl.example.net/setup.exe",
                                "http://www.example.net/"),
           L("CVR 2 5.0.0540 5.0.0540 5.0.0540 http://dl.example.net/setup.exe http://www.example.net/"));

    REJECT(msnp_write_cvr_request(&b, 2, NULL), MSNP_E_INVALID_ARG);
    info.arch = NULL;
    REJECT(msnp_write_cvr_request(&b, 2, &info), MSNP_E_INVALID_ARG);
    info.arch = "i 386";
    REJECT(msnp_write_cvr_request(&b, 2, &info), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_cvr_reply(&b, 2, "5", "5", "5", "http://x/ y", "http://y/"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_cvr_reply(&b, 2, "5", "5", NULL, "http://x/", "http://y/"),
           MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_usr_ns(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_usr_twn_i(&b, 3, "alice@example.com"),
           L("USR 3 TWN I alice@example.com"));
    EXPECT(msnp_write_usr_twn_s(&b, 3, CHALLENGE_24), L("USR 3 TWN S " CHALLENGE_24));
    EXPECT(msnp_write_usr_twn_s(&b, 4, TICKET), L("USR 4 TWN S " TICKET));
    EXPECT(msnp_write_usr_ok(&b, 4, "alice@example.com", "Alice A.", true, false),
           L("USR 4 OK alice@example.com Alice%20A. 1 0"));
    EXPECT(msnp_write_usr_ok(&b, 4, "alice@example.com", "alice@example.com",
                             false, true),
           L("USR 4 OK alice@example.com alice@example.com 0 1"));
    EXPECT(msnp_write_usr_ok(&b, 4, "zoe@example.com", "Zo\xc3\xab 100%", true, false),
           L("USR 4 OK zoe@example.com Zo%C3%AB%20100%25 1 0"));

    REJECT(msnp_write_usr_twn_i(&b, 3, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_usr_twn_i(&b, 3, "a b@example.com"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_usr_twn_s(&b, 3, ""), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_usr_ok(&b, 4, "alice@example.com", "", true, false),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_usr_ok(&b, 4, "alice@example.com", NULL, true, false),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_usr_ok(&b, 4, "", "Alice", true, false), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_xfr_ns(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_xfr_ns(&b, 3, "198.51.100.20:1863", "198.51.100.10:1863"),
           L("XFR 3 NS 198.51.100.20:1863 0 198.51.100.10:1863"));
    EXPECT(msnp_write_xfr_ns(&b, 0, "198.51.100.20:1863", "198.51.100.10:1863"),
           L("XFR 0 NS 198.51.100.20:1863 0 198.51.100.10:1863"));
    REJECT(msnp_write_xfr_ns(&b, 3, "198.51.100.20:1863", NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_xfr_ns(&b, 3, "", "198.51.100.10:1863"), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_hotmail_messages(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_msg_hotmail(&b, PROFILE, sizeof(PROFILE) - 1),
           "MSG Hotmail Hotmail 417\r\n" PROFILE);
    EXPECT(msnp_write_msg_hotmail(&b, INITIAL_MAIL, sizeof(INITIAL_MAIL) - 1),
           "MSG Hotmail Hotmail 253\r\n" INITIAL_MAIL);
    EXPECT(msnp_write_msg_hotmail(&b, NEW_MAIL, sizeof(NEW_MAIL) - 1),
           "MSG Hotmail Hotmail 350\r\n" NEW_MAIL);
    EXPECT(msnp_write_msg_hotmail(&b, ACTIVE_MAIL, sizeof(ACTIVE_MAIL) - 1),
           "MSG Hotmail Hotmail 147\r\n" ACTIVE_MAIL);
    EXPECT(msnp_write_msg_hotmail(&b, SYSTEM_MSG, sizeof(SYSTEM_MSG) - 1),
           "MSG Hotmail Hotmail 88\r\n" SYSTEM_MSG);
    REJECT(msnp_write_msg_hotmail(&b, NULL, 5), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_out_png_qng(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_out(&b, NULL), L("OUT"));
    EXPECT(msnp_write_out(&b, ""), L("OUT"));
    EXPECT(msnp_write_out(&b, "OTH"), L("OUT OTH"));
    EXPECT(msnp_write_out(&b, "SSD"), L("OUT SSD"));
    EXPECT(msnp_write_png(&b), L("PNG"));
    EXPECT(msnp_write_qng(&b, MSNP_DIALECT_MSNP8, 50), L("QNG"));
    EXPECT(msnp_write_qng(&b, MSNP_DIALECT_NONE, 0), L("QNG"));
    EXPECT(msnp_write_qng(&b, MSNP_DIALECT_MSNP9, 50), L("QNG 50"));
    EXPECT(msnp_write_qng(&b, MSNP_DIALECT_MSNP9, 0), L("QNG 0"));
    EXPECT(msnp_write_qng(&b, MSNP_DIALECT_MSNP9, 60), L("QNG 60"));
    REJECT(msnp_write_qng(&b, MSNP_DIALECT_MSNP9, 61), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_out(&b, "O T"), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_chl_qry(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_chl(&b, 0, "29409134351025259292"),
           L("CHL 0 29409134351025259292"));
    EXPECT(msnp_write_chl(&b, 0, "12345678901234567890"),
           L("CHL 0 12345678901234567890"));
    EXPECT(msnp_write_chl(&b, 8, "15570131571988941333"),
           L("CHL 8 15570131571988941333"));
    EXPECT(msnp_write_chl_request(&b, 8), L("CHL 8"));
    EXPECT(msnp_write_qry_request(&b, 10, "msmsgs@msnmsgr.com",
                                  "d0c1178c689350104350d99f8c36ed9c"),
           "QRY 10 msmsgs@msnmsgr.com 32\r\nd0c1178c689350104350d99f8c36ed9c");
    EXPECT(msnp_write_qry_request(&b, 11, "msmsgs@msnmsgr.com",
                                  "8ba1bb9d6dbf624fee31a2053af5fdd0"),
           "QRY 11 msmsgs@msnmsgr.com 32\r\n8ba1bb9d6dbf624fee31a2053af5fdd0");
    EXPECT(msnp_write_qry_request(&b, 12, "PROD0038W!61ZTF9",
                                  "ca90e6a7c94a14aae7b3ae0f6018433e"),
           "QRY 12 PROD0038W!61ZTF9 32\r\nca90e6a7c94a14aae7b3ae0f6018433e");
    EXPECT(msnp_write_qry_reply(&b, 10), L("QRY 10"));
    EXPECT(msnp_write_error(&b, 540, 7), L("540 7"));

    REJECT(msnp_write_chl(&b, 0, ""), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_chl(&b, 0, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_qry_request(&b, 10, "msmsgs@msnmsgr.com",
                                  "d0c1178c689350104350d99f8c36ed9"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_qry_request(&b, 10, "msmsgs@msnmsgr.com",
                                  "d0c1178c689350104350d99f8c36ed9cc"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_qry_request(&b, 10, "msmsgs@msnmsgr.com",
                                  "D0C1178C689350104350D99F8C36ED9C"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_qry_request(&b, 10, "msmsgs@msnmsgr.com",
                                  "g0c1178c689350104350d99f8c36ed9c"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_qry_request(&b, 10, "msmsgs@msnmsgr.com", NULL),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_qry_request(&b, 10, "", "d0c1178c689350104350d99f8c36ed9c"),
           MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

/* The complete transcript of msnp.md 2.11, server and client side. */
static void test_login_transcript(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    msnp_cvr_info cvr = { "0x0409", "win", "4.10", "i386", "MSNMSGR",
                          "5.0.0537", "MSMSGS", "alice@example.com" };
    const char *ver[] = { "MSNP8", "CVR0" };
    int rc = MSNP_OK;

    rc |= msnp_write_ver_request(&b, 1, 2, ver);
    rc |= msnp_write_ver_reply(&b, 1, MSNP_DIALECT_MSNP8, true);
    rc |= msnp_write_cvr_request(&b, 2, &cvr);
    rc |= msnp_write_cvr_reply(&b, 2, "5.0.0537", "5.0.0537", "5.0.0537",
                               "http://dl.example.net/setup.exe",
                               "http://www.example.net/");
    rc |= msnp_write_usr_twn_i(&b, 3, "alice@example.com");
    rc |= msnp_write_usr_twn_s(&b, 3, CHALLENGE_24);
    rc |= msnp_write_usr_twn_s(&b, 4, TICKET);
    rc |= msnp_write_usr_ok(&b, 4, "alice@example.com", "Alice A.", true, false);
    rc |= msnp_write_msg_hotmail(&b, PROFILE, sizeof(PROFILE) - 1);
    rc |= msnp_write_syn_request(&b, 5, 0);
    rc |= msnp_write_syn_reply_long(&b, 5, 24, 2, 2);
    rc |= msnp_write_gtc_dump(&b, 'A');
    rc |= msnp_write_blp_dump(&b, MSNP_LIST_AL);
    rc |= msnp_write_prp_dump(&b, "PHH", "555 123 4567");
    rc |= msnp_write_lsg_dump(&b, 0, "Other Contacts");
    rc |= msnp_write_lsg_dump(&b, 1, "Friends");
    rc |= msnp_write_lst_dump(&b, "bob@example.org", "Bob", 11, 1u << 1);
    rc |= msnp_write_bpr_dump(&b, "PHM", "555 987 6543");
    rc |= msnp_write_lst_dump(&b, "carol@example.com", "carol@example.com", 8, 0);
    rc |= msnp_write_chg(&b, 6, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN, true, 0, NULL);
    rc |= msnp_write_chg(&b, 6, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN, true, 0, NULL);
    rc |= msnp_write_iln(&b, 6, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN,
                         "bob@example.org", "Bob B.", 0, NULL);
    rc |= msnp_write_chl(&b, 0, "29409134351025259292");
    rc |= msnp_write_qry_request(&b, 7, "msmsgs@msnmsgr.com",
                                 "d0c1178c689350104350d99f8c36ed9c");
    rc |= msnp_write_qry_reply(&b, 7);
    rc |= msnp_write_png(&b);
    rc |= msnp_write_qng(&b, MSNP_DIALECT_MSNP8, 50);
    assert_int_equal(rc, MSNP_OK);
    EXPECT(MSNP_OK,
           L("VER 1 MSNP8 CVR0")
           L("VER 1 MSNP8 CVR0")
           L("CVR 2 0x0409 win 4.10 i386 MSNMSGR 5.0.0537 MSMSGS alice@example.com")
           L("CVR 2 5.0.0537 5.0.0537 5.0.0537 http://dl.example.net/setup.exe http://www.example.net/")
           L("USR 3 TWN I alice@example.com")
           L("USR 3 TWN S " CHALLENGE_24)
           L("USR 4 TWN S " TICKET)
           L("USR 4 OK alice@example.com Alice%20A. 1 0")
           "MSG Hotmail Hotmail 417\r\n" PROFILE
           L("SYN 5 0")
           L("SYN 5 24 2 2")
           L("GTC A")
           L("BLP AL")
           L("PRP PHH 555%20123%204567")
           L("LSG 0 Other%20Contacts 0")
           L("LSG 1 Friends 0")
           L("LST bob@example.org Bob 11 1")
           L("BPR PHM 555%20987%206543")
           L("LST carol@example.com carol@example.com 8")
           L("CHG 6 NLN 0")
           L("CHG 6 NLN 0")
           L("ILN 6 NLN bob@example.org Bob%20B. 0")
           L("CHL 0 29409134351025259292")
           "QRY 7 msmsgs@msnmsgr.com 32\r\nd0c1178c689350104350d99f8c36ed9c"
           L("QRY 7")
           L("PNG")
           L("QNG"));
    msnp_buf_free(&b);
}

/* ---- lists (msnp.md 3) ------------------------------------------------- */

static void test_syn_dump(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_syn_request(&b, 8, 24), L("SYN 8 24"));
    EXPECT(msnp_write_syn_reply_short(&b, 8, 24), L("SYN 8 24"));
    EXPECT(msnp_write_syn_request(&b, 9, 0), L("SYN 9 0"));
    EXPECT(msnp_write_syn_reply_long(&b, 9, 24, 3, 2), L("SYN 9 24 3 2"));
    EXPECT(msnp_write_syn_reply_long(&b, 9, 4294967295u, 0, 1),
           L("SYN 9 4294967295 0 1"));
    EXPECT(msnp_write_gtc_dump(&b, 'A'), L("GTC A"));
    EXPECT(msnp_write_blp_dump(&b, MSNP_LIST_AL), L("BLP AL"));
    EXPECT(msnp_write_prp_dump(&b, "PHH", "555 123 4567"), L("PRP PHH 555%20123%204567"));
    EXPECT(msnp_write_prp_dump(&b, "MOB", "Y"), L("PRP MOB Y"));
    EXPECT(msnp_write_lsg_dump(&b, 0, "Other Contacts"), L("LSG 0 Other%20Contacts 0"));
    EXPECT(msnp_write_lsg_dump(&b, 1, "Friends"), L("LSG 1 Friends 0"));
    EXPECT(msnp_write_lst_dump(&b, "bob@example.org", "Bob", 11, 0x3),
           L("LST bob@example.org Bob 11 0,1"));
    EXPECT(msnp_write_bpr_dump(&b, "PHH", "1 (222) 333 4444"),
           L("BPR PHH 1%20(222)%20333%204444"));
    EXPECT(msnp_write_bpr_dump(&b, "MOB", "Y"), L("BPR MOB Y"));
    EXPECT(msnp_write_lst_dump(&b, "carol@example.com", "carol@example.com", 8, 0),
           L("LST carol@example.com carol@example.com 8"));
    EXPECT(msnp_write_lst_dump(&b, "mallory@example.net", "mallory@example.net", 12, 0),
           L("LST mallory@example.net mallory@example.net 12"));
    EXPECT(msnp_write_lst_dump(&b, "x@example.com", "X", 1, (1u << 0) | (1u << 3)),
           L("LST x@example.com X 1 0,3"));
    EXPECT(msnp_write_lst_dump(&b, "x@example.com", "X", 15, 1u << 29),
           L("LST x@example.com X 15 29"));
    EXPECT(msnp_write_lst_dump(&b, "x@example.com", "X", 9, 0x3FFFFFFFu),
           L("LST x@example.com X 9 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
             "18,19,20,21,22,23,24,25,26,27,28,29"));

    /* Group field present iff FL bit. */
    REJECT(msnp_write_lst_dump(&b, "bob@example.org", "Bob", 11, 0), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_dump(&b, "bob@example.org", "Bob", 8, 1), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_dump(&b, "bob@example.org", "Bob", 1, 1u << 30),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_dump(&b, "bob@example.org", "Bob", 1, 1u << 31),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_dump(&b, "bob@example.org", "Bob", 0, 0), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_dump(&b, "bob@example.org", "Bob", 16, 0), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_dump(&b, "bob@example.org", "", 8, 0), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_dump(&b, NULL, "Bob", 8, 0), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lsg_dump(&b, 30, "Friends"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lsg_dump(&b, -1, "Friends"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lsg_dump(&b, 1, ""), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_gtc_dump(&b, 'B'), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_blp_dump(&b, MSNP_LIST_FL), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_gtc_blp(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_blp_request(&b, 12, MSNP_LIST_BL), L("BLP 12 BL"));
    EXPECT(msnp_write_blp_reply(&b, 12, 25, MSNP_LIST_BL), L("BLP 12 25 BL"));
    EXPECT(msnp_write_blp_request(&b, 13, MSNP_LIST_BL), L("BLP 13 BL"));
    EXPECT(msnp_write_error(&b, 218, 13), L("218 13"));
    EXPECT(msnp_write_gtc_request(&b, 14, 'N'), L("GTC 14 N"));
    EXPECT(msnp_write_gtc_reply(&b, 14, 26, 'N'), L("GTC 14 26 N"));
    EXPECT(msnp_write_gtc_request(&b, 14, 'A'), L("GTC 14 A"));
    EXPECT(msnp_write_blp_reply(&b, 1, 2, MSNP_LIST_AL), L("BLP 1 2 AL"));

    REJECT(msnp_write_gtc_request(&b, 14, 'a'), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_gtc_reply(&b, 14, 26, '\0'), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_blp_request(&b, 12, MSNP_LIST_RL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_blp_reply(&b, 12, 25, 0), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_blp_reply(&b, 12, 25, MSNP_LIST_AL | MSNP_LIST_BL),
           MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_prp_bpr(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_prp_request(&b, 15, "PHM", "555 987 6543"),
           L("PRP 15 PHM 555%20987%206543"));
    EXPECT(msnp_write_prp_reply(&b, 15, 27, "PHM", "555 987 6543"),
           L("PRP 15 27 PHM 555%20987%206543"));
    EXPECT(msnp_write_bpr_async(&b, 313, "alice@example.com", "PHM", "555 987 6543"),
           L("BPR 313 alice@example.com PHM 555%20987%206543"));
    EXPECT(msnp_write_prp_request(&b, 16, "PHW", NULL), L("PRP 16 PHW"));
    EXPECT(msnp_write_prp_reply(&b, 16, 28, "PHW", NULL), L("PRP 16 28 PHW"));
    EXPECT(msnp_write_prp_reply(&b, 16, 28, "PHW", ""), L("PRP 16 28 PHW"));
    EXPECT(msnp_write_bpr_async(&b, 314, "alice@example.com", "PHW", NULL),
           L("BPR 314 alice@example.com PHW"));
    EXPECT(msnp_write_bpr_dump(&b, "MOB", NULL), L("BPR MOB"));
    EXPECT(msnp_write_prp_dump(&b, "PHH", "+1,2"), L("PRP PHH %2B1%2C2"));

    REJECT(msnp_write_prp_request(&b, 15, "PH", "1"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_prp_request(&b, 15, "PHHH", "1"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_prp_request(&b, 15, "phh", "1"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_prp_request(&b, 15, "P1H", "1"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_prp_reply(&b, 15, 1, NULL, "1"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_bpr_async(&b, 313, "", "PHM", "1"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_bpr_dump(&b, "123", "1"), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_legacy_iterators(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_lst_request(&b, 7, MSNP_LIST_FL), L("LST 7 FL"));
    EXPECT(msnp_write_lst_request(&b, 7, MSNP_LIST_RL), L("LST 7 RL"));
    EXPECT(msnp_write_lst_legacy(&b, 7, MSNP_LIST_FL, 24, 1, 2, "bob@example.org",
                                 "Bob B.", 0x3),
           L("LST 7 FL 24 1 2 bob@example.org Bob%20B. 0,1"));
    EXPECT(msnp_write_lst_legacy(&b, 7, MSNP_LIST_AL, 24, 2, 2, "bob@example.org",
                                 "Bob", 0),
           L("LST 7 AL 24 2 2 bob@example.org Bob"));
    EXPECT(msnp_write_lst_legacy_empty(&b, 8, MSNP_LIST_BL, 24), L("LST 8 BL 24 0 0"));
    EXPECT(msnp_write_lsg_request(&b, 9), L("LSG 9"));
    EXPECT(msnp_write_lsg_legacy(&b, 9, 24, 1, 2, 0, "Other Contacts"),
           L("LSG 9 24 1 2 0 Other%20Contacts 0"));
    EXPECT(msnp_write_lsg_legacy(&b, 9, 24, 2, 2, 1, "Friends"),
           L("LSG 9 24 2 2 1 Friends 0"));

    REJECT(msnp_write_lst_request(&b, 7, 0), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_request(&b, 7, 16), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_legacy(&b, 7, MSNP_LIST_FL, 24, 1, 2, "b@x.org", "B", 0),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_legacy(&b, 7, MSNP_LIST_AL, 24, 1, 2, "b@x.org", "B", 1),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_legacy(&b, 7, MSNP_LIST_AL, 24, 0, 2, "b@x.org", "B", 0),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_legacy(&b, 7, MSNP_LIST_AL, 24, 3, 2, "b@x.org", "B", 0),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lst_legacy_empty(&b, 8, 3, 24), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lsg_legacy(&b, 9, 24, 0, 0, 0, "A"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_lsg_legacy(&b, 9, 24, 1, 1, 30, "A"), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_add(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_add_request(&b, 20, MSNP_LIST_FL, "bob@example.org",
                                  "bob@example.org", 0),
           L("ADD 20 FL bob@example.org bob@example.org 0"));
    EXPECT(msnp_write_add_reply(&b, 20, MSNP_LIST_FL, 29, "bob@example.org",
                                "bob@example.org", 0),
           L("ADD 20 FL 29 bob@example.org bob@example.org 0"));
    EXPECT(msnp_write_iln(&b, 20, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN,
                          "bob@example.org", "Bob B.", 0, NULL),
           L("ILN 20 NLN bob@example.org Bob%20B. 0"));
    EXPECT(msnp_write_add_request(&b, 21, MSNP_LIST_AL, "bob@example.org",
                                  "bob@example.org", MSNP_NO_GROUP),
           L("ADD 21 AL bob@example.org bob@example.org"));
    EXPECT(msnp_write_add_reply(&b, 21, MSNP_LIST_AL, 30, "bob@example.org",
                                "bob@example.org", MSNP_NO_GROUP),
           L("ADD 21 AL 30 bob@example.org bob@example.org"));
    EXPECT(msnp_write_add_async(&b, MSNP_LIST_RL, 314, "alice@example.com",
                                "Alice A.", MSNP_NO_GROUP),
           L("ADD 0 RL 314 alice@example.com Alice%20A."));
    EXPECT(msnp_write_add_request(&b, 22, MSNP_LIST_FL, "a@b", "a@b", 0),
           L("ADD 22 FL a@b a@b 0"));
    EXPECT(msnp_write_error(&b, 201, 22), L("201 22"));
    EXPECT(msnp_write_add_request(&b, 23, MSNP_LIST_FL, "nobody@example.com",
                                  "nobody@example.com", 0),
           L("ADD 23 FL nobody@example.com nobody@example.com 0"));
    EXPECT(msnp_write_error(&b, 205, 23), L("205 23"));
    EXPECT(msnp_write_add_request(&b, 24, MSNP_LIST_BL, "bob@example.org",
                                  "bob@example.org", MSNP_NO_GROUP),
           L("ADD 24 BL bob@example.org bob@example.org"));
    EXPECT(msnp_write_error(&b, 219, 24), L("219 24"));
    EXPECT(msnp_write_add_request(&b, 25, MSNP_LIST_FL, "bob@example.org",
                                  "bob@example.org", 7),
           L("ADD 25 FL bob@example.org bob@example.org 7"));
    EXPECT(msnp_write_error(&b, 224, 25), L("224 25"));
    /* 1.6's example: ADD without a group. */
    EXPECT(msnp_write_add_request(&b, 20, MSNP_LIST_FL, "a@b", "a@b", MSNP_NO_GROUP),
           L("ADD 20 FL a@b a@b"));
    /* 3.12 worked flows. */
    EXPECT(msnp_write_add_reply(&b, 60, MSNP_LIST_FL, 38, "dave@example.com",
                                "dave@example.com", 0),
           L("ADD 60 FL 38 dave@example.com dave@example.com 0"));
    EXPECT(msnp_write_add_async(&b, MSNP_LIST_RL, 40, "erin@example.com", "Erin",
                                MSNP_NO_GROUP),
           L("ADD 0 RL 40 erin@example.com Erin"));
    EXPECT(msnp_write_add_request(&b, 62, MSNP_LIST_AL, "erin@example.com", "Erin",
                                  MSNP_NO_GROUP),
           L("ADD 62 AL erin@example.com Erin"));
    EXPECT(msnp_write_add_reply(&b, 62, MSNP_LIST_AL, 41, "erin@example.com", "Erin",
                                MSNP_NO_GROUP),
           L("ADD 62 AL 41 erin@example.com Erin"));
    EXPECT(msnp_write_add_request(&b, 67, MSNP_LIST_FL, "bob@example.org", "Bob", 2),
           L("ADD 67 FL bob@example.org Bob 2"));
    EXPECT(msnp_write_add_reply(&b, 67, MSNP_LIST_FL, 46, "bob@example.org", "Bob", 2),
           L("ADD 67 FL 46 bob@example.org Bob 2"));
    EXPECT(msnp_write_add_async(&b, MSNP_LIST_FL, 46, "bob@example.org", "Bob", 2),
           L("ADD 0 FL 46 bob@example.org Bob 2"));

    REJECT(msnp_write_add_request(&b, 21, MSNP_LIST_AL, "b@x.org", "B", 0),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_add_request(&b, 21, MSNP_LIST_FL, "b@x.org", "B", 30),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_add_request(&b, 21, MSNP_LIST_FL, "b@x.org", "B", -2),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_add_request(&b, 21, 3, "b@x.org", "B", MSNP_NO_GROUP),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_add_request(&b, 21, MSNP_LIST_FL, "b@x.org", "", 0),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_add_reply(&b, 21, MSNP_LIST_RL, 1, "b@x.org", "B", 1),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_add_async(&b, MSNP_LIST_RL, 1, "b x", "B", MSNP_NO_GROUP),
           MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_rem(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_rem_request(&b, 30, MSNP_LIST_FL, "bob@example.org", 1),
           L("REM 30 FL bob@example.org 1"));
    EXPECT(msnp_write_rem_reply(&b, 30, MSNP_LIST_FL, 31, "bob@example.org", 1),
           L("REM 30 FL 31 bob@example.org 1"));
    EXPECT(msnp_write_rem_request(&b, 31, MSNP_LIST_FL, "bob@example.org",
                                  MSNP_NO_GROUP),
           L("REM 31 FL bob@example.org"));
    EXPECT(msnp_write_rem_reply(&b, 31, MSNP_LIST_FL, 32, "bob@example.org",
                                MSNP_NO_GROUP),
           L("REM 31 FL 32 bob@example.org"));
    EXPECT(msnp_write_rem_async(&b, MSNP_LIST_RL, 315, "alice@example.com",
                                MSNP_NO_GROUP),
           L("REM 0 RL 315 alice@example.com"));
    EXPECT(msnp_write_rem_request(&b, 32, MSNP_LIST_BL, "nobody@example.com",
                                  MSNP_NO_GROUP),
           L("REM 32 BL nobody@example.com"));
    EXPECT(msnp_write_error(&b, 216, 32), L("216 32"));
    EXPECT(msnp_write_rem_request(&b, 63, MSNP_LIST_AL, "bob@example.org",
                                  MSNP_NO_GROUP),
           L("REM 63 AL bob@example.org"));
    EXPECT(msnp_write_rem_reply(&b, 63, MSNP_LIST_AL, 42, "bob@example.org",
                                MSNP_NO_GROUP),
           L("REM 63 AL 42 bob@example.org"));
    EXPECT(msnp_write_rem_reply(&b, 70, MSNP_LIST_AL, 49, "bob@example.org",
                                MSNP_NO_GROUP),
           L("REM 70 AL 49 bob@example.org"));

    REJECT(msnp_write_rem_request(&b, 30, MSNP_LIST_BL, "b@x.org", 1),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_rem_request(&b, 30, MSNP_LIST_FL, "b@x.org", 99),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_rem_reply(&b, 30, 0, 1, "b@x.org", MSNP_NO_GROUP),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_rem_async(&b, MSNP_LIST_RL, 1, NULL, MSNP_NO_GROUP),
           MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_groups(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_adg_request(&b, 40, "Work"), L("ADG 40 Work 0"));
    EXPECT(msnp_write_adg_reply(&b, 40, 33, "Work", 2), L("ADG 40 33 Work 2 0"));
    EXPECT(msnp_write_reg_request(&b, 41, 2, "Office"), L("REG 41 2 Office 0"));
    EXPECT(msnp_write_reg_reply(&b, 41, 34, 2, "Office"), L("REG 41 34 2 Office 0"));
    EXPECT(msnp_write_rmg_request(&b, 42, 2), L("RMG 42 2"));
    EXPECT(msnp_write_rmg_reply(&b, 42, 35, 2), L("RMG 42 35 2"));
    EXPECT(msnp_write_rmg_request(&b, 43, 0), L("RMG 43 0"));
    EXPECT(msnp_write_error(&b, 230, 43), L("230 43"));
    EXPECT(msnp_write_adg_request(&b, 44, "This is a very long group name that will not fit"),
           L("ADG 44 This%20is%20a%20very%20long%20group%20name%20that%20will%20not%20fit 0"));
    EXPECT(msnp_write_error(&b, 229, 44), L("229 44"));
    EXPECT(msnp_write_reg_reply(&b, 1, 2, 29, "~"), L("REG 1 2 29 ~ 0"));

    REJECT(msnp_write_adg_request(&b, 40, ""), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_adg_reply(&b, 40, 33, "Work", 30), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_adg_reply(&b, 40, 33, "Work", -1), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_rmg_request(&b, 42, 30), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_rmg_reply(&b, 42, 35, -1), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_reg_request(&b, 41, 2, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_reg_reply(&b, 41, 34, 31, "Office"), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_rea(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_rea_request(&b, 50, "alice@example.com", "Alice (busy coding)"),
           L("REA 50 alice@example.com Alice%20(busy%20coding)"));
    EXPECT(msnp_write_rea_reply(&b, 50, 36, "alice@example.com", "Alice (busy coding)"),
           L("REA 50 36 alice@example.com Alice%20(busy%20coding)"));
    EXPECT(msnp_write_rea_request(&b, 51, "bob@example.org", "Bob B."),
           L("REA 51 bob@example.org Bob%20B."));
    EXPECT(msnp_write_rea_reply(&b, 51, 37, "bob@example.org", "Bob B."),
           L("REA 51 37 bob@example.org Bob%20B."));
    EXPECT(msnp_write_rea_request(&b, 52, "zed@example.com", "Zed"),
           L("REA 52 zed@example.com Zed"));
    EXPECT(msnp_write_error(&b, 216, 52), L("216 52"));

    REJECT(msnp_write_rea_request(&b, 52, "zed@example.com", ""), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_rea_reply(&b, 52, 1, "zed@\x01", "Zed"), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

/* ---- presence (msnp.md 4) ---------------------------------------------- */

static void test_chg(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_chg(&b, 9, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN, true, 0, NULL),
           L("CHG 9 NLN 0"));
    EXPECT(msnp_write_chg(&b, 10, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_BSY, true, 0, NULL),
           L("CHG 10 BSY 0"));
    EXPECT(msnp_write_chg(&b, 11, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_FLN, false, 0, NULL),
           L("CHG 11 FLN"));
    EXPECT(msnp_write_error(&b, 201, 11), L("201 11"));
    EXPECT(msnp_write_chg(&b, 0, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_FLN, false, 0, NULL),
           L("CHG 0 FLN"));
    EXPECT(msnp_write_chg(&b, 12, MSNP_DIALECT_MSNP9, MSNP_PRESENCE_NLN, true,
                          268435500u, MSNOBJ),
           L("CHG 12 NLN 268435500 " MSNOBJ));
    /* MSNP8 never gets the MSN object. */
    EXPECT(msnp_write_chg(&b, 12, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN, true,
                          268435500u, MSNOBJ),
           L("CHG 12 NLN 268435500"));
    EXPECT(msnp_write_chg(&b, 12, MSNP_DIALECT_MSNP9, MSNP_PRESENCE_HDN, true,
                          4294967295u, NULL),
           L("CHG 12 HDN 4294967295"));

    REJECT(msnp_write_chg(&b, 12, MSNP_DIALECT_MSNP9, MSNP_PRESENCE_NLN, false, 0,
                          MSNOBJ),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_chg(&b, 12, MSNP_DIALECT_MSNP9, MSNP_PRESENCE_NLN, true, 0,
                          "<msnobj a>"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_chg(&b, 12, MSNP_DIALECT_MSNP8, (msnp_presence)99, true, 0, NULL),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_chg(&b, 12, MSNP_DIALECT_MSNP8, (msnp_presence)-1, true, 0, NULL),
           MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_iln_nln_fln(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_iln(&b, 9, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_AWY,
                          "bob@example.org", "Bob B.", 268435492u, NULL),
           L("ILN 9 AWY bob@example.org Bob%20B. 268435492"));
    EXPECT(msnp_write_iln(&b, 9, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN,
                          "dave@example.com", "Dave", 0, NULL),
           L("ILN 9 NLN dave@example.com Dave 0"));
    /* MSNP8: exactly six tokens, the MSN object is dropped. */
    EXPECT(msnp_write_iln(&b, 9, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN,
                          "dave@example.com", "Dave", 0, MSNOBJ),
           L("ILN 9 NLN dave@example.com Dave 0"));
    EXPECT(msnp_write_iln(&b, 9, MSNP_DIALECT_MSNP9, MSNP_PRESENCE_NLN,
                          "dave@example.com", "Dave", 268435500u, MSNOBJ),
           L("ILN 9 NLN dave@example.com Dave 268435500 " MSNOBJ));
    EXPECT(msnp_write_iln(&b, 9, MSNP_DIALECT_MSNP9, MSNP_PRESENCE_NLN,
                          "dave@example.com", "Dave", 0, NULL),
           L("ILN 9 NLN dave@example.com Dave 0"));
    EXPECT(msnp_write_nln(&b, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_BRB,
                          "bob@example.org", "Bob B.", 268435492u, NULL),
           L("NLN BRB bob@example.org Bob%20B. 268435492"));
    EXPECT(msnp_write_nln(&b, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN,
                          "bob@example.org", "Bob (back)", 268435492u, MSNOBJ),
           L("NLN NLN bob@example.org Bob%20(back) 268435492"));
    EXPECT(msnp_write_nln(&b, MSNP_DIALECT_MSNP9, MSNP_PRESENCE_NLN,
                          "bob@example.org", "Bob (back)", 268435492u, MSNOBJ),
           L("NLN NLN bob@example.org Bob%20(back) 268435492 " MSNOBJ));
    EXPECT(msnp_write_nln(&b, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN,
                          "alice@example.com", "Alice A.", 0, NULL),
           L("NLN NLN alice@example.com Alice%20A. 0"));
    EXPECT(msnp_write_nln(&b, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_LUN,
                          "alice@example.com", "Alice A.", 0, NULL),
           L("NLN LUN alice@example.com Alice%20A. 0"));
    EXPECT(msnp_write_fln(&b, "bob@example.org"), L("FLN bob@example.org"));
    EXPECT(msnp_write_fln(&b, "alice@example.com"), L("FLN alice@example.com"));

    REJECT(msnp_write_iln(&b, 9, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_HDN,
                          "bob@example.org", "Bob", 0, NULL),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_iln(&b, 9, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_FLN,
                          "bob@example.org", "Bob", 0, NULL),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_nln(&b, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_HDN,
                          "bob@example.org", "Bob", 0, NULL),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_nln(&b, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_FLN,
                          "bob@example.org", "Bob", 0, NULL),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_nln(&b, MSNP_DIALECT_MSNP8, (msnp_presence)42,
                          "bob@example.org", "Bob", 0, NULL),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_nln(&b, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN,
                          "bob@example.org", "", 0, NULL),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_nln(&b, MSNP_DIALECT_MSNP9, MSNP_PRESENCE_NLN,
                          "bob@example.org", "Bob", 0, "a\rb"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_fln(&b, ""), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_fln(&b, NULL), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

/* ---- switchboard (msnp.md 5) ------------------------------------------- */

static void test_switchboard_session(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_xfr_sb_request(&b, 15), L("XFR 15 SB"));
    EXPECT(msnp_write_xfr_sb_reply(&b, 15, "198.51.100.30:1863",
                                   "17262740.1062764300.4182"),
           L("XFR 15 SB 198.51.100.30:1863 CKI 17262740.1062764300.4182"));
    EXPECT(msnp_write_usr_sb_request(&b, 1, "alice@example.com",
                                     "17262740.1062764300.4182"),
           L("USR 1 alice@example.com 17262740.1062764300.4182"));
    EXPECT(msnp_write_usr_sb_ok(&b, 1, "alice@example.com", "Alice A."),
           L("USR 1 OK alice@example.com Alice%20A."));
    EXPECT(msnp_write_cal_request(&b, 2, "bob@example.org"), L("CAL 2 bob@example.org"));
    EXPECT(msnp_write_cal_reply(&b, 2, 11752013), L("CAL 2 RINGING 11752013"));
    EXPECT(msnp_write_rng(&b, 11752013, "198.51.100.30:1863",
                          "849102.1062764301.2267", "alice@example.com", "Alice A."),
           L("RNG 11752013 198.51.100.30:1863 CKI 849102.1062764301.2267 alice@example.com Alice%20A."));
    EXPECT(msnp_write_ans_request(&b, 1, "bob@example.org", "849102.1062764301.2267",
                                  11752013),
           L("ANS 1 bob@example.org 849102.1062764301.2267 11752013"));
    EXPECT(msnp_write_iro(&b, 1, 1, 1, "alice@example.com", "Alice A."),
           L("IRO 1 1 1 alice@example.com Alice%20A."));
    EXPECT(msnp_write_ans_ok(&b, 1), L("ANS 1 OK"));
    EXPECT(msnp_write_joi(&b, "bob@example.org", "Bob B."), L("JOI bob@example.org Bob%20B."));
    EXPECT(msnp_write_ans_request(&b, 1, "dave@example.com", "55120.1062764400.8812",
                                  11752013),
           L("ANS 1 dave@example.com 55120.1062764400.8812 11752013"));
    EXPECT(msnp_write_iro(&b, 1, 1, 3, "alice@example.com", "Alice A."),
           L("IRO 1 1 3 alice@example.com Alice%20A."));
    EXPECT(msnp_write_iro(&b, 1, 2, 3, "bob@example.org", "Bob B."),
           L("IRO 1 2 3 bob@example.org Bob%20B."));
    EXPECT(msnp_write_iro(&b, 1, 3, 3, "carol@example.com", "Carol"),
           L("IRO 1 3 3 carol@example.com Carol"));
    EXPECT(msnp_write_cal_request(&b, 5, "carol@example.com"),
           L("CAL 5 carol@example.com"));
    EXPECT(msnp_write_rng(&b, 11752013, "198.51.100.30:1863",
                          "55120.1062764400.8812", "alice@example.com", "Alice A."),
           L("RNG 11752013 198.51.100.30:1863 CKI 55120.1062764400.8812 alice@example.com Alice%20A."));
    EXPECT(msnp_write_joi(&b, "carol@example.com", "Carol"), L("JOI carol@example.com Carol"));
    EXPECT(msnp_write_out(&b, NULL), L("OUT"));
    EXPECT(msnp_write_bye(&b, "bob@example.org", false), L("BYE bob@example.org"));
    EXPECT(msnp_write_bye(&b, "bob@example.org", true), L("BYE bob@example.org 1"));

    REJECT(msnp_write_xfr_sb_reply(&b, 15, "198.51.100.30:1863", ""), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_xfr_sb_reply(&b, 15, NULL, "1.2.3"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_usr_sb_request(&b, 1, "alice@example.com", "a b"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_usr_sb_ok(&b, 1, "alice@example.com", ""), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_cal_request(&b, 2, ""), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_rng(&b, 1, "h:1", "c", "alice@example.com", ""),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_rng(&b, 1, "h:1", NULL, "alice@example.com", "A"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_ans_request(&b, 1, "bob@example.org", "", 1), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_iro(&b, 1, 0, 1, "a@b.c", "A"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_iro(&b, 1, 2, 1, "a@b.c", "A"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_iro(&b, 1, 1, 1, "a@b.c", NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_joi(&b, "a@b.c", ""), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_bye(&b, "", true), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_msg_ack_nak(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_msg_client(&b, 3, 'N', TEXT_MSG, sizeof(TEXT_MSG) - 1),
           "MSG 3 N 141\r\n" TEXT_MSG);
    EXPECT(msnp_write_msg_server(&b, "alice@example.com", "Alice A.", TEXT_MSG,
                                 sizeof(TEXT_MSG) - 1),
           "MSG alice@example.com Alice%20A. 141\r\n" TEXT_MSG);
    EXPECT(msnp_write_msg_client(&b, 4, 'A', TEXT_MSG, sizeof(TEXT_MSG) - 1),
           "MSG 4 A 141\r\n" TEXT_MSG);
    EXPECT(msnp_write_ack(&b, 4), L("ACK 4"));
    EXPECT(msnp_write_nak(&b, 5), L("NAK 5"));
    EXPECT(msnp_write_msg_client(&b, 6, 'U', TYPING_MSG, sizeof(TYPING_MSG) - 1),
           "MSG 6 U 90\r\n" TYPING_MSG);
    EXPECT(msnp_write_msg_server(&b, "alice@example.com", "Alice A.", TYPING_MSG,
                                 sizeof(TYPING_MSG) - 1),
           "MSG alice@example.com Alice%20A. 90\r\n" TYPING_MSG);
    EXPECT(msnp_write_msg_client(&b, 7, 'D', "x", 1), "MSG 7 D 1\r\nx");
    EXPECT(msnp_write_msg_client(&b, 8, 'S', NULL, 0), L("MSG 8 S 0"));

    REJECT(msnp_write_msg_client(&b, 3, 'X', "x", 1), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_msg_client(&b, 3, 'n', "x", 1), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_msg_client(&b, 3, '\0', "x", 1), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_msg_client(&b, 3, 'N', NULL, 1), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_msg_server(&b, "alice@example.com", "", "x", 1),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_msg_server(NULL, "alice@example.com", "A", "x", 1),
           MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

/* ---- notifications and services (msnp.md 7) ---------------------------- */

static void test_not_ipg(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_write_not(&b, ALERT, sizeof(ALERT) - 1), "NOT 324\r\n" ALERT);
    EXPECT(msnp_write_ipg(&b, ALERT, sizeof(ALERT) - 1), "IPG 324\r\n" ALERT);
    REJECT(msnp_write_not(&b, NULL, 1), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_ipg(&b, NULL, 2), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_url_snd(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    const char *post = "https://login.example.net/ppsecure/md5auth.srf?lc=1033";

    EXPECT(msnp_write_url_request(&b, 30, "INBOX", NULL), L("URL 30 INBOX"));
    EXPECT(msnp_write_url_reply(&b, 30, "/cgi-bin/HoTMaiL", post, 2),
           L("URL 30 /cgi-bin/HoTMaiL https://login.example.net/ppsecure/md5auth.srf?lc=1033 2"));
    EXPECT(msnp_write_url_request(&b, 31, "COMPOSE", "bob@example.org"),
           L("URL 31 COMPOSE bob@example.org"));
    EXPECT(msnp_write_url_reply(&b, 31, "/cgi-bin/compose?mailto=1&to=bob%40example%2Eorg",
                                post, 2),
           L("URL 31 /cgi-bin/compose?mailto=1&to=bob%40example%2Eorg https://login.example.net/ppsecure/md5auth.srf?lc=1033 2"));
    EXPECT(msnp_write_url_request(&b, 32, "PROFILE", "0x0409"), L("URL 32 PROFILE 0x0409"));
    EXPECT(msnp_write_url_reply(&b, 32, "http://members.example.net/Edit.asp?lc=1033",
                                post, 4263),
           L("URL 32 http://members.example.net/Edit.asp?lc=1033 https://login.example.net/ppsecure/md5auth.srf?lc=1033 4263"));
    EXPECT(msnp_write_snd_request(&b, 33, "frank@example.com", "0x0409", "MSMSGS",
                                  "MSMSGS"),
           L("SND 33 frank@example.com 0x0409 MSMSGS MSMSGS"));
    EXPECT(msnp_write_snd_request(&b, 34, "frank@example.com", NULL, NULL, NULL),
           L("SND 34 frank@example.com"));
    EXPECT(msnp_write_snd_reply(&b, 33), L("SND 33 OK"));

    REJECT(msnp_write_url_request(&b, 30, "", NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_url_request(&b, 30, "COMPOSE", "a b"), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_url_reply(&b, 30, "/x y", post, 2), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_url_reply(&b, 30, "/x", NULL, 2), MSNP_E_INVALID_ARG);
    REJECT(msnp_write_snd_request(&b, 33, "frank@example.com", "0x0409", NULL, NULL),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_snd_request(&b, 33, "frank@example.com", NULL, "MSMSGS", "MSMSGS"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_write_snd_request(&b, 33, "", NULL, NULL, NULL), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_basic),
        cmocka_unit_test(test_line_rejects),
        cmocka_unit_test(test_payload),
        cmocka_unit_test(test_error_reply),
        cmocka_unit_test(test_buffer_limit),
        cmocka_unit_test(test_ver),
        cmocka_unit_test(test_cvr),
        cmocka_unit_test(test_usr_ns),
        cmocka_unit_test(test_xfr_ns),
        cmocka_unit_test(test_hotmail_messages),
        cmocka_unit_test(test_out_png_qng),
        cmocka_unit_test(test_chl_qry),
        cmocka_unit_test(test_login_transcript),
        cmocka_unit_test(test_syn_dump),
        cmocka_unit_test(test_gtc_blp),
        cmocka_unit_test(test_prp_bpr),
        cmocka_unit_test(test_legacy_iterators),
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_rem),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_rea),
        cmocka_unit_test(test_chg),
        cmocka_unit_test(test_iln_nln_fln),
        cmocka_unit_test(test_switchboard_session),
        cmocka_unit_test(test_msg_ack_nak),
        cmocka_unit_test(test_not_ipg),
        cmocka_unit_test(test_url_snd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
