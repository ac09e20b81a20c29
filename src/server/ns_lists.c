/* ns_lists.c - contact lists and profile commands of the notification
 * server (msnp.md 3): SYN, GTC, BLP, PRP, ADD, REM, ADG, RMG, REG, REA and
 * the legacy LST/LSG iterators.
 *
 * Every change runs as a store job: the connection is held (no further
 * command is dispatched), the store thread applies the change durably and
 * reloads the account snapshot, then the reply and the side effects on
 * other users (ADD/REM 0 RL, BPR, NLN/FLN) go out on the loop thread. */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "msnp_url.h"
#include "msnp_write.h"
#include "ns.h"
#include "presence.h"
#include "server.h"
#include "storeq.h"

/* msnp.md 1.8 limits, in URL-encoded bytes. */
#define MAX_FRIENDLY_ENCODED 387
#define MAX_GROUP_ENCODED 61
#define MAX_PHONE_BYTES 95

typedef enum job_kind {
    JOB_SYN, JOB_GTC, JOB_BLP, JOB_PRP, JOB_ADD, JOB_REM,
    JOB_ADG, JOB_RMG, JOB_REG, JOB_REA_SELF, JOB_REA_CONTACT, JOB_REFRESH,
} job_kind;

typedef struct list_job {
    server *srv;
    conn *c;              /* NULL for JOB_REFRESH */
    job_kind kind;
    uint32_t trid;
    bool reply_as_rea;    /* PRP MFN answered in REA form */
    char *owner;
    char *target;
    char *name;
    char *value;
    int list;
    int gid;
    char gtc;
    store_blp blp;
    store_prop prop;
    store_limits lim;
    uint32_t client_version; /* SYN */
    /* results */
    int rc;
    int gid_out;
    store_result res;
    store_user *owner_snap;
    store_user *peer_snap;
} list_job;

static list_job *job_new(ns_session *s, job_kind kind, uint32_t trid)
{
    list_job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->srv = s->c->srv;
    j->c = s->c;
    j->kind = kind;
    j->trid = trid;
    j->gid = -1;
    j->lim = s->c->srv->limits;
    j->owner = strdup(s->handle);
    if (!j->owner) {
        free(j);
        return NULL;
    }
    return j;
}

static void job_free(list_job *j)
{
    free(j->owner);
    free(j->target);
    free(j->name);
    free(j->value);
    store_result_free(&j->res);
    store_user_free(j->owner_snap);
    store_user_free(j->peer_snap);
    free(j);
}

static int run_change(store *st, list_job *j)
{
    switch (j->kind) {
    case JOB_SYN:
    case JOB_REFRESH:
        return 0;
    case JOB_GTC:
        return store_set_gtc(st, j->owner, j->gtc, &j->res);
    case JOB_BLP:
        return store_set_blp(st, j->owner, j->blp, &j->res);
    case JOB_PRP:
        return store_set_prop(st, j->owner, j->prop, j->value, &j->res);
    case JOB_ADD:
        return store_list_add(st, j->owner, j->list, j->target, j->name, j->gid, &j->lim, &j->res);
    case JOB_REM:
        return store_list_remove(st, j->owner, j->list, j->target, j->gid, &j->res);
    case JOB_ADG:
        return store_group_add(st, j->owner, j->name, &j->res, &j->gid_out);
    case JOB_RMG:
        return store_group_remove(st, j->owner, j->gid, &j->res);
    case JOB_REG:
        return store_group_rename(st, j->owner, j->gid, j->name, &j->res);
    case JOB_REA_SELF:
        return store_set_friendly_name(st, j->owner, j->name, &j->res);
    case JOB_REA_CONTACT:
        return store_set_stored_name(st, j->owner, j->target, j->name, &j->res);
    }
    return STORE_E_INVALID;
}

/* Store thread: the change, then fresh snapshots of everyone whose
 * in-memory view it altered. */
static void job_work(store *st, void *arg)
{
    list_job *j = arg;
    if (!st) {
        j->rc = STORE_E_IO;
        return;
    }
    j->rc = run_change(st, j);
    if (j->rc != 0)
        return;
    int rc = store_load_user(st, j->owner, &j->owner_snap);
    if (rc != 0)
        j->rc = rc;
    if (j->res.peer_changed && j->target && strcmp(j->target, j->owner) != 0)
        store_load_user(st, j->target, &j->peer_snap);
}

