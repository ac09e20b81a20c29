/* switchboard.c - conversations (switchboard.h, msnp.md 5). */
#include "switchboard.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>
#include <sodium.h>

#include "log.h"
#include "msnp_mime.h"
#include "msnp_write.h"
#include "presence.h"
#include "server.h"
#include "strmap.h"

/* More consecutive failed CALs than this within a minute -> 713. */
#define CAL_FAIL_LIMIT 5
#define CAL_FAIL_WINDOW_MS 60000
/* Error for a CAL into a full session (our choice; docs/protocol.md). */
#define SB_ERR_SESSION_FULL 714

typedef enum ticket_kind { TICKET_XFR = 0, TICKET_RNG = 1 } ticket_kind;

/* A single-use cookie handed out by XFR SB or RNG (msnp.md 5.2, 5.4).
 * Tickets live in a FIFO per kind (same lifetime within a kind, so the
 * FIFO is in expiry order); the cookie table only indexes unused ones. */
typedef struct sb_ticket {
    char cookie[48];
    ticket_kind kind;
    bool used;
    char *handle;          /* who may use it, lower-case */
    char *friendly_name;   /* the user's name when it was issued */
    msnp_dialect dialect;
    uint32_t session_id;   /* RNG: the session being joined */
    uint64_t expires_ms;
    struct sb_ticket *fifo_next;
} sb_ticket;

typedef struct sb_session sb_session;

typedef struct sb_member {
    conn *c;
    sb_session *session;   /* NULL until USR/ANS succeeded */
    char *handle;
    char *friendly_name;   /* frozen at join (msnp.md 5.3) */
    struct sb_member *next;
    struct sb_member *user_prev, *user_next; /* the same user's other memberships */
    uint64_t cal_fail_times[CAL_FAIL_LIMIT + 1];
    unsigned cal_fails;
    uint64_t flood_window_ms;   /* start of the current one-second window */
    unsigned flood_count;       /* MSGs in it */
} sb_member;

struct sb_session {
    uint32_t id;
    char key[12];          /* decimal id, the registry key */
    sb_member *members;    /* in join order */
    unsigned nmembers;
    strmap *pending;       /* handle -> uint64_t* expiry of an unanswered RNG */
    uint64_t last_relay_ms;
    uint64_t alone_since_ms;
    struct event *timer;
    server *srv;
};

struct sb_state {
    strmap *cookies;       /* cookie -> sb_ticket (unused ones) */
    strmap *sessions;      /* decimal id -> sb_session */
    strmap *members;       /* handle -> first sb_member of that user (user_next chain) */
    sb_ticket *fifo_head[2], *fifo_tail[2];
    uint32_t next_id;
};

static void sb_on_command(conn *c, const msnp_cmd *cmd);
static void sb_on_close(conn *c);
static const conn_handler sb_handler = { sb_on_command, sb_on_close };

/* ---------------------------------------------------------- tickets */

static void ticket_free(sb_ticket *t)
{
    free(t->handle);
    free(t->friendly_name);
    free(t);
}

/* Pops expired tickets off both FIFOs, so memory follows the issue rate. */
static void tickets_expire(struct sb_state *sb)
{
    uint64_t now = server_mono_ms();
    for (int k = 0; k < 2; k++) {
        while (sb->fifo_head[k] && sb->fifo_head[k]->expires_ms <= now) {
            sb_ticket *t = sb->fifo_head[k];
            sb->fifo_head[k] = t->fifo_next;
            if (!sb->fifo_head[k])
                sb->fifo_tail[k] = NULL;
            if (!t->used)
                strmap_remove(sb->cookies, t->cookie);
            ticket_free(t);
        }
    }
}

/* Three dot-separated random numbers, the shape of the official cookies. */
static void make_cookie(char *out, size_t len)
{
    uint32_t r[3];
    randombytes_buf(r, sizeof r);
    snprintf(out, len, "%u.%u.%u", r[0] % 100000000u + 1u, r[1], r[2] % 100000u);
}

