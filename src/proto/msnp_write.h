/*
 * msnp_write.h - serializer for every MSNP8/9 command line that msgrd or
 * libmsgr emits (msnp.md sections 1-5, 7 and 12).
 *
 * Two layers:
 *
 *   - A generic core (msnp_write_line, msnp_write_cmd, msnp_write_payload,
 *     msnp_write_error) that joins already-wire-ready tokens with single
 *     spaces, ends the line with CR LF and appends an optional payload.
 *     It refuses anything that would not survive a round trip through a
 *     reader: a bad command code, an empty parameter, or a parameter that
 *     contains a space, a control byte or a non-ASCII byte (msnp.md 1.2, 1.7).
 *
 *   - Typed writers, one per command form, named msnp_write_<code>[_<form>].
 *     They take numbers as integers and free text (friendly names, stored
 *     names, group names, PRP/BPR values) as *decoded* UTF-8, and URL-encode
 *     that text themselves with msnp_url_encode(), so callers never deal with
 *     the wire encoding. Handles, cookies, host:port addresses, challenges,
 *     tickets and URLs are wire tokens and are passed verbatim (they are
 *     validated like any other parameter).
 *
 * Common contract of every function below:
 *
 *   - out is appended to; it is never reset. Appends are all-or-nothing:
 *     on any error out is left exactly as it was, so a caller can queue
 *     several lines into one buffer and stop at the first failure.
 *   - Every const char * argument is borrowed for the duration of the call
 *     only and must be NUL-terminated. Arguments documented as "optional"
 *     may be NULL (an empty string counts as absent too); every other
 *     pointer must be non-NULL.
 *   - Return values: MSNP_OK on success; MSNP_E_INVALID_ARG for a NULL
 *     required argument, an empty required parameter, a parameter holding a
 *     forbidden byte, or a value outside its documented range;
 *     MSNP_E_BAD_TRID for a generic-core TrID outside 0..4294967295;
 *     MSNP_E_NOMEM / MSNP_E_TOO_LONG from the buffer (see msnp_buf.h).
 *   - A trid argument of type uint32_t is always written. Pass 0 for the
 *     asynchronous forms that use TrID 0 (msnp.md 1.4).
 */
#ifndef MSNP_WRITE_H
#define MSNP_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msnp_buf.h"
#include "msnp_types.h"

/* ------------------------------------------------------------------------
 * Generic core
 * ------------------------------------------------------------------------ */

/* trid value for the generic core meaning "this line has no TrID". */
#define MSNP_NO_TRID (-1)

/* Group id argument meaning "no group parameter" (ADD, REM). Valid group
 * ids are 0..29 (msnp.md 1.8). */
#define MSNP_NO_GROUP (-1)

/* Appends "CODE[ trid] p1 p2 ...\r\n".
 * code: exactly three upper-case ASCII letters or three decimal digits.
 * trid: MSNP_NO_TRID, or 0..4294967295 (else MSNP_E_BAD_TRID).
 * params: nparams wire-ready tokens (may be NULL when nparams is 0); each must
 * be non-empty printable ASCII without spaces (0x21..0x7E). */
int msnp_write_line(msnp_buf *out, const char *code, int64_t trid,
                    size_t nparams, const char *const *params);

/* Same as msnp_write_line() with the parameters given as a NULL-terminated
 * list of const char * arguments:
 *   msnp_write_cmd(out, "XFR", 15, "SB", (const char *)NULL); */
int msnp_write_cmd(msnp_buf *out, const char *code, int64_t trid, ...);

/* Appends "CODE[ trid] p1 ... len\r\n" followed by the len payload bytes
 * (any byte values; payload may be NULL only when len is 0). The decimal
 * length is added as the last parameter (msnp.md 1.5); len must be at most
 * 4294967295. */
int msnp_write_payload(msnp_buf *out, const char *code, int64_t trid,
                       size_t nparams, const char *const *params,
                       const void *payload, size_t len);

/* Appends the error reply "<error_code> <trid>\r\n" (msnp.md 1.6), e.g.
 * "911 4\r\n". error_code must be 100..999. */
int msnp_write_error(msnp_buf *out, int error_code, uint32_t trid);

/* ------------------------------------------------------------------------
 * Login: VER, CVR, USR (NS), XFR NS (msnp.md 2.2-2.5)
 * ------------------------------------------------------------------------ */

