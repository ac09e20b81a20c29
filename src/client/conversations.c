/*
 * conversations.c - conversation windows and their switchboard sessions
 * (msnp.md 5; api-scope.md 5.7, 5.12, 6.4).
 *
 * Outgoing:  XFR SB (on the NS) -> connect -> USR handle cookie -> USR OK
 *            -> CAL each invitee -> JOI -> participant.
 * Incoming:  RNG (on the NS) -> window -> connect -> ANS handle cookie sid
 *            -> IRO per participant -> ANS OK.
 * Messages written before anyone is there wait in the window's queue; a
 * conversation everybody left invites the last participants again when
 * the user writes; a message that crossed the last participant's BYE
 * comes back as NAK before the switchboard closes the session, and is
 * queued for that new session too. Each switchboard connection is an
 * ns_conn (same
 * parser, output buffer and request table as the notification server).
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "msnp_msgbody.h"
#include "msnp_url.h"
#include "msnp_write.h"

#define MAX_TEXT 1400        /* fits msgrd's 1664-byte MSG payload limit */
#define DEFAULT_WIDTH 400
#define DEFAULT_HEIGHT 300
#define SENT_KEEP 16         /* messages kept for a NAK after a BYE */
#define LEAVE_WAIT_MS 5000   /* a switchboard that keeps the session open
                              * after our OUT is not waited for longer */

/* ---- the window object ---------------------------------------------------- */

static void drop_contacts(msgr_contact ***list, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        obj_unref((*list)[i]);
    free(*list);
    *list = NULL;
    *n = 0;
}

static void drop_msgs(pending_msg **list, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free((*list)[i].payload);
    free(*list);
    *list = NULL;
    *n = 0;
}

static void drop_queue(msgr_window *w)
{
    drop_msgs(&w->queued, &w->nqueued);
}

static void window_destroy(msgr_obj *o)
{
    msgr_window *w = (msgr_window *)o;
    ns_close(&w->sb);
    free(w->sb.reqs);
    msnp_buf_free(&w->sb.out);
    drop_contacts(&w->members, &w->nmembers);
    drop_contacts(&w->invitees, &w->ninvitees);
    drop_queue(w);
    drop_msgs(&w->sent, &w->nsent);
    msnp_buf_free(&w->history);
    free(w->cookie);
    free(w);
}

/* A new open window in m->windows (which holds its reference). */
static msgr_window *window_new(msgr_messenger *m, bool incoming)
{
    if (m->nwindows == m->capwindows) {
        size_t cap = m->capwindows ? m->capwindows * 2 : 4;
        msgr_window **t = realloc(m->windows, cap * sizeof *t);
        if (!t)
            return NULL;
        m->windows = t;
        m->capwindows = cap;
    }
    msgr_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    obj_init(&w->base, OBJ_WINDOW, window_destroy);
    obj_attach(m, &w->base, &w->m);
    ns_init(&w->sb);
    msnp_buf_init(&w->history);
    w->incoming = incoming;
    w->state = WIN_IDLE;
    w->width = DEFAULT_WIDTH;
    w->height = DEFAULT_HEIGHT;
    w->view[0] = w->view[1] = true;
    m->windows[m->nwindows++] = w;
    ev_window(m, EV_WIN_CREATED, NULL, w);
    return w;
}

static bool in_list(msgr_contact *const *list, size_t n, const msgr_contact *c)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == c)
            return true;
    return false;
}

static bool list_add(msgr_contact ***list, size_t *n, msgr_contact *c)
{
    if (in_list(*list, *n, c))
        return true;
    msgr_contact **t = realloc(*list, (*n + 1) * sizeof *t);
    if (!t)
        return false;
    *list = t;
    t[(*n)++] = c;
    obj_ref(c);
    return true;
}

static bool list_remove(msgr_contact **list, size_t *n, const msgr_contact *c)
{
    for (size_t i = 0; i < *n; i++) {
        if (list[i] != c)
            continue;
        obj_unref(list[i]);
        memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof *list);
        (*n)--;
        return true;
    }
    return false;
}

