/*
 * test_session_launch.c - GetLaunchingSession from another process,
 * through local server mode (docs/libmsgr.md "Session Invite"): alice
 * invites bob (both in this process, against a real msgrd), bob accepts,
 * and libmsgr starts launch_app, a real program that attaches to bob's
 * messenger from its environment, finds its session, exchanges context
 * data with alice and writes down what it saw.
 *
 * Cases: bob not serving beforehand (the launch starts serving) with Lock
 * and Key off; bob serving on a path of his own with Lock and Key on (the
 * program unlocks its manager with the app key); bob signing out while
 * the program runs (OnAppShutdown and the end of its session); and the
 * session commands on bob's socket fed malformed input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define APP_ID "msgr-launch-app"
#define APP_KEY "launch-secret"
#define WAIT_MS 20000
#define GUID_APP "{5B6C7D8E-9FA0-4B1C-8D2E-3F4051627384}"
#define APP_TEXT "hello alice from the app"
#define ALICE_TEXT "hi app, alice here"

static const char *const users[] = { "alice@example.com", "pw-alice", "bob@example.com",
                                     "pw-bob", NULL };
static const char *const apps[] = { APP_ID, APP_KEY, NULL };

/* ---- one side ------------------------------------------------------------------- */

typedef struct side {
    msgr_messenger *m;
    recorder rec;            /* messenger events */
    recorder srec;           /* session and manager events */
    msgr_session_manager *g;
    msgr_lock *lock;
    char challenge[80];
    msgr_session *last;      /* bob: the invitation, referenced */
    char cache[400];
} side;

typedef struct fixture {
    msgrd off, on;           /* Lock and Key off / on */
    char run[300];           /* XDG_RUNTIME_DIR */
    side a, b;
    int runs;
} fixture;

static fixture *F;

