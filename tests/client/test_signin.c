/*
 * test_signin.c - sign-in and sign-out of libmsgr against a real msgrd:
 * the event order of api-scope.md 6.3, the three failure codes (wrong
 * password, unreachable server, logon timeout), AutoSignin with saved
 * credentials, and the offline behaviour of the Messenger object.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static const char *const users[] = { "alice@example.com", "alice-pw",
                                     "bob@example.com", "bob-pw", NULL };

typedef struct fixture {
    msgrd d;
    msgr_messenger *m;
    recorder rec;
    uint32_t cookie;
    char cache[400];
} fixture;

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    if (!msgrd_start(&f.d, users))
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    msgrd_stop(&f->d);
    return 0;
}

/* A fresh messenger with the recorder attached. */
static void new_messenger(fixture *f, const char *tag, msgr_options *o)
{
    msgr_options local;
    if (!o) {
        msgrd_options(&f->d, tag, &local, f->cache, sizeof f->cache);
        o = &local;
    }
    rec_clear(&f->rec);
    assert_int_equal(msgr_messenger_create(o, &f->m), MSGR_S_OK);
    assert_int_equal(msgr_messenger_advise(f->m, &recorder_events, &f->rec,
                                           &f->cookie), MSGR_S_OK);
}

static void drop_messenger(fixture *f)
{
    assert_int_equal(msgr_object_release(f->m), MSGR_S_OK);
    f->m = NULL;
}

/* Asserts the recorder's lines from index from are exactly lines[]. */
static void expect_lines(const recorder *r, int from, const char *const *lines)
{
    int i = from;
    for (; *lines; lines++, i++) {
        if (i >= r->n || strcmp(r->lines[i], *lines) != 0) {
            rec_dump(r, "got");
            fail_msg("event %d: expected \"%s\"", i, *lines);
        }
    }
}

static void test_signin_event_order(void **state)
{
    fixture *f = *state;
    new_messenger(f, "order", NULL);
    assert_true(signin_and_wait(&f->m, 1, f->m, &f->rec, "alice@example.com",
                                "alice-pw"));
    static const char *const in[] = {
        "my_status MSGR_S_OK 0x0100", "my_status MSGR_S_OK 0x0200",
        "signin MSGR_S_OK", "my_status MSGR_S_OK 0x0300",
        "my_status MSGR_S_OK 0x0002", NULL };
    expect_lines(&f->rec, 0, in);

    const char *s = NULL;
    MISTATUS st;
    int32_t unread = 5;
    assert_int_equal(msgr_messenger_get_my_signin_name(f->m, &s), MSGR_S_OK);
    assert_string_equal(s, "alice@example.com");
    assert_int_equal(msgr_messenger_get_my_friendly_name(f->m, &s), MSGR_S_OK);
    assert_string_equal(s, "alice@example.com");
    assert_int_equal(msgr_messenger_get_my_status(f->m, &st), MSGR_S_OK);
    assert_int_equal(st, MISTATUS_ONLINE);
    assert_int_equal(msgr_messenger_get_unread_email_count(f->m, MUAFOLDER_INBOX,
                                                           &unread), MSGR_S_OK);
    assert_int_equal(unread, 0);
    assert_int_equal(msgr_messenger_get_unread_email_count(
                         f->m, MUAFOLDER_ALL_OTHER_FOLDERS, &unread), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_signin(f->m, 0, "alice@example.com", "x"),
                     MSGR_E_ALREADY_LOGGED_ON);

    /* Setting the status: the event carries the current status, also when
     * it does not change. */
    assert_int_equal(msgr_messenger_set_my_status(f->m, MISTATUS_AWAY), MSGR_S_OK);
    rec_wait w = { &f->rec, "my_status MSGR_S_OK 0x0022" };
    assert_true(pump(&f->m, 1, rec_wait_done, &w, 5000));
    rec_clear(&f->rec);
    assert_int_equal(msgr_messenger_set_my_status(f->m, MISTATUS_AWAY), MSGR_S_OK);
    assert_true(pump(&f->m, 1, rec_wait_done, &w, 5000));
    assert_int_equal(msgr_messenger_set_my_status(f->m, MISTATUS_LOCAL_FINDING_SERVER),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_set_my_status(f->m, MISTATUS_OFFLINE),
                     MSGR_E_INVALIDARG);

    /* Sign-out order (6.3). */
    rec_clear(&f->rec);
    assert_int_equal(msgr_messenger_signout(f->m), MSGR_S_OK);
    rec_wait off = { &f->rec, "my_status MSGR_S_OK 0x0001" };
    assert_true(pump(&f->m, 1, rec_wait_done, &off, 5000));
    static const char *const out[] = {
        "my_status MSGR_S_OK 0x0400", "signout", "my_status MSGR_S_OK 0x0001", NULL };
    expect_lines(&f->rec, 0, out);
    assert_int_equal(msgr_messenger_get_my_signin_name(f->m, &s), MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_messenger_signout(f->m), MSGR_E_NOT_LOGGED_ON);

    /* Signed in again with the cache of the first sign-in (short SYN):
     * the built-in group is still known. */
    rec_clear(&f->rec);
    if (!signin_and_wait(&f->m, 1, f->m, &f->rec, "alice@example.com", "alice-pw")) {
        rec_dump(&f->rec, "again");
        fail_msg("second sign-in did not complete");
    }
    msgr_groups *gs;
    msgr_group *g;
    long n = 0;
    assert_int_equal(msgr_messenger_get_my_groups(f->m, &gs), MSGR_S_OK);
    assert_int_equal(msgr_groups_get_count(gs, &n), MSGR_S_OK);
    assert_int_equal(n, 1);
    assert_int_equal(msgr_groups_item(gs, 0, &g), MSGR_S_OK);
    assert_int_equal(msgr_group_get_name(g, &s), MSGR_S_OK);
    assert_string_equal(s, "Other Contacts");
    drop_messenger(f);
}

