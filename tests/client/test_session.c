/*
 * test_session.c - the notification session beyond the first sign-in:
 * XFR NS referral from a dispatch node, OUT OTH when the same user signs
 * in elsewhere, a friendly name changed while offline, and the
 * msgr_messenger_run()/stop() loop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *const users[] = { "carol@example.com", "carol-pw", NULL };

typedef struct fixture {
    msgrd d;
    char cache[2][400];
    recorder rec[2];
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

static msgr_messenger *make(fixture *f, int i, const char *tag, msgr_options *o)
{
    msgr_options local;
    msgr_messenger *m = NULL;
    uint32_t cookie;
    if (!o) {
        msgrd_options(&f->d, tag, &local, f->cache[i], sizeof f->cache[i]);
        o = &local;
    }
    rec_clear(&f->rec[i]);
    assert_int_equal(msgr_messenger_create(o, &m), MSGR_S_OK);
    assert_int_equal(msgr_messenger_advise(m, &recorder_events, &f->rec[i], &cookie),
                     MSGR_S_OK);
    return m;
}

static void test_dispatch_referral(void **state)
{
    fixture *f = *state;
    msgrd dispatch;
    assert_true(msgrd_start_with(&dispatch, NULL, f->d.msnp));
    msgr_options o;
    msgrd_options(&f->d, "dispatch", &o, f->cache[0], sizeof f->cache[0]);
    o.server = dispatch.msnp; /* first contact: the dispatch node */
    msgr_messenger *m = make(f, 0, NULL, &o);
    bool ok = signin_and_wait(&m, 1, m, &f->rec[0], "carol@example.com", "carol-pw");
    if (!ok)
        rec_dump(&f->rec[0], "carol");
    assert_true(ok);
    /* One FINDING and one CONNECTING, whatever the referral. */
    assert_int_equal(rec_find(&f->rec[0], 1, "my_status MSGR_S_OK 0x0200"), 1);
    assert_int_equal(rec_find(&f->rec[0], 2, "my_status MSGR_S_OK 0x0200"), -1);
    msgr_object_release(m);
    msgrd_stop(&dispatch);
}

static void test_signed_in_elsewhere(void **state)
{
    fixture *f = *state;
    msgr_messenger *ms[2];
    ms[0] = make(f, 0, "first", NULL);
    ms[1] = make(f, 1, "second", NULL);
    assert_true(signin_and_wait(ms, 2, ms[0], &f->rec[0], "carol@example.com", "carol-pw"));
    rec_clear(&f->rec[0]);
    assert_true(signin_and_wait(ms, 2, ms[1], &f->rec[1], "carol@example.com", "carol-pw"));
    rec_wait w = { &f->rec[0], "my_status MSGR_E_REMOTE_LOGIN 0x0001" };
    assert_true(pump(ms, 2, rec_wait_done, &w, 10000));
    assert_int_equal(rec_find(&f->rec[0], 0, "signout"), 0);
    const char *s;
    assert_int_equal(msgr_messenger_get_my_signin_name(ms[0], &s), MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_messenger_get_my_signin_name(ms[1], &s), MSGR_S_OK);
    msgr_object_release(ms[0]);
    msgr_object_release(ms[1]);
}

static void test_name_changed_while_offline(void **state)
{
    fixture *f = *state;
    msgr_messenger *m = make(f, 0, "rename", NULL);
    assert_true(signin_and_wait(&m, 1, m, &f->rec[0], "carol@example.com", "carol-pw"));
    assert_int_equal(msgr_messenger_signout(m), MSGR_S_OK);
    rec_wait off = { &f->rec[0], "my_status MSGR_S_OK 0x0001" };
    assert_true(pump(&m, 1, rec_wait_done, &off, 5000));
    /* Pretend the last session ended with another name. */
    char path[500];
    snprintf(path, sizeof path, "%s/carol@example.com.syn", f->cache[0]);
    FILE *fp = fopen(path, "a");
    assert_non_null(fp);
    fputs("myname Carol%20Before\n", fp);
    fclose(fp);
    rec_clear(&f->rec[0]);
    assert_true(signin_and_wait(&m, 1, m, &f->rec[0], "carol@example.com", "carol-pw"));
    rec_wait w = { &f->rec[0], "my_name" };
    assert_true(pump(&m, 1, rec_wait_done, &w, 5000));
    int online = rec_find(&f->rec[0], 0, "my_status MSGR_S_OK 0x0002");
    int named = rec_find(&f->rec[0], 0, "my_name MSGR_S_OK Carol Before");
    assert_true(online >= 0 && named > online);
    msgr_object_release(m);
}

typedef struct run_state {
    int online;
    msgr_messenger *m;
} run_state;

