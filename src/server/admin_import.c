/*
 * admin_import.c - "msgrd user import": bulk account creation for
 * benchmarks and migrations (admin.h).
 *
 * Input, one account per line on standard input:
 *
 *     handle password [contact1,contact2,...]
 *
 * Every account is created first; then each listed contact becomes a
 * mutual contact: both accounts get the other on FL and AL (the store
 * mirrors FL onto the other side's RL). Contacts may name accounts that
 * appear on later lines, or that already exist in the store.
 *
 * Speed. argon2id is deliberately slow, so each distinct password is
 * hashed once and the resulting record is reused for every account with
 * that password. An argon2id record embeds its random salt, so accounts
 * sharing a password then share a salt and an identical stored record:
 * fine for benchmark accounts, not what "user add" does for real users
 * (an attacker who steals the database learns which accounts share a
 * password). All store calls run in batches (store_batch_begin) of
 * IMPORT_BATCH_CALLS calls each, with the store opened at
 * synchronous=NORMAL; the final commit makes everything durable. A
 * failure stops the import and rolls back only the current batch, so
 * import into a fresh data directory and start over if it fails.
 */
#include "admin.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "msnp_types.h"
#include "ns.h"
#include "password.h"
#include "store.h"
#include "strmap.h"

/* Longest input line accepted (150 contacts of 129 bytes fit easily). */
#define IMPORT_MAX_LINE (64 * 1024)
/* Store calls per batch transaction: bounds the WAL and the lock hold. */
#define IMPORT_BATCH_CALLS 20000
/* Upper bound on input lines (and so on every loop here). */
#define IMPORT_MAX_LINES 10000000UL

/* One mutual contact relation to create after all accounts exist. */
typedef struct import_pair {
    char *a, *b; /* lower-case handles */
} import_pair;

typedef struct import_state {
    const msgrd_config *cfg;
    store *st;
    strmap *records;    /* password -> malloc'd password record */
    import_pair *pairs; /* contact relations, in input order */
    size_t npairs, cap_pairs;
    size_t calls;       /* store calls in the current batch */
    unsigned long created, existing, linked, already;
} import_state;

static int import_fail(const char *what, unsigned long line)
{
    if (line)
        fprintf(stderr, "msgrd: import: line %lu: %s\n", line, what);
    else
        fprintf(stderr, "msgrd: import: %s\n", what);
    return 1;
}

