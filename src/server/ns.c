/* ns.c - notification server: session state machine, login, presence
 * commands, challenges, keep-alive, URL/SND (msnp.md 2, 4, 7). */
#include "ns.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "lockkey.h"
#include "log.h"
#include "msnp_msgbody.h"
#include "msnp_passport.h"
#include "msnp_url.h"
#include "msnp_write.h"
#include "presence.h"
#include "server.h"
#include "storeq.h"
#include "strmap.h"
#include "switchboard.h"
#include "tickets.h"

static void ns_on_command(conn *c, const msnp_cmd *cmd);
static void ns_on_close(conn *c);
static void ns_schedule(ns_session *s);
static void ns_send_challenge(ns_session *s);
static void ns_unregister(ns_session *s);

static const conn_handler ns_handler = { ns_on_command, ns_on_close };

/* ------------------------------------------------------------ helpers */

ns_session *ns_find(server *srv, const char *handle)
{
    return strmap_get(srv->online, handle);
}

ns_session *ns_find_any_case(server *srv, const char *handle)
{
    char lower[MSNP_MAX_HANDLE_LOOKUP];
    size_t n = strlen(handle);
    if (n == 0 || n >= sizeof lower)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)tolower((unsigned char)handle[i]);
    return ns_find(srv, lower);
}

bool ns_visible(const ns_session *s)
{
    return s->state == NS_AUTHENTICATED && s->chg_seen && s->status != MSNP_PRESENCE_HDN &&
           conn_is_open(s->c);
}

static void send_buf(ns_session *s, msnp_buf *b)
{
    conn_send(s->c, b);
    msnp_buf_free(b);
}

void ns_reply_error(ns_session *s, int code, uint32_t trid)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_error(&b, code, trid) == MSNP_OK)
        conn_send(s->c, &b);
    msnp_buf_free(&b);
}

bool ns_need_params(ns_session *s, const msnp_cmd *cmd, size_t n)
{
    if (cmd->nparams >= n)
        return true;
    ns_reply_error(s, 201, cmd->trid);
    return false;
}

void ns_kick(ns_session *s, const char *reason)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_out(&b, reason) == MSNP_OK)
        conn_send(s->c, &b);
    msnp_buf_free(&b);
    conn_close(s->c, reason ? reason : "OUT");
}

bool ns_handle_valid(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n > 129)
        return false;
    const char *at = strchr(h, '@');
    if (!at || at == h || strchr(at + 1, '@'))
        return false;
    const char *dot = strchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0' || h[n - 1] == '.')
        return false;
    for (const char *p = h; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch <= 0x20 || ch >= 0x7F || ch == ',' || ch == '%' || ch == '<' || ch == '>')
            return false;
    }
    return true;
}

