/*
 * priv.c - MessengerPriv (api-scope.md 5.13, 5.17): IMessengerPrivate
 * (AddContact, EnableAlertEvents), its DMessengerPrivateEvents sinks, and
 * the MSN Alerts (NOT) it receives. Its IMsgrLock is a msgr_lock
 * (lock.c) that reports here through priv_notify().
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "msnp_alert.h"
#include "msnp_url.h"

/* ---- the messenger's list of MessengerPriv objects ------------------------- */

static bool privs_add(msgr_messenger *m, msgr_priv *p)
{
    if (m->nprivs == m->capprivs) {
        size_t cap = m->capprivs ? m->capprivs * 2 : 4;
        msgr_priv **a = realloc(m->privs, cap * sizeof *a);
        if (!a)
            return false;
        m->privs = a;
        m->capprivs = cap;
    }
    m->privs[m->nprivs++] = p;
    return true;
}

static void privs_remove(msgr_messenger *m, msgr_priv *p)
{
    for (size_t i = 0; i < m->nprivs; i++) {
        if (m->privs[i] == p) {
            memmove(&m->privs[i], &m->privs[i + 1],
                    (m->nprivs - i - 1) * sizeof m->privs[0]);
            m->nprivs--;
            return;
        }
    }
}

/* ---- creation -------------------------------------------------------------- */

/* The lock's notes become this object's events. */
static void priv_notify(msgr_obj *host, lock_note what, int32_t cookie,
                        bool flag, const char *challenge)
{
    msgr_priv *p = (msgr_priv *)host;
    if (!p->m)
        return;
    switch (what) {
    case LOCK_NOTE_ENABLE:
        ev_queue_to(p->m, host, EV_LOCK_ENABLE, MSGR_S_OK, flag, 0, NULL, NULL);
        break;
    case LOCK_NOTE_CHALLENGE:
        ev_queue_to(p->m, host, EV_LOCK_CHALLENGE, MSGR_S_OK, cookie, 0, NULL,
                    challenge);
        break;
    case LOCK_NOTE_RESULT:
        ev_queue_to(p->m, host, EV_LOCK_RESULT, MSGR_S_OK, cookie, flag, NULL,
                    NULL);
        break;
    case LOCK_NOTE_STATUS:
        break; /* DMessengerPrivateEvents has no OnLockStatusChanged (E44) */
    }
}

static void priv_destroy(msgr_obj *o)
{
    msgr_priv *p = (msgr_priv *)o;
    if (p->lock)
        lock_detach(p->lock);
    if (p->m)
        privs_remove(p->m, p);
    free(p->sinks);
    free(p->sites);
    free(p);
}

msgr_hr msgr_priv_create(msgr_messenger *m, msgr_priv **priv)
{
    msgr_obj *mo = obj_check(m);
    if (!priv || !mo || mo->kind != OBJ_MESSENGER)
        return MSGR_E_POINTER;
    *priv = NULL;
    msgr_priv *p = calloc(1, sizeof *p);
    if (!p)
        return MSGR_E_OUTOFMEMORY;
    obj_init(&p->base, OBJ_PRIV, priv_destroy);
    obj_attach(m, &p->base, &p->m);
    if (!privs_add(m, p)) {
        obj_unref(p);
        return MSGR_E_OUTOFMEMORY;
    }
    p->lock = lock_new(m, &p->base, priv_notify);
    if (!p->lock) {
        obj_unref(p);
        return MSGR_E_OUTOFMEMORY;
    }
    *priv = p;
    return MSGR_S_OK;
}

/* NULL and sets *hr unless p is a MessengerPriv whose messenger lives. */
static msgr_priv *live_priv(msgr_priv *p, msgr_hr *hr)
{
    msgr_obj *o = obj_check(p);
    if (!o || o->kind != OBJ_PRIV) {
        *hr = MSGR_E_POINTER;
        return NULL;
    }
    if (!p->m) {
        *hr = MSGR_E_FAIL;
        return NULL;
    }
    return p;
}

msgr_hr msgr_priv_get_lock(msgr_priv *priv, msgr_lock **lock)
{
    msgr_hr hr = MSGR_S_OK;
    if (!lock)
        return MSGR_E_POINTER;
    msgr_priv *p = live_priv(priv, &hr);
    if (!p)
        return hr;
    *lock = p->lock;
    return MSGR_S_OK;
}

/* ---- sinks ------------------------------------------------------------------ */

msgr_hr msgr_priv_advise(msgr_priv *priv, const msgr_priv_events *events,
                         void *user_data, uint32_t *cookie)
{
    msgr_obj *o = obj_check(priv);
    if (!o || o->kind != OBJ_PRIV || !events || !cookie)
        return MSGR_E_POINTER;
    priv_sink *s = realloc(priv->sinks, (priv->nsinks + 1) * sizeof *s);
    if (!s)
        return MSGR_E_OUTOFMEMORY;
    priv->sinks = s;
    if (++priv->next_cookie == 0)
        priv->next_cookie = 1;
    s[priv->nsinks].cookie = priv->next_cookie;
    s[priv->nsinks].events = *events;
    s[priv->nsinks].user_data = user_data;
    priv->nsinks++;
    *cookie = priv->next_cookie;
    return MSGR_S_OK;
}

msgr_hr msgr_priv_unadvise(msgr_priv *priv, uint32_t cookie)
{
    msgr_obj *o = obj_check(priv);
    if (!o || o->kind != OBJ_PRIV)
        return MSGR_E_POINTER;
    for (size_t i = 0; i < priv->nsinks; i++) {
        if (priv->sinks[i].cookie != cookie)
            continue;
        memmove(&priv->sinks[i], &priv->sinks[i + 1],
                (priv->nsinks - i - 1) * sizeof priv->sinks[0]);
        priv->nsinks--;
        return MSGR_S_OK;
    }
    return MSGR_E_INVALIDARG;
}

