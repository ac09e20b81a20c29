/*
 * session_proxy.c - local server mode, attached side of Session Invite:
 * GetLaunchingSession for a program that a messenger in another process
 * launched (docs/libmsgr.md "Session Invite"; the wire: docs/protocol.md
 * "Extension: local server mode", "Session commands").
 *
 * The session lives in the serving messenger. Here it is a proxy: a
 * msgr_session (same public type) marked `proxy`, filled from the SGL
 * snapshot and kept up to date by the SST / SEV lines the serving
 * messenger pushes; its events reach the sinks through the normal queue.
 * Its SendContextData and Cancel are the serving messenger's calls, sent
 * as SCD / SCN. The state machine of invite_session.c never touches a
 * proxy (its active() is false).
 *
 * The API is synchronous, the engine is not: a request is sent and the
 * messenger's connection is driven right here until the answer arrives
 * (at most SPROXY_WAIT_MS). Every other line that arrives meanwhile is
 * handled as usual; the events it queues are delivered by the next
 * msgr_messenger_process(), never inside the call.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "msnp_lsess.h"
#include "msnp_write.h"

#define SPROXY_WAIT_MS 5000

enum { OP_SGL = 1, OP_SCD, OP_SCN };

/* The request being waited for (m->sp_wait). */
typedef struct sproxy_wait {
    uint32_t trid;
    bool done;
    int error;               /* the MSNP error answered, 0 = none */
    msgr_hr hr;              /* SCD / SCN: the serving messenger's result */
    msgr_session_manager *owner; /* SGL: the manager that asks */
    msgr_session *session;   /* SGL: the proxy */
} sproxy_wait;

/* ---- proxies ------------------------------------------------------------------- */

/* The proxy of that session, a running one first. */
static msgr_session *proxy_by_id(msgr_messenger *m, const char *id)
{
    msgr_session *ended = NULL;
    for (msgr_obj *o = m->children; o; o = o->next) {
        msgr_session *s = (msgr_session *)o;
        if (o->kind != OBJ_SESSION || !s->proxy || strcasecmp(s->id, id) != 0)
            continue;
        if (!s->proxy_ended)
            return s;
        ended = s;
    }
    return ended;
}

static void queue(msgr_session *s, sinv_dispid what, msgr_hr hr, int arg2, const char *text)
{
    if (s->m)
        ev_queue_to(s->m, &s->base, EV_SINV, hr, (int)what, arg2, NULL, text);
}

/* Like a running session of invite_session.c, a proxy is kept alive by
 * the library until its OnTermination is queued (the queued event holds
 * it until delivered). */
static void end_proxy(msgr_session *s, msgr_hr hr, const char *data)
{
    if (s->proxy_ended)
        return;
    s->proxy_ended = true;
    queue(s, SINV_ON_TERMINATION, hr, 0, data);
    if (s->held) {
        s->held = false;
        if (s->m)
            pool_borrow(s->m, s);
        obj_unref(s);
    }
}

static void set_contact(msgr_session *s, const char *signin)
{
    msgr_contact *c = NULL;
    if (signin[0] && MSGR_SUCCEEDED(check_signin_name(signin)))
        c = contact_get(s->m, signin);
    obj_ref(c);
    obj_unref(s->contact);
    s->contact = c;
}

/* Copies a checked snapshot into the proxy. */
static void apply_snapshot(msgr_session *s, const msnp_lsess_snapshot *snap)
{
    char guid[SINV_GUID_SIZE];
    sinv_guid_normalize(snap->session_id, s->id);
    s->guid[0] = '\0';
    if (snap->app_guid[0] && sinv_guid_normalize(snap->app_guid, guid))
        memcpy(s->guid, guid, sizeof guid);
    s->state = (SESSION_STATE)snap->state;
    s->flags = (long)snap->flags;
    msgr_str_replace(&s->app_name, snap->app_name);
    msgr_str_replace(&s->app_url, snap->app_url);
    free(s->context);
    s->context = snap->has_context ? msgr_strdup(snap->context) : NULL;
    snprintf(s->local_addr, sizeof s->local_addr, "%s", snap->local_addr);
    snprintf(s->remote_addr, sizeof s->remote_addr, "%s", snap->remote_addr);
    set_contact(s, snap->user);
    if (sinv_is_final(s->state))
        s->proxy_ended = true; /* its termination happened before we asked */
}

