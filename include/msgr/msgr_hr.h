/*
 * msgr/msgr_hr.h - HRESULT-style result codes of libmsgr.
 *
 * Every libmsgr function returns a msgr_hr: a 32-bit signed value laid out
 * like a COM HRESULT. Negative values are failures, zero and positive
 * values are successes (MSGR_SUCCEEDED / MSGR_FAILED test that). The
 * documented codes keep their documented names and values
 * (spec/api-scope.tsv, errata of spec/api-scope.md section 8 applied):
 *
 *   - the COM basics used by the Messenger API (S_OK, S_FALSE, E_FAIL,
 *     E_INVALIDARG, E_POINTER, E_OUTOFMEMORY, E_NOTIMPL,
 *     RPC_X_NULL_REF_POINTER, DISP_E_BADVARTYPE, REGDB_E_WRITEREGDB),
 *     spelled MSGR_S_OK, MSGR_E_FAIL, ... so they cannot clash with a
 *     Windows header;
 *   - MSGRConstants: MSGR_E(n) = 0x81000300 + n, MSGR_S(n) = 0x01000300 + n,
 *     including MSGR_E_OTHER_UI_ACTIVE = 0x8100031F (erratum E4);
 *   - LockError (0x8100075x) and SESSION_RESULT (0x810006xx).
 *
 * The values are written as their unsigned 32-bit hex spelling and turned
 * into the signed msgr_hr by MSGR_HR(), an integer constant expression, so
 * every code can be used in a switch.
 */
#ifndef MSGR_HR_H
#define MSGR_HR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A result code. */
typedef int32_t msgr_hr;

/* The signed msgr_hr whose two's-complement bits are the unsigned 32-bit
 * value u (written without relying on implementation-defined casts). */
#define MSGR_HR(u) ((msgr_hr)((u) >= 0x80000000u \
    ? (int64_t)(u) - (int64_t)0x100000000 : (int64_t)(u)))

#define MSGR_SUCCEEDED(hr) ((msgr_hr)(hr) >= 0)
#define MSGR_FAILED(hr) ((msgr_hr)(hr) < 0)

/* ---- COM basics ---------------------------------------------------------- */
#define MSGR_S_OK                     MSGR_HR(0x00000000u)
#define MSGR_S_FALSE                  MSGR_HR(0x00000001u)
#define MSGR_E_FAIL                   MSGR_HR(0x80004005u)
#define MSGR_E_INVALIDARG             MSGR_HR(0x80070057u)
#define MSGR_E_OUTOFMEMORY            MSGR_HR(0x8007000Eu)
#define MSGR_E_POINTER                MSGR_HR(0x80004003u)
#define MSGR_E_NOTIMPL                MSGR_HR(0x80004001u)
#define MSGR_E_RPC_X_NULL_REF_POINTER MSGR_HR(0x800706F4u)
#define MSGR_E_DISP_BADVARTYPE        MSGR_HR(0x80020008u)
#define MSGR_E_REGDB_WRITEREGDB       MSGR_HR(0x80040151u)

