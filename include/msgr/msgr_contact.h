/*
 * msgr/msgr_contact.h - MessengerContact (IMessengerContact) and
 * MessengerContacts (IMessengerContacts).
 *
 * A contact is the local view of one user, maintained from server
 * notifications; the same object represents a sign-in name for as long as
 * anyone holds it (msgr_messenger_get_contact). A contacts collection is a
 * snapshot taken when it was handed out; later list changes do not alter
 * it. Lifetime of objects and strings: msgr/msgr_object.h.
 */
#ifndef MSGR_CONTACT_H
#define MSGR_CONTACT_H

#include <stdbool.h>
#include <stdint.h>

#include "msgr_enums.h"
#include "msgr_hr.h"
#include "msgr_object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- IMessengerContact ----------------------------------------------------- */

/* FriendlyName (get): display name (not unique); the sign-in name until
 * the server told another. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_FAIL (dead object). */
msgr_hr msgr_contact_get_friendly_name(msgr_contact *c, const char **name);

/* Status (get): MISTATUS_ONLINE ... OUT_TO_LUNCH, MISTATUS_OFFLINE, or
 * MISTATUS_UNKNOWN for a contact not on the contact list; never LOCAL_* or
 * INVISIBLE. The local user's own contact reads the local status.
 * Returns MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_FAIL. */
msgr_hr msgr_contact_get_status(msgr_contact *c, MISTATUS *status);

/* SigninName (get): the unique sign-in name. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_FAIL. */
msgr_hr msgr_contact_get_signin_name(msgr_contact *c, const char **name);

/* ServiceName (get): the contact's service's name. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_FAIL. */
msgr_hr msgr_contact_get_service_name(msgr_contact *c, const char **name);

/* ServiceID (get): "{GUID}" of the contact's service. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER, or MSGR_E_INVALIDARG for a dead object
 * (its page uses E_INVALIDARG for general failure; erratum E23). */
msgr_hr msgr_contact_get_service_id(msgr_contact *c, const char **id);

/* Blocked (get): true when the local user blocks the contact (block
 * list); false when signed out. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_FAIL. */
msgr_hr msgr_contact_get_blocked(msgr_contact *c, bool *blocked);

/* Blocked (put): blocks (leave the allow list, join the block list) or
 * unblocks (leave the block list, join the allow list).
 * -> on_contact_block_change(hr, contact, new state). Returns MSGR_S_OK,
 * MSGR_S_FALSE (already in that state; no event), MSGR_E_NOT_LOGGED_ON,
 * MSGR_E_FAIL (dead object, or the local user's own contact) or
 * MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_contact_set_blocked(msgr_contact *c, bool blocked);

/* CanPage (get): true when the contact lets others page its mobile
 * device (its MOB property is Y); false when signed out. Returns
 * MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_FAIL. */
msgr_hr msgr_contact_get_can_page(msgr_contact *c, bool *can_page);

/* PhoneNumber (get): the contact's published number of that type (HOME,
 * WORK, MOBILE). Returns MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER or
 * MSGR_E_FAIL (no such number, invalid type, dead object). */
msgr_hr msgr_contact_get_phone_number(msgr_contact *c, MPHONE_TYPE type,
                                      const char **number);

/* IsSelf (get): true when the contact is the local user (sign-in names
 * compared ignoring case); always false when signed out. Returns
 * MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_FAIL. */
msgr_hr msgr_contact_get_is_self(msgr_contact *c, bool *is_self);

/* libmsgr extension: the server lists the contact is on, as a bit set of
 * MSGR_LIST_FORWARD (on the local user's contact list), MSGR_LIST_ALLOW,
 * MSGR_LIST_BLOCK and MSGR_LIST_REVERSE (the contact has the local user
 * on theirs). Returns MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER (lists
 * NULL) or MSGR_E_FAIL (c NULL or dead). */
#define MSGR_LIST_FORWARD 0x01
#define MSGR_LIST_ALLOW 0x02
#define MSGR_LIST_BLOCK 0x04
#define MSGR_LIST_REVERSE 0x08
msgr_hr msgr_contact_get_lists(msgr_contact *c, unsigned *lists);

/* Property (get): MCONTACTPROP_EMAIL -> MSGR_VT_BSTR sign-in name (the
 * e-mail address); MCONTACTPROP_GROUPS_PROPERTY -> MSGR_VT_DISPATCH, a
 * msgr_groups snapshot of the groups the contact belongs to. Returns
 * MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER, MSGR_E_INVALIDARG (other
 * property), MSGR_E_FAIL (dead) or MSGR_E_OUTOFMEMORY. put is read-only:
 * always MSGR_E_INVALIDARG. */
msgr_hr msgr_contact_get_property(msgr_contact *c, MCONTACTPROPERTY prop,
                                  msgr_variant *value);
msgr_hr msgr_contact_set_property(msgr_contact *c, MCONTACTPROPERTY prop,
                                  const msgr_variant *value);

/* ---- IMessengerContacts ---------------------------------------------------- */

/* Count (get): number of contacts in the snapshot (0 when signed out).
 * Returns MSGR_S_OK or MSGR_E_RPC_X_NULL_REF_POINTER. */
msgr_hr msgr_contacts_get_count(msgr_contacts *cs, long *count);

/* Item(Index): the contact at a 0-based index. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER, MSGR_E_INVALIDARG (negative index) or
 * MSGR_E_FAIL (index >= Count). */
msgr_hr msgr_contacts_item(msgr_contacts *cs, long index,
                           msgr_contact **contact);

/* Remove(pMContact): removes the contact from the contact list (forward
 * list) -> on_contact_list_remove(hr, contact). The snapshot itself does
 * not change. Returns MSGR_S_OK, MSGR_E_POINTER (contact NULL),
 * MSGR_E_FAIL (contact not in this collection: checked locally, no event),
 * MSGR_E_NOT_LOGGED_ON or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_contacts_remove(msgr_contacts *cs, msgr_contact *contact);

/* _NewEnum (get): a copy of the collection to iterate over (Count + Item),
 * unaffected by anything done to the original. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_contacts_get_new_enum(msgr_contacts *cs, msgr_contacts **copy);

#ifdef __cplusplus
}
#endif

#endif