/* Lower-cases a handle in place and checks it like USR and ADD do. */
static bool normalise_handle(char *h)
{
    for (char *p = h; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return ns_handle_valid(h);
}

/* Ends the current batch and opens the next one every IMPORT_BATCH_CALLS
 * calls, so a large import does not hold one giant transaction. */
static int batch_tick(import_state *s)
{
    if (++s->calls < IMPORT_BATCH_CALLS)
        return 0;
    s->calls = 0;
    int rc = store_batch_commit(s->st);
    if (rc == 0)
        rc = store_batch_begin(s->st);
    return rc;
}

/* The record for password, hashing it only the first time it is seen. */
static const char *record_for(import_state *s, const char *password)
{
    char *rec = strmap_get(s->records, password);
    if (rec)
        return rec;
    if (password_record_new(password, s->cfg->argon2_ops, s->cfg->argon2_mem_kib,
                            s->cfg->truncate_password, &rec) != PASSWORD_OK)
        return NULL;
    if (strmap_put(s->records, password, rec) != 0) {
        free(rec);
        return NULL;
    }
    return rec;
}

static int add_pair(import_state *s, const char *a, const char *b)
{
    if (s->npairs == s->cap_pairs) {
        size_t cap = s->cap_pairs ? s->cap_pairs * 2 : 1024;
        import_pair *np = realloc(s->pairs, cap * sizeof *np);
        if (!np)
            return -1;
        s->pairs = np;
        s->cap_pairs = cap;
    }
    import_pair *p = &s->pairs[s->npairs];
    p->a = strdup(a);
    p->b = strdup(b);
    if (!p->a || !p->b) {
        free(p->a);
        free(p->b);
        return -1;
    }
    s->npairs++;
    return 0;
}

/* Remembers the contacts of one line ("c1,c2,..."). */
static int collect_contacts(import_state *s, const char *owner, char *list, unsigned long line)
{
    char *save = NULL;
    for (char *c = strtok_r(list, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        if (!normalise_handle(c))
            return import_fail("invalid contact handle", line);
        if (strcmp(c, owner) == 0)
            continue; /* oneself: nothing to link */
        if (add_pair(s, owner, c) != 0)
            return import_fail("out of memory", line);
    }
    return 0;
}

/* Creates the account of one input line and records its contacts. */
static int import_line(import_state *s, char *text, unsigned long line)
{
    char *save = NULL;
    char *handle = strtok_r(text, " \t\r\n", &save);
    if (!handle || handle[0] == '#')
        return 0; /* blank line or comment */
    char *password = strtok_r(NULL, " \t\r\n", &save);
    char *contacts = strtok_r(NULL, " \t\r\n", &save);
    if (!password || strtok_r(NULL, " \t\r\n", &save))
        return import_fail("expected: handle password [contact,contact,...]", line);
    if (!normalise_handle(handle))
        return import_fail("invalid handle", line);
    const char *rec = record_for(s, password);
    if (!rec)
        return import_fail("password hashing failed", line);
    int rc = store_account_create(s->st, handle, rec, NULL, s->cfg->group0_name);
    if (rc == STORE_E_EXISTS)
        s->existing++;
    else if (rc != 0)
        return import_fail(store_strerror(rc), line);
    else
        s->created++;
    if (batch_tick(s) != 0)
        return import_fail("store batch failed", line);
    return contacts ? collect_contacts(s, handle, contacts, line) : 0;
}

/* One store_list_add that tolerates "already there" (215), so a repeated
 * pair or a re-run changes nothing. */
static int link_one(import_state *s, const char *owner, int list, const char *target)
{
    const store_limits lim = { s->cfg->fl_limit, s->cfg->al_limit, s->cfg->bl_limit,
                               s->cfg->rl_limit };
    int rc = store_list_add(s->st, owner, list, target, NULL, -1, &lim, NULL);
    if (rc == 215) {
        s->already++;
        rc = 0;
    }
    if (rc == 0)
        rc = batch_tick(s);
    return rc;
}

/* Makes every collected pair a mutual FL+AL relation. */
static int link_pairs(import_state *s)
{
    for (size_t i = 0; i < s->npairs; i++) {
        const import_pair *p = &s->pairs[i];
        int rc = link_one(s, p->a, MSNP_LIST_FL, p->b);
        if (rc == 0)
            rc = link_one(s, p->a, MSNP_LIST_AL, p->b);
        if (rc == 0)
            rc = link_one(s, p->b, MSNP_LIST_FL, p->a);
        if (rc == 0)
            rc = link_one(s, p->b, MSNP_LIST_AL, p->a);
        if (rc != 0) {
            fprintf(stderr, "msgrd: import: linking %s and %s: %s\n", p->a, p->b,
                    store_strerror(rc));
            return 1;
        }
        s->linked++;
    }
    return 0;
}

/* Reads every line of in and creates the accounts. */
static int read_accounts(import_state *s, FILE *in)
{
    char *buf = malloc(IMPORT_MAX_LINE);
    if (!buf)
        return import_fail("out of memory", 0);
    int status = 0;
    unsigned long line = 0;
    while (status == 0 && line < IMPORT_MAX_LINES && fgets(buf, IMPORT_MAX_LINE, in)) {
        line++;
        if (!strchr(buf, '\n') && !feof(in))
            status = import_fail("line too long", line);
        else
            status = import_line(s, buf, line);
    }
    if (status == 0 && ferror(in))
        status = import_fail("error reading standard input", 0);
    free(buf);
    return status;
}

static int free_record(const char *key, void *value, void *ud)
{
    (void)key;
    (void)ud;
    char *rec = value;
    sodium_memzero(rec, strlen(rec));
    free(rec);
    return 0;
}

static void import_state_free(import_state *s)
{
    if (s->records) {
        strmap_foreach(s->records, free_record, NULL);
        strmap_free(s->records);
    }
    for (size_t i = 0; i < s->npairs; i++) {
        free(s->pairs[i].a);
        free(s->pairs[i].b);
    }
    free(s->pairs);
}

static int open_import_store(const msgrd_config *cfg, store **st)
{
    struct stat sb;
    if (mkdir(cfg->data_dir, 0700) != 0 && errno != EEXIST)
        return import_fail("cannot create the data directory", 0);
    if (stat(cfg->data_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return import_fail("the data directory is not a directory", 0);
    char *err = NULL;
    store_options opt = { STORE_SYNC_NORMAL, 0 };
    if (store_open(cfg->data_dir, &opt, st, &err) != 0) {
        fprintf(stderr, "msgrd: import: store: %s\n", err ? err : "cannot open");
        free(err);
        return 1;
    }
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int admin_user_import(const msgrd_config *cfg, FILE *in)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    import_state s = { .cfg = cfg };
    s.records = strmap_new();
    if (!s.records)
        return import_fail("out of memory", 0);
    if (open_import_store(cfg, &s.st) != 0) {
        import_state_free(&s);
        return 1;
    }
    int status = store_batch_begin(s.st) == 0 ? 0 : import_fail("cannot start a batch", 0);
    if (status == 0)
        status = read_accounts(&s, in);
    if (status == 0)
        status = link_pairs(&s);
    if (status == 0 && store_batch_commit(s.st) != 0)
        status = import_fail("the final commit failed", 0);
    else if (status != 0)
        store_batch_rollback(s.st);
    if (status == 0)
        fprintf(stderr,
                "msgrd: import: %lu accounts created, %lu already existed, %lu contact pairs "
                "(%lu list entries were already there), %.1f s\n",
                s.created, s.existing, s.linked, s.already, seconds_since(&t0));
    store_close(s.st);
    import_state_free(&s);
    return status;
}
