/*
 * test_fakens.c - libmsgr against a scripted notification server that
 * lives in this test (built with the codec's writers), for what msgrd
 * does not send on demand: own and contacts' phone numbers and mobile
 * flags in the SYN dump and asynchronously, mail counts and
 * notifications, a contact's name change at sign-in, the CHL/QRY answer
 * (checked against the msnp.md 2.10 test vector), a server error during
 * sign-in and OUT SSD; Lock and Key lines msgrd does not push yet (LKS 0
 * and LKC 0, erratum E34), an LKS refused by a server without Lock and
 * Key, and no LKS at all from a messenger without MessengerPriv. Passport
 * still runs against the real msgrd (the fake server accepts any ticket).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "msnp_msgbody.h"
#include "msnp_parser.h"
#include "msnp_write.h"

static const char *const users[] = { "frank@example.com", "frank-pw", NULL };

/* What the fake server does after the client's first CHG. */
typedef enum script {
    SCRIPT_FULL,
    SCRIPT_BUSY,
    SCRIPT_LOCK,       /* answers LKS 1, LKC with a fixed challenge, LKR OK */
    SCRIPT_LOCK_ERR,   /* answers LKS with 200 (a server without Lock and Key) */
} script;

#define FAKE_CHALLENGE "11111111111111111111"
#define PUSHED_CHALLENGE "22222222222222222222"

typedef struct fakens {
    int lfd, fd;
    char addr[64];
    msnp_parser *parser;
    msnp_buf out;
    script mode;
    bool qry_seen;     /* the client answered the challenge */
    bool qry_ok;       /* ... with the answer of the msnp.md 2.10 test vector */
    bool push_requested; /* the test asks for the post-login changes */
    bool pushed;       /* they were sent */
    bool allowed_fan;  /* the client sent ADD AL for the new fan (GTC N) */
    bool allowed_rl;   /* ... and for the one already on RL at sign-in */
    bool out_sent;     /* OUT SSD queued: close when written */
    bool lks_seen;     /* the client subscribed to Lock and Key */
    char lkr[256];     /* parameters of the last LKR */
} fakens;

typedef struct fixture {
    msgrd d;
    fakens ns;
    msgr_messenger *m;
    recorder rec;
    char cache[400];
} fixture;

static void fake_start(fakens *f, script mode)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    f->mode = mode;
    f->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    socklen_t len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(f->lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(f->lfd, 4), 0);
    assert_int_equal(getsockname(f->lfd, (struct sockaddr *)&a, &len), 0);
    snprintf(f->addr, sizeof f->addr, "127.0.0.1:%d", ntohs(a.sin_port));
    msnp_parser_config cfg = { 0 };
    cfg.direction = MSNP_FROM_CLIENT;
    f->parser = msnp_parser_new(&cfg);
    msnp_buf_init(&f->out);
}

static void fake_stop(fakens *f)
{
    if (f->fd >= 0)
        close(f->fd);
    close(f->lfd);
    msnp_parser_free(f->parser);
    msnp_buf_free(&f->out);
}

static void hotmail(fakens *f, msnp_buf *body)
{
    assert_int_equal(msnp_write_msg_hotmail(&f->out, body->data, body->len), MSNP_OK);
    msnp_buf_reset(body);
}

static void send_login_messages(fakens *f)
{
    msnp_buf body = MSNP_BUF_INIT;
    msnp_profile p = { 0 };
    p.email_enabled = true;
    p.client_ip = "127.0.0.1";
    p.client_port = 1234;
    assert_int_equal(msnp_profile_build(&body, &p), MSNP_OK);
    hotmail(f, &body);
    msnp_initial_email e = { 0 };
    e.inbox_unread = 3;
    e.folders_unread = 1;
    assert_int_equal(msnp_initial_email_build(&body, &e), MSNP_OK);
    hotmail(f, &body);
    msnp_buf_free(&body);
}

static void send_dump(fakens *f, uint32_t trid)
{
    msnp_buf *o = &f->out;
    assert_int_equal(msnp_write_syn_reply_long(o, trid, 7, 2, 1), MSNP_OK);
    assert_int_equal(msnp_write_gtc_dump(o, 'N'), MSNP_OK);
    assert_int_equal(msnp_write_blp_dump(o, MSNP_LIST_AL), MSNP_OK);
    assert_int_equal(msnp_write_prp_dump(o, "PHH", "555 1234"), MSNP_OK);
    assert_int_equal(msnp_write_prp_dump(o, "MOB", "Y"), MSNP_OK);
    assert_int_equal(msnp_write_lsg_dump(o, 0, "Other Contacts"), MSNP_OK);
    assert_int_equal(msnp_write_lst_dump(o, "bob@example.com", "Bob", 11, 1), MSNP_OK);
    assert_int_equal(msnp_write_bpr_dump(o, "PHM", "555 9999"), MSNP_OK);
    assert_int_equal(msnp_write_bpr_dump(o, "MOB", "Y"), MSNP_OK);
    assert_int_equal(msnp_write_lst_dump(o, "rl@example.com", "RL", 8, 0), MSNP_OK);
}

