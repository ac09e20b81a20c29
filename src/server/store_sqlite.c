/*
 * store_sqlite.c - the SQLite engine of store.h.
 *
 * Shape of every public call: check the arguments, pack them into an "op"
 * struct, and run a body function inside one transaction (run_write:
 * BEGIN IMMEDIATE, so a writer never has to upgrade a read lock and fail
 * half-way; run_read: a deferred transaction, so multi-statement reads see
 * one snapshot). The body returns 0, an MSNP code or a negative
 * store_error; anything but 0 rolls the whole transaction back, so rules
 * may be checked in whatever order reads best and writes may start before
 * the last check without risking a partial change.
 *
 * All statements are prepared once at open time and kept; the transaction
 * runner resets every one of them at the end of each call, so a body that
 * returns early in the middle of a row loop cannot leave a read open.
 *
 * Handles are lower-cased inside SQL by msgr_lower(), an ASCII-only
 * function registered on the connection (SQLite's lower() may be
 * Unicode-aware depending on how the library was built; a handle must
 * compare the same everywhere).
 */
#include "store.h"

#include <limits.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_schema.h"

#define STORE_FILE_NAME "msgrd.sqlite3"
#define DEFAULT_BUSY_TIMEOUT_MS 5000
#define PUID_ATTEMPTS 16 /* 63 random bits: a second attempt is already a miracle */
#define LIST_BITS_ALL (MSNP_LIST_FL | MSNP_LIST_AL | MSNP_LIST_BL | MSNP_LIST_RL)

/* ------------------------------------------------------------ statements */

enum stmt_id {
    ST_BEGIN_WRITE,
    ST_BEGIN_READ,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_ACCOUNT_FIND,
    ST_ACCOUNT_INSERT,
    ST_ACCOUNT_SET_PW,
    ST_ACCOUNT_DELETE,
    ST_ACCOUNT_LIST,
    ST_ACCOUNT_PWHASH,
    ST_ACCOUNT_ROW,
    ST_ACCOUNTS_LISTING,
    ST_VERSION_BUMP,
    ST_SET_GTC,
    ST_SET_BLP,
    ST_SET_FRIENDLY_NAME,
    ST_PROP_SET,
    ST_PROP_CLEAR,
    ST_PROPS_OF,
    ST_WATCHERS,
    ST_GROUP_INSERT,
    ST_GROUP_DELETE,
    ST_GROUP_RENAME,
    ST_GROUP_EXISTS,
    ST_GROUP_IDS,
    ST_GROUPS_OF,
    ST_GROUP_ORPHANS,
    ST_CONTACT_LISTS,
    ST_CONTACT_INSERT,
    ST_CONTACT_UPDATE,
    ST_CONTACT_DELETE,
    ST_CONTACT_SET_NAME,
    ST_CONTACTS_OF,
    ST_LIST_COUNT,
    ST_MEMBER_INSERT,
    ST_MEMBER_DELETE,
    ST_MEMBER_DELETE_ALL,
    ST_MEMBER_HAS,
    ST_MEMBER_COUNT,
    ST_MEMBER_GIDS,
    ST_PRIVACY,
    ST_APP_SET,
    ST_APP_DELETE,
    ST_APP_GET,
    ST_APP_LIST,
    ST_COUNT
};

/* allows(O, V) of msnp.md 4.7 in SQL, given O's BLP and O's bits for V
 * (0 when V is on none of O's lists). */
#define SQL_ALLOWS(blp, bits) "(((" bits ") & 4) = 0 AND (((" bits ") & 2) <> 0 OR " blp " = 'AL'))"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_ACCOUNT_FIND] =
        "SELECT id, list_version, gtc, blp FROM accounts WHERE handle = msgr_lower(?1)",
    [ST_ACCOUNT_INSERT] =
        "INSERT INTO accounts (handle, pw_hash, friendly_name, puid, list_version, created) "
        "VALUES (msgr_lower(?1), ?2, COALESCE(?3, msgr_lower(?1)), ?4, 1, ?5)",
    [ST_ACCOUNT_SET_PW] = "UPDATE accounts SET pw_hash = ?2 WHERE id = ?1",
    [ST_ACCOUNT_DELETE] = "DELETE FROM accounts WHERE id = ?1",
    [ST_ACCOUNT_LIST] = "SELECT handle, friendly_name FROM accounts ORDER BY handle",
    [ST_ACCOUNT_PWHASH] = "SELECT pw_hash FROM accounts WHERE handle = msgr_lower(?1)",
    [ST_ACCOUNT_ROW] =
        "SELECT handle, friendly_name, puid, list_version, gtc, blp FROM accounts WHERE id = ?1",
    /* Accounts that have ?1 on a list of theirs (the peers of a delete). */
    [ST_ACCOUNTS_LISTING] =
        "SELECT a.id, a.handle FROM contacts c JOIN accounts a ON a.id = c.account_id "
        "WHERE c.contact_id = ?1 AND c.account_id <> ?1 ORDER BY a.handle",
    [ST_VERSION_BUMP] =
        "UPDATE accounts SET list_version = "
        "CASE WHEN list_version >= 4294967295 THEN 1 ELSE list_version + 1 END "
        "WHERE id = ?1 RETURNING list_version",
    [ST_SET_GTC] = "UPDATE accounts SET gtc = ?2 WHERE id = ?1",
    [ST_SET_BLP] = "UPDATE accounts SET blp = ?2 WHERE id = ?1",
    [ST_SET_FRIENDLY_NAME] = "UPDATE accounts SET friendly_name = ?2 WHERE id = ?1",
    [ST_PROP_SET] = "INSERT OR REPLACE INTO props (account_id, type, value) VALUES (?1, ?2, ?3)",
    [ST_PROP_CLEAR] = "DELETE FROM props WHERE account_id = ?1 AND type = ?2",
    [ST_PROPS_OF] = "SELECT type, value FROM props WHERE account_id = ?1",
    /* Accounts with ?1 on their FL that ?1 (whose BLP is ?2) allows. */
    [ST_WATCHERS] =
        "SELECT a.id, a.handle FROM contacts w JOIN accounts a ON a.id = w.account_id "
        "LEFT JOIN contacts mine ON mine.account_id = ?1 AND mine.contact_id = w.account_id "
        "WHERE w.contact_id = ?1 AND (w.lists & 1) <> 0 "
        "AND " SQL_ALLOWS("?2", "COALESCE(mine.lists, 0)") " ORDER BY a.handle",
    [ST_GROUP_INSERT] = "INSERT INTO groups (account_id, gid, name) VALUES (?1, ?2, ?3)",
    [ST_GROUP_DELETE] = "DELETE FROM groups WHERE account_id = ?1 AND gid = ?2",
    [ST_GROUP_RENAME] = "UPDATE groups SET name = ?3 WHERE account_id = ?1 AND gid = ?2",
    [ST_GROUP_EXISTS] = "SELECT 1 FROM groups WHERE account_id = ?1 AND gid = ?2",
    [ST_GROUP_IDS] = "SELECT gid FROM groups WHERE account_id = ?1 ORDER BY gid",
    [ST_GROUPS_OF] = "SELECT gid, name FROM groups WHERE account_id = ?1 ORDER BY gid",
    /* Contacts of ?1 whose only group is ?2. */
    [ST_GROUP_ORPHANS] =
        "SELECT a.id, a.handle FROM contact_groups m JOIN accounts a ON a.id = m.contact_id "
        "WHERE m.account_id = ?1 AND m.gid = ?2 AND NOT EXISTS ("
        "  SELECT 1 FROM contact_groups o WHERE o.account_id = ?1 "
        "  AND o.contact_id = m.contact_id AND o.gid <> ?2) "
        "ORDER BY a.handle",
    [ST_CONTACT_LISTS] = "SELECT lists FROM contacts WHERE account_id = ?1 AND contact_id = ?2",
    /* A new entry's stored name starts as the contact's handle (msnp.md 3.2
     * shows RL-only entries that way). */
    [ST_CONTACT_INSERT] =
        "INSERT INTO contacts (account_id, contact_id, lists, stored_name) "
        "VALUES (?1, ?2, ?3, (SELECT handle FROM accounts WHERE id = ?2))",
    [ST_CONTACT_UPDATE] = "UPDATE contacts SET lists = ?3 WHERE account_id = ?1 AND contact_id = ?2",
    [ST_CONTACT_DELETE] = "DELETE FROM contacts WHERE account_id = ?1 AND contact_id = ?2",
    [ST_CONTACT_SET_NAME] =
        "UPDATE contacts SET stored_name = COALESCE(?3, (SELECT handle FROM accounts WHERE id = ?2)) "
        "WHERE account_id = ?1 AND contact_id = ?2",
    /* Everything SYN needs per contact, with the contact's view of the owner. */
    [ST_CONTACTS_OF] =
        "SELECT t.id, t.handle, t.friendly_name, c.stored_name, c.lists, "
        SQL_ALLOWS("t.blp", "COALESCE(r.lists, 0)") " "
        "FROM contacts c JOIN accounts t ON t.id = c.contact_id "
        "LEFT JOIN contacts r ON r.account_id = c.contact_id AND r.contact_id = c.account_id "
        "WHERE c.account_id = ?1 ORDER BY t.handle",
    [ST_LIST_COUNT] = "SELECT count(*) FROM contacts WHERE account_id = ?1 AND (lists & ?2) <> 0",
    [ST_MEMBER_INSERT] =
        "INSERT INTO contact_groups (account_id, contact_id, gid) VALUES (?1, ?2, ?3)",
    [ST_MEMBER_DELETE] =
        "DELETE FROM contact_groups WHERE account_id = ?1 AND contact_id = ?2 AND gid = ?3",
    [ST_MEMBER_DELETE_ALL] =
        "DELETE FROM contact_groups WHERE account_id = ?1 AND contact_id = ?2",
    [ST_MEMBER_HAS] =
        "SELECT 1 FROM contact_groups WHERE account_id = ?1 AND contact_id = ?2 AND gid = ?3",
    [ST_MEMBER_COUNT] =
        "SELECT count(*) FROM contact_groups WHERE account_id = ?1 AND contact_id = ?2",
    [ST_MEMBER_GIDS] =
        "SELECT gid FROM contact_groups WHERE account_id = ?1 AND contact_id = ?2 ORDER BY gid",
    [ST_PRIVACY] =
        "SELECT " SQL_ALLOWS("o.blp", "COALESCE(("
        "  SELECT c.lists FROM contacts c JOIN accounts v ON v.id = c.contact_id "
        "  WHERE c.account_id = o.id AND v.handle = msgr_lower(?2)), 0)") " "
        "FROM accounts o WHERE o.handle = msgr_lower(?1)",
    [ST_APP_SET] = "INSERT OR REPLACE INTO apps (app_id, app_key) VALUES (?1, ?2)",
    [ST_APP_DELETE] = "DELETE FROM apps WHERE app_id = ?1",
    [ST_APP_GET] = "SELECT app_key FROM apps WHERE app_id = ?1",
    [ST_APP_LIST] = "SELECT app_id, app_key FROM apps ORDER BY app_id",
};

