/*
 * internal.h - the structures shared by the files of libmsgr. Nothing here
 * is public; the public API is include/msgr/.
 *
 * Object model in one paragraph: every public object starts with a
 * msgr_obj header (magic, kind, reference count, destructor). References
 * are held by the application (addref), by the messenger's tables (a
 * contact with list bits, a group on the server, the primary service) and
 * by the messenger's "borrow pool", which keeps objects handed out by
 * getters and events alive until the next process() call. The last
 * reference frees the object.
 */
#ifndef MSGR_CLIENT_INTERNAL_H
#define MSGR_CLIENT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "msgr/msgr.h"
#include "msnp_buf.h"
#include "msnp_parser.h"
#include "msnp_types.h"

#define MSGR_OBJ_MAGIC 0x4D534752u /* "MSGR" */
#define MSGR_MAX_NAME 129          /* sign-in name limit (api-scope.md 3) */
#define MSGR_MAX_PASSWORD 256
#define MSGR_MAX_GROUP_WIRE 61     /* encoded group name limit (msnp.md 3.8) */
#define MSGR_MAX_FRIENDLY_WIRE 387 /* encoded friendly name limit (msnp.md 1.8) */
#define MSGR_DEFAULT_PORT 1863
#define MSGR_PING_INTERVAL_MS 50000
#define MSGR_SIGNOUT_GRACE_MS 2000
#define MSGR_VERSION_STRING "0.1.0"
#define MSGR_LCID 0x0409

typedef enum obj_kind {
    OBJ_MESSENGER = 1,
    OBJ_CONTACT,
    OBJ_CONTACTS,
    OBJ_GROUP,
    OBJ_GROUPS,
    OBJ_SERVICE,
    OBJ_SERVICES,
    OBJ_WINDOW,
    OBJ_PRIV,
    OBJ_LOCK,
    /* Session Invite (session_manager.c, invite_session.c) */
    OBJ_SESSION_MANAGER,
    OBJ_SESSION,
    OBJ_FILE_TRANSFER,       /* filetransfer.c */
} obj_kind;

typedef struct msgr_obj {
    uint32_t magic;
    obj_kind kind;
    int refs;
    void (*destroy)(struct msgr_obj *);
    /* Children of a messenger are linked into its list so that releasing
     * the messenger can mark every survivor dead (*owner_slot = NULL). */
    msgr_messenger **owner_slot;
    struct msgr_obj *prev, *next;
} msgr_obj;

/* object.c */
void obj_init(msgr_obj *o, obj_kind kind, void (*destroy)(msgr_obj *));
msgr_obj *obj_check(void *p);          /* NULL unless a live object */
void obj_ref(void *p);
/* Makes o a child of m: sets *slot (the object's m field) and links it. */
void obj_attach(msgr_messenger *m, msgr_obj *o, msgr_messenger **slot);
/* Marks every child of m dead (m is going away). */
void obj_orphan_all(msgr_messenger *m);
void obj_unref(void *p);
/* Hands o out as borrowed: the pool keeps it alive until the next
 * process(). Returns false when out of memory. */
bool pool_borrow(msgr_messenger *m, void *o);
void pool_drain(msgr_messenger *m);

/* ---- contacts and groups ------------------------------------------------- */

enum { PHONE_HOME, PHONE_WORK, PHONE_MOBILE, PHONE_COUNT };

struct msgr_contact {
    msgr_obj base;
    msgr_messenger *m;       /* NULL once the messenger is gone */
    char *signin;            /* lower-case sign-in name */
    char *friendly;          /* decoded display name */
    unsigned lists;          /* MSNP_LIST_* bits */
    uint32_t groups;         /* bit n = member of group id n */
    MISTATUS status;
    char *phones[PHONE_COUNT];
    bool can_page;           /* BPR MOB Y */
    bool in_table;           /* the messenger's table holds a reference */
};

struct msgr_contacts {
    msgr_obj base;
    msgr_messenger *m;
    msgr_contact **items;
    size_t n;
};

struct msgr_group {
    msgr_obj base;
    msgr_messenger *m;
    int gid;                 /* 0..29; -1 while ADG is outstanding */
    bool removed;            /* deleted on the server (or never created) */
    char *name;
};

struct msgr_groups {
    msgr_obj base;
    msgr_messenger *m;
    msgr_group **items;
    size_t n;
};

struct msgr_service {
    msgr_obj base;
    msgr_messenger *m;
};

struct msgr_services {
    msgr_obj base;
    msgr_messenger *m;
    msgr_service *primary;
};

/* ---- events ---------------------------------------------------------------- */

