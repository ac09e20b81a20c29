/*
 * lock.c - IMsgrLock: the Lock and Key state machine of one locked object
 * (state table of api-scope.md 6.1) and the session's LKS / LKC / LKR
 * traffic (docs/protocol.md "Extension: Lock and Key").
 *
 * A lock belongs to a host object (MessengerPriv now, MsgrSessionManager
 * later). It knows nothing about the host's events: it reports through the
 * host's notify function, which queues the host's own events. The
 * messenger keeps an unreferenced list of live locks so that the session
 * (LKS answer, sign-out, pushed lines) can reach every one of them.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "msnp_challenge.h"
#include "msnp_write.h"

/* Longest challenge accepted from the service: msgrd sends 20 digits; a
 * longer token cannot be a challenge of ours and would only bloat LKR. */
#define MAX_CHALLENGE 64

/* ---- the messenger's list of locks ---------------------------------------- */

static bool locks_add(msgr_messenger *m, msgr_lock *l)
{
    if (m->nlocks == m->caplocks) {
        size_t cap = m->caplocks ? m->caplocks * 2 : 4;
        msgr_lock **a = realloc(m->locks, cap * sizeof *a);
        if (!a)
            return false;
        m->locks = a;
        m->caplocks = cap;
    }
    m->locks[m->nlocks++] = l;
    return true;
}

static void locks_remove(msgr_messenger *m, msgr_lock *l)
{
    for (size_t i = 0; i < m->nlocks; i++) {
        if (m->locks[i] == l) {
            memmove(&m->locks[i], &m->locks[i + 1],
                    (m->nlocks - i - 1) * sizeof m->locks[0]);
            m->nlocks--;
            return;
        }
    }
}

/* ---- state ------------------------------------------------------------------ */

static void note(msgr_lock *l, lock_note what, int32_t cookie, bool flag,
                 const char *challenge)
{
    if (l->host && l->notify)
        l->notify(l->host, what, cookie, flag, challenge);
}

static void set_status(msgr_lock *l, LockStatus st)
{
    if (l->status == st)
        return;
    l->status = st;
    note(l, LOCK_NOTE_STATUS, 0, false, NULL);
}

/* Forgets the outstanding transaction (cookie, challenge, response). */
static void clear_transaction(msgr_lock *l)
{
    free(l->challenge);
    l->challenge = NULL;
    l->cookie = 0;
    l->response_sent = false;
}

bool lock_usable(const msgr_lock *l)
{
    return l && (l->status == LOCK_UNLOCKED || l->status == LOCK_DISABLED);
}

/* The outcome of a transaction: final for this signed-in period. */
static void finish(msgr_lock *l, bool ok)
{
    if (l->status != LOCK_PENDINGRESULT)
        return; /* e.g. disabled meanwhile: nobody waits any more */
    int32_t cookie = l->cookie;
    clear_transaction(l);
    set_status(l, ok ? LOCK_UNLOCKED : LOCK_UNLOCKFAILED);
    note(l, LOCK_NOTE_RESULT, cookie, ok, NULL);
}

/* The session learnt whether Lock and Key is on: every lock hears it
 * (OnLockEnable on every sink, api-scope.md 6.3 step 8). */
static void apply_enable(msgr_messenger *m, bool on)
{
    m->lk_session = on ? LK_ON : LK_OFF;
    for (size_t i = 0; i < m->nlocks; i++) {
        msgr_lock *l = m->locks[i];
        if (!on) {
            clear_transaction(l);
            set_status(l, LOCK_DISABLED);
        } else if (l->status == LOCK_NOTINITIALIZED || l->status == LOCK_DISABLED) {
            clear_transaction(l);
            set_status(l, LOCK_INITIALIZED);
        }
        note(l, LOCK_NOTE_ENABLE, 0, on, NULL);
    }
}

/* ---- the session ------------------------------------------------------------- */

/* LKS once per signed-in period, and only when a lock exists: a messenger
 * without locked objects speaks plain MSNP8. */
