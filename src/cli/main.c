/*
 * main.c - msgr's command line: global options, subcommand dispatch,
 * --help and --version.
 *
 * Options may appear before or after the subcommand name; "--" ends them
 * (so a message may start with '-').
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msgr/msgr.h>

#include "cli.h"

#ifndef MSGR_CLI_VERSION
#define MSGR_CLI_VERSION "0.0.0"
#endif

typedef struct command {
    const char *name;
    int (*run)(cli_ctx *ctx);
    int min_pos, max_pos; /* positional arguments accepted */
    const char *flags;    /* command-specific boolean flags, " json " style */
    const char *usage;
    const char *help;
    const char *values;   /* command-specific options with a value, " url " style */
} command;

static const command COMMANDS[] = {
    { "ui", cmd_ui, 0, 0, " ", "ui   (also: msgr with no command)",
      "The interactive Messenger: sign-in screen (or automatic sign-in with a\n"
      "saved profile), contact list, conversations in tabs, file transfers.\n"
      "Press F1 inside for every key. Needs a terminal.", NULL },
    { "login", cmd_login, 1, 1, " ", "login [--server H:P] [--nexus URL] [--ca-file F] [--profile NAME] EMAIL",
      "Signs in once to check the password (read from standard input, or\n"
      "prompted without echo on a terminal) and saves the profile and its\n"
      "credentials. The first profile saved becomes the default one.", NULL },
    { "logout", cmd_logout, 0, 0, " ", "logout [--profile NAME]",
      "Forgets the saved credentials of the profile (its settings stay).", NULL },
    { "send", cmd_send, 1, 64, " ", "send USER TEXT...   (TEXT '-' or absent: read standard input)",
      "Opens a conversation with USER, sends the text and succeeds once USER\n"
      "has joined the conversation and the message has been handed to the\n"
      "switchboard. Fails if USER is offline or does not join within --timeout.", NULL },
    { "status", cmd_status, 0, 1, " hold ", "status [--hold] [online|busy|away|brb|phone|lunch|idle|invisible]",
      "Without STATUS: signs in and prints the profile's status. With STATUS:\n"
      "saves it as the status every msgr session of this profile signs in\n"
      "with, and signs in once with it. The server keeps a status only while a\n"
      "session is connected: --hold stays signed in, printing the status once\n"
      "contacts can see it, until SIGINT/SIGTERM. Through a running msgr\n"
      "(see msgr --help) STATUS becomes that msgr's status, and stays.", NULL },
    { "contacts", cmd_contacts, 0, 0, " json ", "contacts [--json]",
      "Lists the contact list: sign-in name, friendly name, status, blocked,\n"
      "groups. --json prints one JSON array of objects.", NULL },
    { "add", cmd_add, 1, 1, " ", "add USER", "Adds USER to the contact list.", NULL },
    { "remove", cmd_remove, 1, 1, " ", "remove USER", "Removes USER from the contact list.", NULL },
    { "block", cmd_block, 1, 1, " ", "block USER",
      "Blocks USER (they see you offline and cannot message you).", NULL },
    { "unblock", cmd_unblock, 1, 1, " ", "unblock USER", "Unblocks USER.", NULL },
    { "listen", cmd_listen, 0, 0, " ", "listen",
      "Stays signed in and prints one JSON object per line for every event\n"
      "(sign-in, contacts' status and names, conversations, the messages and\n"
      "typing notices received in them, who added or removed you,\n"
      "list changes, MSN Alerts: see README.md for the profile's app-id and\n"
      "app-key) until SIGINT/SIGTERM. Through a running msgr (see msgr --help)\n"
      "it prints that msgr's events, but conversations others start and\n"
      "invitations appear in that msgr only (libmsgr's local server mode).", NULL },
    { "sendfile", cmd_sendfile, 2, 2, " ", "sendfile USER FILE",
      "Offers FILE to USER and waits until USER accepts and the whole file has\n"
      "been sent (a progress bar on a terminal). Fails if USER is offline,\n"
      "declines, or the transfer breaks off; SIGINT/SIGTERM cancel it.", NULL },
    { "app", cmd_app, 1, 4, " ",
      "app register GUID NAME PATH [--url URL] | app unregister GUID | app list",
      "Application invitations (Session Invite): register signs in and adds the\n"
      "program PATH (an executable file) under GUID ({XXXXXXXX-XXXX-XXXX-XXXX-\n"
      "XXXXXXXXXXXX}) and NAME to the profile's application registry, so that an\n"
      "invitation to GUID starts it once you accept (with MSGR_SESSION_ID,\n"
      "MSGR_LAUNCHER_PID and MSGR_LOCAL_SOCKET in its environment); --url is\n"
      "where people who lack it can get it. unregister removes it. list prints\n"
      "what msgr registered, one \"GUID<TAB>NAME<TAB>URL<TAB>PATH\" line each,\n"
      "from the profile's msgr-apps file (see README.md). Under Lock and Key the\n"
      "profile's app-id and app-key unlock the registry.",
      " url " },
    { "invite", cmd_invite, 2, 2, " ", "invite USER GUID [--data TEXT]",
      "Invites USER to the application registered here under GUID (msgr app\n"
      "register), with TEXT as the invitation's data, and waits for the answer\n"
      "(at most 2 minutes, libmsgr's invitation timeout). Succeeds once USER\n"
      "accepted and the application's set-up went through; fails if USER is\n"
      "offline, declines, lacks the application or does not answer.\n"
      "SIGINT/SIGTERM cancel the invitation.",
      " data " },
};
#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static const char *g_command = NULL;
static bool g_reported = false;

