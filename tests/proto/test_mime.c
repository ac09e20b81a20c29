/* test_mime.c - MIME header blocks of MSG payloads (msnp.md 5.8). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_mime.h"
#include "msnp_status.h"

#define S(lit) lit, sizeof(lit) - 1

/* msnp.md 5.7: the 141-byte text message. */
static const char text_msg[] =
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "X-MMS-IM-Format: FN=MS%20Sans%20Serif; EF=B; CO=ff0000; CS=0; PF=22\r\n"
    "\r\n"
    "Hello Bob!";

static int parse_str(const char *data, size_t len, msnp_mime *m)
{
    return msnp_mime_parse(data, len, m);
}

static void expect_parse_error(const char *data, size_t len, int rc)
{
    msnp_mime m;
    memset(&m, 'z', sizeof m);         /* must come back empty */
    assert_int_equal(parse_str(data, len, &m), rc);
    assert_int_equal(m.nheaders, 0);
    assert_null(m.headers);
    assert_null(m.body);
    msnp_mime_free(&m);
}

static void test_parse_spec_text_message(void **state)
{
    (void)state;
    msnp_mime m;
    assert_int_equal(sizeof text_msg - 1, 141);
    assert_int_equal(parse_str(S(text_msg), &m), MSNP_OK);
    assert_int_equal(m.nheaders, 3);
    assert_string_equal(m.headers[0].name, "MIME-Version");
    assert_string_equal(m.headers[0].value, "1.0");
    assert_string_equal(m.headers[1].name, "Content-Type");
    assert_string_equal(m.headers[1].value, "text/plain; charset=UTF-8");
    assert_string_equal(m.headers[2].name, "X-MMS-IM-Format");
    assert_string_equal(m.headers[2].value,
                        "FN=MS%20Sans%20Serif; EF=B; CO=ff0000; CS=0; PF=22");
    assert_int_equal(m.body_len, 10);
    assert_memory_equal(m.body, "Hello Bob!", 10);
    assert_int_equal(m.body[10], '\0');
    msnp_mime_free(&m);
    assert_null(m.headers);
    assert_int_equal(m.nheaders, 0);
}

static void test_parse_body_kept_exactly(void **state)
{
    (void)state;
    static const char payload[] = "A: b\r\n\r\n\r\n\0\rx\n\xFF";
    msnp_mime m;
    assert_int_equal(parse_str(payload, sizeof payload - 1, &m), MSNP_OK);
    assert_int_equal(m.nheaders, 1);
    assert_int_equal(m.body_len, 7);
    assert_memory_equal(m.body, "\r\n\0\rx\n\xFF", 7);
    msnp_mime_free(&m);
}

static void test_parse_bare_lf(void **state)
{
    (void)state;
    msnp_mime m;
    assert_int_equal(parse_str(S("A: 1\nB: 2\r\n\nbody\n"), &m), MSNP_OK);
    assert_int_equal(m.nheaders, 2);
    assert_string_equal(m.headers[0].value, "1");
    assert_string_equal(m.headers[1].value, "2");
    assert_int_equal(m.body_len, 5);
    assert_memory_equal(m.body, "body\n", 5);
    msnp_mime_free(&m);
}

static void test_lookup(void **state)
{
    (void)state;
    msnp_mime m;
    assert_int_equal(parse_str(S("content-TYPE: a/b\r\nX: 1\r\nx: 2\r\n\r\n"), &m), MSNP_OK);
    assert_string_equal(msnp_mime_get(&m, "Content-Type"), "a/b");
    assert_string_equal(msnp_mime_get(&m, "CONTENT-type"), "a/b");
    assert_string_equal(msnp_mime_get(&m, "X"), "1");  /* first duplicate */
    assert_int_equal(m.nheaders, 3);                   /* all kept */
    assert_string_equal(m.headers[2].name, "x");
    assert_string_equal(m.headers[2].value, "2");
    assert_null(msnp_mime_get(&m, "Y"));
    assert_null(msnp_mime_get(&m, "Content-Typ"));
    assert_null(msnp_mime_get(&m, NULL));
    assert_null(msnp_mime_get(NULL, "X"));
    msnp_mime_free(&m);
}

