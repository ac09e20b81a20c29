/*
 * messenger.c - the Messenger object: creation and release, sign-in and
 * sign-out entry points, and the IMessenger / IMessenger2 / IMessenger3
 * members about the local user (api-scope.md 5.1-5.3).
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "msnp_url.h"
#include "msnp_write.h"

/* ---- creation and release ------------------------------------------------- */

static bool parse_server(const char *server, char **host, uint16_t *port)
{
    const char *colon = strrchr(server, ':');
    size_t hlen = colon ? (size_t)(colon - server) : strlen(server);
    uint32_t p = MSGR_DEFAULT_PORT;
    if (hlen == 0 || hlen > 255)
        return false;
    if (colon && (msnp_parse_u32(colon + 1, &p) != MSNP_OK || p == 0 || p > 65535))
        return false;
    *host = malloc(hlen + 1);
    if (!*host)
        return false;
    memcpy(*host, server, hlen);
    (*host)[hlen] = '\0';
    *port = (uint16_t)p;
    return true;
}

static char *default_nexus(const char *host)
{
    size_t len = strlen(host) + 64;
    char *url = malloc(len);
    if (url)
        snprintf(url, len, "https://%s:8443/rdr/pprdr.asp", host);
    return url;
}

static char *dir_or_default(const char *given, const char *xdg,
                            const char *home_suffix)
{
    return given ? msgr_strdup(given) : msgr_default_dir(xdg, home_suffix);
}

static char *default_receive_dir(void)
{
    const char *home = getenv("HOME");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s/Downloads", home && *home ? home : ".");
    return msgr_strdup(buf);
}

static void messenger_destroy(msgr_obj *o)
{
    msgr_messenger *m = (msgr_messenger *)o;
    local_server_free(m); /* attached programs get OUT SSD first */
    conv_close_all(m, false);
    windows_release(m); /* the main, Phone and Page windows */
    ns_close(&m->ns);
    free(m->ns.reqs);
    msnp_buf_free(&m->ns.out);
    passport_free(m->pp);
    ev_clear(m);
    lists_reset(m);
    pool_drain(m);
    obj_unref(m->services);
    obj_unref(m->service);
    obj_orphan_all(m); /* whatever the application still holds is dead */
    free(m->contacts);
    free(m->groups);
    free(m->windows);
    free(m->locks);  /* the locks and MessengerPriv objects are dead now */
    free(m->privs);
    free(m->sinks);
    free(m->host);
    free(m->cur_host);
    free(m->nexus_url);
    free(m->ca_file);
    free(m->cache_dir);
    free(m->config_dir);
    free(m->receive_dir);
    free(m->signin);
    free(m->password);
    free(m->friendly);
    free(m->prev_friendly);
    free(m->client_ip);
    free(m->attach_socket);
    free(m);
}

static bool valid_initial_status(MISTATUS st)
{
    return st == 0 || status_is_settable(st);
}

/* Local server mode, attached side (attach.c): the lists come from the
 * serving messenger's memory at every sign-in, so there is no cache. */
static msgr_hr apply_attach_options(msgr_messenger *m, const msgr_options *o)
{
    if (!o->attach)
        return MSGR_S_OK;
    m->attach = true;
    free(m->cache_dir);
    m->cache_dir = NULL;
    if (o->attach_socket && !(m->attach_socket = msgr_strdup(o->attach_socket)))
        return MSGR_E_OUTOFMEMORY;
    return MSGR_S_OK;
}