/* ------------------------------------------------------------ replies */

static void send_and_free(conn *c, msnp_buf *b, int rc)
{
    if (rc == MSNP_OK && c && conn_is_open(c))
        conn_send(c, b);
    msnp_buf_free(b);
}

static void send_prop_lines(msnp_buf *b, char *const props[STORE_PROP_COUNT], msnp_dialect d,
                            bool own)
{
    for (int p = 0; p < STORE_PROP_COUNT; p++) {
        if (!props[p])
            continue;
        if (p == STORE_PROP_WWE && d != MSNP_DIALECT_MSNP9)
            continue;
        if (!own && p == STORE_PROP_MBE)
            continue;
        if (own)
            msnp_write_prp_dump(b, store_prop_name((store_prop)p), props[p]);
        else
            msnp_write_bpr_dump(b, store_prop_name((store_prop)p), props[p]);
    }
}

static uint32_t group_mask(const store_contact *ct)
{
    return ct->groups;
}

/* The full SYN dump (msnp.md 3.2), written in one piece so no
 * asynchronous line can land inside it. */
static void send_syn(ns_session *s, uint32_t trid, uint32_t client_version)
{
    const store_user *u = s->user;
    msnp_buf b = MSNP_BUF_INIT;
    if (client_version != 0 && client_version == u->list_version) {
        send_and_free(s->c, &b, msnp_write_syn_reply_short(&b, trid, u->list_version));
        return;
    }
    msnp_write_syn_reply_long(&b, trid, u->list_version, (uint32_t)u->ncontacts,
                              (uint32_t)u->ngroups);
    msnp_write_gtc_dump(&b, u->gtc);
    msnp_write_blp_dump(&b, u->blp == STORE_BLP_BL ? MSNP_LIST_BL : MSNP_LIST_AL);
    send_prop_lines(&b, u->props, s->dialect, true);
    for (size_t i = 0; i < u->ngroups; i++)
        msnp_write_lsg_dump(&b, u->groups[i].gid, u->groups[i].name);
    for (size_t i = 0; i < u->ncontacts; i++) {
        const store_contact *ct = &u->contacts[i];
        msnp_write_lst_dump(&b, ct->handle, ct->stored_name, ct->lists,
                            (ct->lists & MSNP_LIST_FL) ? group_mask(ct) : 0);
        send_prop_lines(&b, ct->props, s->dialect, false);
    }
    send_and_free(s->c, &b, MSNP_OK);
}

static void reply_success(ns_session *s, list_job *j)
{
    msnp_buf b = MSNP_BUF_INIT;
    uint32_t v = j->res.version;
    int rc = MSNP_OK;
    switch (j->kind) {
    case JOB_SYN:
        send_syn(s, j->trid, j->client_version);
        return;
    case JOB_REFRESH:
        return;
    case JOB_GTC:
        rc = msnp_write_gtc_reply(&b, j->trid, v, j->gtc);
        break;
    case JOB_BLP:
        rc = msnp_write_blp_reply(&b, j->trid, v, j->blp == STORE_BLP_BL ? MSNP_LIST_BL : MSNP_LIST_AL);
        break;
    case JOB_PRP:
        rc = msnp_write_prp_reply(&b, j->trid, v, store_prop_name(j->prop), j->value);
        break;
    case JOB_ADD:
        rc = msnp_write_add_reply(&b, j->trid, j->list, v, j->target,
                                  j->name ? j->name : j->target,
                                  j->list == MSNP_LIST_FL ? (j->gid < 0 ? 0 : j->gid) : MSNP_NO_GROUP);
        break;
    case JOB_REM:
        rc = msnp_write_rem_reply(&b, j->trid, j->list, v, j->target,
                                  j->list == MSNP_LIST_FL ? j->gid : MSNP_NO_GROUP);
        break;
    case JOB_ADG:
        rc = msnp_write_adg_reply(&b, j->trid, v, j->name, j->gid_out);
        break;
    case JOB_RMG:
        rc = msnp_write_rmg_reply(&b, j->trid, v, j->gid);
        break;
    case JOB_REG:
        rc = msnp_write_reg_reply(&b, j->trid, v, j->gid, j->name);
        break;
    case JOB_REA_SELF:
    case JOB_REA_CONTACT:
        rc = msnp_write_rea_reply(&b, j->trid, v, j->kind == JOB_REA_SELF ? j->owner : j->target,
                                  j->name);
        break;
    }
    send_and_free(s->c, &b, rc);
}

