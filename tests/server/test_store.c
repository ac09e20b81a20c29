/*
 * test_store.c - the SQLite store against msnp.md 3 and 4.7: accounts,
 * lists with RL mirroring, groups, privacy, properties, list versions,
 * durability across reopen, schema versioning, and all-or-nothing
 * transactions.
 *
 * Every test gets a fresh temporary data directory with three accounts
 * (alice, bob, carol; every new account is at list version 1) and removes
 * it afterwards. Versions are asserted exactly: each change is +1.
 */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"

#define ALICE "alice@example.com"
#define BOB "bob@example.org"
#define CAROL "carol@example.net"
#define DAVE "dave@example.com"
#define GROUP0 "Other Contacts"

#define FL MSNP_LIST_FL
#define AL MSNP_LIST_AL
#define BL MSNP_LIST_BL
#define RL MSNP_LIST_RL

typedef struct fixture {
    char dir[64];
    store *s;
} fixture;

/* ------------------------------------------------------------- helpers */

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static store *open_store(const char *dir)
{
    store *s = NULL;
    char *err = NULL;
    int rc = store_open(dir, NULL, &s, &err);
    if (rc != 0)
        fprintf(stderr, "store_open: %d %s\n", rc, err ? err : "");
    free(err);
    assert_int_equal(rc, 0);
    assert_non_null(s);
    return s;
}