typedef enum ev_kind {
    EV_MY_STATUS,
    EV_SIGNIN,
    EV_SIGNOUT,
    EV_CONTACT_STATUS,
    EV_CONTACT_NAME,
    EV_CONTACT_PHONE,
    EV_CONTACT_PAGER,
    EV_LIST_ADD,
    EV_LIST_REMOVE,
    EV_BLOCK,
    EV_GROUP_ADDED,
    EV_GROUP_RENAMED,
    EV_GROUP_REMOVED,
    EV_ADDED_TO_GROUP,
    EV_REMOVED_FROM_GROUP,
    EV_MY_NAME,
    EV_MY_PHONE,
    EV_UNREAD_EMAIL,
    EV_WIN_CREATED,
    EV_WIN_DESTROYED,
    EV_WIN_CONTACT_ADDED,
    EV_WIN_CONTACT_REMOVED,
    EV_WIN_MESSAGE,          /* contact, window, text (extension) */
    EV_WIN_TYPING,           /* contact, window (extension) */
    EV_REVERSE_LIST,         /* contact, arg = added (extension) */
    /* Events of a locked object (queued_event.target is set): */
    EV_LOCK_ENABLE,          /* arg = enable */
    EV_LOCK_CHALLENGE,       /* arg = cookie, text = challenge */
    EV_LOCK_RESULT,          /* arg = cookie, arg2 = succeeded */
    EV_ALERT,                /* text = the NOT payload */
    /* Session Invite: target is a msgr_session or msgr_session_manager,
     * arg the sinv_dispid, arg2/hr/text its arguments. */
    EV_SINV,
    /* File transfer (filetransfer.c): queued_event.transfer is set. */
    EV_FT_INVITATION,        /* window, contact = from */
    EV_FT_PROGRESS,
    EV_FT_STATE,             /* arg = MSGR_FT_STATE, hr */
} ev_kind;

typedef struct queued_event {
    ev_kind kind;
    msgr_hr hr;
    int arg;                 /* status, phone type, folder, count, bool */
    int arg2;
    msgr_contact *contact;   /* referenced while queued */
    msgr_group *group;       /* referenced while queued */
    msgr_window *window;     /* referenced while queued */
    msgr_obj *target;        /* referenced while queued: the object whose
                              * sinks get the event (NULL = the messenger's) */
    char *text;              /* owned copy */
    msgr_file_transfer *transfer; /* referenced while queued */
} queued_event;

typedef struct sink {
    uint32_t cookie;
    msgr_messenger_events events;
    void *user_data;
} sink;

/* events.c */
void ev_queue(msgr_messenger *m, ev_kind kind, msgr_hr hr, int arg,
              msgr_contact *c, msgr_group *g, const char *text);
void ev_queue2(msgr_messenger *m, ev_kind kind, msgr_hr hr, int arg, int arg2,
               msgr_contact *c, msgr_group *g, const char *text);
void ev_flush(msgr_messenger *m);
void ev_clear(msgr_messenger *m);
void ev_my_status(msgr_messenger *m, msgr_hr hr, MISTATUS st);
void ev_window(msgr_messenger *m, ev_kind kind, msgr_contact *c, msgr_window *w);
/* A window event with a text (EV_WIN_MESSAGE). */
void ev_window_text(msgr_messenger *m, ev_kind kind, msgr_contact *c,
                    msgr_window *w, const char *text);
/* Queues an event for the sinks of target (a MessengerPriv, ...) instead
 * of the messenger's. */
void ev_queue_to(msgr_messenger *m, msgr_obj *target, ev_kind kind, msgr_hr hr,
                 int arg, int arg2, msgr_contact *c, const char *text);
/* A file-transfer event (EV_FT_*) for the messenger's sinks. */
void ev_transfer(msgr_messenger *m, ev_kind kind, msgr_hr hr, int arg,
                 msgr_contact *c, msgr_window *w, msgr_file_transfer *t);

/* ---- NS connection ----------------------------------------------------------- */

typedef enum req_kind {
    REQ_NONE = 0,
    REQ_VER, REQ_CVR, REQ_USR_I, REQ_USR_S, REQ_SYN, REQ_CHG, REQ_QRY,
    REQ_ADD_FL,          /* AddContact: contact */
    REQ_ADD_GROUP,       /* Group.AddContact: contact, group */
    REQ_REM_FL,          /* Contacts.Remove: contact */
    REQ_REM_GROUP,       /* Group.RemoveContact: contact, group */
    REQ_BLOCK,           /* final step of put_Blocked: contact, flag */
    REQ_QUIET,           /* side step whose reply and errors are ignored */
    REQ_ADG, REQ_RMG, REQ_REG,   /* group */
    REQ_REA_SELF,        /* own friendly name: text = the name asked for */
    REQ_ELSEWHERE,       /* not a request: a TrID-0 change made elsewhere
                          * (lists_on_elsewhere), reported like our own */
    REQ_XFR_SB,          /* switchboard for a conversation: window */
    REQ_SB_AUTH,         /* USR or ANS on a switchboard */
    REQ_CAL,             /* CAL: contact */
    REQ_URL,             /* URL: flag = url_service, text = subject */
    REQ_LKS,             /* Lock and Key subscription of the session */
    REQ_LKC, REQ_LKR,    /* challenge / response: owner = the msgr_lock */
    REQ_RELAY,           /* local server mode: an attached program's request
                          * (relay_client, relay_trid; local_server.c) */
    REQ_SESSION,         /* attached: SGL / SCD / SCN of session_proxy.c */
    REQ_OTHER,
} req_kind;

typedef struct request {
    uint32_t trid;
    req_kind kind;
    msgr_contact *contact;   /* referenced */
    msgr_group *group;       /* referenced */
    msgr_window *window;     /* referenced */
    msgr_obj *owner;         /* referenced: the object that asked (a lock,
                              * a MessengerPriv for its AddContact) */
    int flag;
    char *text;
    uint32_t relay_client;   /* REQ_RELAY: id of the attached program */
    uint32_t relay_trid;     /* REQ_RELAY: the TrID it used */
} request;

