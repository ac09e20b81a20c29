/*
 * session_manager.c - MsgrSessionManager (api-scope.md 5.16, 5.19, 6.1,
 * 6.2): IMsgrSessionManager (CreateSession, GetLaunchingSession, the
 * application registry), its IMsgrLock and its DMsgrSessionManagerEvents
 * sinks, and the offer of incoming invitations to the managers.
 *
 * The model is MessengerPriv (priv.c): a locked object owning a msgr_lock
 * (lock.c) that reports through mgr_notify(). The messenger keeps no list
 * of managers: they are its children (obj_attach), which is also the
 * order they were created in, reversed.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* ---- the managers of a messenger -------------------------------------------- */

bool sinv_manager_usable(const msgr_session_manager *g)
{
    return g->m && lock_usable(g->lock);
}

size_t sinv_managers(msgr_messenger *m, bool usable_only, msgr_session_manager ***out)
{
    size_t n = 0;
    *out = NULL;
    if (!m)
        return 0;
    for (msgr_obj *o = m->children; o; o = o->next)
        n += o->kind == OBJ_SESSION_MANAGER;
    msgr_session_manager **list = n ? malloc(n * sizeof *list) : NULL;
    if (!list)
        return 0;
    size_t k = n;
    /* children starts with the newest: fill from the end. */
    for (msgr_obj *o = m->children; o; o = o->next) {
        msgr_session_manager *g = (msgr_session_manager *)o;
        if (o->kind == OBJ_SESSION_MANAGER)
            list[--k] = g;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (usable_only && !sinv_manager_usable(list[i]))
            continue;
        obj_ref(list[i]);
        list[kept++] = list[i];
    }
    *out = list;
    return kept;
}

void sinv_managers_free(msgr_session_manager **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        obj_unref(list[i]);
    free(list);
}

/* ---- the lock ------------------------------------------------------------------ */

/* The manager's lock, also while lock_new() is still running (it reports
 * the first status before returning the lock). */
static LockStatus lock_status_of(const msgr_session_manager *g)
{
    if (g->lock)
        return g->lock->status;
    for (size_t i = 0; g->m && i < g->m->nlocks; i++)
        if (g->m->locks[i]->host == &g->base)
            return g->m->locks[i]->status;
    return LOCK_NOTINITIALIZED;
}

/* The lock's notes become this manager's events. */
static void mgr_notify(msgr_obj *host, lock_note what, int32_t cookie, bool flag,
                       const char *challenge)
{
    msgr_session_manager *g = (msgr_session_manager *)host;
    if (!g->m)
        return;
    switch (what) {
    case LOCK_NOTE_ENABLE:
        ev_queue_to(g->m, host, EV_LOCK_ENABLE, MSGR_S_OK, flag, 0, NULL, NULL);
        break;
    case LOCK_NOTE_CHALLENGE:
        ev_queue_to(g->m, host, EV_LOCK_CHALLENGE, MSGR_S_OK, cookie, 0, NULL, challenge);
        break;
    case LOCK_NOTE_RESULT:
        ev_queue_to(g->m, host, EV_LOCK_RESULT, MSGR_S_OK, cookie, flag, NULL, NULL);
        break;
    case LOCK_NOTE_STATUS:
        ev_queue_to(g->m, host, EV_SINV, MSGR_S_OK, SINV_ON_LOCK_STATUS_CHANGED,
                    (int)lock_status_of(g), NULL, NULL);
        break;
    }
}

/* ---- creation --------------------------------------------------------------- */

static void mgr_destroy(msgr_obj *o)
{
    msgr_session_manager *g = (msgr_session_manager *)o;
    if (g->lock)
        lock_detach(g->lock);
    free(g->sinks);
    free(g);
}

msgr_hr msgr_session_manager_create(msgr_messenger *m, msgr_session_manager **mgr)
{
    msgr_obj *mo = obj_check(m);
    if (!mgr || !mo || mo->kind != OBJ_MESSENGER)
        return MSGR_E_POINTER;
    *mgr = NULL;
    msgr_session_manager *g = calloc(1, sizeof *g);
    if (!g)
        return MSGR_E_OUTOFMEMORY;
    obj_init(&g->base, OBJ_SESSION_MANAGER, mgr_destroy);
    obj_attach(m, &g->base, &g->m);
    g->lock = lock_new(m, &g->base, mgr_notify);
    if (!g->lock) {
        obj_unref(g);
        return MSGR_E_OUTOFMEMORY;
    }
    *mgr = g;
    return MSGR_S_OK;
}

