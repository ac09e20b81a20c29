/*
 * mconn.h - one client-side MSNP connection (NS or SB) on the bench loop:
 * non-blocking connect, server bytes through the codec's stream parser
 * (MSNP_FROM_SERVER), commands out through a msnp_buf that is written
 * once per loop iteration.
 *
 * Callers write commands with the codec's msnp_write_* functions into
 * mconn_out() and then call mconn_queued(). on_close runs exactly once
 * (error, EOF, parser error or mconn_close), after which the connection
 * is freed by the loop; the owner must drop its pointer in on_close.
 */
#ifndef BENCH_MCONN_H
#define BENCH_MCONN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "loop.h"
#include "msnp_buf.h"
#include "msnp_parser.h"

typedef struct mconn mconn;

/* Why a connection ended. */
typedef enum mconn_end {
    MCONN_END_LOCAL = 0, /* mconn_close() */
    MCONN_END_EOF,       /* the server closed */
    MCONN_END_CONNECT,   /* connect failed */
    MCONN_END_IO,        /* read/write error */
    MCONN_END_PROTOCOL,  /* the parser rejected the server's bytes */
} mconn_end;

typedef struct mconn_ops {
    void (*on_connect)(mconn *c, void *ud);                  /* may be NULL */
    void (*on_cmd)(mconn *c, const msnp_cmd *cmd, void *ud); /* one command */
    void (*on_close)(mconn *c, mconn_end why, void *ud);     /* once */
} mconn_ops;

/* Starts connecting to dst from source address index source (see
 * net_connect). Returns NULL if the socket could not even be created. */
mconn *mconn_open(bench_loop *l, const struct sockaddr_in *dst, unsigned source,
                  unsigned nsources, const mconn_ops *ops, void *ud);

/* The output buffer to append commands to (valid until close). */
msnp_buf *mconn_out(mconn *c);
/* Schedules a write of what was appended (at the end of this iteration). */
void mconn_queued(mconn *c);
/* Next TrID for this connection (1, 2, ...). */
uint32_t mconn_trid(mconn *c);
/* Closes at once (queued output is dropped); on_close runs with
 * MCONN_END_LOCAL. Safe to call from any callback, also twice. */
void mconn_close(mconn *c);
/* True until the connection has ended. */
bool mconn_alive(const mconn *c);
/* Bytes queued but not yet written. */
size_t mconn_pending(const mconn *c);

#endif