/* A new proxy owned by the manager that asked, held while it runs. */
static msgr_session *proxy_new(msgr_messenger *m, msgr_session_manager *owner)
{
    msgr_session *s = sinv_session_new(m, owner, 0);
    if (!s)
        return NULL;
    s->proxy = true;
    s->held = true; /* the reference sinv_session_new() gave */
    return s;
}

/* The SGL answer: the proxy of that session, created or refreshed. */
static msgr_session *take_snapshot(msgr_messenger *m, msgr_session_manager *owner,
                                   const msnp_cmd *cmd)
{
    msnp_lsess_snapshot snap;
    char id[SINV_GUID_SIZE];
    if (msnp_lsess_parse_snapshot(cmd->params + 1, cmd->nparams - 1, &snap) != MSNP_OK)
        return NULL;
    msgr_session *s = NULL;
    if (sinv_guid_normalize(snap.session_id, id) && sinv_text_valid(snap.app_name, MSGR_APP_NAME_MAX) &&
        sinv_text_valid(snap.app_url, MSGR_APP_URL_MAX)) {
        s = proxy_by_id(m, id);
        if (s && s->proxy_ended)
            s = NULL; /* an old view: this is a new look at it */
        if (!s && owner)
            s = proxy_new(m, owner);
        if (s)
            apply_snapshot(s, &snap);
        if (s && s->proxy_ended && s->held) {
            s->held = false; /* ended before we asked: nothing to wait for */
            pool_borrow(m, s);
            obj_unref(s);
        }
    }
    msnp_lsess_snapshot_free(&snap);
    return s;
}

/* ---- pushed lines ----------------------------------------------------------------- */

static void on_state(msgr_session *s, const msnp_lsess_event *e)
{
    if (s->proxy_ended || e->state == (unsigned)s->state)
        return;
    s->state = (SESSION_STATE)e->state;
    queue(s, SINV_ON_STATE_CHANGED, MSGR_S_OK, (int)e->prev, NULL);
}

static void on_event(msgr_session *s, const msnp_lsess_event *e)
{
    const char *text = e->text ? e->text : "";
    if (s->proxy_ended)
        return;
    switch (e->dispid) {
    case SINV_ON_CONTEXT_DATA:
    case SINV_ON_ACCEPTED:
        msgr_str_replace(&s->context, text); /* ContextData reads it */
        queue(s, (sinv_dispid)e->dispid, MSGR_S_OK, 0, text);
        break;
    case SINV_ON_TERMINATION:
        end_proxy(s, (msgr_hr)e->hr, text);
        break;
    case SINV_ON_SEND_ERROR:
        queue(s, SINV_ON_SEND_ERROR, (msgr_hr)e->hr, 0, NULL);
        break;
    default: /* OnDeclined, OnCancelled */
        queue(s, (sinv_dispid)e->dispid, MSGR_S_OK, 0, text);
        break;
    }
}

static void on_pushed(msgr_messenger *m, const msnp_cmd *cmd)
{
    msnp_lsess_event e;
    char id[SINV_GUID_SIZE];
    if (msnp_lsess_parse_event(cmd->code, cmd->params, cmd->nparams, &e) != MSNP_OK)
        return; /* not sound: ignored, like any unknown line */
    msgr_session *s = sinv_guid_normalize(e.session_id, id) ? proxy_by_id(m, id) : NULL;
    if (s && e.dispid == SINV_ON_STATE_CHANGED)
        on_state(s, &e);
    else if (s)
        on_event(s, &e);
    msnp_lsess_event_free(&e);
}

/* ---- answers ------------------------------------------------------------------------ */

/* The request an answer is for, taken out of the table; false when it is
 * not one of ours (a late answer after a timeout, or noise). */
static bool take_request(msgr_messenger *m, const msnp_cmd *cmd, uint32_t *trid, int *op)
{
    request r;
    if (cmd->nparams < 1 || msnp_parse_u32(cmd->params[0], trid) != MSNP_OK || *trid == 0)
        return false;
    bool ours = false;
    for (size_t i = 0; i < m->ns.nreqs && !ours; i++)
        ours = m->ns.reqs[i].trid == *trid && m->ns.reqs[i].kind == REQ_SESSION;
    if (!ours || !ns_take(&m->ns, *trid, &r))
        return false;
    *op = r.flag;
    ns_request_clear(&r);
    return true;
}

