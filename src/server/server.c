/* server.c - the msgrd process: loop, listeners, shutdown (server.h). */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <sodium.h>

#include "admin_http.h"
#include "conn.h"
#include "log.h"
#include "msnp_write.h"
#include "ns.h"
#include "passport_http.h"
#include "storeq.h"
#include "strmap.h"
#include "switchboard.h"
#include "tickets.h"

#define SHUTDOWN_GRACE_MS 3000

int64_t server_unix_time(void)
{
    return (int64_t)time(NULL);
}

uint64_t server_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* -------------------------------------------------- first command */

/* A connection's first command decides its role (DESIGN.md 2). */
static void first_command(conn *c, const msnp_cmd *cmd)
{
    conn_set_timer(c, 0, NULL);
    if (!strcmp(cmd->code, "VER") && cmd->has_trid)
        ns_start(c, cmd);
    else if ((!strcmp(cmd->code, "USR") || !strcmp(cmd->code, "ANS")) && cmd->has_trid)
        sb_start(c, cmd);
    else
        conn_abort(c, "unexpected first command");
}

static const conn_handler new_handler = { first_command, NULL };

static void first_command_timeout(conn *c)
{
    conn_abort(c, "no first command");
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
                      int salen, void *arg)
{
    (void)l;
    server *srv = arg;
    if (srv->stopping) {
        evutil_closesocket(fd);
        return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    conn *c = conn_new(srv, fd, sa, salen);
    if (!c)
        return;
    c->handler = &new_handler;
    conn_set_timer(c, srv->cfg->login_timeout * 1000u, first_command_timeout);
}

static void on_accept_error(struct evconnlistener *l, void *arg)
{
    (void)l;
    (void)arg;
    /* EMFILE and friends: keep running; the listener retries. */
    log_warn("accept: %s", strerror(errno));
}

/* ------------------------------------------------------------ set-up */

static int bind_msnp(server *srv)
{
    char *host = NULL;
    unsigned port;
    if (config_split_hostport(srv->cfg->listen, &host, &port) != 0) {
        fprintf(stderr, "msgrd: --listen '%s' is not HOST:PORT\n", srv->cfg->listen);
        return -1;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    int sslen;
    struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        sslen = sizeof *in4;
    } else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        sslen = sizeof *in6;
    } else {
        fprintf(stderr, "msgrd: --listen '%s': not a numeric address\n", srv->cfg->listen);
        free(host);
        return -1;
    }
    free(host);
    srv->listener = evconnlistener_new_bind(srv->base, on_accept, srv,
                                            LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 1024,
                                            (struct sockaddr *)&ss, sslen);
    if (!srv->listener) {
        fprintf(stderr, "msgrd: cannot listen on %s: %s\n", srv->cfg->listen, strerror(errno));
        return -1;
    }
    evconnlistener_set_error_cb(srv->listener, on_accept_error);
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    getsockname(evconnlistener_get_fd(srv->listener), (struct sockaddr *)&bound, &blen);
    char ip[64];
    unsigned bport;
    if (bound.ss_family == AF_INET6) {
        struct sockaddr_in6 *b6 = (struct sockaddr_in6 *)&bound;
        inet_ntop(AF_INET6, &b6->sin6_addr, ip, sizeof ip);
        bport = ntohs(b6->sin6_port);
        snprintf(srv->msnp_addr, sizeof srv->msnp_addr, "[%s]:%u", ip, bport);
    } else {
        struct sockaddr_in *b4 = (struct sockaddr_in *)&bound;
        inet_ntop(AF_INET, &b4->sin_addr, ip, sizeof ip);
        bport = ntohs(b4->sin_port);
        snprintf(srv->msnp_addr, sizeof srv->msnp_addr, "%s:%u", ip, bport);
    }
    snprintf(srv->public_addr, sizeof srv->public_addr, "%s",
             srv->cfg->public_address ? srv->cfg->public_address : srv->msnp_addr);
    return 0;
}

/* Opens the store once at start-up, so a bad data dir or a newer schema
 * fails loudly now rather than on the first login. */
static int check_store(server *srv)
{
    if (mkdir(srv->cfg->data_dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "msgrd: cannot create %s: %s\n", srv->cfg->data_dir, strerror(errno));
        return -1;
    }
    store *st = NULL;
    char *err = NULL;
    if (store_open(srv->cfg->data_dir, &srv->store_opts, &st, &err) != 0) {
        fprintf(stderr, "msgrd: store: %s\n", err ? err : "cannot open");
        free(err);
        return -1;
    }
    store_close(st);
    return 0;
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    server *srv = arg;
    log_info("signal %d: shutting down", (int)sig);
    server_shutdown(srv);
}

