/*
 * msgr/msgr_priv.h - MessengerPriv: the private service object
 * (IMessengerPrivate, IMsgrLock, events DMessengerPrivateEvents;
 * api-scope.md 5.13, 5.17, 6.1).
 *
 * In COM the object came from CoCreateInstance(CLSID_MessengerPrivate);
 * here msgr_priv_create() makes one against a messenger, whose sign-in it
 * uses. An application may create several; each is locked by default and
 * unlocks on its own through its msgr_lock (msgr/msgr_lock.h), which
 * msgr_priv_get_lock() hands out.
 *
 * While the object is locked (any status but LOCK_UNLOCKED and
 * LOCK_DISABLED): msgr_priv_add_contact() fails with MSGR_E_API_LOCKED and
 * msgr_priv_enable_alert_events() returns MSGR_S_FALSE. The lock functions
 * and advise/unadvise always work.
 *
 * Wire: the first MessengerPriv of a messenger makes it send "LKS" once
 * per signed-in period (after going online, or at once when created while
 * online); a messenger without MessengerPriv objects never sends it, so
 * classic servers see the classic client. A server that answers LKS with an
 * error does not know Lock and Key (api-scope.md 6.1 item 1: only the
 * .NET Messenger Service locks): the objects report OnLockEnable(false)
 * and LOCK_DISABLED.
 *
 * Callbacks run inside msgr_messenger_process()/run() of the messenger
 * (msgr/msgr_events.h rules: objects and strings borrowed).
 *
 * Lifetime: msgr_priv_create() returns one reference; msgr_object_release()
 * ends it. An object whose messenger was released is dead: its functions
 * fail with MSGR_E_FAIL. The messenger does not hold a reference on it.
 */
#ifndef MSGR_PRIV_H
#define MSGR_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msgr_hr.h"
#include "msgr_object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Site ID of the alerts msgrd sends itself (`msgrd alert send`). */
#define MSGR_ALERT_SITE_MSGRD 1000
/* Most site IDs msgr_priv_enable_alert_events() takes. */
#define MSGR_ALERT_SITES_MAX 1024

/* DMessengerPrivateEvents as a C callback table (NULL members skipped). */
typedef struct msgr_priv_events {
    /* OnAlertReceived: an MSN Alert (the NOT payload, a NOTIFICATION XML
     * document, UTF-8) from a site enabled with
     * msgr_priv_enable_alert_events(). *enable_default reads true; the
     * library has no pop-up of its own, so what the callback sets is only
     * a hint for the host UI and is otherwise ignored. */
    void (*on_alert_received)(void *user_data, msgr_priv *priv,
                              const char *alert_xml, bool *enable_default);
    /* OnContactListAdd: outcome of msgr_priv_add_contact() (also raised on
     * the messenger's sinks, api-scope.md 6.4). */
    void (*on_contact_list_add)(void *user_data, msgr_priv *priv,
                                msgr_hr hr, msgr_contact *contact);
    /* OnLockChallenge: the challenge for cookie (0 for a challenge the
     * service pushed unprompted, erratum E34). */
    void (*on_lock_challenge)(void *user_data, msgr_priv *priv,
                              int32_t cookie, const char *challenge);
    /* OnLockEnable: after sign-in (and when a MessengerPriv is created
     * while signed in), true = Lock and Key on (unlock to use the object),
     * false = off (LOCK_DISABLED, usable without unlocking). */
    void (*on_lock_enable)(void *user_data, msgr_priv *priv, bool enable);
    /* OnLockResult: outcome of msgr_lock_send_response() for cookie;
     * succeeded = unlocked. Also false when the service refused the
     * challenge request itself. */
    void (*on_lock_result)(void *user_data, msgr_priv *priv, int32_t cookie,
                           bool succeeded);
} msgr_priv_events;

/* libmsgr extension (CoCreateInstance): a new, locked MessengerPriv bound
 * to m. *priv receives one reference. Returns MSGR_S_OK, MSGR_E_POINTER
 * (m not a messenger, priv NULL) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_priv_create(msgr_messenger *m, msgr_priv **priv);

/* libmsgr extension (QueryInterface(IID_IMsgrLock)): the object's lock,
 * borrowed (valid while priv lives; msgr/msgr_lock.h). Returns MSGR_S_OK,
 * MSGR_E_POINTER (priv not a MessengerPriv, lock NULL) or MSGR_E_FAIL
 * (dead object). */
msgr_hr msgr_priv_get_lock(msgr_priv *priv, msgr_lock **lock);

/* Registers / removes a DMessengerPrivateEvents sink, like
 * msgr_messenger_advise() / msgr_messenger_unadvise(). events is copied.
 * advise: MSGR_S_OK, MSGR_E_POINTER (priv, events or cookie NULL),
 * MSGR_E_OUTOFMEMORY. unadvise: MSGR_S_OK, MSGR_E_POINTER,
 * MSGR_E_INVALIDARG (no such cookie). */
msgr_hr msgr_priv_advise(msgr_priv *priv, const msgr_priv_events *events,
                         void *user_data, uint32_t *cookie);
msgr_hr msgr_priv_unadvise(msgr_priv *priv, uint32_t cookie);

/* AddContact(bstrSigninName, vService): adds the name to service's contact
 * list without UI, like msgr_messenger_add_contact() (ADD FL group 0, then
 * ADD AL unless blocked). -> on_contact_list_add(hr, contact) on this
 * object's sinks and the messenger's. service: the messenger's service
 * (msgr_messenger_get_services()), or NULL for the primary service.
 * Returns MSGR_S_OK (request sent), MSGR_E_POINTER (priv not a
 * MessengerPriv, signin_name NULL), MSGR_E_INVALIDARG (name empty, over
 * 129 bytes, starting with a space, holding CR/LF or without '@'; service
 * not this messenger's), MSGR_E_NOT_LOGGED_ON, MSGR_E_API_LOCKED (not
 * unlocked), MSGR_E_FAIL (dead object) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_priv_add_contact(msgr_priv *priv, const char *signin_name,
                              msgr_service *service);

/* EnableAlertEvents(ppsaSiteIds): from now on, alerts from the count site
 * IDs of site_ids are raised as on_alert_received (count 0: alerts of
 * every site; msgrd's own alerts carry MSGR_ALERT_SITE_MSGRD). A new call
 * replaces the list. The list is copied and survives sign-out, but alerts
 * are raised only while the object is usable (unlocked or disabled).
 * Returns MSGR_S_OK, MSGR_S_FALSE (the object is locked: nothing
 * changed), MSGR_E_POINTER (priv not a MessengerPriv), MSGR_E_INVALIDARG
 * (site_ids NULL with count > 0, or a negative site ID),
 * MSGR_E_OUTOFMEMORY (count above MSGR_ALERT_SITES_MAX, or no memory) or
 * MSGR_E_FAIL (dead object). */
msgr_hr msgr_priv_enable_alert_events(msgr_priv *priv, const int32_t *site_ids,
                                      size_t count);

#ifdef __cplusplus
}
#endif

#endif