static sproxy_wait *waiting_for(msgr_messenger *m, uint32_t trid)
{
    sproxy_wait *w = m->sp_wait;
    return w && !w->done && w->trid == trid ? w : NULL;
}

/* "SCD trid SessionID hr" / "SCN trid SessionID hr". */
static void on_result(sproxy_wait *w, const msnp_cmd *cmd)
{
    uint32_t hr;
    if (cmd->nparams == 3 && msnp_lsess_parse_hr(cmd->params[2], &hr) == MSNP_OK)
        w->hr = (msgr_hr)hr;
    else
        w->error = 500; /* an answer we cannot read */
    w->done = true;
}

static void on_answer(msgr_messenger *m, const msnp_cmd *cmd, int want_op)
{
    uint32_t trid;
    int op = 0;
    if (!take_request(m, cmd, &trid, &op) || op != want_op)
        return;
    sproxy_wait *w = waiting_for(m, trid);
    if (!w)
        return;
    if (op == OP_SGL) {
        w->session = take_snapshot(m, w->owner, cmd);
        w->error = w->session ? 0 : 500;
        w->done = true;
    } else {
        on_result(w, cmd);
    }
}

bool sproxy_on_command(msgr_messenger *m, const msnp_cmd *cmd)
{
    const char *k = cmd->code;
    if (!m->attach || cmd->error_code)
        return false;
    if (!strcmp(k, "SGL"))
        on_answer(m, cmd, OP_SGL);
    else if (!strcmp(k, "SCD"))
        on_answer(m, cmd, OP_SCD);
    else if (!strcmp(k, "SCN"))
        on_answer(m, cmd, OP_SCN);
    else if (!strcmp(k, "SST") || !strcmp(k, "SEV"))
        on_pushed(m, cmd);
    else
        return false;
    return true;
}

void sproxy_on_error(msgr_messenger *m, request *r, int code)
{
    sproxy_wait *w = waiting_for(m, r->trid);
    if (!w)
        return;
    w->error = code ? code : 500;
    w->done = true;
}

/* ---- the synchronous round trip --------------------------------------------------- */

/* Every complete line goes to the session as in msgr_messenger_process();
 * false when the stream broke (the next process() reports it). */
static bool drain(msgr_messenger *m)
{
    msnp_cmd cmd;
    while (m->ns.parser) {
        int rc = msnp_parser_next(m->ns.parser, &cmd);
        if (rc == 0)
            return true;
        if (rc < 0)
            return false;
        session_on_command(m, &cmd);
    }
    return false;
}

/* One poll() of the messenger's connection, at most timeout ms. False
 * when the connection failed (left to the next process() to report). */
static bool pump_once(msgr_messenger *m, int timeout)
{
    bool connected = false;
    struct pollfd p = { m->ns.fd, POLLIN, 0 };
    if (ns_wants_write(&m->ns))
        p.events |= POLLOUT;
    int rc = poll(&p, 1, timeout);
    if (rc <= 0)
        return rc == 0 || errno == EINTR;
    bool rd = p.revents & (POLLIN | POLLHUP | POLLERR);
    bool wr = p.revents & (POLLOUT | POLLHUP | POLLERR);
    if (ns_io(&m->ns, rd, wr, &connected) != NS_IO_OK)
        return false;
    if (!rd)
        return true;
    int n = ns_read_some(&m->ns);
    return drain(m) && n >= 0;
}

/* Waits for w's answer. The request is forgotten when it does not come. */
static void wait_answer(msgr_messenger *m, sproxy_wait *w)
{
    int64_t end = msgr_now_ms() + SPROXY_WAIT_MS;
    m->sp_wait = w;
    while (!w->done && m->ns.fd >= 0 && m->sp_wait == w) {
        int64_t left = end - msgr_now_ms();
        if (left <= 0 || !pump_once(m, (int)left))
            break;
    }
    m->sp_wait = NULL;
    request r;
    if (!w->done && ns_take(&m->ns, w->trid, &r))
        ns_request_clear(&r); /* a late answer is then ignored */
}

/* Sends "CODE trid params..." and waits. False when it could not be sent
 * or no answer came; w->error / w->hr / w->session hold the answer. */
