/*
 * session.c - the notification-server session: the sign-in state machine
 * (msnp.md 2; event order of api-scope.md 6.3), sign-out, keep-alive and
 * challenges, and the dispatch of every server command to the module that
 * handles it (lists.c, presence.c, mail in this file).
 *
 * Sign-in:  connect -> VER/CVR/USR TWN I (pipelined) -> [XFR NS: reconnect]
 *           -> USR TWN S challenge -> Passport (passport_client.c)
 *           -> USR TWN S ticket -> USR OK -> SYN -> dump -> CHG -> online.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "msnp_challenge.h"
#include "msnp_msgbody.h"
#include "msnp_url.h"
#include "msnp_write.h"

#define MAX_NS_REDIRECTS 3

/* Queues the lines a writer appended; on a codec error nothing was added
 * and the request is simply not sent. */
bool session_send(msgr_messenger *m, int rc)
{
    if (rc != MSNP_OK)
        return false;
    ns_flush_out(&m->ns);
    return true;
}

/* Forgets everything that belongs to one signed-in period (api-scope.md
 * 6.3 step 6: collections read empty, MySigninName fails). */
static void forget_session(msgr_messenger *m)
{
    ns_close(&m->ns);
    passport_cancel(m->pp);
    lists_reset(m);
    free(m->password);
    free(m->prev_friendly);
    m->password = m->prev_friendly = NULL;
    m->phase = PHASE_OFFLINE;
    m->logon_deadline = m->ping_due = m->close_deadline = 0;
    m->inbox_unread = m->other_unread = 0;
    m->has_mailbox = false;
    lock_session_reset(m); /* every lock relocks (api-scope.md 6.1 item 8) */
}

static void clear_identity(msgr_messenger *m)
{
    free(m->signin);
    free(m->friendly);
    m->signin = m->friendly = NULL;
}

/* A sign-in attempt failed before OnSignin: report it (6.3 failure order:
 * OnSignin(error), then OnMyStatusChange(error, OFFLINE)). */
void session_fail(msgr_messenger *m, msgr_hr hr)
{
    conv_close_all(m, true);
    forget_session(m);
    clear_identity(m);
    ev_queue(m, EV_SIGNIN, hr, 0, NULL, NULL, NULL);
    ev_my_status(m, hr, MISTATUS_OFFLINE);
}

/* The session ended after OnSignin(S_OK): OUT, a dropped connection, or
 * the end of our own sign-out. */
void session_lost(msgr_messenger *m, msgr_hr hr)
{
    if (m->attach)
        sproxy_link_lost(m, hr); /* session proxies end first (session_proxy.c) */
    conv_close_all(m, true); /* OnIMWindowDestroyed before OnSignout (6.3) */
    forget_session(m);
    clear_identity(m);
    ev_queue(m, EV_SIGNOUT, MSGR_S_OK, 0, NULL, NULL, NULL);
    ev_my_status(m, hr, MISTATUS_OFFLINE);
}

static bool signin_reported(const msgr_messenger *m)
{
    return m->phase == PHASE_SYNCING || m->phase == PHASE_ONLINE ||
           m->phase == PHASE_DISCONNECTING;
}

/* Ends the session with hr, choosing the failure or the lost path. */
static void session_end(msgr_messenger *m, msgr_hr hr)
{
    if (m->phase == PHASE_OFFLINE)
        return;
    if (m->phase == PHASE_DISCONNECTING)
        session_lost(m, MSGR_S_OK);
    else if (signin_reported(m))
        session_lost(m, hr);
    else
        session_fail(m, hr);
}

static int connect_ns(msgr_messenger *m, const char *host, uint16_t port)
{
    if (host != m->cur_host)
        msgr_str_replace(&m->cur_host, host);
    m->cur_port = port;
    return ns_connect(&m->ns, host, port);
}

msgr_hr session_start(msgr_messenger *m, const char *signin,
                      const char *password)
{
    char *name = msgr_strdup(signin), *pwd = msgr_strdup(password);
    if (!name || !pwd) {
        free(name);
        free(pwd);
        return MSGR_E_OUTOFMEMORY;
    }
    msgr_lower(name);
    clear_identity(m);
    free(m->password);
    m->signin = name;
    m->password = pwd;
    m->redirects = 0;
    m->wanted_status = m->initial_status; /* each sign-in starts from the option */
    m->phase = PHASE_CONNECTING;
    m->logon_deadline = msgr_now_ms() + (int64_t)m->logon_timeout_ms;
    ev_my_status(m, MSGR_S_OK, MISTATUS_LOCAL_FINDING_SERVER);
    /* Local server mode: the serving messenger's socket instead (attach.c). */
    if ((m->attach ? attach_connect(m) : connect_ns(m, m->host, m->port)) != 0)
        session_fail(m, MSGR_E_CONNECT);
    return MSGR_S_OK;
}

