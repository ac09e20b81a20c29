/* test_invite.c - text/x-msmsgsinvite invitations (msnp.md 5.9, 5.10, 6.1). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "msnp_invite.h"
#include "msnp_status.h"

#define S(lit) lit, sizeof(lit) - 1

#define HEAD "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; charset=UTF-8\r\n\r\n"

/* msnp.md 6.1, sender's INVITE: 293 bytes. */
static const char spec_ft_invite[] = HEAD
    "Application-Name: File Transfer\r\n"
    "Application-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}\r\n"
    "Invitation-Command: INVITE\r\n"
    "Invitation-Cookie: 48151623\r\n"
    "Application-File: notes.txt\r\n"
    "Application-FileSize: 11\r\n"
    "Connectivity: Y\r\n"
    "\r\n";

/* msnp.md 6.1, receiver's ACCEPT: 184 bytes. */
static const char spec_ft_accept[] = HEAD
    "Invitation-Command: ACCEPT\r\n"
    "Invitation-Cookie: 48151623\r\n"
    "Launch-Application: FALSE\r\n"
    "Request-Data: IP-Address:\r\n"
    "\r\n";

/* msnp.md 6.1, sender's second ACCEPT: 242 bytes. */
static const char spec_ft_accept2[] = HEAD
    "Invitation-Command: ACCEPT\r\n"
    "Invitation-Cookie: 48151623\r\n"
    "IP-Address: 192.0.2.17\r\n"
    "Port: 6891\r\n"
    "AuthCookie: 90210117\r\n"
    "Launch-Application: FALSE\r\n"
    "Request-Data: IP-Address:\r\n"
    "\r\n";

/* msnp.md 6.1, declining: 151 bytes. */
static const char spec_ft_cancel[] = HEAD
    "Invitation-Command: CANCEL\r\n"
    "Invitation-Cookie: 48151623\r\n"
    "Cancel-Code: REJECT\r\n"
    "\r\n";

/* msnp.md 5.9, NetMeeting INVITE: 293 bytes. */
static const char spec_netmeeting[] = HEAD
    "Application-Name: NetMeeting\r\n"
    "Application-GUID: {44BBA842-CC51-11CF-AAFA-00AA00B6015C}\r\n"
    "Session-Protocol: SM1\r\n"
    "Invitation-Command: INVITE\r\n"
    "Invitation-Cookie: 31337001\r\n"
    "Session-ID: {0F6C3B3A-1E2D-4C5B-9A8F-7E6D5C4B3A29}\r\n"
    "\r\n";

static void expect_build(const msnp_invite *inv, const char *want, size_t len)
{
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_invite_build(&b, inv), MSNP_OK);
    assert_int_equal(b.len, len);
    assert_memory_equal(b.data, want, len);
    msnp_buf_free(&b);
}

/* parse(payload) must rebuild to the same bytes and compare equal to want. */
static void expect_parse_rebuild(const char *payload, size_t len, const msnp_invite *want)
{
    msnp_invite got;
    assert_int_equal(msnp_invite_parse(payload, len, &got), MSNP_OK);
    assert_true(msnp_invite_equal(&got, want));
    expect_build(&got, payload, len);
    msnp_invite_free(&got);
}

static void test_spec_lengths(void **state)
{
    (void)state;
    assert_int_equal(sizeof spec_ft_invite - 1, 293);
    assert_int_equal(sizeof spec_ft_accept - 1, 184);
    assert_int_equal(sizeof spec_ft_accept2 - 1, 242);
    assert_int_equal(sizeof spec_ft_cancel - 1, 151);
    assert_int_equal(sizeof spec_netmeeting - 1, 293);
}