struct store {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    char errbuf[256]; /* store_errmsg() */
    bool in_batch;    /* inside store_batch_begin(): calls use savepoints */
};

/* ------------------------------------------------------- error reporting */

const char *store_strerror(int code)
{
    switch (code) {
    case 0: return "success";
    case STORE_E_IO: return "storage I/O error";
    case STORE_E_NOMEM: return "out of memory";
    case STORE_E_NOTFOUND: return "not found";
    case STORE_E_EXISTS: return "already exists";
    case STORE_E_CORRUPT: return "database corrupt or not msgrd's";
    case STORE_E_INVALID: return "invalid argument";
    case STORE_E_BUSY: return "database busy";
    case STORE_E_SCHEMA: return "database is newer than this program";
    case 201: return "invalid parameter";
    case 205: return "no such user";
    case 209: return "friendly name not allowed";
    case 210: return "list full";
    case 215: return "already on list";
    case 216: return "not on list";
    case 218: return "already in that mode";
    case 219: return "in the opposite list";
    case 223: return "too many groups";
    case 224: return "invalid group";
    case 225: return "user not in group";
    case 229: return "group name too long";
    case 230: return "cannot remove group 0";
    default: return "unknown error";
    }
}

const char *store_errmsg(const store *s)
{
    return s != NULL ? s->errbuf : "";
}

/* Records the connection's message for a failed SQLite call and returns
 * the matching store_error. Call before resetting the statement. */
static int fail(store *s, int sqlite_rc)
{
    snprintf(s->errbuf, sizeof s->errbuf, "%s", sqlite3_errmsg(s->db));
    return store_sqlite_error(sqlite_rc);
}

static int fail_nomem(store *s)
{
    snprintf(s->errbuf, sizeof s->errbuf, "out of memory");
    return STORE_E_NOMEM;
}

/* Copies a message from sqlite3_mprintf() into *errmsg as malloc'd memory
 * (our callers free() it) and releases the original. */
static void set_open_error(char **errmsg, char *sqlite_msg)
{
    if (errmsg != NULL && *errmsg == NULL && sqlite_msg != NULL) {
        size_t n = strlen(sqlite_msg) + 1;
        *errmsg = malloc(n);
        if (*errmsg != NULL)
            memcpy(*errmsg, sqlite_msg, n);
    }
    sqlite3_free(sqlite_msg);
}

/* ------------------------------------------------------- small helpers */

static bool handle_ok(const char *h)
{
    return h != NULL && h[0] != '\0';
}

/* The "ASCII lower-case" SQL function msgr_lower(text). */
static void sql_lower_ascii(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *in;
    unsigned char *out;
    int i, n;

    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    in = sqlite3_value_text(argv[0]);
    n = sqlite3_value_bytes(argv[0]);
    out = in != NULL ? sqlite3_malloc(n + 1) : NULL;
    if (out == NULL) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    for (i = 0; i < n; i++)
        out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (unsigned char)(in[i] - 'A' + 'a') : in[i];
    out[n] = '\0';
    sqlite3_result_text(ctx, (char *)out, n, sqlite3_free);
}

/* malloc'd copy of a text column, *out NULL for SQL NULL. */
static int column_dup(store *s, sqlite3_stmt *st, int col, char **out)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    size_t n;

    *out = NULL;
    if (v == NULL) {
        if (sqlite3_column_type(st, col) == SQLITE_NULL)
            return 0;
        return fail_nomem(s);
    }
    n = (size_t)sqlite3_column_bytes(st, col);
    *out = malloc(n + 1);
    if (*out == NULL)
        return fail_nomem(s);
    memcpy(*out, v, n);
    (*out)[n] = '\0';
    return 0;
}

/* Fresh statement with no bindings from a previous use. */
static sqlite3_stmt *stmt(store *s, enum stmt_id id)
{
    sqlite3_stmt *st = s->st[id];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

/* Binds text (NULL binds SQL NULL). The strings outlive the statement's
 * use in every caller, hence SQLITE_STATIC. */
static int bind_text(sqlite3_stmt *st, int idx, const char *v)
{
    return v != NULL ? sqlite3_bind_text(st, idx, v, -1, SQLITE_STATIC)
                     : sqlite3_bind_null(st, idx);
}

/* Binds ?1 and ?2 as integers (the common "account id, contact id"). */
static int bind_ids(sqlite3_stmt *st, int64_t a, int64_t b)
{
    int rc = sqlite3_bind_int64(st, 1, a);
    return rc == SQLITE_OK ? sqlite3_bind_int64(st, 2, b) : rc;
}

/* Runs a statement expected to return no row. */
static int exec_stmt(store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        rc = fail(s, rc);
        sqlite3_reset(st);
        return rc;
    }
    sqlite3_reset(st);
    return 0;
}

/* Steps once: 1 = a row is ready (the caller reads it; the transaction
 * runner resets the statement later), 0 = no row, negative = failure. */
static int step_row(store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return fail(s, rc);
}

/* Runs a bound single-row "SELECT <integer>" and stores the value, or
 * `none` when there is no row. */
static int query_int(store *s, sqlite3_stmt *st, int64_t none, int64_t *value)
{
    int rc = step_row(s, st);
    if (rc < 0)
        return rc;
    *value = rc == 1 ? sqlite3_column_int64(st, 0) : none;
    sqlite3_reset(st);
    return 0;
}

/* ----------------------------------------------------------- transactions */

typedef int (*txn_body)(store *s, void *op);

/* Resets every prepared statement so none keeps a read snapshot open. */
static void reset_all(store *s)
{
    size_t i;
    for (i = 0; i < ST_COUNT; i++)
        sqlite3_reset(s->st[i]);
}

/* Runs body inside a transaction opened by `begin`. Commits when body
 * returns 0, rolls back otherwise; returns body's code or the commit's. */
/* Inside a batch each call is a savepoint of the batch's transaction, so a
 * call that fails still changes nothing while earlier calls stay. */
