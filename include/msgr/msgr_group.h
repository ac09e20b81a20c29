/*
 * msgr/msgr_group.h - MessengerGroup (IMessengerGroup) and MessengerGroups
 * (IMessengerGroups).
 *
 * A group is one contact-list group of a service. A group created with
 * msgr_messenger_create_group() exists locally at once and on the server
 * once on_group_added(MSGR_S_OK) arrived; a removed group stays valid
 * while held, with its last name. Group 0 ("Other Contacts" on msgrd) is
 * built in: it cannot be renamed or removed. Lifetime: msgr/msgr_object.h.
 */
#ifndef MSGR_GROUP_H
#define MSGR_GROUP_H

#include "msgr_contact.h"
#include "msgr_hr.h"
#include "msgr_object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- IMessengerGroup ------------------------------------------------------- */

/* Name (get): the group's name. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER, MSGR_E_NOT_LOGGED_ON (signed out) or
 * MSGR_E_FAIL (dead object). */
msgr_hr msgr_group_get_name(msgr_group *g, const char **name);

/* Name (put): renames the group -> on_group_name_changed(hr, group)
 * (MSGR_S_OK, MSGR_E_GROUP_NAME_TOO_LONG, MSGR_E_BAD_GROUP_NAME,
 * MSGR_E_GROUP_DOES_NOT_EXIST). Surrounding spaces are trimmed. Returns
 * MSGR_S_OK, MSGR_E_POINTER (name NULL), MSGR_E_INVALIDARG (blank),
 * MSGR_E_BAD_GROUP_NAME, MSGR_E_GROUP_NAME_TOO_LONG, MSGR_E_CANNOT_RENAME
 * (group 0), MSGR_E_GROUP_DOES_NOT_EXIST (removed, or not yet created on
 * the server), MSGR_E_NOT_LOGGED_ON, MSGR_E_FAIL (dead) or
 * MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_group_set_name(msgr_group *g, const char *name);

/* AddContact(vContact): puts a listed contact into this group too ->
 * on_contact_added_to_group(hr, group, contact). Returns MSGR_S_OK,
 * MSGR_E_INVALIDARG (contact NULL or of another messenger),
 * MSGR_E_USER_NOT_FOUND (not on the contact list), MSGR_E_FAIL (group
 * removed or not yet created), MSGR_E_NOT_LOGGED_ON or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_group_add_contact(msgr_group *g, msgr_contact *contact);

/* RemoveContact(vContact): takes a contact out of this group ->
 * on_contact_removed_from_group(hr, group, contact). A contact leaving its
 * last group leaves the contact list (msgrd's rule, msnp.md 3.1).
 * Same returns as msgr_group_add_contact(). */
msgr_hr msgr_group_remove_contact(msgr_group *g, msgr_contact *contact);

/* Contacts (get): snapshot of the group's members. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER, MSGR_E_FAIL (dead) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_group_get_contacts(msgr_group *g, msgr_contacts **contacts);

/* Service (get): the service the group belongs to. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_FAIL (dead). */
msgr_hr msgr_group_get_service(msgr_group *g, msgr_service **service);

/* ---- IMessengerGroups ------------------------------------------------------ */

/* Count (get). Returns MSGR_S_OK or MSGR_E_RPC_X_NULL_REF_POINTER. */
msgr_hr msgr_groups_get_count(msgr_groups *gs, long *count);

/* Item(Index): the group at a 0-based index. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER, MSGR_E_INVALIDARG (negative) or
 * MSGR_E_FAIL (index >= Count). */
msgr_hr msgr_groups_item(msgr_groups *gs, long index, msgr_group **group);

/* Remove(pMGroup): deletes the group on the server ->
 * on_group_removed(hr, group). Contacts whose only group it was leave the
 * contact list. Returns MSGR_S_OK, MSGR_E_POINTER (group NULL),
 * MSGR_E_FAIL (not in this collection), MSGR_E_CANNOT_DELETE (group 0),
 * MSGR_E_CONNECT (signed out; erratum E28) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_groups_remove(msgr_groups *gs, msgr_group *group);

/* _NewEnum (get): a copy of the collection. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_groups_get_new_enum(msgr_groups *gs, msgr_groups **copy);

#ifdef __cplusplus
}
#endif

#endif
