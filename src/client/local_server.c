/*
 * local_server.c - local server mode, serving side (DESIGN.md section 3
 * "Local server mode"; docs/libmsgr.md; the wire: docs/protocol.md
 * "Extension: local server mode").
 *
 * Windows Messenger served many applications from one running client.
 * Here a messenger that serves listens on a per-user Unix socket and is
 * the notification server of the programs that attach there. The socket
 * speaks MSNP8 (MSNP9 accepted), so an attached libmsgr runs its normal
 * engine over it: instead of proxying every API call, the whole engine is
 * reused on both ends.
 *
 * What the serving messenger's state can answer is answered here (VER,
 * CVR, USR, SYN, the first CHG with its ILN burst, PNG). List changes,
 * later status changes, XFR SB, URL and Lock and Key are relayed to the
 * real notification server under the messenger's own TrIDs (REQ_RELAY
 * requests remember the program and its TrID); the reply goes back to
 * the program with its TrID, to every other program as a TrID-0 line, and
 * into the messenger's own state as a change made elsewhere. What the real
 * server tells the messenger that programs must see too (presence, list
 * changes, mail, alerts, OUT) is copied to them by local_on_ns_command().
 * Incoming conversations (RNG) stay with the serving messenger.
 *
 * Security: the socket is 0600 in a directory that belongs to the user,
 * and every peer must run as our uid (SO_PEERCRED). Input from the socket
 * is treated like network input: bounded lines, payloads and parameters,
 * bounded output (a program that does not read is dropped), a bounded
 * number of programs and of outstanding relayed requests, and every
 * relayed command is checked first so that a malformed one can never make
 * the real server close the messenger's own session.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* struct ucred and SO_PEERCRED are Linux interfaces */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

bool local_peer_uid_is(int fd, uid_t uid)
{
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
        len != sizeof cred)
        return false;
    return cred.uid == uid;
}

/* tests/client/test_local_server.c compiles the function above alone (a
 * peer of another uid cannot be produced without root). */
#ifndef LOCAL_SERVER_PEERCRED_ONLY

#include "msnp_msgbody.h"
#include "msnp_url.h"
#include "msnp_write.h"

#define LOCAL_MAX_CLIENTS 32      /* attached programs at once */
#define LOCAL_MAX_LINE 4096       /* every MSNP8 request fits with room, and
                                   * SCD's 300 characters of context data
                                   * URL-encoded (up to 3600 bytes) */
#define LOCAL_MAX_PAYLOAD 2048    /* no request an attached program sends has one */
#define LOCAL_MAX_PARAMS 16
#define LOCAL_OUT_LIMIT (1024 * 1024) /* a full SYN dump fits several times */
#define LOCAL_MAX_RELAYED 32      /* outstanding relayed requests per program */
#define LOCAL_AUTH_TIMEOUT_MS 30000
#define LOCAL_CLOSE_GRACE_MS 2000
#define LOCAL_READ_CHUNK 4096
#define LOCAL_READS_PER_PASS 16   /* then the others get their turn */
#define LOCAL_BACKLOG 16
#define LOCAL_QNG_SECONDS 50
#define LOCAL_MAX_FRIENDLY_WIRE 387 /* msnp.md 1.8 */
#define LOCAL_MAX_PHONE 95
#define SUN_PATH_CAP sizeof(((struct sockaddr_un *)0)->sun_path)
#define LOCAL_LAUNCH_PATHS 8      /* per-process paths tried for a launch */
#define LOCAL_ACCEPT_PAUSE_MS 1000 /* out of descriptors: listen again later */

typedef enum lc_state {
    LC_NEW,                  /* connected: VER expected */
    LC_VERSIONED,            /* VER answered: CVR, USR */
    LC_AUTH,                 /* USR OK sent: lists and relayed commands */
    LC_ONLINE,               /* first CHG answered: presence flows */
} lc_state;

/* One attached program. */
typedef struct local_client {
    int fd;
    uint32_t id;             /* names it in REQ_RELAY requests, which may
                              * outlive it */
    lc_state state;
    msnp_dialect dialect;
    msnp_parser *parser;     /* MSNP_FROM_CLIENT */
    msnp_buf out;            /* not yet written; bounded by LOCAL_OUT_LIMIT */
    int64_t deadline;        /* sign-in deadline, or end of the close grace */
    bool closing;            /* sends what is queued, then closed */
    bool dead;               /* closed and freed by the next sweep */
    bool lk;                 /* sent LKS: may receive pushed LKS/LKC */
    unsigned relayed;        /* its requests outstanding at the real server */
} local_client;

struct local_server {
    msgr_messenger *m;
    int fd;                  /* listening socket */
    int lock_fd;             /* "<path>.lock", flock()ed: one server per path */
    char *path;
    dev_t dev;               /* the socket file we created, so that we */
    ino_t ino;               /* never remove another server's */
    local_client *clients[LOCAL_MAX_CLIENTS];
    size_t nclients;
    bool auto_started;       /* for a launched program: ends with the sign-in */
    int64_t accept_paused;   /* out of descriptors: the listener is not
                              * polled until then (0: it is) */
};

/* Program ids are unique in the process, not only per server: a session
 * remembers the ids of the programs that follow it (local_sessions.c),
 * and a server started again must not hand those ids to new programs. */
static uint32_t next_client_id;

static msgr_messenger *live(msgr_messenger *m)
{
    msgr_obj *o = obj_check(m);
    return o && o->kind == OBJ_MESSENGER ? m : NULL;
}

/* ---- the socket file ----------------------------------------------------- */

/* $XDG_RUNTIME_DIR/msgr/messenger.sock; without a runtime directory (no
 * login session, e.g. over some ssh or in a container),
 * ${TMPDIR:-/tmp}/msgr-<uid>/messenger.sock. private_dir() refuses either
 * directory when it is not ours alone. */