/* TCP is up: VER, CVR and USR TWN I go out together (the server answers
 * in order, msnp.md 1.3). */
void session_on_connected(msgr_messenger *m)
{
    static const char *const dialects[] = { "MSNP8", "CVR0" };
    msnp_cvr_info cvr = { "0x0409", "linux", "1.0", "x86_64", "LIBMSGR",
                          MSGR_VERSION_STRING, "MSMSGS", m->signin };
    ns_conn *ns = &m->ns;
    if (m->my_status != MISTATUS_LOCAL_CONNECTING_TO_SERVER)
        ev_my_status(m, MSGR_S_OK, MISTATUS_LOCAL_CONNECTING_TO_SERVER);
    uint32_t t1 = ns_trid(ns), t2 = ns_trid(ns), t3 = ns_trid(ns);
    if (msnp_write_ver_request(&ns->out, t1, 2, dialects) != MSNP_OK ||
        msnp_write_cvr_request(&ns->out, t2, &cvr) != MSNP_OK ||
        msnp_write_usr_twn_i(&ns->out, t3, m->signin) != MSNP_OK ||
        ns_track(ns, t1, REQ_VER, NULL, NULL, 0, NULL) != 0 ||
        ns_track(ns, t2, REQ_CVR, NULL, NULL, 0, NULL) != 0 ||
        ns_track(ns, t3, REQ_USR_I, NULL, NULL, 0, NULL) != 0) {
        session_fail(m, MSGR_E_OUTOFMEMORY);
        return;
    }
    ns_flush_out(ns);
}

/* "host:port" -> parts; false when malformed. */
static bool split_host_port(const char *hp, char *host, size_t hostcap,
                            uint16_t *port)
{
    const char *colon = strrchr(hp, ':');
    if (!colon || colon == hp || (size_t)(colon - hp) >= hostcap)
        return false;
    uint32_t p;
    if (msnp_parse_u32(colon + 1, &p) != MSNP_OK || p == 0 || p > 65535)
        return false;
    memcpy(host, hp, (size_t)(colon - hp));
    host[colon - hp] = '\0';
    *port = (uint16_t)p;
    return true;
}

/* XFR NS: go to another notification server and start again (msnp.md 2.5). */
static void on_xfr(msgr_messenger *m, const msnp_cmd *cmd)
{
    char host[256];
    uint16_t port;
    if (cmd->nparams < 2 || strcmp(cmd->params[0], "NS") != 0)
        return;
    if (!split_host_port(cmd->params[1], host, sizeof host, &port) ||
        ++m->redirects > MAX_NS_REDIRECTS) {
        session_end(m, MSGR_E_UNEXPECTED);
        return;
    }
    if (signin_reported(m)) {
        /* Unsolicited move of a signed-in session: sign in again there.
         * Lock and Key state lives in the old server's session, so the
         * locks start over with the new one. */
        lists_reset(m);
        lock_session_reset(m);
        m->phase = PHASE_CONNECTING;
        m->logon_deadline = msgr_now_ms() + (int64_t)m->logon_timeout_ms;
    }
    if (connect_ns(m, host, port) != 0)
        session_end(m, MSGR_E_CONNECT);
}

static void on_usr(msgr_messenger *m, const msnp_cmd *cmd)
{
    if (cmd->nparams >= 3 && strcmp(cmd->params[0], "TWN") == 0 &&
        strcmp(cmd->params[1], "S") == 0) {
        m->phase = PHASE_AUTHENTICATING;
        if (passport_start(m->pp, m->signin, m->password, cmd->params[2]) != 0)
            session_fail(m, MSGR_E_OUTOFMEMORY);
        return;
    }
    if (cmd->nparams >= 2 && strcmp(cmd->params[0], "OK") == 0) {
        /* Attached: the serving messenger names the account (attach.c). */
        if (m->attach && !attach_on_usr_ok(m, cmd)) {
            session_end(m, MSGR_E_UNEXPECTED);
            return;
        }
        char *name = NULL;
        if (cmd->nparams >= 3)
            (void)msnp_url_decode_dup(cmd->params[2], MSNP_URL_LENIENT, &name);
        free(m->friendly);
        m->friendly = name ? name : msgr_strdup(m->signin);
        m->phase = PHASE_SYNCING;
        ev_queue(m, EV_SIGNIN, MSGR_S_OK, 0, NULL, NULL, NULL);
        ev_my_status(m, MSGR_S_OK, MISTATUS_LOCAL_SYNCHRONIZING_WITH_SERVER);
        lists_reset(m);
        if (synccache_load(m) != 0)
            lists_reset(m); /* no usable cache: ask for everything */
        uint32_t t = ns_trid(&m->ns);
        if (!session_send(m, msnp_write_syn_request(&m->ns.out, t,
                                                    m->list_version)) ||
            ns_track(&m->ns, t, REQ_SYN, NULL, NULL, 0, NULL) != 0)
            session_end(m, MSGR_E_OUTOFMEMORY);
        return;
    }
    session_end(m, MSGR_E_UNEXPECTED);
}

