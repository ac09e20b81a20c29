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

/* What the service may push at any time (DESIGN.md 2, api-scope.md E34). */
typedef enum lockkey_push_result {
    LOCKKEY_PUSHED = 0,
    LOCKKEY_NOT_SIGNED_IN = -1,   /* no notification session for the handle */
    LOCKKEY_NOT_SUBSCRIBED = -2,  /* the session never sent LKS */
    LOCKKEY_OFF = -3,             /* Lock and Key is switched off */
    LOCKKEY_PUSH_FAILED = -4,     /* out of memory, or the connection is closing */
} lockkey_push_result;

/* "LKC 0 challenge" to handle's session: a fresh challenge, held like an
 * asked-for one (single use, --lk-challenge-ttl). */
lockkey_push_result lockkey_push_challenge(struct server *srv, const char *handle);

/* Switches Lock and Key on or off for the running service and tells every
 * subscribed session ("LKS 0 1|0"). Returns how many were told. */
size_t lockkey_set_enabled(struct server *srv, bool on);

#endif
