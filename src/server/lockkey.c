/* lockkey.c - LKS / LKC / LKR (lockkey.h, docs/protocol.md). */
#include "lockkey.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "msnp_challenge.h"
#include "msnp_write.h"
#include "server.h"
#include "storeq.h"
#include "strmap.h"

/* The application-id and the response are printable tokens of bounded
 * size; anything else is a malformed request. */
#define MAX_APP_ID 128
#define RESPONSE_LEN 32

static void send_line(ns_session *s, uint32_t trid, const char *code, const char *p1,
                      const char *p2)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_cmd(&b, code, (int64_t)trid, p1, p2, (const char *)NULL) == MSNP_OK)
        conn_send(s->c, &b);
    msnp_buf_free(&b);
}

void lockkey_cmd_lks(ns_session *s, const msnp_cmd *cmd)
{
    if (!s->lockkey) {
        s->lockkey = calloc(1, sizeof *s->lockkey);
        if (!s->lockkey) {
            ns_reply_error(s, 500, cmd->trid);
            return;
        }
    }
    s->lockkey->subscribed = true;
    send_line(s, cmd->trid, "LKS", s->c->srv->cfg->lock_and_key ? "1" : "0", NULL);
}

/* Lock and Key commands need LKS first (715) and the feature on (502). */
static bool lockkey_usable(ns_session *s, uint32_t trid)
{
    if (!s->lockkey || !s->lockkey->subscribed) {
        ns_reply_error(s, 715, trid);
        return false;
    }
    if (!s->c->srv->cfg->lock_and_key) {
        ns_reply_error(s, 502, trid);
        return false;
    }
    return true;
}

/* A free slot, or the one closest to expiring when all are taken. */
static lockkey_challenge *free_slot(lockkey_state *lk, uint64_t now)
{
    lockkey_challenge *best = &lk->challenges[0];
    for (size_t i = 0; i < LOCKKEY_MAX_CHALLENGES; i++) {
        lockkey_challenge *c = &lk->challenges[i];
        if (!c->text[0] || c->expires_ms <= now)
            return c;
        if (c->expires_ms < best->expires_ms)
            best = c;
    }
    return best;
}

/* Creates a challenge in a slot of s and sends it as "LKC trid text". */
static bool issue_challenge(ns_session *s, uint32_t trid)
{
    uint64_t now = server_mono_ms();
    lockkey_challenge *slot = free_slot(s->lockkey, now);
    unsigned char rnd[MSNP_CHALLENGE_RANDOM_BYTES];
    randombytes_buf(rnd, sizeof rnd);
    if (msnp_challenge_generate(rnd, sizeof rnd, slot->text) != MSNP_OK) {
        slot->text[0] = '\0';
        return false;
    }
    slot->expires_ms = now + (uint64_t)s->c->srv->cfg->lk_challenge_ttl * 1000;
    send_line(s, trid, "LKC", slot->text, NULL);
    return true;
}

void lockkey_cmd_lkc(ns_session *s, const msnp_cmd *cmd)
{
    if (lockkey_usable(s, cmd->trid) && !issue_challenge(s, cmd->trid))
        ns_reply_error(s, 500, cmd->trid);
}

lockkey_push_result lockkey_push_challenge(server *srv, const char *handle)
{
    ns_session *s = ns_find_any_case(srv, handle);
    if (!s || !s->user || !conn_is_open(s->c))
        return LOCKKEY_NOT_SIGNED_IN;
    if (!s->lockkey || !s->lockkey->subscribed)
        return LOCKKEY_NOT_SUBSCRIBED;
    if (!srv->cfg->lock_and_key)
        return LOCKKEY_OFF;
    return issue_challenge(s, 0) ? LOCKKEY_PUSHED : LOCKKEY_PUSH_FAILED;
}

typedef struct enable_push {
    const char *arg;
    size_t told;
} enable_push;

static int push_enabled_to(const char *handle, void *value, void *ud)
{
    ns_session *s = value;
    enable_push *p = ud;
    (void)handle;
    if (s->lockkey && s->lockkey->subscribed && conn_is_open(s->c)) {
        send_line(s, 0, "LKS", p->arg, NULL);
        p->told++;
    }
    return 0;
}