void session_passport_done(msgr_messenger *m, msgr_hr hr, char *ticket)
{
    if (MSGR_FAILED(hr)) {
        free(ticket);
        session_fail(m, hr);
        return;
    }
    uint32_t t = ns_trid(&m->ns);
    bool ok = session_send(m, msnp_write_usr_twn_s(&m->ns.out, t, ticket)) &&
              ns_track(&m->ns, t, REQ_USR_S, NULL, NULL, 0, NULL) == 0;
    free(ticket);
    if (!ok)
        session_fail(m, MSGR_E_UNEXPECTED);
}

/* CHL -> QRY with the library's product id (msnp.md 2.10). The challenge
 * is the last token (2- and 3-token forms exist). */
static void on_chl(msgr_messenger *m, const msnp_cmd *cmd)
{
    char answer[MSNP_CHALLENGE_RESPONSE_SIZE];
    const char *key = msnp_product_key_lookup(MSNP_CHALLENGE_DEFAULT_PRODUCT_ID);
    if (cmd->nparams < 1 || !key ||
        msnp_challenge_response(cmd->params[cmd->nparams - 1], key, answer) != MSNP_OK)
        return;
    uint32_t t = ns_trid(&m->ns);
    if (session_send(m, msnp_write_qry_request(&m->ns.out, t,
                                               MSNP_CHALLENGE_DEFAULT_PRODUCT_ID,
                                               answer)))
        (void)ns_track(&m->ns, t, REQ_QRY, NULL, NULL, 0, NULL);
}

/* The own name differs from the one of the previous session (changed by
 * another client meanwhile): OnMyFriendlyNameChange with the old name,
 * after going online like the other "changed while offline" events (6.3
 * step 7). */
static void report_name_change(msgr_messenger *m)
{
    if (m->prev_friendly && m->friendly && strcmp(m->prev_friendly, m->friendly) != 0)
        ev_queue(m, EV_MY_NAME, MSGR_S_OK, 0, NULL, NULL, m->prev_friendly);
    free(m->prev_friendly);
    m->prev_friendly = NULL;
}

/* CHG echo: the first one completes the sign-in (6.3 step 6). */
static void on_chg(msgr_messenger *m, const msnp_cmd *cmd)
{
    msnp_presence p;
    if (cmd->nparams < 1 || !msnp_presence_parse(cmd->params[0], &p))
        return;
    MISTATUS st = status_from_presence(p);
    if (st == MISTATUS_OFFLINE) {
        session_end(m, MSGR_E_DISCONNECTED); /* "CHG 0 FLN" */
        return;
    }
    bool first = m->phase == PHASE_SYNCING;
    if (first) {
        m->phase = PHASE_ONLINE;
        m->logon_deadline = 0;
        m->ping_due = msgr_now_ms() + MSGR_PING_INTERVAL_MS;
    }
    ev_my_status(m, MSGR_S_OK, st);
    if (first) {
        report_name_change(m);
        lists_report_pending(m); /* who added us while we were away */
        lock_session_online(m); /* OnLockEnable after the ILN burst (6.3 step 8) */
    }
}

static void on_out(msgr_messenger *m, const msnp_cmd *cmd)
{
    msgr_hr hr = MSGR_E_DISCONNECTED;
    if (cmd->nparams >= 1 && strcmp(cmd->params[0], "OTH") == 0)
        hr = MSGR_E_REMOTE_LOGIN;        /* signed in somewhere else */
    else if (cmd->nparams >= 1 && strcmp(cmd->params[0], "SSD") == 0)
        hr = MSGR_E_SERVER_UNAVAILABLE;  /* server shutting down */
    session_end(m, hr);
}

