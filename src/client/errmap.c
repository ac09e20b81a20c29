/*
 * errmap.c - every MSNP error code (msnp.md 1.10) as the HRESULT the
 * Messenger API reports for it. Unknown codes become MSGR_E_UNEXPECTED
 * (msnp.md 1.10: clients must not crash on them).
 */
#include "internal.h"

typedef struct code_hr {
    int code;
    msgr_hr hr;
} code_hr;

static const code_hr table[] = {
    { 200, MSGR_E_SERVER_PROTOCOL },       /* syntax error */
    { 201, MSGR_E_INVALIDARG },            /* invalid parameter */
    { 205, MSGR_E_USER_NOT_FOUND },        /* no such account */
    { 206, MSGR_E_INVALID_DOMAIN },        /* domain name missing */
    { 207, MSGR_E_ALREADY_LOGGED_ON },
    { 208, MSGR_E_USER_NOT_FOUND },        /* invalid user name */
    { 209, MSGR_E_INVALID_FRIENDLY_NAME },
    { 210, MSGR_E_LIST_FULL },
    { 213, MSGR_E_INVALIDARG },            /* invalid rename request */
    { 215, MSGR_E_ALREADY_IN_LIST },
    { 216, MSGR_E_USER_NOT_FOUND },        /* not on list */
    { 217, MSGR_E_USER_NOT_FOUND },        /* not online / not reachable */
    { 218, MSGR_S_ALREADY_IN_THE_MODE },   /* BLP/GTC unchanged: not a failure */
    { 219, MSGR_E_ALREADY_IN_LIST },       /* in the opposite list */
    { 223, MSGR_E_TOO_MANY_GROUPS },
    { 224, MSGR_E_GROUP_DOES_NOT_EXIST },
    { 225, MSGR_E_USER_NOT_GROUP_MEMBER },
    { 227, MSGR_E_GROUP_NOT_EMPTY },
    { 228, MSGR_E_GROUP_ALREADY_EXISTS },
    { 229, MSGR_E_GROUP_NAME_TOO_LONG },
    { 230, MSGR_E_CANNOT_DELETE },         /* group 0 */
    { 231, MSGR_E_GROUP_DOES_NOT_EXIST },
    { 240, MSGR_E_INVALID_DOMAIN },
    { 280, MSGR_E_SERVER_UNAVAILABLE },    /* switchboard failed */
    { 281, MSGR_E_SERVER_UNAVAILABLE },
    { 282, MSGR_E_SERVER_PROTOCOL },
    { 300, MSGR_E_SERVER_PROTOCOL },       /* required field missing */
    { 301, MSGR_E_TOO_MANY_MATCHES },
    { 302, MSGR_E_NOT_LOGGED_ON },
    { 402, MSGR_E_SERVER_ERROR },
    { 403, MSGR_E_SERVER_ERROR },
    { 420, MSGR_E_CLIENT_DISALLOWED },
    { 500, MSGR_E_SERVER_ERROR },
    { 501, MSGR_E_SERVER_ERROR },
    { 502, MSGR_E_UNEXPECTED },            /* command disabled */
    { 503, MSGR_E_INVALIDARG },
    { 510, MSGR_E_SERVER_ERROR },
    { 511, MSGR_E_CLIENT_DISALLOWED },     /* banned */
    { 520, MSGR_E_SERVER_ERROR },
    { 540, MSGR_E_SERVER_PROTOCOL },       /* challenge response invalid */
    { 600, MSGR_E_SERVER_TOO_BUSY },
    { 601, MSGR_E_SERVER_UNAVAILABLE },
    { 602, MSGR_E_SERVER_UNAVAILABLE },
    { 603, MSGR_E_SERVER_UNAVAILABLE },
    { 604, MSGR_E_SERVER_SHUTDOWN },
    { 605, MSGR_E_SERVER_UNAVAILABLE },
    { 700, MSGR_E_CONNECT },
    { 707, MSGR_E_CONNECT },
    { 710, MSGR_E_SERVER_VERSION },        /* bad CVR parameters */
    { 711, MSGR_E_SERVER_TOO_BUSY },
    { 712, MSGR_E_SERVER_TOO_BUSY },
    { 713, MSGR_E_TOO_MANY_MESSAGES },     /* calling too rapidly */
    { 714, MSGR_E_TOO_MANY_SESSIONS },
    { 715, MSGR_E_UNEXPECTED },            /* not expected */
    { 717, MSGR_E_SERVER_ERROR },
    { 731, MSGR_E_UNEXPECTED },
    { 800, MSGR_E_SERVER_TOO_BUSY },       /* changing too rapidly */
    { 910, MSGR_E_SERVER_TOO_BUSY },
    { 911, MSGR_E_INVALID_PASSWORD },      /* authentication failed */
    { 912, MSGR_E_SERVER_TOO_BUSY },
    { 913, MSGR_E_NOT_LOGGED_ON },         /* not allowed while appearing offline */
    { 914, MSGR_E_SERVER_UNAVAILABLE },
    { 915, MSGR_E_SERVER_UNAVAILABLE },
    { 916, MSGR_E_SERVER_UNAVAILABLE },
    { 917, MSGR_E_INVALID_PASSWORD },
    { 918, MSGR_E_SERVER_TOO_BUSY },
    { 919, MSGR_E_SERVER_TOO_BUSY },
    { 920, MSGR_E_NOT_ALLOWING_NEW_USERS },
    { 921, MSGR_E_SERVER_TOO_BUSY },
    { 922, MSGR_E_SERVER_TOO_BUSY },
    { 923, MSGR_E_CHILD_WITHOUT_CONSENT },
    { 924, MSGR_E_EMAIL_PASSPORT_NOT_VALIDATED },
    { 928, MSGR_E_INVALID_PASSWORD },      /* bad ticket */
    { 931, MSGR_E_INVALID_SERVER_NAME },   /* account not on this server */
};

msgr_hr errmap_msnp(int code)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].code == code)
            return table[i].hr;
    return MSGR_E_UNEXPECTED;
}

/* OnSignin documents a narrower set (api-scope.md 5.4: never
 * MSGR_E_USER_NOT_FOUND for an unknown user, which is a password
 * failure); codes outside it are reported as MSGR_E_UNEXPECTED. */
msgr_hr errmap_signin(int code)
{
    msgr_hr hr = errmap_msnp(code);
    if (hr == MSGR_E_USER_NOT_FOUND || hr == MSGR_E_INVALID_DOMAIN)
        return MSGR_E_INVALID_PASSWORD;
    if (hr == MSGR_E_INVALID_PASSWORD || hr == MSGR_E_SERVER_TOO_BUSY ||
        hr == MSGR_E_SERVER_UNAVAILABLE || hr == MSGR_E_SERVER_VERSION ||
        hr == MSGR_E_INVALID_SERVER_NAME || hr == MSGR_E_CONNECT)
        return hr;
    if (hr == MSGR_E_SERVER_SHUTDOWN)
        return MSGR_E_SERVER_UNAVAILABLE;
    return MSGR_E_UNEXPECTED;
}
