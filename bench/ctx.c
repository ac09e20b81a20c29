/* ctx.c - shared run state helpers (ctx.h). */
#include "ctx.h"

#include <stdio.h>

unsigned ctx_source(bench_ctx *ctx)
{
    return ctx->next_source++;
}

void ctx_handle(const bench_opts *o, unsigned idx, char *out, size_t len)
{
    snprintf(out, len, "%s%u@%s", o->prefix, idx, o->domain);
}

bool ctx_run_until(bench_ctx *ctx, const bool *done, uint64_t deadline_ns, unsigned tick_ms,
                   void (*tick)(bench_ctx *ctx))
{
    /* tick_ms 0: busy polling, tick on every pass (smooth pacing at the
     * price of one core). */
    uint64_t tick_ns = (uint64_t)tick_ms * 1000000u;
    uint64_t next_tick = loop_now_ns() + tick_ns;
    /* Bounded by the deadline: every pass waits at most one tick. */
    for (;;) {
        if (done && *done)
            return true;
        uint64_t now = loop_now_ns();
        if (now >= deadline_ns)
            return false;
        if (now >= next_tick || tick_ns == 0) {
            if (tick_ns == 0) {
                if (tick)
                    tick(ctx);
                if (loop_run_once(ctx->loop, 0) < 0)
                    return false;
                continue;
            }
            next_tick = now + tick_ns;
            if (tick)
                tick(ctx);
            continue;
        }
        uint64_t wait_ns = next_tick - now;
        if (deadline_ns - now < wait_ns)
            wait_ns = deadline_ns - now;
        if (loop_run_once(ctx->loop, (int)((wait_ns + 999999u) / 1000000u)) < 0)
            return false;
    }
}