void cli_set_command(const char *name)
{
    g_command = name;
}

void cli_error(const char *fmt, ...)
{
    if (g_reported)
        return;
    g_reported = true;
    va_list ap;
    va_start(ap, fmt);
    if (g_command)
        fprintf(stderr, "msgr: %s: ", g_command);
    else
        fputs("msgr: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

bool cli_valid_signin(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strlen(s) > 129)
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

static const char GLOBAL_HELP[] =
    "Global options (before or after the command):\n"
    "  --profile NAME    profile to use (default: the config's default profile)\n"
    "  --server H:P      msgrd MSNP address (overrides the profile)\n"
    "  --nexus URL       Passport nexus URL, or HOST:PORT of msgrd's login service\n"
    "  --ca-file FILE    certificate to trust for the login (msgrd's DATA_DIR/cert.pem)\n"
    "  --config FILE     config file (default $XDG_CONFIG_HOME/msgr/config)\n"
    "  --timeout SEC     bound on each wait for the server (default 15)\n"
    "  --direct          sign in to the server even when a running msgr serves\n"
    "                    the profile's account (that ends its session)\n"
    "  --attach          only act through a running msgr; fail if none serves\n"
    "  -h, --help        help; msgr COMMAND --help for one command\n"
    "  --version         program and library version\n"
    "Exit status: 0 success, 1 failure, 2 bad arguments or configuration;\n"
    "a failure prints one line on standard error.\n";

static void print_help(FILE *f)
{
    fputs("usage: msgr [OPTIONS] [COMMAND [ARGS]]\n\n"
          "Without a command (or with ui) msgr is the interactive Messenger in\n"
          "the terminal; F1 inside lists its keys. The other commands are for\n"
          "scripts. While the interactive msgr runs signed in, it serves its\n"
          "session to your other programs: a command of the same account acts\n"
          "through it (a status change is the running msgr's). Otherwise a\n"
          "command signs in with the saved profile, does its work and signs out;\n"
          "signing in ends any other session of the same account (the service\n"
          "allows one at a time).\n\n"
          "Commands:\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  msgr %s\n", COMMANDS[i].usage);
    fputc('\n', f);
    fputs(GLOBAL_HELP, f);
}

static void print_command_help(const command *c)
{
    printf("usage: msgr %s\n\n%s\n\n%s", c->usage, c->help, GLOBAL_HELP);
}

/* The library's own version, read through the public Property member. */
static void print_version(void)
{
    msgr_messenger *m = NULL;
    msgr_variant v = { .vt = MSGR_VT_EMPTY };
    const char *lib = "?";
    if (MSGR_SUCCEEDED(msgr_messenger_create(NULL, &m)) &&
        MSGR_SUCCEEDED(msgr_messenger_get_property(m, MMESSENGERPROP_VERSION, &v)) &&
        v.vt == MSGR_VT_BSTR)
        lib = v.u.bstr;
    printf("msgr %s (libmsgr %s)\n", MSGR_CLI_VERSION, lib);
    if (m)
        msgr_object_release(m);
}

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(COMMANDS[i].name, name) == 0)
            return &COMMANDS[i];
    return NULL;
}

