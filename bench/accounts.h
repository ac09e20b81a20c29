/* accounts.h - the account list generator ("msgr-bench accounts"). */
#ifndef BENCH_ACCOUNTS_H
#define BENCH_ACCOUNTS_H

#include "opts.h"

/* argv: N C [ring|clique]. Prints one "handle password [contacts]" line
 * per account on stdout. Returns the exit status. */
int accounts_main(const bench_opts *o, int argc, char **argv);

#endif
