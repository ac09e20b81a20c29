/*
 * msnp_challenge.c - CHL / QRY challenge answers, product keys and fresh
 * challenges (see msnp_challenge.h, msnp.md 2.10).
 */
#include "msnp_challenge.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "msnp_status.h"

/* The published pairs of msnp.md 2.10, in the table's order. */
static const msnp_product_key product_keys[] = {
    { "msmsgs@msnmsgr.com", "Q1P7W2E4J9R8U3S5" },
    { "PROD0038W!61ZTF9", "VT6PX?UQTM4WM%YR" },
    { "PROD0058#7IL2{QD", "QHDCY@7R1TB6W?5B" },
    { "PROD0061VRRZH@4F", "JXQ6J@TUOGYV@N0M" },
    { "PROD00504RLUG%WL", "I2EBK%PYNLZL5_J4" },
    { "PROD0076ENE8*@AW", "CEQJ8}OE0!WTSWII" },
};

#define PRODUCT_KEY_COUNT (sizeof product_keys / sizeof product_keys[0])

/* MD5 over challenge then key, as one message (plain concatenation). */
static int md5_concat(const char *challenge, const char *key,
                      unsigned char digest[EVP_MAX_MD_SIZE],
                      unsigned int *digest_len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return MSNP_E_NOMEM;
    int ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) &&
             EVP_DigestUpdate(ctx, challenge, strlen(challenge)) &&
             EVP_DigestUpdate(ctx, key, strlen(key)) &&
             EVP_DigestFinal_ex(ctx, digest, digest_len);
    EVP_MD_CTX_free(ctx);
    /* libcrypto reports no finer reason we could act on; resource
     * exhaustion is the only plausible cause with a built-in digest. */
    return ok && *digest_len == 16 ? MSNP_OK : MSNP_E_NOMEM;
}

int msnp_challenge_response(const char *challenge, const char *key,
                            char out[MSNP_CHALLENGE_RESPONSE_SIZE])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;

    if (!out)
        return MSNP_E_INVALID_ARG;
    out[0] = '\0';
    if (!challenge || !key)
        return MSNP_E_INVALID_ARG;
    int rc = md5_concat(challenge, key, digest, &digest_len);
    if (rc != MSNP_OK)
        return rc;
    for (unsigned int i = 0; i < digest_len; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[MSNP_CHALLENGE_RESPONSE_LEN] = '\0';
    return MSNP_OK;
}

const char *msnp_product_key_lookup(const char *product_id)
{
    if (!product_id)
        return NULL;
    for (size_t i = 0; i < PRODUCT_KEY_COUNT; i++) {
        if (strcmp(product_keys[i].id, product_id) == 0)
            return product_keys[i].key;
    }
    return NULL;
}

const msnp_product_key *msnp_product_keys(size_t *count)
{
    *count = PRODUCT_KEY_COUNT;
    return product_keys;
}

/* Divides the big-endian number num[0..n) in place by divisor and returns
 * the remainder. */
static unsigned divide_in_place(unsigned char *num, size_t n, unsigned divisor)
{
    unsigned rem = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned cur = (rem << 8) | num[i];
        num[i] = (unsigned char)(cur / divisor);
        rem = cur % divisor;
    }
    return rem;
}

/*
 * Reading the random bytes as one big number N, the 19 low digits are the
 * remainders of repeated division by 10 and the first digit is
 * 1 + (what is left) mod 9. That maps N onto 10^19 .. 10^20-1, so the
 * challenge always has 20 significant digits (no client can mistake it for
 * a shorter number), and with at least 128 bits of N the mapping is uniform
 * to within 9*10^19 / 2^128 < 2^-60.
 */
int msnp_challenge_generate(const unsigned char *random, size_t nrandom,
                            char out[MSNP_CHALLENGE_SIZE])
{
    unsigned char num[64];

    if (!out)
        return MSNP_E_INVALID_ARG;
    out[0] = '\0';
    if (!random || nrandom < MSNP_CHALLENGE_RANDOM_BYTES)
        return MSNP_E_INVALID_ARG;
    /* More than 512 bits add nothing; keep the work bounded. */
    size_t n = nrandom < sizeof num ? nrandom : sizeof num;
    memcpy(num, random, n);
    for (int i = MSNP_CHALLENGE_DIGITS - 1; i >= 1; i--)
        out[i] = (char)('0' + divide_in_place(num, n, 10));
    out[0] = (char)('1' + divide_in_place(num, n, 9));
    out[MSNP_CHALLENGE_DIGITS] = '\0';
    OPENSSL_cleanse(num, sizeof num);
    return MSNP_OK;
}

bool msnp_challenge_equal(const void *a, size_t alen, const void *b,
                          size_t blen)
{
    if (alen != blen)
        return false;
    if (alen == 0)
        return true;
    if (!a || !b)
        return false;
    return CRYPTO_memcmp(a, b, alen) == 0;
}

bool msnp_challenge_check(const char *challenge, const char *key,
                          const void *response, size_t len)
{
    char expected[MSNP_CHALLENGE_RESPONSE_SIZE];

    if (!response)
        return false;
    if (msnp_challenge_response(challenge, key, expected) != MSNP_OK)
        return false;
    return msnp_challenge_equal(expected, MSNP_CHALLENGE_RESPONSE_LEN,
                                response, len);
}
