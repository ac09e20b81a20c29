/*
 * test_lock.c - MessengerPriv and Lock and Key against a real msgrd
 * (api-scope.md 5.13, 5.14, 5.17, 6.1): every reachable cell of the
 * LockStatus table, independent objects with their own cookies, a wrong
 * key, the unlock-once rule, relocking at sign-out, a deployment with Lock
 * and Key off, IMessengerPrivate while locked and unlocked, and an MSN
 * Alert sent with `msgrd alert send` arriving as OnAlertReceived.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define APP_ID "msgr-test-app"
#define APP_KEY "secret-key"
#define WAIT_MS 15000

static const char *const users[] = {
    "alice@example.com", "pw-alice", "bob@example.com", "pw-bob",
    "carol@example.com", "pw-carol", "dave@example.com", "pw-dave",
    "erin@example.com", "pw-erin", "frank@example.com", "pw-frank",
    "grace@example.com", "pw-grace", "heidi@example.com", "pw-heidi",
    "ivan@example.com", "pw-ivan", "judy@example.com", "pw-judy",
    "kim@example.com", "pw-kim", "leo@example.com", "pw-leo", NULL };
static const char *const apps[] = { APP_ID, APP_KEY, NULL };

/* ---- a recorder for DMessengerPrivateEvents ------------------------------- */

typedef struct privrec {
    recorder r;                 /* one line per event */
    char challenge[80];         /* the last challenge */
    char alert[2048];           /* the last alert document */
} privrec;

static void rec_add(recorder *r, const char *line)
{
    if (r->n < REC_MAX)
        snprintf(r->lines[r->n++], REC_LINE, "%s", line);
}

static void on_alert(void *ud, msgr_priv *p, const char *xml, bool *dflt)
{
    privrec *pr = ud;
    (void)p;
    snprintf(pr->alert, sizeof pr->alert, "%s", xml);
    rec_add(&pr->r, *dflt ? "alert default" : "alert nodefault");
}

static void on_list_add(void *ud, msgr_priv *p, msgr_hr hr, msgr_contact *c)
{
    privrec *pr = ud;
    char line[REC_LINE];
    const char *name = "?";
    (void)p;
    if (c)
        msgr_contact_get_signin_name(c, &name);
    snprintf(line, sizeof line, "list_add %s %s", msgr_hr_string(hr), name);
    rec_add(&pr->r, line);
}

static void on_challenge(void *ud, msgr_priv *p, int32_t cookie, const char *ch)
{
    privrec *pr = ud;
    char line[REC_LINE];
    (void)p;
    snprintf(pr->challenge, sizeof pr->challenge, "%s", ch);
    snprintf(line, sizeof line, "lock_challenge %ld %s", (long)cookie, ch);
    rec_add(&pr->r, line);
}

static void on_enable(void *ud, msgr_priv *p, bool enable)
{
    privrec *pr = ud;
    (void)p;
    rec_add(&pr->r, enable ? "lock_enable 1" : "lock_enable 0");
}

static void on_result(void *ud, msgr_priv *p, int32_t cookie, bool ok)
{
    privrec *pr = ud;
    char line[REC_LINE];
    (void)p;
    snprintf(line, sizeof line, "lock_result %ld %d", (long)cookie, ok);
    rec_add(&pr->r, line);
}

static const msgr_priv_events priv_events = {
    .on_alert_received = on_alert,
    .on_contact_list_add = on_list_add,
    .on_lock_challenge = on_challenge,
    .on_lock_enable = on_enable,
    .on_lock_result = on_result,
};

/* ---- fixture --------------------------------------------------------------- */

typedef struct fixture {
    msgrd d;          /* Lock and Key on, the app registered, admin endpoint on */
    msgrd off;        /* --lock-and-key=false */
} fixture;

