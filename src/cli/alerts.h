/*
 * alerts.h - MSN Alerts for the terminal client (the interactive client
 * and msgr listen), through a MessengerPriv of the public API.
 *
 * Alert events belong to MessengerPriv, a locked object (Lock and Key).
 * It is usable at once when the deployment runs with Lock and Key off
 * (OnLockEnable(false), LOCK_DISABLED); otherwise it unlocks with the
 * application ID and key of the profile (app-id, app-key in the config
 * file), when they are set. Once usable, alerts of every site are enabled
 * and each one is handed to the caller as its text and action URL.
 */
#ifndef MSGR_CLI_ALERTS_H
#define MSGR_CLI_ALERTS_H

#include <stdbool.h>
#include <stdint.h>

#include <msgr/msgr.h>

#include "unlock.h"

/* An alert: text and url (NULL when absent) are borrowed for the call. */
typedef void (*alert_fn)(void *ud, const char *text, const char *url);
/* The subscription changed: ok = alerts are on, else note says why they
 * are not ("the application ID or key was refused", ...). May be NULL. */
typedef void (*alert_note_fn)(void *ud, bool ok, const char *note);

typedef struct cli_alerts {
    msgr_priv *priv;          /* one reference while started, else NULL */
    uint32_t cookie;          /* its sink */
    cli_unlock unlock;        /* the Lock and Key handshake (unlock.c) */
    alert_fn on_alert;
    alert_note_fn on_note;
    void *ud;
} cli_alerts;

/* Creates the MessengerPriv on m (signed in or not: it follows the
 * messenger's sign-ins) and subscribes as soon as it is usable. app_id
 * and app_key may be NULL (then only a deployment without Lock and Key
 * delivers alerts). a must stay at the same address until alerts_stop().
 * Returns 0, or -1 when the object cannot be created. */
int alerts_start(cli_alerts *a, msgr_messenger *m, const char *app_id,
                 const char *app_key, alert_fn on_alert, alert_note_fn on_note,
                 void *ud);

/* Releases the MessengerPriv and the copies; a is zeroed. NULL-safe and
 * safe on a cli_alerts never started (all zero). */
void alerts_stop(cli_alerts *a);

/* The text of an alert's NOTIFICATION document (msnp.md 7.1) and its
 * action URL (made absolute with the siteurl when relative), malloc'd;
 * *url is NULL when the alert has none. Returns false when there is no
 * TEXT element (or out of memory). Lenient like the clients of the time:
 * a stray '&' is taken literally. */
bool alert_parse(const char *xml, char **text, char **url);

#endif