static char *lower_dup(const char *s)
{
    char *d = strdup(s);
    if (d)
        for (char *p = d; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    return d;
}

char *ns_decode_name(const char *param)
{
    char *out = NULL;
    /* Old clients send Windows-1252 or a stray '%'; msnp.md 1.7 says to
     * accept them. Control characters are still refused. */
    if (msnp_url_decode_dup(param, MSNP_URL_LENIENT, &out) != MSNP_OK)
        return NULL;
    return out;
}

void ns_set_user(ns_session *s, store_user *u)
{
    store_user_free(s->user);
    s->user = u;
}

bool ns_rate_ok(ns_rate *r, unsigned limit, uint64_t window_ms, uint64_t now)
{
    if (r->count == 0 || now - r->window_start_ms >= window_ms) {
        r->window_start_ms = now;
        r->count = 0;
    }
    if (r->count >= limit)
        return false;
    r->count++;
    return true;
}

/* -------------------------------------------------------------- timers */

static void ns_tick(conn *c)
{
    ns_session *s = c->role_data;
    uint64_t now = server_mono_ms();
    const msgrd_config *cfg = c->srv->cfg;
    if (s->state != NS_AUTHENTICATED && now >= s->login_deadline_ms) {
        log_info("conn %llu: login timeout", (unsigned long long)c->id);
        conn_close(c, "login timeout");
        return;
    }
    if (s->chl_deadline_ms && now >= s->chl_deadline_ms) {
        log_info("%s: no answer to CHL, signing out", s->handle);
        ns_kick(s, NULL);
        return;
    }
    if (cfg->idle_timeout && now - s->last_activity_ms >= (uint64_t)cfg->idle_timeout * 1000) {
        ns_kick(s, NULL);
        return;
    }
    if (s->next_chl_ms && now >= s->next_chl_ms) {
        s->next_chl_ms = 0;
        ns_send_challenge(s);
    }
    ns_schedule(s);
}

/* Arms the connection timer for the nearest deadline. */
static void ns_schedule(ns_session *s)
{
    const msgrd_config *cfg = s->c->srv->cfg;
    uint64_t now = server_mono_ms(), next = UINT64_MAX;
    if (s->state != NS_AUTHENTICATED)
        next = s->login_deadline_ms;
    if (s->chl_deadline_ms && s->chl_deadline_ms < next)
        next = s->chl_deadline_ms;
    if (s->next_chl_ms && s->next_chl_ms < next)
        next = s->next_chl_ms;
    if (cfg->idle_timeout) {
        uint64_t idle = s->last_activity_ms + (uint64_t)cfg->idle_timeout * 1000;
        if (idle < next)
            next = idle;
    }
    if (next == UINT64_MAX)
        return;
    conn_set_timer(s->c, next > now ? (unsigned)(next - now) + 1 : 1, ns_tick);
}

/* ---------------------------------------------------------- challenge */

static void ns_send_challenge(ns_session *s)
{
    unsigned char rnd[MSNP_CHALLENGE_RANDOM_BYTES];
    randombytes_buf(rnd, sizeof rnd);
    memcpy(s->prev_chl, s->chl, sizeof s->chl);
    if (msnp_challenge_generate(rnd, sizeof rnd, s->chl) != MSNP_OK)
        return;
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_chl(&b, 0, s->chl) == MSNP_OK)
        conn_send(s->c, &b);
    msnp_buf_free(&b);
    const msgrd_config *cfg = s->c->srv->cfg;
    uint64_t now = server_mono_ms();
    if (cfg->chl_timeout)
        s->chl_deadline_ms = now + (uint64_t)cfg->chl_timeout * 1000;
    if (cfg->chl_interval)
        s->next_chl_ms = now + (uint64_t)cfg->chl_interval * 1000;
    ns_schedule(s);
}

static bool qry_matches(const ns_session *s, const char *key, const unsigned char *resp, size_t len)
{
    if (s->chl[0] && msnp_challenge_check(s->chl, key, resp, len))
        return true;
    return s->prev_chl[0] && msnp_challenge_check(s->prev_chl, key, resp, len);
}

static void cmd_qry(ns_session *s, const msnp_cmd *cmd)
{
    if (cmd->nparams != 2 || !cmd->has_payload) {
        ns_reply_error(s, 201, cmd->trid);
        return;
    }
    const char *key = msnp_product_key_lookup(cmd->params[0]);
    bool ok;
    if (!key)
        ok = s->c->srv->cfg->chl_lenient && s->chl[0];
    else
        ok = qry_matches(s, key, cmd->payload, cmd->payload_len);
    if (!ok) {
        log_info("%s: wrong QRY answer (product %s)", s->handle ? s->handle : "?", cmd->params[0]);
        ns_reply_error(s, 540, cmd->trid);
        conn_close(s->c, "bad QRY");
        return;
    }
    s->chl_deadline_ms = 0;
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_qry_reply(&b, cmd->trid) == MSNP_OK)
        send_buf(s, &b);
    ns_schedule(s);
}

/* A client asking for a challenge (rare, msnp.md 2.10). */
static void cmd_chl(ns_session *s, const msnp_cmd *cmd)
{
    unsigned char rnd[MSNP_CHALLENGE_RANDOM_BYTES];
    randombytes_buf(rnd, sizeof rnd);
    memcpy(s->prev_chl, s->chl, sizeof s->chl);
    if (msnp_challenge_generate(rnd, sizeof rnd, s->chl) != MSNP_OK)
        return;
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_chl(&b, cmd->trid, s->chl) == MSNP_OK)
        send_buf(s, &b);
    else
        msnp_buf_free(&b);
}

/* ----------------------------------------------------------- version */

