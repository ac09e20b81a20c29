/*
 * object.c - reference counting shared by every libmsgr object, and the
 * borrow pool that keeps handed-out objects alive until the next
 * process() (DESIGN.md section 3: getters and events hand out borrowed
 * objects).
 */
#include <stdlib.h>

#include "internal.h"

void obj_init(msgr_obj *o, obj_kind kind, void (*destroy)(msgr_obj *))
{
    o->magic = MSGR_OBJ_MAGIC;
    o->kind = kind;
    o->refs = 1;
    o->destroy = destroy;
    o->owner_slot = NULL;
    o->prev = o->next = NULL;
}

void obj_attach(msgr_messenger *m, msgr_obj *o, msgr_messenger **slot)
{
    *slot = m;
    o->owner_slot = slot;
    o->prev = NULL;
    o->next = m->children;
    if (m->children)
        m->children->prev = o;
    m->children = o;
}

static void obj_detach(msgr_obj *o)
{
    msgr_messenger *m = o->owner_slot ? *o->owner_slot : NULL;
    if (!m)
        return;
    if (o->prev)
        o->prev->next = o->next;
    else
        m->children = o->next;
    if (o->next)
        o->next->prev = o->prev;
    o->prev = o->next = NULL;
}

void obj_orphan_all(msgr_messenger *m)
{
    msgr_obj *o = m->children;
    while (o) {
        msgr_obj *next = o->next;
        *o->owner_slot = NULL;
        o->prev = o->next = NULL;
        o = next;
    }
    m->children = NULL;
}

msgr_obj *obj_check(void *p)
{
    msgr_obj *o = p;
    if (!o || o->magic != MSGR_OBJ_MAGIC || o->refs <= 0)
        return NULL;
    return o;
}

void obj_ref(void *p)
{
    if (p)
        ((msgr_obj *)p)->refs++;
}

void obj_unref(void *p)
{
    msgr_obj *o = p;
    if (!o)
        return;
    if (--o->refs == 0) {
        o->magic = 0; /* a stale pointer now fails obj_check() */
        obj_detach(o);
        o->destroy(o);
    }
}

msgr_hr msgr_object_addref(void *object)
{
    msgr_obj *o = obj_check(object);
    if (!o)
        return MSGR_E_POINTER;
    o->refs++;
    return MSGR_S_OK;
}

msgr_hr msgr_object_release(void *object)
{
    msgr_obj *o = obj_check(object);
    if (!o)
        return MSGR_E_POINTER;
    obj_unref(o);
    return MSGR_S_OK;
}

bool pool_borrow(msgr_messenger *m, void *o)
{
    if (m->npool == m->cappool) {
        size_t cap = m->cappool ? m->cappool * 2 : 16;
        msgr_obj **p = realloc(m->pool, cap * sizeof *p);
        if (!p)
            return false;
        m->pool = p;
        m->cappool = cap;
    }
    obj_ref(o);
    m->pool[m->npool++] = o;
    return true;
}

void pool_drain(msgr_messenger *m)
{
    /* Releasing may destroy objects that borrow others again (a
     * collection releasing its contacts never borrows), so take the list
     * first. */
    size_t n = m->npool;
    msgr_obj **items = m->pool;
    m->pool = NULL;
    m->npool = m->cappool = 0;
    for (size_t i = 0; i < n; i++)
        obj_unref(items[i]);
    free(items);
}