static void test_value_whitespace(void **state)
{
    (void)state;
    msnp_mime m;
    assert_int_equal(parse_str(S("A:   x  \r\nB:\t\t y\r\nC:\r\nD:  \r\nE:x\r\n\r\n"), &m), MSNP_OK);
    assert_string_equal(msnp_mime_get(&m, "A"), "x  ");
    assert_string_equal(msnp_mime_get(&m, "B"), "y");
    assert_string_equal(msnp_mime_get(&m, "C"), "");
    assert_string_equal(msnp_mime_get(&m, "D"), "");
    assert_string_equal(msnp_mime_get(&m, "E"), "x");
    msnp_mime_free(&m);
}

static void test_folding(void **state)
{
    (void)state;
    msnp_mime m;
    assert_int_equal(parse_str(S("A: x\r\n  y\r\n\tz\r\nB:\r\n b\r\nC: c\r\n \r\n\r\n"), &m),
                     MSNP_OK);
    assert_int_equal(m.nheaders, 3);
    assert_string_equal(msnp_mime_get(&m, "A"), "x y z");
    assert_string_equal(msnp_mime_get(&m, "B"), "b");  /* no leading space */
    assert_string_equal(msnp_mime_get(&m, "C"), "c");  /* empty continuation */
    msnp_mime_free(&m);
}

static void test_parse_header_errors(void **state)
{
    (void)state;
    expect_parse_error(S(" A: x\r\n\r\n"), MSNP_E_BAD_HEADER);   /* fold of nothing */
    expect_parse_error(S("NoColon\r\n\r\n"), MSNP_E_BAD_HEADER);
    expect_parse_error(S(": x\r\n\r\n"), MSNP_E_BAD_HEADER);      /* empty name */
    expect_parse_error(S("A B: x\r\n\r\n"), MSNP_E_BAD_HEADER);
    expect_parse_error(S("A : x\r\n\r\n"), MSNP_E_BAD_HEADER);
    expect_parse_error(S("A(: x\r\n\r\n"), MSNP_E_BAD_HEADER);
    expect_parse_error(S("A\x80: x\r\n\r\n"), MSNP_E_BAD_HEADER);
    expect_parse_error(S("A: x\ry\r\n\r\n"), MSNP_E_BAD_HEADER);  /* bare CR */
    expect_parse_error(S("A: x\r\r\n\r\n"), MSNP_E_BAD_HEADER);
    expect_parse_error(S("A: x\0y\r\n\r\n"), MSNP_E_BAD_HEADER);  /* NUL */
    expect_parse_error(S("A: x\r\nbad line\r\n\r\n"), MSNP_E_BAD_HEADER);
}

static void test_missing_blank_line(void **state)
{
    (void)state;
    msnp_mime m;
    /* A complete header block without the blank line: empty body. */
    assert_int_equal(parse_str(S("A: b\r\nC: d\r\n"), &m), MSNP_OK);
    assert_int_equal(m.nheaders, 2);
    assert_int_equal(m.body_len, 0);
    assert_non_null(m.body);
    msnp_mime_free(&m);
    /* Ending inside a header line is an error, as is nothing at all. */
    expect_parse_error(S("A: b\r\nC: d"), MSNP_E_BAD_HEADER);
    expect_parse_error(S("A: b\r\nC: d\r"), MSNP_E_BAD_HEADER);
    expect_parse_error(S("A: b"), MSNP_E_BAD_HEADER);
    expect_parse_error("", 0, MSNP_E_BAD_HEADER);
    /* Just the blank line: no headers. */
    assert_int_equal(parse_str(S("\r\nbody"), &m), MSNP_OK);
    assert_int_equal(m.nheaders, 0);
    assert_int_equal(m.body_len, 4);
    msnp_mime_free(&m);
    assert_int_equal(parse_str(S("\n"), &m), MSNP_OK);
    assert_int_equal(m.nheaders, 0);
    assert_int_equal(m.body_len, 0);
    msnp_mime_free(&m);
}

static void test_parse_invalid_args(void **state)
{
    (void)state;
    msnp_mime m;
    memset(&m, 'z', sizeof m);
    assert_int_equal(msnp_mime_parse(NULL, 3, &m), MSNP_E_INVALID_ARG);
    assert_null(m.headers);
    memset(&m, 'z', sizeof m);
    assert_int_equal(msnp_mime_parse_fields(NULL, 3, &m), MSNP_E_INVALID_ARG);
    assert_null(m.headers);
    assert_int_equal(msnp_mime_parse("A: b\r\n", 6, NULL), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_parse(NULL, 0, &m), MSNP_E_BAD_HEADER);
    assert_int_equal(msnp_mime_parse_fields(NULL, 3, &m), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_parse_fields("A: b", 4, NULL), MSNP_E_INVALID_ARG);
    msnp_mime_free(NULL);
}

