/*
 * lists.c - the contact lists of one session: the SYN dump with its LST
 * countdown (msnp.md 3.2), the replies to ADD/REM/ADG/RMG/REG/BLP/GTC/PRP
 * and their events (api-scope.md 6.4), and asynchronous list changes
 * (msnp.md 3.10), including the TrID-0 "changed elsewhere" lines of local
 * server mode, which raise the events the same change made here would.
 * Every change that carries a list version is written to the SYN cache so
 * that the next sign-in can use the short SYN form.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "msnp_url.h"
#include "msnp_write.h"

/* Decodes a URL-encoded name leniently (names come from other clients). */
static char *decode(const char *s)
{
    char *out = NULL;
    if (msnp_url_decode_dup(s, MSNP_URL_LENIENT, &out) != MSNP_OK)
        return msgr_strdup(s);
    return out;
}

/* "0,3" -> bit set; unknown or out-of-range ids are skipped. */
static uint32_t parse_group_set(const char *s)
{
    uint32_t set = 0;
    while (s && *s) {
        char *end;
        long gid = strtol(s, &end, 10);
        if (end == s)
            break;
        if (gid >= 0 && gid < 30)
            set |= 1u << gid;
        s = *end == ',' ? end + 1 : end;
        if (*end != ',')
            break;
    }
    return set;
}

static bool parse_gid(const char *s, int *gid)
{
    uint32_t v;
    if (msnp_parse_u32(s, &v) != MSNP_OK || v >= 30)
        return false;
    *gid = (int)v;
    return true;
}

void lists_reset(msgr_messenger *m)
{
    contact_detach_all(m);
    group_detach_all(m);
    m->list_version = 0;
    m->gtc = 'A';
    m->blp_list = 'A';
    for (int i = 0; i < PHONE_COUNT; i++) {
        free(m->my_phones[i]);
        m->my_phones[i] = NULL;
    }
    m->my_mob = false;
    m->lst_remaining = 0;
    m->lsg_remaining = 0;
    m->syn_dump = false;
    m->last_lst = NULL;
}

/* A reply carried a new list version. The cache is saved only after the
 * change itself is applied (save_cache): a cache holding the new version
 * with the old lists would make the next SYN's "up to date" answer lie. */
static void bump_version(msgr_messenger *m, const char *ver)
{
    uint32_t v;
    if (ver && msnp_parse_u32(ver, &v) == MSNP_OK)
        m->list_version = v;
}

static void save_cache(msgr_messenger *m)
{
    if (m->phase == PHASE_ONLINE || m->phase == PHASE_SYNCING)
        (void)synccache_save(m);
}

/* No request of ours is answered: an asynchronous line. */
static bool untracked(const request *r)
{
    return r->kind == REQ_NONE || r->kind == REQ_ELSEWHERE;
}

/* GTC N: someone who added us is allowed without asking (msnp.md 3.2
 * step 5, 3.10). With GTC A the application asks the user: it hears of
 * them through on_contact_reverse_list_change (live, or at sign-in by
 * lists_report_pending) and the contact stays pending until it decides. */
static void allow_silently(msgr_messenger *m, msgr_contact *c)
{
    if (m->gtc != 'N' || !(c->lists & MSNP_LIST_RL) ||
        (c->lists & (MSNP_LIST_AL | MSNP_LIST_BL)))
        return;
    uint32_t t = ns_trid(&m->ns);
    if (session_send(m, msnp_write_add_request(&m->ns.out, t, MSNP_LIST_AL, c->signin,
                                               c->friendly, MSNP_NO_GROUP)))
        (void)ns_track(&m->ns, t, REQ_QUIET, c, NULL, 0, NULL);
}