typedef struct ns_conn {
    int fd;                  /* -1 when closed */
    bool connecting;         /* non-blocking connect() in progress */
    msnp_parser *parser;
    msnp_buf out;            /* bytes not yet written */
    size_t out_off;
    uint32_t next_trid;
    request *reqs;
    size_t nreqs, capreqs;
} ns_conn;

/* ns_client.c */
void ns_init(ns_conn *ns);
int ns_connect(ns_conn *ns, const char *host, uint16_t port);
void ns_close(ns_conn *ns);
uint32_t ns_trid(ns_conn *ns);
int ns_track(ns_conn *ns, uint32_t trid, req_kind kind, msgr_contact *c,
             msgr_group *g, int flag, const char *text);
int ns_track_window(ns_conn *ns, uint32_t trid, req_kind kind, msgr_window *w);
/* Sets the owner (referenced) of the request tracked last. */
void ns_track_owner(ns_conn *ns, msgr_obj *owner);
bool ns_take(ns_conn *ns, uint32_t trid, request *out);
void ns_request_clear(request *r);
void ns_flush_out(ns_conn *ns);
/* Result of driving the socket: */
enum { NS_IO_OK = 0, NS_IO_CONNECTED = 1, NS_IO_CLOSED = -1, NS_IO_ERROR = -2 };
int ns_io(ns_conn *ns, bool readable, bool writable, bool *connected);
int ns_read_some(ns_conn *ns);
bool ns_wants_write(const ns_conn *ns);

/* A conversation window (IMessengerConversationWnd, which is also an
 * IMessengerWindow) and its switchboard session. */
typedef enum win_state {
    WIN_IDLE,                /* no switchboard (nobody left, or not yet) */
    WIN_XFR,                 /* XFR SB sent on the notification server */
    WIN_CONNECTING,          /* TCP connect to the switchboard */
    WIN_AUTH,                /* USR or ANS sent */
    WIN_READY,               /* in the session */
    WIN_LEAVING,             /* everybody left: OUT sent, reading the NAKs
                              * of messages that crossed their BYE */
    WIN_CLOSED,              /* Close() or sign-out: the object is dead */
} win_state;

typedef struct pending_msg {
    char *payload;
    size_t len;
    char ack;
    uint32_t trid;           /* the MSG's TrID once sent (sent list only) */
} pending_msg;

struct msgr_window {
    msgr_obj base;
    msgr_messenger *m;
    win_state state;
    bool incoming;           /* joined through RNG (ANS), not USR/CAL */
    bool closing;            /* in window_close(): send only what can go now */
    ns_conn sb;
    char *cookie;
    uint32_t session_id;
    msgr_contact **members;  /* participants other than us (referenced) */
    size_t nmembers;
    msgr_contact **invitees; /* to CAL / rung, not joined yet (referenced) */
    size_t ninvitees;
    pending_msg *queued;     /* messages waiting for a participant */
    size_t nqueued;
    pending_msg *sent;       /* the last messages sent, oldest first: a NAK
                              * after everybody left queues them again */
    size_t nsent;
    bool recall;             /* AddContact while WIN_LEAVING: a new session
                              * once this one is over */
    int64_t leave_deadline;  /* WIN_LEAVING: give up waiting for the close */
    msnp_buf history;
    int32_t left, top, width, height;
    bool view[2];            /* MWINDOWPROP_VIEW_SIDEBAR, _TOOLBAR */
    /* MSGR_WINDOW_CONVERSATION (0, what window_new() makes), or a plain
     * MessengerWindow of windows.c (main, Phone, Page): never in
     * m->windows, no switchboard; state WIN_IDLE open, WIN_CLOSED closed
     * (and open again after Show). */
    MSGR_WINDOW_KIND win_kind;
};

/* ---- Passport ---------------------------------------------------------------- */

typedef struct passport passport;

/* passport_client.c */
passport *passport_new(const char *nexus_url, const char *ca_file,
                       bool insecure);
void passport_free(passport *p);
/* Starts the nexus + login exchange for the USR TWN S challenge. */
int passport_start(passport *p, const char *signin, const char *password,
                   const char *challenge);
void passport_cancel(passport *p);
bool passport_active(const passport *p);
/* Drives libcurl. Returns 1 and sets *hr (and *ticket, malloc'd, on
 * success) when the exchange finished, 0 while it is running. */
int passport_poll(passport *p, msgr_hr *hr, char **ticket);
/* Adds libcurl's descriptors; returns how many would be written. */
size_t passport_fds(passport *p, msgr_pollfd *fds, size_t cap);
long passport_timeout_ms(passport *p);

/* ---- the messenger --------------------------------------------------------- */

typedef enum phase {
    PHASE_OFFLINE = 0,
    PHASE_CONNECTING,        /* TCP connect + VER/CVR/USR I */
    PHASE_AUTHENTICATING,    /* Passport exchange */
    PHASE_SYNCING,           /* USR OK received, SYN running */
    PHASE_ONLINE,            /* first CHG answered */
    PHASE_DISCONNECTING,     /* OUT sent */
} phase;