/* A header block of n headers "Hk: v" then a blank line. */
static char *many_headers(size_t n, size_t *len)
{
    msnp_buf b = MSNP_BUF_INIT;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(msnp_buf_appendf(&b, "H%zu: v\r\n", i), MSNP_OK);
    assert_int_equal(msnp_buf_append_str(&b, "\r\n"), MSNP_OK);
    return msnp_buf_detach(&b, len);
}

static void test_header_count_limit(void **state)
{
    (void)state;
    size_t len;
    msnp_mime m;
    char *p = many_headers(MSNP_MIME_MAX_HEADERS, &len);
    assert_int_equal(parse_str(p, len, &m), MSNP_OK);
    assert_int_equal(m.nheaders, MSNP_MIME_MAX_HEADERS);
    msnp_mime_free(&m);
    free(p);
    p = many_headers(MSNP_MIME_MAX_HEADERS + 1, &len);
    expect_parse_error(p, len, MSNP_E_TOO_LONG);
    free(p);
}

/* "N: " + value of vlen 'x' + terminator. */
static char *long_line(size_t vlen, const char *after, size_t *len)
{
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_buf_append_str(&b, "N: "), MSNP_OK);
    for (size_t i = 0; i < vlen; i++)
        assert_int_equal(msnp_buf_append_char(&b, 'x'), MSNP_OK);
    assert_int_equal(msnp_buf_append_str(&b, after), MSNP_OK);
    return msnp_buf_detach(&b, len);
}

static void test_line_length_limit(void **state)
{
    (void)state;
    size_t len;
    msnp_mime m;
    /* "N: " + value is exactly MSNP_MIME_MAX_LINE bytes. */
    char *p = long_line(MSNP_MIME_MAX_LINE - 3, "\r\n\r\n", &len);
    assert_int_equal(parse_str(p, len, &m), MSNP_OK);
    assert_int_equal(strlen(msnp_mime_get(&m, "N")), MSNP_MIME_MAX_LINE - 3);
    msnp_mime_free(&m);
    free(p);
    p = long_line(MSNP_MIME_MAX_LINE - 2, "\r\n\r\n", &len);
    expect_parse_error(p, len, MSNP_E_TOO_LONG);
    free(p);
    /* Folding cannot be used to get round the limit. */
    p = long_line(MSNP_MIME_MAX_LINE - 4, "\r\n y\r\n\r\n", &len);
    expect_parse_error(p, len, MSNP_E_TOO_LONG);
    free(p);
    /* An unterminated huge line reports its size, not its shape. */
    p = long_line(MSNP_MIME_MAX_LINE * 2, "", &len);
    expect_parse_error(p, len, MSNP_E_TOO_LONG);
    free(p);
}

static void test_parse_fields(void **state)
{
    (void)state;
    msnp_mime m;
    /* msnp.md 7.3 system message body: no blank line at the end. */
    assert_int_equal(msnp_mime_parse_fields(S("Type: 1\r\nArg1: 5\r\n"), &m), MSNP_OK);
    assert_int_equal(m.nheaders, 2);
    assert_string_equal(msnp_mime_get(&m, "type"), "1");
    assert_string_equal(msnp_mime_get(&m, "ARG1"), "5");
    assert_null(m.body);
    assert_int_equal(m.body_len, 0);
    msnp_mime_free(&m);
    /* The last line may lack its terminator. */
    assert_int_equal(msnp_mime_parse_fields(S("Type: 1\r\nArg1: 5"), &m), MSNP_OK);
    assert_string_equal(msnp_mime_get(&m, "Arg1"), "5");
    msnp_mime_free(&m);
    /* Stops at the first blank line; the rest is ignored. */
    assert_int_equal(msnp_mime_parse_fields(S("A: 1\r\n\r\nnot a header\r\n"), &m), MSNP_OK);
    assert_int_equal(m.nheaders, 1);
    msnp_mime_free(&m);
    /* Empty is fine. */
    assert_int_equal(msnp_mime_parse_fields("", 0, &m), MSNP_OK);
    assert_int_equal(m.nheaders, 0);
    msnp_mime_free(&m);
    assert_int_equal(msnp_mime_parse_fields(S("A: 1\r\nbad\r\n"), &m), MSNP_E_BAD_HEADER);
    assert_int_equal(m.nheaders, 0);
    assert_int_equal(msnp_mime_parse_fields(S("A: 1\r\nB: 2\r"), &m), MSNP_E_BAD_HEADER);
    assert_int_equal(msnp_mime_parse_fields(S("A: 1\r\nbad"), &m), MSNP_E_BAD_HEADER);
}

