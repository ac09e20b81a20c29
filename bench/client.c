/* client.c - a benchmark user's notification session (client.h). */
#include "client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_challenge.h"
#include "msnp_status.h"
#include "msnp_write.h"

/* Our side of the CHG rate window: a little longer than the server's
 * 10 s, so queueing delays never make the server count one too many. */
#define CHG_WINDOW_NS 10500000000ull
#define CHG_RING 32

static const char *const dialects[] = { "MSNP8", "CVR0" };

static void ns_connected(mconn *m, void *ud);
static void ns_cmd(mconn *m, const msnp_cmd *cmd, void *ud);
static void ns_closed(mconn *m, mconn_end why, void *ud);
static const mconn_ops ns_ops = { ns_connected, ns_cmd, ns_closed };

void client_init(client *c, bench_ctx *ctx, unsigned idx)
{
    memset(c, 0, sizeof *c);
    c->ctx = ctx;
    c->idx = idx;
    c->want_syn = !ctx->o->no_syn;
    c->want_chg = true;
    ctx_handle(ctx->o, idx, c->handle, sizeof c->handle);
}

void client_reset(client *c)
{
    if (c->pp)
        passport_cancel(c->pp);
    c->pp = NULL;
    if (c->ns) {
        mconn *m = c->ns;
        c->ns = NULL; /* ns_closed sees no owner: no hooks */
        mconn_close(m);
    }
    free(c->ticket);
    c->ticket = NULL;
    c->st = CL_OFF;
}

static void set_step(client *c)
{
    c->deadline = loop_now_ns() + c->ctx->step_ns;
}

/* The session is over: tell the scenario once. */
static void client_ended(client *c, bool error)
{
    bench_ctx *ctx = c->ctx;
    bool was_login = c->st != CL_READY && c->st != CL_LEAVING && c->st != CL_OFF;
    if (was_login && ctx->inflight)
        ctx->inflight--;
    c->st = CL_OFF;
    c->deadline = 0;
    c->chg_trid = 0;
    ctx->sessions_ended++;
    if (ctx->hooks.on_end)
        ctx->hooks.on_end(c, error);
}

int client_login(client *c)
{
    bench_ctx *ctx = c->ctx;
    c->ns = mconn_open(ctx->loop, &ctx->o->ns, ctx_source(ctx), ctx->o->sources, &ns_ops, c);
    if (!c->ns) {
        ctx->err.connect++;
        return -1;
    }
    c->st = CL_CONNECTING;
    c->t_begin = loop_now_ns();
    c->status = MSNP_PRESENCE_FLN;
    c->chg_trid = 0;
    ctx->inflight++;
    ctx->logins_started++;
    set_step(c);
    return 0;
}

/* Writes into the NS output and schedules the write. */
static void ns_queued(client *c)
{
    mconn_queued(c->ns);
}

static void ns_connected(mconn *m, void *ud)
{
    client *c = ud;
    if (msnp_write_ver_request(mconn_out(m), mconn_trid(m), 2, dialects) == MSNP_OK) {
        c->st = CL_VER;
        ns_queued(c);
    }
}

static void send_cvr(client *c)
{
    const msnp_cvr_info info = { "0x0409", "winnt", "5.1",   "i386",
                                 "MSNMSGR", "5.0.0540", "MSMSGS", c->handle };
    msnp_write_cvr_request(mconn_out(c->ns), mconn_trid(c->ns), &info);
    c->st = CL_CVR;
    ns_queued(c);
}

static void send_usr_i(client *c)
{
    msnp_write_usr_twn_i(mconn_out(c->ns), mconn_trid(c->ns), c->handle);
    c->st = CL_USR_I;
    ns_queued(c);
}

static void send_usr_s(client *c, const char *ticket)
{
    msnp_write_usr_twn_s(mconn_out(c->ns), mconn_trid(c->ns), ticket);
    c->st = CL_USR_S;
    set_step(c);
    ns_queued(c);
}

/* Passport answered. */
static void ticket_arrived(void *ud, const char *ticket, int status)
{
    client *c = ud;
    bench_ctx *ctx = c->ctx;
    c->pp = NULL;
    (void)status;
    if (!ticket) {
        ctx->err.http++;
        client_drop(c);
        return;
    }
    if (!c->prefetch) {
        send_usr_s(c, ticket);
        return;
    }
    free(c->ticket);
    c->ticket = strdup(ticket);
    /* Ticket in hand: this connection is not needed any more. */
    mconn *m = c->ns;
    c->ns = NULL;
    mconn_close(m);
    if (ctx->inflight)
        ctx->inflight--;
    c->st = CL_OFF;
    c->deadline = 0;
    if (ctx->hooks.on_ticket)
        ctx->hooks.on_ticket(c, c->ticket != NULL);
}

