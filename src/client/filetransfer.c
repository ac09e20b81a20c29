/*
 * filetransfer.c - file transfers (msnp.md 6; msgr/msgr_transfer.h): the
 * transfer object, its text/x-msmsgsinvite invitations, the receive
 * directory, the public API, and the invite_handler that plugs all of it
 * (and the voice invitations of voice.c) into invitations.c. The data
 * connection itself is msnftp.c.
 *
 *   sender                               receiver
 *   INVITE (name, size, cookie)   ->     on_file_transfer_invitation
 *                                 <-     ACCEPT (accept())   / CANCEL REJECT
 *   listen; ACCEPT (ip, port,     ->     connect (msnftp.c)
 *           AuthCookie)
 *
 * The messenger's table (m->transfers) holds every transfer until it is in
 * a final state and its data connection is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filetransfer.h"
#include "msnp_invite.h"
#include "msnp_url.h"

#define SAFE_NAME_MAX 200     /* bytes of a saved file's name */
#define SENT_NAME_MAX 255     /* bytes of the name we send */
#define PATH_MAX_LEN 4096
#define MAX_TRANSFERS 64      /* unfinished transfers per messenger */
#define MAX_NUMBERED 10000    /* "name (n).ext" tried before giving up */
#define SENDFILE_PATH_MAX 260 /* IMessenger::SendFile (api-scope.md 5.1) */

/* ---- the object and the messenger's table ------------------------------- */

static void ft_destroy(msgr_obj *o)
{
    msgr_file_transfer *t = (msgr_file_transfer *)o;
    ftc_close(t);
    if (t->file_fd >= 0)
        close(t->file_fd);
    if (t->tmp_path)
        unlink(t->tmp_path); /* never leave a partial file behind */
    free(t->tmp_path);
    free(t->name);
    free(t->path);
    msnp_buf_free(&t->in);
    msnp_buf_free(&t->out);
    obj_unref(t->w);
    obj_unref(t->peer);
    free(t);
}

static msgr_file_transfer *live_transfer(msgr_file_transfer *t)
{
    msgr_obj *o = obj_check(t);
    return o && o->kind == OBJ_FILE_TRANSFER ? t : NULL;
}

static bool table_reserve(msgr_messenger *m)
{
    if (m->ntransfers < m->captransfers)
        return true;
    size_t cap = m->captransfers ? m->captransfers * 2 : 4;
    msgr_file_transfer **tab = realloc(m->transfers, cap * sizeof *tab);
    if (!tab)
        return false;
    m->transfers = tab;
    m->captransfers = cap;
    return true;
}

/* A new transfer in MSGR_FT_INVITING; the table holds its reference. */
static msgr_file_transfer *ft_new(msgr_window *w, msgr_contact *peer, bool incoming)
{
    msgr_messenger *m = w->m;
    if (!table_reserve(m))
        return NULL;
    msgr_file_transfer *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    obj_init(&t->base, OBJ_FILE_TRANSFER, ft_destroy);
    obj_attach(m, &t->base, &t->m);
    t->w = w;
    t->peer = peer;
    obj_ref(w);
    obj_ref(peer);
    t->incoming = incoming;
    t->state = MSGR_FT_INVITING;
    t->result = MSGR_S_OK;
    t->phase = FTP_INVITED;
    t->file_fd = t->listen_fd = t->fd = -1;
    msnp_buf_init(&t->in);
    msnp_buf_init(&t->out);
    m->transfers[m->ntransfers++] = t;
    return t;
}

void ft_forget(msgr_file_transfer *t)
{
    msgr_messenger *m = t->m;
    for (size_t i = 0; m && i < m->ntransfers; i++) {
        if (m->transfers[i] != t)
            continue;
        memmove(&m->transfers[i], &m->transfers[i + 1],
                (m->ntransfers - i - 1) * sizeof m->transfers[0]);
        m->ntransfers--;
        obj_unref(t); /* the table's reference */
        return;
    }
}

