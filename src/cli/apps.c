/*
 * apps.c - msgr's MsgrSessionManager (apps.h): creation, the Lock and
 * Key handshake through unlock.c, and the invitations handed on.
 */
#include <string.h>

#include "apps.h"
#include "session.h"

static msgr_lock *lock_of(msgr_session_manager *mgr)
{
    msgr_lock *lock = NULL;
    return MSGR_SUCCEEDED(msgr_session_manager_get_lock(mgr, &lock)) ? lock : NULL;
}

static void unlocked(void *ud, unlock_outcome outcome)
{
    cli_apps *a = ud;
    a->last = outcome;
    a->heard = true;
    if (a->on_ready)
        a->on_ready(a->ud, outcome == UNLOCK_USABLE, unlock_reason(outcome));
}

/* ---- DMsgrSessionManagerEvents ------------------------------------------------------ */

static void ev_invitation(void *ud, msgr_session_manager *mgr, msgr_session *session,
                          const char *app_data, bool *handled)
{
    cli_apps *a = ud;
    (void)mgr;
    if (a->on_invite)
        a->on_invite(a->ud, session, app_data, handled);
}

static void ev_lock_enable(void *ud, msgr_session_manager *mgr, bool enable)
{
    unlock_on_enable(&((cli_apps *)ud)->unlock, lock_of(mgr), enable);
}

static void ev_lock_challenge(void *ud, msgr_session_manager *mgr, int32_t cookie,
                              const char *challenge)
{
    unlock_on_challenge(&((cli_apps *)ud)->unlock, lock_of(mgr), cookie, challenge);
}

static void ev_lock_result(void *ud, msgr_session_manager *mgr, int32_t cookie, bool ok)
{
    (void)mgr;
    (void)cookie;
    unlock_on_result(&((cli_apps *)ud)->unlock, ok);
}

static const msgr_session_manager_events APP_EVENTS = {
    .on_invitation = ev_invitation,
    .on_lock_enable = ev_lock_enable,
    .on_lock_challenge = ev_lock_challenge,
    .on_lock_result = ev_lock_result,
};

int apps_start(cli_apps *a, msgr_messenger *m, const char *app_id, const char *app_key,
               apps_ready_fn on_ready, apps_invite_fn on_invite, void *ud)
{
    memset(a, 0, sizeof *a);
    a->on_ready = on_ready;
    a->on_invite = on_invite;
    a->ud = ud;
    unlock_init(&a->unlock, app_id, app_key, unlocked, a);
    if (MSGR_FAILED(msgr_session_manager_create(m, &a->mgr)))
        a->mgr = NULL;
    else if (MSGR_FAILED(msgr_session_manager_advise(a->mgr, &APP_EVENTS, a, &a->cookie)))
        apps_stop(a);
    if (!a->mgr)
        unlock_free(&a->unlock);
    return a->mgr ? 0 : -1;
}

void apps_stop(cli_apps *a)
{
    if (a->mgr) {
        (void)msgr_session_manager_unadvise(a->mgr, a->cookie);
        msgr_object_release(a->mgr);
    }
    unlock_free(&a->unlock);
    memset(a, 0, sizeof *a);
}

bool apps_usable(const cli_apps *a)
{
    LockStatus st = LOCK_NOTINITIALIZED;
    msgr_lock *lock = a->mgr ? lock_of(a->mgr) : NULL;
    if (!lock || MSGR_FAILED(msgr_lock_get_status(lock, &st)))
        return false;
    return st == LOCK_UNLOCKED || st == LOCK_DISABLED;
}

const char *apps_why_not(const cli_apps *a)
{
    if (!a->mgr)
        return "out of memory";
    if (!a->heard)
        return "not signed in yet";
    return a->last == UNLOCK_USABLE ? "signed out" : unlock_reason(a->last);
}

/* ---- the scripting commands' wait ---------------------------------------------------- */

static bool decided(void *arg)
{
    const cli_apps *a = arg;
    return a->heard;
}

int apps_open(cli_apps *a, cli_session *s)
{
    const profile *p = s->prof;
    if (apps_start(a, s->m, p ? p->app_id : NULL, p ? p->app_key : NULL, NULL, NULL,
                   NULL) != 0) {
        cli_error("cannot create the session manager: out of memory");
        return CLI_FAIL;
    }
    int rc = sess_report(s, sess_wait(s, decided, a, s->timeout_ms), "Lock and Key");
    if (rc == CLI_OK && a->last != UNLOCK_USABLE) {
        cli_error("application invitations are unavailable: %s", unlock_reason(a->last));
        rc = a->last == UNLOCK_NO_KEY ? CLI_USAGE : CLI_FAIL;
    }
    if (rc != CLI_OK)
        apps_stop(a);
    return rc;
}
