/*
 * store_schema.h - the SQLite schema of the store, its forward migrations,
 * and the SQLite-to-store_error mapping both use (private to the SQLite
 * engine: store_sqlite.c and store_schema.c).
 *
 * The schema version lives in PRAGMA user_version; PRAGMA application_id
 * marks the file as msgrd's. Migrations only ever go forward: a database
 * written by a newer msgrd is refused rather than guessed at.
 */
#ifndef MSGRD_STORE_SCHEMA_H
#define MSGRD_STORE_SCHEMA_H

#include <sqlite3.h>

/* "MSGR" in ASCII, stored in PRAGMA application_id. */
#define STORE_SCHEMA_APPLICATION_ID 0x4d534752

/* Maps an SQLite result code (primary or extended) to a negative
 * store_error: BUSY/LOCKED -> STORE_E_BUSY, NOMEM -> STORE_E_NOMEM,
 * CORRUPT/NOTADB -> STORE_E_CORRUPT, anything else -> STORE_E_IO.
 * Only for failures: never pass SQLITE_OK, SQLITE_ROW or SQLITE_DONE. */
int store_sqlite_error(int sqlite_rc);

/* The schema version this program writes and understands. */
int store_schema_latest(void);

/* Brings db (an open connection, not inside a transaction) up to
 * store_schema_latest() in one IMMEDIATE transaction: all pending
 * migrations apply, or none does. Returns 0 or a negative store_error:
 * STORE_E_SCHEMA (database newer than this program), STORE_E_CORRUPT
 * (a non-empty database that is not msgrd's), STORE_E_BUSY, STORE_E_NOMEM,
 * STORE_E_IO. On failure, if errmsg is not NULL, *errmsg is a malloc'd
 * English message for the caller to free() (NULL if that allocation
 * failed). */
int store_schema_migrate(sqlite3 *db, char **errmsg);

#endif
