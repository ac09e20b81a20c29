/*
 * filetransfer.h - what filetransfer.c (the transfer object, its
 * invitations, the receive directory, the public API) and msnftp.c (the
 * MSNFTP data connection) share. Private to libmsgr.
 */
#ifndef MSGR_CLIENT_FILETRANSFER_H
#define MSGR_CLIENT_FILETRANSFER_H

#include "internal.h"

/* Timers (msnp.md 5.9, 6.1, 6.7). */
#define FT_INVITE_TIMEOUT_MS (5 * 60 * 1000)   /* no answer: CANCEL TIMEOUT */
#define FT_INVITEE_GRACE_MS (60 * 1000)        /* receiver forgets after that + grace */
#define FT_CONNECT_TIMEOUT_MS (2 * 60 * 1000)  /* accepted, no data connection */
#define FT_IDLE_TIMEOUT_MS (2 * 60 * 1000)     /* nothing moved on it */
#define FT_LINGER_MS 5000                      /* last bytes out, peer's close */
#define FT_PROGRESS_INTERVAL_MS 100            /* at most 10 events a second */

/* Where the data connection is (finer than MSGR_FT_STATE). */
typedef enum ft_phase {
    FTP_INVITED,        /* INVITE sent or received, not answered */
    FTP_WAIT_ADDRESS,   /* receiver: accepted, waits for the sender's address */
    FTP_LISTENING,      /* sender: waits for the receiver's connection */
    FTP_CONNECTING,     /* TCP connect in progress */
    FTP_WAIT_VER,       /* both: the other side's VER */
    FTP_WAIT_USR,       /* sender: the receiver's USR */
    FTP_WAIT_FIL,       /* receiver: the sender's FIL */
    FTP_WAIT_TFR,       /* sender: the receiver's TFR */
    FTP_DATA,           /* blocks flow */
    FTP_WAIT_BYE,       /* sender: everything sent, waits for BYE */
    FTP_LINGER,         /* final state: last bytes out, then close */
    FTP_CLOSED,         /* nothing left */
} ft_phase;

struct msgr_file_transfer {
    msgr_obj base;
    msgr_messenger *m;       /* NULL once the messenger is gone */
    msgr_window *w;          /* referenced: the conversation */
    msgr_contact *peer;      /* referenced: the other party */
    bool incoming;           /* we receive */
    MSGR_FT_STATE state;
    msgr_hr result;          /* hr of the last state change */
    ft_phase phase;
    uint32_t cookie;         /* Invitation-Cookie */
    uint32_t auth_cookie;    /* AuthCookie of the data connection */
    char *name;              /* the file name of the invitation */
    char *path;              /* source, or destination ("" until accepted) */
    char *tmp_path;          /* receiver: the temporary file, NULL after */
    uint64_t size;           /* Application-FileSize (= FIL) */
    uint64_t done;           /* file bytes through */
    uint64_t queued;         /* sender: file bytes put into blocks */
    int file_fd;             /* source or temporary file, -1 when closed */
    int listen_fd;           /* sender's listening socket, -1 */
    int fd;                  /* the data connection, -1 */
    bool shut;               /* lingering: our side shut down for writing */
    msnp_buf in;             /* received bytes not consumed yet */
    msnp_buf out;            /* bytes to send; out_off of them already gone */
    size_t out_off;
    uint64_t wire_sent;      /* bytes written on the data connection */
    uint64_t wire_data;      /* sender: where the first block starts */
    uint32_t block_left;     /* receiver: data bytes of the current block to come */
    bool in_block;           /* receiver: inside a block (header read) */
    bool block_end;          /* receiver: the current block has flag 1 */
    int64_t deadline;        /* the phase's timer, 0 = none */
    int64_t progress_due;    /* a progress event waits until then, 0 = none */
    int64_t progress_last;   /* when the last one was queued */
    uint64_t progress_done;  /* bytes_done it reported */
};

/* filetransfer.c */
bool ft_final(const msgr_file_transfer *t);
/* A non-final state change (CONNECTING, TRANSFERRING) and its event. */
void ft_set_state(msgr_file_transfer *t, MSGR_FT_STATE st, msgr_hr hr);
/* Ends t in a final state with hr. cancel_code (msnp_cancel_code): told
 * on the switchboard unless MSNP_CANCEL_NONE. abort_conn: a data
 * connection that is up gets the abort block (sender) or CCL (receiver)
 * first. The connection then lingers (msnftp.c) or closes; the temporary
 * file of an incoming transfer that did not complete is removed. */
void ft_end(msgr_file_transfer *t, MSGR_FT_STATE st, msgr_hr hr, int cancel_code,
            bool abort_conn);
/* t->done moved: a progress event now or within FT_PROGRESS_INTERVAL_MS. */
void ft_note_progress(msgr_file_transfer *t, int64_t now);
/* Receiver: the whole file is in the temporary file; gives it its final
 * name (never overwriting) and sets t->path. MSGR_S_OK or MSGR_E_FAIL. */
msgr_hr ft_save(msgr_file_transfer *t);
/* The table no longer needs t (closed and final). */
void ft_forget(msgr_file_transfer *t);

/* msnftp.c: the data connection */
/* Sender: listens on the address of the switchboard connection's local
 * side; ip (text) and port for the ACCEPT. 0 or -1. */
int ftc_listen(msgr_file_transfer *t, char *ip, size_t ipcap, uint16_t *port);
/* Connects to ip:port (numeric only: no name lookup). 0 or -1. */
int ftc_connect(msgr_file_transfer *t, const char *ip, uint16_t port);
/* Polls t's sockets without waiting and moves the dialogue on; timers. */
void ftc_drive(msgr_file_transfer *t, int64_t now);
/* The descriptors t waits on (count when cap is 0). */
size_t ftc_fds(const msgr_file_transfer *t, msgr_pollfd *fds, size_t cap);
/* Part of ft_end(): the listening socket goes; the data connection gets
 * the abort block or CCL when abort is set, then lingers (when it is up)
 * or closes. */
void ftc_finish(msgr_file_transfer *t, bool abort);
/* Closes every socket of t at once. */
void ftc_close(msgr_file_transfer *t);
/* One non-blocking attempt to send what is queued (the abort block, CCL,
 * BYE) before a ftc_close() that cannot wait: sign-out, release. */
void ftc_last_words(msgr_file_transfer *t);

#endif
