/*
 * msgr/msgr_messenger.h - the Messenger object (IMessenger, IMessenger2,
 * IMessenger3) and its event loop integration.
 *
 * A messenger is one local user's client: it signs in to an MSNP8 service
 * (msgrd), keeps the contact list, groups and presence, and reports what
 * happens through msgr_messenger_events (msgr/msgr_events.h).
 *
 * Loop integration (DESIGN.md section 3, hiredis-style): the library never
 * blocks and never starts a thread. Ask it which descriptors it waits on
 * (msgr_messenger_fds) and how long it may sleep (msgr_messenger_timeout_ms),
 * wait in your own loop, then call msgr_messenger_process(). Or let
 * msgr_messenger_run() do exactly that with poll() until
 * msgr_messenger_stop(). Sign-in, list changes and presence are
 * asynchronous: a call starts them, the events report the outcome.
 *
 * Out-pointer convention: a NULL out-pointer yields the code the member's
 * documentation names, usually MSGR_E_RPC_X_NULL_REF_POINTER. Offline
 * (api-scope.md section 3): collections read empty, per-contact flags read
 * false, most actions fail with MSGR_E_NOT_LOGGED_ON.
 */
#ifndef MSGR_MESSENGER_H
#define MSGR_MESSENGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msgr_enums.h"
#include "msgr_hr.h"
#include "msgr_object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- creation --------------------------------------------------------------- */

/* Where and how a messenger connects; every member is optional (NULL / 0 /
 * false = the default). Strings are copied by msgr_messenger_create(). */
typedef struct msgr_options {
    /* Notification (or dispatch) server, "host:port" or "host"
     * (port 1863). Default "127.0.0.1:1863". */
    const char *server;
    /* Passport nexus URL. Default "https://<server host>:8443/rdr/pprdr.asp". */
    const char *nexus_url;
    /* PEM file with the certificate(s) trusted for the HTTPS login, e.g.
     * msgrd's DATA_DIR/cert.pem. Default: the system CA store. */
    const char *ca_file;
    /* Skip HTTPS certificate and host checks. For tests only. */
    bool tls_insecure;
    /* Directory of the contact-list cache (one file per sign-in name,
     * "<name>.syn", mode 0600). Default $XDG_CACHE_HOME/msgr, else
     * $HOME/.cache/msgr. */
    const char *cache_dir;
    /* Directory of the saved credentials file "credentials" (mode 0600)
     * used by msgr_messenger_auto_signin(). Default $XDG_CONFIG_HOME/msgr,
     * else $HOME/.config/msgr. */
    const char *config_dir;
    /* ReceiveFileDirectory. Default $HOME/Downloads. */
    const char *receive_file_directory;
    /* Status sent with the first CHG after sign-in: one of the online
     * MISTATUS values or MISTATUS_INVISIBLE. 0 = MISTATUS_ONLINE. */
    MISTATUS initial_status;
    /* Logon timeout in milliseconds (api-scope.md 6.3). 0 = 15000. */
    unsigned logon_timeout_ms;
    /* Local server mode, attached side (libmsgr extension; docs/libmsgr.md
     * "Local server mode"): when true, Signin and AutoSignin do not sign
     * in to a server: they attach to a messenger of the same user that
     * serves on a Unix socket (msgr_messenger_serve_local) and drive it.
     * No password, no Passport, no contact-list cache; server, nexus_url,
     * ca_file and cache_dir are not used. */
    bool attach;
    /* The socket to attach to when attach is true. NULL = the environment
     * variable MSGR_LOCAL_SOCKET when set, else the default
     * path of msgr_messenger_serve_local(). */
    const char *attach_socket;
} msgr_options;

/* Creates a signed-out messenger holding one reference (release it with
 * msgr_object_release()). opts may be NULL for all defaults.
 * Returns MSGR_S_OK, MSGR_E_POINTER (out NULL), MSGR_E_INVALIDARG (a
 * malformed server address or initial_status) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_create(const msgr_options *opts, msgr_messenger **out);

/* ---- event loop -------------------------------------------------------------- */

/* Readiness a descriptor waits for; same values as poll()'s POLLIN/POLLOUT
 * on Linux. */
#define MSGR_POLL_IN 0x0001
#define MSGR_POLL_OUT 0x0004

typedef struct msgr_pollfd {
    int fd;
    short events; /* MSGR_POLL_IN and/or MSGR_POLL_OUT */
} msgr_pollfd;

