/*
 * invite_session.c - MsgrSession (api-scope.md 5.15, 5.18, 6.2): the
 * IMsgrSession members, the DMsgrSessionEvents sinks, the SESSION_STATE
 * machine, the text/x-msmsgsinvite messages of a session (msnp.md 5.9 and
 * docs/protocol.md "Extension: Session Invite context data"), when to
 * launch the registered program (app_launch.c starts it), and
 * IMessenger::InviteApp.
 *
 * Wire, inviter I and invitee R in one conversation window:
 *
 *   I: INVITE  Application-Name/-GUID, Session-Protocol SM1, Context-Data,
 *              cookie, Session-ID, Application-URL (extension)
 *   R: ACCEPT  Context-Data, Launch-Application TRUE, Request-Data
 *              IP-Address:, IP-Address                     (Accept)
 *   I: ACCEPT  IP-Address, Launch-Application TRUE          (confirmation)
 *   either: ACCEPT with Context-Data-Sequence n             (SendContextData)
 *   R: CANCEL REJECT (Decline) / REJECT_NOT_INSTALLED (no application)
 *   I: CANCEL TIMEOUT (Cancel, or the wait ran out)
 *   either: CANCEL TIMEOUT (wait ran out), FAIL (launch failed or protocol
 *           error), OUTBANDCANCEL (window closing)
 *
 * Transitions that depend on what the application answers in a callback
 * (BeforeAppLaunch's veto, the decline after OnAppNotPresent) or that must
 * come after a callback has seen the previous state are performed when
 * their event is delivered (sinv_session_deliver), never inside a public
 * call. The invitation handler at the end plugs all this into
 * invitations.c; nothing here needs a thread: timeouts and the reaping of
 * launched programs run in its progress hook.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "msnp_invite.h"
#include "msnp_mime.h"

#define SESSION_PROTOCOL "SM1"
#define FIELD_APP_URL "Application-URL"             /* extension, INVITE */
#define FIELD_CONTEXT_SEQ "Context-Data-Sequence"   /* extension, ACCEPT */
#define MAX_ACTIVE 64        /* running sessions per messenger: more INVITEs
                              * are answered "not installed" */
#define TIMEOUT_MAX_MS 3600000u
#define REAP_INTERVAL_MS 200 /* how often a launched program is looked at */


/* ---- the object --------------------------------------------------------------- */

static void new_guid(char out[SINV_GUID_SIZE])
{
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        uint64_t t = (uint64_t)msgr_now_ms();
        for (size_t i = 0; i < sizeof b; i++)
            b[i] = (unsigned char)((t >> (8 * (i % 8))) ^ (unsigned)rand());
    }
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    snprintf(out, SINV_GUID_SIZE,
             "{%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
             b[12], b[13], b[14], b[15]);
}

static void session_destroy(msgr_obj *o)
{
    msgr_session *s = (msgr_session *)o;
    int st;
    if (s->child > 0)
        (void)waitpid(s->child, &st, WNOHANG); /* last chance to reap */
    obj_unref(s->owner);
    obj_unref(s->contact);
    obj_unref(s->window);
    free(s->sinks);
    free(s->app_name);
    free(s->app_url);
    free(s->app_path);
    free(s->context);
    free(s);
}

msgr_session *sinv_session_new(msgr_messenger *m, msgr_session_manager *owner,
                               long flags)
{
    msgr_session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    obj_init(&s->base, OBJ_SESSION, session_destroy);
    obj_attach(m, &s->base, &s->m);
    s->app_name = msgr_strdup("");
    s->app_url = msgr_strdup("");
    if (!s->app_name || !s->app_url) {
        obj_unref(s);
        return NULL;
    }
    s->state = SS_READY;
    s->flags = flags;
    s->timeout_ms = MSGR_SESSION_TIMEOUT_DEFAULT_MS;
    new_guid(s->id);
    obj_ref(owner);
    s->owner = owner;
    return s;
}

/* NULL and sets *hr unless s is a session whose messenger lives. */
static msgr_session *live_session(msgr_session *s, msgr_hr *hr)
{
    msgr_obj *o = obj_check(s);
    if (!o || o->kind != OBJ_SESSION) {
        *hr = MSGR_E_POINTER;
        return NULL;
    }
    if (!s->m) {
        *hr = MSGR_E_FAIL;
        return NULL;
    }
    return s;
}

/* A session owned by a locked manager is locked too (erratum E42). */
static bool locked(const msgr_session *s)
{
    return s->owner && !sinv_manager_usable(s->owner);
}

/* The sessions of m, referenced (children order). */
static size_t sessions_of(msgr_messenger *m, msgr_session ***out)
{
    size_t n = 0, k = 0;
    *out = NULL;
    for (msgr_obj *o = m->children; o; o = o->next)
        n += o->kind == OBJ_SESSION;
    msgr_session **list = n ? malloc(n * sizeof *list) : NULL;
    if (!list)
        return 0;
    for (msgr_obj *o = m->children; o; o = o->next) {
        if (o->kind == OBJ_SESSION) {
            obj_ref(o);
            list[k++] = (msgr_session *)o;
        }
    }
    *out = list;
    return k;
}

static void sessions_free(msgr_session **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        obj_unref(list[i]);
    free(list);
}

msgr_session *sinv_find_launched(msgr_messenger *m, pid_t pid)
{
    for (msgr_obj *o = m->children; o; o = o->next)
        if (o->kind == OBJ_SESSION && ((msgr_session *)o)->launched == pid)
            return (msgr_session *)o;
    return NULL;
}

/* ---- small helpers ---------------------------------------------------------------- */

static bool is_final(SESSION_STATE st)
{
    return st == SS_DECLINED || st == SS_CANCELLED || st == SS_TERMINATED;
}

bool sinv_is_final(SESSION_STATE st)
{
    return is_final(st);
}

static bool data_ok(const char *data)
{
    return sinv_text_valid(data, MSGR_SESSION_DATA_MAX);
}

