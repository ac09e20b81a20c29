/*
 * events.c - DMessengerEvents sinks (advise/unadvise) and the event
 * queue. Events are queued where they happen and delivered at the end of
 * msgr_messenger_process(), so callbacks never run inside a public call
 * and always see a consistent messenger (DESIGN.md section 3).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

msgr_hr msgr_messenger_advise(msgr_messenger *m,
                              const msgr_messenger_events *events,
                              void *user_data, uint32_t *cookie)
{
    if (!obj_check(m) || !events || !cookie)
        return MSGR_E_POINTER;
    sink *s = realloc(m->sinks, (m->nsinks + 1) * sizeof *s);
    if (!s)
        return MSGR_E_OUTOFMEMORY;
    m->sinks = s;
    if (++m->next_cookie == 0)
        m->next_cookie = 1;
    s[m->nsinks].cookie = m->next_cookie;
    s[m->nsinks].events = *events;
    s[m->nsinks].user_data = user_data;
    m->nsinks++;
    *cookie = m->next_cookie;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_unadvise(msgr_messenger *m, uint32_t cookie)
{
    if (!obj_check(m))
        return MSGR_E_POINTER;
    for (size_t i = 0; i < m->nsinks; i++) {
        if (m->sinks[i].cookie != cookie)
            continue;
        memmove(&m->sinks[i], &m->sinks[i + 1],
                (m->nsinks - i - 1) * sizeof m->sinks[0]);
        m->nsinks--;
        return MSGR_S_OK;
    }
    return MSGR_E_INVALIDARG;
}

void ev_queue2(msgr_messenger *m, ev_kind kind, msgr_hr hr, int arg, int arg2,
               msgr_contact *c, msgr_group *g, const char *text)
{
    if (m->nev == m->capev) {
        size_t cap = m->capev ? m->capev * 2 : 16;
        queued_event *q = realloc(m->evq, cap * sizeof *q);
        if (!q)
            return; /* out of memory: the event is lost, state is still right */
        m->evq = q;
        m->capev = cap;
    }
    queued_event *e = &m->evq[m->nev];
    e->text = text ? msgr_strdup(text) : NULL;
    if (text && !e->text)
        return;
    e->kind = kind;
    e->hr = hr;
    e->arg = arg;
    e->arg2 = arg2;
    e->contact = c;
    e->group = g;
    e->window = NULL;
    e->target = NULL;
    e->transfer = NULL;
    obj_ref(c);
    obj_ref(g);
    m->nev++;
}

void ev_window(msgr_messenger *m, ev_kind kind, msgr_contact *c, msgr_window *w)
{
    ev_window_text(m, kind, c, w, NULL);
}

void ev_window_text(msgr_messenger *m, ev_kind kind, msgr_contact *c,
                    msgr_window *w, const char *text)
{
    size_t before = m->nev;
    ev_queue(m, kind, MSGR_S_OK, 0, c, NULL, text);
    if (m->nev > before) {
        m->evq[m->nev - 1].window = w;
        obj_ref(w);
    }
}

void ev_queue_to(msgr_messenger *m, msgr_obj *target, ev_kind kind, msgr_hr hr,
                 int arg, int arg2, msgr_contact *c, const char *text)
{
    size_t before = m->nev;
    ev_queue2(m, kind, hr, arg, arg2, c, NULL, text);
    if (m->nev > before) {
        m->evq[m->nev - 1].target = target;
        obj_ref(target);
    }
}

void ev_transfer(msgr_messenger *m, ev_kind kind, msgr_hr hr, int arg,
                 msgr_contact *c, msgr_window *w, msgr_file_transfer *t)
{
    size_t before = m->nev;
    ev_queue2(m, kind, hr, arg, 0, c, NULL, NULL);
    if (m->nev > before) {
        queued_event *e = &m->evq[m->nev - 1];
        e->window = w;
        e->transfer = t;
        obj_ref(w);
        obj_ref(t);
    }
}

void ev_queue(msgr_messenger *m, ev_kind kind, msgr_hr hr, int arg,
              msgr_contact *c, msgr_group *g, const char *text)
{
    ev_queue2(m, kind, hr, arg, 0, c, g, text);
}

/* Sets the local status and reports it (OnMyStatusChange carries the
 * current status, api-scope.md 5.4). */
void ev_my_status(msgr_messenger *m, msgr_hr hr, MISTATUS st)
{
    m->my_status = st;
    ev_queue(m, EV_MY_STATUS, hr, (int)st, NULL, NULL, NULL);
}