/* Fills fds[0..cap) with the descriptors the messenger waits on and sets
 * *count to how many there are. When cap is too small the first cap are
 * written, *count is the number needed and MSGR_S_FALSE is returned.
 * The set changes after every process(); ask again each time.
 * Returns MSGR_S_OK, MSGR_S_FALSE or MSGR_E_POINTER (m or count NULL, or
 * fds NULL with cap > 0). */
msgr_hr msgr_messenger_fds(msgr_messenger *m, msgr_pollfd *fds, size_t cap,
                           size_t *count);

/* Milliseconds until the messenger needs process() even without I/O
 * (timers: logon timeout, keep-alive, HTTPS retries); -1 when it has no
 * timer. Returns MSGR_S_OK or MSGR_E_POINTER. */
msgr_hr msgr_messenger_timeout_ms(msgr_messenger *m, int *timeout_ms);

/* Makes all the progress possible without blocking: reads and writes the
 * ready sockets, runs due timers, and delivers the events to the sinks
 * (after each server command it handles, and at the end for the rest).
 * Objects and strings borrowed before the call become invalid.
 * Returns MSGR_S_OK, MSGR_E_POINTER, or MSGR_E_FAIL when called from one
 * of the messenger's own callbacks (not allowed: it would invalidate the
 * objects the callback is using). */
msgr_hr msgr_messenger_process(msgr_messenger *m);

/* Runs a poll() loop around fds/timeout/process until
 * msgr_messenger_stop() is called (typically from a callback). Returns
 * MSGR_S_OK after a stop, MSGR_E_POINTER, or MSGR_E_FAIL if poll() fails
 * or when called from one of the messenger's callbacks. */
msgr_hr msgr_messenger_run(msgr_messenger *m);

/* Makes the current or next msgr_messenger_run() return. Returns MSGR_S_OK
 * or MSGR_E_POINTER. */
msgr_hr msgr_messenger_stop(msgr_messenger *m);

/* ---- local server mode (libmsgr extension) --------------------------------- */

/* Serves this messenger to other programs of the same user, as Windows
 * Messenger served applications from its running instance: a program that
 * creates a messenger with msgr_options.attach signs in through this one
 * (its calls act on this messenger's account, its events report what
 * happens here). path is the Unix socket to create; NULL = the default
 * $XDG_RUNTIME_DIR/msgr/messenger.sock, or ${TMPDIR:-/tmp}/msgr-<uid>/
 * messenger.sock without XDG_RUNTIME_DIR (directory created with mode
 * 0700).
 * The socket gets mode 0600, and a connecting program must run as the
 * same user (SO_PEERCRED); the directory holding it must belong to the
 * user and not be writable by group or others. A socket file left behind
 * by a messenger that is gone is replaced. Serving works signed in or
 * out: attached programs can sign in while this messenger is online, and
 * are signed out (OnSignout) when it signs out or stops serving.
 * Returns MSGR_S_OK, MSGR_S_FALSE (already serving; stop first to move),
 * MSGR_E_POINTER (m NULL), MSGR_E_INVALIDARG (path empty or longer than a
 * Unix socket path allows, or m is itself attached), MSGR_E_FAIL (an
 * unsafe directory, a path that exists and is not a socket, or a system
 * error) or
 * MSGR_E_ALREADY_LOGGED_ON (another live messenger serves on that path).
 * Wire protocol: docs/protocol.md "Extension: local server mode". */
msgr_hr msgr_messenger_serve_local(msgr_messenger *m, const char *path);

/* Stops serving: attached programs get OUT SSD (their messengers sign out
 * with MSGR_E_SERVER_UNAVAILABLE) and the socket file is removed.
 * Releasing the messenger does the same. Returns MSGR_S_OK, MSGR_S_FALSE
 * (not serving) or MSGR_E_POINTER. */
msgr_hr msgr_messenger_stop_local(msgr_messenger *m);

/* ---- IMessenger: sign-in and sign-out -------------------------------------- */