static void test_file_transfer_invite(void **state)
{
    (void)state;
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    inv.application_name = "File Transfer";
    inv.application_guid = MSNP_GUID_FILE_TRANSFER;
    inv.command = MSNP_INVITE_CMD_INVITE;
    inv.cookie = 48151623;
    inv.application_file = "notes.txt";
    inv.has_file_size = true;
    inv.file_size = 11;
    inv.connectivity = MSNP_INVITE_TRUE;
    expect_build(&inv, S(spec_ft_invite));
    expect_parse_rebuild(S(spec_ft_invite), &inv);

    msnp_invite got;
    assert_int_equal(msnp_invite_parse(S(spec_ft_invite), &got), MSNP_OK);
    assert_string_equal(got.application_name, "File Transfer");
    assert_true(msnp_guid_equal(got.application_guid, MSNP_GUID_FILE_TRANSFER));
    assert_int_equal(got.command, MSNP_INVITE_CMD_INVITE);
    assert_int_equal(got.cookie, 48151623);
    assert_string_equal(got.application_file, "notes.txt");
    assert_true(got.has_file_size);
    assert_int_equal(got.file_size, 11);
    assert_int_equal(got.connectivity, MSNP_INVITE_TRUE);
    assert_int_equal(got.launch_application, MSNP_INVITE_UNSET);
    assert_false(got.has_port);
    assert_null(got.session_id);
    assert_int_equal(got.cancel_code, MSNP_CANCEL_NONE);
    assert_int_equal(got.nextra, 0);
    msnp_invite_free(&got);
    assert_null(got.application_name);
}

static void test_file_transfer_accepts(void **state)
{
    (void)state;
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    inv.command = MSNP_INVITE_CMD_ACCEPT;
    inv.cookie = 48151623;
    inv.launch_application = MSNP_INVITE_FALSE;
    inv.request_data = "IP-Address:";
    expect_build(&inv, S(spec_ft_accept));
    expect_parse_rebuild(S(spec_ft_accept), &inv);

    inv.ip_address = "192.0.2.17";
    inv.has_port = true;
    inv.port = 6891;
    inv.has_auth_cookie = true;
    inv.auth_cookie = 90210117;
    expect_build(&inv, S(spec_ft_accept2));
    expect_parse_rebuild(S(spec_ft_accept2), &inv);
}

static void test_file_transfer_cancel(void **state)
{
    (void)state;
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    inv.command = MSNP_INVITE_CMD_CANCEL;
    inv.cookie = 48151623;
    inv.cancel_code = MSNP_CANCEL_REJECT;
    inv.cancel_text = "ignored unless OTHER";
    expect_build(&inv, S(spec_ft_cancel));
    expect_parse_rebuild(S(spec_ft_cancel), &inv);

    msnp_invite got;
    assert_int_equal(msnp_invite_parse(S(spec_ft_cancel), &got), MSNP_OK);
    assert_string_equal(got.cancel_text, "REJECT");
    msnp_invite_free(&got);
}

static void test_netmeeting(void **state)
{
    (void)state;
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    inv.application_name = "NetMeeting";
    inv.application_guid = MSNP_GUID_NETMEETING;
    inv.session_protocol = "SM1";
    inv.command = MSNP_INVITE_CMD_INVITE;
    inv.cookie = 31337001;
    inv.session_id = "{0F6C3B3A-1E2D-4C5B-9A8F-7E6D5C4B3A29}";
    expect_build(&inv, S(spec_netmeeting));
    expect_parse_rebuild(S(spec_netmeeting), &inv);
}

/* Every named field at once, plus extras, in the documented order. */
static msnp_invite full_invite(const msnp_mime_header *extra, size_t nextra)
{
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    inv.application_name = "an audio conversation";
    inv.application_guid = MSNP_GUID_VOICE;
    inv.session_protocol = "SM1";
    inv.context_data = "Requested:SIP_A,;Capabilities:SIP_A,;";
    inv.command = MSNP_INVITE_CMD_ACCEPT;
    inv.avm_support = "7";
    inv.avm_request = "2";
    inv.cookie = 2147483647;
    inv.session_id = "{A2ED5ACF-F784-4B47-A7D4-997CD8F643CC}";
    inv.conn_type = "IP-Restrict-NAT";
    inv.sip_capability = "1";
    inv.public_ip = "198.51.100.7";
    inv.private_ip = "10.0.0.2";
    inv.upnp = "FALSE";
    inv.application_file = "r\xC3\xA9sum\xC3\xA9.txt";
    inv.has_file_size = true;
    inv.file_size = UINT64_MAX;
    inv.connectivity = MSNP_INVITE_FALSE;
    inv.ip_address = "198.51.100.7";
    inv.ip_address_internal = "10.0.0.2";
    inv.has_port = true;
    inv.port = 65535;
    inv.port_x = "11178";
    inv.port_x_internal = "";
    inv.has_auth_cookie = true;
    inv.auth_cookie = 4294967295u;
    inv.sender_connect = MSNP_INVITE_TRUE;
    inv.launch_application = MSNP_INVITE_TRUE;
    inv.request_data = "IP-Address:";
    inv.cancel_code = MSNP_CANCEL_OTHER;
    inv.cancel_text = "SOMETHING_NEW";
    inv.extra = extra;
    inv.nextra = nextra;
    return inv;
}

