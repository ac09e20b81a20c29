/*
 * msgr/msgr_transfer.h - file transfer: IMessenger::SendFile and the
 * libmsgr file-transfer object (MSNFTP, msnp.md 6).
 *
 * A file travels in two steps. The sender invites the other participant
 * of a conversation window (text/x-msmsgsinvite with the file-transfer
 * Application-GUID, the file's base name and size); when the receiver
 * accepts, the sender listens on a TCP port of the address its
 * switchboard connection uses, tells the receiver where with a second
 * ACCEPT, and the receiver connects and fetches the file over MSNFTP
 * (VER, USR with the one-time AuthCookie, FIL, TFR, data blocks, BYE).
 * Everything runs inside msgr_messenger_process(); no call blocks.
 *
 * One msgr_file_transfer stands for one file in one direction. States:
 *
 *   MSGR_FT_INVITING      invitation sent / received, no answer yet
 *   MSGR_FT_CONNECTING    accepted; the data connection is being set up
 *   MSGR_FT_TRANSFERRING  file data is flowing (bytes_done grows)
 *   MSGR_FT_COMPLETED     the whole file arrived (receiver: it is saved)
 *   MSGR_FT_DECLINED      the receiver said no (or has no file transfer)
 *   MSGR_FT_CANCELLED     one side cancelled, or the window closed
 *   MSGR_FT_FAILED        a timeout, a network, protocol or file error
 *
 * The last four are final. The hr of each change
 * (on_file_transfer_state_change, msgr_file_transfer_get_result):
 *
 *   CONNECTING    MSGR_S_OK
 *   TRANSFERRING  MSGR_S_TRANSFER_SEND_BEGUN / MSGR_S_TRANSFER_RECEIVE_BEGUN
 *   COMPLETED     MSGR_S_TRANSFER_SEND_FINISHED / MSGR_S_TRANSFER_RECEIVE_FINISHED
 *   DECLINED      MSGR_E_AI_REJECT (declined: Cancel-Code REJECT, or
 *                 msgr_file_transfer_decline() here),
 *                 MSGR_E_AI_REJECT_NOT_INST (REJECT_NOT_INSTALLED)
 *   CANCELLED     MSGR_E_USER_CANCELLED (msgr_file_transfer_cancel() here),
 *                 MSGR_E_CANCEL (the other side cancelled: CANCEL TIMEOUT,
 *                 FTTIMEOUT or OUTBANDCANCEL, CCL, the sender's abort
 *                 block; or the conversation window closed here, or
 *                 sign-out)
 *   FAILED        MSGR_E_AI_TIMEOUT (no answer to the invitation within 5
 *                 minutes: the sender withdraws it with CANCEL TIMEOUT; a
 *                 receiver that heard nothing of it for 6 minutes forgets
 *                 it silently),
 *                 MSGR_E_FT_TIMEOUT (no data connection within 2 minutes
 *                 of the acceptance, or no progress on it for 2 minutes),
 *                 MSGR_E_TCP_ERROR (the data connection failed or closed
 *                 early), MSGR_E_UNEXPECTED (the peer broke the MSNFTP
 *                 rules: wrong AuthCookie, a FIL size other than the
 *                 invitation's, malformed lines or blocks), MSGR_E_FAIL
 *                 (the file could not be read, written or saved, or the
 *                 peer answered Cancel-Code FAIL)
 * A side that fails after the acceptance tells the other with CANCEL
 * FTTIMEOUT, so both ends always reach a final state.
 *
 * Receiving: an invitation raises on_file_transfer_invitation; answer
 * with msgr_file_transfer_accept() or msgr_file_transfer_decline(). The
 * file is written to a temporary file (".<name>.XXXXXXXX.part", mode
 * 0600, which the saved file keeps) in the messenger's
 * ReceiveFileDirectory (created with mode 0700 when missing), renamed
 * to its final name when complete and removed when the transfer does not
 * complete: a partial file is never left behind. The final name is the
 * sender's base name made safe (any path dropped, control characters and
 * '/' '\\' replaced by '_', a leading '.' replaced by '_', at most 200
 * bytes, "file" when nothing is left) and never overwrites a file: when
 * "name.ext" exists the file becomes "name (1).ext", then "name (2).ext",
 * and so on.
 *
 * Lifetime: transfers are objects like the others (msgr/msgr_object.h).
 * Those handed out by functions and events are borrowed; the messenger
 * holds each transfer until it reaches a final state. msgr_object_addref()
 * keeps one longer; its getters keep answering from the last state. A
 * transfer whose messenger was released is dead: the actions fail with
 * MSGR_E_FAIL, get_contact and get_window too, the other getters still
 * answer.
 */
