/*
 * msgr/msgr_host.h - the host-UI callback table (DESIGN.md section 3,
 * "Host UI").
 *
 * Windows Messenger opened dialogs and web pages for some members. libmsgr
 * has no user interface: the program that embeds it (the msgr terminal
 * client, for example) supplies these callbacks, and the members call them.
 * Where a member has a meaning without a dialog, libmsgr does that part
 * itself (for OpenInbox, SendMail and ViewProfile it fetches the page's
 * address from the service with the URL command) and hands the rest to
 * the host. Without a host callback such members return MSGR_E_NOTIMPL,
 * as documented on each of them.
 *
 * The host applies the "busy UI" rule of api-scope.md section 3: its
 * show_* callbacks return the member's result -- MSGR_S_OK (shown),
 * MSGR_S_FALSE (that dialog was already open; brought to front), or the
 * busy code of the dialog that is open (MSGR_E_LOGON_UI_ACTIVE,
 * MSGR_E_OPTION_UI_ACTIVE, MSGR_E_CONTACT_UI_ACTIVE, MSGR_E_AUDIO_UI_ACTIVE,
 * MSGR_E_OTHER_UI_ACTIVE). Callbacks run on the caller's thread: show_*
 * inside the member that needs them, open_service_page inside
 * msgr_messenger_process(). Strings are borrowed for the call.
 */
#ifndef MSGR_HOST_H
#define MSGR_HOST_H

#include <stdint.h>

#include "msgr_enums.h"
#include "msgr_hr.h"
#include "msgr_object.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct msgr_host_ui {
    /* Signin() without a sign-in name or without a password: show the
     * Sign In dialog, pre-filled with signin_name ("" when none). The
     * dialog signs in with msgr_messenger_signin() when the user submits. */
    msgr_hr (*show_signin)(void *user_data, msgr_messenger *m,
                           const char *signin_name);
    /* OptionsPages(): show Options on the page (any MOPTIONPAGE value). */
    msgr_hr (*show_options)(void *user_data, msgr_messenger *m,
                            MOPTIONPAGE page);
    /* FindContact(): show the Find Contact page searching by name; city,
     * state and country may be NULL. */
    msgr_hr (*show_find_contact)(void *user_data, msgr_messenger *m,
                                 const char *first_name, const char *last_name,
                                 const char *city, const char *state,
                                 const char *country);
    /* MediaWizard(): show the Audio and Video Tuning Wizard. */
    msgr_hr (*show_media_wizard)(void *user_data, msgr_messenger *m);
    /* OpenInbox, SendMail, ViewProfile: the service answered the URL
     * command for service ("INBOX", "COMPOSE", "PROFILE"); subject is the
     * contact's sign-in name for COMPOSE and PROFILE, NULL for INBOX. The
     * host opens a browser on redirect_url, through the auto-login form
     * at post_url with Passport site id site_id (msnp.md 7.4). */
    void (*open_service_page)(void *user_data, msgr_messenger *m,
                              const char *service, const char *subject,
                              const char *redirect_url, const char *post_url,
                              uint32_t site_id);
    /* SendFile() without a readable file (msgr/msgr_transfer.h): show the
     * file dialog for the conversation window, pre-filled with file_name
     * ("" when none). The host sends the chosen file with
     * msgr_conversation_send_file(window, path, NULL). */
    msgr_hr (*choose_file)(void *user_data, msgr_messenger *m,
                           msgr_conversation *window, const char *file_name);
    /* IMessengerWindow::Show(): make the window visible (restore it when
     * minimized). msgr_window_get_kind() tells which window it is. */
    msgr_hr (*show_window)(void *user_data, msgr_messenger *m,
                           msgr_window *window);
    /* IMessengerWindow::HWND: the host's handle for the window, as a
     * long (any value meaningful to the host). */
    msgr_hr (*get_window_handle)(void *user_data, msgr_messenger *m,
                                 msgr_window *window, long *hwnd);
    /* Page(): show the paging window (window, MSGR_WINDOW_PAGE) for a
     * contact that accepts pages; the host composes and sends the page. */
    msgr_hr (*show_page)(void *user_data, msgr_messenger *m,
                         msgr_window *window, msgr_contact *contact);
    /* Phone(): show the Phone Call window (window, MSGR_WINDOW_PHONE) to
     * call number (the caller's, or the contact's number of that type;
     * "" when none). Called again while open: replace the number and
     * return MSGR_S_OK (erratum E22). */
    msgr_hr (*show_phone)(void *user_data, msgr_messenger *m,
                          msgr_window *window, msgr_contact *contact,
                          MPHONE_TYPE type, const char *number);
} msgr_host_ui;

/* libmsgr extension: installs the host's callbacks (copied; NULL members
 * mean "no such dialog"), replacing any previous table; ui NULL removes
 * it. Returns MSGR_S_OK or MSGR_E_POINTER (m NULL). */
msgr_hr msgr_messenger_set_host_ui(msgr_messenger *m, const msgr_host_ui *ui,
                                   void *user_data);

/* OptionsPages(hwndParent, mOptionPage): works signed out. Returns the
 * host's result, MSGR_E_INVALIDARG (page not a MOPTIONPAGE value),
 * MSGR_E_POINTER or MSGR_E_NOTIMPL (no show_options). */
msgr_hr msgr_messenger_options_pages(msgr_messenger *m, long hwnd_parent,
                                     MOPTIONPAGE page);

/* MediaWizard(hwndParent): works signed out. Returns the host's result,
 * MSGR_E_POINTER or MSGR_E_NOTIMPL (no show_media_wizard). */
msgr_hr msgr_messenger_media_wizard(msgr_messenger *m, long hwnd_parent);

/* FindContact(hwndParent, first, last, city, state, country): first and
 * last names 1-63 bytes, the optional strings (NULL = absent) at most 63,
 * country without CR/LF or bytes above 0x7E. Returns the host's result,
 * MSGR_E_INVALIDARG, MSGR_E_POINTER (m NULL), MSGR_E_NOT_LOGGED_ON or
 * MSGR_E_NOTIMPL (no show_find_contact). */
msgr_hr msgr_messenger_find_contact(msgr_messenger *m, long hwnd_parent,
                                    const char *first_name,
                                    const char *last_name, const char *city,
                                    const char *state, const char *country);

/* OpenInbox(): asks the service for the inbox page (URL INBOX) and hands
 * it to open_service_page. Returns MSGR_S_OK (request sent),
 * MSGR_E_POINTER, MSGR_E_NOT_LOGGED_ON, MSGR_E_NOTIMPL (no
 * open_service_page) or MSGR_E_FAIL (the request could not be sent). */
msgr_hr msgr_messenger_open_inbox(msgr_messenger *m);

/* SendMail(vContact): a new mail to the contact (URL COMPOSE <name>), opened
 * by open_service_page. Returns MSGR_S_OK, MSGR_E_POINTER (m NULL),
 * MSGR_E_INVALIDARG (contact NULL or of another messenger),
 * MSGR_E_NOT_LOGGED_ON, MSGR_E_NOTIMPL (no open_service_page) or
 * MSGR_E_FAIL. */
msgr_hr msgr_messenger_send_mail(msgr_messenger *m, msgr_contact *contact);

/* ViewProfile(vContact): the profile page (URL PROFILE 0x0409) for the
 * contact (the local user's own contact too), opened by open_service_page
 * with the contact's sign-in name as subject. Same returns as
 * msgr_messenger_send_mail(). */
msgr_hr msgr_messenger_view_profile(msgr_messenger *m, msgr_contact *contact);

#ifdef __cplusplus
}
#endif

#endif
