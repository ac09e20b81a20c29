/*
 * msnp_status.h - status codes returned by every function of the MSNP codec.
 *
 * Codec functions return an int: MSNP_OK (0) or a positive count on
 * success, one of the negative msnp_status values on failure. The codes are
 * distinct so a caller can map each one to an MSNP error reply or to a
 * disconnect (see msnp_status_string() for a human name).
 */
#ifndef MSNP_STATUS_H
#define MSNP_STATUS_H

typedef enum msnp_status {
    MSNP_OK = 0,
    MSNP_E_NOMEM = -1,            /* allocation failed */
    MSNP_E_LINE_TOO_LONG = -2,    /* a command line exceeded the configured limit */
    MSNP_E_PAYLOAD_TOO_LARGE = -3,/* announced payload length exceeds the limit */
    MSNP_E_BAD_LENGTH = -4,       /* payload length is not a decimal uint32 */
    MSNP_E_SYNTAX = -5,           /* malformed line: bad command code, bare CR, NUL, empty line */
    MSNP_E_TOO_MANY_PARAMS = -6,  /* more parameters than the configured limit */
    MSNP_E_BAD_ESCAPE = -7,       /* invalid %-escape in a URL-encoded value */
    MSNP_E_BAD_UTF8 = -8,         /* bytes are not well-formed UTF-8 */
    MSNP_E_CONTROL_CHAR = -9,     /* a control character where none is allowed */
    MSNP_E_BAD_HEADER = -10,      /* malformed MIME / HTTP header */
    MSNP_E_MISSING_FIELD = -11,   /* a required field or parameter is absent */
    MSNP_E_BAD_VALUE = -12,       /* a field has a value outside its grammar */
    MSNP_E_TOO_LONG = -13,        /* a value exceeds its documented size limit */
    MSNP_E_BUFFER_FULL = -14,     /* caller fed more unparsed input than allowed */
    MSNP_E_INVALID_ARG = -15,     /* API misuse: NULL pointer, bad parameter text */
    MSNP_E_BAD_TRID = -16,        /* a TrID that is not a decimal uint32 */
} msnp_status;

/* Short English name of a status ("line too long"); never NULL, static. */
const char *msnp_status_string(int status);

#endif