static const char full_payload[] = HEAD
    "Application-Name: an audio conversation\r\n"
    "Application-GUID: {02D3C01F-BF30-4825-A83A-DE7AF41648AA}\r\n"
    "Session-Protocol: SM1\r\n"
    "Context-Data: Requested:SIP_A,;Capabilities:SIP_A,;\r\n"
    "Invitation-Command: ACCEPT\r\n"
    "Avm-Support: 7\r\n"
    "Avm-Request: 2\r\n"
    "Invitation-Cookie: 2147483647\r\n"
    "Session-ID: {A2ED5ACF-F784-4B47-A7D4-997CD8F643CC}\r\n"
    "Conn-Type: IP-Restrict-NAT\r\n"
    "Sip-Capability: 1\r\n"
    "Public-IP: 198.51.100.7\r\n"
    "Private-IP: 10.0.0.2\r\n"
    "UPnP: FALSE\r\n"
    "Application-File: r\xC3\xA9sum\xC3\xA9.txt\r\n"
    "Application-FileSize: 18446744073709551615\r\n"
    "Connectivity: N\r\n"
    "IP-Address: 198.51.100.7\r\n"
    "IP-Address-Internal: 10.0.0.2\r\n"
    "Port: 65535\r\n"
    "PortX: 11178\r\n"
    "PortX-Internal: \r\n"
    "AuthCookie: 4294967295\r\n"
    "Sender-Connect: TRUE\r\n"
    "Launch-Application: TRUE\r\n"
    "Request-Data: IP-Address:\r\n"
    "Cancel-Code: SOMETHING_NEW\r\n"
    "X-Later: 1\r\n"
    "Another-One: \r\n"
    "\r\n";

static const msnp_mime_header full_extra[] = {
    { "X-Later", "1" }, { "Another-One", "" },
};

static void test_every_field(void **state)
{
    (void)state;
    msnp_invite inv = full_invite(full_extra, 2);
    expect_build(&inv, S(full_payload));
    expect_parse_rebuild(S(full_payload), &inv);

    msnp_invite got;
    assert_int_equal(msnp_invite_parse(S(full_payload), &got), MSNP_OK);
    assert_int_equal(got.nextra, 2);
    assert_string_equal(got.extra[0].name, "X-Later");
    assert_string_equal(got.extra[1].name, "Another-One");
    assert_string_equal(got.extra[1].value, "");
    assert_string_equal(got.port_x_internal, "");
    assert_int_equal(got.cancel_code, MSNP_CANCEL_OTHER);
    assert_string_equal(got.cancel_text, "SOMETHING_NEW");
    assert_true(got.file_size == UINT64_MAX);
    assert_int_equal(got.auth_cookie, 4294967295u);
    assert_int_equal(got.sender_connect, MSNP_INVITE_TRUE);
    msnp_invite_free(&got);
}

static void test_parse_case_and_order(void **state)
{
    (void)state;
    static const char payload[] =
        "content-type: TEXT/X-MSMSGSINVITE\n\n"
        "invitation-cookie: 0042\n"
        "CANCEL-CODE: ftTimeout\n"
        "invitation-COMMAND: cancel\n"
        "Invitation-Cookie: 7\n"
        "x-unknown:   v  \n"
        "connectivity: n\n"
        "launch-application: true";
    msnp_invite got;
    assert_int_equal(msnp_invite_parse(S(payload), &got), MSNP_OK);
    assert_int_equal(got.command, MSNP_INVITE_CMD_CANCEL);
    assert_int_equal(got.cookie, 42);                 /* first one counts */
    assert_int_equal(got.cancel_code, MSNP_CANCEL_FTTIMEOUT);
    assert_string_equal(got.cancel_text, "ftTimeout");
    assert_int_equal(got.connectivity, MSNP_INVITE_FALSE);
    assert_int_equal(got.launch_application, MSNP_INVITE_TRUE);
    assert_int_equal(got.nextra, 1);                  /* duplicate is dropped */
    assert_string_equal(got.extra[0].name, "x-unknown");
    assert_string_equal(got.extra[0].value, "v  ");
    msnp_invite_free(&got);
}

