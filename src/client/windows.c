/*
 * windows.c - the MessengerWindow objects (api-scope.md 4, 5.12): the
 * main window (IMessenger::Window), the Phone window (IMessenger::Phone)
 * and the Page window (IMessenger::Page), plus the IMessengerWindow
 * members every window has that call the host UI (Show, HWND).
 *
 * A plain window is a struct msgr_window like a conversation window (so
 * every msgr_window_* function takes it: geometry, IsClosed, Close) with
 * win_kind set and no switchboard. The messenger keeps one of each kind
 * in m->plain_windows, referenced, for its whole life: IMessenger::Window
 * returns the same object every time, and its geometry survives. Close
 * puts it in WIN_CLOSED (the main window goes to the notification area,
 * IsClosed true); Show brings it back to WIN_IDLE. It is never dead
 * while the messenger lives, and sign-out leaves it alone.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DEFAULT_WIDTH 400
#define DEFAULT_HEIGHT 300
#define PHONE_NUMBER_MAX 256

static void plain_destroy(msgr_obj *o)
{
    msgr_window *w = (msgr_window *)o;
    ns_close(&w->sb); /* never opened; Close() went through it */
    free(w->sb.reqs);
    msnp_buf_free(&w->sb.out);
    msnp_buf_free(&w->history);
    free(w);
}

bool window_is_conversation(const msgr_window *w)
{
    msgr_obj *o = obj_check((void *)(uintptr_t)w);
    return o && o->kind == OBJ_WINDOW && w->m && w->state != WIN_CLOSED &&
           w->win_kind == MSGR_WINDOW_CONVERSATION;
}

bool window_is_plain(const msgr_window *w)
{
    msgr_obj *o = obj_check((void *)(uintptr_t)w);
    return o && o->kind == OBJ_WINDOW && w->win_kind != MSGR_WINDOW_CONVERSATION;
}

/* The plain window of that kind, made on first use; opened (IsClosed
 * false) when open is set. NULL when out of memory. */
static msgr_window *plain_window(msgr_messenger *m, MSGR_WINDOW_KIND kind, bool open)
{
    msgr_window *w = m->plain_windows[kind];
    if (!w) {
        w = calloc(1, sizeof *w);
        if (!w)
            return NULL;
        obj_init(&w->base, OBJ_WINDOW, plain_destroy);
        obj_attach(m, &w->base, &w->m);
        ns_init(&w->sb);
        msnp_buf_init(&w->history);
        w->win_kind = kind;
        w->state = WIN_IDLE;
        w->width = DEFAULT_WIDTH;
        w->height = DEFAULT_HEIGHT;
        w->view[0] = w->view[1] = true;
        m->plain_windows[kind] = w; /* the messenger's reference */
    }
    if (open) {
        w->state = WIN_IDLE;
        w->closing = false;
    }
    return w;
}

void windows_release(msgr_messenger *m)
{
    for (size_t i = 0; i < sizeof m->plain_windows / sizeof m->plain_windows[0]; i++) {
        obj_unref(m->plain_windows[i]);
        m->plain_windows[i] = NULL;
    }
}

static msgr_messenger *live(msgr_messenger *m)
{
    msgr_obj *o = obj_check(m);
    return o && o->kind == OBJ_MESSENGER ? m : NULL;
}

static msgr_window *any_window(msgr_window *w)
{
    msgr_obj *o = obj_check(w);
    return o && o->kind == OBJ_WINDOW ? w : NULL;
}

/* ---- IMessengerWindow members answered by the host ------------------------ */

msgr_hr msgr_window_show(msgr_window *w)
{
    if (!any_window(w))
        return MSGR_E_POINTER;
    msgr_messenger *m = w->m;
    bool plain = w->win_kind != MSGR_WINDOW_CONVERSATION;
    if (!m || (!plain && w->state == WIN_CLOSED))
        return MSGR_E_FAIL; /* a closed conversation window is dead */
    if (plain)
        (void)plain_window(m, w->win_kind, true); /* back from the tray */
    if (m->ui.show_window)
        return m->ui.show_window(m->ui_ud, m, w);
    return plain ? MSGR_S_OK : MSGR_E_NOTIMPL;
}