server *server_new(msgrd_config *cfg)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "msgrd: libsodium failed to initialise\n");
        return NULL;
    }
    evthread_use_pthreads();
    server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return NULL;
    srv->cfg = cfg;
    srv->limits = (store_limits){ cfg->fl_limit, cfg->al_limit, cfg->bl_limit, cfg->rl_limit };
    srv->store_opts.sync = strcmp(cfg->sync_mode, "normal") == 0 ? STORE_SYNC_NORMAL : STORE_SYNC_FULL;
    srv->base = event_base_new();
    srv->online = strmap_new();
    srv->tickets = tickets_new(cfg->ticket_ttl);
    if (!srv->base || !srv->online || !srv->tickets || sb_init(srv) != 0) {
        fprintf(stderr, "msgrd: out of memory\n");
        server_free(srv);
        return NULL;
    }
    if (check_store(srv) != 0 || bind_msnp(srv) != 0) {
        server_free(srv);
        return NULL;
    }
    char *err = NULL;
    srv->passport = passport_server_new(srv->base, cfg, srv->tickets, &err);
    if (!srv->passport) {
        fprintf(stderr, "msgrd: login endpoint: %s\n", err ? err : "cannot start");
        free(err);
        server_free(srv);
        return NULL;
    }
    if (strcmp(cfg->admin_listen, "off") != 0) {
        srv->admin = admin_server_new(srv, &err);
        if (!srv->admin) {
            fprintf(stderr, "msgrd: admin endpoint: %s\n", err ? err : "cannot start");
            free(err);
            server_free(srv);
            return NULL;
        }
    }
    if (storeq_start(srv) != 0) {
        fprintf(stderr, "msgrd: cannot start the store thread\n");
        server_free(srv);
        return NULL;
    }
    srv->sig_term = evsignal_new(srv->base, SIGTERM, on_signal, srv);
    srv->sig_int = evsignal_new(srv->base, SIGINT, on_signal, srv);
    evsignal_add(srv->sig_term, NULL);
    evsignal_add(srv->sig_int, NULL);
    signal(SIGPIPE, SIG_IGN);

    const char *fp = passport_server_fingerprint(srv->passport);
    if (fp)
        printf("msgrd: certificate sha256 fingerprint %s\n", fp);
    printf("msgrd: msnp listening on %s\n", srv->msnp_addr);
    printf("msgrd: login listening on %s://%s\n", cfg->plain_login ? "http" : "https",
           passport_server_address(srv->passport));
    if (srv->admin)
        printf("msgrd: admin listening on http://%s\n", admin_server_address(srv->admin));
    printf("msgrd: ready\n");
    fflush(stdout);
    return srv;
}

/* ----------------------------------------------------------- shutdown */

static void check_drained(evutil_socket_t fd, short what, void *arg);

static void schedule_drain_check(server *srv)
{
    struct timeval tv = { 0, 50000 };
    event_base_once(srv->base, -1, EV_TIMEOUT, check_drained, srv, &tv);
}

static uint64_t shutdown_deadline;

static void check_drained(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    server *srv = arg;
    if (!srv->conns || server_mono_ms() >= shutdown_deadline) {
        event_base_loopbreak(srv->base);
        return;
    }
    schedule_drain_check(srv);
}

void server_shutdown(server *s)
{
    if (s->stopping)
        return;
    s->stopping = true;
    if (s->listener)
        evconnlistener_disable(s->listener);
    msnp_buf out = MSNP_BUF_INIT;
    msnp_write_out(&out, "SSD");
    for (conn *c = s->conns, *next; c; c = next) {
        next = c->next;
        if (c->role == CONN_NS && c->role_data && ((ns_session *)c->role_data)->registered)
            conn_send(c, &out);
        conn_close(c, "shutdown");
    }
    msnp_buf_free(&out);
    shutdown_deadline = server_mono_ms() + SHUTDOWN_GRACE_MS;
    schedule_drain_check(s);
}

int server_run(server *s)
{
    event_base_dispatch(s->base);
    return 0;
}

void server_free(server *s)
{
    if (!s)
        return;
    s->stopping = true;
    while (s->conns)
        conn_abort(s->conns, "exit");
    if (s->storeq)
        storeq_stop(s);
    if (s->passport)
        passport_server_free(s->passport);
    admin_server_free(s->admin);
    if (s->listener)
        evconnlistener_free(s->listener);
    if (s->sig_term)
        event_free(s->sig_term);
    if (s->sig_int)
        event_free(s->sig_int);
    sb_shutdown(s);
    if (s->tickets)
        tickets_free(s->tickets);
    strmap_free(s->online);
    if (s->base) {
        /* libevent defers some frees (bufferevents of connections still
         * open at exit) to the loop: let them run. */
        event_base_loop(s->base, EVLOOP_NONBLOCK);
        event_base_free(s->base);
    }
    free(s);
}
