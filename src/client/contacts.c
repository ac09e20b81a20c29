/*
 * contacts.c - MessengerContact and MessengerContacts.
 *
 * The messenger keeps every live contact object in m->contacts so that a
 * sign-in name always maps to the same object while anyone holds it
 * (api-scope.md 3, object identity). A contact with list bits is also
 * referenced by that table (in_table); one without is kept alive only by
 * the application, the borrow pool, queued events or requests.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "msnp_write.h"

/* ---- the contact object -------------------------------------------------- */

static void unregister(msgr_contact *c)
{
    msgr_messenger *m = c->m;
    if (!m)
        return;
    for (size_t i = 0; i < m->ncontacts; i++) {
        if (m->contacts[i] == c) {
            memmove(&m->contacts[i], &m->contacts[i + 1],
                    (m->ncontacts - i - 1) * sizeof m->contacts[0]);
            m->ncontacts--;
            return;
        }
    }
}

static void contact_destroy(msgr_obj *o)
{
    msgr_contact *c = (msgr_contact *)o;
    unregister(c);
    free(c->signin);
    free(c->friendly);
    for (int i = 0; i < PHONE_COUNT; i++)
        free(c->phones[i]);
    free(c);
}

msgr_contact *contact_find(msgr_messenger *m, const char *signin)
{
    for (size_t i = 0; i < m->ncontacts; i++)
        if (strcasecmp(m->contacts[i]->signin, signin) == 0)
            return m->contacts[i];
    return NULL;
}

/* Finds or creates the contact for signin. A new one is borrowed (the
 * pool holds it) until something else references it. */
msgr_contact *contact_get(msgr_messenger *m, const char *signin)
{
    msgr_contact *c = contact_find(m, signin);
    if (c)
        return c;
    if (m->ncontacts == m->capcontacts) {
        size_t cap = m->capcontacts ? m->capcontacts * 2 : 32;
        msgr_contact **t = realloc(m->contacts, cap * sizeof *t);
        if (!t)
            return NULL;
        m->contacts = t;
        m->capcontacts = cap;
    }
    c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->signin = msgr_strdup(signin);
    c->friendly = msgr_strdup(signin);
    if (!c->signin || !c->friendly) {
        free(c->signin);
        free(c->friendly);
        free(c);
        return NULL;
    }
    msgr_lower(c->signin);
    obj_init(&c->base, OBJ_CONTACT, contact_destroy);
    obj_attach(m, &c->base, &c->m);
    c->status = MISTATUS_UNKNOWN;
    m->contacts[m->ncontacts++] = c;
    if (!pool_borrow(m, c)) {
        obj_unref(c);
        return NULL;
    }
    obj_unref(c); /* the pool's reference is now the only one */
    return c;
}

/* Sets the list bits, taking or dropping the table's reference, and
 * keeps Status meaningful: UNKNOWN off the contact list, OFFLINE on it
 * until presence says otherwise. */
void contact_set_lists(msgr_contact *c, unsigned lists)
{
    bool was_fl = c->lists & MSNP_LIST_FL;
    c->lists = lists;
    if ((lists & MSNP_LIST_FL) && !was_fl)
        c->status = MISTATUS_OFFLINE;
    if (!(lists & MSNP_LIST_FL)) {
        c->status = MISTATUS_UNKNOWN;
        c->groups = 0;
    }
    if (lists && !c->in_table) {
        obj_ref(c);
        c->in_table = true;
    } else if (!lists && c->in_table) {
        c->in_table = false;
        if (c->m)
            pool_borrow(c->m, c); /* still handed out until next process() */
        obj_unref(c);
    }
}

bool contact_set_friendly(msgr_contact *c, const char *name)
{
    char *copy = msgr_strdup(name);
    if (!copy)
        return false;
    free(c->friendly);
    c->friendly = copy;
    return true;
}

void contact_set_phone(msgr_contact *c, int idx, const char *value)
{
    free(c->phones[idx]);
    c->phones[idx] = value && *value ? msgr_strdup(value) : NULL;
}

/* Drops every list membership (sign-out, full SYN): objects held by the
 * application stay valid with Status UNKNOWN. */