static void test_build_exact(void **state)
{
    (void)state;
    msnp_mime m = MSNP_MIME_INIT;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_mime_add(&m, "MIME-Version", "1.0"), MSNP_OK);
    assert_int_equal(msnp_mime_add(&m, "Content-Type", "text/plain; charset=UTF-8"), MSNP_OK);
    assert_int_equal(msnp_mime_add(&m, "X-MMS-IM-Format",
                                   "FN=MS%20Sans%20Serif; EF=B; CO=ff0000; CS=0; PF=22"),
                     MSNP_OK);
    assert_int_equal(msnp_mime_set_body(&m, "Hello Bob!", 10), MSNP_OK);
    assert_int_equal(msnp_mime_build(&m, &b), MSNP_OK);
    assert_int_equal(b.len, 141);
    assert_memory_equal(b.data, text_msg, 141);
    msnp_buf_free(&b);
    msnp_mime_free(&m);
}

static void test_build_empty_value_and_body(void **state)
{
    (void)state;
    msnp_mime m = MSNP_MIME_INIT;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_mime_add(&m, "PostalCode", ""), MSNP_OK);
    assert_int_equal(msnp_mime_build(&m, &b), MSNP_OK);
    assert_string_equal(b.data, "PostalCode: \r\n\r\n");
    msnp_mime_free(&m);
    msnp_buf_reset(&b);
    /* No headers at all: just the blank line. */
    assert_int_equal(msnp_mime_build(&m, &b), MSNP_OK);
    assert_string_equal(b.data, "\r\n");
    msnp_buf_free(&b);
    /* Body replacement. */
    assert_int_equal(msnp_mime_set_body(&m, "a", 1), MSNP_OK);
    assert_int_equal(msnp_mime_set_body(&m, "bc\0d", 4), MSNP_OK);
    assert_int_equal(m.body_len, 4);
    assert_memory_equal(m.body, "bc\0d", 4);
    assert_int_equal(msnp_mime_set_body(&m, NULL, 0), MSNP_OK);
    assert_int_equal(m.body_len, 0);
    assert_int_equal(msnp_mime_set_body(&m, NULL, 1), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_set_body(NULL, "", 0), MSNP_E_INVALID_ARG);
    msnp_mime_free(&m);
}

static void test_add_errors(void **state)
{
    (void)state;
    msnp_mime m = MSNP_MIME_INIT;
    assert_int_equal(msnp_mime_add(&m, "", "v"), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_add(&m, NULL, "v"), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_add(&m, "A B", "v"), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_add(&m, "A:", "v"), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_add(&m, "A\r\nB", "v"), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_add(&m, "A", NULL), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_add(&m, "A", "x\r\nB: y"), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_add(&m, "A", "x\ny"), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_add(&m, "A", "x\ry"), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_add(NULL, "A", "v"), MSNP_E_INVALID_ARG);
    assert_int_equal(m.nheaders, 0);

    char big[MSNP_MIME_MAX_LINE + 1];
    memset(big, 'v', sizeof big - 1);
    big[MSNP_MIME_MAX_LINE - 3] = '\0';       /* "A: " + value = limit */
    assert_int_equal(msnp_mime_add(&m, "A", big), MSNP_OK);
    big[MSNP_MIME_MAX_LINE - 3] = 'v';
    big[MSNP_MIME_MAX_LINE - 2] = '\0';
    assert_int_equal(msnp_mime_add(&m, "A", big), MSNP_E_TOO_LONG);
    for (size_t i = 1; i < MSNP_MIME_MAX_HEADERS; i++)
        assert_int_equal(msnp_mime_add(&m, "H", "v"), MSNP_OK);
    assert_int_equal(msnp_mime_add(&m, "H", "v"), MSNP_E_TOO_LONG);
    assert_int_equal(m.nheaders, MSNP_MIME_MAX_HEADERS);
    msnp_mime_free(&m);
}