struct msgr_messenger {
    msgr_obj base;
    /* options */
    char *host;
    uint16_t port;
    char *nexus_url, *ca_file, *cache_dir, *config_dir, *receive_dir;
    bool insecure;
    MISTATUS initial_status;
    unsigned logon_timeout_ms;
    /* event sinks and queue */
    sink *sinks;
    size_t nsinks;
    uint32_t next_cookie;
    queued_event *evq;
    size_t nev, capev;
    /* borrow pool */
    msgr_obj **pool;
    size_t npool, cappool;
    msgr_obj *children;      /* every live child object */
    /* loop */
    bool stop;
    bool in_flush;
    /* sign-in state */
    phase phase;
    MISTATUS my_status;      /* what MyStatus reads */
    MISTATUS wanted_status;  /* status to send with the first CHG */
    char *signin, *password, *friendly;
    char *prev_friendly;     /* own name at the end of the cached session */
    char *cur_host;          /* host of the current NS (after XFR) */
    uint16_t cur_port;
    int redirects;
    ns_conn ns;
    passport *pp;
    int64_t logon_deadline;  /* ms; 0 = none */
    int64_t ping_due;
    int64_t close_deadline;
    /* lists (SYN) */
    uint32_t list_version;
    char gtc, blp_list;      /* 'A'/'N', MSNP_LIST_AL/BL as char */
    char *my_phones[PHONE_COUNT];
    bool my_mob;
    long lst_remaining;      /* LST lines still expected (msnp.md 3.2) */
    long lsg_remaining;      /* LSG lines still expected */
    bool syn_dump;           /* a full SYN dump is being received */
    msgr_contact *last_lst;  /* for BPR lines inside the SYN dump */
    msgr_contact **contacts; /* every live contact object */
    size_t ncontacts, capcontacts;
    msgr_group **groups;     /* groups of the list, plus pending ones */
    size_t ngroups, capgroups;
    /* misc */
    int32_t inbox_unread, other_unread;
    bool has_mailbox;
    MUASORT sort_order;
    msgr_service *service;
    msgr_services *services;
    msgr_host_ui ui;         /* the embedding program's dialogs */
    void *ui_ud;
    msgr_window **windows;   /* open conversation windows (referenced) */
    size_t nwindows, capwindows;
    /* Lock and Key (lock.c, priv.c). The arrays do not hold references:
     * each object removes itself when it goes away. */
    msgr_lock **locks;
    size_t nlocks, caplocks;
    msgr_priv **privs;
    size_t nprivs, capprivs;
    int lk_session;          /* LKS state of this signed-in period: LK_* */
    char *client_ip;
    /* File transfers not finished yet (referenced; filetransfer.c) and
     * voice/video invitations waiting for an answer (voice.c). */
    msgr_file_transfer **transfers;
    size_t ntransfers, captransfers;
    struct voice_invite *voices;
    size_t nvoices;
    /* The plain windows of windows.c, by MSGR_WINDOW_KIND (referenced;
     * [MSGR_WINDOW_CONVERSATION] unused). */
    msgr_window *plain_windows[4];
    /* Local server mode (local_server.c, attach.c). */
    struct local_server *local; /* serving attached programs, or NULL */
    bool attach;             /* signs in through a serving messenger */
    char *attach_socket;     /* its socket (NULL: environment or default) */
    /* Attached: the synchronous session request being waited for
     * (session_proxy.c), or NULL. */
    struct sproxy_wait *sp_wait;
};

/* ---- Lock and Key (lock.c) ---------------------------------------------------- */

/* What the session knows about Lock and Key. */
enum { LK_NONE = 0, LK_ASKED, LK_ON, LK_OFF };

/* What a lock tells its host (the host turns it into its own events). */
typedef enum lock_note {
    LOCK_NOTE_ENABLE,        /* flag = enabled */
    LOCK_NOTE_CHALLENGE,     /* cookie, challenge */
    LOCK_NOTE_RESULT,        /* cookie, flag = succeeded */
    LOCK_NOTE_STATUS,        /* the status changed (OnLockStatusChanged) */
} lock_note;

typedef void (*lock_notify_fn)(msgr_obj *host, lock_note what, int32_t cookie,
                               bool flag, const char *challenge);

struct msgr_lock {
    msgr_obj base;
    msgr_messenger *m;       /* NULL once the messenger is gone */
    msgr_obj *host;          /* not referenced: the host owns the lock and
                              * calls lock_detach() before it goes away */
    lock_notify_fn notify;
    LockStatus status;
    int32_t cookie;          /* of the transaction in LOCK_PENDINGRESULT */
    char *challenge;         /* its challenge once it arrived (owned) */
    bool response_sent;
};

/* lock.c */
msgr_lock *lock_new(msgr_messenger *m, msgr_obj *host, lock_notify_fn notify);
void lock_detach(msgr_lock *l);     /* the host is going away; drops its reference */
bool lock_usable(const msgr_lock *l); /* LOCK_UNLOCKED or LOCK_DISABLED */
void lock_session_online(msgr_messenger *m);
void lock_session_reset(msgr_messenger *m);
void lock_on_command(msgr_messenger *m, const msnp_cmd *cmd);
void lock_on_error(msgr_messenger *m, request *r);

