/*
 * msnp_invite.h - text/x-msmsgsinvite invitations (msnp.md 5.9, 5.10, 6.1):
 * the INVITE / ACCEPT / CANCEL handshake that starts file transfers,
 * NetMeeting, voice and the other out-of-band applications.
 *
 * Payload: MIME-Version and "Content-Type: text/x-msmsgsinvite;
 * charset=UTF-8" headers, a blank line, then a block of "Name: value"
 * fields ending with an empty line. Every field of the msnp.md 5.9 table
 * has a member below; other fields are kept, in order, in extra[].
 *
 * The builder writes the fields in one fixed order that reproduces every
 * official capture in msnp.md (5.9, 6.1):
 *
 *   Application-Name, Application-GUID, Session-Protocol, Context-Data,
 *   Invitation-Command, Avm-Support, Avm-Request, Invitation-Cookie,
 *   Session-ID, Conn-Type, Sip-Capability, Public-IP, Private-IP, UPnP,
 *   Application-File, Application-FileSize, Connectivity, IP-Address,
 *   IP-Address-Internal, Port, PortX, PortX-Internal, AuthCookie,
 *   Sender-Connect, Launch-Application, Request-Data, Cancel-Code,
 *   then extra[] in order,
 *
 * skipping absent ones (NULL strings, MSNP_INVITE_UNSET, has_* false,
 * MSNP_CANCEL_NONE).
 */
#ifndef MSNP_INVITE_H
#define MSNP_INVITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msnp_buf.h"
#include "msnp_mime.h"

/* ---- well-known Application-GUIDs (msnp.md 5.10) ------------------------- */

#define MSNP_GUID_FILE_TRANSFER "{5D3E02AB-6190-11d3-BBBB-00C04F795683}"
#define MSNP_GUID_NETMEETING "{44BBA842-CC51-11CF-AAFA-00AA00B6015C}"
/* SIP voice ("an audio conversation"); video rides on it via Context-Data. */
#define MSNP_GUID_VOICE "{02D3C01F-BF30-4825-A83A-DE7AF41648AA}"
#define MSNP_GUID_APP_SHARING "{F1B1920C-6A3C-4ce7-B18C-AFAB305FD03D}"
#define MSNP_GUID_WHITEBOARD "{1DF57D09-637A-4ca5-91B9-2C3EDAAF62FE}"
#define MSNP_GUID_REMOTE_ASSISTANCE "{56b994a7-380f-410b-9985-c809d78c1bdc}"
#define MSNP_GUID_OFFER_REMOTE_ASSISTANCE "{703EA1A8-D73E-43e3-852C-EE85B5D872C2}"
/* Low confidence (two third-party sources, msnp.md 10 item 28). */
#define MSNP_GUID_WEBCAM "{2A23868E-B45F-401d-B8B0-1E16B774A5B7}"

/* True if a and b are the same GUID text ignoring ASCII case (official
 * clients mix case). False if either is NULL. No other normalisation:
 * "{...}" and "..." differ. */
bool msnp_guid_equal(const char *a, const char *b);

/* True if s has the registry form "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"
 * with hex digits of either case. */
bool msnp_guid_valid(const char *s);

/* ---- the invitation ------------------------------------------------------ */

typedef enum msnp_invite_command {
    MSNP_INVITE_CMD_NONE = 0, /* never valid in a built or parsed invite */
    MSNP_INVITE_CMD_INVITE,
    MSNP_INVITE_CMD_ACCEPT,
    MSNP_INVITE_CMD_CANCEL,
} msnp_invite_command;

typedef enum msnp_cancel_code {
    MSNP_CANCEL_NONE = 0,               /* no Cancel-Code field */
    MSNP_CANCEL_REJECT,                 /* user declined */
    MSNP_CANCEL_TIMEOUT,                /* inviter gave up or withdrew */
    MSNP_CANCEL_FAIL,                   /* no common protocol / setup failed */
    MSNP_CANCEL_FTTIMEOUT,              /* transfer failed after acceptance */
    MSNP_CANCEL_OUTBANDCANCEL,          /* the conversation is closing */
    MSNP_CANCEL_REJECT_NOT_INSTALLED,   /* application not installed */
    MSNP_CANCEL_OTHER,                  /* anything else: see cancel_text */
} msnp_cancel_code;

/* A yes/no field that may be absent. The wire spelling depends on the
 * field: Connectivity uses Y/N, the others TRUE/FALSE. */
typedef enum msnp_invite_bool {
    MSNP_INVITE_UNSET = 0,
    MSNP_INVITE_TRUE,
    MSNP_INVITE_FALSE,
} msnp_invite_bool;