/* USR TWN S challenge: redeem a prefetched ticket or ask Passport. */
static void got_challenge(client *c, const msnp_cmd *cmd)
{
    if (cmd->nparams < 3) {
        c->ctx->err.protocol++;
        client_drop(c);
        return;
    }
    if (c->ticket && !c->prefetch) {
        char *t = c->ticket;
        c->ticket = NULL;
        send_usr_s(c, t);
        free(t);
        return;
    }
    c->st = CL_TICKET;
    set_step(c);
    c->pp = passport_fetch(c->ctx, c->handle, c->ctx->o->password, cmd->params[2],
                           ticket_arrived, c);
    if (!c->pp) {
        c->ctx->err.http++;
        client_drop(c);
    }
}

/* Marks the session ready and tells the scenario. */
static void become_ready(client *c)
{
    bench_ctx *ctx = c->ctx;
    c->st = CL_READY;
    c->t_ready = loop_now_ns();
    c->deadline = 0;
    if (ctx->inflight)
        ctx->inflight--;
    ctx->logins_done++;
    if (ctx->hooks.on_ready)
        ctx->hooks.on_ready(c);
}

/* USR OK: SYN and the first CHG (pipelined: the server answers in
 * order), or ready at once. */
static void signed_in(client *c)
{
    if (!c->want_syn && !c->want_chg) {
        become_ready(c);
        return;
    }
    msnp_buf *out = mconn_out(c->ns);
    if (c->want_syn)
        msnp_write_syn_request(out, mconn_trid(c->ns), 0);
    if (c->want_chg) {
        c->setup_trid = mconn_trid(c->ns);
        msnp_write_chg(out, c->setup_trid, MSNP_DIALECT_MSNP8, MSNP_PRESENCE_NLN, true, 0, NULL);
        c->status = MSNP_PRESENCE_NLN;
        /* The first CHG counts against the server's rate limit too. */
        c->chg_times[c->chg_head++ % CHG_RING] = loop_now_ns();
    }
    c->st = CL_SETUP;
    set_step(c);
    ns_queued(c);
    if (!c->want_chg)
        become_ready(c);
}

static void answer_chl(client *c, const msnp_cmd *cmd)
{
    if (cmd->nparams < 1)
        return;
    char resp[MSNP_CHALLENGE_RESPONSE_SIZE];
    const char *key = msnp_product_key_lookup(MSNP_CHALLENGE_DEFAULT_PRODUCT_ID);
    if (msnp_challenge_response(cmd->params[cmd->nparams - 1], key, resp) == MSNP_OK &&
        msnp_write_qry_request(mconn_out(c->ns), mconn_trid(c->ns),
                               MSNP_CHALLENGE_DEFAULT_PRODUCT_ID, resp) == MSNP_OK)
        ns_queued(c);
}

/* Lines during the login steps. */
static void login_line(client *c, const msnp_cmd *cmd)
{
    const char *code = cmd->code;
    if (c->st == CL_VER && !strcmp(code, "VER"))
        send_cvr(c);
    else if (c->st == CL_CVR && !strcmp(code, "CVR"))
        send_usr_i(c);
    else if (c->st == CL_USR_I && !strcmp(code, "USR") && cmd->nparams >= 2 &&
             !strcmp(cmd->params[1], "S"))
        got_challenge(c, cmd);
    else if (c->st == CL_USR_S && !strcmp(code, "USR") && cmd->nparams >= 1 &&
             !strcmp(cmd->params[0], "OK"))
        signed_in(c);
    else if (!strcmp(code, "XFR")) {
        c->ctx->err.protocol++; /* a dispatch referral: use the NS address directly */
        client_drop(c);
    }
}

