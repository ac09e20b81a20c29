/*
 * opts.h - msgr-bench's options: one table gives every option its
 * default, its parser and its help line.
 */
#ifndef BENCH_OPTS_H
#define BENCH_OPTS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct bench_opts {
    /* where */
    struct sockaddr_in ns;       /* --ns: MSNP server (NS and SB) */
    struct sockaddr_in login;    /* --login: Passport login endpoint */
    struct sockaddr_in nexus;    /* --nexus: optional nexus, finds the login URL */
    bool have_ns, have_login, have_nexus;
    char login_path[128];        /* --login-path, default /login2.srf */
    bool http;                   /* --http: Passport over plain HTTP */
    bool insecure;               /* --insecure: do not check the certificate */
    char *cafile;                /* --cafile */
    bool no_resume;              /* --no-resume: full TLS handshake every time */
    unsigned sources;            /* --sources: 127.0.0.1 .. 127.0.0.N */
    long server_pid;             /* --server-pid: read RSS and CPU of the server */
    /* who */
    unsigned users;              /* --users */
    unsigned first;              /* --first: index of the first account */
    unsigned contacts;           /* --contacts: per user, as created (for expectations) */
    char *prefix, *domain, *password; /* account naming, as "accounts" prints them */
    /* how much, how long */
    unsigned concurrency;        /* --concurrency: logins in flight */
    double duration;             /* --duration: measured seconds */
    double warmup;               /* --warmup: seconds before measuring */
    double timeout;              /* --timeout: hard bound of the whole run */
    double step_timeout;         /* --step-timeout: one login / one reply */
    double hold;                 /* --hold: idle: seconds signed in before measuring */
    bool no_syn;                 /* --no-syn: skip SYN after login */
    unsigned chg_limit;          /* --chg-limit: the server's CHGs per 10 s per user */
    double rate;                 /* --rate: per second, 0 = as fast as possible */
    unsigned pairs;              /* --pairs: conversations (switchboard, churn) */
    unsigned party;              /* --party: 2 or 3 members per conversation */
    unsigned window;             /* --window: messages in flight per sender */
    unsigned size;               /* --size: message body bytes (>= the timestamp) */
    char ack;                    /* --ack: U, N or A */
    unsigned churners;           /* --churners: users signing in and out (churn) */
    double churn_hold;           /* --churn-hold: seconds signed in per cycle (max) */
    char *label;                 /* --label: free text copied into the JSON */
    bool quiet;                  /* --quiet: JSON line only */
} bench_opts;

/* Fills every field with its default. */
void opts_init(bench_opts *o);
/* Frees the strings. */
void opts_free(bench_opts *o);
/* Parses --name value / --name=value arguments. Returns 0 or -1 with a
 * message on stderr. */
int opts_parse(bench_opts *o, int argc, char **argv);
/* Prints every option with its help and default. */
void opts_help(FILE *out);

#endif
