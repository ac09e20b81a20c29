/*
 * fuzz_invite.c - invitation parsing and building (msnp_invite.h).
 *
 * Property: parse(x) ok => build succeeds, parse(build) succeeds and
 * carries the same information (msnp_invite_equal), and building that
 * again gives the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msnp_invite.h"
#include "msnp_status.h"

static void check(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    msnp_invite inv, again;
    msnp_buf b = MSNP_BUF_INIT, b2 = MSNP_BUF_INIT;

    if (msnp_invite_parse(data, size, &inv) != MSNP_OK)
        return 0;
    check(inv.command != MSNP_INVITE_CMD_NONE);
    check(inv.cookie >= 1 && inv.cookie <= 2147483647u);
    check(msnp_invite_build(&b, &inv) == MSNP_OK);
    check(msnp_invite_parse(b.data, b.len, &again) == MSNP_OK);
    check(msnp_invite_equal(&inv, &again));
    check(msnp_invite_build(&b2, &again) == MSNP_OK);
    check(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0);

    (void)msnp_guid_valid(inv.application_guid);
    msnp_invite_free(&again);
    msnp_invite_free(&inv);
    msnp_buf_free(&b);
    msnp_buf_free(&b2);
    return 0;
}