/* The table as it is now, each entry referenced (callers may end and
 * forget transfers while they walk it). Free with drop_snapshot(). */
static msgr_file_transfer **snapshot(msgr_messenger *m, size_t *n)
{
    *n = m->ntransfers;
    if (*n == 0)
        return NULL;
    msgr_file_transfer **copy = malloc(*n * sizeof *copy);
    if (!copy) {
        *n = 0;
        return NULL;
    }
    memcpy(copy, m->transfers, *n * sizeof *copy);
    for (size_t i = 0; i < *n; i++)
        obj_ref(copy[i]);
    return copy;
}

static void drop_snapshot(msgr_file_transfer **copy, size_t n)
{
    for (size_t i = 0; i < n; i++)
        obj_unref(copy[i]);
    free(copy);
}

/* The transfer of window w with that cookie (final ones too: their
 * connection may still linger, and a late CANCEL must not reach voice.c). */
static msgr_file_transfer *find(msgr_messenger *m, const msgr_window *w, uint32_t cookie)
{
    for (size_t i = 0; i < m->ntransfers; i++)
        if (m->transfers[i]->w == w && m->transfers[i]->cookie == cookie)
            return m->transfers[i];
    return NULL;
}

/* ---- states and events ------------------------------------------------------ */

bool ft_final(const msgr_file_transfer *t)
{
    return t->state >= MSGR_FT_COMPLETED;
}

static void queue_state(msgr_file_transfer *t)
{
    if (t->m)
        ev_transfer(t->m, EV_FT_STATE, t->result, (int)t->state, NULL, NULL, t);
}

void ft_set_state(msgr_file_transfer *t, MSGR_FT_STATE st, msgr_hr hr)
{
    t->state = st;
    t->result = hr;
    queue_state(t);
}

static void queue_progress(msgr_file_transfer *t, int64_t now)
{
    t->progress_due = 0;
    if (t->done == t->progress_done || !t->m)
        return;
    t->progress_done = t->done;
    t->progress_last = now;
    ev_transfer(t->m, EV_FT_PROGRESS, MSGR_S_OK, 0, NULL, NULL, t);
}

void ft_note_progress(msgr_file_transfer *t, int64_t now)
{
    if (now - t->progress_last >= FT_PROGRESS_INTERVAL_MS)
        queue_progress(t, now);
    else if (!t->progress_due)
        t->progress_due = t->progress_last + FT_PROGRESS_INTERVAL_MS;
}

/* CANCEL on the switchboard, when someone is there to hear it: a cancel
 * is not worth a new switchboard session (conv_send_payload would start
 * one for a window everybody left). During Close the window is READY
 * still, and conv_send_payload sends it as last words before OUT. */
static void send_cancel(msgr_file_transfer *t, int code)
{
    msgr_window *w = t->w;
    if (w && w->m && w->state == WIN_READY && w->nmembers > 0)
        (void)invite_send_cancel(w, MSNP_GUID_FILE_TRANSFER, t->cookie, code);
}

void ft_end(msgr_file_transfer *t, MSGR_FT_STATE st, msgr_hr hr, int cancel_code,
            bool abort_conn)
{
    if (ft_final(t))
        return;
    if (cancel_code != MSNP_CANCEL_NONE)
        send_cancel(t, cancel_code);
    ftc_finish(t, abort_conn);
    if (t->file_fd >= 0) {
        close(t->file_fd);
        t->file_fd = -1;
    }
    if (t->tmp_path) { /* an incoming file that did not complete */
        unlink(t->tmp_path);
        free(t->tmp_path);
        t->tmp_path = NULL;
    }
    if (st == MSGR_FT_COMPLETED)
        queue_progress(t, msgr_now_ms()); /* the final count first */
    t->progress_due = 0;
    ft_set_state(t, st, hr);
    if (t->phase == FTP_CLOSED)
        ft_forget(t);
}

/* ---- the receive directory ---------------------------------------------------- */

/* The sender's name made safe for the receive directory: no path, no
 * control characters, not hidden, at most SAFE_NAME_MAX bytes (cut on a
 * UTF-8 boundary), "file" when nothing is left. */
