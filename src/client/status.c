/*
 * status.c - MISTATUS <-> MSNP presence codes (msnp.md 4.1).
 */
#include "internal.h"

bool status_to_presence(MISTATUS st, msnp_presence *out)
{
    switch (st) {
    case MISTATUS_ONLINE: *out = MSNP_PRESENCE_NLN; return true;
    case MISTATUS_BUSY: *out = MSNP_PRESENCE_BSY; return true;
    case MISTATUS_IDLE: *out = MSNP_PRESENCE_IDL; return true;
    case MISTATUS_BE_RIGHT_BACK: *out = MSNP_PRESENCE_BRB; return true;
    case MISTATUS_AWAY: *out = MSNP_PRESENCE_AWY; return true;
    case MISTATUS_ON_THE_PHONE: *out = MSNP_PRESENCE_PHN; return true;
    case MISTATUS_OUT_TO_LUNCH: *out = MSNP_PRESENCE_LUN; return true;
    case MISTATUS_INVISIBLE: *out = MSNP_PRESENCE_HDN; return true;
    default: return false;
    }
}

MISTATUS status_from_presence(msnp_presence p)
{
    switch (p) {
    case MSNP_PRESENCE_NLN: return MISTATUS_ONLINE;
    case MSNP_PRESENCE_BSY: return MISTATUS_BUSY;
    case MSNP_PRESENCE_IDL: return MISTATUS_IDLE;
    case MSNP_PRESENCE_BRB: return MISTATUS_BE_RIGHT_BACK;
    case MSNP_PRESENCE_AWY: return MISTATUS_AWAY;
    case MSNP_PRESENCE_PHN: return MISTATUS_ON_THE_PHONE;
    case MSNP_PRESENCE_LUN: return MISTATUS_OUT_TO_LUNCH;
    case MSNP_PRESENCE_HDN: return MISTATUS_INVISIBLE;
    case MSNP_PRESENCE_FLN: return MISTATUS_OFFLINE;
    }
    return MISTATUS_UNKNOWN;
}

bool status_is_settable(MISTATUS st)
{
    msnp_presence p;
    return status_to_presence(st, &p);
}