msgr_hr lists_add_contact(msgr_messenger *m, msgr_contact *c, msgr_obj *origin)
{
    /* Like the official client: FL (group 0), then AL unless blocked
     * (msnp.md 3.6, 3.12). Every outcome is reported by the FL reply. */
    ns_conn *ns = &m->ns;
    size_t mark = ns->out.len;
    uint32_t t1 = ns_trid(ns);
    bool ok = msnp_write_add_request(&ns->out, t1, MSNP_LIST_FL, c->signin,
                                     c->signin, 0) == MSNP_OK &&
              ns_track(ns, t1, REQ_ADD_FL, c, NULL, 0, NULL) == 0;
    if (ok)
        ns_track_owner(ns, origin);
    if (ok && !(c->lists & (MSNP_LIST_AL | MSNP_LIST_BL))) {
        uint32_t t2 = ns_trid(ns);
        ok = msnp_write_add_request(&ns->out, t2, MSNP_LIST_AL, c->signin,
                                    c->signin, MSNP_NO_GROUP) == MSNP_OK &&
             ns_track(ns, t2, REQ_QUIET, c, NULL, 0, NULL) == 0;
    }
    if (!ok) {
        /* Forget the requests whose lines are dropped. */
        request r;
        if (ns_take(ns, t1, &r))
            ns_request_clear(&r);
        msnp_buf_truncate(&ns->out, mark);
        return MSGR_E_OUTOFMEMORY;
    }
    ns_flush_out(ns);
    return MSGR_S_OK;
}

/* OnContactListAdd for an AddContact: on the messenger's sinks and, for
 * IMessengerPrivate::AddContact, on the MessengerPriv's (api-scope.md 6.4). */
static void report_list_add(msgr_messenger *m, const request *r, msgr_hr hr,
                            msgr_contact *c)
{
    ev_queue(m, EV_LIST_ADD, hr, 0, c, NULL, NULL);
    if (r->owner)
        ev_queue_to(m, r->owner, EV_LIST_ADD, hr, 0, 0, c, NULL);
}

/* Someone added the local user to their list: the extension event on the
 * messenger, and OnContactListAdd on every MessengerPriv (issue contract:
 * a MessengerPriv also hears of additions made by other users). */
static void report_reverse_add(msgr_messenger *m, msgr_contact *c)
{
    ev_queue(m, EV_REVERSE_LIST, MSGR_S_OK, 1, c, NULL, NULL);
    for (size_t i = 0; i < m->nprivs; i++)
        ev_queue_to(m, &m->privs[i]->base, EV_LIST_ADD, MSGR_S_OK, 0, 0, c, NULL);
}

/* The contact list is complete: persist it and go online with the first
 * CHG (msnp.md 3.2 step 4). */
void lists_sync_done(msgr_messenger *m)
{
    msnp_presence p;
    if (m->phase != PHASE_SYNCING)
        return;
    (void)synccache_save(m);
    for (size_t i = 0; i < m->ncontacts; i++)
        allow_silently(m, m->contacts[i]);
    if (!status_to_presence(m->wanted_status, &p))
        p = MSNP_PRESENCE_NLN;
    uint32_t t = ns_trid(&m->ns);
    if (session_send(m, msnp_write_chg(&m->ns.out, t, MSNP_DIALECT_MSNP8, p,
                                       true, 0, NULL)))
        (void)ns_track(&m->ns, t, REQ_CHG, NULL, NULL, 0, NULL);
}

/* The dump is complete when every announced LST and LSG line arrived
 * (with no contacts, the LSG lines are the last ones). */
static void dump_progress(msgr_messenger *m)
{
    if (m->syn_dump && m->lst_remaining == 0 && m->lsg_remaining == 0) {
        m->syn_dump = false;
        lists_sync_done(m);
    }
}

void lists_on_syn(msgr_messenger *m, const msnp_cmd *cmd)
{
    uint32_t version, users = 0, groups = 0;
    if (cmd->nparams < 1 || msnp_parse_u32(cmd->params[0], &version) != MSNP_OK)
        return;
    if (cmd->nparams == 1 && version == m->list_version && version != 0) {
        lists_sync_done(m); /* our cache is current (short form) */
        return;
    }
    if (cmd->nparams >= 3) {
        (void)msnp_parse_u32(cmd->params[1], &users);
        (void)msnp_parse_u32(cmd->params[2], &groups);
    }
    lists_reset(m);
    m->list_version = version;
    m->lst_remaining = (long)users;
    m->lsg_remaining = (long)groups;
    m->syn_dump = true;
    dump_progress(m);
}

