/*
 * msnp_types.h - small vocabulary shared by the codec, msgrd and libmsgr:
 * dialects, presence codes, list bits (msnp.md 2.2, 3.1, 4.1).
 */
#ifndef MSNP_TYPES_H
#define MSNP_TYPES_H

#include <stdbool.h>

typedef enum msnp_dialect {
    MSNP_DIALECT_NONE = 0,
    MSNP_DIALECT_MSNP8 = 8,
    MSNP_DIALECT_MSNP9 = 9,
} msnp_dialect;

/* Upper-case dialect name ("MSNP8"), or NULL for MSNP_DIALECT_NONE. */
const char *msnp_dialect_name(msnp_dialect d);

typedef enum msnp_presence {
    MSNP_PRESENCE_FLN = 0, /* offline */
    MSNP_PRESENCE_NLN,     /* online */
    MSNP_PRESENCE_BSY,
    MSNP_PRESENCE_IDL,
    MSNP_PRESENCE_BRB,
    MSNP_PRESENCE_AWY,
    MSNP_PRESENCE_PHN,
    MSNP_PRESENCE_LUN,
    MSNP_PRESENCE_HDN,     /* appear offline */
} msnp_presence;

/* Three-letter code of a presence value ("NLN"); NULL if out of range. */
const char *msnp_presence_code(msnp_presence p);
/* Parses a three-letter presence code (case-sensitive). Returns false for
 * anything else. */
bool msnp_presence_parse(const char *code, msnp_presence *out);

/* List bits as they appear in LST (msnp.md 3.1). */
enum msnp_list_bits {
    MSNP_LIST_FL = 1,
    MSNP_LIST_AL = 2,
    MSNP_LIST_BL = 4,
    MSNP_LIST_RL = 8,
};

/* "FL"/"AL"/"BL"/"RL" for one bit, NULL otherwise. */
const char *msnp_list_name(int bit);
/* Parses "FL", "AL", "BL", "RL" into a bit; 0 for anything else. */
int msnp_list_parse(const char *name);

#endif
