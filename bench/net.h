/*
 * net.h - loopback-only addressing for msgr-bench: parsing HOST:PORT,
 * non-blocking connects spread over several 127.0.0.x source addresses,
 * and the descriptor limit.
 *
 * Every destination must be in 127.0.0.0/8: the benchmark never touches
 * a real network.
 */
#ifndef BENCH_NET_H
#define BENCH_NET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

/* Parses "a.b.c.d:port" into out. Returns 0, or -1 for anything that is
 * not a numeric IPv4 loopback address with a port 1..65535. */
int net_parse_loopback(const char *s, struct sockaddr_in *out);

/* Formats addr as "a.b.c.d:port" into buf. */
void net_format(const struct sockaddr_in *addr, char *buf, size_t len);

/* Opens a non-blocking TCP socket bound to source address 127.0.0.(1 +
 * source % nsources) (any port, chosen at connect time together with the
 * destination, so each source address has its own 64k ports), and starts
 * connecting it to dst. Returns the descriptor (connection in progress or
 * done) or -1 with errno set. */
int net_connect(const struct sockaddr_in *dst, unsigned source, unsigned nsources);

/* Result of a non-blocking connect once the socket is writable: 0 when
 * connected, otherwise the socket error. */
int net_connect_result(int fd);

/* Raises the soft RLIMIT_NOFILE to the hard limit. Returns the new soft
 * limit (or the old one if it could not be raised). */
unsigned long net_raise_nofile(void);

#endif