static char *safe_name(const char *sent)
{
    const char *base = sent;
    for (const char *p = sent; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t len = strlen(base);
    if (len == 0 || !msnp_utf8_valid(base, len))
        return msgr_strdup("file");
    if (len > SAFE_NAME_MAX) {
        len = SAFE_NAME_MAX;
        while (len > 0 && ((unsigned char)base[len] & 0xC0) == 0x80)
            len--;
    }
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    memcpy(s, base, len);
    s[len] = '\0';
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            s[i] = '_';
    if (s[0] == '.')
        s[0] = '_';
    return s;
}

/* dir/name for n == 0, dir/"stem (n).ext" otherwise (the extension is
 * what follows the last dot, unless the dot starts the name). */
static char *numbered_path(const char *dir, const char *name, unsigned n)
{
    msnp_buf b = MSNP_BUF_INIT;
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        dot = name + strlen(name);
    int rc = n == 0 ? msnp_buf_appendf(&b, "%s/%s", dir, name)
                    : msnp_buf_appendf(&b, "%s/%.*s (%u)%s", dir, (int)(dot - name),
                                       name, n, dot);
    size_t len = 0;
    char *s = rc == MSNP_OK && b.len < PATH_MAX_LEN ? msnp_buf_detach(&b, &len) : NULL;
    msnp_buf_free(&b);
    return s;
}

/* The first numbered path that does not exist now. */
static char *free_path(const char *dir, const char *name)
{
    struct stat st;
    for (unsigned n = 0; n < MAX_NUMBERED; n++) {
        char *p = numbered_path(dir, name, n);
        if (!p || (lstat(p, &st) != 0 && errno == ENOENT))
            return p;
        free(p);
    }
    return NULL;
}

/* Opens ".<name>.<random>.part" (mode 0600, never an existing file). */
static int make_temp(msgr_file_transfer *t, const char *dir, const char *name)
{
    if (msgr_mkdir_p(dir, 0700) != 0)
        return -1;
    for (int tries = 0; tries < 16; tries++) {
        msnp_buf b = MSNP_BUF_INIT;
        size_t len = 0;
        char *p = msnp_buf_appendf(&b, "%s/.%s.%08x.part", dir, name,
                                   (unsigned)invite_new_cookie()) == MSNP_OK
                      ? msnp_buf_detach(&b, &len)
                      : NULL;
        msnp_buf_free(&b);
        if (!p)
            return -1;
        int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            t->file_fd = fd;
            t->tmp_path = p;
            return 0;
        }
        free(p);
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

/* Moves the temporary file to path without replacing anything: link()
 * fails on an existing name; where hard links are not supported, a
 * placeholder created with O_EXCL reserves the name for rename(). */
static int place(const char *tmp, const char *path)
{
    if (link(tmp, path) == 0) {
        unlink(tmp);
        return 0;
    }
    if (errno == EEXIST)
        return 1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == EEXIST ? 1 : -1;
    close(fd);
    if (rename(tmp, path) == 0)
        return 0;
    unlink(path);
    return -1;
}

msgr_hr ft_save(msgr_file_transfer *t)
{
    if (t->file_fd >= 0) {
        int rc = close(t->file_fd);
        t->file_fd = -1;
        if (rc != 0)
            return MSGR_E_FAIL;
    }
    char *name = safe_name(t->name);
    if (!name || !t->m || !t->tmp_path) {
        free(name);
        return MSGR_E_FAIL;
    }
    msgr_hr hr = MSGR_E_FAIL;
    for (unsigned n = 0; n < MAX_NUMBERED; n++) {
        char *p = numbered_path(t->m->receive_dir, name, n);
        int rc = p ? place(t->tmp_path, p) : -1;
        if (rc == 0) {
            free(t->path);
            t->path = p;
            free(t->tmp_path);
            t->tmp_path = NULL;
            hr = MSGR_S_OK;
            break;
        }
        free(p);
        if (rc < 0)
            break;
    }
    free(name);
    return hr;
}

/* ---- invitation messages -------------------------------------------------------- */

static msgr_hr send_invite(msgr_file_transfer *t)
{
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    inv.application_name = "File Transfer";
    inv.application_guid = MSNP_GUID_FILE_TRANSFER;
    inv.command = MSNP_INVITE_CMD_INVITE;
    inv.cookie = t->cookie;
    inv.application_file = t->name;
    inv.has_file_size = true;
    inv.file_size = t->size;
    inv.connectivity = MSNP_INVITE_TRUE; /* we listen (msnp.md 6.1) */
    return invite_send(t->w, &inv);
}

/* Receiver's ACCEPT: asks for the sender's address. */
static msgr_hr send_accept(msgr_file_transfer *t)
{
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    inv.command = MSNP_INVITE_CMD_ACCEPT;
    inv.cookie = t->cookie;
    inv.launch_application = MSNP_INVITE_FALSE;
    inv.request_data = "IP-Address:";
    return invite_send(t->w, &inv);
}

/* Sender's ACCEPT: where to connect and with which AuthCookie. */
static msgr_hr send_address(msgr_file_transfer *t, const char *ip, uint16_t port)
{
    msnp_invite inv;
    memset(&inv, 0, sizeof inv);
    inv.command = MSNP_INVITE_CMD_ACCEPT;
    inv.cookie = t->cookie;
    inv.ip_address = ip;
    inv.has_port = true;
    inv.port = port;
    inv.has_auth_cookie = true;
    inv.auth_cookie = t->auth_cookie;
    inv.sender_connect = MSNP_INVITE_FALSE;
    inv.launch_application = MSNP_INVITE_FALSE;
    inv.request_data = "IP-Address:";
    return invite_send(t->w, &inv);
}

/* ---- incoming invitation traffic ------------------------------------------------- */

static bool name_ok(const char *name, size_t max)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > max || !msnp_utf8_valid(name, len))
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F)
            return false;
    return true;
}

