/*
 * groups.c - MessengerGroup and MessengerGroups (api-scope.md 5.8, 5.9).
 *
 * m->groups holds one reference per group known to the server plus the
 * groups whose ADG is still outstanding (gid -1). A removed group leaves
 * the table but stays valid while held.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "msnp_url.h"
#include "msnp_write.h"

static void group_destroy(msgr_obj *o)
{
    msgr_group *g = (msgr_group *)o;
    free(g->name);
    free(g);
}

msgr_group *group_by_gid(msgr_messenger *m, int gid)
{
    for (size_t i = 0; i < m->ngroups; i++)
        if (m->groups[i]->gid == gid)
            return m->groups[i];
    return NULL;
}

static msgr_group *group_by_name(msgr_messenger *m, const char *name)
{
    for (size_t i = 0; i < m->ngroups; i++)
        if (strcmp(m->groups[i]->name, name) == 0)
            return m->groups[i];
    return NULL;
}

/* A new group in the table (the table holds its only reference). */
msgr_group *group_new(msgr_messenger *m, int gid, const char *name)
{
    if (m->ngroups == m->capgroups) {
        size_t cap = m->capgroups ? m->capgroups * 2 : 8;
        msgr_group **t = realloc(m->groups, cap * sizeof *t);
        if (!t)
            return NULL;
        m->groups = t;
        m->capgroups = cap;
    }
    msgr_group *g = calloc(1, sizeof *g);
    if (!g || !(g->name = msgr_strdup(name))) {
        free(g);
        return NULL;
    }
    obj_init(&g->base, OBJ_GROUP, group_destroy);
    obj_attach(m, &g->base, &g->m);
    g->gid = gid;
    m->groups[m->ngroups++] = g;
    return g;
}

void group_mark_removed(msgr_messenger *m, msgr_group *g)
{
    for (size_t i = 0; i < m->ngroups; i++) {
        if (m->groups[i] != g)
            continue;
        memmove(&m->groups[i], &m->groups[i + 1],
                (m->ngroups - i - 1) * sizeof m->groups[0]);
        m->ngroups--;
        g->removed = true;
        pool_borrow(m, g);
        obj_unref(g);
        return;
    }
}

void group_detach_all(msgr_messenger *m)
{
    while (m->ngroups > 0)
        group_mark_removed(m, m->groups[m->ngroups - 1]);
}

/* Trims spaces and checks a group name (api-scope.md 5.2): blank ->
 * E_INVALIDARG, control characters -> MSGR_E_BAD_GROUP_NAME, more than 61
 * bytes URL-encoded -> MSGR_E_GROUP_NAME_TOO_LONG. */
msgr_hr group_name_check(const char *in, char **trimmed)
{
    while (*in == ' ')
        in++;
    size_t len = strlen(in);
    while (len > 0 && in[len - 1] == ' ')
        len--;
    if (len == 0)
        return MSGR_E_INVALIDARG;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)in[i] < 0x20 || in[i] == 0x7F)
            return MSGR_E_BAD_GROUP_NAME;
    if (!msnp_utf8_valid(in, len))
        return MSGR_E_BAD_GROUP_NAME;
    msnp_buf enc = MSNP_BUF_INIT;
    int rc = msnp_url_encode(&enc, in, len);
    size_t enc_len = enc.len;
    msnp_buf_free(&enc);
    if (rc != MSNP_OK)
        return MSGR_E_OUTOFMEMORY;
    if (enc_len > MSGR_MAX_GROUP_WIRE)
        return MSGR_E_GROUP_NAME_TOO_LONG;
    char *t = malloc(len + 1);
    if (!t)
        return MSGR_E_OUTOFMEMORY;
    memcpy(t, in, len);
    t[len] = '\0';
    *trimmed = t;
    return MSGR_S_OK;
}

static bool signed_in(const msgr_messenger *m)
{
    return m && (m->phase == PHASE_ONLINE || m->phase == PHASE_SYNCING);
}

