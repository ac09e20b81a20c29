/*
 * names.c - status words and failure explanations.
 */
#include <string.h>

#include "names.h"

typedef struct status_word {
    MISTATUS status;
    const char *name;  /* what msgr prints */
    const char *alias; /* long form also accepted */
} status_word;

static const status_word WORDS[] = {
    { MISTATUS_ONLINE, "online", "nln" },
    { MISTATUS_BUSY, "busy", "bsy" },
    { MISTATUS_AWAY, "away", "awy" },
    { MISTATUS_BE_RIGHT_BACK, "brb", "be-right-back" },
    { MISTATUS_ON_THE_PHONE, "phone", "on-the-phone" },
    { MISTATUS_OUT_TO_LUNCH, "lunch", "out-to-lunch" },
    { MISTATUS_IDLE, "idle", "idl" },
    { MISTATUS_INVISIBLE, "invisible", "appear-offline" },
};

const char *status_name(MISTATUS s)
{
    for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++)
        if (WORDS[i].status == s)
            return WORDS[i].name;
    switch (s) {
    case MISTATUS_OFFLINE:
        return "offline";
    case MISTATUS_LOCAL_FINDING_SERVER:
    case MISTATUS_LOCAL_CONNECTING_TO_SERVER:
    case MISTATUS_LOCAL_SYNCHRONIZING_WITH_SERVER:
        return "connecting";
    case MISTATUS_LOCAL_DISCONNECTING_FROM_SERVER:
        return "disconnecting";
    default:
        return "unknown";
    }
}

bool status_parse(const char *word, MISTATUS *out)
{
    for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++) {
        if (strcmp(word, WORDS[i].name) == 0 || strcmp(word, WORDS[i].alias) == 0) {
            *out = WORDS[i].status;
            return true;
        }
    }
    return false;
}

typedef struct hr_word {
    msgr_hr hr;
    const char *text;
} hr_word;

static const hr_word HR_WORDS[] = {
    { MSGR_E_INVALID_PASSWORD, "sign-in refused: wrong sign-in name or password" },
    { MSGR_E_CONNECT, "cannot reach the server or its login service (connection "
                      "refused, or certificate not trusted: check --server, --nexus, "
                      "--ca-file)" },
    { MSGR_E_LOGON_TIMEOUT, "sign-in timed out" },
    { MSGR_E_SERVER_VERSION, "the server does not speak MSNP8" },
    { MSGR_E_SERVER_TOO_BUSY, "the server is too busy" },
    { MSGR_E_SERVER_UNAVAILABLE, "the server is unavailable (shutting down?)" },
    { MSGR_E_REMOTE_LOGIN, "signed out: the account signed in somewhere else" },
    { MSGR_E_DISCONNECTED, "the connection to the server was lost" },
    { MSGR_E_USER_NOT_FOUND, "no such user" },
    { MSGR_E_ALREADY_IN_LIST, "already on the contact list" },
    { MSGR_E_LIST_FULL, "the list is full" },
    { MSGR_E_NOT_LOGGED_ON, "not signed in" },
    { MSGR_E_INVALID_FRIENDLY_NAME, "the server does not allow that name" },
    { MSGR_E_INVALIDARG, "invalid argument" },
    { MSGR_E_OUTOFMEMORY, "out of memory" },
};

const char *hr_text(msgr_hr hr)
{
    for (size_t i = 0; i < sizeof HR_WORDS / sizeof HR_WORDS[0]; i++)
        if (HR_WORDS[i].hr == hr)
            return HR_WORDS[i].text;
    return msgr_hr_string(hr);
}

/* ---- SESSION_RESULT (Session Invite) ------------------------------------------------ */

typedef struct sr_word {
    msgr_hr hr;
    const char *word; /* msgr listen's "result" */
    const char *text; /* what people read */
} sr_word;

static const sr_word SR_WORDS[] = {
    { MSGR_S_OK, "ok", "it ended normally" },
    { SR_INVITATION_DECLINED, "declined", "the invitation was declined" },
    { SR_APPLICATION_LAUNCH_FAILED, "launch_failed",
      "the application is not installed or could not be started" },
    { SR_SESSION_TIMEOUT, "timeout", "nobody answered in time" },
    { SR_CANCEL_BEFORE_CONNECT, "cancelled", "the invitation was cancelled" },
    { SR_SESSION_CANCELLED_LOCAL, "ended_here", "it was ended on this side" },
    { SR_SESSION_CANCELLED_REMOTE, "ended_by_peer", "the other side ended it" },
    { SR_SESSION_PROTOCOL_ERROR, "protocol_error", "the other side's client broke the protocol" },
    { SR_CONNECTION_FAILURE, "connection_failure", "the connection was lost" },
    { SR_INVITATION_SEND_FAILURE, "send_failure", "the invitation could not be delivered" },
    { SR_ACCEPT_SEND_FAILURE, "send_failure", "the answer could not be delivered" },
    { SR_DECLINE_SEND_FAILURE, "send_failure", "the answer could not be delivered" },
    { SR_CANCEL_SEND_FAILURE, "send_failure", "the cancellation could not be delivered" },
};

static const sr_word *sr_find(msgr_hr hr)
{
    for (size_t i = 0; i < sizeof SR_WORDS / sizeof SR_WORDS[0]; i++)
        if (SR_WORDS[i].hr == hr)
            return &SR_WORDS[i];
    return NULL;
}

const char *session_result_word(msgr_hr hr)
{
    const sr_word *w = sr_find(hr);
    return w ? w->word : "failed";
}

const char *session_result_text(msgr_hr hr)
{
    const sr_word *w = sr_find(hr);
    return w ? w->text : msgr_hr_string(hr);
}

static const hr_word SR_ERRORS[] = {
    { SR_APP_NOT_REGISTERED, "the application is not registered here (msgr app register)" },
    { SR_APP_ALREADY_REGISTERED, "an application with that GUID is already registered "
                                 "(msgr app unregister it first)" },
    { SR_INVITED_SELF, "you cannot invite yourself" },
    { MSGR_E_API_LOCKED, "application invitations are locked (Lock and Key)" },
    { MSGR_E_REGDB_WRITEREGDB, "the application registry cannot be read or written safely" },
    { MSGR_E_NOT_LOGGED_ON, "the contact is offline, or you are signed out" },
};

const char *session_error_text(msgr_hr hr)
{
    for (size_t i = 0; i < sizeof SR_ERRORS / sizeof SR_ERRORS[0]; i++)
        if (SR_ERRORS[i].hr == hr)
            return SR_ERRORS[i].text;
    return hr_text(hr);
}