typedef struct msnp_invite {
    const char *application_name;      /* Application-Name (localised) */
    const char *application_guid;      /* Application-GUID */
    msnp_invite_command command;       /* Invitation-Command (required) */
    uint32_t cookie;                   /* Invitation-Cookie, 1..2^31-1 (required) */
    const char *session_id;            /* Session-ID */
    const char *session_protocol;      /* Session-Protocol, e.g. "SM1" */
    const char *context_data;          /* Context-Data */
    const char *application_file;      /* Application-File (no path) */
    bool has_file_size;
    uint64_t file_size;                /* Application-FileSize */
    msnp_invite_bool connectivity;     /* Connectivity Y/N */
    msnp_invite_bool launch_application; /* Launch-Application TRUE/FALSE */
    const char *request_data;          /* Request-Data, e.g. "IP-Address:" */
    const char *ip_address;            /* IP-Address */
    const char *ip_address_internal;   /* IP-Address-Internal */
    bool has_port;
    uint16_t port;                     /* Port */
    const char *port_x;                /* PortX (opaque: some XOR it) */
    const char *port_x_internal;       /* PortX-Internal (opaque) */
    bool has_auth_cookie;
    uint32_t auth_cookie;              /* AuthCookie */
    msnp_invite_bool sender_connect;   /* Sender-Connect TRUE/FALSE */
    msnp_cancel_code cancel_code;      /* Cancel-Code */
    const char *cancel_text;           /* Cancel-Code text: parsed as
                                          received; the builder uses it only
                                          for MSNP_CANCEL_OTHER */
    /* Voice/video negotiation (SIP); opaque. */
    const char *avm_support;           /* Avm-Support */
    const char *avm_request;           /* Avm-Request */
    const char *conn_type;             /* Conn-Type */
    const char *sip_capability;        /* Sip-Capability */
    const char *public_ip;             /* Public-IP */
    const char *private_ip;            /* Private-IP */
    const char *upnp;                  /* UPnP */
    /* Fields not listed above, in payload order. */
    const msnp_mime_header *extra;
    size_t nextra;
    /* private: storage of a parsed invite */
    msnp_mime storage_;
    msnp_mime_header *extra_;
} msnp_invite;

/* Wire names: "INVITE", "ACCEPT", "CANCEL"; NULL for NONE/out of range. */
const char *msnp_invite_command_name(msnp_invite_command c);
/* Wire names of the known cancel codes ("REJECT", ...); NULL for NONE,
 * OTHER and out of range. */
const char *msnp_cancel_code_name(msnp_cancel_code c);

/* Appends the payload for inv (field order above; an empty string is
 * written as "Name: "). The buffer is unchanged on error. Returns MSNP_OK,
 * MSNP_E_INVALID_ARG (NULL out/inv; command NONE or out of range; cookie
 * 0 or above 2^31-1; an enum out of range; MSNP_CANCEL_OTHER without
 * cancel_text; a string with CR or LF; an extra field whose name is not a
 * token or is one of the named fields above, compared ignoring case),
 * MSNP_E_TOO_LONG (more than MSNP_MIME_MAX_HEADERS fields or a field line
 * longer than MSNP_MIME_MAX_LINE) or the buffer's error. */
int msnp_invite_build(msnp_buf *out, const msnp_invite *inv);

/* Parses an invitation payload into *out (zeroed first). Field names are
 * matched ignoring case; for a repeated named field the first occurrence
 * counts and later ones are dropped; the values INVITE/ACCEPT/CANCEL,
 * Y/N, TRUE/FALSE and the cancel codes are matched ignoring case. The
 * field block may lack its final empty line; anything after it is
 * ignored. Strings of *out point into storage owned by *out: free with
 * msnp_invite_free(). Returns MSNP_OK or:
 *   the msnp_mime_parse() errors for the headers or the field block;
 *   MSNP_E_MISSING_FIELD  no Content-Type, Invitation-Command or
 *                         Invitation-Cookie;
 *   MSNP_E_BAD_VALUE      Content-Type not text/x-msmsgsinvite; unknown
 *                         command; cookie not decimal 1..2^31-1;
 *                         Application-FileSize not a decimal uint64; Port
 *                         not 0..65535; AuthCookie not a decimal uint32;
 *                         Connectivity not Y/N; Launch-Application or
 *                         Sender-Connect not TRUE/FALSE;
 *   MSNP_E_NOMEM, MSNP_E_INVALID_ARG (out NULL, payload NULL with len).
 * An unknown Cancel-Code is not an error: MSNP_CANCEL_OTHER. On error *out
 * is left zeroed. */
int msnp_invite_parse(const void *payload, size_t len, msnp_invite *out);

/* Frees what a parse stored in inv and zeroes it. NULL is a no-op; a
 * zeroed or caller-filled (never parsed) invite owns nothing. */
void msnp_invite_free(msnp_invite *inv);

/* True if a and b carry the same information: every member compared
 * (strings by content, NULL only equal to NULL), cancel_text only when the
 * code is MSNP_CANCEL_OTHER, file_size/port/auth_cookie only when their
 * has_ flag is set, extra[] by names and values in order. */
bool msnp_invite_equal(const msnp_invite *a, const msnp_invite *b);

#endif