static int setup(void **state)
{
    static fixture f;
    msgrd_cfg on = { .admin = true, .apps = apps };
    msgrd_cfg off = { .lock_and_key_off = true };
    memset(&f, 0, sizeof f);
    if (!msgrd_start_cfg(&f.d, users, &on))
        return -1;
    if (!msgrd_start_cfg(&f.off, users, &off)) {
        msgrd_stop(&f.d);
        return -1;
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    msgrd_stop(&f->d);
    msgrd_stop(&f->off);
    return 0;
}

/* One user's messenger with a recorder; the caller frees both. */
typedef struct client {
    msgr_messenger *m;
    recorder *rec;
    char cache[400];
} client;

static void client_open(client *c, const msgrd *d, const char *tag)
{
    msgr_options o;
    uint32_t cookie;
    memset(c, 0, sizeof *c);
    c->rec = calloc(1, sizeof *c->rec);
    assert_non_null(c->rec);
    msgrd_options(d, tag, &o, c->cache, sizeof c->cache);
    assert_int_equal(msgr_messenger_create(&o, &c->m), MSGR_S_OK);
    assert_int_equal(msgr_messenger_advise(c->m, &recorder_events, c->rec, &cookie),
                     MSGR_S_OK);
}

static void client_close(client *c)
{
    msgr_object_release(c->m);
    rec_release_window(c->rec);
    free(c->rec);
}

/* A MessengerPriv with its recorder (heap: recorders are big). */
typedef struct tpriv {
    msgr_priv *p;
    msgr_lock *lock;
    privrec *pr;
} tpriv;

static void tpriv_open(tpriv *t, msgr_messenger *m)
{
    uint32_t cookie;
    t->pr = calloc(1, sizeof *t->pr);
    assert_non_null(t->pr);
    assert_int_equal(msgr_priv_create(m, &t->p), MSGR_S_OK);
    assert_int_equal(msgr_priv_advise(t->p, &priv_events, t->pr, &cookie), MSGR_S_OK);
    assert_int_equal(msgr_priv_get_lock(t->p, &t->lock), MSGR_S_OK);
}

static void tpriv_close(tpriv *t)
{
    msgr_object_release(t->p);
    free(t->pr);
}

static LockStatus status_of(const tpriv *t)
{
    LockStatus st = 0;
    assert_int_equal(msgr_lock_get_status(t->lock, &st), MSGR_S_OK);
    return st;
}

static bool wait_line(msgr_messenger *m, const recorder *r, const char *prefix)
{
    rec_wait w = { r, prefix };
    bool ok = pump(&m, 1, rec_wait_done, &w, WAIT_MS);
    if (!ok) {
        fprintf(stderr, "timed out waiting for '%s'\n", prefix);
        rec_dump(r, "rec");
    }
    return ok;
}

static int count_lines(const recorder *r, const char *prefix)
{
    int n = 0;
    for (int i = rec_find(r, 0, prefix); i >= 0; i = rec_find(r, i + 1, prefix))
        n++;
    return n;
}

static void sign_in(client *c, const char *name, const char *pw)
{
    assert_true(signin_and_wait(&c->m, 1, c->m, c->rec, name, pw));
}

static void sign_out(client *c)
{
    assert_int_equal(msgr_messenger_signout(c->m), MSGR_S_OK);
    assert_true(wait_line(c->m, c->rec, "signout"));
}

/* RequestChallenge(cookie) and wait for its OnLockChallenge. */
static void get_challenge(msgr_messenger *m, tpriv *t, int32_t cookie)
{
    char want[64];
    assert_int_equal(msgr_lock_request_challenge(t->lock, cookie), MSGR_S_OK);
    snprintf(want, sizeof want, "lock_challenge %ld ", (long)cookie);
    assert_true(wait_line(m, &t->pr->r, want));
}

/* Answers the outstanding challenge with key and waits for the result. */
static void respond(msgr_messenger *m, tpriv *t, int32_t cookie, const char *key,
                    bool expect_ok)
{
    char resp[MSGR_LOCK_RESPONSE_SIZE], want[64];
    assert_int_equal(msgr_lock_compute_response(t->pr->challenge, key, resp), MSGR_S_OK);
    assert_int_equal(msgr_lock_send_response(t->lock, APP_ID, resp, cookie), MSGR_S_OK);
    snprintf(want, sizeof want, "lock_result %ld %d", (long)cookie, expect_ok);
    assert_true(wait_line(m, &t->pr->r, want));
}

static void unlock(msgr_messenger *m, tpriv *t, int32_t cookie)
{
    get_challenge(m, t, cookie);
    respond(m, t, cookie, APP_KEY, true);
    assert_int_equal(status_of(t), LOCK_UNLOCKED);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_compute_response(void **state)
{
    char out[MSGR_LOCK_RESPONSE_SIZE];
    (void)state;
    assert_int_equal(msgr_lock_compute_response("12345678901234567890", "secret-key", out),
                     MSGR_S_OK);
    assert_string_equal(out, "5cdd6113f7acf20a5e18667f4bc8935a");
    assert_int_equal(msgr_lock_compute_response(NULL, "k", out), MSGR_E_POINTER);
    assert_int_equal(msgr_lock_compute_response("c", NULL, out), MSGR_E_POINTER);
    assert_int_equal(msgr_lock_compute_response("c", "k", NULL), MSGR_E_POINTER);
}

static void test_bad_pointers(void **state)
{
    fixture *f = *state;
    client c;
    msgr_priv *p = NULL;
    msgr_lock *l = NULL;
    LockStatus st;
    client_open(&c, &f->d, "ptr");
    assert_int_equal(msgr_priv_create(NULL, &p), MSGR_E_POINTER);
    assert_int_equal(msgr_priv_create(c.m, NULL), MSGR_E_POINTER);
    assert_int_equal(msgr_priv_create(c.m, &p), MSGR_S_OK);
    assert_int_equal(msgr_priv_get_lock(p, NULL), MSGR_E_POINTER);
    assert_int_equal(msgr_priv_get_lock((msgr_priv *)c.m, &l), MSGR_E_POINTER);
    assert_int_equal(msgr_priv_get_lock(p, &l), MSGR_S_OK);
    assert_int_equal(msgr_lock_get_status(l, NULL), MSGR_E_POINTER);
    assert_int_equal(msgr_lock_get_status((msgr_lock *)p, &st), MSGR_E_POINTER);
    assert_int_equal(msgr_lock_request_challenge(NULL, 1), MSGR_E_POINTER);
    assert_int_equal(msgr_priv_advise(p, NULL, NULL, NULL), MSGR_E_POINTER);
    assert_int_equal(msgr_priv_unadvise(p, 12345), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_priv_add_contact(p, NULL, NULL), MSGR_E_POINTER);
    assert_int_equal(msgr_priv_add_contact(p, "no-at-sign", NULL), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_priv_add_contact(p, "x@example.com", (msgr_service *)p),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_priv_enable_alert_events(p, NULL, 2), MSGR_E_INVALIDARG);
    int32_t neg = -1;
    assert_int_equal(msgr_priv_enable_alert_events(p, &neg, 1), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_priv_enable_alert_events(p, &neg, MSGR_ALERT_SITES_MAX + 1),
                     MSGR_E_OUTOFMEMORY);
    /* The lock outlives its object only as a dead shell. */
    assert_int_equal(msgr_object_addref(l), MSGR_S_OK);
    msgr_object_release(p);
    assert_int_equal(msgr_lock_get_status(l, &st), MSGR_E_FAIL);
    assert_int_equal(msgr_lock_request_challenge(l, 1), MSGR_E_FAIL);
    msgr_object_release(l);
    /* An object whose messenger is gone is dead. */
    assert_int_equal(msgr_priv_create(c.m, &p), MSGR_S_OK);
    client_close(&c);
    assert_int_equal(msgr_priv_get_lock(p, &l), MSGR_E_FAIL);
    assert_int_equal(msgr_priv_add_contact(p, "x@example.com", NULL), MSGR_E_FAIL);
    assert_int_equal(msgr_priv_enable_alert_events(p, NULL, 0), MSGR_E_FAIL);
    msgr_object_release(p);
}

/* Every cell of the table on the way to LOCK_UNLOCKED. */
static void test_state_table(void **state)
{
    fixture *f = *state;
    client c;
    tpriv t;
    char resp[MSGR_LOCK_RESPONSE_SIZE];
    client_open(&c, &f->d, "alice");
    tpriv_open(&t, c.m);

    /* Signed out: NOTINITIALIZED. */
    assert_int_equal(status_of(&t), LOCK_NOTINITIALIZED);
    assert_int_equal(msgr_lock_request_challenge(t.lock, 1), MSGR_E_API_NOTINITIALIZED);
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID, resp, 1),
                     MSGR_E_API_NOTINITIALIZED);
    assert_int_equal(msgr_priv_add_contact(t.p, "bob@example.com", NULL),
                     MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_priv_enable_alert_events(t.p, NULL, 0), MSGR_S_FALSE);

    /* Sign-in: OnLockEnable(true) after going online (6.3 step 8). */
    sign_in(&c, "alice@example.com", "pw-alice");
    assert_true(wait_line(c.m, &t.pr->r, "lock_enable 1"));
    assert_int_equal(status_of(&t), LOCK_INITIALIZED);
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID,
                                             "0123456789abcdef0123456789abcdef", 1),
                     MSGR_E_API_LOCKED);
    assert_int_equal(msgr_priv_add_contact(t.p, "bob@example.com", NULL), MSGR_E_API_LOCKED);
    assert_int_equal(msgr_priv_enable_alert_events(t.p, NULL, 0), MSGR_S_FALSE);

    /* RequestChallenge: PENDINGRESULT. */
    assert_int_equal(msgr_lock_request_challenge(t.lock, 4242), MSGR_S_OK);
    assert_int_equal(status_of(&t), LOCK_PENDINGRESULT);
    assert_int_equal(msgr_lock_request_challenge(t.lock, 4242), MSGR_E_API_PENDING_UNLOCK);
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID,
                                             "0123456789abcdef0123456789abcdef", 4243),
                     MSGR_E_INVALIDARG);
    /* The challenge has not arrived yet: nothing to answer. */
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID,
                                             "0123456789abcdef0123456789abcdef", 4242),
                     MSGR_E_API_PENDING_UNLOCK);
    assert_true(wait_line(c.m, &t.pr->r, "lock_challenge 4242 "));
    assert_int_equal(strlen(t.pr->challenge), 20);
    assert_int_equal(msgr_priv_add_contact(t.p, "bob@example.com", NULL), MSGR_E_API_LOCKED);

    /* SendResponse: wrong cookie, bad arguments, then the real answer. */
    assert_int_equal(msgr_lock_compute_response(t.pr->challenge, APP_KEY, resp), MSGR_S_OK);
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID, resp, 7), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_lock_send_response(t.lock, NULL, resp, 4242), MSGR_E_POINTER);
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID, NULL, 4242), MSGR_E_POINTER);
    assert_int_equal(msgr_lock_send_response(t.lock, "", resp, 4242), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_lock_send_response(t.lock, "has space", resp, 4242),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID, "abc", 4242), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID, resp, 4242), MSGR_S_OK);
    assert_int_equal(status_of(&t), LOCK_PENDINGRESULT);
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID, resp, 4242),
                     MSGR_E_API_PENDING_UNLOCK);
    assert_int_equal(msgr_lock_request_challenge(t.lock, 9), MSGR_E_API_PENDING_UNLOCK);
    assert_true(wait_line(c.m, &t.pr->r, "lock_result 4242 1"));

    /* UNLOCKED: once only. */
    assert_int_equal(status_of(&t), LOCK_UNLOCKED);
    assert_int_equal(msgr_lock_request_challenge(t.lock, 5), MSGR_E_API_ALREADY_UNLOCKED);
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID, resp, 4242),
                     MSGR_E_API_ALREADY_UNLOCKED);

    /* IMessengerPrivate works; OnContactListAdd on both sinks. */
    assert_int_equal(msgr_priv_add_contact(t.p, "bob@example.com", NULL), MSGR_S_OK);
    assert_true(wait_line(c.m, &t.pr->r, "list_add MSGR_S_OK bob@example.com"));
    assert_true(wait_line(c.m, c.rec, "list_add MSGR_S_OK bob@example.com"));
    assert_int_equal(msgr_priv_add_contact(t.p, "bob@example.com", NULL), MSGR_S_OK);
    assert_true(wait_line(c.m, &t.pr->r, "list_add MSGR_E_ALREADY_IN_LIST"));
    assert_int_equal(msgr_priv_enable_alert_events(t.p, NULL, 0), MSGR_S_OK);
    /* The messenger's own AddContact does not reach the MessengerPriv. */
    assert_int_equal(msgr_messenger_add_contact(c.m, 0, "carol@example.com"), MSGR_S_OK);
    assert_true(wait_line(c.m, c.rec, "list_add MSGR_S_OK carol@example.com"));
    pump_for(&c.m, 1, 200);
    assert_false(rec_has(&t.pr->r, "list_add MSGR_S_OK carol"));
    assert_int_equal(count_lines(&t.pr->r, "lock_enable"), 1);

    tpriv_close(&t);
    client_close(&c);
}