/* ---- MessengerPriv (priv.c) ------------------------------------------------ */

typedef struct priv_sink {
    uint32_t cookie;
    msgr_priv_events events;
    void *user_data;
} priv_sink;

struct msgr_priv {
    msgr_obj base;
    msgr_messenger *m;       /* NULL once the messenger is gone */
    msgr_lock *lock;         /* owned (one reference) */
    priv_sink *sinks;
    size_t nsinks;
    uint32_t next_cookie;
    bool alerts;             /* EnableAlertEvents was called */
    int32_t *sites;          /* its site IDs (owned); none = every site */
    size_t nsites;
};

/* priv.c */
void priv_deliver(msgr_priv *p, const queued_event *e);
void priv_on_alert(msgr_messenger *m, const msnp_cmd *cmd);

/* clock.c-like helpers (loop.c) */
int64_t msgr_now_ms(void);
/* conversations.c: the earliest moment a window stops waiting for its
 * switchboard to close (WIN_LEAVING), or 0. */
int64_t conv_next_deadline(msgr_messenger *m);

/* session.c: the sign-in state machine and NS command dispatch */
msgr_hr session_start(msgr_messenger *m, const char *signin,
                      const char *password);
void session_on_command(msgr_messenger *m, const msnp_cmd *cmd);
void session_on_connected(msgr_messenger *m);
void session_fail(msgr_messenger *m, msgr_hr hr);
void session_lost(msgr_messenger *m, msgr_hr hr);
void session_signout(msgr_messenger *m);
void session_timers(msgr_messenger *m, int64_t now);
void session_passport_done(msgr_messenger *m, msgr_hr hr, char *ticket);
bool session_send(msgr_messenger *m, int rc);

/* lists.c: SYN dump, list commands and their replies */
void lists_reset(msgr_messenger *m);
void lists_on_syn(msgr_messenger *m, const msnp_cmd *cmd);
bool lists_on_dump_line(msgr_messenger *m, const msnp_cmd *cmd);
void lists_on_reply(msgr_messenger *m, const msnp_cmd *cmd, request *r);
void lists_on_error(msgr_messenger *m, request *r, msgr_hr hr);
/* A list or name change made elsewhere (another program attached to the
 * same messenger, the serving messenger, an admin tool): applies it and
 * raises the events the same change made here would raise. */
void lists_on_elsewhere(msgr_messenger *m, const msnp_cmd *cmd);
/* After the first CHG: the reverse-list entries still waiting for an
 * allow/block decision, one OnContactReverseListChange(added) each. */
void lists_report_pending(msgr_messenger *m);
void lists_sync_done(msgr_messenger *m);
/* ADD FL + ADD AL for c; the FL reply raises OnContactListAdd on the
 * messenger and, when origin is set, on origin's sinks too. */
msgr_hr lists_add_contact(msgr_messenger *m, msgr_contact *c, msgr_obj *origin);

/* presence.c */
void presence_on_iln(msgr_messenger *m, const msnp_cmd *cmd);
void presence_on_nln(msgr_messenger *m, const msnp_cmd *cmd);
void presence_on_fln(msgr_messenger *m, const msnp_cmd *cmd);

/* status.c */
bool status_to_presence(MISTATUS st, msnp_presence *out);
MISTATUS status_from_presence(msnp_presence p);
bool status_is_settable(MISTATUS st);

/* errmap.c */
msgr_hr errmap_msnp(int code);
msgr_hr errmap_signin(int code);

/* contacts.c */
msgr_contact *contact_find(msgr_messenger *m, const char *signin);
msgr_contact *contact_get(msgr_messenger *m, const char *signin);
void contact_set_lists(msgr_contact *c, unsigned lists);
bool contact_set_friendly(msgr_contact *c, const char *name);
msgr_contacts *contacts_snapshot(msgr_messenger *m, msgr_group *only);
void contact_detach_all(msgr_messenger *m);
void contact_set_phone(msgr_contact *c, int idx, const char *value);
msgr_hr check_signin_name(const char *name);
bool contact_is_self(const msgr_contact *c);

/* groups.c */
msgr_group *group_by_gid(msgr_messenger *m, int gid);
msgr_group *group_new(msgr_messenger *m, int gid, const char *name);
void group_mark_removed(msgr_messenger *m, msgr_group *g);
void group_detach_all(msgr_messenger *m);
msgr_groups *groups_snapshot(msgr_messenger *m, const msgr_contact *member);
msgr_hr group_name_check(const char *in, char **trimmed);

/* conversations.c */
void conv_on_rng(msgr_messenger *m, const msnp_cmd *cmd);
void conv_on_xfr_sb(msgr_messenger *m, const msnp_cmd *cmd, request *r);
void conv_xfr_failed(msgr_messenger *m, request *r);
void conv_close_all(msgr_messenger *m, bool report);
size_t conv_fds(msgr_messenger *m, msgr_pollfd *fds, size_t cap);
void conv_progress(msgr_messenger *m);
msgr_contacts *contacts_from(msgr_messenger *m, msgr_contact **items, size_t n);
/* Queues or sends one MSG payload in w (ack type 'N', 'A', 'U'); starts a
 * switchboard session when the window is idle. */
msgr_hr conv_send_payload(msgr_window *w, msnp_buf *payload, char ack);

