/*
 * session.h - one signed-in libmsgr messenger for the length of a
 * subcommand: creation from a profile, sign-in, bounded waits driven by
 * msgr_messenger_fds/timeout_ms/process with SIGINT/SIGTERM watched, and
 * sign-out.
 */
#ifndef MSGR_CLI_SESSION_H
#define MSGR_CLI_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include <msgr/msgr.h>

#include "cli.h"
#include "profile.h"

typedef struct cli_session {
    msgr_messenger *m;
    uint32_t cookie;
    int timeout_ms;          /* bound on each wait (--timeout) */
    bool signin_seen;        /* on_signin arrived */
    msgr_hr signin_hr;
    bool online;             /* a real status after sign-in */
    bool ended;              /* signed out or failed, by whatever cause */
    msgr_hr end_hr;          /* the cause (MSGR_S_OK: our own Signout) */
    bool signout_seen;       /* on_signout arrived */
    unsigned status_events;  /* on_my_status_change after sign-in */
    msgr_hr last_status_hr;
    const profile *prof;     /* the profile of sess_run (borrowed), or NULL */
    bool attached;           /* through the user's running msgr (attach.c) */
} cli_session;

/* Outcome of sess_wait. */
typedef enum sess_result {
    SESS_DONE,
    SESS_TIMEOUT,
    SESS_SIGNAL,  /* SIGINT or SIGTERM arrived */
    SESS_OFFLINE, /* the session ended (s->end_hr tells why) */
    SESS_ERROR,   /* poll() or process() failed */
} sess_result;

/* Loads the profile the command names and checks it names an account.
 * Prints and returns non-zero otherwise. */
int sess_load_profile(const cli_ctx *ctx, config *cfg, profile **out);

/* Checks the profile can sign in by itself (saved credentials). Prints
 * and returns non-zero otherwise. */
int sess_check_credentials(const config *cfg, const profile *p);

/* Creates the messenger for profile p (command-line overrides applied)
 * with the given initial status; config_dir is the profile's directory of
 * saved credentials. Prints and returns non-zero on error. */
int sess_open(cli_session *s, const cli_ctx *ctx, const config *cfg,
              const profile *p, MISTATUS initial);

/* Creates a messenger that signs in through the user's running msgr
 * (msgr_options.attach; the socket: $MSGR_LOCAL_SOCKET, else libmsgr's
 * default path). config_dir is still the profile's directory: the
 * application registry lives there. */
int sess_open_attached(cli_session *s, const cli_ctx *ctx, const config *cfg,
                       const profile *p);

/* Signs in (name/password, or AutoSignin when name is NULL) and waits
 * until online and the presence burst has been read. Prints and returns
 * non-zero on failure. */
int sess_signin(cli_session *s, const char *name, const char *password);

/* An attached messenger's sign-in as name (another account's name is
 * refused), then status (0: the running msgr's status stays), and the
 * same waits as sess_signin. */
int sess_signin_attached(cli_session *s, const char *name, MISTATUS status);

/* Runs the loop until done(arg) holds, the session ends, a signal
 * arrives or timeout_ms passes (-1: no bound). */
sess_result sess_wait(cli_session *s, bool (*done)(void *arg), void *arg,
                      int timeout_ms);

/* Processes whatever arrives for up to ms milliseconds. */
sess_result sess_settle(cli_session *s, int ms);

/* Signs out (bounded wait) and releases the messenger. */
void sess_close(cli_session *s);

/* Prints the error matching a failed wait ("what" names what was awaited). */
int sess_report(const cli_session *s, sess_result r, const char *what);

/* The contact for a sign-in name: from the lists, or (unlisted true) any
 * user of the service. NULL when not found; *hr tells why. */
msgr_contact *sess_contact(cli_session *s, const char *user, bool unlisted,
                           msgr_hr *hr);

/* What a signed-in command does (between sign-in and sign-out). */
typedef int (*sess_job)(cli_session *s, cli_ctx *ctx);

/* Loads the profile, signs in (through the user's running msgr when it
 * serves the profile's account, see attach.h; else with the saved
 * credentials and the profile's status), runs job, signs out. A status
 * command's status (ctx->initial_status) is set either way. Returns the
 * exit code. */
int sess_run(cli_ctx *ctx, sess_job job);

/* sess_run with a sink advised before the sign-in starts, for commands
 * that must see every event of the session (msgr listen). */
int sess_run_advised(cli_ctx *ctx, sess_job job, const msgr_messenger_events *ev,
                     void *user_data);

/* The profile's saved status (online when unset or unreadable). */
MISTATUS sess_profile_status(const profile *p);

/* Whether c is the contact of that sign-in name (ignoring case). */
bool sess_contact_is(msgr_contact *c, const char *user);

/* Watches one contact joining a conversation (msgr send, msgr sendfile:
 * libmsgr hands queued text and offers to the switchboard when they
 * join) or going offline meanwhile. */
typedef struct sess_peer {
    const char *user;  /* sign-in name watched (borrowed) */
    msgr_window *w;    /* only joins to this window count; NULL: any */
    bool joined;       /* user joined (that) conversation */
    bool went_offline; /* user's presence went offline */
    uint32_t cookie;
    bool advised;
} sess_peer;

/* Starts watching user (p is zeroed first and must stay at its address
 * until sess_peer_unwatch). Prints and returns non-zero on failure. */
int sess_peer_watch(cli_session *s, sess_peer *p, const char *user);
void sess_peer_unwatch(cli_session *s, sess_peer *p);

/* Runs the loop until p's user joined or went offline, or also(arg)
 * holds (also may be NULL), like sess_wait. */
sess_result sess_wait_joined(cli_session *s, sess_peer *p, bool (*also)(void *arg), void *arg,
                             int timeout_ms);

#endif