static void add(recorder *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(recorder *r, const char *fmt, ...)
{
    va_list ap;
    if (r->n >= REC_MAX)
        return;
    va_start(ap, fmt);
    vsnprintf(r->lines[r->n++], REC_LINE, fmt, ap);
    va_end(ap);
}

static void on_state(void *ud, msgr_session *s, SESSION_STATE prev)
{
    SESSION_STATE now = SS_UNKNOWN;
    msgr_session_get_state(s, &now);
    add(&((side *)ud)->srec, "state %d>%d", (int)prev, (int)now);
}

static void on_context(void *ud, msgr_session *s, const char *data)
{
    (void)s;
    add(&((side *)ud)->srec, "context %s", data);
}

static void on_termination(void *ud, msgr_session *s, msgr_hr hr, const char *data)
{
    (void)s;
    add(&((side *)ud)->srec, "termination %s %s", msgr_hr_string(hr), data);
}

static const msgr_session_events session_events = {
    .on_state_changed = on_state,
    .on_context_data = on_context,
    .on_termination = on_termination,
};

static void on_invitation(void *ud, msgr_session_manager *g, msgr_session *s,
                          const char *data, bool *handled)
{
    side *sd = ud;
    uint32_t cookie;
    (void)g;
    add(&sd->srec, "invitation %s", data);
    if (sd->last)
        msgr_object_release(sd->last);
    msgr_object_addref(s);
    sd->last = s;
    msgr_session_advise(s, &session_events, sd, &cookie);
    *handled = true;
}

static void on_lock_enable(void *ud, msgr_session_manager *g, bool enable)
{
    (void)g;
    add(&((side *)ud)->srec, "lock_enable %d", enable);
}

static void on_lock_challenge(void *ud, msgr_session_manager *g, int32_t cookie,
                              const char *ch)
{
    side *sd = ud;
    (void)g;
    snprintf(sd->challenge, sizeof sd->challenge, "%s", ch);
    add(&sd->srec, "lock_challenge %ld", (long)cookie);
}

static void on_lock_result(void *ud, msgr_session_manager *g, int32_t cookie, bool ok)
{
    (void)g;
    add(&((side *)ud)->srec, "lock_result %ld %d", (long)cookie, ok);
}

static const msgr_session_manager_events manager_events = {
    .on_invitation = on_invitation,
    .on_lock_enable = on_lock_enable,
    .on_lock_challenge = on_lock_challenge,
    .on_lock_result = on_lock_result,
};

/* ---- waiting ----------------------------------------------------------------------- */

static msgr_messenger *pair[2];

static void expect(const recorder *r, const char *prefix)
{
    rec_wait w = { r, prefix };
    pair[0] = F->a.m;
    pair[1] = F->b.m;
    if (!pump(pair, F->b.m ? 2 : 1, rec_wait_done, &w, WAIT_MS)) {
        rec_dump(r, "rec");
        fail_msg("never saw '%s'", prefix);
    }
}

/* What launch_app wrote, as lines. */
typedef struct app_out {
    char path[400];
    char lines[64][256];
    int n;
} app_out;

static void read_out(app_out *o)
{
    FILE *f = fopen(o->path, "r");
    o->n = 0;
    if (!f)
        return;
    while (o->n < 64 && fgets(o->lines[o->n], 256, f)) {
        o->lines[o->n][strcspn(o->lines[o->n], "\n")] = '\0';
        o->n++;
    }
    fclose(f);
}

static int out_find(const app_out *o, const char *prefix)
{
    for (int i = 0; i < o->n; i++)
        if (!strncmp(o->lines[i], prefix, strlen(prefix)))
            return i;
    return -1;
}

typedef struct out_wait {
    app_out *o;
    const char *prefix;
} out_wait;

static bool out_done(void *ud)
{
    out_wait *w = ud;
    read_out(w->o);
    return out_find(w->o, w->prefix) >= 0;
}

/* Pumps alice and bob (bob serves the program) until the program wrote
 * a line starting with prefix. */
static void expect_out(app_out *o, const char *prefix)
{
    out_wait w = { o, prefix };
    pair[0] = F->a.m;
    pair[1] = F->b.m;
    if (!pump(pair, 2, out_done, &w, WAIT_MS)) {
        for (int i = 0; i < o->n; i++)
            fprintf(stderr, "app: %s\n", o->lines[i]);
        fail_msg("launch_app never wrote '%s'", prefix);
    }
}

static void assert_out(const app_out *o, const char *prefix)
{
    if (out_find(o, prefix) < 0) {
        for (int i = 0; i < o->n; i++)
            fprintf(stderr, "app: %s\n", o->lines[i]);
        fail_msg("launch_app did not write '%s'", prefix);
    }
}

/* ---- set-up ------------------------------------------------------------------------ */

static void unlock(side *s)
{
    char resp[MSGR_LOCK_RESPONSE_SIZE];
    LockStatus st = 0;
    expect(&s->srec, "lock_enable 1");
    assert_int_equal(msgr_lock_request_challenge(s->lock, 77), MSGR_S_OK);
    expect(&s->srec, "lock_challenge 77");
    assert_int_equal(msgr_lock_compute_response(s->challenge, APP_KEY, resp), MSGR_S_OK);
    assert_int_equal(msgr_lock_send_response(s->lock, APP_ID, resp, 77), MSGR_S_OK);
    expect(&s->srec, "lock_result 77 1");
    assert_int_equal(msgr_lock_get_status(s->lock, &st), MSGR_S_OK);
    assert_int_equal(st, LOCK_UNLOCKED);
}

static void side_open(side *s, const msgrd *d, const char *tag, const char *user,
                      const char *pw)
{
    msgr_options o;
    uint32_t cookie;
    memset(s, 0, sizeof *s);
    msgrd_options(d, tag, &o, s->cache, sizeof s->cache);
    assert_int_equal(msgr_messenger_create(&o, &s->m), MSGR_S_OK);
    assert_int_equal(msgr_messenger_advise(s->m, &recorder_events, &s->rec, &cookie),
                     MSGR_S_OK);
    assert_int_equal(msgr_session_manager_create(s->m, &s->g), MSGR_S_OK);
    assert_int_equal(msgr_session_manager_advise(s->g, &manager_events, s, &cookie),
                     MSGR_S_OK);
    assert_int_equal(msgr_session_manager_get_lock(s->g, &s->lock), MSGR_S_OK);
    assert_true(signin_and_wait(&s->m, 1, s->m, &s->rec, user, pw));
}

static void side_close(side *s)
{
    if (s->last)
        msgr_object_release(s->last);
    if (s->m)
        msgr_object_release(s->m);
    if (s->g)
        msgr_object_release(s->g);
    rec_release_window(&s->rec);
    memset(s, 0, sizeof *s);
}

/* Alice and bob on d with usable managers and the application
 * registered on both sides. */
static void open_pair(const msgrd *d, bool lock_and_key)
{
    side_open(&F->a, d, "alice", "alice@example.com", "pw-alice");
    side_open(&F->b, d, "bob", "bob@example.com", "pw-bob");
    if (lock_and_key) {
        unlock(&F->a);
        unlock(&F->b);
    } else {
        expect(&F->a.srec, "lock_enable 0");
        expect(&F->b.srec, "lock_enable 0");
    }
    for (int i = 0; i < 2; i++) {
        side *s = i ? &F->b : &F->a;
        msgr_hr hr = msgr_session_manager_register_application(s->g, GUID_APP, "Launch App",
                                                               "https://example.com/app",
                                                               MSGR_LAUNCH_APP, 0);
        assert_true(hr == MSGR_S_OK || hr == SR_APP_ALREADY_REGISTERED);
    }
}

static void close_pair(void)
{
    side_close(&F->a);
    side_close(&F->b);
}

/* The program's environment for this run: its output file, its text and
 * how it unlocks. */
static void app_env(app_out *o, bool lock_and_key, const char *mode)
{
    memset(o, 0, sizeof *o);
    snprintf(o->path, sizeof o->path, "%s/app-%d.out", F->run, ++F->runs);
    unlink(o->path);
    setenv("LAUNCH_APP_OUT", o->path, 1);
    setenv("LAUNCH_APP_SEND", APP_TEXT, 1);
    if (lock_and_key)
        setenv("LAUNCH_APP_LOCK", APP_ID " " APP_KEY, 1);
    else
        unsetenv("LAUNCH_APP_LOCK");
    if (mode)
        setenv("LAUNCH_APP_MODE", mode, 1);
    else
        unsetenv("LAUNCH_APP_MODE");
}

/* Alice invites bob, bob accepts: the program starts on bob's side. */
static msgr_session *invite_and_accept(void)
{
    msgr_session *s = NULL;
    msgr_contact *bob = NULL;
    uint32_t cookie;
    assert_int_equal(msgr_session_manager_create_session(F->a.g, &s), MSGR_S_OK);
    assert_int_equal(msgr_session_advise(s, &session_events, &F->a, &cookie), MSGR_S_OK);
    assert_int_equal(msgr_session_set_application(s, GUID_APP), MSGR_S_OK);
    assert_int_equal(msgr_messenger_get_contact(F->a.m, "bob@example.com",
                                                MSGR_SERVICE_ID_MSNP, &bob), MSGR_S_OK);
    assert_int_equal(msgr_session_invite(s, bob, "play"), MSGR_S_OK);
    expect(&F->b.srec, "invitation play");
    assert_int_equal(msgr_session_accept(F->b.last, NULL), MSGR_S_OK);
    expect(&F->b.srec, "state 3>4");
    return s;
}

/* The program's whole run, from the launch to its context data and back. */
static void exchange(msgr_session *s, app_out *o, bool lock_and_key)
{
    char want[300];
    const char *bob_id = NULL;
    expect(&F->a.srec, "context " APP_TEXT);
    assert_int_equal(msgr_session_send_context_data(s, ALICE_TEXT), MSGR_S_OK);
    expect_out(o, "context ");
    assert_int_equal(msgr_session_get_session_id(F->b.last, &bob_id), MSGR_S_OK);
    read_out(o);
    assert_out(o, "start 1");
    assert_out(o, "signin 1");
    assert_out(o, "locked MSGR_E_API_LOCKED");
    snprintf(want, sizeof want, "unlocked 1 %d",
             lock_and_key ? (int)LOCK_UNLOCKED : (int)LOCK_DISABLED);
    assert_out(o, want);
    assert_out(o, "other MSGR_E_FAIL");
    assert_out(o, "launching MSGR_S_OK");
    /* Connected invitee session of the Launch App with alice. */
    snprintf(want, sizeof want, "session %s %s Launch App 4 2 alice@example.com", bob_id,
             GUID_APP);
    assert_out(o, want);
    assert_out(o, "addresses local remote");
    assert_out(o, "same 1");
    assert_out(o, "send MSGR_S_OK");
    assert_out(o, "context " ALICE_TEXT "|" ALICE_TEXT);
}

/* ---- fixture ----------------------------------------------------------------------- */

static int setup(void **state)
{
    static fixture f;
    msgrd_cfg off = { .lock_and_key_off = true };
    msgrd_cfg on = { .apps = apps };
    memset(&f, 0, sizeof f);
    F = &f;
    if (!msgrd_start_cfg(&f.off, users, &off))
        return -1;
    if (!msgrd_start_cfg(&f.on, users, &on)) {
        msgrd_stop(&f.off);
        return -1;
    }
    snprintf(f.run, sizeof f.run, "%s/run", f.off.dir);
    if (mkdir(f.run, 0700) != 0 || setenv("XDG_RUNTIME_DIR", f.run, 1) != 0)
        return -1;
    unsetenv("MSGR_LOCAL_SOCKET");
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    msgrd_stop(&f->off);
    msgrd_stop(&f->on);
    return 0;
}

/* ---- tests ---------------------------------------------------------------------------- */

/* Bob does not serve: the launch starts serving on the default path, the
 * program finds it in MSGR_LOCAL_SOCKET; Lock and Key off. */
static void test_launch_not_serving(void **state)
{
    app_out o;
    char sock[400];
    struct stat st;
    (void)state;
    open_pair(&F->off, false);
    app_env(&o, false, NULL);
    msgr_session *s = invite_and_accept();
    exchange(s, &o, false);
    expect_out(&o, "exit 0");
    snprintf(sock, sizeof sock, "%s/msgr/messenger.sock", F->run);
    assert_int_equal(stat(sock, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    /* Alice ends the session; the serve started for the launch ends with
     * bob's sign-out. */
    assert_int_equal(msgr_session_cancel(s, MSGR_S_OK, NULL), MSGR_S_OK);
    expect(&F->b.srec, "termination SR_SESSION_CANCELLED_REMOTE");
    msgr_object_release(s);
    assert_int_equal(msgr_messenger_signout(F->b.m), MSGR_S_OK);
    expect(&F->b.rec, "signout");
    pump_for(pair, 2, 300);
    assert_int_equal(lstat(sock, &st), -1);
    assert_int_equal(msgr_messenger_stop_local(F->b.m), MSGR_S_FALSE);
    close_pair();
}

/* Bob serves on a path of his own before the invitation; Lock and Key on:
 * the program must unlock its manager with the app key. */
static void test_launch_serving_lock_and_key(void **state)
{
    app_out o;
    char path[400];
    (void)state;
    open_pair(&F->on, true);
    snprintf(path, sizeof path, "%s/own/bob.sock", F->run);
    assert_int_equal(msgr_messenger_serve_local(F->b.m, path), MSGR_S_OK);
    app_env(&o, true, NULL);
    msgr_session *s = invite_and_accept();
    exchange(s, &o, true);
    expect_out(&o, "exit 0");
    /* An explicit serve stays after the program is gone. */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(msgr_session_cancel(s, MSGR_S_OK, NULL), MSGR_S_OK);
    expect(&F->b.srec, "termination");
    msgr_object_release(s);
    assert_int_equal(msgr_messenger_stop_local(F->b.m), MSGR_S_OK);
    close_pair();
}

/* Bob signs out while the program runs: its manager hears OnAppShutdown
 * and its session view ends. */
static void test_serving_messenger_signs_out(void **state)
{
    app_out o;
    (void)state;
    open_pair(&F->off, false);
    app_env(&o, false, "shutdown");
    msgr_session *s = invite_and_accept();
    exchange(s, &o, false);
    expect_out(&o, "waiting");
    assert_int_equal(msgr_messenger_signout(F->b.m), MSGR_S_OK);
    expect_out(&o, "exit");
    read_out(&o);
    assert_out(&o, "shutdown");
    /* Told by bob before the link closed, or ended by the link's end. */
    bool told = out_find(&o, "termination SR_SESSION_CANCELLED_LOCAL") >= 0;
    bool cut = out_find(&o, "termination SR_CONNECTION_FAILURE") >= 0;
    assert_true(told || cut);
    assert_out(&o, "state 4>7");
    assert_out(&o, "exit 0");
    /* Alice does not watch bob's presence: her side may not hear of it
     * (test_session_invite covers that); she ends it herself. */
    (void)msgr_session_cancel(s, MSGR_S_OK, NULL);
    msgr_object_release(s);
    close_pair();
}

/* ---- hostile input on the session commands ---------------------------------------------- */

static int raw_connect(const char *path)
{
    int fd = unix_connect(path);
    assert_true(fd >= 0);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

typedef struct raw_wait {
    int fd;
    char buf[8192];
    size_t len;
    const char *want;
    bool closed;
} raw_wait;

static bool raw_done(void *ud)
{
    raw_wait *r = ud;
    ssize_t n = -1;
    while (r->len + 1 < sizeof r->buf &&
           (n = recv(r->fd, r->buf + r->len, sizeof r->buf - 1 - r->len, 0)) > 0)
        r->len += (size_t)n;
    if (n == 0)
        r->closed = true;
    r->buf[r->len] = '\0';
    return r->want ? strstr(r->buf, r->want) != NULL : r->closed;
}

/* Sends line (if any) and pumps bob until want arrives (or, want NULL,
 * until bob closes the connection). */
static void raw_expect(raw_wait *r, const char *line, const char *want)
{
    if (line)
        assert_int_equal(send(r->fd, line, strlen(line), MSG_NOSIGNAL), (ssize_t)strlen(line));
    r->want = want;
    pair[0] = F->b.m;
    if (!pump(pair, 1, raw_done, r, WAIT_MS)) {
        fprintf(stderr, "got: %s\n", r->buf);
        fail_msg("never got '%s'", want ? want : "(close)");
    }
}

static void test_session_commands_hostile(void **state)
{
    raw_wait r;
    char path[400], line[6000];
    (void)state;
    open_pair(&F->off, false);
    snprintf(path, sizeof path, "%s/hostile.sock", F->run);
    assert_int_equal(msgr_messenger_serve_local(F->b.m, path), MSGR_S_OK);
    memset(&r, 0, sizeof r);
    r.fd = raw_connect(path);
    raw_expect(&r, "VER 1 MSNP8 CVR0\r\nCVR 2 0x0409 linux 1.0 x86_64 T 1 MSMSGS *\r\n"
                   "USR 3 TWN I *\r\n", "USR 3 OK");
    raw_expect(&r, "SGL 4 abc\r\n", "201 4");
    raw_expect(&r, "SGL 5 0\r\n", "201 5");
    raw_expect(&r, "SGL 6 4294967295\r\n", "201 6");
    raw_expect(&r, "SGL 7 1\r\n", "216 7");  /* bob never launched pid 1 */
    raw_expect(&r, "SGL 8 1 2\r\n", "201 8");
    raw_expect(&r, "SCD 9 " GUID_APP " hello\r\n", "216 9"); /* not following it */
    raw_expect(&r, "SCD 10 {nope} hello\r\n", "201 10");
    raw_expect(&r, "SCD 11 " GUID_APP " %ZZ\r\n", "201 11");
    raw_expect(&r, "SCD 12 " GUID_APP " %01\r\n", "201 12"); /* a control character */
    raw_expect(&r, "SCN 13 " GUID_APP " 8100060G -\r\n", "201 13");
    raw_expect(&r, "SCN 14 " GUID_APP " 81000606\r\n", "201 14");
    raw_expect(&r, "SCN 15 " GUID_APP " 81000606 -\r\n", "216 15");
    raw_expect(&r, "SST 16 " GUID_APP " 4 3\r\n", "200 16"); /* a server's line */
    /* Context data far over the limit, still within a line. */
    int k = snprintf(line, sizeof line, "SCD 17 %s ", GUID_APP);
    for (int i = 0; i < 1300 && k + 8 < (int)sizeof line; i++)
        line[k++] = 'x';
    memcpy(line + k, "\r\n", 3);
    raw_expect(&r, line, "201 17");
    raw_expect(&r, "PNG\r\n", "QNG");
    /* A line over the 4096-byte bound closes the connection. */
    memset(line, 'A', 5000);
    memcpy(line, "SCD 18 ", 7);
    line[5000] = '\0';
    raw_expect(&r, line, NULL);
    assert_true(r.closed);
    close(r.fd);
    /* Bob's own session is untouched. */
    MISTATUS st = 0;
    assert_int_equal(msgr_messenger_get_my_status(F->b.m, &st), MSGR_S_OK);
    assert_int_equal(st, MISTATUS_ONLINE);
    close_pair();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_launch_not_serving),
        cmocka_unit_test(test_launch_serving_lock_and_key),
        cmocka_unit_test(test_serving_messenger_signs_out),
        cmocka_unit_test(test_session_commands_hostile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