/* What the peer sent in a data field, or "" when absent or not sound. */
static const char *peer_text(const char *v, size_t max)
{
    return v && sinv_text_valid(v, max) ? v : "";
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Printable ASCII without spaces, 1..30 bytes: an address token. */
static bool address_ok(const char *a)
{
    size_t n = strlen(a);
    if (n == 0 || n > MSGR_SESSION_ADDRESS_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (a[i] < 0x21 || a[i] > 0x7E)
            return false;
    return true;
}

static msgr_contact *own_contact(msgr_messenger *m, msgr_contact *c)
{
    msgr_obj *o = obj_check(c);
    return o && o->kind == OBJ_CONTACT && c->m == m ? c : NULL;
}

static const char *extra_field(const msnp_invite *inv, const char *name)
{
    for (size_t i = 0; i < inv->nextra; i++)
        if (msnp_mime_iequal(inv->extra[i].name, name))
            return inv->extra[i].value;
    return NULL;
}

static bool speaks_sm1(const msnp_invite *inv)
{
    return inv->session_protocol && msnp_mime_iequal(inv->session_protocol, SESSION_PROTOCOL);
}

/* LocalAddress by default: what the service saw (ClientIP), else the
 * local end of the connection to it. */
static void default_local_address(msgr_session *s)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char buf[INET6_ADDRSTRLEN];
    const char *ip = s->m->client_ip;
    if (s->local_addr[0])
        return;
    if (!ip || !address_ok(ip)) {
        ip = NULL;
        if (s->m->ns.fd >= 0 && getsockname(s->m->ns.fd, (struct sockaddr *)&ss, &len) == 0) {
            if (ss.ss_family == AF_INET)
                ip = inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, buf, sizeof buf);
            else if (ss.ss_family == AF_INET6)
                ip = inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, buf,
                               sizeof buf);
        }
    }
    if (ip && address_ok(ip))
        snprintf(s->local_addr, sizeof s->local_addr, "%s", ip);
}

static void take_remote_address(msgr_session *s, const char *ip)
{
    if (ip && address_ok(ip))
        snprintf(s->remote_addr, sizeof s->remote_addr, "%s", ip);
}

static void set_window(msgr_session *s, msgr_window *w)
{
    obj_ref(w);
    obj_unref(s->window);
    s->window = w;
}

/* ---- state machine ------------------------------------------------------------- */

/* Queues an event for the session's sinks; the attached programs that
 * follow the session get it at once (the new state is known only now). */
static void queue(msgr_session *s, sinv_dispid what, msgr_hr hr, int arg2, const char *text)
{
    if (!s->m)
        return;
    ev_queue_to(s->m, &s->base, EV_SINV, hr, (int)what, arg2, NULL, text);
    if (s->nsubs)
        lsess_push(s, what, hr, arg2, text);
}

static void set_state(msgr_session *s, SESSION_STATE st)
{
    SESSION_STATE prev = s->state;
    if (prev == st)
        return;
    s->state = st;
    queue(s, SINV_ON_STATE_CHANGED, MSGR_S_OK, (int)prev, NULL);
}

/* The library keeps a running session alive by itself (an invitee session
 * has nobody else until OnInvitation; an inviter may drop its reference). */
static void hold(msgr_session *s)
{
    if (!s->held) {
        s->held = true;
        obj_ref(s);
    }
}

/* ... and lets it go once it ended and its program was reaped. Objects
 * used by the callbacks of this process() stay valid (borrow pool). */
static void let_go(msgr_session *s)
{
    if (!s->held || !is_final(s->state) || s->child > 0)
        return;
    s->held = false;
    if (s->m)
        pool_borrow(s->m, s);
    obj_unref(s);
}

static void arm_wait(msgr_session *s)
{
    s->wait_start = msgr_now_ms();
}

/* The final transition: OnStateChanged, then OnTermination (once). */
static void finish(msgr_session *s, SESSION_STATE final, msgr_hr hr, const char *data)
{
    if (is_final(s->state))
        return;
    s->wait_start = 0;
    s->pending_send = 0;
    set_state(s, final);
    queue(s, SINV_ON_TERMINATION, hr, 0, data ? data : "");
    obj_unref(s->window);
    s->window = NULL;
    let_go(s);
}

/* Ended by something that happened to the conversation or the peer: the
 * final state tells whether the session had connected. */
static void finish_abrupt(msgr_session *s, msgr_hr hr, const char *data)
{
    finish(s, s->state == SS_CONNECTED ? SS_TERMINATED : SS_CANCELLED, hr, data);
}

static void connect_now(msgr_session *s)
{
    s->wait_start = 0;
    set_state(s, SS_CONNECTED);
}

/* ---- messages ---------------------------------------------------------------------- */

static void fill(const msgr_session *s, msnp_invite *inv, msnp_invite_command cmd)
{
    memset(inv, 0, sizeof *inv);
    inv->command = cmd;
    inv->cookie = s->cookie;
    inv->application_guid = s->guid;
    inv->session_id = s->id;
    if (cmd != MSNP_INVITE_CMD_CANCEL)
        inv->session_protocol = SESSION_PROTOCOL;
}

static msgr_hr send_msg(msgr_session *s, const msnp_invite *inv)
{
    return s->window ? invite_send(s->window, inv) : MSGR_E_FAIL;
}

static msgr_hr send_invite(msgr_session *s, const char *data)
{
    msnp_invite inv;
    msnp_mime_header url = { FIELD_APP_URL, s->app_url };
    fill(s, &inv, MSNP_INVITE_CMD_INVITE);
    inv.application_name = s->app_name;
    inv.context_data = data[0] ? data : NULL;
    if (s->app_url[0]) {
        inv.extra = &url;
        inv.nextra = 1;
    }
    return send_msg(s, &inv);
}

/* The invitee's Accept, asking for the inviter's address. */
static msgr_hr send_accept(msgr_session *s, const char *data)
{
    msnp_invite inv;
    fill(s, &inv, MSNP_INVITE_CMD_ACCEPT);
    inv.context_data = data[0] ? data : NULL;
    inv.launch_application = MSNP_INVITE_TRUE;
    inv.request_data = "IP-Address:";
    inv.ip_address = s->local_addr[0] ? s->local_addr : NULL;
    return send_msg(s, &inv);
}

/* The inviter's confirmation with the address the invitee asked for. */
static msgr_hr send_confirm(msgr_session *s)
{
    msnp_invite inv;
    fill(s, &inv, MSNP_INVITE_CMD_ACCEPT);
    inv.launch_application = MSNP_INVITE_TRUE;
    inv.ip_address = s->local_addr[0] ? s->local_addr : NULL;
    return send_msg(s, &inv);
}

