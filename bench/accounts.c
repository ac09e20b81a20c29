/*
 * accounts.c - "msgr-bench accounts N C": prints the input of
 * "msgrd user import" for N benchmark accounts with C contacts each.
 *
 *   ring    (default) user i lists i+1 .. i+C/2 (mod N); the import makes
 *           every listed contact mutual, so each user ends up with C
 *           contacts (C rounded down to even), and neighbours i, i+1 are
 *           always contacts (the switchboard pairs rely on that);
 *   clique  consecutive groups of C+1 users, everyone in a group a
 *           contact of everyone else in it.
 */
#include "accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"

/* Prints "handle password" and the contacts of user i. */
static void print_user(const bench_opts *o, unsigned i, unsigned n, unsigned c, bool clique)
{
    char h[96];
    ctx_handle(o, o->first + i, h, sizeof h);
    fputs(h, stdout);
    putchar(' ');
    fputs(o->password, stdout);
    unsigned printed = 0;
    unsigned lo, hi;
    if (clique) {
        unsigned group = c + 1;
        lo = i + 1;
        hi = (i / group + 1) * group;
        if (hi > n)
            hi = n;
    } else {
        lo = 1;
        hi = c / 2 + 1;
        if (hi > n)
            hi = n; /* tiny rings: do not wrap onto oneself */
    }
    for (unsigned k = lo; k < hi; k++) {
        unsigned j = clique ? k : (i + k) % n;
        if (j == i)
            continue;
        ctx_handle(o, o->first + j, h, sizeof h);
        putchar(printed++ ? ',' : ' ');
        fputs(h, stdout);
    }
    putchar('\n');
}

int accounts_main(const bench_opts *o, int argc, char **argv)
{
    if (argc < 2)
        return fprintf(stderr, "usage: msgr-bench accounts N C [ring|clique] [options]\n"), 2;
    char *end = NULL;
    unsigned long n = strtoul(argv[0], &end, 10);
    if (*end || n == 0 || n > 10000000UL)
        return fprintf(stderr, "msgr-bench: accounts: bad N '%s'\n", argv[0]), 2;
    unsigned long c = strtoul(argv[1], &end, 10);
    if (*end || c > 1000)
        return fprintf(stderr, "msgr-bench: accounts: bad C '%s'\n", argv[1]), 2;
    bool clique = argc >= 3 && !strcmp(argv[2], "clique");
    if (argc >= 3 && !clique && strcmp(argv[2], "ring") != 0)
        return fprintf(stderr, "msgr-bench: accounts: pattern is ring or clique\n"), 2;
    for (unsigned i = 0; i < n; i++)
        print_user(o, i, (unsigned)n, (unsigned)c, clique);
    return fflush(stdout) == 0 ? 0 : 1;
}
