/* msnp_status.c - names of the codec's status codes. */
#include "msnp_status.h"

const char *msnp_status_string(int status)
{
    switch ((msnp_status)status) {
    case MSNP_OK: return "ok";
    case MSNP_E_NOMEM: return "out of memory";
    case MSNP_E_LINE_TOO_LONG: return "command line too long";
    case MSNP_E_PAYLOAD_TOO_LARGE: return "payload too large";
    case MSNP_E_BAD_LENGTH: return "invalid payload length";
    case MSNP_E_SYNTAX: return "syntax error";
    case MSNP_E_TOO_MANY_PARAMS: return "too many parameters";
    case MSNP_E_BAD_ESCAPE: return "invalid percent-escape";
    case MSNP_E_BAD_UTF8: return "invalid UTF-8";
    case MSNP_E_CONTROL_CHAR: return "control character not allowed";
    case MSNP_E_BAD_HEADER: return "malformed header";
    case MSNP_E_MISSING_FIELD: return "required field missing";
    case MSNP_E_BAD_VALUE: return "invalid value";
    case MSNP_E_TOO_LONG: return "value too long";
    case MSNP_E_BUFFER_FULL: return "input buffer full";
    case MSNP_E_INVALID_ARG: return "invalid argument";
    case MSNP_E_BAD_TRID: return "invalid transaction id";
    }
    return status > 0 ? "ok" : "unknown error";
}
