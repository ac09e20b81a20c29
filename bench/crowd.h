/*
 * crowd.h - many benchmark users at once: signing them in with a bounded
 * number of logins in flight (refilled as each one finishes), fetching
 * tickets ahead of time, and signing them out again. Every wait is
 * bounded by a deadline.
 */
#ifndef BENCH_CROWD_H
#define BENCH_CROWD_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"
#include "ctx.h"
#include "hist.h"

typedef struct crowd {
    bench_ctx *ctx;
    client *users;
    unsigned n;
    /* the phase running now */
    unsigned next;           /* next user to start */
    unsigned concurrency;
    bool prefetch;
    unsigned finished;       /* ready, ticket fetched, or failed */
    unsigned ok, failed;
    bool done;
    hist latency;            /* login (or ticket) time per user */
    uint64_t t_start, t_end; /* first start, last finish */
    bench_hooks saved;       /* the scenario's hooks, forwarded */
} crowd;

/* Prepares n users with account numbers first, first+1, ... Returns 0 or
 * -1 (out of memory). */
int crowd_init(crowd *cw, bench_ctx *ctx, unsigned first, unsigned n);
/* Closes every connection (no hooks) and frees the users. */
void crowd_free(crowd *cw);

/* Signs every user in (or, with prefetch, fetches a ticket for each),
 * keeping at most concurrency logins in flight, until all finished or the
 * deadline passed. The scenario's on_line hook keeps receiving lines
 * meanwhile. Returns the number that succeeded. */
unsigned crowd_sign_in(crowd *cw, unsigned concurrency, bool prefetch, uint64_t deadline);

/* Sends OUT for every signed-in user and waits (until the deadline) for
 * the server to close them. Returns the number still open. */
unsigned crowd_sign_out(crowd *cw, uint64_t deadline);

/* Counts the users in state st. */
unsigned crowd_count(const crowd *cw, client_state st);

#endif