/* ------------------------------------------------------- side effects */

/* Hands a freshly loaded snapshot to the peer's session, if signed in. */
static ns_session *adopt_peer(list_job *j)
{
    ns_session *peer = ns_find(j->srv, j->target);
    if (peer && j->peer_snap) {
        ns_set_user(peer, j->peer_snap);
        j->peer_snap = NULL;
    }
    return peer;
}

static void notify_rl(list_job *j, ns_session *owner)
{
    if (!j->res.peer_changed || !j->target || !strcmp(j->target, j->owner))
        return;
    ns_session *peer = adopt_peer(j);
    if (!peer || !conn_is_open(peer->c))
        return;
    msnp_buf b = MSNP_BUF_INIT;
    int rc;
    if (j->kind == JOB_ADD) {
        const char *name = owner && owner->user ? owner->user->friendly_name : j->owner;
        rc = msnp_write_add_async(&b, MSNP_LIST_RL, j->res.peer_version, j->owner, name,
                                  MSNP_NO_GROUP);
    } else {
        rc = msnp_write_rem_async(&b, MSNP_LIST_RL, j->res.peer_version, j->owner, MSNP_NO_GROUP);
    }
    send_and_free(peer->c, &b, rc);
}

/* RMG and PRP touch many accounts: tell the signed-in ones. */
static void notify_peers(list_job *j)
{
    for (size_t i = 0; i < j->res.npeers; i++) {
        const store_peer *p = &j->res.peers[i];
        ns_session *peer = ns_find(j->srv, p->handle);
        if (!peer || !conn_is_open(peer->c))
            continue;
        msnp_buf b = MSNP_BUF_INIT;
        int rc = j->kind == JOB_RMG
                     ? msnp_write_rem_async(&b, MSNP_LIST_RL, p->version, j->owner, MSNP_NO_GROUP)
                     : msnp_write_bpr_async(&b, p->version, j->owner, store_prop_name(j->prop),
                                            j->value);
        send_and_free(peer->c, &b, rc);
        ns_refresh_user(j->srv, p->handle);
    }
}

static void apply_effects(list_job *j, ns_session *s, const presence_before *before)
{
    switch (j->kind) {
    case JOB_ADD:
    case JOB_REM:
        notify_rl(j, s);
        if (j->list != MSNP_LIST_FL && s)
            presence_update(s, before, false);
        if (j->kind == JOB_ADD && j->list == MSNP_LIST_FL && s && j->res.peer_changed)
            presence_send_one(s, j->target, j->trid);
        break;
    case JOB_BLP:
        if (s)
            presence_update(s, before, false);
        break;
    case JOB_REA_SELF:
        if (s)
            presence_update(s, before, true);
        break;
    case JOB_RMG:
    case JOB_PRP:
        notify_peers(j);
        break;
    default:
        break;
    }
}

static void job_done(void *arg)
{
    list_job *j = arg;
    conn *c = j->c;
    ns_session *s = c && conn_is_open(c) ? c->role_data : NULL;
    if (j->kind == JOB_REFRESH) {
        ns_session *u = ns_find(j->srv, j->owner);
        if (u && j->owner_snap && j->rc == 0) {
            ns_set_user(u, j->owner_snap);
            j->owner_snap = NULL;
        }
        job_free(j);
        return;
    }
    if (j->rc != 0) {
        if (j->rc < 0)
            log_warn("%s: store error: %s", j->owner, store_strerror(j->rc));
        if (s)
            ns_reply_error(s, j->rc > 0 ? j->rc : 500, j->trid);
    } else {
        /* The presence decisions compare the view before and after. */
        store_user *old = NULL;
        presence_before before = { false, NULL };
        if (s && j->owner_snap) {
            old = s->user;
            before.visible = ns_visible(s);
            before.user = old;
            s->user = j->owner_snap;
            j->owner_snap = NULL;
        }
        if (s)
            reply_success(s, j);
        apply_effects(j, s, &before);
        store_user_free(old);
    }
    if (c) {
        if (conn_is_open(c))
            conn_release(c);
        conn_unref(c);
    }
    job_free(j);
}