static int run_savepoint(store *s, txn_body body, void *op)
{
    int rc = sqlite3_exec(s->db, "SAVEPOINT store_call", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_sqlite_error(rc);
    rc = body(s, op);
    reset_all(s);
    if (rc != 0)
        sqlite3_exec(s->db, "ROLLBACK TO store_call", NULL, NULL, NULL);
    sqlite3_exec(s->db, "RELEASE store_call", NULL, NULL, NULL);
    return rc;
}

static int run_txn(store *s, enum stmt_id begin, txn_body body, void *op)
{
    int rc;

    s->errbuf[0] = '\0';
    if (s->in_batch)
        return run_savepoint(s, body, op);
    rc = exec_stmt(s, stmt(s, begin));
    if (rc != 0)
        return rc;
    rc = body(s, op);
    reset_all(s);
    if (rc == 0) {
        rc = exec_stmt(s, stmt(s, ST_COMMIT));
        if (rc == 0)
            return 0;
    }
    /* After a failed COMMIT the transaction may still be open: end it. */
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_step(stmt(s, ST_ROLLBACK));
    sqlite3_reset(s->st[ST_ROLLBACK]);
    return rc;
}

static int run_write(store *s, txn_body body, void *op)
{
    return run_txn(s, ST_BEGIN_WRITE, body, op);
}

static int run_read(store *s, txn_body body, void *op)
{
    return run_txn(s, ST_BEGIN_READ, body, op);
}

int store_batch_begin(store *s)
{
    if (s == NULL || s->in_batch)
        return STORE_E_INVALID;
    int rc = exec_stmt(s, stmt(s, ST_BEGIN_WRITE));
    if (rc == 0)
        s->in_batch = true;
    return rc;
}

int store_batch_commit(store *s)
{
    if (s == NULL || !s->in_batch)
        return STORE_E_INVALID;
    s->in_batch = false;
    int rc = exec_stmt(s, stmt(s, ST_COMMIT));
    if (rc != 0 && !sqlite3_get_autocommit(s->db)) {
        sqlite3_step(stmt(s, ST_ROLLBACK));
        sqlite3_reset(s->st[ST_ROLLBACK]);
    }
    return rc;
}

int store_batch_rollback(store *s)
{
    if (s == NULL || !s->in_batch)
        return STORE_E_INVALID;
    s->in_batch = false;
    sqlite3_step(stmt(s, ST_ROLLBACK));
    sqlite3_reset(s->st[ST_ROLLBACK]);
    return 0;
}

/* -------------------------------------------------------------- results */

void store_result_free(store_result *res)
{
    size_t i;

    if (res == NULL)
        return;
    for (i = 0; i < res->npeers; i++)
        free(res->peers[i].handle);
    free(res->peers);
    memset(res, 0, sizeof *res);
}

/* Hands the body's result to the caller on success, frees it otherwise
 * (the caller's *out was emptied on entry). Returns rc. */
static int deliver(int rc, store_result *tmp, store_result *out)
{
    if (rc == 0 && out != NULL)
        *out = *tmp;
    else
        store_result_free(tmp);
    return rc;
}

static void result_clear(store_result *res)
{
    if (res != NULL)
        memset(res, 0, sizeof *res);
}

/* Accounts collected before they are changed (never change a table while
 * a SELECT over it is still stepping). */
typedef struct peer_set {
    store_peer *v;
    int64_t *ids;
    size_t n, cap;
} peer_set;

static void peers_free(peer_set *p)
{
    size_t i;
    for (i = 0; i < p->n; i++)
        free(p->v[i].handle);
    free(p->v);
    free(p->ids);
    memset(p, 0, sizeof *p);
}

static int peers_push(store *s, peer_set *p, int64_t id, sqlite3_stmt *st, int handle_col)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        store_peer *v = realloc(p->v, cap * sizeof *v);
        int64_t *ids;
        if (v == NULL)
            return fail_nomem(s);
        p->v = v;
        ids = realloc(p->ids, cap * sizeof *ids);
        if (ids == NULL)
            return fail_nomem(s);
        p->ids = ids;
        p->cap = cap;
    }
    p->v[p->n].version = 0;
    p->ids[p->n] = id;
    if (column_dup(s, st, handle_col, &p->v[p->n].handle) != 0)
        return STORE_E_NOMEM;
    p->n++;
    return 0;
}

/* Collects (id, handle) rows of a bound statement into p. */
static int peers_collect(store *s, sqlite3_stmt *st, peer_set *p)
{
    int rc;
    while ((rc = step_row(s, st)) == 1) {
        if ((rc = peers_push(s, p, sqlite3_column_int64(st, 0), st, 1)) != 0)
            return rc;
    }
    sqlite3_reset(st);
    return rc;
}

/* Moves the collected peers into res (which then owns the handles). */
static void peers_move(peer_set *p, store_result *res)
{
    res->peers = p->v;
    res->npeers = p->n;
    free(p->ids);
    memset(p, 0, sizeof *p);
}

/* ------------------------------------------------------------- accounts */

typedef struct account {
    int64_t id;
    uint32_t version;
    char gtc;
    store_blp blp;
} account;

/* 0, STORE_E_NOTFOUND or a negative code. */
static int account_find(store *s, const char *handle, account *a)
{
    sqlite3_stmt *st = stmt(s, ST_ACCOUNT_FIND);
    const unsigned char *gtc, *blp;
    int rc;

    if ((rc = bind_text(st, 1, handle)) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = step_row(s, st)) <= 0)
        return rc == 0 ? STORE_E_NOTFOUND : rc;
    a->id = sqlite3_column_int64(st, 0);
    a->version = (uint32_t)sqlite3_column_int64(st, 1);
    gtc = sqlite3_column_text(st, 2);
    blp = sqlite3_column_text(st, 3);
    a->gtc = gtc != NULL && gtc[0] == 'N' ? 'N' : 'A';
    a->blp = blp != NULL && strcmp((const char *)blp, "BL") == 0 ? STORE_BLP_BL : STORE_BLP_AL;
    sqlite3_reset(st);
    return 0;
}

/* The list version rule of msnp.md 3.11: +1, skipping 0 on wrap. */
static int version_bump(store *s, int64_t id, uint32_t *version)
{
    sqlite3_stmt *st = stmt(s, ST_VERSION_BUMP);
    int64_t v = 0;
    int rc;

    if ((rc = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = query_int(s, st, 0, &v)) != 0)
        return rc;
    if (v == 0) {
        snprintf(s->errbuf, sizeof s->errbuf, "account %lld vanished", (long long)id);
        return STORE_E_IO;
    }
    *version = (uint32_t)v;
    return 0;
}

/* Bumps every collected peer, recording its new version. */
static int peers_bump(store *s, peer_set *p)
{
    size_t i;
    int rc;
    for (i = 0; i < p->n; i++) {
        if ((rc = version_bump(s, p->ids[i], &p->v[i].version)) != 0)
            return rc;
    }
    return 0;
}

/* A random non-zero PUID with the top bit clear, so it reads the same as
 * signed (SQLite) and unsigned (protocol). */
static int64_t random_puid(void)
{
    uint64_t v = 0;
    while (v == 0) {
        randombytes_buf(&v, sizeof v);
        v &= UINT64_C(0x7fffffffffffffff);
    }
    return (int64_t)v;
}

typedef struct create_op {
    const char *handle, *pw_hash, *friendly_name, *group0_name;
} create_op;

/* Inserts the account row, drawing a new PUID on the (astronomically
 * unlikely) collision. The handle is known to be free. */
static int account_insert(store *s, const create_op *op, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int attempt, rc = SQLITE_OK;

    for (attempt = 0; attempt < PUID_ATTEMPTS; attempt++) {
        st = stmt(s, ST_ACCOUNT_INSERT);
        if ((rc = bind_text(st, 1, op->handle)) != SQLITE_OK ||
            (rc = bind_text(st, 2, op->pw_hash)) != SQLITE_OK ||
            (rc = bind_text(st, 3, op->friendly_name)) != SQLITE_OK ||
            (rc = sqlite3_bind_int64(st, 4, random_puid())) != SQLITE_OK ||
            (rc = sqlite3_bind_int64(st, 5, (int64_t)time(NULL))) != SQLITE_OK)
            return fail(s, rc);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) {
            sqlite3_reset(st);
            *id = sqlite3_last_insert_rowid(s->db);
            return 0;
        }
        if (sqlite3_extended_errcode(s->db) != SQLITE_CONSTRAINT_UNIQUE)
            break;
        sqlite3_reset(st);
    }
    rc = fail(s, rc);
    sqlite3_reset(st);
    return rc;
}

static int group_insert(store *s, int64_t owner, int gid, const char *name)
{
    sqlite3_stmt *st = stmt(s, ST_GROUP_INSERT);
    int rc;
    if ((rc = bind_ids(st, owner, gid)) != SQLITE_OK || (rc = bind_text(st, 3, name)) != SQLITE_OK)
        return fail(s, rc);
    return exec_stmt(s, st);
}

static int account_create_body(store *s, void *arg)
{
    const create_op *op = arg;
    account a = {0};
    int64_t id = 0;
    int rc = account_find(s, op->handle, &a);

    if (rc == 0)
        return STORE_E_EXISTS;
    if (rc != STORE_E_NOTFOUND)
        return rc;
    if ((rc = account_insert(s, op, &id)) != 0)
        return rc;
    return group_insert(s, id, 0, op->group0_name);
}

int store_account_create(store *s, const char *handle, const char *pw_hash,
                         const char *friendly_name, const char *group0_name)
{
    create_op op = {handle, pw_hash, friendly_name, group0_name};

    if (s == NULL || !handle_ok(handle) || pw_hash == NULL || group0_name == NULL)
        return STORE_E_INVALID;
    return run_write(s, account_create_body, &op);
}

typedef struct account_op {
    const char *handle;
    const char *text; /* password hash, friendly name, ... */
    char **out;       /* malloc'd text result */
    bool *flag;       /* boolean result */
    store_result res;
} account_op;

