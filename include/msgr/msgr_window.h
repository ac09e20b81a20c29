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

/* StartVoice(vContact) / IMessenger2::StartVideo(vContact): open (or
 * reuse) the conversation window with contact exactly like
 * msgr_messenger_instant_message() and send an invitation to an audio
 * conversation in it: text/x-msmsgsinvite with Application-GUID
 * {02D3C01F-BF30-4825-A83A-DE7AF41648AA}, Session-Protocol SM1, a new
 * Session-ID and Context-Data "Requested:SIP_A,;Capabilities:SIP_A,;"
 * (voice) or "Requested:SIP_V,;Capabilities:SIP_A,SIP_V,;" (video: video
 * rides on the voice invitation, msnp.md 5.10). It waits in the window
 * until the contact has joined.
 * libmsgr has no media engine, so the invitation is all it does:
 *   - the contact accepts: libmsgr answers CANCEL FAIL ("no common
 *     protocol") and the window's History gets the line
 *     "* The audio conversation could not be started.\n" (video: "video
 *     conversation", "a video conversation" in every line below);
 *   - the contact declines (CANCEL REJECT) or has no voice
 *     (REJECT_NOT_INSTALLED; another libmsgr answers that), or cancels
 *     otherwise: History gets "* <friendly name> declined the audio
 *     conversation.\n" (REJECT), "* <friendly name> cannot take part in
 *     an audio conversation.\n" (REJECT_NOT_INSTALLED) or "* The audio
 *     conversation was cancelled.\n" (other codes);
 *   - no answer within 5 minutes: CANCEL TIMEOUT is sent (History: "* The
 *     audio conversation was cancelled.\n");
 *   - the window closes first: CANCEL OUTBANDCANCEL.
 * No event reports these (the documented API has none for voice); the
 * History lines are what Windows Messenger showed in the window.
 * Returns what msgr_messenger_instant_message() returns (MSGR_S_OK,
 * MSGR_E_POINTER, MSGR_E_RPC_X_NULL_REF_POINTER, MSGR_E_INVALIDARG,
 * MSGR_E_FAIL for the local user, MSGR_E_NOT_LOGGED_ON,
 * MSGR_E_OUTOFMEMORY). Never MSGR_E_POLICY_RESTRICTED. */
msgr_hr msgr_messenger_start_voice(msgr_messenger *m, msgr_contact *contact,
                                   msgr_conversation **window);
msgr_hr msgr_messenger_start_video(msgr_messenger *m, msgr_contact *contact,
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

/* Show(): makes the window visible again (restores it). Calls the host's
 * show_window (msgr/msgr_host.h) and returns its result. A main, Phone or
 * Page window that was closed is open again first (IsClosed false; this
 * is the main window coming back from the notification area). Without a
 * host callback: MSGR_S_OK for a main, Phone or Page window (the model
 * changed), MSGR_E_NOTIMPL for a conversation window (there is nothing
 * to show but the host's own window). Returns also MSGR_E_POINTER (not a
 * window) or MSGR_E_FAIL (a closed conversation window, or the messenger
 * is gone). */
msgr_hr msgr_window_show(msgr_window *w);

/* HWND (get): the host's handle for the window (get_window_handle in
 * msgr/msgr_host.h). Returns the host's result, MSGR_E_NOTIMPL (no host
 * callback: libmsgr has no windows of its own), MSGR_E_POINTER,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_FAIL (closed). */
msgr_hr msgr_window_get_hwnd(msgr_window *w, long *hwnd);

/* Which window an msgr_window is (libmsgr extension, for host UIs). */
typedef enum MSGR_WINDOW_KIND {
    MSGR_WINDOW_CONVERSATION = 0, /* MessengerConversationWnd */
    MSGR_WINDOW_MAIN,             /* MessengerWindow: IMessenger::Window */
    MSGR_WINDOW_PHONE,            /* MessengerWindow: IMessenger::Phone */
    MSGR_WINDOW_PAGE,             /* MessengerWindow: IMessenger::Page */
} MSGR_WINDOW_KIND;

/* libmsgr extension: the kind of w (also of a closed window). Returns
 * MSGR_S_OK, MSGR_E_POINTER or MSGR_E_RPC_X_NULL_REF_POINTER. */
msgr_hr msgr_window_get_kind(msgr_window *w, MSGR_WINDOW_KIND *kind);

/* ---- MessengerWindow: the main, Phone and Page windows ----------------------
 *
 * Plain windows (IMessengerWindow only). A messenger has at most one of
 * each kind and returns the same object every time (borrowed; the
 * messenger holds it until it is released). They are not conversation
 * windows: no OnIMWindow* events, the msgr_conversation_* functions fail
 * with MSGR_E_FAIL on them, Property (get/put) returns MSGR_E_NOTIMPL.
 * Geometry works as for conversation windows (initially 0, 0, 400, 300).
 * Close() closes them without killing them (the main window goes to the
 * notification area: IsClosed true, geometry and HWND MSGR_E_FAIL) and
 * Show() opens them again; sign-out does not close them. */

/* Window (get): the main application window. It starts open. Works
 * signed out. Returns MSGR_S_OK, MSGR_E_POINTER (m NULL),
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_get_window(msgr_messenger *m, msgr_window **window);

/* Page(vContact): opens the paging window for contact. The service has
 * no paging gateway (msgrd answers PAG with 502, msnp.md 8), so the
 * host's show_page composes and sends the page; the contact must accept
 * pages (msgr_contact_get_can_page(): its MOB setting). Returns the
 * host's result with the Page window in *window (opened, the same object
 * each time), MSGR_E_POINTER (m NULL), MSGR_E_RPC_X_NULL_REF_POINTER,
 * MSGR_E_INVALIDARG (contact NULL or of another messenger),
 * MSGR_E_NOT_LOGGED_ON, MSGR_E_FAIL (the local user),
 * MSGR_E_PAGING_UNAVAILABLE (the contact has no mobile set up for pages),
 * MSGR_E_NOTIMPL (no show_page) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_page(msgr_messenger *m, msgr_contact *contact,
                            msgr_window **window);

/* Phone(vContact, ePhoneNumber, bstrNumber): opens the Phone Call window
 * for number ("+cc number", not validated, at most 256 bytes; NULL or ""
 * = the contact's published number of that type, "" when none). One
 * Phone window: a repeated call replaces the number and returns MSGR_S_OK
 * (erratum E22). libmsgr places no calls: the host's show_phone does.
 * Returns the host's result with the Phone window in *window,
 * MSGR_E_POINTER (m NULL), MSGR_E_RPC_X_NULL_REF_POINTER,
 * MSGR_E_INVALIDARG (contact NULL or of another messenger, type not
 * HOME, WORK, MOBILE or CUSTOM, number too long or with CR/LF),
 * MSGR_E_NOT_LOGGED_ON, MSGR_E_FAIL (the local user), MSGR_E_NOTIMPL (no
 * show_phone) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_phone(msgr_messenger *m, msgr_contact *contact,
                             MPHONE_TYPE type, const char *number,
                             msgr_window **window);

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
 * breaks are kept), and a "* ..." line for each outcome of a voice or
 * video invitation (msgr_messenger_start_voice()). Returns MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER or
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