/* C: "VER trid d1 d2 ..." - dialect names as sent ("MSNP8", "CVR0"); at
 * least one. */
int msnp_write_ver_request(msnp_buf *out, uint32_t trid, size_t ndialects,
                           const char *const *dialects);
/* S: "VER trid MSNP8[ CVR0]" - chosen must be MSNP8 or MSNP9; cvr0 is true
 * iff the client listed CVR0. */
int msnp_write_ver_reply(msnp_buf *out, uint32_t trid, msnp_dialect chosen,
                         bool cvr0);
/* S: "VER trid 0" - no acceptable dialect (the server then closes). */
int msnp_write_ver_reject(msnp_buf *out, uint32_t trid);

/* Client parameters of CVR (msnp.md 2.3), all wire tokens. handle is
 * optional (MSNP7-style CVR has only the first seven). */
typedef struct msnp_cvr_info {
    const char *locale;      /* "0x0409" */
    const char *os_type;     /* "winnt" */
    const char *os_ver;      /* "5.1" */
    const char *arch;        /* "i386" */
    const char *library;     /* "MSNMSGR" */
    const char *client_ver;  /* "5.0.0540" */
    const char *codebase;    /* "MSMSGS" */
    const char *handle;      /* optional: "alice@example.com" */
} msnp_cvr_info;

/* C: "CVR trid locale os-type os-ver arch library client-ver codebase [handle]" */
int msnp_write_cvr_request(msnp_buf *out, uint32_t trid,
                           const msnp_cvr_info *info);
/* S: "CVR trid recommended recommended2 minimum download-url info-url" */
int msnp_write_cvr_reply(msnp_buf *out, uint32_t trid, const char *recommended,
                         const char *recommended2, const char *minimum,
                         const char *download_url, const char *info_url);

/* C: "USR trid TWN I handle" */
int msnp_write_usr_twn_i(msnp_buf *out, uint32_t trid, const char *handle);
/* S: "USR trid TWN S challenge-string" (server; see msnp_passport.h for
 * building the string) and C: "USR trid TWN S ticket" (client, ticket =
 * text of from-PP). token is passed verbatim. */
int msnp_write_usr_twn_s(msnp_buf *out, uint32_t trid, const char *token);
/* S: "USR trid OK handle friendly-name verified restricted" (NS);
 * friendly_name is decoded UTF-8. */
int msnp_write_usr_ok(msnp_buf *out, uint32_t trid, const char *handle,
                      const char *friendly_name, bool verified, bool restricted);

/* S: "XFR trid NS host:port 0 current-host:port" - always six tokens. Use
 * trid 0 for an unsolicited referral. */
int msnp_write_xfr_ns(msnp_buf *out, uint32_t trid, const char *host_port,
                      const char *current_host_port);

/* ------------------------------------------------------------------------
 * Lists and profile: SYN, GTC, BLP, PRP, BPR, LSG, LST, ADD, REM, ADG, RMG,
 * REG, REA (msnp.md 3)
 *
 * list arguments are one of MSNP_LIST_FL/AL/BL/RL (msnp_types.h).
 * Group ids are 0..29. A group set is a bitmask: bit n = group n (bits 30
 * and 31 must be clear); it is written in ascending order, "0,3".
 * ------------------------------------------------------------------------ */

/* C: "SYN trid version" */
int msnp_write_syn_request(msnp_buf *out, uint32_t trid, uint32_t version);
/* S: "SYN trid version" (client cache is current) */
int msnp_write_syn_reply_short(msnp_buf *out, uint32_t trid, uint32_t version);
/* S: "SYN trid version user-count group-count" (full dump follows) */
int msnp_write_syn_reply_long(msnp_buf *out, uint32_t trid, uint32_t version,
                              uint32_t users, uint32_t groups);

/* GTC setting is 'A' (ask) or 'N' (allow silently). */
/* C: "GTC trid A|N" */
int msnp_write_gtc_request(msnp_buf *out, uint32_t trid, char setting);
/* S: "GTC trid version A|N" */
int msnp_write_gtc_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         char setting);
/* S: "GTC A|N" (inside a SYN dump) */
int msnp_write_gtc_dump(msnp_buf *out, char setting);