/* After the challenge was answered: changes the client must report. */
static void send_pushes(fakens *f)
{
    msnp_buf *o = &f->out;
    msnp_buf body = MSNP_BUF_INIT;
    assert_int_equal(msnp_write_add_async(o, MSNP_LIST_RL, 8, "fan@example.com", "Fan",
                                          MSNP_NO_GROUP), MSNP_OK);
    assert_int_equal(msnp_write_bpr_async(o, 8, "bob@example.com", "PHW", "555 0000"), MSNP_OK);
    assert_int_equal(msnp_write_bpr_async(o, 9, "bob@example.com", "MOB", "N"), MSNP_OK);
    assert_int_equal(msnp_write_nln(o, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_AWY,
                                    "bob@example.com", "Bobby", 0, NULL), MSNP_OK);
    msnp_email e = { 0 };
    e.from = "Someone";
    e.from_addr = "someone@example.org";
    e.subject = "Hi";
    e.dest_folder = "ACTIVE";
    e.message_url = "/x";
    e.post_url = "https://x/";
    assert_int_equal(msnp_email_build(&body, &e), MSNP_OK);
    hotmail(f, &body);
    msnp_buf_free(&body);
    f->pushed = true;
}

static void answer(fakens *f, const msnp_cmd *c)
{
    msnp_buf *o = &f->out;
    uint32_t t = c->has_trid ? c->trid : 0;
    if (strcmp(c->code, "VER") == 0) {
        assert_int_equal(msnp_write_ver_reply(o, t, MSNP_DIALECT_MSNP8, true), MSNP_OK);
    } else if (strcmp(c->code, "CVR") == 0) {
        assert_int_equal(msnp_write_cvr_reply(o, t, "1.0", "1.0", "1.0", "http://x/",
                                              "http://x/"), MSNP_OK);
    } else if (strcmp(c->code, "USR") == 0 && c->nparams >= 2 && strcmp(c->params[1], "I") == 0) {
        if (f->mode == SCRIPT_BUSY) {
            assert_int_equal(msnp_write_error(o, 600, t), MSNP_OK);
            return;
        }
        assert_int_equal(msnp_write_usr_twn_s(o, t,
            "lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fm,ct=1,kpp=1,kv=5,ver=2.1.0173.1,"
            "tpf=0123456789abcdef0123456789abcdef"), MSNP_OK);
    } else if (strcmp(c->code, "USR") == 0) {
        assert_int_equal(msnp_write_usr_ok(o, t, "frank@example.com", "Frank F.", true,
                                           false), MSNP_OK);
        send_login_messages(f);
    } else if (strcmp(c->code, "SYN") == 0) {
        send_dump(f, t);
    } else if (strcmp(c->code, "CHG") == 0) {
        assert_int_equal(msnp_write_chg(o, t, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN, true, 0,
                                        NULL), MSNP_OK);
        assert_int_equal(msnp_write_iln(o, t, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN,
                                        "bob@example.com", "Bob B.", 0, NULL), MSNP_OK);
        assert_int_equal(msnp_write_chl(o, 0, "29409134351025259292"), MSNP_OK);
    } else if (strcmp(c->code, "ADD") == 0 && c->nparams >= 2 &&
               strcmp(c->params[0], "AL") == 0) {
        if (strcmp(c->params[1], "fan@example.com") == 0)
            f->allowed_fan = true;
        if (strcmp(c->params[1], "rl@example.com") == 0)
            f->allowed_rl = true;
        assert_int_equal(msnp_write_add_reply(o, t, MSNP_LIST_AL, 9, c->params[1],
                                              "x", MSNP_NO_GROUP), MSNP_OK);
    } else if (strcmp(c->code, "LKS") == 0) {
        f->lks_seen = true;
        if (f->mode == SCRIPT_LOCK)
            assert_int_equal(msnp_write_cmd(o, "LKS", t, "1", (const char *)NULL), MSNP_OK);
        else
            assert_int_equal(msnp_write_error(o, 200, t), MSNP_OK);
    } else if (strcmp(c->code, "LKC") == 0) {
        assert_int_equal(msnp_write_cmd(o, "LKC", t, FAKE_CHALLENGE, (const char *)NULL),
                         MSNP_OK);
    } else if (strcmp(c->code, "LKR") == 0 && c->nparams == 3) {
        snprintf(f->lkr, sizeof f->lkr, "%s %s %s", c->params[0], c->params[1], c->params[2]);
        assert_int_equal(msnp_write_cmd(o, "LKR", t, "OK", (const char *)NULL), MSNP_OK);
    } else if (strcmp(c->code, "QRY") == 0) {
        f->qry_ok = c->payload_len == 32 &&
                    memcmp(c->payload, "d0c1178c689350104350d99f8c36ed9c", 32) == 0;
        assert_int_equal(msnp_write_qry_reply(o, t), MSNP_OK);
        f->qry_seen = true;
    }
}