static sb_ticket *ticket_issue(server *srv, ticket_kind kind, const ns_session *owner,
                               uint32_t session_id, unsigned ttl_s)
{
    struct sb_state *sb = srv->sb;
    tickets_expire(sb);
    sb_ticket *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->kind = kind;
    t->handle = strdup(owner->user->handle);
    t->friendly_name = strdup(owner->user->friendly_name);
    t->dialect = owner->dialect;
    t->session_id = session_id;
    t->expires_ms = server_mono_ms() + (uint64_t)ttl_s * 1000;
    do
        make_cookie(t->cookie, sizeof t->cookie);
    while (strmap_get(sb->cookies, t->cookie));
    if (!t->handle || !t->friendly_name || strmap_put(sb->cookies, t->cookie, t) != 0) {
        ticket_free(t);
        return NULL;
    }
    if (sb->fifo_tail[kind])
        sb->fifo_tail[kind]->fifo_next = t;
    else
        sb->fifo_head[kind] = t;
    sb->fifo_tail[kind] = t;
    return t;
}

/* Uses up a cookie if it is valid for handle and kind; NULL otherwise.
 * The ticket stays owned by its FIFO. */
static sb_ticket *ticket_take(server *srv, const char *cookie, const char *handle, ticket_kind kind)
{
    struct sb_state *sb = srv->sb;
    tickets_expire(sb);
    sb_ticket *t = strmap_get(sb->cookies, cookie);
    if (!t || t->kind != kind || strcasecmp(t->handle, handle) != 0)
        return NULL;
    strmap_remove(sb->cookies, cookie);
    t->used = true;
    return t->expires_ms > server_mono_ms() ? t : NULL;
}

/* ------------------------------------------------- memberships by user */

/* Switchboard memberships of one user: how many (for XFR SB's limit) and
 * which (to close them at sign-out without scanning every connection). */
static unsigned member_count(server *srv, const char *handle)
{
    unsigned n = 0;
    for (sb_member *m = strmap_get(srv->sb->members, handle); m; m = m->user_next)
        n++;
    return n;
}

static void member_link(server *srv, sb_member *m)
{
    sb_member *head = strmap_get(srv->sb->members, m->handle);
    m->user_prev = NULL;
    m->user_next = head;
    if (strmap_put(srv->sb->members, m->handle, m) != 0) {
        m->user_next = NULL;    /* out of memory: the member is simply not indexed */
        return;
    }
    if (head)
        head->user_prev = m;
}

static void member_unlink(server *srv, sb_member *m)
{
    if (m->user_prev) {
        m->user_prev->user_next = m->user_next;
    } else if (strmap_get(srv->sb->members, m->handle) == m) {
        if (m->user_next)
            strmap_put(srv->sb->members, m->handle, m->user_next);
        else
            strmap_remove(srv->sb->members, m->handle);
    }
    if (m->user_next)
        m->user_next->user_prev = m->user_prev;
    m->user_prev = m->user_next = NULL;
}

/* ----------------------------------------------------------- XFR SB */

void sb_cmd_xfr(ns_session *s, const msnp_cmd *cmd)
{
    server *srv = s->c->srv;
    if (cmd->nparams < 1 || strcmp(cmd->params[0], "SB") != 0) {
        ns_reply_error(s, 201, cmd->trid);
        return;
    }
    if (!s->chg_seen || s->status == MSNP_PRESENCE_HDN) {
        ns_reply_error(s, 913, cmd->trid);
        return;
    }
    if (member_count(srv, s->handle) >= srv->cfg->sb_max_sessions) {
        ns_reply_error(s, 714, cmd->trid);
        return;
    }
    sb_ticket *t = ticket_issue(srv, TICKET_XFR, s, 0, srv->cfg->sb_ticket_ttl);
    if (!t) {
        ns_reply_error(s, 600, cmd->trid);
        return;
    }
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_xfr_sb_reply(&b, cmd->trid, srv->public_addr, t->cookie) == MSNP_OK)
        conn_send(s->c, &b);
    msnp_buf_free(&b);
}

/* ---------------------------------------------------------- sessions */

static void send_line(conn *c, msnp_buf *b, int rc)
{
    if (rc == MSNP_OK && conn_is_open(c))
        conn_send(c, b);
    msnp_buf_reset(b);
}

static void session_check(evutil_socket_t fd, short what, void *arg);