static void expect_failure(fixture *f, const char *hr_name)
{
    char signin[80], status[80];
    snprintf(signin, sizeof signin, "signin %s", hr_name);
    snprintf(status, sizeof status, "my_status %s 0x0001", hr_name);
    rec_wait w = { &f->rec, status };
    assert_true(pump(&f->m, 1, rec_wait_done, &w, 20000));
    int a = rec_find(&f->rec, 0, signin), b = rec_find(&f->rec, 0, status);
    if (a < 0 || b < a) {
        rec_dump(&f->rec, "got");
        fail_msg("expected %s then %s", signin, status);
    }
    MISTATUS st;
    assert_int_equal(msgr_messenger_get_my_status(f->m, &st), MSGR_S_OK);
    assert_int_equal(st, MISTATUS_OFFLINE);
}

static void test_signin_wrong_password(void **state)
{
    fixture *f = *state;
    new_messenger(f, "wrong", NULL);
    assert_int_equal(msgr_messenger_signin(f->m, 0, "alice@example.com", "nope"),
                     MSGR_S_OK);
    expect_failure(f, "MSGR_E_INVALID_PASSWORD");
    /* An unknown user is a password failure too (5.4). */
    rec_clear(&f->rec);
    assert_int_equal(msgr_messenger_signin(f->m, 0, "nobody@example.com", "nope"),
                     MSGR_S_OK);
    expect_failure(f, "MSGR_E_INVALID_PASSWORD");
    drop_messenger(f);
}

/* A loopback port nobody listens on. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    socklen_t len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void test_signin_unreachable(void **state)
{
    fixture *f = *state;
    msgr_options o;
    char server[64];
    msgrd_options(&f->d, "unreach", &o, f->cache, sizeof f->cache);
    snprintf(server, sizeof server, "127.0.0.1:%d", closed_port());
    o.server = server;
    new_messenger(f, NULL, &o);
    assert_int_equal(msgr_messenger_signin(f->m, 0, "alice@example.com", "alice-pw"),
                     MSGR_S_OK);
    expect_failure(f, "MSGR_E_CONNECT");
    drop_messenger(f);

    /* The notification server answers but the login endpoint does not. */
    char nexus[96];
    msgrd_options(&f->d, "unreach2", &o, f->cache, sizeof f->cache);
    snprintf(nexus, sizeof nexus, "https://127.0.0.1:%d/rdr/pprdr.asp", closed_port());
    o.nexus_url = nexus;
    new_messenger(f, NULL, &o);
    assert_int_equal(msgr_messenger_signin(f->m, 0, "alice@example.com", "alice-pw"),
                     MSGR_S_OK);
    expect_failure(f, "MSGR_E_CONNECT");
    drop_messenger(f);
}

