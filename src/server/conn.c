/* conn.c - MSNP connections over libevent bufferevents (conn.h). */
#include "conn.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "log.h"
#include "server.h"

/* Input is handed to the parser in slices of this size, and only after it
 * has returned every complete command, so its buffer stays small. */
#define FEED_CHUNK 16384
/* How long a closing connection may take to flush its output. */
#define CLOSE_FLUSH_MS 2000

static void conn_pump(conn *c);
static void conn_finish(conn *c);
static void conn_drop_later(conn *c);

static void addr_to_text(const struct sockaddr *sa, char *ip, size_t iplen, unsigned *port)
{
    ip[0] = '\0';
    *port = 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        inet_ntop(AF_INET, &in->sin_addr, ip, (socklen_t)iplen);
        *port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, (socklen_t)iplen);
        *port = ntohs(in6->sin6_port);
    }
}

static void on_read(struct bufferevent *bev, void *arg)
{
    (void)bev;
    conn_pump(arg);
}

static void on_write(struct bufferevent *bev, void *arg)
{
    conn *c = arg;
    if (c->closing && evbuffer_get_length(bufferevent_get_output(bev)) == 0)
        conn_finish(c);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
    (void)bev;
    conn *c = arg;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
        c->closing = true;
        conn_finish(c);
    }
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    conn *c = arg;
    if (c->closed)
        return;
    if (c->closing) {           /* flush deadline passed */
        conn_finish(c);
        return;
    }
    if (c->timer_cb) {
        conn_ref(c);
        c->timer_cb(c);
        conn_unref(c);
    }
}

conn *conn_new(server *srv, int fd, const struct sockaddr *peer, int peerlen)
{
    (void)peerlen;
    conn *c = calloc(1, sizeof *c);
    if (!c) {
        evutil_closesocket(fd);
        return NULL;
    }
    c->srv = srv;
    c->id = ++srv->next_conn_id;
    c->refs = 1;
    addr_to_text(peer, c->peer_ip, sizeof c->peer_ip, &c->peer_port);
    struct sockaddr_storage local;
    socklen_t llen = sizeof local;
    if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0)
        addr_to_text((struct sockaddr *)&local, c->local_ip, sizeof c->local_ip, &c->local_port);

    msnp_parser_config pc = { .direction = MSNP_FROM_CLIENT,
                              .max_line = srv->cfg->max_line,
                              .max_payload = srv->cfg->max_sb_payload > 4096 ? srv->cfg->max_sb_payload : 4096 };
    c->parser = msnp_parser_new(&pc);
    c->bev = bufferevent_socket_new(srv->base, fd, BEV_OPT_CLOSE_ON_FREE);
    c->timer = evtimer_new(srv->base, on_timer, c);
    if (!c->parser || !c->bev || !c->timer) {
        if (c->bev)
            bufferevent_free(c->bev);
        else
            evutil_closesocket(fd);
        if (c->timer)
            event_free(c->timer);
        msnp_parser_free(c->parser);
        free(c);
        return NULL;
    }
    bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
    bufferevent_enable(c->bev, EV_READ | EV_WRITE);
    c->next = srv->conns;
    if (srv->conns)
        srv->conns->prev = c;
    srv->conns = c;
    return c;
}

int conn_send_raw(conn *c, const void *data, size_t len)
{
    if (c->closing || c->closed)
        return -1;
    struct evbuffer *out = bufferevent_get_output(c->bev);
    if (evbuffer_get_length(out) + len > c->srv->cfg->output_limit) {
        log_warn("conn %llu (%s:%u): output limit reached, dropping slow reader",
                 (unsigned long long)c->id, c->peer_ip, c->peer_port);
        conn_drop_later(c);
        return -1;
    }
    if (evbuffer_add(out, data, len) != 0) {
        conn_abort(c, "out of memory");
        return -1;
    }
    return 0;
}

int conn_send(conn *c, const msnp_buf *b)
{
    return conn_send_raw(c, b->data, b->len);
}

size_t conn_output_pending(const conn *c)
{
    return evbuffer_get_length(bufferevent_get_output(c->bev));
}

bool conn_is_open(const conn *c)
{
    return !c->closing && !c->closed;
}

void conn_close(conn *c, const char *why)
{
    if (c->closing || c->closed)
        return;
    log_debug("conn %llu: closing (%s)", (unsigned long long)c->id, why);
    c->closing = true;
    bufferevent_disable(c->bev, EV_READ);
    if (conn_output_pending(c) == 0) {
        conn_finish(c);
        return;
    }
    struct timeval tv = { CLOSE_FLUSH_MS / 1000, (CLOSE_FLUSH_MS % 1000) * 1000 };
    evtimer_add(c->timer, &tv);
}