void contact_detach_all(msgr_messenger *m)
{
    size_t n = m->ncontacts;
    msgr_contact **copy = n ? malloc(n * sizeof *copy) : NULL;
    if (n == 0 || !copy)
        return;
    memcpy(copy, m->contacts, n * sizeof *copy);
    for (size_t i = 0; i < n; i++)
        obj_ref(copy[i]);
    for (size_t i = 0; i < n; i++) {
        copy[i]->groups = 0;
        copy[i]->can_page = false;
        for (int k = 0; k < PHONE_COUNT; k++)
            contact_set_phone(copy[i], k, NULL);
        contact_set_lists(copy[i], 0);
    }
    for (size_t i = 0; i < n; i++)
        obj_unref(copy[i]);
    free(copy);
}

bool contact_is_self(const msgr_contact *c)
{
    return c->m && c->m->signin && c->m->phase != PHASE_OFFLINE &&
           strcasecmp(c->signin, c->m->signin) == 0;
}

/* Sign-in name rules of api-scope.md 3: not empty, at most 129 bytes, no
 * leading space, no CR/LF. */
msgr_hr check_signin_name(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > MSGR_MAX_NAME || name[0] == ' ' ||
        strpbrk(name, "\r\n"))
        return MSGR_E_INVALIDARG;
    return MSGR_S_OK;
}

static msgr_contact *live_contact(msgr_contact *c)
{
    msgr_obj *o = obj_check(c);
    if (!o || o->kind != OBJ_CONTACT || !c->m)
        return NULL;
    return c;
}

msgr_hr msgr_contact_get_friendly_name(msgr_contact *c, const char **name)
{
    if (!name)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_contact(c))
        return MSGR_E_FAIL;
    *name = contact_is_self(c) && c->m->friendly ? c->m->friendly : c->friendly;
    return MSGR_S_OK;
}

msgr_hr msgr_contact_get_status(msgr_contact *c, MISTATUS *status)
{
    if (!status)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_contact(c))
        return MSGR_E_FAIL;
    if (contact_is_self(c)) {
        MISTATUS st = c->m->my_status;
        *status = st == MISTATUS_INVISIBLE || st >= MISTATUS_LOCAL_FINDING_SERVER
                      ? MISTATUS_OFFLINE : st; /* never LOCAL_* or INVISIBLE */
        return MSGR_S_OK;
    }
    *status = c->status;
    return MSGR_S_OK;
}

msgr_hr msgr_contact_get_signin_name(msgr_contact *c, const char **name)
{
    if (!name)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_contact(c))
        return MSGR_E_FAIL;
    *name = c->signin;
    return MSGR_S_OK;
}

msgr_hr msgr_contact_get_service_name(msgr_contact *c, const char **name)
{
    if (!name)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_contact(c))
        return MSGR_E_FAIL;
    *name = MSGR_SERVICE_NAME_MSNP;
    return MSGR_S_OK;
}

msgr_hr msgr_contact_get_service_id(msgr_contact *c, const char **id)
{
    if (!id)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_contact(c))
        return MSGR_E_INVALIDARG; /* erratum E23 */
    *id = MSGR_SERVICE_ID_MSNP;
    return MSGR_S_OK;
}

static bool signed_in(const msgr_messenger *m)
{
    return m->phase == PHASE_ONLINE || m->phase == PHASE_SYNCING;
}

msgr_hr msgr_contact_get_blocked(msgr_contact *c, bool *blocked)
{
    if (!blocked)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_contact(c))
        return MSGR_E_FAIL;
    *blocked = signed_in(c->m) && (c->lists & MSNP_LIST_BL);
    return MSGR_S_OK;
}

/* Block: REM AL then ADD BL; unblock: REM BL then ADD AL (msnp.md 3.12).
 * Both lines go out together; the server handles them in order, so the
 * AL/BL exclusion holds. The final ADD carries the event. */
