/*
 * loop.h - msgr-bench's event loop: epoll over non-blocking sockets, a
 * monotonic clock, deferred frees and a list of connections whose queued
 * output is flushed once per iteration (so a burst of commands for one
 * socket costs one write).
 *
 * One loop per thread; nothing here is thread-safe.
 */
#ifndef BENCH_LOOP_H
#define BENCH_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct bench_loop bench_loop;

/* Called with the epoll event bits of a registered descriptor. */
typedef void (*loop_fd_cb)(void *ud, uint32_t events);

/* Called once per iteration for every object queued with loop_mark_dirty(). */
typedef void (*loop_flush_cb)(void *ud);

/* What a registration points at; owned by the registered object so it
 * lives exactly as long as the object. */
typedef struct loop_handle {
    loop_fd_cb cb;
    void *ud;
} loop_handle;

/* Nanoseconds of CLOCK_MONOTONIC (the clock also used for message
 * timestamps, so sender and receiver on this host agree). */
uint64_t loop_now_ns(void);

/* A new loop, or NULL. */
bench_loop *loop_new(void);
/* Frees the loop after running pending deferred frees. NULL is a no-op. */
void loop_free(bench_loop *l);

/* Registers fd for events (EPOLLIN, EPOLLOUT, ...). Returns 0 or -1. */
int loop_add(bench_loop *l, int fd, uint32_t events, loop_handle *h);
/* Changes the events of a registered fd. Returns 0 or -1. */
int loop_mod(bench_loop *l, int fd, uint32_t events, loop_handle *h);
/* Unregisters fd (before closing it). */
void loop_del(bench_loop *l, int fd);

/* Frees ptr with fn after the current batch of events has been handled,
 * so an event already fetched for ptr never touches freed memory. The
 * object must have unregistered its fd and be marked dead so that its
 * callbacks ignore late events. Returns 0, or -1 if out of memory (then
 * fn ran at once: callers only defer objects no later event can reach). */
int loop_defer_free(bench_loop *l, void *ptr, void (*fn)(void *));

/* Queues ud for one flush callback at the end of this iteration; *flag
 * (owned by ud) prevents queueing it twice. */
void loop_mark_dirty(bench_loop *l, bool *flag, loop_flush_cb cb, void *ud);

/* Waits at most timeout_ms for events, dispatches them, runs the flush
 * list and the deferred frees. Returns the number of events or -1. */
int loop_run_once(bench_loop *l, int timeout_ms);

#endif
