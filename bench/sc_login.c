/*
 * sc_login.c - scenario "login": N users sign in through the Passport
 * endpoint and USR TWN (the rate includes the server's password hashing),
 * sign out, fetch N tickets outside the timed window, and sign in again
 * with those tickets (the rate of the MSNP side alone: VER, CVR, USR TWN
 * I, USR TWN S, USR OK).
 */
#include "scenarios.h"

#include "crowd.h"
#include "report.h"

/* Logins per second of the phase that just ran. */
static double phase_rate(const crowd *cw)
{
    double secs = (double)(cw->t_end - cw->t_start) / 1e9;
    return secs > 0 ? cw->ok / secs : 0;
}

int sc_login(bench_ctx *ctx)
{
    const bench_opts *o = ctx->o;
    uint64_t deadline = loop_now_ns() + (uint64_t)(o->timeout * 1e9);
    crowd cw;
    if (crowd_init(&cw, ctx, o->first, o->users) != 0)
        return 1;
    for (unsigned i = 0; i < cw.n; i++)
        cw.users[i].want_syn = cw.users[i].want_chg = false;
    report *r = report_new("login");
    server_probe pr;

    probe_start(&pr, o->server_pid);
    unsigned ok_full = crowd_sign_in(&cw, o->concurrency, false, deadline);
    probe_stop(&pr);
    report_num(r, "users", cw.n, 0);
    report_num(r, "logins_full", ok_full, 0);
    report_num(r, "logins_full_per_s", phase_rate(&cw), 1);
    report_latency(r, "login_full", &cw.latency);
    report_num(r, "server_cpu_full_pct", probe_cpu_percent(&pr), 0);
    crowd_sign_out(&cw, deadline);

    unsigned tickets = crowd_sign_in(&cw, o->concurrency, true, deadline);
    report_num(r, "tickets_prefetched", tickets, 0);
    report_num(r, "tickets_per_s", phase_rate(&cw), 1);

    probe_start(&pr, o->server_pid);
    unsigned ok_ticket = crowd_sign_in(&cw, o->concurrency, false, deadline);
    probe_stop(&pr);
    report_num(r, "logins_ticket", ok_ticket, 0);
    report_num(r, "logins_ticket_per_s", phase_rate(&cw), 1);
    report_latency(r, "login_ticket", &cw.latency);
    report_num(r, "server_cpu_ticket_pct", probe_cpu_percent(&pr), 0);
    crowd_sign_out(&cw, deadline);

    unsigned long full = 0, resumed = 0;
    https_tls_counts(ctx->tls, &full, &resumed);
    report_num(r, "tls_full_handshakes", (double)full, 0);
    report_num(r, "tls_resumed", (double)resumed, 0);
    report_num(r, "concurrency", o->concurrency, 0);
    report_errors(r, &ctx->err);
    report_str(r, "label", o->label);
    report_print(r, o->quiet);
    crowd_free(&cw);
    return ok_full > 0 && ok_ticket > 0 ? 0 : 1;
}