static void send_lks(msgr_messenger *m)
{
    if (m->phase != PHASE_ONLINE || m->lk_session != LK_NONE)
        return;
    uint32_t t = ns_trid(&m->ns);
    if (session_send(m, msnp_write_cmd(&m->ns.out, "LKS", (int64_t)t,
                                       (const char *)NULL)) &&
        ns_track(&m->ns, t, REQ_LKS, NULL, NULL, 0, NULL) == 0)
        m->lk_session = LK_ASKED;
}

void lock_session_online(msgr_messenger *m)
{
    if (m->nlocks > 0)
        send_lks(m);
}

/* Sign-out (or a failed sign-in): every lock starts over (6.1 item 8). */
void lock_session_reset(msgr_messenger *m)
{
    m->lk_session = LK_NONE;
    for (size_t i = 0; i < m->nlocks; i++) {
        clear_transaction(m->locks[i]);
        set_status(m->locks[i], LOCK_NOTINITIALIZED);
    }
}

/* A lock created while signed in joins the session as it stands. */
static void join_session(msgr_messenger *m, msgr_lock *l)
{
    if (m->lk_session == LK_ON || m->lk_session == LK_OFF) {
        bool on = m->lk_session == LK_ON;
        set_status(l, on ? LOCK_INITIALIZED : LOCK_DISABLED);
        note(l, LOCK_NOTE_ENABLE, 0, on, NULL);
    } else {
        send_lks(m);
    }
}

/* "LKC 0 challenge" (erratum E34): a transaction with cookie 0 for the
 * first lock that is ready (oldest object first). A challenge is single
 * use on the server, so it goes to one lock only; the service pushes one
 * per object it wants unlocked. */
static void pushed_challenge(msgr_messenger *m, const char *challenge)
{
    for (size_t i = 0; i < m->nlocks; i++) {
        msgr_lock *l = m->locks[i];
        if (l->status != LOCK_INITIALIZED)
            continue;
        l->challenge = msgr_strdup(challenge);
        if (!l->challenge)
            return;
        l->cookie = 0;
        set_status(l, LOCK_PENDINGRESULT);
        note(l, LOCK_NOTE_CHALLENGE, 0, false, challenge);
        return;
    }
}

static void got_challenge(msgr_lock *l, const char *challenge)
{
    if (l->status != LOCK_PENDINGRESULT || l->challenge)
        return;
    l->challenge = msgr_strdup(challenge);
    if (!l->challenge) {
        finish(l, false);
        return;
    }
    note(l, LOCK_NOTE_CHALLENGE, l->cookie, false, challenge);
}

/* The lock that asked, when the reply matches an outstanding request of
 * the expected kind. */
static msgr_lock *asker(msgr_messenger *m, uint32_t trid, req_kind kind,
                        request *r)
{
    if (!ns_take(&m->ns, trid, r))
        return NULL;
    if (r->kind != kind || !r->owner || r->owner->kind != OBJ_LOCK)
        return NULL;
    return (msgr_lock *)r->owner;
}

/* "LKS TrID 1|0": the answer to our LKS, or pushed with TrID 0. */
static void on_lks(msgr_messenger *m, uint32_t trid, const char *arg)
{
    request r;
    bool on = strcmp(arg, "1") == 0;
    if (!on && strcmp(arg, "0") != 0)
        return;
    if (trid != 0) {
        bool ours = ns_take(&m->ns, trid, &r) && r.kind == REQ_LKS;
        ns_request_clear(&r);
        if (!ours)
            return;
    }
    apply_enable(m, on);
}

/* "LKC TrID challenge": the answer to a lock's LKC, or pushed with TrID 0. */
static void on_lkc(msgr_messenger *m, uint32_t trid, const char *challenge)
{
    request r;
    bool valid = strlen(challenge) <= MAX_CHALLENGE;
    if (trid == 0) {
        if (valid && m->lk_session == LK_ON)
            pushed_challenge(m, challenge);
        return;
    }
    msgr_lock *l = asker(m, trid, REQ_LKC, &r);
    if (l && valid)
        got_challenge(l, challenge);
    else if (l)
        finish(l, false); /* not a challenge we could ever answer */
    ns_request_clear(&r);
}