static void member_joined(msgr_window *w, msgr_contact *c, const char *enc_name)
{
    if (!c)
        return;
    obj_ref(c); /* the invitee list may hold the only reference */
    list_remove(w->invitees, &w->ninvitees, c);
    if (enc_name && !(c->lists & MSNP_LIST_FL)) {
        char *name = NULL;
        if (msnp_url_decode_dup(enc_name, MSNP_URL_LENIENT, &name) == MSNP_OK)
            (void)contact_set_friendly(c, name);
        free(name);
    }
    if (!in_list(w->members, w->nmembers, c) && list_add(&w->members, &w->nmembers, c))
        ev_window(w->m, EV_WIN_CONTACT_ADDED, c, w);
    obj_unref(c);
}

static void member_left(msgr_window *w, msgr_contact *c)
{
    if (c && in_list(w->members, w->nmembers, c)) {
        ev_window(w->m, EV_WIN_CONTACT_REMOVED, c, w);
        list_remove(w->members, &w->nmembers, c);
    }
}

/* The switchboard session is over: participants leave, the window stays
 * (IDLE) and remembers them as invitees for the next message. */
static msgr_hr start_outgoing(msgr_window *w);

static void sb_reset(msgr_window *w)
{
    bool was_leaving = w->state == WIN_LEAVING;
    ns_close(&w->sb);
    drop_msgs(&w->sent, &w->nsent);
    while (w->nmembers > 0) {
        msgr_contact *c = w->members[w->nmembers - 1];
        obj_ref(c);
        member_left(w, c);
        if (!list_add(&w->invitees, &w->ninvitees, c))
            break;
        obj_unref(c);
    }
    w->state = WIN_IDLE;
    /* Messages the switchboard refused (NAK) while we were leaving: the
     * user wrote them to these people, so invite them again. */
    bool again = was_leaving && (w->nqueued > 0 || w->recall);
    w->recall = false;
    if (again && w->m->phase == PHASE_ONLINE)
        (void)start_outgoing(w);
}

/* ---- history and messages ------------------------------------------------- */

static void history_add(msgr_window *w, const char *who, const char *text)
{
    (void)msnp_buf_appendf(&w->history, "%s: %s\n", who, text);
}

static bool queue_payload(msgr_window *w, msnp_buf *payload, char ack)
{
    pending_msg *t = realloc(w->queued, (w->nqueued + 1) * sizeof *t);
    if (!t)
        return false;
    w->queued = t;
    size_t len = payload->len;
    char *data = msnp_buf_detach(payload, &len);
    if (!data)
        return false;
    t[w->nqueued].payload = data;
    t[w->nqueued].len = len;
    t[w->nqueued].ack = ack;
    w->nqueued++;
    return true;
}

/* Keeps a sent message (taking its payload) for a NAK; the oldest goes
 * when SENT_KEEP are kept. */
static void remember_sent(msgr_window *w, pending_msg *q, uint32_t trid)
{
    if (q->ack == 'U' || (!w->sent && !(w->sent = calloc(SENT_KEEP, sizeof *w->sent)))) {
        free(q->payload); /* typing notices are not worth a retry */
        return;
    }
    if (w->nsent == SENT_KEEP) {
        free(w->sent[0].payload);
        memmove(&w->sent[0], &w->sent[1], (SENT_KEEP - 1) * sizeof w->sent[0]);
        w->nsent--;
    }
    w->sent[w->nsent] = *q;
    w->sent[w->nsent].trid = trid;
    w->nsent++;
}

/* "NAK trid" after everybody left: the message reached nobody; queue it
 * again for the next session (sb_reset starts it). A NAK while others are
 * still there means one of several missed it: sending it again would
 * duplicate it for the others. */
static void on_sb_nak(msgr_window *w, uint32_t trid)
{
    if (w->state != WIN_LEAVING && w->nmembers > 0)
        return;
    for (size_t i = 0; i < w->nsent; i++) {
        if (w->sent[i].trid != trid)
            continue;
        pending_msg *t = realloc(w->queued, (w->nqueued + 1) * sizeof *t);
        if (!t)
            return;
        w->queued = t;
        t[w->nqueued++] = w->sent[i];
        memmove(&w->sent[i], &w->sent[i + 1], (w->nsent - i - 1) * sizeof w->sent[0]);
        w->nsent--;
        return;
    }
}

