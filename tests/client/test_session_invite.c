/*
 * test_session_invite.c - Session Invite between two libmsgr messengers
 * through a real msgrd (api-scope.md 5.15-5.19, 6.2): both managers
 * unlocked with the Lock and Key handshake, the registry events on every
 * manager, invite / accept / decline / cancel with the OnStateChanged
 * sequences on both sides, the guard results, context data both ways and
 * its limits, timeouts on either side, an application missing on the
 * invitee, the launch of a registered program (launch_probe) with its
 * environment, the BeforeAppLaunch veto, a launch that fails,
 * GetLaunchingSession, InviteApp, an unreachable contact, closing the
 * window, a locked manager, and a deployment with Lock and Key off
 * (sign-out ending sessions, OnAppShutdown at release). Finally a scripted
 * switchboard in this test sends hostile invitations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "msnp_invite.h"
#include "msnp_parser.h"
#include "msnp_status.h"
#include "msnp_write.h"

#define APP_ID "msgr-test-app"
#define APP_KEY "secret-key"
#define WAIT_MS 15000

#define GUID_APP "{7A1E2B3C-4D5E-4F60-8172-93A4B5C6D7E8}"
#define GUID_APP_LOWER "{7a1e2b3c-4d5e-4f60-8172-93a4b5c6d7e8}"
#define GUID_MISSING "{11111111-2222-4333-8444-555555555555}" /* not on bob's side */
#define GUID_BROKEN "{22222222-3333-4444-8555-666666666666}"  /* cannot be executed */
#define GUID_EXTRA "{33333333-4444-4555-8666-777777777777}"
#define APP_NAME "Probe"
#define APP_URL "https://example.com/probe"

static const char *const users[] = {
    "alice@example.com", "pw-alice", "bob@example.com", "pw-bob",
    "carol@example.com", "pw-carol", "dave@example.com", "pw-dave",
    "erin@example.com", "pw-erin", "heidi@example.com", "pw-heidi", NULL };
static const char *const apps[] = { APP_ID, APP_KEY, NULL };

/* ---- recorders ------------------------------------------------------------------ */

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

static const char *state_name(SESSION_STATE s)
{
    static const char *const names[] = { "UNKNOWN", "READY", "INVITATION", "ACCEPTED",
                                         "CONNECTED", "CANCELLED", "DECLINED",
                                         "TERMINATED" };
    return (unsigned)s < 8 ? names[s] : "?";
}

typedef struct side side;

/* A session manager with its own recorder. The primary manager of a side
 * takes every invitation it gets (reference, session sink). */
typedef struct tmgr {
    msgr_session_manager *g;
    msgr_lock *lock;
    recorder rec;
    char challenge[80];
    side *primary_of;
    bool handle;
    uint32_t cookie;
} tmgr;

struct side {
    const char *name;
    msgr_messenger *m;
    recorder *rec;           /* messenger events */
    recorder *srec;          /* session events */
    tmgr *mgr;
    msgr_session *last;      /* referenced: the newest invitation */
    bool veto;               /* BeforeAppLaunch answers false */
    uint32_t invitee_timeout;
    char cache[400];
};

static void on_state(void *ud, msgr_session *s, SESSION_STATE prev)
{
    SESSION_STATE now = SS_UNKNOWN;
    msgr_session_get_state(s, &now);
    add(((side *)ud)->srec, "state %s>%s", state_name(prev), state_name(now));
}

static void on_accepted(void *ud, msgr_session *s, const char *data)
{
    (void)s;
    add(((side *)ud)->srec, "accepted %s", data);
}

static void on_declined(void *ud, msgr_session *s, const char *data)
{
    (void)s;
    add(((side *)ud)->srec, "declined %s", data);
}

static void on_cancelled(void *ud, msgr_session *s, const char *data)
{
    (void)s;
    add(((side *)ud)->srec, "cancelled %s", data);
}

static void on_context(void *ud, msgr_session *s, const char *data)
{
    (void)s;
    add(((side *)ud)->srec, "context %.100s", data);
}

static void on_ready(void *ud, msgr_session *s)
{
    (void)s;
    add(((side *)ud)->srec, "ready");
}

static void on_before_launch(void *ud, msgr_session *s, bool *enable)
{
    side *sd = ud;
    (void)s;
    add(sd->srec, "before_launch %d", *enable);
    if (sd->veto)
        *enable = false;
}

static void on_not_present(void *ud, msgr_session *s, const char *name, const char *url)
{
    (void)s;
    add(((side *)ud)->srec, "not_present %s|%s", name, url);
}

static void on_send_error(void *ud, msgr_session *s, msgr_hr hr)
{
    (void)s;
    add(((side *)ud)->srec, "send_error %s", msgr_hr_string(hr));
}

static void on_termination(void *ud, msgr_session *s, msgr_hr hr, const char *data)
{
    (void)s;
    add(((side *)ud)->srec, "termination %s %s", msgr_hr_string(hr), data);
}

static const msgr_session_events session_events = {
    .before_app_launch = on_before_launch,
    .on_accepted = on_accepted,
    .on_app_not_present = on_not_present,
    .on_cancelled = on_cancelled,
    .on_context_data = on_context,
    .on_declined = on_declined,
    .on_ready_to_launch = on_ready,
    .on_send_error = on_send_error,
    .on_state_changed = on_state,
    .on_termination = on_termination,
};

static void on_invitation(void *ud, msgr_session_manager *g, msgr_session *s,
                          const char *data, bool *handled)
{
    tmgr *t = ud;
    side *sd = t->primary_of;
    uint32_t cookie;
    (void)g;
    add(&t->rec, "invitation %s", data);
    if (sd) {
        if (sd->last)
            msgr_object_release(sd->last);
        msgr_object_addref(s);
        sd->last = s;
        msgr_session_advise(s, &session_events, sd, &cookie);
        if (sd->invitee_timeout)
            msgr_session_set_invitation_timeout(s, sd->invitee_timeout);
    }
    *handled = t->handle;
}

static void on_registered(void *ud, msgr_session_manager *g, const char *guid)
{
    (void)g;
    add(&((tmgr *)ud)->rec, "registered %s", guid);
}

static void on_unregistered(void *ud, msgr_session_manager *g, const char *guid)
{
    (void)g;
    add(&((tmgr *)ud)->rec, "unregistered %s", guid);
}

static void on_shutdown(void *ud, msgr_session_manager *g)
{
    msgr_session *s = NULL;
    add(&((tmgr *)ud)->rec, "shutdown");
    /* The manager still answers inside the callback. */
    (void)msgr_session_manager_create_session(g, &s);
    if (s)
        msgr_object_release(s);
}

static void on_lock_challenge(void *ud, msgr_session_manager *g, int32_t cookie,
                              const char *ch)
{
    tmgr *t = ud;
    (void)g;
    snprintf(t->challenge, sizeof t->challenge, "%s", ch);
    add(&t->rec, "lock_challenge %ld", (long)cookie);
}

static void on_lock_result(void *ud, msgr_session_manager *g, int32_t cookie, bool ok)
{
    (void)g;
    add(&((tmgr *)ud)->rec, "lock_result %ld %d", (long)cookie, ok);
}

static void on_lock_enable(void *ud, msgr_session_manager *g, bool enable)
{
    (void)g;
    add(&((tmgr *)ud)->rec, "lock_enable %d", enable);
}

static void on_lock_status(void *ud, msgr_session_manager *g, LockStatus st)
{
    (void)g;
    add(&((tmgr *)ud)->rec, "lock_status %d", (int)st);
}

static const msgr_session_manager_events manager_events = {
    .on_invitation = on_invitation,
    .on_app_registered = on_registered,
    .on_app_unregistered = on_unregistered,
    .on_app_shutdown = on_shutdown,
    .on_lock_challenge = on_lock_challenge,
    .on_lock_result = on_lock_result,
    .on_lock_enable = on_lock_enable,
    .on_lock_status_changed = on_lock_status,
};

/* ---- fixture ----------------------------------------------------------------------- */

typedef struct fixture {
    msgrd d;                 /* Lock and Key on */
    msgrd off;               /* --lock-and-key=false */
    side a, b;               /* alice, bob on d */
    char probe_out[400];     /* what launch_probe writes */
    char run_dir[300];       /* XDG_RUNTIME_DIR of the launches */
    char broken[400];        /* an "executable" that exec() refuses */
} fixture;

static fixture *F;

static msgr_messenger *both[2];

static bool wait_in(msgr_messenger *const *ms, size_t n, const recorder *r,
                    const char *prefix)
{
    rec_wait w = { r, prefix };
    if (pump(ms, n, rec_wait_done, &w, WAIT_MS))
        return true;
    fprintf(stderr, "timed out waiting for '%s'\n", prefix);
    rec_dump(r, "rec");
    return false;
}

/* Waits for a line in r while both alice and bob run. */
static void expect(const recorder *r, const char *prefix)
{
    both[0] = F->a.m;
    both[1] = F->b.m;
    if (!wait_in(both, 2, r, prefix))
        fail_msg("never saw '%s'", prefix);
}

