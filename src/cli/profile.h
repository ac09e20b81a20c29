/*
 * profile.h - the per-user config file of msgr and its named profiles.
 *
 * File: --config FILE, else $XDG_CONFIG_HOME/msgr/config, else
 * $HOME/.config/msgr/config; mode 0600 (directory 0700), replaced
 * atomically, refused when group or others may read it:
 *
 *     default = home
 *
 *     [home]
 *     server = 127.0.0.1:1863
 *     nexus = https://127.0.0.1:8443/rdr/pprdr.asp
 *     ca-file = /var/lib/msgrd/cert.pem
 *     signin = alice@example.com
 *     status = online
 *     app-id = msgr@example.com      (optional: unlocks MessengerPriv
 *     app-key = ...                   for alerts under Lock and Key)
 *     serve = no                     (optional: the interactive client
 *                                     does not serve its session to the
 *                                     scripting commands; see ui_serve.c)
 *
 * The password is not in this file: libmsgr's AutoSignin credentials file
 * (msgr_messenger_save_credentials) holds it, one per profile, in
 * <directory of the config file>/profiles/<name>/credentials (mode 0600).
 */
#ifndef MSGR_CLI_PROFILE_H
#define MSGR_CLI_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct profile {
    char *name;
    char *server;  /* host:port of msgrd's MSNP listener (NULL: library default) */
    char *nexus;   /* Passport nexus URL (NULL: derived from server) */
    char *ca_file; /* absolute path of the certificate to trust */
    char *signin;  /* sign-in name */
    char *status;  /* status sessions sign in with (NULL: online) */
    char *app_id;  /* Lock and Key application ID for alerts (optional) */
    char *app_key; /* its key (optional; the file is 0600 for it too) */
    char *serve;   /* "no": the interactive client does not serve local programs */
} profile;

typedef struct config {
    char *path;      /* the config file */
    char *dflt;      /* default profile name, or NULL */
    profile *items;
    size_t count;
} config;

/* Loads the config file (path NULL: the default location). A missing
 * file is an empty config. On error prints one line and returns -1. */
int config_load(const char *path, config *c);

/* Writes the config back (mode 0600, atomically). Prints and returns -1
 * on error. */
int config_save(const config *c);
/* Replaces path with what write(f, ctx) writes (0 = written), through a
 * temporary file beside it: mode 0600, renamed over path only when
 * everything was written. Returns 0, or -1 with errno set (the old file
 * is left as it was). The directory must exist. */
int private_file_replace(const char *path, int (*write)(FILE *f, const void *ctx),
                         const void *ctx);

void config_free(config *c);

/* The profile of that name, or NULL. */
profile *config_find(config *c, const char *name);

/* Finds or creates the profile of that name (NULL on out of memory). */
profile *config_get(config *c, const char *name);

/* Which profile a command uses: the --profile option, else the config's
 * default, else "default". */
const char *config_pick(const config *c, const char *option);

/* Whether a profile name is usable (it names a directory). */
int profile_name_valid(const char *name);

/* Replaces *field with a copy of value (NULL clears). -1 on out of memory. */
int profile_set(char **field, const char *value);

/* <directory of the config file>/profiles/<name>, malloc'd. */
char *profile_dir(const config *c, const char *name);

/* The nexus URL for a --nexus value: a URL as given, or HOST:PORT of
 * msgrd's login service as https://HOST:PORT/rdr/pprdr.asp. malloc'd. */
char *profile_nexus_url(const char *value);

/* Whether the interactive client serves p's session to the user's other
 * programs: yes unless the profile says serve = no (or off, false, 0). */
bool profile_serves(const profile *p);

/* $XDG_CACHE_HOME/msgr/<name> (else $HOME/.cache/msgr/<name>), malloc'd:
 * the profile's contact-list cache, so two servers never share one. */
char *profile_cache_dir(const char *name);

#endif