static void dump_lst(msgr_messenger *m, const msnp_cmd *cmd)
{
    uint32_t bits;
    if (cmd->nparams < 3 || msnp_parse_u32(cmd->params[2], &bits) != MSNP_OK)
        return;
    msgr_contact *c = contact_get(m, cmd->params[0]);
    if (c) {
        char *name = decode(cmd->params[1]);
        if (name) {
            (void)contact_set_friendly(c, name);
            free(name);
        }
        c->groups = (bits & MSNP_LIST_FL) && cmd->nparams >= 4
                        ? parse_group_set(cmd->params[3]) : 0;
        contact_set_lists(c, bits & 15u);
    }
    m->last_lst = c;
    if (m->lst_remaining > 0)
        m->lst_remaining--;
    dump_progress(m);
}

static void set_my_phone(msgr_messenger *m, int idx, const char *raw)
{
    char *v = raw ? decode(raw) : NULL;
    const char *old = m->my_phones[idx] ? m->my_phones[idx] : "";
    bool changed = strcmp(old, v ? v : "") != 0;
    free(m->my_phones[idx]);
    m->my_phones[idx] = v && *v ? v : NULL;
    if (v && !*v)
        free(v);
    if (changed && m->phase == PHASE_ONLINE)
        ev_queue(m, EV_MY_PHONE, MSGR_S_OK, idx, NULL, NULL,
                 m->my_phones[idx] ? m->my_phones[idx] : "");
}

/* PRP type [value] (own property), from the dump or a PRP reply. */
static void apply_prp(msgr_messenger *m, const char *type, const char *value)
{
    int idx = phone_index_from_code(type);
    if (idx >= 0)
        set_my_phone(m, idx, value);
    else if (strcmp(type, "MOB") == 0)
        m->my_mob = value && strcmp(value, "Y") == 0;
}

/* BPR type [value] for contact c (dump or asynchronous). */
static void apply_bpr(msgr_messenger *m, msgr_contact *c, const char *type,
                      const char *value, bool report)
{
    int idx = phone_index_from_code(type);
    if (idx >= 0) {
        char *v = value ? decode(value) : NULL;
        contact_set_phone(c, idx, v);
        if (report && (c->lists & MSNP_LIST_FL))
            ev_queue(m, EV_CONTACT_PHONE, MSGR_S_OK, idx, c, NULL, v ? v : "");
        free(v);
    } else if (strcmp(type, "MOB") == 0) {
        bool page = value && strcmp(value, "Y") == 0;
        bool changed = page != c->can_page;
        c->can_page = page;
        if (report && changed && (c->lists & MSNP_LIST_FL))
            ev_queue(m, EV_CONTACT_PAGER, MSGR_S_OK, page, c, NULL, NULL);
    }
}

/* Lines without a TrID: the SYN dump (GTC, BLP, PRP, LSG, LST, BPR) and
 * the asynchronous "BPR version handle type [value]". Returns false for
 * anything else. */
