/*
 * store.h - msgrd's durable state: accounts, the four lists, groups,
 * properties, privacy settings, list versions, Lock and Key applications
 * (DESIGN.md 2 "State", "Store"; msnp.md 3 and 4.7).
 *
 * The interface is engine-neutral; store_sqlite.c implements it on SQLite
 * (one file <data_dir>/msgrd.sqlite3, WAL, foreign keys, schema version in
 * PRAGMA user_version).
 *
 * Threads. A store handle is one database connection: use it from one
 * thread at a time (typically one handle per worker thread). Any number of
 * handles, in any number of threads or processes, may be open on the same
 * data directory; writers queue behind each other for a few seconds
 * (busy timeout) before a call fails with STORE_E_BUSY.
 *
 * Return convention of every int-returning function:
 *   0                  success;
 *   positive           an MSNP error code to send to the client as is
 *                      (201, 205, 209, 210, 215, 216, 218, 219, 223, 224,
 *                      225, 229, 230 as msnp.md 3 assigns them);
 *   negative           an internal failure, one of store_error.
 * Every mutation is one transaction: on any non-zero return nothing has
 * changed (no list, no name, no version). When a mutation returns 0 the
 * change is durable (with the default synchronous=FULL; see
 * store_options).
 *
 * Handles (e-mail addresses) are stored lower-cased and every handle
 * argument is matched case-insensitively (ASCII). The store does not check
 * e-mail syntax (the caller does, answering 201) but rejects NULL or empty
 * handles with STORE_E_INVALID. A function whose owner (or handle)
 * account does not exist returns STORE_E_NOTFOUND. Names and property values are taken and
 * returned decoded (raw UTF-8, not URL-encoded); length limits (209, 229,
 * 95-byte phone numbers) are the caller's to check.
 *
 * List versions (msnp.md 3.11). Every successful mutation increments the
 * owner's list version by exactly 1 (4294967295 wraps to 1, never 0), and
 * each other account whose lists or stored contact data it changes by
 * exactly 1 as well. When the "other" account is the owner itself (adding
 * or removing one's own handle on FL, which mirrors onto one's own RL) the
 * owner is bumped twice, owner change first: the reply carries version v
 * and the mirrored RL change v+1, so every line the client sees has its own
 * version.
 */
#ifndef MSGRD_STORE_H
#define MSGRD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msnp_types.h" /* MSNP_LIST_FL, _AL, _BL, _RL */

/* Internal failures (negative). */
typedef enum store_error {
    STORE_OK = 0,
    STORE_E_IO = -1,       /* the engine failed (disk full, I/O error, ...) */
    STORE_E_NOMEM = -2,    /* allocation failed */
    STORE_E_NOTFOUND = -3, /* no such account / application */
    STORE_E_EXISTS = -4,   /* account already exists */
    STORE_E_CORRUPT = -5,  /* the database is damaged or not ours */
    STORE_E_INVALID = -6,  /* API misuse: NULL/empty handle, bad list bit, bad gid */
    STORE_E_BUSY = -7,     /* another writer held the database past the busy timeout */
    STORE_E_SCHEMA = -8,   /* the database was written by a newer msgrd */
} store_error;

/* Short English description of any return code of this interface
 * (0, store_error values, or an MSNP code). Never NULL; static storage. */
const char *store_strerror(int code);

/* ---------------------------------------------------------------- open */

typedef struct store store;

typedef enum store_sync {
    STORE_SYNC_FULL = 0,   /* fsync on every commit: acknowledged == durable (default) */
    STORE_SYNC_NORMAL = 1, /* WAL fsync at checkpoints only: a power cut may lose the
                              last commits (a process crash does not) */
} store_sync;

typedef struct store_options {
    store_sync sync;          /* default STORE_SYNC_FULL */
    unsigned busy_timeout_ms; /* 0 = default (5000 ms) */
} store_options;

/* Opens (creating if needed) the store in data_dir, which must exist.
 * Applies pending schema migrations in one transaction. opt may be NULL
 * (defaults). On success *out is a new handle for store_close().
 * On failure *out is NULL and, if errmsg is not NULL, *errmsg is a
 * malloc'd English message for the caller to free() (or NULL if even that
 * allocation failed). Returns 0, STORE_E_INVALID (NULL argument),
 * STORE_E_NOMEM, STORE_E_IO (cannot open/create the file), STORE_E_CORRUPT
 * (not a database, or not ours), STORE_E_SCHEMA (database is newer than
 * this program knows), STORE_E_BUSY. */
int store_open(const char *data_dir, const store_options *opt, store **out, char **errmsg);

/* Closes the handle and frees it. NULL is a no-op. */
void store_close(store *s);