static msgr_hr send_context(msgr_session *s, const char *data, int seq)
{
    msnp_invite inv;
    char num[16];
    snprintf(num, sizeof num, "%d", seq);
    msnp_mime_header field = { FIELD_CONTEXT_SEQ, num };
    fill(s, &inv, MSNP_INVITE_CMD_ACCEPT);
    inv.context_data = data;
    inv.extra = &field;
    inv.nextra = 1;
    return send_msg(s, &inv);
}

static msgr_hr send_cancel(msgr_session *s, msnp_cancel_code code, const char *data)
{
    msnp_invite inv;
    fill(s, &inv, MSNP_INVITE_CMD_CANCEL);
    inv.cancel_code = code;
    inv.context_data = data && data[0] ? data : NULL;
    return send_msg(s, &inv);
}

/* ---- launching ----------------------------------------------------------------------- */

/* "MSGR_LOCAL_SOCKET=<path>" of the socket this messenger serves for the
 * program (malloc'd), or NULL when it cannot serve: a program that could
 * never reach its session is not started. */
static char *socket_var(msgr_messenger *m)
{
    static const char name[] = "MSGR_LOCAL_SOCKET=";
    const char *path = local_serve_for_launch(m);
    if (!path)
        return NULL;
    size_t len = sizeof name + strlen(path);
    char *v = malloc(len);
    if (v)
        snprintf(v, len, "%s%s", name, path);
    return v;
}

/* Starts app_path (app_launch.c) with the variables that let it find
 * this messenger and its session. */
static bool launch(msgr_session *s)
{
    char id_var[64], pid_var[48];
    char *sock_var = s->app_path ? socket_var(s->m) : NULL;
    if (!sock_var)
        return false;
    snprintf(id_var, sizeof id_var, "MSGR_SESSION_ID=%s", s->id);
    snprintf(pid_var, sizeof pid_var, "MSGR_LAUNCHER_PID=%ld", (long)getpid());
    char *const vars[] = { id_var, pid_var, sock_var };
    pid_t pid = app_launch(s->app_path, vars, 3);
    free(sock_var);
    if (pid <= 0)
        return false;
    s->child = s->launched = pid;
    return true;
}

/* Looks at a launched program; the library keeps the session while it
 * runs (GetLaunchingSession), then lets an ended session go. */
static void reap(msgr_session *s)
{
    int st;
    if (s->child <= 0)
        return;
    if (waitpid(s->child, &st, WNOHANG) == 0)
        return; /* still running */
    s->child = 0; /* reaped, or reaped by someone else (ECHILD) */
    let_go(s);
}

/* ---- delivery ----------------------------------------------------------------------- */

msgr_hr msgr_session_advise(msgr_session *session, const msgr_session_events *events,
                            void *user_data, uint32_t *cookie)
{
    msgr_obj *o = obj_check(session);
    if (!o || o->kind != OBJ_SESSION || !events || !cookie)
        return MSGR_E_POINTER;
    sinv_sink *s = realloc(session->sinks, (session->nsinks + 1) * sizeof *s);
    if (!s)
        return MSGR_E_OUTOFMEMORY;
    session->sinks = s;
    if (++session->next_cookie == 0)
        session->next_cookie = 1;
    s[session->nsinks].cookie = session->next_cookie;
    s[session->nsinks].events = *events;
    s[session->nsinks].user_data = user_data;
    session->nsinks++;
    *cookie = session->next_cookie;
    return MSGR_S_OK;
}

msgr_hr msgr_session_unadvise(msgr_session *session, uint32_t cookie)
{
    msgr_obj *o = obj_check(session);
    if (!o || o->kind != OBJ_SESSION)
        return MSGR_E_POINTER;
    for (size_t i = 0; i < session->nsinks; i++) {
        if (session->sinks[i].cookie != cookie)
            continue;
        memmove(&session->sinks[i], &session->sinks[i + 1],
                (session->nsinks - i - 1) * sizeof session->sinks[0]);
        session->nsinks--;
        return MSGR_S_OK;
    }
    return MSGR_E_INVALIDARG;
}

static void deliver_one(msgr_session *s, const sinv_sink *k, const queued_event *e,
                        bool *enable)
{
    const msgr_session_events *ev = &k->events;
    void *ud = k->user_data;
    const char *text = e->text ? e->text : "";
    switch (e->arg) {
    case SINV_ON_STATE_CHANGED:
        if (ev->on_state_changed) ev->on_state_changed(ud, s, (SESSION_STATE)e->arg2);
        break;
    case SINV_ON_APP_NOT_PRESENT:
        if (ev->on_app_not_present) ev->on_app_not_present(ud, s, s->app_name, s->app_url);
        break;
    case SINV_ON_ACCEPTED:
        if (ev->on_accepted) ev->on_accepted(ud, s, text);
        break;
    case SINV_ON_DECLINED:
        if (ev->on_declined) ev->on_declined(ud, s, text);
        break;
    case SINV_ON_CANCELLED:
        if (ev->on_cancelled) ev->on_cancelled(ud, s, text);
        break;
    case SINV_ON_TERMINATION:
        if (ev->on_termination) ev->on_termination(ud, s, e->hr, text);
        break;
    case SINV_ON_READY_TO_LAUNCH:
        if (ev->on_ready_to_launch) ev->on_ready_to_launch(ud, s);
        break;
    case SINV_ON_CONTEXT_DATA:
        if (ev->on_context_data) ev->on_context_data(ud, s, text);
        break;
    case SINV_ON_SEND_ERROR:
        if (ev->on_send_error) ev->on_send_error(ud, s, e->hr);
        break;
    case SINV_BEFORE_APP_LAUNCH:
        if (ev->before_app_launch) ev->before_app_launch(ud, s, enable);
        break;
    default:
        break;
    }
}

/* The sinks registered now, each looked up again before its call (a
 * callback may advise or unadvise). *enable passes through them all. */
static void deliver_all(msgr_session *s, const queued_event *e, bool *enable)
{
    size_t n = s->nsinks;
    uint32_t *cookies = n ? malloc(n * sizeof *cookies) : NULL;
    if (n && !cookies)
        return;
    for (size_t i = 0; i < n; i++)
        cookies[i] = s->sinks[i].cookie;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < s->nsinks; j++) {
            if (s->sinks[j].cookie == cookies[i]) {
                sinv_sink copy = s->sinks[j];
                deliver_one(s, &copy, e, enable);
                break;
            }
        }
    }
    free(cookies);
}