static void test_append_header(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_mime_append_header(&b, "TypingUser", "a@b.c"), MSNP_OK);
    assert_int_equal(msnp_mime_append_header(&b, "Empty", ""), MSNP_OK);
    assert_string_equal(b.data, "TypingUser: a@b.c\r\nEmpty: \r\n");
    assert_int_equal(msnp_mime_append_header(&b, "X", "a\r\nInjected: 1"), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_append_header(&b, "X Y", "1"), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_append_header(NULL, "X", "1"), MSNP_E_INVALID_ARG);
    assert_string_equal(b.data, "TypingUser: a@b.c\r\nEmpty: \r\n");
    /* A buffer limit leaves the buffer untouched. */
    size_t before = b.len;
    msnp_buf_set_limit(&b, before + 5);
    assert_int_equal(msnp_mime_append_header(&b, "Long", "value"), MSNP_E_TOO_LONG);
    assert_int_equal(b.len, before);
    msnp_buf_free(&b);
}

static void test_build_failure_leaves_buffer(void **state)
{
    (void)state;
    msnp_mime m = MSNP_MIME_INIT;
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_mime_add(&m, "A", "1"), MSNP_OK);
    assert_int_equal(msnp_mime_set_body(&m, "0123456789", 10), MSNP_OK);
    assert_int_equal(msnp_buf_append_str(&b, "MSG 1 N 18\r\n"), MSNP_OK);
    msnp_buf_set_limit(&b, b.len + 12);
    assert_int_equal(msnp_mime_build(&m, &b), MSNP_E_TOO_LONG);
    assert_string_equal(b.data, "MSG 1 N 18\r\n");
    msnp_buf_set_limit(&b, 0);
    assert_int_equal(msnp_mime_build(&m, &b), MSNP_OK);
    assert_string_equal(b.data, "MSG 1 N 18\r\nA: 1\r\n\r\n0123456789");
    assert_int_equal(msnp_mime_build(NULL, &b), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_mime_build(&m, NULL), MSNP_E_INVALID_ARG);
    msnp_buf_free(&b);
    msnp_mime_free(&m);
}

static void test_roundtrip(void **state)
{
    (void)state;
    static const char *const payloads[] = {
        text_msg,
        "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\n"
        "TypingUser: alice@example.com\r\n\r\n\r\n",
        "A: \r\nB: x y  \r\n\r\n\x01\x02",
    };
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        msnp_mime m;
        msnp_buf b = MSNP_BUF_INIT;
        size_t len = strlen(payloads[i]);
        assert_int_equal(msnp_mime_parse(payloads[i], len, &m), MSNP_OK);
        assert_int_equal(msnp_mime_build(&m, &b), MSNP_OK);
        assert_int_equal(b.len, len);
        assert_memory_equal(b.data, payloads[i], len);
        msnp_buf_free(&b);
        msnp_mime_free(&m);
    }
}

static void expect_ct(const char *v, const char *type, const char *sub,
                      const char *charset, bool has)
{
    msnp_content_type ct;
    assert_int_equal(msnp_content_type_parse(v, &ct), MSNP_OK);
    assert_string_equal(ct.type, type);
    assert_string_equal(ct.subtype, sub);
    assert_string_equal(ct.charset, charset);
    assert_int_equal(ct.has_charset, has);
}

static void test_content_type(void **state)
{
    (void)state;
    expect_ct("text/plain; charset=UTF-8", "text", "plain", "UTF-8", true);
    expect_ct("text/plain", "text", "plain", "", false);
    expect_ct("Text/X-MSMSGSINVITE; CHARSET=utf-8", "text", "x-msmsgsinvite", "utf-8", true);
    expect_ct("  text/plain ;charset = \"UTF-8\" ", "text", "plain", "UTF-8", true);
    expect_ct("text/plain; format=flowed; charset=ISO-8859-1; charset=x",
              "text", "plain", "ISO-8859-1", true);
    expect_ct("text/plain;", "text", "plain", "", false);
    expect_ct("text/plain; charset=\"\"", "text", "plain", "", true);
    expect_ct("application/x-msnmsgrp2p", "application", "x-msnmsgrp2p", "", false);
    /* A very long parameter name is not charset and is skipped. */
    char v[200];
    snprintf(v, sizeof v, "a/b; %0100d=1; charset=x", 0);
    expect_ct(v, "a", "b", "x", true);
}

