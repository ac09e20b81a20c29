/* chat.c - switchboard conversations with timestamped messages (chat.h). */
#include "chat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_status.h"
#include "msnp_write.h"
#include "net.h"

/* Largest message body we build. */
#define CHAT_MAX_BODY 1400
/* Messages a rate-mode tick sends at most (bounds one tick's work). */
#define CHAT_TICK_MAX 100000

static const char chat_header[] =
    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n";

static void sb_connected(mconn *m, void *ud);
static void sb_cmd(mconn *m, const msnp_cmd *cmd, void *ud);
static void sb_closed(mconn *m, mconn_end why, void *ud);
static const mconn_ops sb_ops = { sb_connected, sb_cmd, sb_closed };

static member *member_of(client *c)
{
    return c->scen;
}

/* A conversation that lost a member stops counting as ready. */
static void conv_break(conv *cv)
{
    if (cv->broken)
        return;
    cv->broken = true;
    if (cv->ready)
        cv->ch->ready--;
    cv->ch->broken++;
}

/* ---- sending ---------------------------------------------------------- */

/* Queues one timestamped MSG from m. Returns 0 or -1. */
static int send_one(member *m)
{
    chat *ch = m->cv->ch;
    char payload[sizeof chat_header + CHAT_MAX_BODY + 64];
    size_t hl = sizeof chat_header - 1;
    memcpy(payload, chat_header, hl);
    int n = snprintf(payload + hl, sizeof payload - hl, "T=%llu S=%llu ",
                     (unsigned long long)loop_now_ns(), (unsigned long long)m->sent);
    if (n < 0)
        return -1;
    size_t body = (size_t)n;
    size_t want = ch->ctx->o->size < CHAT_MAX_BODY ? ch->ctx->o->size : CHAT_MAX_BODY;
    while (body < want)
        payload[hl + body++] = 'x';
    if (msnp_write_msg_client(mconn_out(m->sb), mconn_trid(m->sb), ch->ctx->o->ack, payload,
                              hl + body) != MSNP_OK)
        return -1;
    mconn_queued(m->sb);
    m->sent++;
    ch->sent++;
    return 0;
}

/* Messages of m still travelling (sent, not yet at every other member). */
static uint64_t in_flight(const member *m)
{
    uint64_t others = m->cv->n - 1;
    uint64_t arrived = m->receipts / others;
    return m->sent > arrived ? m->sent - arrived : 0;
}

/* Maximum-throughput mode: fills m's window. */
static void pump(member *m)
{
    chat *ch = m->cv->ch;
    if (!ch->sending || ch->rate > 0 || !m->cv->ready || m->cv->broken || !mconn_alive(m->sb))
        return;
    for (unsigned k = 0; k < ch->window && in_flight(m) < ch->window; k++)
        if (send_one(m) != 0)
            return;
}

void chat_start(chat *ch, double rate, unsigned window)
{
    ch->sending = true;
    ch->rate = rate;
    ch->window = window ? window : 1;
    ch->rate_start = loop_now_ns();
    ch->rate_sent = 0;
    for (unsigned i = 0; i < ch->nconv; i++)
        for (unsigned j = 0; j < ch->convs[i].n; j++)
            pump(&ch->convs[i].m[j]);
}

/* The next member able to send in round-robin order, or NULL. */
static member *next_sender(chat *ch)
{
    unsigned total = ch->nconv * ch->party;
    for (unsigned k = 0; k < total; k++) {
        conv *cv = &ch->convs[ch->rr_conv];
        member *m = &cv->m[ch->rr_member];
        if (++ch->rr_member >= cv->n) {
            ch->rr_member = 0;
            ch->rr_conv = (ch->rr_conv + 1) % ch->nconv;
        }
        if (cv->ready && !cv->broken && mconn_alive(m->sb) && in_flight(m) < ch->window)
            return m;
    }
    return NULL;
}

void chat_tick(chat *ch)
{
    if (!ch->sending || ch->rate <= 0 || ch->nconv == 0)
        return;
    double elapsed = (double)(loop_now_ns() - ch->rate_start) / 1e9;
    uint64_t due = (uint64_t)(elapsed * ch->rate);
    for (unsigned k = 0; ch->rate_sent < due && k < CHAT_TICK_MAX; k++) {
        member *m = next_sender(ch);
        if (!m || send_one(m) != 0) {
            ch->rate_sent = due; /* nobody can send: drop the backlog */
            break;
        }
        ch->rate_sent++;
    }
}

void chat_measure(chat *ch, bool on)
{
    if (on) {
        hist_reset(&ch->latency);
        ch->m_received = 0;
    }
    ch->measuring = on;
}

/* ---- receiving --------------------------------------------------------- */

/* The send time in a message body ("...\r\n\r\nT=<ns> ..."), or 0. */
static uint64_t body_time(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i + 6 <= len; i++) {
        if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n' &&
            p[i + 4] == 'T' && p[i + 5] == '=') {
            uint64_t v = 0;
            for (size_t j = i + 6; j < len && j < i + 26 && p[j] >= '0' && p[j] <= '9'; j++)
                v = v * 10u + (uint64_t)(p[j] - '0');
            return v;
        }
    }
    return 0;
}