#ifndef MSGR_TRANSFER_H
#define MSGR_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include "msgr_hr.h"
#include "msgr_object.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One file transfer (libmsgr extension). */
typedef struct msgr_file_transfer msgr_file_transfer;

typedef enum MSGR_FT_STATE {
    MSGR_FT_INVITING,
    MSGR_FT_CONNECTING,
    MSGR_FT_TRANSFERRING,
    MSGR_FT_COMPLETED,
    MSGR_FT_DECLINED,
    MSGR_FT_CANCELLED,
    MSGR_FT_FAILED,
} MSGR_FT_STATE;

/* SendFile(vContact, bstrFileName): opens (or reuses) the conversation
 * window with contact exactly like msgr_messenger_instant_message() and
 * returns it in *window. Then:
 *   - file_name names a readable regular file: the invitation for it is
 *     sent in that window (as msgr_conversation_send_file() does; it
 *     waits there until the contact has joined). The transfer object
 *     reaches the application with on_file_transfer_state_change; the
 *     peer's answer is not reported by this call (api-scope.md 5.1).
 *   - file_name NULL or "": Windows Messenger showed its file dialog. The
 *     host's choose_file (msgr/msgr_host.h) is called with "" and its
 *     result is returned (the host sends the chosen file with
 *     msgr_conversation_send_file()). Without a host callback the window
 *     is returned with MSGR_S_OK and nothing is sent.
 *   - file_name names something else (missing, a directory, unreadable):
 *     the host's choose_file is called pre-filled with it and its result
 *     returned (the dialog's name was never checked for existence);
 *     without a host callback the call fails with MSGR_E_INVALIDARG and
 *     no window is opened.
 * Returns MSGR_S_OK, the host's result, MSGR_E_POINTER (m NULL),
 * MSGR_E_RPC_X_NULL_REF_POINTER (window NULL), MSGR_E_INVALIDARG (contact
 * NULL or of another messenger; file_name longer than 260 bytes; see
 * above), MSGR_E_FAIL (the contact is the local user),
 * MSGR_E_NOT_LOGGED_ON or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_messenger_send_file(msgr_messenger *m, msgr_contact *contact,
                                 const char *file_name,
                                 msgr_conversation **window);

/* libmsgr extension: offers the file at path to the participants of the
 * conversation window w (the first participant that accepts gets it; a
 * conversation with several participants is possible, but each
 * invitation is answered once). The file is opened now and kept open;
 * it must be a regular file. Its base name (after the last '/') is sent
 * as the file name. When nobody has joined yet the invitation waits in
 * the window like a message. *transfer (may be NULL) receives the new
 * transfer, borrowed, in MSGR_FT_INVITING.
 * Returns MSGR_S_OK, MSGR_E_POINTER (w not a window), MSGR_E_INVALIDARG
 * (path NULL, empty, 4096 bytes or longer, not a readable regular file,
 * or a base name that is empty, not UTF-8 or longer than 255 bytes),
 * MSGR_E_FAIL (w closed or not a conversation window, signed out, or
 * nobody to send to) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_conversation_send_file(msgr_conversation *w, const char *path,
                                    msgr_file_transfer **transfer);

/* Accepts an incoming invitation: creates the temporary file in
 * ReceiveFileDirectory, sends ACCEPT and waits for the sender's address
 * (-> MSGR_FT_CONNECTING, then TRANSFERRING, COMPLETED).
 * Returns MSGR_S_OK, MSGR_E_POINTER (not a live transfer), MSGR_E_FAIL
 * (not an incoming invitation waiting for an answer; dead; signed out;
 * its window closed; or the temporary file could not be created -- the
 * invitation then stays unanswered, decline it) or MSGR_E_OUTOFMEMORY. */
