/*
 * msgr/msgr_session.h - Session Invite: MsgrSessionManager
 * (IMsgrSessionManager, IMsgrLock, events DMsgrSessionManagerEvents),
 * MsgrSession (IMsgrSession, IMsgrLock view, events DMsgrSessionEvents)
 * and IMessenger::InviteApp (api-scope.md 5.1, 5.15, 5.16, 5.18, 5.19,
 * 6.1, 6.2; docs/libmsgr.md "Session Invite").
 *
 * A session is one invitation between two users to run a peer-to-peer
 * application identified by a registered "{GUID}". On the wire it is the
 * text/x-msmsgsinvite handshake (msnp.md 5.9) in a conversation window
 * with the contact; the service does not take part.
 *
 * Lock and Key: a session manager is locked by default, like a
 * MessengerPriv, and unlocks with its own msgr_lock
 * (msgr_session_manager_get_lock(), msgr/msgr_lock.h). While it is locked
 * (any status but LOCK_UNLOCKED and LOCK_DISABLED) every
 * msgr_session_manager_* member below except create, get_lock, advise and
 * unadvise fails with MSGR_E_API_LOCKED, and so do the actions and setters
 * of the sessions it owns (erratum E42: a session needs no unlock of its
 * own). Sessions of IMessenger::InviteApp belong to no manager and are
 * never locked (the Messenger object is not a locked object).
 *
 * State machine (api-scope.md 6.2, with the libmsgr decisions of
 * docs/libmsgr.md): SS_READY -> Invite -> SS_INVITATION -> Accept ->
 * SS_ACCEPTED -> (the side that starts the application: OnReadyToLaunch,
 * BeforeAppLaunch, launch) -> SS_CONNECTED; SS_DECLINED, SS_CANCELLED and
 * SS_TERMINATED are final. Every change raises on_state_changed(previous)
 * and every session that leaves SS_READY ends with exactly one
 * on_termination(hr, data).
 *
 * Strings: UTF-8. Application data (Invite, Accept, Decline, Cancel) is
 * at most MSGR_SESSION_DATA_MAX bytes, context data at most
 * MSGR_SESSION_CONTEXT_MAX characters; neither may contain control
 * characters other than tab (it travels as one MSNP field). NULL data is
 * the empty string.
 *
 * Callbacks run inside msgr_messenger_process()/run() of the messenger
 * (msgr/msgr_events.h rules: objects and strings borrowed), except
 * on_app_shutdown at the release of the messenger, raised during its
 * msgr_object_release() since no later process() can come.
 *
 * Lifetime: msgr_session_manager_create() and
 * msgr_session_manager_create_session() return one reference
 * (msgr_object_release() ends it). Sessions handed out by on_invitation and
 * msgr_session_manager_get_launching_session() are borrowed; the library
 * keeps every session between Invite (or arrival) and its termination
 * alive by itself. An object whose messenger was released is dead: its
 * functions fail with MSGR_E_FAIL.
 */
#ifndef MSGR_SESSION_H
#define MSGR_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msgr_enums.h"
#include "msgr_hr.h"
#include "msgr_object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The session-invite factory and application registry
 * (MsgrSessionManager). */
typedef struct msgr_session_manager msgr_session_manager;
/* One invitation between two users (MsgrSession). */
typedef struct msgr_session msgr_session;

/* Most bytes of the application data of Invite, Accept, Decline, Cancel. */
#define MSGR_SESSION_DATA_MAX 512
/* Most characters (Unicode code points) of one SendContextData call. */
#define MSGR_SESSION_CONTEXT_MAX 300
/* Most SendContextData calls per session and side. */
#define MSGR_SESSION_CONTEXT_SENDS 5
/* Longest LocalAddress (bytes). */
#define MSGR_SESSION_ADDRESS_MAX 30
/* Limits of RegisterApplication (bytes): name and URL, path. */
#define MSGR_APP_NAME_MAX 256
#define MSGR_APP_URL_MAX 256
#define MSGR_APP_PATH_MAX 260
/* Default time an invitation waits for its answer (ms); see
 * msgr_session_set_invitation_timeout(). */
