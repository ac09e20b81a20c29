/* msnp_types.c - names of dialects, presence codes and lists. */
#include "msnp_types.h"

#include <string.h>

static const char *const presence_codes[] = {
    "FLN", "NLN", "BSY", "IDL", "BRB", "AWY", "PHN", "LUN", "HDN",
};

const char *msnp_dialect_name(msnp_dialect d)
{
    switch (d) {
    case MSNP_DIALECT_MSNP8: return "MSNP8";
    case MSNP_DIALECT_MSNP9: return "MSNP9";
    case MSNP_DIALECT_NONE: break;
    }
    return NULL;
}

const char *msnp_presence_code(msnp_presence p)
{
    if ((unsigned)p >= sizeof presence_codes / sizeof presence_codes[0])
        return NULL;
    return presence_codes[p];
}

bool msnp_presence_parse(const char *code, msnp_presence *out)
{
    for (size_t i = 0; i < sizeof presence_codes / sizeof presence_codes[0]; i++) {
        if (strcmp(code, presence_codes[i]) == 0) {
            *out = (msnp_presence)i;
            return true;
        }
    }
    return false;
}

const char *msnp_list_name(int bit)
{
    switch (bit) {
    case MSNP_LIST_FL: return "FL";
    case MSNP_LIST_AL: return "AL";
    case MSNP_LIST_BL: return "BL";
    case MSNP_LIST_RL: return "RL";
    }
    return NULL;
}

int msnp_list_parse(const char *name)
{
    static const char *const names[] = { "FL", "AL", "BL", "RL" };
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return 1 << i;
    return 0;
}