/* Sends the queued messages once someone is there to read them. */
static void flush_queue(msgr_window *w)
{
    if (w->state != WIN_READY || w->nmembers == 0)
        return;
    for (size_t i = 0; i < w->nqueued; i++) {
        pending_msg *q = &w->queued[i];
        uint32_t t = ns_trid(&w->sb);
        if (msnp_write_msg_client(&w->sb.out, t, q->ack, q->payload, q->len) == MSNP_OK)
            remember_sent(w, q, t);
        else
            free(q->payload);
    }
    free(w->queued);
    w->queued = NULL;
    w->nqueued = 0;
    ns_flush_out(&w->sb);
}

/* ---- the switchboard session ---------------------------------------------- */

static void call_invitees(msgr_window *w)
{
    for (size_t i = 0; i < w->ninvitees; i++) {
        uint32_t t = ns_trid(&w->sb);
        if (msnp_write_cal_request(&w->sb.out, t, w->invitees[i]->signin) == MSNP_OK)
            (void)ns_track(&w->sb, t, REQ_CAL, w->invitees[i], NULL, 0, NULL);
    }
    ns_flush_out(&w->sb);
}

/* Asks the notification server for a switchboard (XFR SB). */
static msgr_hr start_outgoing(msgr_window *w)
{
    msgr_messenger *m = w->m;
    uint32_t t = ns_trid(&m->ns);
    size_t mark = m->ns.out.len;
    if (msnp_write_xfr_sb_request(&m->ns.out, t) != MSNP_OK ||
        ns_track_window(&m->ns, t, REQ_XFR_SB, w) != 0) {
        msnp_buf_truncate(&m->ns.out, mark);
        return MSGR_E_OUTOFMEMORY;
    }
    ns_flush_out(&m->ns);
    w->incoming = false;
    w->state = WIN_XFR;
    return MSGR_S_OK;
}

static bool split_addr(const char *hp, char *host, size_t cap, uint16_t *port)
{
    const char *colon = strrchr(hp, ':');
    uint32_t p;
    if (!colon || colon == hp || (size_t)(colon - hp) >= cap ||
        msnp_parse_u32(colon + 1, &p) != MSNP_OK || p == 0 || p > 65535)
        return false;
    memcpy(host, hp, (size_t)(colon - hp));
    host[colon - hp] = '\0';
    *port = (uint16_t)p;
    return true;
}

static bool connect_sb(msgr_window *w, const char *addr, const char *cookie)
{
    char host[256];
    uint16_t port;
    if (!split_addr(addr, host, sizeof host, &port))
        return false;
    msgr_str_replace(&w->cookie, cookie);
    if (!w->cookie || ns_connect(&w->sb, host, port) != 0)
        return false;
    w->state = WIN_CONNECTING;
    return true;
}

/* NS: "XFR trid SB host:port CKI cookie" for an outgoing conversation. */
void conv_on_xfr_sb(msgr_messenger *m, const msnp_cmd *cmd, request *r)
{
    (void)m;
    msgr_window *w = r ? r->window : NULL;
    if (!w || w->state != WIN_XFR)
        return;
    if (cmd->nparams < 4 || !connect_sb(w, cmd->params[1], cmd->params[3]))
        sb_reset(w);
}

/* NS: the XFR SB failed (913 while invisible, 600 busy, ...): nobody can
 * be reached; the window stays open and empty. */
void conv_xfr_failed(msgr_messenger *m, request *r)
{
    (void)m;
    if (r->window && r->window->state == WIN_XFR)
        r->window->state = WIN_IDLE;
}

/* NS: "RNG sid host:port CKI cookie caller name": someone invites us. */
void conv_on_rng(msgr_messenger *m, const msnp_cmd *cmd)
{
    uint32_t sid;
    if (m->phase != PHASE_ONLINE || cmd->nparams < 5 ||
        msnp_parse_u32(cmd->params[0], &sid) != MSNP_OK)
        return;
    msgr_window *w = window_new(m, true);
    if (!w)
        return;
    w->session_id = sid;
    if (!connect_sb(w, cmd->params[1], cmd->params[3]))
        w->state = WIN_IDLE;
}