/* Signin(hwndParent, bstrSigninName, bstrPassword). Windows Messenger
 * showed its Sign In dialog; with a sign-in name and a password libmsgr
 * starts signing in to the primary service at once. Without one of them,
 * the host's Sign In dialog (msgr_host_ui.show_signin, msgr/msgr_host.h)
 * is shown pre-filled with the name and its result returned; without a
 * host dialog that is MSGR_E_INVALIDARG. hwnd_parent is ignored.
 * The outcome arrives as events (api-scope.md
 * 6.3): on_my_status_change(LOCAL_FINDING_SERVER),
 * on_my_status_change(LOCAL_CONNECTING_TO_SERVER), on_signin(hr), then on
 * success on_my_status_change(LOCAL_SYNCHRONIZING_WITH_SERVER) and
 * on_my_status_change(ONLINE or the initial status); on failure
 * on_signin(error) and on_my_status_change(error, OFFLINE).
 * on_signin errors: MSGR_E_CONNECT (server or login endpoint unreachable),
 * MSGR_E_INVALID_PASSWORD (wrong password or unknown user),
 * MSGR_E_LOGON_TIMEOUT (not signed in after the logon timeout),
 * MSGR_E_SERVER_VERSION, MSGR_E_SERVER_TOO_BUSY, MSGR_E_SERVER_UNAVAILABLE,
 * MSGR_E_UNEXPECTED.
 * Returns MSGR_S_OK (attempt started), MSGR_E_ALREADY_LOGGED_ON (signed
 * in or signing in), MSGR_E_POINTER (m NULL), MSGR_E_INVALIDARG (name
 * over 129 bytes, starting with a space or holding CR/LF, password over
 * 256 bytes, or name/password missing without a host dialog), the host
 * dialog's result, or MSGR_E_OUTOFMEMORY.
 * Attached (msgr_options.attach): signs in through the serving messenger;
 * the password is ignored and the name is optional (when given it must be
 * the serving messenger's, else on_signin(MSGR_E_INVALID_PASSWORD)); no
 * dialog. on_signin(MSGR_E_CONNECT): nobody serves on the socket;
 * on_signin(MSGR_E_SERVER_UNAVAILABLE): the serving messenger is not
 * signed in. */
msgr_hr msgr_messenger_signin(msgr_messenger *m, long hwnd_parent,
                              const char *signin_name, const char *password);

/* AutoSignin(): signs in with the credentials saved by
 * msgr_messenger_save_credentials(), without any dialog (erratum E39).
 * Same events as msgr_messenger_signin(). Returns MSGR_S_OK,
 * MSGR_E_ALREADY_LOGGED_ON, MSGR_E_POINTER, MSGR_E_OUTOFMEMORY or
 * MSGR_E_FAIL (no saved credentials, unreadable file, a file readable by
 * group or others, or a malformed file). Attached (msgr_options.attach):
 * signs in through the serving messenger, nothing saved is needed. */
msgr_hr msgr_messenger_auto_signin(msgr_messenger *m);

/* libmsgr extension (the host's "remember my password"): saves the
 * credentials AutoSignin uses in <config_dir>/credentials, created with
 * mode 0600 (directory 0700), replacing any previous file atomically.
 * Format: two lines "signin <name>" and "password <URL-encoded password>".
 * Returns MSGR_S_OK, MSGR_E_POINTER, MSGR_E_INVALIDARG (as for Signin) or
 * MSGR_E_FAIL (file system error). */
msgr_hr msgr_messenger_save_credentials(msgr_messenger *m,
                                        const char *signin_name,
                                        const char *password);

/* Signout(): signs out of every service: on_my_status_change(
 * LOCAL_DISCONNECTING_FROM_SERVER), then on_signout and
 * on_my_status_change(OFFLINE). Also cancels an attempt in progress.
 * Returns MSGR_S_OK, MSGR_E_NOT_LOGGED_ON (signed out) or MSGR_E_POINTER. */
msgr_hr msgr_messenger_signout(msgr_messenger *m);

/* ---- IMessenger: the local user --------------------------------------------- */

/* MyStatus (get): the primary service's status, including the LOCAL_*
 * transitional states; MISTATUS_OFFLINE when signed out. Returns
 * MSGR_S_OK or MSGR_E_RPC_X_NULL_REF_POINTER. */
msgr_hr msgr_messenger_get_my_status(msgr_messenger *m, MISTATUS *status);

/* MyStatus (put): sets the status (ONLINE, BUSY, BE_RIGHT_BACK, IDLE,
 * AWAY, ON_THE_PHONE, OUT_TO_LUNCH or INVISIBLE = NLN, BSY, BRB, IDL, AWY,
 * PHN, LUN, HDN). -> on_my_status_change(hr, current status), also when
 * the status does not change. While signing in the value becomes the
 * status sent at the end of the sign-in. Returns MSGR_S_OK,
 * MSGR_E_POINTER, MSGR_E_INVALIDARG (UNKNOWN, OFFLINE, LOCAL_* or not a
 * MISTATUS) or MSGR_E_NOT_LOGGED_ON. */
msgr_hr msgr_messenger_set_my_status(msgr_messenger *m, MISTATUS status);

/* MyFriendlyName (get): the local display name as the server reported it
 * at sign-in; "" when signed out. Returns MSGR_S_OK or
 * MSGR_E_RPC_X_NULL_REF_POINTER. */
msgr_hr msgr_messenger_get_my_friendly_name(msgr_messenger *m,
                                            const char **name);

