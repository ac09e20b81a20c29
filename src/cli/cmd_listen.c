/*
 * cmd_listen.c - msgr listen: every event of the session as one JSON
 * object per line on standard output, until SIGINT/SIGTERM.
 *
 * Incoming conversations are accepted by libmsgr itself (it answers every
 * invitation); their messages, typing notices and reverse-list changes
 * come with the libmsgr extension events (on_im_window_message, ...).
 * MSN Alerts come through a MessengerPriv (alerts.c): "alerts" says
 * whether they are on, each one is an "alert" line. Application
 * invitations come through a MsgrSessionManager (apps.c): "invitations"
 * says whether they can arrive, each one is an "invitation" line, and its
 * end a "session_ended" line. listen answers none of them (they time out
 * unless another client of the account answers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"
#include "apps.h"
#include "json.h"
#include "names.h"
#include "session.h"

typedef struct conv {
    msgr_window *w;        /* alive while open (the messenger's table holds it) */
    long id;               /* what the JSON calls it */
} conv;

typedef struct listen_state {
    conv *convs;
    size_t nconvs;
    long next_id;
    bool announced;  /* the signin event was printed */
    MISTATUS status; /* own status last reported */
    const char *end; /* why the session ended, printed after sign-out */
    bool out_closed; /* stdout is gone: stop quietly */
} listen_state;

static listen_state g_listen;

/* ---- output ----------------------------------------------------------------------- */

static bool g_first;

static void begin(const char *event)
{
    g_first = true;
    fputc('{', stdout);
    json_member_str(stdout, &g_first, "event", event);
}

static void end(listen_state *ls)
{
    fputs("}\n", stdout);
    if (fflush(stdout) != 0 || ferror(stdout))
        ls->out_closed = true;
}

static const char *str_of(msgr_contact *c, msgr_hr (*get)(msgr_contact *, const char **))
{
    const char *v = NULL;
    return c && MSGR_SUCCEEDED(get(c, &v)) ? v : NULL;
}

static void member_contact(msgr_contact *c)
{
    json_member_str(stdout, &g_first, "contact", str_of(c, msgr_contact_get_signin_name));
    json_member_str(stdout, &g_first, "friendly_name",
                    str_of(c, msgr_contact_get_friendly_name));
}

static MISTATUS status_of(msgr_contact *c)
{
    MISTATUS st = MISTATUS_UNKNOWN;
    (void)msgr_contact_get_status(c, &st);
    return st;
}

/* ---- conversations ---------------------------------------------------------------- */

static conv *find_conv(listen_state *ls, const msgr_window *w)
{
    for (size_t i = 0; i < ls->nconvs; i++)
        if (ls->convs[i].w == w)
            return &ls->convs[i];
    return NULL;
}

static conv *add_conv(listen_state *ls, msgr_window *w)
{
    conv *t = realloc(ls->convs, (ls->nconvs + 1) * sizeof *t);
    if (!t)
        return NULL;
    ls->convs = t;
    t[ls->nconvs] = (conv){ .w = w, .id = ++ls->next_id };
    return &t[ls->nconvs++];
}

static void drop_conv(listen_state *ls, conv *cv)
{
    size_t i = (size_t)(cv - ls->convs);
    memmove(cv, cv + 1, (ls->nconvs - i - 1) * sizeof *cv);
    ls->nconvs--;
}

/* ---- events ------------------------------------------------------------------------ */

static void ev_my_status(void *ud, msgr_messenger *m, msgr_hr hr, MISTATUS st)
{
    listen_state *ls = ud;
    const char *me = NULL, *name = NULL;
    (void)hr;
    if (st == MISTATUS_OFFLINE || st >= MISTATUS_LOCAL_FINDING_SERVER ||
        (ls->announced && st == ls->status))
        return; /* transitions and repeats; the end is reported by cmd_listen */
    ls->status = st;
    (void)msgr_messenger_get_my_signin_name(m, &me);
    (void)msgr_messenger_get_my_friendly_name(m, &name);
    begin(ls->announced ? "my_status" : "signin");
    json_member_str(stdout, &g_first, "signin", me);
    json_member_str(stdout, &g_first, "friendly_name", name);
    json_member_str(stdout, &g_first, "status", status_name(st));
    end(ls);
    ls->announced = true;
}

static void ev_contact_status(void *ud, msgr_messenger *m, msgr_contact *c, MISTATUS prev)
{
    (void)m;
    begin("status");
    member_contact(c);
    json_member_str(stdout, &g_first, "status", status_name(status_of(c)));
    json_member_str(stdout, &g_first, "previous", status_name(prev));
    end(ud);
}

static void ev_name(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c, const char *prev)
{
    (void)m;
    (void)hr;
    begin("friendly_name");
    member_contact(c);
    json_member_str(stdout, &g_first, "previous", prev);
    end(ud);
}