static int set_password_body(store *s, void *arg)
{
    account_op *op = arg;
    sqlite3_stmt *st = NULL;
    account a = {0};
    int rc;

    if ((rc = account_find(s, op->handle, &a)) != 0)
        return rc;
    st = stmt(s, ST_ACCOUNT_SET_PW);
    if ((rc = sqlite3_bind_int64(st, 1, a.id)) != SQLITE_OK ||
        (rc = bind_text(st, 2, op->text)) != SQLITE_OK)
        return fail(s, rc);
    return exec_stmt(s, st);
}

int store_account_set_password(store *s, const char *handle, const char *pw_hash)
{
    account_op op = {.handle = handle, .text = pw_hash};

    if (s == NULL || !handle_ok(handle) || pw_hash == NULL)
        return STORE_E_INVALID;
    return run_write(s, set_password_body, &op);
}

/* Deleting the account row cascades to its own lists, groups, properties
 * and to its entries on other accounts' lists; those accounts get their
 * version bump first. */
static int account_delete_body(store *s, void *arg)
{
    account_op *op = arg;
    peer_set peers = {0};
    sqlite3_stmt *st = NULL;
    account a = {0};
    int rc;

    if ((rc = account_find(s, op->handle, &a)) != 0)
        return rc;
    st = stmt(s, ST_ACCOUNTS_LISTING);
    if ((rc = sqlite3_bind_int64(st, 1, a.id)) != SQLITE_OK) {
        rc = fail(s, rc);
    } else if ((rc = peers_collect(s, st, &peers)) == 0 && (rc = peers_bump(s, &peers)) == 0) {
        st = stmt(s, ST_ACCOUNT_DELETE);
        if ((rc = sqlite3_bind_int64(st, 1, a.id)) != SQLITE_OK)
            rc = fail(s, rc);
        else
            rc = exec_stmt(s, st);
    }
    if (rc == 0)
        peers_move(&peers, &op->res);
    peers_free(&peers);
    return rc;
}

int store_account_delete(store *s, const char *handle, store_result *res)
{
    account_op op = {.handle = handle};

    result_clear(res);
    if (s == NULL || !handle_ok(handle))
        return STORE_E_INVALID;
    return deliver(run_write(s, account_delete_body, &op), &op.res, res);
}

typedef struct iterate_op {
    store_account_cb account_cb;
    store_app_cb app_cb;
    void *ud;
} iterate_op;

/* Calls back with the two text columns of every row of st. */
static int iterate_pairs(store *s, sqlite3_stmt *st, const iterate_op *op)
{
    int rc;
    while ((rc = step_row(s, st)) == 1) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *b = (const char *)sqlite3_column_text(st, 1);
        if (a == NULL || b == NULL)
            return fail_nomem(s);
        rc = op->account_cb ? op->account_cb(a, b, op->ud) : op->app_cb(a, b, op->ud);
        if (rc != 0)
            return rc;
    }
    return rc;
}

static int account_list_body(store *s, void *arg)
{
    return iterate_pairs(s, stmt(s, ST_ACCOUNT_LIST), arg);
}

int store_account_list(store *s, store_account_cb cb, void *ud)
{
    iterate_op op = {.account_cb = cb, .ud = ud};

    if (s == NULL || cb == NULL)
        return STORE_E_INVALID;
    return run_read(s, account_list_body, &op);
}

/* A lookup of one text column in the single row that statement `id`
 * finds for key (password hash by handle, application key by id). */
typedef struct text_lookup {
    enum stmt_id id;
    const char *key;
    char **out;
} text_lookup;

static int lookup_text_body(store *s, void *arg)
{
    text_lookup *op = arg;
    sqlite3_stmt *st = stmt(s, op->id);
    int rc;

    if ((rc = bind_text(st, 1, op->key)) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = step_row(s, st)) <= 0)
        return rc == 0 ? STORE_E_NOTFOUND : rc;
    return column_dup(s, st, 0, op->out);
}

/* *out malloc'd, or NULL with STORE_E_NOTFOUND / STORE_E_INVALID / an
 * engine error. */
static int lookup_text(store *s, enum stmt_id id, const char *key, char **out)
{
    text_lookup op = {id, key, out};
    int rc;

    if (out == NULL)
        return STORE_E_INVALID;
    *out = NULL;
    if (s == NULL || !handle_ok(key))
        return STORE_E_INVALID;
    rc = run_read(s, lookup_text_body, &op);
    if (rc != 0) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

int store_account_get_pwhash(store *s, const char *handle, char **hash)
{
    return lookup_text(s, ST_ACCOUNT_PWHASH, handle, hash);
}

static int exists_body(store *s, void *arg)
{
    account_op *op = arg;
    account a = {0};
    int rc = account_find(s, op->handle, &a);

    *op->flag = rc == 0;
    return rc == STORE_E_NOTFOUND ? 0 : rc;
}

int store_account_exists(store *s, const char *handle, bool *exists)
{
    account_op op = {.handle = handle, .flag = exists};

    if (s == NULL || !handle_ok(handle) || exists == NULL)
        return STORE_E_INVALID;
    *exists = false;
    return run_read(s, exists_body, &op);
}

/* ---------------------------------------------------------- contact rows */

/* The owner's bits for contact, 0 when there is no entry. */
static int contact_lists(store *s, int64_t owner, int64_t contact, unsigned *lists)
{
    sqlite3_stmt *st = stmt(s, ST_CONTACT_LISTS);
    int64_t v = 0;
    int rc;

    if ((rc = bind_ids(st, owner, contact)) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = query_int(s, st, 0, &v)) != 0)
        return rc;
    *lists = (unsigned)v & LIST_BITS_ALL;
    return 0;
}

/* Moves an entry from bits `from` to bits `to`, creating it when it had
 * none and deleting it when none remain (msnp.md 3.1 invariant 4). */
static int contact_write_lists(store *s, int64_t owner, int64_t contact, unsigned from,
                               unsigned to)
{
    enum stmt_id id = from == 0 ? ST_CONTACT_INSERT : to == 0 ? ST_CONTACT_DELETE
                                                               : ST_CONTACT_UPDATE;
    sqlite3_stmt *st = NULL;
    int rc;

    if (from == to)
        return 0;
    st = stmt(s, id);
    if ((rc = bind_ids(st, owner, contact)) != SQLITE_OK ||
        (id != ST_CONTACT_DELETE && (rc = sqlite3_bind_int(st, 3, (int)to)) != SQLITE_OK))
        return fail(s, rc);
    return exec_stmt(s, st);
}

/* Sets the stored name; NULL means the contact's handle. */
static int contact_set_name(store *s, int64_t owner, int64_t contact, const char *name)
{
    sqlite3_stmt *st = stmt(s, ST_CONTACT_SET_NAME);
    int rc;

    if ((rc = bind_ids(st, owner, contact)) != SQLITE_OK || (rc = bind_text(st, 3, name)) != SQLITE_OK)
        return fail(s, rc);
    return exec_stmt(s, st);
}

/* Number of the owner's entries carrying list bit `bit`. */
static int list_count(store *s, int64_t owner, unsigned bit, int64_t *count)
{
    sqlite3_stmt *st = stmt(s, ST_LIST_COUNT);
    int rc;

    if ((rc = bind_ids(st, owner, bit)) != SQLITE_OK)
        return fail(s, rc);
    return query_int(s, st, 0, count);
}

/* 210 when the owner's list `bit` already holds `limit` entries. */
static int check_room(store *s, int64_t owner, unsigned bit, unsigned limit)
{
    int64_t n = 0;
    int rc = list_count(s, owner, bit, &n);
    if (rc != 0)
        return rc;
    return n >= (int64_t)limit ? 210 : 0;
}

/* Runs a membership statement (insert/delete/has) on (owner, contact, gid). */
static int member_stmt(store *s, enum stmt_id id, int64_t owner, int64_t contact, int gid,
                       sqlite3_stmt **out)
{
    sqlite3_stmt *st = stmt(s, id);
    int rc;

    if ((rc = bind_ids(st, owner, contact)) != SQLITE_OK ||
        (rc = sqlite3_bind_int(st, 3, gid)) != SQLITE_OK)
        return fail(s, rc);
    *out = st;
    return 0;
}

static int member_change(store *s, enum stmt_id id, int64_t owner, int64_t contact, int gid)
{
    sqlite3_stmt *st = NULL;
    int rc = member_stmt(s, id, owner, contact, gid, &st);
    return rc != 0 ? rc : exec_stmt(s, st);
}

static int member_has(store *s, int64_t owner, int64_t contact, int gid, bool *has)
{
    sqlite3_stmt *st = NULL;
    int64_t v = 0;
    int rc = member_stmt(s, ST_MEMBER_HAS, owner, contact, gid, &st);

    if (rc == 0 && (rc = query_int(s, st, 0, &v)) == 0)
        *has = v != 0;
    return rc;
}