/* Runs the fake server without blocking; used as a pump() predicate
 * together with a recorder wait. */
static void fake_step(fakens *f)
{
    if (f->fd < 0) {
        f->fd = accept(f->lfd, NULL, NULL);
        if (f->fd < 0)
            return;
        fcntl(f->fd, F_SETFL, O_NONBLOCK);
    }
    char buf[4096];
    ssize_t n;
    while ((n = recv(f->fd, buf, sizeof buf, 0)) > 0) {
        msnp_parser_feed(f->parser, buf, (size_t)n);
        msnp_cmd c;
        while (msnp_parser_next(f->parser, &c) == 1)
            answer(f, &c);
    }
    if (f->push_requested && f->qry_seen && !f->pushed)
        send_pushes(f);
    /* The session ends once the client allowed the new fan (GTC N). */
    if (f->pushed && f->allowed_fan && !f->out_sent) {
        assert_int_equal(msnp_write_out(&f->out, "SSD"), MSNP_OK);
        f->out_sent = true;
    }
    if (f->out.len) {
        ssize_t w = send(f->fd, f->out.data, f->out.len, MSG_NOSIGNAL);
        if (w > 0) {
            memmove(f->out.data, f->out.data + w, f->out.len - (size_t)w);
            msnp_buf_truncate(&f->out, f->out.len - (size_t)w);
        }
        if (f->out_sent && f->out.len == 0) {
            close(f->fd); /* OUT SSD: the server goes away */
            f->fd = -2;
        }
    }
}

typedef struct step_wait {
    fixture *f;
    const char *prefix;
} step_wait;

static bool step_done(void *ud)
{
    step_wait *sw = ud;
    if (sw->f->ns.fd != -2) {
        /* accept() is non-blocking only once the listener is: make it so. */
        fcntl(sw->f->ns.lfd, F_SETFL, O_NONBLOCK);
        fake_step(&sw->f->ns);
    }
    return rec_has(&sw->f->rec, sw->prefix);
}

static void wait_for(fixture *f, const char *prefix)
{
    step_wait sw = { f, prefix };
    if (!pump(&f->m, 1, step_done, &sw, 15000)) {
        rec_dump(&f->rec, "frank");
        fail_msg("never saw \"%s\"", prefix);
    }
}

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

static void start(fixture *f, script mode, const char *tag)
{
    msgr_options o;
    uint32_t cookie;
    fake_start(&f->ns, mode);
    msgrd_options(&f->d, tag, &o, f->cache, sizeof f->cache);
    o.server = f->ns.addr;
    rec_clear(&f->rec);
    assert_int_equal(msgr_messenger_create(&o, &f->m), MSGR_S_OK);
    assert_int_equal(msgr_messenger_advise(f->m, &recorder_events, &f->rec, &cookie), MSGR_S_OK);
    assert_int_equal(msgr_messenger_signin(f->m, 0, "frank@example.com", "frank-pw"), MSGR_S_OK);
}

static void stop(fixture *f)
{
    msgr_object_release(f->m);
    fake_stop(&f->ns);
}