static bool round_trip(msgr_messenger *m, sproxy_wait *w, const char *code, int op,
                       size_t n, const char *const *params)
{
    ns_conn *ns = &m->ns;
    if (m->phase != PHASE_ONLINE || ns->fd < 0 || m->sp_wait)
        return false; /* not signed in, or already waiting */
    uint32_t t = ns_trid(ns);
    size_t mark = ns->out.len;
    if (msnp_write_line(&ns->out, code, t, n, params) != MSNP_OK ||
        ns_track(ns, t, REQ_SESSION, NULL, NULL, op, NULL) != 0) {
        msnp_buf_truncate(&ns->out, mark);
        return false;
    }
    w->trid = t;
    ns_flush_out(ns);
    wait_answer(m, w);
    return w->done;
}

/* ---- the public members' attached half ---------------------------------------------- */

msgr_hr sproxy_get_launching(msgr_session_manager *g, pid_t pid, msgr_session **out)
{
    char num[16];
    sproxy_wait w = { 0 };
    const char *params[1] = { num };
    snprintf(num, sizeof num, "%ld", (long)pid);
    w.owner = g;
    if (!round_trip(g->m, &w, "SGL", OP_SGL, 1, params) || w.error || !w.session)
        return MSGR_E_FAIL; /* not launched by it, no answer, or not signed in */
    pool_borrow(g->m, w.session);
    *out = w.session;
    return MSGR_S_OK;
}

/* "CODE trid SessionID [hr] data" and the serving messenger's result. */
static msgr_hr act(msgr_session *s, const char *code, int op, const char *hr_token,
                   const char *data)
{
    msnp_buf tok = MSNP_BUF_INIT;
    sproxy_wait w = { 0 };
    const char *params[3];
    size_t n = 0;
    if (msnp_lsess_text_encode(&tok, data) != MSNP_OK) {
        msnp_buf_free(&tok);
        return MSGR_E_OUTOFMEMORY;
    }
    params[n++] = s->id;
    if (hr_token)
        params[n++] = hr_token;
    params[n++] = tok.data;
    bool answered = round_trip(s->m, &w, code, op, n, params);
    msnp_buf_free(&tok);
    if (!answered || w.error)
        return MSGR_E_FAIL; /* the serving messenger is gone or refused */
    return w.hr;
}

msgr_hr sproxy_send_context(msgr_session *s, const char *data)
{
    return act(s, "SCD", OP_SCD, NULL, data);
}

msgr_hr sproxy_cancel(msgr_session *s, msgr_hr why, const char *data)
{
    char hex[9];
    msnp_lsess_format_hr((uint32_t)why, hex);
    return act(s, "SCN", OP_SCN, hex, data);
}

/* ---- the end of the link ---------------------------------------------------------------- */

/* The proxies end: final state (as finish_abrupt() would choose), then
 * OnTermination, unless the serving messenger told them already. */
static void end_all(msgr_messenger *m, msgr_hr why)
{
    for (msgr_obj *o = m->children; o; o = o->next) {
        msgr_session *s = (msgr_session *)o;
        if (o->kind != OBJ_SESSION || !s->proxy || s->proxy_ended)
            continue;
        SESSION_STATE prev = s->state;
        if (!sinv_is_final(prev)) {
            s->state = prev == SS_CONNECTED ? SS_TERMINATED : SS_CANCELLED;
            queue(s, SINV_ON_STATE_CHANGED, MSGR_S_OK, (int)prev, NULL);
        }
        end_proxy(s, why, "");
    }
}

/* OnAppShutdown, queued, on every manager that did not hear it yet. */
static void tell_managers(msgr_messenger *m)
{
    msgr_session_manager **list;
    size_t n = sinv_managers(m, false, &list);
    for (size_t i = 0; i < n; i++) {
        if (list[i]->shutdown_told)
            continue;
        list[i]->shutdown_told = true;
        ev_queue_to(m, &list[i]->base, EV_SINV, MSGR_S_OK, SINV_ON_APP_SHUTDOWN, 0,
                    NULL, NULL);
    }
    sinv_managers_free(list, n);
}

void sproxy_link_lost(msgr_messenger *m, msgr_hr hr)
{
    if (m->sp_wait) {
        m->sp_wait->error = 500;
        m->sp_wait->done = true;
    }
    /* Our own sign-out leaves the session running over there. */
    end_all(m, MSGR_FAILED(hr) ? SR_CONNECTION_FAILURE : SR_SESSION_CANCELLED_LOCAL);
    if (MSGR_FAILED(hr))
        tell_managers(m);
}