static void test_signin_untrusted_certificate(void **state)
{
    fixture *f = *state;
    msgr_options o;
    msgrd_options(&f->d, "untrusted", &o, f->cache, sizeof f->cache);
    o.ca_file = "/dev/null"; /* trusts nothing: msgrd's certificate fails */
    new_messenger(f, NULL, &o);
    assert_int_equal(msgr_messenger_signin(f->m, 0, "alice@example.com", "alice-pw"),
                     MSGR_S_OK);
    expect_failure(f, "MSGR_E_CONNECT");
    drop_messenger(f);
}

static void test_signin_timeout(void **state)
{
    fixture *f = *state;
    /* A server that accepts and never says a word. */
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    socklen_t len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(lfd, 4), 0);
    assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
    char server[64];
    snprintf(server, sizeof server, "127.0.0.1:%d", ntohs(a.sin_port));
    msgr_options o;
    msgrd_options(&f->d, "timeout", &o, f->cache, sizeof f->cache);
    o.server = server;
    o.logon_timeout_ms = 700;
    new_messenger(f, NULL, &o);
    assert_int_equal(msgr_messenger_signin(f->m, 0, "alice@example.com", "alice-pw"),
                     MSGR_S_OK);
    expect_failure(f, "MSGR_E_LOGON_TIMEOUT");
    assert_true(rec_has(&f->rec, "my_status MSGR_S_OK 0x0200"));
    drop_messenger(f);
    close(lfd);
}

static void test_signout_cancels_attempt(void **state)
{
    fixture *f = *state;
    new_messenger(f, "cancel", NULL);
    assert_int_equal(msgr_messenger_signin(f->m, 0, "alice@example.com", "alice-pw"),
                     MSGR_S_OK);
    assert_int_equal(msgr_messenger_signout(f->m), MSGR_S_OK);
    expect_failure(f, "MSGR_E_CANCEL");
    drop_messenger(f);
}

static void test_auto_signin(void **state)
{
    fixture *f = *state;
    new_messenger(f, "auto", NULL);
    assert_int_equal(msgr_messenger_auto_signin(f->m), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_save_credentials(f->m, "bob@example.com", "bob-pw"),
                     MSGR_S_OK);
    char path[500];
    struct stat st;
    snprintf(path, sizeof path, "%s/credentials", f->cache);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(msgr_messenger_auto_signin(f->m), MSGR_S_OK);
    rec_wait w = { &f->rec, "my_status MSGR_S_OK 0x0002" };
    assert_true(pump(&f->m, 1, rec_wait_done, &w, 20000));
    const char *s;
    assert_int_equal(msgr_messenger_get_my_signin_name(f->m, &s), MSGR_S_OK);
    assert_string_equal(s, "bob@example.com");
    assert_int_equal(msgr_messenger_auto_signin(f->m), MSGR_E_ALREADY_LOGGED_ON);
    drop_messenger(f);
    /* A file others may read is refused. */
    assert_int_equal(chmod(path, 0644), 0);
    new_messenger(f, "auto", NULL);
    assert_int_equal(msgr_messenger_auto_signin(f->m), MSGR_E_FAIL);
    drop_messenger(f);
}