static void test_cancel_codes(void **state)
{
    (void)state;
    static const struct { const char *text; msnp_cancel_code code; } codes[] = {
        { "REJECT", MSNP_CANCEL_REJECT },
        { "TIMEOUT", MSNP_CANCEL_TIMEOUT },
        { "FAIL", MSNP_CANCEL_FAIL },
        { "FTTIMEOUT", MSNP_CANCEL_FTTIMEOUT },
        { "OUTBANDCANCEL", MSNP_CANCEL_OUTBANDCANCEL },
        { "REJECT_NOT_INSTALLED", MSNP_CANCEL_REJECT_NOT_INSTALLED },
        { "reject_not_installed", MSNP_CANCEL_REJECT_NOT_INSTALLED },
        { "REJECTED", MSNP_CANCEL_OTHER },
        { "", MSNP_CANCEL_OTHER },
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        msnp_buf b = MSNP_BUF_INIT;
        msnp_invite got;
        assert_int_equal(msnp_buf_appendf(&b, HEAD "Invitation-Command: CANCEL\r\n"
                                          "Invitation-Cookie: 1\r\nCancel-Code: %s\r\n\r\n",
                                          codes[i].text), MSNP_OK);
        assert_int_equal(msnp_invite_parse(b.data, b.len, &got), MSNP_OK);
        assert_int_equal(got.cancel_code, codes[i].code);
        assert_string_equal(got.cancel_text, codes[i].text);
        if (codes[i].code != MSNP_CANCEL_OTHER)
            assert_true(msnp_mime_iequal(msnp_cancel_code_name(got.cancel_code), codes[i].text));
        msnp_invite_free(&got);
        msnp_buf_free(&b);
    }
    assert_null(msnp_cancel_code_name(MSNP_CANCEL_NONE));
    assert_null(msnp_cancel_code_name(MSNP_CANCEL_OTHER));
    assert_null(msnp_cancel_code_name((msnp_cancel_code)42));
    assert_string_equal(msnp_cancel_code_name(MSNP_CANCEL_OUTBANDCANCEL), "OUTBANDCANCEL");
    assert_string_equal(msnp_invite_command_name(MSNP_INVITE_CMD_INVITE), "INVITE");
    assert_string_equal(msnp_invite_command_name(MSNP_INVITE_CMD_ACCEPT), "ACCEPT");
    assert_string_equal(msnp_invite_command_name(MSNP_INVITE_CMD_CANCEL), "CANCEL");
    assert_null(msnp_invite_command_name(MSNP_INVITE_CMD_NONE));
    assert_null(msnp_invite_command_name((msnp_invite_command)4));
}

static void test_cancel_build_each_code(void **state)
{
    (void)state;
    for (int c = MSNP_CANCEL_REJECT; c <= MSNP_CANCEL_REJECT_NOT_INSTALLED; c++) {
        msnp_invite inv, got;
        memset(&inv, 0, sizeof inv);
        inv.command = MSNP_INVITE_CMD_CANCEL;
        inv.cookie = 99;
        inv.cancel_code = (msnp_cancel_code)c;
        msnp_buf b = MSNP_BUF_INIT;
        assert_int_equal(msnp_invite_build(&b, &inv), MSNP_OK);
        assert_int_equal(msnp_invite_parse(b.data, b.len, &got), MSNP_OK);
        assert_int_equal(got.cancel_code, c);
        assert_string_equal(got.cancel_text, msnp_cancel_code_name((msnp_cancel_code)c));
        assert_true(msnp_invite_equal(&inv, &got));
        msnp_invite_free(&got);
        msnp_buf_free(&b);
    }
}

static void expect_parse_error(const char *fields, int rc)
{
    msnp_buf b = MSNP_BUF_INIT;
    msnp_invite got;
    memset(&got, 'z', sizeof got);     /* must come back zeroed */
    assert_int_equal(msnp_buf_appendf(&b, HEAD "%s", fields), MSNP_OK);
    assert_int_equal(msnp_invite_parse(b.data, b.len, &got), rc);
    assert_int_equal(got.command, MSNP_INVITE_CMD_NONE);
    assert_null(got.extra);
    assert_int_equal(got.nextra, 0);
    msnp_buf_free(&b);
}