/* A relayed MSG reached m: latency, and credit to its sender. */
static void got_msg(member *m, const msnp_cmd *cmd)
{
    chat *ch = m->cv->ch;
    uint64_t now = loop_now_ns();
    uint64_t t = body_time(cmd->payload, cmd->payload_len);
    ch->received++;
    if (ch->measuring) {
        ch->m_received++;
        if (t && t <= now)
            hist_add(&ch->latency, now - t);
    }
    const char *from = cmd->nparams >= 1 ? cmd->params[0] : "";
    for (unsigned j = 0; j < m->cv->n; j++) {
        member *s = &m->cv->m[j];
        if (s != m && !strcmp(s->user->handle, from)) {
            s->receipts++;
            pump(s);
            return;
        }
    }
}

/* ---- opening the conversations ---------------------------------------- */

/* Connects m to the switchboard at addr ("host:port"). */
static void sb_open(member *m, const char *addr)
{
    bench_ctx *ctx = m->cv->ch->ctx;
    struct sockaddr_in sa;
    if (net_parse_loopback(addr, &sa) != 0) {
        ctx->err.protocol++;
        conv_break(m->cv);
        return;
    }
    m->sb = mconn_open(ctx->loop, &sa, ctx_source(ctx), ctx->o->sources, &sb_ops, m);
    if (!m->sb) {
        ctx->err.connect++;
        conv_break(m->cv);
    }
}

static void sb_connected(mconn *sb, void *ud)
{
    member *m = ud;
    if (m->caller)
        msnp_write_usr_sb_request(mconn_out(sb), mconn_trid(sb), m->user->handle, m->cookie);
    else
        msnp_write_ans_request(mconn_out(sb), mconn_trid(sb), m->user->handle, m->cookie,
                               m->session_id);
    mconn_queued(sb);
}

/* The caller is in its new session: ring everyone else. */
static void call_others(member *m)
{
    for (unsigned j = 0; j < m->cv->n; j++)
        if (&m->cv->m[j] != m)
            msnp_write_cal_request(mconn_out(m->sb), mconn_trid(m->sb), m->cv->m[j].user->handle);
    mconn_queued(m->sb);
}

/* Ready once every callee answered and the caller saw every JOI. */
static void conv_check_ready(conv *cv)
{
    if (cv->ready || cv->broken || cv->jois < cv->n - 1)
        return;
    for (unsigned j = 0; j < cv->n; j++)
        if (!cv->m[j].joined)
            return;
    cv->ready = true;
    cv->ch->ready++;
    for (unsigned j = 0; j < cv->n; j++)
        pump(&cv->m[j]);
}

static void sb_cmd(mconn *sb, const msnp_cmd *cmd, void *ud)
{
    member *m = ud;
    chat *ch = m->cv->ch;
    (void)sb;
    const char *code = cmd->code;
    if (!strcmp(code, "MSG")) {
        got_msg(m, cmd);
    } else if (!strcmp(code, "ACK")) {
        ch->acks++;
    } else if (!strcmp(code, "NAK")) {
        ch->naks++;
        ch->ctx->err.lost++;
    } else if (!strcmp(code, "USR") && cmd->nparams >= 1 && !strcmp(cmd->params[0], "OK")) {
        m->joined = true;
        call_others(m);
    } else if (!strcmp(code, "ANS") && cmd->nparams >= 1 && !strcmp(cmd->params[0], "OK")) {
        m->joined = true;
        conv_check_ready(m->cv);
    } else if (!strcmp(code, "JOI")) {
        m->cv->jois++;
        conv_check_ready(m->cv);
    } else if (!strcmp(code, "BYE")) {
        if (!ch->stopping)
            conv_break(m->cv);
    } else if (cmd->error_code) {
        ch->ctx->err.reply++;
        conv_break(m->cv);
    }
}

static void sb_closed(mconn *sb, mconn_end why, void *ud)
{
    member *m = ud;
    chat *ch = m->cv->ch;
    if (m->sb != sb)
        return;
    m->sb = NULL;
    if (ch->stopping || why == MCONN_END_LOCAL)
        return;
    if (why == MCONN_END_CONNECT)
        ch->ctx->err.connect++;
    else
        ch->ctx->err.closed++;
    conv_break(m->cv);
}

/* XFR reply on the caller's NS: "XFR trid SB addr CKI cookie". */
static void got_xfr(member *m, const msnp_cmd *cmd)
{
    if (cmd->nparams < 4 || strcmp(cmd->params[0], "SB") != 0) {
        m->cv->ch->ctx->err.protocol++;
        conv_break(m->cv);
        return;
    }
    snprintf(m->cookie, sizeof m->cookie, "%s", cmd->params[3]);
    sb_open(m, cmd->params[1]);
}