#define MSGR_SESSION_TIMEOUT_DEFAULT_MS 120000

/* SESSION_STATE (im-session-state-enum.md; erratum E2: the names govern). */
typedef enum SESSION_STATE {
    SS_UNKNOWN = 0,
    SS_READY = 1,          /* created, not invited yet */
    SS_INVITATION = 2,     /* invitation sent / received, not answered */
    SS_ACCEPTED = 3,       /* the invitee accepted; setting up */
    SS_CONNECTED = 4,      /* both sides set up; context data may flow */
    SS_CANCELLED = 5,      /* final: cancelled before connecting */
    SS_DECLINED = 6,       /* final: declined (or application missing) */
    SS_TERMINATED = 7,     /* final: ended after connecting, or failed */
} SESSION_STATE;

/* SESSION_FLAGS (im-session-flags-enum.md; erratum E1). */
typedef enum SESSION_FLAGS {
    SF_NONE = 0x0000,
    SF_INVITER = 0x0001,               /* this side invites */
    SF_INVITEE = 0x0002,               /* this side was invited */
    SF_APP_INVITE_COMPATIBLE = 0x0004, /* the peer speaks the legacy
                                        * application invite (no
                                        * Session-Protocol SM1) */
} SESSION_FLAGS;

/* SESSION_RESULT codes (SR_*) are in msgr/msgr_hr.h. */

/* ---- DMsgrSessionManagerEvents ------------------------------------------------ */

/* DMsgrSessionManagerEvents as a C callback table (NULL members skipped). */
typedef struct msgr_session_manager_events {
    /* OnInvitation (DISPID 100): an invitation arrived; session is the
     * invitee-side session (SS_INVITATION, SF_INVITEE), app_data the
     * inviter's data. Raised on the unlocked (or LOCK_DISABLED) managers
     * of the messenger in creation order until a sink sets *handled
     * (reads false); the manager whose sink set it owns the session (else
     * the first one asked). libmsgr opens no window of its own, so
     * *handled only stops the offer. */
    void (*on_invitation)(void *user_data, msgr_session_manager *mgr,
                          msgr_session *session, const char *app_data,
                          bool *handled);
    /* OnAppRegistered (101) / OnAppUnRegistered (102): raised on every
     * manager of the messenger after a RegisterApplication /
     * UnRegisterApplication through any of them. */
    void (*on_app_registered)(void *user_data, msgr_session_manager *mgr,
                              const char *app_guid);
    void (*on_app_unregistered)(void *user_data, msgr_session_manager *mgr,
                                const char *app_guid);
    /* OnAppShutdown (126): the messenger is going away (its release);
     * the manager is dead when the callback returns. In an attached
     * messenger it is raised when the serving messenger goes away (signs
     * out, stops serving, loses its connection): queued then, and the
     * manager stays usable (after a new sign-in). At most once per
     * manager. */
    void (*on_app_shutdown)(void *user_data, msgr_session_manager *mgr);
    /* OnLockChallenge (145), OnLockResult (146), OnLockEnable (147): as
     * for MessengerPriv (msgr/msgr_priv.h), for this manager's lock. */
    void (*on_lock_challenge)(void *user_data, msgr_session_manager *mgr,
                              int32_t cookie, const char *challenge);
    void (*on_lock_result)(void *user_data, msgr_session_manager *mgr,
                           int32_t cookie, bool succeeded);
    void (*on_lock_enable)(void *user_data, msgr_session_manager *mgr, bool enable);
    /* OnLockStatusChanged (12288): the lock's status changed to status. */
    void (*on_lock_status_changed)(void *user_data, msgr_session_manager *mgr,
                                   LockStatus status);
} msgr_session_manager_events;

/* ---- DMsgrSessionEvents ---------------------------------------------------------- */