/* Drops the connection from the loop, not from inside the caller: a send
 * to one member of a fan-out must not free state the caller is walking.
 * Queued output is discarded (the reader was not reading it anyway). */
static void conn_drop_later(conn *c)
{
    if (c->closed)
        return;
    c->closing = true;
    bufferevent_disable(c->bev, EV_READ | EV_WRITE);
    evbuffer_drain(bufferevent_get_output(c->bev), evbuffer_get_length(bufferevent_get_output(c->bev)));
    struct timeval now = { 0, 0 };
    evtimer_add(c->timer, &now);
}

void conn_abort(conn *c, const char *why)
{
    if (c->closed)
        return;
    log_debug("conn %llu: aborting (%s)", (unsigned long long)c->id, why);
    c->closing = true;
    conn_finish(c);
}

/* Tells the role, unlinks, and drops the connection's own reference. The
 * memory goes when the last job holding a reference lets go. */
static void conn_finish(conn *c)
{
    if (c->closed)
        return;
    c->closed = true;
    c->closing = true;
    evtimer_del(c->timer);
    bufferevent_disable(c->bev, EV_READ | EV_WRITE);
    if (c->handler && c->handler->on_close)
        c->handler->on_close(c);
    server *srv = c->srv;
    if (c->prev)
        c->prev->next = c->next;
    else if (srv->conns == c)
        srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    /* Closing the socket now frees the descriptor even if a job still
     * holds the struct. */
    bufferevent_free(c->bev);
    c->bev = NULL;
    conn_unref(c);
}

void conn_ref(conn *c)
{
    c->refs++;
}

void conn_unref(conn *c)
{
    if (--c->refs > 0)
        return;
    if (c->bev)
        bufferevent_free(c->bev);
    event_free(c->timer);
    msnp_parser_free(c->parser);
    free(c);
}

void conn_hold(conn *c)
{
    c->holds++;
}

void conn_release(conn *c)
{
    if (c->holds > 0)
        c->holds--;
    if (c->holds == 0 && !c->closed && !c->closing)
        conn_pump(c);
}

void conn_set_timer(conn *c, unsigned ms, void (*cb)(conn *c))
{
    if (c->closed || c->closing)
        return;
    c->timer_cb = cb;
    if (ms == 0) {
        evtimer_del(c->timer);
        return;
    }
    struct timeval tv = { ms / 1000, (long)(ms % 1000) * 1000 };
    evtimer_add(c->timer, &tv);
}

/* Moves at most FEED_CHUNK bytes from the socket buffer into the parser.
 * Returns the number moved, or -1 on a parser error. */
static long feed_parser(conn *c)
{
    struct evbuffer *in = bufferevent_get_input(c->bev);
    size_t avail = evbuffer_get_length(in);
    if (avail == 0)
        return 0;
    size_t take = avail < FEED_CHUNK ? avail : FEED_CHUNK;
    unsigned char *p = evbuffer_pullup(in, (ev_ssize_t)take);
    if (!p || msnp_parser_feed(c->parser, p, take) != MSNP_OK)
        return -1;
    evbuffer_drain(in, take);
    return (long)take;
}

/* Dispatches every complete command until the input runs dry, the role
 * holds the connection, or it closes. */
static void conn_pump(conn *c)
{
    if (c->in_pump || c->closed)
        return;
    c->in_pump = true;
    conn_ref(c);
    while (!c->closing && !c->closed && c->holds == 0) {
        msnp_cmd cmd;
        int rc = msnp_parser_next(c->parser, &cmd);
        if (rc == 1) {
            c->handler->on_command(c, &cmd);
            continue;
        }
        if (rc < 0) {
            log_info("conn %llu (%s:%u): protocol error: %s", (unsigned long long)c->id,
                     c->peer_ip, c->peer_port, msnp_status_string(rc));
            conn_abort(c, msnp_status_string(rc));
            break;
        }
        long moved = feed_parser(c);
        if (moved < 0) {
            conn_abort(c, "input buffer");
            break;
        }
        if (moved == 0) {
            /* Idle: give the parser's buffer back (most sessions are idle
             * most of the time; see BENCHMARKS.md, memory per user). */
            msnp_parser_trim(c->parser);
            break;
        }
    }
    /* Paused: stop reading so unread input stays in the kernel (TCP flow
     * control) instead of piling up here. */
    if (!c->closed && !c->closing) {
        if (c->holds > 0)
            bufferevent_disable(c->bev, EV_READ);
        else
            bufferevent_enable(c->bev, EV_READ);
    }
    c->in_pump = false;
    conn_unref(c);
}