size_t lockkey_set_enabled(server *srv, bool on)
{
    enable_push p = { on ? "1" : "0", 0 };
    if (srv->cfg->lock_and_key == on)
        return 0; /* nothing changes: nobody is told */
    srv->cfg->lock_and_key = on;
    log_info("Lock and Key switched %s", on ? "on" : "off");
    (void)strmap_foreach(srv->online, push_enabled_to, &p);
    return p.told;
}

/* Takes a live challenge out of the session (single use). */
static bool take_challenge(lockkey_state *lk, const char *text)
{
    uint64_t now = server_mono_ms();
    for (size_t i = 0; i < LOCKKEY_MAX_CHALLENGES; i++) {
        lockkey_challenge *c = &lk->challenges[i];
        if (c->text[0] && strcmp(c->text, text) == 0) {
            bool live = c->expires_ms > now;
            c->text[0] = '\0';
            return live;
        }
    }
    return false;
}

typedef struct lkr_job {
    conn *c;
    uint32_t trid;
    char *app_id;
    char challenge[MSNP_CHALLENGE_SIZE];
    char response[RESPONSE_LEN + 1];
    bool ok;
} lkr_job;

/* Store thread: looks the key up and checks the response there, so the
 * key never reaches the loop thread. */
static void lkr_work(store *st, void *arg)
{
    lkr_job *j = arg;
    char *key = NULL;
    if (st && store_app_get_key(st, j->app_id, &key) == 0) {
        char expect[MSNP_CHALLENGE_RESPONSE_SIZE];
        /* The verifier compares case-insensitively (api-scope.md 6.1):
         * lower-case the answer, then compare in constant time. */
        for (size_t i = 0; i < RESPONSE_LEN; i++)
            if (j->response[i] >= 'A' && j->response[i] <= 'F')
                j->response[i] = (char)(j->response[i] - 'A' + 'a');
        if (msnp_challenge_response(j->challenge, key, expect) == MSNP_OK)
            j->ok = sodium_memcmp(expect, j->response, RESPONSE_LEN) == 0;
        sodium_memzero(key, strlen(key));
    }
    free(key);
}

static void lkr_done(void *arg)
{
    lkr_job *j = arg;
    if (conn_is_open(j->c)) {
        ns_session *s = j->c->role_data;
        log_info("%s: Lock and Key response for %s: %s", s->handle, j->app_id,
                 j->ok ? "unlocked" : "refused");
        send_line(s, j->trid, "LKR", j->ok ? "OK" : "FAIL", NULL);
        conn_release(j->c);
    }
    conn_unref(j->c);
    free(j->app_id);
    free(j);
}

static bool token_ok(const char *t, size_t max)
{
    size_t n = strlen(t);
    return n > 0 && n <= max;
}

void lockkey_cmd_lkr(ns_session *s, const msnp_cmd *cmd)
{
    if (!lockkey_usable(s, cmd->trid))
        return;
    if (cmd->nparams != 3 || !token_ok(cmd->params[0], MAX_APP_ID) ||
        strlen(cmd->params[1]) != MSNP_CHALLENGE_DIGITS || strlen(cmd->params[2]) != RESPONSE_LEN) {
        ns_reply_error(s, 201, cmd->trid);
        return;
    }
    /* An unknown, expired or reused challenge fails like a wrong key. */
    if (!take_challenge(s->lockkey, cmd->params[1])) {
        send_line(s, cmd->trid, "LKR", "FAIL", NULL);
        return;
    }
    lkr_job *j = calloc(1, sizeof *j);
    if (!j || !(j->app_id = strdup(cmd->params[0]))) {
        free(j);
        ns_reply_error(s, 500, cmd->trid);
        return;
    }
    j->c = s->c;
    j->trid = cmd->trid;
    memcpy(j->challenge, cmd->params[1], MSNP_CHALLENGE_SIZE);
    memcpy(j->response, cmd->params[2], RESPONSE_LEN + 1);
    conn_ref(s->c);
    conn_hold(s->c);
    if (storeq_submit(s->c->srv, lkr_work, lkr_done, j) != 0) {
        j->ok = false;
        lkr_done(j);
    }
}