/* DMsgrSessionEvents as a C callback table (NULL members skipped). */
typedef struct msgr_session_events {
    /* BeforeAppLaunch (112): the registered program is about to start on
     * this side; set *enable_default (reads true) to false to keep libmsgr
     * from starting it (the session still connects). */
    void (*before_app_launch)(void *user_data, msgr_session *session,
                              bool *enable_default);
    /* OnAccepted (105), inviter: the invitee accepted with app_data. */
    void (*on_accepted)(void *user_data, msgr_session *session,
                        const char *app_data);
    /* OnAppNotPresent (104), invitee: Accept found no registration for
     * the session's GUID here; name and download URL as the inviter sent
     * them. The session then declines by itself (SR_APPLICATION_LAUNCH_FAILED). */
    void (*on_app_not_present)(void *user_data, msgr_session *session,
                               const char *app_name, const char *app_url);
    /* OnCancelled (107), invitee: the inviter cancelled with app_data. */
    void (*on_cancelled)(void *user_data, msgr_session *session,
                         const char *app_data);
    /* OnContextData (110): the peer's SendContextData. */
    void (*on_context_data)(void *user_data, msgr_session *session,
                            const char *context_data);
    /* OnDeclined (106), inviter: the invitee declined with app_data (also
     * "" when the invitee lacks the application). */
    void (*on_declined)(void *user_data, msgr_session *session,
                        const char *app_data);
    /* OnReadyToLaunch (109): both sides accepted; this side is about to
     * start the application (BeforeAppLaunch follows). */
    void (*on_ready_to_launch)(void *user_data, msgr_session *session);
    /* OnSendError (111): a session message this side sent earlier could
     * not be delivered (hr: SR_INVITATION_SEND_FAILURE,
     * SR_ACCEPT_SEND_FAILURE, SR_CONTEXT_DATA_SEND_FAILURE; the state is
     * unchanged), or a Decline / Cancel whose message could not be queued
     * (SR_DECLINE_SEND_FAILURE, SR_CANCEL_SEND_FAILURE; the session still
     * ends). */
    void (*on_send_error)(void *user_data, msgr_session *session, msgr_hr hr);
    /* OnStateChanged (103): the state changed; prev_state is the old one
     * (msgr_session_get_state() reads the new one). */
    void (*on_state_changed)(void *user_data, msgr_session *session,
                             SESSION_STATE prev_state);
    /* OnTermination (108): the session ended (once per session); hr is the
     * SESSION_RESULT (docs/libmsgr.md lists the cause of each), app_data
     * the data of Decline/Cancel when there was one. */
    void (*on_termination)(void *user_data, msgr_session *session, msgr_hr hr,
                           const char *app_data);
} msgr_session_events;

/* ---- MsgrSessionManager ------------------------------------------------------------ */

/* libmsgr extension (CoCreateInstance(CLSID_MsgrSessionManager)): a new,
 * locked session manager bound to m. *mgr receives one reference.
 * Returns MSGR_S_OK, MSGR_E_POINTER (m not a messenger, mgr NULL) or
 * MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_session_manager_create(msgr_messenger *m, msgr_session_manager **mgr);

/* libmsgr extension (QueryInterface(IID_IMsgrLock)): the manager's lock,
 * borrowed (valid while mgr lives). Returns MSGR_S_OK, MSGR_E_POINTER
 * (mgr not a manager, lock NULL) or MSGR_E_FAIL (dead manager). */
msgr_hr msgr_session_manager_get_lock(msgr_session_manager *mgr, msgr_lock **lock);

/* Registers / removes a DMsgrSessionManagerEvents sink, like
 * msgr_priv_advise() / msgr_priv_unadvise(); never locked. advise:
 * MSGR_S_OK, MSGR_E_POINTER, MSGR_E_OUTOFMEMORY. unadvise: MSGR_S_OK,
 * MSGR_E_POINTER, MSGR_E_INVALIDARG (no such cookie). */
msgr_hr msgr_session_manager_advise(msgr_session_manager *mgr,
                                    const msgr_session_manager_events *events,
                                    void *user_data, uint32_t *cookie);
