/*
 * client.h - one benchmark user's notification session: the MSNP8 login
 * (VER, CVR, USR TWN I, Passport ticket, USR TWN S; msnp.md 2), then
 * optionally SYN and the first CHG, answering CHL with QRY, and counting
 * what the server pushes. A scenario reacts through ctx->hooks.
 *
 * Ticket handling: with prefetch set the session stops once it holds a
 * ticket (hooks.on_ticket) and closes its connection; a later login with
 * that ticket skips the Passport request. Tickets of msgrd are bound to
 * the handle, not to the challenge, which is what makes this possible; a
 * server binding them to the challenge would refuse such logins (counted
 * as login errors).
 */
#ifndef BENCH_CLIENT_H
#define BENCH_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "ctx.h"
#include "mconn.h"
#include "msnp_types.h"
#include "passport.h"

typedef enum client_state {
    CL_OFF = 0,     /* no connection */
    CL_CONNECTING,
    CL_VER,         /* VER sent */
    CL_CVR,         /* CVR sent */
    CL_USR_I,       /* USR TWN I sent */
    CL_TICKET,      /* Passport request running */
    CL_USR_S,       /* USR TWN S sent */
    CL_SETUP,       /* signed in; SYN / first CHG sent, waiting for the CHG echo */
    CL_READY,       /* signed in and set up */
    CL_LEAVING,     /* OUT sent, waiting for the server to close */
} client_state;

struct client {
    bench_ctx *ctx;
    unsigned idx;              /* account number */
    char handle[96];
    client_state st;
    mconn *ns;
    passport_job *pp;
    char *ticket;              /* prefetched ticket, used by the next login */
    bool prefetch;             /* stop after getting a ticket */
    bool want_syn, want_chg;   /* after USR OK */
    uint64_t t_begin;          /* login start */
    uint64_t t_ready;          /* CL_READY reached */
    uint64_t deadline;         /* current step must finish by then (0 = none) */
    uint32_t setup_trid;       /* TrID of the first CHG */
    /* presence */
    msnp_presence status;
    uint32_t chg_trid;         /* outstanding CHG, 0 = none */
    uint64_t chg_times[32];    /* ring of recent CHG send times (rate limit) */
    unsigned chg_head;
    unsigned long nln, fln, iln, chg_ok;
    /* the crowd this user belongs to, and the scenario's per-user data */
    void *group;
    void *scen;
};

/* Prepares c for account idx (no connection yet). */
void client_init(client *c, bench_ctx *ctx, unsigned idx);
/* Frees what c holds, closing its connection without hooks. */
void client_reset(client *c);

/* Starts a login (or, with c->prefetch, a ticket fetch). Returns 0, or -1
 * if not even the connection could be started (counted as an error). */
int client_login(client *c);
/* Sends OUT and lets the server close; hooks.on_end follows. */
void client_logout(client *c);
/* Ends the session now (no OUT); hooks.on_end follows. */
void client_drop(client *c);

/* Sends "CHG trid status 0". Returns 0, or -1 when not signed in or a
 * CHG is still outstanding. */
int client_chg(client *c, msnp_presence status);
/* True if a CHG now keeps within limit CHGs per 10 s (the server's rule). */
bool client_chg_allowed(const client *c, unsigned limit, uint64_t now);

/* Like client_chg_allowed, and also at least 10 s / limit after this
 * user's previous CHG: spreads a user's CHGs evenly over the window
 * instead of spending the whole allowance in one burst. */
bool client_chg_spaced(const client *c, unsigned limit, uint64_t now);

/* Checks the step deadline; on expiry counts a timeout and drops the
 * session. Returns true if it expired. */
bool client_check_timeout(client *c, uint64_t now);

#endif
