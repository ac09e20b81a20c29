/*
 * ui_apps.c - application invitations (Session Invite) in the interactive
 * client: the accept / decline question for an incoming invitation (like
 * a file offer), inviting the person of a conversation to an application
 * (Ctrl-L), cancelling our invitation (Ctrl-X), and every step and result
 * as a line in the conversation and a note in the status bar.
 *
 * libmsgr does the work (msgr/msgr_session.h): on Accept it starts the
 * registered program itself (OnReadyToLaunch, BeforeAppLaunch) or, when
 * the application is not registered here, reports OnAppNotPresent and
 * declines. This file keeps a referenced handle on each session it shows;
 * finished ones are let go from invites_tick(), outside libmsgr's
 * callbacks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "applist.h"
#include "names.h"
#include "ui.h"

#define INVITES_MAX 32
#define PICK_MAX (MODAL_OPTIONS_MAX - 1) /* registered apps in the menu, + "Other" */

typedef struct invite {
    ui *u;
    msgr_session *s;    /* referenced */
    uint32_t cookie;    /* our sink on it */
    bool incoming, asked, over;
    char app[MSGR_APP_NAME_MAX + 1];
    char peer[160];     /* friendly name */
    char signin[160];
} invite;

typedef struct invite_list {
    invite *items[INVITES_MAX];
    int n;
} invite_list;

static invite_list *list_of(ui *u)
{
    if (!u->invites)
        u->invites = calloc(1, sizeof(invite_list));
    return u->invites;
}

static invite *find(ui *u, const void *s)
{
    invite_list *l = list_of(u);
    for (int i = 0; l && i < l->n; i++)
        if (l->items[i]->s == s)
            return l->items[i];
    return NULL;
}

/* The conversation tab with that person (a live one first), or NULL. */
static ui_conv *tab_of(ui *u, const char *signin)
{
    ui_conv *ended = NULL;
    for (int i = 0; i < u->nconv; i++) {
        ui_conv *cv = u->convs[i];
        if (!cv->peer || strcasecmp(cv->peer, signin) != 0)
            continue;
        if (cv->w)
            return cv;
        ended = ended ? ended : cv;
    }
    return ended;
}

