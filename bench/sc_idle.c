/*
 * sc_idle.c - scenario "idle": N users sign in (SYN, first CHG, QRY) and
 * stay; the server's resident memory before and after, divided by the
 * users signed in, is what one idle user costs.
 */
#include "scenarios.h"

#include "crowd.h"
#include "report.h"

/* Sum of a presence counter over the crowd. */
static double total_lines(const crowd *cw, bool nln)
{
    double t = 0;
    for (unsigned i = 0; i < cw->n; i++)
        t += (double)(nln ? cw->users[i].nln : cw->users[i].iln);
    return t;
}

int sc_idle(bench_ctx *ctx)
{
    const bench_opts *o = ctx->o;
    uint64_t deadline = loop_now_ns() + (uint64_t)(o->timeout * 1e9);
    crowd cw;
    if (crowd_init(&cw, ctx, o->first, o->users) != 0)
        return 1;
    report *r = report_new("idle");
    long rss0 = proc_rss_kib(o->server_pid);
    server_probe pr;
    probe_start(&pr, o->server_pid);
    unsigned ok = crowd_sign_in(&cw, o->concurrency, false, deadline);
    probe_stop(&pr);
    double login_secs = (double)(cw.t_end - cw.t_start) / 1e9;
    /* Let the presence burst and the challenges settle. */
    uint64_t hold_end = loop_now_ns() + (uint64_t)(o->hold * 1e9);
    ctx_run_until(ctx, NULL, hold_end < deadline ? hold_end : deadline, 50, NULL);
    long rss1 = proc_rss_kib(o->server_pid);
    long hwm = proc_hwm_kib(o->server_pid);
    unsigned still = crowd_count(&cw, CL_READY);

    report_num(r, "users", cw.n, 0);
    report_num(r, "signed_in", still, 0);
    report_num(r, "contacts", o->contacts, 0);
    report_num(r, "login_per_s", login_secs > 0 ? ok / login_secs : 0, 1);
    report_num(r, "server_cpu_login_pct", probe_cpu_percent(&pr), 0);
    report_num(r, "rss_before_kib", (double)rss0, 0);
    report_num(r, "rss_after_kib", (double)rss1, 0);
    report_num(r, "rss_hwm_kib", (double)hwm, 0);
    double per_user = rss0 >= 0 && rss1 >= 0 && still ? (double)(rss1 - rss0) * 1024.0 / still : -1;
    report_num(r, "rss_per_user_bytes", per_user, 0);
    report_num(r, "iln_received", total_lines(&cw, false), 0);
    report_num(r, "nln_received", total_lines(&cw, true), 0);
    report_num(r, "concurrency", o->concurrency, 0);
    crowd_sign_out(&cw, deadline);
    report_errors(r, &ctx->err);
    report_str(r, "label", o->label);
    report_print(r, o->quiet);
    crowd_free(&cw);
    return still > 0 ? 0 : 1;
}
