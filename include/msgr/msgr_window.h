/*
 * msgr/msgr_window.h - conversation windows: IMessenger::InstantMessage,
 * IMessengerWindow and IMessengerConversationWnd.
 *
 * libmsgr draws no windows. A conversation window is the model of one
 * conversation (a switchboard session, msnp.md 5): its participants, its
 * history, and the geometry and view options a host UI shows it with.
 * msgr_conversation and msgr_window are the same type (a conversation
 * window is a window). Lifetime: msgr/msgr_object.h; a closed conversation
 * window is dead: its members fail with MSGR_E_FAIL except
 * msgr_window_get_is_closed() and msgr_window_close() (MSGR_S_FALSE).
 * Every conversation window closes at sign-out (on_im_window_destroyed).
 */
#ifndef MSGR_WINDOW_H
#define MSGR_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include "msgr_contact.h"
#include "msgr_enums.h"
#include "msgr_hr.h"
#include "msgr_object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* InstantMessage(vContact): opens a conversation with contact and returns
 * its window. The window exists at once (-> on_im_window_created); the
 * contact joins when it answers (-> on_im_window_contact_added). While a
 * window whose only participant (or invitee) is contact is open, that
 * window is returned again (S_OK, no new window). Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER (window NULL), MSGR_E_POINTER (m NULL),
 * MSGR_E_INVALIDARG (contact NULL or of another messenger), MSGR_E_FAIL
 * (the contact is the local user), MSGR_E_NOT_LOGGED_ON or
 * MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_instant_message(msgr_messenger *m, msgr_contact *contact,
                                       msgr_conversation **window);

/* ---- IMessengerWindow ------------------------------------------------------ */

/* Close(): leaves the conversation, closes the window (->
 * on_im_window_destroyed) and makes the object dead. Returns MSGR_S_OK,
 * MSGR_S_FALSE (already closed) or MSGR_E_POINTER. */
msgr_hr msgr_window_close(msgr_window *w);

/* IsClosed (get): true once the window was closed. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_POINTER. */
msgr_hr msgr_window_get_is_closed(msgr_window *w, bool *is_closed);

/* Left, Top, Width, Height (get/put): the geometry the host UI gives the
 * window, in pixels (initially 0, 0, 400, 300). Left and Top are not
 * range-checked. Return MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER (get),
 * MSGR_E_INVALIDARG (put: width or height <= 0) or MSGR_E_FAIL (closed). */
msgr_hr msgr_window_get_left(msgr_window *w, long *left);
msgr_hr msgr_window_set_left(msgr_window *w, long left);
msgr_hr msgr_window_get_top(msgr_window *w, long *top);
msgr_hr msgr_window_set_top(msgr_window *w, long top);
msgr_hr msgr_window_get_width(msgr_window *w, long *width);
msgr_hr msgr_window_set_width(msgr_window *w, long width);
msgr_hr msgr_window_get_height(msgr_window *w, long *height);
msgr_hr msgr_window_set_height(msgr_window *w, long height);

/* Property (get/put): MWINDOWPROP_VIEW_SIDEBAR / MWINDOWPROP_VIEW_TOOLBAR,
 * MSGR_VT_BOOL, whether the host shows the sidebar / toolbar (initially
 * true). Return MSGR_S_OK, MSGR_S_FALSE (put: the same value again),
 * MSGR_E_RPC_X_NULL_REF_POINTER (get), MSGR_E_INVALIDARG (other property,
 * or put with value NULL or not MSGR_VT_BOOL) or MSGR_E_FAIL (closed). */
msgr_hr msgr_window_get_property(msgr_window *w, MWINDOWPROPERTY prop,
                                 msgr_variant *value);
msgr_hr msgr_window_set_property(msgr_window *w, MWINDOWPROPERTY prop,
                                 const msgr_variant *value);

/* ---- IMessengerConversationWnd ---------------------------------------------- */

/* AddContact(vContact): invites another contact into the conversation
 * (-> on_im_window_contact_added when it joins). Returns MSGR_S_OK,
 * MSGR_S_FALSE (already a participant or invited), MSGR_E_INVALIDARG
 * (contact NULL or of another messenger), MSGR_E_FAIL (closed, signed out,
 * or the local user) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_conversation_add_contact(msgr_conversation *w, msgr_contact *contact);

/* Contacts (get): snapshot of the participants, the local user excluded.
 * Returns MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER, MSGR_E_FAIL (closed
 * or signed out) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_conversation_get_contacts(msgr_conversation *w,
                                       msgr_contacts **contacts);

/* History (get): the text of the conversation, one line per message,
 * "<friendly name>: <text>" with LF line ends (a message's own line
 * breaks are kept). Returns MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER or
 * MSGR_E_FAIL (closed or signed out). */
msgr_hr msgr_conversation_get_history(msgr_conversation *w, const char **history);

/* libmsgr extension (what the conversation window's input box did): sends
 * a text message (UTF-8, at most 1400 bytes) to the participants and adds
 * it to History. When nobody is in the conversation yet the message waits
 * for the first participant; when everybody left, the last participants
 * are invited again. Returns MSGR_S_OK, MSGR_E_POINTER (w NULL),
 * MSGR_E_INVALIDARG (text NULL, empty, too long or not UTF-8),
 * MSGR_E_FAIL (closed, signed out, or nobody to send to) or
 * MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_conversation_send_text(msgr_conversation *w, const char *text);

/* libmsgr extension: tells the participants the local user is typing
 * (text/x-msmsgscontrol). Returns MSGR_S_OK, MSGR_S_FALSE (nobody in the
 * conversation right now: nothing sent), MSGR_E_POINTER or MSGR_E_FAIL
 * (closed or signed out). */
msgr_hr msgr_conversation_send_typing(msgr_conversation *w);

#ifdef __cplusplus
}
#endif

#endif