/* A line in the person's conversation and the same words in the status bar. */
static void tell(invite *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void tell(invite *x, const char *fmt, ...)
{
    char line[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ui_conv *cv = tab_of(x->u, x->signin);
    if (cv)
        conv_add_line(x->u, cv, LINE_INFO, NULL, line);
    ui_note(x->u, "%s", line);
}

/* ---- DMsgrSessionEvents --------------------------------------------------------------------- */

static void ev_accepted(void *ud, msgr_session *s, const char *data)
{
    invite *x = ud;
    (void)s;
    (void)data;
    tell(x, "%s accepted the invitation to %s", x->peer, x->app);
}

static void ev_not_present(void *ud, msgr_session *s, const char *name, const char *url)
{
    invite *x = ud;
    (void)s;
    if (url && *url)
        tell(x, "%s is not installed here; get it at %s", name, url);
    else
        tell(x, "%s is not installed here", name);
}

static void ev_ready(void *ud, msgr_session *s)
{
    invite *x = ud;
    (void)s;
    tell(x, "Starting %s", x->app);
}

static void ev_send_error(void *ud, msgr_session *s, msgr_hr hr)
{
    invite *x = ud;
    (void)s;
    if (hr == SR_INVITATION_SEND_FAILURE)
        tell(x, "The invitation to %s could not be delivered to %s", x->app, x->peer);
}

/* The end, in words that say who did what. */
static void ev_end(void *ud, msgr_session *s, msgr_hr hr, const char *data)
{
    invite *x = ud;
    SESSION_STATE st = SS_UNKNOWN;
    (void)data;
    (void)msgr_session_get_state(s, &st);
    x->over = true;
    x->u->dirty = true;
    if (hr == SR_INVITATION_DECLINED && x->incoming)
        tell(x, "You declined the invitation to %s", x->app);
    else if (hr == SR_INVITATION_DECLINED)
        tell(x, "%s declined the invitation to %s", x->peer, x->app);
    else if (hr == SR_APPLICATION_LAUNCH_FAILED && st == SS_DECLINED && !x->incoming)
        tell(x, "%s does not have %s installed", x->peer, x->app);
    else if (hr == SR_APPLICATION_LAUNCH_FAILED && st == SS_DECLINED)
        return; /* OnAppNotPresent said it already */
    else if (hr == SR_APPLICATION_LAUNCH_FAILED)
        tell(x, "%s could not be started", x->app);
    else if (hr == SR_SESSION_TIMEOUT)
        tell(x, "The invitation to %s timed out: nobody answered in time", x->app);
    else if (hr == SR_CANCEL_BEFORE_CONNECT)
        tell(x, "%s cancelled the invitation to %s", x->incoming ? x->peer : "You", x->app);
    else if (hr == SR_SESSION_CANCELLED_REMOTE)
        tell(x, "%s with %s ended: %s ended it", x->app, x->peer, x->peer);
    else
        tell(x, "%s with %s ended: %s", x->app, x->peer, session_result_text(hr));
}

static const msgr_session_events INVITE_EVENTS = {
    .on_accepted = ev_accepted,
    .on_app_not_present = ev_not_present,
    .on_ready_to_launch = ev_ready,
    .on_send_error = ev_send_error,
    .on_termination = ev_end,
};

/* ---- the list ---------------------------------------------------------------------------------- */

static void forget(invite *x)
{
    (void)msgr_session_unadvise(x->s, x->cookie);
    msgr_object_release(x->s);
    free(x);
}

static void names_of(invite *x)
{
    msgr_contact *c = NULL;
    const char *v = NULL;
    if (MSGR_SUCCEEDED(msgr_session_get_application_name(x->s, &v)) && v && *v)
        snprintf(x->app, sizeof x->app, "%s", v);
    else if (MSGR_SUCCEEDED(msgr_session_get_application(x->s, &v)) && v)
        snprintf(x->app, sizeof x->app, "%s", v);
    if (MSGR_FAILED(msgr_session_get_user(x->s, &c)) || !c)
        return;
    if (MSGR_SUCCEEDED(msgr_contact_get_signin_name(c, &v)) && v)
        snprintf(x->signin, sizeof x->signin, "%s", v);
    if (MSGR_SUCCEEDED(msgr_contact_get_friendly_name(c, &v)) && v && *v)
        snprintf(x->peer, sizeof x->peer, "%s", v);
    else
        snprintf(x->peer, sizeof x->peer, "%s", x->signin);
}

/* Keeps a session (borrowed from an event, or ours) and follows it. */
static invite *track(ui *u, msgr_session *s, bool incoming)
{
    invite_list *l = list_of(u);
    invite *x = l && l->n < INVITES_MAX ? calloc(1, sizeof *x) : NULL;
    if (!x)
        return NULL;
    *x = (invite){ .u = u, .s = s, .incoming = incoming };
    if (MSGR_FAILED(msgr_session_advise(s, &INVITE_EVENTS, x, &x->cookie))) {
        free(x);
        return NULL;
    }
    msgr_object_addref(s); /* events lend it only until the next process() */
    names_of(x);
    l->items[l->n++] = x;
    return x;
}

void invites_tick(ui *u)
{
    invite_list *l = u->invites;
    for (int i = 0; l && i < l->n;) {
        if (!l->items[i]->over) {
            i++;
            continue;
        }
        forget(l->items[i]);
        memmove(&l->items[i], &l->items[i + 1], (size_t)(l->n - i - 1) * sizeof *l->items);
        l->n--;
    }
}

/* ---- the session manager ---------------------------------------------------------------------- */

static void on_ready(void *ud, bool ok, const char *why)
{
    /* Locked without keys stays quiet (Ctrl-L says why); a refusal is news. */
    if (!ok && strcmp(why, unlock_reason(UNLOCK_NO_KEY)) != 0)
        ui_note(ud, "Application invitations are unavailable: %s", why);
}

static void on_invitation(void *ud, msgr_session *s, const char *data, bool *handled)
{
    ui *u = ud;
    invite *x = track(u, s, true);
    (void)data;
    if (!x)
        return; /* left unanswered: it times out */
    *handled = true;
    ui_conv *cv = tab_of(u, x->signin);
    char line[600];
    snprintf(line, sizeof line, "%s invites you to %s.", x->peer, x->app);
    if (cv)
        conv_add_line(u, cv, LINE_INFO, NULL, line);
    invites_ask_next(u, false);
}

void invites_start(ui *u, const char *app_id, const char *app_key)
{
    /* best effort, like alerts: the client works without invitations */
    (void)apps_start(&u->apps, u->m, app_id, app_key, on_ready, on_invitation, u);
}

void invites_stop(ui *u)
{
    invite_list *l = u->invites;
    for (int i = 0; l && i < l->n; i++)
        forget(l->items[i]);
    free(l);
    u->invites = NULL;
    apps_stop(&u->apps); /* before its messenger goes */
}

/* ---- answering ---------------------------------------------------------------------------------- */

static void done_answer(ui *u, int choice, const char *text, const char *arg)
{
    void *s = NULL;
    invite *x = sscanf(arg, "%p", &s) == 1 ? find(u, s) : NULL;
    (void)text;
    if (!x || x->over || choice < 0)
        return; /* Esc: decide later (F6) */
    msgr_hr hr = choice == 0 ? msgr_session_accept(x->s, NULL) : msgr_session_decline(x->s, NULL);
    if (MSGR_FAILED(hr))
        ui_note(u, "Cannot answer the invitation to %s: %s", x->app, session_error_text(hr));
    else if (choice == 0)
        ui_note(u, "Accepted the invitation to %s...", x->app);
}

static void ask(ui *u, invite *x)
{
    static const char *const opts[] = { "&Accept", "&Decline" };
    char text[600], arg[32];
    snprintf(text, sizeof text, "%s invites you to %s. Accept? (Esc: decide later with F6)",
             x->peer, x->app);
    snprintf(arg, sizeof arg, "%p", (void *)x->s); /* the entry may go; the key stays */
    x->asked = true;
    modal_menu(u, "Application Invitation", text, opts, 2, done_answer, arg);
}

bool invites_ask_next(ui *u, bool again)
{
    invite_list *l = u->invites;
    SESSION_STATE st = SS_UNKNOWN;
    if (!l || u->modal.kind != MODAL_NONE)
        return false;
    for (int i = 0; i < l->n; i++) {
        invite *x = l->items[i];
        if (x->incoming && !x->over && (again || !x->asked) &&
            MSGR_SUCCEEDED(msgr_session_get_state(x->s, &st)) && st == SS_INVITATION) {
            ask(u, x);
            return true;
        }
    }
    return false;
}

/* ---- inviting --------------------------------------------------------------------------------- */

static void invite_to(ui *u, const char *signin, const char *guid)
{
    msgr_session *s = NULL;
    msgr_contact *c = model_contact(u, signin, true);
    if (!apps_usable(&u->apps)) {
        ui_note(u, "Application invitations are unavailable: %s", apps_why_not(&u->apps));
        return;
    }
    msgr_hr hr = c ? msgr_session_manager_create_session(u->apps.mgr, &s) : MSGR_E_INVALIDARG;
    if (MSGR_SUCCEEDED(hr))
        hr = msgr_session_set_application(s, guid);
    if (MSGR_SUCCEEDED(hr))
        hr = msgr_session_invite(s, c, NULL);
    invite *x = MSGR_SUCCEEDED(hr) ? track(u, s, false) : NULL;
    if (MSGR_FAILED(hr))
        ui_note(u, "Cannot invite %s to %s: %s", signin, guid, session_error_text(hr));
    else if (x)
        tell(x, "Inviting %s to %s... (Ctrl-X cancels)", x->peer, x->app);
    if (s)
        msgr_object_release(s); /* track() holds its own reference */
}

static void done_guid(ui *u, int choice, const char *text, const char *arg)
{
    char guid[APP_GUID_LEN + 1];
    if (choice < 0 || !text || !*text)
        return;
    if (!app_guid_parse(text, guid))
        ui_note(u, "'%s' is not an application GUID ({XXXXXXXX-XXXX-...})", text);
    else
        invite_to(u, arg, guid);
}

static void ask_guid(ui *u, const char *signin, const char *why)
{
    char text[320];
    snprintf(text, sizeof text, "%sGUID of the application ({XXXXXXXX-XXXX-XXXX-XXXX-"
             "XXXXXXXXXXXX}), registered here too:", why);
    modal_prompt(u, "Invite to an Application", text, NULL, APP_GUID_LEN, done_guid, signin);
}

/* The menu's applications: modal_menu keeps pointers to its labels. */
static char g_labels[PICK_MAX][300];
static char g_guids[PICK_MAX][APP_GUID_LEN + 1];
static int g_npick;

static void done_pick(ui *u, int choice, const char *text, const char *arg)
{
    (void)text;
    if (choice < 0)
        return;
    if (choice < g_npick)
        invite_to(u, arg, g_guids[choice]);
    else
        ask_guid(u, arg, "");
}

/* Fills the menu from msgr's list of registered applications (applist.h). */
static int load_picks(ui *u)
{
    app_list l;
    char *dir = profile_dir(&u->cfg, u->profile_name);
    g_npick = 0;
    if (!dir || applist_load(dir, &l) != 0) {
        free(dir);
        return 0;
    }
    for (size_t i = 0; i < l.n && g_npick < PICK_MAX; i++, g_npick++) {
        snprintf(g_labels[g_npick], sizeof g_labels[g_npick], "&%d %.200s", g_npick + 1,
                 l.items[i].name);
        memcpy(g_guids[g_npick], l.items[i].guid, sizeof g_guids[g_npick]);
    }
    applist_free(&l);
    free(dir);
    return g_npick;
}

void invites_prompt(ui *u)
{
    static const char OTHER[] = "&Other application (enter its GUID)";
    const char *opts[MODAL_OPTIONS_MAX];
    ui_conv *cv = u->cur >= 0 && u->cur < u->nconv ? u->convs[u->cur] : NULL;
    if (!cv || !cv->peer) {
        ui_note(u, "Open a conversation first (Enter on a contact), then invite");
        return;
    }
    if (!apps_usable(&u->apps)) {
        ui_note(u, "Application invitations are unavailable: %s", apps_why_not(&u->apps));
        return;
    }
    char peer[160];
    snprintf(peer, sizeof peer, "%s", cv->peer);
    int n = load_picks(u);
    if (n == 0) {
        ask_guid(u, peer, "No application registered with msgr app register. ");
        return;
    }
    for (int i = 0; i < n; i++)
        opts[i] = g_labels[i];
    opts[n] = OTHER;
    char text[320];
    snprintf(text, sizeof text, "Invite %s to which application? (msgr app list shows "
             "them; the other side needs it too)", peer);
    modal_menu(u, "Invite to an Application", text, opts, n + 1, done_pick, peer);
}

/* ---- cancelling ---------------------------------------------------------------------------- */

bool invites_cancel_current(ui *u)
{
    ui_conv *cv = u->cur >= 0 && u->cur < u->nconv ? u->convs[u->cur] : NULL;
    invite_list *l = u->invites;
    for (int i = l && cv && cv->peer ? l->n - 1 : -1; i >= 0; i--) {
        invite *x = l->items[i];
        if (x->incoming || x->over || strcasecmp(x->signin, cv->peer) != 0)
            continue;
        msgr_hr hr = msgr_session_cancel(x->s, MSGR_S_OK, NULL);
        if (MSGR_FAILED(hr))
            ui_note(u, "Cannot cancel the invitation to %s: %s", x->app,
                    session_error_text(hr));
        return true;
    }
    return false;
}