msgr_hr msgr_session_manager_unadvise(msgr_session_manager *mgr, uint32_t cookie);

/* CreateSession (DISPID 0): a new session in SS_READY with SF_INVITER and
 * a fresh upper-case "{GUID}" SessionID; *session receives one reference.
 * Returns MSGR_S_OK, MSGR_E_POINTER (mgr not a manager),
 * MSGR_E_INVALIDARG (session NULL), MSGR_E_API_LOCKED, MSGR_E_FAIL (dead
 * manager) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_session_manager_create_session(msgr_session_manager *mgr,
                                            msgr_session **session);

/* GetLaunchingSession (1): the session that started the program with
 * process ID process_id. *session is borrowed (valid until the next
 * msgr_messenger_process(); addref to keep it).
 *
 * In the messenger that launched the program: its own session (the record
 * stays with the session after the program exits).
 *
 * In an attached messenger (msgr_options.attach; how a launched program,
 * another process, reaches the messenger named by MSGR_LOCAL_SOCKET in its
 * environment): the serving messenger is asked, and since this call is
 * synchronous it drives m's connection until the answer comes, at most
 * 5 s (lines that arrive meanwhile are handled; their events wait for the
 * next msgr_messenger_process()). The session returned is a proxy of the
 * serving messenger's session: the getters read its state as last
 * reported, msgr_session_send_context_data() and msgr_session_cancel() are
 * performed there and return its result, and the sinks get the session's
 * events from then on. Accept, Decline, Invite and put_Application answer
 * from that state; msgr_session_set_local_address() and
 * msgr_session_set_invitation_timeout() return MSGR_E_NOTIMPL on it. The
 * proxy ends (OnTermination, SR_CONNECTION_FAILURE unless the serving
 * messenger reported the end) when the link to the serving messenger
 * ends; the managers then get on_app_shutdown.
 *
 * Returns MSGR_S_OK, MSGR_E_POINTER (mgr not a manager),
 * MSGR_E_INVALIDARG (session NULL, process_id <= 0), MSGR_E_API_LOCKED,
 * MSGR_E_FAIL (no session launched that process; dead manager; attached:
 * not signed in, or no answer within 5 s). */
msgr_hr msgr_session_manager_get_launching_session(msgr_session_manager *mgr,
                                                   long process_id,
                                                   msgr_session **session);

/* RegisterApplication (2): adds an application to the per-user registry
 * (<config_dir>/apps.ini, docs/libmsgr.md) -> on_app_registered on every
 * manager of the messenger. app_guid: "{XXXXXXXX-XXXX-XXXX-XXXX-
 * XXXXXXXXXXXX}" (hex of either case, stored upper-case); name: 1..256
 * bytes; url: 0..256 bytes; path: absolute, at most 260 bytes, an
 * executable regular file; flags must be 0. Returns MSGR_S_OK,
 * MSGR_E_POINTER (mgr not a manager), MSGR_E_INVALIDARG (a string NULL,
 * malformed, too long, not UTF-8 or with control characters; flags not
 * 0), MSGR_E_FAIL (path not absolute or not an executable file; dead
 * manager), SR_APP_ALREADY_REGISTERED, MSGR_E_REGDB_WRITEREGDB (the
 * registry cannot be read safely or written), MSGR_E_API_LOCKED,
 * MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_session_manager_register_application(msgr_session_manager *mgr,
                                                  const char *app_guid,
                                                  const char *name,
                                                  const char *url,
                                                  const char *path, long flags);

/* UnRegisterApplication (3) -> on_app_unregistered on every manager.
 * Returns MSGR_S_OK, MSGR_E_POINTER, MSGR_E_INVALIDARG (guid NULL or
 * malformed), SR_APP_NOT_REGISTERED, MSGR_E_REGDB_WRITEREGDB,
 * MSGR_E_API_LOCKED, MSGR_E_FAIL (dead manager). */