static sb_session *session_new(server *srv)
{
    struct sb_state *sb = srv->sb;
    sb_session *ss = calloc(1, sizeof *ss);
    if (!ss)
        return NULL;
    ss->srv = srv;
    ss->pending = strmap_new();
    ss->timer = event_new(srv->base, -1, EV_PERSIST, session_check, ss);
    do {
        ss->id = sb->next_id++;
        if (sb->next_id > 999999999u)
            sb->next_id = 10000000u;
        snprintf(ss->key, sizeof ss->key, "%u", ss->id);
    } while (strmap_get(sb->sessions, ss->key));
    if (!ss->pending || !ss->timer || strmap_put(sb->sessions, ss->key, ss) != 0) {
        strmap_free(ss->pending);
        if (ss->timer)
            event_free(ss->timer);
        free(ss);
        return NULL;
    }
    ss->last_relay_ms = server_mono_ms();
    /* Idle rules are checked once a second; cheap per session. */
    struct timeval tv = { 1, 0 };
    event_add(ss->timer, &tv);
    return ss;
}

static int free_pending(const char *key, void *value, void *ud)
{
    (void)key;
    (void)ud;
    free(value);
    return 0;
}

static void session_free(sb_session *ss)
{
    strmap_remove(ss->srv->sb->sessions, ss->key);
    strmap_foreach(ss->pending, free_pending, NULL);
    strmap_free(ss->pending);
    event_free(ss->timer);
    free(ss);
}

static void session_add(sb_session *ss, sb_member *m)
{
    m->session = ss;
    m->next = NULL;
    sb_member **p = &ss->members;
    while (*p)
        p = &(*p)->next;
    *p = m;
    ss->nmembers++;
    ss->alone_since_ms = ss->nmembers == 1 ? server_mono_ms() : 0;
    member_link(ss->srv, m);
}

/* Removes m and tells the others (BYE handle [1]). Frees the session when
 * it becomes empty. */
static void session_leave(sb_member *m, bool idle)
{
    sb_session *ss = m->session;
    if (!ss)
        return;
    for (sb_member **p = &ss->members; *p; p = &(*p)->next) {
        if (*p == m) {
            *p = m->next;
            break;
        }
    }
    ss->nmembers--;
    m->session = NULL;
    member_unlink(ss->srv, m);
    msnp_buf b = MSNP_BUF_INIT;
    for (sb_member *o = ss->members; o; o = o->next)
        send_line(o->c, &b, msnp_write_bye(&b, m->handle, idle));
    msnp_buf_free(&b);
    if (ss->nmembers == 1)
        ss->alone_since_ms = server_mono_ms();
    if (ss->nmembers == 0)
        session_free(ss);
}

/* Closes a session for inactivity: everyone hears BYE x 1 for everyone
 * else, then every connection closes (msnp.md 5.6). */
static void session_close_idle(sb_session *ss)
{
    msnp_buf b = MSNP_BUF_INIT;
    for (sb_member *m = ss->members; m; m = m->next)
        for (sb_member *o = ss->members; o; o = o->next)
            if (o != m)
                send_line(o->c, &b, msnp_write_bye(&b, m->handle, true));
    msnp_buf_free(&b);
    /* Closing calls sb_on_close -> session_leave, which may free ss. */
    unsigned n = ss->nmembers;
    conn **cs = calloc(n, sizeof *cs);
    if (!cs)
        return;
    unsigned i = 0;
    for (sb_member *m = ss->members; m; m = m->next)
        cs[i++] = m->c;
    for (i = 0; i < n; i++)
        conn_close(cs[i], "switchboard idle");
    free(cs);
}

static void session_check(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    sb_session *ss = arg;
    const msgrd_config *cfg = ss->srv->cfg;
    uint64_t now = server_mono_ms();
    if (cfg->sb_idle_timeout && now - ss->last_relay_ms >= (uint64_t)cfg->sb_idle_timeout * 1000) {
        session_close_idle(ss);
        return;
    }
    if (ss->nmembers == 1 && cfg->sb_alone_timeout && ss->alone_since_ms &&
        now - ss->alone_since_ms >= (uint64_t)cfg->sb_alone_timeout * 1000)
        conn_close(ss->members->c, "alone in switchboard");
}

/* ------------------------------------------------------- USR / ANS */

static sb_member *member_new(conn *c, const sb_ticket *t)
{
    sb_member *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->c = c;
    m->handle = strdup(t->handle);
    m->friendly_name = strdup(t->friendly_name);
    if (!m->handle || !m->friendly_name) {
        free(m->handle);
        free(m->friendly_name);
        free(m);
        return NULL;
    }
    return m;
}

static void refuse(conn *c, uint32_t trid, int code, const char *why)
{
    msnp_buf b = MSNP_BUF_INIT;
    send_line(c, &b, msnp_write_error(&b, code, trid));
    msnp_buf_free(&b);
    conn_close(c, why);
}