static void submit(ns_session *s, list_job *j)
{
    conn_ref(s->c);
    conn_hold(s->c);
    if (storeq_submit(s->c->srv, job_work, job_done, j) != 0) {
        j->rc = STORE_E_NOMEM;
        job_done(j);
    }
}

void ns_refresh_user(server *srv, const char *handle)
{
    list_job *j = calloc(1, sizeof *j);
    if (!j || !(j->owner = strdup(handle))) {
        free(j);
        return;
    }
    j->srv = srv;
    j->kind = JOB_REFRESH;
    if (storeq_submit(srv, job_work, job_done, j) != 0)
        job_free(j);
}

/* ---------------------------------------------------------- commands */

static bool oom(ns_session *s, list_job *j, uint32_t trid)
{
    if (j)
        return false;
    ns_reply_error(s, 500, trid);
    return true;
}

void ns_cmd_syn(ns_session *s, const msnp_cmd *cmd)
{
    uint32_t v = 0;
    if (cmd->nparams < 1 || msnp_parse_u32(cmd->params[0], &v) != MSNP_OK) {
        ns_reply_error(s, 201, cmd->trid);
        return;
    }
    list_job *j = job_new(s, JOB_SYN, cmd->trid);
    if (oom(s, j, cmd->trid))
        return;
    /* Version 0 never matches (send_syn): some clients send SYN 0 always
     * and crash on the short form. */
    j->client_version = v;
    submit(s, j);
}

void ns_cmd_gtc(ns_session *s, const msnp_cmd *cmd)
{
    if (cmd->nparams < 1 || (strcmp(cmd->params[0], "A") && strcmp(cmd->params[0], "N"))) {
        conn_abort(s->c, "bad GTC");
        return;
    }
    list_job *j = job_new(s, JOB_GTC, cmd->trid);
    if (oom(s, j, cmd->trid))
        return;
    j->gtc = cmd->params[0][0];
    submit(s, j);
}

void ns_cmd_blp(ns_session *s, const msnp_cmd *cmd)
{
    if (cmd->nparams < 1 || (strcmp(cmd->params[0], "AL") && strcmp(cmd->params[0], "BL"))) {
        conn_abort(s->c, "bad BLP");
        return;
    }
    list_job *j = job_new(s, JOB_BLP, cmd->trid);
    if (oom(s, j, cmd->trid))
        return;
    j->blp = cmd->params[0][0] == 'B' ? STORE_BLP_BL : STORE_BLP_AL;
    submit(s, j);
}

static void start_rea_self(ns_session *s, uint32_t trid, const char *encoded);

void ns_cmd_prp(ns_session *s, const msnp_cmd *cmd)
{
    if (!ns_need_params(s, cmd, 1))
        return;
    const char *type = cmd->params[0];
    if (strlen(type) != 3) {
        conn_abort(s->c, "bad PRP type");
        return;
    }
    if (!strcmp(type, "MFN")) {
        /* MSNP10's own-name property: accepted as REA self (msnp.md 3.4). */
        if (cmd->nparams < 2)
            ns_reply_error(s, 201, cmd->trid);
        else
            start_rea_self(s, cmd->trid, cmd->params[1]);
        return;
    }
    store_prop prop;
    if (!store_prop_parse(type, &prop) || prop == STORE_PROP_MBE || prop == STORE_PROP_WWE) {
        ns_reply_error(s, 715, cmd->trid);
        return;
    }
    char *value = NULL;
    if (cmd->nparams >= 2) {
        value = ns_decode_name(cmd->params[1]);
        if (!value) {
            ns_reply_error(s, 201, cmd->trid);
            return;
        }
        if (strlen(value) > MAX_PHONE_BYTES) {
            free(value);
            conn_abort(s->c, "PRP value too long");
            return;
        }
        if (prop == STORE_PROP_MOB && strcmp(value, "Y") && strcmp(value, "N")) {
            free(value);
            ns_reply_error(s, 201, cmd->trid);
            return;
        }
    }
    list_job *j = job_new(s, JOB_PRP, cmd->trid);
    if (oom(s, j, cmd->trid)) {
        free(value);
        return;
    }
    j->prop = prop;
    j->value = value;
    submit(s, j);
}

