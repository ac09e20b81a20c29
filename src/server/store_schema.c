/*
 * store_schema.c - the SQLite schema and its forward migrations.
 *
 * A migration is a batch of SQL that takes the database from version N-1
 * to N. They run in order inside one IMMEDIATE transaction, so several
 * msgrd processes starting at once on the same file serialise here and
 * exactly one of them does the work; the others find it done.
 *
 * Never edit a migration that has shipped: add a new one.
 */
#include "store_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* Version 1: the initial schema.
 *
 * Lists are one row per (owner, contact) with the LST bit mask, exactly
 * the "contact entry" of msnp.md 3.1; a row exists only while a bit is set.
 * RL bits are kept in step with FL bits by store_sqlite.c (invariant 2).
 * The foreign keys cascade so deleting an account or a group cannot leave
 * dangling rows. WITHOUT ROWID because every lookup is by the primary key. */
static const char schema_v1[] =
    "CREATE TABLE accounts ("
    "  id            INTEGER PRIMARY KEY,"
    "  handle        TEXT    NOT NULL UNIQUE,"
    "  pw_hash       TEXT    NOT NULL,"
    "  friendly_name TEXT    NOT NULL,"
    "  puid          INTEGER NOT NULL UNIQUE,"
    "  list_version  INTEGER NOT NULL CHECK (list_version BETWEEN 1 AND 4294967295),"
    "  gtc           TEXT    NOT NULL DEFAULT 'A'  CHECK (gtc IN ('A', 'N')),"
    "  blp           TEXT    NOT NULL DEFAULT 'AL' CHECK (blp IN ('AL', 'BL')),"
    "  created       INTEGER NOT NULL"
    ");"
    "CREATE TABLE props ("
    "  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
    "  type       TEXT    NOT NULL,"
    "  value      TEXT    NOT NULL,"
    "  PRIMARY KEY (account_id, type)"
    ") WITHOUT ROWID;"
    "CREATE TABLE groups ("
    "  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
    "  gid        INTEGER NOT NULL CHECK (gid BETWEEN 0 AND 29),"
    "  name       TEXT    NOT NULL,"
    "  PRIMARY KEY (account_id, gid)"
    ") WITHOUT ROWID;"
    "CREATE TABLE contacts ("
    "  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
    "  contact_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
    "  lists       INTEGER NOT NULL CHECK (lists BETWEEN 1 AND 15),"
    "  stored_name TEXT    NOT NULL,"
    "  PRIMARY KEY (account_id, contact_id)"
    ") WITHOUT ROWID;"
    /* Who has me on a list: watchers for PRP, peers for account delete. */
    "CREATE INDEX contacts_by_contact ON contacts(contact_id);"
    "CREATE TABLE contact_groups ("
    "  account_id INTEGER NOT NULL,"
    "  contact_id INTEGER NOT NULL,"
    "  gid        INTEGER NOT NULL,"
    "  PRIMARY KEY (account_id, contact_id, gid),"
    "  FOREIGN KEY (account_id, contact_id)"
    "    REFERENCES contacts(account_id, contact_id) ON DELETE CASCADE,"
    "  FOREIGN KEY (account_id, gid)"
    "    REFERENCES groups(account_id, gid) ON DELETE CASCADE"
    ") WITHOUT ROWID;"
    /* Members of a group (RMG) and the group side of the foreign key. */
    "CREATE INDEX contact_groups_by_group ON contact_groups(account_id, gid);"
    "CREATE TABLE apps ("
    "  app_id  TEXT NOT NULL PRIMARY KEY,"
    "  app_key TEXT NOT NULL"
    ") WITHOUT ROWID;";

typedef struct migration {
    int version;     /* user_version once this step has run */
    const char *sql; /* one or more statements */
} migration;

static const migration migrations[] = {
    {1, schema_v1},
};

#define MIGRATION_COUNT (sizeof migrations / sizeof migrations[0])

int store_schema_latest(void)
{
    return migrations[MIGRATION_COUNT - 1].version;
}

int store_sqlite_error(int sqlite_rc)
{
    switch (sqlite_rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return STORE_E_BUSY;
    case SQLITE_NOMEM:
        return STORE_E_NOMEM;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return STORE_E_CORRUPT;
    default:
        return STORE_E_IO;
    }
}

/* Hands a message made by sqlite3_mprintf() (which the caller must not
 * free with free()) over as a malloc'd copy, as our interface promises. */