/* After BeforeAppLaunch: start the program unless vetoed, then connect. */
static void launch_step(msgr_session *s, bool enable)
{
    if (s->state != SS_ACCEPTED)
        return; /* ended meanwhile */
    if (enable && s->app_path && !launch(s)) {
        (void)send_cancel(s, MSNP_CANCEL_FAIL, NULL);
        finish(s, SS_TERMINATED, SR_APPLICATION_LAUNCH_FAILED, "");
        return;
    }
    connect_now(s);
}

/* After OnAppNotPresent: "the client declines" (api-scope.md 6.2 row 6). */
static void decline_missing(msgr_session *s)
{
    if (s->state != SS_ACCEPTED)
        return;
    (void)send_cancel(s, MSNP_CANCEL_REJECT_NOT_INSTALLED, NULL);
    finish(s, SS_DECLINED, SR_APPLICATION_LAUNCH_FAILED, "");
}

void sinv_session_deliver(msgr_session *s, const queued_event *e)
{
    bool enable = true;
    if (e->kind != EV_SINV || !s->m)
        return;
    switch (e->arg) {
    case SINV_ON_INVITATION:
        sinv_offer_invitation(s, e->text);
        return;
    case SINV_STEP_CONNECT:
        if (s->state == SS_ACCEPTED)
            connect_now(s);
        return;
    default:
        break;
    }
    deliver_all(s, e, &enable);
    if (e->arg == SINV_BEFORE_APP_LAUNCH)
        launch_step(s, enable);
    else if (e->arg == SINV_ON_APP_NOT_PRESENT)
        decline_missing(s);
}

/* ---- IMsgrSession: actions --------------------------------------------------------- */

/* Decline and Cancel end the session here whatever happens to their
 * message: a peer nobody can reach must not keep it alive. A message that
 * cannot even be queued is reported as OnSendError before the end. */
static void tell_peer(msgr_session *s, msnp_cancel_code code, const char *data,
                      msgr_hr failure)
{
    if (MSGR_FAILED(send_cancel(s, code, data)))
        queue(s, SINV_ON_SEND_ERROR, failure, 0, NULL);
}

/* A live, unlocked session and sound application data. */
static msgr_session *enter(msgr_session *session, const char **data, msgr_hr *hr)
{
    msgr_session *s = live_session(session, hr);
    if (!s)
        return NULL;
    if (locked(s)) {
        *hr = MSGR_E_API_LOCKED;
        return NULL;
    }
    if (data && !*data)
        *data = "";
    if (data && !data_ok(*data)) {
        *hr = MSGR_E_INVALIDARG;
        return NULL;
    }
    return s;
}

/* Opens (or reuses) the window with c and sends the INVITE. */
static msgr_hr start_invitation(msgr_session *s, msgr_contact *c, const char *data)
{
    msgr_conversation *w = NULL;
    msgr_hr hr = msgr_messenger_instant_message(s->m, c, &w);
    if (MSGR_FAILED(hr))
        return hr == MSGR_E_OUTOFMEMORY ? hr : SR_INVITATION_SEND_FAILURE;
    obj_ref(c);
    obj_unref(s->contact);
    s->contact = c;
    set_window(s, w);
    s->cookie = invite_new_cookie();
    default_local_address(s);
    if (MSGR_FAILED(send_invite(s, data))) {
        obj_unref(s->window);
        s->window = NULL;
        return SR_INVITATION_SEND_FAILURE;
    }
    s->pending_send = SR_INVITATION_SEND_FAILURE;
    hold(s);
    set_state(s, SS_INVITATION);
    arm_wait(s);
    return MSGR_S_OK;
}

msgr_hr msgr_session_invite(msgr_session *session, msgr_contact *contact,
                            const char *app_data)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = enter(session, &app_data, &hr);
    if (!s)
        return hr;
    if (!own_contact(s->m, contact))
        return MSGR_E_INVALIDARG;
    if (s->state != SS_READY || !(s->flags & SF_INVITER))
        return SR_SESSION_NOT_READY;
    if (!s->guid[0])
        return SR_APP_NOT_SPECIFIED;
    if (s->m->phase != PHASE_ONLINE)
        return MSGR_E_NOT_LOGGED_ON;
    if (contact_is_self(contact))
        return SR_INVITED_SELF;
    if (contact->status == MISTATUS_OFFLINE)
        return MSGR_E_NOT_LOGGED_ON; /* "the invited user is not logged on" */
    return start_invitation(s, contact, app_data);
}

msgr_hr msgr_session_accept(msgr_session *session, const char *app_data)
{
    msgr_hr hr = MSGR_S_OK;
    app_info app;
    msgr_session *s = enter(session, &app_data, &hr);
    if (!s)
        return hr;
    if (!(s->flags & SF_INVITEE))
        return SR_NOT_INVITEE;
    if (s->state != SS_INVITATION)
        return SR_SESSION_STATE_INVALID;
    if (apps_lookup(s->m->config_dir, s->guid, &app) != MSGR_S_OK) {
        /* Not installed here: OnAppNotPresent, then the decline. */
        set_state(s, SS_ACCEPTED);
        queue(s, SINV_ON_APP_NOT_PRESENT, MSGR_S_OK, 0, NULL);
        return MSGR_S_OK;
    }
    char *path = msgr_strdup(app.path);
    if (!path)
        return MSGR_E_OUTOFMEMORY;
    default_local_address(s);
    if (MSGR_FAILED(send_accept(s, app_data))) {
        free(path);
        return SR_ACCEPT_SEND_FAILURE;
    }
    free(s->app_path);
    s->app_path = path;
    s->launch_here = true;
    s->pending_send = SR_ACCEPT_SEND_FAILURE;
    set_state(s, SS_ACCEPTED);
    arm_wait(s); /* now for the inviter's confirmation */
    return MSGR_S_OK;
}

