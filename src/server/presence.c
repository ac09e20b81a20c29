/* presence.c - visibility rules and NLN/FLN/ILN fan-out (msnp.md 4.7, 4.8). */
#include "presence.h"

#include "msnp_write.h"
#include "server.h"
#include "strmap.h"

bool presence_allows(const store_user *owner, const char *viewer)
{
    const store_contact *c = store_user_find_contact(owner, viewer);
    if (c && (c->lists & MSNP_LIST_BL))
        return false;
    if (c && (c->lists & MSNP_LIST_AL))
        return true;
    return owner->blp == STORE_BLP_AL;
}

/* V watches O when V is on O's reverse list. */
static bool watched_by(const store_user *owner, const char *viewer)
{
    const store_contact *c = store_user_find_contact(owner, viewer);
    return c && (c->lists & MSNP_LIST_RL);
}

static void send_nln(ns_session *to, const ns_session *o)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_nln(&b, to->dialect, o->status, o->user->handle, o->user->friendly_name,
                       o->caps, o->msnobj) == MSNP_OK)
        conn_send(to->c, &b);
    msnp_buf_free(&b);
}

static void send_fln(ns_session *to, const char *handle)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_fln(&b, handle) == MSNP_OK)
        conn_send(to->c, &b);
    msnp_buf_free(&b);
}

static void send_iln(ns_session *to, const ns_session *o, uint32_t trid)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_write_iln(&b, trid, to->dialect, o->status, o->user->handle,
                       o->user->friendly_name, o->caps, o->msnobj) == MSNP_OK)
        conn_send(to->c, &b);
    msnp_buf_free(&b);
}

/* A session receives presence lines once it has sent its first CHG
 * (msnp.md 4.7 rule 1). */
static ns_session *listening_session(server *srv, const char *handle)
{
    ns_session *v = ns_find(srv, handle);
    return v && v->chg_seen && conn_is_open(v->c) ? v : NULL;
}

void presence_update(ns_session *s, const presence_before *before, bool announce)
{
    const store_user *now = s->user;
    bool visible_now = ns_visible(s);
    for (size_t i = 0; i < now->ncontacts; i++) {
        const store_contact *ct = &now->contacts[i];
        /* Only current watchers hear anything: one who just stopped
         * watching (removed us from FL) gets nothing (4.8). */
        if (!(ct->lists & MSNP_LIST_RL))
            continue;
        ns_session *v = listening_session(s->c->srv, ct->handle);
        if (!v || v == s)
            continue;
        bool saw = before->visible && before->user && watched_by(before->user, ct->handle) &&
                   presence_allows(before->user, ct->handle);
        bool sees = visible_now && presence_allows(now, ct->handle);
        if (sees && (!saw || announce))
            send_nln(v, s);
        else if (saw && !sees)
            send_fln(v, now->handle);
    }
    /* Watching oneself (own handle on own FL) follows the same rule. */
    if (watched_by(now, now->handle) && s->chg_seen) {
        bool saw = before->visible && before->user && presence_allows(before->user, now->handle);
        bool sees = visible_now && presence_allows(now, now->handle);
        if (sees && (!saw || announce))
            send_nln(s, s);
        else if (saw && !sees)
            send_fln(s, now->handle);
    }
}

/* Whether viewer may see o right now: o visible and allowing viewer. */
static bool sees(const ns_session *o, const char *viewer)
{
    return o && ns_visible(o) && o->user && presence_allows(o->user, viewer);
}

void presence_send_initial(ns_session *s, uint32_t trid)
{
    const store_user *u = s->user;
    for (size_t i = 0; i < u->ncontacts; i++) {
        const store_contact *ct = &u->contacts[i];
        if (!(ct->lists & MSNP_LIST_FL))
            continue;
        ns_session *o = ns_find(s->c->srv, ct->handle);
        if (sees(o, u->handle))
            send_iln(s, o, trid);
    }
}

void presence_send_one(ns_session *s, const char *contact, uint32_t trid)
{
    /* Unlike NLN/FLN, this ILN does not wait for the requester's first
     * CHG (msnp.md 3.6, 4.3). */
    ns_session *o = ns_find(s->c->srv, contact);
    if (sees(o, s->user->handle))
        send_iln(s, o, trid);
}

void presence_notify_watcher(ns_session *owner, ns_session *watcher)
{
    if (!watcher->chg_seen || !conn_is_open(watcher->c))
        return;
    if (sees(owner, watcher->user->handle))
        send_nln(watcher, owner);
}