static void on_connected(msgr_window *w)
{
    msgr_messenger *m = w->m;
    uint32_t t = ns_trid(&w->sb);
    int rc = w->incoming
                 ? msnp_write_ans_request(&w->sb.out, t, m->signin, w->cookie, w->session_id)
                 : msnp_write_usr_sb_request(&w->sb.out, t, m->signin, w->cookie);
    if (rc != MSNP_OK || ns_track(&w->sb, t, REQ_SB_AUTH, NULL, NULL, 0, NULL) != 0) {
        sb_reset(w);
        return;
    }
    w->state = WIN_AUTH;
    ns_flush_out(&w->sb);
}

static void on_sb_text(msgr_window *w, const msnp_cmd *cmd, msgr_contact *from)
{
    msnp_text_msg msg;
    if (msnp_text_parse(cmd->payload, cmd->payload_len, &msg) != MSNP_OK)
        return;
    char *name = NULL;
    if (msnp_url_decode_dup(cmd->params[1], MSNP_URL_LENIENT, &name) != MSNP_OK)
        name = msgr_strdup(cmd->params[0]);
    history_add(w, name ? name : cmd->params[0], msg.text);
    free(name);
    ev_window_text(w->m, EV_WIN_MESSAGE, from, w, msg.text);
    msnp_text_msg_free(&msg);
}

/* "MSG handle name length" from a participant: text, typing notices and
 * invitations; other kinds (client caps, emoticons) change nothing. */
static void on_sb_message(msgr_window *w, const msnp_cmd *cmd)
{
    if (cmd->nparams < 2)
        return;
    msgr_contact *from = contact_get(w->m, cmd->params[0]);
    if (!from)
        return;
    switch (msnp_msg_classify(cmd->payload, cmd->payload_len)) {
    case MSNP_MSG_TEXT:
        on_sb_text(w, cmd, from);
        break;
    case MSNP_MSG_TYPING:
        ev_window(w->m, EV_WIN_TYPING, from, w);
        break;
    case MSNP_MSG_INVITE:
        invite_on_message(w, from, cmd->payload, cmd->payload_len);
        break;
    default:
        break;
    }
}

static void on_sb_error(msgr_window *w, const msnp_cmd *cmd)
{
    request r;
    if (!cmd->has_trid || !ns_take(&w->sb, cmd->trid, &r))
        return;
    if (r.kind == REQ_CAL && r.contact)
        list_remove(w->invitees, &w->ninvitees, r.contact); /* 217: not reachable */
    else if (r.kind == REQ_SB_AUTH)
        sb_reset(w);
    ns_request_clear(&r);
}

/* Everybody left: leave the switchboard too (it would close us for
 * idleness anyway) and remember who was there, to invite them again when
 * the user writes. */
static void leave_alone(msgr_window *w, msgr_contact *last)
{
    if (last)
        (void)list_add(&w->invitees, &w->ninvitees, last);
    (void)msnp_write_out(&w->sb.out, NULL);
    ns_flush_out(&w->sb);
    if (w->nsent > 0 && w->sb.fd >= 0) {
        /* A message sent just before the BYE arrived may have reached
         * nobody: the switchboard answers it with NAK before it closes
         * the session after our OUT, so read until then (sb_reset). */
        w->state = WIN_LEAVING;
        w->leave_deadline = msgr_now_ms() + LEAVE_WAIT_MS;
        return;
    }
    ns_close(&w->sb);
    drop_msgs(&w->sent, &w->nsent);
    w->state = WIN_IDLE;
}