static bool ft_on_invite(msgr_window *w, msgr_contact *from, const msnp_invite *inv)
{
    msgr_messenger *m = w->m;
    if (!msnp_guid_equal(inv->application_guid, MSNP_GUID_FILE_TRANSFER))
        return false;
    if (find(m, w, inv->cookie))
        return true; /* the same invitation again */
    if (!name_ok(inv->application_file, PATH_MAX_LEN) || !inv->has_file_size ||
        m->ntransfers >= MAX_TRANSFERS || m->phase != PHASE_ONLINE) {
        (void)invite_send_cancel(w, MSNP_GUID_FILE_TRANSFER, inv->cookie, MSNP_CANCEL_FAIL);
        return true;
    }
    msgr_file_transfer *t = ft_new(w, from, true);
    if (t) {
        t->cookie = inv->cookie;
        t->size = inv->file_size;
        t->name = msgr_strdup(inv->application_file);
        t->path = msgr_strdup("");
    }
    if (!t || !t->name || !t->path) {
        if (t) { /* never announced: goes quietly */
            t->state = MSGR_FT_FAILED;
            ft_forget(t);
        }
        (void)invite_send_cancel(w, MSNP_GUID_FILE_TRANSFER, inv->cookie, MSNP_CANCEL_FAIL);
        return true;
    }
    t->deadline = msgr_now_ms() + FT_INVITE_TIMEOUT_MS + FT_INVITEE_GRACE_MS;
    ev_transfer(m, EV_FT_INVITATION, MSGR_S_OK, 0, from, w, t);
    return true;
}

/* Sender: the receiver accepted. Normally we listen and say where; a
 * receiver that listens itself (Sender-Connect TRUE with its address)
 * gets our connection instead (msnp.md 6.1, reverse direction). */