bool lists_on_dump_line(msgr_messenger *m, const msnp_cmd *cmd)
{
    const char *c = cmd->code;
    const char *const *p = cmd->params;
    size_t n = cmd->nparams;
    if (strcmp(c, "LST") == 0) {
        dump_lst(m, cmd);
    } else if (strcmp(c, "LSG") == 0 && n >= 2) {
        int gid;
        char *name = decode(p[1]);
        if (parse_gid(p[0], &gid) && name && !group_by_gid(m, gid))
            (void)group_new(m, gid, name);
        free(name);
        if (m->lsg_remaining > 0)
            m->lsg_remaining--;
        dump_progress(m);
    } else if (strcmp(c, "GTC") == 0 && n >= 1) {
        m->gtc = p[0][0];
    } else if (strcmp(c, "BLP") == 0 && n >= 1) {
        m->blp_list = p[0][0];
    } else if (strcmp(c, "PRP") == 0 && n >= 1) {
        apply_prp(m, p[0], n >= 2 ? p[1] : NULL);
    } else if (strcmp(c, "BPR") == 0 && n >= 3 && msnp_parse_u32(p[0], NULL) == MSNP_OK) {
        msgr_contact *ct = contact_find(m, p[1]);
        if (ct)
            apply_bpr(m, ct, p[2], n >= 4 ? p[3] : NULL, true);
        bump_version(m, p[0]);
        save_cache(m);
    } else if (strcmp(c, "BPR") == 0 && n >= 1) {
        if (m->last_lst)
            apply_bpr(m, m->last_lst, p[0], n >= 2 ? p[1] : NULL, false);
    } else {
        return false;
    }
    return true;
}

/* ADD/REM reply or async line: "list version handle [name|gid] [gid]". */
static msgr_contact *list_target(msgr_messenger *m, const msnp_cmd *cmd,
                                 int *list)
{
    if (cmd->nparams < 3)
        return NULL;
    *list = msnp_list_parse(cmd->params[0]);
    if (!*list)
        return NULL;
    bump_version(m, cmd->params[1]);
    return contact_get(m, cmd->params[2]);
}

/* The block state changed (either list may carry the change: ADD AL
 * takes a contact off BL, msnp.md 3.12). */
static void report_block_flip(msgr_messenger *m, msgr_contact *c, unsigned before)
{
    if ((before & MSNP_LIST_BL) != (c->lists & MSNP_LIST_BL))
        ev_queue(m, EV_BLOCK, MSGR_S_OK, (c->lists & MSNP_LIST_BL) != 0, c,
                 NULL, NULL);
}

/* ADD made elsewhere: what AddContact, Group.AddContact and put_Blocked
 * would have raised here. */
static void report_add_elsewhere(msgr_messenger *m, msgr_contact *c, int list,
                                 unsigned before, int gid)
{
    msgr_group *g = gid >= 0 ? group_by_gid(m, gid) : NULL;
    if (list == MSNP_LIST_FL && !(before & MSNP_LIST_FL))
        ev_queue(m, EV_LIST_ADD, MSGR_S_OK, 0, c, NULL, NULL);
    else if (list == MSNP_LIST_FL && g)
        ev_queue(m, EV_ADDED_TO_GROUP, MSGR_S_OK, 0, c, g, NULL);
    report_block_flip(m, c, before);
}

static void on_add(msgr_messenger *m, const msnp_cmd *cmd, request *r)
{
    int list = 0, gid = -1;
    msgr_contact *c = list_target(m, cmd, &list);
    if (!c)
        return;
    unsigned before = c->lists;
    if (list == MSNP_LIST_FL && cmd->nparams >= 5)
        (void)parse_gid(cmd->params[4], &gid);
    if (list == MSNP_LIST_FL)
        c->groups |= gid >= 0 ? 1u << gid : 1u;
    if (list == MSNP_LIST_AL)
        c->lists &= ~(unsigned)MSNP_LIST_BL; /* server keeps them exclusive */
    if (list == MSNP_LIST_BL)
        c->lists &= ~(unsigned)MSNP_LIST_AL;
    if (list == MSNP_LIST_RL && cmd->nparams >= 4 && !(c->lists & MSNP_LIST_FL)) {
        char *name = decode(cmd->params[3]);
        if (name)
            (void)contact_set_friendly(c, name);
        free(name);
    }
    bool newly_reverse = list == MSNP_LIST_RL && !(c->lists & MSNP_LIST_RL);
    contact_set_lists(c, c->lists | (unsigned)list);
    if (list == MSNP_LIST_RL && untracked(r))
        allow_silently(m, c);
    if (newly_reverse)
        report_reverse_add(m, c);
    switch (r->kind) {
    case REQ_ADD_FL:
        report_list_add(m, r, MSGR_S_OK, c);
        break;
    case REQ_ADD_GROUP:
        ev_queue(m, EV_ADDED_TO_GROUP, MSGR_S_OK, 0, c, r->group, NULL);
        break;
    case REQ_BLOCK:
        ev_queue(m, EV_BLOCK, MSGR_S_OK, r->flag, c, NULL, NULL);
        break;
    case REQ_ELSEWHERE:
        report_add_elsewhere(m, c, list, before, gid);
        break;
    default:
        break;
    }
}