static void expect_ct_error(const char *v, int rc)
{
    msnp_content_type ct;
    memset(&ct, 'z', sizeof ct);
    assert_int_equal(msnp_content_type_parse(v, &ct), rc);
    assert_string_equal(ct.type, "");
    assert_false(ct.has_charset);
}

static void test_content_type_errors(void **state)
{
    (void)state;
    expect_ct_error("text", MSNP_E_BAD_VALUE);
    expect_ct_error("", MSNP_E_BAD_VALUE);
    expect_ct_error("/plain", MSNP_E_BAD_VALUE);
    expect_ct_error("text/", MSNP_E_BAD_VALUE);
    expect_ct_error("text /plain", MSNP_E_BAD_VALUE);
    expect_ct_error("text/plain junk", MSNP_E_BAD_VALUE);
    expect_ct_error("text/plain; charset", MSNP_E_BAD_VALUE);
    expect_ct_error("text/plain; =x", MSNP_E_BAD_VALUE);
    expect_ct_error("text/plain; charset=", MSNP_E_BAD_VALUE);
    expect_ct_error("text/plain; charset=\"UTF-8", MSNP_E_BAD_VALUE);
    expect_ct_error("text/plain; charset=a b", MSNP_E_BAD_VALUE);
    char v[300];
    snprintf(v, sizeof v, "%0*d/plain", MSNP_MIME_TOKEN_MAX, 0);
    expect_ct_error(v, MSNP_E_TOO_LONG);
    snprintf(v, sizeof v, "text/%0*d", MSNP_MIME_TOKEN_MAX, 0);
    expect_ct_error(v, MSNP_E_TOO_LONG);
    snprintf(v, sizeof v, "text/plain; charset=%0*d", MSNP_MIME_TOKEN_MAX, 0);
    expect_ct_error(v, MSNP_E_TOO_LONG);
    snprintf(v, sizeof v, "%0*d/plain", MSNP_MIME_TOKEN_MAX - 1, 0);
    msnp_content_type ct;
    assert_int_equal(msnp_content_type_parse(v, &ct), MSNP_OK);
    assert_int_equal(msnp_content_type_parse(NULL, &ct), MSNP_E_INVALID_ARG);
    assert_int_equal(msnp_content_type_parse("a/b", NULL), MSNP_E_INVALID_ARG);
}

static void test_mime_content_type(void **state)
{
    (void)state;
    msnp_mime m;
    msnp_content_type ct;
    assert_int_equal(parse_str(S(text_msg), &m), MSNP_OK);
    assert_int_equal(msnp_mime_content_type(&m, &ct), MSNP_OK);
    assert_string_equal(ct.subtype, "plain");
    assert_true(msnp_mime_is_type(&m, "TEXT", "Plain"));
    assert_false(msnp_mime_is_type(&m, "text", "html"));
    msnp_mime_free(&m);
    assert_int_equal(parse_str(S("A: b\r\n\r\n"), &m), MSNP_OK);
    assert_int_equal(msnp_mime_content_type(&m, &ct), MSNP_E_MISSING_FIELD);
    assert_int_equal(msnp_mime_content_type(&m, NULL), MSNP_E_INVALID_ARG);
    assert_false(msnp_mime_is_type(&m, "text", "plain"));
    msnp_mime_free(&m);
    assert_int_equal(parse_str(S("Content-Type: bogus\r\n\r\n"), &m), MSNP_OK);
    assert_int_equal(msnp_mime_content_type(&m, &ct), MSNP_E_BAD_VALUE);
    msnp_mime_free(&m);
}

