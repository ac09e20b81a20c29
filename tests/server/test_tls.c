/*
 * test_tls.c - the login endpoint's certificate and TLS context (tls.h):
 * first-start creation (RSA 2048, SHA-256, ten years, SANs, key mode
 * 0600), reload with the same fingerprint, the fingerprint format, the
 * half-present cases, and real in-memory handshakes: a modern client gets
 * TLS 1.3, a legacy client limited to TLS 1.0 and RSA key exchange still
 * gets in, and both verify the certificate for "localhost".
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tls.h"

typedef struct fixture {
    char dir[64];
    char cert[128];
    char key[128];
} fixture;

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/msgr-tls-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->cert, sizeof f->cert, "%s/" TLS_CERT_FILE, f->dir);
    snprintf(f->key, sizeof f->key, "%s/" TLS_KEY_FILE, f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    remove_dir(f->dir);
    free(f);
    return 0;
}

static void ensure(fixture *f, const char *cn, bool expect_created)
{
    bool created = !expect_created;
    char *err = NULL;
    int rc = tls_cert_ensure(f->dir, cn, &created, &err);
    if (rc != 0)
        fprintf(stderr, "tls_cert_ensure: %s\n", err ? err : "?");
    assert_int_equal(rc, 0);
    assert_null(err);
    assert_int_equal(created, expect_created);
}

static X509 *load_cert(const char *path)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    X509 *x = PEM_read_X509(fp, NULL, NULL, NULL);
    fclose(fp);
    assert_non_null(x);
    return x;
}

/* The subjectAltName entries as "DNS:x" / "IP:x" joined by ','. */
static void san_text(X509 *x, char *out, size_t len)
{
    out[0] = '\0';
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    assert_non_null(names);
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        char item[80] = "";
        if (g->type == GEN_DNS) {
            snprintf(item, sizeof item, "DNS:%s",
                     (const char *)ASN1_STRING_get0_data(g->d.dNSName));
        } else if (g->type == GEN_IPADD) {
            const unsigned char *ip = ASN1_STRING_get0_data(g->d.iPAddress);
            if (ASN1_STRING_length(g->d.iPAddress) == 4)
                snprintf(item, sizeof item, "IP:%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
            else
                snprintf(item, sizeof item, "IP:v6");
        }
        snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "," : "", item);
    }
    GENERAL_NAMES_free(names);
}

static void common_name(X509 *x, char *out, size_t len)
{
    assert_true(X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, out,
                                          (int)len) > 0);
}

static void test_first_start_creates_pair(void **state)
{
    fixture *f = *state;
    ensure(f, NULL, true);

    struct stat st;
    assert_int_equal(stat(f->key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(f->cert, &st), 0);

    X509 *x = load_cert(f->cert);
    char cn[128], san[256];
    common_name(x, cn, sizeof cn);
    assert_string_equal(cn, "localhost");
    san_text(x, san, sizeof san);
    assert_string_equal(san, "DNS:localhost,IP:127.0.0.1");

    EVP_PKEY *pub = X509_get0_pubkey(x);
    assert_int_equal(EVP_PKEY_base_id(pub), EVP_PKEY_RSA);
    assert_int_equal(EVP_PKEY_get_bits(pub), 2048);
    assert_int_equal(X509_get_signature_nid(x), NID_sha256WithRSAEncryption);
    assert_int_equal(X509_get_version(x), 2);
    assert_int_equal(X509_verify(x, pub), 1); /* self-signed */
    assert_int_equal(X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)), 0);

    /* Valid now, for about ten years. */
    int days = 0, secs = 0;
    assert_int_equal(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x),
                                    X509_get0_notAfter(x)), 1);
    assert_in_range(days, 3649, 3651);
    assert_true(X509_cmp_current_time(X509_get0_notBefore(x)) < 0);
    assert_true(X509_cmp_current_time(X509_get0_notAfter(x)) > 0);
    assert_true(X509_check_purpose(x, X509_PURPOSE_SSL_SERVER, 0) == 1);
    X509_free(x);

    /* No temporary files left behind. */
    DIR *d = opendir(f->dir);
    int entries = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        entries += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(entries, 2);
}

static void test_reload_keeps_fingerprint(void **state)
{
    fixture *f = *state;
    ensure(f, "login.example.net", true);
    char fp1[TLS_FINGERPRINT_SIZE], fp2[TLS_FINGERPRINT_SIZE];
    assert_int_equal(tls_fingerprint_file(f->cert, fp1, NULL), 0);
    ensure(f, "other.example.net", false); /* nothing regenerated */
    assert_int_equal(tls_fingerprint_file(f->cert, fp2, NULL), 0);
    assert_string_equal(fp1, fp2);
}