static msgr_hr apply_options(msgr_messenger *m, const msgr_options *o)
{
    if (!parse_server(o->server ? o->server : "127.0.0.1:1863", &m->host, &m->port))
        return MSGR_E_INVALIDARG;
    m->nexus_url = o->nexus_url ? msgr_strdup(o->nexus_url) : default_nexus(m->host);
    m->ca_file = o->ca_file ? msgr_strdup(o->ca_file) : NULL;
    m->insecure = o->tls_insecure;
    m->cache_dir = dir_or_default(o->cache_dir, "XDG_CACHE_HOME", ".cache");
    m->config_dir = dir_or_default(o->config_dir, "XDG_CONFIG_HOME", ".config");
    m->receive_dir = o->receive_file_directory ? msgr_strdup(o->receive_file_directory)
                                               : default_receive_dir();
    m->initial_status = o->initial_status ? o->initial_status : MISTATUS_ONLINE;
    m->logon_timeout_ms = o->logon_timeout_ms ? o->logon_timeout_ms : 15000;
    if (!m->nexus_url || (o->ca_file && !m->ca_file) || !m->receive_dir)
        return MSGR_E_OUTOFMEMORY;
    return apply_attach_options(m, o);
}

msgr_hr msgr_messenger_create(const msgr_options *opts, msgr_messenger **out)
{
    static const msgr_options defaults;
    if (!out)
        return MSGR_E_POINTER;
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if (!valid_initial_status(opts->initial_status))
        return MSGR_E_INVALIDARG;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return MSGR_E_FAIL;
    msgr_messenger *m = calloc(1, sizeof *m);
    if (!m)
        return MSGR_E_OUTOFMEMORY;
    obj_init(&m->base, OBJ_MESSENGER, messenger_destroy);
    ns_init(&m->ns);
    m->my_status = MISTATUS_OFFLINE;
    m->gtc = 'A';
    m->blp_list = 'A';
    msgr_hr hr = apply_options(m, opts);
    if (MSGR_SUCCEEDED(hr)) {
        m->wanted_status = m->initial_status;
        m->pp = passport_new(m->nexus_url, m->ca_file, m->insecure);
        m->service = service_new(m);
        m->services = m->service ? services_new(m) : NULL;
        if (!m->pp || !m->service || !m->services)
            hr = MSGR_E_OUTOFMEMORY;
    }
    if (MSGR_FAILED(hr)) {
        obj_unref(m);
        return hr;
    }
    *out = m;
    return MSGR_S_OK;
}

static msgr_messenger *live(msgr_messenger *m)
{
    msgr_obj *o = obj_check(m);
    return o && o->kind == OBJ_MESSENGER ? m : NULL;
}

static bool signed_in(const msgr_messenger *m)
{
    return m->phase == PHASE_ONLINE || m->phase == PHASE_SYNCING;
}

/* ---- sign-in and sign-out ----------------------------------------------- */

static msgr_hr check_credentials(const char *name, const char *password)
{
    if (!name || !password || !*password || strlen(password) > MSGR_MAX_PASSWORD)
        return MSGR_E_INVALIDARG;
    return check_signin_name(name);
}

/* Local server mode: no password and no dialog; the name, when given,
 * must be the serving messenger's ("*" asks for whoever is signed in). */
static msgr_hr attached_signin(msgr_messenger *m, const char *signin_name)
{
    bool named = signin_name && *signin_name;
    if (named && (MSGR_FAILED(check_signin_name(signin_name)) ||
                  strpbrk(signin_name, " \t")))
        return MSGR_E_INVALIDARG;
    return session_start(m, named ? signin_name : "*", "");
}

msgr_hr msgr_messenger_signin(msgr_messenger *m, long hwnd_parent,
                              const char *signin_name, const char *password)
{
    (void)hwnd_parent; /* no windows: there is no dialog to parent */
    if (!live(m))
        return MSGR_E_POINTER;
    if (m->phase != PHASE_OFFLINE)
        return MSGR_E_ALREADY_LOGGED_ON;
    if (m->attach)
        return attached_signin(m, signin_name);
    bool incomplete = !signin_name || !*signin_name || !password || !*password;
    if (incomplete && m->ui.show_signin) {
        /* The dialog collects what is missing (api-scope.md 5.1). */
        if (signin_name && *signin_name && MSGR_FAILED(check_signin_name(signin_name)))
            return MSGR_E_INVALIDARG;
        return m->ui.show_signin(m->ui_ud, m, signin_name ? signin_name : "");
    }
    msgr_hr hr = check_credentials(signin_name, password);
    if (MSGR_FAILED(hr))
        return hr;
    return session_start(m, signin_name, password);
}

