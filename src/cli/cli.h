/*
 * cli.h - what the msgr subcommands share: the parsed command line, the
 * exit codes and the one-line error reporting.
 *
 * msgr uses only the public libmsgr API (include/msgr); nothing here
 * reaches into src/client.
 */
#ifndef MSGR_CLI_H
#define MSGR_CLI_H

#include <stdbool.h>

/* Exit codes: every failure prints exactly one line on stderr. */
enum {
    CLI_OK = 0,
    CLI_FAIL = 1,  /* the operation failed (server, network, contact) */
    CLI_USAGE = 2, /* bad arguments or an unusable configuration */
};

/* Default bound, in seconds, on each wait for the server (--timeout). */
#define CLI_DEFAULT_TIMEOUT 15

/* How a scripting command reaches the service (--direct, --attach). */
typedef enum cli_link {
    CLI_LINK_AUTO = 0, /* through the user's running msgr when it serves the
                          profile's account, else a sign-in of its own */
    CLI_LINK_DIRECT,   /* always a sign-in of its own (ends other sessions) */
    CLI_LINK_ATTACH,   /* only through the running msgr; fail without it */
} cli_link;

/* The command line after parsing (main.c). Strings point into argv. */
typedef struct cli_ctx {
    const char *profile; /* --profile */
    const char *server;  /* --server HOST:PORT */
    const char *ca_file; /* --ca-file FILE */
    const char *config;  /* --config FILE */
    const char *nexus;   /* --nexus URL or HOST:PORT */
    int timeout_s;       /* --timeout SECONDS */
    cli_link link;       /* --direct / --attach */
    bool json;           /* contacts --json */
    bool hold;           /* status --hold */
    int initial_status;  /* MISTATUS to sign in with; 0: the profile's */
    const char *url;     /* app register --url URL */
    const char *data;    /* invite --data TEXT */
    int npos;            /* positional arguments after the command name */
    char **pos;
} cli_ctx;

/* The subcommands (one file per group). */
int cmd_login(cli_ctx *ctx);
int cmd_logout(cli_ctx *ctx);
int cmd_send(cli_ctx *ctx);
int cmd_status(cli_ctx *ctx);
int cmd_contacts(cli_ctx *ctx);
int cmd_add(cli_ctx *ctx);
int cmd_remove(cli_ctx *ctx);
int cmd_block(cli_ctx *ctx);
int cmd_unblock(cli_ctx *ctx);
int cmd_listen(cli_ctx *ctx);
int cmd_sendfile(cli_ctx *ctx);
int cmd_app(cli_ctx *ctx);
int cmd_invite(cli_ctx *ctx);
/* The interactive Messenger (no command, or msgr ui): ui_main.c. */
int cmd_ui(cli_ctx *ctx);

/* Names the running subcommand in error messages ("msgr: send: ..."). */
void cli_set_command(const char *name);

/* Prints "msgr: <command>: <message>" on stderr, once per run: the first
 * error is the one that explains the failure, later ones are echoes. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Whether a sign-in name looks like one (name@domain, no blanks). */
bool cli_valid_signin(const char *s);

#endif
