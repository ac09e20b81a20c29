/*
 * tls.c - self-signed certificate on first start, fingerprints, and the
 * login endpoint's SSL_CTX (tls.h).
 */
#include "tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#define RSA_BITS 2048
#define VALID_DAYS 3650
/* notBefore is set an hour back so a client whose clock is a little
 * behind does not see a certificate from the future. */
#define BACKDATE_SECONDS 3600
#define MAX_CN 64 /* X.509 upper bound of a common name */

/* Suites for TLS 1.0-1.2, best first (the server's order wins). The RSA
 * key exchange suites at the end are what the old clients can do; names
 * this OpenSSL does not have are skipped by OpenSSL. TLS 1.3 suites are
 * configured separately and left at OpenSSL's defaults. */
static const char server_ciphers[] =
    "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20:ECDHE+AES:DHE+AES:"
    "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA:AES256-SHA:"
    "DES-CBC3-SHA:RC4-SHA:RC4-MD5:!aNULL:!eNULL";

/* ---- errors ------------------------------------------------------------- */

/* Sets *err to the formatted message followed by OpenSSL's most recent
 * error, if any, and clears OpenSSL's error queue. */
static void set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char **err, const char *fmt, ...)
{
    char msg[512], ossl[256] = "";
    unsigned long e = ERR_peek_last_error();
    if (e)
        ERR_error_string_n(e, ossl, sizeof ossl);
    ERR_clear_error();
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t n = strlen(msg) + strlen(ossl) + 3;
    *err = malloc(n);
    if (*err)
        snprintf(*err, n, "%s%s%s", msg, *ossl ? ": " : "", ossl);
}

/* ---- paths -------------------------------------------------------------- */

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + 1 + strlen(name) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *tls_cert_path(const char *data_dir)
{
    return join_path(data_dir, TLS_CERT_FILE);
}

char *tls_key_path(const char *data_dir)
{
    return join_path(data_dir, TLS_KEY_FILE);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- names -------------------------------------------------------------- */

/* Copies the host part of "host", "host:port", "[v6]:port" or a bare v6
 * address into out (size outlen). Returns false if it does not fit. */
static bool host_part(const char *s, char *out, size_t outlen)
{
    const char *start = s, *end;
    if (*s == '[') {
        start = s + 1;
        end = strchr(start, ']');
        if (!end)
            return false;
    } else {
        const char *colon = strchr(s, ':');
        /* One colon: host:port. More: a bare IPv6 address. */
        end = (colon && !strchr(colon + 1, ':')) ? colon : s + strlen(s);
    }
    size_t n = (size_t)(end - start);
    if (n == 0 || n >= outlen)
        return false;
    memcpy(out, start, n);
    out[n] = '\0';
    return true;
}

static bool is_ip_address(const char *s)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* A DNS name we are willing to write into the certificate. */
static bool is_dns_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 253 || s[0] == '.' || s[0] == '-')
        return false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return false;
    }
    return true;
}

/* ---- generation --------------------------------------------------------- */

static int add_ext(X509 *x, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return -1;
    int ok = X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

/* A random positive 127-bit serial number (RFC 5280: at most 20 octets,
 * positive; random so two generated certificates never share one). */
static int set_random_serial(X509 *x)
{
    unsigned char rnd[16];
    if (RAND_bytes(rnd, sizeof rnd) != 1)
        return -1;
    rnd[0] &= 0x7F;
    rnd[0] |= 0x40; /* never zero, always 16 octets */
    BIGNUM *bn = BN_bin2bn(rnd, sizeof rnd, NULL);
    int ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
    BN_free(bn);
    return ok ? 0 : -1;
}

static int set_names(X509 *x, const char *cn)
{
    X509_NAME *name = X509_get_subject_name(x);
    if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                    (const unsigned char *)cn, -1, -1, 0))
        return -1;
    return X509_set_issuer_name(x, name) ? 0 : -1;
}

/* subjectAltName: always localhost and 127.0.0.1 (the default loopback
 * setup), plus the configured host. */
