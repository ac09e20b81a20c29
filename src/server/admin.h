/*
 * admin.h - msgrd's administration subcommands on the store, run without
 * the service: accounts ("user") and Lock and Key applications ("app").
 * Each returns the process exit status and prints a one-line error on
 * stderr when it fails.
 */
#ifndef MSGRD_ADMIN_H
#define MSGRD_ADMIN_H

#include <stdio.h>

#include "config.h"

/* argv[0] is the verb: add EMAIL, passwd EMAIL, del EMAIL, list. */
int admin_user(const msgrd_config *cfg, int argc, char **argv);
/* "user import": creates the accounts listed on in, one
 * "handle password [contact,contact,...]" per line, hashing each distinct
 * password once, then makes every listed contact a mutual FL+AL contact
 * (admin_import.c). */
int admin_user_import(const msgrd_config *cfg, FILE *in);
/* argv[0] is the verb: add ID KEY, del ID, list. */
int admin_app(const msgrd_config *cfg, int argc, char **argv);

/* "alert send USER TEXT": argv[0] is "send"; url may be NULL. */
int admin_alert(const msgrd_config *cfg, int argc, char **argv, const char *url);
/* "lock-and-key challenge USER" / "lock-and-key on|off" (argv after the
 * command name): through the running service's admin endpoint. */
int admin_lock_and_key(const msgrd_config *cfg, int argc, char **argv);

#endif