/* Two objects unlock on their own, with interleaved transactions. */
static void test_two_objects(void **state)
{
    fixture *f = *state;
    client c;
    tpriv a, b;
    client_open(&c, &f->d, "bob");
    tpriv_open(&a, c.m);
    tpriv_open(&b, c.m);
    sign_in(&c, "bob@example.com", "pw-bob");
    assert_true(wait_line(c.m, &a.pr->r, "lock_enable 1"));
    assert_true(wait_line(c.m, &b.pr->r, "lock_enable 1"));

    get_challenge(c.m, &a, 111);
    get_challenge(c.m, &b, 222);
    assert_string_not_equal(a.pr->challenge, b.pr->challenge);
    assert_false(rec_has(&a.pr->r, "lock_challenge 222"));
    assert_false(rec_has(&b.pr->r, "lock_challenge 111"));
    /* b first: each response goes with its own object's challenge. */
    respond(c.m, &b, 222, APP_KEY, true);
    assert_int_equal(status_of(&b), LOCK_UNLOCKED);
    assert_int_equal(status_of(&a), LOCK_PENDINGRESULT);
    assert_int_equal(msgr_priv_add_contact(a.p, "carol@example.com", NULL),
                     MSGR_E_API_LOCKED);
    respond(c.m, &a, 111, APP_KEY, true);
    assert_int_equal(status_of(&a), LOCK_UNLOCKED);
    assert_false(rec_has(&a.pr->r, "lock_result 222"));
    assert_false(rec_has(&b.pr->r, "lock_result 111"));

    /* An AddContact result goes to the asking object only. */
    assert_int_equal(msgr_priv_add_contact(a.p, "dave@example.com", NULL), MSGR_S_OK);
    assert_true(wait_line(c.m, &a.pr->r, "list_add MSGR_S_OK dave@example.com"));
    assert_false(rec_has(&b.pr->r, "list_add"));

    tpriv_close(&a);
    tpriv_close(&b);
    client_close(&c);
}