msgr_hr msgr_file_transfer_accept(msgr_file_transfer *t);

/* Declines an incoming invitation (CANCEL REJECT; -> MSGR_FT_DECLINED
 * with MSGR_E_AI_REJECT). Returns MSGR_S_OK, MSGR_E_POINTER or MSGR_E_FAIL
 * (not an incoming invitation waiting for an answer, or dead). */
msgr_hr msgr_file_transfer_decline(msgr_file_transfer *t);

/* Cancels a transfer in any state before the end (-> MSGR_FT_CANCELLED
 * with MSGR_E_USER_CANCELLED). The other side hears CANCEL TIMEOUT (our
 * invitation, not answered yet), the abort block 01 00 00 (we are
 * sending), CCL (we are receiving) or CANCEL FTTIMEOUT (accepted, no data
 * connection yet). An incoming invitation not answered yet is declined
 * instead (as msgr_file_transfer_decline()). A receiver's partial file is
 * removed. Returns MSGR_S_OK, MSGR_S_FALSE (already in a final state),
 * MSGR_E_POINTER or MSGR_E_FAIL (dead). */
msgr_hr msgr_file_transfer_cancel(msgr_file_transfer *t);

/* Getters. Each returns MSGR_S_OK, MSGR_E_POINTER (t not a live transfer)
 * or MSGR_E_RPC_X_NULL_REF_POINTER (out NULL); get_contact and get_window
 * also MSGR_E_FAIL (dead). Strings and objects are borrowed. */

/* The current state. */
msgr_hr msgr_file_transfer_get_state(msgr_file_transfer *t, MSGR_FT_STATE *state);
/* true: we receive the file; false: we send it. */
msgr_hr msgr_file_transfer_get_incoming(msgr_file_transfer *t, bool *incoming);
/* The file's base name as sent in the invitation (UTF-8). For an incoming
 * transfer, the name the sender gave (not made safe; see get_path). */
msgr_hr msgr_file_transfer_get_file_name(msgr_file_transfer *t, const char **name);
/* The local path: the source file for an outgoing transfer; for an
 * incoming one, where the file will be saved once accepted (the free name
 * at the time of msgr_file_transfer_accept()) and, once COMPLETED, where
 * it was saved (another free name if that one was taken meanwhile).
 * "" for an incoming invitation not accepted. */
msgr_hr msgr_file_transfer_get_path(msgr_file_transfer *t, const char **path);
/* The file size in bytes (Application-FileSize). */
msgr_hr msgr_file_transfer_get_size(msgr_file_transfer *t, uint64_t *size);
/* File bytes sent or received so far. */
msgr_hr msgr_file_transfer_get_bytes_done(msgr_file_transfer *t, uint64_t *done);
/* The other party. */
msgr_hr msgr_file_transfer_get_contact(msgr_file_transfer *t, msgr_contact **contact);
/* The conversation window the invitation travelled in (it may be closed
 * by now: msgr_window_get_is_closed()). */
msgr_hr msgr_file_transfer_get_window(msgr_file_transfer *t, msgr_conversation **window);
/* The hr of the last state change (table above): the final outcome once
 * the state is final; MSGR_S_OK for a transfer still INVITING. */
msgr_hr msgr_file_transfer_get_result(msgr_file_transfer *t, msgr_hr *result);

#ifdef __cplusplus
}
#endif

#endif