static void stop_when_online(void *ud, msgr_messenger *m, msgr_hr hr, MISTATUS st)
{
    run_state *rs = ud;
    if (hr == MSGR_S_OK && st == MISTATUS_ONLINE) {
        rs->online++;
        assert_int_equal(msgr_messenger_process(m), MSGR_E_FAIL); /* not re-entrant */
        assert_int_equal(msgr_messenger_run(m), MSGR_E_FAIL);
        assert_int_equal(msgr_messenger_stop(m), MSGR_S_OK);
    }
}

static void test_run_and_stop(void **state)
{
    fixture *f = *state;
    msgr_messenger *m = make(f, 0, "run", NULL);
    run_state rs = { 0, m };
    msgr_messenger_events ev = { 0 };
    uint32_t cookie;
    ev.on_my_status_change = stop_when_online;
    assert_int_equal(msgr_messenger_advise(m, &ev, &rs, &cookie), MSGR_S_OK);
    size_t n = 99;
    assert_int_equal(msgr_messenger_fds(m, NULL, 0, &n), MSGR_S_OK);
    assert_int_equal(n, 0);
    int t = 0;
    assert_int_equal(msgr_messenger_timeout_ms(m, &t), MSGR_S_OK);
    assert_int_equal(t, -1);
    assert_int_equal(msgr_messenger_signin(m, 0, "carol@example.com", "carol-pw"),
                     MSGR_S_OK);
    assert_int_equal(msgr_messenger_run(m), MSGR_S_OK); /* bounded: test TIMEOUT */
    assert_int_equal(rs.online, 1);
    assert_int_equal(msgr_messenger_fds(m, NULL, 0, &n), MSGR_S_FALSE);
    assert_int_equal(n, 1); /* the notification-server socket */
    msgr_object_release(m);
}

typedef struct unadvise_state {
    uint32_t cookie;
    int calls;
} unadvise_state;

static void unadvise_self(void *ud, msgr_messenger *m, msgr_hr hr, MISTATUS st)
{
    unadvise_state *us = ud;
    (void)hr;
    (void)st;
    us->calls++;
    assert_int_equal(msgr_messenger_unadvise(m, us->cookie), MSGR_S_OK);
}

/* Objects outliving their messenger are dead but safe; a sink may remove
 * itself from inside a callback. */
static void test_lifetimes(void **state)
{
    fixture *f = *state;
    msgr_messenger *m = make(f, 0, "life", NULL);
    unadvise_state us = { 0, 0 };
    msgr_messenger_events ev = { 0 };
    ev.on_my_status_change = unadvise_self;
    assert_int_equal(msgr_messenger_advise(m, &ev, &us, &us.cookie), MSGR_S_OK);
    assert_true(signin_and_wait(&m, 1, m, &f->rec[0], "carol@example.com", "carol-pw"));
    assert_int_equal(us.calls, 1); /* removed after the first event */

    msgr_contact *me;
    msgr_contacts *cs;
    msgr_services *ss;
    msgr_service *svc;
    assert_int_equal(msgr_messenger_get_contact(m, "carol@example.com", "", &me), MSGR_S_OK);
    assert_int_equal(msgr_messenger_get_my_contacts(m, &cs), MSGR_S_OK);
    assert_int_equal(msgr_messenger_get_services(m, &ss), MSGR_S_OK);
    assert_int_equal(msgr_services_get_primary_service(ss, &svc), MSGR_S_OK);
    assert_int_equal(msgr_object_addref(me), MSGR_S_OK);
    assert_int_equal(msgr_object_addref(cs), MSGR_S_OK);
    assert_int_equal(msgr_object_addref(svc), MSGR_S_OK);
    const char *s;
    assert_int_equal(msgr_contact_get_signin_name(me, &s), MSGR_S_OK);
    assert_int_equal(msgr_object_release(m), MSGR_S_OK);
    assert_int_equal(msgr_contact_get_signin_name(me, &s), MSGR_E_FAIL);
    assert_int_equal(msgr_contact_get_service_id(me, &s), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_service_get_service_name(svc, &s), MSGR_E_FAIL);
    msgr_contact *c;
    assert_int_equal(msgr_contacts_item(cs, 0, &c), MSGR_E_FAIL);
    assert_int_equal(msgr_contacts_remove(cs, me), MSGR_E_FAIL);
    assert_int_equal(msgr_object_release(me), MSGR_S_OK);
    assert_int_equal(msgr_object_release(cs), MSGR_S_OK);
    assert_int_equal(msgr_object_release(svc), MSGR_S_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dispatch_referral),
        cmocka_unit_test(test_signed_in_elsewhere),
        cmocka_unit_test(test_name_changed_while_offline),
        cmocka_unit_test(test_run_and_stop),
        cmocka_unit_test(test_lifetimes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
