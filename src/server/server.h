/*
 * server.h - the msgrd process: event loop, MSNP listener, Passport
 * endpoint, store queue, and the registries that NS and SB share
 * (signed-in users, switchboard cookies and sessions).
 */
#ifndef MSGRD_SERVER_H
#define MSGRD_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "store.h"

struct event_base;
struct evconnlistener;
struct event;
struct workq;
struct strmap;
struct tickets;
struct passport_server;
struct admin_server;
struct conn;
struct sb_state;

typedef struct server {
    struct event_base *base;
    msgrd_config *cfg;
    store_limits limits;
    store_options store_opts;
    struct evconnlistener *listener;
    char msnp_addr[80];     /* bound MSNP address, HOST:PORT */
    char public_addr[160];  /* address handed out in XFR / RNG */
    struct passport_server *passport;
    struct admin_server *admin; /* NULL when admin-listen is off */
    struct tickets *tickets;
    struct workq *storeq;   /* one thread: store jobs in submission order */
    struct strmap *online;  /* lower-case handle -> ns_session (signed in) */
    struct sb_state *sb;    /* switchboard registries (switchboard.c) */
    struct conn *conns;     /* every open connection */
    uint64_t next_conn_id;
    struct event *sig_term, *sig_int;
    bool stopping;
} server;

/* Builds everything from cfg (which must outlive the server), binding the
 * listeners and printing the startup lines. Returns NULL with a message on
 * stderr on failure. */
server *server_new(msgrd_config *cfg);
/* Runs the loop until SIGTERM/SIGINT; returns the exit status. */
int server_run(server *s);
void server_free(server *s);

/* Sign everyone out with OUT SSD and stop the loop once output is flushed. */
void server_shutdown(server *s);

/* Current Unix time / monotonic milliseconds. */
int64_t server_unix_time(void);
uint64_t server_mono_ms(void);

#endif
