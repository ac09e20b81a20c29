/*
 * msgr/msgr_object.h - opaque object types, reference counting and the
 * msgr_variant used where the Messenger API takes or returns a VARIANT.
 *
 * Lifetime rules (DESIGN.md section 3):
 *
 *   - msgr_messenger_create() returns a messenger holding one reference;
 *     msgr_object_release() on it ends it.
 *   - Every other object handed out by a getter, a method or an event is
 *     BORROWED: it stays valid until the next msgr_messenger_process() or
 *     msgr_messenger_run() call on its messenger, or until the messenger is
 *     released, whichever comes first. To keep one longer, take a
 *     reference with msgr_object_addref() and drop it later with
 *     msgr_object_release().
 *   - An object removed from its list (a contact removed from the contact
 *     list, a deleted group) stays valid while someone holds a reference;
 *     its getters keep answering from the last known state.
 *   - An object that outlives its messenger (the application kept a
 *     reference and released the messenger) is dead: its members fail
 *     with MSGR_E_FAIL; release it as usual.
 *   - Strings returned by getters (const char *) are borrowed the same way:
 *     valid until the next process()/run() call on the messenger or the
 *     release of the object they came from. Strings are UTF-8.
 *
 * All libmsgr objects are single-threaded: call them from the thread that
 * drives msgr_messenger_process()/run().
 */
#ifndef MSGR_OBJECT_H
#define MSGR_OBJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "msgr_hr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The Messenger object (Messenger / MessengerNative coclasses). */
typedef struct msgr_messenger msgr_messenger;
/* One user on a contact list, or the local user (MessengerContact). */
typedef struct msgr_contact msgr_contact;
/* A snapshot collection of contacts (MessengerContacts). */
typedef struct msgr_contacts msgr_contacts;
/* One contact-list group (MessengerGroup). */
typedef struct msgr_group msgr_group;
/* A snapshot collection of groups (MessengerGroups). */
typedef struct msgr_groups msgr_groups;
/* One configured IM service (MessengerService). */
typedef struct msgr_service msgr_service;
/* The collection of services (MessengerServices). */
typedef struct msgr_services msgr_services;
/* A window (IMessengerWindow). */
typedef struct msgr_window msgr_window;
/* A conversation window (MessengerConversationWnd): it is also a window,
 * so the two names denote the same type and every msgr_window_* function
 * takes a conversation. */
typedef struct msgr_window msgr_conversation;
/* The private service object (MessengerPriv: IMessengerPrivate,
 * IMsgrLock), msgr/msgr_priv.h. */
typedef struct msgr_priv msgr_priv;
/* The Lock and Key handshake of a locked object (IMsgrLock),
 * msgr/msgr_lock.h. */
typedef struct msgr_lock msgr_lock;

/* Takes one reference on any libmsgr object (msgr_messenger,
 * msgr_contact, msgr_contacts, msgr_group, msgr_groups, msgr_service,
 * msgr_services, msgr_window, msgr_priv, msgr_lock, msgr_file_transfer).
 * Returns MSGR_S_OK, or MSGR_E_POINTER for NULL or for a
 * pointer that is not a live libmsgr object. */
msgr_hr msgr_object_addref(void *object);

/* Drops one reference; the object is freed when the last one goes (a
 * messenger also disconnects and releases everything it owns). Returns
 * MSGR_S_OK, or MSGR_E_POINTER for NULL or a pointer that is not a live
 * libmsgr object. Must not be called on the messenger from inside one of
 * its own event callbacks. */
msgr_hr msgr_object_release(void *object);

/* Type tag of a msgr_variant (a subset of the COM VARTYPE values, with the
 * same numbers). */
typedef enum msgr_vartype {
    MSGR_VT_EMPTY = 0,
    MSGR_VT_I4 = 3,
    MSGR_VT_BSTR = 8,
    MSGR_VT_DISPATCH = 9,
    MSGR_VT_BOOL = 11,
} msgr_vartype;

/* A VARIANT as the Messenger API uses it. Which member is valid is told by
 * vt. As an out-parameter, bstr and dispatch are borrowed (see the top of
 * this file); dispatch points to a libmsgr object whose type the member's
 * documentation names. */
typedef struct msgr_variant {
    msgr_vartype vt;
    union {
        int32_t i4;          /* MSGR_VT_I4 */
        const char *bstr;    /* MSGR_VT_BSTR: UTF-8 */
        void *dispatch;      /* MSGR_VT_DISPATCH: a libmsgr object */
        bool boolean;        /* MSGR_VT_BOOL */
    } u;
} msgr_variant;

#ifdef __cplusplus
}
#endif

#endif
