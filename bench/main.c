/*
 * main.c - msgr-bench: MSNP8 load generator for msgrd (or any MSNP8
 * server with a Passport 1.4 login endpoint), loopback only.
 *
 *   msgr-bench accounts N C [ring|clique] [--prefix P --domain D --password W]
 *   msgr-bench login|idle|storm|switchboard|churn --ns H:P --login H:P [options]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "ctx.h"
#include "https.h"
#include "loop.h"
#include "net.h"
#include "opts.h"
#include "passport.h"
#include "scenarios.h"

typedef struct scenario_def {
    const char *name;
    int (*run)(bench_ctx *ctx);
    const char *help;
} scenario_def;

static const scenario_def scenarios[] = {
    { "login", sc_login, "N logins via Passport (with hashing), then N ticket-only logins" },
    { "idle", sc_idle, "N users signed in with their contacts: server RSS per user" },
    { "storm", sc_storm, "status changes/s and NLN deliveries/s" },
    { "switchboard", sc_switchboard, "P conversations: delivered messages/s, latency" },
    { "churn", sc_churn, "users signing in and out while others chat" },
};

static void usage(FILE *out)
{
    fprintf(out, "usage: msgr-bench accounts N C [ring|clique] [--prefix P] [--domain D] "
                 "[--password W] [--first I]\n"
                 "       msgr-bench SCENARIO --ns HOST:PORT --login HOST:PORT [options]\n\n"
                 "scenarios:\n");
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
        fprintf(out, "  %-12s %s\n", scenarios[i].name, scenarios[i].help);
    fprintf(out, "\noptions:\n");
    opts_help(out);
}

/* Sets up the loop, TLS and the Passport target. Returns 0 or -1. */
static int ctx_open(bench_ctx *ctx, const bench_opts *o)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->o = o;
    ctx->step_ns = (uint64_t)(o->step_timeout * 1e9);
    if (!o->have_ns || (!o->have_login && !o->have_nexus)) {
        fprintf(stderr, "msgr-bench: give --ns and --login (or --nexus)\n");
        return -1;
    }
    ctx->loop = loop_new();
    if (!ctx->loop)
        return -1;
    if (!o->http) {
        char err[256];
        ctx->tls = https_tls_new(o->insecure, o->cafile, !o->no_resume, err, sizeof err);
        if (!ctx->tls) {
            fprintf(stderr, "msgr-bench: TLS: %s\n", err);
            return -1;
        }
    }
    ctx->login_addr = o->login;
    snprintf(ctx->login_path, sizeof ctx->login_path, "%s", o->login_path);
    if (o->have_nexus && passport_nexus(ctx) != 0)
        return -1;
    return 0;
}

static void ctx_close(bench_ctx *ctx)
{
    https_tls_free(ctx->tls);
    loop_free(ctx->loop);
}

/* Runs one scenario with the options in argv. */
static int run_scenario(const scenario_def *sc, int argc, char **argv)
{
    bench_opts o;
    opts_init(&o);
    int status = 2;
    bench_ctx ctx;
    if (opts_parse(&o, argc, argv) == 0) {
        unsigned long nofile = net_raise_nofile();
        if (!o.quiet)
            printf("msgr-bench %s: descriptor limit %lu\n", sc->name, nofile);
        status = ctx_open(&ctx, &o) == 0 ? sc->run(&ctx) : 2;
        ctx_close(&ctx);
    }
    opts_free(&o);
    return status;
}

/* "accounts": positional N C [pattern], then options. */
static int run_accounts(int argc, char **argv)
{
    int npos = 0;
    while (npos < argc && strncmp(argv[npos], "--", 2) != 0)
        npos++;
    bench_opts o;
    opts_init(&o);
    int status = opts_parse(&o, argc - npos, argv + npos) == 0 ? accounts_main(&o, npos, argv) : 2;
    opts_free(&o);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    /* A write to a socket the server closed must fail, not kill us. */
    signal(SIGPIPE, SIG_IGN);
    if (!strcmp(argv[1], "accounts"))
        return run_accounts(argc - 2, argv + 2);
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
        if (!strcmp(argv[1], scenarios[i].name))
            return run_scenario(&scenarios[i], argc - 2, argv + 2);
    fprintf(stderr, "msgr-bench: unknown command '%s' (see msgr-bench --help)\n", argv[1]);
    return 2;
}
