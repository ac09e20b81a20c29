/*
 * unlock.h - the Lock and Key handshake of msgr's locked objects (the
 * MessengerPriv of alerts.c, the MsgrSessionManager of apps.c), written
 * once: the object is usable at once when the deployment runs with Lock
 * and Key off (OnLockEnable(false): LOCK_DISABLED); otherwise it unlocks
 * with the profile's application ID and key (app-id, app-key in the
 * config file) when they are set.
 *
 * The owner forwards its object's on_lock_enable / on_lock_challenge /
 * on_lock_result here with the object's lock, and hears the outcome once
 * per sign-in through one callback.
 */
#ifndef MSGR_CLI_UNLOCK_H
#define MSGR_CLI_UNLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include <msgr/msgr.h>

typedef enum unlock_outcome {
    UNLOCK_USABLE,  /* unlocked, or Lock and Key is off */
    UNLOCK_NO_KEY,  /* locked, and the profile has no app-id / app-key */
    UNLOCK_FAILED,  /* the handshake could not be started or answered */
    UNLOCK_REFUSED, /* the service refused the application ID or key */
} unlock_outcome;

typedef void (*unlock_fn)(void *ud, unlock_outcome outcome);

typedef struct cli_unlock {
    char *app_id, *app_key;   /* owned copies; NULL: nothing to unlock with */
    int32_t challenge_cookie; /* of the RequestChallenge in flight */
    unlock_fn done;
    void *ud;
} cli_unlock;

/* Keeps copies of the keys (ignored unless both are non-empty). */
void unlock_init(cli_unlock *k, const char *app_id, const char *app_key, unlock_fn done,
                 void *ud);
/* Wipes the key and frees the copies; k is zeroed. */
void unlock_free(cli_unlock *k);

/* The object's events, with its lock (borrowed). */
void unlock_on_enable(cli_unlock *k, msgr_lock *lock, bool enable);
void unlock_on_challenge(cli_unlock *k, msgr_lock *lock, int32_t cookie,
                         const char *challenge);
void unlock_on_result(cli_unlock *k, bool succeeded);

/* Why an object is not usable, in words ("the application ID or key was
 * refused", ...); "" for UNLOCK_USABLE. */
const char *unlock_reason(unlock_outcome outcome);

#endif