static void cmd_ver(ns_session *s, const msnp_cmd *cmd, bool first)
{
    if (!first) {
        ns_reply_error(s, 715, cmd->trid);
        return;
    }
    bool has8 = false, has9 = false, cvr0 = false;
    for (size_t i = 0; i < cmd->nparams; i++) {
        const char *d = cmd->params[i];
        has8 |= strcasecmp(d, "MSNP8") == 0;
        has9 |= strcasecmp(d, "MSNP9") == 0;
        cvr0 |= strcasecmp(d, "CVR0") == 0;
    }
    msnp_buf b = MSNP_BUF_INIT;
    if (!has8 && !has9) {
        if (msnp_write_ver_reject(&b, cmd->trid) == MSNP_OK)
            conn_send(s->c, &b);
        msnp_buf_free(&b);
        conn_close(s->c, "no common dialect");
        return;
    }
    s->dialect = has9 ? MSNP_DIALECT_MSNP9 : MSNP_DIALECT_MSNP8;
    if (msnp_write_ver_reply(&b, cmd->trid, s->dialect, cvr0) == MSNP_OK)
        send_buf(s, &b);
    else
        msnp_buf_free(&b);
}

static void cmd_cvr(ns_session *s, const msnp_cmd *cmd)
{
    /* We echo the client's own version so no client is ever told to
     * upgrade (msnp.md 2.3). */
    const char *ver = cmd->nparams >= 6 ? cmd->params[5] : "5.0.0540";
    char dl[512], info[512];
    snprintf(dl, sizeof dl, "%sdownload", s->c->srv->cfg->url_base);
    snprintf(info, sizeof info, "%s", s->c->srv->cfg->url_base);
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_cvr_reply(&b, cmd->trid, ver, ver, ver, dl, info) == MSNP_OK) {
        send_buf(s, &b);
    } else {
        msnp_buf_free(&b);
        ns_reply_error(s, 710, cmd->trid);
    }
}

/* -------------------------------------------------------------- login */

static void usr_initial(ns_session *s, const msnp_cmd *cmd)
{
    server *srv = s->c->srv;
    const char *h = cmd->params[2];
    if (s->state != NS_VERSIONED) {
        ns_reply_error(s, 715, cmd->trid);
        return;
    }
    if (!strchr(h, '@')) {
        ns_reply_error(s, 206, cmd->trid);
        conn_close(s->c, "no domain");
        return;
    }
    if (!ns_handle_valid(h)) {
        ns_reply_error(s, 911, cmd->trid);
        conn_close(s->c, "bad handle");
        return;
    }
    msnp_buf b = MSNP_BUF_INIT;
    if (srv->cfg->dispatch) {
        if (msnp_write_xfr_ns(&b, cmd->trid, srv->cfg->dispatch, srv->public_addr) == MSNP_OK)
            conn_send(s->c, &b);
        msnp_buf_free(&b);
        conn_close(s->c, "dispatched");
        return;
    }
    free(s->handle);
    s->handle = lower_dup(h);
    unsigned char rnd[16];
    char tpf[MSNP_PASSPORT_TPF_LEN + 1];
    randombytes_buf(rnd, sizeof rnd);
    msnp_passport_tpf_from_random(rnd, tpf);
    msnp_buf chal = MSNP_BUF_INIT;
    if (!s->handle ||
        msnp_passport_challenge_build(&chal, srv->cfg->url_base, server_unix_time(), tpf) != MSNP_OK ||
        msnp_write_usr_twn_s(&b, cmd->trid, chal.data) != MSNP_OK) {
        msnp_buf_free(&chal);
        msnp_buf_free(&b);
        ns_reply_error(s, 500, cmd->trid);
        conn_close(s->c, "internal error");
        return;
    }
    msnp_buf_free(&chal);
    send_buf(s, &b);
    s->state = NS_CHALLENGED;
}

typedef struct login_job {
    conn *c;
    uint32_t trid;
    char *handle;
    char *mspauth;
    store_user *user;
    int rc;
} login_job;

static void login_work(store *st, void *arg)
{
    login_job *j = arg;
    j->rc = st ? store_load_user(st, j->handle, &j->user) : STORE_E_IO;
}

