/*
 * msnftp.c - the MSNFTP data connection of a file transfer (msnp.md
 * 6.2-6.6), both roles, on non-blocking sockets driven from process():
 *
 *   receiver                         sender
 *   connect                          listen (accept one connection)
 *   VER MSNFTP               ->
 *                            <-      VER MSNFTP
 *   USR handle auth-cookie   ->      checks the cookie and the handle
 *                            <-      FIL size
 *   TFR                      ->      (receiver checks size = invitation's)
 *                            <-      blocks: 00 len-lo len-hi data...
 *   BYE 16777989             ->      (as soon as size bytes arrived)
 *
 * The receiver always speaks first, whoever opened the socket. Either
 * side may give up: CCL (receiver), the block 01 00 00 (sender), or a
 * close. Bytes move in bounded steps (READ_BUDGET in, OUT_HIGH queued
 * out) so one transfer cannot starve the rest of process(). When the
 * transfer is over the connection lingers: what is queued goes out, our
 * side shuts down for writing and we wait (FT_LINGER_MS at most) for the
 * peer's close, so the last line (BYE, CCL) is not lost to a reset.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "filetransfer.h"
#include "msnp_ftp.h"
#include "msnp_invite.h"

#define READ_CHUNK 16384
#define READ_BUDGET (256 * 1024)   /* bytes read per drive */
#define WRITE_ROUNDS 64            /* send() calls per drive */
#define OUT_HIGH (32 * 1024)       /* sender: blocks queued ahead */
#define WIRE_BLOCK (MSNP_FTP_BLOCK_HEADER + MSNP_FTP_BLOCK_DATA_MAX)

/* ---- sockets --------------------------------------------------------------- */

static bool out_pending(const msgr_file_transfer *t)
{
    return t->out.len > t->out_off;
}

static int prepare(int fd)
{
    int fl = fcntl(fd, F_GETFL, 0);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
        return -1;
    return 0;
}

void ftc_close(msgr_file_transfer *t)
{
    if (t->listen_fd >= 0)
        close(t->listen_fd);
    if (t->fd >= 0)
        close(t->fd);
    t->listen_fd = t->fd = -1;
    t->phase = FTP_CLOSED;
    msnp_buf_reset(&t->in);
    msnp_buf_reset(&t->out);
    t->out_off = 0;
}

void ftc_last_words(msgr_file_transfer *t)
{
    if (t->fd >= 0 && !t->shut && t->phase != FTP_CONNECTING && out_pending(t))
        (void)send(t->fd, t->out.data + t->out_off, t->out.len - t->out_off, MSG_NOSIGNAL);
}

/* The port of a socket address (AF_INET / AF_INET6), or NULL. */
static in_port_t *port_of(struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return &((struct sockaddr_in *)ss)->sin_port;
    if (ss->ss_family == AF_INET6)
        return &((struct sockaddr_in6 *)ss)->sin6_port;
    return NULL;
}

static const void *addr_of(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return &((const struct sockaddr_in *)ss)->sin_addr;
    return &((const struct sockaddr_in6 *)ss)->sin6_addr;
}

/* Listens on the local address of the switchboard connection: the
 * address the peer already reaches us on as far as we can tell (msnp.md
 * 6.1 would prefer the NS's ClientIP behind NAT; we have no port
 * mapping, so the local address is the honest answer). */
int ftc_listen(msgr_file_transfer *t, char *ip, size_t ipcap, uint16_t *port)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    in_port_t *p;
    if (!t->w || t->w->sb.fd < 0 ||
        getsockname(t->w->sb.fd, (struct sockaddr *)&ss, &len) != 0 || !(p = port_of(&ss)))
        return -1;
    *p = 0; /* any free port */
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (prepare(fd) != 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 ||
        listen(fd, 1) != 0 || getsockname(fd, (struct sockaddr *)&ss, &len) != 0 ||
        !inet_ntop(ss.ss_family, addr_of(&ss), ip, (socklen_t)ipcap)) {
        close(fd);
        return -1;
    }
    *port = ntohs(*p); /* same family, same place */
    t->listen_fd = fd;
    t->phase = FTP_LISTENING;
    t->deadline = msgr_now_ms() + FT_CONNECT_TIMEOUT_MS;
    return 0;
}