static int set_extensions(X509 *x, const char *host)
{
    char san[64 + 256 + 8] = "DNS:localhost,IP:127.0.0.1";
    if (strcmp(host, "localhost") != 0 && strcmp(host, "127.0.0.1") != 0) {
        if (is_ip_address(host))
            snprintf(san + strlen(san), sizeof san - strlen(san), ",IP:%s", host);
        else if (is_dns_name(host))
            snprintf(san + strlen(san), sizeof san - strlen(san), ",DNS:%s", host);
    }
    if (add_ext(x, NID_basic_constraints, "critical,CA:FALSE") ||
        add_ext(x, NID_key_usage, "critical,digitalSignature,keyEncipherment") ||
        add_ext(x, NID_ext_key_usage, "serverAuth") ||
        add_ext(x, NID_subject_key_identifier, "hash") ||
        add_ext(x, NID_subject_alt_name, san))
        return -1;
    return 0;
}

/* Builds the self-signed certificate for key. */
static X509 *make_cert(EVP_PKEY *key, const char *host)
{
    const char *cn = strlen(host) <= MAX_CN ? host : "localhost";
    X509 *x = X509_new();
    if (!x)
        return NULL;
    if (!X509_set_version(x, 2) || set_random_serial(x) ||
        !X509_gmtime_adj(X509_getm_notBefore(x), -BACKDATE_SECONDS) ||
        !X509_time_adj_ex(X509_getm_notAfter(x), VALID_DAYS, 0, NULL) ||
        !X509_set_pubkey(x, key) || set_names(x, cn) || set_extensions(x, host) ||
        !X509_sign(x, key, EVP_sha256())) {
        X509_free(x);
        return NULL;
    }
    return x;
}

/* ---- writing ------------------------------------------------------------ */

typedef int (*pem_writer)(FILE *fp, const void *obj);

static int write_key_pem(FILE *fp, const void *obj)
{
    /* PEM_write_PrivateKey takes a non-const key only for historical
     * reasons; it does not modify it. */
    EVP_PKEY *key = (EVP_PKEY *)(uintptr_t)obj;
    return PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL) ? 0 : -1;
}

static int write_cert_pem(FILE *fp, const void *obj)
{
    return PEM_write_X509(fp, (const X509 *)obj) ? 0 : -1;
}

