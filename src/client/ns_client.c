/*
 * ns_client.c - the notification-server connection: a non-blocking TCP
 * socket, the codec's stream parser (MSNP_FROM_SERVER), an output buffer,
 * the TrID allocator and the table of outstanding requests (msnp.md 1.3,
 * 1.6). It knows nothing about what the commands mean; session.c does.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"

#define NS_READ_CHUNK 16384

void ns_init(ns_conn *ns)
{
    memset(ns, 0, sizeof *ns);
    ns->fd = -1;
    msnp_buf_init(&ns->out);
}

static int set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL, 0);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Starts a non-blocking connect to host:port. Host names are resolved
 * with getaddrinfo(), which may block for a DNS lookup (numeric addresses
 * never do; see docs/libmsgr.md). Returns 0 or -1. */
int ns_connect(ns_conn *ns, const char *host, uint16_t port)
{
    ns_close(ns);
    char service[8];
    snprintf(service, sizeof service, "%u", (unsigned)port);
    struct addrinfo hints = { 0 }, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, service, &hints, &res) != 0 || !res)
        return -1;
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd < 0 || set_nonblocking(fd) != 0) {
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return -1;
    }
    int rc = connect(fd, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (rc != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    msnp_parser_config cfg = { 0 };
    cfg.direction = MSNP_FROM_SERVER;
    ns->parser = msnp_parser_new(&cfg);
    if (!ns->parser) {
        close(fd);
        return -1;
    }
    ns->fd = fd;
    ns->connecting = true;
    ns->next_trid = 1; /* msnp.md 1.3: start at 1 on each connection */
    return 0;
}

/* Local server mode, attached side: a non-blocking connect to the serving
 * messenger's Unix socket. A local connect completes or fails at once
 * (EAGAIN means a full backlog: a failure too), so the server's identity
 * can be checked here: it must run as our own user (SO_PEERCRED), or it
 * could be someone else's socket put in the path to collect our commands.
 * The socket then goes through the same "connecting" step as TCP, so
 * session.c starts with VER when it is writable. Returns 0 or -1. */
int ns_connect_unix(ns_conn *ns, const char *path)
{
    ns_close(ns);
    struct sockaddr_un sa;
    size_t len = path ? strlen(path) : 0;
    if (len == 0 || len >= sizeof sa.sun_path)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, len + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    msnp_parser_config cfg = { 0 };
    cfg.direction = MSNP_FROM_SERVER;
    if (set_nonblocking(fd) != 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 ||
        connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        !local_peer_uid_is(fd, geteuid()) || !(ns->parser = msnp_parser_new(&cfg))) {
        close(fd);
        return -1;
    }
    ns->fd = fd;
    ns->connecting = true;
    ns->next_trid = 1;
    return 0;
}

void ns_request_clear(request *r)
{
    obj_unref(r->contact);
    obj_unref(r->group);
    obj_unref(r->window);
    obj_unref(r->owner);
    free(r->text);
    memset(r, 0, sizeof *r);
}

void ns_close(ns_conn *ns)
{
    if (ns->fd >= 0)
        close(ns->fd);
    ns->fd = -1;
    ns->connecting = false;
    msnp_parser_free(ns->parser);
    ns->parser = NULL;
    msnp_buf_reset(&ns->out);
    ns->out_off = 0;
    for (size_t i = 0; i < ns->nreqs; i++)
        ns_request_clear(&ns->reqs[i]);
    ns->nreqs = 0;
}

uint32_t ns_trid(ns_conn *ns)
{
    uint32_t t = ns->next_trid++;
    if (ns->next_trid == 0)
        ns->next_trid = 1; /* never 0: servers use it for async lines */
    return t;
}

/* Remembers an outstanding request so that its reply (or error) can be
 * matched by TrID. References c and g while outstanding. */
int ns_track(ns_conn *ns, uint32_t trid, req_kind kind, msgr_contact *c,
             msgr_group *g, int flag, const char *text)
{
    if (ns->nreqs == ns->capreqs) {
        size_t cap = ns->capreqs ? ns->capreqs * 2 : 16;
        request *r = realloc(ns->reqs, cap * sizeof *r);
        if (!r)
            return -1;
        ns->reqs = r;
        ns->capreqs = cap;
    }
    request *r = &ns->reqs[ns->nreqs];
    memset(r, 0, sizeof *r);
    r->text = text ? msgr_strdup(text) : NULL;
    if (text && !r->text)
        return -1;
    r->trid = trid;
    r->kind = kind;
    r->contact = c;
    r->group = g;
    r->flag = flag;
    obj_ref(c);
    obj_ref(g);
    ns->nreqs++;
    return 0;
}

/* Same as ns_track() for a request about a conversation window. */
int ns_track_window(ns_conn *ns, uint32_t trid, req_kind kind, msgr_window *w)
{
    if (ns_track(ns, trid, kind, NULL, NULL, 0, NULL) != 0)
        return -1;
    ns->reqs[ns->nreqs - 1].window = w;
    obj_ref(w);
    return 0;
}

void ns_track_owner(ns_conn *ns, msgr_obj *owner)
{
    if (ns->nreqs == 0)
        return;
    ns->reqs[ns->nreqs - 1].owner = owner;
    obj_ref(owner);
}

/* Removes the request with that TrID from the table into *out (the caller
 * then owns its references; ns_request_clear() drops them). */
bool ns_take(ns_conn *ns, uint32_t trid, request *out)
{
    for (size_t i = 0; i < ns->nreqs; i++) {
        if (ns->reqs[i].trid != trid)
            continue;
        *out = ns->reqs[i];
        memmove(&ns->reqs[i], &ns->reqs[i + 1],
                (ns->nreqs - i - 1) * sizeof ns->reqs[0]);
        ns->nreqs--;
        return true;
    }
    memset(out, 0, sizeof *out);
    return false;
}

bool ns_wants_write(const ns_conn *ns)
{
    return ns->fd >= 0 && (ns->connecting || ns->out_off < ns->out.len);
}

/* Writes as much queued output as the socket takes. */
static int write_pending(ns_conn *ns)
{
    while (ns->out_off < ns->out.len) {
        ssize_t n = send(ns->fd, ns->out.data + ns->out_off,
                         ns->out.len - ns->out_off, MSG_NOSIGNAL);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR
                       ? NS_IO_OK : NS_IO_ERROR;
        ns->out_off += (size_t)n;
    }
    msnp_buf_reset(&ns->out);
    ns->out_off = 0;
    return NS_IO_OK;
}

void ns_flush_out(ns_conn *ns)
{
    if (ns->fd >= 0 && !ns->connecting)
        (void)write_pending(ns);
}

/* Reads one chunk into the parser. Returns the number of bytes read (> 0),
 * 0 when nothing is available now, NS_IO_CLOSED or NS_IO_ERROR. The
 * caller drains the parser between calls, so the parser's buffer limit
 * holds however much the server sends at once. */
int ns_read_some(ns_conn *ns)
{
    char buf[NS_READ_CHUNK];
    if (ns->fd < 0 || ns->connecting)
        return 0;
    ssize_t n = recv(ns->fd, buf, sizeof buf, 0);
    if (n == 0)
        return NS_IO_CLOSED;
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR
                   ? 0 : NS_IO_ERROR;
    if (msnp_parser_feed(ns->parser, buf, (size_t)n) != MSNP_OK)
        return NS_IO_ERROR; /* more than one maximal command unparsed */
    return (int)n;
}

/* Drives the socket's write side: finishes connect() and writes queued
 * output. *connected is set when the connection just became usable. */
int ns_io(ns_conn *ns, bool readable, bool writable, bool *connected)
{
    *connected = false;
    if (ns->fd < 0)
        return NS_IO_OK;
    if (ns->connecting) {
        if (!writable && !readable)
            return NS_IO_OK;
        int err = 0;
        socklen_t len = sizeof err;
        if (getsockopt(ns->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err)
            return NS_IO_ERROR;
        ns->connecting = false;
        *connected = true;
        int one = 1;
        (void)setsockopt(ns->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        return NS_IO_OK;
    }
    if (writable && write_pending(ns) != NS_IO_OK)
        return NS_IO_ERROR;
    return NS_IO_OK;
}