static void test_numbers(void **state)
{
    (void)state;
    uint64_t u = 7;
    int64_t i = 7;
    assert_int_equal(msnp_mime_value_u64("0", 10, &u), MSNP_OK);
    assert_int_equal(u, 0);
    assert_int_equal(msnp_mime_value_u64("007", 10, &u), MSNP_OK);
    assert_int_equal(u, 7);
    assert_int_equal(msnp_mime_value_u64("10", 10, &u), MSNP_OK);
    assert_int_equal(msnp_mime_value_u64("11", 10, &u), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_u64("18446744073709551615", UINT64_MAX, &u), MSNP_OK);
    assert_true(u == UINT64_MAX);
    assert_int_equal(msnp_mime_value_u64("18446744073709551616", UINT64_MAX, &u),
                     MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_u64("4294967296", UINT32_MAX, &u), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_u64("", 10, &u), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_u64(NULL, 10, &u), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_u64("-1", 10, &u), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_u64("+1", 10, &u), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_u64(" 1", 10, &u), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_u64("1 ", 10, &u), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_u64("0x1", 10, &u), MSNP_E_BAD_VALUE);
    assert_true(u == UINT64_MAX); /* untouched by the failures */

    assert_int_equal(msnp_mime_value_i64("-1234567890", INT32_MIN, INT32_MAX, &i), MSNP_OK);
    assert_int_equal(i, -1234567890);
    assert_int_equal(msnp_mime_value_i64("-2147483648", INT32_MIN, INT32_MAX, &i), MSNP_OK);
    assert_true(i == INT32_MIN);
    assert_int_equal(msnp_mime_value_i64("-2147483649", INT32_MIN, INT32_MAX, &i),
                     MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_i64("2147483648", INT32_MIN, INT32_MAX, &i),
                     MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &i),
                     MSNP_OK);
    assert_true(i == INT64_MIN);
    assert_int_equal(msnp_mime_value_i64("9223372036854775807", INT64_MIN, INT64_MAX, &i),
                     MSNP_OK);
    assert_true(i == INT64_MAX);
    assert_int_equal(msnp_mime_value_i64("-0", -5, 5, &i), MSNP_OK);
    assert_int_equal(i, 0);
    assert_int_equal(msnp_mime_value_i64("-1", 0, 5, &i), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_i64("-", -5, 5, &i), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_i64("--1", -5, 5, &i), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_i64("-6", -5, 5, &i), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_i64("-3", -5, -2, &i), MSNP_OK);
    assert_int_equal(msnp_mime_value_i64("-1", -5, -2, &i), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_i64("1", -5, -2, &i), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_i64("3", 4, 9, &i), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_mime_value_i64(NULL, 0, 9, &i), MSNP_E_BAD_VALUE);
    assert_int_equal(i, -3);
}

static void test_helpers(void **state)
{
    (void)state;
    assert_true(msnp_mime_iequal("Content-Type", "cONTENT-tYPE"));
    assert_false(msnp_mime_iequal("Content-Type", "Content-Typ"));
    assert_false(msnp_mime_iequal("a", "ab"));
    assert_false(msnp_mime_iequal(NULL, "a"));
    assert_false(msnp_mime_iequal(NULL, NULL));
    assert_true(msnp_mime_iequal("", ""));
    assert_true(msnp_mime_name_valid("X-MMS-IM-Format"));
    assert_true(msnp_mime_name_valid("lang_preference"));
    assert_true(msnp_mime_name_valid("!#$%&'*+-.^_`|~09azAZ"));
    assert_false(msnp_mime_name_valid(""));
    assert_false(msnp_mime_name_valid(NULL));
    assert_false(msnp_mime_name_valid("a b"));
    assert_false(msnp_mime_name_valid("a:b"));
    assert_false(msnp_mime_name_valid("a\"b"));
    assert_false(msnp_mime_name_valid("\xC3\xA9"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_spec_text_message),
        cmocka_unit_test(test_parse_body_kept_exactly),
        cmocka_unit_test(test_parse_bare_lf),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_value_whitespace),
        cmocka_unit_test(test_folding),
        cmocka_unit_test(test_parse_header_errors),
        cmocka_unit_test(test_missing_blank_line),
        cmocka_unit_test(test_parse_invalid_args),
        cmocka_unit_test(test_header_count_limit),
        cmocka_unit_test(test_line_length_limit),
        cmocka_unit_test(test_parse_fields),
        cmocka_unit_test(test_build_exact),
        cmocka_unit_test(test_build_empty_value_and_body),
        cmocka_unit_test(test_add_errors),
        cmocka_unit_test(test_append_header),
        cmocka_unit_test(test_build_failure_leaves_buffer),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_content_type),
        cmocka_unit_test(test_content_type_errors),
        cmocka_unit_test(test_mime_content_type),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
