/*
 * scenarios.h - the five msgr-bench scenarios. Each runs against the
 * server named in ctx->o, is bounded by --timeout, prints a table and a
 * JSON line, and returns the process exit status (0 when it ran and
 * counted something, 1 otherwise).
 */
#ifndef BENCH_SCENARIOS_H
#define BENCH_SCENARIOS_H

#include "ctx.h"

/* (1) N logins through Passport + USR TWN, then N ticket-only logins. */
int sc_login(bench_ctx *ctx);
/* (2) N users signed in with their contacts: server RSS per user. */
int sc_idle(bench_ctx *ctx);
/* (3) status changes and the NLN fan-out they cause. */
int sc_storm(bench_ctx *ctx);
/* (4) switchboard conversations: delivered messages/s and latency. */
int sc_switchboard(bench_ctx *ctx);
/* (5) users signing in and out while others chat. */
int sc_churn(bench_ctx *ctx);

/* Common parts of the report: label, server RSS/CPU helpers. */
typedef struct server_probe {
    long pid;
    double cpu0, cpu1;
    uint64_t t0, t1;
} server_probe;

/* Starts / ends a CPU measurement of the server over a time window. */
void probe_start(server_probe *p, long pid);
void probe_stop(server_probe *p);
/* Server CPU use over the window as a percentage of one core (-1 if no
 * pid was given). */
double probe_cpu_percent(const server_probe *p);

#endif