static void ev_window_created(void *ud, msgr_messenger *m, msgr_window *w)
{
    listen_state *ls = ud;
    (void)m;
    conv *cv = add_conv(ls, w);
    if (!cv)
        return;
    begin("conversation");
    json_member_int(stdout, &g_first, "conversation", cv->id);
    end(ls);
}

static void ev_window_member(listen_state *ls, msgr_contact *c, msgr_window *w,
                             const char *what)
{
    conv *cv = find_conv(ls, w);
    if (!cv)
        return;
    begin(what);
    json_member_int(stdout, &g_first, "conversation", cv->id);
    member_contact(c);
    end(ls);
}

static void ev_joined(void *ud, msgr_messenger *m, msgr_contact *c, msgr_window *w)
{
    (void)m;
    ev_window_member(ud, c, w, "join");
}

static void ev_left(void *ud, msgr_messenger *m, msgr_contact *c, msgr_window *w)
{
    (void)m;
    ev_window_member(ud, c, w, "leave");
}

static void ev_window_destroyed(void *ud, msgr_messenger *m, msgr_window *w)
{
    listen_state *ls = ud;
    (void)m;
    conv *cv = find_conv(ls, w);
    if (!cv)
        return;
    begin("conversation_closed");
    json_member_int(stdout, &g_first, "conversation", cv->id);
    end(ls);
    drop_conv(ls, cv);
}

static void ev_message(void *ud, msgr_messenger *m, msgr_window *w, msgr_contact *from,
                       const char *text)
{
    listen_state *ls = ud;
    (void)m;
    conv *cv = find_conv(ls, w);
    if (!cv)
        return;
    begin("message");
    json_member_int(stdout, &g_first, "conversation", cv->id);
    json_member_str(stdout, &g_first, "from", str_of(from, msgr_contact_get_signin_name));
    json_member_str(stdout, &g_first, "friendly_name",
                    str_of(from, msgr_contact_get_friendly_name));
    json_member_str(stdout, &g_first, "text", text);
    end(ls);
}

static void ev_typing(void *ud, msgr_messenger *m, msgr_window *w, msgr_contact *from)
{
    listen_state *ls = ud;
    (void)m;
    conv *cv = find_conv(ls, w);
    if (!cv)
        return;
    begin("typing");
    json_member_int(stdout, &g_first, "conversation", cv->id);
    member_contact(from);
    end(ls);
}

static void ev_reverse(void *ud, msgr_messenger *m, msgr_contact *c, bool added)
{
    (void)m;
    begin(added ? "added_by" : "removed_by");
    member_contact(c);
    end(ud);
}

static void ev_list(listen_state *ls, const char *what, msgr_hr hr, msgr_contact *c)
{
    begin(what);
    member_contact(c);
    if (MSGR_FAILED(hr))
        json_member_str(stdout, &g_first, "error", hr_text(hr));
    end(ls);
}

static void ev_list_add(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c)
{
    (void)m;
    ev_list(ud, "contact_added", hr, c);
}

static void ev_list_remove(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c)
{
    (void)m;
    ev_list(ud, "contact_removed", hr, c);
}

static void ev_block(void *ud, msgr_messenger *m, msgr_hr hr, msgr_contact *c, bool blocked)
{
    (void)m;
    ev_list(ud, blocked ? "blocked" : "unblocked", hr, c);
}

static void ev_mail(void *ud, msgr_messenger *m, MUAFOLDER folder, int32_t unread,
                    bool *enable_default)
{
    (void)m;
    (void)enable_default;
    begin("mail");
    json_member_str(stdout, &g_first, "folder", folder == MUAFOLDER_INBOX ? "inbox" : "other");
    json_member_int(stdout, &g_first, "unread", (long)unread);
    end(ud);
}

static const msgr_messenger_events LISTEN_EVENTS = {
    .on_my_status_change = ev_my_status,
    .on_contact_status_change = ev_contact_status,
    .on_contact_friendly_name_change = ev_name,
    .on_im_window_created = ev_window_created,
    .on_im_window_contact_added = ev_joined,
    .on_im_window_contact_removed = ev_left,
    .on_im_window_destroyed = ev_window_destroyed,
    .on_contact_list_add = ev_list_add,
    .on_contact_list_remove = ev_list_remove,
    .on_contact_block_change = ev_block,
    .on_unread_email_change = ev_mail,
    .on_im_window_message = ev_message,
    .on_im_window_typing = ev_typing,
    .on_contact_reverse_list_change = ev_reverse,
};

/* ---- alerts (alerts.c) ---------------------------------------------------------------- */

static void on_alert(void *ud, const char *text, const char *url)
{
    begin("alert");
    json_member_str(stdout, &g_first, "text", text);
    json_member_str(stdout, &g_first, "url", url);
    end(ud);
}