char *local_default_path(void)
{
    const char *run = getenv("XDG_RUNTIME_DIR");
    char buf[SUN_PATH_CAP];
    int n;
    if (run && run[0] == '/') {
        n = snprintf(buf, sizeof buf, "%s/msgr/messenger.sock", run);
    } else {
        const char *tmp = getenv("TMPDIR");
        if (!tmp || tmp[0] != '/')
            tmp = "/tmp";
        n = snprintf(buf, sizeof buf, "%s/msgr-%lu/messenger.sock", tmp,
                     (unsigned long)geteuid());
    }
    if (n <= 0 || (size_t)n >= sizeof buf)
        return NULL;
    return msgr_strdup(buf);
}

static char *parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return msgr_strdup(".");
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, path, len);
        d[len] = '\0';
    }
    return d;
}

/* Creates the directory (0700) when missing and checks that it is ours:
 * whoever can write there could put their socket in place of ours. */
static bool private_dir(const char *dir)
{
    struct stat st;
    if (msgr_mkdir_p(dir, 0700) != 0 || stat(dir, &st) != 0)
        return false;
    return S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
           !(st.st_mode & (S_IWGRP | S_IWOTH));
}

static bool set_fd_flags(int fd)
{
    int fl = fcntl(fd, F_GETFL, 0);
    return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 &&
           fcntl(fd, F_SETFD, FD_CLOEXEC) == 0; /* launched programs must
                                                  * not inherit it */
}

/* The lock decides who serves a path: it is held while the server lives
 * and the kernel drops it when the process dies, so a socket file found
 * while holding it is stale. Returns the lock's fd, or -1 (*busy when
 * another messenger holds it). */
static int take_lock(const char *path, bool *busy)
{
    char lock[SUN_PATH_CAP + 8];
    snprintf(lock, sizeof lock, "%s.lock", path);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        *busy = errno == EWOULDBLOCK;
        close(fd);
        return -1;
    }
    return fd;
}

/* Removes a socket left behind by a messenger that is gone. Anything
 * else at the path is not ours to remove. */
static bool clear_stale(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT;
    return S_ISSOCK(st.st_mode) && unlink(path) == 0;
}

static int open_listener(local_server *ls)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, ls->path, strlen(ls->path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct stat st;
    /* 0600 before listen(): until then nobody can connect anyway. */
    if (!set_fd_flags(fd) || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        chmod(ls->path, 0600) != 0 || listen(fd, LOCAL_BACKLOG) != 0 ||
        stat(ls->path, &st) != 0) {
        close(fd);
        return -1;
    }
    ls->dev = st.st_dev;
    ls->ino = st.st_ino;
    return fd;
}

static msgr_hr server_open(local_server *ls)
{
    if (strlen(ls->path) >= SUN_PATH_CAP)
        return MSGR_E_INVALIDARG;
    char *dir = parent_dir(ls->path);
    if (!dir)
        return MSGR_E_OUTOFMEMORY;
    bool ok = private_dir(dir);
    free(dir);
    if (!ok)
        return MSGR_E_FAIL;
    bool busy = false;
    ls->lock_fd = take_lock(ls->path, &busy);
    if (ls->lock_fd < 0)
        return busy ? MSGR_E_ALREADY_LOGGED_ON : MSGR_E_FAIL;
    if (!clear_stale(ls->path))
        return MSGR_E_FAIL;
    ls->fd = open_listener(ls);
    return ls->fd < 0 ? MSGR_E_FAIL : MSGR_S_OK;
}

/* ---- one attached program: output ------------------------------------------ */

static void client_drop(local_client *c)
{
    c->dead = true;
}

/* Writes what the socket takes now; the rest moves to the front of the
 * buffer and waits for POLLOUT. */
static void client_flush(local_client *c)
{
    size_t sent = 0;
    while (!c->dead && sent < c->out.len) {
        ssize_t n = send(c->fd, c->out.data + sent, c->out.len - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                client_drop(c);
            break;
        }
        sent += (size_t)n;
    }
    if (sent == 0)
        return;
    memmove(c->out.data, c->out.data + sent, c->out.len - sent);
    msnp_buf_truncate(&c->out, c->out.len - sent);
}

/* Result of appending to c->out. Over the output bound the program is not
 * reading: it is dropped, like a slow peer of msgrd (DESIGN.md 2). */
static bool queued(local_client *c, int rc)
{
    if (rc == MSNP_OK) {
        client_flush(c);
        return true;
    }
    if (rc == MSNP_E_TOO_LONG || rc == MSNP_E_NOMEM)
        client_drop(c);
    return false;
}

static bool usable(const local_client *c)
{
    return !c->dead && !c->closing;
}

static void reply_error(local_client *c, int code, uint32_t trid)
{
    (void)queued(c, msnp_write_error(&c->out, code, trid));
}

/* Ends the program's session: "OUT reason" (none when reason is NULL),
 * then the connection closes once that is written or after a grace. */
static void client_close(local_client *c, const char *reason)
{
    if (!usable(c))
        return;
    if (reason)
        (void)queued(c, msnp_write_out(&c->out, reason));
    c->closing = true;
    c->deadline = msgr_now_ms() + LOCAL_CLOSE_GRACE_MS;
}

/* A command of the real server, re-serialised with the TrID the program
 * should see (MSNP_NO_TRID: none). Parameters are wire tokens already; a
 * payload keeps its bytes. */
static int write_as(msnp_buf *out, const msnp_cmd *cmd, int64_t trid)
{
    if (cmd->has_payload)
        return msnp_write_payload(out, cmd->code, trid,
                                  cmd->nparams ? cmd->nparams - 1 : 0,
                                  cmd->params, cmd->payload, cmd->payload_len);
    return msnp_write_line(out, cmd->code, trid, cmd->nparams, cmd->params);
}

