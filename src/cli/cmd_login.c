/*
 * cmd_login.c - msgr login / msgr logout: profiles and saved credentials.
 *
 * login signs in once with the password before saving anything, so a
 * profile on disk always held a working password when it was written.
 * The password goes to libmsgr's AutoSignin credentials file (one per
 * profile), never into the config file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "names.h"
#include "profile.h"
#include "session.h"

#define PASSWORD_MAX 256

static char *strdup_or_null(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Reads one line from fd 0 without its line end. */
static int read_line(char *buf, size_t cap)
{
    size_t n = 0;
    for (;;) {
        char ch;
        ssize_t r = read(0, &ch, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || ch == '\n')
            break;
        if (n + 1 >= cap)
            return -1;
        buf[n++] = ch;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return 0;
}

/* The password: prompted without echo on a terminal, else the first line
 * of standard input (for scripts: echo "$PW" | msgr login ...). */
static int read_password(const char *who, char *buf, size_t cap)
{
    struct termios old, quiet;
    bool tty = isatty(0) && tcgetattr(0, &old) == 0;
    if (tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        fprintf(stderr, "Password for %s: ", who);
        (void)tcsetattr(0, TCSAFLUSH, &quiet);
    }
    int rc = read_line(buf, cap);
    if (tty) {
        (void)tcsetattr(0, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (rc != 0) {
        cli_error("password too long (at most %d bytes)", PASSWORD_MAX);
        return CLI_USAGE;
    }
    if (!*buf) {
        cli_error("no password given (on standard input or at the prompt)");
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* The CA file as an absolute path: later commands may run elsewhere. */
static char *absolute(const char *path)
{
    char cwd[4096];
    if (access(path, R_OK) != 0)
        return NULL;
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        return strdup_or_null(path);
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s/%s", cwd, path);
    return out;
}

/* Applies the command-line settings to the profile being logged in. */
static int apply_options(const cli_ctx *ctx, profile *p, const char *email)
{
    char *ca = NULL, *nexus = NULL;
    if (ctx->ca_file && !(ca = absolute(ctx->ca_file))) {
        cli_error("cannot use CA file %s: %s", ctx->ca_file, strerror(errno));
        return CLI_USAGE;
    }
    if (ctx->nexus && !(nexus = profile_nexus_url(ctx->nexus))) {
        free(ca);
        cli_error("out of memory");
        return CLI_FAIL;
    }
    int bad = profile_set(&p->signin, email);
    if (ctx->server)
        bad |= profile_set(&p->server, ctx->server);
    if (ca)
        bad |= profile_set(&p->ca_file, ca);
    if (nexus)
        bad |= profile_set(&p->nexus, nexus);
    free(ca);
    free(nexus);
    if (bad) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* Signs in with the password and, when that worked, saves everything. */
static int verify_and_save(const cli_ctx *ctx, config *cfg, profile *p, const char *pw)
{
    cli_session s;
    int rc = sess_open(&s, ctx, cfg, p, sess_profile_status(p));
    if (rc == CLI_OK)
        rc = sess_signin(&s, p->signin, pw);
    if (rc == CLI_OK) {
        msgr_hr hr = msgr_messenger_save_credentials(s.m, p->signin, pw);
        if (MSGR_FAILED(hr)) {
            cli_error("cannot save the credentials: %s", hr_text(hr));
            rc = CLI_FAIL;
        }
    }
    if (rc == CLI_OK && !cfg->dflt && profile_set(&cfg->dflt, p->name) != 0)
        rc = CLI_FAIL;
    if (rc == CLI_OK && config_save(cfg) != 0)
        rc = CLI_FAIL;
    sess_close(&s);
    return rc;
}

int cmd_login(cli_ctx *ctx)
{
    const char *email = ctx->pos[0];
    if (!cli_valid_signin(email)) {
        cli_error("'%s' is not a sign-in name (name@domain)", email);
        return CLI_USAGE;
    }
    config cfg;
    if (config_load(ctx->config, &cfg) != 0) {
        config_free(&cfg);
        return CLI_USAGE;
    }
    const char *name = config_pick(&cfg, ctx->profile);
    char pw[PASSWORD_MAX + 2];
    int rc = CLI_OK;
    profile *p = NULL;
    if (!profile_name_valid(name)) {
        cli_error("bad profile name '%s' (letters, digits, '.', '_', '-')", name);
        rc = CLI_USAGE;
    } else if (!(p = config_get(&cfg, name))) {
        cli_error("out of memory");
        rc = CLI_FAIL;
    }
    if (rc == CLI_OK)
        rc = apply_options(ctx, p, email);
    if (rc == CLI_OK)
        rc = read_password(email, pw, sizeof pw);
    if (rc == CLI_OK)
        rc = verify_and_save(ctx, &cfg, p, pw);
    if (rc == CLI_OK)
        printf("logged in as %s (profile %s)\n", email, name);
    memset(pw, 0, sizeof pw);
    config_free(&cfg);
    return rc;
}

int cmd_logout(cli_ctx *ctx)
{
    config cfg;
    if (config_load(ctx->config, &cfg) != 0) {
        config_free(&cfg);
        return CLI_USAGE;
    }
    const char *name = config_pick(&cfg, ctx->profile);
    int rc = CLI_OK;
    char *dir = config_find(&cfg, name) ? profile_dir(&cfg, name) : NULL;
    char *path = dir ? malloc(strlen(dir) + sizeof "/credentials") : NULL;
    if (!config_find(&cfg, name)) {
        cli_error("no profile '%s' in %s", name, cfg.path);
        rc = CLI_USAGE;
    } else if (!path) {
        cli_error("out of memory");
        rc = CLI_FAIL;
    } else {
        sprintf(path, "%s/credentials", dir);
        /* already logged out is fine: the goal is that nothing is saved */
        if (unlink(path) != 0 && errno != ENOENT) {
            cli_error("cannot remove %s: %s", path, strerror(errno));
            rc = CLI_FAIL;
        }
    }
    free(path);
    free(dir);
    config_free(&cfg);
    return rc;
}