/* The option's value: "--opt=value" or the next argument. */
static const char *option_value(int argc, char **argv, int *i, const char *arg,
                                size_t namelen)
{
    if (arg[namelen] == '=')
        return arg + namelen + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

typedef struct parse_state {
    const command *cmd;
    bool help, version;
} parse_state;

static int parse_timeout(cli_ctx *ctx, const char *v)
{
    char *end = NULL;
    long t = strtol(v, &end, 10);
    if (!*v || *end || t < 1 || t > 3600) {
        cli_error("--timeout: expected seconds between 1 and 3600, got '%s'", v);
        return CLI_USAGE;
    }
    ctx->timeout_s = (int)t;
    return CLI_OK;
}

/* Global options that take a value. */
static const char **value_slot(cli_ctx *ctx, const char *name, size_t len)
{
    static const char *const names[] = { "profile", "server", "ca-file", "config",
                                         "nexus" };
    const char **slots[] = { &ctx->profile, &ctx->server, &ctx->ca_file, &ctx->config,
                             &ctx->nexus };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strlen(names[k]) == len && strncmp(names[k], name, len) == 0)
            return slots[k];
    return NULL;
}

/* A command option with a value (--url, --data): only for the commands
 * listing it. NULL when it is not one of them. */
static const char **command_slot(cli_ctx *ctx, const parse_state *ps, const char *name,
                                 size_t len)
{
    char key[32];
    if (!ps->cmd || !ps->cmd->values || len + 3 > sizeof key)
        return NULL;
    snprintf(key, sizeof key, " %.*s ", (int)len, name);
    if (!strstr(ps->cmd->values, key))
        return NULL;
    return len == 3 && strncmp(name, "url", 3) == 0 ? &ctx->url : &ctx->data;
}

/* A command flag such as --json: allowed only by the commands listing it. */
static int set_flag(cli_ctx *ctx, const parse_state *ps, const char *name, size_t len)
{
    char key[32];
    if (!ps->cmd || len + 3 > sizeof key)
        return CLI_USAGE;
    snprintf(key, sizeof key, " %.*s ", (int)len, name);
    if (!strstr(ps->cmd->flags, key))
        return CLI_USAGE;
    if (len == 4 && strncmp(name, "json", 4) == 0)
        ctx->json = true;
    else
        ctx->hold = true;
    return CLI_OK;
}

/* --direct or --attach: one of them at most. */
static int set_link(cli_ctx *ctx, cli_link link)
{
    if (ctx->link != CLI_LINK_AUTO && ctx->link != link) {
        cli_error("--direct and --attach exclude each other");
        return CLI_USAGE;
    }
    ctx->link = link;
    return CLI_OK;
}

