/* mconn.c - client-side MSNP connection (mconn.h). */
#include "mconn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "net.h"

/* Bytes read per read() call, and read() calls per readiness event
 * (fairness between connections). */
#define MCONN_READ_CHUNK 16384
#define MCONN_READS_PER_EVENT 8
/* Largest server payload accepted (NS profile, SB messages). */
#define MCONN_MAX_PAYLOAD 65536

struct mconn {
    bench_loop *loop;
    loop_handle h;
    int fd;
    bool connected;
    bool dead;
    bool dirty;         /* queued on the loop's flush list */
    bool want_out;      /* EPOLLOUT registered (kernel buffer was full) */
    msnp_parser *parser;
    msnp_buf out;
    size_t out_off;     /* bytes of out already written */
    uint32_t trid;
    const mconn_ops *ops;
    void *ud;
};

static void mconn_event(void *ud, uint32_t events);
static void mconn_flush(void *ud);

static void mconn_destroy(void *p)
{
    mconn *c = p;
    msnp_parser_free(c->parser);
    msnp_buf_free(&c->out);
    free(c);
}

/* Ends the connection once: unregisters, closes, tells the owner, and
 * leaves the memory to the loop's deferred free. */
static void mconn_end_now(mconn *c, mconn_end why)
{
    if (c->dead)
        return;
    c->dead = true;
    loop_del(c->loop, c->fd);
    close(c->fd);
    c->fd = -1;
    c->ops->on_close(c, why, c->ud);
    loop_defer_free(c->loop, c, mconn_destroy);
}

mconn *mconn_open(bench_loop *l, const struct sockaddr_in *dst, unsigned source,
                  unsigned nsources, const mconn_ops *ops, void *ud)
{
    mconn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    msnp_parser_config pc = { .direction = MSNP_FROM_SERVER, .max_payload = MCONN_MAX_PAYLOAD };
    c->parser = msnp_parser_new(&pc);
    c->fd = c->parser ? net_connect(dst, source, nsources) : -1;
    if (c->fd < 0) {
        msnp_parser_free(c->parser);
        free(c);
        return NULL;
    }
    c->loop = l;
    c->h = (loop_handle){ mconn_event, c };
    c->ops = ops;
    c->ud = ud;
    msnp_buf_init(&c->out);
    if (loop_add(l, c->fd, EPOLLIN | EPOLLOUT, &c->h) != 0) {
        close(c->fd);
        mconn_destroy(c);
        return NULL;
    }
    return c;
}

msnp_buf *mconn_out(mconn *c)
{
    return &c->out;
}

uint32_t mconn_trid(mconn *c)
{
    return ++c->trid;
}

bool mconn_alive(const mconn *c)
{
    return c && !c->dead;
}

size_t mconn_pending(const mconn *c)
{
    return c->out.len - c->out_off;
}

void mconn_queued(mconn *c)
{
    if (!c->dead && c->connected)
        loop_mark_dirty(c->loop, &c->dirty, mconn_flush, c);
}

void mconn_close(mconn *c)
{
    mconn_end_now(c, MCONN_END_LOCAL);
}

/* (Un)registers interest in writability: only while output is stuck. */
static void want_output(mconn *c, bool want)
{
    if (want == c->want_out || c->dead)
        return;
    c->want_out = want;
    loop_mod(c->loop, c->fd, EPOLLIN | (want ? EPOLLOUT : 0u), &c->h);
}

/* Writes as much queued output as the kernel takes. */
static void mconn_flush(void *ud)
{
    mconn *c = ud;
    if (c->dead || !c->connected)
        return;
    while (c->out_off < c->out.len) {
        ssize_t n = write(c->fd, c->out.data + c->out_off, c->out.len - c->out_off);
        if (n > 0) {
            c->out_off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            want_output(c, true);
            return;
        }
        mconn_end_now(c, MCONN_END_IO);
        return;
    }
    msnp_buf_reset(&c->out);
    c->out_off = 0;
    want_output(c, false);
}

/* Hands every complete command to the owner. Returns false once the
 * connection ended. */
static bool drain_commands(mconn *c)
{
    for (;;) {
        msnp_cmd cmd;
        int rc = msnp_parser_next(c->parser, &cmd);
        if (rc == 0)
            return true;
        if (rc < 0 && rc != MSNP_E_BAD_TRID) {
            mconn_end_now(c, MCONN_END_PROTOCOL);
            return false;
        }
        if (rc == 1)
            c->ops->on_cmd(c, &cmd, c->ud);
        if (c->dead)
            return false;
    }
}

static void mconn_read(mconn *c)
{
    unsigned char buf[MCONN_READ_CHUNK];
    for (int i = 0; i < MCONN_READS_PER_EVENT && !c->dead; i++) {
        ssize_t n = read(c->fd, buf, sizeof buf);
        if (n == 0) {
            mconn_end_now(c, MCONN_END_EOF);
            return;
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                mconn_end_now(c, MCONN_END_IO);
            return;
        }
        if (msnp_parser_feed(c->parser, buf, (size_t)n) != MSNP_OK) {
            mconn_end_now(c, MCONN_END_PROTOCOL);
            return;
        }
        if (!drain_commands(c) || (size_t)n < sizeof buf)
            return;
    }
}

/* First writability: the connect finished (or failed). */
static void mconn_connected(mconn *c)
{
    int err = net_connect_result(c->fd);
    if (err != 0) {
        mconn_end_now(c, MCONN_END_CONNECT);
        return;
    }
    c->connected = true;
    c->want_out = true;
    want_output(c, false);
    if (c->ops->on_connect)
        c->ops->on_connect(c, c->ud);
    if (!c->dead && c->out.len)
        mconn_queued(c);
}

static void mconn_event(void *ud, uint32_t events)
{
    mconn *c = ud;
    if (c->dead)
        return;
    if (!c->connected) {
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            mconn_connected(c);
        return;
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        mconn_read(c);
    if (!c->dead && (events & EPOLLOUT))
        mconn_flush(c);
}