static void test_lists_mail_and_pushes(void **state)
{
    fixture *f = *state;
    start(f, SCRIPT_FULL, "fake");
    wait_for(f, "my_status MSGR_S_OK 0x0002");
    wait_for(f, "contact_status bob@example.com 0x0001->0x0002");
    /* The ILN name differs from the stored one: reported at sign-in. */
    wait_for(f, "contact_name MSGR_S_OK bob@example.com Bob");

    const char *s;
    int32_t unread;
    bool b;
    msgr_contact *bob;
    assert_int_equal(msgr_messenger_get_my_friendly_name(f->m, &s), MSGR_S_OK);
    assert_string_equal(s, "Frank F.");
    assert_int_equal(msgr_messenger_get_my_phone_number(f->m, MPHONE_TYPE_HOME, &s), MSGR_S_OK);
    assert_string_equal(s, "555 1234");
    assert_int_equal(msgr_messenger_get_my_phone_number(f->m, MPHONE_TYPE_WORK, &s), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_get_unread_email_count(f->m, MUAFOLDER_INBOX, &unread),
                     MSGR_S_OK);
    assert_int_equal(unread, 3);
    assert_int_equal(msgr_messenger_get_contact(f->m, "bob@example.com", "", &bob), MSGR_S_OK);
    assert_int_equal(msgr_object_addref(bob), MSGR_S_OK);
    assert_int_equal(msgr_contact_get_phone_number(bob, MPHONE_TYPE_MOBILE, &s), MSGR_S_OK);
    assert_string_equal(s, "555 9999");
    assert_int_equal(msgr_contact_get_can_page(bob, &b), MSGR_S_OK);
    assert_true(b);
    assert_int_equal(msgr_contact_get_friendly_name(bob, &s), MSGR_S_OK);
    assert_string_equal(s, "Bob B.");
    /* Someone with us only on their list is not on our contact list. */
    msgr_contact *rl;
    assert_int_equal(msgr_messenger_get_contact(f->m, "rl@example.com", "", &rl), MSGR_S_OK);
    MISTATUS st;
    assert_int_equal(msgr_contact_get_status(rl, &st), MSGR_S_OK);
    assert_int_equal(st, MISTATUS_UNKNOWN);

    /* After the challenge: phone, pager, presence, mail, then OUT SSD. */
    f->ns.push_requested = true;
    wait_for(f, "my_status MSGR_E_SERVER_UNAVAILABLE 0x0001");
    assert_true(f->ns.qry_ok);
    assert_true(f->ns.allowed_rl);  /* GTC N: allowed at sign-in ... */
    assert_true(f->ns.allowed_fan); /* ... and when added while online */
    assert_true(rec_has(&f->rec, "contact_phone MSGR_S_OK bob@example.com 1 555 0000"));
    if (!rec_has(&f->rec, "contact_status bob@example.com 0x0002->0x0022"))
        rec_dump(&f->rec, "frank");
    assert_true(rec_has(&f->rec, "contact_status bob@example.com 0x0002->0x0022"));
    assert_true(rec_has(&f->rec, "contact_name MSGR_S_OK bob@example.com Bob B."));
    assert_true(rec_has(&f->rec, "contact_pager MSGR_S_OK bob@example.com 0"));
    assert_true(rec_has(&f->rec, "unread_email 0 4 1"));
    assert_true(rec_has(&f->rec, "signout"));
    assert_false(f->ns.lks_seen); /* no MessengerPriv: plain MSNP8 */
    assert_int_equal(msgr_contact_get_can_page(bob, &b), MSGR_S_OK);
    assert_false(b); /* signed out: false, whatever it was */
    assert_int_equal(msgr_object_release(bob), MSGR_S_OK);
    stop(f);
}

static void test_server_busy_at_signin(void **state)
{
    fixture *f = *state;
    start(f, SCRIPT_BUSY, "busy");
    wait_for(f, "my_status MSGR_E_SERVER_TOO_BUSY 0x0001");
    assert_true(rec_has(&f->rec, "signin MSGR_E_SERVER_TOO_BUSY"));
    stop(f);
}

/* ---- Lock and Key ----------------------------------------------------------- */

/* MessengerPriv events into the messenger's recorder (one timeline). */
static void rec_line(void *ud, const char *line)
{
    recorder *r = ud;
    if (r->n < REC_MAX)
        snprintf(r->lines[r->n++], REC_LINE, "%s", line);
}

static void on_lock_enable(void *ud, msgr_priv *p, bool enable)
{
    (void)p;
    rec_line(ud, enable ? "lock_enable 1" : "lock_enable 0");
}

static void on_lock_challenge(void *ud, msgr_priv *p, int32_t cookie, const char *ch)
{
    char line[REC_LINE];
    (void)p;
    snprintf(line, sizeof line, "lock_challenge %ld %s", (long)cookie, ch);
    rec_line(ud, line);
}

static void on_lock_result(void *ud, msgr_priv *p, int32_t cookie, bool ok)
{
    char line[REC_LINE];
    (void)p;
    snprintf(line, sizeof line, "lock_result %ld %d", (long)cookie, ok);
    rec_line(ud, line);
}

static const msgr_priv_events lock_events = {
    .on_lock_enable = on_lock_enable,
    .on_lock_challenge = on_lock_challenge,
    .on_lock_result = on_lock_result,
};