static void send_profile(ns_session *s, const char *mspauth)
{
    const store_user *u = s->user;
    msnp_profile p = { 0 };
    p.login_time = (uint64_t)server_unix_time();
    p.email_enabled = true;
    p.member_id_high = (uint32_t)(u->puid >> 32);
    p.member_id_low = (uint32_t)u->puid;
    p.lang_preference = 1033;
    p.preferred_email = u->handle;
    p.country = "";
    p.postal_code = "";
    p.gender = "";
    p.age = "";
    p.bday_pre = "";
    p.birthday = "";
    p.wallet = "";
    p.flags = 1027;
    p.sid = 507;
    p.kv = 5;
    p.mspauth = mspauth;
    p.client_ip = s->c->peer_ip;
    p.client_port = (uint16_t)s->c->peer_port;
    msnp_buf body = MSNP_BUF_INIT, b = MSNP_BUF_INIT;
    if (msnp_profile_build(&body, &p) == MSNP_OK &&
        msnp_write_msg_hotmail(&b, body.data, body.len) == MSNP_OK)
        conn_send(s->c, &b);
    msnp_buf_reset(&body);
    msnp_buf_reset(&b);
    /* We host no mailbox: the initial notification says so (0 unread),
     * and the URL command points at the configured pages. */
    char post[512];
    snprintf(post, sizeof post, "%sppsecure/md5auth.srf?lc=1033", s->c->srv->cfg->url_base);
    msnp_initial_email m = { 0 };
    m.inbox_unread = 0;
    m.folders_unread = 0;
    m.inbox_url = "/cgi-bin/HoTMaiL";
    m.folders_url = "/cgi-bin/folders";
    m.post_url = post;
    if (msnp_initial_email_build(&body, &m) == MSNP_OK &&
        msnp_write_msg_hotmail(&b, body.data, body.len) == MSNP_OK)
        conn_send(s->c, &b);
    msnp_buf_free(&body);
    msnp_buf_free(&b);
}

/* Registers the freshly loaded session and sends USR OK and the profile. */
static void login_complete(ns_session *s, login_job *j)
{
    server *srv = s->c->srv;
    ns_session *old = ns_find(srv, j->handle);
    if (old && old != s) {
        log_info("%s: signed in again; old session gets OUT OTH", j->handle);
        /* Sign-out effects now (FLN, switchboards), not when the old
         * connection has finished flushing. */
        ns_unregister(old);
        ns_kick(old, "OTH");
    }
    ns_set_user(s, j->user);
    j->user = NULL;
    if (strmap_put(srv->online, s->handle, s) != 0) {
        ns_reply_error(s, 500, j->trid);
        conn_close(s->c, "out of memory");
        return;
    }
    s->registered = true;
    s->state = NS_AUTHENTICATED;
    conn_set_timer(s->c, 0, NULL);
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_usr_ok(&b, j->trid, s->user->handle, s->user->friendly_name, true, false) ==
        MSNP_OK)
        conn_send(s->c, &b);
    msnp_buf_free(&b);
    send_profile(s, j->mspauth);
    log_info("%s: signed in from %s:%u (%s)", s->handle, s->c->peer_ip, s->c->peer_port,
             msnp_dialect_name(s->dialect));
    ns_schedule(s);
}

static void login_done(void *arg)
{
    login_job *j = arg;
    conn *c = j->c;
    if (conn_is_open(c)) {
        ns_session *s = c->role_data;
        if (j->rc != 0) {
            log_warn("%s: cannot load account: %s", j->handle, store_strerror(j->rc));
            ns_reply_error(s, j->rc == STORE_E_NOTFOUND ? 911 : 500, j->trid);
            conn_close(c, "login failed");
        } else {
            login_complete(s, j);
        }
        conn_release(c);
    }
    conn_unref(c);
    store_user_free(j->user);
    free(j->handle);
    free(j->mspauth);
    free(j);
}