static int count(const recorder *r, const char *prefix)
{
    int n = 0;
    for (int i = rec_find(r, 0, prefix); i >= 0; i = rec_find(r, i + 1, prefix))
        n++;
    return n;
}

/* The lines appear in this order (each after the previous one). */
static void in_order(const recorder *r, const char *const *lines)
{
    int at = 0;
    for (size_t i = 0; lines[i]; i++) {
        int k = rec_find(r, at, lines[i]);
        if (k < 0) {
            rec_dump(r, "order");
            fail_msg("'%s' missing or out of order", lines[i]);
        }
        at = k + 1;
    }
}

static void settle(void)
{
    both[0] = F->a.m;
    both[1] = F->b.m;
    pump_for(both, 2, 300);
}

static tmgr *tmgr_new(msgr_messenger *m, side *primary_of)
{
    tmgr *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->primary_of = primary_of;
    assert_int_equal(msgr_session_manager_create(m, &t->g), MSGR_S_OK);
    assert_int_equal(msgr_session_manager_advise(t->g, &manager_events, t, &t->cookie),
                     MSGR_S_OK);
    assert_int_equal(msgr_session_manager_get_lock(t->g, &t->lock), MSGR_S_OK);
    return t;
}

/* A session may keep the manager alive: its sink goes first. */
static void tmgr_free(tmgr *t)
{
    msgr_session_manager_unadvise(t->g, t->cookie);
    msgr_object_release(t->g);
    free(t);
}

static LockStatus lock_status(const tmgr *t)
{
    LockStatus st = 0;
    assert_int_equal(msgr_lock_get_status(t->lock, &st), MSGR_S_OK);
    return st;
}

/* The Lock and Key handshake of api-scope.md 6.1 for one manager. */
static void unlock(msgr_messenger *m, tmgr *t, int32_t cookie)
{
    char resp[MSGR_LOCK_RESPONSE_SIZE], want[64];
    assert_true(wait_in(&m, 1, &t->rec, "lock_enable 1"));
    assert_int_equal(msgr_lock_request_challenge(t->lock, cookie), MSGR_S_OK);
    snprintf(want, sizeof want, "lock_challenge %ld", (long)cookie);
    assert_true(wait_in(&m, 1, &t->rec, want));
    assert_int_equal(msgr_lock_compute_response(t->challenge, APP_KEY, resp), MSGR_S_OK);
    assert_int_equal(msgr_lock_send_response(t->lock, APP_ID, resp, cookie), MSGR_S_OK);
    snprintf(want, sizeof want, "lock_result %ld 1", (long)cookie);
    assert_true(wait_in(&m, 1, &t->rec, want));
    assert_int_equal(lock_status(t), LOCK_UNLOCKED);
}

static void side_open(side *s, const msgrd *d, const char *tag, const char *user,
                      const char *pw)
{
    msgr_options o;
    uint32_t cookie;
    memset(s, 0, sizeof *s);
    s->name = tag;
    s->rec = calloc(1, sizeof *s->rec);
    s->srec = calloc(1, sizeof *s->srec);
    assert_true(s->rec && s->srec);
    msgrd_options(d, tag, &o, s->cache, sizeof s->cache);
    assert_int_equal(msgr_messenger_create(&o, &s->m), MSGR_S_OK);
    assert_int_equal(msgr_messenger_advise(s->m, &recorder_events, s->rec, &cookie),
                     MSGR_S_OK);
    s->mgr = tmgr_new(s->m, s);
    assert_true(signin_and_wait(&s->m, 1, s->m, s->rec, user, pw));
}

static void side_close(side *s)
{
    if (s->last)
        msgr_object_release(s->last);
    /* The messenger first: its release raises OnAppShutdown on the
     * manager's sink, whose recorder must still be there. */
    if (s->m)
        msgr_object_release(s->m);
    if (s->mgr)
        tmgr_free(s->mgr);
    rec_release_window(s->rec);
    free(s->rec);
    free(s->srec);
}

static void reg(tmgr *t, const char *guid, const char *path)
{
    assert_int_equal(msgr_session_manager_register_application(t->g, guid, APP_NAME,
                                                               APP_URL, path, 0),
                     MSGR_S_OK);
}

static void write_broken_program(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("this is not a program\n", f);
    fclose(f);
    assert_int_equal(chmod(path, 0755), 0);
}