msgr_hr msgr_messenger_create_group(msgr_messenger *m, const char *name,
                                    msgr_service *service, msgr_group **group)
{
    if (!obj_check(m) || !name || !group)
        return MSGR_E_POINTER;
    if (!obj_check(service) || service->base.kind != OBJ_SERVICE ||
        service->m != m)
        return MSGR_E_INVALIDARG;
    char *trimmed = NULL;
    msgr_hr hr = group_name_check(name, &trimmed);
    if (MSGR_FAILED(hr))
        return hr;
    if (!signed_in(m)) {
        free(trimmed);
        return MSGR_E_NOT_LOGGED_ON;
    }
    msgr_group *g = group_by_name(m, trimmed);
    if (g) {
        free(trimmed);
        *group = g;
        return MSGR_S_OK;
    }
    g = group_new(m, -1, trimmed);
    uint32_t t = ns_trid(&m->ns);
    size_t mark = m->ns.out.len;
    if (!g || msnp_write_adg_request(&m->ns.out, t, trimmed) != MSNP_OK ||
        ns_track(&m->ns, t, REQ_ADG, NULL, g, 0, NULL) != 0) {
        msnp_buf_truncate(&m->ns.out, mark);
        if (g)
            group_mark_removed(m, g);
        free(trimmed);
        return MSGR_E_OUTOFMEMORY;
    }
    free(trimmed);
    ns_flush_out(&m->ns);
    *group = g;
    return MSGR_S_OK;
}

static msgr_group *live_group(msgr_group *g)
{
    msgr_obj *o = obj_check(g);
    return o && o->kind == OBJ_GROUP && g->m ? g : NULL;
}

msgr_hr msgr_group_get_name(msgr_group *g, const char **name)
{
    if (!name)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_group(g))
        return MSGR_E_FAIL;
    if (!signed_in(g->m) && !g->removed)
        return MSGR_E_NOT_LOGGED_ON;
    *name = g->name;
    return MSGR_S_OK;
}

msgr_hr msgr_group_set_name(msgr_group *g, const char *name)
{
    if (!name)
        return MSGR_E_POINTER;
    if (!live_group(g))
        return MSGR_E_FAIL;
    char *trimmed = NULL;
    msgr_hr hr = group_name_check(name, &trimmed);
    if (MSGR_FAILED(hr))
        return hr;
    msgr_messenger *m = g->m;
    if (!signed_in(m))
        hr = MSGR_E_NOT_LOGGED_ON;
    else if (g->gid == 0)
        hr = MSGR_E_CANNOT_RENAME;
    else if (g->removed || g->gid < 0)
        hr = MSGR_E_GROUP_DOES_NOT_EXIST;
    if (MSGR_FAILED(hr)) {
        free(trimmed);
        return hr;
    }
    uint32_t t = ns_trid(&m->ns);
    size_t mark = m->ns.out.len;
    if (msnp_write_reg_request(&m->ns.out, t, g->gid, trimmed) != MSNP_OK ||
        ns_track(&m->ns, t, REQ_REG, NULL, g, 0, trimmed) != 0) {
        msnp_buf_truncate(&m->ns.out, mark);
        free(trimmed);
        return MSGR_E_OUTOFMEMORY;
    }
    free(trimmed);
    ns_flush_out(&m->ns);
    return MSGR_S_OK;
}

/* Shared checks and request of AddContact / RemoveContact. */
static msgr_hr group_member_request(msgr_group *g, msgr_contact *c, bool add)
{
    if (!live_group(g))
        return MSGR_E_FAIL;
    msgr_obj *co = obj_check(c);
    if (!co || co->kind != OBJ_CONTACT || c->m != g->m)
        return MSGR_E_INVALIDARG;
    msgr_messenger *m = g->m;
    if (!signed_in(m))
        return MSGR_E_NOT_LOGGED_ON;
    if (!(c->lists & MSNP_LIST_FL))
        return MSGR_E_USER_NOT_FOUND;
    if (g->removed || g->gid < 0)
        return MSGR_E_FAIL;
    uint32_t t = ns_trid(&m->ns);
    size_t mark = m->ns.out.len;
    int rc = add ? msnp_write_add_request(&m->ns.out, t, MSNP_LIST_FL, c->signin,
                                          c->friendly, g->gid)
                 : msnp_write_rem_request(&m->ns.out, t, MSNP_LIST_FL, c->signin,
                                          g->gid);
    if (rc != MSNP_OK ||
        ns_track(&m->ns, t, add ? REQ_ADD_GROUP : REQ_REM_GROUP, c, g, 0, NULL) != 0) {
        msnp_buf_truncate(&m->ns.out, mark);
        return MSGR_E_OUTOFMEMORY;
    }
    ns_flush_out(&m->ns);
    return MSGR_S_OK;
}

msgr_hr msgr_group_add_contact(msgr_group *g, msgr_contact *contact)
{
    return group_member_request(g, contact, true);
}

msgr_hr msgr_group_remove_contact(msgr_group *g, msgr_contact *contact)
{
    return group_member_request(g, contact, false);
}

msgr_hr msgr_group_get_contacts(msgr_group *g, msgr_contacts **contacts)
{
    if (!contacts)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_group(g))
        return MSGR_E_FAIL;
    msgr_contacts *cs = contacts_snapshot(g->m, g);
    if (!cs)
        return MSGR_E_OUTOFMEMORY;
    *contacts = cs;
    return MSGR_S_OK;
}

