/*
 * tls.h - the login endpoint's certificate and TLS settings.
 *
 * On first start msgrd creates <data_dir>/cert.pem and <data_dir>/key.pem:
 * a self-signed RSA 2048 certificate (RSA because the clients of the era
 * only do RSA key exchange) for CN = the login host name, with
 * subjectAltName DNS:localhost, IP:127.0.0.1 and the login host, valid ten
 * years, signed with SHA-256. The key file is created with mode 0600.
 * Later starts load the same pair, so the fingerprint users pinned or the
 * certificate they installed keeps working. An operator may replace both
 * files with a real certificate and key (cert.pem may hold a chain).
 *
 * The server context accepts TLS 1.0 and later at OpenSSL security level
 * 0, so the legacy RSA-key-exchange CBC suites old clients offer remain
 * possible (msnp.md 2.6 TLS notes), while modern clients still negotiate
 * TLS 1.3, or TLS 1.2 with ECDHE and AEAD suites, which the server
 * prefers. RC4 and 3DES suites are offered only if the OpenSSL build has
 * them (Debian's does not: it is built without weak SSL ciphers).
 */
#ifndef MSGRD_TLS_H
#define MSGRD_TLS_H

#include <stdbool.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#define TLS_CERT_FILE "cert.pem"
#define TLS_KEY_FILE "key.pem"

/* "AB:CD:...": 32 bytes as upper-case hex pairs joined by ':', plus NUL. */
#define TLS_FINGERPRINT_SIZE 96

/* Makes sure data_dir (which must exist) holds a certificate and key:
 *   both files present       -> nothing is written;
 *   neither, or only the key -> a new pair is generated for common_name
 *                               (the host part of login-host, with or
 *                               without ":port" or [brackets]; NULL or ""
 *                               means "localhost") and written atomically
 *                               (temporary file, fsync, rename);
 *   only the certificate     -> error (there is no key to pair with it).
 * *created (may be NULL) tells whether a pair was generated. Returns 0, or
 * -1 with *err (may be NULL) set to a malloc'd message (caller frees). */
int tls_cert_ensure(const char *data_dir, const char *common_name, bool *created,
                    char **err);

/* Malloc'd "<data_dir>/cert.pem" and "<data_dir>/key.pem"; NULL when out
 * of memory. */
char *tls_cert_path(const char *data_dir);
char *tls_key_path(const char *data_dir);

/* Writes the SHA-256 fingerprint of cert into out. Returns 0, or -1 (NULL
 * cert, digest failure). */
int tls_fingerprint_sha256(const X509 *cert, char out[TLS_FINGERPRINT_SIZE]);

/* Same for the first certificate of a PEM file. Returns 0 or -1 with *err
 * (may be NULL) a malloc'd message. */
int tls_fingerprint_file(const char *cert_path, char out[TLS_FINGERPRINT_SIZE],
                         char **err);

/* A server SSL_CTX with the settings above, the certificate chain of
 * cert_path and the key of key_path (checked to match). The caller owns
 * it (SSL_CTX_free). Returns NULL with *err (may be NULL) a malloc'd
 * message on failure. */
SSL_CTX *tls_server_ctx_new(const char *cert_path, const char *key_path, char **err);

#endif