msgr_hr msgr_session_decline(msgr_session *session, const char *app_data)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = enter(session, &app_data, &hr);
    if (!s)
        return hr;
    if (!(s->flags & SF_INVITEE))
        return SR_NOT_INVITEE;
    if (s->state != SS_INVITATION)
        return SR_SESSION_STATE_INVALID;
    tell_peer(s, MSNP_CANCEL_REJECT, app_data, SR_DECLINE_SEND_FAILURE);
    finish(s, SS_DECLINED, SR_INVITATION_DECLINED, app_data);
    return MSGR_S_OK;
}

msgr_hr msgr_session_cancel(msgr_session *session, msgr_hr why, const char *app_data)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = enter(session, &app_data, &hr);
    if (!s)
        return hr;
    if (!(s->flags & SF_INVITER))
        return SR_NOT_INVITER;
    if (s->state == SS_READY || is_final(s->state))
        return SR_SESSION_STATE_INVALID;
    if (s->proxy)
        return sproxy_cancel(s, why, app_data); /* the serving messenger's call */
    bool connected = s->state == SS_CONNECTED;
    /* TIMEOUT: "the inviter withdrew the invitation" (msnp.md 5.9). */
    tell_peer(s, MSNP_CANCEL_TIMEOUT, app_data, SR_CANCEL_SEND_FAILURE);
    msgr_hr reason = connected ? SR_SESSION_CANCELLED_LOCAL : SR_CANCEL_BEFORE_CONNECT;
    finish(s, connected ? SS_TERMINATED : SS_CANCELLED, MSGR_FAILED(why) ? why : reason,
           app_data);
    return MSGR_S_OK;
}

msgr_hr msgr_session_send_context_data(msgr_session *session, const char *data)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = enter(session, NULL, &hr);
    if (!s)
        return hr;
    if (!data || !sinv_text_valid(data, SIZE_MAX))
        return MSGR_E_INVALIDARG;
    if (code_points(data) > MSGR_SESSION_CONTEXT_MAX)
        return SR_CONTEXT_DATA_OVER_LIMIT;
    if (s->state != SS_CONNECTED)
        return SR_SESSION_STATE_INVALID;
    if (s->flags & SF_APP_INVITE_COMPATIBLE)
        return SR_NOT_VALID_FOR_APP_INVITE;
    if (s->proxy) /* the serving messenger counts the calls */
        return sproxy_send_context(s, data);
    if (s->context_sent >= MSGR_SESSION_CONTEXT_SENDS)
        return SR_CONTEXT_DATA_OVER_LIMIT;
    if (MSGR_FAILED(send_context(s, data, s->context_sent + 1)))
        return SR_CONTEXT_DATA_SEND_FAILURE;
    s->context_sent++;
    s->pending_send = SR_CONTEXT_DATA_SEND_FAILURE;
    return MSGR_S_OK;
}

msgr_hr msgr_session_set_invitation_timeout(msgr_session *session, uint32_t ms)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = live_session(session, &hr);
    if (!s)
        return hr;
    if (ms > TIMEOUT_MAX_MS)
        return MSGR_E_INVALIDARG;
    if (s->proxy)
        return MSGR_E_NOTIMPL; /* the waits run in the serving messenger */
    s->timeout_ms = ms ? ms : MSGR_SESSION_TIMEOUT_DEFAULT_MS;
    return MSGR_S_OK;
}

msgr_hr msgr_session_get_lock(msgr_session *session, msgr_lock **lock)
{
    msgr_hr hr = MSGR_S_OK;
    if (!lock)
        return MSGR_E_POINTER;
    msgr_session *s = live_session(session, &hr);
    if (!s)
        return hr;
    if (!s->owner || !s->owner->m)
        return MSGR_E_FAIL;
    *lock = s->owner->lock;
    return MSGR_S_OK;
}

/* ---- IMsgrSession: properties --------------------------------------------------------- */

/* A live session and a non-NULL out-pointer (the pages' E_INVALIDARG). */
static msgr_session *reader(msgr_session *session, const void *out, msgr_hr *hr)
{
    msgr_session *s = live_session(session, hr);
    if (s && !out) {
        *hr = MSGR_E_INVALIDARG;
        return NULL;
    }
    return s;
}

static msgr_hr app_string(msgr_session *session, const char **out, int which)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = reader(session, out, &hr);
    if (!s)
        return hr;
    if (!s->guid[0])
        return SR_APP_NOT_SPECIFIED;
    *out = which == 0 ? s->guid : which == 1 ? s->app_name : s->app_url;
    return MSGR_S_OK;
}

msgr_hr msgr_session_get_application(msgr_session *session, const char **app_guid)
{
    return app_string(session, app_guid, 0);
}

msgr_hr msgr_session_get_application_name(msgr_session *session, const char **name)
{
    return app_string(session, name, 1);
}

msgr_hr msgr_session_get_application_url(msgr_session *session, const char **url)
{
    return app_string(session, url, 2);
}

msgr_hr msgr_session_set_application(msgr_session *session, const char *app_guid)
{
    msgr_hr hr = MSGR_S_OK;
    char guid[SINV_GUID_SIZE];
    app_info app;
    msgr_session *s = enter(session, NULL, &hr);
    if (!s)
        return hr;
    if (!app_guid || !app_guid[0])
        return SR_APP_NOT_SPECIFIED;
    if (strlen(app_guid) > SINV_GUID_SIZE)
        return MSGR_E_OUTOFMEMORY; /* "the application ID value is too long" */
    if (!sinv_guid_normalize(app_guid, guid))
        return MSGR_E_INVALIDARG;
    if (s->state != SS_READY || !(s->flags & SF_INVITER))
        return SR_SESSION_NOT_READY;
    hr = apps_lookup(s->m->config_dir, guid, &app);
    if (hr != MSGR_S_OK)
        return hr;
    char *name = msgr_strdup(app.name), *url = msgr_strdup(app.url);
    if (!name || !url) {
        free(name);
        free(url);
        return MSGR_E_OUTOFMEMORY;
    }
    memcpy(s->guid, guid, sizeof guid);
    free(s->app_name);
    free(s->app_url);
    s->app_name = name;
    s->app_url = url;
    return MSGR_S_OK;
}

msgr_hr msgr_session_get_context_data(msgr_session *session, const char **data)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = reader(session, data, &hr);
    if (!s)
        return hr;
    *data = s->context ? s->context : "";
    return s->context ? MSGR_S_OK : MSGR_S_FALSE;
}