static int parse_long(cli_ctx *ctx, parse_state *ps, int argc, char **argv, int *i)
{
    const char *arg = argv[*i] + 2;
    size_t len = strcspn(arg, "=");
    const char **slot = value_slot(ctx, arg, len);
    bool own = false; /* a command's option: "" is a value (an empty --data) */
    if (!slot && (slot = command_slot(ctx, ps, arg, len)))
        own = true;
    if (slot || (len == 7 && strncmp(arg, "timeout", 7) == 0)) {
        const char *v = option_value(argc, argv, i, arg, len);
        if (!v || (!*v && !own)) {
            cli_error("option --%.*s needs a value", (int)len, arg);
            return CLI_USAGE;
        }
        if (!slot)
            return parse_timeout(ctx, v);
        *slot = v;
        return CLI_OK;
    }
    if (strcmp(arg, "help") == 0) {
        ps->help = true;
        return CLI_OK;
    }
    if (strcmp(arg, "version") == 0) {
        ps->version = true;
        return CLI_OK;
    }
    if (strcmp(arg, "direct") == 0 || strcmp(arg, "attach") == 0)
        return set_link(ctx, arg[0] == 'd' ? CLI_LINK_DIRECT : CLI_LINK_ATTACH);
    if (arg[len] == '\0' && set_flag(ctx, ps, arg, len) == CLI_OK)
        return CLI_OK;
    cli_error("unknown option --%s (see msgr %s%s--help)", arg,
              ps->cmd ? ps->cmd->name : "", ps->cmd ? " " : "");
    return CLI_USAGE;
}

static int parse_positional(cli_ctx *ctx, parse_state *ps, char *arg)
{
    if (!ps->cmd) {
        ps->cmd = find_command(arg);
        if (!ps->cmd) {
            cli_error("unknown command '%s' (see msgr --help)", arg);
            return CLI_USAGE;
        }
        cli_set_command(ps->cmd->name);
        return CLI_OK;
    }
    ctx->pos[ctx->npos++] = arg;
    return CLI_OK;
}

static int parse_args(cli_ctx *ctx, parse_state *ps, int argc, char **argv)
{
    bool options = true;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        int rc = CLI_OK;
        if (options && strcmp(a, "--") == 0)
            options = false;
        else if (options && strncmp(a, "--", 2) == 0)
            rc = parse_long(ctx, ps, argc, argv, &i);
        else if (options && strcmp(a, "-h") == 0)
            ps->help = true;
        else if (options && a[0] == '-' && a[1] != '\0') {
            cli_error("unknown option %s (see msgr --help)", a);
            rc = CLI_USAGE;
        } else
            rc = parse_positional(ctx, ps, a);
        if (rc != CLI_OK)
            return rc;
    }
    return CLI_OK;
}

static int check_positional(const cli_ctx *ctx, const command *c)
{
    if (ctx->npos < c->min_pos || ctx->npos > c->max_pos) {
        cli_error("wrong number of arguments; usage: msgr %s", c->usage);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int main(int argc, char **argv)
{
    cli_ctx ctx = { .timeout_s = CLI_DEFAULT_TIMEOUT };
    parse_state ps = { 0 };
    ctx.pos = calloc((size_t)argc + 1, sizeof *ctx.pos);
    if (!ctx.pos) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    int rc = parse_args(&ctx, &ps, argc, argv);
    if (rc == CLI_OK && ps.version && !ps.help)
        print_version();
    else if (rc == CLI_OK && ps.help && ps.cmd)
        print_command_help(ps.cmd);
    else if (rc == CLI_OK && ps.help)
        print_help(stdout);
    else if (rc == CLI_OK && !ps.cmd && !(isatty(0) && isatty(1))) {
        /* a script that forgot its command must not wait on a screen */
        cli_error("no command given (see msgr --help); the interactive Messenger "
                  "needs a terminal");
        rc = CLI_USAGE;
    } else if (rc == CLI_OK && !ps.cmd) {
        cli_set_command("ui");
        rc = cmd_ui(&ctx); /* no command: the interactive Messenger */
    } else if (rc == CLI_OK)
        rc = check_positional(&ctx, ps.cmd);
    if (rc == CLI_OK && ps.cmd && !ps.help && !ps.version)
        rc = ps.cmd->run(&ctx);
    free(ctx.pos);
    return rc;
}