/* The engine's English message for the most recent internal failure
 * (negative return) on this handle, for the server log; "" if none.
 * Valid until the next call on s. Never NULL. */
const char *store_errmsg(const store *s);

/* ---------------------------------------------------------------- batch */

/* Bulk loading (msgrd user import): between store_batch_begin() and
 * store_batch_commit() every call runs inside one write transaction, each
 * call as a savepoint (a failing call still changes nothing; the others
 * stand). Nothing is durable, or visible to other handles, before the
 * commit. Not for the service's request path: the batch holds the write
 * lock throughout. Return 0, STORE_E_INVALID (no batch open / already
 * open), or a negative engine code; a failed commit rolls everything
 * back. */
int store_batch_begin(store *s);
int store_batch_commit(store *s);
int store_batch_rollback(store *s);

/* ------------------------------------------------------------- results */

/* One account touched as a side effect, with its new list version. */
typedef struct store_peer {
    char *handle;     /* lower-case handle, owned by the store_result */
    uint32_t version; /* that account's list version after the change */
} store_peer;

/* What a mutation changed. Every mutation taking a store_result *res
 * (which may be NULL when the caller does not care) first overwrites *res
 * with an empty result, so *res need not be initialised but must not hold
 * an unfreed peers array. After the call (any return code) release it
 * with store_result_free(). On a non-zero return it is empty. */
typedef struct store_result {
    uint32_t version;      /* the owner's list version after its change */
    bool peer_changed;     /* one other account changed (the ADD/REM FL target's RL) */
    uint32_t peer_version; /* ... and its version after the change */
    bool removed_from_fl;  /* store_list_remove: the contact left FL entirely */
    store_peer *peers;     /* many accounts changed (RMG, PRP, account delete); */
    size_t npeers;         /* malloc'd, sorted by handle; NULL/0 when none */
} store_result;

/* Frees res->peers and empties *res. NULL is a no-op. */
void store_result_free(store_result *res);

/* ------------------------------------------------------------ accounts */

/* Creates an account: list version 1, GTC A, BLP AL, no properties, group
 * 0 named group0_name, a random non-zero 63-bit PUID. friendly_name NULL
 * means the handle. pw_hash is an opaque string (an argon2id hash).
 * Returns 0, STORE_E_EXISTS, STORE_E_INVALID (NULL/empty handle, NULL
 * pw_hash or group0_name), or another negative code. */
int store_account_create(store *s, const char *handle, const char *pw_hash,
                         const char *friendly_name, const char *group0_name);

/* Replaces the stored password hash. Does not change the list version.
 * Returns 0, STORE_E_NOTFOUND, or another negative code. */
int store_account_set_password(store *s, const char *handle, const char *pw_hash);

/* Deletes the account with its lists, groups and properties, and removes
 * it from every other account's lists (FL, AL, BL, RL), incrementing the
 * list version of each account so affected. res (may be NULL) receives
 * those accounts in res->peers; res->version is 0. Returns 0,
 * STORE_E_NOTFOUND, or another negative code. */
int store_account_delete(store *s, const char *handle, store_result *res);

/* Called once per account, in handle order. handle and friendly_name are
 * valid only during the call, which runs inside the store's read
 * transaction: it must not call into the same store handle. Return 0 to
 * continue; any other value stops the iteration and becomes
 * store_account_list()'s return value. */
typedef int (*store_account_cb)(const char *handle, const char *friendly_name, void *ud);

/* Lists all accounts. Returns 0, the callback's non-zero value, or a
 * negative code. */
int store_account_list(store *s, store_account_cb cb, void *ud);

/* *hash = the stored password hash, malloc'd (caller frees). Returns 0,
 * STORE_E_NOTFOUND (*hash NULL), or another negative code. */
int store_account_get_pwhash(store *s, const char *handle, char **hash);

/* *exists = whether the account exists. Returns 0 or a negative code. */
int store_account_exists(store *s, const char *handle, bool *exists);

/* ---------------------------------------------------- snapshot for login */

/* The properties of msnp.md 3.4, in SYN order. */
typedef enum store_prop {
    STORE_PROP_PHH = 0, /* home phone */
    STORE_PROP_PHW,     /* work phone */
    STORE_PROP_PHM,     /* mobile phone */
    STORE_PROP_MOB,     /* "Y"/"N": contacts may page my mobile */
    STORE_PROP_MBE,     /* "Y"/"N": mobile device enabled (server-set) */
    STORE_PROP_WWE,     /* MSNP9: MSN Direct enabled (server-set) */
    STORE_PROP_COUNT
} store_prop;

/* "PHH" ... "WWE"; NULL when out of range. Static storage. */
const char *store_prop_name(store_prop p);
/* Parses an exact (case-sensitive) property name. Returns false for
 * anything else, *out untouched. */