static int member_count(store *s, int64_t owner, int64_t contact, int64_t *count)
{
    sqlite3_stmt *st = stmt(s, ST_MEMBER_COUNT);
    int rc;

    if ((rc = bind_ids(st, owner, contact)) != SQLITE_OK)
        return fail(s, rc);
    return query_int(s, st, 0, count);
}

static int group_exists(store *s, int64_t owner, int gid, bool *exists)
{
    sqlite3_stmt *st = stmt(s, ST_GROUP_EXISTS);
    int64_t v = 0;
    int rc;

    if ((rc = bind_ids(st, owner, gid)) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = query_int(s, st, 0, &v)) == 0)
        *exists = v != 0;
    return rc;
}

/* Adds or removes `owner` on contact's RL (invariant 2) and bumps the
 * contact's version. */
static int rl_mirror(store *s, int64_t owner, int64_t contact, bool add, uint32_t *version)
{
    unsigned lists = 0;
    int rc = contact_lists(s, contact, owner, &lists);

    if (rc == 0) {
        unsigned to = add ? (lists | MSNP_LIST_RL) : (lists & ~(unsigned)MSNP_LIST_RL);
        rc = contact_write_lists(s, contact, owner, lists, to);
    }
    return rc != 0 ? rc : version_bump(s, contact, version);
}

/* Takes contact off owner's FL entirely: memberships, the FL bit, and the
 * mirrored RL entry (bumping the contact). The owner's own bump is the
 * caller's. AL/BL stay (msnp.md 3.7). */
static int fl_unlink(store *s, int64_t owner, int64_t contact, uint32_t *peer_version)
{
    sqlite3_stmt *st = stmt(s, ST_MEMBER_DELETE_ALL);
    unsigned lists = 0;
    int rc;

    if ((rc = bind_ids(st, owner, contact)) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = exec_stmt(s, st)) != 0 || (rc = contact_lists(s, owner, contact, &lists)) != 0)
        return rc;
    rc = contact_write_lists(s, owner, contact, lists, lists & ~(unsigned)MSNP_LIST_FL);
    return rc != 0 ? rc : rl_mirror(s, owner, contact, false, peer_version);
}

/* ------------------------------------------------------------ ADD / REM */

typedef struct list_op {
    const char *owner, *target, *name;
    int list_bit, gid;
    store_limits lim;
    store_result res;
} list_op;

/* Loads owner and target; a missing target is reported as `missing`. */
static int find_pair(store *s, const list_op *op, account *o, account *t, int missing)
{
    int rc = account_find(s, op->owner, o);
    if (rc != 0)
        return rc;
    rc = account_find(s, op->target, t);
    return rc == STORE_E_NOTFOUND ? missing : rc;
}

/* ADD FL to a contact already on FL: one more group. */
static int fl_add_group(store *s, list_op *op, const account *o, const account *t, int gid)
{
    bool has = false;
    int rc = member_has(s, o->id, t->id, gid, &has);

    if (rc != 0)
        return rc;
    if (has)
        return 215;
    if ((rc = member_change(s, ST_MEMBER_INSERT, o->id, t->id, gid)) != 0 ||
        (rc = contact_set_name(s, o->id, t->id, op->name)) != 0)
        return rc;
    return version_bump(s, o->id, &op->res.version);
}

static int fl_add(store *s, list_op *op, const account *o, const account *t, unsigned lists)
{
    int gid = op->gid < 0 ? 0 : op->gid;
    bool exists = false;
    int rc;

    if ((rc = group_exists(s, o->id, gid, &exists)) != 0)
        return rc;
    if (!exists)
        return 224;
    if (lists & MSNP_LIST_FL)
        return fl_add_group(s, op, o, t, gid);
    if ((rc = check_room(s, o->id, MSNP_LIST_FL, op->lim.fl)) != 0 ||
        (rc = check_room(s, t->id, MSNP_LIST_RL, op->lim.rl)) != 0)
        return rc;
    if ((rc = contact_write_lists(s, o->id, t->id, lists, lists | MSNP_LIST_FL)) != 0 ||
        (rc = member_change(s, ST_MEMBER_INSERT, o->id, t->id, gid)) != 0 ||
        (rc = contact_set_name(s, o->id, t->id, op->name)) != 0 ||
        (rc = version_bump(s, o->id, &op->res.version)) != 0 ||
        (rc = rl_mirror(s, o->id, t->id, true, &op->res.peer_version)) != 0)
        return rc;
    op->res.peer_changed = true;
    return 0;
}

static int al_bl_add(store *s, list_op *op, const account *o, const account *t, unsigned lists)
{
    unsigned bit = (unsigned)op->list_bit;
    unsigned other = bit == MSNP_LIST_AL ? MSNP_LIST_BL : MSNP_LIST_AL;
    unsigned limit = bit == MSNP_LIST_AL ? op->lim.al : op->lim.bl;
    int rc;

    if (lists & bit)
        return 215;
    if (lists & other)
        return 219;
    if ((rc = check_room(s, o->id, bit, limit)) != 0 ||
        (rc = contact_write_lists(s, o->id, t->id, lists, lists | bit)) != 0 ||
        (rc = contact_set_name(s, o->id, t->id, op->name)) != 0)
        return rc;
    return version_bump(s, o->id, &op->res.version);
}

static int list_add_body(store *s, void *arg)
{
    list_op *op = arg;
    account o = {0}, t = {0};
    unsigned lists = 0;
    int rc;

    if ((rc = find_pair(s, op, &o, &t, 205)) != 0 ||
        (rc = contact_lists(s, o.id, t.id, &lists)) != 0)
        return rc;
    if (op->list_bit == MSNP_LIST_FL)
        return fl_add(s, op, &o, &t, lists);
    return al_bl_add(s, op, &o, &t, lists);
}

static bool client_list_ok(int list_bit)
{
    return list_bit == MSNP_LIST_FL || list_bit == MSNP_LIST_AL || list_bit == MSNP_LIST_BL;
}

static bool gid_ok(int gid)
{
    return gid >= 0 && gid < STORE_MAX_GROUPS;
}

int store_list_add(store *s, const char *owner, int list_bit, const char *target,
                   const char *stored_name, int gid, const store_limits *lim,
                   store_result *res)
{
    list_op op = {.owner = owner, .target = target, .name = stored_name,
                  .list_bit = list_bit, .gid = gid,
                  .lim = lim != NULL ? *lim : STORE_LIMITS_DEFAULT};

    result_clear(res);
    if (s == NULL || !handle_ok(owner) || !handle_ok(target) || !client_list_ok(list_bit) ||
        (list_bit == MSNP_LIST_FL && gid != -1 && !gid_ok(gid)))
        return STORE_E_INVALID;
    return deliver(run_write(s, list_add_body, &op), &op.res, res);
}

/* fl_remove_group()'s answer when the group is the contact's last one. */
#define LAST_GROUP 1

/* REM FL handle gid: drop one membership; or, when it is the last one,
 * return LAST_GROUP so the caller removes the whole FL entry (msnp.md 3.1
 * invariant 3). Otherwise 0, 225 or a negative code. */
static int fl_remove_group(store *s, list_op *op, const account *o, const account *t)
{
    bool has = false;
    int64_t n = 0;
    int rc = member_has(s, o->id, t->id, op->gid, &has);

    if (rc != 0)
        return rc;
    if (!has)
        return 225;
    if ((rc = member_count(s, o->id, t->id, &n)) != 0)
        return rc;
    if (n <= 1)
        return LAST_GROUP;
    if ((rc = member_change(s, ST_MEMBER_DELETE, o->id, t->id, op->gid)) != 0)
        return rc;
    return version_bump(s, o->id, &op->res.version);
}

static int fl_remove(store *s, list_op *op, const account *o, const account *t, unsigned lists)
{
    int rc;

    if (op->gid >= 0) {
        bool exists = false;
        if ((rc = group_exists(s, o->id, op->gid, &exists)) != 0)
            return rc;
        if (!exists)
            return 224;
    }
    if (!(lists & MSNP_LIST_FL))
        return 216;
    if (op->gid >= 0 && (rc = fl_remove_group(s, op, o, t)) != LAST_GROUP)
        return rc;
    if ((rc = version_bump(s, o->id, &op->res.version)) != 0 ||
        (rc = fl_unlink(s, o->id, t->id, &op->res.peer_version)) != 0)
        return rc;
    op->res.removed_from_fl = true;
    op->res.peer_changed = true;
    return 0;
}

static int list_remove_body(store *s, void *arg)
{
    list_op *op = arg;
    unsigned bit = (unsigned)op->list_bit;
    account o = {0}, t = {0};
    unsigned lists = 0;
    int rc;

    if ((rc = find_pair(s, op, &o, &t, 216)) != 0 ||
        (rc = contact_lists(s, o.id, t.id, &lists)) != 0)
        return rc;
    if (bit == MSNP_LIST_FL)
        return fl_remove(s, op, &o, &t, lists);
    if (!(lists & bit))
        return 216;
    if ((rc = contact_write_lists(s, o.id, t.id, lists, lists & ~bit)) != 0)
        return rc;
    return version_bump(s, o.id, &op->res.version);
}

