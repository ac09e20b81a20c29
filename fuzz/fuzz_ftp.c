/*
 * fuzz_ftp.c - MSNFTP control lines and data blocks (msnp_ftp.h).
 *
 * The input is read the way libmsgr reads a data connection: lines until
 * a TFR line, then (receiver side) data blocks, each header followed by
 * its data; a BYE or CCL line may come at any time in line mode.
 * Properties: find_line never reports more than it was given; a line
 * that parses builds again (VER only when it offers MSNFTP), and the
 * built line parses to the same information; a block header never claims
 * a flag other than 0 or 1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_ftp.h"
#include "msnp_status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void round_trip(const msnp_ftp_line *l)
{
    msnp_buf b = MSNP_BUF_INIT;
    msnp_ftp_line again;
    int rc = msnp_ftp_build_line(&b, l);
    if (l->verb == MSNP_FTP_VER && !l->msnftp) {
        check(rc == MSNP_E_INVALID_ARG && b.len == 0);
        return;
    }
    check(rc == MSNP_OK);
    check(b.len >= 2 && b.data[b.len - 2] == '\r' && b.data[b.len - 1] == '\n');
    check(msnp_ftp_parse_line(b.data, b.len - 2, &again) == MSNP_OK);
    check(msnp_ftp_line_equal(l, &again));
    msnp_buf_free(&b);
}

/* One line at data; returns bytes consumed, 0 to stop. */
static size_t one_line(const uint8_t *data, size_t size, bool *blocks)
{
    size_t n = 0, used = 0;
    msnp_ftp_line l;
    int rc = msnp_ftp_find_line(data, size, &n, &used);
    if (rc != 1)
        return 0;
    check(used <= size && n < used);
    if (msnp_ftp_parse_line((const char *)data, n, &l) == MSNP_OK) {
        check(l.verb >= MSNP_FTP_VER && l.verb <= MSNP_FTP_CCL);
        round_trip(&l);
        *blocks = l.verb == MSNP_FTP_TFR;
    }
    return used;
}

/* One block at data; returns bytes consumed, 0 to stop. */
static size_t one_block(const uint8_t *data, size_t size)
{
    msnp_ftp_block h;
    int rc = msnp_ftp_block_parse(data, size, &h);
    if (rc != 1)
        return 0;
    check(data[0] <= 1 && h.end == (data[0] == 1));
    size_t want = MSNP_FTP_BLOCK_HEADER + (size_t)h.length;
    if (want > size)
        return 0;
    if (h.length <= MSNP_FTP_BLOCK_DATA_MAX) { /* writing it back gives the same bytes */
        msnp_buf b = MSNP_BUF_INIT;
        check(msnp_ftp_block_write(&b, data + 3, h.length) == MSNP_OK);
        check(b.len == want && memcmp(b.data + 1, data + 1, want - 1) == 0);
        msnp_buf_free(&b);
    }
    return want;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool blocks = false;
    size_t off = 0;
    while (off < size) {
        size_t used = blocks ? one_block(data + off, size - off)
                             : one_line(data + off, size - off, &blocks);
        if (used == 0)
            break;
        off += used;
    }
    return 0;
}
