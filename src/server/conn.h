/*
 * conn.h - one MSNP TCP connection: bytes in through the codec's stream
 * parser, commands out to the role's handler, bounded output.
 *
 * NS and SB share the MSNP port (DESIGN.md 2): the first command decides
 * the role (VER = notification session, USR/ANS = switchboard). A role
 * handler may pause the connection while a store job runs (conn_hold /
 * conn_release): no further command is dispatched until it is released, so
 * a client's commands take effect in the order sent.
 *
 * Lifetime: a conn is freed only from the event loop after it is closed
 * and nobody holds a reference (conn_ref / conn_unref), so a pointer kept
 * by an asynchronous job stays valid; check conn_is_open() before using it.
 */
#ifndef MSGRD_CONN_H
#define MSGRD_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msnp_buf.h"
#include "msnp_parser.h"

struct server;
struct bufferevent;
struct sockaddr;
struct event;

typedef enum conn_role { CONN_NEW = 0, CONN_NS, CONN_SB } conn_role;

typedef struct conn conn;

/* What a role does with its connections. All callbacks run on the loop. */
typedef struct conn_handler {
    /* One complete command. */
    void (*on_command)(conn *c, const msnp_cmd *cmd);
    /* The connection is closing (any cause); release role state. Called
     * exactly once, before the conn is freed. */
    void (*on_close)(conn *c);
} conn_handler;

struct conn {
    struct server *srv;
    struct bufferevent *bev;
    msnp_parser *parser;
    conn_role role;
    const conn_handler *handler;
    void *role_data;          /* the role's per-connection state */
    char peer_ip[64];
    unsigned peer_port;
    char local_ip[64];
    unsigned local_port;
    uint64_t id;              /* unique per process, for logs */
    int holds;                /* conn_hold() depth: dispatch paused when > 0 */
    int refs;
    bool closing;             /* no more input; close when output is flushed */
    bool closed;              /* handler told; waiting for the last reference */
    bool in_pump;             /* re-entrancy guard */
    struct event *timer;      /* the role's single timer (see conn_set_timer) */
    void (*timer_cb)(conn *c);
    conn *prev, *next;        /* server's list of connections */
};

/* Wraps an accepted socket. Returns NULL (socket closed) on failure. */
conn *conn_new(struct server *srv, int fd, const struct sockaddr *peer, int peerlen);

/* Queues bytes for the peer. If more than the output limit is queued the
 * connection is dropped (a reader that never reads must not grow memory).
 * Returns 0, or -1 when the connection is closing or was just dropped. */
int conn_send(conn *c, const msnp_buf *b);
int conn_send_raw(conn *c, const void *data, size_t len);

/* Closes after queued output is flushed (bounded by a short timer). */
void conn_close(conn *c, const char *why);
/* Closes at once, dropping queued output. */
void conn_abort(conn *c, const char *why);
bool conn_is_open(const conn *c);

void conn_ref(conn *c);
void conn_unref(conn *c);

/* Pause / resume command dispatch (nesting). Release re-runs the pump. */
void conn_hold(conn *c);
void conn_release(conn *c);

/* (Re)arms the connection's timer to call cb after ms milliseconds;
 * ms == 0 disarms it. */
void conn_set_timer(conn *c, unsigned ms, void (*cb)(conn *c));

/* Bytes queued for the peer. */
size_t conn_output_pending(const conn *c);

#endif