/* BLP list is MSNP_LIST_AL or MSNP_LIST_BL. */
/* C: "BLP trid AL|BL" */
int msnp_write_blp_request(msnp_buf *out, uint32_t trid, int list);
/* S: "BLP trid version AL|BL" */
int msnp_write_blp_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         int list);
/* S: "BLP AL|BL" (inside a SYN dump) */
int msnp_write_blp_dump(msnp_buf *out, int list);

/* PRP/BPR type is three upper-case letters ("PHH", "MOB"); value is decoded
 * UTF-8 and optional (absent = property cleared / not sent). */
/* C: "PRP trid type [value]" */
int msnp_write_prp_request(msnp_buf *out, uint32_t trid, const char *type,
                           const char *value);
/* S: "PRP trid version type [value]" */
int msnp_write_prp_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         const char *type, const char *value);
/* S: "PRP type [value]" (inside a SYN dump) */
int msnp_write_prp_dump(msnp_buf *out, const char *type, const char *value);
/* S: "BPR version handle type [value]" (asynchronous, outside SYN) */
int msnp_write_bpr_async(msnp_buf *out, uint32_t version, const char *handle,
                         const char *type, const char *value);
/* S: "BPR type [value]" (inside SYN, after the contact's LST) */
int msnp_write_bpr_dump(msnp_buf *out, const char *type, const char *value);

/* C: "LSG trid" (legacy request) */
int msnp_write_lsg_request(msnp_buf *out, uint32_t trid);
/* S: "LSG gid name 0" (inside a SYN dump); name is decoded UTF-8. */
int msnp_write_lsg_dump(msnp_buf *out, int gid, const char *name);
/* S: "LSG trid version index total gid name 0" (legacy iterator) */
int msnp_write_lsg_legacy(msnp_buf *out, uint32_t trid, uint32_t version,
                          uint32_t index, uint32_t total, int gid,
                          const char *name);

/* C: "LST trid FL|AL|BL|RL" (legacy request) */
int msnp_write_lst_request(msnp_buf *out, uint32_t trid, int list);
/* S: "LST handle stored-name bits [groups]" (inside a SYN dump).
 * bits: 1..15 (msnp.md 3.1). groups is written iff bits has MSNP_LIST_FL;
 * it must then be non-empty, and must be 0 otherwise (MSNP_E_INVALID_ARG). */
int msnp_write_lst_dump(msnp_buf *out, const char *handle,
                        const char *stored_name, unsigned bits,
                        uint32_t groups);
/* S: "LST trid list version index total handle stored-name [groups]"
 * (legacy iterator). groups is written iff list is MSNP_LIST_FL (then it
 * must be non-empty) and must be 0 otherwise. */
int msnp_write_lst_legacy(msnp_buf *out, uint32_t trid, int list,
                          uint32_t version, uint32_t index, uint32_t total,
                          const char *handle, const char *stored_name,
                          uint32_t groups);
/* S: "LST trid list version 0 0" (legacy iterator, empty list) */
int msnp_write_lst_legacy_empty(msnp_buf *out, uint32_t trid, int list,
                                uint32_t version);

/* ADD/REM gid: 0..29 or MSNP_NO_GROUP; a group is only allowed with
 * MSNP_LIST_FL. stored_name / name are decoded UTF-8. */
/* C: "ADD trid list handle stored-name [gid]" */
int msnp_write_add_request(msnp_buf *out, uint32_t trid, int list,
                           const char *handle, const char *stored_name,
                           int gid);
/* S: "ADD trid list version handle stored-name [gid]" */
int msnp_write_add_reply(msnp_buf *out, uint32_t trid, int list,
                         uint32_t version, const char *handle,
                         const char *stored_name, int gid);
/* S: "ADD 0 list version handle name [gid]" (asynchronous; RL in practice:
 * name is the adder's friendly name). */
int msnp_write_add_async(msnp_buf *out, int list, uint32_t version,
                         const char *handle, const char *name, int gid);
/* C: "REM trid list handle [gid]" */
int msnp_write_rem_request(msnp_buf *out, uint32_t trid, int list,
                           const char *handle, int gid);
/* S: "REM trid list version handle [gid]" */
int msnp_write_rem_reply(msnp_buf *out, uint32_t trid, int list,
                         uint32_t version, const char *handle, int gid);
/* S: "REM 0 list version handle [gid]" (asynchronous; RL in practice) */
int msnp_write_rem_async(msnp_buf *out, int list, uint32_t version,
                         const char *handle, int gid);

