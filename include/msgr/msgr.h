/*
 * msgr/msgr.h - umbrella header of libmsgr, the Messenger client library.
 * See docs/libmsgr.md for the design and the object model.
 */
#ifndef MSGR_H
#define MSGR_H

#include "msgr_hr.h"
#include "msgr_enums.h"
#include "msgr_object.h"
#include "msgr_events.h"
#include "msgr_messenger.h"
#include "msgr_contact.h"
#include "msgr_group.h"
#include "msgr_service.h"
#include "msgr_window.h"
#include "msgr_host.h"
#include "msgr_lock.h"
#include "msgr_priv.h"
#include "msgr_transfer.h"
#include "msgr_session.h"

#endif
