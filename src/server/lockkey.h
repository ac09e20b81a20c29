/*
 * lockkey.h - Lock and Key on the notification server: the LKS, LKC and LKR
 * commands of our protocol extension (docs/protocol.md "Lock and Key").
 *
 * A client that wants Lock and Key subscribes with LKS; only then does it
 * receive anything of this extension, so classic clients never see it.
 * Each LKC hands out a fresh single-use challenge; LKR proves knowledge of
 * an application key with the lowercase hex MD5 of challenge || key.
 */
#ifndef MSGRD_LOCKKEY_H
#define MSGRD_LOCKKEY_H

#include "ns.h"

/* Outstanding challenges a session may hold at once. */
#define LOCKKEY_MAX_CHALLENGES 16

typedef struct lockkey_challenge {
    char text[MSNP_CHALLENGE_SIZE]; /* "" = free slot */
    uint64_t expires_ms;
} lockkey_challenge;

typedef struct lockkey_state {
    bool subscribed;
    lockkey_challenge challenges[LOCKKEY_MAX_CHALLENGES];
} lockkey_state;

void lockkey_cmd_lks(ns_session *s, const msnp_cmd *cmd);
void lockkey_cmd_lkc(ns_session *s, const msnp_cmd *cmd);
void lockkey_cmd_lkr(ns_session *s, const msnp_cmd *cmd);

#endif