static void sb_usr(conn *c, const msnp_cmd *cmd)
{
    server *srv = c->srv;
    sb_ticket *t = cmd->nparams >= 2 ? ticket_take(srv, cmd->params[1], cmd->params[0], TICKET_XFR) : NULL;
    sb_member *m = t ? member_new(c, t) : NULL;
    sb_session *ss = m ? session_new(srv) : NULL;
    if (!ss) {
        if (m) {
            free(m->handle);
            free(m->friendly_name);
            free(m);
        }
        refuse(c, cmd->trid, 911, "bad switchboard cookie");
        return;
    }
    c->role_data = m;
    session_add(ss, m);
    msnp_buf b = MSNP_BUF_INIT;
    send_line(c, &b, msnp_write_usr_sb_ok(&b, cmd->trid, m->handle, m->friendly_name));
    msnp_buf_free(&b);
    log_debug("%s: opened switchboard %u", m->handle, ss->id);
}

static void sb_ans(conn *c, const msnp_cmd *cmd)
{
    server *srv = c->srv;
    uint32_t sid = 0;
    if (cmd->nparams < 3 || msnp_parse_u32(cmd->params[2], &sid) != MSNP_OK) {
        refuse(c, cmd->trid, 911, "bad ANS");
        return;
    }
    sb_ticket *t = ticket_take(srv, cmd->params[1], cmd->params[0], TICKET_RNG);
    char key[12];
    snprintf(key, sizeof key, "%u", sid);
    sb_session *ss = t && t->session_id == sid ? strmap_get(srv->sb->sessions, key) : NULL;
    sb_member *m = ss ? member_new(c, t) : NULL;
    if (!m) {
        refuse(c, cmd->trid, 911, "bad ANS cookie or session");
        return;
    }
    free(strmap_remove(ss->pending, m->handle));
    msnp_buf b = MSNP_BUF_INIT;
    uint32_t index = 0;
    for (sb_member *o = ss->members; o; o = o->next)
        send_line(c, &b, msnp_write_iro(&b, cmd->trid, ++index, ss->nmembers, o->handle,
                                        o->friendly_name));
    send_line(c, &b, msnp_write_ans_ok(&b, cmd->trid));
    for (sb_member *o = ss->members; o; o = o->next)
        send_line(o->c, &b, msnp_write_joi(&b, m->handle, m->friendly_name));
    msnp_buf_free(&b);
    c->role_data = m;
    session_add(ss, m);
}

void sb_start(conn *c, const msnp_cmd *first)
{
    c->role = CONN_SB;
    c->handler = &sb_handler;
    c->role_data = NULL;
    sb_on_command(c, first);
}

/* ---------------------------------------------------------------- CAL */

static bool cal_rate_ok(sb_member *m)
{
    uint64_t now = server_mono_ms();
    unsigned kept = 0;
    for (unsigned i = 0; i < m->cal_fails; i++)
        if (now - m->cal_fail_times[i] < CAL_FAIL_WINDOW_MS)
            m->cal_fail_times[kept++] = m->cal_fail_times[i];
    m->cal_fails = kept;
    return kept < CAL_FAIL_LIMIT;
}

static void cal_failed(sb_member *m, uint32_t trid, int code)
{
    if (m->cal_fails < CAL_FAIL_LIMIT + 1)
        m->cal_fail_times[m->cal_fails++] = server_mono_ms();
    msnp_buf b = MSNP_BUF_INIT;
    send_line(m->c, &b, msnp_write_error(&b, code, trid));
    msnp_buf_free(&b);
}

static bool is_member(const sb_session *ss, const char *handle)
{
    for (const sb_member *o = ss->members; o; o = o->next)
        if (!strcasecmp(o->handle, handle))
            return true;
    return false;
}

static bool is_pending(sb_session *ss, const char *handle)
{
    uint64_t *exp = strmap_get(ss->pending, handle);
    if (exp && *exp <= server_mono_ms()) {
        free(strmap_remove(ss->pending, handle));
        exp = NULL;
    }
    return exp != NULL;
}

