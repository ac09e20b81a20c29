/*
 * example_common.h - what the examples share: command-line options for a
 * messenger (--server, --nexus, --ca-file, then the sign-in name), the
 * password from $MSGR_PASSWORD or the first line of standard input, and
 * a SIGINT/SIGTERM flag that stops msgr_messenger_run().
 *
 * Examples are meant to be read: each is one file of libmsgr use plus
 * this small helper, built by the project's build (examples/).
 */
#ifndef MSGR_EXAMPLE_COMMON_H
#define MSGR_EXAMPLE_COMMON_H

#include <msgr/msgr.h>

typedef struct example_args {
    msgr_options opts;
    const char *signin;
    char password[257];
} example_args;

/* Parses argv into *a; prints usage and returns -1 on a bad command line
 * or when no password could be read. */
int example_parse(int argc, char **argv, const char *usage, example_args *a);

/* Creates the messenger, advises sink with user_data and starts the
 * sign-in. Returns the messenger or NULL after printing why. */
msgr_messenger *example_start(const example_args *a, const msgr_messenger_events *sink,
                              void *user_data);

/* Runs the messenger until example_stop() (from a callback) or
 * SIGINT/SIGTERM, signs out, and releases it. */
void example_run(msgr_messenger *m);
void example_stop(void);

#endif