/* Counts presence lines and hands the rest to the scenario. */
static void session_line(client *c, const msnp_cmd *cmd)
{
    bench_ctx *ctx = c->ctx;
    const char *code = cmd->code;
    if (!strcmp(code, "NLN"))
        c->nln++;
    else if (!strcmp(code, "FLN"))
        c->fln++;
    else if (!strcmp(code, "ILN"))
        c->iln++;
    else if (!strcmp(code, "CHG") && cmd->has_trid && cmd->trid == c->chg_trid && c->chg_trid) {
        c->chg_trid = 0;
        c->chg_ok++;
    } else if (cmd->error_code && cmd->has_trid && cmd->trid == c->chg_trid && c->chg_trid) {
        c->chg_trid = 0;
    }
    if (cmd->error_code == 800)
        ctx->err.throttled++;
    else if (cmd->error_code)
        ctx->err.reply++;
    if (ctx->hooks.on_line)
        ctx->hooks.on_line(c, cmd);
}

static void ns_cmd(mconn *m, const msnp_cmd *cmd, void *ud)
{
    client *c = ud;
    (void)m;
    if (!strcmp(cmd->code, "CHL")) {
        answer_chl(c, cmd);
        return;
    }
    if (c->st < CL_SETUP) {
        if (cmd->error_code) {
            c->ctx->err.login++;
            client_drop(c);
            return;
        }
        login_line(c, cmd);
        return;
    }
    if (c->st == CL_SETUP && !strcmp(cmd->code, "CHG") && cmd->has_trid &&
        cmd->trid == c->setup_trid) {
        become_ready(c);
        return;
    }
    if (c->st == CL_SETUP && cmd->error_code) {
        c->ctx->err.login++;
        client_drop(c);
        return;
    }
    session_line(c, cmd);
}

static void ns_closed(mconn *m, mconn_end why, void *ud)
{
    client *c = ud;
    (void)m;
    if (c->ns != m)
        return; /* closed by client_reset / after a prefetch: nobody to tell */
    c->ns = NULL;
    if (c->pp) {
        passport_cancel(c->pp);
        c->pp = NULL;
    }
    bool expected = c->st == CL_LEAVING || why == MCONN_END_LOCAL;
    if (!expected) {
        if (why == MCONN_END_CONNECT)
            c->ctx->err.connect++;
        else if (why == MCONN_END_PROTOCOL)
            c->ctx->err.protocol++;
        else
            c->ctx->err.closed++;
    }
    client_ended(c, !expected);
}

void client_logout(client *c)
{
    if (!c->ns || c->st != CL_READY) {
        client_drop(c);
        return;
    }
    msnp_write_out(mconn_out(c->ns), NULL);
    ns_queued(c);
    c->st = CL_LEAVING;
    set_step(c);
}

void client_drop(client *c)
{
    if (c->pp) {
        passport_cancel(c->pp);
        c->pp = NULL;
    }
    if (c->ns) {
        mconn_close(c->ns); /* ns_closed -> client_ended */
        return;
    }
    if (c->st != CL_OFF)
        client_ended(c, true);
}

int client_chg(client *c, msnp_presence status)
{
    if (c->st != CL_READY || c->chg_trid || !c->ns)
        return -1;
    c->chg_trid = mconn_trid(c->ns);
    if (msnp_write_chg(mconn_out(c->ns), c->chg_trid, MSNP_DIALECT_MSNP8, status, true, 0,
                       NULL) != MSNP_OK) {
        c->chg_trid = 0;
        return -1;
    }
    c->status = status;
    c->chg_times[c->chg_head++ % CHG_RING] = loop_now_ns();
    ns_queued(c);
    return 0;
}

bool client_chg_allowed(const client *c, unsigned limit, uint64_t now)
{
    if (limit == 0)
        return false;
    if (limit > CHG_RING)
        limit = CHG_RING;
    if (c->chg_head < limit)
        return true;
    uint64_t oldest = c->chg_times[(c->chg_head - limit) % CHG_RING];
    return now - oldest >= CHG_WINDOW_NS;
}

bool client_chg_spaced(const client *c, unsigned limit, uint64_t now)
{
    if (!client_chg_allowed(c, limit, now))
        return false;
    if (limit > CHG_RING)
        limit = CHG_RING;
    uint64_t last = c->chg_head ? c->chg_times[(c->chg_head - 1) % CHG_RING] : 0;
    return now - last >= CHG_WINDOW_NS / limit;
}

bool client_check_timeout(client *c, uint64_t now)
{
    if (!c->deadline || now < c->deadline || c->st == CL_OFF || c->st == CL_READY)
        return false;
    c->ctx->err.timeout++;
    client_drop(c);
    return true;
}
