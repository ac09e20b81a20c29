/*
 * cmd_invite.c - msgr invite USER GUID [--data TEXT]: one Session Invite
 * from a script.
 *
 * What success means: USER accepted and the inviter's side of the set-up
 * went through (SS_CONNECTED here). The invitee starts its program only
 * when our confirmation reaches it, so after SS_CONNECTED we stay a
 * little while (STAY_MS) for that message to leave and for a launch
 * failure on the other side to come back (it ends the session with
 * SR_APPLICATION_LAUNCH_FAILED). Signing out then ends the session here;
 * the program on the other side keeps running.
 *
 * The wait for the answer has no bound of our own: a person may take a
 * while, and libmsgr ends an unanswered invitation after its invitation
 * timeout (2 minutes) with SR_SESSION_TIMEOUT; our loop is only a
 * backstop after that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applist.h"
#include "apps.h"
#include "names.h"
#include "session.h"

#define STAY_MS 2000
#define BACKSTOP_MS (MSGR_SESSION_TIMEOUT_DEFAULT_MS * 2 + 10000)

typedef struct invite_state {
    const char *user;
    char guid[APP_GUID_LEN + 1];
    char name[MSGR_APP_NAME_MAX + 1];
    msgr_session *session;  /* referenced */
    SESSION_STATE state;
    bool connected;         /* reached SS_CONNECTED: USER accepted, set-up done */
    bool ended;
    msgr_hr result;         /* of on_termination */
    msgr_hr send_error;     /* of on_send_error, MSGR_S_OK if none */
} invite_state;

/* ---- DMsgrSessionEvents ---------------------------------------------------------------- */

static void ev_state(void *ud, msgr_session *session, SESSION_STATE prev)
{
    invite_state *st = ud;
    (void)prev;
    (void)msgr_session_get_state(session, &st->state);
    st->connected |= st->state == SS_CONNECTED;
}

static void ev_termination(void *ud, msgr_session *session, msgr_hr hr, const char *data)
{
    invite_state *st = ud;
    (void)data;
    (void)msgr_session_get_state(session, &st->state);
    st->ended = true;
    st->result = hr;
}

static void ev_send_error(void *ud, msgr_session *session, msgr_hr hr)
{
    invite_state *st = ud;
    (void)session;
    if (hr == SR_INVITATION_SEND_FAILURE || hr == SR_ACCEPT_SEND_FAILURE)
        st->send_error = hr; /* the state stays: we give up ourselves */
}

static const msgr_session_events INVITE_EVENTS = {
    .on_state_changed = ev_state,
    .on_termination = ev_termination,
    .on_send_error = ev_send_error,
};

/* ---- waiting ------------------------------------------------------------------------------ */

static bool answered(void *arg)
{
    invite_state *st = arg;
    return st->ended || st->connected || st->send_error != MSGR_S_OK;
}

static bool ended(void *arg)
{
    return ((invite_state *)arg)->ended;
}

static int outcome(const invite_state *st)
{
    if (st->send_error != MSGR_S_OK && !st->ended)
        cli_error("the invitation could not be delivered to %s (offline, or blocking you)",
                  st->user);
    else if (st->result == SR_INVITATION_DECLINED)
        cli_error("%s declined the invitation to %s", st->user, st->name);
    else if (st->result == SR_APPLICATION_LAUNCH_FAILED && st->state == SS_DECLINED)
        cli_error("%s does not have %s installed", st->user, st->name);
    else if (st->result == SR_APPLICATION_LAUNCH_FAILED)
        cli_error("%s could not be started on %s's side", st->name, st->user);
    else if (st->result == SR_SESSION_TIMEOUT)
        cli_error("%s did not answer the invitation to %s in time", st->user, st->name);
    else
        cli_error("the invitation to %s ended: %s", st->name, session_result_text(st->result));
    return CLI_FAIL;
}

