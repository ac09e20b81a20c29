/*
 * admin.h - msgrd's administration subcommands on the store, run without
 * the service: accounts ("user") and Lock and Key applications ("app").
 * Each returns the process exit status and prints a one-line error on
 * stderr when it fails.
 */
#ifndef MSGRD_ADMIN_H
#define MSGRD_ADMIN_H

#include "config.h"

/* argv[0] is the verb: add EMAIL, passwd EMAIL, del EMAIL, list. */
int admin_user(const msgrd_config *cfg, int argc, char **argv);
/* argv[0] is the verb: add ID KEY, del ID, list. */
int admin_app(const msgrd_config *cfg, int argc, char **argv);

#endif