/* NULL and sets *hr unless g is a manager whose messenger lives. */
static msgr_session_manager *live_mgr(msgr_session_manager *g, msgr_hr *hr)
{
    msgr_obj *o = obj_check(g);
    if (!o || o->kind != OBJ_SESSION_MANAGER) {
        *hr = MSGR_E_POINTER;
        return NULL;
    }
    if (!g->m) {
        *hr = MSGR_E_FAIL;
        return NULL;
    }
    return g;
}

msgr_hr msgr_session_manager_get_lock(msgr_session_manager *mgr, msgr_lock **lock)
{
    msgr_hr hr = MSGR_S_OK;
    if (!lock)
        return MSGR_E_POINTER;
    msgr_session_manager *g = live_mgr(mgr, &hr);
    if (!g)
        return hr;
    *lock = g->lock;
    return MSGR_S_OK;
}

/* ---- sinks -------------------------------------------------------------------- */

msgr_hr msgr_session_manager_advise(msgr_session_manager *mgr,
                                    const msgr_session_manager_events *events,
                                    void *user_data, uint32_t *cookie)
{
    msgr_obj *o = obj_check(mgr);
    if (!o || o->kind != OBJ_SESSION_MANAGER || !events || !cookie)
        return MSGR_E_POINTER;
    sinv_mgr_sink *s = realloc(mgr->sinks, (mgr->nsinks + 1) * sizeof *s);
    if (!s)
        return MSGR_E_OUTOFMEMORY;
    mgr->sinks = s;
    if (++mgr->next_cookie == 0)
        mgr->next_cookie = 1;
    s[mgr->nsinks].cookie = mgr->next_cookie;
    s[mgr->nsinks].events = *events;
    s[mgr->nsinks].user_data = user_data;
    mgr->nsinks++;
    *cookie = mgr->next_cookie;
    return MSGR_S_OK;
}

msgr_hr msgr_session_manager_unadvise(msgr_session_manager *mgr, uint32_t cookie)
{
    msgr_obj *o = obj_check(mgr);
    if (!o || o->kind != OBJ_SESSION_MANAGER)
        return MSGR_E_POINTER;
    for (size_t i = 0; i < mgr->nsinks; i++) {
        if (mgr->sinks[i].cookie != cookie)
            continue;
        memmove(&mgr->sinks[i], &mgr->sinks[i + 1],
                (mgr->nsinks - i - 1) * sizeof mgr->sinks[0]);
        mgr->nsinks--;
        return MSGR_S_OK;
    }
    return MSGR_E_INVALIDARG;
}

/* The cookies of the sinks registered now: a callback may advise or
 * unadvise, so each sink is looked up again before it is called. */
static uint32_t *sink_cookies(const msgr_session_manager *g, size_t *n)
{
    *n = g->nsinks;
    uint32_t *c = *n ? malloc(*n * sizeof *c) : NULL;
    if (*n && !c)
        *n = 0;
    for (size_t i = 0; i < *n; i++)
        c[i] = g->sinks[i].cookie;
    return c;
}

static bool sink_by_cookie(const msgr_session_manager *g, uint32_t cookie,
                           sinv_mgr_sink *out)
{
    for (size_t j = 0; j < g->nsinks; j++) {
        if (g->sinks[j].cookie == cookie) {
            *out = g->sinks[j];
            return true;
        }
    }
    return false;
}

static void deliver_sinv(msgr_session_manager *g, const sinv_mgr_sink *s,
                         const queued_event *e)
{
    const msgr_session_manager_events *ev = &s->events;
    const char *text = e->text ? e->text : "";
    switch (e->arg) {
    case SINV_ON_APP_REGISTERED:
        if (ev->on_app_registered)
            ev->on_app_registered(s->user_data, g, text);
        break;
    case SINV_ON_APP_UNREGISTERED:
        if (ev->on_app_unregistered)
            ev->on_app_unregistered(s->user_data, g, text);
        break;
    case SINV_ON_LOCK_STATUS_CHANGED:
        if (ev->on_lock_status_changed)
            ev->on_lock_status_changed(s->user_data, g, (LockStatus)e->arg2);
        break;
    case SINV_ON_APP_SHUTDOWN: /* attached: the serving messenger went away */
        if (ev->on_app_shutdown)
            ev->on_app_shutdown(s->user_data, g);
        break;
    default:
        break;
    }
}

