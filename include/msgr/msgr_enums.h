/*
 * msgr/msgr_enums.h - the enumerations used by the Messenger object and its
 * helper objects, with their documented names and values
 * (spec/api-scope.tsv). The C type name is the enum's documented name
 * (erratum E3).
 */
#ifndef MSGR_ENUMS_H
#define MSGR_ENUMS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Presence of the local user or of a contact. The LOCAL_* values are
 * transitional states of the local user only; a contact's Status never
 * reads LOCAL_* or INVISIBLE. */
typedef enum MISTATUS {
    MISTATUS_UNKNOWN = 0x0000,
    MISTATUS_OFFLINE = 0x0001,
    MISTATUS_ONLINE = 0x0002,
    MISTATUS_INVISIBLE = 0x0006,
    MISTATUS_BUSY = 0x000A,
    MISTATUS_BE_RIGHT_BACK = 0x000E,
    MISTATUS_IDLE = 0x0012,
    MISTATUS_AWAY = 0x0022,
    MISTATUS_ON_THE_PHONE = 0x0032,
    MISTATUS_OUT_TO_LUNCH = 0x0042,
    MISTATUS_LOCAL_FINDING_SERVER = 0x0100,
    MISTATUS_LOCAL_CONNECTING_TO_SERVER = 0x0200,
    MISTATUS_LOCAL_SYNCHRONIZING_WITH_SERVER = 0x0300,
    MISTATUS_LOCAL_DISCONNECTING_FROM_SERVER = 0x0400,
} MISTATUS;

/* Phone number kinds (home, work, mobile, custom; ALL = every kind). */
typedef enum MPHONE_TYPE {
    MPHONE_TYPE_ALL = -1,
    MPHONE_TYPE_HOME = 0,
    MPHONE_TYPE_WORK = 1,
    MPHONE_TYPE_MOBILE = 2,
    MPHONE_TYPE_CUSTOM = 3,
} MPHONE_TYPE;

/* Contact properties (IMessengerContact::Property, IMessenger::MyProperty). */
typedef enum MCONTACTPROPERTY {
    MCONTACTPROP_INVALID_PROPERTY = -1,
    MCONTACTPROP_GROUPS_PROPERTY = 0,
    MCONTACTPROP_EMAIL = 1,
} MCONTACTPROPERTY;

/* Messenger properties (IMessenger3::Property). */
typedef enum MMESSENGERPROPERTY {
    MMESSENGERPROP_VERSION = 0,
    MMESSENGERPROP_PLCID = 1,
} MMESSENGERPROPERTY;

/* Mail folders (IMessenger::UnreadEmailCount, OnUnreadEmailChange). */
typedef enum MUAFOLDER {
    MUAFOLDER_INBOX = 0,
    MUAFOLDER_ALL_OTHER_FOLDERS = 1,
} MUAFOLDER;

/* Contact list sort order (IMessenger2::ContactsSortOrder). */
typedef enum MUASORT {
    MUASORT_GROUPS = 0,
    MUASORT_ONOFFLINE = 1,
} MUASORT;

/* Service properties (IMessengerService::Property): reserved. */
typedef enum MSERVICEPROPERTY {
    MSERVICEPROP_INVALID_PROPERTY = -1,
} MSERVICEPROPERTY;

/* Window properties (IMessengerWindow::Property). */
typedef enum MWINDOWPROPERTY {
    MWINDOWPROP_INVALID_PROPERTY = -1,
    MWINDOWPROP_VIEW_SIDEBAR = 0,
    MWINDOWPROP_VIEW_TOOLBAR = 1,
} MWINDOWPROPERTY;

/* Tabs of the Options dialog (IMessenger::OptionsPages; erratum E6). */
typedef enum MOPTIONPAGE {
    MOPT_GENERAL_PAGE = 0,
    MOPT_PRIVACY_PAGE = 1,
    MOPT_EXCHANGE_PAGE = 2,
    MOPT_ACCOUNTS_PAGE = 3,
    MOPT_CONNECTION_PAGE = 4,
    MOPT_PREFERENCES_PAGE = 5,
    MOPT_SERVICES_PAGE = 6,
    MOPT_PHONE_PAGE = 7,
} MOPTIONPAGE;

/* Lock and Key state of a MessengerPriv (or, later, MsgrSessionManager)
 * object (IMsgrLock::Status; state table of api-scope.md 6.1). */
typedef enum LockStatus {
    LOCK_NOTINITIALIZED = 0x00000001, /* signed out, or OnLockEnable not yet received */
    LOCK_INITIALIZED = 0x00000002,    /* locked, ready for RequestChallenge */
    LOCK_PENDINGRESULT = 0x00000003,  /* challenge requested / response sent */
    LOCK_UNLOCKED = 0x00000004,       /* usable until sign-out */
    LOCK_UNLOCKFAILED = 0x00000005,   /* locked until sign-out */
    LOCK_DISABLED = 0x00000006,       /* Lock and Key off: usable without unlocking */
} LockStatus;

#ifdef __cplusplus
}
#endif

#endif