static const char *text_or_empty(const queued_event *e)
{
    return e->text ? e->text : "";
}

/* The file-transfer events (EV_FT_*) of one sink. */
static void deliver_transfer(const msgr_messenger_events *ev, void *ud,
                             msgr_messenger *m, const queued_event *e)
{
    switch (e->kind) {
    case EV_FT_INVITATION:
        if (ev->on_file_transfer_invitation)
            ev->on_file_transfer_invitation(ud, m, e->window, e->contact, e->transfer);
        break;
    case EV_FT_PROGRESS:
        if (ev->on_file_transfer_progress)
            ev->on_file_transfer_progress(ud, m, e->transfer);
        break;
    case EV_FT_STATE:
        if (ev->on_file_transfer_state_change)
            ev->on_file_transfer_state_change(ud, m, e->transfer,
                                              (MSGR_FT_STATE)e->arg, e->hr);
        break;
    default:
        break;
    }
}

/* Calls one sink for one event; a NULL callback is skipped. */
static void deliver(msgr_messenger *m, const sink *s, const queued_event *e)
{
    const msgr_messenger_events *ev = &s->events;
    void *ud = s->user_data;
    bool enable_default = true;
    switch (e->kind) {
    case EV_MY_STATUS:
        if (ev->on_my_status_change)
            ev->on_my_status_change(ud, m, e->hr, (MISTATUS)e->arg);
        break;
    case EV_SIGNIN:
        if (ev->on_signin)
            ev->on_signin(ud, m, e->hr);
        break;
    case EV_SIGNOUT:
        if (ev->on_signout)
            ev->on_signout(ud, m);
        break;
    case EV_CONTACT_STATUS:
        if (ev->on_contact_status_change)
            ev->on_contact_status_change(ud, m, e->contact, (MISTATUS)e->arg);
        break;
    case EV_CONTACT_NAME:
        if (ev->on_contact_friendly_name_change)
            ev->on_contact_friendly_name_change(ud, m, e->hr, e->contact,
                                                text_or_empty(e));
        break;
    case EV_CONTACT_PHONE:
        if (ev->on_contact_phone_change)
            ev->on_contact_phone_change(ud, m, e->hr, e->contact,
                                        (MPHONE_TYPE)e->arg, text_or_empty(e));
        break;
    case EV_CONTACT_PAGER:
        if (ev->on_contact_pager_change)
            ev->on_contact_pager_change(ud, m, e->hr, e->contact, e->arg != 0);
        break;
    case EV_LIST_ADD:
        if (ev->on_contact_list_add)
            ev->on_contact_list_add(ud, m, e->hr, e->contact);
        break;
    case EV_LIST_REMOVE:
        if (ev->on_contact_list_remove)
            ev->on_contact_list_remove(ud, m, e->hr, e->contact);
        break;
    case EV_BLOCK:
        if (ev->on_contact_block_change)
            ev->on_contact_block_change(ud, m, e->hr, e->contact, e->arg != 0);
        break;
    case EV_GROUP_ADDED:
        if (ev->on_group_added)
            ev->on_group_added(ud, m, e->hr, e->group);
        break;
    case EV_GROUP_RENAMED:
        if (ev->on_group_name_changed)
            ev->on_group_name_changed(ud, m, e->hr, e->group);
        break;
    case EV_GROUP_REMOVED:
        if (ev->on_group_removed)
            ev->on_group_removed(ud, m, e->hr, e->group);
        break;
    case EV_ADDED_TO_GROUP:
        if (ev->on_contact_added_to_group)
            ev->on_contact_added_to_group(ud, m, e->hr, e->group, e->contact);
        break;
    case EV_REMOVED_FROM_GROUP:
        if (ev->on_contact_removed_from_group)
            ev->on_contact_removed_from_group(ud, m, e->hr, e->group,
                                              e->contact);
        break;
    case EV_MY_NAME:
        if (ev->on_my_friendly_name_change)
            ev->on_my_friendly_name_change(ud, m, e->hr, text_or_empty(e));
        break;
    case EV_MY_PHONE:
        if (ev->on_my_phone_change)
            ev->on_my_phone_change(ud, m, (MPHONE_TYPE)e->arg,
                                   text_or_empty(e));
        break;
    case EV_UNREAD_EMAIL:
        if (ev->on_unread_email_change)
            ev->on_unread_email_change(ud, m, (MUAFOLDER)e->arg, e->arg2,
                                       &enable_default);
        break;
    case EV_WIN_CREATED:
        if (ev->on_im_window_created)
            ev->on_im_window_created(ud, m, e->window);
        break;
    case EV_WIN_DESTROYED:
        if (ev->on_im_window_destroyed)
            ev->on_im_window_destroyed(ud, m, e->window);
        break;
    case EV_WIN_CONTACT_ADDED:
        if (ev->on_im_window_contact_added)
            ev->on_im_window_contact_added(ud, m, e->contact, e->window);
        break;
    case EV_WIN_CONTACT_REMOVED:
        if (ev->on_im_window_contact_removed)
            ev->on_im_window_contact_removed(ud, m, e->contact, e->window);
        break;
    case EV_WIN_MESSAGE:
        if (ev->on_im_window_message)
            ev->on_im_window_message(ud, m, e->window, e->contact,
                                     text_or_empty(e));
        break;
    case EV_WIN_TYPING:
        if (ev->on_im_window_typing)
            ev->on_im_window_typing(ud, m, e->window, e->contact);
        break;
    case EV_REVERSE_LIST:
        if (ev->on_contact_reverse_list_change)
            ev->on_contact_reverse_list_change(ud, m, e->contact, e->arg != 0);
        break;
    case EV_LOCK_ENABLE: case EV_LOCK_CHALLENGE: case EV_LOCK_RESULT: case EV_ALERT:
        break; /* only ever queued for a target object */
    /* Session Invite: only ever queued for a session or a manager. */
    case EV_SINV:
        break;
    case EV_FT_INVITATION: case EV_FT_PROGRESS: case EV_FT_STATE:
        deliver_transfer(ev, ud, m, e);
        break;
    }
}