static void usr_ticket(ns_session *s, const msnp_cmd *cmd)
{
    server *srv = s->c->srv;
    const char *ticket = cmd->params[2];
    if (s->state != NS_CHALLENGED) {
        ns_reply_error(s, 715, cmd->trid);
        return;
    }
    msnp_passport_ticket parts;
    if (msnp_passport_ticket_split(ticket, strlen(ticket), &parts) != MSNP_OK ||
        tickets_consume(srv->tickets, ticket, s->handle) != 0) {
        log_info("%s: bad or reused ticket from %s", s->handle, s->c->peer_ip);
        ns_reply_error(s, 911, cmd->trid);
        conn_close(s->c, "bad ticket");
        return;
    }
    login_job *j = calloc(1, sizeof *j);
    if (j) {
        j->handle = strdup(s->handle);
        j->mspauth = strndup(parts.t, parts.t_len);
    }
    if (!j || !j->handle || !j->mspauth) {
        if (j) {
            free(j->handle);
            free(j->mspauth);
        }
        free(j);
        ns_reply_error(s, 500, cmd->trid);
        conn_close(s->c, "out of memory");
        return;
    }
    j->c = s->c;
    j->trid = cmd->trid;
    conn_ref(s->c);
    conn_hold(s->c);
    s->state = NS_LOGGING_IN;
    if (storeq_submit(srv, login_work, login_done, j) != 0) {
        j->rc = STORE_E_NOMEM;
        login_done(j);
    }
}

static void cmd_usr(ns_session *s, const msnp_cmd *cmd)
{
    if (s->state == NS_AUTHENTICATED || s->state == NS_LOGGING_IN) {
        ns_reply_error(s, 207, cmd->trid);
        return;
    }
    if (!ns_need_params(s, cmd, 3))
        return;
    if (strcmp(cmd->params[0], "TWN") != 0) {
        /* MD5 and anything else: refused (msnp.md 2.4). */
        ns_reply_error(s, 911, cmd->trid);
        conn_close(s->c, "unsupported security package");
        return;
    }
    if (strcmp(cmd->params[1], "I") == 0)
        usr_initial(s, cmd);
    else if (strcmp(cmd->params[1], "S") == 0)
        usr_ticket(s, cmd);
    else
        ns_reply_error(s, 201, cmd->trid);
}

/* ------------------------------------------------------------ presence */

static void cmd_chg(ns_session *s, const msnp_cmd *cmd)
{
    msnp_presence st;
    if (cmd->nparams < 1 || !msnp_presence_parse(cmd->params[0], &st) ||
        st == MSNP_PRESENCE_FLN) {
        ns_reply_error(s, 201, cmd->trid);
        return;
    }
    uint32_t caps = 0;
    if (cmd->nparams >= 2 && msnp_parse_u32(cmd->params[1], &caps) != MSNP_OK) {
        ns_reply_error(s, 201, cmd->trid);
        return;
    }
    const msgrd_config *cfg = s->c->srv->cfg;
    if (!ns_rate_ok(&s->chg_rate, cfg->chg_limit, 10000, server_mono_ms())) {
        ns_reply_error(s, 800, cmd->trid);
        return;
    }
    const char *obj = s->dialect == MSNP_DIALECT_MSNP9 && cmd->nparams >= 3 ? cmd->params[2] : NULL;
    bool changed = st != s->status || caps != s->caps ||
                   (obj == NULL) != (s->msnobj == NULL) || (obj && strcmp(obj, s->msnobj) != 0);
    presence_before before = { ns_visible(s), s->user };
    bool first = !s->chg_seen;
    s->status = st;
    s->caps = caps;
    free(s->msnobj);
    s->msnobj = obj ? strdup(obj) : NULL;
    s->chg_seen = true;

    /* The reply echoes exactly what the client sent (msnp.md 4.2). */
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_line(&b, "CHG", cmd->trid, cmd->nparams, cmd->params) == MSNP_OK)
        conn_send(s->c, &b);
    msnp_buf_free(&b);
    if (first) {
        presence_send_initial(s, cmd->trid);
        presence_update(s, &before, false);
        ns_send_challenge(s);
    } else {
        presence_update(s, &before, changed);
    }
}

static void cmd_png(ns_session *s)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_qng(&b, s->dialect, 50) == MSNP_OK)
        send_buf(s, &b);
    else
        msnp_buf_free(&b);
}

/* --------------------------------------------------------- URL, SND */

typedef struct url_service {
    const char *name;
    const char *path;  /* a leading '/' means relative to the mail site */
    uint32_t site_id;
} url_service;