static void on_alert_note(void *ud, bool ok, const char *note)
{
    begin("alerts");
    json_member_str(stdout, &g_first, "state", ok ? "on" : "unavailable");
    if (!ok)
        json_member_str(stdout, &g_first, "reason", note);
    end(ud);
}

/* ---- application invitations (apps.c) --------------------------------------------------- */

#define SESSIONS_MAX 64

/* The invitations being followed (referenced), released at the end. */
static msgr_session *g_sessions[SESSIONS_MAX];
static size_t g_nsessions;

static const char *session_str(msgr_session *s, msgr_hr (*get)(msgr_session *, const char **))
{
    const char *v = NULL;
    return MSGR_SUCCEEDED(get(s, &v)) ? v : NULL;
}

static void on_session_end(void *ud, msgr_session *session, msgr_hr hr, const char *data)
{
    begin("session_ended");
    json_member_str(stdout, &g_first, "session", session_str(session, msgr_session_get_session_id));
    json_member_str(stdout, &g_first, "application",
                    session_str(session, msgr_session_get_application));
    json_member_str(stdout, &g_first, "result", session_result_word(hr));
    json_member_str(stdout, &g_first, "text", session_result_text(hr));
    if (data && *data)
        json_member_str(stdout, &g_first, "data", data);
    end(ud);
}

static const msgr_session_events SESSION_EVENTS = { .on_termination = on_session_end };

/* Followed so its end is printed too (sessions are borrowed here). */
static void follow_session(msgr_session *session)
{
    uint32_t cookie = 0;
    if (g_nsessions == SESSIONS_MAX ||
        MSGR_FAILED(msgr_session_advise(session, &SESSION_EVENTS, &g_listen, &cookie)))
        return;
    msgr_object_addref(session);
    g_sessions[g_nsessions++] = session;
}

static void on_invitation(void *ud, msgr_session *session, const char *app_data, bool *handled)
{
    msgr_contact *from = NULL;
    (void)handled; /* not answered here: another manager may take it */
    (void)msgr_session_get_user(session, &from);
    begin("invitation");
    json_member_str(stdout, &g_first, "session", session_str(session, msgr_session_get_session_id));
    member_contact(from);
    json_member_str(stdout, &g_first, "application",
                    session_str(session, msgr_session_get_application));
    json_member_str(stdout, &g_first, "name",
                    session_str(session, msgr_session_get_application_name));
    json_member_str(stdout, &g_first, "url", session_str(session, msgr_session_get_application_url));
    json_member_str(stdout, &g_first, "data", app_data);
    end(ud);
    follow_session(session);
}

static void on_apps_ready(void *ud, bool ok, const char *why)
{
    begin("invitations");
    json_member_str(stdout, &g_first, "state", ok ? "on" : "unavailable");
    if (!ok)
        json_member_str(stdout, &g_first, "reason", why);
    end(ud);
}

static void release_sessions(void)
{
    while (g_nsessions > 0)
        msgr_object_release(g_sessions[--g_nsessions]); /* their sinks go with them */
}

/* ---- the command --------------------------------------------------------------------- */

/* Called after every process(): stop if standard output went away. */
static bool listen_step(void *arg)
{
    listen_state *ls = arg;
    return ls->out_closed;
}

static cli_alerts g_alerts;
static cli_apps g_apps;

static int listen_job(cli_session *s, cli_ctx *ctx)
{
    (void)ctx;
    const profile *p = s->prof;
    /* Best effort: listening works without alerts. */
    (void)alerts_start(&g_alerts, s->m, p ? p->app_id : NULL, p ? p->app_key : NULL,
                       on_alert, on_alert_note, &g_listen);
    (void)apps_start(&g_apps, s->m, p ? p->app_id : NULL, p ? p->app_key : NULL,
                     on_apps_ready, on_invitation, &g_listen);
    sess_result r = sess_wait(s, listen_step, &g_listen, -1);
    release_sessions(); /* before sign-out releases the messenger */
    apps_stop(&g_apps);
    alerts_stop(&g_alerts);
    if (r == SESS_DONE)
        return CLI_OK; /* standard output closed: nobody is listening */
    bool requested = r == SESS_SIGNAL;
    g_listen.end = requested ? "signal" : r == SESS_OFFLINE ? hr_text(s->end_hr)
                                                            : "event loop failure";
    return requested ? CLI_OK : sess_report(s, r, "events");
}

int cmd_listen(cli_ctx *ctx)
{
    int rc = sess_run_advised(ctx, listen_job, &LISTEN_EVENTS, &g_listen);
    if (g_listen.end && !g_listen.out_closed) {
        begin("signout");
        json_member_str(stdout, &g_first, "reason", g_listen.end);
        end(&g_listen);
    }
    while (g_listen.nconvs > 0)
        drop_conv(&g_listen, &g_listen.convs[g_listen.nconvs - 1]);
    free(g_listen.convs);
    return rc;
}