/* Delivers one event to every sink registered now. The sink array is
 * looked up again for each sink because a callback may advise or
 * unadvise. */
static void deliver_all(msgr_messenger *m, const queued_event *e)
{
    size_t n = m->nsinks;
    uint32_t *cookies = n ? malloc(n * sizeof *cookies) : NULL;
    if (n && !cookies)
        return;
    for (size_t i = 0; i < n; i++)
        cookies[i] = m->sinks[i].cookie;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < m->nsinks; j++) {
            if (m->sinks[j].cookie == cookies[i]) {
                sink copy = m->sinks[j];
                deliver(m, &copy, e);
                break;
            }
        }
    }
    free(cookies);
}

/* An event for another object's sinks (a MessengerPriv, ...). */
static void deliver_target(const queued_event *e)
{
    switch (e->target->kind) {
    case OBJ_PRIV:
        priv_deliver((msgr_priv *)e->target, e);
        break;
    /* Session Invite */
    case OBJ_SESSION_MANAGER:
        sinv_manager_deliver((msgr_session_manager *)e->target, e);
        break;
    case OBJ_SESSION:
        sinv_session_deliver((msgr_session *)e->target, e);
        break;
    default:
        break;
    }
}

static void event_release(msgr_messenger *m, queued_event *e)
{
    /* The objects stay borrowed until the next process(): an event hands
     * them out, so they must outlive the callback. */
    if (e->contact) {
        pool_borrow(m, e->contact);
        obj_unref(e->contact);
    }
    if (e->group) {
        pool_borrow(m, e->group);
        obj_unref(e->group);
    }
    if (e->window) {
        pool_borrow(m, e->window);
        obj_unref(e->window);
    }
    if (e->transfer) {
        pool_borrow(m, e->transfer);
        obj_unref(e->transfer);
    }
    obj_unref(e->target); /* held by the application, not handed out */
    free(e->text);
}

void ev_flush(msgr_messenger *m)
{
    if (m->in_flush)
        return; /* events queued by a callback go out in this same loop */
    m->in_flush = true;
    for (size_t i = 0; i < m->nev; i++) {
        queued_event e = m->evq[i];
        if (e.target)
            deliver_target(&e);
        else
            deliver_all(m, &e);
        event_release(m, &e);
    }
    m->nev = 0;
    m->in_flush = false;
}

void ev_clear(msgr_messenger *m)
{
    for (size_t i = 0; i < m->nev; i++) {
        obj_unref(m->evq[i].contact);
        obj_unref(m->evq[i].group);
        obj_unref(m->evq[i].window);
        obj_unref(m->evq[i].transfer);
        obj_unref(m->evq[i].target);
        free(m->evq[i].text);
    }
    m->nev = 0;
    free(m->evq);
    m->evq = NULL;
    m->capev = 0;
}