bool store_prop_parse(const char *name, store_prop *out);

typedef enum store_blp {
    STORE_BLP_AL = 0, /* everyone not on BL may see me (default) */
    STORE_BLP_BL = 1, /* only AL may see me */
} store_blp;

/* "AL" or "BL"; NULL when out of range. */
const char *store_blp_name(store_blp b);

#define STORE_MAX_GROUPS 30 /* gids 0..29 */

typedef struct store_group {
    int gid;    /* 0..29 */
    char *name; /* decoded name */
} store_group;

typedef struct store_contact {
    char *handle;        /* lower-case */
    char *friendly_name; /* the contact's own current friendly name */
    char *stored_name;   /* the owner's stored name for it (LST) */
    unsigned lists;      /* MSNP_LIST_* bits, never 0 */
    uint32_t groups;     /* bit g set = member of group g; non-zero exactly
                            when lists & MSNP_LIST_FL (a mask, not an array:
                            every signed-in user holds one per contact) */
    /* The contact's allows(contact, owner) of msnp.md 4.7: owner not on the
     * contact's BL and (owner on its AL or its BLP is AL). */
    bool allows_owner;
    /* The contact's published properties (BPR), set ones non-NULL. Filled
     * only when the contact is on the owner's FL and allows_owner: those
     * are the watchers whose version store_set_prop() bumps, so the SYN
     * data changes with the version. (Exception, as msnp.md asks for no
     * bump there: when the contact later blocks or unblocks the owner, the
     * owner's version does not change, so a client with a cached list
     * keeps the old BPR data until its next list change.) MBE is always
     * NULL (never sent as BPR); emitting WWE is for MSNP9 sessions only. */
    char *props[STORE_PROP_COUNT];
} store_contact;

/* A consistent snapshot of one account, for SYN, presence and privacy. */
typedef struct store_user {
    char *handle;        /* lower-case */
    char *friendly_name;
    uint64_t puid;
    uint32_t list_version;
    char gtc;            /* 'A' or 'N' */
    store_blp blp;
    char *props[STORE_PROP_COUNT]; /* own properties, NULL when unset */
    store_group *groups; /* sorted by gid; group 0 always present */
    size_t ngroups;
    store_contact *contacts; /* every contact entry (any bit), sorted by handle */
    size_t ncontacts;
} store_user;

/* Loads the snapshot (read in one transaction). *out is malloc'd; free it
 * with store_user_free(). Returns 0, STORE_E_NOTFOUND (*out NULL), or
 * another negative code. */
int store_load_user(store *s, const char *handle, store_user **out);

/* Frees a snapshot and everything it points to. NULL is a no-op. */
void store_user_free(store_user *u);

/* Finds a contact in a snapshot by handle (case-insensitive, binary
 * search). Returns a pointer into u (valid until store_user_free) or NULL. */
const store_contact *store_user_find_contact(const store_user *u, const char *handle);

/* *allows = allows(owner, viewer) of msnp.md 4.7, for presence decisions
 * about users not loaded. A viewer without an account is treated like any
 * handle not on the owner's lists. Returns 0, STORE_E_NOTFOUND (no such
 * owner), or another negative code. */
int store_privacy_allows(store *s, const char *owner, const char *viewer, bool *allows);

/* --------------------------------------------------------------- lists */

/* List size limits (msnp.md 1.8 / config fl-limit ...). */
typedef struct store_limits {
    unsigned fl, al, bl, rl;
} store_limits;

#define STORE_LIMITS_DEFAULT ((store_limits){150, 600, 600, 1000})

/* ADD (msnp.md 3.6): adds target to owner's list_bit (MSNP_LIST_FL, _AL or
 * _BL; anything else -> STORE_E_INVALID). stored_name (NULL = the target's
 * handle) becomes the stored name of the contact entry, also when the
 * entry already exists (ADD and REA both set it). gid: FL only, -1 = not
 * given (group 0), otherwise 0..29 (else STORE_E_INVALID); ignored for
 * AL/BL. lim NULL = STORE_LIMITS_DEFAULT. Returns 0 or:
 *   205  target has no account (a missing owner is STORE_E_NOTFOUND);
 *   224  FL: no such group;
 *   215  already on that list (FL: already in that group);
 *   219  AL while on BL, or BL while on AL;
 *   210  the owner's list has lim->fl/al/bl entries already, or (new FL
 *        entry) the target's RL has lim->rl entries.
 * On success res->version is the owner's new version. A new FL entry puts
 * the owner on the target's RL: res->peer_changed and res->peer_version
 * (the target's new version, for "ADD 0 RL"). Adding a further group to an
 * existing FL entry changes only the owner. */