/* Sends cmd to every program in state `least` or later, but `except`. */
static void broadcast(local_server *ls, const msnp_cmd *cmd, int64_t trid,
                      lc_state least, const local_client *except)
{
    for (size_t i = 0; i < ls->nclients; i++) {
        local_client *c = ls->clients[i];
        if (c != except && usable(c) && c->state >= least)
            (void)queued(c, write_as(&c->out, cmd, trid));
    }
}

static local_client *client_by_id(local_server *ls, uint32_t id)
{
    for (size_t i = 0; i < ls->nclients; i++)
        if (ls->clients[i]->id == id && !ls->clients[i]->dead)
            return ls->clients[i];
    return NULL;
}

bool local_push(msgr_messenger *m, uint32_t client, const char *data, size_t len)
{
    local_client *c = m->local ? client_by_id(m->local, client) : NULL;
    if (!c || !usable(c) || c->state < LC_AUTH)
        return false;
    return queued(c, msnp_buf_append(&c->out, data, len));
}

/* ---- answers from the messenger's own state --------------------------------- */

/* GTC, BLP and the own PRP lines of a SYN dump. */
static int dump_settings(msgr_messenger *m, msnp_buf *b)
{
    int rc = msnp_write_gtc_dump(b, m->gtc == 'N' ? 'N' : 'A');
    if (rc == MSNP_OK)
        rc = msnp_write_blp_dump(b, m->blp_list == 'B' ? MSNP_LIST_BL : MSNP_LIST_AL);
    for (int i = 0; i < PHONE_COUNT && rc == MSNP_OK; i++)
        if (m->my_phones[i])
            rc = msnp_write_prp_dump(b, phone_code(i), m->my_phones[i]);
    if (rc == MSNP_OK && m->my_mob)
        rc = msnp_write_prp_dump(b, "MOB", "Y");
    return rc;
}

/* One contact's LST line and the BPR lines that belong to it. */
static int dump_contact(const msgr_contact *c, msnp_buf *b)
{
    unsigned bits = c->lists & 15u;
    uint32_t groups = 0;
    if (bits & MSNP_LIST_FL)
        groups = c->groups ? c->groups : 1u; /* an FL entry always has a group */
    int rc = msnp_write_lst_dump(b, c->signin, c->friendly, bits, groups);
    for (int i = 0; i < PHONE_COUNT && rc == MSNP_OK; i++)
        if (c->phones[i])
            rc = msnp_write_bpr_dump(b, phone_code(i), c->phones[i]);
    if (rc == MSNP_OK && c->can_page)
        rc = msnp_write_bpr_dump(b, "MOB", "Y");
    return rc;
}

/* SYN: the short form when the program's version is current, else the
 * messenger's lists as a full dump (msnp.md 3.2). The body is built
 * first so that the counts in the SYN line are exactly what follows. */
static void send_syn(msgr_messenger *m, local_client *c, uint32_t trid,
                     uint32_t version)
{
    if (version != 0 && version == m->list_version) {
        (void)queued(c, msnp_write_syn_reply_short(&c->out, trid, version));
        return;
    }
    msnp_buf body = MSNP_BUF_INIT;
    uint32_t users = 0, groups = 0;
    int rc = dump_settings(m, &body);
    for (size_t i = 0; i < m->ngroups && rc == MSNP_OK; i++) {
        const msgr_group *g = m->groups[i];
        if (g->gid >= 0 && !g->removed &&
            (rc = msnp_write_lsg_dump(&body, g->gid, g->name)) == MSNP_OK)
            groups++;
    }
    for (size_t i = 0; i < m->ncontacts && rc == MSNP_OK; i++) {
        size_t mark = body.len;
        if (!(m->contacts[i]->lists & 15u))
            continue;
        if (dump_contact(m->contacts[i], &body) == MSNP_OK)
            users++;
        else
            msnp_buf_truncate(&body, mark); /* an entry the codec refuses is left out */
    }
    if (rc == MSNP_OK)
        rc = msnp_write_syn_reply_long(&c->out, trid, m->list_version, users, groups);
    if (rc == MSNP_OK)
        rc = msnp_buf_append(&c->out, body.data, body.len);
    msnp_buf_free(&body);
    if (!queued(c, rc))
        client_drop(c); /* a program waiting for a dump it never gets would hang */
}

/* The profile and the mail summary a server sends after USR OK (msnp.md
 * 2.7), from what the messenger knows: UnreadEmailCount then reads the
 * same in every attached program. */
static void send_profile(msgr_messenger *m, local_client *c)
{
    msnp_buf b = MSNP_BUF_INIT;
    msnp_profile p;
    memset(&p, 0, sizeof p);
    p.login_time = (uint64_t)time(NULL);
    p.email_enabled = m->has_mailbox;
    p.lang_preference = MSGR_LCID;
    p.client_ip = m->client_ip;
    if (msnp_profile_build(&b, &p) == MSNP_OK)
        (void)queued(c, msnp_write_msg_hotmail(&c->out, b.data, b.len));
    msnp_buf_reset(&b);
    msnp_initial_email e;
    memset(&e, 0, sizeof e);
    e.inbox_unread = m->inbox_unread > 0 ? (uint32_t)m->inbox_unread : 0;
    e.folders_unread = m->other_unread > 0 ? (uint32_t)m->other_unread : 0;
    if (m->has_mailbox && msnp_initial_email_build(&b, &e) == MSNP_OK)
        (void)queued(c, msnp_write_msg_hotmail(&c->out, b.data, b.len));
    msnp_buf_free(&b);
}

/* The ILN burst of a first CHG: every contact on the forward list that
 * the messenger sees online (capabilities are not kept: 0). */