/* Group names are decoded UTF-8; gid is 0..29. */
/* C: "ADG trid name 0" */
int msnp_write_adg_request(msnp_buf *out, uint32_t trid, const char *name);
/* S: "ADG trid version name gid 0" (name before gid: msnp.md 3.8, 10.3) */
int msnp_write_adg_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         const char *name, int gid);
/* C: "RMG trid gid" */
int msnp_write_rmg_request(msnp_buf *out, uint32_t trid, int gid);
/* S: "RMG trid version gid" */
int msnp_write_rmg_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         int gid);
/* C: "REG trid gid name 0" */
int msnp_write_reg_request(msnp_buf *out, uint32_t trid, int gid,
                           const char *name);
/* S: "REG trid version gid name 0" */
int msnp_write_reg_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         int gid, const char *name);

/* C: "REA trid handle name" (name decoded UTF-8) */
int msnp_write_rea_request(msnp_buf *out, uint32_t trid, const char *handle,
                           const char *name);
/* S: "REA trid version handle name" */
int msnp_write_rea_reply(msnp_buf *out, uint32_t trid, uint32_t version,
                         const char *handle, const char *name);

/* ------------------------------------------------------------------------
 * Presence: CHG, ILN, NLN, FLN (msnp.md 4)
 *
 * msnobj is the MSN object in its URL-encoded wire form, exactly as the
 * client sent it in CHG: the server stores and forwards it without
 * re-encoding so that the CHG echo repeats "the same text" (msnp.md 4.2).
 * It is optional and is written only when dialect is MSNP_DIALECT_MSNP9;
 * for any other dialect it is silently left off (MSNP8 never sees it).
 * ------------------------------------------------------------------------ */

/* C/S: "CHG trid status [caps [msnobj]]" - request, its echo, and the
 * unsolicited "CHG 0 ..." share this form. status may be any presence
 * value (FLN only makes sense in "CHG 0 FLN"). msnobj requires has_caps. */
int msnp_write_chg(msnp_buf *out, uint32_t trid, msnp_dialect dialect,
                   msnp_presence status, bool has_caps, uint32_t caps,
                   const char *msnobj);
/* S: "ILN trid status handle friendly-name caps [msnobj]" - exactly six
 * tokens for MSNP8. status must not be FLN or HDN. */
int msnp_write_iln(msnp_buf *out, uint32_t trid, msnp_dialect dialect,
                   msnp_presence status, const char *handle,
                   const char *friendly_name, uint32_t caps,
                   const char *msnobj);
/* S: "NLN status handle friendly-name caps [msnobj]" - exactly five tokens
 * for MSNP8. status must not be FLN or HDN. */
int msnp_write_nln(msnp_buf *out, msnp_dialect dialect, msnp_presence status,
                   const char *handle, const char *friendly_name,
                   uint32_t caps, const char *msnobj);
/* S: "FLN handle" */
int msnp_write_fln(msnp_buf *out, const char *handle);

/* ------------------------------------------------------------------------
 * Keep-alive, challenge, session end (msnp.md 2.8-2.10)
 * ------------------------------------------------------------------------ */

/* S: "CHL trid challenge" - trid 0 for the asynchronous challenge. */
int msnp_write_chl(msnp_buf *out, uint32_t trid, const char *challenge);
/* C: "CHL trid" (client asks for a challenge; rare) */
int msnp_write_chl_request(msnp_buf *out, uint32_t trid);
/* C: "QRY trid product-id 32" + the 32-byte response. response must be
 * exactly 32 lower-case hex digits (see msnp_challenge.h). */
int msnp_write_qry_request(msnp_buf *out, uint32_t trid,
                           const char *product_id, const char *response);
/* S: "QRY trid" */
int msnp_write_qry_reply(msnp_buf *out, uint32_t trid);
/* C: "PNG" */
int msnp_write_png(msnp_buf *out);
/* S: "QNG seconds" when dialect is MSNP9 (seconds 0..60, msgrd sends 50),
 * plain "QNG" for any other dialect (seconds ignored). */
int msnp_write_qng(msnp_buf *out, msnp_dialect dialect, unsigned seconds);
/* C/S: "OUT [reason]" - reason optional ("OTH", "SSD"). */
int msnp_write_out(msnp_buf *out, const char *reason);

/* ------------------------------------------------------------------------
 * Switchboard: XFR SB, USR, CAL, RNG, ANS, IRO, JOI, BYE, MSG, ACK, NAK
 * (msnp.md 5). Friendly names are decoded UTF-8.
 * ------------------------------------------------------------------------ */