#define CMD_COOKIE "Invitation-Command: INVITE\r\nInvitation-Cookie: 5\r\n"

static void test_parse_errors(void **state)
{
    (void)state;
    expect_parse_error("Invitation-Cookie: 5\r\n\r\n", MSNP_E_MISSING_FIELD);
    expect_parse_error("Invitation-Command: INVITE\r\n\r\n", MSNP_E_MISSING_FIELD);
    expect_parse_error("\r\n", MSNP_E_MISSING_FIELD);
    expect_parse_error("", MSNP_E_MISSING_FIELD);
    expect_parse_error("Invitation-Command: INVITED\r\nInvitation-Cookie: 5\r\n\r\n",
                       MSNP_E_BAD_VALUE);
    expect_parse_error("Invitation-Command: \r\nInvitation-Cookie: 5\r\n\r\n", MSNP_E_BAD_VALUE);
    expect_parse_error("Invitation-Command: INVITE\r\nInvitation-Cookie: 0\r\n\r\n",
                       MSNP_E_BAD_VALUE);
    expect_parse_error("Invitation-Command: INVITE\r\nInvitation-Cookie: 2147483648\r\n\r\n",
                       MSNP_E_BAD_VALUE);
    expect_parse_error("Invitation-Command: INVITE\r\nInvitation-Cookie: -5\r\n\r\n",
                       MSNP_E_BAD_VALUE);
    expect_parse_error("Invitation-Command: INVITE\r\nInvitation-Cookie: \r\n\r\n",
                       MSNP_E_BAD_VALUE);
    expect_parse_error("Invitation-Command: INVITE\r\nInvitation-Cookie: 5x\r\n\r\n",
                       MSNP_E_BAD_VALUE);
    expect_parse_error(CMD_COOKIE "Application-FileSize: 18446744073709551616\r\n\r\n",
                       MSNP_E_BAD_VALUE);
    expect_parse_error(CMD_COOKIE "Application-FileSize: 1.5\r\n\r\n", MSNP_E_BAD_VALUE);
    expect_parse_error(CMD_COOKIE "Port: 65536\r\n\r\n", MSNP_E_BAD_VALUE);
    expect_parse_error(CMD_COOKIE "Port: \r\n\r\n", MSNP_E_BAD_VALUE);
    expect_parse_error(CMD_COOKIE "AuthCookie: 4294967296\r\n\r\n", MSNP_E_BAD_VALUE);
    expect_parse_error(CMD_COOKIE "Connectivity: maybe\r\n\r\n", MSNP_E_BAD_VALUE);
    expect_parse_error(CMD_COOKIE "Connectivity: YES\r\n\r\n", MSNP_E_BAD_VALUE);
    expect_parse_error(CMD_COOKIE "Launch-Application: Y\r\n\r\n", MSNP_E_BAD_VALUE);
    expect_parse_error(CMD_COOKIE "Sender-Connect: 1\r\n\r\n", MSNP_E_BAD_VALUE);
    expect_parse_error(CMD_COOKIE "not a field\r\n\r\n", MSNP_E_BAD_HEADER);

    msnp_invite got;
    assert_int_equal(msnp_invite_parse(S("Content-Type: text/plain\r\n\r\n" CMD_COOKIE), &got),
                     MSNP_E_BAD_VALUE);
    assert_int_equal(msnp_invite_parse(S("MIME-Version: 1.0\r\n\r\n" CMD_COOKIE), &got),
                     MSNP_E_MISSING_FIELD);
    assert_int_equal(msnp_invite_parse(S("Content-Type: text/x-msmsgsinvite"), &got),
                     MSNP_E_BAD_HEADER);
    memset(&got, 'z', sizeof got);
    assert_int_equal(msnp_invite_parse(NULL, 5, &got), MSNP_E_INVALID_ARG);
    assert_null(got.storage_.headers);
    assert_null(got.application_name);
    assert_int_equal(msnp_invite_parse(S(spec_ft_invite), NULL), MSNP_E_INVALID_ARG);
}