static void deliver_one(msgr_priv *p, const priv_sink *s, const queued_event *e)
{
    const msgr_priv_events *ev = &s->events;
    void *ud = s->user_data;
    bool enable_default = true;
    switch (e->kind) {
    case EV_LIST_ADD:
        if (ev->on_contact_list_add)
            ev->on_contact_list_add(ud, p, e->hr, e->contact);
        break;
    case EV_LOCK_ENABLE:
        if (ev->on_lock_enable)
            ev->on_lock_enable(ud, p, e->arg != 0);
        break;
    case EV_LOCK_CHALLENGE:
        if (ev->on_lock_challenge)
            ev->on_lock_challenge(ud, p, (int32_t)e->arg, e->text ? e->text : "");
        break;
    case EV_LOCK_RESULT:
        if (ev->on_lock_result)
            ev->on_lock_result(ud, p, (int32_t)e->arg, e->arg2 != 0);
        break;
    case EV_ALERT:
        if (ev->on_alert_received)
            ev->on_alert_received(ud, p, e->text ? e->text : "", &enable_default);
        break;
    default:
        break;
    }
}

/* Every sink registered now gets the event; the array is looked up again
 * for each one because a callback may advise or unadvise. */
void priv_deliver(msgr_priv *p, const queued_event *e)
{
    size_t n = p->nsinks;
    uint32_t *cookies = n ? malloc(n * sizeof *cookies) : NULL;
    if (n && !cookies)
        return;
    for (size_t i = 0; i < n; i++)
        cookies[i] = p->sinks[i].cookie;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < p->nsinks; j++) {
            if (p->sinks[j].cookie == cookies[i]) {
                priv_sink copy = p->sinks[j];
                deliver_one(p, &copy, e);
                break;
            }
        }
    }
    free(cookies);
}

/* ---- IMessengerPrivate -------------------------------------------------------- */

static bool signed_in(const msgr_messenger *m)
{
    return m->phase == PHASE_ONLINE || m->phase == PHASE_SYNCING;
}

msgr_hr msgr_priv_add_contact(msgr_priv *priv, const char *signin_name,
                              msgr_service *service)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_priv *p = live_priv(priv, &hr);
    if (!p)
        return hr;
    if (!signin_name)
        return MSGR_E_POINTER;
    if (MSGR_FAILED(check_signin_name(signin_name)) || !strchr(signin_name, '@'))
        return MSGR_E_INVALIDARG;
    msgr_obj *so = service ? obj_check(service) : NULL;
    if (service && (!so || so->kind != OBJ_SERVICE || service->m != p->m))
        return MSGR_E_INVALIDARG;
    if (!signed_in(p->m))
        return MSGR_E_NOT_LOGGED_ON;
    if (!lock_usable(p->lock))
        return MSGR_E_API_LOCKED;
    msgr_contact *c = contact_get(p->m, signin_name);
    if (!c)
        return MSGR_E_OUTOFMEMORY;
    return lists_add_contact(p->m, c, &p->base);
}

msgr_hr msgr_priv_enable_alert_events(msgr_priv *priv, const int32_t *site_ids,
                                      size_t count)
{
    msgr_hr hr = MSGR_S_OK;
    msgr_priv *p = live_priv(priv, &hr);
    if (!p)
        return hr;
    if (count > MSGR_ALERT_SITES_MAX)
        return MSGR_E_OUTOFMEMORY; /* "array too large" (api-scope.md 5.13) */
    if (count && !site_ids)
        return MSGR_E_INVALIDARG;
    for (size_t i = 0; i < count; i++)
        if (site_ids[i] < 0)
            return MSGR_E_INVALIDARG;
    if (!lock_usable(p->lock))
        return MSGR_S_FALSE;
    int32_t *copy = NULL;
    if (count) {
        copy = malloc(count * sizeof *copy);
        if (!copy)
            return MSGR_E_OUTOFMEMORY;
        memcpy(copy, site_ids, count * sizeof *copy);
    }
    free(p->sites);
    p->sites = copy;
    p->nsites = count;
    p->alerts = true;
    return MSGR_S_OK;
}

/* ---- alerts ----------------------------------------------------------------- */

static bool wants_site(const msgr_priv *p, uint32_t site)
{
    if (!p->alerts || !lock_usable(p->lock))
        return false;
    if (p->nsites == 0)
        return true;
    for (size_t i = 0; i < p->nsites; i++)
        if ((uint32_t)p->sites[i] == site)
            return true;
    return false;
}

/* NOT: the payload goes to every MessengerPriv that subscribed to its
 * site. The codec's parser only tells the site; the application gets the
 * document as it came (a NUL-free UTF-8 string). */
void priv_on_alert(msgr_messenger *m, const msnp_cmd *cmd)
{
    msnp_alert a;
    if (m->nprivs == 0 || !cmd->payload || memchr(cmd->payload, 0, cmd->payload_len) ||
        !msnp_utf8_valid((const char *)cmd->payload, cmd->payload_len) ||
        msnp_alert_parse(cmd->payload, cmd->payload_len, &a) != MSNP_OK)
        return;
    uint32_t site = a.site_id;
    msnp_alert_free(&a);
    char *xml = malloc(cmd->payload_len + 1);
    if (!xml)
        return;
    memcpy(xml, cmd->payload, cmd->payload_len);
    xml[cmd->payload_len] = '\0';
    for (size_t i = 0; i < m->nprivs; i++)
        if (wants_site(m->privs[i], site))
            ev_queue_to(m, &m->privs[i]->base, EV_ALERT, MSGR_S_OK, 0, 0, NULL, xml);
    free(xml);
}
