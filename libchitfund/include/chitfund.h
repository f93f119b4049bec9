/*
 * chitfund.h - the public API of libchitfund (umbrella header).
 *
 * Pulls in the domain value types and every use-case header. The adapter
 * SPI (chitfund/sys/NAME.h) is separate: only composition roots and adapter
 * authors include it.
 */
#ifndef CHITFUND_H
#define CHITFUND_H

#include "chitfund/domain/date.h"
#include "chitfund/domain/errcode.h"
#include "chitfund/domain/money.h"
#include "chitfund/domain/rule.h"
#include "chitfund/domain/scheme.h"
#include "chitfund/domain/ucfsin.h"

#include "chitfund/app.h"
#include "chitfund/auctions.h"
#include "chitfund/audit.h"
#include "chitfund/auth.h"
#include "chitfund/errors.h"
#include "chitfund/money.h"
#include "chitfund/notifications.h"
#include "chitfund/pii.h"
#include "chitfund/schemes.h"
#include "chitfund/types.h"
#include "chitfund/users.h"
#include "chitfund/version.h"

#endif