/* REM made elsewhere: what Contacts.Remove, Group.RemoveContact and
 * put_Blocked would have raised here. */
static void report_rem_elsewhere(msgr_messenger *m, msgr_contact *c, int list,
                                 unsigned before, int gid)
{
    msgr_group *g = gid >= 0 ? group_by_gid(m, gid) : NULL;
    if (list == MSNP_LIST_FL && gid >= 0 && g)
        ev_queue(m, EV_REMOVED_FROM_GROUP, MSGR_S_OK, 0, c, g, NULL);
    else if (list == MSNP_LIST_FL && gid < 0 && (before & MSNP_LIST_FL))
        ev_queue(m, EV_LIST_REMOVE, MSGR_S_OK, 0, c, NULL, NULL);
    report_block_flip(m, c, before);
}

static void on_rem(msgr_messenger *m, const msnp_cmd *cmd, request *r)
{
    int list = 0, gid = -1;
    msgr_contact *c = list_target(m, cmd, &list);
    if (!c)
        return;
    obj_ref(c); /* leaving every list may drop the table's reference */
    unsigned lists = c->lists, lists_before = c->lists;
    bool was_reverse = lists & MSNP_LIST_RL;
    if (list == MSNP_LIST_FL && cmd->nparams >= 4 && parse_gid(cmd->params[3], &gid)) {
        c->groups &= ~(1u << gid);
        if (c->groups == 0) /* its last group: off the list (msnp.md 3.1) */
            lists &= ~(unsigned)MSNP_LIST_FL;
    } else {
        lists &= ~(unsigned)list;
        if (list == MSNP_LIST_FL)
            c->groups = 0;
    }
    contact_set_lists(c, lists);
    if (list == MSNP_LIST_RL && was_reverse)
        ev_queue(m, EV_REVERSE_LIST, MSGR_S_OK, 0, c, NULL, NULL);
    if (r->kind == REQ_REM_FL)
        ev_queue(m, EV_LIST_REMOVE, MSGR_S_OK, 0, c, NULL, NULL);
    else if (r->kind == REQ_REM_GROUP)
        ev_queue(m, EV_REMOVED_FROM_GROUP, MSGR_S_OK, 0, c, r->group, NULL);
    else if (r->kind == REQ_BLOCK)
        ev_queue(m, EV_BLOCK, MSGR_S_OK, r->flag, c, NULL, NULL);
    else if (r->kind == REQ_ELSEWHERE)
        report_rem_elsewhere(m, c, list, lists_before, gid);
    obj_unref(c);
}

/* Removing a group removes contacts for which it was the only group. */
static void drop_group_members(msgr_messenger *m, int gid)
{
    for (size_t i = 0; i < m->ncontacts; i++) {
        msgr_contact *c = m->contacts[i];
        if (!(c->groups & (1u << gid)))
            continue;
        c->groups &= ~(1u << gid);
        if (c->groups == 0 && (c->lists & MSNP_LIST_FL)) {
            pool_borrow(m, c);
            contact_set_lists(c, c->lists & ~(unsigned)MSNP_LIST_FL);
            i = (size_t)-1; /* the table may have shrunk: start over */
        }
    }
}

/* "ADG version name gid": our CreateGroup's answer names the group's id;
 * one made elsewhere is new to us. */
