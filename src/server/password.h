/*
 * password.h - argon2id password hashes (libsodium crypto_pwhash_str) and
 * the stored password record, including msnp.md 2.6.2's 16-character
 * truncation rule.
 *
 * Passport of the era silently cut passwords to 16 characters and at least
 * one MSNP8 client cuts before sending, so with truncate-password on, the
 * login endpoint must also accept the first 16 characters of a longer
 * password. A hash cannot be cut after the fact, so the rule is applied
 * when the password is set:
 *
 *   record = H(password)                      password <= 16 characters,
 *                                             or truncation not wanted
 *   record = H(password) "\n" H(first 16)     password  > 16 characters
 *                                             and truncation wanted
 *
 * where H is a crypto_pwhash_str() string ("$argon2id$v=19$m=...", never
 * containing '\n'). This record is what the store keeps in its pw_hash
 * column. At login a password is accepted if it matches the first hash,
 * or, when truncation is allowed, it is exactly 16 characters long and
 * matches the second hash. Consequences (documented for operators):
 *   - turning truncate-password on only helps passwords set afterwards
 *     (user add / user passwd); older records have no second hash;
 *   - a record with a second hash is only as strong as its first 16
 *     characters against an attacker who steals the database, which is
 *     what the option knowingly trades away;
 *   - turning the option off makes login ignore the second hash at once.
 *
 * "Characters" are Unicode code points of the UTF-8 password (the old
 * clients counted characters, not bytes); a byte that does not start a
 * well-formed UTF-8 sequence counts as one character.
 *
 * Every function here is thread-safe; hashing and verifying take the
 * configured time and memory by design, so msgrd calls them on worker
 * threads only.
 */
#ifndef MSGRD_PASSWORD_H
#define MSGRD_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

/* Characters kept by the truncation rule. */
#define PASSWORD_TRUNCATE_CHARS 16

/* Longest password accepted, in bytes (anything longer is refused rather
 * than hashed: it bounds the work an anonymous request can cause). */
#define PASSWORD_MAX_BYTES 1024

/* Room for one hash string including its NUL. */
#define PASSWORD_HASH_SIZE crypto_pwhash_STRBYTES

/* Room for a full record (two hashes and the newline) including the NUL. */
#define PASSWORD_RECORD_SIZE (2 * crypto_pwhash_STRBYTES)

/* Return codes. */
enum {
    PASSWORD_OK = 0,
    PASSWORD_MISMATCH = 1,     /* password_record_check: wrong password */
    PASSWORD_E_INIT = -1,      /* sodium_init() failed */
    PASSWORD_E_INVALID = -2,   /* NULL argument, empty or over-long password,
                                  ops/mem outside libsodium's limits,
                                  malformed record */
    PASSWORD_E_NOMEM = -3,     /* hashing could not get its memory */
};

/* Initialises libsodium once per process (pthread_once); every function
 * below calls it, so calling it directly is only needed to fail early.
 * Returns PASSWORD_OK or PASSWORD_E_INIT. */
int password_init(void);

/* Hashes pw (NUL-terminated UTF-8, 1..PASSWORD_MAX_BYTES bytes) with
 * argon2id, ops passes and mem_kib KiB of memory, writing the
 * NUL-terminated hash string into out. Returns PASSWORD_OK,
 * PASSWORD_E_INVALID (NULL, bad length, ops or memory outside
 * crypto_pwhash's limits), PASSWORD_E_NOMEM or PASSWORD_E_INIT. */
int password_hash(const char *pw, unsigned long long ops, size_t mem_kib,
                  char out[PASSWORD_HASH_SIZE]);

/* Checks pw against one hash string in constant time for the password
 * (libsodium). Returns true only on a match; false for a mismatch, a NULL
 * argument, a malformed hash or a failed allocation. */
bool password_verify(const char *hash, const char *pw);

/* Builds the stored record for pw (see the top of this file): the second
 * hash is added only when with_truncated is true and pw is longer than
 * PASSWORD_TRUNCATE_CHARS characters. *out is malloc'd (caller frees; it
 * holds no password text). Returns PASSWORD_OK or password_hash()'s codes;
 * *out is NULL on error. */
int password_record_new(const char *pw, unsigned long long ops, size_t mem_kib,
                        bool with_truncated, char **out);

/* Checks pw against a stored record. allow_truncated enables the second
 * hash (the truncate-password option). Returns PASSWORD_OK (match),
 * PASSWORD_MISMATCH, or PASSWORD_E_INVALID (NULL argument, record with
 * more than two lines or an empty line). */
int password_record_check(const char *record, const char *pw, bool allow_truncated);

/* Number of bytes making up the first max_chars characters of s (all of
 * s if it is shorter), counting characters as described above. */
size_t password_prefix_bytes(const char *s, size_t max_chars);

/* Number of characters in s, counted as described above. */
size_t password_char_count(const char *s);

#endif
