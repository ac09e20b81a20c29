/*
 * fuzz_url.c - URL decoding and encoding (msnp_url.h).
 *
 * Properties checked:
 *  - strict success implies lenient success with the same bytes;
 *  - every successful decode is valid UTF-8 without NUL;
 *  - encode(strict result) decodes strictly back to the same bytes and
 *    uses only the characters msnp.md 1.7 allows;
 *  - encoding the raw input and decoding it gives the input back whenever
 *    the input itself is acceptable text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_status.h"
#include "msnp_url.h"

static void check(int ok)
{
    if (!ok)
        abort();
}

static int same(const msnp_buf *a, const char *b, size_t blen)
{
    return a->len == blen && (blen == 0 || memcmp(a->data, b, blen) == 0);
}

/* Only letters, digits, the keep set and %XX with upper-case hex. */
static int encoded_shape_ok(const msnp_buf *e)
{
    static const char keep[] = "-_.!~*'()@";
    for (size_t i = 0; i < e->len; i++) {
        char c = e->data[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            continue;
        if (c != '\0' && strchr(keep, c))
            continue;
        if (c != '%' || i + 2 >= e->len)
            return 0;
        for (size_t k = 1; k <= 2; k++) {
            char h = e->data[i + k];
            if (!((h >= '0' && h <= '9') || (h >= 'A' && h <= 'F')))
                return 0;
        }
        i += 2;
    }
    return 1;
}

static void check_decoded(const msnp_buf *d)
{
    check(msnp_utf8_valid(d->data, d->len));
    check(d->len == 0 || memchr(d->data, '\0', d->len) == NULL);
}

/* Decodes with flags; on success checks the output is clean text. */
static int decode(msnp_buf *out, const char *in, size_t len, unsigned flags)
{
    int rc = msnp_url_decode(out, in, len, flags);
    if (rc == MSNP_OK)
        check_decoded(out);
    else
        check(out->len == 0);
    return rc;
}

static void roundtrip(const char *s, size_t len)
{
    msnp_buf enc = MSNP_BUF_INIT, back = MSNP_BUF_INIT;
    check(msnp_url_encode(&enc, s, len) == MSNP_OK);
    check(encoded_shape_ok(&enc));
    check(msnp_url_decode(&back, enc.data, enc.len, MSNP_URL_STRICT) == MSNP_OK);
    check(same(&back, s, len));
    msnp_buf_free(&enc);
    msnp_buf_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    msnp_buf strict = MSNP_BUF_INIT, lenient = MSNP_BUF_INIT, loose = MSNP_BUF_INIT;

    int rs = decode(&strict, in, size, MSNP_URL_STRICT);
    int rl = decode(&lenient, in, size, MSNP_URL_LENIENT);
    int ra = decode(&loose, in, size, MSNP_URL_LENIENT | MSNP_URL_ALLOW_CONTROL);
    if (rs == MSNP_OK) {
        check(rl == MSNP_OK && same(&lenient, strict.data, strict.len));
        roundtrip(strict.data, strict.len);
    }
    if (rl == MSNP_OK)
        check(ra == MSNP_OK && same(&loose, lenient.data, lenient.len));

    /* The raw input as a name: if it is clean text it must survive. */
    if (msnp_utf8_valid(in, size)) {
        msnp_buf enc = MSNP_BUF_INIT, back = MSNP_BUF_INIT;
        check(msnp_url_encode(&enc, in, size) == MSNP_OK);
        int rb = msnp_url_decode(&back, enc.data, enc.len, MSNP_URL_ALLOW_CONTROL);
        check(rb == MSNP_OK || (rb == MSNP_E_CONTROL_CHAR && memchr(in, '\0', size)));
        if (rb == MSNP_OK)
            check(same(&back, in, size));
        msnp_buf_free(&enc);
        msnp_buf_free(&back);
    }

    msnp_buf cp = MSNP_BUF_INIT;
    check(msnp_cp1252_to_utf8(&cp, in, size) == MSNP_OK);
    check(msnp_utf8_valid(cp.data, cp.len));
    msnp_buf_free(&cp);

    msnp_buf_free(&strict);
    msnp_buf_free(&lenient);
    msnp_buf_free(&loose);
    return 0;
}
