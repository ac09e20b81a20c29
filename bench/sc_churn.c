/*
 * sc_churn.c - scenario "churn": --pairs conversations chat at --rate
 * messages per second while --churners other users sign in (full
 * Passport login, SYN, CHG), stay up to --churn-hold seconds, sign out
 * and start over. Counts sign-ins, sign-outs, chat deliveries and every
 * error on either side.
 */
#include "scenarios.h"

#include <stdlib.h>

#include "chat.h"
#include "crowd.h"
#include "report.h"

/* Pause between a churner's sign-out and its next login. */
#define CHURN_GAP_NS 10000000u

typedef struct churn {
    chat ch;
    crowd cw;             /* the churners */
    uint64_t *next;       /* per churner: when to act next */
    bool running, measuring;
    uint64_t signins, signouts, m_signins, m_signouts;
    uint64_t rng;
} churn;

/* xorshift64: cheap spread of hold times. */
static uint64_t churn_rand(churn *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return s->rng;
}

static bool is_churner(const churn *s, const client *c)
{
    return c->group == &s->cw;
}

static void churn_ready(client *c)
{
    churn *s = c->ctx->scen;
    if (!s || !is_churner(s, c))
        return;
    s->signins++;
    s->m_signins += s->measuring;
    uint64_t hold = (uint64_t)(s->cw.ctx->o->churn_hold * 1e9);
    s->next[c - s->cw.users] = loop_now_ns() + (hold ? churn_rand(s) % hold : 0);
}

static void churn_end(client *c, bool error)
{
    churn *s = c->ctx->scen;
    if (!s)
        return;
    if (!is_churner(s, c)) {
        chat_on_end(c, error);
        return;
    }
    if (!error) {
        s->signouts++;
        s->m_signouts += s->measuring;
    }
    s->next[c - s->cw.users] = loop_now_ns() + CHURN_GAP_NS;
}

static void churn_line(client *c, const msnp_cmd *cmd)
{
    churn *s = c->ctx->scen;
    if (s && !is_churner(s, c))
        chat_on_line(c, cmd);
}

/* Moves each churner along its cycle and keeps the chat going. */
static void churn_tick(bench_ctx *ctx)
{
    churn *s = ctx->scen;
    if (!s)
        return;
    chat_tick(&s->ch);
    uint64_t now = loop_now_ns();
    for (unsigned i = 0; i < s->cw.n; i++) {
        client *c = &s->cw.users[i];
        if (client_check_timeout(c, now))
            continue;
        if (!s->running || now < s->next[i])
            continue;
        if (c->st == CL_OFF)
            client_login(c);
        else if (c->st == CL_READY)
            client_logout(c);
    }
}

/* Runs the tick until t (bounded by the deadline). */
static void churn_run(bench_ctx *ctx, uint64_t t, uint64_t deadline)
{
    ctx_run_until(ctx, NULL, t < deadline ? t : deadline, 2, churn_tick);
}

static void churn_report(churn *s, const server_probe *pr, uint64_t lost)
{
    const bench_opts *o = s->cw.ctx->o;
    double secs = (double)(pr->t1 - pr->t0) / 1e9;
    report *r = report_new("churn");
    report_num(r, "conversations", s->ch.nconv, 0);
    report_num(r, "chat_ready", s->ch.ready, 0);
    report_num(r, "churners", s->cw.n, 0);
    report_num(r, "seconds", secs, 2);
    report_num(r, "signins", (double)s->m_signins, 0);
    report_num(r, "signins_per_s", secs > 0 ? (double)s->m_signins / secs : 0, 1);
    report_num(r, "signouts", (double)s->m_signouts, 0);
    report_num(r, "chat_target_rate", o->rate, 0);
    report_num(r, "chat_delivered", (double)s->ch.m_received, 0);
    report_num(r, "chat_delivered_per_s", secs > 0 ? (double)s->ch.m_received / secs : 0, 0);
    report_latency(r, "chat_latency", &s->ch.latency);
    report_num(r, "chat_lost", (double)lost, 0);
    report_num(r, "chat_broken", s->ch.broken, 0);
    report_num(r, "server_cpu_pct", probe_cpu_percent(pr), 0);
    report_errors(r, &s->cw.ctx->err);
    report_str(r, "label", o->label);
    report_print(r, o->quiet);
}

int sc_churn(bench_ctx *ctx)
{
    const bench_opts *o = ctx->o;
    uint64_t deadline = loop_now_ns() + (uint64_t)(o->timeout * 1e9);
    churn s = { .rng = 0x9E3779B97F4A7C15ull };
    unsigned chatters = o->pairs * (o->party == 3 ? 3 : 2);
    if (crowd_init(&s.cw, ctx, o->first + chatters, o->churners) != 0)
        return 1;
    s.next = calloc(o->churners ? o->churners : 1, sizeof *s.next);
    ctx->scen = &s;
    ctx->hooks = (bench_hooks){ churn_ready, churn_end, churn_line, NULL };
    if (!s.next || chat_setup(&s.ch, ctx, o->first, o->pairs, o->party, deadline, true) < 0) {
        ctx->scen = NULL;
        free(s.next);
        crowd_free(&s.cw);
        return 1;
    }
    chat_start(&s.ch, o->rate > 0 ? o->rate : 100, o->window);
    s.running = true;
    churn_run(ctx, loop_now_ns() + (uint64_t)(o->warmup * 1e9), deadline);
    server_probe pr;
    probe_start(&pr, o->server_pid);
    s.measuring = true;
    chat_measure(&s.ch, true);
    churn_run(ctx, loop_now_ns() + (uint64_t)(o->duration * 1e9), deadline);
    s.measuring = false;
    chat_measure(&s.ch, false);
    probe_stop(&pr);
    s.running = false;
    uint64_t drain = loop_now_ns() + 3000000000u;
    uint64_t lost = chat_stop(&s.ch, drain < deadline ? drain : deadline);
    crowd_sign_out(&s.cw, deadline);
    churn_report(&s, &pr, lost);
    int rc = s.m_signins > 0 && s.ch.m_received > 0 ? 0 : 1;
    chat_teardown(&s.ch, deadline);
    ctx->scen = NULL;
    crowd_free(&s.cw);
    free(s.next);
    return rc;
}
