/*
 * test_lsess.c - the Session Invite lines of local server mode
 * (msnp_lsess.h): text tokens, HRESULT tokens, the SGL snapshot and the
 * SST / SEV events, each written and read back through a client's stream
 * parser, and the malformed forms each parser refuses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "msnp_lsess.h"
#include "msnp_parser.h"
#include "msnp_status.h"

#define SID "{0F6C3B3A-1E2D-4C5B-9A8F-7E6D5C4B3A29}"
#define APP "{6A7D3E2B-1C4F-4D8E-9B0A-123456789ABC}"

/* Feeds buf to a fresh client-side parser and returns its first command. */
static msnp_parser *parse_line(const msnp_buf *b, msnp_cmd *cmd)
{
    msnp_parser_config cfg = { 0 };
    cfg.direction = MSNP_FROM_SERVER;
    msnp_parser *p = msnp_parser_new(&cfg);
    assert_non_null(p);
    assert_int_equal(msnp_parser_feed(p, b->data, b->len), MSNP_OK);
    assert_int_equal(msnp_parser_next(p, cmd), 1);
    return p;
}

static void test_text_tokens(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    char *out = NULL;
    assert_int_equal(msnp_lsess_text_encode(&b, "two words and 100%"), MSNP_OK);
    assert_null(memchr(b.data, ' ', b.len)); /* one parameter */
    assert_int_equal(msnp_lsess_text_decode(b.data, 100, &out), MSNP_OK);
    assert_string_equal(out, "two words and 100%");
    free(out);
    msnp_buf_free(&b);
    /* The empty string travels as "-". */
    assert_int_equal(msnp_lsess_text_encode(&b, ""), MSNP_OK);
    assert_string_equal(b.data, "-");
    assert_int_equal(msnp_lsess_text_decode("-", 10, &out), MSNP_OK);
    assert_string_equal(out, "");
    free(out);
    msnp_buf_free(&b);
    /* Over the limit, a bad escape, a control character: refused. */
    assert_int_equal(msnp_lsess_text_decode("abcdef", 5, &out), MSNP_E_TOO_LONG);
    assert_null(out);
    assert_int_not_equal(msnp_lsess_text_decode("a%zz", 10, &out), MSNP_OK);
    assert_null(out);
    assert_int_not_equal(msnp_lsess_text_decode("a%0Ab", 10, &out), MSNP_OK);
    assert_null(out);
}

static void test_hr_tokens(void **state)
{
    (void)state;
    char text[9];
    uint32_t hr = 0;
    msnp_lsess_format_hr(0x8100060Du, text);
    assert_string_equal(text, "8100060D");
    assert_int_equal(msnp_lsess_parse_hr(text, &hr), MSNP_OK);
    assert_int_equal(hr, 0x8100060Du);
    assert_int_equal(msnp_lsess_parse_hr("0000000a", &hr), MSNP_OK);
    assert_int_equal(hr, 10);
    static const char *const bad[] = { "", "8100060", "8100060D0", "0x00000A", " 000000A",
                                       "-0000001", "0000000G", NULL };
    for (int i = 0; bad[i]; i++)
        assert_int_equal(msnp_lsess_parse_hr(bad[i], &hr), MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_lsess_parse_hr(NULL, &hr), MSNP_E_BAD_VALUE);
}

static void test_snapshot_round_trip(void **state)
{
    (void)state;
    char user[] = "alice@example.com", name[] = "Chess for two",
         url[] = "http://example.com/chess?x=1", context[] = "first move: e4",
         local[] = "192.0.2.1", remote[] = "";
    msnp_lsess_snapshot s = { .session_id = SID, .app_guid = APP, .state = 4, .flags = 2,
                              .user = user, .app_name = name, .app_url = url,
                              .context = context, .has_context = true,
                              .local_addr = local, .remote_addr = remote };
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_lsess_write_snapshot(&b, 7, &s), MSNP_OK);
    msnp_cmd cmd;
    msnp_parser *p = parse_line(&b, &cmd);
    assert_string_equal(cmd.code, "SGL");
    msnp_lsess_snapshot got;
    assert_int_equal(msnp_lsess_parse_snapshot(cmd.params + 1, cmd.nparams - 1, &got), MSNP_OK);
    assert_string_equal(got.session_id, SID);
    assert_string_equal(got.app_guid, APP);
    assert_int_equal(got.state, 4);
    assert_int_equal(got.flags, 2);
    assert_string_equal(got.user, "alice@example.com");
    assert_string_equal(got.app_name, "Chess for two");
    assert_string_equal(got.app_url, "http://example.com/chess?x=1");
    assert_string_equal(got.context, "first move: e4");
    assert_true(got.has_context);
    assert_string_equal(got.local_addr, "192.0.2.1");
    assert_string_equal(got.remote_addr, "");
    msnp_lsess_snapshot_free(&got);
    /* One parameter short, or a state out of range: refused. */
    assert_int_equal(msnp_lsess_parse_snapshot(cmd.params + 1, cmd.nparams - 2, &got),
                     MSNP_E_MISSING_FIELD);
    msnp_parser_free(p);
    msnp_buf_free(&b);
    s.state = 9;
    assert_int_not_equal(msnp_lsess_write_snapshot(&b, 7, &s), MSNP_OK);
    assert_int_equal(b.len, 0); /* nothing appended */
    msnp_buf_free(&b);
}

static void test_events(void **state)
{
    (void)state;
    msnp_buf b = MSNP_BUF_INIT;
    msnp_cmd cmd;
    msnp_lsess_event e;
    assert_int_equal(msnp_lsess_write_state(&b, SID, 4, 3), MSNP_OK);
    msnp_parser *p = parse_line(&b, &cmd);
    assert_int_equal(msnp_lsess_parse_event(cmd.code, cmd.params, cmd.nparams, &e), MSNP_OK);
    assert_string_equal(e.session_id, SID);
    assert_int_equal(e.dispid, 103);
    assert_int_equal(e.state, 4);
    assert_int_equal(e.prev, 3);
    assert_null(e.text);
    msnp_lsess_event_free(&e);
    msnp_parser_free(p);
    msnp_buf_free(&b);

    assert_int_equal(msnp_lsess_write_event(&b, SID, 110, 0, "your move"), MSNP_OK);
    p = parse_line(&b, &cmd);
    assert_int_equal(msnp_lsess_parse_event(cmd.code, cmd.params, cmd.nparams, &e), MSNP_OK);
    assert_int_equal(e.dispid, 110);
    assert_string_equal(e.text, "your move");
    msnp_lsess_event_free(&e);
    msnp_parser_free(p);
    msnp_buf_free(&b);

    /* A DISPID that is not a session event, a state out of range. */
    static const char *const bad_sev[] = { "0", SID, "104", "00000000", "-" };
    assert_int_not_equal(msnp_lsess_parse_event("SEV", bad_sev, 5, &e), MSNP_OK);
    static const char *const bad_sst[] = { "0", SID, "8", "1" };
    assert_int_not_equal(msnp_lsess_parse_event("SST", bad_sst, 4, &e), MSNP_OK);
    static const char *const short_sst[] = { "0", SID, "4" };
    assert_int_not_equal(msnp_lsess_parse_event("SST", short_sst, 3, &e), MSNP_OK);
    assert_int_not_equal(msnp_lsess_parse_event("XYZ", bad_sst, 4, &e), MSNP_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_tokens),
        cmocka_unit_test(test_hr_tokens),
        cmocka_unit_test(test_snapshot_round_trip),
        cmocka_unit_test(test_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
