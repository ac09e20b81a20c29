/* opts.c - msgr-bench option table and parser (opts.h). */
#include "opts.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

typedef enum opt_kind { OK_ADDR, OK_UINT, OK_DOUBLE, OK_STR, OK_FLAG, OK_LONG, OK_CHAR, OK_PATH } opt_kind;

typedef struct opt_def {
    const char *name;
    opt_kind kind;
    size_t off;       /* field in bench_opts */
    size_t have_off;  /* OK_ADDR: the bool saying it was given */
    const char *def;  /* default as text (NULL: none) */
    const char *help;
} opt_def;

#define OFF(f) offsetof(bench_opts, f)

static const opt_def defs[] = {
    { "ns", OK_ADDR, OFF(ns), OFF(have_ns), NULL, "MSNP server HOST:PORT (loopback only)" },
    { "login", OK_ADDR, OFF(login), OFF(have_login), NULL, "Passport login endpoint HOST:PORT" },
    { "login-path", OK_PATH, OFF(login_path), 0, "/login2.srf", "path of the login endpoint" },
    { "nexus", OK_ADDR, OFF(nexus), OFF(have_nexus), NULL, "Passport nexus HOST:PORT (finds the login endpoint)" },
    { "http", OK_FLAG, OFF(http), 0, NULL, "Passport over plain HTTP (msgrd --plain-login)" },
    { "insecure", OK_FLAG, OFF(insecure), 0, NULL, "do not verify the login certificate" },
    { "cafile", OK_STR, OFF(cafile), 0, NULL, "PEM file to verify the login certificate with" },
    { "no-resume", OK_FLAG, OFF(no_resume), 0, NULL, "full TLS handshake for every login" },
    { "sources", OK_UINT, OFF(sources), 0, "1", "source addresses 127.0.0.1..127.0.0.N" },
    { "server-pid", OK_LONG, OFF(server_pid), 0, "0", "server pid: RSS and CPU from /proc" },
    { "users", OK_UINT, OFF(users), 0, "100", "users taking part" },
    { "first", OK_UINT, OFF(first), 0, "0", "index of the first account used" },
    { "contacts", OK_UINT, OFF(contacts), 0, "0", "contacts per account (as created; for the report)" },
    { "prefix", OK_STR, OFF(prefix), 0, "bench", "handle prefix: PREFIX<i>@DOMAIN" },
    { "domain", OK_STR, OFF(domain), 0, "bench.test", "handle domain" },
    { "password", OK_STR, OFF(password), 0, "benchpass", "password of every account" },
    { "concurrency", OK_UINT, OFF(concurrency), 0, "64", "logins in flight at once" },
    { "duration", OK_DOUBLE, OFF(duration), 0, "5", "measured seconds" },
    { "warmup", OK_DOUBLE, OFF(warmup), 0, "1", "seconds of load before measuring" },
    { "timeout", OK_DOUBLE, OFF(timeout), 0, "120", "hard bound of the whole run, seconds" },
    { "step-timeout", OK_DOUBLE, OFF(step_timeout), 0, "30", "seconds for one login or reply" },
    { "hold", OK_DOUBLE, OFF(hold), 0, "2", "idle: seconds signed in before reading RSS" },
    { "no-syn", OK_FLAG, OFF(no_syn), 0, NULL, "do not SYN after login" },
    { "chg-limit", OK_UINT, OFF(chg_limit), 0, "10", "the server's CHG limit per 10 s per user (at most 32)" },
    { "rate", OK_DOUBLE, OFF(rate), 0, "0", "target events per second (0 = maximum)" },
    { "pairs", OK_UINT, OFF(pairs), 0, "10", "conversations" },
    { "party", OK_UINT, OFF(party), 0, "2", "members per conversation (2 or 3)" },
    { "window", OK_UINT, OFF(window), 0, "16", "messages in flight per sender" },
    { "size", OK_UINT, OFF(size), 0, "64", "message body bytes" },
    { "ack", OK_CHAR, OFF(ack), 0, "U", "MSG acknowledgement type: U, N or A" },
    { "churners", OK_UINT, OFF(churners), 0, "10", "churn: users signing in and out" },
    { "churn-hold", OK_DOUBLE, OFF(churn_hold), 0, "0.5", "churn: longest stay signed in, seconds" },
    { "label", OK_STR, OFF(label), 0, NULL, "text copied into the JSON line" },
    { "quiet", OK_FLAG, OFF(quiet), 0, NULL, "print only the JSON line" },
};