/* Sets the local display name (libmsgr extension: MyFriendlyName is
 * read-only in IMessenger, but a messenger UI must let the user change
 * it). name is UTF-8 and is copied (the caller keeps ownership); it must
 * not be empty or only spaces, must not contain control characters (tab
 * included), and must fit the limits of msnp.md 3.9: at most
 * MSGR_FRIENDLY_NAME_MAX characters, and at most 387 bytes once
 * URL-encoded (what msgrd accepts). Sends "REA <trid> <own sign-in name>
 * <encoded name>"; contacts watching the user then see the new name
 * (OnContactFriendlyNameChange).
 * -> on_my_friendly_name_change(hr, prev_friendly_name) once the server
 * answered: MSGR_S_OK with the old name (msgr_messenger_get_my_friendly_name
 * reads the new one), or an error with the unchanged name:
 * MSGR_E_INVALID_FRIENDLY_NAME (refused by the server, 209),
 * MSGR_E_SERVER_TOO_BUSY (too many changes in a short time, 800), ...
 * Returns MSGR_S_OK (request sent), MSGR_S_FALSE (that is already the name;
 * nothing is sent and no event follows), MSGR_E_POINTER (m or name NULL),
 * MSGR_E_INVALIDARG (empty or only spaces), MSGR_E_INVALID_FRIENDLY_NAME
 * (not UTF-8, a control character, or too long), MSGR_E_NOT_LOGGED_ON or
 * MSGR_E_OUTOFMEMORY. */
#define MSGR_FRIENDLY_NAME_MAX 129
msgr_hr msgr_messenger_set_my_friendly_name(msgr_messenger *m, const char *name);

/* MySigninName (get): the local sign-in name. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_NOT_LOGGED_ON (signed out;
 * *name is set to NULL). */
msgr_hr msgr_messenger_get_my_signin_name(msgr_messenger *m,
                                          const char **name);

/* MyServiceName / MyServiceId (get): name and "{GUID}" of the primary
 * service, also when signed out. Return MSGR_S_OK or
 * MSGR_E_RPC_X_NULL_REF_POINTER. */
msgr_hr msgr_messenger_get_my_service_name(msgr_messenger *m,
                                           const char **name);
msgr_hr msgr_messenger_get_my_service_id(msgr_messenger *m, const char **id);

/* MyPhoneNumber (get): the local user's number of that type (HOME, WORK,
 * MOBILE; from the PRP properties). Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER, MSGR_E_NOT_LOGGED_ON, or MSGR_E_FAIL (no
 * number of that type, or a type without numbers: ALL, CUSTOM, other). */
msgr_hr msgr_messenger_get_my_phone_number(msgr_messenger *m,
                                           MPHONE_TYPE type,
                                           const char **number);

/* MyProperty (get/put): reserved by the documentation; both always return
 * MSGR_E_INVALIDARG (erratum E15) -- except MSGR_E_POINTER for m NULL. */
msgr_hr msgr_messenger_get_my_property(msgr_messenger *m,
                                       MCONTACTPROPERTY prop,
                                       msgr_variant *value);
msgr_hr msgr_messenger_set_my_property(msgr_messenger *m,
                                       MCONTACTPROPERTY prop,
                                       const msgr_variant *value);

/* UnreadEmailCount (get): unread messages in the inbox, from the mail
 * summary at sign-in, kept up to date by mail notifications. Only
 * MUAFOLDER_INBOX. Returns MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER,
 * MSGR_E_FAIL (another folder), MSGR_S_FALSE with -1 (the account has no
 * mailbox) or MSGR_E_NOT_LOGGED_ON with -1 (signed out; erratum E26). */
msgr_hr msgr_messenger_get_unread_email_count(msgr_messenger *m,
                                              MUAFOLDER folder,
                                              int32_t *count);

/* ReceiveFileDirectory (get): folder for incoming files (option
 * receive_file_directory). Returns MSGR_S_OK or
 * MSGR_E_RPC_X_NULL_REF_POINTER. */
msgr_hr msgr_messenger_get_receive_file_directory(msgr_messenger *m,
                                                  const char **path);

/* ---- IMessenger: contacts and services ----------------------------------- */