msgr_hr msgr_messenger_auto_signin(msgr_messenger *m)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (m->phase != PHASE_OFFLINE)
        return MSGR_E_ALREADY_LOGGED_ON;
    if (m->attach)
        return attached_signin(m, NULL); /* nothing saved is needed */
    char *name = NULL, *pwd = NULL;
    if (!m->config_dir || credentials_load(m->config_dir, &name, &pwd) != 0)
        return MSGR_E_FAIL; /* first-time user: nothing saved */
    msgr_hr hr = session_start(m, name, pwd);
    memset(pwd, 0, strlen(pwd));
    free(name);
    free(pwd);
    return hr;
}

msgr_hr msgr_messenger_save_credentials(msgr_messenger *m,
                                        const char *signin_name,
                                        const char *password)
{
    if (!live(m))
        return MSGR_E_POINTER;
    msgr_hr hr = check_credentials(signin_name, password);
    if (MSGR_FAILED(hr))
        return hr;
    if (!m->config_dir || credentials_save(m->config_dir, signin_name, password) != 0)
        return MSGR_E_FAIL;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_signout(msgr_messenger *m)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (m->phase == PHASE_OFFLINE)
        return MSGR_E_NOT_LOGGED_ON;
    session_signout(m);
    return MSGR_S_OK;
}

/* ---- the local user ------------------------------------------------------- */

msgr_hr msgr_messenger_get_my_status(msgr_messenger *m, MISTATUS *status)
{
    if (!status)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    *status = m->my_status;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_set_my_status(msgr_messenger *m, MISTATUS status)
{
    msnp_presence p;
    if (!live(m))
        return MSGR_E_POINTER;
    if (!status_to_presence(status, &p))
        return MSGR_E_INVALIDARG;
    if (m->phase == PHASE_OFFLINE || m->phase == PHASE_DISCONNECTING)
        return MSGR_E_NOT_LOGGED_ON;
    m->wanted_status = status;
    if (m->phase != PHASE_ONLINE) {
        /* Still signing in: the first CHG will carry it. Report the
         * attempt anyway (the event fires even when nothing changes). */
        ev_my_status(m, MSGR_S_OK, m->my_status);
        return MSGR_S_OK;
    }
    uint32_t t = ns_trid(&m->ns);
    size_t mark = m->ns.out.len;
    if (msnp_write_chg(&m->ns.out, t, MSNP_DIALECT_MSNP8, p, true, 0, NULL) != MSNP_OK ||
        ns_track(&m->ns, t, REQ_CHG, NULL, NULL, 0, NULL) != 0) {
        msnp_buf_truncate(&m->ns.out, mark);
        return MSGR_E_OUTOFMEMORY;
    }
    ns_flush_out(&m->ns);
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_get_my_friendly_name(msgr_messenger *m, const char **name)
{
    if (!name)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    *name = signed_in(m) && m->friendly ? m->friendly : "";
    return MSGR_S_OK;
}

/* The friendly-name rules of msgr_messenger_set_my_friendly_name(): the
 * official client's 129 characters, and msgrd's limit on the encoded form
 * (msnp.md 3.9, 1.8) so that a name is never refused for its length. */
static msgr_hr friendly_name_check(const char *name)
{
    size_t len = strlen(name), chars = 0;
    if (strspn(name, " ") == len)
        return MSGR_E_INVALIDARG;
    if (!msnp_utf8_valid(name, len))
        return MSGR_E_INVALID_FRIENDLY_NAME;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)name[i];
        if (b < 0x20 || b == 0x7F)
            return MSGR_E_INVALID_FRIENDLY_NAME;
        chars += (b & 0xC0) != 0x80; /* count lead bytes only */
    }
    if (chars > MSGR_FRIENDLY_NAME_MAX)
        return MSGR_E_INVALID_FRIENDLY_NAME;
    char *enc = msnp_url_encode_dup(name);
    if (!enc)
        return MSGR_E_OUTOFMEMORY;
    size_t enc_len = strlen(enc);
    free(enc);
    return enc_len > MSGR_MAX_FRIENDLY_WIRE ? MSGR_E_INVALID_FRIENDLY_NAME
                                            : MSGR_S_OK;
}