/* Numeric addresses only: the peer's IP-Address is never looked up. */
static bool parse_address(const char *ip, uint16_t port, struct sockaddr_storage *ss,
                          socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        *len = sizeof *v4;
        return true;
    }
    if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        *len = sizeof *v6;
        return true;
    }
    return false;
}

int ftc_connect(msgr_file_transfer *t, const char *ip, uint16_t port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    if (port == 0 || !parse_address(ip, port, &ss, &len))
        return -1;
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (prepare(fd) != 0 ||
        (connect(fd, (struct sockaddr *)&ss, len) != 0 && errno != EINPROGRESS)) {
        close(fd);
        return -1;
    }
    t->fd = fd;
    t->phase = FTP_CONNECTING; /* completion is seen as POLLOUT either way */
    t->deadline = msgr_now_ms() + FT_CONNECT_TIMEOUT_MS;
    return 0;
}

static bool wants_write(const msgr_file_transfer *t)
{
    return out_pending(t) || t->phase == FTP_CONNECTING ||
           (!t->incoming && t->phase == FTP_DATA && t->queued < t->size);
}

size_t ftc_fds(const msgr_file_transfer *t, msgr_pollfd *fds, size_t cap)
{
    size_t n = 0;
    if (t->listen_fd >= 0) {
        if (n < cap) {
            fds[n].fd = t->listen_fd;
            fds[n].events = MSGR_POLL_IN;
        }
        n++;
    }
    if (t->fd >= 0) {
        if (n < cap) {
            fds[n].fd = t->fd;
            fds[n].events = (short)(MSGR_POLL_IN | (wants_write(t) ? MSGR_POLL_OUT : 0));
        }
        n++;
    }
    return n;
}

/* ---- ending ---------------------------------------------------------------------- */

static void queue_line(msgr_file_transfer *t, msnp_ftp_verb verb, uint64_t value)
{
    msnp_ftp_line l;
    memset(&l, 0, sizeof l);
    l.verb = verb;
    l.msnftp = true;
    l.size = value;
    l.code = (uint32_t)value;
    (void)msnp_ftp_build_line(&t->out, &l); /* out of memory: the close says it */
}

void ftc_finish(msgr_file_transfer *t, bool abort)
{
    if (t->listen_fd >= 0) {
        close(t->listen_fd);
        t->listen_fd = -1;
    }
    if (t->fd < 0 || t->phase == FTP_CONNECTING) {
        ftc_close(t); /* nothing was said on it yet */
        return;
    }
    if (abort && !t->incoming && t->phase == FTP_DATA)
        (void)msnp_ftp_abort_write(&t->out); /* after whole blocks only */
    else if (abort && t->incoming)
        queue_line(t, MSNP_FTP_CCL, 0);
    t->phase = FTP_LINGER;
    t->shut = false;
    t->deadline = msgr_now_ms() + FT_LINGER_MS;
}

/* The connection broke or timed out: close it, then end the transfer
 * (a lingering one is simply gone). */
static void conn_failed(msgr_file_transfer *t, msgr_hr hr)
{
    bool was_final = ft_final(t);
    ftc_close(t);
    if (was_final)
        ft_forget(t);
    else
        ft_end(t, MSGR_FT_FAILED, hr, MSNP_CANCEL_FTTIMEOUT, false);
}

/* The peer broke the MSNFTP rules: close without another word (6.3). */
static void protocol_error(msgr_file_transfer *t)
{
    conn_failed(t, MSGR_E_UNEXPECTED);
}

/* ---- the sender ---------------------------------------------------------------- */

