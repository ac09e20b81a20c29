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