static const url_service url_services[] = {
    { "INBOX", "/cgi-bin/HoTMaiL", 2 },      { "FOLDERS", "/cgi-bin/folders", 2 },
    { "COMPOSE", "/cgi-bin/compose", 2 },    { "MESSAGE", "/cgi-bin/getmsg", 2 },
    { "PASSWORD", "password", 73625 },       { "PERSON", "person", 73625 },
    { "PROFILE", "profile", 4263 },          { "MOBILE", "mobile", 73625 },
    { "CHGMOB", "chgmob", 73625 },           { "CHAT", "chat", 2 },
    { "N2PACCOUNT", "n2paccount", 2 },       { "N2PFUND", "n2pfund", 2 },
    { "ADDRBOOK", "addrbook", 2 },           { "ADVSEARCH", "advsearch", 2 },
    { "INTSEARCH", "intsearch", 2 },
};

static const url_service *find_url_service(const char *name)
{
    for (size_t i = 0; i < sizeof url_services / sizeof url_services[0]; i++)
        if (strcmp(name, url_services[i].name) == 0)
            return &url_services[i];
    return NULL;
}

static void cmd_url(ns_session *s, const msnp_cmd *cmd)
{
    if (!ns_need_params(s, cmd, 1))
        return;
    const url_service *svc = find_url_service(cmd->params[0]);
    if (!svc) {
        ns_reply_error(s, 715, cmd->trid);
        return;
    }
    const char *base = s->c->srv->cfg->url_base;
    msnp_buf redirect = MSNP_BUF_INIT, post = MSNP_BUF_INIT, b = MSNP_BUF_INIT;
    if (svc->path[0] == '/')
        msnp_buf_append_str(&redirect, svc->path);
    else
        msnp_buf_appendf(&redirect, "%s%s", base, svc->path);
    if (!strcmp(svc->name, "COMPOSE") && cmd->nparams >= 2) {
        msnp_buf_append_str(&redirect, "?mailto=1&to=");
        msnp_url_encode(&redirect, cmd->params[1], strlen(cmd->params[1]));
    } else if (cmd->nparams >= 2 && svc->path[0] != '/') {
        msnp_buf_append_str(&redirect, "?lc=");
        msnp_url_encode(&redirect, cmd->params[1], strlen(cmd->params[1]));
    }
    msnp_buf_appendf(&post, "%sppsecure/md5auth.srf?lc=1033", base);
    if (msnp_write_url_reply(&b, cmd->trid, redirect.data, post.data, svc->site_id) == MSNP_OK)
        conn_send(s->c, &b);
    else
        ns_reply_error(s, 500, cmd->trid);
    msnp_buf_free(&redirect);
    msnp_buf_free(&post);
    msnp_buf_free(&b);
}

static void cmd_snd(ns_session *s, const msnp_cmd *cmd)
{
    if (cmd->nparams < 1 || !ns_handle_valid(cmd->params[0])) {
        ns_reply_error(s, 503, cmd->trid);
        conn_close(s->c, "bad SND");
        return;
    }
    /* We send no e-mail; the request is logged (msnp.md 7.5). */
    log_info("%s: SND invitation requested for %s", s->handle, cmd->params[0]);
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_snd_reply(&b, cmd->trid) == MSNP_OK)
        send_buf(s, &b);
    else
        msnp_buf_free(&b);
}

/* ------------------------------------------------------------ dispatch */

typedef void (*ns_cmd_fn)(ns_session *s, const msnp_cmd *cmd);

typedef struct ns_command {
    const char code[4];
    ns_cmd_fn fn;
} ns_command;

/* Commands valid only after USR OK. */
static const ns_command auth_commands[] = {
    { "SYN", ns_cmd_syn }, { "GTC", ns_cmd_gtc }, { "BLP", ns_cmd_blp }, { "PRP", ns_cmd_prp },
    { "ADD", ns_cmd_add }, { "REM", ns_cmd_rem }, { "ADG", ns_cmd_adg }, { "RMG", ns_cmd_rmg },
    { "REG", ns_cmd_reg }, { "REA", ns_cmd_rea }, { "LST", ns_cmd_lst }, { "LSG", ns_cmd_lsg },
    { "CHG", cmd_chg },    { "QRY", cmd_qry },    { "CHL", cmd_chl },    { "URL", cmd_url },
    { "SND", cmd_snd },    { "XFR", sb_cmd_xfr },
    { "LKS", lockkey_cmd_lks }, { "LKC", lockkey_cmd_lkc }, { "LKR", lockkey_cmd_lkr },
};