static void send_iln(msgr_messenger *m, local_client *c, uint32_t trid)
{
    for (size_t i = 0; i < m->ncontacts && usable(c); i++) {
        const msgr_contact *ct = m->contacts[i];
        msnp_presence p;
        if (!(ct->lists & MSNP_LIST_FL) || !status_to_presence(ct->status, &p) ||
            p == MSNP_PRESENCE_HDN)
            continue;
        (void)queued(c, msnp_write_iln(&c->out, trid, c->dialect, p, ct->signin,
                                       ct->friendly, 0, NULL));
    }
}

/* ---- relaying to the real notification server ------------------------------- */

static bool valid_gid(const char *s)
{
    uint32_t g;
    return msnp_parse_u32(s, &g) == MSNP_OK && g < 30;
}

static bool valid_handle(const char *s)
{
    return strlen(s) <= MSGR_MAX_NAME;
}

/* ADD list handle name [gid] / REM list handle [gid]: the real server
 * closes the session on RL, an unknown list or a group id out of range
 * (msnp.md 3.1 item 5, 3.8), so those never reach it. */
static int check_list_cmd(const msnp_cmd *cmd, bool add)
{
    const char *const *p = cmd->params;
    size_t n = cmd->nparams, min = add ? 3 : 2;
    if (n < min || n > min + 1)
        return 201;
    int list = msnp_list_parse(p[0]);
    if (list != MSNP_LIST_FL && list != MSNP_LIST_AL && list != MSNP_LIST_BL)
        return 201;
    if (!valid_handle(p[1]) || (add && strlen(p[2]) > LOCAL_MAX_FRIENDLY_WIRE))
        return 201;
    if (n == min + 1 && (list != MSNP_LIST_FL || !valid_gid(p[min])))
        return 201;
    return 0;
}

/* PRP type [value]: a type that is not three letters, or an over-long
 * phone number, closes the real session (msnp.md 3.4). */
static int check_prp(const msnp_cmd *cmd)
{
    const char *t = cmd->params[0];
    if (strlen(t) != 3 || cmd->nparams > 2)
        return 201;
    if (cmd->nparams < 2)
        return 0;
    if (strcmp(t, "MFN") == 0) /* own friendly name (msgrd: REA) */
        return strlen(cmd->params[1]) > LOCAL_MAX_FRIENDLY_WIRE ? 209 : 0;
    char *v = NULL;
    if (msnp_url_decode_dup(cmd->params[1], MSNP_URL_LENIENT, &v) != MSNP_OK)
        return 201;
    size_t len = strlen(v);
    free(v);
    return len > LOCAL_MAX_PHONE ? 201 : 0;
}

/* Checks a command before it goes to the real server. Returns 0, or the
 * error code the program gets instead. */
static int check_relayed(const msnp_cmd *cmd)
{
    const char *k = cmd->code;
    const char *const *p = cmd->params;
    size_t n = cmd->nparams;
    if (!strcmp(k, "ADD") || !strcmp(k, "REM"))
        return check_list_cmd(cmd, k[0] == 'A');
    if (!strcmp(k, "ADG"))
        return n < 1 || n > 2 ? 201 : strlen(p[0]) > MSGR_MAX_GROUP_WIRE ? 229 : 0;
    if (!strcmp(k, "RMG"))
        return n == 1 && valid_gid(p[0]) ? 0 : 201;
    if (!strcmp(k, "REG"))
        return n < 2 || n > 3 || !valid_gid(p[0]) ? 201
               : strlen(p[1]) > MSGR_MAX_GROUP_WIRE ? 229 : 0;
    if (!strcmp(k, "REA"))
        return n != 2 || !valid_handle(p[0]) ? 201
               : strlen(p[1]) > LOCAL_MAX_FRIENDLY_WIRE ? 209 : 0;
    if (!strcmp(k, "BLP"))
        return n == 1 && (!strcmp(p[0], "AL") || !strcmp(p[0], "BL")) ? 0 : 201;
    if (!strcmp(k, "GTC"))
        return n == 1 && (!strcmp(p[0], "A") || !strcmp(p[0], "N")) ? 0 : 201;
    if (!strcmp(k, "PRP"))
        return n >= 1 ? check_prp(cmd) : 201;
    if (!strcmp(k, "URL"))
        return n >= 1 && n <= 2 ? 0 : 201;
    if (!strcmp(k, "XFR"))
        return n == 1 && !strcmp(p[0], "SB") ? 0 : 201;
    if (!strcmp(k, "LKS") || !strcmp(k, "LKC"))
        return n == 0 ? 0 : 201;
    if (!strcmp(k, "LKR")) /* app-id, 20-digit challenge, 32-digit response */
        return n == 3 && strlen(p[0]) <= 128 && strlen(p[1]) == 20 &&
               strlen(p[2]) == 32 ? 0 : 201;
    return 200;
}

/* Sends the first n parameters of cmd to the real server under a TrID of
 * the messenger, remembering whose request it is. */
static void forward(local_server *ls, local_client *c, const msnp_cmd *cmd,
                    size_t n)
{
    ns_conn *ns = &ls->m->ns;
    if (ls->m->phase != PHASE_ONLINE) {
        reply_error(c, 601, cmd->trid); /* the messenger is signing out */
        return;
    }
    if (c->relayed >= LOCAL_MAX_RELAYED) {
        reply_error(c, 713, cmd->trid); /* "too active": keeps the real session safe */
        return;
    }
    uint32_t t = ns_trid(ns);
    size_t mark = ns->out.len;
    if (msnp_write_line(&ns->out, cmd->code, t, n, cmd->params) != MSNP_OK) {
        reply_error(c, 201, cmd->trid); /* e.g. bytes >= 0x80 in a token */
        return;
    }
    if (ns_track(ns, t, REQ_RELAY, NULL, NULL, 0, NULL) != 0) {
        msnp_buf_truncate(&ns->out, mark);
        reply_error(c, 500, cmd->trid);
        return;
    }
    ns->reqs[ns->nreqs - 1].relay_client = c->id;
    ns->reqs[ns->nreqs - 1].relay_trid = cmd->trid;
    c->relayed++;
    ns_flush_out(ns);
}

