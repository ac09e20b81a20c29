/*
 * msgr/msgr_service.h - MessengerService (IMessengerService) and
 * MessengerServices (IMessengerServices).
 *
 * A messenger has one service in this version: the primary service, an
 * MSNP8 sign-in on the server of msgr_options.server, with the service ID
 * MSGR_SERVICE_ID_MSNP. Lifetime: msgr/msgr_object.h.
 */
#ifndef MSGR_SERVICE_H
#define MSGR_SERVICE_H

#include "msgr_enums.h"
#include "msgr_hr.h"
#include "msgr_object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Service ID and name of the MSNP8 ("Messenger service") service. */
#define MSGR_SERVICE_ID_MSNP "{4E4D5347-5244-4D53-4E50-384D53475244}"
#define MSGR_SERVICE_NAME_MSNP ".NET Messenger Service"

/* ---- IMessengerService ----------------------------------------------------- */

/* ServiceName (get). Returns MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER or
 * MSGR_E_FAIL (dead object). */
msgr_hr msgr_service_get_service_name(msgr_service *s, const char **name);

/* ServiceID (get). Returns MSGR_S_OK, MSGR_E_INVALIDARG (id NULL; erratum
 * E23) or MSGR_E_FAIL (dead). */
msgr_hr msgr_service_get_service_id(msgr_service *s, const char **id);

/* MyFriendlyName / MySigninName (get): the local user on this service.
 * Return MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER, MSGR_E_NOT_LOGGED_ON
 * (service signed out) or MSGR_E_FAIL (dead). */
msgr_hr msgr_service_get_my_friendly_name(msgr_service *s, const char **name);
msgr_hr msgr_service_get_my_signin_name(msgr_service *s, const char **name);

/* MyStatus (get): the local status on this service (as
 * msgr_messenger_get_my_status). Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_FAIL (dead). */
msgr_hr msgr_service_get_my_status(msgr_service *s, MISTATUS *status);

/* Property (get/put): reserved; both always MSGR_E_INVALIDARG. */
msgr_hr msgr_service_get_property(msgr_service *s, MSERVICEPROPERTY prop,
                                  msgr_variant *value);
msgr_hr msgr_service_set_property(msgr_service *s, MSERVICEPROPERTY prop,
                                  const msgr_variant *value);

/* ---- IMessengerServices ---------------------------------------------------- */

/* PrimaryService (get): the service AutoSignin uses. Returns MSGR_S_OK or
 * MSGR_E_RPC_X_NULL_REF_POINTER. */
msgr_hr msgr_services_get_primary_service(msgr_services *ss,
                                          msgr_service **service);

/* Count (get): works signed out (1). Returns MSGR_S_OK or
 * MSGR_E_RPC_X_NULL_REF_POINTER. */
msgr_hr msgr_services_get_count(msgr_services *ss, long *count);

/* Item(Index): 0-based. Returns MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER,
 * MSGR_E_INVALIDARG (negative) or MSGR_E_FAIL (index >= Count). */
msgr_hr msgr_services_item(msgr_services *ss, long index,
                           msgr_service **service);

/* _NewEnum (get): a copy of the collection. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_services_get_new_enum(msgr_services *ss, msgr_services **copy);

#ifdef __cplusplus
}
#endif

#endif
