/*
 * apps.h - the MsgrSessionManager of msgr (Session Invite: application
 * invitations), shared by the interactive client, msgr listen, msgr
 * invite and msgr app.
 *
 * The manager is a locked object like the MessengerPriv of alerts.c and
 * unlocks the same way (unlock.c): at once when Lock and Key is off,
 * else with the profile's app-id / app-key. It follows the messenger's
 * sign-ins (sign-out relocks it, the next sign-in unlocks it again), so
 * it may be created before the sign-in.
 */
#ifndef MSGR_CLI_APPS_H
#define MSGR_CLI_APPS_H

#include <stdbool.h>
#include <stdint.h>

#include <msgr/msgr.h>

#include "unlock.h"

/* The manager became usable (ok) or could not be unlocked (why says so).
 * Once per sign-in. May be NULL. */
typedef void (*apps_ready_fn)(void *ud, bool ok, const char *why);
/* An invitation (msgr_session_manager_events.on_invitation): session is
 * borrowed; set *handled when the caller answers it. May be NULL. */
typedef void (*apps_invite_fn)(void *ud, msgr_session *session, const char *app_data,
                               bool *handled);

typedef struct cli_apps {
    msgr_session_manager *mgr; /* one reference while started, else NULL */
    uint32_t cookie;           /* its sink */
    cli_unlock unlock;
    unlock_outcome last;       /* the last outcome heard */
    bool heard;                /* an outcome arrived since the start */
    apps_ready_fn on_ready;
    apps_invite_fn on_invite;
    void *ud;
} cli_apps;

/* Creates the manager on m and advises it. a must stay at the same
 * address until apps_stop(). Returns 0, or -1 (nothing to stop then). */
int apps_start(cli_apps *a, msgr_messenger *m, const char *app_id, const char *app_key,
               apps_ready_fn on_ready, apps_invite_fn on_invite, void *ud);

/* Releases the manager and the keys; a is zeroed. Safe on a zeroed a. */
void apps_stop(cli_apps *a);

/* Whether the manager is usable now (unlocked or LOCK_DISABLED). */
bool apps_usable(const cli_apps *a);

/* Why it is not usable, in words ("not signed in" before any outcome). */
const char *apps_why_not(const cli_apps *a);

struct cli_session;

/* For the scripting commands, once signed in (session.h): starts a on the
 * session's messenger with the profile's keys and waits (--timeout) until
 * it is usable. Prints a one-line error and returns non-zero otherwise
 * (a is stopped then). */
int apps_open(cli_apps *a, struct cli_session *s);

#endif