static void on_sb_command(msgr_window *w, const msnp_cmd *cmd)
{
    const char *c = cmd->code;
    const char *const *p = cmd->params;
    msgr_messenger *m = w->m;
    request r;
    if (cmd->error_code) {
        on_sb_error(w, cmd);
        return;
    }
    if (cmd->has_trid && strcmp(c, "IRO") != 0 && ns_take(&w->sb, cmd->trid, &r))
        ns_request_clear(&r);
    if ((strcmp(c, "USR") == 0 || strcmp(c, "ANS") == 0) && cmd->nparams >= 1 &&
        strcmp(p[0], "OK") == 0) {
        w->state = WIN_READY;
        call_invitees(w);
        flush_queue(w);
    } else if (strcmp(c, "IRO") == 0 && cmd->nparams >= 4) {
        member_joined(w, contact_get(m, p[2]), p[3]);
    } else if (strcmp(c, "JOI") == 0 && cmd->nparams >= 1) {
        member_joined(w, contact_get(m, p[0]), cmd->nparams >= 2 ? p[1] : NULL);
        flush_queue(w);
    } else if (strcmp(c, "BYE") == 0 && cmd->nparams >= 1) {
        msgr_contact *gone = contact_find(m, p[0]);
        obj_ref(gone);
        member_left(w, gone);
        if (w->nmembers == 0 && w->ninvitees == 0)
            leave_alone(w, gone);
        obj_unref(gone);
    } else if (strcmp(c, "MSG") == 0) {
        on_sb_message(w, cmd);
    } else if (strcmp(c, "NAK") == 0 && cmd->has_trid) {
        on_sb_nak(w, cmd->trid);
    } else if (strcmp(c, "OUT") == 0) {
        sb_reset(w);
    }
}

/* ---- loop integration -------------------------------------------------------- */

size_t conv_fds(msgr_messenger *m, msgr_pollfd *fds, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < m->nwindows; i++) {
        ns_conn *sb = &m->windows[i]->sb;
        if (sb->fd < 0)
            continue;
        if (n < cap) {
            fds[n].fd = sb->fd;
            fds[n].events = (short)(MSGR_POLL_IN | (ns_wants_write(sb) ? MSGR_POLL_OUT : 0));
        }
        n++;
    }
    return n;
}

static void drain(msgr_window *w)
{
    msnp_cmd cmd;
    while (w->sb.parser && w->state != WIN_CLOSED) {
        int rc = msnp_parser_next(w->sb.parser, &cmd);
        if (rc == 0)
            return;
        if (rc < 0) {
            sb_reset(w);
            return;
        }
        on_sb_command(w, &cmd);
        ev_flush(w->m); /* as for the notification server (loop.c) */
    }
}

static void window_progress(msgr_window *w)
{
    struct pollfd p = { w->sb.fd, POLLIN, 0 };
    bool connected = false;
    if (ns_wants_write(&w->sb))
        p.events |= POLLOUT;
    if (poll(&p, 1, 0) <= 0)
        return;
    bool rd = p.revents & (POLLIN | POLLHUP | POLLERR);
    bool wr = p.revents & (POLLOUT | POLLHUP | POLLERR);
    if (ns_io(&w->sb, rd, wr, &connected) != NS_IO_OK) {
        sb_reset(w);
        return;
    }
    if (connected)
        on_connected(w);
    if (!rd || w->sb.connecting)
        return;
    for (;;) {
        int n = ns_read_some(&w->sb);
        drain(w);
        if (n < 0 && w->sb.fd >= 0)
            sb_reset(w);
        if (n <= 0 || w->sb.fd < 0)
            return;
    }
}

void conv_progress(msgr_messenger *m)
{
    size_t n = m->nwindows;
    if (n == 0)
        return;
    msgr_window **copy = malloc(n * sizeof *copy);
    if (!copy)
        return;
    memcpy(copy, m->windows, n * sizeof *copy);
    for (size_t i = 0; i < n; i++)
        obj_ref(copy[i]);
    int64_t now = msgr_now_ms();
    for (size_t i = 0; i < n; i++) {
        if (copy[i]->sb.fd >= 0 && copy[i]->state != WIN_CLOSED)
            window_progress(copy[i]);
        if (copy[i]->state == WIN_LEAVING && now >= copy[i]->leave_deadline)
            sb_reset(copy[i]); /* stop waiting; queued messages go out anew */
        obj_unref(copy[i]);
    }
    free(copy);
}

int64_t conv_next_deadline(msgr_messenger *m)
{
    int64_t due = 0;
    for (size_t i = 0; i < m->nwindows; i++) {
        const msgr_window *w = m->windows[i];
        if (w->state == WIN_LEAVING && (!due || w->leave_deadline < due))
            due = w->leave_deadline;
    }
    return due;
}