int store_list_remove(store *s, const char *owner, int list_bit, const char *target,
                      int gid, store_result *res)
{
    list_op op = {.owner = owner, .target = target, .list_bit = list_bit,
                  .gid = list_bit == MSNP_LIST_FL ? gid : -1};

    result_clear(res);
    if (s == NULL || !handle_ok(owner) || !handle_ok(target) || !client_list_ok(list_bit) ||
        (list_bit == MSNP_LIST_FL && gid != -1 && !gid_ok(gid)))
        return STORE_E_INVALID;
    return deliver(run_write(s, list_remove_body, &op), &op.res, res);
}

static int set_stored_name_body(store *s, void *arg)
{
    list_op *op = arg;
    account o = {0}, t = {0};
    unsigned lists = 0;
    int rc;

    if ((rc = find_pair(s, op, &o, &t, 216)) != 0 ||
        (rc = contact_lists(s, o.id, t.id, &lists)) != 0)
        return rc;
    if (lists == 0)
        return 216;
    if ((rc = contact_set_name(s, o.id, t.id, op->name)) != 0)
        return rc;
    return version_bump(s, o.id, &op->res.version);
}

int store_set_stored_name(store *s, const char *owner, const char *contact,
                          const char *name, store_result *res)
{
    list_op op = {.owner = owner, .target = contact, .name = name};

    result_clear(res);
    if (s == NULL || !handle_ok(owner) || !handle_ok(contact))
        return STORE_E_INVALID;
    return deliver(run_write(s, set_stored_name_body, &op), &op.res, res);
}

/* --------------------------------------------------------------- groups */

typedef struct group_op {
    const char *owner, *name;
    int gid;
    store_result res;
} group_op;

/* Lowest gid in 1..29 not in use, or 223 when all 30 exist. */
static int group_free_id(store *s, int64_t owner, int *gid)
{
    sqlite3_stmt *st = stmt(s, ST_GROUP_IDS);
    int want = 1, rc; /* group 0 always exists and is never handed out */

    if ((rc = sqlite3_bind_int64(st, 1, owner)) != SQLITE_OK)
        return fail(s, rc);
    /* The ids come sorted: walk them until the first gap at or after 1. */
    while ((rc = step_row(s, st)) == 1) {
        int id = sqlite3_column_int(st, 0);
        if (id > want)
            break;
        if (id == want)
            want++;
    }
    sqlite3_reset(st);
    if (rc < 0)
        return rc;
    if (want >= STORE_MAX_GROUPS)
        return 223;
    *gid = want;
    return 0;
}

static int group_add_body(store *s, void *arg)
{
    group_op *op = arg;
    account o = {0};
    int rc;

    if ((rc = account_find(s, op->owner, &o)) != 0 ||
        (rc = group_free_id(s, o.id, &op->gid)) != 0 ||
        (rc = group_insert(s, o.id, op->gid, op->name)) != 0)
        return rc;
    return version_bump(s, o.id, &op->res.version);
}

int store_group_add(store *s, const char *owner, const char *name, store_result *res,
                    int *gid)
{
    group_op op = {.owner = owner, .name = name, .gid = -1};
    int rc;

    result_clear(res);
    if (s == NULL || !handle_ok(owner) || name == NULL || gid == NULL)
        return STORE_E_INVALID;
    rc = deliver(run_write(s, group_add_body, &op), &op.res, res);
    *gid = rc == 0 ? op.gid : -1;
    return rc;
}

/* Existing group of the owner, or 224. */
static int find_group(store *s, group_op *op, account *o)
{
    bool exists = false;
    int rc = account_find(s, op->owner, o);

    if (rc == 0 && (rc = group_exists(s, o->id, op->gid, &exists)) == 0 && !exists)
        rc = 224;
    return rc;
}

/* RMG: the contacts left without a group leave FL (invariant 3). */
static int group_remove_body(store *s, void *arg)
{
    group_op *op = arg;
    peer_set orphans = {0};
    sqlite3_stmt *st = NULL;
    account o = {0};
    size_t i;
    int rc;

    if (op->gid == 0)
        return 230;
    if ((rc = find_group(s, op, &o)) != 0 || (rc = version_bump(s, o.id, &op->res.version)) != 0)
        return rc;
    st = stmt(s, ST_GROUP_ORPHANS);
    if ((rc = bind_ids(st, o.id, op->gid)) != SQLITE_OK)
        return fail(s, rc);
    rc = peers_collect(s, st, &orphans);
    for (i = 0; rc == 0 && i < orphans.n; i++)
        rc = fl_unlink(s, o.id, orphans.ids[i], &orphans.v[i].version);
    if (rc == 0) {
        st = stmt(s, ST_GROUP_DELETE);
        rc = bind_ids(st, o.id, op->gid);
        rc = rc != SQLITE_OK ? fail(s, rc) : exec_stmt(s, st);
    }
    if (rc == 0)
        peers_move(&orphans, &op->res);
    peers_free(&orphans);
    return rc;
}

int store_group_remove(store *s, const char *owner, int gid, store_result *res)
{
    group_op op = {.owner = owner, .gid = gid};

    result_clear(res);
    if (s == NULL || !handle_ok(owner) || !gid_ok(gid))
        return STORE_E_INVALID;
    return deliver(run_write(s, group_remove_body, &op), &op.res, res);
}

static int group_rename_body(store *s, void *arg)
{
    group_op *op = arg;
    sqlite3_stmt *st = NULL;
    account o = {0};
    int rc;

    if ((rc = find_group(s, op, &o)) != 0)
        return rc;
    st = stmt(s, ST_GROUP_RENAME);
    if ((rc = bind_ids(st, o.id, op->gid)) != SQLITE_OK || (rc = bind_text(st, 3, op->name)) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = exec_stmt(s, st)) != 0)
        return rc;
    return version_bump(s, o.id, &op->res.version);
}

int store_group_rename(store *s, const char *owner, int gid, const char *name,
                       store_result *res)
{
    group_op op = {.owner = owner, .name = name, .gid = gid};

    result_clear(res);
    if (s == NULL || !handle_ok(owner) || !gid_ok(gid) || name == NULL)
        return STORE_E_INVALID;
    return deliver(run_write(s, group_rename_body, &op), &op.res, res);
}

/* ------------------------------------------------------- own properties */

static const char *const prop_names[STORE_PROP_COUNT] = {"PHH", "PHW", "PHM",
                                                          "MOB", "MBE", "WWE"};

const char *store_prop_name(store_prop p)
{
    return (unsigned)p < STORE_PROP_COUNT ? prop_names[p] : NULL;
}

bool store_prop_parse(const char *name, store_prop *out)
{
    int i;
    for (i = 0; name != NULL && i < STORE_PROP_COUNT; i++) {
        if (strcmp(name, prop_names[i]) == 0) {
            *out = (store_prop)i;
            return true;
        }
    }
    return false;
}

const char *store_blp_name(store_blp b)
{
    return b == STORE_BLP_AL ? "AL" : b == STORE_BLP_BL ? "BL" : NULL;
}

typedef struct setting_op {
    const char *owner;
    enum stmt_id update;  /* ST_SET_GTC / ST_SET_BLP / ST_SET_FRIENDLY_NAME */
    const char *value;
    bool unchanged;       /* the current value equals `value` (-> 218) */
    store_prop prop;
    store_result res;
} setting_op;

/* Writes one column of the owner's account row and bumps the version. */
static int set_account_column(store *s, setting_op *op, int64_t id)
{
    sqlite3_stmt *st = stmt(s, op->update);
    int rc;

    if ((rc = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK || (rc = bind_text(st, 2, op->value)) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = exec_stmt(s, st)) != 0)
        return rc;
    return version_bump(s, id, &op->res.version);
}

static int set_gtc_body(store *s, void *arg)
{
    setting_op *op = arg;
    account o = {0};
    int rc = account_find(s, op->owner, &o);

    if (rc != 0)
        return rc;
    if (o.gtc == op->value[0])
        return 218;
    return set_account_column(s, op, o.id);
}

int store_set_gtc(store *s, const char *owner, char gtc, store_result *res)
{
    setting_op op = {.owner = owner, .update = ST_SET_GTC, .value = gtc == 'N' ? "N" : "A"};

    result_clear(res);
    if (s == NULL || !handle_ok(owner) || (gtc != 'A' && gtc != 'N'))
        return STORE_E_INVALID;
    return deliver(run_write(s, set_gtc_body, &op), &op.res, res);
}

static int set_blp_body(store *s, void *arg)
{
    setting_op *op = arg;
    account o = {0};
    int rc = account_find(s, op->owner, &o);

    if (rc != 0)
        return rc;
    if (strcmp(store_blp_name(o.blp), op->value) == 0)
        return 218;
    return set_account_column(s, op, o.id);
}

