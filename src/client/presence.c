/*
 * presence.c - contacts' presence from ILN, NLN and FLN (msnp.md 4.3-4.5)
 * and the OnContactStatusChange / OnContactFriendlyNameChange events.
 * Only contacts on the forward list are reported (api-scope.md 5.4).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "msnp_url.h"

/* Applies one presence line: new status and display name. */
static void update(msgr_messenger *m, const char *handle, MISTATUS st,
                   const char *enc_name)
{
    msgr_contact *c = contact_find(m, handle);
    if (!c || !(c->lists & MSNP_LIST_FL))
        return;
    if (enc_name) {
        char *name = NULL;
        if (msnp_url_decode_dup(enc_name, MSNP_URL_LENIENT, &name) == MSNP_OK &&
            strcmp(name, c->friendly) != 0) {
            char *prev = msgr_strdup(c->friendly);
            if (prev && contact_set_friendly(c, name))
                ev_queue(m, EV_CONTACT_NAME, MSGR_S_OK, 0, c, NULL, prev);
            free(prev);
        }
        free(name);
    }
    if (c->status == st)
        return;
    MISTATUS prev = c->status;
    c->status = st; /* updated before the event (erratum E9) */
    ev_queue(m, EV_CONTACT_STATUS, MSGR_S_OK, (int)prev, c, NULL, NULL);
}

/* ILN TrID status handle name caps / NLN status handle name caps */
static void on_online(msgr_messenger *m, const char *const *p, size_t n)
{
    msnp_presence pr;
    if (n < 2 || !msnp_presence_parse(p[0], &pr))
        return;
    MISTATUS st = status_from_presence(pr);
    if (st == MISTATUS_INVISIBLE)
        st = MISTATUS_OFFLINE; /* never shown to contacts as such */
    update(m, p[1], st, n >= 3 ? p[2] : NULL);
}

void presence_on_iln(msgr_messenger *m, const msnp_cmd *cmd)
{
    on_online(m, cmd->params, cmd->nparams);
}

void presence_on_nln(msgr_messenger *m, const msnp_cmd *cmd)
{
    on_online(m, cmd->params, cmd->nparams);
}

void presence_on_fln(msgr_messenger *m, const msnp_cmd *cmd)
{
    if (cmd->nparams >= 1)
        update(m, cmd->params[0], MISTATUS_OFFLINE, NULL);
}