/* ---- commands of an attached program ---------------------------------------- */

static void cmd_ver(local_server *ls, local_client *c, const msnp_cmd *cmd)
{
    (void)ls;
    if (c->state != LC_NEW) {
        reply_error(c, 715, cmd->trid);
        return;
    }
    bool has8 = false, has9 = false, cvr0 = false;
    for (size_t i = 0; i < cmd->nparams; i++) {
        has8 |= strcasecmp(cmd->params[i], "MSNP8") == 0;
        has9 |= strcasecmp(cmd->params[i], "MSNP9") == 0;
        cvr0 |= strcasecmp(cmd->params[i], "CVR0") == 0;
    }
    if (!has8 && !has9) {
        (void)queued(c, msnp_write_ver_reject(&c->out, cmd->trid));
        client_close(c, NULL);
        return;
    }
    c->dialect = has9 ? MSNP_DIALECT_MSNP9 : MSNP_DIALECT_MSNP8;
    c->state = LC_VERSIONED;
    (void)queued(c, msnp_write_ver_reply(&c->out, cmd->trid, c->dialect, cvr0));
}

static void cmd_cvr(local_server *ls, local_client *c, const msnp_cmd *cmd)
{
    (void)ls;
    /* Echo the program's own version: nobody is asked to upgrade. */
    const char *ver = cmd->nparams >= 6 ? cmd->params[5] : MSGR_VERSION_STRING;
    if (!queued(c, msnp_write_cvr_reply(&c->out, cmd->trid, ver, ver, ver,
                                        "http://localhost/", "http://localhost/")))
        reply_error(c, 710, cmd->trid);
}

/* USR TWN I name: the peer credential already authenticated the program,
 * so the answer is USR OK at once. name is "*" (whoever is signed in) or
 * the messenger's sign-in name. */
static void cmd_usr(local_server *ls, local_client *c, const msnp_cmd *cmd)
{
    msgr_messenger *m = ls->m;
    const char *const *p = cmd->params;
    if (c->state >= LC_AUTH) {
        reply_error(c, 207, cmd->trid);
        return;
    }
    bool twn_i = cmd->nparams == 3 && !strcmp(p[0], "TWN") && !strcmp(p[1], "I");
    if (twn_i && (m->phase != PHASE_ONLINE || !m->signin)) {
        reply_error(c, 601, cmd->trid); /* nobody to attach to right now */
        client_close(c, NULL);
        return;
    }
    if (!twn_i || (strcmp(p[2], "*") != 0 && strcasecmp(p[2], m->signin) != 0)) {
        reply_error(c, 911, cmd->trid);
        client_close(c, NULL);
        return;
    }
    if (!queued(c, msnp_write_usr_ok(&c->out, cmd->trid, m->signin,
                                     m->friendly ? m->friendly : m->signin, true, false)))
        return;
    c->state = LC_AUTH;
    c->deadline = 0;
    send_profile(m, c);
}

static void cmd_syn(local_server *ls, local_client *c, const msnp_cmd *cmd)
{
    uint32_t v;
    if (cmd->nparams < 1 || msnp_parse_u32(cmd->params[0], &v) != MSNP_OK) {
        reply_error(c, 201, cmd->trid);
        return;
    }
    send_syn(ls->m, c, cmd->trid, v);
}

/* CHG status [caps [msnobj]]. The first one only ends the program's
 * sign-in: attaching must not change the user's status, so it is answered
 * with the messenger's current status and the ILN burst. Later ones are
 * forwarded: an attached program sets the user's status for everyone. */
static void cmd_chg(local_server *ls, local_client *c, const msnp_cmd *cmd)
{
    msgr_messenger *m = ls->m;
    msnp_presence want, now;
    uint32_t caps = 0;
    if (cmd->nparams < 1 || !msnp_presence_parse(cmd->params[0], &want) ||
        want == MSNP_PRESENCE_FLN ||
        (cmd->nparams >= 2 && msnp_parse_u32(cmd->params[1], &caps) != MSNP_OK)) {
        reply_error(c, 201, cmd->trid);
        return;
    }
    if (c->state != LC_AUTH) {
        /* Status and caps: the real session is MSNP8, no MSN object. */
        forward(ls, c, cmd, cmd->nparams >= 2 ? 2 : 1);
        return;
    }
    if (!status_to_presence(m->my_status, &now))
        now = MSNP_PRESENCE_NLN;
    if (!queued(c, msnp_write_chg(&c->out, cmd->trid, c->dialect, now, true, caps, NULL)))
        return;
    c->state = LC_ONLINE;
    send_iln(m, c, cmd->trid);
}

/* SGL, SCD, SCN: the session commands (local_sessions.c). */
static void cmd_session(local_server *ls, local_client *c, const msnp_cmd *cmd)
{
    size_t mark = c->out.len;
    int err = lsess_command(ls->m, c->id, cmd, &c->out);
    if (err) {
        msnp_buf_truncate(&c->out, mark);
        reply_error(c, err, cmd->trid);
        return;
    }
    (void)queued(c, MSNP_OK);
}

static void cmd_relay(local_server *ls, local_client *c, const msnp_cmd *cmd)
{
    int err = check_relayed(cmd);
    if (err) {
        reply_error(c, err, cmd->trid);
        return;
    }
    if (!strcmp(cmd->code, "LKS"))
        c->lk = true;
    forward(ls, c, cmd, cmd->nparams);
}