static void deliver_one(msgr_session_manager *g, const sinv_mgr_sink *s,
                        const queued_event *e)
{
    const msgr_session_manager_events *ev = &s->events;
    switch (e->kind) {
    case EV_LOCK_ENABLE:
        if (ev->on_lock_enable)
            ev->on_lock_enable(s->user_data, g, e->arg != 0);
        break;
    case EV_LOCK_CHALLENGE:
        if (ev->on_lock_challenge)
            ev->on_lock_challenge(s->user_data, g, (int32_t)e->arg,
                                  e->text ? e->text : "");
        break;
    case EV_LOCK_RESULT:
        if (ev->on_lock_result)
            ev->on_lock_result(s->user_data, g, (int32_t)e->arg, e->arg2 != 0);
        break;
    case EV_SINV:
        deliver_sinv(g, s, e);
        break;
    default:
        break;
    }
}

void sinv_manager_deliver(msgr_session_manager *g, const queued_event *e)
{
    size_t n;
    uint32_t *cookies = sink_cookies(g, &n);
    sinv_mgr_sink copy;
    for (size_t i = 0; i < n; i++)
        if (sink_by_cookie(g, cookies[i], &copy))
            deliver_one(g, &copy, e);
    free(cookies);
}

/* ---- invitations and shutdown ----------------------------------------------- */

static void set_owner(msgr_session *s, msgr_session_manager *g)
{
    obj_ref(g);
    obj_unref(s->owner);
    s->owner = g;
}

/* Offers the invitation to g's sinks; true when one of them handled it. */
static bool offer_to(msgr_session_manager *g, msgr_session *s, const char *app_data)
{
    size_t n;
    uint32_t *cookies = sink_cookies(g, &n);
    sinv_mgr_sink copy;
    bool handled = false;
    for (size_t i = 0; i < n && !handled; i++)
        if (sink_by_cookie(g, cookies[i], &copy) && copy.events.on_invitation)
            copy.events.on_invitation(copy.user_data, g, s, app_data, &handled);
    free(cookies);
    return handled;
}

void sinv_offer_invitation(msgr_session *s, const char *app_data)
{
    msgr_session_manager **list;
    size_t n = sinv_managers(s->m, true, &list);
    if (n == 0)
        return;
    pool_borrow(s->m, s); /* handed out: valid until the next process() */
    set_owner(s, list[0]);
    for (size_t i = 0; i < n; i++) {
        if (offer_to(list[i], s, app_data ? app_data : "")) {
            set_owner(s, list[i]);
            break;
        }
    }
    sinv_managers_free(list, n);
}

/* Called while the messenger is being released: no process() will ever
 * deliver a queued event again, so OnAppShutdown goes out now, to the
 * managers that did not hear it yet (an attached messenger's managers
 * heard it when the serving messenger went away: once is enough). */
void sinv_managers_shutdown(msgr_messenger *m)
{
    msgr_session_manager **list;
    size_t n = sinv_managers(m, false, &list);
    for (size_t i = 0; i < n; i++) {
        if (list[i]->shutdown_told)
            continue;
        list[i]->shutdown_told = true;
        size_t nc;
        uint32_t *cookies = sink_cookies(list[i], &nc);
        sinv_mgr_sink copy;
        for (size_t k = 0; k < nc; k++)
            if (sink_by_cookie(list[i], cookies[k], &copy) && copy.events.on_app_shutdown)
                copy.events.on_app_shutdown(copy.user_data, list[i]);
        free(cookies);
    }
    sinv_managers_free(list, n);
}

/* ---- IMsgrSessionManager -------------------------------------------------------- */

/* Common entry of the locked members: a live manager, an out-pointer when
 * there is one, and the lock (api-scope.md 6.1 item 9). */
static msgr_session_manager *enter(msgr_session_manager *mgr, const void *out,
                                   bool has_out, msgr_hr *hr)
{
    msgr_session_manager *g = live_mgr(mgr, hr);
    if (!g)
        return NULL;
    if (has_out && !out) {
        *hr = MSGR_E_INVALIDARG; /* the members' pages: "not valid" */
        return NULL;
    }
    if (!lock_usable(g->lock)) {
        *hr = MSGR_E_API_LOCKED;
        return NULL;
    }
    return g;
}