/* A wrong key fails for good in this session. */
static void test_wrong_key(void **state)
{
    fixture *f = *state;
    client c;
    tpriv t;
    char resp[MSGR_LOCK_RESPONSE_SIZE];
    client_open(&c, &f->d, "carol");
    tpriv_open(&t, c.m);
    sign_in(&c, "carol@example.com", "pw-carol");
    assert_true(wait_line(c.m, &t.pr->r, "lock_enable 1"));
    get_challenge(c.m, &t, -5);
    respond(c.m, &t, -5, "not-the-key", false);
    assert_int_equal(status_of(&t), LOCK_UNLOCKFAILED);
    assert_int_equal(msgr_lock_request_challenge(t.lock, 6), MSGR_E_API_UNLOCK_FAILED);
    assert_int_equal(msgr_lock_compute_response(t.pr->challenge, APP_KEY, resp), MSGR_S_OK);
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID, resp, -5),
                     MSGR_E_API_UNLOCK_FAILED);
    assert_int_equal(msgr_priv_add_contact(t.p, "bob@example.com", NULL), MSGR_E_API_LOCKED);
    assert_int_equal(msgr_priv_enable_alert_events(t.p, NULL, 0), MSGR_S_FALSE);
    tpriv_close(&t);
    client_close(&c);
}

