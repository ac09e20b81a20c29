/*
 * test_http_compat.c - the HTTP/0.9 request-line rewriter (http_compat.h)
 * on bare evbuffers: what becomes HTTP/1.0, what is left alone, lines
 * that arrive in pieces, and the watch ending after the first line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/buffer.h>

#include "http_compat.h"

/* Feeds the pieces one by one into a watched buffer; returns its text. */
static char *feed(const char *const *pieces)
{
    struct evbuffer *in = evbuffer_new();
    assert_non_null(in);
    assert_int_equal(http_compat_watch_buffer(in), 0);
    for (size_t i = 0; pieces[i]; i++)
        assert_int_equal(evbuffer_add(in, pieces[i], strlen(pieces[i])), 0);
    size_t n = evbuffer_get_length(in);
    char *out = malloc(n + 1);
    assert_non_null(out);
    evbuffer_remove(in, out, n);
    out[n] = '\0';
    evbuffer_free(in);
    return out;
}

static void expect(const char *const *pieces, const char *want)
{
    char *got = feed(pieces);
    assert_string_equal(got, want);
    free(got);
}

static void test_bare_line_gets_version_and_end_of_headers(void **state)
{
    (void)state;
    expect((const char *const[]){ "GET /rdr/pprdr.asp\r\n", NULL },
           "GET /rdr/pprdr.asp HTTP/1.0\r\n\r\n");
    expect((const char *const[]){ "GET /rdr/pprdr.asp\n", NULL },
           "GET /rdr/pprdr.asp HTTP/1.0\r\n\r\n");
}

static void test_bare_line_with_headers_keeps_them(void **state)
{
    (void)state;
    expect((const char *const[]){ "GET /x\r\nUser-Agent: MSMSGS\r\n\r\n", NULL },
           "GET /x HTTP/1.0\r\nUser-Agent: MSMSGS\r\n\r\n");
}

static void test_line_in_pieces(void **state)
{
    (void)state;
    expect((const char *const[]){ "GE", "T /rdr/", "pprdr.asp", "\r", "\n", NULL },
           "GET /rdr/pprdr.asp HTTP/1.0\r\n\r\n");
}

static void test_versioned_and_odd_lines_untouched(void **state)
{
    (void)state;
    const char *same[] = {
        "GET /rdr/pprdr.asp HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /rdr/pprdr.asp HTTP/1.0\r\n\r\n",
        "GET\r\n\r\n",                 /* one token */
        "GET x\r\n",                   /* target is not a path */
        "get /x\r\n",                  /* not a method token */
        "GET  /x\r\n",                 /* two spaces */
        "\x16\x03\x01garbage\r\n",     /* TLS bytes on a plain port */
        "\r\n",
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        expect((const char *const[]){ same[i], NULL }, same[i]);
}

static void test_only_the_first_line(void **state)
{
    (void)state;
    /* After the first line the watch is gone: a later bare line (a second
     * request on the connection) is evhttp's to judge. */
    expect((const char *const[]){ "GET /a HTTP/1.1\r\n", "GET /b\r\n", NULL },
           "GET /a HTTP/1.1\r\nGET /b\r\n");
}

static void test_overlong_line_is_left_alone(void **state)
{
    (void)state;
    size_t n = HTTP_COMPAT_MAX_LINE + 10;
    char *big = malloc(n + 3);
    assert_non_null(big);
    memcpy(big, "GET /", 5);
    memset(big + 5, 'a', n - 5);
    memcpy(big + n, "\r\n", 3);
    expect((const char *const[]){ big, NULL }, big);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bare_line_gets_version_and_end_of_headers),
        cmocka_unit_test(test_bare_line_with_headers_keeps_them),
        cmocka_unit_test(test_line_in_pieces),
        cmocka_unit_test(test_versioned_and_odd_lines_untouched),
        cmocka_unit_test(test_only_the_first_line),
        cmocka_unit_test(test_overlong_line_is_left_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