/* Writes obj to a new file tmp with the given mode, flushed to disk. */
static int write_file(const char *tmp, mode_t mode, pem_writer writer, const void *obj)
{
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    /* The umask can only narrow the mode, but be explicit for the key. */
    FILE *fp = fchmod(fd, mode) == 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    int rc = writer(fp, obj);
    if (fflush(fp) != 0 || fsync(fileno(fp)) != 0)
        rc = -1;
    if (fclose(fp) != 0)
        rc = -1;
    if (rc != 0)
        unlink(tmp);
    return rc;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Writes the key, then the certificate, each through a temporary file
 * renamed into place: a crash leaves either nothing, a key alone (which
 * the next start replaces) or a complete pair. */
static int store_pair(const char *dir, EVP_PKEY *key, X509 *cert, char **err)
{
    char *key_path = tls_key_path(dir), *cert_path = tls_cert_path(dir);
    char *key_tmp = join_path(dir, ".key.pem.tmp"), *cert_tmp = join_path(dir, ".cert.pem.tmp");
    int rc = -1;
    if (!key_path || !cert_path || !key_tmp || !cert_tmp)
        set_err(err, "out of memory");
    else if (write_file(key_tmp, 0600, write_key_pem, key) != 0 ||
             rename(key_tmp, key_path) != 0)
        set_err(err, "cannot write %s: %s", key_path, strerror(errno));
    else if (write_file(cert_tmp, 0644, write_cert_pem, cert) != 0 ||
             rename(cert_tmp, cert_path) != 0)
        set_err(err, "cannot write %s: %s", cert_path, strerror(errno));
    else
        rc = 0;
    sync_dir(dir);
    free(key_path);
    free(cert_path);
    free(key_tmp);
    free(cert_tmp);
    return rc;
}

static int generate_pair(const char *dir, const char *common_name, char **err)
{
    char host[256];
    if (!common_name || !*common_name || !host_part(common_name, host, sizeof host))
        strcpy(host, "localhost");
    EVP_PKEY *key = EVP_RSA_gen(RSA_BITS);
    X509 *cert = key ? make_cert(key, host) : NULL;
    int rc = -1;
    if (!cert)
        set_err(err, "cannot generate the TLS certificate");
    else
        rc = store_pair(dir, key, cert, err);
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}

int tls_cert_ensure(const char *data_dir, const char *common_name, bool *created,
                    char **err)
{
    if (created)
        *created = false;
    if (err)
        *err = NULL;
    char *cert_path = tls_cert_path(data_dir), *key_path = tls_key_path(data_dir);
    int rc = -1;
    if (!cert_path || !key_path) {
        set_err(err, "out of memory");
    } else if (file_exists(cert_path) && file_exists(key_path)) {
        rc = 0;
    } else if (file_exists(cert_path)) {
        set_err(err, "%s exists but %s does not: supply the key or remove the certificate",
                cert_path, key_path);
    } else {
        rc = generate_pair(data_dir, common_name, err);
        if (rc == 0 && created)
            *created = true;
    }
    free(cert_path);
    free(key_path);
    return rc;
}

/* ---- fingerprints ------------------------------------------------------- */

int tls_fingerprint_sha256(const X509 *cert, char out[TLS_FINGERPRINT_SIZE])
{
    static const char hex[] = "0123456789ABCDEF";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!cert || !X509_digest(cert, EVP_sha256(), md, &n) || n != 32)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        out[3 * i] = hex[md[i] >> 4];
        out[3 * i + 1] = hex[md[i] & 15];
        out[3 * i + 2] = i + 1 < n ? ':' : '\0';
    }
    return 0;
}

int tls_fingerprint_file(const char *cert_path, char out[TLS_FINGERPRINT_SIZE], char **err)
{
    if (err)
        *err = NULL;
    FILE *fp = fopen(cert_path, "r");
    if (!fp) {
        set_err(err, "cannot open %s: %s", cert_path, strerror(errno));
        return -1;
    }
    X509 *x = PEM_read_X509(fp, NULL, NULL, NULL);
    fclose(fp);
    int rc = x ? tls_fingerprint_sha256(x, out) : -1;
    if (rc != 0)
        set_err(err, "cannot read a certificate from %s", cert_path);
    X509_free(x);
    return rc;
}

/* ---- server context ----------------------------------------------------- */

static void configure_protocols(SSL_CTX *ctx)
{
    /* Level 0 is what lets TLS 1.0/1.1 (MD5+SHA-1 handshake hashes) and
     * the plain-RSA suites through OpenSSL 3's defaults. */
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx, 0); /* the highest OpenSSL knows */
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION |
                                 SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_dh_auto(ctx, 1);
    /* Idle keep-alive connections need not hold 34 KiB of buffers each. */
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
}

SSL_CTX *tls_server_ctx_new(const char *cert_path, const char *key_path, char **err)
{
    if (err)
        *err = NULL;
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        set_err(err, "cannot create the TLS context");
        return NULL;
    }
    configure_protocols(ctx);
    if (!SSL_CTX_set_cipher_list(ctx, server_ciphers))
        set_err(err, "no usable TLS cipher suite");
    else if (SSL_CTX_use_certificate_chain_file(ctx, cert_path) != 1)
        set_err(err, "cannot load the certificate %s", cert_path);
    else if (SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) != 1)
        set_err(err, "cannot load the key %s", key_path);
    else if (SSL_CTX_check_private_key(ctx) != 1)
        set_err(err, "%s does not match %s", key_path, cert_path);
    else
        return ctx;
    SSL_CTX_free(ctx);
    return NULL;
}