/* ---- MSGRConstants (im-msgrconstants.md) ---------------------------------- */
#define MSGR_E_CONNECT                          MSGR_HR(0x81000301u)
#define MSGR_E_INVALID_SERVER_NAME              MSGR_HR(0x81000302u)
#define MSGR_E_INVALID_PASSWORD                 MSGR_HR(0x81000303u)
#define MSGR_E_ALREADY_LOGGED_ON                MSGR_HR(0x81000304u)
#define MSGR_E_SERVER_VERSION                   MSGR_HR(0x81000305u)
#define MSGR_E_LOGON_TIMEOUT                    MSGR_HR(0x81000306u)
#define MSGR_E_LIST_FULL                        MSGR_HR(0x81000307u)
#define MSGR_E_AI_REJECT                        MSGR_HR(0x81000308u)
#define MSGR_E_AI_REJECT_NOT_INST               MSGR_HR(0x81000309u)
#define MSGR_E_USER_NOT_FOUND                   MSGR_HR(0x8100030Au)
#define MSGR_E_ALREADY_IN_LIST                  MSGR_HR(0x8100030Bu)
#define MSGR_E_DISCONNECTED                     MSGR_HR(0x8100030Cu)
#define MSGR_E_UNEXPECTED                       MSGR_HR(0x8100030Du)
#define MSGR_E_SERVER_TOO_BUSY                  MSGR_HR(0x8100030Eu)
#define MSGR_E_INVALID_AUTH_PACKAGES            MSGR_HR(0x8100030Fu)
#define MSGR_E_NEWER_CLIENT_AVAILABLE           MSGR_HR(0x81000310u)
#define MSGR_E_AI_TIMEOUT                       MSGR_HR(0x81000311u)
#define MSGR_E_CANCEL                           MSGR_HR(0x81000312u)
#define MSGR_E_TOO_MANY_MATCHES                 MSGR_HR(0x81000313u)
#define MSGR_E_SERVER_UNAVAILABLE               MSGR_HR(0x81000314u)
#define MSGR_E_LOGON_UI_ACTIVE                  MSGR_HR(0x81000315u)
#define MSGR_E_OPTION_UI_ACTIVE                 MSGR_HR(0x81000316u)
#define MSGR_E_CONTACT_UI_ACTIVE                MSGR_HR(0x81000317u)
#define MSGR_E_PRIMARY_SERVICE_NOT_LOGGED_ON    MSGR_HR(0x81000318u)
#define MSGR_E_LOGGED_ON                        MSGR_HR(0x81000319u)
#define MSGR_E_CONNECT_PROXY                    MSGR_HR(0x8100031Au)
#define MSGR_E_PROXY_AUTH                       MSGR_HR(0x8100031Bu)
#define MSGR_E_PROXY_AUTH_TYPE                  MSGR_HR(0x8100031Cu)
#define MSGR_E_INVALID_PROXY_NAME               MSGR_HR(0x8100031Du)
#define MSGR_E_NOT_LOGGED_ON                    MSGR_HR(0x8100031Eu)
#define MSGR_E_OTHER_UI_ACTIVE                  MSGR_HR(0x8100031Fu)
#define MSGR_E_NOT_PRIMARY_SERVICE              MSGR_HR(0x81000320u)
#define MSGR_E_TOO_MANY_SESSIONS                MSGR_HR(0x81000321u)
#define MSGR_E_TOO_MANY_MESSAGES                MSGR_HR(0x81000322u)
#define MSGR_E_REMOTE_LOGIN                     MSGR_HR(0x81000323u)
#define MSGR_E_INVALID_FRIENDLY_NAME            MSGR_HR(0x81000324u)
#define MSGR_E_SESSION_FULL                     MSGR_HR(0x81000325u)
#define MSGR_E_NOT_ALLOWING_NEW_USERS           MSGR_HR(0x81000326u)
#define MSGR_E_INVALID_DOMAIN                   MSGR_HR(0x81000327u)
#define MSGR_E_TCP_ERROR                        MSGR_HR(0x81000328u)
#define MSGR_E_SESSION_TIMEOUT                  MSGR_HR(0x81000329u)
#define MSGR_E_MULTIPOINT_SESSION_BEGIN_TIMEOUT MSGR_HR(0x8100032Au)
#define MSGR_E_MULTIPOINT_SESSION_END_TIMEOUT   MSGR_HR(0x8100032Bu)
#define MSGR_E_REVERSE_LIST_FULL                MSGR_HR(0x8100032Cu)
#define MSGR_E_SERVER_ERROR                     MSGR_HR(0x8100032Du)
#define MSGR_E_SYSTEM_CONFIG                    MSGR_HR(0x8100032Eu)
#define MSGR_E_NO_DIRECTORY                     MSGR_HR(0x8100032Fu)
#define MSGR_E_RETRY_SET                        MSGR_HR(0x81000330u)
#define MSGR_E_CHILD_WITHOUT_CONSENT            MSGR_HR(0x81000331u)
#define MSGR_E_USER_CANCELLED                   MSGR_HR(0x81000332u)
#define MSGR_E_CANCEL_BEFORE_CONNECT            MSGR_HR(0x81000333u)
#define MSGR_E_VOICE_IM_TIMEOUT                 MSGR_HR(0x81000334u)
#define MSGR_E_NOT_ACCEPTING_PAGES              MSGR_HR(0x81000335u)
#define MSGR_E_EMAIL_PASSPORT_NOT_VALIDATED     MSGR_HR(0x81000336u)
#define MSGR_E_AUDIO_UI_ACTIVE                  MSGR_HR(0x81000337u)
#define MSGR_E_NO_HARDWARE                      MSGR_HR(0x81000338u)
#define MSGR_E_PAGING_UNAVAILABLE               MSGR_HR(0x81000339u)
#define MSGR_E_PHONE_INVALID_NUMBER             MSGR_HR(0x8100033Au)
#define MSGR_E_PHONE_NO_FUNDS                   MSGR_HR(0x8100033Bu)
#define MSGR_E_VOICE_NO_ANSWER                  MSGR_HR(0x8100033Cu)
#define MSGR_E_VOICE_WAVEIN_DEVICE              MSGR_HR(0x8100033Du)
#define MSGR_E_FT_TIMEOUT                       MSGR_HR(0x8100033Eu)
#define MSGR_E_MESSAGE_TOO_LONG                 MSGR_HR(0x8100033Fu)
#define MSGR_E_VOICE_FIREWALL                   MSGR_HR(0x81000340u)
#define MSGR_E_VOICE_NETCONN                    MSGR_HR(0x81000341u)
#define MSGR_E_PHONE_CIRCUITS_BUSY              MSGR_HR(0x81000342u)
#define MSGR_E_SERVER_PROTOCOL                  MSGR_HR(0x81000343u)
#define MSGR_E_UNAVAILABLE_VIA_HTTP             MSGR_HR(0x81000344u)
#define MSGR_E_PHONE_INVALID_PIN                MSGR_HR(0x81000345u)
#define MSGR_E_PHONE_PINPROCEED_TIMEOUT         MSGR_HR(0x81000346u)
#define MSGR_E_SERVER_SHUTDOWN                  MSGR_HR(0x81000347u)
#define MSGR_E_CLIENT_DISALLOWED                MSGR_HR(0x81000348u)
#define MSGR_E_PHONE_CALL_NOT_COMPLETE          MSGR_HR(0x81000349u)
#define MSGR_E_GROUPS_NOT_ENABLED               MSGR_HR(0x8100034Au)
#define MSGR_E_GROUP_ALREADY_EXISTS             MSGR_HR(0x8100034Bu)
#define MSGR_E_TOO_MANY_GROUPS                  MSGR_HR(0x8100034Cu)
#define MSGR_E_GROUP_DOES_NOT_EXIST             MSGR_HR(0x8100034Du)
#define MSGR_E_USER_NOT_GROUP_MEMBER            MSGR_HR(0x8100034Eu)
#define MSGR_E_GROUP_NAME_TOO_LONG              MSGR_HR(0x8100034Fu)
#define MSGR_E_GROUP_NOT_EMPTY                  MSGR_HR(0x81000350u)
#define MSGR_E_BAD_GROUP_NAME                   MSGR_HR(0x81000351u)
#define MSGR_E_PHONESERVICE_UNAVAILABLE         MSGR_HR(0x81000352u)
#define MSGR_E_CANNOT_RENAME                    MSGR_HR(0x81000353u)
#define MSGR_E_CANNOT_DELETE                    MSGR_HR(0x81000354u)
#define MSGR_E_INVALID_SERVICE                  MSGR_HR(0x81000355u)
#define MSGR_E_POLICY_RESTRICTED                MSGR_HR(0x81000356u)
#define MSGR_S_ALREADY_IN_THE_MODE              MSGR_HR(0x01000301u)
#define MSGR_S_TRANSFER_SEND_BEGUN              MSGR_HR(0x01000302u)
#define MSGR_S_TRANSFER_SEND_FINISHED           MSGR_HR(0x01000303u)
#define MSGR_S_TRANSFER_RECEIVE_BEGUN           MSGR_HR(0x01000304u)
#define MSGR_S_TRANSFER_RECEIVE_FINISHED        MSGR_HR(0x01000305u)
#define MSGR_S_GROUP_ALREADY_EXISTS             MSGR_HR(0x01000306u)

