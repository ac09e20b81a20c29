/*
 * ns.h - the notification server role of a connection (msnp.md 2-4, 7):
 * login, lists, presence, challenges, URL, and the NS side of the
 * switchboard (XFR SB, RNG).
 */
#ifndef MSGRD_NS_H
#define MSGRD_NS_H

#include <stdbool.h>
#include <stdint.h>

#include "conn.h"
#include "msnp_challenge.h"
#include "msnp_types.h"
#include "store.h"

/* A fixed-window event counter for the REA/CHG rate limits. */
typedef struct ns_rate {
    uint64_t window_start_ms;
    unsigned count;
} ns_rate;

typedef enum ns_state {
    NS_VERSIONED = 0, /* VER done */
    NS_CHALLENGED,    /* USR TWN I answered */
    NS_LOGGING_IN,    /* ticket accepted, loading the account */
    NS_AUTHENTICATED, /* USR OK sent */
} ns_state;

typedef struct ns_session {
    conn *c;
    ns_state state;
    msnp_dialect dialect;
    char *handle;              /* lower-case, from USR TWN I */
    store_user *user;          /* snapshot of the account (after login) */
    bool chg_seen;             /* first CHG received */
    msnp_presence status;
    uint32_t caps;
    char *msnobj;              /* MSNP9 display picture object, encoded; NULL = none */
    bool registered;           /* present in server->online */
    /* Challenge (msnp.md 2.10). */
    char chl[MSNP_CHALLENGE_SIZE];
    char prev_chl[MSNP_CHALLENGE_SIZE];
    uint64_t chl_deadline_ms;  /* 0 = no answer pending */
    uint64_t next_chl_ms;      /* 0 = no repeat scheduled */
    uint64_t last_activity_ms;
    uint64_t login_deadline_ms;
    ns_rate rea_rate;          /* own friendly-name changes */
    ns_rate chg_rate;          /* status changes */
    struct lockkey_state *lockkey; /* NULL until LKS (lockkey.h) */
} ns_session;

/* Turns a fresh connection into a notification session; called with the
 * first command (VER) which it then handles. */
void ns_start(conn *c, const msnp_cmd *first);

/* The signed-in session of handle (lower-case), or NULL. */
ns_session *ns_find(struct server *srv, const char *handle);
/* ns_find() for a handle typed by an administrator (any case). */
#define MSNP_MAX_HANDLE_LOOKUP 130
ns_session *ns_find_any_case(struct server *srv, const char *handle);

/* True when the session is signed in, has sent its first CHG and is not
 * hidden (msnp.md 4.7 visible()). */
bool ns_visible(const ns_session *s);

/* Sends OUT [reason] and closes. */
void ns_kick(ns_session *s, const char *reason);

/* Command handlers of ns_lists.c (list commands, SYN), used by ns.c. */
void ns_cmd_syn(ns_session *s, const msnp_cmd *cmd);
void ns_cmd_gtc(ns_session *s, const msnp_cmd *cmd);
void ns_cmd_blp(ns_session *s, const msnp_cmd *cmd);
void ns_cmd_prp(ns_session *s, const msnp_cmd *cmd);
void ns_cmd_add(ns_session *s, const msnp_cmd *cmd);
void ns_cmd_rem(ns_session *s, const msnp_cmd *cmd);
void ns_cmd_adg(ns_session *s, const msnp_cmd *cmd);
void ns_cmd_rmg(ns_session *s, const msnp_cmd *cmd);
void ns_cmd_reg(ns_session *s, const msnp_cmd *cmd);
void ns_cmd_rea(ns_session *s, const msnp_cmd *cmd);
void ns_cmd_lst(ns_session *s, const msnp_cmd *cmd);
void ns_cmd_lsg(ns_session *s, const msnp_cmd *cmd);

/* Replies "<code> trid". */
void ns_reply_error(ns_session *s, int code, uint32_t trid);

/* True if cmd has at least n parameters; otherwise answers 201 (msnp.md
 * 1.10 "invalid parameter") and returns false. */
bool ns_need_params(ns_session *s, const msnp_cmd *cmd, size_t n);

/* Replaces the session's snapshot (takes ownership of u). */
void ns_set_user(ns_session *s, store_user *u);

/* Reloads the snapshot of an online user from the store, asynchronously
 * (after another user's change touched its lists). */
void ns_refresh_user(struct server *srv, const char *handle);

/* Counts one event at time now and returns true while at most limit
 * events fall in the current window of window_ms (fixed windows: a burst
 * across a window boundary may reach twice the limit). */
bool ns_rate_ok(ns_rate *r, unsigned limit, uint64_t window_ms, uint64_t now);

/* Checks an e-mail address the way ADD and USR need (msnp.md 1.8). */
bool ns_handle_valid(const char *handle);

/* Decodes a URL-encoded name parameter (accepting old clients' encodings)
 * into a malloc'd string; NULL if it is not acceptable. */
char *ns_decode_name(const char *param);

#endif
