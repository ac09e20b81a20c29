/*
 * msgr/msgr_lock.h - IMsgrLock: the Lock and Key handshake that unlocks a
 * locked service object (api-scope.md 5.14, 6.1).
 *
 * Locked objects (MessengerPriv now, MsgrSessionManager later) each own one
 * msgr_lock; get it from the object (msgr_priv_get_lock(), the
 * QueryInterface(IID_IMsgrLock) of COM). Every object unlocks on its own,
 * and the lock's events (OnLockEnable, OnLockChallenge, OnLockResult) go to
 * the sinks of the object that owns the lock.
 *
 * The handshake, on the wire the LKS/LKC/LKR commands of msgrd
 * (docs/protocol.md "Extension: Lock and Key"):
 *
 *   1. after sign-in every lock gets OnLockEnable(true) (status
 *      LOCK_INITIALIZED) or OnLockEnable(false) (LOCK_DISABLED: Lock and
 *      Key is off and the object works without unlocking);
 *   2. msgr_lock_request_challenge(lock, cookie) with a fresh cookie ->
 *      OnLockChallenge(cookie, challenge);
 *   3. msgr_lock_send_response(lock, app_id, response, cookie) with
 *      response = msgr_lock_compute_response(challenge, key) ->
 *      OnLockResult(cookie, succeeded): LOCK_UNLOCKED or LOCK_UNLOCKFAILED.
 *
 * A lock unlocks once per signed-in period; a failed attempt is final until
 * the next sign-in. Sign-out puts every lock back to LOCK_NOTINITIALIZED
 * and the next sign-in sends OnLockEnable again.
 *
 * Results of RequestChallenge / SendResponse by status (api-scope.md 6.1):
 *
 *   status               RequestChallenge           SendResponse
 *   LOCK_NOTINITIALIZED  MSGR_E_API_NOTINITIALIZED  MSGR_E_API_NOTINITIALIZED
 *   LOCK_INITIALIZED     MSGR_S_OK                  MSGR_E_API_LOCKED
 *   LOCK_PENDINGRESULT   MSGR_E_API_PENDING_UNLOCK  see msgr_lock_send_response
 *   LOCK_UNLOCKED        MSGR_E_API_ALREADY_UNLOCKED (both)
 *   LOCK_UNLOCKFAILED    MSGR_E_API_UNLOCK_FAILED    (both)
 *   LOCK_DISABLED        MSGR_E_API_DISABLED         (both)
 *
 * Unsolicited lines (erratum E34): a challenge the service pushes without
 * a request ("LKC 0 challenge") goes to the first lock (of the oldest
 * object) in LOCK_INITIALIZED as OnLockChallenge(0, challenge), which
 * moves it to LOCK_PENDINGRESULT with cookie 0: answer with
 * msgr_lock_send_response(..., 0). Challenges are single use, so one
 * pushed challenge unlocks at most one object. A pushed
 * enable/disable ("LKS 0 1|0") raises OnLockEnable on every lock: disabling
 * moves each lock to LOCK_DISABLED, enabling moves LOCK_NOTINITIALIZED and
 * LOCK_DISABLED locks to LOCK_INITIALIZED.
 *
 * Lifetime: a msgr_lock is owned by its host object. The pointer handed out
 * by the host's getter is borrowed: valid while the host lives. Take a
 * reference (msgr_object_addref()) to keep it longer; once the host is
 * gone the lock is dead and its functions fail with MSGR_E_FAIL.
 */
#ifndef MSGR_LOCK_H
#define MSGR_LOCK_H

#include <stdint.h>

#include "msgr_enums.h"
#include "msgr_hr.h"
#include "msgr_object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Length of a Lock and Key response: 32 lower-case hex digits. */
#define MSGR_LOCK_RESPONSE_LEN 32
/* Size of a buffer holding a response and its NUL. */
#define MSGR_LOCK_RESPONSE_SIZE (MSGR_LOCK_RESPONSE_LEN + 1)
/* Longest application ID the service accepts (bytes). */
#define MSGR_LOCK_APP_ID_MAX 128

/* RequestChallenge(lCookie): asks the service for a challenge; the answer
 * is OnLockChallenge(cookie, challenge) on the owner's sinks. The cookie
 * is the caller's (any value; use a fresh random one per request and
 * object). Returns MSGR_S_OK (status now LOCK_PENDINGRESULT),
 * MSGR_E_POINTER (lock NULL or not a lock), MSGR_E_FAIL (dead lock, or the
 * request could not be sent), MSGR_E_OUTOFMEMORY, or the state error of
 * the table above. */
msgr_hr msgr_lock_request_challenge(msgr_lock *lock, int32_t cookie);

/* SendResponse(bstrAppStrId, bstrResponse, lCookie): answers the
 * outstanding challenge with the application ID and the response
 * (msgr_lock_compute_response()). The library sends the challenge that
 * belongs to cookie; the outcome is OnLockResult(cookie, succeeded).
 * In LOCK_PENDINGRESULT: MSGR_E_API_PENDING_UNLOCK when a response was
 * already sent or the challenge has not arrived yet; MSGR_E_INVALIDARG
 * when cookie is not the one of RequestChallenge (0 for an unsolicited
 * challenge); otherwise the arguments are checked: MSGR_E_POINTER (app_id
 * or response NULL), MSGR_E_INVALIDARG (app_id empty, over
 * MSGR_LOCK_APP_ID_MAX bytes or not printable ASCII without spaces;
 * response not 32 hex digits), and MSGR_S_OK once the response is on its
 * way. Other statuses: the state error of the table above. MSGR_E_FAIL
 * for a dead lock. */
msgr_hr msgr_lock_send_response(msgr_lock *lock, const char *app_id,
                                const char *response, int32_t cookie);

/* Status (get): the lock's LockStatus. Returns MSGR_S_OK, MSGR_E_POINTER
 * (status NULL, or lock NULL or not a lock) or MSGR_E_FAIL (dead lock). */
msgr_hr msgr_lock_get_status(msgr_lock *lock, LockStatus *status);

/* libmsgr extension: the response to a challenge for an application key,
 * the lower-case hex MD5 of the bytes of challenge immediately followed
 * by the bytes of key (api-scope.md 6.1 item 5), written with its NUL to
 * out. Both strings are borrowed for the call. Returns MSGR_S_OK,
 * MSGR_E_POINTER (an argument NULL) or MSGR_E_FAIL (no digest available;
 * out is then ""). */
msgr_hr msgr_lock_compute_response(const char *challenge, const char *key,
                                   char out[MSGR_LOCK_RESPONSE_SIZE]);

#ifdef __cplusplus
}
#endif

#endif
