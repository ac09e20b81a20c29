/*
 * switchboard.h - conversations (msnp.md 5): XFR SB cookies on the
 * notification side, and the switchboard role of a connection (USR/ANS,
 * CAL/RNG, MSG relay with ACK/NAK, JOI/IRO/BYE, idle timeouts).
 */
#ifndef MSGRD_SWITCHBOARD_H
#define MSGRD_SWITCHBOARD_H

#include "conn.h"
#include "ns.h"

struct server;

/* Creates the switchboard registries. Returns 0 or -1. */
int sb_init(struct server *srv);
void sb_shutdown(struct server *srv);

/* XFR TrID SB on a notification session (msnp.md 5.2). */
void sb_cmd_xfr(ns_session *s, const msnp_cmd *cmd);

/* Turns a fresh connection whose first command is USR or ANS into a
 * switchboard connection and handles that command. */
void sb_start(conn *c, const msnp_cmd *first);

/* A user's notification session ended: their switchboard connections
 * close (the others get BYE). */
void sb_user_signed_out(struct server *srv, const char *handle);

#endif
