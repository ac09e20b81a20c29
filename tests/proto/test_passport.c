/*
 * test_passport.c - Passport 1.4 header values against the examples of
 * msnp.md 2.4 and 2.6, byte for byte, plus every error path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "msnp_passport.h"
#include "msnp_status.h"

#define TPF "9b1c4e6f0a2d3c4b5a69788796a5b4c3"
#define RU_ENC "http%3A%2F%2Fmessenger%2Eexample%2Enet"
#define CHALLENGE_24                                                  \
    "lc=1033,id=507,tw=40,fs=1,ru=" RU_ENC ",ct=1062764229,kpp=1,kv=5," \
    "ver=2.1.0173.1,tpf=" TPF
#define TICKET "t=Q9zZm9vYmFyVGlja2V0AA$$&p=cHJvZmlsZUJsb2IA$$"
#define AUTH_26                                                         \
    "Passport1.4 OrgVerb=GET,OrgURL=" RU_ENC ",sign-in=alice%40example.com," \
    "pwd=s3cr%2Ct," CHALLENGE_24
#define INFO_26                                                          \
    "Passport1.4 da-status=success,tname=MSPAuth,tname=MSPProf,tname=MSPSec," \
    "from-PP='" TICKET "',ru=http://messenger.example.net/"
#define FAILURE_26                                                        \
    "Passport1.4 da-status=failed,srealm=Passport.Net,ts=-3,prompt,"       \
    "cbtxt=Sign-in%20name%20or%20password%20is%20incorrect."
#define URLS_26                                                        \
    "DARealm=Passport.Net,DALogin=login.example.net/login2.srf,"        \
    "DAReg=https://login.example.net/reg,"                             \
    "Properties=https://login.example.net/prop,"                       \
    "Privacy=https://login.example.net/privacy,"                       \
    "GeneralRedir=https://login.example.net/redir,"                    \
    "Help=https://login.example.net/help,ConfigVersion=15"

/* Builder output must equal want; the buffer is emptied afterwards. */
#define EXPECT(call, want)                          \
    do {                                            \
        assert_int_equal((call), MSNP_OK);          \
        assert_string_equal(b.data, (want));        \
        assert_int_equal(b.len, strlen(want));      \
        msnp_buf_reset(&b);                         \
    } while (0)

/* Builder must fail with err and leave earlier content alone. */
#define REJECT(call, err)                                           \
    do {                                                            \
        msnp_buf_reset(&b);                                         \
        assert_int_equal(msnp_buf_append_str(&b, "keep"), MSNP_OK); \
        assert_int_equal((call), (err));                            \
        assert_string_equal(b.data, "keep");                        \
        msnp_buf_reset(&b);                                         \
    } while (0)

#define S(lit) (lit), (sizeof(lit) - 1)

/* ---- challenge --------------------------------------------------------- */

