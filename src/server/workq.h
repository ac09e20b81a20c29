/*
 * workq.h - a pool of worker threads whose results come back on the
 * libevent loop thread.
 *
 * msgrd's loop never blocks: password hashing and store transactions run
 * here. A job is two functions: work() on a worker thread, then done() on
 * the loop thread that owns the event_base. Jobs are started in submission
 * order; with one thread they also finish in that order, which is what the
 * store queue relies on (a user's changes are applied in the order sent).
 *
 * Each worker thread may carry private state (for example its own SQLite
 * connection): thread_init() runs once on the thread before any job and
 * its result is passed to every work() on that thread.
 *
 * The event_base must have been created after evthread_use_pthreads().
 */
#ifndef MSGRD_WORKQ_H
#define MSGRD_WORKQ_H

#include <event2/event.h>

typedef struct workq workq;

/* Runs on a worker thread. thread_state is what thread_init returned. */
typedef void (*workq_work_fn)(void *thread_state, void *arg);
/* Runs on the loop thread after work(); owns arg from then on. */
typedef void (*workq_done_fn)(void *arg);
/* Per-thread set-up and tear-down; both may be NULL. A NULL return from
 * thread_init is allowed and passed on as is. */
typedef void *(*workq_thread_init_fn)(void *ctx);
typedef void (*workq_thread_fini_fn)(void *thread_state, void *ctx);

/* Starts nthreads (>= 1) threads. Returns NULL on failure. */
workq *workq_new(struct event_base *base, unsigned nthreads,
                 workq_thread_init_fn init, workq_thread_fini_fn fini, void *ctx);

/* Queues a job. work may be NULL (done() then just runs on the loop later).
 * Returns 0, or -1 when out of memory or the queue is shutting down. */
int workq_submit(workq *q, workq_work_fn work, workq_done_fn done, void *arg);

/* Jobs queued or running, not yet completed on the loop thread. */
unsigned workq_pending(const workq *q);

/* Finishes every queued job (work and done, done running on the calling
 * thread, which must be the loop thread), stops the threads and frees q. */
void workq_free(workq *q);

#endif