static void test_fingerprint_format(void **state)
{
    fixture *f = *state;
    ensure(f, NULL, true);
    char fp[TLS_FINGERPRINT_SIZE];
    assert_int_equal(tls_fingerprint_file(f->cert, fp, NULL), 0);
    assert_int_equal(strlen(fp), 95);
    for (int i = 0; i < 95; i++) {
        if (i % 3 == 2)
            assert_int_equal(fp[i], ':');
        else
            assert_non_null(strchr("0123456789ABCDEF", fp[i]));
    }
    /* Same as the digest of the parsed certificate. */
    X509 *x = load_cert(f->cert);
    char fp2[TLS_FINGERPRINT_SIZE];
    assert_int_equal(tls_fingerprint_sha256(x, fp2), 0);
    assert_string_equal(fp, fp2);
    X509_free(x);
    assert_int_equal(tls_fingerprint_sha256(NULL, fp2), -1);

    char *err = NULL;
    assert_int_equal(tls_fingerprint_file("/nonexistent/cert.pem", fp, &err), -1);
    assert_non_null(err);
    free(err);
}

static void test_names_from_login_host(void **state)
{
    fixture *f = *state;
    char cn[128], san[256];

    ensure(f, "login.example.net:8443", true);
    X509 *x = load_cert(f->cert);
    common_name(x, cn, sizeof cn);
    assert_string_equal(cn, "login.example.net");
    san_text(x, san, sizeof san);
    assert_string_equal(san, "DNS:localhost,IP:127.0.0.1,DNS:login.example.net");
    X509_free(x);

    unlink(f->cert);
    unlink(f->key);
    ensure(f, "192.0.2.7:443", true);
    x = load_cert(f->cert);
    san_text(x, san, sizeof san);
    assert_string_equal(san, "DNS:localhost,IP:127.0.0.1,IP:192.0.2.7");
    X509_free(x);

    unlink(f->cert);
    unlink(f->key);
    ensure(f, "[2001:db8::1]:443", true);
    x = load_cert(f->cert);
    san_text(x, san, sizeof san);
    assert_string_equal(san, "DNS:localhost,IP:127.0.0.1,IP:v6");
    X509_free(x);

    /* Junk is not written into the certificate. */
    unlink(f->cert);
    unlink(f->key);
    ensure(f, "bad,host name", true);
    x = load_cert(f->cert);
    san_text(x, san, sizeof san);
    assert_string_equal(san, "DNS:localhost,IP:127.0.0.1");
    X509_free(x);
}

static void test_half_present_pairs(void **state)
{
    fixture *f = *state;
    ensure(f, NULL, true);
    char fp1[TLS_FINGERPRINT_SIZE], fp2[TLS_FINGERPRINT_SIZE];
    assert_int_equal(tls_fingerprint_file(f->cert, fp1, NULL), 0);

    /* A key without its certificate (a crash between the renames): the
     * next start makes a new pair. */
    unlink(f->cert);
    ensure(f, NULL, true);
    assert_int_equal(tls_fingerprint_file(f->cert, fp2, NULL), 0);
    assert_string_not_equal(fp1, fp2);

    /* A certificate without its key: refused, nothing overwritten. */
    unlink(f->key);
    char *err = NULL;
    bool created = true;
    assert_int_equal(tls_cert_ensure(f->dir, NULL, &created, &err), -1);
    assert_false(created);
    assert_non_null(err);
    assert_non_null(strstr(err, TLS_KEY_FILE));
    free(err);
    assert_int_equal(tls_fingerprint_file(f->cert, fp1, NULL), 0);
    assert_string_equal(fp1, fp2);

    /* A data directory that does not exist. */
    err = NULL;
    assert_int_equal(tls_cert_ensure("/nonexistent/msgr", NULL, NULL, &err), -1);
    assert_non_null(err);
    free(err);
}

static void test_ctx_load_errors(void **state)
{
    fixture *f = *state;
    ensure(f, NULL, true);
    char *err = NULL;
    SSL_CTX *ctx = tls_server_ctx_new(f->cert, f->key, &err);
    assert_non_null(ctx);
    assert_null(err);
    SSL_CTX_free(ctx);

    ctx = tls_server_ctx_new("/nonexistent/cert.pem", f->key, &err);
    assert_null(ctx);
    assert_non_null(err);
    free(err);

    /* A key that belongs to another certificate. */
    char other[160];
    snprintf(other, sizeof other, "%s/other.pem", f->dir);
    assert_int_equal(rename(f->key, other), 0);
    unlink(f->cert);
    ensure(f, NULL, true);
    ctx = tls_server_ctx_new(f->cert, other, &err);
    assert_null(ctx);
    assert_non_null(err);
    assert_non_null(strstr(err, "other.pem"));
    free(err);
}

/* ---- handshakes ---------------------------------------------------------- */