/* ---- invitations (invitations.c) ------------------------------------------ */

struct msnp_invite;

/* How a feature (file transfer, Session Invite, ...) takes part in the
 * text/x-msmsgsinvite traffic of conversation windows. Every member may
 * be NULL. */
typedef struct invite_handler {
    /* An INVITE arrived in w from `from`: return true to claim it. */
    bool (*on_invite)(msgr_window *w, msgr_contact *from,
                      const struct msnp_invite *inv);
    /* An ACCEPT or CANCEL arrived: return true if its cookie is ours. */
    bool (*on_reply)(msgr_window *w, msgr_contact *from,
                     const struct msnp_invite *inv);
    /* w is closing (Close, sign-out): its invitations end. */
    void (*on_window_closing)(msgr_window *w);
    /* Loop integration for the feature's own sockets and timers: fds may
     * be NULL with cap 0 (count only); deadline 0 = none. */
    size_t (*fds)(msgr_messenger *m, msgr_pollfd *fds, size_t cap);
    void (*progress)(msgr_messenger *m, int64_t now);
    int64_t (*next_deadline)(msgr_messenger *m);
    /* The messenger is signing out or going away. */
    void (*shutdown)(msgr_messenger *m);
} invite_handler;

uint32_t invite_new_cookie(void);
/* Builds inv and sends it in w (queued until a participant is there). */
msgr_hr invite_send(msgr_window *w, const struct msnp_invite *inv);
msgr_hr invite_send_cancel(msgr_window *w, const char *guid, uint32_t cookie,
                           int cancel_code /* msnp_cancel_code */);
void invite_on_message(msgr_window *w, msgr_contact *from, const void *payload,
                       size_t len);
void invite_window_closing(msgr_window *w);
size_t invite_fds(msgr_messenger *m, msgr_pollfd *fds, size_t cap);
void invite_progress(msgr_messenger *m, int64_t now);
int64_t invite_next_deadline(msgr_messenger *m);
void invite_shutdown(msgr_messenger *m);

/* ---- file transfer, voice/video, plain windows ------------------------------ */

/* filetransfer.c: MSNFTP transfers; its handler also carries the voice
 * and video invitations of voice.c (one entry in the handlers table). */
extern const invite_handler filetransfer_invite_handler;

/* voice.c: StartVoice/StartVideo invitations (no media engine). Called
 * by filetransfer_invite_handler; on_reply returns true when the cookie
 * is a voice invitation of ours. */
bool voice_on_reply(msgr_window *w, msgr_contact *from,
                    const struct msnp_invite *inv);
void voice_window_closing(msgr_window *w);
void voice_progress(msgr_messenger *m, int64_t now);
int64_t voice_next_deadline(msgr_messenger *m);
void voice_shutdown(msgr_messenger *m);

/* windows.c: the plain windows (main, Phone, Page). True for a live
 * conversation window (not closed, messenger alive). */
bool window_is_conversation(const msgr_window *w);
/* True for a live object that is a plain window (closed or not). */
bool window_is_plain(const msgr_window *w);
/* The messenger is going away: drops its plain windows. */
void windows_release(msgr_messenger *m);
/* The checks of the members aimed at a contact (InstantMessage's, and
 * SendFile, Page, Phone): MSGR_E_INVALIDARG (not a contact of m),
 * MSGR_E_NOT_LOGGED_ON, MSGR_E_FAIL (the local user) or MSGR_S_OK. */
msgr_hr window_check_contact(msgr_messenger *m, msgr_contact *c);

/* host.c */
void host_on_url(msgr_messenger *m, const msnp_cmd *cmd, request *r);

/* services.c */
msgr_service *service_new(msgr_messenger *m);
msgr_services *services_new(msgr_messenger *m);

/* synccache.c */
int synccache_save(msgr_messenger *m);
int synccache_load(msgr_messenger *m);

/* credentials.c */
int credentials_save(const char *dir, const char *signin, const char *pwd);
int credentials_load(const char *dir, char **signin, char **pwd);

/* ---- local server mode (local_server.c, attach.c) ------------------------ */

/* Serving side: the messenger answers attached programs as their
 * notification server over a Unix socket, backed by its own state and its
 * real NS connection (docs/libmsgr.md "Local server mode"). */
typedef struct local_server local_server;

/* $XDG_RUNTIME_DIR/msgr/messenger.sock (malloc'd), or NULL when
 * XDG_RUNTIME_DIR is unset or not an absolute path. */
char *local_default_path(void);
/* True when the peer of the Unix socket fd runs as uid (SO_PEERCRED). */
bool local_peer_uid_is(int fd, uid_t uid);
/* Stops serving: every attached program gets OUT SSD. NULL-safe. */
void local_server_free(msgr_messenger *m);
/* Called for every command of the real NS before session.c handles it:
 * copies what attached programs must see and answers their relayed
 * requests. Returns true when the command was consumed (a reply to an
 * attached program only), false when session.c handles it too. */
bool local_on_ns_command(msgr_messenger *m, const msnp_cmd *cmd);
size_t local_fds(msgr_messenger *m, msgr_pollfd *fds, size_t cap);
void local_progress(msgr_messenger *m, int64_t now);
int64_t local_next_deadline(msgr_messenger *m);