/* Reads exactly len bytes at off; false on error or a file that shrank. */
static bool read_at(int fd, char *buf, size_t len, uint64_t off)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, buf + got, len - got, (off_t)(off + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        got += (size_t)n;
    }
    return true;
}

/* Drops the bytes already sent so the buffer stays small. */
static void compact_out(msgr_file_transfer *t)
{
    if (t->out_off == 0)
        return;
    size_t left = t->out.len - t->out_off;
    memmove(t->out.data, t->out.data + t->out_off, left);
    msnp_buf_truncate(&t->out, left);
    t->out_off = 0;
}

/* Queues blocks of the file until OUT_HIGH bytes wait to go out. */
static void fill_blocks(msgr_file_transfer *t)
{
    char buf[MSNP_FTP_BLOCK_DATA_MAX];
    if (t->incoming || t->phase != FTP_DATA)
        return;
    compact_out(t);
    while (t->queued < t->size && t->out.len < OUT_HIGH) {
        uint64_t rest = t->size - t->queued;
        size_t want = rest < MSNP_FTP_BLOCK_DATA_MAX ? (size_t)rest : MSNP_FTP_BLOCK_DATA_MAX;
        if (!read_at(t->file_fd, buf, want, t->queued)) {
            ft_end(t, MSGR_FT_FAILED, MSGR_E_FAIL, MSNP_CANCEL_FTTIMEOUT, true);
            return;
        }
        if (msnp_ftp_block_write(&t->out, buf, want) != MSNP_OK) {
            ft_end(t, MSGR_FT_FAILED, MSGR_E_OUTOFMEMORY, MSNP_CANCEL_FTTIMEOUT, true);
            return;
        }
        t->queued += want;
    }
}

/* bytes_done of a sender: the file bytes of the blocks written to the
 * socket. Every block but the last is WIRE_BLOCK bytes, so the wire
 * offset says exactly how much data went out. */
static void sender_done(msgr_file_transfer *t, int64_t now)
{
    if (t->wire_sent <= t->wire_data)
        return;
    uint64_t x = t->wire_sent - t->wire_data;
    uint64_t k = x / WIRE_BLOCK, r = x % WIRE_BLOCK;
    uint64_t d = k * MSNP_FTP_BLOCK_DATA_MAX + (r > MSNP_FTP_BLOCK_HEADER ? r - MSNP_FTP_BLOCK_HEADER : 0);
    if (d > t->size)
        d = t->size;
    if (d != t->done) {
        t->done = d;
        ft_note_progress(t, now);
    }
}

/* BYE from the receiver: 16777989 ends the transfer; the other codes of
 * msnp.md 6.5 say why it did not. */
static void on_bye(msgr_file_transfer *t, uint32_t code)
{
    if (code == MSNP_FTP_BYE_OK) {
        if (t->queued < t->size) {
            protocol_error(t); /* it cannot have everything yet */
            return;
        }
        t->done = t->size;
        ft_end(t, MSGR_FT_COMPLETED, MSGR_S_TRANSFER_SEND_FINISHED, MSNP_CANCEL_NONE, false);
    } else if (code == MSNP_FTP_BYE_DISK_FULL) {
        ft_end(t, MSGR_FT_FAILED, MSGR_E_FAIL, MSNP_CANCEL_NONE, false);
    } else if (code == MSNP_FTP_BYE_TIMEOUT) {
        ft_end(t, MSGR_FT_FAILED, MSGR_E_FT_TIMEOUT, MSNP_CANCEL_NONE, false);
    } else {
        ft_end(t, MSGR_FT_CANCELLED, MSGR_E_CANCEL, MSNP_CANCEL_NONE, false);
    }
}

static void start_sending(msgr_file_transfer *t)
{
    t->phase = t->size ? FTP_DATA : FTP_WAIT_BYE;
    t->wire_data = t->wire_sent + (t->out.len - t->out_off); /* blocks start there */
    ft_set_state(t, MSGR_FT_TRANSFERRING, MSGR_S_TRANSFER_SEND_BEGUN);
}