static void test_parse_lenient_layout(void **state)
{
    (void)state;
    msnp_invite got;
    /* No final blank line, no final line end, trailing junk after it. */
    assert_int_equal(msnp_invite_parse(S(HEAD "Invitation-Command: ACCEPT\r\n"
                                         "Invitation-Cookie: 9"), &got), MSNP_OK);
    assert_int_equal(got.cookie, 9);
    msnp_invite_free(&got);
    assert_int_equal(msnp_invite_parse(S(HEAD CMD_COOKIE "\r\nthis is ignored"), &got), MSNP_OK);
    assert_int_equal(got.command, MSNP_INVITE_CMD_INVITE);
    msnp_invite_free(&got);
}

static void expect_build_error(const msnp_invite *inv, int rc)
{
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_buf_append_str(&b, "MSG 1 N 0\r\n"), MSNP_OK);
    assert_int_equal(msnp_invite_build(&b, inv), rc);
    assert_string_equal(b.data, "MSG 1 N 0\r\n");
    msnp_buf_free(&b);
}

static msnp_invite minimal_invite(void)
{
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    inv.command = MSNP_INVITE_CMD_INVITE;
    inv.cookie = 1;
    return inv;
}

static void test_build_errors(void **state)
{
    (void)state;
    msnp_invite inv = minimal_invite();
    inv.command = MSNP_INVITE_CMD_NONE;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    inv.command = (msnp_invite_command)9;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    inv = minimal_invite();
    inv.cookie = 0;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    inv.cookie = 2147483648u;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    inv = minimal_invite();
    inv.connectivity = (msnp_invite_bool)3;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    inv = minimal_invite();
    inv.sender_connect = (msnp_invite_bool)7;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    inv = minimal_invite();
    inv.cancel_code = MSNP_CANCEL_OTHER;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    inv.cancel_code = (msnp_cancel_code)77;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    inv = minimal_invite();
    inv.application_file = "evil.txt\r\nInvitation-Command: ACCEPT";
    expect_build_error(&inv, MSNP_E_INVALID_ARG);

    /* Extras: no named fields, valid names and values, not NULL. */
    inv = minimal_invite();
    msnp_mime_header bad_extra[] = { { "port", "1" } };
    inv.extra = bad_extra;
    inv.nextra = 1;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    bad_extra[0].name = "Bad Name";
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    bad_extra[0].name = NULL;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    bad_extra[0].name = "X";
    bad_extra[0].value = NULL;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    bad_extra[0].value = "a\nb";
    expect_build_error(&inv, MSNP_E_INVALID_ARG);
    inv.extra = NULL;
    expect_build_error(&inv, MSNP_E_INVALID_ARG);

    /* More fields than a parser accepts. */
    msnp_mime_header many[MSNP_MIME_MAX_HEADERS - 1];
    for (size_t i = 0; i < MSNP_MIME_MAX_HEADERS - 1; i++) {
        many[i].name = "X-Pad";
        many[i].value = "";
    }
    inv = minimal_invite();
    inv.extra = many;
    inv.nextra = MSNP_MIME_MAX_HEADERS - 2;           /* 2 + 62 = 64: fine */
    msnp_buf b = MSNP_BUF_INIT;
    assert_int_equal(msnp_invite_build(&b, &inv), MSNP_OK);
    msnp_invite got;
    assert_int_equal(msnp_invite_parse(b.data, b.len, &got), MSNP_OK);
    assert_int_equal(got.nextra, MSNP_MIME_MAX_HEADERS - 2);
    msnp_invite_free(&got);
    msnp_buf_free(&b);
    inv.nextra = MSNP_MIME_MAX_HEADERS - 1;
    expect_build_error(&inv, MSNP_E_TOO_LONG);

    assert_int_equal(msnp_invite_build(NULL, &inv), MSNP_E_INVALID_ARG);
    expect_build_error(NULL, MSNP_E_INVALID_ARG);
}

