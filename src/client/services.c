/*
 * services.c - MessengerService and MessengerServices (api-scope.md 5.10,
 * 5.11). One service per messenger in this version: the MSNP8 sign-in on
 * the configured server, which is also the primary service.
 */
#include <stdlib.h>

#include "internal.h"

static void service_destroy(msgr_obj *o)
{
    free(o);
}

msgr_service *service_new(msgr_messenger *m)
{
    msgr_service *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    obj_init(&s->base, OBJ_SERVICE, service_destroy);
    obj_attach(m, &s->base, &s->m);
    return s;
}

static void services_destroy(msgr_obj *o)
{
    msgr_services *ss = (msgr_services *)o;
    obj_unref(ss->primary);
    free(ss);
}

msgr_services *services_new(msgr_messenger *m)
{
    msgr_services *ss = calloc(1, sizeof *ss);
    if (!ss)
        return NULL;
    obj_init(&ss->base, OBJ_SERVICES, services_destroy);
    obj_attach(m, &ss->base, &ss->m);
    ss->primary = m->service;
    obj_ref(ss->primary);
    return ss;
}

static msgr_service *live_service(msgr_service *s)
{
    msgr_obj *o = obj_check(s);
    return o && o->kind == OBJ_SERVICE && s->m ? s : NULL;
}

static bool signed_in(const msgr_messenger *m)
{
    return m->phase == PHASE_ONLINE || m->phase == PHASE_SYNCING;
}

msgr_hr msgr_service_get_service_name(msgr_service *s, const char **name)
{
    if (!name)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_service(s))
        return MSGR_E_FAIL;
    *name = MSGR_SERVICE_NAME_MSNP;
    return MSGR_S_OK;
}

msgr_hr msgr_service_get_service_id(msgr_service *s, const char **id)
{
    if (!id)
        return MSGR_E_INVALIDARG; /* erratum E23 */
    if (!live_service(s))
        return MSGR_E_FAIL;
    *id = MSGR_SERVICE_ID_MSNP;
    return MSGR_S_OK;
}

msgr_hr msgr_service_get_my_friendly_name(msgr_service *s, const char **name)
{
    if (!name)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_service(s))
        return MSGR_E_FAIL;
    if (!signed_in(s->m) || !s->m->friendly)
        return MSGR_E_NOT_LOGGED_ON;
    *name = s->m->friendly;
    return MSGR_S_OK;
}

msgr_hr msgr_service_get_my_signin_name(msgr_service *s, const char **name)
{
    if (!name)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_service(s))
        return MSGR_E_FAIL;
    if (!signed_in(s->m) || !s->m->signin)
        return MSGR_E_NOT_LOGGED_ON;
    *name = s->m->signin;
    return MSGR_S_OK;
}

msgr_hr msgr_service_get_my_status(msgr_service *s, MISTATUS *status)
{
    if (!status)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_service(s))
        return MSGR_E_FAIL;
    *status = s->m->my_status;
    return MSGR_S_OK;
}

msgr_hr msgr_service_get_property(msgr_service *s, MSERVICEPROPERTY prop,
                                  msgr_variant *value)
{
    (void)s;
    (void)prop;
    (void)value;
    return MSGR_E_INVALIDARG; /* reserved (api-scope.md 5.10) */
}

msgr_hr msgr_service_set_property(msgr_service *s, MSERVICEPROPERTY prop,
                                  const msgr_variant *value)
{
    (void)s;
    (void)prop;
    (void)value;
    return MSGR_E_INVALIDARG; /* reserved (api-scope.md 5.10) */
}

static msgr_services *live_services(msgr_services *ss)
{
    msgr_obj *o = obj_check(ss);
    return o && o->kind == OBJ_SERVICES && ss->m ? ss : NULL;
}

msgr_hr msgr_services_get_primary_service(msgr_services *ss,
                                          msgr_service **service)
{
    if (!service)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_services(ss))
        return MSGR_E_FAIL;
    *service = ss->primary;
    return MSGR_S_OK;
}

msgr_hr msgr_services_get_count(msgr_services *ss, long *count)
{
    if (!count)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_services(ss))
        return MSGR_E_FAIL;
    *count = 1;
    return MSGR_S_OK;
}

msgr_hr msgr_services_item(msgr_services *ss, long index,
                           msgr_service **service)
{
    if (!service)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (index < 0)
        return MSGR_E_INVALIDARG;
    if (!live_services(ss) || index >= 1)
        return MSGR_E_FAIL;
    *service = ss->primary;
    return MSGR_S_OK;
}

msgr_hr msgr_services_get_new_enum(msgr_services *ss, msgr_services **copy)
{
    if (!copy)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_services(ss))
        return MSGR_E_FAIL;
    msgr_services *c = services_new(ss->m);
    if (!c)
        return MSGR_E_OUTOFMEMORY;
    if (!pool_borrow(ss->m, c)) {
        obj_unref(c);
        return MSGR_E_OUTOFMEMORY;
    }
    obj_unref(c);
    *copy = c;
    return MSGR_S_OK;
}