/* "LKR TrID OK|FAIL". */
static void on_lkr(msgr_messenger *m, uint32_t trid, const char *outcome)
{
    request r;
    if (trid == 0)
        return; /* results are never pushed */
    msgr_lock *l = asker(m, trid, REQ_LKR, &r);
    if (l)
        finish(l, strcmp(outcome, "OK") == 0);
    ns_request_clear(&r);
}

/* LKS/LKC/LKR lines: "CODE TrID arg" (TrID 0 when pushed). */
void lock_on_command(msgr_messenger *m, const msnp_cmd *cmd)
{
    if (!cmd->has_trid || cmd->nparams < 1)
        return;
    uint32_t trid = cmd->trid;
    if (strcmp(cmd->code, "LKS") == 0)
        on_lks(m, trid, cmd->params[0]);
    else if (strcmp(cmd->code, "LKC") == 0)
        on_lkc(m, trid, cmd->params[0]);
    else if (strcmp(cmd->code, "LKR") == 0)
        on_lkr(m, trid, cmd->params[0]);
}

/* An error reply to LKS means the service has no Lock and Key: nothing
 * is locked there (api-scope.md 6.1 item 1). A refused LKC/LKR ends the
 * transaction as a failure. */
void lock_on_error(msgr_messenger *m, request *r)
{
    if (r->kind == REQ_LKS)
        apply_enable(m, false);
    else if (r->owner && r->owner->kind == OBJ_LOCK)
        finish((msgr_lock *)r->owner, false);
}

/* ---- the object ------------------------------------------------------------- */

static void lock_destroy(msgr_obj *o)
{
    msgr_lock *l = (msgr_lock *)o;
    if (l->m)
        locks_remove(l->m, l);
    free(l->challenge);
    free(l);
}

msgr_lock *lock_new(msgr_messenger *m, msgr_obj *host, lock_notify_fn notify)
{
    msgr_lock *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    obj_init(&l->base, OBJ_LOCK, lock_destroy);
    obj_attach(m, &l->base, &l->m);
    l->status = LOCK_NOTINITIALIZED;
    if (!locks_add(m, l)) {
        obj_unref(l);
        return NULL;
    }
    l->host = host;
    l->notify = notify;
    join_session(m, l);
    return l;
}

void lock_detach(msgr_lock *l)
{
    if (l->m)
        locks_remove(l->m, l);
    l->host = NULL;
    l->notify = NULL;
    clear_transaction(l);
    obj_unref(l);
}

/* NULL and sets *hr unless l is a lock whose host and messenger live. */
static msgr_lock *live_lock(msgr_lock *l, msgr_hr *hr)
{
    msgr_obj *o = obj_check(l);
    if (!o || o->kind != OBJ_LOCK) {
        *hr = MSGR_E_POINTER;
        return NULL;
    }
    if (!l->m || !l->host) {
        *hr = MSGR_E_FAIL;
        return NULL;
    }
    return l;
}

/* What RequestChallenge / SendResponse return in a status that does not
 * allow them (api-scope.md 6.1 table, erratum E31). */
static msgr_hr state_error(LockStatus st)
{
    switch (st) {
    case LOCK_NOTINITIALIZED: return MSGR_E_API_NOTINITIALIZED;
    case LOCK_INITIALIZED: return MSGR_E_API_LOCKED;
    case LOCK_PENDINGRESULT: return MSGR_E_API_PENDING_UNLOCK;
    case LOCK_UNLOCKED: return MSGR_E_API_ALREADY_UNLOCKED;
    case LOCK_UNLOCKFAILED: return MSGR_E_API_UNLOCK_FAILED;
    case LOCK_DISABLED: return MSGR_E_API_DISABLED;
    }
    return MSGR_E_FAIL;
}