/* ---- closing ------------------------------------------------------------------ */

static void window_close(msgr_window *w, bool report)
{
    msgr_messenger *m = w->m;
    w->closing = true;
    invite_window_closing(w); /* cancels go out before OUT */
    if (w->sb.fd >= 0 && !w->sb.connecting) {
        (void)msnp_write_out(&w->sb.out, NULL);
        ns_flush_out(&w->sb);
    }
    ns_close(&w->sb);
    w->state = WIN_CLOSED;
    drop_contacts(&w->invitees, &w->ninvitees);
    drop_queue(w);
    drop_msgs(&w->sent, &w->nsent);
    for (size_t i = 0; i < m->nwindows; i++) {
        if (m->windows[i] != w)
            continue;
        memmove(&m->windows[i], &m->windows[i + 1],
                (m->nwindows - i - 1) * sizeof m->windows[0]);
        m->nwindows--;
        if (report)
            ev_window(m, EV_WIN_DESTROYED, NULL, w);
        pool_borrow(m, w);
        obj_unref(w); /* the table's reference */
        return;
    }
}

/* Sign-out and release: every conversation window closes (6.3 step 3). */
void conv_close_all(msgr_messenger *m, bool report)
{
    while (m->nwindows > 0)
        window_close(m->windows[m->nwindows - 1], report);
    invite_shutdown(m); /* transfers and sessions without a window */
}

/* ---- public API --------------------------------------------------------------- */

static bool online(const msgr_messenger *m)
{
    return m && m->phase == PHASE_ONLINE;
}

static msgr_window *live_window(msgr_window *w)
{
    msgr_obj *o = obj_check(w);
    return o && o->kind == OBJ_WINDOW && w->m && w->state != WIN_CLOSED ? w : NULL;
}

static msgr_contact *own_contact(msgr_messenger *m, msgr_contact *c)
{
    msgr_obj *o = obj_check(c);
    return o && o->kind == OBJ_CONTACT && c->m == m ? c : NULL;
}

/* The open window whose only other party is c, if any (window reuse). */
static msgr_window *window_for(msgr_messenger *m, const msgr_contact *c)
{
    for (size_t i = 0; i < m->nwindows; i++) {
        msgr_window *w = m->windows[i];
        size_t n = w->nmembers + w->ninvitees;
        if (n == 1 && (in_list(w->members, w->nmembers, c) ||
                       in_list(w->invitees, w->ninvitees, c)))
            return w;
    }
    return NULL;
}

msgr_hr msgr_messenger_instant_message(msgr_messenger *m, msgr_contact *contact,
                                       msgr_conversation **window)
{
    msgr_obj *mo = obj_check(m);
    if (!mo || mo->kind != OBJ_MESSENGER)
        return MSGR_E_POINTER;
    if (!window)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!own_contact(m, contact))
        return MSGR_E_INVALIDARG;
    if (!online(m))
        return MSGR_E_NOT_LOGGED_ON;
    if (contact_is_self(contact))
        return MSGR_E_FAIL;
    msgr_window *w = window_for(m, contact);
    if (w) {
        *window = w;
        return MSGR_S_OK;
    }
    w = window_new(m, false);
    if (!w || !list_add(&w->invitees, &w->ninvitees, contact) ||
        MSGR_FAILED(start_outgoing(w))) {
        if (w)
            window_close(w, true);
        return MSGR_E_OUTOFMEMORY;
    }
    *window = w;
    return MSGR_S_OK;
}

msgr_hr msgr_window_close(msgr_window *w)
{
    msgr_obj *o = obj_check(w);
    if (!o || o->kind != OBJ_WINDOW)
        return MSGR_E_POINTER;
    if (w->state == WIN_CLOSED || !w->m)
        return MSGR_S_FALSE;
    window_close(w, true);
    return MSGR_S_OK;
}

msgr_hr msgr_window_get_is_closed(msgr_window *w, bool *is_closed)
{
    msgr_obj *o = obj_check(w);
    if (!o || o->kind != OBJ_WINDOW)
        return MSGR_E_POINTER;
    if (!is_closed)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    *is_closed = w->state == WIN_CLOSED || !w->m;
    return MSGR_S_OK;
}