/* Parses a list name; RL and anything unknown close the connection
 * (msnp.md 3.1 invariant 5, 3.6). Returns 0 after closing. */
static int parse_client_list(ns_session *s, const char *name)
{
    int bit = msnp_list_parse(name);
    if (bit == MSNP_LIST_FL || bit == MSNP_LIST_AL || bit == MSNP_LIST_BL)
        return bit;
    conn_abort(s->c, "bad list name");
    return 0;
}

/* Parses the group id in params[idx]: outside 0..29 closes the connection
 * (msnp.md 3.8), a non-number is answered 201. Returns false when it has
 * answered or closed. */
static bool take_gid(ns_session *s, const msnp_cmd *cmd, size_t idx, int *gid)
{
    uint32_t g;
    if (msnp_parse_u32(cmd->params[idx], &g) != MSNP_OK) {
        ns_reply_error(s, 201, cmd->trid);
        return false;
    }
    if (g >= STORE_MAX_GROUPS) {
        conn_abort(s->c, "group id out of range");
        return false;
    }
    *gid = (int)g;
    return true;
}

static char *lower_handle(const char *h)
{
    char *d = strdup(h);
    if (d)
        for (char *p = d; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    return d;
}

void ns_cmd_add(ns_session *s, const msnp_cmd *cmd)
{
    if (!ns_need_params(s, cmd, 3))
        return;
    int list = parse_client_list(s, cmd->params[0]);
    if (!list)
        return;
    if (!ns_handle_valid(cmd->params[1]) || strlen(cmd->params[2]) > MAX_FRIENDLY_ENCODED) {
        ns_reply_error(s, 201, cmd->trid);
        return;
    }
    int gid = -1;
    if (list == MSNP_LIST_FL && cmd->nparams >= 4 && !take_gid(s, cmd, 3, &gid))
        return;
    char *name = ns_decode_name(cmd->params[2]);
    if (!name) {
        ns_reply_error(s, 201, cmd->trid);
        return;
    }
    list_job *j = job_new(s, JOB_ADD, cmd->trid);
    if (oom(s, j, cmd->trid)) {
        free(name);
        return;
    }
    j->list = list;
    j->gid = gid;
    j->name = name;
    j->target = lower_handle(cmd->params[1]);
    if (!j->target) {
        job_free(j);
        ns_reply_error(s, 500, cmd->trid);
        return;
    }
    submit(s, j);
}

void ns_cmd_rem(ns_session *s, const msnp_cmd *cmd)
{
    if (!ns_need_params(s, cmd, 2))
        return;
    int list = parse_client_list(s, cmd->params[0]);
    if (!list)
        return;
    int gid = -1;
    if (list == MSNP_LIST_FL && cmd->nparams >= 3 && !take_gid(s, cmd, 2, &gid))
        return;
    list_job *j = job_new(s, JOB_REM, cmd->trid);
    if (oom(s, j, cmd->trid))
        return;
    j->list = list;
    j->gid = gid;
    j->target = lower_handle(cmd->params[1]);
    if (!j->target) {
        job_free(j);
        ns_reply_error(s, 500, cmd->trid);
        return;
    }
    submit(s, j);
}

/* Decodes a group name parameter; answers 229/201 itself on failure. */
static char *group_name(ns_session *s, const msnp_cmd *cmd, const char *param)
{
    if (strlen(param) > MAX_GROUP_ENCODED) {
        ns_reply_error(s, 229, cmd->trid);
        return NULL;
    }
    char *name = ns_decode_name(param);
    if (!name)
        ns_reply_error(s, 201, cmd->trid);
    return name;
}

void ns_cmd_adg(ns_session *s, const msnp_cmd *cmd)
{
    if (!ns_need_params(s, cmd, 1))
        return;
    char *name = group_name(s, cmd, cmd->params[0]);
    if (!name)
        return;
    list_job *j = job_new(s, JOB_ADG, cmd->trid);
    if (oom(s, j, cmd->trid)) {
        free(name);
        return;
    }
    j->name = name;
    submit(s, j);
}

void ns_cmd_rmg(ns_session *s, const msnp_cmd *cmd)
{
    if (!ns_need_params(s, cmd, 1))
        return;
    int gid;
    if (!take_gid(s, cmd, 0, &gid))
        return;
    list_job *j = job_new(s, JOB_RMG, cmd->trid);
    if (oom(s, j, cmd->trid))
        return;
    j->gid = gid;
    submit(s, j);
}

void ns_cmd_reg(ns_session *s, const msnp_cmd *cmd)
{
    if (!ns_need_params(s, cmd, 2))
        return;
    int gid;
    if (!take_gid(s, cmd, 0, &gid))
        return;
    char *name = group_name(s, cmd, cmd->params[1]);
    if (!name)
        return;
    list_job *j = job_new(s, JOB_REG, cmd->trid);
    if (oom(s, j, cmd->trid)) {
        free(name);
        return;
    }
    j->gid = gid;
    j->name = name;
    submit(s, j);
}

static void start_rea_self(ns_session *s, uint32_t trid, const char *encoded)
{
    if (strlen(encoded) > MAX_FRIENDLY_ENCODED) {
        ns_reply_error(s, 209, trid);
        return;
    }
    char *name = ns_decode_name(encoded);
    if (!name || !*name) {
        free(name);
        ns_reply_error(s, 209, trid);
        return;
    }
    if (!ns_rate_ok(&s->rea_rate, s->c->srv->cfg->rea_limit, 60000, server_mono_ms())) {
        free(name);
        ns_reply_error(s, 800, trid);
        return;
    }
    list_job *j = job_new(s, JOB_REA_SELF, trid);
    if (oom(s, j, trid)) {
        free(name);
        return;
    }
    j->name = name;
    submit(s, j);
}

void ns_cmd_rea(ns_session *s, const msnp_cmd *cmd)
{
    if (!ns_need_params(s, cmd, 2))
        return;
    char *target = lower_handle(cmd->params[0]);
    if (!target) {
        ns_reply_error(s, 500, cmd->trid);
        return;
    }
    if (!strcmp(target, s->handle)) {
        free(target);
        start_rea_self(s, cmd->trid, cmd->params[1]);
        return;
    }
    char *name = strlen(cmd->params[1]) > MAX_FRIENDLY_ENCODED ? NULL : ns_decode_name(cmd->params[1]);
    if (!name || !*name) {
        free(name);
        free(target);
        ns_reply_error(s, 209, cmd->trid);
        return;
    }
    list_job *j = job_new(s, JOB_REA_CONTACT, cmd->trid);
    if (oom(s, j, cmd->trid)) {
        free(name);
        free(target);
        return;
    }
    j->target = target;
    j->name = name;
    submit(s, j);
}

/* Legacy iterators (msnp.md 3.5), answered from the session snapshot. */
void ns_cmd_lst(ns_session *s, const msnp_cmd *cmd)
{
    int list = cmd->nparams >= 1 ? msnp_list_parse(cmd->params[0]) : 0;
    if (!list) {
        ns_reply_error(s, 201, cmd->trid);
        return;
    }
    const store_user *u = s->user;
    uint32_t total = 0, index = 0;
    for (size_t i = 0; i < u->ncontacts; i++)
        total += (u->contacts[i].lists & (unsigned)list) != 0;
    msnp_buf b = MSNP_BUF_INIT;
    if (total == 0)
        msnp_write_lst_legacy_empty(&b, cmd->trid, list, u->list_version);
    for (size_t i = 0; i < u->ncontacts; i++) {
        const store_contact *ct = &u->contacts[i];
        if (!(ct->lists & (unsigned)list))
            continue;
        msnp_write_lst_legacy(&b, cmd->trid, list, u->list_version, ++index, total, ct->handle,
                              ct->stored_name, list == MSNP_LIST_FL ? group_mask(ct) : 0);
    }
    send_and_free(s->c, &b, MSNP_OK);
}

void ns_cmd_lsg(ns_session *s, const msnp_cmd *cmd)
{
    const store_user *u = s->user;
    msnp_buf b = MSNP_BUF_INIT;
    for (size_t i = 0; i < u->ngroups; i++)
        msnp_write_lsg_legacy(&b, cmd->trid, u->list_version, (uint32_t)i + 1, (uint32_t)u->ngroups,
                              u->groups[i].gid, u->groups[i].name);
    send_and_free(s->c, &b, MSNP_OK);
}