msgr_hr msgr_session_manager_unregister_application(msgr_session_manager *mgr,
                                                    const char *app_guid);

/* Applications (4, get): not implemented (erratum E14): *applications is
 * set to NULL and the result is MSGR_E_NOTIMPL (MSGR_E_API_LOCKED while
 * locked, MSGR_E_INVALIDARG for a NULL out-pointer). The registry file is
 * the place to read the registered applications. */
msgr_hr msgr_session_manager_get_applications(msgr_session_manager *mgr,
                                              void **applications);

/* ---- MsgrSession ---------------------------------------------------------------- */

/* Registers / removes a DMsgrSessionEvents sink (libmsgr extension; as
 * msgr_session_manager_advise()). */
msgr_hr msgr_session_advise(msgr_session *session, const msgr_session_events *events,
                            void *user_data, uint32_t *cookie);
msgr_hr msgr_session_unadvise(msgr_session *session, uint32_t cookie);

/* libmsgr extension (QueryInterface(IID_IMsgrLock), erratum E42): the
 * lock of the manager that owns the session, borrowed. Returns MSGR_S_OK,
 * MSGR_E_POINTER, or MSGR_E_FAIL (no owning manager: an InviteApp
 * session, or a dead session). */
msgr_hr msgr_session_get_lock(msgr_session *session, msgr_lock **lock);

/* libmsgr extension: how long (ms, 1..3600000; 0 = the default
 * MSGR_SESSION_TIMEOUT_DEFAULT_MS) this session waits for an answer in
 * SS_INVITATION and for the set-up in SS_ACCEPTED before it ends with
 * SR_SESSION_TIMEOUT (sending CANCEL TIMEOUT). A running wait is
 * re-armed from its start. Returns MSGR_S_OK, MSGR_E_POINTER,
 * MSGR_E_INVALIDARG (above 3600000), MSGR_E_FAIL (dead session). */
msgr_hr msgr_session_set_invitation_timeout(msgr_session *session, uint32_t ms);

/* Invite (DISPID 2): invites contact with app_data, through the
 * conversation window with that contact (opened or reused, as
 * msgr_messenger_instant_message()). SS_READY -> SS_INVITATION; the
 * contact's managers get on_invitation. Returns MSGR_S_OK,
 * MSGR_E_POINTER, MSGR_E_INVALIDARG (contact NULL or of another
 * messenger; bad app_data), SR_SESSION_NOT_READY (not SS_READY),
 * SR_APP_NOT_SPECIFIED (no Application), MSGR_E_NOT_LOGGED_ON (signed out,
 * or the contact is known to be offline), SR_INVITED_SELF,
 * SR_INVITATION_SEND_FAILURE (nothing could be queued), MSGR_E_API_LOCKED,
 * MSGR_E_FAIL (dead session), MSGR_E_OUTOFMEMORY. A contact that turns
 * out unreachable raises on_send_error(SR_INVITATION_SEND_FAILURE). */
msgr_hr msgr_session_invite(msgr_session *session, msgr_contact *contact,
                            const char *app_data);

/* Accept (5), invitee: SS_INVITATION -> SS_ACCEPTED; the inviter gets
 * on_accepted(app_data). When the session's GUID is registered here, the
 * registered program starts once the inviter confirms (OnReadyToLaunch,
 * BeforeAppLaunch), then SS_CONNECTED; when it is not,
 * on_app_not_present and the session declines (SR_APPLICATION_LAUNCH_FAILED
 * on both sides). Returns MSGR_S_OK, MSGR_E_POINTER, MSGR_E_INVALIDARG
 * (bad app_data), SR_NOT_INVITEE, SR_SESSION_STATE_INVALID,
 * SR_ACCEPT_SEND_FAILURE, MSGR_E_API_LOCKED, MSGR_E_FAIL. */
msgr_hr msgr_session_accept(msgr_session *session, const char *app_data);