static void on_receiver_accept(msgr_file_transfer *t, msgr_contact *from,
                               const msnp_invite *inv)
{
    if (t->phase != FTP_INVITED)
        return;
    obj_ref(from);
    obj_unref(t->peer);
    t->peer = from; /* in a group conversation, whoever accepted first */
    char ip[64];
    uint16_t port = 0;
    int rc;
    if (inv->sender_connect == MSNP_INVITE_TRUE && inv->ip_address && inv->has_port &&
        inv->has_auth_cookie) {
        t->auth_cookie = inv->auth_cookie;
        rc = ftc_connect(t, inv->ip_address, inv->port);
    } else {
        t->auth_cookie = invite_new_cookie();
        rc = ftc_listen(t, ip, sizeof ip, &port);
        if (rc == 0 && MSGR_FAILED(send_address(t, ip, port)))
            rc = -1;
    }
    if (rc != 0) {
        ft_end(t, MSGR_FT_FAILED, MSGR_E_TCP_ERROR, MSNP_CANCEL_FAIL, false);
        return;
    }
    ft_set_state(t, MSGR_FT_CONNECTING, MSGR_S_OK);
}

/* Receiver: the sender's address arrived; connect to it. */
static void on_sender_address(msgr_file_transfer *t, const msnp_invite *inv)
{
    if (t->phase != FTP_WAIT_ADDRESS)
        return;
    if (!inv->ip_address || !inv->has_port || inv->port == 0 || !inv->has_auth_cookie) {
        ft_end(t, MSGR_FT_FAILED, MSGR_E_UNEXPECTED, MSNP_CANCEL_FAIL, false);
        return;
    }
    t->auth_cookie = inv->auth_cookie;
    if (ftc_connect(t, inv->ip_address, inv->port) != 0)
        ft_end(t, MSGR_FT_FAILED, MSGR_E_TCP_ERROR, MSNP_CANCEL_FTTIMEOUT, false);
}

/* The other side's CANCEL (not answered: it ended the invitation). */
static void on_cancel(msgr_file_transfer *t, const msnp_invite *inv)
{
    MSGR_FT_STATE st = MSGR_FT_CANCELLED;
    msgr_hr hr = MSGR_E_CANCEL;
    bool unanswered = t->phase == FTP_INVITED;
    if (inv->cancel_code == MSNP_CANCEL_REJECT && unanswered) {
        st = MSGR_FT_DECLINED;
        hr = MSGR_E_AI_REJECT;
    } else if (inv->cancel_code == MSNP_CANCEL_REJECT_NOT_INSTALLED && unanswered) {
        st = MSGR_FT_DECLINED;
        hr = MSGR_E_AI_REJECT_NOT_INST;
    } else if (inv->cancel_code == MSNP_CANCEL_FAIL) {
        st = MSGR_FT_FAILED;
        hr = MSGR_E_FAIL;
    }
    ft_end(t, st, hr, MSNP_CANCEL_NONE, false);
}

static bool ft_on_reply(msgr_window *w, msgr_contact *from, const msnp_invite *inv)
{
    msgr_file_transfer *t = find(w->m, w, inv->cookie);
    if (!t)
        return voice_on_reply(w, from, inv);
    bool anyone = !t->incoming && t->phase == FTP_INVITED;
    if (ft_final(t) || (!anyone && from != t->peer))
        return true; /* ours, but nothing to do with it */
    if (inv->command == MSNP_INVITE_CMD_CANCEL)
        on_cancel(t, inv);
    else if (t->incoming)
        on_sender_address(t, inv);
    else
        on_receiver_accept(t, from, inv);
    return true;
}

/* Close (or sign-out) of the window: every transfer of it ends, and the
 * other side hears OUTBANDCANCEL (msnp.md 5.9). */
static void ft_on_window_closing(msgr_window *w)
{
    size_t n;
    msgr_file_transfer **copy = snapshot(w->m, &n);
    for (size_t i = 0; i < n; i++)
        if (copy[i]->w == w)
            ft_end(copy[i], MSGR_FT_CANCELLED, MSGR_E_CANCEL, MSNP_CANCEL_OUTBANDCANCEL, true);
    drop_snapshot(copy, n);
    voice_window_closing(w);
}

