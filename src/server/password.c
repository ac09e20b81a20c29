/*
 * password.c - argon2id hashes and the stored password record
 * (password.h). libsodium does the hashing and the constant-time
 * comparison; this file adds the limits and the two-hash record of the
 * truncation rule.
 */
#include "password.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_url.h" /* msnp_utf8_valid */

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_status = -1;

static void sodium_init_once(void)
{
    /* 0 = initialised now, 1 = already initialised (by another module). */
    sodium_status = sodium_init() < 0 ? -1 : 0;
}

int password_init(void)
{
    pthread_once(&sodium_once, sodium_init_once);
    return sodium_status == 0 ? PASSWORD_OK : PASSWORD_E_INIT;
}

/* ---- characters --------------------------------------------------------- */

/* Bytes of the character starting at s[0]: the length of a well-formed
 * UTF-8 sequence, else 1 (a stray byte is a character of its own). */
static size_t char_bytes(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (n == 1)
        return 1;
    for (size_t i = 1; i < n; i++)
        if (s[i] == '\0')
            return 1;
    return msnp_utf8_valid(s, n) ? n : 1;
}

size_t password_prefix_bytes(const char *s, size_t max_chars)
{
    size_t off = 0;
    for (size_t chars = 0; chars < max_chars && s[off] != '\0'; chars++)
        off += char_bytes(s + off);
    return off;
}

size_t password_char_count(const char *s)
{
    size_t chars = 0;
    for (size_t off = 0; s[off] != '\0'; chars++)
        off += char_bytes(s + off);
    return chars;
}

/* ---- single hashes ------------------------------------------------------ */

/* Hashes pw[0..len): the one place that calls crypto_pwhash_str. */
static int hash_bytes(const char *pw, size_t len, unsigned long long ops,
                      size_t mem_kib, char out[PASSWORD_HASH_SIZE])
{
    if (password_init() != PASSWORD_OK)
        return PASSWORD_E_INIT;
    if (len == 0 || len > PASSWORD_MAX_BYTES)
        return PASSWORD_E_INVALID;
    if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > crypto_pwhash_OPSLIMIT_MAX)
        return PASSWORD_E_INVALID;
    if (mem_kib > SIZE_MAX / 1024 || mem_kib * 1024 < crypto_pwhash_MEMLIMIT_MIN ||
        mem_kib * 1024 > crypto_pwhash_MEMLIMIT_MAX)
        return PASSWORD_E_INVALID;
    if (crypto_pwhash_str(out, pw, len, ops, mem_kib * 1024) != 0)
        return PASSWORD_E_NOMEM; /* the only runtime failure: no memory */
    return PASSWORD_OK;
}

int password_hash(const char *pw, unsigned long long ops, size_t mem_kib,
                  char out[PASSWORD_HASH_SIZE])
{
    if (!pw || !out)
        return PASSWORD_E_INVALID;
    return hash_bytes(pw, strlen(pw), ops, mem_kib, out);
}

/* Verifies pw[0..len) against a hash given as hash[0..hlen) (not
 * necessarily NUL-terminated: it may be one line of a record). */
static bool verify_bytes(const char *hash, size_t hlen, const char *pw, size_t len)
{
    char h[PASSWORD_HASH_SIZE];
    if (hlen == 0 || hlen >= sizeof h || len == 0 || len > PASSWORD_MAX_BYTES)
        return false;
    if (password_init() != PASSWORD_OK)
        return false;
    memcpy(h, hash, hlen);
    h[hlen] = '\0';
    return crypto_pwhash_str_verify(h, pw, len) == 0;
}

bool password_verify(const char *hash, const char *pw)
{
    if (!hash || !pw)
        return false;
    return verify_bytes(hash, strlen(hash), pw, strlen(pw));
}

/* ---- records ------------------------------------------------------------ */

int password_record_new(const char *pw, unsigned long long ops, size_t mem_kib,
                        bool with_truncated, char **out)
{
    if (!out)
        return PASSWORD_E_INVALID;
    *out = NULL;
    if (!pw)
        return PASSWORD_E_INVALID;

    char *rec = malloc(PASSWORD_RECORD_SIZE);
    if (!rec)
        return PASSWORD_E_NOMEM;
    int rc = hash_bytes(pw, strlen(pw), ops, mem_kib, rec);
    if (rc == PASSWORD_OK && with_truncated &&
        password_char_count(pw) > PASSWORD_TRUNCATE_CHARS) {
        size_t first = strlen(rec);
        rec[first] = '\n';
        rc = hash_bytes(pw, password_prefix_bytes(pw, PASSWORD_TRUNCATE_CHARS), ops,
                        mem_kib, rec + first + 1);
    }
    if (rc != PASSWORD_OK) {
        free(rec);
        return rc;
    }
    *out = rec;
    return PASSWORD_OK;
}

int password_record_check(const char *record, const char *pw, bool allow_truncated)
{
    if (!record || !pw)
        return PASSWORD_E_INVALID;
    const char *nl = strchr(record, '\n');
    size_t full_len = nl ? (size_t)(nl - record) : strlen(record);
    const char *second = nl ? nl + 1 : NULL;
    if (full_len == 0 || (second && (*second == '\0' || strchr(second, '\n'))))
        return PASSWORD_E_INVALID;

    size_t pw_len = strlen(pw);
    if (verify_bytes(record, full_len, pw, pw_len))
        return PASSWORD_OK;
    /* The truncated form is exactly 16 characters: anything shorter or
     * longer had to match the full password. */
    if (allow_truncated && second &&
        password_char_count(pw) == PASSWORD_TRUNCATE_CHARS &&
        verify_bytes(second, strlen(second), pw, pw_len))
        return PASSWORD_OK;
    return PASSWORD_MISMATCH;
}