/* Attached side (attach.c): connects m->ns to the serving messenger's
 * socket; 0 or -1. */
int attach_connect(msgr_messenger *m);
/* USR OK from the serving messenger: takes the account's sign-in name.
 * False when it is not a valid one. */
bool attach_on_usr_ok(msgr_messenger *m, const msnp_cmd *cmd);
/* ns_client.c: non-blocking connect to a Unix socket whose server runs as
 * our own user. Returns 0 or -1. */
int ns_connect_unix(ns_conn *ns, const char *path);
/* Serving for a program about to be launched (invite_session.c): the
 * socket path it will find in MSGR_LOCAL_SOCKET. Starts serving when m
 * does not yet (the default path, else a per-process one next to it);
 * such a serve ends when m signs out or goes away. NULL when m cannot
 * serve. The string belongs to the server. */
const char *local_serve_for_launch(msgr_messenger *m);
/* Appends len bytes to the output of attached program `client` (signed
 * in). False when that program is gone or dropped. */
bool local_push(msgr_messenger *m, uint32_t client, const char *data, size_t len);

/* util */
char *msgr_strdup(const char *s);
void msgr_str_replace(char **dst, const char *src);
void msgr_lower(char *s);
int phone_index(MPHONE_TYPE t);
int phone_index_from_code(const char *code);
const char *phone_code(int idx);
char *msgr_default_dir(const char *xdg_var, const char *home_suffix);
int msgr_mkdir_p(const char *path, unsigned mode);

/* ==== Session Invite (session_manager.c, invite_session.c, app_registry.c) ====
 *
 * MsgrSessionManager and MsgrSession (api-scope.md 5.15-5.19, 6.2). The
 * messenger keeps no table of them: both are children of the messenger
 * (obj_attach), found by walking m->children, whose order is the order of
 * creation reversed. Events are plain data (the documented DISPID, numbers
 * and one string) so that local server mode can carry them later.
 */
#include <sys/types.h>

/* The documented DISPIDs (api-scope.md Appendix A) of the events queued as
 * EV_SINV (queued_event.arg); internal steps are above 0x7000. */
typedef enum sinv_dispid {
    SINV_ON_INVITATION = 100,       /* target session; text = app data */
    SINV_ON_APP_REGISTERED = 101,   /* target manager; text = GUID */
    SINV_ON_APP_UNREGISTERED = 102, /* target manager; text = GUID */
    SINV_ON_STATE_CHANGED = 103,    /* arg2 = previous state */
    SINV_ON_APP_NOT_PRESENT = 104,  /* name and URL read from the session */
    SINV_ON_ACCEPTED = 105,         /* text = app data */
    SINV_ON_DECLINED = 106,
    SINV_ON_CANCELLED = 107,
    SINV_ON_TERMINATION = 108,      /* hr, text */
    SINV_ON_READY_TO_LAUNCH = 109,
    SINV_ON_CONTEXT_DATA = 110,     /* text */
    SINV_ON_SEND_ERROR = 111,       /* hr */
    SINV_BEFORE_APP_LAUNCH = 112,   /* after the sinks: the launch itself */
    SINV_ON_APP_SHUTDOWN = 126,     /* raised synchronously, never queued */
    SINV_ON_LOCK_STATUS_CHANGED = 12288, /* arg2 = LockStatus */
    SINV_STEP_CONNECT = 0x7001,     /* SS_ACCEPTED -> SS_CONNECTED */
} sinv_dispid;

#define SINV_GUID_SIZE 39 /* "{8-4-4-4-12}" and its NUL */

typedef struct sinv_mgr_sink {
    uint32_t cookie;
    msgr_session_manager_events events;
    void *user_data;
} sinv_mgr_sink;

typedef struct sinv_sink {
    uint32_t cookie;
    msgr_session_events events;
    void *user_data;
} sinv_sink;

struct msgr_session_manager {
    msgr_obj base;
    msgr_messenger *m;       /* NULL once the messenger is gone */
    msgr_lock *lock;         /* owned (one reference) */
    sinv_mgr_sink *sinks;
    size_t nsinks;
    uint32_t next_cookie;
    bool shutdown_told;      /* OnAppShutdown raised (at most once) */
};

#define SINV_MAX_SUBS 8 /* attached programs following one session */