#define NDEFS (sizeof defs / sizeof defs[0])

static const opt_def *find_def(const char *name, size_t len)
{
    for (size_t i = 0; i < NDEFS; i++)
        if (strlen(defs[i].name) == len && !strncmp(defs[i].name, name, len))
            return &defs[i];
    return NULL;
}

/* Stores value into the option's field. Returns 0 or -1. */
static int set_value(bench_opts *o, const opt_def *d, const char *v)
{
    char *base = (char *)o;
    char *end = NULL;
    switch (d->kind) {
    case OK_ADDR:
        if (net_parse_loopback(v, (struct sockaddr_in *)(void *)(base + d->off)) != 0)
            return -1;
        *(bool *)(void *)(base + d->have_off) = true;
        return 0;
    case OK_UINT: {
        unsigned long n = strtoul(v, &end, 10);
        if (!*v || *end || n > 100000000UL)
            return -1;
        *(unsigned *)(void *)(base + d->off) = (unsigned)n;
        return 0;
    }
    case OK_LONG: {
        long n = strtol(v, &end, 10);
        if (!*v || *end || n < 0)
            return -1;
        *(long *)(void *)(base + d->off) = n;
        return 0;
    }
    case OK_DOUBLE: {
        double x = strtod(v, &end);
        if (!*v || *end || x < 0 || x > 1e9)
            return -1;
        *(double *)(void *)(base + d->off) = x;
        return 0;
    }
    case OK_CHAR:
        if (strlen(v) != 1)
            return -1;
        *(base + d->off) = v[0];
        return 0;
    case OK_PATH:
        if (v[0] != '/' || strlen(v) >= sizeof o->login_path)
            return -1;
        strcpy(base + d->off, v);
        return 0;
    case OK_STR: {
        char **slot = (char **)(void *)(base + d->off);
        char *copy = strdup(v);
        if (!copy)
            return -1;
        free(*slot);
        *slot = copy;
        return 0;
    }
    case OK_FLAG:
        *(bool *)(void *)(base + d->off) = true;
        return 0;
    }
    return -1;
}

void opts_init(bench_opts *o)
{
    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < NDEFS; i++)
        if (defs[i].def)
            set_value(o, &defs[i], defs[i].def);
}

void opts_free(bench_opts *o)
{
    free(o->cafile);
    free(o->prefix);
    free(o->domain);
    free(o->password);
    free(o->label);
    o->cafile = o->prefix = o->domain = o->password = o->label = NULL;
}

int opts_parse(bench_opts *o, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "msgr-bench: unexpected argument '%s'\n", a);
            return -1;
        }
        const char *eq = strchr(a + 2, '=');
        size_t nlen = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        const opt_def *d = find_def(a + 2, nlen);
        if (!d) {
            fprintf(stderr, "msgr-bench: unknown option %s\n", a);
            return -1;
        }
        const char *v = eq ? eq + 1 : NULL;
        if (!v && d->kind != OK_FLAG) {
            if (i + 1 >= argc) {
                fprintf(stderr, "msgr-bench: --%s needs a value\n", d->name);
                return -1;
            }
            v = argv[++i];
        }
        if (set_value(o, d, v ? v : "") != 0) {
            fprintf(stderr, "msgr-bench: bad value for --%s: '%s'\n", d->name, v ? v : "");
            return -1;
        }
    }
    return 0;
}

void opts_help(FILE *out)
{
    for (size_t i = 0; i < NDEFS; i++) {
        const opt_def *d = &defs[i];
        const char *arg = d->kind == OK_FLAG ? "" : d->kind == OK_ADDR ? " HOST:PORT" : " V";
        char left[64];
        snprintf(left, sizeof left, "--%s%s", d->name, arg);
        fprintf(out, "  %-24s %s", left, d->help);
        if (d->def)
            fprintf(out, " [%s]", d->def);
        fputc('\n', out);
    }
}