/* An unknown application ID fails like a wrong key. */
static void test_unknown_app(void **state)
{
    fixture *f = *state;
    client c;
    tpriv t;
    char resp[MSGR_LOCK_RESPONSE_SIZE];
    client_open(&c, &f->d, "grace");
    tpriv_open(&t, c.m);
    sign_in(&c, "grace@example.com", "pw-grace");
    assert_true(wait_line(c.m, &t.pr->r, "lock_enable 1"));
    get_challenge(c.m, &t, 77);
    assert_int_equal(msgr_lock_compute_response(t.pr->challenge, APP_KEY, resp), MSGR_S_OK);
    assert_int_equal(msgr_lock_send_response(t.lock, "no-such-app", resp, 77), MSGR_S_OK);
    assert_true(wait_line(c.m, &t.pr->r, "lock_result 77 0"));
    assert_int_equal(status_of(&t), LOCK_UNLOCKFAILED);
    tpriv_close(&t);
    client_close(&c);
}

/* Sign-out relocks; the next sign-in sends OnLockEnable again and the
 * object can (and must) unlock again. */
static void test_signout_relocks(void **state)
{
    fixture *f = *state;
    client c;
    tpriv t;
    client_open(&c, &f->d, "dave");
    tpriv_open(&t, c.m);
    sign_in(&c, "dave@example.com", "pw-dave");
    assert_true(wait_line(c.m, &t.pr->r, "lock_enable 1"));
    unlock(c.m, &t, 1);
    sign_out(&c);
    assert_int_equal(status_of(&t), LOCK_NOTINITIALIZED);
    assert_int_equal(msgr_lock_request_challenge(t.lock, 2), MSGR_E_API_NOTINITIALIZED);
    assert_int_equal(msgr_priv_add_contact(t.p, "bob@example.com", NULL),
                     MSGR_E_NOT_LOGGED_ON);
    assert_int_equal(msgr_priv_enable_alert_events(t.p, NULL, 0), MSGR_S_FALSE);

    assert_int_equal(count_lines(&t.pr->r, "lock_enable 1"), 1);
    rec_clear(c.rec);
    rec_clear(&t.pr->r);
    sign_in(&c, "dave@example.com", "pw-dave");
    assert_true(wait_line(c.m, &t.pr->r, "lock_enable 1"));
    assert_int_equal(status_of(&t), LOCK_INITIALIZED);
    assert_int_equal(msgr_priv_add_contact(t.p, "bob@example.com", NULL), MSGR_E_API_LOCKED);
    unlock(c.m, &t, 3);
    tpriv_close(&t);
    client_close(&c);
}