static int setup(void **state)
{
    static fixture f;
    msgrd_cfg on = { .apps = apps };
    msgrd_cfg off = { .lock_and_key_off = true };
    memset(&f, 0, sizeof f);
    F = &f;
    if (!msgrd_start_cfg(&f.d, users, &on))
        return -1;
    if (!msgrd_start_cfg(&f.off, users, &off)) {
        msgrd_stop(&f.d);
        return -1;
    }
    snprintf(f.probe_out, sizeof f.probe_out, "%s/probe.out", f.d.dir);
    /* A launch serves local mode for the program: under a runtime
     * directory of this test, not the user's. */
    snprintf(f.run_dir, sizeof f.run_dir, "%s/run", f.d.dir);
    if (mkdir(f.run_dir, 0700) != 0 || setenv("XDG_RUNTIME_DIR", f.run_dir, 1) != 0)
        return -1;
    snprintf(f.broken, sizeof f.broken, "%s/broken-app", f.d.dir);
    setenv("MSGR_PROBE_OUT", f.probe_out, 1);
    unsetenv("MSGR_SESSION_ID");
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

/* Alice and bob signed in with unlocked managers and the applications
 * registered (the first test that needs them opens them). */
static void need_pair(void)
{
    static bool open;
    if (open) {
        rec_clear(F->a.srec);
        rec_clear(F->b.srec);
        rec_clear(&F->a.mgr->rec);
        rec_clear(&F->b.mgr->rec);
        F->a.veto = F->b.veto = true;
        F->a.invitee_timeout = F->b.invitee_timeout = 0;
        F->b.mgr->handle = false;
        return;
    }
    open = true;
    side_open(&F->a, &F->d, "alice", "alice@example.com", "pw-alice");
    side_open(&F->b, &F->d, "bob", "bob@example.com", "pw-bob");
    unlock(F->a.m, F->a.mgr, 1001);
    unlock(F->b.m, F->b.mgr, 2002);
    write_broken_program(F->broken);
    reg(F->a.mgr, GUID_APP, MSGR_LAUNCH_PROBE);
    reg(F->a.mgr, GUID_MISSING, MSGR_LAUNCH_PROBE);
    reg(F->a.mgr, GUID_BROKEN, F->broken);
    reg(F->b.mgr, GUID_APP, MSGR_LAUNCH_PROBE);
    reg(F->b.mgr, GUID_BROKEN, F->broken);
    settle();
    need_pair(); /* clears the recorders */
}

static void close_pair(void)
{
    side_close(&F->a);
    side_close(&F->b);
}

static msgr_contact *contact_of(msgr_messenger *m, const char *name)
{
    msgr_contact *c = NULL;
    assert_int_equal(msgr_messenger_get_contact(m, name, MSGR_SERVICE_ID_MSNP, &c),
                     MSGR_S_OK);
    return c;
}

/* A new session of alice's for guid, with alice's session sink. */
static msgr_session *new_session(const char *guid)
{
    msgr_session *s = NULL;
    uint32_t cookie;
    assert_int_equal(msgr_session_manager_create_session(F->a.mgr->g, &s), MSGR_S_OK);
    assert_int_equal(msgr_session_advise(s, &session_events, &F->a, &cookie), MSGR_S_OK);
    if (guid)
        assert_int_equal(msgr_session_set_application(s, guid), MSGR_S_OK);
    return s;
}

/* Alice invites bob; bob's primary manager takes the invitation. */
static msgr_session *invite_bob(const char *guid, const char *data)
{
    char want[600];
    msgr_session *s = new_session(guid);
    msgr_contact *bob = contact_of(F->a.m, "bob@example.com");
    assert_int_equal(msgr_session_invite(s, bob, data), MSGR_S_OK);
    snprintf(want, sizeof want, "invitation %s", data);
    expect(&F->b.mgr->rec, want);
    assert_non_null(F->b.last);
    return s;
}

static SESSION_STATE state_of(msgr_session *s)
{
    SESSION_STATE st = SS_UNKNOWN;
    assert_int_equal(msgr_session_get_state(s, &st), MSGR_S_OK);
    return st;
}

static const char *str_of(msgr_hr (*get)(msgr_session *, const char **), msgr_session *s)
{
    const char *v = NULL;
    assert_true(MSGR_SUCCEEDED(get(s, &v)));
    return v;
}

/* ---- registry and lock ----------------------------------------------------------- */

static void test_register_events_two_managers(void **state)
{
    (void)state;
    need_pair();
    tmgr *second = tmgr_new(F->a.m, NULL);
    unlock(F->a.m, second, 1003);
    rec_clear(&F->a.mgr->rec);
    assert_int_equal(msgr_session_manager_register_application(
                         second->g, "{33333333-4444-4555-8666-777777777777}", "Extra", "",
                         MSGR_LAUNCH_PROBE, 0), MSGR_S_OK);
    expect(&F->a.mgr->rec, "registered " GUID_EXTRA);
    expect(&second->rec, "registered " GUID_EXTRA);
    assert_int_equal(msgr_session_manager_register_application(
                         F->a.mgr->g, GUID_EXTRA, "Extra", "", MSGR_LAUNCH_PROBE, 0),
                     SR_APP_ALREADY_REGISTERED);
    /* Lower case is the same GUID. */
    assert_int_equal(msgr_session_manager_register_application(
                         F->a.mgr->g, GUID_APP_LOWER, "Again", "", MSGR_LAUNCH_PROBE, 0),
                     SR_APP_ALREADY_REGISTERED);
    assert_int_equal(msgr_session_manager_unregister_application(F->a.mgr->g, GUID_EXTRA),
                     MSGR_S_OK);
    expect(&F->a.mgr->rec, "unregistered " GUID_EXTRA);
    expect(&second->rec, "unregistered " GUID_EXTRA);
    assert_int_equal(msgr_session_manager_unregister_application(second->g, GUID_EXTRA),
                     SR_APP_NOT_REGISTERED);
    settle();
    assert_int_equal(count(&second->rec, "registered"), 1);
    assert_int_equal(count(&F->b.mgr->rec, "registered"), 0); /* another messenger */
    /* Applications is not implemented (erratum E14). */
    void *apps_out = (void *)1;
    assert_int_equal(msgr_session_manager_get_applications(second->g, &apps_out),
                     MSGR_E_NOTIMPL);
    assert_null(apps_out);
    assert_int_equal(msgr_session_manager_get_applications(second->g, NULL),
                     MSGR_E_INVALIDARG);
    tmgr_free(second);
}

static void test_locked_manager(void **state)
{
    (void)state;
    need_pair();
    tmgr *t = tmgr_new(F->a.m, NULL);
    msgr_session *s = (msgr_session *)1;
    void *apps_out;
    assert_true(wait_in(&F->a.m, 1, &t->rec, "lock_enable 1"));
    assert_int_equal(lock_status(t), LOCK_INITIALIZED);
    assert_true(rec_has(&t->rec, "lock_status 2"));
    assert_int_equal(msgr_session_manager_create_session(t->g, &s), MSGR_E_API_LOCKED);
    assert_null(s);
    assert_int_equal(msgr_session_manager_get_launching_session(t->g, 1, &s),
                     MSGR_E_API_LOCKED);
    assert_int_equal(msgr_session_manager_register_application(
                         t->g, GUID_EXTRA, "x", "", MSGR_LAUNCH_PROBE, 0),
                     MSGR_E_API_LOCKED);
    assert_int_equal(msgr_session_manager_unregister_application(t->g, GUID_APP),
                     MSGR_E_API_LOCKED);
    assert_int_equal(msgr_session_manager_get_applications(t->g, &apps_out),
                     MSGR_E_API_LOCKED);
    /* Pointer checks and dead objects. */
    assert_int_equal(msgr_session_manager_create(NULL, &t->g), MSGR_E_POINTER);
    assert_int_equal(msgr_session_manager_create(F->a.m, NULL), MSGR_E_POINTER);
    assert_int_equal(msgr_session_manager_create_session((msgr_session_manager *)F->a.m, &s),
                     MSGR_E_POINTER);
    assert_int_equal(msgr_session_manager_get_lock(t->g, NULL), MSGR_E_POINTER);
    assert_int_equal(msgr_session_manager_unadvise(t->g, 9999), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_manager_create_session(F->a.mgr->g, NULL),
                     MSGR_E_INVALIDARG);
    /* The unlock progresses through OnLockStatusChanged. */
    unlock(F->a.m, t, 1004);
    assert_true(rec_has(&t->rec, "lock_status 3"));
    assert_true(rec_has(&t->rec, "lock_status 4"));
    assert_int_equal(msgr_session_manager_create_session(t->g, &s), MSGR_S_OK);
    /* E42: a session's IMsgrLock is its manager's. */
    msgr_lock *view = NULL;
    assert_int_equal(msgr_session_get_lock(s, &view), MSGR_S_OK);
    assert_ptr_equal(view, t->lock);
    assert_int_equal(msgr_lock_request_challenge(view, 5), MSGR_E_API_ALREADY_UNLOCKED);
    msgr_object_release(s);
    tmgr_free(t);
}

/* ---- the session's own guards ---------------------------------------------------- */

static void test_guards(void **state)
{
    (void)state;
    need_pair();
    msgr_session *s = new_session(NULL);
    msgr_contact *bob = contact_of(F->a.m, "bob@example.com");
    msgr_contact *self = contact_of(F->a.m, "alice@example.com");
    msgr_contact *user = NULL;
    const char *v = NULL;
    long flags = 0;
    char big[MSGR_SESSION_DATA_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';

    assert_int_equal(state_of(s), SS_READY);
    assert_int_equal(msgr_session_get_flags(s, &flags), MSGR_S_OK);
    assert_int_equal(flags, SF_INVITER);
    v = str_of(msgr_session_get_session_id, s);
    assert_int_equal(strlen(v), 38);
    for (const char *p = v; *p; p++)
        assert_false(*p >= 'a' && *p <= 'z');
    assert_int_equal(msgr_session_get_application(s, &v), SR_APP_NOT_SPECIFIED);
    assert_int_equal(msgr_session_get_application_name(s, &v), SR_APP_NOT_SPECIFIED);
    assert_int_equal(msgr_session_get_user(s, &user), SR_NO_USER_INVITED);
    assert_int_equal(msgr_session_get_context_data(s, &v), MSGR_S_FALSE);
    assert_int_equal(msgr_session_get_remote_address(s, &v), MSGR_S_FALSE);
    assert_string_equal(v, "");
    assert_int_equal(msgr_session_invite(s, bob, "x"), SR_APP_NOT_SPECIFIED);

    /* Application. */
    assert_int_equal(msgr_session_set_application(s, NULL), SR_APP_NOT_SPECIFIED);
    assert_int_equal(msgr_session_set_application(s, ""), SR_APP_NOT_SPECIFIED);
    assert_int_equal(msgr_session_set_application(s, "{not-a-guid}"), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_set_application(s, GUID_APP "xxxxxxxxxx"),
                     MSGR_E_OUTOFMEMORY);
    assert_int_equal(msgr_session_set_application(s, GUID_EXTRA), SR_APP_NOT_REGISTERED);
    assert_int_equal(msgr_session_set_application(s, GUID_APP_LOWER), MSGR_S_OK);
    assert_string_equal(str_of(msgr_session_get_application, s), GUID_APP);
    assert_string_equal(str_of(msgr_session_get_application_name, s), APP_NAME);
    assert_string_equal(str_of(msgr_session_get_application_url, s), APP_URL);

    /* Invite guards. */
    assert_int_equal(msgr_session_invite(s, NULL, "x"), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_invite(s, bob, big), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_invite(s, bob, "line\r\nbreak"), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_invite(s, bob, "\xff\xfe"), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_invite(s, self, "x"), SR_INVITED_SELF);
    assert_int_equal(msgr_session_cancel(s, MSGR_S_OK, NULL), SR_SESSION_STATE_INVALID);
    assert_int_equal(msgr_session_accept(s, NULL), SR_NOT_INVITEE);
    assert_int_equal(msgr_session_decline(s, NULL), SR_NOT_INVITEE);
    assert_int_equal(msgr_session_send_context_data(s, "x"), SR_SESSION_STATE_INVALID);

    /* LocalAddress. */
    assert_int_equal(msgr_session_set_local_address(s, "1234567890123456789012345678901"),
                     MSGR_E_OUTOFMEMORY);
    assert_int_equal(msgr_session_set_local_address(s, "has space"), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_set_local_address(s, ""), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_set_local_address(s, "192.0.2.10"), MSGR_S_OK);
    assert_string_equal(str_of(msgr_session_get_local_address, s), "192.0.2.10");

    /* Out-pointers and foreign objects. */
    assert_int_equal(msgr_session_get_state(s, NULL), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_get_flags(s, NULL), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_get_user(s, NULL), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_get_session_id((msgr_session *)bob, &v), MSGR_E_POINTER);
    assert_int_equal(msgr_session_invite(NULL, bob, ""), MSGR_E_POINTER);
    assert_int_equal(msgr_session_advise(s, NULL, NULL, NULL), MSGR_E_POINTER);
    assert_int_equal(msgr_session_unadvise(s, 4242), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_set_invitation_timeout(s, 3600001), MSGR_E_INVALIDARG);

    /* Once invited, the session is no longer ready. */
    assert_int_equal(msgr_session_invite(s, bob, "guards"), MSGR_S_OK);
    assert_int_equal(msgr_session_invite(s, bob, "again"), SR_SESSION_NOT_READY);
    assert_int_equal(msgr_session_set_application(s, GUID_APP), SR_SESSION_NOT_READY);
    assert_int_equal(msgr_session_get_user(s, &user), MSGR_S_OK);
    assert_ptr_equal(user, bob);
    expect(&F->b.mgr->rec, "invitation guards");
    msgr_session *b = F->b.last;
    assert_int_equal(msgr_session_cancel(b, MSGR_S_OK, NULL), SR_NOT_INVITER);
    assert_int_equal(msgr_session_invite(b, contact_of(F->b.m, "alice@example.com"), ""),
                     SR_SESSION_NOT_READY);
    assert_int_equal(msgr_session_set_application(b, GUID_APP), SR_SESSION_NOT_READY);
    assert_int_equal(msgr_session_cancel(s, MSGR_S_OK, NULL), MSGR_S_OK);
    expect(F->b.srec, "termination");
    msgr_object_release(s);
}

/* ---- the handshake ----------------------------------------------------------------- */

static void test_invite_accept_connect(void **state)
{
    (void)state;
    need_pair();
    msgr_session *s = new_session(GUID_APP);
    msgr_contact *bob = contact_of(F->a.m, "bob@example.com");
    assert_int_equal(msgr_session_set_local_address(s, "192.0.2.1"), MSGR_S_OK);
    assert_int_equal(msgr_session_invite(s, bob, "hello bob"), MSGR_S_OK);
    assert_int_equal(state_of(s), SS_INVITATION);
    expect(&F->b.mgr->rec, "invitation hello bob");

    /* Bob's side of the invitation. */
    msgr_session *b = F->b.last;
    long flags = 0;
    msgr_contact *user = NULL;
    const char *name = NULL;
    assert_int_equal(state_of(b), SS_INVITATION);
    assert_int_equal(msgr_session_get_flags(b, &flags), MSGR_S_OK);
    assert_int_equal(flags, SF_INVITEE);
    assert_string_equal(str_of(msgr_session_get_session_id, b),
                        str_of(msgr_session_get_session_id, s));
    assert_string_equal(str_of(msgr_session_get_application, b), GUID_APP);
    assert_string_equal(str_of(msgr_session_get_application_name, b), APP_NAME);
    assert_string_equal(str_of(msgr_session_get_application_url, b), APP_URL);
    assert_string_equal(str_of(msgr_session_get_context_data, b), "hello bob");
    assert_int_equal(msgr_session_get_user(b, &user), MSGR_S_OK);
    msgr_contact_get_signin_name(user, &name);
    assert_string_equal(name, "alice@example.com");
    /* Wrong sides. */
    assert_int_equal(msgr_session_accept(s, NULL), SR_NOT_INVITEE);
    assert_int_equal(msgr_session_decline(s, NULL), SR_NOT_INVITEE);
    assert_int_equal(msgr_session_cancel(b, MSGR_S_OK, NULL), SR_NOT_INVITER);

    assert_int_equal(msgr_session_set_local_address(b, "192.0.2.2"), MSGR_S_OK);
    assert_int_equal(msgr_session_accept(b, "yes"), MSGR_S_OK);
    assert_int_equal(msgr_session_accept(b, "yes"), SR_SESSION_STATE_INVALID);
    assert_int_equal(msgr_session_decline(b, "no"), SR_SESSION_STATE_INVALID);
    expect(F->a.srec, "state ACCEPTED>CONNECTED");
    expect(F->b.srec, "state ACCEPTED>CONNECTED");
    static const char *const a_seq[] = { "state READY>INVITATION", "accepted yes",
                                         "state INVITATION>ACCEPTED",
                                         "state ACCEPTED>CONNECTED", NULL };
    static const char *const b_seq[] = { "state INVITATION>ACCEPTED", "ready",
                                         "before_launch 1", "state ACCEPTED>CONNECTED",
                                         NULL };
    in_order(F->a.srec, a_seq);
    in_order(F->b.srec, b_seq);
    assert_int_equal(state_of(s), SS_CONNECTED);
    assert_int_equal(state_of(b), SS_CONNECTED);
    assert_string_equal(str_of(msgr_session_get_remote_address, s), "192.0.2.2");
    assert_string_equal(str_of(msgr_session_get_remote_address, b), "192.0.2.1");
    assert_string_equal(str_of(msgr_session_get_context_data, s), "yes");
    assert_false(rec_has(F->a.srec, "ready")); /* the inviter's app is running */

    /* Context data both ways, and its limits. */
    char over[MSGR_SESSION_CONTEXT_MAX + 2], wide[2 * MSGR_SESSION_CONTEXT_MAX + 1];
    memset(over, 'o', sizeof over - 1);
    over[sizeof over - 1] = '\0';
    for (size_t i = 0; i < MSGR_SESSION_CONTEXT_MAX; i++)
        memcpy(wide + 2 * i, "\xc3\xa9", 2); /* 300 characters, 600 bytes */
    wide[sizeof wide - 1] = '\0';
    assert_int_equal(msgr_session_send_context_data(s, over), SR_CONTEXT_DATA_OVER_LIMIT);
    assert_int_equal(msgr_session_send_context_data(s, NULL), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_send_context_data(s, "bad\nline"), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_send_context_data(s, "ctx-1"), MSGR_S_OK);
    assert_int_equal(msgr_session_send_context_data(b, "from-bob"), MSGR_S_OK);
    expect(F->b.srec, "context ctx-1");
    expect(F->a.srec, "context from-bob");
    assert_string_equal(str_of(msgr_session_get_context_data, b), "ctx-1");
    assert_int_equal(msgr_session_send_context_data(s, "ctx-2"), MSGR_S_OK);
    assert_int_equal(msgr_session_send_context_data(s, "ctx-3"), MSGR_S_OK);
    assert_int_equal(msgr_session_send_context_data(s, "ctx-4"), MSGR_S_OK);
    assert_int_equal(msgr_session_send_context_data(s, wide), MSGR_S_OK);
    assert_int_equal(msgr_session_send_context_data(s, "ctx-6"), SR_CONTEXT_DATA_OVER_LIMIT);
    expect(F->b.srec, "context \xc3\xa9");
    assert_int_equal(count(F->b.srec, "context "), 5);

    /* The inviter ends the connected session. */
    assert_int_equal(msgr_session_cancel(s, MSGR_S_OK, "done"), MSGR_S_OK);
    assert_int_equal(state_of(s), SS_TERMINATED);
    expect(F->b.srec, "termination SR_SESSION_CANCELLED_REMOTE done");
    expect(F->a.srec, "termination SR_SESSION_CANCELLED_LOCAL done");
    assert_true(rec_has(F->b.srec, "cancelled done"));
    assert_true(rec_has(F->b.srec, "state CONNECTED>TERMINATED"));
    settle();
    assert_int_equal(count(F->a.srec, "termination"), 1);
    assert_int_equal(count(F->b.srec, "termination"), 1);
    assert_int_equal(msgr_session_send_context_data(s, "late"), SR_SESSION_STATE_INVALID);
    msgr_object_release(s);
}

static void test_decline(void **state)
{
    (void)state;
    need_pair();
    msgr_session *s = invite_bob(GUID_APP, "play?");
    assert_int_equal(msgr_session_decline(F->b.last, "no thanks"), MSGR_S_OK);
    assert_int_equal(state_of(F->b.last), SS_DECLINED);
    expect(F->a.srec, "termination SR_INVITATION_DECLINED no thanks");
    static const char *const a_seq[] = { "state READY>INVITATION", "declined no thanks",
                                         "state INVITATION>DECLINED",
                                         "termination SR_INVITATION_DECLINED", NULL };
    in_order(F->a.srec, a_seq);
    expect(F->b.srec, "termination SR_INVITATION_DECLINED no thanks");
    assert_int_equal(state_of(s), SS_DECLINED);
    assert_int_equal(msgr_session_cancel(s, MSGR_S_OK, NULL), SR_SESSION_STATE_INVALID);
    msgr_object_release(s);
}

static void test_cancel_before_accept(void **state)
{
    (void)state;
    need_pair();
    msgr_session *s = invite_bob(GUID_APP, "wait");
    assert_int_equal(msgr_session_cancel(s, MSGR_S_OK, "changed my mind"), MSGR_S_OK);
    assert_int_equal(state_of(s), SS_CANCELLED);
    expect(F->a.srec, "termination SR_CANCEL_BEFORE_CONNECT changed my mind");
    expect(F->b.srec, "termination SR_CANCEL_BEFORE_CONNECT changed my mind");
    static const char *const b_seq[] = { "cancelled changed my mind",
                                         "state INVITATION>CANCELLED", "termination", NULL };
    in_order(F->b.srec, b_seq);
    assert_int_equal(msgr_session_accept(F->b.last, NULL), SR_SESSION_STATE_INVALID);
    msgr_object_release(s);

    /* A failure code given to Cancel is the local reason. */
    rec_clear(F->a.srec);
    s = invite_bob(GUID_APP, "again");
    assert_int_equal(msgr_session_cancel(s, MSGR_E_FAIL, NULL), MSGR_S_OK);
    expect(F->a.srec, "termination MSGR_E_FAIL");
    msgr_object_release(s);
}

static void test_timeouts(void **state)
{
    (void)state;
    need_pair();
    /* The inviter gives up. */
    msgr_session *s = new_session(GUID_APP);
    assert_int_equal(msgr_session_set_invitation_timeout(s, 500), MSGR_S_OK);
    assert_int_equal(msgr_session_invite(s, contact_of(F->a.m, "bob@example.com"), "t1"),
                     MSGR_S_OK);
    expect(&F->b.mgr->rec, "invitation t1");
    expect(F->a.srec, "termination SR_SESSION_TIMEOUT");
    assert_int_equal(state_of(s), SS_TERMINATED);
    expect(F->b.srec, "termination SR_CANCEL_BEFORE_CONNECT");
    assert_true(rec_has(F->b.srec, "cancelled"));
    msgr_object_release(s);

    /* The invitee's wait runs out: both report the timeout. */
    rec_clear(F->a.srec);
    rec_clear(F->b.srec);
    F->b.invitee_timeout = 500;
    s = invite_bob(GUID_APP, "t2");
    expect(F->b.srec, "termination SR_SESSION_TIMEOUT");
    expect(F->a.srec, "termination SR_SESSION_TIMEOUT");
    assert_int_equal(state_of(F->b.last), SS_TERMINATED);
    msgr_object_release(s);
}

static void test_app_not_present(void **state)
{
    (void)state;
    need_pair();
    msgr_session *s = invite_bob(GUID_MISSING, "need it");
    assert_string_equal(str_of(msgr_session_get_application_name, F->b.last), APP_NAME);
    assert_int_equal(msgr_session_accept(F->b.last, "ok"), MSGR_S_OK);
    expect(F->b.srec, "termination SR_APPLICATION_LAUNCH_FAILED");
    static const char *const b_seq[] = { "state INVITATION>ACCEPTED",
                                         "not_present " APP_NAME "|" APP_URL,
                                         "state ACCEPTED>DECLINED",
                                         "termination SR_APPLICATION_LAUNCH_FAILED", NULL };
    in_order(F->b.srec, b_seq);
    expect(F->a.srec, "termination SR_APPLICATION_LAUNCH_FAILED");
    static const char *const a_seq[] = { "declined ", "state INVITATION>DECLINED", NULL };
    in_order(F->a.srec, a_seq);
    assert_false(rec_has(F->a.srec, "accepted"));
    msgr_object_release(s);
}

/* ---- launching -------------------------------------------------------------------------- */

static int probe_lines(char lines[][256], int max)
{
    FILE *f = fopen(F->probe_out, "r");
    int n = 0;
    if (!f)
        return 0;
    while (n < max && fgets(lines[n], 256, f))
        n++;
    fclose(f);
    return n;
}

typedef struct probe_wait {
    int want;
} probe_wait;

static bool probe_done(void *ud)
{
    char lines[8][256];
    return probe_lines(lines, 8) >= ((probe_wait *)ud)->want;
}

static void wait_probe(int want)
{
    probe_wait w = { want };
    both[0] = F->a.m;
    both[1] = F->b.m;
    if (!pump(both, 2, probe_done, &w, WAIT_MS))
        fail_msg("launch_probe did not write %d line(s)", want);
}

/* Parses "<id> <launcher> <pid> <argc> <argv0> <stdio> <leader>". */
static long parse_probe(const char *line, const char *want_id)
{
    char id[64], argv0[300], in[16], leader[16];
    long launcher = 0, pid = 0;
    int argc = 0;
    assert_int_equal(sscanf(line, "%63s %ld %ld %d %299s %15s %15s", id, &launcher, &pid,
                            &argc, argv0, in, leader), 7);
    assert_string_equal(id, want_id);
    assert_int_equal(launcher, (long)getpid());
    assert_int_equal(argc, 1);
    assert_string_equal(argv0, MSGR_LAUNCH_PROBE);
    assert_string_equal(in, "null");      /* detached from our terminal */
    assert_string_equal(leader, "leader"); /* and from its signals */
    return pid;
}

static void test_launch(void **state)
{
    (void)state;
    need_pair();
    unlink(F->probe_out);
    F->b.veto = false;
    msgr_session *s = invite_bob(GUID_APP, "launch");
    assert_int_equal(msgr_session_accept(F->b.last, NULL), MSGR_S_OK);
    expect(F->b.srec, "state ACCEPTED>CONNECTED");
    wait_probe(1);
    char lines[8][256];
    assert_int_equal(probe_lines(lines, 8), 1);
    const char *id = str_of(msgr_session_get_session_id, F->b.last);
    long pid = parse_probe(lines[0], id);

    /* GetLaunchingSession, in process: bob's manager knows the program. */
    msgr_session *found = NULL;
    assert_int_equal(msgr_session_manager_get_launching_session(F->b.mgr->g, pid, &found),
                     MSGR_S_OK);
    assert_ptr_equal(found, F->b.last);
    assert_int_equal(msgr_session_manager_get_launching_session(F->a.mgr->g, pid, &found),
                     MSGR_E_FAIL);
    assert_null(found);
    assert_int_equal(msgr_session_manager_get_launching_session(F->b.mgr->g, 0, &found),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_manager_get_launching_session(F->b.mgr->g, pid, NULL),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_session_manager_get_launching_session(F->b.mgr->g, getpid(),
                                                                &found), MSGR_E_FAIL);
    /* Not attached: nobody else to ask, whatever the environment says
     * (test_session_launch covers a launched program asking). */
    setenv("MSGR_SESSION_ID", id, 1);
    assert_int_equal(msgr_session_manager_get_launching_session(F->b.mgr->g, getpid(),
                                                                &found), MSGR_E_FAIL);
    unsetenv("MSGR_SESSION_ID");
    assert_int_equal(msgr_session_cancel(s, MSGR_S_OK, NULL), MSGR_S_OK);
    expect(F->b.srec, "termination");
    msgr_object_release(s);

    /* BeforeAppLaunch says no: the session connects, nothing starts. */
    rec_clear(F->a.srec);
    rec_clear(F->b.srec);
    F->b.veto = true;
    s = invite_bob(GUID_APP, "no launch");
    assert_int_equal(msgr_session_accept(F->b.last, NULL), MSGR_S_OK);
    expect(F->b.srec, "state ACCEPTED>CONNECTED");
    expect(F->a.srec, "state ACCEPTED>CONNECTED");
    settle();
    assert_int_equal(probe_lines(lines, 8), 1);
    assert_int_equal(msgr_session_cancel(s, MSGR_S_OK, NULL), MSGR_S_OK);
    msgr_object_release(s);
}

static void test_launch_fails(void **state)
{
    (void)state;
    need_pair();
    F->b.veto = false;
    msgr_session *s = invite_bob(GUID_BROKEN, "broken");
    assert_int_equal(msgr_session_accept(F->b.last, NULL), MSGR_S_OK);
    expect(F->b.srec, "termination SR_APPLICATION_LAUNCH_FAILED");
    static const char *const b_seq[] = { "ready", "before_launch 1",
                                         "state ACCEPTED>TERMINATED", NULL };
    in_order(F->b.srec, b_seq);
    expect(F->a.srec, "termination SR_APPLICATION_LAUNCH_FAILED");
    msgr_object_release(s);
}

static void test_invite_app(void **state)
{
    (void)state;
    need_pair();
    msgr_conversation *w = NULL, *im = NULL;
    msgr_contact *bob = contact_of(F->a.m, "bob@example.com");
    unlink(F->probe_out);
    assert_int_equal(msgr_messenger_invite_app(F->a.m, bob, GUID_APP, NULL),
                     MSGR_E_RPC_X_NULL_REF_POINTER);
    assert_int_equal(msgr_messenger_invite_app(F->a.m, bob, "", &w), MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_invite_app(F->a.m, bob, "7A1E2B3C", &w),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_invite_app(F->a.m, bob, GUID_EXTRA, &w),
                     MSGR_E_INVALIDARG);
    assert_int_equal(msgr_messenger_invite_app(F->a.m, contact_of(F->a.m,
                                                                  "alice@example.com"),
                                               GUID_APP, &w), MSGR_E_FAIL);
    assert_int_equal(msgr_messenger_invite_app(NULL, bob, GUID_APP, &w), MSGR_E_POINTER);
    assert_int_equal(msgr_messenger_invite_app(F->a.m, bob, GUID_APP_LOWER, &w), MSGR_S_OK);
    assert_non_null(w);
    assert_int_equal(msgr_messenger_instant_message(F->a.m, bob, &im), MSGR_S_OK);
    assert_ptr_equal(w, im); /* the conversation window is reused */
    expect(&F->b.mgr->rec, "invitation ");
    F->b.veto = false;
    assert_int_equal(msgr_session_accept(F->b.last, NULL), MSGR_S_OK);
    /* Started from Messenger: the program starts on both sides. */
    wait_probe(2);
    char lines[8][256];
    assert_int_equal(probe_lines(lines, 8), 2);
    const char *id = str_of(msgr_session_get_session_id, F->b.last);
    long p1 = parse_probe(lines[0], id), p2 = parse_probe(lines[1], id);
    msgr_session *found = NULL;
    bool a_found = msgr_session_manager_get_launching_session(F->a.mgr->g, p1, &found) ==
                   MSGR_S_OK ||
                   msgr_session_manager_get_launching_session(F->a.mgr->g, p2, &found) ==
                   MSGR_S_OK;
    assert_true(a_found);
    assert_non_null(found);
    assert_string_equal(str_of(msgr_session_get_session_id, found), id);
    msgr_lock *l = NULL;
    assert_int_equal(msgr_session_get_lock(found, &l), MSGR_E_FAIL); /* no manager */
    assert_int_equal(msgr_session_cancel(found, MSGR_S_OK, NULL), MSGR_S_OK);
    expect(F->b.srec, "termination SR_SESSION_CANCELLED_REMOTE");
}

/* ---- delivery problems, windows ------------------------------------------------------- */

static void test_unreachable_contact(void **state)
{
    (void)state;
    need_pair();
    msgr_session *s = new_session(GUID_APP);
    /* carol never signs in: the switchboard cannot ring her. */
    assert_int_equal(msgr_session_invite(s, contact_of(F->a.m, "carol@example.com"), "hi"),
                     MSGR_S_OK);
    expect(F->a.srec, "send_error SR_INVITATION_SEND_FAILURE");
    assert_int_equal(state_of(s), SS_INVITATION);
    /* Nobody to tell: the cancel still ends the session here. */
    assert_int_equal(msgr_session_cancel(s, MSGR_S_OK, NULL), MSGR_S_OK);
    expect(F->a.srec, "termination SR_CANCEL_BEFORE_CONNECT");
    static const char *const seq[] = { "send_error SR_INVITATION_SEND_FAILURE",
                                       "send_error SR_CANCEL_SEND_FAILURE",
                                       "state INVITATION>CANCELLED", "termination", NULL };
    in_order(F->a.srec, seq);
    msgr_object_release(s);
}

static void test_window_close_ends_sessions(void **state)
{
    (void)state;
    need_pair();
    msgr_session *s = invite_bob(GUID_APP, "closing");
    assert_int_equal(msgr_session_accept(F->b.last, NULL), MSGR_S_OK);
    expect(F->a.srec, "state ACCEPTED>CONNECTED");
    msgr_conversation *w = NULL;
    assert_int_equal(msgr_messenger_instant_message(F->a.m,
                                                    contact_of(F->a.m, "bob@example.com"),
                                                    &w), MSGR_S_OK);
    assert_int_equal(msgr_window_close(w), MSGR_S_OK);
    expect(F->a.srec, "termination SR_SESSION_CANCELLED_LOCAL");
    assert_int_equal(state_of(s), SS_TERMINATED);
    expect(F->b.srec, "termination SR_SESSION_CANCELLED_REMOTE");
    assert_int_equal(state_of(F->b.last), SS_TERMINATED);
    msgr_object_release(s);
}

/* Several managers: creation order, handled, locked ones left out. */
static void test_invitation_offer(void **state)
{
    (void)state;
    need_pair();
    tmgr *second = tmgr_new(F->b.m, NULL);
    tmgr *locked_one = tmgr_new(F->b.m, NULL);
    unlock(F->b.m, second, 2003);
    assert_true(wait_in(&F->b.m, 1, &locked_one->rec, "lock_enable 1"));
    F->b.mgr->handle = true;
    msgr_session *s = invite_bob(GUID_APP, "first");
    settle();
    assert_false(rec_has(&second->rec, "invitation"));
    assert_false(rec_has(&locked_one->rec, "invitation"));
    msgr_lock *l = NULL;
    assert_int_equal(msgr_session_get_lock(F->b.last, &l), MSGR_S_OK);
    assert_ptr_equal(l, F->b.mgr->lock); /* owned by the one that handled it */
    assert_int_equal(msgr_session_decline(F->b.last, NULL), MSGR_S_OK);
    msgr_object_release(s);

    F->b.mgr->handle = false;
    second->handle = true;
    s = invite_bob(GUID_APP, "second");
    expect(&second->rec, "invitation second");
    assert_int_equal(msgr_session_get_lock(F->b.last, &l), MSGR_S_OK);
    assert_ptr_equal(l, second->lock);
    tmgr_free(second); /* the session keeps its owner alive */
    assert_int_equal(msgr_session_decline(F->b.last, NULL), MSGR_S_OK);
    msgr_object_release(s);
    assert_false(rec_has(&locked_one->rec, "invitation"));
    tmgr_free(locked_one);
}

/* ---- Lock and Key off; sign-out; release ---------------------------------------------- */

static void test_lock_disabled_signout_release(void **state)
{
    (void)state;
    need_pair();
    close_pair(); /* this test uses its own messengers */
    side d, e;
    msgr_messenger *de[2];
    side_open(&d, &F->off, "dave", "dave@example.com", "pw-dave");
    side_open(&e, &F->off, "erin", "erin@example.com", "pw-erin");
    de[0] = d.m;
    de[1] = e.m;
    assert_true(wait_in(de, 2, &d.mgr->rec, "lock_enable 0"));
    assert_true(wait_in(de, 2, &e.mgr->rec, "lock_enable 0"));
    assert_int_equal(lock_status(d.mgr), LOCK_DISABLED);
    reg(d.mgr, GUID_APP, MSGR_LAUNCH_PROBE);
    reg(e.mgr, GUID_APP, MSGR_LAUNCH_PROBE);
    e.veto = true;
    /* Erin watches dave's presence (so she sees him sign out). */
    assert_int_equal(msgr_messenger_add_contact(e.m, 0, "dave@example.com"), MSGR_S_OK);
    assert_true(wait_in(de, 2, e.rec, "list_add MSGR_S_OK dave@example.com"));

    msgr_session *s = NULL;
    uint32_t cookie;
    msgr_contact *erin = NULL;
    assert_int_equal(msgr_session_manager_create_session(d.mgr->g, &s), MSGR_S_OK);
    assert_int_equal(msgr_session_advise(s, &session_events, &d, &cookie), MSGR_S_OK);
    assert_int_equal(msgr_session_set_application(s, GUID_APP), MSGR_S_OK);
    assert_int_equal(msgr_messenger_get_contact(d.m, "erin@example.com",
                                                MSGR_SERVICE_ID_MSNP, &erin), MSGR_S_OK);
    assert_int_equal(msgr_session_invite(s, erin, "unlocked"), MSGR_S_OK);
    assert_true(wait_in(de, 2, &e.mgr->rec, "invitation unlocked"));
    assert_int_equal(msgr_session_accept(e.last, NULL), MSGR_S_OK);
    assert_true(wait_in(de, 2, d.srec, "state ACCEPTED>CONNECTED"));
    assert_true(wait_in(de, 2, e.srec, "state ACCEPTED>CONNECTED"));

    /* Sign-out ends the running session on both sides. */
    assert_int_equal(msgr_messenger_signout(d.m), MSGR_S_OK);
    assert_true(wait_in(de, 2, d.srec, "termination SR_SESSION_CANCELLED_LOCAL"));
    assert_true(wait_in(de, 2, e.srec, "termination SR_SESSION_CANCELLED_REMOTE"));
    assert_true(wait_in(de, 2, d.rec, "signout"));
    msgr_session *none = NULL;
    assert_int_equal(msgr_session_manager_create_session(d.mgr->g, &none),
                     MSGR_E_API_LOCKED);
    /* Sign-out relocked the manager, and its sessions with it (E42). */
    assert_int_equal(msgr_session_set_local_address(s, "192.0.2.9"), MSGR_E_API_LOCKED);
    msgr_object_release(s);

    /* Releasing the messenger: OnAppShutdown, then the manager is dead. */
    msgr_session_manager *g = d.mgr->g;
    msgr_object_addref(g);
    msgr_object_release(d.m);
    d.m = NULL;
    assert_true(rec_has(&d.mgr->rec, "shutdown"));
    msgr_session *dead = NULL;
    assert_int_equal(msgr_session_manager_create_session(g, &dead), MSGR_E_FAIL);
    msgr_object_release(g);
    side_close(&d);
    side_close(&e);
}

/* ---- hostile invitations from a scripted service ------------------------------------- */

/* One listening socket and one connection, speaking the server side of
 * MSNP with the codec's writers. */
typedef struct fake {
    int lfd, fd;
    char addr[64];
    msnp_parser *parser;
    msnp_buf out;
} fake;

static void fake_open(fake *f)
{
    struct sockaddr_in a = { 0 };
    socklen_t len = sizeof a;
    memset(f, 0, sizeof *f);
    f->fd = -1;
    f->lfd = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(f->lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(f->lfd, 4), 0);
    assert_int_equal(getsockname(f->lfd, (struct sockaddr *)&a, &len), 0);
    fcntl(f->lfd, F_SETFL, O_NONBLOCK);
    snprintf(f->addr, sizeof f->addr, "127.0.0.1:%d", ntohs(a.sin_port));
    msnp_parser_config cfg = { 0 };
    cfg.direction = MSNP_FROM_CLIENT;
    f->parser = msnp_parser_new(&cfg);
    msnp_buf_init(&f->out);
}

static void fake_close(fake *f)
{
    if (f->fd >= 0)
        close(f->fd);
    close(f->lfd);
    msnp_parser_free(f->parser);
    msnp_buf_free(&f->out);
}

/* Accepts, flushes, and hands every complete command to answer(). */
static void fake_step(fake *f, void (*answer)(void *, const msnp_cmd *), void *ud)
{
    char buf[4096];
    ssize_t n;
    if (f->fd < 0) {
        f->fd = accept(f->lfd, NULL, NULL);
        if (f->fd < 0)
            return;
        fcntl(f->fd, F_SETFL, O_NONBLOCK);
    }
    while ((n = recv(f->fd, buf, sizeof buf, 0)) > 0) {
        msnp_cmd c;
        msnp_parser_feed(f->parser, buf, (size_t)n);
        while (msnp_parser_next(f->parser, &c) == 1)
            answer(ud, &c);
    }
    while (f->out.len) {
        ssize_t w = send(f->fd, f->out.data, f->out.len, MSG_NOSIGNAL);
        if (w <= 0)
            break;
        memmove(f->out.data, f->out.data + w, f->out.len - (size_t)w);
        msnp_buf_truncate(&f->out, f->out.len - (size_t)w);
    }
}

typedef struct hostile {
    fake ns, sb;
    msgr_messenger *m;
    recorder *rec;
    side sd;                 /* heidi's recorders and manager */
    bool rang;
    bool in_sb;              /* ANS OK sent */
    bool sb_out;             /* heidi sent OUT: the switchboard closes */
    bool sb_deaf;            /* ... unless this is set */
    char cancels[64][48];    /* Cancel-Code (or "ACCEPT") of each reply, by cookie */
    uint32_t cancel_cookie[64];
    int ncancels;
} hostile;

static void ns_answer(void *ud, const msnp_cmd *c)
{
    hostile *h = ud;
    msnp_buf *o = &h->ns.out;
    uint32_t t = c->has_trid ? c->trid : 0;
    if (strcmp(c->code, "VER") == 0)
        msnp_write_ver_reply(o, t, MSNP_DIALECT_MSNP8, true);
    else if (strcmp(c->code, "CVR") == 0)
        msnp_write_cvr_reply(o, t, "1.0", "1.0", "1.0", "http://x/", "http://x/");
    else if (strcmp(c->code, "USR") == 0 && c->nparams >= 2 && strcmp(c->params[1], "I") == 0)
        msnp_write_usr_twn_s(o, t, "lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fm,ct=1,kpp=1,"
                                   "kv=5,ver=2.1.0173.1,tpf=0123456789abcdef0123456789abcdef");
    else if (strcmp(c->code, "USR") == 0)
        msnp_write_usr_ok(o, t, "heidi@example.com", "Heidi", true, false);
    else if (strcmp(c->code, "SYN") == 0)
        msnp_write_syn_reply_long(o, t, 1, 0, 0);
    else if (strcmp(c->code, "CHG") == 0)
        msnp_write_chg(o, t, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN, true, 0, NULL);
    else if (strcmp(c->code, "LKS") == 0)
        msnp_write_cmd(o, "LKS", t, "0", (const char *)NULL); /* Lock and Key off */
    else if (strcmp(c->code, "XFR") == 0)
        msnp_write_error(o, 913, t); /* no new switchboard: nobody to reach */
}

static void sb_answer(void *ud, const msnp_cmd *c)
{
    hostile *h = ud;
    msnp_buf *o = &h->sb.out;
    uint32_t t = c->has_trid ? c->trid : 0;
    msnp_invite inv;
    if (strcmp(c->code, "ANS") == 0) {
        msnp_write_iro(o, t, 1, 2, "eve@example.com", "Eve");
        msnp_write_iro(o, t, 2, 2, "mallory@example.com", "Mallory");
        msnp_write_ans_ok(o, t);
        h->in_sb = true;
    } else if (strcmp(c->code, "OUT") == 0) {
        h->sb_out = true; /* a switchboard closes the session after OUT */
    } else if (strcmp(c->code, "MSG") == 0 && h->ncancels < 64 &&
               msnp_invite_parse(c->payload, c->payload_len, &inv) == MSNP_OK) {
        const char *what = inv.command == MSNP_INVITE_CMD_CANCEL && inv.cancel_text
                               ? inv.cancel_text
                               : msnp_invite_command_name(inv.command);
        snprintf(h->cancels[h->ncancels], sizeof h->cancels[0], "%s", what ? what : "?");
        h->cancel_cookie[h->ncancels++] = inv.cookie;
        msnp_invite_free(&inv);
    }
}

static bool hostile_step(void *ud)
{
    hostile *h = ud;
    fake_step(&h->ns, ns_answer, h);
    if (h->sb.lfd)
        fake_step(&h->sb, sb_answer, h);
    if (h->sb_out && !h->sb_deaf && h->sb.fd >= 0) {
        close(h->sb.fd);
        h->sb.fd = -1;
        h->sb_out = false;
    }
    return false;
}

typedef struct hwait {
    hostile *h;
    const recorder *r;
    const char *prefix;
} hwait;

static bool hwait_done(void *ud)
{
    hwait *w = ud;
    hostile_step(w->h);
    return w->r && rec_has(w->r, w->prefix);
}

static void hexpect(hostile *h, const recorder *r, const char *prefix)
{
    hwait w = { h, r, prefix };
    if (!pump(&h->m, 1, hwait_done, &w, WAIT_MS)) {
        rec_dump(r, "heidi");
        fail_msg("never saw '%s'", prefix);
    }
}

static void hpump(hostile *h, int ms)
{
    hwait w = { h, NULL, "" };
    pump(&h->m, 1, hwait_done, &w, ms);
}

/* Sends one invitation payload to heidi from who. */
static void hsend(hostile *h, const char *who, const char *fields)
{
    char payload[8192];
    int n = snprintf(payload, sizeof payload,
                     "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; "
                     "charset=UTF-8\r\n\r\n%s\r\n", fields);
    assert_true(n > 0 && (size_t)n < sizeof payload);
    assert_int_equal(msnp_write_msg_server(&h->sb.out, who, "X", payload, (size_t)n),
                     MSNP_OK);
}

static const char *reply_for(const hostile *h, uint32_t cookie)
{
    for (int i = h->ncancels - 1; i >= 0; i--)
        if (h->cancel_cookie[i] == cookie)
            return h->cancels[i];
    return NULL;
}

#define INV(cookie, extra) \
    "Application-Name: Game\r\nApplication-GUID: " GUID_APP "\r\n" \
    "Session-Protocol: SM1\r\nInvitation-Command: INVITE\r\nInvitation-Cookie: " \
    cookie "\r\nSession-ID: {0F6C3B3A-1E2D-4C5B-9A8F-7E6D5C4B3A29}\r\n" extra

static void hostile_signin(hostile *h)
{
    msgr_options o;
    uint32_t cookie;
    memset(h, 0, sizeof *h);
    fake_open(&h->ns);
    h->rec = calloc(1, sizeof *h->rec);
    h->sd.rec = h->rec; /* side_close() frees it */
    h->sd.srec = calloc(1, sizeof *h->sd.srec);
    assert_true(h->rec && h->sd.srec);
    msgrd_options(&F->d, "heidi", &o, h->sd.cache, sizeof h->sd.cache);
    o.server = h->ns.addr;
    assert_int_equal(msgr_messenger_create(&o, &h->m), MSGR_S_OK);
    assert_int_equal(msgr_messenger_advise(h->m, &recorder_events, h->rec, &cookie),
                     MSGR_S_OK);
    h->sd.m = h->m;
    h->sd.veto = true;
    h->sd.mgr = tmgr_new(h->m, &h->sd);
    assert_int_equal(msgr_messenger_signin(h->m, 0, "heidi@example.com", "pw-heidi"),
                     MSGR_S_OK);
    hexpect(h, &h->sd.mgr->rec, "lock_enable 0");
    /* heidi's registry outlives one test: register once. */
    msgr_hr hr = msgr_session_manager_register_application(h->sd.mgr->g, GUID_APP, APP_NAME,
                                                           APP_URL, MSGR_LAUNCH_PROBE, 0);
    assert_true(hr == MSGR_S_OK || hr == SR_APP_ALREADY_REGISTERED);
    /* Eve calls: RNG to the scripted switchboard. */
    fake_open(&h->sb);
    msnp_write_rng(&h->ns.out, 11752013, h->sb.addr, "1.2.3", "eve@example.com", "Eve");
    hexpect(h, h->rec, "win_contact_added");
    while (!h->in_sb)
        hpump(h, 50);
}

static void test_hostile_invitations(void **state)
{
    (void)state;
    hostile *h = calloc(1, sizeof *h);
    assert_non_null(h);
    hostile_signin(h);
    recorder *mr = &h->sd.mgr->rec;

    /* Malformed: answered "not installed", never offered. */
    hsend(h, "eve@example.com", "Application-Name: X\r\nInvitation-Command: INVITE\r\n"
                                "Invitation-Cookie: 101\r\n");
    hsend(h, "eve@example.com", "Application-GUID: {xyz}\r\nInvitation-Command: INVITE\r\n"
                                "Invitation-Cookie: 102\r\n");
    hsend(h, "eve@example.com",
          "Application-GUID: " GUID_APP "\r\nInvitation-Command: INVITE\r\n"
          "Invitation-Cookie: 103\r\nSession-ID: not-a-guid\r\n");
    char big[2000];
    snprintf(big, sizeof big,
             "Application-GUID: " GUID_APP "\r\nInvitation-Command: INVITE\r\n"
             "Invitation-Cookie: 104\r\nContext-Data: %0600d\r\n", 7);
    hsend(h, "eve@example.com", big);
    /* Unparseable (no cookie): ignored. */
    hsend(h, "eve@example.com", "Application-GUID: " GUID_APP "\r\nInvitation-Command: INVITE\r\n");
    /* Sound, legacy (no Session-Protocol, no Session-ID), bad UTF-8 name. */
    hsend(h, "eve@example.com",
          "Application-Name: \xff\xfe\r\nApplication-GUID: " GUID_APP "\r\n"
          "Invitation-Command: INVITE\r\nInvitation-Cookie: 105\r\nContext-Data: legacy\r\n");
    hexpect(h, mr, "invitation legacy");
    long flags = 0;
    assert_int_equal(msgr_session_get_flags(h->sd.last, &flags), MSGR_S_OK);
    assert_int_equal(flags, SF_INVITEE | SF_APP_INVITE_COMPATIBLE);
    assert_string_equal(str_of(msgr_session_get_application_name, h->sd.last), "");
    assert_int_equal(strlen(str_of(msgr_session_get_session_id, h->sd.last)), 38);
    msgr_session *legacy = h->sd.last;
    msgr_object_addref(legacy);
    /* The same INVITE again is a repeat. */
    hsend(h, "eve@example.com",
          "Application-GUID: " GUID_APP "\r\nInvitation-Command: INVITE\r\n"
          "Invitation-Cookie: 105\r\nContext-Data: legacy\r\n");
    /* A "confirmation" before we accepted: protocol error, CANCEL FAIL. */
    hsend(h, "eve@example.com", INV("106", "Context-Data: confused\r\n"));
    hexpect(h, mr, "invitation confused");
    msgr_session *confused = h->sd.last;
    msgr_object_addref(confused);
    /* Mallory cannot cancel or confirm eve's invitation (cookie 106). */
    hsend(h, "mallory@example.com",
          "Invitation-Command: CANCEL\r\nInvitation-Cookie: 106\r\nCancel-Code: TIMEOUT\r\n");
    hsend(h, "eve@example.com", "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 106\r\n");
    hexpect(h, h->sd.srec, "termination SR_SESSION_PROTOCOL_ERROR");
    assert_false(rec_has(h->sd.srec, "cancelled"));
    /* Replies to unknown cookies and context data out of place: ignored. */
    hsend(h, "eve@example.com", "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 999\r\n");
    hsend(h, "eve@example.com",
          "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 105\r\n"
          "Context-Data-Sequence: 1\r\nContext-Data: early\r\n");
    hpump(h, 500);

    assert_string_equal(reply_for(h, 101), "REJECT_NOT_INSTALLED");
    assert_string_equal(reply_for(h, 102), "REJECT_NOT_INSTALLED");
    assert_string_equal(reply_for(h, 103), "REJECT_NOT_INSTALLED");
    assert_string_equal(reply_for(h, 104), "REJECT_NOT_INSTALLED");
    assert_null(reply_for(h, 105));
    assert_string_equal(reply_for(h, 106), "FAIL");
    assert_null(reply_for(h, 999));
    assert_int_equal(count(mr, "invitation"), 2);
    assert_false(rec_has(h->sd.srec, "context"));

    /* A flood: at most 64 running sessions, the rest "not installed". */
    for (int i = 0; i < 70; i++) {
        char fields[600], ck[16];
        snprintf(ck, sizeof ck, "%d", 2000 + i);
        snprintf(fields, sizeof fields,
                 "Application-GUID: " GUID_APP "\r\nInvitation-Command: INVITE\r\n"
                 "Invitation-Cookie: %s\r\nContext-Data: flood\r\n", ck);
        hsend(h, "eve@example.com", fields);
    }
    hpump(h, 1500);
    int rejected = 0;
    for (int i = 0; i < 70; i++) {
        const char *r = reply_for(h, (uint32_t)(2000 + i));
        rejected += r && strcmp(r, "REJECT_NOT_INSTALLED") == 0;
    }
    assert_int_equal(count(mr, "invitation flood"), 63); /* 105 still runs */
    assert_int_equal(rejected, 7);

    /* The legacy session connects, but a peer without Session-Protocol
     * SM1 cannot take context data. */
    assert_int_equal(msgr_session_accept(legacy, "ok"), MSGR_S_OK);
    hpump(h, 300);
    assert_string_equal(reply_for(h, 105), "ACCEPT");
    hsend(h, "eve@example.com",
          "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 105\r\n"
          "IP-Address: 192.0.2.7\r\nLaunch-Application: TRUE\r\n");
    hexpect(h, h->sd.srec, "state ACCEPTED>CONNECTED");
    assert_int_equal(msgr_session_send_context_data(legacy, "hello"),
                     SR_NOT_VALID_FOR_APP_INVITE);
    msgr_object_release(legacy);

    msgr_object_release(confused);
    side_close(&h->sd); /* releases heidi's messenger and recorders too */
    fake_close(&h->ns);
    fake_close(&h->sb);
    free(h);
}

/* Messages that cannot reach the peer any more: eve and mallory leave
 * heidi's switchboard and the service gives no new one (XFR -> 913), so
 * what heidi's sessions send next raises OnSendError. */
static void test_send_failures(void **state)
{
    (void)state;
    hostile *h = calloc(1, sizeof *h);
    assert_non_null(h);
    hostile_signin(h);
    recorder *mr = &h->sd.mgr->rec;
    h->sd.veto = true; /* connect without starting the probe */

    hsend(h, "eve@example.com", INV("301", "Context-Data: first\r\n"));
    hexpect(h, mr, "invitation first");
    msgr_session *connected = h->sd.last;
    msgr_object_addref(connected);
    assert_int_equal(msgr_session_accept(connected, NULL), MSGR_S_OK);
    hsend(h, "eve@example.com",
          "Invitation-Command: ACCEPT\r\nInvitation-Cookie: 301\r\n"
          "IP-Address: 192.0.2.7\r\nLaunch-Application: TRUE\r\n");
    hexpect(h, h->sd.srec, "state ACCEPTED>CONNECTED");
    hsend(h, "eve@example.com",
          "Application-Name: Game\r\nApplication-GUID: " GUID_APP "\r\n"
          "Session-Protocol: SM1\r\nInvitation-Command: INVITE\r\nInvitation-Cookie: 302\r\n"
          "Session-ID: {1F6C3B3A-1E2D-4C5B-9A8F-7E6D5C4B3A29}\r\nContext-Data: second\r\n");
    hexpect(h, mr, "invitation second");
    msgr_session *offered = h->sd.last;
    msgr_object_addref(offered);

    /* This switchboard keeps the session open after heidi's OUT: her
     * window gives up waiting (5 s) before it looks for a new one. */
    h->sb_deaf = true;
    assert_int_equal(msnp_write_bye(&h->sb.out, "mallory@example.com", false), MSNP_OK);
    assert_int_equal(msnp_write_bye(&h->sb.out, "eve@example.com", false), MSNP_OK);
    hexpect(h, h->rec, "win_contact_removed eve@example.com");

    rec_clear(h->sd.srec);
    assert_int_equal(msgr_session_send_context_data(connected, "anyone?"), MSGR_S_OK);
    hexpect(h, h->sd.srec, "send_error SR_CONTEXT_DATA_SEND_FAILURE");
    assert_int_equal(msgr_session_accept(offered, NULL), MSGR_S_OK);
    hexpect(h, h->sd.srec, "send_error SR_ACCEPT_SEND_FAILURE");
    /* The state is unchanged by a send error. */
    SESSION_STATE st = SS_UNKNOWN;
    assert_int_equal(msgr_session_get_state(connected, &st), MSGR_S_OK);
    assert_int_equal(st, SS_CONNECTED);
    assert_int_equal(msgr_session_get_state(offered, &st), MSGR_S_OK);
    assert_int_equal(st, SS_ACCEPTED);

    msgr_object_release(connected);
    msgr_object_release(offered);
    side_close(&h->sd);
    fake_close(&h->ns);
    fake_close(&h->sb);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register_events_two_managers),
        cmocka_unit_test(test_locked_manager),
        cmocka_unit_test(test_guards),
        cmocka_unit_test(test_invite_accept_connect),
        cmocka_unit_test(test_decline),
        cmocka_unit_test(test_cancel_before_accept),
        cmocka_unit_test(test_timeouts),
        cmocka_unit_test(test_app_not_present),
        cmocka_unit_test(test_launch),
        cmocka_unit_test(test_launch_fails),
        cmocka_unit_test(test_invite_app),
        cmocka_unit_test(test_unreachable_contact),
        cmocka_unit_test(test_window_close_ends_sessions),
        cmocka_unit_test(test_invitation_offer),
        cmocka_unit_test(test_hostile_invitations),
        cmocka_unit_test(test_send_failures),
        cmocka_unit_test(test_lock_disabled_signout_release),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