static bool usr_ok(const msgr_file_transfer *t, const msnp_ftp_line *l)
{
    return l->verb == MSNP_FTP_USR && l->auth_cookie == t->auth_cookie &&
           strcasecmp(l->handle, t->peer->signin) == 0;
}

static void sender_line(msgr_file_transfer *t, const msnp_ftp_line *l)
{
    if (l->verb == MSNP_FTP_CCL) { /* the receiver may cancel at any time */
        ft_end(t, MSGR_FT_CANCELLED, MSGR_E_CANCEL, MSNP_CANCEL_NONE, false);
        return;
    }
    if (t->phase == FTP_WAIT_VER && l->verb == MSNP_FTP_VER && l->msnftp) {
        queue_line(t, MSNP_FTP_VER, 0);
        t->phase = FTP_WAIT_USR;
    } else if (t->phase == FTP_WAIT_USR && usr_ok(t, l)) {
        queue_line(t, MSNP_FTP_FIL, t->size);
        t->phase = FTP_WAIT_TFR;
    } else if (t->phase == FTP_WAIT_TFR && l->verb == MSNP_FTP_TFR) {
        start_sending(t);
    } else if ((t->phase == FTP_DATA || t->phase == FTP_WAIT_BYE) && l->verb == MSNP_FTP_BYE) {
        on_bye(t, l->code);
    } else {
        protocol_error(t);
    }
}

/* ---- the receiver ---------------------------------------------------------------- */

static void receive_complete(msgr_file_transfer *t)
{
    msgr_hr hr = ft_save(t);
    if (MSGR_FAILED(hr)) {
        ft_end(t, MSGR_FT_FAILED, hr, MSNP_CANCEL_FTTIMEOUT, true);
        return;
    }
    queue_line(t, MSNP_FTP_BYE, MSNP_FTP_BYE_OK);
    ft_end(t, MSGR_FT_COMPLETED, MSGR_S_TRANSFER_RECEIVE_FINISHED, MSNP_CANCEL_NONE, false);
}

static void receiver_line(msgr_file_transfer *t, const msnp_ftp_line *l)
{
    if (t->phase == FTP_WAIT_VER && l->verb == MSNP_FTP_VER && l->msnftp) {
        msnp_ftp_line usr;
        memset(&usr, 0, sizeof usr);
        usr.verb = MSNP_FTP_USR;
        usr.auth_cookie = t->auth_cookie;
        snprintf(usr.handle, sizeof usr.handle, "%s", t->m->signin ? t->m->signin : "");
        (void)msnp_ftp_build_line(&t->out, &usr);
        t->phase = FTP_WAIT_FIL;
    } else if (t->phase == FTP_WAIT_FIL && l->verb == MSNP_FTP_FIL) {
        if (l->size != t->size) { /* 6.3: not the file we were offered */
            ft_end(t, MSGR_FT_FAILED, MSGR_E_UNEXPECTED, MSNP_CANCEL_FTTIMEOUT, true);
            return;
        }
        queue_line(t, MSNP_FTP_TFR, 0);
        t->phase = FTP_DATA;
        ft_set_state(t, MSGR_FT_TRANSFERRING, MSGR_S_TRANSFER_RECEIVE_BEGUN);
        if (t->size == 0)
            receive_complete(t);
    } else {
        protocol_error(t);
    }
}

static bool write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* A block ended: the end of the file, or the sender's abort (6.4: data
 * first, then decide by the count). */
static void block_over(msgr_file_transfer *t)
{
    t->in_block = false;
    if (t->done == t->size)
        receive_complete(t);
    else if (t->block_end)
        ft_end(t, MSGR_FT_CANCELLED, MSGR_E_CANCEL, MSNP_CANCEL_NONE, false);
}