typedef enum geometry { GEO_LEFT, GEO_TOP, GEO_WIDTH, GEO_HEIGHT } geometry;

static int32_t *geometry_field(msgr_window *w, geometry g)
{
    switch (g) {
    case GEO_LEFT: return &w->left;
    case GEO_TOP: return &w->top;
    case GEO_WIDTH: return &w->width;
    case GEO_HEIGHT: return &w->height;
    }
    return &w->left;
}

static msgr_hr get_geometry(msgr_window *w, geometry g, long *out)
{
    if (!out)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_window(w))
        return MSGR_E_FAIL;
    *out = *geometry_field(w, g);
    return MSGR_S_OK;
}

/* Width and height must be positive; left and top are not checked (a
 * minimized window sits around -32000). */
static msgr_hr set_geometry(msgr_window *w, geometry g, long value)
{
    if (!live_window(w))
        return MSGR_E_FAIL;
    bool size = g == GEO_WIDTH || g == GEO_HEIGHT;
    if ((size && value <= 0) || value > INT32_MAX || value < INT32_MIN)
        return MSGR_E_INVALIDARG;
    *geometry_field(w, g) = (int32_t)value;
    return MSGR_S_OK;
}

msgr_hr msgr_window_get_left(msgr_window *w, long *v) { return get_geometry(w, GEO_LEFT, v); }
msgr_hr msgr_window_set_left(msgr_window *w, long v) { return set_geometry(w, GEO_LEFT, v); }
msgr_hr msgr_window_get_top(msgr_window *w, long *v) { return get_geometry(w, GEO_TOP, v); }
msgr_hr msgr_window_set_top(msgr_window *w, long v) { return set_geometry(w, GEO_TOP, v); }
msgr_hr msgr_window_get_width(msgr_window *w, long *v) { return get_geometry(w, GEO_WIDTH, v); }
msgr_hr msgr_window_set_width(msgr_window *w, long v) { return set_geometry(w, GEO_WIDTH, v); }
msgr_hr msgr_window_get_height(msgr_window *w, long *v) { return get_geometry(w, GEO_HEIGHT, v); }
msgr_hr msgr_window_set_height(msgr_window *w, long v) { return set_geometry(w, GEO_HEIGHT, v); }

msgr_hr msgr_window_get_property(msgr_window *w, MWINDOWPROPERTY prop,
                                 msgr_variant *value)
{
    if (!value)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (prop != MWINDOWPROP_VIEW_SIDEBAR && prop != MWINDOWPROP_VIEW_TOOLBAR)
        return MSGR_E_INVALIDARG;
    if (window_is_plain(w))
        return MSGR_E_NOTIMPL; /* main, Phone, Page window (api-scope.md 5.12) */
    if (!live_window(w))
        return MSGR_E_FAIL;
    value->vt = MSGR_VT_BOOL;
    value->u.boolean = w->view[prop];
    return MSGR_S_OK;
}

msgr_hr msgr_window_set_property(msgr_window *w, MWINDOWPROPERTY prop,
                                 const msgr_variant *value)
{
    if ((prop != MWINDOWPROP_VIEW_SIDEBAR && prop != MWINDOWPROP_VIEW_TOOLBAR) ||
        !value || value->vt != MSGR_VT_BOOL)
        return MSGR_E_INVALIDARG;
    if (window_is_plain(w))
        return MSGR_E_NOTIMPL; /* main, Phone, Page window (api-scope.md 5.12) */
    if (!live_window(w))
        return MSGR_E_FAIL;
    if (w->view[prop] == value->u.boolean)
        return MSGR_S_FALSE;
    w->view[prop] = value->u.boolean;
    return MSGR_S_OK;
}

