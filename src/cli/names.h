/*
 * names.h - the words msgr prints and reads: status names and the
 * explanation of a failed libmsgr result.
 */
#ifndef MSGR_CLI_NAMES_H
#define MSGR_CLI_NAMES_H

#include <stdbool.h>

#include <msgr/msgr.h>

/* "online", "busy", ... for any MISTATUS (LOCAL_* included). */
const char *status_name(MISTATUS s);

/* Parses a status a user may set (online, busy, away, brb, phone, lunch,
 * idle, invisible; long forms accepted). false when it is not one. */
bool status_parse(const char *word, MISTATUS *out);

/* A human explanation of a failure code, for one-line errors. */
const char *hr_text(msgr_hr hr);

/* A session's OnTermination result (SESSION_RESULT): a short word for
 * JSON ("declined", "timeout", ...) and a sentence ("nobody answered in
 * time"). */
const char *session_result_word(msgr_hr hr);
const char *session_result_text(msgr_hr hr);

/* hr_text() for the failures of the Session Invite calls (register,
 * put_Application, Invite, ...). */
const char *session_error_text(msgr_hr hr);

#endif
