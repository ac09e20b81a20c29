/*
 * signals.h - the signal self-pipe shared by the scripting commands
 * (session.c) and the interactive client (ui_main.c): SIGINT and SIGTERM
 * (and SIGHUP for the interactive client, whose terminal may go away)
 * write a byte into a pipe that the poll() loops watch, so a signal wakes
 * the loop at once and the program can sign out cleanly. SIGPIPE is
 * ignored: a closed reader (msgr listen | head) must not kill us before
 * sign-out.
 */
#ifndef MSGR_CLI_SIGNALS_H
#define MSGR_CLI_SIGNALS_H

#include <stdbool.h>

/* Installs the handlers once (later calls only add SIGHUP when asked).
 * Returns 0, or -1 when the pipe cannot be made. */
int signals_install(bool hangup);

/* The read end of the pipe, for poll() (-1 before signals_install). */
int signals_fd(void);

/* Empties the pipe (call when poll() reports it readable). */
void signals_drain(void);

/* Whether a signal arrived since the last signals_clear(). */
bool signals_caught(void);
void signals_clear(void);

/* A pipe with both ends non-blocking and close-on-exec (the launched
 * programs and file-transfer children must not inherit it). */
int signals_make_pipe(int fds[2]);

#endif