/* Queues one LK* request for l; on failure nothing was queued. */
static msgr_hr send_request(msgr_lock *l, req_kind kind, const char *code,
                            const char *p1, const char *p2, const char *p3)
{
    ns_conn *ns = &l->m->ns;
    size_t mark = ns->out.len;
    uint32_t t = ns_trid(ns);
    int rc = msnp_write_cmd(&ns->out, code, (int64_t)t, p1, p2, p3,
                            (const char *)NULL);
    if (rc == MSNP_E_INVALID_ARG)
        return MSGR_E_INVALIDARG;
    if (rc != MSNP_OK || ns_track(ns, t, kind, NULL, NULL, 0, NULL) != 0) {
        msnp_buf_truncate(&ns->out, mark);
        return MSGR_E_OUTOFMEMORY;
    }
    ns_track_owner(ns, &l->base);
    ns_flush_out(ns);
    return MSGR_S_OK;
}

msgr_hr msgr_lock_request_challenge(msgr_lock *lock, int32_t cookie)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_lock *l = live_lock(lock, &hr);
    if (!l)
        return hr;
    if (l->status != LOCK_INITIALIZED)
        return state_error(l->status);
    if (l->m->ns.fd < 0)
        return MSGR_E_FAIL; /* the connection is going away */
    hr = send_request(l, REQ_LKC, "LKC", NULL, NULL, NULL);
    if (MSGR_FAILED(hr))
        return hr;
    clear_transaction(l);
    l->cookie = cookie;
    set_status(l, LOCK_PENDINGRESULT);
    return MSGR_S_OK;
}

/* Printable ASCII without spaces: an MSNP token (msnp.md 1.2). */
static bool valid_app_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > MSGR_LOCK_APP_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x21 || s[i] > 0x7E)
            return false;
    return true;
}

static bool valid_response(const char *s)
{
    if (strlen(s) != MSGR_LOCK_RESPONSE_LEN)
        return false;
    for (size_t i = 0; i < MSGR_LOCK_RESPONSE_LEN; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i]))
            return false;
    return true;
}

msgr_hr msgr_lock_send_response(msgr_lock *lock, const char *app_id,
                                const char *response, int32_t cookie)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_lock *l = live_lock(lock, &hr);
    if (!l)
        return hr;
    if (l->status != LOCK_PENDINGRESULT)
        return state_error(l->status);
    if (l->response_sent)
        return MSGR_E_API_PENDING_UNLOCK;
    if (cookie != l->cookie)
        return MSGR_E_INVALIDARG;
    if (!l->challenge)
        return MSGR_E_API_PENDING_UNLOCK; /* nothing to answer yet */
    if (!app_id || !response)
        return MSGR_E_POINTER;
    if (!valid_app_id(app_id) || !valid_response(response))
        return MSGR_E_INVALIDARG;
    if (l->m->ns.fd < 0)
        return MSGR_E_FAIL;
    hr = send_request(l, REQ_LKR, "LKR", app_id, l->challenge, response);
    if (MSGR_SUCCEEDED(hr))
        l->response_sent = true;
    return hr;
}

msgr_hr msgr_lock_get_status(msgr_lock *lock, LockStatus *status)
{
    msgr_hr hr = MSGR_S_OK;
    if (!status)
        return MSGR_E_POINTER;
    msgr_lock *l = live_lock(lock, &hr);
    if (!l)
        return hr;
    *status = l->status;
    return MSGR_S_OK;
}

msgr_hr msgr_lock_compute_response(const char *challenge, const char *key,
                                   char out[MSGR_LOCK_RESPONSE_SIZE])
{
    if (!challenge || !key || !out)
        return MSGR_E_POINTER;
    /* The codec's CHL/QRY answer is the same construction. */
    if (msnp_challenge_response(challenge, key, out) != MSNP_OK)
        return MSGR_E_FAIL;
    return MSGR_S_OK;
}