msgr_hr msgr_session_get_flags(msgr_session *session, long *flags)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = reader(session, flags, &hr);
    if (!s)
        return hr;
    *flags = s->flags;
    return MSGR_S_OK;
}

msgr_hr msgr_session_get_local_address(msgr_session *session, const char **address)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = reader(session, address, &hr);
    if (!s)
        return hr;
    if (!s->proxy) /* a proxy reads what the serving messenger advertised */
        default_local_address(s);
    *address = s->local_addr;
    return MSGR_S_OK;
}

msgr_hr msgr_session_set_local_address(msgr_session *session, const char *address)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = enter(session, NULL, &hr);
    if (!s)
        return hr;
    if (!address || !address[0])
        return MSGR_E_INVALIDARG;
    if (strlen(address) > MSGR_SESSION_ADDRESS_MAX)
        return MSGR_E_OUTOFMEMORY; /* "the local address is too long" */
    if (!address_ok(address))
        return MSGR_E_INVALIDARG;
    if (s->proxy)
        return MSGR_E_NOTIMPL; /* advertised by the serving messenger already */
    snprintf(s->local_addr, sizeof s->local_addr, "%s", address);
    return MSGR_S_OK;
}

msgr_hr msgr_session_get_remote_address(msgr_session *session, const char **address)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = reader(session, address, &hr);
    if (!s)
        return hr;
    bool valid = s->remote_addr[0] &&
                 (s->state == SS_CONNECTED || s->state == SS_TERMINATED);
    *address = valid ? s->remote_addr : "";
    return valid ? MSGR_S_OK : MSGR_S_FALSE;
}

msgr_hr msgr_session_get_session_id(msgr_session *session, const char **session_id)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = reader(session, session_id, &hr);
    if (!s)
        return hr;
    *session_id = s->id;
    return MSGR_S_OK;
}

msgr_hr msgr_session_get_state(msgr_session *session, SESSION_STATE *state)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = reader(session, state, &hr);
    if (!s)
        return hr;
    *state = s->state;
    return MSGR_S_OK;
}

msgr_hr msgr_session_get_user(msgr_session *session, msgr_contact **user)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_session *s = reader(session, user, &hr);
    if (!s)
        return hr;
    if (!s->contact)
        return SR_NO_USER_INVITED;
    pool_borrow(s->m, s->contact);
    *user = s->contact;
    return MSGR_S_OK;
}

/* ---- the invitation handler: incoming messages ----------------------------------- */

/* A running session of this messenger's state machine (a proxy is a
 * view of another messenger's: never). */
static bool active(const msgr_session *s)
{
    return !s->proxy && s->state != SS_READY && !is_final(s->state);
}

/* The session for a message from `from` with cookie: a running one first. */
static msgr_session *find_session(msgr_messenger *m, const msgr_contact *from,
                                  uint32_t cookie)
{
    msgr_session *ended = NULL;
    for (msgr_obj *o = m->children; o; o = o->next) {
        msgr_session *s = (msgr_session *)o;
        if (o->kind != OBJ_SESSION || s->proxy || s->contact != from || s->cookie != cookie)
            continue;
        if (active(s))
            return s;
        ended = s;
    }
    return ended;
}

static size_t count_active(msgr_messenger *m)
{
    size_t n = 0;
    for (msgr_obj *o = m->children; o; o = o->next)
        n += o->kind == OBJ_SESSION && active((msgr_session *)o);
    return n;
}

static bool any_usable_manager(msgr_messenger *m)
{
    for (msgr_obj *o = m->children; o; o = o->next)
        if (o->kind == OBJ_SESSION_MANAGER &&
            sinv_manager_usable((msgr_session_manager *)o))
            return true;
    return false;
}

/* Fills a new invitee session from a checked INVITE. */
static bool adopt_invite(msgr_session *s, msgr_window *w, msgr_contact *from,
                         const msnp_invite *inv, const char *guid, const char *data)
{
    const char *name = peer_text(inv->application_name, MSGR_APP_NAME_MAX);
    const char *url = peer_text(extra_field(inv, FIELD_APP_URL), MSGR_APP_URL_MAX);
    msgr_str_replace(&s->app_name, name);
    msgr_str_replace(&s->app_url, url);
    s->context = msgr_strdup(data);
    if (!s->context || strcmp(s->app_name, name) != 0 || strcmp(s->app_url, url) != 0)
        return false;
    memcpy(s->guid, guid, SINV_GUID_SIZE);
    if (inv->session_id)
        sinv_guid_normalize(inv->session_id, s->id);
    s->cookie = inv->cookie;
    obj_ref(from);
    s->contact = from;
    set_window(s, w);
    default_local_address(s);
    return true;
}

/* An INVITE for an application (anything but a file transfer). Claimed
 * only while an unlocked manager can hear it; a malformed one is left to
 * invitations.c, which answers "not installed". */
static bool on_invite(msgr_window *w, msgr_contact *from, const msnp_invite *inv)
{
    msgr_messenger *m = w->m;
    char guid[SINV_GUID_SIZE], id[SINV_GUID_SIZE];
    const char *data = inv->context_data ? inv->context_data : "";
    if (!m || !inv->application_guid ||
        msnp_guid_equal(inv->application_guid, MSNP_GUID_FILE_TRANSFER) ||
        !sinv_guid_normalize(inv->application_guid, guid))
        return false;
    if (find_session(m, from, inv->cookie))
        return true; /* a repeat of one we have: already answered */
    if ((inv->session_id && !sinv_guid_normalize(inv->session_id, id)) || !data_ok(data) ||
        !any_usable_manager(m) || count_active(m) >= MAX_ACTIVE)
        return false;
    long flags = SF_INVITEE | (speaks_sm1(inv) ? 0 : SF_APP_INVITE_COMPATIBLE);
    msgr_session *s = sinv_session_new(m, NULL, flags);
    if (!s)
        return false;
    if (!adopt_invite(s, w, from, inv, guid, data)) {
        obj_unref(s);
        return false;
    }
    hold(s);
    s->state = SS_INVITATION; /* born in it: nobody saw it before */
    arm_wait(s);
    queue(s, SINV_ON_INVITATION, MSGR_S_OK, 0, data);
    obj_unref(s); /* hold() keeps it */
    return true;
}

