/*
 * storeq.h - running store calls off the event loop.
 *
 * One worker thread owns one store handle; jobs run in submission order,
 * and their done() callbacks come back on the loop thread in the same
 * order, so two changes from one client are applied and answered in the
 * order sent, and the reply goes out only after the change is durable.
 */
#ifndef MSGRD_STOREQ_H
#define MSGRD_STOREQ_H

#include "store.h"

struct server;

/* work() runs on the store thread with its handle (NULL if the store
 * could not be opened there: report STORE_E_IO); done() runs on the loop. */
typedef void (*storeq_work_fn)(store *st, void *arg);
typedef void (*storeq_done_fn)(void *arg);

/* Starts the store thread. Returns 0 or -1. */
int storeq_start(struct server *srv);
void storeq_stop(struct server *srv);

/* Queues a job. Returns 0, or -1 (then neither function is called). */
int storeq_submit(struct server *srv, storeq_work_fn work, storeq_done_fn done, void *arg);

#endif