static size_t take_header(msgr_file_transfer *t, const char *p, size_t n)
{
    msnp_ftp_block h;
    int rc = msnp_ftp_block_parse(p, n, &h);
    if (rc == 0)
        return 0;
    if (rc < 0 || h.length > t->size - t->done) { /* more than announced */
        protocol_error(t);
        return 0;
    }
    t->in_block = true;
    t->block_left = h.length;
    t->block_end = h.end;
    if (h.length == 0)
        block_over(t);
    return MSNP_FTP_BLOCK_HEADER;
}

static size_t take_block_data(msgr_file_transfer *t, const char *p, size_t n, int64_t now)
{
    if (!t->in_block)
        return take_header(t, p, n);
    size_t k = n < t->block_left ? n : t->block_left;
    if (!write_all(t->file_fd, p, k)) {
        bool full = errno == ENOSPC;
        if (full) /* 6.5: the receiver's disk is full */
            queue_line(t, MSNP_FTP_BYE, MSNP_FTP_BYE_DISK_FULL);
        ft_end(t, MSGR_FT_FAILED, MSGR_E_FAIL, MSNP_CANCEL_FTTIMEOUT, !full);
        return 0;
    }
    t->block_left -= (uint32_t)k;
    t->done += k;
    ft_note_progress(t, now);
    if (t->block_left == 0)
        block_over(t);
    return k;
}

/* ---- input ----------------------------------------------------------------------- */

static size_t take_line(msgr_file_transfer *t, const char *p, size_t n)
{
    size_t len = 0, used = 0;
    msnp_ftp_line l;
    int rc = msnp_ftp_find_line(p, n, &len, &used);
    if (rc == 0)
        return 0;
    if (rc < 0 || msnp_ftp_parse_line(p, len, &l) != MSNP_OK) {
        protocol_error(t);
        return 0;
    }
    if (t->incoming)
        receiver_line(t, &l);
    else
        sender_line(t, &l);
    return used;
}

/* Consumes what arrived: lines, or blocks once a receiver sent TFR. */
static void consume(msgr_file_transfer *t, int64_t now)
{
    size_t off = 0;
    while (off < t->in.len && t->fd >= 0 && !ft_final(t)) {
        const char *p = t->in.data + off;
        size_t n = t->in.len - off;
        size_t used = t->incoming && t->phase == FTP_DATA ? take_block_data(t, p, n, now)
                                                           : take_line(t, p, n);
        if (used == 0)
            break;
        off += used;
    }
    if (ft_final(t) || t->fd < 0)
        msnp_buf_reset(&t->in); /* nothing more will be read from it */
    else if (off > 0) {
        memmove(t->in.data, t->in.data + off, t->in.len - off);
        msnp_buf_truncate(&t->in, t->in.len - off);
    }
}

static void on_eof(msgr_file_transfer *t)
{
    if (t->phase == FTP_LINGER) {
        ftc_close(t);
        ft_forget(t);
    } else {
        conn_failed(t, MSGR_E_TCP_ERROR); /* closed before the end */
    }
}

static void read_input(msgr_file_transfer *t, int64_t now)
{
    char buf[READ_CHUNK];
    size_t budget = READ_BUDGET;
    while (t->fd >= 0 && budget > 0) {
        ssize_t n = recv(t->fd, buf, sizeof buf, 0);
        if (n == 0) {
            on_eof(t);
            return;
        }
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                conn_failed(t, MSGR_E_TCP_ERROR);
            return;
        }
        budget -= (size_t)n < budget ? (size_t)n : budget;
        if (t->phase == FTP_LINGER)
            continue; /* the transfer is over: only the close matters */
        t->deadline = now + FT_IDLE_TIMEOUT_MS;
        if (msnp_buf_append(&t->in, buf, (size_t)n) != MSNP_OK) {
            conn_failed(t, MSGR_E_OUTOFMEMORY);
            return;
        }
        consume(t, now);
    }
}

/* ---- output ---------------------------------------------------------------------- */