/* Decline (3), invitee: SS_INVITATION -> SS_DECLINED, on_termination
 * (SR_INVITATION_DECLINED, app_data) here; the inviter gets
 * on_declined(app_data) and the same termination. The session ends here
 * even when its message cannot be queued (nobody left to tell):
 * on_send_error(SR_DECLINE_SEND_FAILURE) comes first then. Returns
 * MSGR_S_OK, MSGR_E_POINTER, MSGR_E_INVALIDARG, SR_NOT_INVITEE,
 * SR_SESSION_STATE_INVALID, MSGR_E_API_LOCKED, MSGR_E_FAIL. */
msgr_hr msgr_session_decline(msgr_session *session, const char *app_data);

/* Cancel (4), inviter: ends the session from SS_INVITATION, SS_ACCEPTED
 * (-> SS_CANCELLED) or SS_CONNECTED (-> SS_TERMINATED). Here:
 * on_termination(hr when it is a failure code, else
 * SR_CANCEL_BEFORE_CONNECT / SR_SESSION_CANCELLED_LOCAL, app_data); the
 * invitee gets on_cancelled(app_data) and on_termination(
 * SR_CANCEL_BEFORE_CONNECT / SR_SESSION_CANCELLED_REMOTE, app_data).
 * As with Decline, the session ends here even when the CANCEL cannot be
 * queued (on_send_error(SR_CANCEL_SEND_FAILURE) first). Returns
 * MSGR_S_OK, MSGR_E_POINTER, MSGR_E_INVALIDARG, SR_NOT_INVITER,
 * SR_SESSION_STATE_INVALID (SS_READY or final), MSGR_E_API_LOCKED,
 * MSGR_E_FAIL. */
msgr_hr msgr_session_cancel(msgr_session *session, msgr_hr hr, const char *app_data);

/* SendContextData (14): sends data (at most MSGR_SESSION_CONTEXT_MAX
 * characters, MSGR_SESSION_CONTEXT_SENDS times per side) to the peer's
 * on_context_data, in SS_CONNECTED. Returns MSGR_S_OK, MSGR_E_POINTER,
 * MSGR_E_INVALIDARG (data NULL, not UTF-8 or with control characters),
 * SR_CONTEXT_DATA_OVER_LIMIT (too long, or a sixth call),
 * SR_SESSION_STATE_INVALID (not SS_CONNECTED), SR_NOT_VALID_FOR_APP_INVITE
 * (SF_APP_INVITE_COMPATIBLE: the peer cannot take it),
 * SR_CONTEXT_DATA_SEND_FAILURE, MSGR_E_API_LOCKED, MSGR_E_FAIL,
 * MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_session_send_context_data(msgr_session *session, const char *data);

/* Application (0, get / put): the "{GUID}" of the session's application,
 * upper-case. get: MSGR_S_OK, SR_APP_NOT_SPECIFIED (not set yet),
 * MSGR_E_INVALIDARG (out NULL), MSGR_E_POINTER, MSGR_E_FAIL. put (inviter,
 * SS_READY): the GUID must be registered here; MSGR_S_OK,
 * SR_APP_NOT_SPECIFIED (NULL or ""), MSGR_E_OUTOFMEMORY (longer than 39
 * bytes), MSGR_E_INVALIDARG (malformed), SR_APP_NOT_REGISTERED,
 * SR_SESSION_NOT_READY (not SS_READY), MSGR_E_REGDB_WRITEREGDB (registry
 * unreadable), MSGR_E_API_LOCKED, MSGR_E_POINTER, MSGR_E_FAIL. */
msgr_hr msgr_session_get_application(msgr_session *session, const char **app_guid);
msgr_hr msgr_session_set_application(msgr_session *session, const char *app_guid);

/* ApplicationName (9) / ApplicationURL (10): the application's name and
 * download URL (from the registry on the inviter, from the invitation on
 * the invitee; "" if none). MSGR_S_OK, SR_APP_NOT_SPECIFIED (no
 * Application), MSGR_E_INVALIDARG (out NULL), MSGR_E_POINTER, MSGR_E_FAIL. */
