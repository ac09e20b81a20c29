/*
 * msgr/msgr_events.h - DMessengerEvents as a C callback table.
 *
 * An application fills a msgr_messenger_events with the callbacks it
 * wants (NULL members are skipped) and registers it with
 * msgr_messenger_advise(); any number of sinks may be registered, each
 * with its own user_data, and each is called in registration order.
 * msgr_messenger_unadvise() removes one by its cookie.
 *
 * Callbacks run only inside msgr_messenger_process() / msgr_messenger_run(),
 * on the caller's thread, never from a hidden thread. Every object and
 * string passed to a callback is borrowed (msgr/msgr_object.h): valid during
 * the callback and until the next process()/run() call; take a reference
 * to keep an object longer. A callback may call any libmsgr function on the
 * messenger (including advise/unadvise and Signout) except releasing the
 * messenger itself.
 *
 * Events whose first argument is an hr report the outcome of a request;
 * check it before trusting the other arguments (api-scope.md 5.4). The
 * same events, with MSGR_S_OK, report a list, group, name or status
 * change made elsewhere (another program attached to the same messenger
 * in local server mode, or the serving messenger itself): an application
 * need not tell its own changes from the others'.
 */
#ifndef MSGR_EVENTS_H
#define MSGR_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "msgr_enums.h"
#include "msgr_hr.h"
#include "msgr_object.h"
#include "msgr_transfer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct msgr_messenger_events {
    /* OnAppShutdown: the messenger is about to go away for an upgrade.
     * libmsgr never upgrades itself, so this is never raised. */
    void (*on_app_shutdown)(void *user_data, msgr_messenger *m);
    /* OnContactAddedToGroup: outcome of msgr_group_add_contact().
     * hr: MSGR_S_OK, MSGR_E_USER_NOT_FOUND, MSGR_E_GROUP_DOES_NOT_EXIST, ... */
    void (*on_contact_added_to_group)(void *user_data, msgr_messenger *m,
                                      msgr_hr hr, msgr_group *group,
                                      msgr_contact *contact);
    /* OnContactBlockChange: outcome of msgr_contact_set_blocked(); blocked
     * is the contact's blocked state after the attempt. */
    void (*on_contact_block_change)(void *user_data, msgr_messenger *m,
                                    msgr_hr hr, msgr_contact *contact,
                                    bool blocked);
    /* OnContactFriendlyNameChange: a contact's display name changed;
     * prev_friendly_name is the old one (read the contact for the new). */
    void (*on_contact_friendly_name_change)(void *user_data, msgr_messenger *m,
                                            msgr_hr hr, msgr_contact *contact,
                                            const char *prev_friendly_name);
    /* OnContactListAdd: outcome of msgr_messenger_add_contact(). */
    void (*on_contact_list_add)(void *user_data, msgr_messenger *m,
                                msgr_hr hr, msgr_contact *contact);
    /* OnContactListRemove: outcome of msgr_contacts_remove(). */
    void (*on_contact_list_remove)(void *user_data, msgr_messenger *m,
                                   msgr_hr hr, msgr_contact *contact);
    /* OnContactPagerChange: a contact's "can page" flag changed (MOB). */
    void (*on_contact_pager_change)(void *user_data, msgr_messenger *m,
                                    msgr_hr hr, msgr_contact *contact,
                                    bool can_page);
    /* OnContactPhoneChange: a contact's phone number of type changed
     * (number is "" when the number was removed). */
    void (*on_contact_phone_change)(void *user_data, msgr_messenger *m,
                                    msgr_hr hr, msgr_contact *contact,
                                    MPHONE_TYPE type, const char *number);
    /* OnContactPropertyChange: reserved by the documentation; libmsgr has
     * no contact property that changes this way and never raises it. */
    void (*on_contact_property_change)(void *user_data, msgr_messenger *m,
                                       msgr_hr hr, msgr_contact *contact,
                                       MCONTACTPROPERTY prop,
                                       const msgr_variant *value);
    /* OnContactRemovedFromGroup: outcome of msgr_group_remove_contact(). */
    void (*on_contact_removed_from_group)(void *user_data, msgr_messenger *m,
                                          msgr_hr hr, msgr_group *group,
                                          msgr_contact *contact);
    /* OnContactStatusChange: a listed contact's presence changed.
     * prev_status is the status BEFORE the change (erratum E9); the
     * contact's status already holds the new one. */
    void (*on_contact_status_change)(void *user_data, msgr_messenger *m,
                                     msgr_contact *contact,
                                     MISTATUS prev_status);
    /* OnGroupAdded: outcome of msgr_messenger_create_group(). */
    void (*on_group_added)(void *user_data, msgr_messenger *m, msgr_hr hr,
                           msgr_group *group);
    /* OnGroupNameChanged: outcome of msgr_group_set_name(). */
    void (*on_group_name_changed)(void *user_data, msgr_messenger *m,
                                  msgr_hr hr, msgr_group *group);
    /* OnGroupRemoved: outcome of msgr_groups_remove(). */
    void (*on_group_removed)(void *user_data, msgr_messenger *m, msgr_hr hr,
                             msgr_group *group);
    /* OnIMWindowContactAdded: a participant joined a conversation window
     * (msgr/msgr_window.h). */
    void (*on_im_window_contact_added)(void *user_data, msgr_messenger *m,
                                       msgr_contact *contact,
                                       msgr_window *window);
    /* OnIMWindowContactRemoved: a participant left the conversation. */
    void (*on_im_window_contact_removed)(void *user_data, msgr_messenger *m,
                                         msgr_contact *contact,
                                         msgr_window *window);
    /* OnIMWindowCreated: a conversation window opened
     * (msgr_messenger_instant_message(), or another user invited us). */
    void (*on_im_window_created)(void *user_data, msgr_messenger *m,
                                 msgr_window *window);
    /* OnIMWindowDestroyed: a conversation window closed (msgr_window_close()
     * or sign-out); the object is dead from now on. */
    void (*on_im_window_destroyed)(void *user_data, msgr_messenger *m,
                                   msgr_window *window);
    /* OnMyFriendlyNameChange: the local display name changed (at sign-in
     * when the server's name differs from the last one known, or changed
     * elsewhere, e.g. by another program attached to the same messenger),
     * or the outcome of msgr_messenger_set_my_friendly_name(): MSGR_S_OK,
     * or an error (MSGR_E_INVALID_FRIENDLY_NAME, MSGR_E_SERVER_TOO_BUSY,
     * ...) when the name did not change; prev_friendly_name is the name
     * before (on an error: the unchanged name). */
    void (*on_my_friendly_name_change)(void *user_data, msgr_messenger *m,
                                       msgr_hr hr,
                                       const char *prev_friendly_name);
    /* OnMyPhoneChange: a local phone number changed; number is the new
     * value ("" when cleared). */
    void (*on_my_phone_change)(void *user_data, msgr_messenger *m,
                               MPHONE_TYPE type, const char *number);
    /* OnMyPropertyChange: reserved; never raised. */
    void (*on_my_property_change)(void *user_data, msgr_messenger *m,
                                  msgr_hr hr, MCONTACTPROPERTY prop,
                                  const msgr_variant *value);
    /* OnMyStatusChange: the local status changed or a change was
     * attempted; status is the CURRENT status (transitional LOCAL_*
     * states included). Raised even when the same status is set again. */
    void (*on_my_status_change)(void *user_data, msgr_messenger *m,
                                msgr_hr hr, MISTATUS status);
    /* OnSignin: end of a sign-in attempt on the primary service. MSGR_S_OK
     * does not mean online yet: wait for on_my_status_change(ONLINE). */
    void (*on_signin)(void *user_data, msgr_messenger *m, msgr_hr hr);
    /* OnSignout: the local user signed out (or was signed out). */
    void (*on_signout)(void *user_data, msgr_messenger *m);
    /* OnUnreadEmailChange: new unread count of folder. *enable_default is
     * reserved (the library has no toast to suppress); it reads true. */
    void (*on_unread_email_change)(void *user_data, msgr_messenger *m,
                                   MUAFOLDER folder, int32_t unread,
                                   bool *enable_default);

    /* ---- libmsgr extensions (what Windows Messenger showed in its own
     * windows; an application driving conversations needs them) ---- */

    /* A participant's text message arrived in a conversation window
     * (text/plain MSG). text is UTF-8 with the sender's line breaks; it
     * was already appended to the window's History. */
    void (*on_im_window_message)(void *user_data, msgr_messenger *m,
                                 msgr_window *window, msgr_contact *from,
                                 const char *text);
    /* A participant is typing in a conversation window
     * (text/x-msmsgscontrol TypingUser). Raised for each notice the
     * sender's client sends (about every 5 seconds while it types). */
    void (*on_im_window_typing)(void *user_data, msgr_messenger *m,
                                msgr_window *window, msgr_contact *from);
    /* Another user added the local user to their contact list (added =
     * true: the contact is now on the reverse list) or removed the local
     * user from it (false). A contact on the reverse list but on neither
     * the allow nor the block list is "pending": see
     * msgr_contact_get_lists() and decide with msgr_contact_set_blocked()
     * or msgr_messenger_add_contact(). Entries still pending at sign-in
     * (someone added the user while they were away) are reported once
     * each, with added = true, after OnMyStatusChange(ONLINE). */
    void (*on_contact_reverse_list_change)(void *user_data, msgr_messenger *m,
                                           msgr_contact *contact, bool added);

    /* ---- file transfer (libmsgr extensions, msgr/msgr_transfer.h) ---- */

    /* from offers a file in the conversation window: answer with
     * msgr_file_transfer_accept() or msgr_file_transfer_decline() (now or
     * later; the sender withdraws the offer after 5 minutes). The
     * transfer is in MSGR_FT_INVITING; its file name, size and contact
     * are set. */
    void (*on_file_transfer_invitation)(void *user_data, msgr_messenger *m,
                                        msgr_window *window, msgr_contact *from,
                                        msgr_file_transfer *transfer);
    /* File data moved (read msgr_file_transfer_get_bytes_done()). Raised
     * at most 10 times a second per transfer, and once more with the
     * final count before the change to MSGR_FT_COMPLETED. */
    void (*on_file_transfer_progress)(void *user_data, msgr_messenger *m,
                                      msgr_file_transfer *transfer);
    /* The transfer changed state (every change after the initial
     * MSGR_FT_INVITING, outgoing and incoming); hr is the change's code
     * as listed in msgr/msgr_transfer.h. */
    void (*on_file_transfer_state_change)(void *user_data, msgr_messenger *m,
                                          msgr_file_transfer *transfer,
                                          MSGR_FT_STATE state, msgr_hr hr);
} msgr_messenger_events;

/* Registers a sink. events is copied; user_data is passed back to every
 * callback. *cookie receives a non-zero id for msgr_messenger_unadvise().
 * Returns MSGR_S_OK, MSGR_E_POINTER (m, events or cookie NULL) or
 * MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_advise(msgr_messenger *m,
                              const msgr_messenger_events *events,
                              void *user_data, uint32_t *cookie);

/* Removes the sink registered under cookie; it is not called again, even
 * for events already queued. Returns MSGR_S_OK, MSGR_E_POINTER (m NULL) or
 * MSGR_E_INVALIDARG (no such cookie). */
msgr_hr msgr_messenger_unadvise(msgr_messenger *m, uint32_t cookie);

#ifdef __cplusplus
}
#endif

#endif