/* ---- loop integration --------------------------------------------------------------- */

static size_t ft_fds(msgr_messenger *m, msgr_pollfd *fds, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < m->ntransfers; i++)
        n += ftc_fds(m->transfers[i], n < cap ? fds + n : NULL, n < cap ? cap - n : 0);
    return n;
}

/* The timers of the invitation phases (msnftp.c has the others). */
static void tick(msgr_file_transfer *t, int64_t now)
{
    if (t->progress_due && now >= t->progress_due)
        queue_progress(t, now);
    if (!t->deadline || now < t->deadline || ft_final(t))
        return;
    if (t->phase == FTP_INVITED)
        ft_end(t, MSGR_FT_FAILED, MSGR_E_AI_TIMEOUT,
               t->incoming ? MSNP_CANCEL_NONE : MSNP_CANCEL_TIMEOUT, false);
    else if (t->phase == FTP_WAIT_ADDRESS)
        ft_end(t, MSGR_FT_FAILED, MSGR_E_FT_TIMEOUT, MSNP_CANCEL_FTTIMEOUT, false);
}

static void ft_progress(msgr_messenger *m, int64_t now)
{
    size_t n;
    msgr_file_transfer **copy = snapshot(m, &n);
    for (size_t i = 0; i < n; i++) {
        ftc_drive(copy[i], now);
        tick(copy[i], now);
    }
    drop_snapshot(copy, n);
    voice_progress(m, now);
}

static int64_t earliest(int64_t a, int64_t b)
{
    return !a ? b : !b ? a : a < b ? a : b;
}

static int64_t ft_next_deadline(msgr_messenger *m)
{
    int64_t best = voice_next_deadline(m);
    for (size_t i = 0; i < m->ntransfers; i++)
        best = earliest(best, earliest(m->transfers[i]->deadline,
                                       m->transfers[i]->progress_due));
    return best;
}

/* Sign-out or release: the windows are closed already (their transfers
 * cancelled); what is left (lingering connections) closes now. */
static void ft_shutdown(msgr_messenger *m)
{
    size_t n;
    msgr_file_transfer **copy = snapshot(m, &n);
    for (size_t i = 0; i < n; i++) {
        ftc_last_words(copy[i]);
        ftc_close(copy[i]);
        ft_end(copy[i], MSGR_FT_CANCELLED, MSGR_E_CANCEL, MSNP_CANCEL_NONE, false);
        ft_forget(copy[i]);
    }
    drop_snapshot(copy, n);
    free(m->transfers);
    m->transfers = NULL;
    m->ntransfers = m->captransfers = 0;
    voice_shutdown(m);
}

const invite_handler filetransfer_invite_handler = {
    .on_invite = ft_on_invite,
    .on_reply = ft_on_reply,
    .on_window_closing = ft_on_window_closing,
    .fds = ft_fds,
    .progress = ft_progress,
    .next_deadline = ft_next_deadline,
    .shutdown = ft_shutdown,
};

/* ---- public API ------------------------------------------------------------------ */

static bool online(const msgr_messenger *m)
{
    return m && m->phase == PHASE_ONLINE;
}

/* The name we send: the part after the last '/'. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Opens path for sending: a regular file we can read. */
static int open_source(const char *path, uint64_t *size)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    *size = (uint64_t)st.st_size;
    return fd;
}

/* The contact the invitation is for: the first participant, or the first
 * invitee of a conversation nobody has joined yet. */
static msgr_contact *first_party(const msgr_window *w)
{
    if (w->nmembers > 0)
        return w->members[0];
    return w->ninvitees > 0 ? w->invitees[0] : NULL;
}