/* Mail and profile messages from "Hotmail" (msnp.md 2.7, 7.2). */
static void on_msg(msgr_messenger *m, const msnp_cmd *cmd)
{
    switch (msnp_msg_classify(cmd->payload, cmd->payload_len)) {
    case MSNP_MSG_PROFILE: {
        msnp_profile p;
        if (msnp_profile_parse(cmd->payload, cmd->payload_len, &p) == MSNP_OK) {
            m->has_mailbox = p.email_enabled;
            msgr_str_replace(&m->client_ip, p.client_ip);
            msnp_profile_free(&p);
        }
        break;
    }
    case MSNP_MSG_INITIAL_EMAIL: {
        msnp_initial_email e;
        if (msnp_initial_email_parse(cmd->payload, cmd->payload_len, &e) == MSNP_OK) {
            m->inbox_unread = (int32_t)(e.inbox_unread & 0x7FFFFFFF);
            m->other_unread = (int32_t)(e.folders_unread & 0x7FFFFFFF);
            msnp_initial_email_free(&e);
        }
        break;
    }
    case MSNP_MSG_EMAIL: {
        msnp_email e;
        if (msnp_email_parse(cmd->payload, cmd->payload_len, &e) == MSNP_OK) {
            bool inbox = e.dest_folder && strcmp(e.dest_folder, "ACTIVE") == 0;
            int32_t *counter = inbox ? &m->inbox_unread : &m->other_unread;
            if (*counter < INT32_MAX)
                (*counter)++;
            ev_queue2(m, EV_UNREAD_EMAIL, MSGR_S_OK,
                      inbox ? MUAFOLDER_INBOX : MUAFOLDER_ALL_OTHER_FOLDERS,
                      *counter, NULL, NULL, NULL);
            msnp_email_free(&e);
        }
        break;
    }
    case MSNP_MSG_ACTIVE_EMAIL: {
        msnp_active_email e;
        if (msnp_active_email_parse(cmd->payload, cmd->payload_len, &e) == MSNP_OK) {
            int64_t d = e.message_delta;
            if (e.src_folder && strcmp(e.src_folder, "ACTIVE") == 0)
                m->inbox_unread = (int32_t)(m->inbox_unread - d < 0 ? 0 : m->inbox_unread - d);
            if (e.dest_folder && strcmp(e.dest_folder, "ACTIVE") == 0)
                m->inbox_unread = (int32_t)(m->inbox_unread + d > INT32_MAX ? INT32_MAX
                                                                            : m->inbox_unread + d);
            ev_queue2(m, EV_UNREAD_EMAIL, MSGR_S_OK, MUAFOLDER_INBOX,
                      m->inbox_unread, NULL, NULL, NULL);
            msnp_active_email_free(&e);
        }
        break;
    }
    default:
        break; /* system messages and others: nothing to report yet */
    }
}

/* An error reply: find the request and report it where it belongs. */
static void on_error(msgr_messenger *m, const msnp_cmd *cmd)
{
    request r;
    if (!cmd->has_trid || !ns_take(&m->ns, cmd->trid, &r))
        return; /* unknown TrID: ignore (msnp.md 1.6) */
    msgr_hr hr = errmap_msnp(cmd->error_code);
    switch (r.kind) {
    case REQ_VER: case REQ_CVR: case REQ_USR_I: case REQ_USR_S: case REQ_SYN:
        session_end(m, errmap_signin(cmd->error_code));
        break;
    case REQ_CHG:
        ev_my_status(m, hr, m->my_status);
        break;
    case REQ_QRY:
        break; /* the server closes the connection itself (540) */
    case REQ_XFR_SB:
        conv_xfr_failed(m, &r);
        break;
    case REQ_LKS: case REQ_LKC: case REQ_LKR:
        lock_on_error(m, &r);
        break;
    case REQ_SESSION:
        sproxy_on_error(m, &r, cmd->error_code);
        break;
    default:
        lists_on_error(m, &r, hr);
        break;
    }
    ns_request_clear(&r);
}