msgr_hr msgr_group_get_service(msgr_group *g, msgr_service **service)
{
    if (!service)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_group(g))
        return MSGR_E_FAIL;
    *service = g->m->service;
    return MSGR_S_OK;
}

/* ---- the groups collection ------------------------------------------------- */

static void groups_destroy(msgr_obj *o)
{
    msgr_groups *gs = (msgr_groups *)o;
    for (size_t i = 0; i < gs->n; i++)
        obj_unref(gs->items[i]);
    free(gs->items);
    free(gs);
}

static msgr_groups *groups_new(msgr_messenger *m, msgr_group **items, size_t n)
{
    msgr_groups *gs = calloc(1, sizeof *gs);
    if (!gs)
        return NULL;
    gs->items = n ? malloc(n * sizeof *gs->items) : NULL;
    if (n && !gs->items) {
        free(gs);
        return NULL;
    }
    obj_init(&gs->base, OBJ_GROUPS, groups_destroy);
    obj_attach(m, &gs->base, &gs->m);
    for (size_t i = 0; i < n; i++) {
        gs->items[i] = items[i];
        obj_ref(items[i]);
    }
    gs->n = n;
    if (!pool_borrow(m, gs)) {
        obj_unref(gs);
        return NULL;
    }
    obj_unref(gs);
    return gs;
}

/* Borrowed snapshot of the server's groups (or of member's groups),
 * in group-id order. */
msgr_groups *groups_snapshot(msgr_messenger *m, const msgr_contact *member)
{
    msgr_group *items[30];
    size_t n = 0;
    for (int gid = 0; gid < 30; gid++) {
        msgr_group *g = group_by_gid(m, gid);
        if (!g || (member && !(member->groups & (1u << gid))))
            continue;
        items[n++] = g;
    }
    return groups_new(m, items, n);
}

msgr_hr msgr_messenger_get_my_groups(msgr_messenger *m, msgr_groups **groups)
{
    if (!groups)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!obj_check(m))
        return MSGR_E_POINTER;
    msgr_groups *gs = groups_snapshot(m, NULL); /* empty when signed out */
    if (!gs)
        return MSGR_E_OUTOFMEMORY;
    *groups = gs;
    return MSGR_S_OK;
}

static msgr_groups *live_groups(msgr_groups *gs)
{
    msgr_obj *o = obj_check(gs);
    return o && o->kind == OBJ_GROUPS && gs->m ? gs : NULL;
}

msgr_hr msgr_groups_get_count(msgr_groups *gs, long *count)
{
    if (!count)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_groups(gs))
        return MSGR_E_FAIL;
    *count = (long)gs->n;
    return MSGR_S_OK;
}

msgr_hr msgr_groups_item(msgr_groups *gs, long index, msgr_group **group)
{
    if (!group)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (index < 0)
        return MSGR_E_INVALIDARG;
    if (!live_groups(gs) || (size_t)index >= gs->n)
        return MSGR_E_FAIL;
    *group = gs->items[index];
    return MSGR_S_OK;
}

msgr_hr msgr_groups_remove(msgr_groups *gs, msgr_group *group)
{
    if (!group)
        return MSGR_E_POINTER;
    if (!live_groups(gs) || !gs->m)
        return MSGR_E_FAIL;
    size_t i = 0;
    while (i < gs->n && gs->items[i] != group)
        i++;
    if (i == gs->n)
        return MSGR_E_FAIL;
    msgr_messenger *m = gs->m;
    if (group->gid == 0)
        return MSGR_E_CANNOT_DELETE;
    if (!signed_in(m))
        return MSGR_E_CONNECT; /* erratum E28 */
    if (group->removed || group->gid < 0)
        return MSGR_E_FAIL;
    uint32_t t = ns_trid(&m->ns);
    size_t mark = m->ns.out.len;
    if (msnp_write_rmg_request(&m->ns.out, t, group->gid) != MSNP_OK ||
        ns_track(&m->ns, t, REQ_RMG, NULL, group, 0, NULL) != 0) {
        msnp_buf_truncate(&m->ns.out, mark);
        return MSGR_E_OUTOFMEMORY;
    }
    ns_flush_out(&m->ns);
    return MSGR_S_OK;
}

msgr_hr msgr_groups_get_new_enum(msgr_groups *gs, msgr_groups **copy)
{
    if (!copy)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (!live_groups(gs) || !gs->m)
        return MSGR_E_FAIL;
    msgr_groups *c = groups_new(gs->m, gs->items, gs->n);
    if (!c)
        return MSGR_E_OUTOFMEMORY;
    *copy = c;
    return MSGR_S_OK;
}
