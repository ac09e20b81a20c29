/*
 * tickets.h - Passport tickets issued by the login endpoint and redeemed
 * by the notification server in "USR TWN S" (msnp.md 2.4, 2.6.3).
 *
 * A ticket is "t=<token>&p=<token>": each token is TICKETS_TOKEN_LEN
 * characters of [A-Za-z0-9!*] made from 256 random bits (libsodium), so
 * it contains no quote, comma or space and survives from-PP='...'. Only
 * the t token is checked (the p token is opaque profile data, like the
 * original service's). A ticket is bound to the lower-cased handle it was
 * issued for, expires ttl seconds after issue and is single-use: any
 * presentation, right or wrong handle, removes it.
 *
 * Memory stays bounded: expired tickets are dropped lazily (oldest first)
 * on every issue and consume, and when the outstanding count reaches the
 * cap (TICKETS_DEFAULT_MAX unless changed) the oldest ticket is dropped to
 * make room.
 *
 * Not thread-safe: msgrd uses one tickets object on the loop thread only.
 */
#ifndef MSGRD_TICKETS_H
#define MSGRD_TICKETS_H

#include <stddef.h>
#include <stdint.h>

typedef struct tickets tickets;

/* Characters in each token: ceil(256 / 6) for 32 random bytes. */
#define TICKETS_TOKEN_LEN 43
/* Outstanding tickets kept at most, unless tickets_set_max() says other. */
#define TICKETS_DEFAULT_MAX 1000000
/* Longest handle a ticket can be issued for, in bytes. */
#define TICKETS_MAX_HANDLE 255

/* A clock in seconds; only differences matter. ctx is what was given to
 * tickets_set_clock(). */
typedef int64_t (*tickets_clock_fn)(void *ctx);

/* New, empty set whose tickets live ttl_seconds (0 is treated as 1).
 * The clock is CLOCK_MONOTONIC. Returns NULL when out of memory or when
 * libsodium cannot be initialised. Free with tickets_free(). */
tickets *tickets_new(unsigned ttl_seconds);

/* Frees tk and every outstanding ticket. NULL is a no-op. */
void tickets_free(tickets *tk);

/* Replaces the clock (tests). fn NULL restores CLOCK_MONOTONIC. */
void tickets_set_clock(tickets *tk, tickets_clock_fn fn, void *ctx);

/* Changes the cap on outstanding tickets (0 is treated as 1); tickets
 * beyond it are dropped at once, oldest first. */
void tickets_set_max(tickets *tk, size_t max);

/* Issues a ticket for handle (non-empty, at most TICKETS_MAX_HANDLE
 * bytes; kept lower-cased, ASCII). On success *ticket_out is the malloc'd
 * "t=...&p=..." string (caller frees). Returns 0, or -1 (bad handle, out
 * of memory) with *ticket_out NULL. */
int tickets_issue(tickets *tk, const char *handle, char **ticket_out);

/* Redeems a ticket for handle (compared case-insensitively, ASCII).
 * ticket may be the full "t=...&p=...", "t=..." or the bare t token.
 * Returns 0 if it was issued for that handle, has not expired and was not
 * used before; -1 otherwise (unknown, malformed, expired, reused, issued
 * for another handle). Either way a ticket found is removed. */
int tickets_consume(tickets *tk, const char *ticket, const char *handle);

/* Outstanding tickets, expired ones not yet dropped included. */
size_t tickets_count(const tickets *tk);

#endif