msgr_hr msgr_conversation_send_file(msgr_conversation *w, const char *path,
                                    msgr_file_transfer **transfer)
{
    msgr_obj *o = obj_check(w);
    if (!o || o->kind != OBJ_WINDOW)
        return MSGR_E_POINTER;
    if (!path || !*path || strlen(path) >= PATH_MAX_LEN ||
        !name_ok(base_name(path), SENT_NAME_MAX))
        return MSGR_E_INVALIDARG;
    if (!window_is_conversation(w) || !online(w->m) || !first_party(w))
        return MSGR_E_FAIL;
    uint64_t size = 0;
    int fd = open_source(path, &size);
    if (fd < 0)
        return MSGR_E_INVALIDARG;
    msgr_file_transfer *t = ft_new(w, first_party(w), false);
    if (!t) {
        close(fd);
        return MSGR_E_OUTOFMEMORY;
    }
    t->file_fd = fd;
    t->size = size;
    t->cookie = invite_new_cookie();
    t->name = msgr_strdup(base_name(path));
    t->path = msgr_strdup(path);
    t->deadline = msgr_now_ms() + FT_INVITE_TIMEOUT_MS;
    msgr_hr hr = t->name && t->path ? send_invite(t) : MSGR_E_OUTOFMEMORY;
    if (MSGR_FAILED(hr)) {
        t->state = MSGR_FT_FAILED; /* never announced: goes quietly */
        ft_forget(t);
        return hr;
    }
    if (transfer) {
        pool_borrow(w->m, t);
        *transfer = t;
    }
    return MSGR_S_OK;
}