/* A MessengerPriv created while signed in joins the session: the first
 * makes the messenger send LKS, a later one hears the known answer. */
static void test_created_online(void **state)
{
    fixture *f = *state;
    client c;
    tpriv a, b;
    client_open(&c, &f->d, "erin");
    sign_in(&c, "erin@example.com", "pw-erin");
    tpriv_open(&a, c.m);
    assert_int_equal(status_of(&a), LOCK_NOTINITIALIZED);
    assert_true(wait_line(c.m, &a.pr->r, "lock_enable 1"));
    assert_int_equal(status_of(&a), LOCK_INITIALIZED);
    tpriv_open(&b, c.m);
    assert_int_equal(status_of(&b), LOCK_INITIALIZED);
    assert_true(wait_line(c.m, &b.pr->r, "lock_enable 1"));
    unlock(c.m, &b, 10);
    assert_int_equal(status_of(&a), LOCK_INITIALIZED);
    tpriv_close(&a);
    tpriv_close(&b);
    client_close(&c);
}

/* --lock-and-key=false: LOCK_DISABLED, usable without unlocking. */
static void test_disabled(void **state)
{
    fixture *f = *state;
    client c;
    tpriv t;
    char resp[MSGR_LOCK_RESPONSE_SIZE] = "0123456789abcdef0123456789abcdef";
    client_open(&c, &f->off, "alice-off");
    tpriv_open(&t, c.m);
    sign_in(&c, "alice@example.com", "pw-alice");
    assert_true(wait_line(c.m, &t.pr->r, "lock_enable 0"));
    assert_int_equal(status_of(&t), LOCK_DISABLED);
    assert_int_equal(msgr_lock_request_challenge(t.lock, 1), MSGR_E_API_DISABLED);
    assert_int_equal(msgr_lock_send_response(t.lock, APP_ID, resp, 1), MSGR_E_API_DISABLED);
    assert_int_equal(msgr_priv_add_contact(t.p, "bob@example.com", NULL), MSGR_S_OK);
    assert_true(wait_line(c.m, &t.pr->r, "list_add MSGR_S_OK bob@example.com"));
    assert_true(wait_line(c.m, c.rec, "list_add MSGR_S_OK bob@example.com"));
    int32_t site = MSGR_ALERT_SITE_MSGRD;
    assert_int_equal(msgr_priv_enable_alert_events(t.p, &site, 1), MSGR_S_OK);
    sign_out(&c);
    assert_int_equal(status_of(&t), LOCK_NOTINITIALIZED);
    tpriv_close(&t);
    client_close(&c);
}