static bool is_disabled_command(const char *code)
{
    static const char *const disabled[] = { "FND", "SDC", "IMS", "PGD" };
    for (size_t i = 0; i < sizeof disabled / sizeof disabled[0]; i++)
        if (strcmp(code, disabled[i]) == 0)
            return true;
    return false;
}

static ns_cmd_fn find_auth_command(const char *code)
{
    for (size_t i = 0; i < sizeof auth_commands / sizeof auth_commands[0]; i++)
        if (strcmp(code, auth_commands[i].code) == 0)
            return auth_commands[i].fn;
    return NULL;
}

static void dispatch_auth(ns_session *s, const msnp_cmd *cmd)
{
    ns_cmd_fn fn = find_auth_command(cmd->code);
    if (fn)
        fn(s, cmd);
    else if (!strcmp(cmd->code, "PAG"))
        ns_reply_error(s, s->dialect == MSNP_DIALECT_MSNP9 ? 715 : 502, cmd->trid);
    else if (is_disabled_command(cmd->code))
        ns_reply_error(s, 502, cmd->trid);
    else
        ns_reply_error(s, 200, cmd->trid);
}

static bool needs_auth(const char *code)
{
    return find_auth_command(code) || !strcmp(code, "PAG") || is_disabled_command(code);
}

static void ns_on_command(conn *c, const msnp_cmd *cmd)
{
    ns_session *s = c->role_data;
    s->last_activity_ms = server_mono_ms();
    if (cmd->error_code) {
        conn_abort(c, "client sent an error code");
        return;
    }
    /* PNG and OUT are the only commands without a TrID. */
    if (!strcmp(cmd->code, "PNG")) {
        cmd_png(s);
        return;
    }
    if (!strcmp(cmd->code, "OUT")) {
        conn_close(c, "client OUT");
        return;
    }
    if (!cmd->has_trid || !strcmp(cmd->code, "MSG") || !strcmp(cmd->code, "INF")) {
        conn_abort(c, "malformed or forbidden command");
        return;
    }
    if (!strcmp(cmd->code, "VER")) {
        cmd_ver(s, cmd, false);
        return;
    }
    if (!strcmp(cmd->code, "CVR")) {
        cmd_cvr(s, cmd);
        return;
    }
    if (!strcmp(cmd->code, "USR")) {
        cmd_usr(s, cmd);
        return;
    }
    if (s->state != NS_AUTHENTICATED) {
        if (cmd->has_payload) {
            conn_abort(c, "payload before login");
            return;
        }
        ns_reply_error(s, needs_auth(cmd->code) ? 302 : 200, cmd->trid);
        return;
    }
    dispatch_auth(s, cmd);
}

void ns_start(conn *c, const msnp_cmd *first)
{
    ns_session *s = calloc(1, sizeof *s);
    if (!s) {
        conn_abort(c, "out of memory");
        return;
    }
    s->c = c;
    s->state = NS_VERSIONED;
    s->last_activity_ms = server_mono_ms();
    s->login_deadline_ms = s->last_activity_ms + (uint64_t)c->srv->cfg->login_timeout * 1000;
    c->role = CONN_NS;
    c->handler = &ns_handler;
    c->role_data = s;
    cmd_ver(s, first, true);
    if (conn_is_open(c))
        ns_schedule(s);
}

/* Takes a signed-in session out of the registry and tells everyone who
 * could see it (FLN), closing its switchboards. Idempotent. */
static void ns_unregister(ns_session *s)
{
    server *srv = s->c->srv;
    if (!s->registered)
        return;
    presence_before before = { s->chg_seen && s->status != MSNP_PRESENCE_HDN, s->user };
    if (ns_find(srv, s->handle) == s)
        strmap_remove(srv->online, s->handle);
    s->registered = false;
    /* Invisible from now on, whatever its status says. */
    s->chg_seen = false;
    if (!srv->stopping)
        presence_update(s, &before, false);
    sb_user_signed_out(srv, s->handle);
    log_info("%s: signed out", s->handle);
}

static void ns_on_close(conn *c)
{
    ns_session *s = c->role_data;
    ns_unregister(s);
    store_user_free(s->user);
    free(s->handle);
    free(s->msnobj);
    free(s->lockkey);
    free(s);
    c->role_data = NULL;
}