typedef struct lc_command {
    const char *code;
    lc_state least;          /* the state it needs (302 before) */
    void (*run)(local_server *ls, local_client *c, const msnp_cmd *cmd);
} lc_command;

/* Every command an attached program may send, besides PNG and OUT (no
 * TrID). Extension commands of local server mode have three letters and
 * a TrID, like the rest. */
static const lc_command commands[] = {
    { "VER", LC_NEW, cmd_ver },
    { "CVR", LC_VERSIONED, cmd_cvr },
    { "USR", LC_VERSIONED, cmd_usr },
    { "SYN", LC_AUTH, cmd_syn },
    { "CHG", LC_AUTH, cmd_chg },
    { "ADD", LC_AUTH, cmd_relay },
    { "REM", LC_AUTH, cmd_relay },
    { "ADG", LC_AUTH, cmd_relay },
    { "RMG", LC_AUTH, cmd_relay },
    { "REG", LC_AUTH, cmd_relay },
    { "REA", LC_AUTH, cmd_relay },
    { "BLP", LC_AUTH, cmd_relay },
    { "GTC", LC_AUTH, cmd_relay },
    { "PRP", LC_AUTH, cmd_relay },
    { "URL", LC_AUTH, cmd_relay },
    { "XFR", LC_AUTH, cmd_relay },
    { "LKS", LC_AUTH, cmd_relay },
    { "LKC", LC_AUTH, cmd_relay },
    { "LKR", LC_AUTH, cmd_relay },
    /* Session Invite: GetLaunchingSession, SendContextData, Cancel */
    { "SGL", LC_AUTH, cmd_session },
    { "SCD", LC_AUTH, cmd_session },
    { "SCN", LC_AUTH, cmd_session },
};

static const lc_command *find_command(const char *code)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(commands[i].code, code))
            return &commands[i];
    return NULL;
}

static void client_command(local_server *ls, local_client *c, const msnp_cmd *cmd)
{
    const char *k = cmd->code;
    /* Closed like msgrd closes: anything before VER, error codes from a
     * client, MSG and INF on a notification server, a missing TrID. */
    if (cmd->error_code || (c->state == LC_NEW && strcmp(k, "VER") != 0)) {
        client_drop(c);
        return;
    }
    if (!strcmp(k, "PNG")) {
        (void)queued(c, msnp_write_qng(&c->out, c->dialect, LOCAL_QNG_SECONDS));
        return;
    }
    if (!strcmp(k, "OUT")) {
        client_close(c, NULL);
        return;
    }
    if (!cmd->has_trid || !strcmp(k, "MSG") || !strcmp(k, "INF")) {
        client_drop(c);
        return;
    }
    const lc_command *lc = find_command(k);
    if (!lc)
        reply_error(c, 200, cmd->trid);
    else if (c->state < lc->least)
        reply_error(c, 302, cmd->trid);
    else
        lc->run(ls, c, cmd);
}

/* Hands every complete command to client_command(); a stream error
 * (over-long line, bad payload length, bad TrID) closes the connection. */
static void client_drain(local_server *ls, local_client *c)
{
    msnp_cmd cmd;
    while (usable(c)) {
        int rc = msnp_parser_next(c->parser, &cmd);
        if (rc == 0)
            return;
        if (rc < 0) {
            client_drop(c);
            return;
        }
        client_command(ls, c, &cmd);
    }
}

static void client_read(local_server *ls, local_client *c)
{
    char buf[LOCAL_READ_CHUNK];
    for (int i = 0; i < LOCAL_READS_PER_PASS && usable(c); i++) {
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
                       errno != EINTR)) {
            client_drop(c);
            return;
        }
        if (n < 0)
            return;
        if (msnp_parser_feed(c->parser, buf, (size_t)n) != MSNP_OK) {
            client_drop(c);
            return;
        }
        client_drain(ls, c);
    }
}

/* ---- connections --------------------------------------------------------------- */

static void client_free(local_client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    msnp_parser_free(c->parser);
    msnp_buf_free(&c->out);
    free(c);
}

static local_client *client_new(int fd)
{
    msnp_parser_config cfg = { 0 };
    cfg.direction = MSNP_FROM_CLIENT;
    cfg.max_line = LOCAL_MAX_LINE;
    cfg.max_payload = LOCAL_MAX_PAYLOAD;
    cfg.max_params = LOCAL_MAX_PARAMS;
    local_client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = fd;
    c->parser = msnp_parser_new(&cfg);
    if (!c->parser) {
        c->fd = -1; /* the caller closes it */
        client_free(c);
        return NULL;
    }
    msnp_buf_init(&c->out);
    msnp_buf_set_limit(&c->out, LOCAL_OUT_LIMIT);
    c->dialect = MSNP_DIALECT_MSNP8;
    if (++next_client_id == 0)
        next_client_id = 1; /* 0 would never match a request */
    c->id = next_client_id;
    c->deadline = msgr_now_ms() + LOCAL_AUTH_TIMEOUT_MS;
    return c;
}

/* Takes every pending connection; one that is full, of another user or
 * cannot be set up is closed at once (leaving it pending would keep the
 * listener readable forever). */
/* accept() failed for want of resources, not of a connection. */
static bool out_of_resources(int err)
{
    return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
}

static void accept_clients(local_server *ls, int64_t now)
{
    if (ls->accept_paused && now < ls->accept_paused)
        return;
    ls->accept_paused = 0;
    for (int i = 0; i < LOCAL_MAX_CLIENTS; i++) {
        int fd = accept(ls->fd, NULL, NULL);
        if (fd < 0) {
            /* The connection stays queued and the listener readable:
             * polling it now would spin the loop without end. */
            if (out_of_resources(errno))
                ls->accept_paused = now + LOCAL_ACCEPT_PAUSE_MS;
            return;
        }
        local_client *c = NULL;
        if (ls->nclients < LOCAL_MAX_CLIENTS && set_fd_flags(fd) &&
            local_peer_uid_is(fd, geteuid()))
            c = client_new(fd);
        if (!c) {
            close(fd);
            continue;
        }
        ls->clients[ls->nclients++] = c;
    }
}