msgr_hr msgr_messenger_set_my_friendly_name(msgr_messenger *m, const char *name)
{
    if (!live(m) || !name)
        return MSGR_E_POINTER;
    msgr_hr hr = friendly_name_check(name);
    if (MSGR_FAILED(hr))
        return hr;
    if (!signed_in(m) || !m->signin)
        return MSGR_E_NOT_LOGGED_ON;
    if (m->friendly && strcmp(m->friendly, name) == 0)
        return MSGR_S_FALSE;
    /* The reply (lists.c) raises OnMyFriendlyNameChange. */
    uint32_t t = ns_trid(&m->ns);
    size_t mark = m->ns.out.len;
    if (msnp_write_rea_request(&m->ns.out, t, m->signin, name) != MSNP_OK ||
        ns_track(&m->ns, t, REQ_REA_SELF, NULL, NULL, 0, name) != 0) {
        msnp_buf_truncate(&m->ns.out, mark);
        return MSGR_E_OUTOFMEMORY;
    }
    ns_flush_out(&m->ns);
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_get_my_signin_name(msgr_messenger *m, const char **name)
{
    if (!name)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    if (!signed_in(m) || !m->signin) {
        *name = NULL;
        return MSGR_E_NOT_LOGGED_ON;
    }
    *name = m->signin;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_get_my_service_name(msgr_messenger *m, const char **name)
{
    if (!name)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    *name = MSGR_SERVICE_NAME_MSNP;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_get_my_service_id(msgr_messenger *m, const char **id)
{
    if (!id)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    *id = MSGR_SERVICE_ID_MSNP;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_get_my_phone_number(msgr_messenger *m, MPHONE_TYPE type,
                                           const char **number)
{
    if (!number)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    if (!signed_in(m))
        return MSGR_E_NOT_LOGGED_ON;
    int idx = phone_index(type);
    if (idx < 0 || !m->my_phones[idx])
        return MSGR_E_FAIL;
    *number = m->my_phones[idx];
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_get_my_property(msgr_messenger *m, MCONTACTPROPERTY prop,
                                       msgr_variant *value)
{
    (void)prop;
    (void)value;
    return live(m) ? MSGR_E_INVALIDARG : MSGR_E_POINTER; /* reserved (E15) */
}

msgr_hr msgr_messenger_set_my_property(msgr_messenger *m, MCONTACTPROPERTY prop,
                                       const msgr_variant *value)
{
    (void)prop;
    (void)value;
    return live(m) ? MSGR_E_INVALIDARG : MSGR_E_POINTER; /* reserved (E15) */
}

msgr_hr msgr_messenger_get_unread_email_count(msgr_messenger *m, MUAFOLDER folder,
                                              int32_t *count)
{
    if (!count)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    if (folder != MUAFOLDER_INBOX)
        return MSGR_E_FAIL;
    if (!signed_in(m)) {
        *count = -1;
        return MSGR_E_NOT_LOGGED_ON;
    }
    if (!m->has_mailbox) {
        *count = -1;
        return MSGR_S_FALSE;
    }
    *count = m->inbox_unread;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_get_receive_file_directory(msgr_messenger *m,
                                                  const char **path)
{
    if (!path)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    *path = m->receive_dir;
    return MSGR_S_OK;
}

/* ---- contacts and services -------------------------------------------- */

msgr_hr msgr_messenger_get_my_contacts(msgr_messenger *m, msgr_contacts **contacts)
{
    if (!contacts)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    msgr_contacts *cs = contacts_snapshot(m, NULL); /* empty when signed out */
    if (!cs)
        return MSGR_E_OUTOFMEMORY;
    *contacts = cs;
    return MSGR_S_OK;
}

static msgr_hr check_service_id(const char *id)
{
    size_t len = strlen(id);
    if (len > 38 || strpbrk(id, " \r\n"))
        return MSGR_E_INVALIDARG;
    if (len > 0 && strcasecmp(id, MSGR_SERVICE_ID_MSNP) != 0)
        return MSGR_E_INVALIDARG; /* not a service of this messenger (GUIDs ignore case) */
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_get_contact(msgr_messenger *m, const char *signin_name,
                                   const char *service_id, msgr_contact **contact)
{
    if (!contact)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    if (!signin_name || !service_id)
        return MSGR_E_FAIL;
    msgr_hr hr = check_signin_name(signin_name);
    if (MSGR_SUCCEEDED(hr) && strchr(signin_name, ' '))
        hr = MSGR_E_INVALIDARG; /* GetContact refuses any space (5.1) */
    if (MSGR_SUCCEEDED(hr))
        hr = check_service_id(service_id);
    if (MSGR_FAILED(hr))
        return hr;
    if (!signed_in(m))
        return MSGR_E_NOT_LOGGED_ON;
    msgr_contact *c = contact_find(m, signin_name);
    bool self = m->signin && strcasecmp(signin_name, m->signin) == 0;
    if (!*service_id && !self && (!c || !c->lists))
        return MSGR_E_USER_NOT_FOUND; /* list-only lookup (erratum E27) */
    if (!c)
        c = contact_get(m, signin_name);
    if (!c || !pool_borrow(m, c))
        return MSGR_E_OUTOFMEMORY;
    *contact = c;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_add_contact(msgr_messenger *m, long hwnd_parent,
                                   const char *email)
{
    (void)hwnd_parent;
    if (!live(m))
        return MSGR_E_POINTER;
    if (MSGR_FAILED(check_signin_name(email)) || !strchr(email, '@'))
        return MSGR_E_INVALIDARG;
    if (!signed_in(m))
        return MSGR_E_FAIL;
    msgr_contact *c = contact_get(m, email);
    if (!c)
        return MSGR_E_OUTOFMEMORY;
    return lists_add_contact(m, c, NULL);
}

msgr_hr msgr_messenger_get_services(msgr_messenger *m, msgr_services **services)
{
    if (!services)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    *services = m->services;
    return MSGR_S_OK;
}

/* ---- IMessenger2 / IMessenger3 ------------------------------------------- */

msgr_hr msgr_messenger_get_contacts_sort_order(msgr_messenger *m, MUASORT *sort)
{
    if (!sort)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    if (!signed_in(m))
        return MSGR_E_NOT_LOGGED_ON;
    *sort = m->sort_order;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_set_contacts_sort_order(msgr_messenger *m, MUASORT sort)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (sort != MUASORT_GROUPS && sort != MUASORT_ONOFFLINE)
        return MSGR_E_INVALIDARG;
    if (!signed_in(m))
        return MSGR_E_NOT_LOGGED_ON;
    m->sort_order = sort;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_get_property(msgr_messenger *m, MMESSENGERPROPERTY prop,
                                    msgr_variant *value)
{
    if (!value)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live(m))
        return MSGR_E_POINTER;
    switch (prop) {
    case MMESSENGERPROP_VERSION:
        value->vt = MSGR_VT_BSTR;
        value->u.bstr = MSGR_VERSION_STRING;
        return MSGR_S_OK;
    case MMESSENGERPROP_PLCID:
        value->vt = MSGR_VT_I4;
        value->u.i4 = MSGR_LCID;
        return MSGR_S_OK;
    }
    return MSGR_E_INVALIDARG;
}

msgr_hr msgr_messenger_set_property(msgr_messenger *m, MMESSENGERPROPERTY prop,
                                    const msgr_variant *value)
{
    (void)prop;
    (void)value;
    return live(m) ? MSGR_E_INVALIDARG : MSGR_E_POINTER; /* reserved */
}