/* `msgrd alert send` -> OnAlertReceived on the objects subscribed to the
 * site (1000 for msgrd's alerts, or every site), not on others. */
static void test_alert(void **state)
{
    fixture *f = *state;
    client c;
    tpriv site1000, all, other, locked;
    client_open(&c, &f->d, "frank");
    tpriv_open(&site1000, c.m);
    tpriv_open(&all, c.m);
    tpriv_open(&other, c.m);
    tpriv_open(&locked, c.m);
    sign_in(&c, "frank@example.com", "pw-frank");
    assert_true(wait_line(c.m, &locked.pr->r, "lock_enable 1"));
    unlock(c.m, &site1000, 1);
    unlock(c.m, &all, 2);
    unlock(c.m, &other, 3);
    int32_t sites[] = { 7, MSGR_ALERT_SITE_MSGRD }, five = 5;
    assert_int_equal(msgr_priv_enable_alert_events(site1000.p, sites, 2), MSGR_S_OK);
    assert_int_equal(msgr_priv_enable_alert_events(all.p, NULL, 0), MSGR_S_OK);
    assert_int_equal(msgr_priv_enable_alert_events(other.p, &five, 1), MSGR_S_OK);
    assert_int_equal(msgr_priv_enable_alert_events(locked.p, NULL, 0), MSGR_S_FALSE);

    const char *args[] = { "alert", "send", "frank@example.com", "Build <42> is green",
                           "--url", "http://example.com/b", NULL };
    assert_true(msgrd_admin(&f->d, args));
    assert_true(wait_line(c.m, &site1000.pr->r, "alert default"));
    assert_true(wait_line(c.m, &all.pr->r, "alert default"));
    assert_non_null(strstr(site1000.pr->alert, "siteid=\"1000\""));
    assert_non_null(strstr(site1000.pr->alert, "<TEXT>Build &lt;42&gt; is green</TEXT>"));
    assert_string_equal(site1000.pr->alert, all.pr->alert);
    pump_for(&c.m, 1, 300);
    assert_false(rec_has(&other.pr->r, "alert"));
    assert_false(rec_has(&locked.pr->r, "alert"));
    assert_int_equal(count_lines(&site1000.pr->r, "alert"), 1);

    tpriv_close(&site1000);
    tpriv_close(&all);
    tpriv_close(&other);
    tpriv_close(&locked);
    client_close(&c);
}

/* Releasing a MessengerPriv with a transaction outstanding is safe: the
 * reply finds no object, and another object is not disturbed. */
static void test_release_pending(void **state)
{
    fixture *f = *state;
    client c;
    tpriv a, b;
    client_open(&c, &f->d, "heidi");
    tpriv_open(&a, c.m);
    tpriv_open(&b, c.m);
    sign_in(&c, "heidi@example.com", "pw-heidi");
    assert_true(wait_line(c.m, &b.pr->r, "lock_enable 1"));
    assert_int_equal(msgr_lock_request_challenge(a.lock, 1), MSGR_S_OK);
    tpriv_close(&a);
    pump_for(&c.m, 1, 300);
    unlock(c.m, &b, 2);
    tpriv_close(&b);
    client_close(&c);
}

/* What the service pushes (DESIGN.md 2, erratum E34): a challenge from
 * `msgrd lock-and-key challenge USER` goes to one ready object as cookie
 * 0 and unlocks it; `msgrd lock-and-key off|on` switches every object to
 * LOCK_DISABLED and back. The administrator hears of users who are not
 * signed in. */
