/*
 * sc_switchboard.c - scenario "switchboard": P conversations of --party
 * members (2: pairs; 3: fan-out to two) send timestamped MSGs; delivered
 * messages per second and relay latency p50/p99/p99.9 at the receivers.
 * --rate 0 measures the maximum (each sender keeps --window in flight);
 * --rate R sends R messages per second in all (latency at a fixed load).
 */
#include "scenarios.h"

#include "chat.h"
#include "report.h"

static void sb_tick(bench_ctx *ctx)
{
    if (ctx->scen)
        chat_tick(ctx->scen);
}

int sc_switchboard(bench_ctx *ctx)
{
    const bench_opts *o = ctx->o;
    uint64_t deadline = loop_now_ns() + (uint64_t)(o->timeout * 1e9);
    chat ch;
    if (chat_setup(&ch, ctx, o->first, o->pairs, o->party, deadline, false) < 0)
        return 1;
    ctx->scen = &ch;
    chat_start(&ch, o->rate, o->window);
    /* A fixed rate is paced by busy polling: 1 ms ticks would send in
     * bursts and measure our own burst as latency. */
    unsigned tick_ms = o->rate > 0 ? 0 : 1;
    uint64_t t_measure = loop_now_ns() + (uint64_t)(o->warmup * 1e9);
    ctx_run_until(ctx, NULL, t_measure < deadline ? t_measure : deadline, tick_ms, sb_tick);
    server_probe pr;
    probe_start(&pr, o->server_pid);
    uint64_t sent0 = ch.sent;
    chat_measure(&ch, true);
    uint64_t t_end = loop_now_ns() + (uint64_t)(o->duration * 1e9);
    ctx_run_until(ctx, NULL, t_end < deadline ? t_end : deadline, tick_ms, sb_tick);
    chat_measure(&ch, false);
    probe_stop(&pr);
    uint64_t sent = ch.sent - sent0;
    double secs = (double)(pr.t1 - pr.t0) / 1e9;
    uint64_t drain = loop_now_ns() + 3000000000u;
    uint64_t lost = chat_stop(&ch, drain < deadline ? drain : deadline);

    report *r = report_new("switchboard");
    report_num(r, "conversations", ch.nconv, 0);
    report_num(r, "ready", ch.ready, 0);
    report_num(r, "party", ch.party, 0);
    report_num(r, "target_rate", o->rate, 0);
    report_num(r, "window", o->window, 0);
    report_num(r, "body_bytes", o->size, 0);
    report_num(r, "seconds", secs, 2);
    report_num(r, "sent_per_s", secs > 0 ? (double)sent / secs : 0, 0);
    report_num(r, "delivered", (double)ch.m_received, 0);
    report_num(r, "delivered_per_s", secs > 0 ? (double)ch.m_received / secs : 0, 0);
    report_latency(r, "latency", &ch.latency);
    report_num(r, "server_cpu_pct", probe_cpu_percent(&pr), 0);
    report_num(r, "acks", (double)ch.acks, 0);
    report_num(r, "naks", (double)ch.naks, 0);
    report_num(r, "lost", (double)lost, 0);
    chat_teardown(&ch, deadline);
    ctx->scen = NULL;
    report_errors(r, &ctx->err);
    report_str(r, "label", o->label);
    report_print(r, o->quiet);
    return ch.m_received > 0 ? 0 : 1;
}