static void sb_cal(sb_member *m, const msnp_cmd *cmd)
{
    server *srv = m->c->srv;
    sb_session *ss = m->session;
    if (!cal_rate_ok(m)) {
        cal_failed(m, cmd->trid, 713);
        return;
    }
    if (cmd->nparams < 1 || !ns_handle_valid(cmd->params[0]) ||
        !strcasecmp(cmd->params[0], m->handle)) {
        cal_failed(m, cmd->trid, 208);
        return;
    }
    char callee_handle[130];
    size_t n = strlen(cmd->params[0]);
    for (size_t i = 0; i <= n; i++) {
        char ch = cmd->params[0][i];
        callee_handle[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
    if (is_member(ss, callee_handle) || is_pending(ss, callee_handle)) {
        cal_failed(m, cmd->trid, 215);
        return;
    }
    /* The callee must be visible and allow the caller (msnp.md 4.7 rule
     * 3); offline, hidden and blocking all look the same to the caller,
     * so no presence leaks through the error code. */
    ns_session *callee = ns_find(srv, callee_handle);
    if (!callee || !ns_visible(callee) || !presence_allows(callee->user, m->handle)) {
        cal_failed(m, cmd->trid, 217);
        return;
    }
    if (ss->nmembers + strmap_count(ss->pending) >= srv->cfg->sb_max_members) {
        cal_failed(m, cmd->trid, SB_ERR_SESSION_FULL);
        return;
    }
    sb_ticket *t = ticket_issue(srv, TICKET_RNG, callee, ss->id, srv->cfg->rng_ticket_ttl);
    uint64_t *exp = malloc(sizeof *exp);
    if (!t || !exp || strmap_put(ss->pending, callee_handle, exp) != 0) {
        free(exp);
        cal_failed(m, cmd->trid, 280);
        return;
    }
    *exp = t->expires_ms;
    /* RNG carries the caller's current name; the session keeps the name
     * frozen at join for IRO/JOI/MSG (msnp.md 5.3, 5.4). */
    ns_session *caller = ns_find(srv, m->handle);
    const char *caller_name = caller && caller->user ? caller->user->friendly_name : m->friendly_name;
    msnp_buf b = MSNP_BUF_INIT;
    send_line(callee->c, &b, msnp_write_rng(&b, ss->id, srv->public_addr, t->cookie, m->handle,
                                            caller_name));
    send_line(m->c, &b, msnp_write_cal_reply(&b, cmd->trid, ss->id));
    msnp_buf_free(&b);
    m->cal_fails = 0;
}

/* ---------------------------------------------------------------- MSG */

/* Ack type D carries peer-to-peer frames: check the header shape
 * (msnp.md 5.7). */
static bool p2p_payload_ok(const msnp_cmd *cmd)
{
    msnp_mime mime = MSNP_MIME_INIT;
    bool ok = false;
    if (msnp_mime_parse(cmd->payload, cmd->payload_len, &mime) == MSNP_OK) {
        const char *ct = msnp_mime_get(&mime, "Content-Type");
        ok = ct && !strncasecmp(ct, "application/x-msnmsgrp2p", 24) &&
             msnp_mime_get(&mime, "P2P-Dest") != NULL;
    }
    msnp_mime_free(&mime);
    return ok;
}

/* True while the member stays within --sb-flood-limit MSGs per second. */
static bool within_flood_limit(sb_member *m, unsigned limit)
{
    if (limit == 0)
        return true;
    uint64_t now = server_mono_ms();
    if (now - m->flood_window_ms >= 1000) {
        m->flood_window_ms = now;
        m->flood_count = 0;
    }
    return ++m->flood_count <= limit;
}

static void sb_msg(sb_member *m, const msnp_cmd *cmd)
{
    server *srv = m->c->srv;
    sb_session *ss = m->session;
    if (!within_flood_limit(m, srv->cfg->sb_flood_limit)) {
        log_info("%s: switchboard flood (over %u MSG/s), disconnected", m->handle,
                 srv->cfg->sb_flood_limit);
        conn_abort(m->c, "flood");
        return;
    }
    const char *ack = cmd->nparams == 2 ? cmd->params[0] : "";
    if (strlen(ack) != 1 || !strchr("UNADS", ack[0])) {
        conn_abort(m->c, "bad ack type");
        return;
    }
    if (cmd->payload_len > srv->cfg->max_sb_payload) {
        conn_abort(m->c, "message too large");
        return;
    }
    msnp_buf b = MSNP_BUF_INIT;
    if (ack[0] == 'D' && !p2p_payload_ok(cmd)) {
        send_line(m->c, &b, msnp_write_error(&b, 282, cmd->trid));
        msnp_buf_free(&b);
        conn_close(m->c, "bad P2P message");
        return;
    }
    unsigned others = 0, delivered = 0;
    if (msnp_write_msg_server(&b, m->handle, m->friendly_name, cmd->payload,
                              cmd->payload_len) == MSNP_OK) {
        for (sb_member *o = ss->members; o; o = o->next) {
            if (o == m)
                continue;
            others++;
            if (conn_is_open(o->c) && conn_send(o->c, &b) == 0)
                delivered++;
        }
    }
    msnp_buf_reset(&b);
    ss->last_relay_ms = server_mono_ms();
    bool ok = others > 0 && delivered == others;
    switch (ack[0]) {
    case 'N':
        if (!ok)
            send_line(m->c, &b, msnp_write_nak(&b, cmd->trid));
        break;
    case 'A':
    case 'D':
        send_line(m->c, &b, ok ? msnp_write_ack(&b, cmd->trid) : msnp_write_nak(&b, cmd->trid));
        break;
    case 'S':
        if (ok)
            send_line(m->c, &b, msnp_write_ack(&b, cmd->trid));
        break;
    default:
        break;
    }
    msnp_buf_free(&b);
}

/* ----------------------------------------------------------- dispatch */

static void sb_on_command(conn *c, const msnp_cmd *cmd)
{
    sb_member *m = c->role_data;
    if (cmd->error_code || (!cmd->has_trid && strcmp(cmd->code, "OUT"))) {
        conn_abort(c, "malformed switchboard command");
        return;
    }
    if (!m) {
        if (!strcmp(cmd->code, "USR"))
            sb_usr(c, cmd);
        else if (!strcmp(cmd->code, "ANS"))
            sb_ans(c, cmd);
        else
            conn_abort(c, "command before USR/ANS");
        return;
    }
    if (!strcmp(cmd->code, "MSG"))
        sb_msg(m, cmd);
    else if (!strcmp(cmd->code, "CAL"))
        sb_cal(m, cmd);
    else if (!strcmp(cmd->code, "OUT"))
        conn_close(c, "client OUT");
    else if (!strcmp(cmd->code, "USR") || !strcmp(cmd->code, "ANS"))
        refuse(c, cmd->trid, 207, "second USR/ANS");
    else {
        msnp_buf b = MSNP_BUF_INIT;
        send_line(c, &b, msnp_write_error(&b, 200, cmd->trid));
        msnp_buf_free(&b);
    }
}

static void sb_on_close(conn *c)
{
    sb_member *m = c->role_data;
    if (!m)
        return;
    session_leave(m, false);
    free(m->handle);
    free(m->friendly_name);
    free(m);
    c->role_data = NULL;
}

void sb_user_signed_out(server *srv, const char *handle)
{
    unsigned n = member_count(srv, handle);
    if (n == 0)
        return;
    /* Closing a connection may unlink (and free) its member: collect the
     * connections first. */
    conn **cs = calloc(n, sizeof *cs);
    if (!cs)
        return;
    unsigned i = 0;
    for (sb_member *m = strmap_get(srv->sb->members, handle); m && i < n; m = m->user_next)
        cs[i++] = m->c;
    for (unsigned k = 0; k < i; k++)
        conn_close(cs[k], "notification session ended");
    free(cs);
}

/* ------------------------------------------------------------ set-up */

int sb_init(server *srv)
{
    struct sb_state *sb = calloc(1, sizeof *sb);
    if (!sb)
        return -1;
    sb->cookies = strmap_new();
    sb->sessions = strmap_new();
    sb->members = strmap_new();
    uint32_t r;
    randombytes_buf(&r, sizeof r);
    sb->next_id = 10000000u + r % 80000000u;
    srv->sb = sb;
    if (!sb->cookies || !sb->sessions || !sb->members) {
        sb_shutdown(srv);
        return -1;
    }
    return 0;
}

void sb_shutdown(server *srv)
{
    struct sb_state *sb = srv->sb;
    if (!sb)
        return;
    for (int k = 0; k < 2; k++) {
        while (sb->fifo_head[k]) {
            sb_ticket *t = sb->fifo_head[k];
            sb->fifo_head[k] = t->fifo_next;
            ticket_free(t);
        }
    }
    strmap_free(sb->cookies);
    strmap_free(sb->sessions);
    strmap_free(sb->members);
    free(sb);
    srv->sb = NULL;
}