static int follow(cli_session *s, invite_state *st)
{
    sess_result r = sess_wait(s, answered, st, BACKSTOP_MS);
    if (r == SESS_SIGNAL && !st->ended) {
        (void)msgr_session_cancel(st->session, MSGR_S_OK, NULL);
        (void)sess_settle(s, 300); /* let the cancel reach the invitee */
        cli_error("interrupted: the invitation was cancelled");
        return CLI_FAIL;
    }
    if (r != SESS_DONE)
        return sess_report(s, r, "the answer");
    if (!st->connected) /* ended, or undeliverable, before USER accepted */
        return outcome(st);
    if (!st->ended)
        r = sess_wait(s, ended, st, STAY_MS); /* SESS_TIMEOUT: nothing went wrong */
    if (st->ended && st->result == SR_APPLICATION_LAUNCH_FAILED)
        return outcome(st); /* the other side could not start it */
    return r == SESS_TIMEOUT || r == SESS_DONE ? CLI_OK : sess_report(s, r, "the set-up");
}

/* ---- the invitation ------------------------------------------------------------------------ */

static const char *g_data = NULL;

static msgr_hr start(cli_session *s, cli_apps *a, invite_state *st, msgr_contact *c,
                     uint32_t *cookie)
{
    const char *name = NULL;
    msgr_hr hr = msgr_session_manager_create_session(a->mgr, &st->session);
    if (MSGR_SUCCEEDED(hr))
        hr = msgr_session_set_application(st->session, st->guid);
    if (MSGR_SUCCEEDED(hr) &&
        MSGR_SUCCEEDED(msgr_session_get_application_name(st->session, &name)) && name)
        snprintf(st->name, sizeof st->name, "%s", name);
    if (MSGR_SUCCEEDED(hr))
        hr = msgr_session_advise(st->session, &INVITE_EVENTS, st, cookie);
    if (MSGR_SUCCEEDED(hr))
        hr = msgr_session_invite(st->session, c, g_data);
    (void)s;
    return hr;
}

static int invite_contact(cli_session *s, cli_apps *a, invite_state *st, msgr_contact *c)
{
    uint32_t cookie = 0;
    bool self = false;
    (void)msgr_contact_get_is_self(c, &self);
    if (self) {
        cli_error("you cannot invite yourself");
        return CLI_USAGE;
    }
    msgr_hr hr = start(s, a, st, c, &cookie);
    int rc = CLI_FAIL;
    if (MSGR_FAILED(hr))
        cli_error("cannot invite %s to %s: %s", st->user, st->name[0] ? st->name : st->guid,
                  session_error_text(hr));
    else
        rc = follow(s, st);
    if (st->session) {
        (void)msgr_session_unadvise(st->session, cookie);
        msgr_object_release(st->session);
        st->session = NULL;
    }
    return rc;
}

static invite_state g_invite;

static int invite_job(cli_session *s, cli_ctx *ctx)
{
    cli_apps a;
    msgr_hr hr;
    (void)ctx;
    int rc = apps_open(&a, s);
    if (rc != CLI_OK)
        return rc;
    msgr_contact *c = sess_contact(s, g_invite.user, true, &hr);
    if (!c) {
        cli_error("%s: %s", g_invite.user, hr_text(hr));
        rc = CLI_FAIL;
    } else {
        rc = invite_contact(s, &a, &g_invite, c);
        msgr_object_release(c);
    }
    apps_stop(&a);
    return rc;
}

/* The data travels as one MSNP field: no control characters but tab. */
static bool data_ok(const char *d)
{
    for (const char *p = d; *p; p++)
        if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
            return false;
    return strlen(d) <= MSGR_SESSION_DATA_MAX;
}

int cmd_invite(cli_ctx *ctx)
{
    memset(&g_invite, 0, sizeof g_invite);
    g_invite.user = ctx->pos[0];
    if (!cli_valid_signin(ctx->pos[0])) {
        cli_error("'%s' is not a sign-in name (name@domain)", ctx->pos[0]);
        return CLI_USAGE;
    }
    if (!app_guid_parse(ctx->pos[1], g_invite.guid)) {
        cli_error("'%s' is not an application GUID ({XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX})",
                  ctx->pos[1]);
        return CLI_USAGE;
    }
    g_data = ctx->data ? ctx->data : "";
    if (!data_ok(g_data)) {
        cli_error("--data: at most %d bytes, no control characters but tab",
                  MSGR_SESSION_DATA_MAX);
        return CLI_USAGE;
    }
    return sess_run(ctx, invite_job);
}