msgr_hr msgr_contact_set_blocked(msgr_contact *c, bool blocked)
{
    if (!live_contact(c))
        return MSGR_E_FAIL;
    msgr_messenger *m = c->m;
    if (!signed_in(m))
        return MSGR_E_NOT_LOGGED_ON;
    if (contact_is_self(c))
        return MSGR_E_FAIL;
    if (((c->lists & MSNP_LIST_BL) != 0) == blocked)
        return MSGR_S_FALSE;
    int leave = blocked ? MSNP_LIST_AL : MSNP_LIST_BL;
    int join = blocked ? MSNP_LIST_BL : MSNP_LIST_AL;
    ns_conn *ns = &m->ns;
    size_t mark = ns->out.len;
    if (c->lists & (unsigned)leave) {
        uint32_t t = ns_trid(ns);
        if (msnp_write_rem_request(&ns->out, t, leave, c->signin, MSNP_NO_GROUP) != MSNP_OK ||
            ns_track(ns, t, REQ_QUIET, c, NULL, 0, NULL) != 0) {
            msnp_buf_truncate(&ns->out, mark);
            return MSGR_E_OUTOFMEMORY;
        }
    }
    uint32_t t = ns_trid(ns);
    if (msnp_write_add_request(&ns->out, t, join, c->signin, c->signin,
                               MSNP_NO_GROUP) != MSNP_OK ||
        ns_track(ns, t, REQ_BLOCK, c, NULL, blocked, NULL) != 0) {
        msnp_buf_truncate(&ns->out, mark);
        return MSGR_E_OUTOFMEMORY;
    }
    ns_flush_out(ns);
    return MSGR_S_OK;
}

msgr_hr msgr_contact_get_can_page(msgr_contact *c, bool *can_page)
{
    if (!can_page)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_contact(c))
        return MSGR_E_FAIL;
    *can_page = signed_in(c->m) && c->can_page;
    return MSGR_S_OK;
}

msgr_hr msgr_contact_get_phone_number(msgr_contact *c, MPHONE_TYPE type,
                                      const char **number)
{
    if (!number)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    int idx = phone_index(type);
    if (!live_contact(c) || idx < 0)
        return MSGR_E_FAIL;
    const char *v = contact_is_self(c) ? c->m->my_phones[idx] : c->phones[idx];
    if (!v)
        return MSGR_E_FAIL;
    *number = v;
    return MSGR_S_OK;
}

msgr_hr msgr_contact_get_is_self(msgr_contact *c, bool *is_self)
{
    if (!is_self)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_contact(c))
        return MSGR_E_FAIL;
    *is_self = contact_is_self(c);
    return MSGR_S_OK;
}

msgr_hr msgr_contact_get_lists(msgr_contact *c, unsigned *lists)
{
    if (!lists)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_contact(c))
        return MSGR_E_FAIL;
    /* MSGR_LIST_* have the values of the wire's list bits (msnp_types.h). */
    *lists = c->lists & (MSNP_LIST_FL | MSNP_LIST_AL | MSNP_LIST_BL | MSNP_LIST_RL);
    return MSGR_S_OK;
}

msgr_hr msgr_contact_get_property(msgr_contact *c, MCONTACTPROPERTY prop,
                                  msgr_variant *value)
{
    if (!value)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (prop != MCONTACTPROP_EMAIL && prop != MCONTACTPROP_GROUPS_PROPERTY)
        return MSGR_E_INVALIDARG;
    if (!live_contact(c))
        return MSGR_E_FAIL;
    if (prop == MCONTACTPROP_EMAIL) {
        value->vt = MSGR_VT_BSTR;
        value->u.bstr = c->signin;
        return MSGR_S_OK;
    }
    msgr_groups *gs = groups_snapshot(c->m, c);
    if (!gs)
        return MSGR_E_OUTOFMEMORY;
    value->vt = MSGR_VT_DISPATCH;
    value->u.dispatch = gs;
    return MSGR_S_OK;
}

msgr_hr msgr_contact_set_property(msgr_contact *c, MCONTACTPROPERTY prop,
                                  const msgr_variant *value)
{
    (void)c;
    (void)prop;
    (void)value;
    return MSGR_E_INVALIDARG; /* read-only (api-scope.md 5.5) */
}

/* ---- the contacts collection --------------------------------------------- */

