/*
 * local_sessions.c - local server mode, serving side of the Session Invite
 * commands (docs/protocol.md "Extension: local server mode", "Session
 * commands"). A program this messenger launched for a session attaches
 * and asks for the session that launched it (SGL); from then on the
 * session's events are pushed to it (SST, SEV, TrID 0) and it may act on
 * the session (SCD: SendContextData, SCN: Cancel) through the real calls
 * here, answered with their result.
 *
 * A session remembers the programs that follow it by their local client
 * id (msgr_session.subs, at most SINV_MAX_SUBS); a program that is gone
 * is forgotten at the next push. Only programs that asked get these
 * lines: a classic MSNP client never sees them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "msnp_invite.h"
#include "msnp_lsess.h"
#include "msnp_write.h"

/* MSNP error codes of the session commands. */
#define ERR_SYNTAX 201        /* malformed parameters */
#define ERR_NO_SESSION 216    /* "not on list": no such session for you */
#define ERR_FULL 210          /* "list full": too many followers */
#define ERR_INTERNAL 500

/* ---- followers ------------------------------------------------------------------ */

static bool follows(const msgr_session *s, uint32_t client)
{
    for (size_t i = 0; i < s->nsubs; i++)
        if (s->subs[i] == client)
            return true;
    return false;
}

static bool follow(msgr_session *s, uint32_t client)
{
    if (follows(s, client))
        return true;
    if (s->nsubs >= SINV_MAX_SUBS)
        return false;
    s->subs[s->nsubs++] = client;
    return true;
}

static void unfollow(msgr_session *s, size_t i)
{
    memmove(&s->subs[i], &s->subs[i + 1], (s->nsubs - i - 1) * sizeof s->subs[0]);
    s->nsubs--;
}

/* The session with that ID that client follows (a real one, not a view). */
static msgr_session *followed(msgr_messenger *m, const char *id, uint32_t client)
{
    for (msgr_obj *o = m->children; o; o = o->next) {
        msgr_session *s = (msgr_session *)o;
        if (o->kind == OBJ_SESSION && !s->proxy && !strcasecmp(s->id, id) &&
            follows(s, client))
            return s;
    }
    return NULL;
}

/* ---- SGL ------------------------------------------------------------------------ */

static void snapshot_of(msgr_session *s, msnp_lsess_snapshot *snap)
{
    memset(snap, 0, sizeof *snap);
    memcpy(snap->session_id, s->id, sizeof snap->session_id);
    memcpy(snap->app_guid, s->guid, sizeof snap->app_guid);
    snap->state = (unsigned)s->state;
    snap->flags = (unsigned)s->flags & 7u;
    snap->user = s->contact ? s->contact->signin : NULL;
    snap->app_name = s->app_name;
    snap->app_url = s->app_url;
    snap->has_context = s->context != NULL;
    snap->context = s->context;
    const char *local = NULL;
    (void)msgr_session_get_local_address(s, &local); /* fills the default */
    snap->local_addr = s->local_addr;
    snap->remote_addr = s->remote_addr;
}

static int cmd_sgl(msgr_messenger *m, uint32_t client, const msnp_cmd *cmd, msnp_buf *out)
{
    uint32_t pid;
    if (cmd->nparams != 1 || msnp_parse_u32(cmd->params[0], &pid) != MSNP_OK || pid == 0 ||
        pid > INT32_MAX)
        return ERR_SYNTAX;
    msgr_session *s = sinv_find_launched(m, (pid_t)pid);
    if (!s)
        return ERR_NO_SESSION;
    if (!follow(s, client))
        return ERR_FULL;
    msnp_lsess_snapshot snap;
    snapshot_of(s, &snap);
    return msnp_lsess_write_snapshot(out, cmd->trid, &snap) == MSNP_OK ? 0 : ERR_INTERNAL;
}

/* ---- SCD, SCN ------------------------------------------------------------------- */

/* "CODE trid SessionID hr": the result of the real call. */
static int answer(msnp_buf *out, const char *code, uint32_t trid, const char *id, msgr_hr hr)
{
    char hex[9];
    msnp_lsess_format_hr((uint32_t)hr, hex);
    return msnp_write_cmd(out, code, trid, id, hex, (const char *)NULL) == MSNP_OK
               ? 0
               : ERR_INTERNAL;
}

static int cmd_scd(msgr_messenger *m, uint32_t client, const msnp_cmd *cmd, msnp_buf *out)
{
    char *data = NULL;
    if (cmd->nparams != 2 || !msnp_guid_valid(cmd->params[0]) ||
        msnp_lsess_text_decode(cmd->params[1], MSNP_LSESS_DATA_MAX, &data) != MSNP_OK)
        return ERR_SYNTAX;
    msgr_session *s = followed(m, cmd->params[0], client);
    int err = ERR_NO_SESSION;
    if (s)
        err = answer(out, "SCD", cmd->trid, s->id, msgr_session_send_context_data(s, data));
    free(data);
    return err;
}

static int cmd_scn(msgr_messenger *m, uint32_t client, const msnp_cmd *cmd, msnp_buf *out)
{
    char *data = NULL;
    uint32_t why;
    if (cmd->nparams != 3 || !msnp_guid_valid(cmd->params[0]) ||
        msnp_lsess_parse_hr(cmd->params[1], &why) != MSNP_OK ||
        msnp_lsess_text_decode(cmd->params[2], MSGR_SESSION_DATA_MAX, &data) != MSNP_OK)
        return ERR_SYNTAX;
    msgr_session *s = followed(m, cmd->params[0], client);
    int err = ERR_NO_SESSION;
    if (s)
        err = answer(out, "SCN", cmd->trid, s->id,
                     msgr_session_cancel(s, (msgr_hr)why, data));
    free(data);
    return err;
}

int lsess_command(msgr_messenger *m, uint32_t client, const msnp_cmd *cmd, msnp_buf *out)
{
    if (!strcmp(cmd->code, "SGL"))
        return cmd_sgl(m, client, cmd, out);
    if (!strcmp(cmd->code, "SCD"))
        return cmd_scd(m, client, cmd, out);
    if (!strcmp(cmd->code, "SCN"))
        return cmd_scn(m, client, cmd, out);
    return 200;
}

/* ---- pushed events ----------------------------------------------------------------- */

static int event_line(msgr_session *s, sinv_dispid what, msgr_hr hr, int arg2,
                      const char *text, msnp_buf *b)
{
    switch (what) {
    case SINV_ON_STATE_CHANGED:
        return msnp_lsess_write_state(b, s->id, (unsigned)s->state, (unsigned)arg2);
    case SINV_ON_ACCEPTED: case SINV_ON_DECLINED: case SINV_ON_CANCELLED:
    case SINV_ON_TERMINATION: case SINV_ON_CONTEXT_DATA: case SINV_ON_SEND_ERROR:
        return msnp_lsess_write_event(b, s->id, (unsigned)what, (uint32_t)hr, text);
    default:
        return MSNP_E_INVALID_ARG; /* the steps before the launch: not theirs */
    }
}

void lsess_push(msgr_session *s, sinv_dispid what, msgr_hr hr, int arg2, const char *text)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (!s->m || s->proxy || s->nsubs == 0 ||
        event_line(s, what, hr, arg2, text, &b) != MSNP_OK) {
        msnp_buf_free(&b);
        return;
    }
    for (size_t i = s->nsubs; i-- > 0;)
        if (!local_push(s->m, s->subs[i], b.data, b.len))
            unfollow(s, i); /* gone: forget it */
    msnp_buf_free(&b);
}