int store_set_blp(store *s, const char *owner, store_blp blp, store_result *res)
{
    setting_op op = {.owner = owner, .update = ST_SET_BLP, .value = store_blp_name(blp)};

    result_clear(res);
    if (s == NULL || !handle_ok(owner) || op.value == NULL)
        return STORE_E_INVALID;
    return deliver(run_write(s, set_blp_body, &op), &op.res, res);
}

static int set_friendly_name_body(store *s, void *arg)
{
    setting_op *op = arg;
    account o = {0};
    int rc = account_find(s, op->owner, &o);
    return rc != 0 ? rc : set_account_column(s, op, o.id);
}

int store_set_friendly_name(store *s, const char *owner, const char *name,
                            store_result *res)
{
    setting_op op = {.owner = owner, .update = ST_SET_FRIENDLY_NAME, .value = name};

    result_clear(res);
    if (s == NULL || !handle_ok(owner) || name == NULL)
        return STORE_E_INVALID;
    return deliver(run_write(s, set_friendly_name_body, &op), &op.res, res);
}

/* Bumps every watcher the owner allows (they hold the owner's BPR data). */
static int bump_watchers(store *s, const account *o, store_result *res)
{
    sqlite3_stmt *st = stmt(s, ST_WATCHERS);
    peer_set watchers = {0};
    int rc;

    if ((rc = sqlite3_bind_int64(st, 1, o->id)) != SQLITE_OK ||
        (rc = bind_text(st, 2, store_blp_name(o->blp))) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = peers_collect(s, st, &watchers)) == 0 && (rc = peers_bump(s, &watchers)) == 0)
        peers_move(&watchers, res);
    peers_free(&watchers);
    return rc;
}

static int set_prop_body(store *s, void *arg)
{
    setting_op *op = arg;
    sqlite3_stmt *st = NULL;
    account o = {0};
    int rc;

    if ((rc = account_find(s, op->owner, &o)) != 0)
        return rc;
    st = stmt(s, op->value != NULL ? ST_PROP_SET : ST_PROP_CLEAR);
    if ((rc = sqlite3_bind_int64(st, 1, o.id)) != SQLITE_OK ||
        (rc = bind_text(st, 2, store_prop_name(op->prop))) != SQLITE_OK ||
        (op->value != NULL && (rc = bind_text(st, 3, op->value)) != SQLITE_OK))
        return fail(s, rc);
    if ((rc = exec_stmt(s, st)) != 0 || (rc = version_bump(s, o.id, &op->res.version)) != 0)
        return rc;
    if (op->prop == STORE_PROP_MBE)
        return 0; /* never published as BPR */
    return bump_watchers(s, &o, &op->res);
}

int store_set_prop(store *s, const char *owner, store_prop type, const char *value,
                   store_result *res)
{
    setting_op op = {.owner = owner, .value = value, .prop = type};

    result_clear(res);
    if (s == NULL || !handle_ok(owner) || store_prop_name(type) == NULL)
        return STORE_E_INVALID;
    return deliver(run_write(s, set_prop_body, &op), &op.res, res);
}

/* ------------------------------------------------------------- snapshot */

void store_user_free(store_user *u)
{
    size_t i;
    int p;

    if (u == NULL)
        return;
    free(u->handle);
    free(u->friendly_name);
    for (p = 0; p < STORE_PROP_COUNT; p++)
        free(u->props[p]);
    for (i = 0; i < u->ngroups; i++)
        free(u->groups[i].name);
    free(u->groups);
    for (i = 0; i < u->ncontacts; i++) {
        store_contact *c = &u->contacts[i];
        free(c->handle);
        free(c->friendly_name);
        free(c->stored_name);
        for (p = 0; p < STORE_PROP_COUNT; p++)
            free(c->props[p]);
    }
    free(u->contacts);
    free(u);
}

/* Compares a stored (lower-case) handle with a query of any case, in the
 * byte order SQLite's ORDER BY uses. */
static int handle_cmp(const char *query, const char *stored)
{
    const unsigned char *a = (const unsigned char *)query, *b = (const unsigned char *)stored;
    for (;; a++, b++) {
        unsigned ca = (*a >= 'A' && *a <= 'Z') ? (unsigned)(*a - 'A' + 'a') : *a;
        if (ca != *b || ca == 0)
            return (int)ca - (int)*b;
    }
}

