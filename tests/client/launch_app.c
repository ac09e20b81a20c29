/*
 * launch_app.c - a real Session Invite application for
 * test_session_launch: libmsgr starts it when bob accepts alice's
 * invitation, and it does what such a program does, in its own process,
 * with the public API only:
 *
 *   attach to the messenger that launched it (MSGR_LOCAL_SOCKET), create
 *   a MsgrSessionManager, try GetLaunchingSession while still locked,
 *   unlock (Lock and Key when LAUNCH_APP_LOCK="<app-id> <key>" is set,
 *   else wait for LOCK_DISABLED), GetLaunchingSession(getpid()) and
 *   GetLaunchingSession(1), send LAUNCH_APP_SEND as context data, wait
 *   for the peer's answer, and with LAUNCH_APP_MODE=shutdown wait on for
 *   OnAppShutdown.
 *
 * Every step appends one line to the file LAUNCH_APP_OUT (flushed, so
 * that the test can follow); the last line is "exit <status>". Every
 * wait is bounded.
 */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msgr/msgr.h"

#define WAIT_MS 15000
#define MAX_FDS 64

typedef struct app {
    FILE *out;
    msgr_messenger *m;
    msgr_session_manager *g;
    msgr_lock *lock;
    bool online, signin_failed;
    LockStatus lock_status;
    bool lock_enabled_seen, lock_result_seen, lock_ok;
    char challenge[80];
    char context[400];
    bool got_context, terminated, shutdown;
} app;