msgr_hr msgr_session_get_application_name(msgr_session *session, const char **name);
msgr_hr msgr_session_get_application_url(msgr_session *session, const char **url);

/* ContextData (8): the last data received from the peer (the invitation's
 * data, the Accept data, then each on_context_data). MSGR_S_OK,
 * MSGR_S_FALSE and "" when nothing arrived yet, MSGR_E_INVALIDARG (out
 * NULL), MSGR_E_POINTER, MSGR_E_FAIL. */
msgr_hr msgr_session_get_context_data(msgr_session *session, const char **data);

/* Flags (11): SESSION_FLAGS bits. MSGR_S_OK, MSGR_E_INVALIDARG (out
 * NULL), MSGR_E_POINTER, MSGR_E_FAIL. */
msgr_hr msgr_session_get_flags(msgr_session *session, long *flags);

/* LocalAddress (13, get / put): the address advertised to the peer (sent
 * with Accept and the inviter's confirmation). Default: the address the
 * service saw (ClientIP), else the local address of the connection to
 * it. put: 1..30 bytes of printable ASCII without spaces; MSGR_S_OK,
 * MSGR_E_INVALIDARG (NULL, empty, bad characters), MSGR_E_OUTOFMEMORY
 * (longer than 30), MSGR_E_API_LOCKED. get: MSGR_S_OK, MSGR_E_INVALIDARG
 * (out NULL). Both: MSGR_E_POINTER, MSGR_E_FAIL. */
msgr_hr msgr_session_get_local_address(msgr_session *session, const char **address);
msgr_hr msgr_session_set_local_address(msgr_session *session, const char *address);

/* RemoteAddress (6): the peer's advertised address, once SS_CONNECTED.
 * MSGR_S_OK, MSGR_S_FALSE and "" before (or when the peer sent none),
 * MSGR_E_INVALIDARG (out NULL), MSGR_E_POINTER, MSGR_E_FAIL. */
msgr_hr msgr_session_get_remote_address(msgr_session *session, const char **address);

/* SessionID (7): "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}", upper-case
 * (the inviter's, on both sides). MSGR_S_OK, MSGR_E_INVALIDARG (out NULL),
 * MSGR_E_POINTER, MSGR_E_FAIL. */
msgr_hr msgr_session_get_session_id(msgr_session *session, const char **session_id);

/* State (1). MSGR_S_OK, MSGR_E_INVALIDARG (out NULL), MSGR_E_POINTER,
 * MSGR_E_FAIL. */
msgr_hr msgr_session_get_state(msgr_session *session, SESSION_STATE *state);

/* User (12): the other party, borrowed. MSGR_S_OK, SR_NO_USER_INVITED
 * (an inviter before Invite), MSGR_E_INVALIDARG (out NULL),
 * MSGR_E_POINTER, MSGR_E_FAIL. */
msgr_hr msgr_session_get_user(msgr_session *session, msgr_contact **user);

/* ---- IMessenger::InviteApp ------------------------------------------------------- */

/* InviteApp(vContact, bstrAppID) (DISPID 1295): opens (or reuses) the
 * conversation window with contact and invites it to the application
 * registered under app_guid ("{GUID}", braces required), like a session
 * of no manager whose application starts on this side too once the
 * invitee accepted (the program finds its session with
 * msgr_session_manager_get_launching_session()). *window is borrowed.
 * Never locked. Returns MSGR_S_OK, MSGR_E_POINTER (m not a messenger),
 * MSGR_E_RPC_X_NULL_REF_POINTER (window NULL), MSGR_E_INVALIDARG (contact
 * NULL or of another messenger; app_guid NULL, empty, malformed or not
 * registered), MSGR_E_FAIL (signed out, the contact is the local user,
 * the invitation could not be queued), MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_invite_app(msgr_messenger *m, msgr_contact *contact,
                                  const char *app_guid, msgr_conversation **window);

#ifdef __cplusplus
}
#endif

#endif