/* Frees the dead, closes those whose time is up. */
static void sweep(local_server *ls, int64_t now)
{
    size_t k = 0;
    for (size_t i = 0; i < ls->nclients; i++) {
        local_client *c = ls->clients[i];
        bool flushed = c->closing && c->out.len == 0;
        if (c->deadline && now >= c->deadline)
            c->dead = true; /* sign-in or close grace over */
        if (c->dead || flushed) {
            client_free(c);
            continue;
        }
        ls->clients[k++] = c;
    }
    ls->nclients = k;
}

static void server_free(local_server *ls)
{
    for (size_t i = 0; i < ls->nclients; i++) {
        local_client *c = ls->clients[i];
        if (usable(c) && c->state >= LC_AUTH)
            (void)queued(c, msnp_write_out(&c->out, "SSD")); /* best effort */
        client_free(c);
    }
    if (ls->fd >= 0) {
        struct stat st;
        close(ls->fd);
        if (lstat(ls->path, &st) == 0 && st.st_dev == ls->dev && st.st_ino == ls->ino)
            unlink(ls->path);
    }
    if (ls->lock_fd >= 0)
        close(ls->lock_fd); /* releases the lock */
    free(ls->path);
    free(ls);
}

void local_server_free(msgr_messenger *m)
{
    if (!m || !m->local)
        return;
    server_free(m->local);
    m->local = NULL;
}

msgr_hr msgr_messenger_serve_local(msgr_messenger *m, const char *path)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (m->local) {
        m->local->auto_started = false; /* asked for now: it stays */
        return MSGR_S_FALSE;
    }
    if (m->attach || (path && !*path))
        return MSGR_E_INVALIDARG;
    local_server *ls = calloc(1, sizeof *ls);
    if (!ls)
        return MSGR_E_OUTOFMEMORY;
    ls->fd = ls->lock_fd = -1;
    ls->path = path ? msgr_strdup(path) : local_default_path();
    msgr_hr hr = ls->path ? server_open(ls)
                          : path ? MSGR_E_OUTOFMEMORY : MSGR_E_FAIL;
    if (MSGR_FAILED(hr)) {
        server_free(ls);
        return hr;
    }
    ls->m = m;
    m->local = ls;
    return MSGR_S_OK;
}

msgr_hr msgr_messenger_stop_local(msgr_messenger *m)
{
    if (!live(m))
        return MSGR_E_POINTER;
    if (!m->local)
        return MSGR_S_FALSE;
    local_server_free(m);
    return MSGR_S_OK;
}

/* ---- loop integration ------------------------------------------------------------ */

size_t local_fds(msgr_messenger *m, msgr_pollfd *fds, size_t cap)
{
    local_server *ls = m->local;
    size_t n = 0;
    if (!ls)
        return 0;
    if (n < cap) {
        fds[n].fd = ls->fd;
        fds[n].events = ls->accept_paused ? 0 : MSGR_POLL_IN;
    }
    n++;
    for (size_t i = 0; i < ls->nclients; i++) {
        const local_client *c = ls->clients[i];
        if (c->dead)
            continue;
        if (n < cap) {
            /* A closing program is no longer read: waiting for its input
             * would only spin the loop until the grace ends. */
            fds[n].fd = c->fd;
            fds[n].events = (short)((c->closing ? 0 : MSGR_POLL_IN) |
                                    (c->out.len ? MSGR_POLL_OUT : 0));
        }
        n++;
    }
    return n;
}

int64_t local_next_deadline(msgr_messenger *m)
{
    if (!m->local)
        return 0;
    int64_t due = m->local->accept_paused;
    for (size_t i = 0; i < m->local->nclients; i++) {
        int64_t d = m->local->clients[i]->deadline;
        if (d && (!due || d < due))
            due = d;
    }
    return due;
}

/* Reads and writes every program (non-blocking: a socket with nothing to
 * do answers EAGAIN), and signs attached programs out once the messenger
 * is no longer online (signing out, connection lost, moved by XFR NS):
 * their view of the account would go stale. */
void local_progress(msgr_messenger *m, int64_t now)
{
    local_server *ls = m->local;
    if (!ls)
        return;
    accept_clients(ls, now);
    for (size_t i = 0; i < ls->nclients; i++) {
        local_client *c = ls->clients[i];
        if (m->phase != PHASE_ONLINE && c->state >= LC_AUTH)
            client_close(c, "SSD");
        client_read(ls, c);
        client_flush(c);
    }
    sweep(ls, now);
    /* Started for a launched program: over with the signed-in period
     * that launched it. */
    if (ls->auto_started && m->phase == PHASE_OFFLINE)
        local_server_free(m);
}

/* "<dir>/messenger-<pid>.sock", then "-<pid>-<k>.sock": the default path
 * may be another messenger's, in this process or another. */
static char *launch_path(const char *def, int k)
{
    char *dir = parent_dir(def);
    if (!dir)
        return NULL;
    char buf[SUN_PATH_CAP + 32];
    if (k == 0)
        snprintf(buf, sizeof buf, "%s/messenger-%ld.sock", dir, (long)getpid());
    else
        snprintf(buf, sizeof buf, "%s/messenger-%ld-%d.sock", dir, (long)getpid(), k + 1);
    free(dir);
    return msgr_strdup(buf);
}