msgr_hr msgr_window_get_hwnd(msgr_window *w, long *hwnd)
{
    if (!any_window(w))
        return MSGR_E_POINTER;
    if (!hwnd)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    msgr_messenger *m = w->m;
    if (!m || w->state == WIN_CLOSED)
        return MSGR_E_FAIL;
    if (!m->ui.get_window_handle)
        return MSGR_E_NOTIMPL;
    return m->ui.get_window_handle(m->ui_ud, m, w, hwnd);
}

msgr_hr msgr_window_get_kind(msgr_window *w, MSGR_WINDOW_KIND *kind)
{
    if (!any_window(w))
        return MSGR_E_POINTER;
    if (!kind)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    *kind = w->win_kind;
    return MSGR_S_OK;
}

/* ---- IMessenger: Window, Page, Phone --------------------------------------------- */

msgr_hr msgr_messenger_get_window(msgr_messenger *m, msgr_window **window)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (!window)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    msgr_window *w = plain_window(m, MSGR_WINDOW_MAIN, false);
    if (!w)
        return MSGR_E_OUTOFMEMORY;
    *window = w;
    return MSGR_S_OK;
}

msgr_hr window_check_contact(msgr_messenger *m, msgr_contact *c)
{
    msgr_obj *o = obj_check(c);
    if (!o || o->kind != OBJ_CONTACT || c->m != m)
        return MSGR_E_INVALIDARG;
    if (m->phase != PHASE_ONLINE)
        return MSGR_E_NOT_LOGGED_ON;
    return contact_is_self(c) ? MSGR_E_FAIL : MSGR_S_OK;
}

msgr_hr msgr_messenger_page(msgr_messenger *m, msgr_contact *contact,
                            msgr_window **window)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (!window)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    msgr_hr hr = window_check_contact(m, contact);
    if (MSGR_FAILED(hr))
        return hr;
    if (!contact->can_page) /* MOB Y: the contact accepts pages */
        return MSGR_E_PAGING_UNAVAILABLE;
    if (!m->ui.show_page)
        return MSGR_E_NOTIMPL;
    msgr_window *w = plain_window(m, MSGR_WINDOW_PAGE, true);
    if (!w)
        return MSGR_E_OUTOFMEMORY;
    *window = w;
    return m->ui.show_page(m->ui_ud, m, w, contact);
}

static bool number_ok(const char *number)
{
    return !number || (strlen(number) <= PHONE_NUMBER_MAX && !strpbrk(number, "\r\n"));
}

/* The number to call: the caller's, else the contact's of that type. */
static const char *number_for(const msgr_contact *c, MPHONE_TYPE type, const char *given)
{
    if (given && *given)
        return given;
    int idx = phone_index(type);
    return idx >= 0 && c->phones[idx] ? c->phones[idx] : "";
}

msgr_hr msgr_messenger_phone(msgr_messenger *m, msgr_contact *contact,
                             MPHONE_TYPE type, const char *number,
                             msgr_window **window)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (!window)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    msgr_obj *o = obj_check(contact);
    if (!o || o->kind != OBJ_CONTACT || contact->m != m ||
        type < MPHONE_TYPE_HOME || type > MPHONE_TYPE_CUSTOM || !number_ok(number))
        return MSGR_E_INVALIDARG;
    msgr_hr hr = window_check_contact(m, contact);
    if (MSGR_FAILED(hr))
        return hr;
    if (!m->ui.show_phone)
        return MSGR_E_NOTIMPL;
    msgr_window *w = plain_window(m, MSGR_WINDOW_PHONE, true);
    if (!w)
        return MSGR_E_OUTOFMEMORY;
    *window = w;
    return m->ui.show_phone(m->ui_ud, m, w, contact, type, number_for(contact, type, number));
}