static void note(app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(app *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(a->out, fmt, ap);
    va_end(ap);
    fputc('\n', a->out);
    fflush(a->out);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs the messenger until *flag or the time is up. */
static bool wait_for(app *a, const bool *flag, int timeout_ms)
{
    int64_t end = now_ms() + timeout_ms;
    while (!*flag && now_ms() < end) {
        msgr_pollfd want[MAX_FDS];
        struct pollfd p[MAX_FDS];
        size_t n = 0;
        int t = 0;
        msgr_messenger_fds(a->m, want, MAX_FDS, &n);
        n = n > MAX_FDS ? MAX_FDS : n;
        for (size_t i = 0; i < n; i++) {
            p[i].fd = want[i].fd;
            p[i].events = want[i].events;
            p[i].revents = 0;
        }
        msgr_messenger_timeout_ms(a->m, &t);
        if (t < 0 || t > 100)
            t = 100;
        (void)poll(p, (nfds_t)n, t);
        msgr_messenger_process(a->m);
    }
    return *flag;
}

/* ---- messenger and manager events -------------------------------------------------- */

static void on_my_status(void *ud, msgr_messenger *m, msgr_hr hr, MISTATUS st)
{
    app *a = ud;
    (void)m;
    if (MSGR_SUCCEEDED(hr) && st == MISTATUS_ONLINE)
        a->online = true;
    if (MSGR_FAILED(hr))
        a->signin_failed = true;
}

static void on_shutdown(void *ud, msgr_session_manager *g)
{
    app *a = ud;
    (void)g;
    note(a, "shutdown");
    a->shutdown = true;
}

static void on_lock_enable(void *ud, msgr_session_manager *g, bool enable)
{
    app *a = ud;
    (void)g;
    a->lock_enabled_seen = enable;
}

static void on_lock_challenge(void *ud, msgr_session_manager *g, int32_t cookie,
                              const char *challenge)
{
    app *a = ud;
    (void)g;
    (void)cookie;
    snprintf(a->challenge, sizeof a->challenge, "%s", challenge);
}

static void on_lock_result(void *ud, msgr_session_manager *g, int32_t cookie, bool ok)
{
    app *a = ud;
    (void)g;
    (void)cookie;
    a->lock_ok = ok;
    a->lock_result_seen = true;
}

static void on_lock_status(void *ud, msgr_session_manager *g, LockStatus st)
{
    (void)g;
    ((app *)ud)->lock_status = st;
}

/* ---- session events ---------------------------------------------------------------- */

static void on_state(void *ud, msgr_session *s, SESSION_STATE prev)
{
    SESSION_STATE now = SS_UNKNOWN;
    msgr_session_get_state(s, &now);
    note(ud, "state %d>%d", (int)prev, (int)now);
}

static void on_context(void *ud, msgr_session *s, const char *data)
{
    app *a = ud;
    const char *cd = NULL;
    msgr_session_get_context_data(s, &cd);
    note(a, "context %s|%s", data, cd ? cd : "?");
    snprintf(a->context, sizeof a->context, "%s", data);
    a->got_context = true;
}

static void on_termination(void *ud, msgr_session *s, msgr_hr hr, const char *data)
{
    app *a = ud;
    (void)s;
    note(a, "termination %s %s", msgr_hr_string(hr), data);
    a->terminated = true;
}

/* ---- steps ------------------------------------------------------------------------------- */

static bool attach(app *a)
{
    static const msgr_messenger_events mev = { .on_my_status_change = on_my_status };
    msgr_options o = { .attach = true }; /* the socket: MSGR_LOCAL_SOCKET */
    uint32_t cookie;
    if (msgr_messenger_create(&o, &a->m) != MSGR_S_OK ||
        msgr_messenger_advise(a->m, &mev, a, &cookie) != MSGR_S_OK)
        return false;
    msgr_hr hr = msgr_messenger_auto_signin(a->m);
    bool ok = MSGR_SUCCEEDED(hr) && wait_for(a, &a->online, WAIT_MS);
    note(a, "signin %d", ok);
    return ok;
}

/* Lock and Key with "<app-id> <key>", or waiting for LOCK_DISABLED. */
static bool unlock(app *a, const char *lock)
{
    char id[128], key[128], resp[MSGR_LOCK_RESPONSE_SIZE];
    if (!lock) {
        int64_t end = now_ms() + WAIT_MS;
        while (a->lock_status != LOCK_DISABLED && now_ms() < end) {
            bool never = false;
            wait_for(a, &never, 100);
        }
        return a->lock_status == LOCK_DISABLED;
    }
    if (sscanf(lock, "%127s %127s", id, key) != 2 ||
        !wait_for(a, &a->lock_enabled_seen, WAIT_MS) ||
        msgr_lock_request_challenge(a->lock, 7) != MSGR_S_OK)
        return false;
    int64_t end = now_ms() + WAIT_MS;
    while (!a->challenge[0] && now_ms() < end) {
        bool never = false;
        wait_for(a, &never, 100);
    }
    if (!a->challenge[0] || msgr_lock_compute_response(a->challenge, key, resp) != MSGR_S_OK ||
        msgr_lock_send_response(a->lock, id, resp, 7) != MSGR_S_OK)
        return false;
    return wait_for(a, &a->lock_result_seen, WAIT_MS) && a->lock_ok;
}

static bool make_manager(app *a)
{
    static const msgr_session_manager_events gev = {
        .on_app_shutdown = on_shutdown,
        .on_lock_challenge = on_lock_challenge,
        .on_lock_result = on_lock_result,
        .on_lock_enable = on_lock_enable,
        .on_lock_status_changed = on_lock_status,
    };
    uint32_t cookie;
    msgr_session *s = NULL;
    if (msgr_session_manager_create(a->m, &a->g) != MSGR_S_OK ||
        msgr_session_manager_advise(a->g, &gev, a, &cookie) != MSGR_S_OK ||
        msgr_session_manager_get_lock(a->g, &a->lock) != MSGR_S_OK)
        return false;
    /* Still locked: GetLaunchingSession must say so. */
    msgr_hr hr = msgr_session_manager_get_launching_session(a->g, (long)getpid(), &s);
    note(a, "locked %s", msgr_hr_string(hr));
    bool ok = unlock(a, getenv("LAUNCH_APP_LOCK"));
    LockStatus st = 0;
    msgr_lock_get_status(a->lock, &st);
    note(a, "unlocked %d %d", ok, (int)st);
    return ok;
}

static void describe(app *a, msgr_session *s)
{
    const char *id = "", *guid = "", *name = "", *local = "", *remote = "";
    msgr_contact *user = NULL;
    const char *signin = "";
    SESSION_STATE st = SS_UNKNOWN;
    long flags = 0;
    msgr_session_get_session_id(s, &id);
    msgr_session_get_application(s, &guid);
    msgr_session_get_application_name(s, &name);
    msgr_session_get_state(s, &st);
    msgr_session_get_flags(s, &flags);
    msgr_session_get_local_address(s, &local);
    msgr_session_get_remote_address(s, &remote);
    if (msgr_session_get_user(s, &user) == MSGR_S_OK)
        msgr_contact_get_signin_name(user, &signin);
    const char *want = getenv("MSGR_SESSION_ID");
    note(a, "session %s %s %s %d %ld %s", id, guid, name, (int)st, flags, signin);
    note(a, "addresses %s %s", local[0] ? "local" : "-", remote[0] ? "remote" : "-");
    note(a, "same %d", want && !strcmp(want, id));
}

static int run(app *a)
{
    static const msgr_session_events sev = {
        .on_state_changed = on_state,
        .on_context_data = on_context,
        .on_termination = on_termination,
    };
    msgr_session *s = NULL, *other = NULL;
    uint32_t cookie;
    if (!attach(a) || !make_manager(a))
        return 10;
    note(a, "other %s",
         msgr_hr_string(msgr_session_manager_get_launching_session(a->g, 1, &other)));
    msgr_hr hr = msgr_session_manager_get_launching_session(a->g, (long)getpid(), &s);
    note(a, "launching %s", msgr_hr_string(hr));
    if (hr != MSGR_S_OK)
        return 11;
    describe(a, s);
    msgr_object_addref(s); /* kept across process() calls */
    msgr_session_advise(s, &sev, a, &cookie);
    const char *text = getenv("LAUNCH_APP_SEND");
    note(a, "send %s", msgr_hr_string(msgr_session_send_context_data(s, text ? text : "hi")));
    bool got = wait_for(a, &a->got_context, WAIT_MS);
    const char *mode = getenv("LAUNCH_APP_MODE");
    if (got && mode && !strcmp(mode, "shutdown")) {
        note(a, "waiting");
        got = wait_for(a, &a->shutdown, WAIT_MS) && wait_for(a, &a->terminated, WAIT_MS);
    }
    msgr_object_release(s);
    return got ? 0 : 12;
}

int main(void)
{
    app a;
    memset(&a, 0, sizeof a);
    const char *path = getenv("LAUNCH_APP_OUT");
    if (!path || !(a.out = fopen(path, "a")))
        return 2;
    note(&a, "start %d", getenv("MSGR_LOCAL_SOCKET") != NULL);
    int rc = run(&a);
    if (a.g)
        msgr_object_release(a.g);
    if (a.m)
        msgr_object_release(a.m);
    note(&a, "exit %d", rc);
    fclose(a.out);
    return rc;
}