struct msgr_session {
    msgr_obj base;
    msgr_messenger *m;       /* NULL once the messenger is gone */
    msgr_session_manager *owner; /* referenced; NULL: InviteApp / nobody */
    sinv_sink *sinks;
    size_t nsinks;
    uint32_t next_cookie;
    SESSION_STATE state;
    long flags;              /* SESSION_FLAGS */
    char id[SINV_GUID_SIZE];     /* SessionID */
    char guid[SINV_GUID_SIZE];   /* Application, "" until set */
    char *app_name, *app_url;    /* "" when unknown, never NULL */
    char *app_path;          /* the program this side starts, or NULL */
    char *context;           /* last data from the peer, NULL: none */
    char local_addr[MSGR_SESSION_ADDRESS_MAX + 1];  /* "" = default */
    char remote_addr[MSGR_SESSION_ADDRESS_MAX + 1];
    msgr_contact *contact;   /* referenced: the other party */
    msgr_window *window;     /* referenced while the session runs */
    uint32_t cookie;         /* Invitation-Cookie */
    uint32_t timeout_ms;
    int64_t wait_start;      /* start of the running wait, 0 = none */
    int context_sent;        /* SendContextData calls so far */
    int context_recv;        /* context data messages taken from the peer */
    msgr_hr pending_send;    /* SR_*_SEND_FAILURE of a message still queued */
    bool held;               /* the library holds a reference */
    bool launch_here;        /* this side starts app_path when connected */
    bool confirmed;          /* invitee: the inviter's confirmation came */
    bool peer_seen_online;   /* the peer's presence was seen online */
    pid_t child;             /* launched program not reaped yet, 0 = none */
    pid_t launched;          /* the program it started (GetLaunchingSession) */
    /* Serving side: attached programs (local client ids) that asked for
     * this session with SGL and get its events (local_sessions.c). */
    uint32_t subs[SINV_MAX_SUBS];
    size_t nsubs;
    /* Attached side: a view of a session of the serving messenger
     * (session_proxy.c); never on the wire itself, never in the state
     * machine of invite_session.c. */
    bool proxy;
    bool proxy_ended;        /* its OnTermination was queued */
};

/* One registered application (app_registry.c). */
typedef struct app_info {
    char guid[SINV_GUID_SIZE];
    char name[MSGR_APP_NAME_MAX + 1];
    char url[MSGR_APP_URL_MAX + 1];
    char path[MSGR_APP_PATH_MAX + 1];
} app_info;

/* app_registry.c: the file <dir>/apps.ini. Results: MSGR_S_OK,
 * SR_APP_ALREADY_REGISTERED / SR_APP_NOT_REGISTERED, or
 * MSGR_E_REGDB_WRITEREGDB when the file cannot be trusted, read or
 * written (dir NULL included). */
msgr_hr apps_register(const char *dir, const app_info *app);
msgr_hr apps_unregister(const char *dir, const char *guid);
msgr_hr apps_lookup(const char *dir, const char *guid, app_info *out);
/* UTF-8, at most max bytes, no control character but tab. */
bool sinv_text_valid(const char *s, size_t max);
/* A "{GUID}" (either case) as upper-case text; false when malformed. */
bool sinv_guid_normalize(const char *in, char out[SINV_GUID_SIZE]);

/* session_manager.c */
void sinv_manager_deliver(msgr_session_manager *g, const queued_event *e);
bool sinv_manager_usable(const msgr_session_manager *g);
/* The managers of m in creation order, referenced (release with
 * sinv_managers_free); usable_only: unlocked or LOCK_DISABLED ones. */
size_t sinv_managers(msgr_messenger *m, bool usable_only,
                     msgr_session_manager ***out);
void sinv_managers_free(msgr_session_manager **list, size_t n);
/* OnInvitation for s on the usable managers until one handles it; sets
 * s->owner. */
void sinv_offer_invitation(msgr_session *s, const char *app_data);
/* The messenger is being released: OnAppShutdown, synchronously. */
void sinv_managers_shutdown(msgr_messenger *m);

/* invite_session.c */
msgr_session *sinv_session_new(msgr_messenger *m, msgr_session_manager *owner,
                               long flags);
void sinv_session_deliver(msgr_session *s, const queued_event *e);
/* The session of m that launched process pid, or NULL. */
msgr_session *sinv_find_launched(msgr_messenger *m, pid_t pid);
/* app_launch.c: starts path (argv[0] = path, no shell) detached: its own
 * session, stdin/stdout/stderr on /dev/null, none of our descriptors,
 * default signal handling, and our environment with vars ("NAME=value",
 * borrowed) set. Returns the child's pid once execve succeeded, or -1. */
pid_t app_launch(const char *path, char *const *vars, size_t nvars);
extern const invite_handler session_invite_handler;
bool sinv_is_final(SESSION_STATE st);

/* local_sessions.c, serving side of the session commands: answers SGL,
 * SCD, SCN of attached program `client` into out. Returns 0, or the MSNP
 * error code to answer instead. */
int lsess_command(msgr_messenger *m, uint32_t client, const msnp_cmd *cmd,
                  msnp_buf *out);
/* An event of s was queued: pushes it to the programs following s. */
void lsess_push(msgr_session *s, sinv_dispid what, msgr_hr hr, int arg2,
                const char *text);

/* session_proxy.c, attached side: GetLaunchingSession through the serving
 * messenger (a synchronous SGL), the proxy's actions, and the lines that
 * come back. */
msgr_hr sproxy_get_launching(msgr_session_manager *g, pid_t pid, msgr_session **out);
msgr_hr sproxy_send_context(msgr_session *s, const char *data);
msgr_hr sproxy_cancel(msgr_session *s, msgr_hr why, const char *data);
/* True when cmd was one of the session lines (SGL SCD SCN SST SEV). */
bool sproxy_on_command(msgr_messenger *m, const msnp_cmd *cmd);
/* An error answer to a REQ_SESSION request. */
void sproxy_on_error(msgr_messenger *m, request *r, int code);
/* The link to the serving messenger ended (hr: why; S_OK for our own
 * sign-out): the proxies end, and when the serving messenger went away
 * the managers get OnAppShutdown. */
void sproxy_link_lost(msgr_messenger *m, msgr_hr hr);

#endif