static void test_challenge_build(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    static const unsigned char rnd[16] = { 0x9b, 0x1c, 0x4e, 0x6f, 0x0a, 0x2d,
                                           0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87,
                                           0x96, 0xa5, 0xb4, 0xc3 };
    char tpf[MSNP_PASSPORT_TPF_LEN + 1];

    EXPECT(msnp_passport_challenge_build(&b, "http://messenger.example.net",
                                         1062764229, TPF),
           CHALLENGE_24);
    EXPECT(msnp_passport_challenge_build(&b, "https://x.example/a b?c=d&e", 0, TPF),
           "lc=1033,id=507,tw=40,fs=1,ru=https%3A%2F%2Fx%2Eexample%2Fa%20b%3Fc%3Dd%26e,"
           "ct=0,kpp=1,kv=5,ver=2.1.0173.1,tpf=" TPF);
    EXPECT(msnp_passport_challenge_build(&b, "\xc3\xa9-_.~", INT64_MAX, TPF),
           "lc=1033,id=507,tw=40,fs=1,ru=%C3%A9%2D%5F%2E%7E,ct=9223372036854775807,"
           "kpp=1,kv=5,ver=2.1.0173.1,tpf=" TPF);

    assert_int_equal(msnp_passport_tpf_from_random(rnd, tpf), MSNP_OK);
    assert_string_equal(tpf, TPF);
    assert_int_equal(msnp_passport_tpf_from_random(NULL, tpf), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_passport_tpf_from_random(rnd, NULL), MSNP_E_INVALID_ARG);

    REJECT(msnp_passport_challenge_build(&b, "", 1, TPF), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_challenge_build(&b, NULL, 1, TPF), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_challenge_build(&b, "http://a", -1, TPF), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_challenge_build(&b, "http://a", 1, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_challenge_build(&b, "http://a", 1,
                                         "9B1C4E6F0A2D3C4B5A69788796A5B4C3"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_challenge_build(&b, "http://a", 1,
                                         "9b1c4e6f0a2d3c4b5a69788796a5b4c"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_challenge_build(&b, "http://a", 1,
                                         "9b1c4e6f0a2d3c4b5a69788796a5b4c3a"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_challenge_build(&b, "http://a", 1,
                                         "9b1c4e6f0a2d3c4b5a69788796a5b4cg"),
           MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_passport_challenge_build(NULL, "http://a", 1, TPF),
                     MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

/* ---- Authorization ----------------------------------------------------- */

static void test_auth_build(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_passport_auth_build(&b, "alice@example.com", "s3cr,t", CHALLENGE_24),
           AUTH_26);
    /* No ru in the challenge: no OrgURL. */
    EXPECT(msnp_passport_auth_build(&b, "bob@example.org", "pw", "lc=1033,tpf=" TPF),
           "Passport1.4 OrgVerb=GET,sign-in=bob%40example.org,pwd=pw,lc=1033,tpf=" TPF);
    EXPECT(msnp_passport_auth_build(&b, "a@b.c", "p w=%'\xc3\xa9", "ru=x"),
           "Passport1.4 OrgVerb=GET,OrgURL=x,sign-in=a%40b.c,pwd=p%20w%3D%25%27%C3%A9,ru=x");

    REJECT(msnp_passport_auth_build(&b, "", "pw", CHALLENGE_24), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_auth_build(&b, NULL, "pw", CHALLENGE_24), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_auth_build(&b, "a@b.c", NULL, CHALLENGE_24), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_auth_build(&b, "a@b.c", "", CHALLENGE_24), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_auth_build(&b, "a@b.c", "pw", ""), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_auth_build(&b, "a@b.c", "pw", NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_auth_build(&b, "a@b.c", "pw", "lc=1033, id=507"),
           MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_auth_build(&b, "a@b.c", "pw", "lc=1033\r\n"),
           MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_auth_parse_spec(void **state)
{
    (void)state;
    msnp_passport_auth a;
    static const char *const names[] = { "OrgVerb", "OrgURL", "lc", "id", "tw",
                                         "fs", "ru", "ct", "kpp", "kv", "ver",
                                         "tpf" };
    static const char *const values[] = { "GET", RU_ENC, "1033", "507", "40",
                                          "1", RU_ENC, "1062764229", "1", "5",
                                          "2.1.0173.1", TPF };

    assert_int_equal(msnp_passport_auth_parse(S(AUTH_26), &a), MSNP_OK);
    assert_string_equal(a.sign_in, "alice@example.com");
    assert_string_equal(a.pwd, "s3cr,t");
    assert_int_equal(a.nitems, 12);
    for (size_t i = 0; i < 12; i++) {
        assert_string_equal(a.items[i].name, names[i]);
        assert_string_equal(a.items[i].value, values[i]);
        assert_string_equal(msnp_passport_auth_get(&a, names[i]), values[i]);
    }
    assert_string_equal(msnp_passport_auth_get(&a, "LC"), "1033");
    assert_string_equal(msnp_passport_auth_get(&a, "orgverb"), "GET");
    assert_null(msnp_passport_auth_get(&a, "sign-in"));
    assert_null(msnp_passport_auth_get(&a, "pwd"));
    assert_null(msnp_passport_auth_get(&a, "elapsed-time"));
    assert_null(msnp_passport_auth_get(&a, NULL));
    assert_null(msnp_passport_auth_get(NULL, "lc"));
    msnp_passport_auth_free(&a);
    assert_null(a.sign_in);
    assert_null(a.items);
    assert_int_equal(a.nitems, 0);
    msnp_passport_auth_free(&a); /* twice is harmless */
    msnp_passport_auth_free(NULL);
}

static void test_auth_parse_tolerant(void **state)
{
    (void)state;
    msnp_passport_auth a;

    /* Scheme in any case, blanks everywhere, flags and empty items. */
    assert_int_equal(msnp_passport_auth_parse(
                         S("  passport1.4 \t  prompt, sign-in = bob%40example.org ,, "
                           "\tPWD=a%2cb , tname=, elapsed-time=12 ,=x, flag "),
                         &a),
                     MSNP_OK);
    assert_string_equal(a.sign_in, "bob@example.org");
    assert_string_equal(a.pwd, "a,b");
    assert_int_equal(a.nitems, 2);
    assert_string_equal(a.items[0].name, "tname");
    assert_string_equal(a.items[0].value, "");
    assert_string_equal(a.items[1].name, "elapsed-time");
    assert_string_equal(a.items[1].value, "12");
    msnp_passport_auth_free(&a);

    /* Only the first '=' splits; the value may hold more. */
    assert_int_equal(msnp_passport_auth_parse(
                         S("Passport1.4 sign-in=a%40b.c,pwd=x=y,ru=a=b"), &a),
                     MSNP_OK);
    assert_string_equal(a.pwd, "x=y");
    assert_string_equal(msnp_passport_auth_get(&a, "ru"), "a=b");
    msnp_passport_auth_free(&a);

    /* UTF-8 password; the buffer need not be NUL-terminated. */
    char raw[] = "Passport1.4 sign-in=z%40x.y,pwd=%C3%A9t%C3%A9XXXX";
    assert_int_equal(msnp_passport_auth_parse(raw, sizeof raw - 1 - 4, &a), MSNP_OK);
    assert_string_equal(a.pwd, "\xc3\xa9t\xc3\xa9");
    msnp_passport_auth_free(&a);
}

static void expect_auth_error(const char *value, size_t len, int err)
{
    msnp_passport_auth a;
    memset(&a, 0x55, sizeof a);
    assert_int_equal(msnp_passport_auth_parse(value, len, &a), err);
    assert_null(a.sign_in);
    assert_null(a.pwd);
    assert_null(a.items);
    assert_int_equal(a.nitems, 0);
}

static void test_auth_parse_errors(void **state)
{
    (void)state;
    msnp_passport_auth a;
    char big[MSNP_PASSPORT_MAX_HEADER + 64];

    expect_auth_error(S("Basic YWxpY2U6cHc="), MSNP_E_MISSING_FIELD);
    expect_auth_error(S("Passport1.4x sign-in=a,pwd=b"), MSNP_E_MISSING_FIELD);
    expect_auth_error(S("Passport1.4,sign-in=a,pwd=b"), MSNP_E_MISSING_FIELD);
    expect_auth_error(S("Passport1.3 sign-in=a,pwd=b"), MSNP_E_MISSING_FIELD);
    expect_auth_error(S("sign-in=a,pwd=b"), MSNP_E_MISSING_FIELD);
    expect_auth_error(S(""), MSNP_E_MISSING_FIELD);
    expect_auth_error(S("Passport1.4"), MSNP_E_MISSING_FIELD);
    expect_auth_error(S("Passport1.4 pwd=b"), MSNP_E_MISSING_FIELD);
    expect_auth_error(S("Passport1.4 sign-in=a"), MSNP_E_MISSING_FIELD);
    expect_auth_error(S("Passport1.4 sign-in=,pwd=b"), MSNP_E_MISSING_FIELD);
    expect_auth_error(S("Passport1.4 sign-in=a,pwd="), MSNP_E_MISSING_FIELD);
    expect_auth_error(S("Passport1.4 sign-in=a,pwd"), MSNP_E_MISSING_FIELD);
    expect_auth_error(S("Passport1.4 sign-in=a,pwd=b,sign-in=c"), MSNP_E_BAD_VALUE);
    expect_auth_error(S("Passport1.4 sign-in=a,pwd=b,PWD=c"), MSNP_E_BAD_VALUE);
    expect_auth_error(S("Passport1.4 sign-in=a,pwd=%zz"), MSNP_E_BAD_ESCAPE);
    expect_auth_error(S("Passport1.4 sign-in=a%4,pwd=b"), MSNP_E_BAD_ESCAPE);
    expect_auth_error(S("Passport1.4 sign-in=a,pwd=%C3%28"), MSNP_E_BAD_UTF8);
    expect_auth_error(S("Passport1.4 sign-in=a,pwd=%00"), MSNP_E_CONTROL_CHAR);
    expect_auth_error(S("Passport1.4 sign-in=a,pwd=%0D%0A"), MSNP_E_CONTROL_CHAR);
    expect_auth_error(S("Passport1.4 sign-in=a,pwd=b\x01"), MSNP_E_CONTROL_CHAR);
    expect_auth_error(S("Passport1.4 sign-in=a,pwd=b\r\nX: y"), MSNP_E_CONTROL_CHAR);
    expect_auth_error(S("Passport1.4 sign-in=a,pwd=b\x7f"), MSNP_E_CONTROL_CHAR);
    expect_auth_error("Passport1.4 sign-in=a,pwd=b\0c", 29, MSNP_E_CONTROL_CHAR);

    /* Limits: header length, item count, name and value length. */
    memset(big, 'a', sizeof big);
    memcpy(big, "Passport1.4 sign-in=a,pwd=", 26);
    expect_auth_error(big, MSNP_PASSPORT_MAX_HEADER + 1, MSNP_E_TOO_LONG);
    int n = snprintf(big, sizeof big, "Passport1.4 sign-in=a,pwd=b");
    for (int i = 2; i < MSNP_PASSPORT_MAX_ITEMS; i++)
        n += snprintf(big + n, sizeof big - (size_t)n, ",x=1");
    assert_int_equal(msnp_passport_auth_parse(big, (size_t)n, &a), MSNP_OK);
    assert_int_equal(a.nitems, MSNP_PASSPORT_MAX_ITEMS - 2);
    msnp_passport_auth_free(&a);
    n += snprintf(big + n, sizeof big - (size_t)n, ",flag");
    expect_auth_error(big, (size_t)n, MSNP_E_TOO_LONG);

    n = snprintf(big, sizeof big, "Passport1.4 sign-in=a,pwd=");
    memset(big + n, 'p', MSNP_PASSPORT_MAX_VALUE);
    assert_int_equal(msnp_passport_auth_parse(big, (size_t)n + MSNP_PASSPORT_MAX_VALUE,
                                              &a),
                     MSNP_OK);
    assert_int_equal(strlen(a.pwd), MSNP_PASSPORT_MAX_VALUE);
    msnp_passport_auth_free(&a);
    big[n + MSNP_PASSPORT_MAX_VALUE] = 'p';
    expect_auth_error(big, (size_t)n + MSNP_PASSPORT_MAX_VALUE + 1, MSNP_E_TOO_LONG);

    n = snprintf(big, sizeof big, "Passport1.4 sign-in=a,pwd=b,");
    memset(big + n, 'N', MSNP_PASSPORT_MAX_NAME + 1);
    n += MSNP_PASSPORT_MAX_NAME + 1;
    big[n++] = '=';
    expect_auth_error(big, (size_t)n, MSNP_E_TOO_LONG);

    assert_int_equal(msnp_passport_auth_parse(NULL, 0, &a), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_passport_auth_parse(S("Passport1.4 sign-in=a,pwd=b"), NULL),
                     MSNP_E_INVALID_ARG);
}

static void test_auth_round_trip(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    msnp_passport_auth a;
    static const char *const pwds[] = { "s3cr,t", "p w=%'\"&;", "\xc3\xa9\xe2\x82\xac",
                                        "x", "%2C", "\t" };

    for (size_t i = 0; i < sizeof pwds / sizeof pwds[0]; i++) {
        assert_int_equal(msnp_passport_auth_build(&b, "Alice+1@example.com", pwds[i],
                                                  CHALLENGE_24),
                         MSNP_OK);
        assert_int_equal(msnp_passport_auth_parse(b.data, b.len, &a), MSNP_OK);
        assert_string_equal(a.sign_in, "Alice+1@example.com");
        assert_string_equal(a.pwd, pwds[i]);
        assert_string_equal(msnp_passport_auth_get(&a, "tpf"), TPF);
        assert_string_equal(msnp_passport_auth_get(&a, "OrgURL"), RU_ENC);
        msnp_passport_auth_free(&a);
        msnp_buf_reset(&b);
    }
    msnp_buf_free(&b);
}

/* ---- Authentication-Info ----------------------------------------------- */

static void test_info_build(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_passport_info_build(&b, TICKET, "http://messenger.example.net/"),
           INFO_26);
    EXPECT(msnp_passport_info_build(&b, "t=A&p=B", NULL),
           "Passport1.4 da-status=success,tname=MSPAuth,tname=MSPProf,tname=MSPSec,"
           "from-PP='t=A&p=B'");
    EXPECT(msnp_passport_info_build(&b, "t=A&p=B", ""),
           "Passport1.4 da-status=success,tname=MSPAuth,tname=MSPProf,tname=MSPSec,"
           "from-PP='t=A&p=B'");

    REJECT(msnp_passport_info_build(&b, "t=A'&p=B", NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_info_build(&b, "t=A,&p=B", NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_info_build(&b, "t=A &p=B", NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_info_build(&b, "", NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_info_build(&b, NULL, NULL), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_info_build(&b, "t=A", "http://a/,b"), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_info_build(&b, "t=A", "http://a/ b"), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_info_parse(void **state)
{
    (void)state;
    msnp_passport_info info;

    assert_int_equal(msnp_passport_info_parse(S(INFO_26), &info), MSNP_OK);
    assert_string_equal(info.da_status, "success");
    assert_string_equal(info.from_pp, TICKET);
    assert_string_equal(info.ru, "http://messenger.example.net/");
    msnp_passport_info_free(&info);
    assert_null(info.da_status);
    msnp_passport_info_free(&info);
    msnp_passport_info_free(NULL);

    assert_int_equal(msnp_passport_info_parse(S("Passport1.4 da-status=redir"), &info),
                     MSNP_OK);
    assert_string_equal(info.da_status, "redir");
    assert_null(info.from_pp);
    assert_null(info.ru);
    msnp_passport_info_free(&info);

    /* The wiki's "dastatus" spelling; commas inside the quotes. */
    assert_int_equal(msnp_passport_info_parse(
                         S("passport1.4 dastatus=success,from-PP='t=a,b&p=c'"), &info),
                     MSNP_OK);
    assert_string_equal(info.da_status, "success");
    assert_string_equal(info.from_pp, "t=a,b&p=c");
    msnp_passport_info_free(&info);

    /* "Text between from-PP=' and the next '". */
    assert_int_equal(msnp_passport_info_parse(
                         S("Passport1.4 da-status=success,from-PP='t=a'junk''"), &info),
                     MSNP_OK);
    assert_string_equal(info.from_pp, "t=a");
    msnp_passport_info_free(&info);
    assert_int_equal(msnp_passport_info_parse(
                         S("Passport1.4 da-status=success,from-PP=''"), &info),
                     MSNP_OK);
    assert_string_equal(info.from_pp, "");
    msnp_passport_info_free(&info);

    static const struct {
        const char *value;
        int err;
    } bad[] = {
        { "Passport1.4 tname=MSPAuth,from-PP='t=a'", MSNP_E_MISSING_FIELD },
        { "Passport1.4 da-status=,from-PP='t=a'", MSNP_E_MISSING_FIELD },
        { "da-status=success,from-PP='t=a'", MSNP_E_MISSING_FIELD },
        { "Passport1.4 da-status=success,from-PP='t=a", MSNP_E_BAD_HEADER },
        { "Passport1.4 da-status=success,from-PP=t=a", MSNP_E_BAD_HEADER },
        { "Passport1.4 da-status=success,from-PP=", MSNP_E_BAD_HEADER },
        { "Passport1.4 da-status=success,ru='x", MSNP_E_BAD_HEADER },
        { "Passport1.4 da-status=success\x01", MSNP_E_CONTROL_CHAR },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&info, 0x55, sizeof info);
        assert_int_equal(msnp_passport_info_parse(bad[i].value, strlen(bad[i].value),
                                                  &info),
                         bad[i].err);
        assert_null(info.da_status);
        assert_null(info.from_pp);
        assert_null(info.ru);
    }
    assert_int_equal(msnp_passport_info_parse(NULL, 0, &info), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_passport_info_parse(S(INFO_26), NULL), MSNP_E_INVALID_ARG);
}

/* ---- WWW-Authenticate -------------------------------------------------- */

static void test_failure_build(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;

    EXPECT(msnp_passport_failure_build(&b, "Passport.Net",
                                       "Sign-in name or password is incorrect."),
           FAILURE_26);
    EXPECT(msnp_passport_failure_build(&b, "Passport.Net", NULL),
           "Passport1.4 da-status=failed,srealm=Passport.Net,ts=-3,prompt");
    EXPECT(msnp_passport_failure_build(&b, "R", "a,b'c\xc3\xa9"),
           "Passport1.4 da-status=failed,srealm=R,ts=-3,prompt,cbtxt=a%2Cb%27c%C3%A9");

    REJECT(msnp_passport_failure_build(&b, NULL, "x"), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_failure_build(&b, "", "x"), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_failure_build(&b, "Pass,port", "x"), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_failure_build(&b, "Pass port", "x"), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_failure_parse(void **state)
{
    (void)state;
    msnp_passport_failure f;

    assert_int_equal(msnp_passport_failure_parse(S(FAILURE_26), &f), MSNP_OK);
    assert_string_equal(f.da_status, "failed");
    assert_string_equal(f.srealm, "Passport.Net");
    assert_string_equal(f.cbtxt, "Sign-in name or password is incorrect.");
    msnp_passport_failure_free(&f);
    assert_null(f.cbtxt);
    msnp_passport_failure_free(NULL);

    assert_int_equal(msnp_passport_failure_parse(
                         S("Passport1.4 da-status=failed-noretry"), &f),
                     MSNP_OK);
    assert_string_equal(f.da_status, "failed-noretry");
    assert_null(f.srealm);
    assert_null(f.cbtxt);
    msnp_passport_failure_free(&f);

    /* Lenient text: stray '%', Windows-1252 bytes. */
    assert_int_equal(msnp_passport_failure_parse(
                         S("Passport1.4 dastatus=failed,cbtxt=100%25%20sure%,x=%E9t%E9"),
                         &f),
                     MSNP_OK);
    assert_string_equal(f.cbtxt, "100% sure%");
    msnp_passport_failure_free(&f);
    assert_int_equal(msnp_passport_failure_parse(
                         S("Passport1.4 da-status=failed,cbtxt=%E9t%E9"), &f),
                     MSNP_OK);
    assert_string_equal(f.cbtxt, "\xc3\xa9t\xc3\xa9");
    msnp_passport_failure_free(&f);

    static const struct {
        const char *value;
        int err;
    } bad[] = {
        { "Passport1.4 srealm=Passport.Net,cbtxt=x", MSNP_E_MISSING_FIELD },
        { "Negotiate da-status=failed", MSNP_E_MISSING_FIELD },
        { "Passport1.4 da-status=failed,cbtxt=a%0Ab", MSNP_E_CONTROL_CHAR },
        { "Passport1.4 da-status=failed,cbtxt=a%00b", MSNP_E_CONTROL_CHAR },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&f, 0x55, sizeof f);
        assert_int_equal(msnp_passport_failure_parse(bad[i].value, strlen(bad[i].value),
                                                     &f),
                         bad[i].err);
        assert_null(f.da_status);
        assert_null(f.srealm);
        assert_null(f.cbtxt);
    }
    assert_int_equal(msnp_passport_failure_parse(NULL, 1, &f), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_passport_failure_parse(S(FAILURE_26), NULL),
                     MSNP_E_INVALID_ARG);
}

/* ---- PassportURLs ------------------------------------------------------ */

static void test_urls_build(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    msnp_passport_urls u = {
        .realm = "Passport.Net",
        .login = "login.example.net/login2.srf",
        .reg = "https://login.example.net/reg",
        .properties = "https://login.example.net/prop",
        .privacy = "https://login.example.net/privacy",
        .general_redir = "https://login.example.net/redir",
        .help = "https://login.example.net/help",
        .config_version = 15,
    };

    EXPECT(msnp_passport_urls_build(&b, &u), URLS_26);
    msnp_passport_urls minimal = { .realm = "Passport.Net",
                                   .login = "login.example.net/login2.srf",
                                   .config_version = 4294967295u };
    EXPECT(msnp_passport_urls_build(&b, &minimal),
           "DARealm=Passport.Net,DALogin=login.example.net/login2.srf,"
           "ConfigVersion=4294967295");

    REJECT(msnp_passport_urls_build(&b, NULL), MSNP_E_INVALID_ARG);
    minimal.login = NULL;
    REJECT(msnp_passport_urls_build(&b, &minimal), MSNP_E_INVALID_ARG);
    minimal.login = "a/b";
    minimal.realm = "";
    REJECT(msnp_passport_urls_build(&b, &minimal), MSNP_E_INVALID_ARG);
    u.help = "https://x/a b";
    REJECT(msnp_passport_urls_build(&b, &u), MSNP_E_INVALID_ARG);
    u.help = "https://x/a,b";
    REJECT(msnp_passport_urls_build(&b, &u), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

static void test_urls_parse(void **state)
{
    (void)state;
    msnp_passport_nexus n;

    assert_int_equal(msnp_passport_urls_parse(S(URLS_26), &n), MSNP_OK);
    assert_string_equal(n.login, "login.example.net/login2.srf");
    assert_string_equal(n.realm, "Passport.Net");
    assert_true(n.has_config_version);
    assert_int_equal(n.config_version, 15);
    msnp_passport_nexus_free(&n);
    assert_null(n.login);
    msnp_passport_nexus_free(NULL);

    static const char *const schemes[] = {
        "DALogin=https://login.example.net/login2.srf",
        "DALogin=http://login.example.net/login2.srf",
        "DALogin=HTTPS://login.example.net/login2.srf",
        " dalogin = login.example.net/login2.srf ",
    };
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        assert_int_equal(msnp_passport_urls_parse(schemes[i], strlen(schemes[i]), &n),
                         MSNP_OK);
        assert_string_equal(n.login, "login.example.net/login2.srf");
        assert_null(n.realm);
        assert_false(n.has_config_version);
        msnp_passport_nexus_free(&n);
    }
    assert_int_equal(msnp_passport_urls_parse(S("DALogin=h/p,ConfigVersion=0"), &n),
                     MSNP_OK);
    assert_true(n.has_config_version);
    assert_int_equal(n.config_version, 0);
    msnp_passport_nexus_free(&n);
    assert_int_equal(msnp_passport_urls_parse(
                         S("DALogin=h/p,ConfigVersion=4294967295"), &n),
                     MSNP_OK);
    assert_int_equal(n.config_version, 4294967295u);
    msnp_passport_nexus_free(&n);

    static const struct {
        const char *value;
        int err;
    } bad[] = {
        { "DARealm=Passport.Net,ConfigVersion=15", MSNP_E_MISSING_FIELD },
        { "DALogin=https://,ConfigVersion=15", MSNP_E_MISSING_FIELD },
        { "DALogin=", MSNP_E_MISSING_FIELD },
        { "", MSNP_E_MISSING_FIELD },
        { "DALogin=h/p,ConfigVersion=abc", MSNP_E_BAD_VALUE },
        { "DALogin=h/p,ConfigVersion=", MSNP_E_BAD_VALUE },
        { "DALogin=h/p,ConfigVersion=-1", MSNP_E_BAD_VALUE },
        { "DALogin=h/p,ConfigVersion=4294967296", MSNP_E_BAD_VALUE },
        { "DALogin=h/p,ConfigVersion=99999999999", MSNP_E_BAD_VALUE },
        { "DALogin=h/p\n", MSNP_E_CONTROL_CHAR },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&n, 0x55, sizeof n);
        assert_int_equal(msnp_passport_urls_parse(bad[i].value, strlen(bad[i].value),
                                                  &n),
                         bad[i].err);
        assert_null(n.login);
        assert_null(n.realm);
    }
    assert_int_equal(msnp_passport_urls_parse(NULL, 0, &n), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_passport_urls_parse(S(URLS_26), NULL), MSNP_E_INVALID_ARG);
}

/* ---- tickets ----------------------------------------------------------- */

static void expect_split(const char *ticket, const char *t, const char *p)
{
    msnp_passport_ticket tk;
    assert_int_equal(msnp_passport_ticket_split(ticket, strlen(ticket), &tk), MSNP_OK);
    assert_int_equal(tk.t_len, strlen(t));
    assert_memory_equal(tk.t, t, tk.t_len);
    if (p) {
        assert_non_null(tk.p);
        assert_int_equal(tk.p_len, strlen(p));
        assert_memory_equal(tk.p, p, tk.p_len);
    } else {
        assert_null(tk.p);
        assert_int_equal(tk.p_len, 0);
    }
}

static void test_ticket_split(void **state)
{
    (void)state;
    msnp_passport_ticket tk;

    expect_split(TICKET, "Q9zZm9vYmFyVGlja2V0AA$$", "cHJvZmlsZUJsb2IA$$");
    expect_split("Q9zZm9vYmFyVGlja2V0AA$$&p=cHJvZmlsZUJsb2IA$$",
                 "Q9zZm9vYmFyVGlja2V0AA$$", "cHJvZmlsZUJsb2IA$$");
    expect_split("t=abc", "abc", NULL);
    expect_split("abc", "abc", NULL);
    expect_split("t=a&p=b&c", "a", "b&c");

    static const struct {
        const char *ticket;
        int err;
    } bad[] = {
        { "", MSNP_E_MISSING_FIELD },    { "t=", MSNP_E_MISSING_FIELD },
        { "&p=b", MSNP_E_MISSING_FIELD }, { "t=&p=b", MSNP_E_MISSING_FIELD },
        { "t=a&", MSNP_E_MISSING_FIELD },  { "t=a&p=", MSNP_E_MISSING_FIELD },
        { "t=a&q=b", MSNP_E_BAD_VALUE },   { "t=a&P=b", MSNP_E_BAD_VALUE },
        { "t=a&p", MSNP_E_BAD_VALUE },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(msnp_passport_ticket_split(bad[i].ticket,
                                                    strlen(bad[i].ticket), &tk),
                         bad[i].err);
    }
    assert_int_equal(msnp_passport_ticket_split(NULL, 0, &tk), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_passport_ticket_split("t=a", 3, NULL), MSNP_E_INVALID_ARG);
}

static void test_token_valid(void **state)
{
    (void)state;
    assert_true(msnp_passport_token_valid(S("Q9zZm9vYmFyVGlja2V0AA$$")));
    assert_true(msnp_passport_token_valid(S("azAZ09!*$")));
    assert_false(msnp_passport_token_valid(S("")));
    assert_false(msnp_passport_token_valid(NULL, 3));
    static const char bad[] = "-_.~'&=%+/ ,\"\x80";
    for (size_t i = 0; i < sizeof bad - 1; i++) {
        char tok[4] = { 'a', bad[i], 'b', 0 };
        assert_false(msnp_passport_token_valid(tok, 3));
    }
}

static void test_ticket_build_and_tokens(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    msnp_passport_ticket tk;
    static const unsigned char zeros[3] = { 0, 0, 0 };
    static const unsigned char ones[3] = { 0xFF, 0xFF, 0xFF };
    static const unsigned char one[1] = { 0xFF };
    static const unsigned char mixed[3] = { 0x04, 0x20, 0xC4 };
    unsigned char rnd[30];

    EXPECT(msnp_passport_ticket_build(&b, "Q9zZm9vYmFyVGlja2V0AA$$", "cHJvZmlsZUJsb2IA$$"),
           TICKET);
    REJECT(msnp_passport_ticket_build(&b, "a'b", "c"), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_ticket_build(&b, "ab", "c&d"), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_ticket_build(&b, "", "c"), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_ticket_build(&b, "a", NULL), MSNP_E_INVALID_ARG);

    EXPECT(msnp_passport_token_from_random(&b, zeros, 3), "AAAA");
    EXPECT(msnp_passport_token_from_random(&b, ones, 3), "****");
    EXPECT(msnp_passport_token_from_random(&b, one, 1), "*w");
    /* 000001 000010 000011 000100 */
    EXPECT(msnp_passport_token_from_random(&b, mixed, 3), "BCDE");

    for (int i = 0; i < 30; i++)
        rnd[i] = (unsigned char)(i * 37 + 11);
    assert_int_equal(msnp_passport_token_from_random(&b, rnd, sizeof rnd), MSNP_OK);
    assert_int_equal(b.len, 40);
    assert_true(msnp_passport_token_valid(b.data, b.len));
    char t[41];
    memcpy(t, b.data, 41);
    msnp_buf_reset(&b);
    assert_int_equal(msnp_passport_ticket_build(&b, t, t), MSNP_OK);
    assert_int_equal(msnp_passport_ticket_split(b.data, b.len, &tk), MSNP_OK);
    assert_int_equal(tk.t_len, 40);
    assert_int_equal(tk.p_len, 40);
    assert_memory_equal(tk.t, t, 40);
    msnp_buf_reset(&b);

    REJECT(msnp_passport_token_from_random(&b, NULL, 3), MSNP_E_INVALID_ARG);
    REJECT(msnp_passport_token_from_random(&b, zeros, 0), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_passport_token_from_random(NULL, zeros, 3),
                     MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
}

/* The whole login exchange: NS challenge -> client header -> endpoint
 * parses it -> success header -> client extracts the ticket -> NS splits. */
static void test_login_flow(void **state)
{
    (void)state;
    msnp_buf challenge = MSNP_BUF_INIT, header = MSNP_BUF_INIT;
    msnp_passport_auth a;
    msnp_passport_info info;
    msnp_passport_ticket tk;

    assert_int_equal(msnp_passport_challenge_build(&challenge,
                                                   "http://messenger.example.net",
                                                   1062764229, TPF),
                     MSNP_OK);
    assert_int_equal(msnp_passport_auth_build(&header, "alice@example.com", "s3cr,t",
                                              challenge.data),
                     MSNP_OK);
    assert_string_equal(header.data, AUTH_26);
    assert_int_equal(msnp_passport_auth_parse(header.data, header.len, &a), MSNP_OK);
    assert_string_equal(a.sign_in, "alice@example.com");
    assert_string_equal(a.pwd, "s3cr,t");
    assert_string_equal(msnp_passport_auth_get(&a, "ct"), "1062764229");
    msnp_passport_auth_free(&a);

    msnp_buf_reset(&header);
    assert_int_equal(msnp_passport_info_build(&header, TICKET,
                                              "http://messenger.example.net/"),
                     MSNP_OK);
    assert_int_equal(msnp_passport_info_parse(header.data, header.len, &info), MSNP_OK);
    assert_int_equal(msnp_passport_ticket_split(info.from_pp, strlen(info.from_pp), &tk),
                     MSNP_OK);
    assert_true(msnp_passport_token_valid(tk.t, tk.t_len));
    assert_int_equal(tk.t_len, strlen("Q9zZm9vYmFyVGlja2V0AA$$"));
    msnp_passport_info_free(&info);
    msnp_buf_free(&challenge);
    msnp_buf_free(&header);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_challenge_build),
        cmocka_unit_test(test_auth_build),
        cmocka_unit_test(test_auth_parse_spec),
        cmocka_unit_test(test_auth_parse_tolerant),
        cmocka_unit_test(test_auth_parse_errors),
        cmocka_unit_test(test_auth_round_trip),
        cmocka_unit_test(test_info_build),
        cmocka_unit_test(test_info_parse),
        cmocka_unit_test(test_failure_build),
        cmocka_unit_test(test_failure_parse),
        cmocka_unit_test(test_urls_build),
        cmocka_unit_test(test_urls_parse),
        cmocka_unit_test(test_ticket_split),
        cmocka_unit_test(test_token_valid),
        cmocka_unit_test(test_ticket_build_and_tokens),
        cmocka_unit_test(test_login_flow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