static bool readable_file(const char *path)
{
    uint64_t size;
    int fd = open_source(path, &size);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

msgr_hr msgr_messenger_send_file(msgr_messenger *m, msgr_contact *contact,
                                 const char *file_name, msgr_conversation **window)
{
    msgr_obj *mo = obj_check(m);
    if (!mo || mo->kind != OBJ_MESSENGER)
        return MSGR_E_POINTER;
    if (!window)
        return MSGR_E_RPC_X_NULL_REF_POINTER;
    if (file_name && strlen(file_name) > SENDFILE_PATH_MAX)
        return MSGR_E_INVALIDARG;
    /* InstantMessage's checks, before anything opens. */
    msgr_hr hr = window_check_contact(m, contact);
    if (MSGR_FAILED(hr))
        return hr;
    bool named = file_name && *file_name;
    bool readable = named && readable_file(file_name);
    if (named && !readable && !m->ui.choose_file)
        return MSGR_E_INVALIDARG;
    hr = msgr_messenger_instant_message(m, contact, window);
    if (MSGR_FAILED(hr))
        return hr;
    if (readable)
        return msgr_conversation_send_file(*window, file_name, NULL);
    if (m->ui.choose_file)
        return m->ui.choose_file(m->ui_ud, m, *window, named ? file_name : "");
    return MSGR_S_OK; /* no dialog to show: the window is all there is */
}

msgr_hr msgr_file_transfer_accept(msgr_file_transfer *t)
{
    if (!live_transfer(t))
        return MSGR_E_POINTER;
    if (!t->m || !t->incoming || t->state != MSGR_FT_INVITING ||
        !window_is_conversation(t->w) || !online(t->m))
        return MSGR_E_FAIL;
    char *name = safe_name(t->name);
    char *dest = name ? free_path(t->m->receive_dir, name) : NULL;
    int rc = dest ? make_temp(t, t->m->receive_dir, name) : -1;
    free(name);
    if (rc != 0) {
        free(dest);
        return MSGR_E_FAIL;
    }
    free(t->path);
    t->path = dest;
    msgr_hr hr = send_accept(t);
    if (MSGR_FAILED(hr)) {
        close(t->file_fd);
        t->file_fd = -1;
        unlink(t->tmp_path);
        free(t->tmp_path);
        t->tmp_path = NULL;
        return hr;
    }
    t->phase = FTP_WAIT_ADDRESS;
    t->deadline = msgr_now_ms() + FT_CONNECT_TIMEOUT_MS;
    ft_set_state(t, MSGR_FT_CONNECTING, MSGR_S_OK);
    return MSGR_S_OK;
}

msgr_hr msgr_file_transfer_decline(msgr_file_transfer *t)
{
    if (!live_transfer(t))
        return MSGR_E_POINTER;
    if (!t->m || !t->incoming || t->state != MSGR_FT_INVITING)
        return MSGR_E_FAIL;
    ft_end(t, MSGR_FT_DECLINED, MSGR_E_AI_REJECT, MSNP_CANCEL_REJECT, false);
    return MSGR_S_OK;
}

msgr_hr msgr_file_transfer_cancel(msgr_file_transfer *t)
{
    if (!live_transfer(t))
        return MSGR_E_POINTER;
    if (!t->m)
        return MSGR_E_FAIL;
    if (ft_final(t))
        return MSGR_S_FALSE;
    if (t->phase == FTP_INVITED && t->incoming)
        return msgr_file_transfer_decline(t);
    if (t->phase == FTP_INVITED) /* the inviter withdraws (msnp.md 5.9) */
        ft_end(t, MSGR_FT_CANCELLED, MSGR_E_USER_CANCELLED, MSNP_CANCEL_TIMEOUT, false);
    else
        ft_end(t, MSGR_FT_CANCELLED, MSGR_E_USER_CANCELLED, MSNP_CANCEL_FTTIMEOUT, true);
    return MSGR_S_OK;
}

/* ---- getters ------------------------------------------------------------------------ */

#define GETTER_PROLOGUE(out)              \
    if (!live_transfer(t))                \
        return MSGR_E_POINTER;            \
    if (!(out))                           \
        return MSGR_E_RPC_X_NULL_REF_POINTER

msgr_hr msgr_file_transfer_get_state(msgr_file_transfer *t, MSGR_FT_STATE *state)
{
    GETTER_PROLOGUE(state);
    *state = t->state;
    return MSGR_S_OK;
}

msgr_hr msgr_file_transfer_get_incoming(msgr_file_transfer *t, bool *incoming)
{
    GETTER_PROLOGUE(incoming);
    *incoming = t->incoming;
    return MSGR_S_OK;
}

msgr_hr msgr_file_transfer_get_file_name(msgr_file_transfer *t, const char **name)
{
    GETTER_PROLOGUE(name);
    *name = t->name ? t->name : "";
    return MSGR_S_OK;
}

msgr_hr msgr_file_transfer_get_path(msgr_file_transfer *t, const char **path)
{
    GETTER_PROLOGUE(path);
    *path = t->path ? t->path : "";
    return MSGR_S_OK;
}

msgr_hr msgr_file_transfer_get_size(msgr_file_transfer *t, uint64_t *size)
{
    GETTER_PROLOGUE(size);
    *size = t->size;
    return MSGR_S_OK;
}

msgr_hr msgr_file_transfer_get_bytes_done(msgr_file_transfer *t, uint64_t *done)
{
    GETTER_PROLOGUE(done);
    *done = t->done;
    return MSGR_S_OK;
}

/* Hands out one of t's objects, borrowed. */
static msgr_hr lend(msgr_file_transfer *t, void *obj, void **out)
{
    if (!t->m)
        return MSGR_E_FAIL;
    if (!pool_borrow(t->m, obj))
        return MSGR_E_OUTOFMEMORY;
    *out = obj;
    return MSGR_S_OK;
}

msgr_hr msgr_file_transfer_get_contact(msgr_file_transfer *t, msgr_contact **contact)
{
    GETTER_PROLOGUE(contact);
    void *o = NULL;
    msgr_hr hr = lend(t, t->peer, &o);
    if (MSGR_SUCCEEDED(hr))
        *contact = o;
    return hr;
}

msgr_hr msgr_file_transfer_get_window(msgr_file_transfer *t, msgr_conversation **window)
{
    GETTER_PROLOGUE(window);
    void *o = NULL;
    msgr_hr hr = lend(t, t->w, &o);
    if (MSGR_SUCCEEDED(hr))
        *window = o;
    return hr;
}

msgr_hr msgr_file_transfer_get_result(msgr_file_transfer *t, msgr_hr *result)
{
    GETTER_PROLOGUE(result);
    *result = t->result;
    return MSGR_S_OK;
}