static void on_adg(msgr_messenger *m, const msnp_cmd *cmd, request *r)
{
    int gid;
    if (cmd->nparams < 3 || !parse_gid(cmd->params[2], &gid))
        return;
    bump_version(m, cmd->params[0]);
    if (r->group) {
        r->group->gid = gid;
        ev_queue(m, EV_GROUP_ADDED, MSGR_S_OK, 0, NULL, r->group, NULL);
        return;
    }
    if (r->kind != REQ_ELSEWHERE || group_by_gid(m, gid))
        return;
    char *name = decode(cmd->params[1]);
    msgr_group *g = name ? group_new(m, gid, name) : NULL;
    free(name);
    if (g)
        ev_queue(m, EV_GROUP_ADDED, MSGR_S_OK, 0, NULL, g, NULL);
}

/* "RMG version gid" */
static void on_rmg(msgr_messenger *m, const msnp_cmd *cmd, request *r)
{
    int gid;
    if (cmd->nparams < 2 || !parse_gid(cmd->params[1], &gid))
        return;
    bump_version(m, cmd->params[0]);
    msgr_group *g = group_by_gid(m, gid);
    msgr_group *told = r->group ? r->group : r->kind == REQ_ELSEWHERE ? g : NULL;
    obj_ref(told); /* marking it removed may drop the table's reference */
    drop_group_members(m, gid);
    if (g)
        group_mark_removed(m, g);
    if (told)
        ev_queue(m, EV_GROUP_REMOVED, MSGR_S_OK, 0, NULL, told, NULL);
    obj_unref(told);
}

/* "REG version gid name [0]" */
static void on_reg(msgr_messenger *m, const msnp_cmd *cmd, request *r)
{
    int gid;
    if (cmd->nparams < 3 || !parse_gid(cmd->params[1], &gid))
        return;
    bump_version(m, cmd->params[0]);
    msgr_group *g = group_by_gid(m, gid);
    char *name = decode(cmd->params[2]);
    if (g && name)
        msgr_str_replace(&g->name, name);
    free(name);
    msgr_group *told = r->group ? r->group : r->kind == REQ_ELSEWHERE ? g : NULL;
    if (told)
        ev_queue(m, EV_GROUP_RENAMED, MSGR_S_OK, 0, NULL, told, NULL);
}

/* Our own name changed: OnMyFriendlyNameChange with the old one. */
static void set_my_name(msgr_messenger *m, const char *name)
{
    char *prev = m->friendly;
    m->friendly = msgr_strdup(name);
    if (!m->friendly) {
        m->friendly = prev; /* out of memory: keep the old name */
        return;
    }
    ev_queue(m, EV_MY_NAME, MSGR_S_OK, 0, NULL, NULL, prev ? prev : "");
    free(prev);
}

/* A contact's stored name changed: OnContactFriendlyNameChange, as when
 * its presence brings a new name (presence.c). */
static void set_stored_name(msgr_messenger *m, msgr_contact *c, const char *name)
{
    if (strcmp(c->friendly ? c->friendly : "", name) == 0)
        return;
    char *prev = msgr_strdup(c->friendly ? c->friendly : "");
    if (prev && contact_set_friendly(c, name) && (c->lists & MSNP_LIST_FL))
        ev_queue(m, EV_CONTACT_NAME, MSGR_S_OK, 0, c, NULL, prev);
    free(prev);
}

/* "REA version handle name": the answer to SetMyFriendlyName, or a name
 * changed elsewhere (local server mode relays REA of other programs). */
static void on_rea(msgr_messenger *m, const msnp_cmd *cmd, request *r)
{
    if (cmd->nparams < 3)
        return;
    bump_version(m, cmd->params[0]);
    if (r->kind != REQ_REA_SELF && !untracked(r))
        return;
    char *name = decode(cmd->params[2]);
    if (!name)
        return;
    if (m->signin && strcasecmp(cmd->params[1], m->signin) == 0) {
        set_my_name(m, name);
    } else {
        msgr_contact *c = contact_find(m, cmd->params[1]);
        if (c)
            set_stored_name(m, c, name);
    }
    free(name);
}