static void contacts_destroy(msgr_obj *o)
{
    msgr_contacts *cs = (msgr_contacts *)o;
    for (size_t i = 0; i < cs->n; i++)
        obj_unref(cs->items[i]);
    free(cs->items);
    free(cs);
}

msgr_contacts *contacts_from(msgr_messenger *m, msgr_contact **items, size_t n)
{
    msgr_contacts *cs = calloc(1, sizeof *cs);
    if (!cs)
        return NULL;
    cs->items = n ? malloc(n * sizeof *cs->items) : NULL;
    if (n && !cs->items) {
        free(cs);
        return NULL;
    }
    obj_init(&cs->base, OBJ_CONTACTS, contacts_destroy);
    obj_attach(m, &cs->base, &cs->m);
    for (size_t i = 0; i < n; i++) {
        cs->items[i] = items[i];
        obj_ref(items[i]);
    }
    cs->n = n;
    if (!pool_borrow(m, cs)) {
        obj_unref(cs);
        return NULL;
    }
    obj_unref(cs);
    return cs;
}

/* Borrowed snapshot of the contact list, or of one group's members. */
msgr_contacts *contacts_snapshot(msgr_messenger *m, msgr_group *only)
{
    msgr_contact **items = m->ncontacts ? malloc(m->ncontacts * sizeof *items) : NULL;
    size_t n = 0;
    if (m->ncontacts && !items)
        return NULL;
    for (size_t i = 0; i < m->ncontacts; i++) {
        msgr_contact *c = m->contacts[i];
        if (!(c->lists & MSNP_LIST_FL))
            continue;
        if (only && (only->gid < 0 || !(c->groups & (1u << only->gid))))
            continue;
        items[n++] = c;
    }
    msgr_contacts *cs = contacts_from(m, items, n);
    free(items);
    return cs;
}

static msgr_contacts *live_contacts(msgr_contacts *cs)
{
    msgr_obj *o = obj_check(cs);
    return o && o->kind == OBJ_CONTACTS && cs->m ? cs : NULL;
}

msgr_hr msgr_contacts_get_count(msgr_contacts *cs, long *count)
{
    if (!count)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_contacts(cs))
        return MSGR_E_FAIL;
    *count = (long)cs->n;
    return MSGR_S_OK;
}

msgr_hr msgr_contacts_item(msgr_contacts *cs, long index,
                           msgr_contact **contact)
{
    if (!contact)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (index < 0)
        return MSGR_E_INVALIDARG;
    if (!live_contacts(cs) || (size_t)index >= cs->n)
        return MSGR_E_FAIL;
    *contact = cs->items[index];
    return MSGR_S_OK;
}

msgr_hr msgr_contacts_remove(msgr_contacts *cs, msgr_contact *contact)
{
    if (!contact)
        return MSGR_E_POINTER;
    if (!live_contacts(cs) || !cs->m)
        return MSGR_E_FAIL;
    size_t i = 0;
    while (i < cs->n && cs->items[i] != contact)
        i++;
    if (i == cs->n)
        return MSGR_E_FAIL; /* not in this collection: no event */
    msgr_messenger *m = cs->m;
    if (!signed_in(m))
        return MSGR_E_NOT_LOGGED_ON;
    uint32_t t = ns_trid(&m->ns);
    size_t mark = m->ns.out.len;
    if (msnp_write_rem_request(&m->ns.out, t, MSNP_LIST_FL, contact->signin,
                               MSNP_NO_GROUP) != MSNP_OK ||
        ns_track(&m->ns, t, REQ_REM_FL, contact, NULL, 0, NULL) != 0) {
        msnp_buf_truncate(&m->ns.out, mark);
        return MSGR_E_OUTOFMEMORY;
    }
    ns_flush_out(&m->ns);
    return MSGR_S_OK;
}

msgr_hr msgr_contacts_get_new_enum(msgr_contacts *cs, msgr_contacts **copy)
{
    if (!copy)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_contacts(cs) || !cs->m)
        return MSGR_E_FAIL;
    msgr_contacts *c = contacts_from(cs->m, cs->items, cs->n);
    if (!c)
        return MSGR_E_OUTOFMEMORY;
    *copy = c;
    return MSGR_S_OK;
}