static void test_offline_behaviour(void **state)
{
    fixture *f = *state;
    new_messenger(f, "offline", NULL);
    msgr_contacts *cs;
    msgr_groups *gs;
    msgr_services *ss;
    msgr_service *svc;
    msgr_contact *c;
    msgr_variant v;
    long n = -1;
    const char *s;
    int32_t unread = 0;
    MUASORT sort;
    assert_int_equal(msgr_messenger_get_my_contacts(f->m, &cs), MSGR_S_OK);
    assert_int_equal(msgr_contacts_get_count(cs, &n), MSGR_S_OK);
    assert_int_equal(n, 0);
    assert_int_equal(msgr_contacts_item(cs, -1, &c), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_contacts_item(cs, 0, &c), MSGR_E_FAIL);
    assert_int_equal(msgr_contacts_item(cs, 0, NULL), MSGR_E_RPC_X_NULL_REF_POINTER);
    assert_int_equal(msgr_messenger_get_my_groups(f->m, &gs), MSGR_S_OK);
    assert_int_equal(msgr_groups_get_count(gs, &n), MSGR_S_OK);
    assert_int_equal(n, 0);
    assert_int_equal(msgr_messenger_get_services(f->m, &ss), MSGR_S_OK);
    assert_int_equal(msgr_services_get_count(ss, &n), MSGR_S_OK);
    assert_int_equal(n, 1);
    assert_int_equal(msgr_services_get_primary_service(ss, &svc), MSGR_S_OK);
    assert_int_equal(msgr_service_get_service_id(svc, &s), MSGR_S_OK);
    assert_string_equal(s, MSGR_SERVICE_ID_MSNP);
    assert_int_equal(msgr_service_get_service_id(svc, NULL), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_service_get_my_signin_name(svc, &s), MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_services_item(ss, 1, &svc), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_get_my_service_id(f->m, &s), MSGR_S_OK);
    assert_string_equal(s, MSGR_SERVICE_ID_MSNP);
    assert_int_equal(msgr_messenger_get_my_service_name(f->m, &s), MSGR_S_OK);
    assert_int_equal(msgr_messenger_get_my_friendly_name(f->m, &s), MSGR_S_OK);
    assert_string_equal(s, "");
    assert_int_equal(msgr_messenger_get_my_signin_name(f->m, &s), MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_messenger_get_my_signin_name(f->m, NULL),
                     MSGR_E_RPC_X_NULL_REF_POINTER);
    assert_int_equal(msgr_messenger_get_contact(f->m, "bob@example.com", "", &c),
                     MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_messenger_get_contact(f->m, " bob@example.com", "", &c),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_get_contact(f->m, NULL, "", &c), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_get_unread_email_count(f->m, MUAFOLDER_INBOX, &unread),
                     MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(unread, -1);
    assert_int_equal(msgr_messenger_set_my_status(f->m, MISTATUS_BUSY),
                     MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_messenger_get_contacts_sort_order(f->m, &sort),
                     MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_messenger_add_contact(f->m, 0, "bob@example.com"), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_add_contact(f->m, 0, "bad\r\nname@x"),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_get_my_property(f->m, MCONTACTPROP_EMAIL, &v),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_set_my_property(f->m, MCONTACTPROP_EMAIL, &v),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_get_property(f->m, MMESSENGERPROP_VERSION, &v),
                     MSGR_S_OK);
    assert_int_equal(v.vt, MSGR_VT_BSTR);
    assert_string_equal(v.u.bstr, "0.1.0");
    assert_int_equal(msgr_messenger_get_property(f->m, MMESSENGERPROP_PLCID, &v),
                     MSGR_S_OK);
    assert_int_equal(v.vt, MSGR_VT_I4);
    assert_int_equal(v.u.i4, 0x0409);
    assert_int_equal(msgr_messenger_get_property(f->m, (MMESSENGERPROPERTY)7, &v),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_set_property(f->m, MMESSENGERPROP_VERSION, &v),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_get_receive_file_directory(f->m, &s), MSGR_S_OK);
    assert_string_equal(s, "/tmp");
    assert_int_equal(msgr_messenger_signin(f->m, 0, "", "x"), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_signin(f->m, 0, "a@b.c", ""), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_unadvise(f->m, f->cookie + 100), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_unadvise(f->m, f->cookie), MSGR_S_OK);
    assert_int_equal(msgr_object_release(NULL), MSGR_E_POINTER);
    drop_messenger(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signin_event_order),
        cmocka_unit_test(test_signin_wrong_password),
        cmocka_unit_test(test_signin_unreachable),
        cmocka_unit_test(test_signin_untrusted_certificate),
        cmocka_unit_test(test_signin_timeout),
        cmocka_unit_test(test_signout_cancels_attempt),
        cmocka_unit_test(test_auto_signin),
        cmocka_unit_test(test_offline_behaviour),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