static void test_equal(void **state)
{
    (void)state;
    msnp_invite a = full_invite(full_extra, 2), b = full_invite(full_extra, 2);
    assert_true(msnp_invite_equal(&a, &b));
    assert_true(msnp_invite_equal(NULL, NULL));
    assert_false(msnp_invite_equal(&a, NULL));
    b.upnp = "TRUE";
    assert_false(msnp_invite_equal(&a, &b));
    b = full_invite(full_extra, 2);
    b.upnp = NULL;
    assert_false(msnp_invite_equal(&a, &b));
    b = full_invite(full_extra, 1);
    assert_false(msnp_invite_equal(&a, &b));
    msnp_mime_header other[] = { { "X-Later", "2" }, { "Another-One", "" } };
    b = full_invite(other, 2);
    assert_false(msnp_invite_equal(&a, &b));
    b = full_invite(full_extra, 2);
    b.cancel_text = "OTHER_TEXT";
    assert_false(msnp_invite_equal(&a, &b));
    /* cancel_text only matters for OTHER; numbers only when present. */
    a.cancel_code = b.cancel_code = MSNP_CANCEL_FAIL;
    assert_true(msnp_invite_equal(&a, &b));
    a.has_port = b.has_port = false;
    a.port = 1;
    assert_true(msnp_invite_equal(&a, &b));
    b.has_port = true;
    assert_false(msnp_invite_equal(&a, &b));
    b = a;
    b.file_size = 3;
    assert_false(msnp_invite_equal(&a, &b));
    b = a;
    b.connectivity = MSNP_INVITE_UNSET;
    assert_false(msnp_invite_equal(&a, &b));
    b = a;
    b.cookie = 5;
    assert_false(msnp_invite_equal(&a, &b));
}

static void test_guids(void **state)
{
    (void)state;
    static const char *const known[] = {
        MSNP_GUID_FILE_TRANSFER, MSNP_GUID_NETMEETING, MSNP_GUID_VOICE,
        MSNP_GUID_APP_SHARING, MSNP_GUID_WHITEBOARD, MSNP_GUID_REMOTE_ASSISTANCE,
        MSNP_GUID_OFFER_REMOTE_ASSISTANCE, MSNP_GUID_WEBCAM,
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        assert_true(msnp_guid_valid(known[i]));
    assert_true(msnp_guid_equal("{5d3e02ab-6190-11D3-bbbb-00c04f795683}", MSNP_GUID_FILE_TRANSFER));
    assert_false(msnp_guid_equal("5D3E02AB-6190-11d3-BBBB-00C04F795683", MSNP_GUID_FILE_TRANSFER));
    assert_false(msnp_guid_equal(MSNP_GUID_NETMEETING, MSNP_GUID_FILE_TRANSFER));
    assert_false(msnp_guid_equal(NULL, MSNP_GUID_FILE_TRANSFER));
    assert_false(msnp_guid_equal(MSNP_GUID_FILE_TRANSFER, NULL));
    /* The truncated GUID printed in the 2003 docs (msnp.md 10 item 29). */
    assert_false(msnp_guid_valid("{41FD0FA-2942-4DC4-B4C5-73D2C55F4C94}"));
    assert_false(msnp_guid_valid("5D3E02AB-6190-11d3-BBBB-00C04F795683"));
    assert_false(msnp_guid_valid("{5D3E02AB-6190-11d3-BBBB-00C04F79568G}"));
    assert_false(msnp_guid_valid("{5D3E02AB-6190-11d3-BBBB_00C04F795683}"));
    assert_false(msnp_guid_valid("{5D3E02AB-6190-11d3-BBBB-00C04F795683}x"));
    assert_false(msnp_guid_valid(""));
    assert_false(msnp_guid_valid(NULL));
}

static void test_free_unparsed(void **state)
{
    (void)state;
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    msnp_invite_free(&inv);
    msnp_invite_free(NULL);
    inv = minimal_invite();
    inv.application_name = "caller's string";
    msnp_invite_free(&inv);               /* owns nothing: only zeroes */
    assert_null(inv.application_name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_lengths),
        cmocka_unit_test(test_file_transfer_invite),
        cmocka_unit_test(test_file_transfer_accepts),
        cmocka_unit_test(test_file_transfer_cancel),
        cmocka_unit_test(test_netmeeting),
        cmocka_unit_test(test_every_field),
        cmocka_unit_test(test_parse_case_and_order),
        cmocka_unit_test(test_cancel_codes),
        cmocka_unit_test(test_cancel_build_each_code),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_lenient_layout),
        cmocka_unit_test(test_build_errors),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_guids),
        cmocka_unit_test(test_free_unparsed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
