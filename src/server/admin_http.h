/*
 * admin_http.h - msgrd's administration endpoint: plain HTTP on its own
 * listener (admin-listen, loopback by default), every request authenticated
 * with the token in DATA_DIR/admin-token ("Authorization: Bearer TOKEN").
 *
 *   POST /alert   form fields user, text, [url]: sends an MSN Alert (NOT)
 *                 to a signed-in user. 200 delivered, 404 not signed in,
 *                 400 bad fields, 401 bad token.
 *   GET /status   200, "online N" (signed-in users).
 *
 * The token file is created (32 random bytes, hex, mode 0600) on first
 * start, and the bound address is written to DATA_DIR/admin-address on
 * every start (the default port is 0, any free one); `msgrd alert send`
 * reads both from the same data directory.
 */
#ifndef MSGRD_ADMIN_HTTP_H
#define MSGRD_ADMIN_HTTP_H

#include <stddef.h>

struct server;
typedef struct admin_server admin_server;

/* Starts the endpoint; NULL with *err (malloc'd) on failure. */
admin_server *admin_server_new(struct server *srv, char **err);
/* The bound HOST:PORT. */
const char *admin_server_address(const admin_server *a);
void admin_server_free(admin_server *a);

/* Reads (creating if needed when create is non-zero) the admin token of
 * data_dir into out (65 bytes: 64 hex digits and NUL). Returns 0 or -1. */
int admin_token_load(const char *data_dir, int create, char out[65]);

/* Reads DATA_DIR/admin-address into out (size len). Returns 0 or -1. */
int admin_address_load(const char *data_dir, char *out, size_t len);

#endif
