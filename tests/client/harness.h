/*
 * harness.h - what the libmsgr integration tests share: a real msgrd on
 * ephemeral loopback ports with a temporary data directory, a bounded
 * event pump over several messengers, and an event recorder.
 */
#ifndef MSGR_TEST_HARNESS_H
#define MSGR_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "msgr/msgr.h"

typedef struct msgrd {
    pid_t pid;
    char dir[256];       /* temporary data directory */
    char msnp[64];       /* "127.0.0.1:port" */
    char nexus[128];     /* "https://127.0.0.1:port/rdr/pprdr.asp" */
    char cert[300];      /* DIR/cert.pem */
    char cache[300];     /* DIR/client-cache (per test messenger: subdirs) */
} msgrd;

/* Creates the data dir, adds the users (NULL-terminated pairs email,
 * password) and starts msgrd; returns false (after cleaning up) on any
 * failure or if msgrd is not ready within 20 s. */
bool msgrd_start(msgrd *d, const char *const *users);
/* Same, and when dispatch_to is set msgrd runs as a dispatch node that
 * refers every client to that HOST:PORT (XFR NS). */
bool msgrd_start_with(msgrd *d, const char *const *users, const char *dispatch_to);
/* How msgrd_start_cfg() runs msgrd beyond the defaults. */
typedef struct msgrd_cfg {
    const char *dispatch_to;     /* --dispatch HOST:PORT, or NULL */
    bool admin;                  /* admin endpoint on 127.0.0.1:0 (default: off) */
    bool lock_and_key_off;       /* --lock-and-key=false */
    const char *const *apps;     /* NULL-terminated pairs id, key for
                                  * `msgrd app add` before the start; or NULL */
} msgrd_cfg;
/* msgrd_start_with() with every option; cfg NULL = the defaults. */
bool msgrd_start_cfg(msgrd *d, const char *const *users, const msgrd_cfg *cfg);
/* Runs `msgrd ARGS... --data-dir DIR` (an administration subcommand
 * against d, e.g. { "alert", "send", user, text, NULL }); true when it
 * exits with status 0 within 30 s. */
bool msgrd_admin(const msgrd *d, const char *const *args);
/* SIGTERM, wait (bounded), remove the data directory. */
void msgrd_stop(msgrd *d);

/* Options for a messenger against d with its own cache subdirectory. */
void msgrd_options(const msgrd *d, const char *tag, msgr_options *o,
                   char *cache, size_t cachecap);

/* Pumps the messengers until done(ud) is true or timeout_ms passes.
 * Returns done(ud)'s final value. */
bool pump(msgr_messenger *const *ms, size_t n, bool (*done)(void *),
          void *ud, int timeout_ms);
/* Pumps for a fixed time (to let stray events arrive). */
void pump_for(msgr_messenger *const *ms, size_t n, int ms_total);

/* ---- recorder: every event as one text line ------------------------------ */

#define REC_MAX 256
#define REC_LINE 160

typedef struct recorder {
    char lines[REC_MAX][REC_LINE];
    int n;
    msgr_window *last_window; /* referenced: the last window created */
    /* referenced: the transfer of the last file-transfer invitation or
     * state change */
    msgr_file_transfer *last_transfer;
    int ft_progress;          /* on_file_transfer_progress calls (not lines) */
    uint64_t ft_progress_done; /* bytes_done seen by the last one */
} recorder;

/* Drops the recorder's references (last_window, last_transfer). */
void rec_release_window(recorder *r);

/* The events table that writes into the recorder given as user_data. */
extern const msgr_messenger_events recorder_events;

/* Index of the first line at or after from starting with prefix, or -1. */
int rec_find(const recorder *r, int from, const char *prefix);
/* True when some line starts with prefix. */
bool rec_has(const recorder *r, const char *prefix);
void rec_dump(const recorder *r, const char *who);
void rec_clear(recorder *r);

/* For pump(): waits until the recorder has a line starting with prefix. */
typedef struct rec_wait {
    const recorder *r;
    const char *prefix;
} rec_wait;
bool rec_wait_done(void *ud);

/* Signs m in and waits for on_my_status_change(S_OK, ONLINE). */
bool signin_and_wait(msgr_messenger *const *all, size_t n, msgr_messenger *m,
                     recorder *r, const char *name, const char *password);

/* A stream socket connected to the Unix socket at path (blocking), or -1
 * (errno set; a path too long for a socket address is ENAMETOOLONG). */
int unix_connect(const char *path);

/* ---- duo: two messengers on one msgrd, the fixture most tests share ------ */

typedef struct duo {
    msgrd d;
    msgr_messenger *ms[2];   /* the first and second user of the list */
    recorder rec[2];         /* advised on ms[i] */
    char cache[2][400];
} duo;

/* How duo_start() goes beyond the defaults; every member may be 0. */
typedef struct duo_hooks {
    const msgrd_cfg *cfg;                                /* msgrd options */
    void (*options)(int i, msgr_options *o, void *ud);   /* before create */
    bool (*created)(int i, msgr_messenger *m, void *ud); /* more sinks */
    void *ud;
    bool no_signin;          /* leave both signed out */
} duo_hooks;

/* Starts msgrd with users (as msgrd_start; the first two accounts are the
 * duo's), creates both messengers with the recorder advised, and signs
 * both in (in list order) unless hooks say otherwise. false on any
 * failure. */
bool duo_start(duo *f, const char *const *users, const duo_hooks *hooks);
/* Releases both messengers (and the recorders' references), stops msgrd. */
void duo_stop(duo *f);
/* duo_stop(*state) as a cmocka group teardown; returns 0. */
int duo_teardown(void **state);
/* Pumps both until messenger who has an event line starting with prefix;
 * on a timeout (ms) dumps both recorders, says who missed what on stderr
 * and returns false. */
bool duo_wait(duo *f, int who, const char *prefix, int timeout_ms);

#endif