static void write_output(msgr_file_transfer *t, int64_t now)
{
    for (int i = 0; i < WRITE_ROUNDS && t->fd >= 0; i++) {
        fill_blocks(t);
        if (t->fd < 0 || !out_pending(t))
            break;
        ssize_t n = send(t->fd, t->out.data + t->out_off, t->out.len - t->out_off,
                         MSG_NOSIGNAL);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                conn_failed(t, MSGR_E_TCP_ERROR);
            break;
        }
        t->out_off += (size_t)n;
        t->wire_sent += (uint64_t)n;
        if (t->phase != FTP_LINGER)
            t->deadline = now + FT_IDLE_TIMEOUT_MS;
        if (t->out_off == t->out.len) {
            msnp_buf_reset(&t->out);
            t->out_off = 0;
        }
    }
    if (t->fd < 0 || t->incoming || (t->phase != FTP_DATA && t->phase != FTP_WAIT_BYE))
        return;
    sender_done(t, now);
    if (t->phase == FTP_DATA && t->queued == t->size && !out_pending(t))
        t->phase = FTP_WAIT_BYE; /* 6.4: then wait for BYE (or CCL) */
}

/* ---- driving --------------------------------------------------------------------- */

static void try_accept(msgr_file_transfer *t, int64_t now)
{
    int fd = accept(t->listen_fd, NULL, NULL);
    if (fd < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
            errno != ECONNABORTED)
            conn_failed(t, MSGR_E_TCP_ERROR);
        return;
    }
    if (prepare(fd) != 0) {
        close(fd);
        return;
    }
    close(t->listen_fd); /* one connection per transfer */
    t->listen_fd = -1;
    t->fd = fd;
    t->phase = FTP_WAIT_VER; /* the receiver speaks first */
    t->deadline = now + FT_IDLE_TIMEOUT_MS;
}

/* The non-blocking connect finished (POLLOUT): the receiver opens the
 * dialogue; a sender that connected (Sender-Connect) waits for it. */
static bool connected(msgr_file_transfer *t, int64_t now)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
        conn_failed(t, MSGR_E_TCP_ERROR);
        return false;
    }
    t->phase = FTP_WAIT_VER;
    t->deadline = now + FT_IDLE_TIMEOUT_MS;
    if (t->incoming)
        queue_line(t, MSNP_FTP_VER, 0);
    return true;
}

/* Lingering: once everything queued went out, shut our side down; the
 * peer's close (read_input) or FT_LINGER_MS ends it. */
static void linger_step(msgr_file_transfer *t)
{
    if (t->fd < 0 || t->phase != FTP_LINGER || out_pending(t) || t->shut)
        return;
    shutdown(t->fd, SHUT_WR);
    t->shut = true;
}

static void drive_conn(msgr_file_transfer *t, int64_t now)
{
    struct pollfd p = { t->fd, POLLIN, 0 };
    if (wants_write(t))
        p.events |= POLLOUT;
    linger_step(t);
    if (poll(&p, 1, 0) <= 0)
        return;
    if (t->phase == FTP_CONNECTING) {
        if (!(p.revents & (POLLOUT | POLLERR | POLLHUP)) || !connected(t, now))
            return;
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR))
        read_input(t, now);
    if (t->fd >= 0)
        write_output(t, now);
    linger_step(t);
}

/* The timers of the connection phases (filetransfer.c has the others). */
static void conn_timers(msgr_file_transfer *t, int64_t now)
{
    if (!t->deadline || now < t->deadline)
        return;
    if (t->phase == FTP_LINGER) {
        ftc_close(t);
        ft_forget(t);
    } else if (t->phase >= FTP_LISTENING && t->phase <= FTP_WAIT_BYE) {
        conn_failed(t, MSGR_E_FT_TIMEOUT);
    }
}

void ftc_drive(msgr_file_transfer *t, int64_t now)
{
    if (t->listen_fd >= 0)
        try_accept(t, now);
    if (t->fd >= 0)
        drive_conn(t, now);
    conn_timers(t, now);
}
