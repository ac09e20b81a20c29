/*
 * unlock.c - the Lock and Key handshake (unlock.h): RequestChallenge,
 * the MD5 response computed with the profile's key, SendResponse.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unlock.h"

static void report(cli_unlock *k, unlock_outcome outcome)
{
    if (k->done)
        k->done(k->ud, outcome);
}

void unlock_init(cli_unlock *k, const char *app_id, const char *app_key, unlock_fn done,
                 void *ud)
{
    memset(k, 0, sizeof *k);
    k->done = done;
    k->ud = ud;
    if (app_id && app_key && *app_id && *app_key) {
        k->app_id = strdup(app_id);
        k->app_key = strdup(app_key);
    }
}

void unlock_free(cli_unlock *k)
{
    if (k->app_key)
        memset(k->app_key, 0, strlen(k->app_key)); /* no key left in freed memory */
    free(k->app_id);
    free(k->app_key);
    memset(k, 0, sizeof *k);
}

void unlock_on_enable(cli_unlock *k, msgr_lock *lock, bool enable)
{
    if (!enable) {
        report(k, UNLOCK_USABLE); /* Lock and Key is off: LOCK_DISABLED, usable as is */
        return;
    }
    if (!k->app_id || !k->app_key) {
        report(k, UNLOCK_NO_KEY);
        return;
    }
    /* Any fresh value: the cookie only pairs the answer with the request. */
    k->challenge_cookie = (int32_t)(time(NULL) & 0x7FFFFFFF) ^ 0x5A5A;
    if (!lock || MSGR_FAILED(msgr_lock_request_challenge(lock, k->challenge_cookie)))
        report(k, UNLOCK_FAILED);
}

void unlock_on_challenge(cli_unlock *k, msgr_lock *lock, int32_t cookie, const char *challenge)
{
    char response[MSGR_LOCK_RESPONSE_SIZE];
    if (!k->app_id || !k->app_key || !lock)
        return; /* a challenge pushed to an object we do not unlock */
    if (MSGR_FAILED(msgr_lock_compute_response(challenge, k->app_key, response)) ||
        MSGR_FAILED(msgr_lock_send_response(lock, k->app_id, response, cookie)))
        report(k, UNLOCK_FAILED);
    memset(response, 0, sizeof response);
}

void unlock_on_result(cli_unlock *k, bool succeeded)
{
    report(k, succeeded ? UNLOCK_USABLE : UNLOCK_REFUSED);
}

const char *unlock_reason(unlock_outcome outcome)
{
    switch (outcome) {
    case UNLOCK_NO_KEY:
        return "the server uses Lock and Key and the profile has no app-id / app-key";
    case UNLOCK_FAILED:
        return "cannot unlock";
    case UNLOCK_REFUSED:
        return "the application ID or key was refused";
    default:
        return "";
    }
}