msgr_hr msgr_session_manager_create_session(msgr_session_manager *mgr,
                                            msgr_session **session)
{
    msgr_hr hr = MSGR_S_OK;
    if (session)
        *session = NULL;
    msgr_session_manager *g = enter(mgr, session, true, &hr);
    if (!g)
        return hr;
    msgr_session *s = sinv_session_new(g->m, g, SF_INVITER);
    if (!s)
        return MSGR_E_OUTOFMEMORY;
    *session = s;
    return MSGR_S_OK;
}

msgr_hr msgr_session_manager_get_launching_session(msgr_session_manager *mgr,
                                                   long process_id,
                                                   msgr_session **session)
{
    msgr_hr hr = MSGR_S_OK;
    if (session)
        *session = NULL;
    msgr_session_manager *g = enter(mgr, session, true, &hr);
    if (!g)
        return hr;
    if (process_id <= 0 || process_id > INT32_MAX)
        return MSGR_E_INVALIDARG;
    msgr_session *s = sinv_find_launched(g->m, (pid_t)process_id);
    if (s) {
        pool_borrow(g->m, s);
        *session = s;
        return MSGR_S_OK;
    }
    /* Attached: the program was launched by the serving messenger (in
     * another process), which is asked over the socket. */
    if (g->m->attach)
        return sproxy_get_launching(g, (pid_t)process_id, session);
    return MSGR_E_FAIL;
}

/* The path names an executable regular file ("cannot be resolved"
 * otherwise, api-scope.md 5.16). */
static bool program_ok(const char *path)
{
    struct stat st;
    return path[0] == '/' && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, X_OK) == 0;
}

/* OnAppRegistered / OnAppUnRegistered on every manager of m. */
static void announce(msgr_messenger *m, sinv_dispid what, const char *guid)
{
    msgr_session_manager **list;
    size_t n = sinv_managers(m, false, &list);
    for (size_t i = 0; i < n; i++)
        ev_queue_to(m, &list[i]->base, EV_SINV, MSGR_S_OK, what, 0, NULL, guid);
    sinv_managers_free(list, n);
}

static msgr_hr fill_app(app_info *a, const char *guid, const char *name,
                        const char *url, const char *path)
{
    memset(a, 0, sizeof *a);
    if (!guid || !name || !url || !path || !sinv_guid_normalize(guid, a->guid) ||
        !name[0] || !sinv_text_valid(name, MSGR_APP_NAME_MAX) ||
        !sinv_text_valid(url, MSGR_APP_URL_MAX) || !sinv_text_valid(path, MSGR_APP_PATH_MAX))
        return MSGR_E_INVALIDARG;
    if (!program_ok(path))
        return MSGR_E_FAIL;
    memcpy(a->name, name, strlen(name) + 1);
    memcpy(a->url, url, strlen(url) + 1);
    memcpy(a->path, path, strlen(path) + 1);
    return MSGR_S_OK;
}

msgr_hr msgr_session_manager_register_application(msgr_session_manager *mgr,
                                                  const char *app_guid,
                                                  const char *name,
                                                  const char *url,
                                                  const char *path, long flags)
{
    msgr_hr hr = MSGR_S_OK;
    app_info a;
    msgr_session_manager *g = enter(mgr, NULL, false, &hr);
    if (!g)
        return hr;
    if (flags != 0)
        return MSGR_E_INVALIDARG;
    hr = fill_app(&a, app_guid, name, url, path);
    if (MSGR_SUCCEEDED(hr))
        hr = apps_register(g->m->config_dir, &a);
    if (MSGR_SUCCEEDED(hr))
        announce(g->m, SINV_ON_APP_REGISTERED, a.guid);
    return hr;
}

msgr_hr msgr_session_manager_unregister_application(msgr_session_manager *mgr,
                                                    const char *app_guid)
{
    msgr_hr hr = MSGR_S_OK;
    char guid[SINV_GUID_SIZE];
    msgr_session_manager *g = enter(mgr, NULL, false, &hr);
    if (!g)
        return hr;
    if (!sinv_guid_normalize(app_guid, guid))
        return MSGR_E_INVALIDARG;
    hr = apps_unregister(g->m->config_dir, guid);
    if (MSGR_SUCCEEDED(hr))
        announce(g->m, SINV_ON_APP_UNREGISTERED, guid);
    return hr;
}

msgr_hr msgr_session_manager_get_applications(msgr_session_manager *mgr,
                                              void **applications)
{
    msgr_hr hr = MSGR_S_OK;
    if (applications)
        *applications = NULL;
    if (!enter(mgr, applications, true, &hr))
        return hr;
    return MSGR_E_NOTIMPL; /* erratum E14: the property is not implemented */
}