/* An ACCEPT that answers our INVITE (we invited). */
static void inviter_accepted(msgr_session *s, const msnp_invite *inv)
{
    const char *data = peer_text(inv->context_data, MSGR_SESSION_DATA_MAX);
    if (!speaks_sm1(inv))
        s->flags |= SF_APP_INVITE_COMPATIBLE;
    take_remote_address(s, inv->ip_address);
    msgr_str_replace(&s->context, data);
    s->pending_send = 0; /* the INVITE evidently arrived */
    s->wait_start = 0;
    queue(s, SINV_ON_ACCEPTED, MSGR_S_OK, 0, data);
    set_state(s, SS_ACCEPTED);
    if (MSGR_FAILED(send_confirm(s)))
        queue(s, SINV_ON_SEND_ERROR, SR_ACCEPT_SEND_FAILURE, 0, NULL);
    if (s->launch_here) {
        queue(s, SINV_ON_READY_TO_LAUNCH, MSGR_S_OK, 0, NULL);
        queue(s, SINV_BEFORE_APP_LAUNCH, MSGR_S_OK, 0, NULL);
    } else {
        queue(s, SINV_STEP_CONNECT, MSGR_S_OK, 0, NULL);
    }
}

/* The inviter's confirmation of our Accept: both sides are ready. */
static void invitee_confirmed(msgr_session *s, const msnp_invite *inv)
{
    take_remote_address(s, inv->ip_address);
    s->pending_send = 0;
    s->confirmed = true; /* a second confirmation is a repeat */
    queue(s, SINV_ON_READY_TO_LAUNCH, MSGR_S_OK, 0, NULL);
    queue(s, SINV_BEFORE_APP_LAUNCH, MSGR_S_OK, 0, NULL);
}

static void context_arrived(msgr_session *s, const msnp_invite *inv)
{
    const char *data = inv->context_data ? inv->context_data : "";
    /* A peer sends at most five; more, or more than the limit, is noise. */
    if (s->context_recv >= MSGR_SESSION_CONTEXT_SENDS ||
        !sinv_text_valid(data, 4 * MSGR_SESSION_CONTEXT_MAX) ||
        code_points(data) > MSGR_SESSION_CONTEXT_MAX)
        return;
    s->context_recv++;
    msgr_str_replace(&s->context, data);
    queue(s, SINV_ON_CONTEXT_DATA, MSGR_S_OK, 0, data);
}

/* An ACCEPT where the state machine has none: the peer is confused. */
static void protocol_error(msgr_session *s)
{
    (void)send_cancel(s, MSNP_CANCEL_FAIL, NULL);
    finish(s, SS_TERMINATED, SR_SESSION_PROTOCOL_ERROR, "");
}

static void on_accept_msg(msgr_session *s, const msnp_invite *inv)
{
    if (extra_field(inv, FIELD_CONTEXT_SEQ)) {
        if (s->state == SS_CONNECTED)
            context_arrived(s, inv);
        return;
    }
    if (s->flags & SF_INVITER) {
        if (s->state == SS_INVITATION)
            inviter_accepted(s, inv);
        return; /* a repeat */
    }
    if (s->state == SS_ACCEPTED && !s->confirmed && s->launch_here)
        invitee_confirmed(s, inv);
    else if (s->state == SS_INVITATION)
        protocol_error(s); /* "confirmed" before we accepted */
}

/* A CANCEL that reaches the inviter. */
static void inviter_cancelled(msgr_session *s, msnp_cancel_code code, const char *data)
{
    bool invited = s->state == SS_INVITATION;
    switch (code) {
    case MSNP_CANCEL_REJECT:
    case MSNP_CANCEL_REJECT_NOT_INSTALLED:
        if (!invited)
            break;
        queue(s, SINV_ON_DECLINED, MSGR_S_OK, 0, data);
        finish(s, SS_DECLINED,
               code == MSNP_CANCEL_REJECT ? SR_INVITATION_DECLINED
                                          : SR_APPLICATION_LAUNCH_FAILED,
               data);
        return;
    case MSNP_CANCEL_TIMEOUT: /* the invitee's wait ran out */
        finish(s, SS_TERMINATED, SR_SESSION_TIMEOUT, data);
        return;
    case MSNP_CANCEL_FAIL: /* the invitee could not start its side */
        finish(s, SS_TERMINATED, SR_APPLICATION_LAUNCH_FAILED, data);
        return;
    default:
        break;
    }
    finish_abrupt(s, SR_SESSION_CANCELLED_REMOTE, data);
}

/* A CANCEL that reaches the invitee. */
static void invitee_cancelled(msgr_session *s, msnp_cancel_code code, const char *data)
{
    bool connected = s->state == SS_CONNECTED;
    if (code == MSNP_CANCEL_TIMEOUT) { /* the inviter withdrew (or gave up) */
        queue(s, SINV_ON_CANCELLED, MSGR_S_OK, 0, data);
        finish_abrupt(s, connected ? SR_SESSION_CANCELLED_REMOTE : SR_CANCEL_BEFORE_CONNECT,
                      data);
    } else if (code == MSNP_CANCEL_FAIL) {
        finish(s, SS_TERMINATED, SR_APPLICATION_LAUNCH_FAILED, data);
    } else {
        finish_abrupt(s, SR_SESSION_CANCELLED_REMOTE, data);
    }
}

static bool on_reply(msgr_window *w, msgr_contact *from, const msnp_invite *inv)
{
    msgr_session *s = w->m ? find_session(w->m, from, inv->cookie) : NULL;
    if (!s)
        return false;
    if (!active(s))
        return true; /* ours, but over */
    obj_ref(s);
    /* After an idle switchboard closed, the peer may come back in a new
     * window: answer there from now on. */
    set_window(s, w);
    const char *data = peer_text(inv->context_data, MSGR_SESSION_DATA_MAX);
    if (inv->command == MSNP_INVITE_CMD_ACCEPT)
        on_accept_msg(s, inv);
    else if (s->flags & SF_INVITER)
        inviter_cancelled(s, inv->cancel_code, data);
    else
        invitee_cancelled(s, inv->cancel_code, data);
    obj_unref(s);
    return true;
}

/* ---- the invitation handler: windows, timers, shutdown ---------------------------- */