/* Runs a client/server handshake over an in-memory BIO pair. Returns 1 on
 * success, 0 if either side failed. */
static int handshake(SSL *c, SSL *s)
{
    BIO *bc = NULL, *bs = NULL;
    assert_int_equal(BIO_new_bio_pair(&bc, 0, &bs, 0), 1);
    SSL_set_bio(c, bc, bc);
    SSL_set_bio(s, bs, bs);
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    for (int i = 0; i < 100; i++) {
        int rc = SSL_do_handshake(c), rs = SSL_do_handshake(s);
        if (rc == 1 && rs == 1)
            return 1;
        int ec = rc == 1 ? SSL_ERROR_NONE : SSL_get_error(c, rc);
        int es = rs == 1 ? SSL_ERROR_NONE : SSL_get_error(s, rs);
        bool stuck_c = ec != SSL_ERROR_NONE && ec != SSL_ERROR_WANT_READ &&
                       ec != SSL_ERROR_WANT_WRITE;
        bool stuck_s = es != SSL_ERROR_NONE && es != SSL_ERROR_WANT_READ &&
                       es != SSL_ERROR_WANT_WRITE;
        if (stuck_c || stuck_s)
            return 0;
    }
    return 0;
}

/* A client context that trusts only our certificate, for "localhost". */
static SSL_CTX *client_ctx(const fixture *f, int max_version, const char *ciphers)
{
    SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
    assert_non_null(cctx);
    assert_int_equal(SSL_CTX_load_verify_locations(cctx, f->cert, NULL), 1);
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
    if (max_version) {
        SSL_CTX_set_security_level(cctx, 0);
        SSL_CTX_set_min_proto_version(cctx, max_version);
        SSL_CTX_set_max_proto_version(cctx, max_version);
    }
    if (ciphers)
        assert_int_equal(SSL_CTX_set_cipher_list(cctx, ciphers), 1);
    return cctx;
}

/* Handshakes and returns the negotiated version and cipher. */
static void connect_with(const fixture *f, SSL_CTX *cctx, int *version, char *cipher,
                         size_t cipher_len)
{
    SSL_CTX *sctx = tls_server_ctx_new(f->cert, f->key, NULL);
    assert_non_null(sctx);
    SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
    assert_int_equal(SSL_set1_host(c, "localhost"), 1);
    int ok = handshake(c, s);
    if (!ok)
        ERR_print_errors_fp(stderr);
    assert_int_equal(ok, 1);
    assert_int_equal(SSL_get_verify_result(c), X509_V_OK);
    *version = SSL_version(c);
    snprintf(cipher, cipher_len, "%s", SSL_get_cipher_name(c));
    SSL_free(c);
    SSL_free(s);
    SSL_CTX_free(sctx);
}

static void test_modern_client_gets_tls13(void **state)
{
    fixture *f = *state;
    ensure(f, NULL, true);
    SSL_CTX *cctx = client_ctx(f, 0, NULL);
    int version;
    char cipher[64];
    connect_with(f, cctx, &version, cipher, sizeof cipher);
    assert_int_equal(version, TLS1_3_VERSION);
    SSL_CTX_free(cctx);

    /* A TLS 1.2 client gets forward secrecy and AEAD (server order). */
    cctx = client_ctx(f, 0, NULL);
    SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
    connect_with(f, cctx, &version, cipher, sizeof cipher);
    assert_int_equal(version, TLS1_2_VERSION);
    assert_memory_equal(cipher, "ECDHE-RSA-", 10);
    assert_non_null(strstr(cipher, "GCM"));
    SSL_CTX_free(cctx);
}

static void test_legacy_client_tls10_rsa(void **state)
{
    fixture *f = *state;
    ensure(f, NULL, true);
    int version;
    char cipher[64];
    /* What an XP-era client with AES support offers: TLS 1.0, RSA key
     * exchange, CBC with SHA-1. */
    SSL_CTX *cctx = client_ctx(f, TLS1_VERSION, "AES128-SHA");
    connect_with(f, cctx, &version, cipher, sizeof cipher);
    assert_int_equal(version, TLS1_VERSION);
    assert_string_equal(cipher, "AES128-SHA");
    SSL_CTX_free(cctx);

    cctx = client_ctx(f, TLS1_1_VERSION, "AES256-SHA");
    connect_with(f, cctx, &version, cipher, sizeof cipher);
    assert_int_equal(version, TLS1_1_VERSION);
    assert_string_equal(cipher, "AES256-SHA");
    SSL_CTX_free(cctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_start_creates_pair, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reload_keeps_fingerprint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fingerprint_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_from_login_host, setup, teardown),
        cmocka_unit_test_setup_teardown(test_half_present_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ctx_load_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_modern_client_gets_tls13, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_client_tls10_rsa, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