/* Replies that carry a TrID go to the request they answer. */
static void on_reply(msgr_messenger *m, const msnp_cmd *cmd)
{
    request r;
    bool known = cmd->has_trid && cmd->trid != 0 && ns_take(&m->ns, cmd->trid, &r);
    if (!known) {
        memset(&r, 0, sizeof r);
        r.trid = cmd->has_trid ? cmd->trid : 0;
    }
    if (strcmp(cmd->code, "VER") == 0) {
        if (cmd->nparams < 1 || strcmp(cmd->params[0], "MSNP8") != 0)
            session_end(m, MSGR_E_SERVER_VERSION);
    } else if (strcmp(cmd->code, "USR") == 0) {
        on_usr(m, cmd);
    } else if (strcmp(cmd->code, "XFR") == 0) {
        if (cmd->nparams >= 1 && strcmp(cmd->params[0], "SB") == 0)
            conv_on_xfr_sb(m, cmd, known ? &r : NULL);
        else
            on_xfr(m, cmd);
    } else if (strcmp(cmd->code, "SYN") == 0) {
        lists_on_syn(m, cmd);
    } else if (strcmp(cmd->code, "CHG") == 0) {
        on_chg(m, cmd);
    } else if (strcmp(cmd->code, "URL") == 0) {
        host_on_url(m, cmd, known ? &r : NULL);
    } else if (known || r.trid == 0) {
        if (r.trid == 0 && !known)
            lists_on_elsewhere(m, cmd);
        else
            lists_on_reply(m, cmd, &r);
    }
    if (known)
        ns_request_clear(&r);
}

void session_on_command(msgr_messenger *m, const msnp_cmd *cmd)
{
    const char *c = cmd->code;
    /* Local server mode: attached programs see what they must of this
     * command, and replies to their requests go back to them
     * (local_server.c). */
    if (m->local && local_on_ns_command(m, cmd))
        return;
    /* Attached: the session lines of the serving messenger. */
    if (m->attach && sproxy_on_command(m, cmd))
        return;
    if (cmd->error_code) {
        on_error(m, cmd);
    } else if (strcmp(c, "ILN") == 0) {
        presence_on_iln(m, cmd);
    } else if (strcmp(c, "NLN") == 0) {
        presence_on_nln(m, cmd);
    } else if (strcmp(c, "FLN") == 0) {
        presence_on_fln(m, cmd);
    } else if (strcmp(c, "CHL") == 0) {
        on_chl(m, cmd);
    } else if (strcmp(c, "MSG") == 0) {
        on_msg(m, cmd);
    } else if (strcmp(c, "OUT") == 0) {
        on_out(m, cmd);
    } else if (strcmp(c, "RNG") == 0) {
        conv_on_rng(m, cmd);
    } else if (strcmp(c, "LKS") == 0 || strcmp(c, "LKC") == 0 ||
               strcmp(c, "LKR") == 0) {
        lock_on_command(m, cmd);
    } else if (strcmp(c, "NOT") == 0) {
        priv_on_alert(m, cmd);
    } else if (strcmp(c, "QNG") == 0 || strcmp(c, "CVR") == 0 ||
               strcmp(c, "QRY") == 0) {
        request r;
        if (cmd->has_trid && ns_take(&m->ns, cmd->trid, &r))
            ns_request_clear(&r);
    } else if (!cmd->has_trid && lists_on_dump_line(m, cmd)) {
        /* a line of the SYN dump, or an asynchronous BPR */
    } else {
        on_reply(m, cmd);
    }
}

void session_signout(msgr_messenger *m)
{
    if (!signin_reported(m)) {
        session_fail(m, MSGR_E_CANCEL); /* attempt still running: cancel it */
        return;
    }
    if (m->phase == PHASE_DISCONNECTING)
        return;
    ev_my_status(m, MSGR_S_OK, MISTATUS_LOCAL_DISCONNECTING_FROM_SERVER);
    m->phase = PHASE_DISCONNECTING;
    m->close_deadline = msgr_now_ms() + MSGR_SIGNOUT_GRACE_MS;
    if (!session_send(m, msnp_write_out(&m->ns.out, NULL)))
        session_lost(m, MSGR_S_OK);
}

void session_timers(msgr_messenger *m, int64_t now)
{
    if (m->logon_deadline && now >= m->logon_deadline &&
        m->phase != PHASE_ONLINE && m->phase != PHASE_OFFLINE &&
        m->phase != PHASE_DISCONNECTING) {
        session_end(m, MSGR_E_LOGON_TIMEOUT);
        return;
    }
    if (m->phase == PHASE_DISCONNECTING && m->close_deadline &&
        now >= m->close_deadline) {
        session_lost(m, MSGR_S_OK);
        return;
    }
    if (m->phase == PHASE_ONLINE && m->ping_due && now >= m->ping_due) {
        (void)session_send(m, msnp_write_png(&m->ns.out));
        m->ping_due = now + MSGR_PING_INTERVAL_MS;
    }
}