const char *local_serve_for_launch(msgr_messenger *m)
{
    if (m->local)
        return m->local->path;
    if (m->attach)
        return NULL; /* an attached messenger cannot serve */
    msgr_hr hr = msgr_messenger_serve_local(m, NULL);
    char *def = MSGR_FAILED(hr) ? local_default_path() : NULL;
    for (int k = 0; hr == MSGR_E_ALREADY_LOGGED_ON && def && k < LOCAL_LAUNCH_PATHS; k++) {
        char *p = launch_path(def, k);
        hr = p ? msgr_messenger_serve_local(m, p) : MSGR_E_OUTOFMEMORY;
        free(p);
    }
    free(def);
    if (MSGR_FAILED(hr) || !m->local)
        return NULL;
    m->local->auto_started = true;
    return m->local->path;
}

/* ---- what the real server says -------------------------------------------------- */

/* Who hears of a change: a status change only programs past their first
 * CHG (before it, a "CHG 0" would pass for the echo that ends their
 * sign-in, and that echo carries the current status anyway); list
 * changes every signed-in program. */
static lc_state change_audience(const char *k)
{
    return !strcmp(k, "CHG") ? LC_ONLINE : LC_AUTH;
}

static bool is_list_change(const char *k)
{
    static const char *const codes[] = { "ADD", "REM", "ADG", "RMG", "REG",
                                         "REA", "BLP", "GTC", "PRP", "CHG" };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (!strcmp(k, codes[i]))
            return true;
    return false;
}

/* The first REQ_RELAY with that TrID, taken out of the table. */
static bool take_relay(msgr_messenger *m, uint32_t trid, request *out)
{
    for (size_t i = 0; i < m->ns.nreqs; i++)
        if (m->ns.reqs[i].trid == trid && m->ns.reqs[i].kind == REQ_RELAY)
            return ns_take(&m->ns, trid, out);
    return false;
}

/* Applies a program's list change to the messenger as a change made
 * elsewhere, with the events its own call would have raised. Returns
 * false for CHG, which session.c applies itself (OnMyStatusChange). */
static bool apply_relayed(msgr_messenger *m, const msnp_cmd *cmd)
{
    if (!strcmp(cmd->code, "CHG"))
        return false;
    lists_on_elsewhere(m, cmd);
    return true;
}

/* The real server answered a program's request: the answer goes to it
 * with its TrID; a change also to every other program (TrID 0) and into
 * the messenger's own state. */
static bool relay_reply(local_server *ls, const msnp_cmd *cmd, const request *r)
{
    local_client *c = client_by_id(ls, r->relay_client);
    if (c && c->relayed)
        c->relayed--;
    if (cmd->error_code) {
        if (c && usable(c))
            reply_error(c, cmd->error_code, r->relay_trid);
        return true;
    }
    if (c && usable(c))
        (void)queued(c, write_as(&c->out, cmd, r->relay_trid));
    if (!is_list_change(cmd->code))
        return true; /* XFR SB, URL, LKS/LKC/LKR: the asker's alone */
    broadcast(ls, cmd, 0, change_audience(cmd->code), c);
    return apply_relayed(ls->m, cmd);
}

/* Lines of the real server that attached programs must see too. */
static void copy_to_programs(local_server *ls, const msnp_cmd *cmd)
{
    const char *k = cmd->code;
    if (!strcmp(k, "OUT")) {
        /* OTH or SSD: the programs end with the same reason. */
        const char *why = cmd->nparams >= 1 ? cmd->params[0] : "SSD";
        for (size_t i = 0; i < ls->nclients; i++)
            client_close(ls->clients[i], why);
        return;
    }
    if (ls->m->phase != PHASE_ONLINE || cmd->error_code)
        return; /* a SYN dump of the messenger's own sign-in, or an error */
    if (!strcmp(k, "NLN") || !strcmp(k, "FLN")) {
        broadcast(ls, cmd, MSNP_NO_TRID, LC_ONLINE, NULL);
    } else if (!strcmp(k, "ILN") && cmd->nparams >= 4) {
        /* After an ADD FL: for the programs, who are past their own
         * ILN burst, that is a presence change (NLN, msnp.md 4.4). */
        msnp_cmd nln = *cmd;
        memcpy(nln.code, "NLN", 4);
        nln.nparams = 4; /* status handle name caps: the MSNP8 form */
        broadcast(ls, &nln, MSNP_NO_TRID, LC_ONLINE, NULL);
    } else if (is_list_change(k) && cmd->has_trid) {
        /* A change the messenger made itself, or one made elsewhere. */
        broadcast(ls, cmd, 0, change_audience(k), NULL);
    } else if (!strcmp(k, "BPR") && cmd->nparams >= 3) {
        broadcast(ls, cmd, MSNP_NO_TRID, LC_AUTH, NULL);
    } else if (!strcmp(k, "MSG") || !strcmp(k, "NOT")) {
        broadcast(ls, cmd, MSNP_NO_TRID, LC_AUTH, NULL); /* mail, alerts */
    } else if ((!strcmp(k, "LKS") || !strcmp(k, "LKC")) && cmd->has_trid &&
               cmd->trid == 0) {
        for (size_t i = 0; i < ls->nclients; i++)
            if (ls->clients[i]->lk && usable(ls->clients[i]))
                (void)queued(ls->clients[i],
                             write_as(&ls->clients[i]->out, cmd, 0));
    }
}

bool local_on_ns_command(msgr_messenger *m, const msnp_cmd *cmd)
{
    request r;
    if (!m->local)
        return false;
    if (cmd->has_trid && cmd->trid != 0 && take_relay(m, cmd->trid, &r)) {
        bool consumed = relay_reply(m->local, cmd, &r);
        ns_request_clear(&r);
        return consumed;
    }
    copy_to_programs(m->local, cmd);
    return false;
}

#endif /* LOCAL_SERVER_PEERCRED_ONLY */