static void test_server_push(void **state)
{
    fixture *f = *state;
    client c;
    tpriv a, b;
    const char *push[] = { "lock-and-key", "challenge", "IVAN@example.com", NULL };
    const char *off[] = { "lock-and-key", "off", NULL };
    const char *on[] = { "lock-and-key", "on", NULL };
    const char *nobody[] = { "lock-and-key", "challenge", "judy@example.com", NULL };
    client_open(&c, &f->d, "ivan");
    tpriv_open(&a, c.m);
    tpriv_open(&b, c.m);
    sign_in(&c, "ivan@example.com", "pw-ivan");
    assert_true(wait_line(c.m, &b.pr->r, "lock_enable 1"));

    assert_true(msgrd_admin(&f->d, push));
    assert_true(wait_line(c.m, &a.pr->r, "lock_challenge 0 "));
    assert_int_equal(status_of(&a), LOCK_PENDINGRESULT);
    pump_for(&c.m, 1, 200);
    assert_false(rec_has(&b.pr->r, "lock_challenge"));
    respond(c.m, &a, 0, APP_KEY, true);
    assert_int_equal(status_of(&a), LOCK_UNLOCKED);
    assert_true(msgrd_admin(&f->d, push)); /* now b is the first ready one */
    assert_true(wait_line(c.m, &b.pr->r, "lock_challenge 0 "));
    respond(c.m, &b, 0, APP_KEY, true);
    assert_int_equal(status_of(&b), LOCK_UNLOCKED);
    assert_false(msgrd_admin(&f->d, nobody));

    assert_true(msgrd_admin(&f->d, off));
    assert_true(wait_line(c.m, &a.pr->r, "lock_enable 0"));
    assert_true(wait_line(c.m, &b.pr->r, "lock_enable 0"));
    assert_int_equal(status_of(&a), LOCK_DISABLED);
    assert_int_equal(msgr_priv_add_contact(a.p, "judy@example.com", NULL), MSGR_S_OK);
    assert_true(wait_line(c.m, &a.pr->r, "list_add MSGR_S_OK judy@example.com"));
    assert_false(msgrd_admin(&f->d, push)); /* nothing to unlock while off */
    assert_true(msgrd_admin(&f->d, on));
    assert_true(wait_line(c.m, &a.pr->r, "lock_enable 1"));
    assert_int_equal(status_of(&a), LOCK_INITIALIZED);
    unlock(c.m, &a, 9);

    tpriv_close(&a);
    tpriv_close(&b);
    client_close(&c);
}

/* Someone adding the local user raises OnContactListAdd on every
 * MessengerPriv, as well as the messenger's reverse-list event. */
static void test_added_by_someone(void **state)
{
    fixture *f = *state;
    client c, other;
    tpriv a;
    client_open(&c, &f->d, "kim");
    client_open(&other, &f->d, "leo");
    tpriv_open(&a, c.m);
    sign_in(&c, "kim@example.com", "pw-kim");
    sign_in(&other, "leo@example.com", "pw-leo");
    msgr_contact *leo = NULL;
    assert_int_equal(msgr_messenger_add_contact(other.m, 0, "kim@example.com"), MSGR_S_OK);
    msgr_messenger *both[] = { c.m, other.m };
    rec_wait w = { &a.pr->r, "list_add MSGR_S_OK leo@example.com" };
    assert_true(pump(both, 2, rec_wait_done, &w, WAIT_MS));
    assert_int_equal(msgr_messenger_get_contact(c.m, "leo@example.com", "", &leo), MSGR_S_OK);
    unsigned lists = 0;
    assert_int_equal(msgr_contact_get_lists(leo, &lists), MSGR_S_OK);
    assert_true(lists & MSGR_LIST_REVERSE);
    tpriv_close(&a);
    client_close(&other);
    client_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compute_response),
        cmocka_unit_test(test_bad_pointers),
        cmocka_unit_test(test_state_table),
        cmocka_unit_test(test_two_objects),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_unknown_app),
        cmocka_unit_test(test_signout_relocks),
        cmocka_unit_test(test_created_online),
        cmocka_unit_test(test_disabled),
        cmocka_unit_test(test_alert),
        cmocka_unit_test(test_release_pending),
        cmocka_unit_test(test_server_push),
        cmocka_unit_test(test_added_by_someone),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
