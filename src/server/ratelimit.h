/*
 * ratelimit.h - failure counters keyed by string (an account, an address),
 * used to slow down password guessing at the login endpoint.
 *
 * Each key counts failures in a sliding window of window_seconds,
 * approximated the usual O(1) way: counts are kept for the current
 * fixed window and the previous one, and the previous count is weighted
 * by how much of it still overlaps the sliding window:
 *
 *   estimate = prev * (window - elapsed) / window + cur
 *
 * where elapsed is the time since the current fixed window began. A key is
 * blocked while estimate >= limit, so a steady attacker gets about limit
 * tries per window and a burst is held back for up to a window.
 *
 * Memory is bounded by max_keys: keys idle for two windows (estimate 0)
 * are dropped lazily, and when the table is full the key recorded least
 * recently is evicted to make room. Keys are hashed with a random
 * per-object SipHash key, so clients choosing keys (sign-in names) cannot
 * degrade the table.
 *
 * Times are seconds from any clock that does not go backwards (msgrd uses
 * CLOCK_MONOTONIC); tests pass their own. Not thread-safe: callers
 * serialise access (the login endpoint guards its limiters with a mutex).
 */
#ifndef MSGRD_RATELIMIT_H
#define MSGRD_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ratelimit ratelimit;

/* New, empty limiter: limit failures per window_seconds (0 is treated as
 * 1), at most max_keys keys (0 is treated as 1). limit 0 disables
 * blocking (ratelimit_blocked() is always false; failures are still
 * counted). Returns NULL when out of memory or libsodium cannot start.
 * Free with ratelimit_free(). */
ratelimit *ratelimit_new(unsigned limit, unsigned window_seconds, size_t max_keys);

/* Frees rl and every key. NULL is a no-op. */
void ratelimit_free(ratelimit *rl);

/* True if key (NUL-terminated, compared bytewise) has reached the limit at
 * time now. Never allocates; an unknown key is not blocked. */
bool ratelimit_blocked(const ratelimit *rl, const char *key, int64_t now);

/* Counts one failure for key at time now, adding the key if needed
 * (evicting the least recently recorded key when max_keys are held).
 * Returns 0, or -1 when out of memory (nothing counted). */
int ratelimit_record(ratelimit *rl, const char *key, int64_t now);

/* Forgets key (for example after a successful login). Unknown keys are a
 * no-op. */
void ratelimit_reset(ratelimit *rl, const char *key);

/* Keys currently held. */
size_t ratelimit_count(const ratelimit *rl);

#endif
