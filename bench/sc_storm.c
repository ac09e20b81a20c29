/*
 * sc_storm.c - scenario "storm": N signed-in users with C contacts each
 * toggle their status (CHG NLN <-> AWY) as fast as the server's CHG limit
 * allows (each user spaced evenly: --chg-limit per 10.5 s), or at --rate
 * changes per second; counts the CHG echoes and the
 * NLN lines delivered to watchers (fan-out C when everyone is online).
 */
#include "scenarios.h"

#include "crowd.h"
#include "report.h"

/* Round robin over users: users become eligible again in the order
 * they sent, so a tick stops at the first one that is not. */
typedef struct storm {
    crowd cw;
    unsigned cursor;
    bool sending, measuring;
    uint64_t rate_start, rate_sent;
    uint64_t chg, nln;           /* while measuring */
    uint64_t nln_total;
} storm;

static void storm_line(client *c, const msnp_cmd *cmd)
{
    storm *s = c->ctx->scen;
    if (!s)
        return;
    if (cmd->code[0] == 'N' && cmd->code[1] == 'L' && cmd->code[2] == 'N') {
        s->nln_total++;
        if (s->measuring)
            s->nln++;
    } else if (s->measuring && cmd->code[0] == 'C' && cmd->code[1] == 'H' && cmd->code[2] == 'G') {
        s->chg++;
    }
}

/* Sends the CHGs that are due (rate) or allowed (maximum). */
static void storm_tick(bench_ctx *ctx)
{
    storm *s = ctx->scen;
    if (!s || !s->sending || s->cw.n == 0)
        return;
    uint64_t now = loop_now_ns();
    uint64_t budget = UINT64_MAX;
    if (ctx->o->rate > 0) {
        uint64_t due = (uint64_t)((double)(now - s->rate_start) / 1e9 * ctx->o->rate);
        budget = due > s->rate_sent ? due - s->rate_sent : 0;
    }
    for (unsigned k = 0; k < s->cw.n && budget > 0; k++) {
        client *c = &s->cw.users[s->cursor];
        if (c->st == CL_READY) {
            if (c->chg_trid || !client_chg_spaced(c, ctx->o->chg_limit, now))
                break;
            msnp_presence next = c->status == MSNP_PRESENCE_NLN ? MSNP_PRESENCE_AWY : MSNP_PRESENCE_NLN;
            if (client_chg(c, next) == 0) {
                budget--;
                s->rate_sent++;
            }
        }
        s->cursor = (s->cursor + 1) % s->cw.n;
    }
    if (ctx->o->rate > 0 && budget > 0)
        s->rate_sent += budget; /* the limit held us back: do not pile up */
}

int sc_storm(bench_ctx *ctx)
{
    const bench_opts *o = ctx->o;
    uint64_t deadline = loop_now_ns() + (uint64_t)(o->timeout * 1e9);
    storm s = { 0 };
    if (crowd_init(&s.cw, ctx, o->first, o->users) != 0)
        return 1;
    ctx->scen = &s;
    ctx->hooks = (bench_hooks){ NULL, NULL, storm_line, NULL };
    unsigned ok = crowd_sign_in(&s.cw, o->concurrency, false, deadline);
    ctx_run_until(ctx, NULL, loop_now_ns() + 500000000u, 50, NULL);

    s.sending = true;
    s.rate_start = loop_now_ns();
    uint64_t t_measure = s.rate_start + (uint64_t)(o->warmup * 1e9);
    uint64_t t_end = t_measure + (uint64_t)(o->duration * 1e9);
    ctx_run_until(ctx, NULL, t_measure < deadline ? t_measure : deadline, 1, storm_tick);
    server_probe pr;
    probe_start(&pr, o->server_pid);
    s.measuring = true;
    ctx_run_until(ctx, NULL, t_end < deadline ? t_end : deadline, 1, storm_tick);
    s.measuring = false;
    s.sending = false;
    probe_stop(&pr);
    double secs = (double)(pr.t1 - pr.t0) / 1e9;
    ctx_run_until(ctx, NULL, loop_now_ns() + 1000000000u, 50, NULL); /* drain */

    report *r = report_new("storm");
    report_num(r, "users", s.cw.n, 0);
    report_num(r, "signed_in", ok, 0);
    report_num(r, "contacts", o->contacts, 0);
    report_num(r, "target_rate", o->rate, 0);
    report_num(r, "seconds", secs, 2);
    report_num(r, "status_changes", (double)s.chg, 0);
    report_num(r, "status_changes_per_s", secs > 0 ? (double)s.chg / secs : 0, 0);
    report_num(r, "nln_delivered", (double)s.nln, 0);
    report_num(r, "nln_per_s", secs > 0 ? (double)s.nln / secs : 0, 0);
    report_num(r, "fanout_measured", s.chg ? (double)s.nln / (double)s.chg : 0, 2);
    report_num(r, "server_cpu_pct", probe_cpu_percent(&pr), 0);
    crowd_sign_out(&s.cw, deadline);
    report_errors(r, &ctx->err);
    report_str(r, "label", o->label);
    report_print(r, o->quiet);
    ctx->scen = NULL;
    crowd_free(&s.cw);
    return s.chg > 0 && s.nln > 0 ? 0 : 1;
}