/* ---- LockError (im-lockerror.md) ------------------------------------------ */
#define MSGR_E_API_NOTINITIALIZED   MSGR_HR(0x81000751u)
#define MSGR_E_API_LOCKED           MSGR_HR(0x81000752u)
#define MSGR_E_API_UNLOCK_FAILED    MSGR_HR(0x81000753u)
#define MSGR_E_API_ALREADY_UNLOCKED MSGR_HR(0x81000754u)
#define MSGR_E_API_PENDING_UNLOCK   MSGR_HR(0x81000755u)
#define MSGR_E_API_DISABLED         MSGR_HR(0x81000756u)

/* ---- SESSION_RESULT (im-session-result-enum.md; E49: values as written) --- */
#define SR_APPLICATION_LAUNCH_FAILED MSGR_HR(0x81000601u)
#define SR_INVITATION_DECLINED       MSGR_HR(0x81000602u)
#define SR_CONNECTION_FAILURE        MSGR_HR(0x81000603u)
#define SR_AUTHENTICATION_FAILED     MSGR_HR(0x81000604u)
#define SR_SESSION_NOT_READY         MSGR_HR(0x81000605u)
#define SR_SESSION_CANCELLED_LOCAL   MSGR_HR(0x81000606u)
#define SR_SESSION_CANCELLED_REMOTE  MSGR_HR(0x81000607u)
#define SR_SESSION_PROTOCOL_ERROR    MSGR_HR(0x81000608u)
#define SR_SESSION_TIMEOUT           MSGR_HR(0x81000609u)
#define SR_CANCEL_BEFORE_CONNECT     MSGR_HR(0x8100060Au)
#define SR_NOT_INVITEE               MSGR_HR(0x8100060Bu)
#define SR_NOT_INVITER               MSGR_HR(0x8100060Cu)
#define SR_APP_ALREADY_REGISTERED    MSGR_HR(0x8100060Du)
#define SR_APP_NOT_REGISTERED        MSGR_HR(0x8100060Eu)
#define SR_NOT_VALID_FOR_APP_INVITE  MSGR_HR(0x8100060Fu)
#define SR_APP_NOT_SPECIFIED         MSGR_HR(0x81000610u)
#define SR_CONTEXT_DATA_OVER_LIMIT   MSGR_HR(0x81000611u)
#define SR_NO_USER_INVITED           MSGR_HR(0x81000612u)
#define SR_INVITED_SELF              MSGR_HR(0x81000613u)
#define SR_SESSION_STATE_INVALID     MSGR_HR(0x81000614u)
#define SR_INVITATION_SEND_FAILURE   MSGR_HR(0x81000615u)
#define SR_CANCEL_SEND_FAILURE       MSGR_HR(0x81000616u)
#define SR_DECLINE_SEND_FAILURE      MSGR_HR(0x81000617u)
#define SR_ACCEPT_SEND_FAILURE       MSGR_HR(0x81000618u)
#define SR_CONTEXT_DATA_SEND_FAILURE MSGR_HR(0x81000619u)
#define SR_NETWORK_CONFIG_FAILURE    MSGR_HR(0x81000620u)
#define SR_NET_NOT_SUPPORTED         MSGR_HR(0x81000621u)
#define SR_REMOTE_NET_NOT_SUPPORTED  MSGR_HR(0x81000622u)
#define SR_FIREWALL_NOT_SUPPORTED    MSGR_HR(0x81000623u)
#define SR_OLD_SIP_STACK             MSGR_HR(0x81000624u)

/* The constant's name without decoration ("MSGR_E_CONNECT", "MSGR_S_OK"),
 * or "unknown HRESULT 0x........" for any other value. The string is
 * static for known codes; for unknown codes it lives in a thread-local
 * buffer that the next call on the same thread overwrites. Never NULL. */
const char *msgr_hr_string(msgr_hr hr);

#ifdef __cplusplus
}
#endif

#endif
