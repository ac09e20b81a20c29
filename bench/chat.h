/*
 * chat.h - switchboard conversations for the benchmark (msnp.md 5): each
 * conversation's first member opens a session (XFR SB, USR, CAL), the
 * others answer the RNG (ANS); then every member sends MSGs whose body
 * carries the CLOCK_MONOTONIC time of sending, and every receiver turns
 * that into a relay latency.
 *
 * Sending: with rate 0 each member keeps `window` messages in flight
 * (sent and not yet received by all the others), refilling as they
 * arrive: the maximum throughput. With a rate, a tick spreads that many
 * messages per second over all members round robin.
 */
#ifndef BENCH_CHAT_H
#define BENCH_CHAT_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"
#include "crowd.h"
#include "ctx.h"
#include "hist.h"
#include "mconn.h"

typedef struct conv conv;
typedef struct chat chat;

typedef struct member {
    conv *cv;
    client *user;
    mconn *sb;
    bool caller;
    bool joined;             /* USR OK (caller) or ANS OK (callee) */
    char cookie[64];
    uint32_t session_id;
    uint64_t sent;           /* MSGs sent */
    uint64_t receipts;       /* copies of my MSGs received by the others */
} member;

struct conv {
    chat *ch;
    member m[3];
    unsigned n;
    unsigned jois;           /* JOIs seen by the caller */
    bool ready, broken;
};

struct chat {
    bench_ctx *ctx;
    crowd cw;                /* the members' notification sessions */
    conv *convs;
    unsigned nconv, party;
    unsigned ready, broken;
    bool sending, measuring, stopping;
    double rate;             /* messages per second, 0 = maximum */
    unsigned window;
    uint64_t rate_start, rate_sent;
    unsigned rr_conv, rr_member;  /* round robin position (rate mode) */
    /* counters */
    uint64_t sent, received;           /* whole run */
    uint64_t m_received;               /* while measuring */
    uint64_t acks, naks;
    hist latency;                      /* while measuring */
};

/* Signs in nconv * party users starting at account first and opens every
 * conversation, until the deadline. Installs ctx->hooks (chat_on_line /
 * chat_on_end) unless keep_hooks. Returns the number of ready
 * conversations, or -1 when out of memory. */
int chat_setup(chat *ch, bench_ctx *ctx, unsigned first, unsigned nconv, unsigned party,
               uint64_t deadline, bool keep_hooks);

/* Starts sending (rate 0 = maximum, else messages per second in all). */
void chat_start(chat *ch, double rate, unsigned window);
/* Rate mode: sends what is due; call every millisecond or so. */
void chat_tick(chat *ch);
/* Starts / ends the measured window (counters and histogram). */
void chat_measure(chat *ch, bool on);
/* Stops sending and waits (until the deadline) for messages in flight.
 * Returns the number of message copies never received. */
uint64_t chat_stop(chat *ch, uint64_t deadline);
/* Leaves every switchboard and signs everyone out; frees ch. */
void chat_teardown(chat *ch, uint64_t deadline);

/* Hooks for scenarios that mix chat users with others. */
void chat_on_line(client *c, const msnp_cmd *cmd);
void chat_on_end(client *c, bool error);

#endif