static void set_errmsg(char **errmsg, char *sqlite_msg)
{
    if (errmsg != NULL && *errmsg == NULL && sqlite_msg != NULL) {
        size_t n = strlen(sqlite_msg) + 1;
        *errmsg = malloc(n);
        if (*errmsg != NULL)
            memcpy(*errmsg, sqlite_msg, n);
    }
    sqlite3_free(sqlite_msg);
}

/* Reads an integer PRAGMA (user_version, application_id) into *value. */
static int read_pragma_int(sqlite3 *db, const char *sql, int *value)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *value = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* Whether the file already holds tables (a fresh file has none). */
static int count_schema_objects(sqlite3 *db, int *count)
{
    return read_pragma_int(db, "SELECT count(*) FROM sqlite_schema", count);
}

/* Decides whether the database at version `version` is one we may
 * migrate: not newer than we know, and recognisably ours. */
static int check_ownership(sqlite3 *db, int version, char **errmsg)
{
    int app_id = 0, objects = 0, rc;

    if (version > store_schema_latest()) {
        set_errmsg(errmsg, sqlite3_mprintf(
            "database schema version %d is newer than this msgrd understands (%d); "
            "run a newer msgrd", version, store_schema_latest()));
        return STORE_E_SCHEMA;
    }
    if ((rc = read_pragma_int(db, "PRAGMA application_id", &app_id)) != SQLITE_OK ||
        (rc = count_schema_objects(db, &objects)) != SQLITE_OK) {
        set_errmsg(errmsg, sqlite3_mprintf("reading the schema: %s", sqlite3_errmsg(db)));
        return store_sqlite_error(rc);
    }
    if (version == 0 && objects == 0 && app_id == 0)
        return 0; /* a brand-new file */
    if (app_id != STORE_SCHEMA_APPLICATION_ID || version == 0) {
        set_errmsg(errmsg, sqlite3_mprintf(
            "not an msgrd database (application_id %d, schema version %d)", app_id, version));
        return STORE_E_CORRUPT;
    }
    return 0;
}

/* Runs one migration step and records its version. */
static int apply_migration(sqlite3 *db, const migration *m, char **errmsg)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, m->sql, NULL, NULL, &err);
    if (rc == SQLITE_OK) {
        char *sql = sqlite3_mprintf("PRAGMA user_version = %d", m->version);
        if (sql == NULL)
            return STORE_E_NOMEM;
        rc = sqlite3_exec(db, sql, NULL, NULL, &err);
        sqlite3_free(sql);
    }
    if (rc != SQLITE_OK) {
        set_errmsg(errmsg, sqlite3_mprintf("schema migration to version %d failed: %s",
                                           m->version, err ? err : sqlite3_errstr(rc)));
        sqlite3_free(err);
        return store_sqlite_error(rc);
    }
    return 0;
}

/* The body of the migration transaction. */
static int migrate_locked(sqlite3 *db, char **errmsg)
{
    int version = 0, rc;
    size_t i;

    if ((rc = read_pragma_int(db, "PRAGMA user_version", &version)) != SQLITE_OK) {
        set_errmsg(errmsg, sqlite3_mprintf("reading the schema version: %s", sqlite3_errmsg(db)));
        return store_sqlite_error(rc);
    }
    if ((rc = check_ownership(db, version, errmsg)) != 0)
        return rc;
    if (version == 0) {
        char *err = NULL;
        char *sql = sqlite3_mprintf("PRAGMA application_id = %d", STORE_SCHEMA_APPLICATION_ID);
        if (sql == NULL)
            return STORE_E_NOMEM;
        rc = sqlite3_exec(db, sql, NULL, NULL, &err);
        sqlite3_free(sql);
        if (rc != SQLITE_OK) {
            set_errmsg(errmsg, sqlite3_mprintf("marking the database: %s", err ? err : ""));
            sqlite3_free(err);
            return store_sqlite_error(rc);
        }
    }
    for (i = 0; i < MIGRATION_COUNT; i++) {
        if (migrations[i].version <= version)
            continue;
        if ((rc = apply_migration(db, &migrations[i], errmsg)) != 0)
            return rc;
    }
    return 0;
}

int store_schema_migrate(sqlite3 *db, char **errmsg)
{
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        set_errmsg(errmsg, sqlite3_mprintf("locking the database: %s", sqlite3_errmsg(db)));
        return store_sqlite_error(rc);
    }
    rc = migrate_locked(db, errmsg);
    if (rc == 0) {
        int src = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        if (src == SQLITE_OK)
            return 0;
        set_errmsg(errmsg, sqlite3_mprintf("committing the schema: %s", sqlite3_errmsg(db)));
        rc = store_sqlite_error(src);
    }
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