/* C: "XFR trid SB" */
int msnp_write_xfr_sb_request(msnp_buf *out, uint32_t trid);
/* S: "XFR trid SB host:port CKI cookie" - always six tokens. */
int msnp_write_xfr_sb_reply(msnp_buf *out, uint32_t trid,
                            const char *host_port, const char *cookie);
/* C: "USR trid handle cookie" (SB) */
int msnp_write_usr_sb_request(msnp_buf *out, uint32_t trid,
                              const char *handle, const char *cookie);
/* S: "USR trid OK handle friendly-name" (SB) */
int msnp_write_usr_sb_ok(msnp_buf *out, uint32_t trid, const char *handle,
                         const char *friendly_name);
/* C: "CAL trid handle" */
int msnp_write_cal_request(msnp_buf *out, uint32_t trid, const char *handle);
/* S: "CAL trid RINGING session-id" */
int msnp_write_cal_reply(msnp_buf *out, uint32_t trid, uint32_t session_id);
/* S: "RNG session-id host:port CKI cookie caller-handle caller-name" -
 * always seven tokens (on the callee's NS connection). */
int msnp_write_rng(msnp_buf *out, uint32_t session_id, const char *host_port,
                   const char *cookie, const char *caller_handle,
                   const char *caller_name);
/* C: "ANS trid handle cookie session-id" */
int msnp_write_ans_request(msnp_buf *out, uint32_t trid, const char *handle,
                           const char *cookie, uint32_t session_id);
/* S: "IRO trid index total handle friendly-name" - 1 <= index <= total. */
int msnp_write_iro(msnp_buf *out, uint32_t trid, uint32_t index,
                   uint32_t total, const char *handle,
                   const char *friendly_name);
/* S: "ANS trid OK" */
int msnp_write_ans_ok(msnp_buf *out, uint32_t trid);
/* S: "JOI handle friendly-name" */
int msnp_write_joi(msnp_buf *out, const char *handle,
                   const char *friendly_name);
/* S: "BYE handle" or, when idle is true, "BYE handle 1" (removed for
 * inactivity). */
int msnp_write_bye(msnp_buf *out, const char *handle, bool idle);

/* C: "MSG trid ack-type length" + payload. ack_type is one of 'U', 'N',
 * 'A', 'D', 'S' (msnp.md 5.7). */
int msnp_write_msg_client(msnp_buf *out, uint32_t trid, char ack_type,
                          const void *payload, size_t len);
/* S: "MSG handle friendly-name length" + payload (SB relay). */
int msnp_write_msg_server(msnp_buf *out, const char *handle,
                          const char *friendly_name, const void *payload,
                          size_t len);
/* S: "MSG Hotmail Hotmail length" + payload (NS profile / mail / system). */
int msnp_write_msg_hotmail(msnp_buf *out, const void *payload, size_t len);
/* S: "ACK trid" */
int msnp_write_ack(msnp_buf *out, uint32_t trid);
/* S: "NAK trid" */
int msnp_write_nak(msnp_buf *out, uint32_t trid);

/* ------------------------------------------------------------------------
 * Server-pushed notifications and services: NOT, IPG, URL, SND (msnp.md 7)
 * ------------------------------------------------------------------------ */

/* S: "NOT length" + XML payload */
int msnp_write_not(msnp_buf *out, const void *payload, size_t len);
/* S: "IPG length" + XML payload */
int msnp_write_ipg(msnp_buf *out, const void *payload, size_t len);
/* C: "URL trid service [argument]" - argument optional, passed verbatim. */
int msnp_write_url_request(msnp_buf *out, uint32_t trid, const char *service,
                           const char *argument);
/* S: "URL trid redirect-url post-url site-id" - URLs passed verbatim. */
int msnp_write_url_reply(msnp_buf *out, uint32_t trid,
                         const char *redirect_url, const char *post_url,
                         uint32_t site_id);
/* C: "SND trid address [lcid library codebase]" - the last three are
 * optional but go together: all present or all absent. */
int msnp_write_snd_request(msnp_buf *out, uint32_t trid, const char *address,
                           const char *lcid, const char *library,
                           const char *codebase);
/* S: "SND trid OK" */
int msnp_write_snd_reply(msnp_buf *out, uint32_t trid);

#endif
