/*
 * ctx.h - what every part of one msgr-bench run shares: the options, the
 * loop, the Passport target, error counters and the scenario's hooks
 * into the user sessions.
 */
#ifndef BENCH_CTX_H
#define BENCH_CTX_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "https.h"
#include "loop.h"
#include "msnp_parser.h"
#include "opts.h"

/* Failures, counted by kind over the whole run. */
typedef struct bench_errors {
    unsigned long connect;   /* a TCP connect failed */
    unsigned long closed;    /* the server closed a connection unexpectedly */
    unsigned long login;     /* login refused (error reply during login) */
    unsigned long http;      /* Passport request failed or was refused */
    unsigned long timeout;   /* a step took longer than --step-timeout */
    unsigned long reply;     /* error replies after login (except 800) */
    unsigned long throttled; /* 800: changing too rapidly */
    unsigned long protocol;  /* the server's bytes did not parse, or made no sense */
    unsigned long lost;      /* messages sent and never received */
} bench_errors;

typedef struct client client;

/* What a scenario hears from the user sessions; any may be NULL. */
typedef struct bench_hooks {
    void (*on_ready)(client *c);                       /* signed in (and SYN/CHG done) */
    void (*on_end)(client *c, bool error);             /* the session ended */
    void (*on_line)(client *c, const msnp_cmd *cmd);   /* a server line after login */
    void (*on_ticket)(client *c, bool ok);             /* ticket-only fetch finished */
} bench_hooks;

typedef struct bench_ctx {
    const bench_opts *o;
    bench_loop *loop;
    https_tls *tls;              /* NULL: plain HTTP */
    struct sockaddr_in login_addr;
    char login_path[256];
    unsigned next_source;
    bench_errors err;
    bench_hooks hooks;
    void *scen;                  /* the scenario's state */
    unsigned long logins_started, logins_done, sessions_ended;
    unsigned inflight;           /* logins in progress */
    uint64_t step_ns;            /* --step-timeout in ns */
} bench_ctx;

/* The next source address index (round robin). */
unsigned ctx_source(bench_ctx *ctx);

/* Formats handle number idx ("<prefix><idx>@<domain>") into out. */
void ctx_handle(const bench_opts *o, unsigned idx, char *out, size_t len);

/* Runs the loop until *done becomes true or the deadline (loop_now_ns
 * clock) passes, calling tick (may be NULL) every tick_ms milliseconds;
 * tick_ms 0 polls without sleeping and ticks on every pass.
 * Returns true if *done was reached. */
bool ctx_run_until(bench_ctx *ctx, const bool *done, uint64_t deadline_ns, unsigned tick_ms,
                   void (*tick)(bench_ctx *ctx));

#endif
