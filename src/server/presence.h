/*
 * presence.h - who sees whom (msnp.md 4.7) and the NLN/FLN/ILN fan-out of
 * the server event table (msnp.md 4.8).
 */
#ifndef MSGRD_PRESENCE_H
#define MSGRD_PRESENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "ns.h"
#include "store.h"

/* allows(owner, viewer) from the owner's snapshot. */
bool presence_allows(const store_user *owner, const char *viewer);

/* What a watcher could see of a user before a change. */
typedef struct presence_before {
    bool visible;
    const store_user *user;  /* the owner's snapshot before the change */
} presence_before;

/* Sends NLN / FLN to every watcher of s whose view changed between
 * `before` and now (s's current snapshot and status). `announce` forces
 * NLN to watchers that saw s before and still do (status, name, caps
 * change). */
void presence_update(ns_session *s, const presence_before *before, bool announce);

/* The first CHG's ILN burst: one ILN (with trid) per FL contact that is
 * visible and allows s. */
void presence_send_initial(ns_session *s, uint32_t trid);

/* ILN for one contact just added to FL, if s may see it. */
void presence_send_one(ns_session *s, const char *contact, uint32_t trid);

/* Sends the session's own presence lines to one watcher if it may see it
 * (used when a watcher's view is changed by the watcher's side). */
void presence_notify_watcher(ns_session *owner, ns_session *watcher);

#endif
