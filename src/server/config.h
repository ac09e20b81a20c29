/*
 * config.h - every msgrd option, its default, and how it is set: an INI
 * file (--config FILE) and then the command line, which wins.
 *
 * INI form: "key = value" lines, '#' or ';' comments, optional [sections]
 * that are ignored (so "[server]\nlisten = ..." works). Keys are the long
 * option names without the leading dashes ("login-listen", "fl-limit").
 */
#ifndef MSGRD_CONFIG_H
#define MSGRD_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

typedef struct msgrd_config {
    char *data_dir;          /* data-dir: store, certificate, key */
    char *listen;            /* listen: MSNP HOST:PORT (NS and SB), default 127.0.0.1:1863 */
    char *login_listen;      /* login-listen: Passport nexus+login HOST:PORT, default 127.0.0.1:8443 */
    char *public_address;    /* public-address: HOST:PORT put in XFR/RNG; default: the bound listen address */
    char *login_host;        /* login-host: host[:port] used in DALogin; default: the bound login address */
    bool plain_login;        /* plain-login: serve Passport over HTTP (loopback only) */
    char *dispatch;          /* dispatch: if set, answer USR TWN I with XFR NS to this HOST:PORT */
    char *sync_mode;         /* sync: "full" (default) or "normal" SQLite durability */
    unsigned ticket_ttl;     /* ticket-ttl seconds, default 600 */
    unsigned sb_ticket_ttl;  /* sb-ticket-ttl seconds (XFR SB cookies), default 60 */
    unsigned rng_ticket_ttl; /* rng-ticket-ttl seconds (RNG cookies), default 120 */
    unsigned chl_interval;   /* chl-interval seconds between challenges after login, 0 = login only; default 0 */
    unsigned chl_timeout;    /* chl-timeout seconds to answer CHL, default 120 */
    bool chl_lenient;        /* chl-lenient: accept unknown product ids */
    unsigned login_timeout;  /* login-timeout seconds before USR OK, default 60 */
    unsigned idle_timeout;   /* idle-timeout seconds of NS silence, default 900 */
    unsigned sb_idle_timeout;   /* sb-idle-timeout seconds without relay, default 1800 */
    unsigned sb_alone_timeout;  /* sb-alone-timeout seconds alone in a session, default 300 */
    unsigned sb_max_members;    /* sb-max-members per session, default 20 */
    unsigned sb_max_sessions;   /* sb-max-sessions per user, default 50 */
    unsigned sb_flood_limit;    /* sb-flood-limit MSGs per second per connection, 0 = none; default 100 */
    unsigned fl_limit, al_limit, bl_limit, rl_limit; /* 150 / 600 / 600 / 1000 */
    unsigned max_line;          /* max-line bytes, default 8192 */
    unsigned max_sb_payload;    /* max-sb-payload bytes, default 1664 */
    unsigned output_limit;      /* output-limit bytes queued per connection, default 1048576 */
    unsigned login_fail_limit;  /* login-fail-limit failures per window per account or address, default 10 */
    unsigned login_fail_window; /* login-fail-window seconds, default 300 */
    unsigned rea_limit;         /* rea-limit own-name changes per minute, default 5 */
    unsigned chg_limit;         /* chg-limit CHGs per 10 s, default 10 */
    bool truncate_password;     /* truncate-password: also accept the first 16 characters */
    unsigned argon2_ops;        /* argon2-ops: libsodium opslimit, default crypto_pwhash_OPSLIMIT_INTERACTIVE */
    unsigned argon2_mem_kib;    /* argon2-mem-kib: memlimit in KiB, default 65536 */
    unsigned hash_threads;      /* hash-threads: password hashing threads, default 2 */
    char *group0_name;          /* group0-name for new accounts, default "Other Contacts" */
    char *url_base;             /* url-base: base of the URL command's pages */
    char *log_level;            /* log-level: error|warn|info|debug, default info */
    bool lock_and_key;          /* lock-and-key: Lock and Key on (true) or switched off */
    unsigned lk_challenge_ttl;  /* lk-challenge-ttl seconds a Lock and Key challenge lives, default 60 */
    char *admin_listen;         /* admin-listen: admin HTTP HOST:PORT, default 127.0.0.1:0; "off" disables */
    char *config_file;          /* config: the INI file read, if any */
} msgrd_config;

/* Fills every field with its default (strings malloc'd). Returns 0 or -1. */
int config_init(msgrd_config *c);
void config_free(msgrd_config *c);

/* Sets one option by its long name. Returns 0, or -1 with a message in
 * err (size errlen) for an unknown key or a bad value. */
int config_set(msgrd_config *c, const char *key, const char *value, char *err, size_t errlen);

/* True if key names an option / a boolean option (takes no value). */
bool config_has_option(const char *key);
bool config_is_flag(const char *key);

/* Reads an INI file. Returns 0, or -1 with "FILE:LINE: message" in err. */
int config_load_file(msgrd_config *c, const char *path, char *err, size_t errlen);

/* Prints every option with its description and default (for --help). */
void config_print_help(FILE *out);

/* Splits "HOST:PORT" ("[v6]:PORT" too) into host (malloc'd) and port.
 * Returns 0 or -1. */
int config_split_hostport(const char *s, char **host, unsigned *port);

#endif