static msgr_priv *new_priv(fixture *f, msgr_lock **lock)
{
    msgr_priv *p = NULL;
    uint32_t cookie;
    assert_int_equal(msgr_priv_create(f->m, &p), MSGR_S_OK);
    assert_int_equal(msgr_priv_advise(p, &lock_events, &f->rec, &cookie), MSGR_S_OK);
    assert_int_equal(msgr_priv_get_lock(p, lock), MSGR_S_OK);
    return p;
}

static LockStatus lock_status(msgr_lock *l)
{
    LockStatus st = 0;
    assert_int_equal(msgr_lock_get_status(l, &st), MSGR_S_OK);
    return st;
}

/* Waits for the n-th line starting with prefix. */
static void wait_nth(fixture *f, const char *prefix, int n)
{
    for (int tries = 0; tries < 300; tries++) {
        int seen = 0;
        for (int i = rec_find(&f->rec, 0, prefix); i >= 0; i = rec_find(&f->rec, i + 1, prefix))
            seen++;
        if (seen >= n)
            return;
        step_wait sw = { f, "\x01never" };
        (void)pump(&f->m, 1, step_done, &sw, 50);
    }
    rec_dump(&f->rec, "frank");
    fail_msg("never saw \"%s\" %d times", prefix, n);
}

/* Lines msgrd reserves for later: LKC 0 (answered with cookie 0) and
 * LKS 0 0|1 (erratum E34, docs/protocol.md). */
static void test_lock_pushed_lines(void **state)
{
    fixture *f = *state;
    msgr_lock *lock;
    char resp[MSGR_LOCK_RESPONSE_SIZE], want[160];
    start(f, SCRIPT_LOCK, "lock");
    msgr_priv *p = new_priv(f, &lock);
    wait_for(f, "lock_enable 1");
    assert_true(f->ns.lks_seen);
    assert_int_equal(lock_status(lock), LOCK_INITIALIZED);

    assert_int_equal(msnp_write_cmd(&f->ns.out, "LKC", 0, PUSHED_CHALLENGE,
                                    (const char *)NULL), MSNP_OK);
    wait_for(f, "lock_challenge 0 " PUSHED_CHALLENGE);
    assert_int_equal(lock_status(lock), LOCK_PENDINGRESULT);
    assert_int_equal(msgr_lock_compute_response(PUSHED_CHALLENGE, "k", resp), MSGR_S_OK);
    assert_int_equal(msgr_lock_send_response(lock, "app", resp, 1), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_lock_send_response(lock, "app", resp, 0), MSGR_S_OK);
    wait_for(f, "lock_result 0 1");
    snprintf(want, sizeof want, "app %s %s", PUSHED_CHALLENGE, resp);
    assert_string_equal(f->ns.lkr, want);
    assert_int_equal(lock_status(lock), LOCK_UNLOCKED);

    /* Switched off, then on again: locked again, a new handshake works. */
    assert_int_equal(msnp_write_cmd(&f->ns.out, "LKS", 0, "0", (const char *)NULL), MSNP_OK);
    wait_for(f, "lock_enable 0");
    assert_int_equal(lock_status(lock), LOCK_DISABLED);
    assert_int_equal(msgr_lock_request_challenge(lock, 5), MSGR_E_API_DISABLED);
    assert_int_equal(msnp_write_cmd(&f->ns.out, "LKS", 0, "1", (const char *)NULL), MSNP_OK);
    wait_nth(f, "lock_enable 1", 2);
    assert_int_equal(lock_status(lock), LOCK_INITIALIZED);
    assert_int_equal(msgr_lock_request_challenge(lock, 5), MSGR_S_OK);
    wait_for(f, "lock_challenge 5 " FAKE_CHALLENGE);
    msgr_object_release(p);
    stop(f);
}

/* A server that does not know LKS: nothing is locked there. */
static void test_lock_unknown_to_server(void **state)
{
    fixture *f = *state;
    msgr_lock *lock;
    start(f, SCRIPT_LOCK_ERR, "lockerr");
    msgr_priv *p = new_priv(f, &lock);
    wait_for(f, "lock_enable 0");
    assert_true(f->ns.lks_seen);
    assert_int_equal(lock_status(lock), LOCK_DISABLED);
    assert_int_equal(msgr_priv_enable_alert_events(p, NULL, 0), MSGR_S_OK);
    msgr_object_release(p);
    stop(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_mail_and_pushes),
        cmocka_unit_test(test_server_busy_at_signin),
        cmocka_unit_test(test_lock_pushed_lines),
        cmocka_unit_test(test_lock_unknown_to_server),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