const store_contact *store_user_find_contact(const store_user *u, const char *handle)
{
    size_t lo = 0, hi;

    if (u == NULL || handle == NULL)
        return NULL;
    hi = u->ncontacts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = handle_cmp(handle, u->contacts[mid].handle);
        if (c == 0)
            return &u->contacts[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

typedef struct load_op {
    const char *handle;
    store_user *u;
    int64_t *ids; /* contact account ids, parallel to u->contacts */
} load_op;

/* Reads an account's properties into props[], skipping MBE when
 * `published` (it is never sent as BPR) and unknown types always. */
static int load_props(store *s, int64_t id, bool published, char *props[STORE_PROP_COUNT])
{
    sqlite3_stmt *st = stmt(s, ST_PROPS_OF);
    store_prop p = STORE_PROP_PHH;
    int rc;

    if ((rc = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK)
        return fail(s, rc);
    while ((rc = step_row(s, st)) == 1) {
        if (!store_prop_parse((const char *)sqlite3_column_text(st, 0), &p) ||
            (published && p == STORE_PROP_MBE) || props[p] != NULL)
            continue;
        if ((rc = column_dup(s, st, 1, &props[p])) != 0)
            return rc;
    }
    return rc;
}

static int load_account_row(store *s, int64_t id, store_user *u)
{
    sqlite3_stmt *st = stmt(s, ST_ACCOUNT_ROW);
    const unsigned char *gtc, *blp;
    int rc;

    if ((rc = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = step_row(s, st)) <= 0)
        return rc == 0 ? STORE_E_NOTFOUND : rc;
    if ((rc = column_dup(s, st, 0, &u->handle)) != 0 ||
        (rc = column_dup(s, st, 1, &u->friendly_name)) != 0)
        return rc;
    u->puid = (uint64_t)sqlite3_column_int64(st, 2);
    u->list_version = (uint32_t)sqlite3_column_int64(st, 3);
    gtc = sqlite3_column_text(st, 4);
    blp = sqlite3_column_text(st, 5);
    u->gtc = gtc != NULL && gtc[0] == 'N' ? 'N' : 'A';
    u->blp = blp != NULL && strcmp((const char *)blp, "BL") == 0 ? STORE_BLP_BL : STORE_BLP_AL;
    return 0;
}

static int load_groups(store *s, int64_t id, store_user *u)
{
    sqlite3_stmt *st = stmt(s, ST_GROUPS_OF);
    int rc;

    if ((rc = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK)
        return fail(s, rc);
    u->groups = calloc(STORE_MAX_GROUPS, sizeof *u->groups);
    if (u->groups == NULL)
        return fail_nomem(s);
    while ((rc = step_row(s, st)) == 1 && u->ngroups < STORE_MAX_GROUPS) {
        store_group *g = &u->groups[u->ngroups];
        g->gid = sqlite3_column_int(st, 0);
        if ((rc = column_dup(s, st, 1, &g->name)) != 0)
            return rc;
        u->ngroups++;
    }
    return rc < 0 ? rc : 0;
}

/* Room for one more contact in the snapshot. */
static int contacts_grow(store *s, load_op *op, size_t *cap)
{
    store_user *u = op->u;
    size_t ncap;
    store_contact *c;
    int64_t *ids;

    if (u->ncontacts < *cap)
        return 0;
    ncap = *cap ? *cap * 2 : 16;
    c = realloc(u->contacts, ncap * sizeof *c);
    if (c == NULL)
        return fail_nomem(s);
    u->contacts = c;
    ids = realloc(op->ids, ncap * sizeof *ids);
    if (ids == NULL)
        return fail_nomem(s);
    op->ids = ids;
    *cap = ncap;
    return 0;
}

/* The contact entries themselves, in handle order. */
static int load_contact_rows(store *s, int64_t id, load_op *op)
{
    sqlite3_stmt *st = stmt(s, ST_CONTACTS_OF);
    store_user *u = op->u;
    size_t cap = 0;
    int rc;

    if ((rc = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK)
        return fail(s, rc);
    while ((rc = step_row(s, st)) == 1) {
        store_contact *c;
        if ((rc = contacts_grow(s, op, &cap)) != 0)
            return rc;
        c = &u->contacts[u->ncontacts];
        memset(c, 0, sizeof *c);
        op->ids[u->ncontacts] = sqlite3_column_int64(st, 0);
        u->ncontacts++; /* counted now so store_user_free sees partial rows */
        c->lists = (unsigned)sqlite3_column_int(st, 4) & LIST_BITS_ALL;
        c->allows_owner = sqlite3_column_int(st, 5) != 0;
        if ((rc = column_dup(s, st, 1, &c->handle)) != 0 ||
            (rc = column_dup(s, st, 2, &c->friendly_name)) != 0 ||
            (rc = column_dup(s, st, 3, &c->stored_name)) != 0)
            return rc;
    }
    return rc;
}

static int load_contact_gids(store *s, int64_t owner, int64_t contact, store_contact *c)
{
    sqlite3_stmt *st = stmt(s, ST_MEMBER_GIDS);
    int rc;

    if ((rc = bind_ids(st, owner, contact)) != SQLITE_OK)
        return fail(s, rc);
    while ((rc = step_row(s, st)) == 1) {
        int gid = sqlite3_column_int(st, 0);
        if (gid >= 0 && gid < STORE_MAX_GROUPS)
            c->groups |= 1u << gid;
    }
    return rc < 0 ? rc : 0;
}

/* Groups and published properties of each contact. */
static int load_contact_details(store *s, int64_t owner, load_op *op)
{
    size_t i;
    int rc;

    for (i = 0; i < op->u->ncontacts; i++) {
        store_contact *c = &op->u->contacts[i];
        if (!(c->lists & MSNP_LIST_FL))
            continue;
        if ((rc = load_contact_gids(s, owner, op->ids[i], c)) != 0)
            return rc;
        if (c->allows_owner && (rc = load_props(s, op->ids[i], true, c->props)) != 0)
            return rc;
    }
    return 0;
}

static int load_user_body(store *s, void *arg)
{
    load_op *op = arg;
    account a = {0};
    int rc;

    if ((rc = account_find(s, op->handle, &a)) != 0)
        return rc;
    op->u = calloc(1, sizeof *op->u);
    if (op->u == NULL)
        return fail_nomem(s);
    if ((rc = load_account_row(s, a.id, op->u)) != 0 ||
        (rc = load_props(s, a.id, false, op->u->props)) != 0 ||
        (rc = load_groups(s, a.id, op->u)) != 0 ||
        (rc = load_contact_rows(s, a.id, op)) != 0)
        return rc;
    return load_contact_details(s, a.id, op);
}

int store_load_user(store *s, const char *handle, store_user **out)
{
    load_op op = {.handle = handle};
    int rc;

    if (out == NULL)
        return STORE_E_INVALID;
    *out = NULL;
    if (s == NULL || !handle_ok(handle))
        return STORE_E_INVALID;
    rc = run_read(s, load_user_body, &op);
    free(op.ids);
    if (rc != 0) {
        store_user_free(op.u);
        return rc;
    }
    *out = op.u;
    return 0;
}

typedef struct privacy_op {
    const char *owner, *viewer;
    bool *allows;
} privacy_op;

static int privacy_body(store *s, void *arg)
{
    privacy_op *op = arg;
    sqlite3_stmt *st = stmt(s, ST_PRIVACY);
    int rc;

    if ((rc = bind_text(st, 1, op->owner)) != SQLITE_OK || (rc = bind_text(st, 2, op->viewer)) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = step_row(s, st)) <= 0)
        return rc == 0 ? STORE_E_NOTFOUND : rc;
    *op->allows = sqlite3_column_int(st, 0) != 0;
    return 0;
}

int store_privacy_allows(store *s, const char *owner, const char *viewer, bool *allows)
{
    privacy_op op = {owner, viewer, allows};

    if (s == NULL || !handle_ok(owner) || !handle_ok(viewer) || allows == NULL)
        return STORE_E_INVALID;
    *allows = false;
    return run_read(s, privacy_body, &op);
}

/* ---------------------------------------------------------- Lock and Key */

typedef struct app_op {
    const char *id, *key;
    char **out;
} app_op;

static int app_set_body(store *s, void *arg)
{
    app_op *op = arg;
    sqlite3_stmt *st = stmt(s, ST_APP_SET);
    int rc;

    if ((rc = bind_text(st, 1, op->id)) != SQLITE_OK || (rc = bind_text(st, 2, op->key)) != SQLITE_OK)
        return fail(s, rc);
    return exec_stmt(s, st);
}

int store_app_set(store *s, const char *app_id, const char *key)
{
    app_op op = {app_id, key, NULL};

    if (s == NULL || !handle_ok(app_id) || key == NULL)
        return STORE_E_INVALID;
    return run_write(s, app_set_body, &op);
}

static int app_delete_body(store *s, void *arg)
{
    app_op *op = arg;
    sqlite3_stmt *st = stmt(s, ST_APP_DELETE);
    int rc;

    if ((rc = bind_text(st, 1, op->id)) != SQLITE_OK)
        return fail(s, rc);
    if ((rc = exec_stmt(s, st)) != 0)
        return rc;
    return sqlite3_changes(s->db) > 0 ? 0 : STORE_E_NOTFOUND;
}

int store_app_delete(store *s, const char *app_id)
{
    app_op op = {app_id, NULL, NULL};

    if (s == NULL || !handle_ok(app_id))
        return STORE_E_INVALID;
    return run_write(s, app_delete_body, &op);
}

int store_app_get_key(store *s, const char *app_id, char **key)
{
    return lookup_text(s, ST_APP_GET, app_id, key);
}

static int app_list_body(store *s, void *arg)
{
    return iterate_pairs(s, stmt(s, ST_APP_LIST), arg);
}

int store_app_list(store *s, store_app_cb cb, void *ud)
{
    iterate_op op = {.app_cb = cb, .ud = ud};

    if (s == NULL || cb == NULL)
        return STORE_E_INVALID;
    return run_read(s, app_list_body, &op);
}

/* ------------------------------------------------------------ open/close */

/* Runs a PRAGMA outside any transaction and checks a one-word answer
 * (journal_mode answers with the mode it actually got). */
static int pragma(sqlite3 *db, const char *sql, const char *expect, char **errmsg)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && expect != NULL &&
            sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), expect) != 0) {
            set_open_error(errmsg, sqlite3_mprintf("%s: got %s", sql,
                                                   (const char *)sqlite3_column_text(st, 0)));
            sqlite3_finalize(st);
            return STORE_E_IO;
        }
        if (rc == SQLITE_ROW || rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK)
        set_open_error(errmsg, sqlite3_mprintf("%s: %s", sql, sqlite3_errmsg(db)));
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : store_sqlite_error(rc);
}

/* Connection settings every handle needs before touching data. */
static int configure(store *s, const store_options *opt, char **errmsg)
{
    unsigned timeout = opt != NULL && opt->busy_timeout_ms ? opt->busy_timeout_ms
                                                           : DEFAULT_BUSY_TIMEOUT_MS;
    bool normal = opt != NULL && opt->sync == STORE_SYNC_NORMAL;
    int rc;

    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, timeout > INT_MAX ? INT_MAX : (int)timeout);
    rc = sqlite3_create_function(s->db, "msgr_lower", 1,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                 sql_lower_ascii, NULL, NULL);
    if (rc != SQLITE_OK) {
        set_open_error(errmsg, sqlite3_mprintf("registering msgr_lower: %s", sqlite3_errmsg(s->db)));
        return store_sqlite_error(rc);
    }
    if ((rc = pragma(s->db, "PRAGMA journal_mode = WAL", "wal", errmsg)) != 0 ||
        (rc = pragma(s->db, "PRAGMA foreign_keys = ON", NULL, errmsg)) != 0 ||
        (rc = pragma(s->db, normal ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL",
                     NULL, errmsg)) != 0)
        return rc;
    return 0;
}

static int prepare_all(store *s, char **errmsg)
{
    size_t i;

    for (i = 0; i < ST_COUNT; i++) {
        int rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL);
        if (rc != SQLITE_OK) {
            set_open_error(errmsg, sqlite3_mprintf("preparing \"%s\": %s", stmt_sql[i],
                                                   sqlite3_errmsg(s->db)));
            return store_sqlite_error(rc);
        }
    }
    return 0;
}

static int open_file(store *s, const char *data_dir, char **errmsg)
{
    char *path = sqlite3_mprintf("%s/%s", data_dir, STORE_FILE_NAME);
    int rc;

    if (path == NULL)
        return STORE_E_NOMEM;
    rc = sqlite3_open_v2(path, &s->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        set_open_error(errmsg, sqlite3_mprintf("cannot open %s: %s", path,
                                               s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc)));
        rc = store_sqlite_error(rc);
    }
    sqlite3_free(path);
    return rc;
}

int store_open(const char *data_dir, const store_options *opt, store **out, char **errmsg)
{
    store *s;
    int rc;

    if (errmsg != NULL)
        *errmsg = NULL;
    if (out == NULL)
        return STORE_E_INVALID;
    *out = NULL;
    if (data_dir == NULL) {
        set_open_error(errmsg, sqlite3_mprintf("no data directory given"));
        return STORE_E_INVALID;
    }
    if (sodium_init() < 0) {
        set_open_error(errmsg, sqlite3_mprintf("libsodium failed to initialise"));
        return STORE_E_IO;
    }
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return STORE_E_NOMEM;
    if ((rc = open_file(s, data_dir, errmsg)) != 0 || (rc = configure(s, opt, errmsg)) != 0 ||
        (rc = store_schema_migrate(s->db, errmsg)) != 0 || (rc = prepare_all(s, errmsg)) != 0) {
        store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void store_close(store *s)
{
    size_t i;

    if (s == NULL)
        return;
    for (i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s);
}