/* The window closes (Close, sign-out): its sessions end, telling the peer
 * while the switchboard is still there (msnp.md 5.9: OUTBANDCANCEL). */
static void on_window_closing(msgr_window *w)
{
    msgr_session **list = NULL;
    size_t n = w->m ? sessions_of(w->m, &list) : 0;
    for (size_t i = 0; i < n; i++) {
        msgr_session *s = list[i];
        if (s->window != w || !active(s))
            continue;
        (void)send_cancel(s, MSNP_CANCEL_OUTBANDCANCEL, NULL);
        finish_abrupt(s, SR_SESSION_CANCELLED_LOCAL, "");
    }
    sessions_free(list, n);
}

static int64_t wait_deadline(const msgr_session *s)
{
    return s->wait_start ? s->wait_start + (int64_t)s->timeout_ms : 0;
}

/* A message the window keeps queued with nobody to take it: the contact
 * could not be reached (CAL refused, switchboard refused). */
static bool window_stuck(const msgr_window *w)
{
    if (w->state == WIN_CLOSED || w->nqueued == 0)
        return false;
    return w->state == WIN_IDLE ||
           (w->state == WIN_READY && w->nmembers == 0 && w->ninvitees == 0);
}

static void check_send(msgr_session *s)
{
    if (!s->pending_send || !s->window)
        return;
    if (s->window->nqueued == 0) {
        s->pending_send = 0; /* written to the switchboard */
    } else if (window_stuck(s->window)) {
        queue(s, SINV_ON_SEND_ERROR, s->pending_send, 0, NULL);
        s->pending_send = 0;
    }
}

/* The peer signed out (FLN): its sessions are gone, also when its
 * switchboard closed before the OUTBANDCANCEL could travel (the service
 * drops a user's switchboards as soon as it sees OUT). Only a change
 * counts: an invisible peer reads offline from the start. */
static void check_peer(msgr_session *s)
{
    MISTATUS st = s->contact ? s->contact->status : MISTATUS_UNKNOWN;
    if (st != MISTATUS_OFFLINE && st != MISTATUS_UNKNOWN)
        s->peer_seen_online = true;
    else if (st == MISTATUS_OFFLINE && s->peer_seen_online)
        finish_abrupt(s, SR_SESSION_CANCELLED_REMOTE, "");
}

static void progress(msgr_messenger *m, int64_t now)
{
    msgr_session **list;
    size_t n = sessions_of(m, &list);
    for (size_t i = 0; i < n; i++) {
        msgr_session *s = list[i];
        reap(s);
        if (active(s))
            check_peer(s);
        if (!active(s))
            continue;
        check_send(s);
        int64_t due = wait_deadline(s);
        if (due && now >= due) {
            (void)send_cancel(s, MSNP_CANCEL_TIMEOUT, NULL);
            finish(s, SS_TERMINATED, SR_SESSION_TIMEOUT, "");
        }
    }
    sessions_free(list, n);
}

static int64_t next_deadline(msgr_messenger *m)
{
    int64_t best = 0;
    for (msgr_obj *o = m->children; o; o = o->next) {
        if (o->kind != OBJ_SESSION)
            continue;
        const msgr_session *s = (const msgr_session *)o;
        int64_t d = active(s) ? wait_deadline(s) : 0;
        if (s->child > 0) /* look at the program again soon */
            d = d && d < msgr_now_ms() + REAP_INTERVAL_MS ? d
                                                          : msgr_now_ms() + REAP_INTERVAL_MS;
        if (d && (best == 0 || d < best))
            best = d;
    }
    return best;
}

/* Sign-out, or the messenger going away. Every running session had a
 * window, and windows close first; whatever still runs ends here. */
static void shutdown_all(msgr_messenger *m)
{
    /* In messenger_destroy() the last reference is already gone. */
    bool dying = m->base.refs <= 0;
    msgr_session **list;
    size_t n = sessions_of(m, &list);
    for (size_t i = 0; i < n; i++) {
        if (active(list[i]))
            finish_abrupt(list[i], SR_SESSION_CANCELLED_LOCAL, "");
        if (dying && list[i]->held) { /* nobody will reap for us any more */
            list[i]->held = false;
            pool_borrow(m, list[i]);
            obj_unref(list[i]);
        }
    }
    sessions_free(list, n);
    if (dying)
        sinv_managers_shutdown(m);
}

const invite_handler session_invite_handler = {
    .on_invite = on_invite,
    .on_reply = on_reply,
    .on_window_closing = on_window_closing,
    .fds = NULL,
    .progress = progress,
    .next_deadline = next_deadline,
    .shutdown = shutdown_all,
};

/* ---- IMessenger::InviteApp ---------------------------------------------------------- */

msgr_hr msgr_messenger_invite_app(msgr_messenger *m, msgr_contact *contact,
                                  const char *app_guid, msgr_conversation **window)
{
    char guid[SINV_GUID_SIZE];
    app_info app;
    msgr_obj *mo = obj_check(m);
    if (!mo || mo->kind != OBJ_MESSENGER)
        return MSGR_E_POINTER;
    if (!window)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    *window = NULL;
    if (!own_contact(m, contact) || !sinv_guid_normalize(app_guid, guid))
        return MSGR_E_INVALIDARG;
    if (m->phase != PHASE_ONLINE || contact_is_self(contact))
        return MSGR_E_FAIL;
    if (apps_lookup(m->config_dir, guid, &app) != MSGR_S_OK)
        return MSGR_E_INVALIDARG; /* no application under that ID */
    msgr_session *s = sinv_session_new(m, NULL, SF_INVITER);
    if (!s)
        return MSGR_E_OUTOFMEMORY;
    memcpy(s->guid, guid, sizeof guid);
    msgr_str_replace(&s->app_name, app.name);
    msgr_str_replace(&s->app_url, app.url);
    s->app_path = msgr_strdup(app.path);
    s->launch_here = true; /* started from Messenger: both sides launch */
    msgr_hr hr = s->app_path ? start_invitation(s, contact, "") : MSGR_E_OUTOFMEMORY;
    if (MSGR_SUCCEEDED(hr))
        *window = s->window;
    obj_unref(s); /* hold() keeps a running one */
    if (hr == SR_INVITATION_SEND_FAILURE)
        return MSGR_E_FAIL;
    return hr;
}