/* RNG on a callee's NS: "RNG sid addr CKI cookie caller name". */
static void got_rng(member *m, const msnp_cmd *cmd)
{
    uint32_t sid = 0;
    if (cmd->nparams < 4 || msnp_parse_u32(cmd->params[0], &sid) != MSNP_OK) {
        m->cv->ch->ctx->err.protocol++;
        conv_break(m->cv);
        return;
    }
    if (m->sb)
        return; /* already in (a second RNG would be a retry) */
    m->session_id = sid;
    snprintf(m->cookie, sizeof m->cookie, "%s", cmd->params[3]);
    sb_open(m, cmd->params[1]);
}

void chat_on_line(client *c, const msnp_cmd *cmd)
{
    member *m = member_of(c);
    if (!m)
        return;
    if (!strcmp(cmd->code, "XFR") && m->caller)
        got_xfr(m, cmd);
    else if (!strcmp(cmd->code, "RNG") && !m->caller)
        got_rng(m, cmd);
    else if (cmd->error_code && !m->cv->ready)
        conv_break(m->cv);
}

void chat_on_end(client *c, bool error)
{
    member *m = member_of(c);
    (void)error;
    if (m && !m->cv->ch->stopping)
        conv_break(m->cv);
}

/* Wires conversation i to its users. */
static void conv_init(chat *ch, unsigned i)
{
    conv *cv = &ch->convs[i];
    cv->ch = ch;
    cv->n = ch->party;
    for (unsigned j = 0; j < cv->n; j++) {
        member *m = &cv->m[j];
        m->cv = cv;
        m->user = &ch->cw.users[i * ch->party + j];
        m->user->scen = m;
        m->caller = j == 0;
    }
}

static bool chat_all_open(chat *ch)
{
    return ch->ready + ch->broken >= ch->nconv;
}

static void setup_tick(bench_ctx *ctx)
{
    (void)ctx;
}

int chat_setup(chat *ch, bench_ctx *ctx, unsigned first, unsigned nconv, unsigned party,
               uint64_t deadline, bool keep_hooks)
{
    memset(ch, 0, sizeof *ch);
    ch->ctx = ctx;
    ch->nconv = nconv;
    ch->party = party < 2 ? 2 : party > 3 ? 3 : party;
    ch->convs = calloc(nconv ? nconv : 1, sizeof *ch->convs);
    if (!ch->convs || crowd_init(&ch->cw, ctx, first, nconv * ch->party) != 0) {
        free(ch->convs);
        return -1;
    }
    for (unsigned i = 0; i < nconv; i++)
        conv_init(ch, i);
    if (!keep_hooks)
        ctx->hooks = (bench_hooks){ NULL, chat_on_end, chat_on_line, NULL };
    crowd_sign_in(&ch->cw, ctx->o->concurrency, false, deadline);
    for (unsigned i = 0; i < nconv; i++) {
        member *caller = &ch->convs[i].m[0];
        if (caller->user->st != CL_READY) {
            conv_break(&ch->convs[i]);
            continue;
        }
        client *u = caller->user;
        msnp_write_xfr_sb_request(mconn_out(u->ns), mconn_trid(u->ns));
        mconn_queued(u->ns);
    }
    bool done = false;
    for (unsigned rounds = 0; rounds < 1000000 && !done && loop_now_ns() < deadline; rounds++) {
        uint64_t slice = loop_now_ns() + 20000000u;
        ctx_run_until(ctx, NULL, slice < deadline ? slice : deadline, 10, setup_tick);
        done = chat_all_open(ch);
    }
    return (int)ch->ready;
}

uint64_t chat_stop(chat *ch, uint64_t deadline)
{
    ch->sending = false;
    uint64_t expected = 0;
    for (unsigned i = 0; i < ch->nconv; i++)
        for (unsigned j = 0; j < ch->convs[i].n; j++)
            expected += ch->convs[i].m[j].sent * (ch->convs[i].n - 1);
    for (unsigned rounds = 0; rounds < 100000 && ch->received < expected; rounds++) {
        uint64_t now = loop_now_ns();
        if (now >= deadline)
            break;
        uint64_t slice = now + 10000000u < deadline ? now + 10000000u : deadline;
        ctx_run_until(ch->ctx, NULL, slice, 10, NULL);
    }
    uint64_t lost = expected > ch->received ? expected - ch->received : 0;
    ch->ctx->err.lost += lost;
    return lost;
}

void chat_teardown(chat *ch, uint64_t deadline)
{
    ch->stopping = true;
    for (unsigned i = 0; i < ch->nconv; i++) {
        for (unsigned j = 0; j < ch->convs[i].n; j++) {
            member *m = &ch->convs[i].m[j];
            if (m->sb) {
                mconn *sb = m->sb;
                m->sb = NULL;
                mconn_close(sb);
            }
        }
    }
    crowd_sign_out(&ch->cw, deadline);
    for (unsigned i = 0; i < ch->cw.n; i++)
        ch->cw.users[i].scen = NULL;
    crowd_free(&ch->cw);
    free(ch->convs);
    ch->convs = NULL;
}