static void create(store *s, const char *handle)
{
    assert_int_equal(store_account_create(s, handle, "hash", NULL, GROUP0), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/msgr-store-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->s = open_store(f->dir);
    create(f->s, ALICE);
    create(f->s, BOB);
    create(f->s, CAROL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    remove_dir(f->dir);
    free(f);
    return 0;
}

/* Runs SQL on the database file through a connection of our own. */
static void raw_exec(const char *dir, const char *sql)
{
    char path[512];
    sqlite3 *db = NULL;
    char *err = NULL;

    snprintf(path, sizeof path, "%s/msgrd.sqlite3", dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("raw_exec %s: %s", sql, err);
    sqlite3_close(db);
}

static int64_t raw_int(const char *dir, const char *sql)
{
    char path[512];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t v = -1;

    snprintf(path, sizeof path, "%s/msgrd.sqlite3", dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static store_user *load(store *s, const char *handle)
{
    store_user *u = NULL;
    assert_int_equal(store_load_user(s, handle, &u), 0);
    assert_non_null(u);
    return u;
}

static uint32_t version_of(store *s, const char *handle)
{
    store_user *u = load(s, handle);
    uint32_t v = u->list_version;
    store_user_free(u);
    return v;
}

/* The owner's bits for contact (0 when no entry). */
static unsigned bits_of(store *s, const char *owner, const char *contact)
{
    store_user *u = load(s, owner);
    const store_contact *c = store_user_find_contact(u, contact);
    unsigned bits = c ? c->lists : 0;
    store_user_free(u);
    return bits;
}

static int add(store *s, const char *owner, int list, const char *target, int gid)
{
    store_result r;
    int rc = store_list_add(s, owner, list, target, NULL, gid, NULL, &r);
    store_result_free(&r);
    return rc;
}

static int rem(store *s, const char *owner, int list, const char *target, int gid)
{
    store_result r;
    int rc = store_list_remove(s, owner, list, target, gid, &r);
    store_result_free(&r);
    return rc;
}

static int add_group(store *s, const char *owner, const char *name)
{
    store_result r;
    int gid = -1;
    assert_int_equal(store_group_add(s, owner, name, &r, &gid), 0);
    store_result_free(&r);
    return gid;
}

static int set_blp(store *s, const char *owner, store_blp blp)
{
    return store_set_blp(s, owner, blp, NULL);
}

/* -------------------------------------------------------- open / schema */

static void test_open_sets_schema(void **state)
{
    fixture *f = *state;
    assert_int_equal(raw_int(f->dir, "PRAGMA user_version"), 1);
    assert_int_equal(raw_int(f->dir, "PRAGMA application_id"), 0x4d534752);
    assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM sqlite_schema WHERE name = 'apps'"), 1);
    assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
}

static void test_open_refuses_newer_schema(void **state)
{
    fixture *f = *state;
    store *s = NULL;
    char *err = NULL;

    store_close(f->s);
    f->s = NULL;
    raw_exec(f->dir, "PRAGMA user_version = 99");
    assert_int_equal(store_open(f->dir, NULL, &s, &err), STORE_E_SCHEMA);
    assert_null(s);
    assert_non_null(err);
    assert_non_null(strstr(err, "newer"));
    free(err);
    /* Refused without touching it. */
    assert_int_equal(raw_int(f->dir, "PRAGMA user_version"), 99);
}

static void test_open_refuses_foreign_database(void **state)
{
    char dir[64] = "/tmp/msgr-store-XXXXXX";
    store *s = NULL;
    char *err = NULL;

    (void)state;
    assert_non_null(mkdtemp(dir));
    raw_exec(dir, "CREATE TABLE something_else (x)");
    assert_int_equal(store_open(dir, NULL, &s, &err), STORE_E_CORRUPT);
    assert_null(s);
    assert_non_null(err);
    assert_non_null(strstr(err, "not an msgrd database"));
    free(err);
    remove_dir(dir);
}

static void test_open_missing_directory(void **state)
{
    store *s = NULL;
    char *err = NULL;

    (void)state;
    assert_int_equal(store_open("/nonexistent/msgr/dir", NULL, &s, &err), STORE_E_IO);
    assert_null(s);
    assert_non_null(err);
    free(err);
    assert_int_equal(store_open(NULL, NULL, &s, NULL), STORE_E_INVALID);
}

static void test_open_sync_normal_and_second_handle(void **state)
{
    fixture *f = *state;
    store_options opt = {.sync = STORE_SYNC_NORMAL, .busy_timeout_ms = 2000};
    store *s2 = NULL;
    bool exists = false;

    assert_int_equal(store_open(f->dir, &opt, &s2, NULL), 0);
    /* A change through one handle is visible through the other. */
    create(s2, DAVE);
    assert_int_equal(store_account_exists(f->s, DAVE, &exists), 0);
    assert_true(exists);
    assert_int_equal(add(f->s, ALICE, FL, DAVE, -1), 0);
    assert_int_equal(bits_of(s2, DAVE, ALICE), RL);
    store_close(s2);
}

/* ------------------------------------------------------------- accounts */

static void test_account_defaults(void **state)
{
    fixture *f = *state;
    store_user *a = load(f->s, ALICE), *b = load(f->s, BOB);
    int p;

    assert_string_equal(a->handle, ALICE);
    assert_string_equal(a->friendly_name, ALICE);
    assert_int_equal(a->list_version, 1);
    assert_int_equal(a->gtc, 'A');
    assert_int_equal(a->blp, STORE_BLP_AL);
    assert_true(a->puid != 0);
    assert_true(a->puid != b->puid);
    for (p = 0; p < STORE_PROP_COUNT; p++)
        assert_null(a->props[p]);
    assert_int_equal(a->ngroups, 1);
    assert_int_equal(a->groups[0].gid, 0);
    assert_string_equal(a->groups[0].name, GROUP0);
    assert_int_equal(a->ncontacts, 0);
    store_user_free(a);
    store_user_free(b);
}

static void test_account_create_rules(void **state)
{
    fixture *f = *state;
    store_user *u;

    assert_int_equal(store_account_create(f->s, "Alice@Example.COM", "h", NULL, GROUP0),
                     STORE_E_EXISTS);
    assert_int_equal(store_account_create(f->s, "", "h", NULL, GROUP0), STORE_E_INVALID);
    assert_int_equal(store_account_create(f->s, NULL, "h", NULL, GROUP0), STORE_E_INVALID);
    assert_int_equal(store_account_create(f->s, DAVE, NULL, NULL, GROUP0), STORE_E_INVALID);
    assert_int_equal(store_account_create(f->s, "Dave@Example.com", "h", "Dave D.", "~"), 0);
    u = load(f->s, DAVE);
    assert_string_equal(u->handle, DAVE); /* stored lower-cased */
    assert_string_equal(u->friendly_name, "Dave D.");
    assert_string_equal(u->groups[0].name, "~");
    store_user_free(u);
}

typedef struct listing {
    char names[8][64];
    int n, stop_after;
} listing;

static int collect_account(const char *handle, const char *friendly_name, void *ud)
{
    listing *l = ud;
    (void)friendly_name;
    snprintf(l->names[l->n++], sizeof l->names[0], "%s", handle);
    return l->n == l->stop_after ? 42 : 0;
}

static void test_account_list(void **state)
{
    fixture *f = *state;
    listing l = {.stop_after = -1};

    assert_int_equal(store_account_list(f->s, collect_account, &l), 0);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.names[0], ALICE);
    assert_string_equal(l.names[1], BOB);
    assert_string_equal(l.names[2], CAROL);
    memset(&l, 0, sizeof l);
    l.stop_after = 2;
    assert_int_equal(store_account_list(f->s, collect_account, &l), 42);
    assert_int_equal(l.n, 2);
}

static void test_account_password(void **state)
{
    fixture *f = *state;
    char *hash = NULL;

    assert_int_equal(store_account_get_pwhash(f->s, "BOB@example.org", &hash), 0);
    assert_string_equal(hash, "hash");
    free(hash);
    assert_int_equal(store_account_set_password(f->s, BOB, "$argon2id$new"), 0);
    assert_int_equal(store_account_get_pwhash(f->s, BOB, &hash), 0);
    assert_string_equal(hash, "$argon2id$new");
    free(hash);
    assert_int_equal(store_account_get_pwhash(f->s, DAVE, &hash), STORE_E_NOTFOUND);
    assert_null(hash);
    assert_int_equal(store_account_set_password(f->s, DAVE, "x"), STORE_E_NOTFOUND);
    assert_int_equal(version_of(f->s, BOB), 1); /* passwords are not list data */
}

static void test_account_delete_cleans_other_lists(void **state)
{
    fixture *f = *state;
    store_result r;
    bool exists = true;

    create(f->s, DAVE);
    assert_int_equal(add(f->s, ALICE, FL, BOB, -1), 0);  /* alice 2, bob 2 */
    assert_int_equal(add(f->s, CAROL, BL, BOB, -1), 0);  /* carol 2 */
    assert_int_equal(add(f->s, BOB, FL, ALICE, -1), 0);  /* bob 3, alice 3 */
    assert_int_equal(add(f->s, BOB, FL, BOB, -1), 0);    /* bob 4, 5 (self) */
    assert_int_equal(store_account_delete(f->s, "Bob@Example.org", &r), 0);
    assert_int_equal(r.npeers, 2);
    assert_string_equal(r.peers[0].handle, ALICE);
    assert_int_equal(r.peers[0].version, 4);
    assert_string_equal(r.peers[1].handle, CAROL);
    assert_int_equal(r.peers[1].version, 3);
    store_result_free(&r);
    assert_int_equal(store_account_exists(f->s, BOB, &exists), 0);
    assert_false(exists);
    assert_int_equal(bits_of(f->s, ALICE, BOB), 0);
    assert_int_equal(bits_of(f->s, CAROL, BOB), 0);
    assert_int_equal(version_of(f->s, DAVE), 1);
    assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM contact_groups"), 0);
    assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM contacts"), 0);
    assert_int_equal(store_account_delete(f->s, BOB, NULL), STORE_E_NOTFOUND);
}

/* ------------------------------------------------------------ ADD / REM */

static void test_add_fl_mirrors_rl(void **state)
{
    fixture *f = *state;
    store_result r;
    store_user *u;
    const store_contact *c;

    assert_int_equal(store_list_add(f->s, ALICE, FL, "BOB@EXAMPLE.ORG", "Bob", -1, NULL, &r), 0);
    assert_int_equal(r.version, 2);
    assert_true(r.peer_changed);
    assert_int_equal(r.peer_version, 2);
    assert_int_equal(r.npeers, 0);
    store_result_free(&r);

    u = load(f->s, ALICE);
    assert_int_equal(u->ncontacts, 1);
    c = &u->contacts[0];
    assert_string_equal(c->handle, BOB);
    assert_string_equal(c->stored_name, "Bob");
    assert_int_equal(c->lists, FL);
    assert_int_equal(c->groups, 1u << 0);
    store_user_free(u);

    u = load(f->s, BOB);
    assert_int_equal(u->list_version, 2);
    c = store_user_find_contact(u, ALICE);
    assert_non_null(c);
    assert_int_equal(c->lists, RL);
    assert_string_equal(c->stored_name, ALICE);
    assert_int_equal(c->groups, 0);
    store_user_free(u);

    /* And back: bob adds alice; alice's entry for bob becomes FL|RL. */
    assert_int_equal(store_list_add(f->s, BOB, FL, ALICE, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.version, 3);
    assert_int_equal(r.peer_version, 3);
    store_result_free(&r);
    assert_int_equal(bits_of(f->s, ALICE, BOB), FL | RL);
    assert_int_equal(bits_of(f->s, BOB, ALICE), FL | RL);
}

static void test_add_fl_rules(void **state)
{
    fixture *f = *state;
    store_result r;
    store_user *u;
    const store_contact *c;

    assert_int_equal(add(f->s, ALICE, FL, "nobody@example.com", -1), 205);
    assert_int_equal(add(f->s, ALICE, FL, BOB, 7), 224);
    assert_int_equal(add(f->s, ALICE, FL, BOB, 0), 0);                      /* alice 2 */
    assert_int_equal(add(f->s, ALICE, FL, BOB, -1), 215);                   /* group 0 again */
    assert_int_equal(add_group(f->s, ALICE, "Friends"), 1);                 /* alice 3 */
    assert_int_equal(store_list_add(f->s, ALICE, FL, BOB, "B", 1, NULL, &r), 0);
    assert_int_equal(r.version, 4);
    assert_false(r.peer_changed); /* already on FL: RL untouched */
    store_result_free(&r);
    assert_int_equal(add(f->s, ALICE, FL, BOB, 1), 215);
    assert_int_equal(version_of(f->s, BOB), 2);
    assert_int_equal(version_of(f->s, ALICE), 4);

    u = load(f->s, ALICE);
    c = store_user_find_contact(u, BOB);
    assert_int_equal(c->groups, (1u << 0) | (1u << 1));
    assert_string_equal(c->stored_name, "B"); /* ADD sets the stored name */
    store_user_free(u);

    assert_int_equal(add(f->s, "nobody@example.com", FL, BOB, -1), STORE_E_NOTFOUND);
}

static void test_add_al_bl_exclusion(void **state)
{
    fixture *f = *state;
    store_result r;

    assert_int_equal(store_list_add(f->s, ALICE, AL, BOB, NULL, -1, NULL, &r), 0);
    assert_int_equal(r.version, 2);
    assert_false(r.peer_changed);
    store_result_free(&r);
    assert_int_equal(add(f->s, ALICE, AL, BOB, -1), 215);
    assert_int_equal(add(f->s, ALICE, BL, BOB, -1), 219);
    assert_int_equal(add(f->s, ALICE, BL, CAROL, -1), 0); /* 3 */
    assert_int_equal(add(f->s, ALICE, AL, CAROL, -1), 219);
    assert_int_equal(add(f->s, ALICE, BL, CAROL, -1), 215);
    assert_int_equal(version_of(f->s, ALICE), 3);
    assert_int_equal(version_of(f->s, BOB), 1); /* AL/BL never touch the target */
    assert_int_equal(bits_of(f->s, ALICE, BOB), AL);
    assert_int_equal(bits_of(f->s, ALICE, CAROL), BL);
    /* Blocking flow of msnp.md 3.12: leave AL first. */
    assert_int_equal(rem(f->s, ALICE, AL, BOB, -1), 0);
    assert_int_equal(add(f->s, ALICE, BL, BOB, -1), 0);
    assert_int_equal(version_of(f->s, ALICE), 5);
}

static void test_add_limits(void **state)
{
    fixture *f = *state;
    store_limits lim = {.fl = 1, .al = 1, .bl = 1, .rl = 1};
    store_result r;

    create(f->s, DAVE);
    assert_int_equal(store_list_add(f->s, ALICE, FL, BOB, NULL, -1, &lim, &r), 0);
    store_result_free(&r);
    assert_int_equal(store_list_add(f->s, ALICE, FL, CAROL, NULL, -1, &lim, &r), 210);
    assert_int_equal(r.version, 0);
    /* bob's RL is full (alice): carol cannot add him. */
    assert_int_equal(store_list_add(f->s, CAROL, FL, BOB, NULL, -1, &lim, &r), 210);
    assert_int_equal(store_list_add(f->s, ALICE, AL, BOB, NULL, -1, &lim, &r), 0);
    store_result_free(&r);
    assert_int_equal(store_list_add(f->s, ALICE, AL, CAROL, NULL, -1, &lim, &r), 210);
    assert_int_equal(store_list_add(f->s, ALICE, BL, CAROL, NULL, -1, &lim, &r), 0);
    store_result_free(&r);
    assert_int_equal(store_list_add(f->s, ALICE, BL, DAVE, NULL, -1, &lim, &r), 210);
    /* A 2xx changes nothing, versions included. */
    assert_int_equal(version_of(f->s, ALICE), 4);
    assert_int_equal(version_of(f->s, BOB), 2);
    assert_int_equal(version_of(f->s, CAROL), 1);
    assert_int_equal(bits_of(f->s, ALICE, CAROL), BL);
    assert_int_equal(bits_of(f->s, CAROL, BOB), 0);
}

static void test_add_own_handle(void **state)
{
    fixture *f = *state;
    store_result r;

    assert_int_equal(store_list_add(f->s, ALICE, FL, ALICE, NULL, -1, NULL, &r), 0);
    assert_int_equal(r.version, 2);
    assert_true(r.peer_changed);
    assert_int_equal(r.peer_version, 3); /* owner change first, then the RL mirror */
    store_result_free(&r);
    assert_int_equal(bits_of(f->s, ALICE, ALICE), FL | RL);
    assert_int_equal(store_list_remove(f->s, ALICE, FL, ALICE, -1, &r), 0);
    assert_int_equal(r.version, 4);
    assert_int_equal(r.peer_version, 5);
    store_result_free(&r);
    assert_int_equal(bits_of(f->s, ALICE, ALICE), 0);
}

static void test_remove_rules(void **state)
{
    fixture *f = *state;
    store_result r;
    store_user *u;

    assert_int_equal(add_group(f->s, ALICE, "Friends"), 1);  /* alice 2 */
    assert_int_equal(add_group(f->s, ALICE, "Family"), 2);   /* 3 */
    assert_int_equal(add(f->s, ALICE, FL, BOB, 1), 0);       /* 4, bob 2 */
    assert_int_equal(add(f->s, ALICE, FL, BOB, 2), 0);       /* 5 */
    assert_int_equal(add(f->s, ALICE, AL, BOB, -1), 0);      /* 6 */

    assert_int_equal(rem(f->s, ALICE, FL, CAROL, -1), 216);
    assert_int_equal(rem(f->s, ALICE, FL, "nobody@example.com", -1), 216);
    assert_int_equal(rem(f->s, ALICE, BL, BOB, -1), 216);
    assert_int_equal(rem(f->s, ALICE, FL, BOB, 9), 224);
    assert_int_equal(rem(f->s, ALICE, FL, BOB, 0), 225);
    assert_int_equal(version_of(f->s, ALICE), 6);

    /* One of two groups: only the membership goes. */
    assert_int_equal(store_list_remove(f->s, ALICE, FL, BOB, 1, &r), 0);
    assert_int_equal(r.version, 7);
    assert_false(r.removed_from_fl);
    assert_false(r.peer_changed);
    store_result_free(&r);
    assert_int_equal(bits_of(f->s, BOB, ALICE), RL);

    /* The last group: off FL, off bob's RL; AL stays. */
    assert_int_equal(store_list_remove(f->s, ALICE, FL, BOB, 2, &r), 0);
    assert_int_equal(r.version, 8);
    assert_true(r.removed_from_fl);
    assert_true(r.peer_changed);
    assert_int_equal(r.peer_version, 3);
    store_result_free(&r);
    u = load(f->s, ALICE);
    assert_int_equal(u->ncontacts, 1);
    assert_int_equal(u->contacts[0].lists, AL);
    assert_int_equal(u->contacts[0].groups, 0);
    store_user_free(u);
    assert_int_equal(bits_of(f->s, BOB, ALICE), 0);
    assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM contact_groups"), 0);

    /* Removing the last bit deletes the entry. */
    assert_int_equal(store_list_remove(f->s, ALICE, AL, BOB, -1, &r), 0);
    assert_int_equal(r.version, 9);
    store_result_free(&r);
    u = load(f->s, ALICE);
    assert_int_equal(u->ncontacts, 0);
    store_user_free(u);

    /* REM FL without gid drops every group at once. */
    assert_int_equal(add(f->s, ALICE, FL, CAROL, 1), 0);
    assert_int_equal(add(f->s, ALICE, FL, CAROL, 2), 0);
    assert_int_equal(store_list_remove(f->s, ALICE, FL, CAROL, -1, &r), 0);
    assert_true(r.removed_from_fl);
    assert_int_equal(r.peer_version, 3);
    store_result_free(&r);
    assert_int_equal(bits_of(f->s, ALICE, CAROL), 0);
    assert_int_equal(bits_of(f->s, CAROL, ALICE), 0);
}

static void test_fl_removal_keeps_al_bl_and_rl(void **state)
{
    fixture *f = *state;

    assert_int_equal(add(f->s, ALICE, FL, BOB, -1), 0);
    assert_int_equal(add(f->s, BOB, FL, ALICE, -1), 0);
    assert_int_equal(add(f->s, ALICE, BL, BOB, -1), 0);
    assert_int_equal(bits_of(f->s, ALICE, BOB), FL | BL | RL);
    assert_int_equal(rem(f->s, ALICE, FL, BOB, -1), 0);
    assert_int_equal(bits_of(f->s, ALICE, BOB), BL | RL);
    assert_int_equal(bits_of(f->s, BOB, ALICE), FL);
}

/* --------------------------------------------------------------- groups */

static void test_groups(void **state)
{
    fixture *f = *state;
    store_result r;
    store_user *u;
    char name[16];
    int gid, i;

    assert_int_equal(store_group_add(f->s, ALICE, "A", &r, &gid), 0);
    assert_int_equal(gid, 1);
    assert_int_equal(r.version, 2);
    store_result_free(&r);
    assert_int_equal(add_group(f->s, ALICE, "B"), 2);
    assert_int_equal(add_group(f->s, ALICE, "C"), 3);
    assert_int_equal(add_group(f->s, ALICE, "C"), 4); /* duplicate names allowed */
    assert_int_equal(store_group_remove(f->s, ALICE, 2, NULL), 0);
    assert_int_equal(add_group(f->s, ALICE, "again"), 2); /* lowest free id */

    assert_int_equal(store_group_remove(f->s, ALICE, 0, NULL), 230);
    assert_int_equal(store_group_remove(f->s, ALICE, 17, NULL), 224);
    assert_int_equal(store_group_rename(f->s, ALICE, 17, "x", NULL), 224);
    assert_int_equal(store_group_remove(f->s, ALICE, 30, NULL), STORE_E_INVALID);
    assert_int_equal(store_group_rename(f->s, ALICE, 0, "Renamed", &r), 0);
    assert_int_equal(r.version, 8);
    store_result_free(&r);

    for (i = 5; i < STORE_MAX_GROUPS; i++) {
        snprintf(name, sizeof name, "g%d", i);
        assert_int_equal(add_group(f->s, ALICE, name), i);
    }
    assert_int_equal(store_group_add(f->s, ALICE, "one too many", &r, &gid), 223);
    assert_int_equal(gid, -1);
    assert_int_equal(version_of(f->s, ALICE), 8 + 25);

    u = load(f->s, ALICE);
    assert_int_equal(u->ngroups, 30);
    for (i = 0; i < 30; i++)
        assert_int_equal(u->groups[i].gid, i);
    assert_string_equal(u->groups[0].name, "Renamed");
    assert_string_equal(u->groups[2].name, "again");
    store_user_free(u);
}

static void test_group_remove_cascades(void **state)
{
    fixture *f = *state;
    store_result r;
    store_user *u;
    const store_contact *c;

    create(f->s, DAVE);
    assert_int_equal(add_group(f->s, ALICE, "Work"), 1);   /* alice 2 */
    assert_int_equal(add(f->s, ALICE, FL, CAROL, 1), 0);   /* 3, carol 2 */
    assert_int_equal(add(f->s, ALICE, FL, BOB, 1), 0);     /* 4, bob 2 */
    assert_int_equal(add(f->s, ALICE, FL, DAVE, 0), 0);    /* 5, dave 2 */
    assert_int_equal(add(f->s, ALICE, FL, DAVE, 1), 0);    /* 6 */
    assert_int_equal(add(f->s, ALICE, AL, BOB, -1), 0);    /* 7 */

    assert_int_equal(store_group_remove(f->s, ALICE, 1, &r), 0);
    assert_int_equal(r.version, 8);
    assert_int_equal(r.npeers, 2); /* sorted by handle */
    assert_string_equal(r.peers[0].handle, BOB);
    assert_int_equal(r.peers[0].version, 3);
    assert_string_equal(r.peers[1].handle, CAROL);
    assert_int_equal(r.peers[1].version, 3);
    store_result_free(&r);

    u = load(f->s, ALICE);
    assert_int_equal(u->ngroups, 1);
    assert_int_equal(u->ncontacts, 2);
    c = store_user_find_contact(u, BOB);
    assert_int_equal(c->lists, AL);
    assert_null(store_user_find_contact(u, CAROL));
    c = store_user_find_contact(u, DAVE);
    assert_int_equal(c->lists, FL);
    assert_int_equal(c->groups, 1u << 0);
    store_user_free(u);
    assert_int_equal(bits_of(f->s, BOB, ALICE), 0);
    assert_int_equal(bits_of(f->s, CAROL, ALICE), 0);
    assert_int_equal(bits_of(f->s, DAVE, ALICE), RL);
    assert_int_equal(version_of(f->s, DAVE), 2);
}

/* ------------------------------------------------------ privacy & props */

static void test_gtc_blp(void **state)
{
    fixture *f = *state;
    store_result r;
    store_user *u;

    assert_int_equal(store_set_gtc(f->s, ALICE, 'A', &r), 218);
    assert_int_equal(store_set_blp(f->s, ALICE, STORE_BLP_AL, &r), 218);
    assert_int_equal(version_of(f->s, ALICE), 1);
    assert_int_equal(store_set_blp(f->s, ALICE, STORE_BLP_BL, &r), 0);
    assert_int_equal(r.version, 2);
    store_result_free(&r);
    assert_int_equal(store_set_blp(f->s, ALICE, STORE_BLP_BL, &r), 218);
    assert_int_equal(store_set_gtc(f->s, ALICE, 'N', &r), 0);
    assert_int_equal(r.version, 3);
    store_result_free(&r);
    assert_int_equal(store_set_gtc(f->s, ALICE, 'N', &r), 218);
    assert_int_equal(store_set_gtc(f->s, ALICE, 'x', &r), STORE_E_INVALID);
    assert_int_equal(store_set_blp(f->s, ALICE, (store_blp)7, &r), STORE_E_INVALID);
    u = load(f->s, ALICE);
    assert_int_equal(u->gtc, 'N');
    assert_int_equal(u->blp, STORE_BLP_BL);
    assert_int_equal(u->list_version, 3);
    store_user_free(u);
}

static bool allows(store *s, const char *owner, const char *viewer)
{
    bool a = false;
    assert_int_equal(store_privacy_allows(s, owner, viewer, &a), 0);
    return a;
}

/* allows_owner in bob's snapshot = allows(alice, bob). */
static bool snapshot_allows(store *s, const char *viewer, const char *owner)
{
    store_user *u = load(s, viewer);
    const store_contact *c = store_user_find_contact(u, owner);
    bool a;
    assert_non_null(c);
    a = c->allows_owner;
    store_user_free(u);
    return a;
}

static void test_allows_matrix(void **state)
{
    fixture *f = *state;
    bool a = true;

    assert_int_equal(add(f->s, BOB, FL, ALICE, -1), 0); /* bob watches alice */
    /* BLP AL: everyone not blocked. */
    assert_true(allows(f->s, ALICE, BOB));
    assert_true(allows(f->s, ALICE, "nobody@example.com"));
    assert_true(snapshot_allows(f->s, BOB, ALICE));
    assert_int_equal(add(f->s, ALICE, BL, BOB, -1), 0);
    assert_false(allows(f->s, ALICE, "Bob@Example.org"));
    assert_false(snapshot_allows(f->s, BOB, ALICE));
    /* BLP BL: AL only. */
    assert_int_equal(set_blp(f->s, ALICE, STORE_BLP_BL), 0);
    assert_false(allows(f->s, ALICE, BOB));
    assert_false(allows(f->s, ALICE, CAROL));
    assert_int_equal(rem(f->s, ALICE, BL, BOB, -1), 0);
    assert_false(allows(f->s, ALICE, BOB));
    assert_false(snapshot_allows(f->s, BOB, ALICE));
    assert_int_equal(add(f->s, ALICE, AL, BOB, -1), 0);
    assert_true(allows(f->s, ALICE, BOB));
    assert_true(snapshot_allows(f->s, BOB, ALICE));
    assert_false(allows(f->s, ALICE, CAROL));
    /* Back to AL mode with bob on AL. */
    assert_int_equal(set_blp(f->s, ALICE, STORE_BLP_AL), 0);
    assert_true(allows(f->s, ALICE, CAROL));
    assert_true(allows(f->s, ALICE, BOB));

    assert_int_equal(store_privacy_allows(f->s, "nobody@example.com", BOB, &a), STORE_E_NOTFOUND);
    assert_false(a);
}

static void test_set_prop_bumps_allowed_watchers(void **state)
{
    fixture *f = *state;
    store_result r;
    store_user *u;
    const store_contact *c;

    create(f->s, DAVE);
    assert_int_equal(add(f->s, BOB, FL, ALICE, -1), 0);   /* bob 2, alice 2 */
    assert_int_equal(add(f->s, CAROL, FL, ALICE, -1), 0); /* carol 2, alice 3 */
    assert_int_equal(add(f->s, DAVE, FL, ALICE, -1), 0);  /* dave 2, alice 4 */
    assert_int_equal(add(f->s, ALICE, BL, CAROL, -1), 0); /* alice 5 */
    assert_int_equal(add(f->s, ALICE, FL, BOB, -1), 0);   /* alice 6, bob 3: not a watcher effect */

    assert_int_equal(store_set_prop(f->s, ALICE, STORE_PROP_PHH, "555 1234", &r), 0);
    assert_int_equal(r.version, 7);
    assert_int_equal(r.npeers, 2); /* carol is blocked */
    assert_string_equal(r.peers[0].handle, BOB);
    assert_int_equal(r.peers[0].version, 4);
    assert_string_equal(r.peers[1].handle, DAVE);
    assert_int_equal(r.peers[1].version, 3);
    store_result_free(&r);
    assert_int_equal(version_of(f->s, CAROL), 2);

    u = load(f->s, ALICE);
    assert_string_equal(u->props[STORE_PROP_PHH], "555 1234");
    assert_null(u->props[STORE_PROP_PHW]);
    store_user_free(u);
    u = load(f->s, BOB);
    c = store_user_find_contact(u, ALICE);
    assert_string_equal(c->props[STORE_PROP_PHH], "555 1234");
    store_user_free(u);
    u = load(f->s, CAROL); /* blocked: no BPR data */
    c = store_user_find_contact(u, ALICE);
    assert_false(c->allows_owner);
    assert_null(c->props[STORE_PROP_PHH]);
    store_user_free(u);
    u = load(f->s, ALICE); /* alice has bob on FL, but bob published nothing */
    c = store_user_find_contact(u, BOB);
    assert_null(c->props[STORE_PROP_PHH]);
    store_user_free(u);

    /* BLP BL: only AL watchers (none) are bumped. */
    assert_int_equal(set_blp(f->s, ALICE, STORE_BLP_BL), 0); /* 8 */
    assert_int_equal(store_set_prop(f->s, ALICE, STORE_PROP_MOB, "Y", &r), 0);
    assert_int_equal(r.version, 9);
    assert_int_equal(r.npeers, 0);
    store_result_free(&r);
    assert_int_equal(add(f->s, ALICE, AL, DAVE, -1), 0); /* 10 */
    /* Clearing is a change too; same value again would be as well. */
    assert_int_equal(store_set_prop(f->s, ALICE, STORE_PROP_PHH, NULL, &r), 0);
    assert_int_equal(r.version, 11);
    assert_int_equal(r.npeers, 1);
    assert_string_equal(r.peers[0].handle, DAVE);
    assert_int_equal(r.peers[0].version, 4);
    store_result_free(&r);
    u = load(f->s, DAVE);
    c = store_user_find_contact(u, ALICE);
    assert_null(c->props[STORE_PROP_PHH]);
    assert_string_equal(c->props[STORE_PROP_MOB], "Y");
    store_user_free(u);

    /* MBE is server-side only: no watcher bumps, never in BPR data. */
    assert_int_equal(store_set_prop(f->s, ALICE, STORE_PROP_MBE, "Y", &r), 0);
    assert_int_equal(r.version, 12);
    assert_int_equal(r.npeers, 0);
    store_result_free(&r);
    u = load(f->s, ALICE);
    assert_string_equal(u->props[STORE_PROP_MBE], "Y");
    store_user_free(u);
    u = load(f->s, DAVE);
    assert_null(store_user_find_contact(u, ALICE)->props[STORE_PROP_MBE]);
    store_user_free(u);

    assert_int_equal(store_set_prop(f->s, ALICE, STORE_PROP_COUNT, "x", &r), STORE_E_INVALID);
}

static void test_prop_names(void **state)
{
    store_prop p = STORE_PROP_PHH;

    (void)state;
    assert_string_equal(store_prop_name(STORE_PROP_WWE), "WWE");
    assert_null(store_prop_name(STORE_PROP_COUNT));
    assert_true(store_prop_parse("PHM", &p));
    assert_int_equal(p, STORE_PROP_PHM);
    assert_false(store_prop_parse("phm", &p));
    assert_false(store_prop_parse("MFN", &p));
    assert_string_equal(store_blp_name(STORE_BLP_BL), "BL");
    assert_string_equal(store_strerror(219), "in the opposite list");
    assert_string_equal(store_strerror(STORE_E_SCHEMA), "database is newer than this program");
}

static void test_names(void **state)
{
    fixture *f = *state;
    store_result r;
    store_user *u;
    const store_contact *c;

    assert_int_equal(add(f->s, BOB, FL, ALICE, -1), 0); /* bob 2, alice 2 */
    assert_int_equal(store_set_friendly_name(f->s, ALICE, "Alice A.", &r), 0);
    assert_int_equal(r.version, 3);
    assert_int_equal(r.npeers, 0);
    store_result_free(&r);
    assert_int_equal(version_of(f->s, BOB), 2);
    u = load(f->s, BOB);
    c = store_user_find_contact(u, ALICE);
    assert_string_equal(c->friendly_name, "Alice A.");
    assert_string_equal(c->stored_name, ALICE);
    store_user_free(u);

    assert_int_equal(store_set_stored_name(f->s, BOB, "ALICE@example.com", "Ally", &r), 0);
    assert_int_equal(r.version, 3);
    store_result_free(&r);
    /* On RL only counts as "on a list" too. */
    assert_int_equal(store_set_stored_name(f->s, ALICE, BOB, "Bobby", &r), 0);
    assert_int_equal(r.version, 4);
    store_result_free(&r);
    assert_int_equal(store_set_stored_name(f->s, BOB, CAROL, "C", &r), 216);
    assert_int_equal(store_set_stored_name(f->s, BOB, "nobody@example.com", "C", &r), 216);
    u = load(f->s, BOB);
    assert_string_equal(store_user_find_contact(u, ALICE)->stored_name, "Ally");
    store_user_free(u);
    u = load(f->s, ALICE);
    assert_string_equal(u->friendly_name, "Alice A.");
    assert_string_equal(store_user_find_contact(u, BOB)->stored_name, "Bobby");
    store_user_free(u);
}

/* ---------------------------------------------- snapshot & case & misc */

static void test_snapshot_order_and_lookup(void **state)
{
    fixture *f = *state;
    store_user *u;

    create(f->s, DAVE);
    create(f->s, "zed@example.com");
    assert_int_equal(add(f->s, ALICE, FL, "ZED@example.com", -1), 0);
    assert_int_equal(add(f->s, ALICE, BL, DAVE, -1), 0);
    assert_int_equal(add(f->s, ALICE, AL, CAROL, -1), 0);
    assert_int_equal(add(f->s, BOB, FL, ALICE, -1), 0);
    u = load(f->s, "ALICE@EXAMPLE.COM");
    assert_int_equal(u->ncontacts, 4);
    assert_string_equal(u->contacts[0].handle, BOB);
    assert_int_equal(u->contacts[0].lists, RL);
    assert_string_equal(u->contacts[1].handle, CAROL);
    assert_string_equal(u->contacts[2].handle, DAVE);
    assert_string_equal(u->contacts[3].handle, "zed@example.com");
    assert_ptr_equal(store_user_find_contact(u, "Zed@Example.Com"), &u->contacts[3]);
    assert_ptr_equal(store_user_find_contact(u, "BOB@example.org"), &u->contacts[0]);
    assert_null(store_user_find_contact(u, "eve@example.com"));
    assert_null(store_user_find_contact(u, "a"));
    assert_null(store_user_find_contact(u, "zzz"));
    store_user_free(u);
    assert_int_equal(store_load_user(f->s, "nobody@example.com", &u), STORE_E_NOTFOUND);
    assert_null(u);
}

static void test_invalid_arguments(void **state)
{
    fixture *f = *state;
    store_result r;
    bool b;
    int gid;

    assert_int_equal(store_list_add(f->s, ALICE, RL, BOB, NULL, -1, NULL, &r), STORE_E_INVALID);
    assert_int_equal(store_list_add(f->s, ALICE, FL | AL, BOB, NULL, -1, NULL, &r), STORE_E_INVALID);
    assert_int_equal(store_list_add(f->s, ALICE, FL, BOB, NULL, 30, NULL, &r), STORE_E_INVALID);
    assert_int_equal(store_list_add(f->s, ALICE, FL, "", NULL, -1, NULL, &r), STORE_E_INVALID);
    assert_int_equal(store_list_add(f->s, NULL, FL, BOB, NULL, -1, NULL, &r), STORE_E_INVALID);
    assert_int_equal(store_list_remove(f->s, ALICE, RL, BOB, -1, &r), STORE_E_INVALID);
    assert_int_equal(store_list_remove(f->s, ALICE, FL, BOB, -2, &r), STORE_E_INVALID);
    assert_int_equal(store_group_add(f->s, ALICE, NULL, &r, &gid), STORE_E_INVALID);
    assert_int_equal(store_privacy_allows(f->s, ALICE, NULL, &b), STORE_E_INVALID);
    assert_int_equal(store_account_exists(f->s, "", &b), STORE_E_INVALID);
    assert_int_equal(store_set_friendly_name(f->s, ALICE, NULL, &r), STORE_E_INVALID);
    assert_int_equal(r.version, 0);
    assert_int_equal(version_of(f->s, ALICE), 1);
    store_result_free(NULL);
    store_user_free(NULL);
    store_close(NULL);
}

static void test_version_wraps_to_one(void **state)
{
    fixture *f = *state;
    store_result r;

    raw_exec(f->dir, "UPDATE accounts SET list_version = 4294967295 "
                     "WHERE handle IN ('" ALICE "', '" BOB "')");
    assert_int_equal(store_list_add(f->s, ALICE, FL, BOB, NULL, -1, NULL, &r), 0);
    assert_int_equal(r.version, 1);
    assert_int_equal(r.peer_version, 1);
    store_result_free(&r);
    assert_int_equal(store_set_gtc(f->s, ALICE, 'N', &r), 0);
    assert_int_equal(r.version, 2);
    store_result_free(&r);
}

/* An engine failure after part of the work (here: bumping the target's
 * version, the last step of ADD FL) must leave no trace. */
static void test_failure_midway_rolls_back(void **state)
{
    fixture *f = *state;
    store_result r;
    store_user *u;

    raw_exec(f->dir, "CREATE TRIGGER fail_bob BEFORE UPDATE OF list_version ON accounts "
                     "WHEN NEW.handle = '" BOB "' BEGIN SELECT RAISE(ABORT, 'injected'); END");
    assert_int_equal(store_list_add(f->s, ALICE, FL, BOB, "Bob", -1, NULL, &r), STORE_E_IO);
    assert_int_equal(r.version, 0);
    assert_false(r.peer_changed);
    assert_non_null(strstr(store_errmsg(f->s), "injected"));
    u = load(f->s, ALICE);
    assert_int_equal(u->list_version, 1);
    assert_int_equal(u->ncontacts, 0);
    store_user_free(u);
    assert_int_equal(bits_of(f->s, BOB, ALICE), 0);
    assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM contact_groups"), 0);

    /* RMG half-way through its orphans: nothing happens either. */
    raw_exec(f->dir, "DROP TRIGGER fail_bob");
    assert_int_equal(add_group(f->s, ALICE, "Work"), 1);    /* 2 */
    assert_int_equal(add(f->s, ALICE, FL, CAROL, 1), 0);    /* 3, carol 2 */
    assert_int_equal(add(f->s, ALICE, FL, BOB, 1), 0);      /* 4, bob 2 */
    raw_exec(f->dir, "CREATE TRIGGER fail_carol BEFORE UPDATE OF list_version ON accounts "
                     "WHEN NEW.handle = '" CAROL "' BEGIN SELECT RAISE(ABORT, 'injected'); END");
    assert_int_equal(store_group_remove(f->s, ALICE, 1, &r), STORE_E_IO);
    assert_int_equal(r.npeers, 0);
    assert_null(r.peers);
    u = load(f->s, ALICE);
    assert_int_equal(u->list_version, 4);
    assert_int_equal(u->ngroups, 2);
    assert_int_equal(u->ncontacts, 2);
    store_user_free(u);
    assert_int_equal(version_of(f->s, BOB), 2); /* bumped before carol failed, rolled back */
    assert_int_equal(bits_of(f->s, BOB, ALICE), RL);

    /* The handle stays usable. */
    raw_exec(f->dir, "DROP TRIGGER fail_carol");
    assert_int_equal(store_group_remove(f->s, ALICE, 1, &r), 0);
    assert_int_equal(r.npeers, 2);
    store_result_free(&r);
}

static void test_reopen_keeps_everything(void **state)
{
    fixture *f = *state;
    store_user *u;
    char *key = NULL;
    const store_contact *c;
    uint64_t puid;

    assert_int_equal(add_group(f->s, ALICE, "Friends"), 1);
    assert_int_equal(store_list_add(f->s, ALICE, FL, BOB, "Bob", 1, NULL, NULL), 0);
    assert_int_equal(add(f->s, ALICE, AL, BOB, -1), 0);
    assert_int_equal(add(f->s, ALICE, BL, CAROL, -1), 0);
    assert_int_equal(store_set_prop(f->s, ALICE, STORE_PROP_PHW, "123", NULL), 0);
    assert_int_equal(store_set_gtc(f->s, ALICE, 'N', NULL), 0);
    assert_int_equal(store_set_blp(f->s, ALICE, STORE_BLP_BL, NULL), 0);
    assert_int_equal(store_set_friendly_name(f->s, ALICE, "Alice", NULL), 0);
    assert_int_equal(store_app_set(f->s, "PROPRIETARY_ID", "KEY"), 0);
    u = load(f->s, ALICE);
    puid = u->puid;
    store_user_free(u);

    store_close(f->s);
    f->s = open_store(f->dir);
    u = load(f->s, ALICE);
    assert_int_equal(u->list_version, 9);
    assert_int_equal(u->puid, puid);
    assert_string_equal(u->friendly_name, "Alice");
    assert_int_equal(u->gtc, 'N');
    assert_int_equal(u->blp, STORE_BLP_BL);
    assert_string_equal(u->props[STORE_PROP_PHW], "123");
    assert_int_equal(u->ngroups, 2);
    assert_string_equal(u->groups[1].name, "Friends");
    assert_int_equal(u->ncontacts, 2);
    c = store_user_find_contact(u, BOB);
    assert_int_equal(c->lists, FL | AL);
    assert_string_equal(c->stored_name, BOB); /* the AL add set the name again */
    assert_int_equal(c->groups & 1u, 0);
    assert_true(c->groups & (1u << 1));
    store_user_free(u);
    assert_int_equal(bits_of(f->s, BOB, ALICE), RL);
    assert_int_equal(version_of(f->s, BOB), 2);
    assert_int_equal(store_app_get_key(f->s, "PROPRIETARY_ID", &key), 0);
    assert_string_equal(key, "KEY");
    free(key);
}

/* Two handles in two threads changing the same account at once: writers
 * queue (BEGIN IMMEDIATE + busy timeout) and no increment is lost. */
typedef struct writer {
    const char *dir, *owner, *target;
    int list, rounds, failures;
} writer;

static void *writer_main(void *arg)
{
    writer *w = arg;
    store_options opt = {.sync = STORE_SYNC_NORMAL, .busy_timeout_ms = 20000};
    store *s = NULL;
    int i;

    if (store_open(w->dir, &opt, &s, NULL) != 0) {
        w->failures = w->rounds;
        return NULL;
    }
    for (i = 0; i < w->rounds; i++) {
        w->failures += store_list_add(s, w->owner, w->list, w->target, NULL, -1, NULL, NULL) != 0;
        w->failures += store_list_remove(s, w->owner, w->list, w->target, -1, NULL) != 0;
    }
    store_close(s);
    return NULL;
}

static void test_concurrent_writers(void **state)
{
    fixture *f = *state;
    writer a = {f->dir, ALICE, BOB, AL, 50, 0};   /* alice +2 per round */
    writer c = {f->dir, CAROL, ALICE, FL, 50, 0}; /* alice's RL: +2 per round */
    pthread_t ta, tc;

    assert_int_equal(pthread_create(&ta, NULL, writer_main, &a), 0);
    assert_int_equal(pthread_create(&tc, NULL, writer_main, &c), 0);
    pthread_join(ta, NULL);
    pthread_join(tc, NULL);
    assert_int_equal(a.failures, 0);
    assert_int_equal(c.failures, 0);
    assert_int_equal(version_of(f->s, ALICE), 1 + 100 + 100);
    assert_int_equal(version_of(f->s, CAROL), 1 + 100);
    assert_int_equal(bits_of(f->s, ALICE, CAROL), 0);
}

/* ----------------------------------------------------------- Lock & Key */

static int collect_app(const char *id, const char *key, void *ud)
{
    listing *l = ud;
    snprintf(l->names[l->n++], sizeof l->names[0], "%s=%s", id, key);
    return 0;
}

static void test_apps(void **state)
{
    fixture *f = *state;
    listing l = {.stop_after = -1};
    char *key = NULL;

    assert_int_equal(store_app_get_key(f->s, "msmsgs@msnmsgr.com", &key), STORE_E_NOTFOUND);
    assert_null(key);
    assert_int_equal(store_app_set(f->s, "b-app", "k1"), 0);
    assert_int_equal(store_app_set(f->s, "a-app", "k2"), 0);
    assert_int_equal(store_app_set(f->s, "b-app", "k3"), 0); /* replace */
    assert_int_equal(store_app_get_key(f->s, "b-app", &key), 0);
    assert_string_equal(key, "k3");
    free(key);
    assert_int_equal(store_app_get_key(f->s, "B-APP", &key), STORE_E_NOTFOUND);
    assert_int_equal(store_app_list(f->s, collect_app, &l), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.names[0], "a-app=k2");
    assert_string_equal(l.names[1], "b-app=k3");
    assert_int_equal(store_app_delete(f->s, "a-app"), 0);
    assert_int_equal(store_app_delete(f->s, "a-app"), STORE_E_NOTFOUND);
    assert_int_equal(store_app_set(f->s, "", "k"), STORE_E_INVALID);
    assert_int_equal(store_app_set(f->s, "x", NULL), STORE_E_INVALID);
}

/* A batch commits every successful call at once; a failing call inside it
 * changes nothing, and nothing is visible to another handle before the
 * commit. */
static void test_batch(void **state)
{
    fixture *f = *state;
    store *other = open_store(f->dir);
    bool exists = true;
    assert_int_equal(store_batch_begin(f->s), 0);
    assert_int_equal(store_batch_begin(f->s), STORE_E_INVALID);
    create(f->s, "dave@example.com");
    assert_int_equal(store_account_create(f->s, ALICE, "hash", NULL, GROUP0), STORE_E_EXISTS);
    assert_int_equal(add(f->s, ALICE, MSNP_LIST_FL, "dave@example.com", -1), 0);
    assert_int_equal(add(f->s, ALICE, MSNP_LIST_FL, "dave@example.com", -1), 215);
    assert_int_equal(store_account_exists(other, "dave@example.com", &exists), 0);
    assert_false(exists);
    assert_int_equal(store_batch_commit(f->s), 0);
    assert_int_equal(store_batch_commit(f->s), STORE_E_INVALID);
    assert_int_equal(store_account_exists(other, "dave@example.com", &exists), 0);
    assert_true(exists);
    assert_int_equal(bits_of(other, ALICE, "dave@example.com"), MSNP_LIST_FL);
    assert_int_equal(bits_of(other, "dave@example.com", ALICE), MSNP_LIST_RL);

    /* A rolled-back batch leaves nothing behind. */
    assert_int_equal(store_batch_begin(f->s), 0);
    create(f->s, "erin@example.com");
    assert_int_equal(store_batch_rollback(f->s), 0);
    assert_int_equal(store_account_exists(other, "erin@example.com", &exists), 0);
    assert_false(exists);
    store_close(other);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_open_sets_schema),
        T(test_open_refuses_newer_schema),
        cmocka_unit_test(test_open_refuses_foreign_database),
        cmocka_unit_test(test_open_missing_directory),
        T(test_open_sync_normal_and_second_handle),
        T(test_account_defaults),
        T(test_account_create_rules),
        T(test_account_list),
        T(test_account_password),
        T(test_account_delete_cleans_other_lists),
        T(test_add_fl_mirrors_rl),
        T(test_add_fl_rules),
        T(test_add_al_bl_exclusion),
        T(test_add_limits),
        T(test_add_own_handle),
        T(test_remove_rules),
        T(test_fl_removal_keeps_al_bl_and_rl),
        T(test_groups),
        T(test_group_remove_cascades),
        T(test_gtc_blp),
        T(test_allows_matrix),
        T(test_set_prop_bumps_allowed_watchers),
        cmocka_unit_test(test_prop_names),
        T(test_names),
        T(test_snapshot_order_and_lookup),
        T(test_invalid_arguments),
        T(test_version_wraps_to_one),
        T(test_failure_midway_rolls_back),
        T(test_reopen_keeps_everything),
        T(test_concurrent_writers),
        T(test_apps),
        T(test_batch),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