int store_list_add(store *s, const char *owner, int list_bit, const char *target,
                   const char *stored_name, int gid, const store_limits *lim,
                   store_result *res);

/* REM (msnp.md 3.7): list_bit as for store_list_add. gid (FL only: -1 =
 * none, else 0..29 or STORE_E_INVALID) removes only that group membership; removing the last group
 * removes the contact from FL. Returns 0 or:
 *   216  target not on that list (or has no account);
 *   224  FL with gid: no such group;
 *   225  FL with gid: target not in that group.
 * On success res->version is the owner's new version; when the contact
 * left FL, res->removed_from_fl is set and the owner is taken off the
 * target's RL: res->peer_changed, res->peer_version (for "REM 0 RL").
 * AL/BL are never touched by an FL removal. Entries with no bits left are
 * deleted. */
int store_list_remove(store *s, const char *owner, int list_bit, const char *target,
                      int gid, store_result *res);

/* REA for a contact (msnp.md 3.9): sets the stored name of contact on all
 * of owner's lists. name NULL = the contact's handle. Returns 0, 216
 * (contact on none of owner's lists), or a negative code. res->version is
 * the owner's new version. */
int store_set_stored_name(store *s, const char *owner, const char *contact,
                          const char *name, store_result *res);

/* -------------------------------------------------------------- groups */

/* ADG: creates a group named name (decoded, non-NULL; duplicates allowed)
 * with the lowest free gid in 1..29, returned in *gid. Returns 0, 223 (30
 * groups exist), or a negative code. res->version is the new version. */
int store_group_add(store *s, const char *owner, const char *name, store_result *res,
                    int *gid);

/* RMG: removes group gid (0..29). Contacts whose only group it was leave
 * the owner's FL, and the owner leaves their RL: each such contact is in
 * res->peers with its new version (for "REM 0 RL"). Returns 0, 230 (gid
 * 0), 224 (no such group), or a negative code (STORE_E_INVALID for a gid
 * outside 0..29). res->version is the owner's new version. */
int store_group_remove(store *s, const char *owner, int gid, store_result *res);

/* REG: renames group gid (group 0 included). Returns 0, 224, or a negative
 * code. res->version is the new version. */
int store_group_rename(store *s, const char *owner, int gid, const char *name,
                       store_result *res);

/* ------------------------------------------------------ own properties */

/* GTC: gtc is 'A' or 'N' (else STORE_E_INVALID). Returns 0, 218 (already
 * that value; no version change), or a negative code. */
int store_set_gtc(store *s, const char *owner, char gtc, store_result *res);

/* BLP: Returns 0, 218 (already that value), or a negative code. The caller
 * re-evaluates presence for the owner's watchers (msnp.md 4.8). */
int store_set_blp(store *s, const char *owner, store_blp blp, store_result *res);

/* PRP: sets (value non-NULL) or clears (value NULL) an own property.
 * Setting a property to the value it already has still counts as a change
 * (the client got a reply with a new version). res->version is the owner's
 * new version. For PHH, PHW, PHM, MOB and WWE (published as BPR), every
 * account that has the owner on its FL and that the owner allows (4.7)
 * has its version incremented and is listed in res->peers (for the async
 * "BPR version owner type value"). MBE is not published: no peers. */
int store_set_prop(store *s, const char *owner, store_prop type, const char *value,
                   store_result *res);

/* REA of one's own handle: sets the friendly name (non-NULL). Returns 0 or
 * a negative code; res->version is the new version. Watchers' versions are
 * not changed (names travel in NLN, not in their lists). */
int store_set_friendly_name(store *s, const char *owner, const char *name,
                            store_result *res);

/* ---------------------------------------------------------- Lock and Key */

/* Inserts or replaces the key of application app_id. Returns 0,
 * STORE_E_INVALID (NULL/empty id, NULL key) or another negative code. */
int store_app_set(store *s, const char *app_id, const char *key);

/* Deletes an application. Returns 0, STORE_E_NOTFOUND, or a negative code. */
int store_app_delete(store *s, const char *app_id);

/* *key = the application's key, malloc'd (caller frees). Returns 0,
 * STORE_E_NOTFOUND (*key NULL), or another negative code. App ids are
 * matched exactly (case-sensitive). */
int store_app_get_key(store *s, const char *app_id, char **key);

/* Called once per application in id order; strings valid during the call;
 * must not call into the same store handle (as for store_account_cb).
 * Return 0 to continue; non-zero stops and is returned by store_app_list. */
typedef int (*store_app_cb)(const char *app_id, const char *key, void *ud);

/* Lists all applications. Returns 0, the callback's value, or a negative
 * code. */
int store_app_list(store *s, store_app_cb cb, void *ud);

#endif
