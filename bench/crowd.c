/* crowd.c - signing many users in and out (crowd.h). */
#include "crowd.h"

#include <stdlib.h>

/* How often timeouts are checked while a phase runs. */
#define CROWD_TICK_MS 50

static crowd *crowd_of(client *c)
{
    return c->group;
}

int crowd_init(crowd *cw, bench_ctx *ctx, unsigned first, unsigned n)
{
    *cw = (crowd){ .ctx = ctx, .n = n };
    cw->users = calloc(n ? n : 1, sizeof *cw->users);
    if (!cw->users)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        client_init(&cw->users[i], ctx, first + i);
        cw->users[i].group = cw;
    }
    return 0;
}

void crowd_free(crowd *cw)
{
    for (unsigned i = 0; cw->users && i < cw->n; i++)
        client_reset(&cw->users[i]);
    free(cw->users);
    cw->users = NULL;
}

/* Starts logins until concurrency are in flight or all were started. */
static void crowd_fill(crowd *cw)
{
    bench_ctx *ctx = cw->ctx;
    unsigned guard = cw->n;
    while (cw->next < cw->n && ctx->inflight < cw->concurrency && guard--) {
        client *c = &cw->users[cw->next++];
        c->prefetch = cw->prefetch;
        if (client_login(c) != 0) {
            cw->failed++;
            cw->finished++;
        }
    }
    if (cw->finished >= cw->n)
        cw->done = true;
}

/* One user of the phase is finished (either way). */
static void crowd_finished(crowd *cw, client *c, bool ok)
{
    uint64_t now = loop_now_ns();
    if (ok) {
        cw->ok++;
        hist_add(&cw->latency, now - c->t_begin);
    } else {
        cw->failed++;
    }
    cw->finished++;
    cw->t_end = now;
    crowd_fill(cw);
}

static void on_ready(client *c)
{
    crowd *cw = crowd_of(c);
    crowd_finished(cw, c, true);
    if (cw->saved.on_ready)
        cw->saved.on_ready(c);
}

static void on_ticket(client *c, bool ok)
{
    crowd_finished(crowd_of(c), c, ok);
}

static void on_end(client *c, bool error)
{
    crowd *cw = crowd_of(c);
    /* Only a login that had not finished counts against this phase. */
    if (!cw->done && c->t_ready < c->t_begin && cw->next > (unsigned)(c - cw->users))
        crowd_finished(cw, c, false);
    if (cw->saved.on_end)
        cw->saved.on_end(c, error);
}

static void on_line(client *c, const msnp_cmd *cmd)
{
    crowd *cw = crowd_of(c);
    if (cw->saved.on_line)
        cw->saved.on_line(c, cmd);
}

static crowd *ticking; /* the crowd whose phase runs (one at a time) */

static void crowd_tick(bench_ctx *ctx)
{
    (void)ctx;
    uint64_t now = loop_now_ns();
    for (unsigned i = 0; ticking && i < ticking->next; i++)
        client_check_timeout(&ticking->users[i], now);
}

unsigned crowd_sign_in(crowd *cw, unsigned concurrency, bool prefetch, uint64_t deadline)
{
    bench_ctx *ctx = cw->ctx;
    cw->saved = ctx->hooks;
    ctx->hooks = (bench_hooks){ on_ready, on_end, on_line, on_ticket };
    cw->next = cw->finished = cw->ok = cw->failed = 0;
    cw->done = cw->n == 0;
    cw->concurrency = concurrency ? concurrency : 1;
    cw->prefetch = prefetch;
    hist_reset(&cw->latency);
    for (unsigned i = 0; i < cw->n; i++)
        cw->users[i].t_ready = 0;
    cw->t_start = cw->t_end = loop_now_ns();
    ticking = cw;
    crowd_fill(cw);
    ctx_run_until(ctx, &cw->done, deadline, CROWD_TICK_MS, crowd_tick);
    ticking = NULL;
    ctx->hooks = cw->saved;
    return cw->ok;
}

unsigned crowd_count(const crowd *cw, client_state st)
{
    unsigned k = 0;
    for (unsigned i = 0; i < cw->n; i++)
        k += cw->users[i].st == st;
    return k;
}

/* Done when nobody is signed in or leaving any more. */
static bool all_gone(const crowd *cw)
{
    return crowd_count(cw, CL_READY) + crowd_count(cw, CL_LEAVING) == 0;
}

unsigned crowd_sign_out(crowd *cw, uint64_t deadline)
{
    for (unsigned i = 0; i < cw->n; i++)
        if (cw->users[i].st == CL_READY)
            client_logout(&cw->users[i]);
    bool done = false;
    /* Poll in slices so the check stays cheap for large crowds. */
    for (unsigned rounds = 0; rounds < 100000 && !done; rounds++) {
        uint64_t now = loop_now_ns();
        if (now >= deadline)
            break;
        uint64_t slice = now + 50000000u < deadline ? now + 50000000u : deadline;
        ctx_run_until(cw->ctx, NULL, slice, 50, NULL);
        done = all_gone(cw);
    }
    unsigned left = crowd_count(cw, CL_READY) + crowd_count(cw, CL_LEAVING);
    for (unsigned i = 0; i < cw->n; i++)
        if (cw->users[i].st == CL_LEAVING || cw->users[i].st == CL_READY)
            client_drop(&cw->users[i]);
    return left;
}