msgr_hr msgr_conversation_add_contact(msgr_conversation *w, msgr_contact *contact)
{
    if (!window_is_conversation(w) || !online(w->m))
        return MSGR_E_FAIL;
    if (!own_contact(w->m, contact))
        return MSGR_E_INVALIDARG;
    if (contact_is_self(contact))
        return MSGR_E_FAIL;
    if (in_list(w->members, w->nmembers, contact) ||
        in_list(w->invitees, w->ninvitees, contact))
        return MSGR_S_FALSE;
    if (!list_add(&w->invitees, &w->ninvitees, contact))
        return MSGR_E_OUTOFMEMORY;
    if (w->state == WIN_READY) {
        uint32_t t = ns_trid(&w->sb);
        if (msnp_write_cal_request(&w->sb.out, t, contact->signin) == MSNP_OK)
            (void)ns_track(&w->sb, t, REQ_CAL, contact, NULL, 0, NULL);
        ns_flush_out(&w->sb);
    } else if (w->state == WIN_IDLE) {
        return start_outgoing(w);
    } else if (w->state == WIN_LEAVING) {
        w->recall = true;
    }
    return MSGR_S_OK;
}

msgr_hr msgr_conversation_get_contacts(msgr_conversation *w, msgr_contacts **contacts)
{
    if (!contacts)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!window_is_conversation(w) || !online(w->m))
        return MSGR_E_FAIL;
    msgr_contacts *cs = contacts_from(w->m, w->members, w->nmembers);
    if (!cs)
        return MSGR_E_OUTOFMEMORY;
    *contacts = cs;
    return MSGR_S_OK;
}

msgr_hr msgr_conversation_get_history(msgr_conversation *w, const char **history)
{
    if (!history)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!window_is_conversation(w) || !online(w->m))
        return MSGR_E_FAIL;
    *history = w->history.data ? w->history.data : "";
    return MSGR_S_OK;
}

msgr_hr conv_send_payload(msgr_window *w, msnp_buf *payload, char ack)
{
    if (w->closing) { /* last words: only into a live session */
        if (w->state != WIN_READY || w->nmembers == 0)
            return MSGR_E_FAIL;
        if (msnp_write_msg_client(&w->sb.out, ns_trid(&w->sb), ack, payload->data,
                                  payload->len) != MSNP_OK)
            return MSGR_E_OUTOFMEMORY;
        ns_flush_out(&w->sb);
        return MSGR_S_OK;
    }
    if (w->nmembers == 0 && w->ninvitees == 0)
        return MSGR_E_FAIL; /* nobody to send to */
    if (!queue_payload(w, payload, ack))
        return MSGR_E_OUTOFMEMORY;
    if (w->state == WIN_IDLE)
        return start_outgoing(w); /* everybody left: invite them again */
    flush_queue(w);
    return MSGR_S_OK;
}

msgr_hr msgr_conversation_send_text(msgr_conversation *w, const char *text)
{
    if (!obj_check(w))
        return MSGR_E_POINTER;
    if (!text || !*text || strlen(text) > MAX_TEXT || !msnp_utf8_valid(text, strlen(text)))
        return MSGR_E_INVALIDARG;
    if (!window_is_conversation(w) || !online(w->m))
        return MSGR_E_FAIL;
    msnp_buf payload = MSNP_BUF_INIT;
    if (msnp_text_build(&payload, text, strlen(text), NULL) != MSNP_OK) {
        msnp_buf_free(&payload);
        return MSGR_E_INVALIDARG;
    }
    msgr_hr hr = conv_send_payload(w, &payload, 'N');
    msnp_buf_free(&payload);
    if (MSGR_SUCCEEDED(hr))
        history_add(w, w->m->friendly ? w->m->friendly : w->m->signin, text);
    return hr;
}

msgr_hr msgr_conversation_send_typing(msgr_conversation *w)
{
    if (!obj_check(w))
        return MSGR_E_POINTER;
    if (!window_is_conversation(w) || !online(w->m))
        return MSGR_E_FAIL;
    if (w->state != WIN_READY || w->nmembers == 0)
        return MSGR_S_FALSE; /* a typing notice is not worth a new session */
    msnp_buf payload = MSNP_BUF_INIT;
    msgr_hr hr = MSGR_E_OUTOFMEMORY;
    if (msnp_typing_build(&payload, w->m->signin) == MSNP_OK &&
        msnp_write_msg_client(&w->sb.out, ns_trid(&w->sb), 'U', payload.data,
                              payload.len) == MSNP_OK) {
        ns_flush_out(&w->sb);
        hr = MSGR_S_OK;
    }
    msnp_buf_free(&payload);
    return hr;
}