void lists_on_reply(msgr_messenger *m, const msnp_cmd *cmd, request *r)
{
    const char *c = cmd->code;
    if (strcmp(c, "ADD") == 0) {
        on_add(m, cmd, r);
    } else if (strcmp(c, "REM") == 0) {
        on_rem(m, cmd, r);
    } else if (strcmp(c, "ADG") == 0) {
        on_adg(m, cmd, r);
    } else if (strcmp(c, "RMG") == 0) {
        on_rmg(m, cmd, r);
    } else if (strcmp(c, "REG") == 0) {
        on_reg(m, cmd, r);
    } else if ((strcmp(c, "GTC") == 0 || strcmp(c, "BLP") == 0) &&
               cmd->nparams >= 2) {
        bump_version(m, cmd->params[0]);
        if (c[0] == 'G')
            m->gtc = cmd->params[1][0];
        else
            m->blp_list = cmd->params[1][0];
    } else if (strcmp(c, "PRP") == 0 && cmd->nparams >= 2) {
        bump_version(m, cmd->params[0]);
        apply_prp(m, cmd->params[1], cmd->nparams >= 3 ? cmd->params[2] : NULL);
    } else if (strcmp(c, "REA") == 0) {
        on_rea(m, cmd, r);
    } else {
        return;
    }
    save_cache(m);
}

void lists_on_elsewhere(msgr_messenger *m, const msnp_cmd *cmd)
{
    request elsewhere;
    memset(&elsewhere, 0, sizeof elsewhere);
    elsewhere.kind = REQ_ELSEWHERE;
    lists_on_reply(m, cmd, &elsewhere);
}

/* Someone added the local user while they were away and waits for an
 * answer (GTC A): a UI offers allow or block (docs/libmsgr.md "After
 * sign-in"). With GTC N lists_sync_done() has allowed them already. */
void lists_report_pending(msgr_messenger *m)
{
    if (m->gtc == 'N')
        return;
    for (size_t i = 0; i < m->ncontacts; i++) {
        msgr_contact *c = m->contacts[i];
        if ((c->lists & MSNP_LIST_RL) && !(c->lists & (MSNP_LIST_AL | MSNP_LIST_BL)))
            ev_queue(m, EV_REVERSE_LIST, MSGR_S_OK, 1, c, NULL, NULL);
    }
}

void lists_on_error(msgr_messenger *m, request *r, msgr_hr hr)
{
    switch (r->kind) {
    case REQ_ADD_FL:
        report_list_add(m, r, hr, r->contact);
        break;
    case REQ_REM_FL:
        ev_queue(m, EV_LIST_REMOVE, hr, 0, r->contact, NULL, NULL);
        break;
    case REQ_ADD_GROUP:
        ev_queue(m, EV_ADDED_TO_GROUP, hr, 0, r->contact, r->group, NULL);
        break;
    case REQ_REM_GROUP:
        ev_queue(m, EV_REMOVED_FROM_GROUP, hr, 0, r->contact, r->group, NULL);
        break;
    case REQ_BLOCK:
        ev_queue(m, EV_BLOCK, hr,
                 r->contact && (r->contact->lists & MSNP_LIST_BL) ? 1 : 0,
                 r->contact, NULL, NULL);
        break;
    case REQ_ADG:
        if (r->group && r->group->gid < 0)
            group_mark_removed(m, r->group); /* it never existed */
        ev_queue(m, EV_GROUP_ADDED, hr, 0, NULL, r->group, NULL);
        break;
    case REQ_RMG:
        ev_queue(m, EV_GROUP_REMOVED, hr, 0, NULL, r->group, NULL);
        break;
    case REQ_REG:
        ev_queue(m, EV_GROUP_RENAMED, hr, 0, NULL, r->group, NULL);
        break;
    case REQ_REA_SELF:
        /* The name stays what it was: report it as the "previous" one. */
        ev_queue(m, EV_MY_NAME, hr, 0, NULL, NULL, m->friendly ? m->friendly : "");
        break;
    default:
        break; /* REQ_QUIET and others: nobody waits for them */
    }
}