/* MyContacts (get): snapshot of the contact list (the forward list) of all
 * services; empty when signed out. Returns MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_get_my_contacts(msgr_messenger *m,
                                       msgr_contacts **contacts);

/* GetContact(bstrSigninName, bstrServiceId): the contact object for a
 * sign-in name; the same object for the same name while anyone holds it.
 * service_id "" looks only in the local lists (the local user's own name
 * also matches); a service ID ("{GUID}" of msgr_service_get_service_id)
 * also creates an object for a name not on any list (Status
 * MISTATUS_UNKNOWN, FriendlyName = the sign-in name; erratum E27).
 * Returns MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER (contact NULL),
 * MSGR_E_FAIL (a NULL string), MSGR_E_INVALIDARG (name empty, over 129
 * bytes, holding a space or CR/LF; service ID over 38 bytes, holding
 * spaces or CR/LF, or not a service of this messenger; compared ignoring
 * case),
 * MSGR_E_NOT_LOGGED_ON, MSGR_E_USER_NOT_FOUND (empty service ID and not
 * on a list) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_get_contact(msgr_messenger *m, const char *signin_name,
                                   const char *service_id,
                                   msgr_contact **contact);

/* AddContact(hwndParent, bstrEMail): Windows Messenger opened its Add a
 * Contact wizard; libmsgr adds the sign-in name directly to the primary
 * service's contact list (forward list, group 0, and the allow list unless
 * blocked). hwnd_parent is ignored. -> on_contact_list_add(hr, contact):
 * MSGR_S_OK, MSGR_E_ALREADY_IN_LIST, MSGR_E_USER_NOT_FOUND,
 * MSGR_E_LIST_FULL, MSGR_E_INVALIDARG, ...
 * Returns MSGR_S_OK, MSGR_E_POINTER (m NULL), MSGR_E_INVALIDARG (name
 * NULL, empty, over 129 bytes, starting with a space, holding CR/LF or
 * without '@'), MSGR_E_FAIL (signed out: there is no wizard to show and no
 * list to add to) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_add_contact(msgr_messenger *m, long hwnd_parent,
                                   const char *email);

/* Services (get): the collection of services (one: the primary service).
 * Works signed out. Returns MSGR_S_OK or MSGR_E_RPC_X_NULL_REF_POINTER. */
msgr_hr msgr_messenger_get_services(msgr_messenger *m,
                                    msgr_services **services);

/* ---- IMessenger2 ----------------------------------------------------------- */

/* MyGroups (get): snapshot of the groups; empty when signed out. Returns
 * MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_get_my_groups(msgr_messenger *m, msgr_groups **groups);

/* CreateGroup(bstrName, vService): the group of that name on service,
 * created when absent (-> on_group_added(hr, group): MSGR_S_OK,
 * MSGR_E_GROUP_NAME_TOO_LONG, MSGR_E_BAD_GROUP_NAME, MSGR_E_TOO_MANY_GROUPS,
 * ...). An existing group is returned with MSGR_S_OK and no event.
 * Surrounding spaces of name are trimmed. Returns MSGR_S_OK,
 * MSGR_E_POINTER (name or group NULL), MSGR_E_INVALIDARG (service NULL or
 * not this messenger's; name empty or blank), MSGR_E_BAD_GROUP_NAME (CR,
 * LF, tab or another control character), MSGR_E_GROUP_NAME_TOO_LONG (over
 * 61 bytes once URL-encoded), MSGR_E_NOT_LOGGED_ON or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_create_group(msgr_messenger *m, const char *name,
                                    msgr_service *service,
                                    msgr_group **group);

/* ContactsSortOrder (get/put): how the host shows the list. The library
 * only stores it (per messenger, not persisted). Return MSGR_S_OK,
 * MSGR_E_RPC_X_NULL_REF_POINTER (get), MSGR_E_INVALIDARG (put: out of
 * range) or MSGR_E_NOT_LOGGED_ON. */
msgr_hr msgr_messenger_get_contacts_sort_order(msgr_messenger *m,
                                               MUASORT *sort);
msgr_hr msgr_messenger_set_contacts_sort_order(msgr_messenger *m,
                                               MUASORT sort);

/* ---- IMessenger3 ----------------------------------------------------------- */

/* Property (get): MMESSENGERPROP_VERSION -> MSGR_VT_BSTR library version
 * ("0.1.0"); MMESSENGERPROP_PLCID -> MSGR_VT_I4 LCID 0x0409. Returns
 * MSGR_S_OK, MSGR_E_RPC_X_NULL_REF_POINTER or MSGR_E_INVALIDARG (other
 * property). put is reserved: always MSGR_E_INVALIDARG. */
msgr_hr msgr_messenger_get_property(msgr_messenger *m, MMESSENGERPROPERTY prop,
                                    msgr_variant *value);
msgr_hr msgr_messenger_set_property(msgr_messenger *m, MMESSENGERPROPERTY prop,
                                    const msgr_variant *value);

#ifdef __cplusplus
}
#endif

#endif
