/*
 * chitfund/sys/ports.h - every port a cf_app needs, in one struct.
 *
 * The composition root (server main, a test fixture, an embedding program)
 * fills one cf_ports from its adapters and passes it to cf_app_new, which
 * copies the struct and checks every port's version and required methods.
 * The app does NOT take ownership: whoever created an adapter destroys it,
 * after cf_app_free.
 */
#ifndef CHITFUND_SYS_PORTS_H
#define CHITFUND_SYS_PORTS_H

#include "chitfund/sys/audit_repo.h"
#include "chitfund/sys/auction_repo.h"
#include "chitfund/sys/event_sink.h"
#include "chitfund/sys/ledger_repo.h"
#include "chitfund/sys/overdue_source.h"
#include "chitfund/sys/cipher.h"
#include "chitfund/sys/clock.h"
#include "chitfund/sys/digest.h"
#include "chitfund/sys/login_throttle_repo.h"
#include "chitfund/sys/money_repo.h"
#include "chitfund/sys/notification_repo.h"
#include "chitfund/sys/password_hasher.h"
#include "chitfund/sys/refresh_token_repo.h"
#include "chitfund/sys/rng.h"
#include "chitfund/sys/scheme_agent_repo.h"
#include "chitfund/sys/scheme_repo.h"
#include "chitfund/sys/ticket_repo.h"
#include "chitfund/sys/token_signer.h"
#include "chitfund/sys/tx.h"
#include "chitfund/sys/uow.h"
#include "chitfund/sys/user_repo.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The ports of one application instance. Later issues append members. */
#ifndef CF_PORTS_TYPEDEF
#define CF_PORTS_TYPEDEF
typedef struct cf_ports cf_ports; /* also declared by chitfund/app.h */
#endif

struct cf_ports {
	/* storage: all repositories must share the uow's transactions */
	cf_uow uow;
	cf_user_repo users;
	cf_refresh_token_repo refresh_tokens;
	cf_scheme_repo schemes;
	cf_ticket_repo tickets;
	cf_scheme_agent_repo scheme_agents;
	cf_audit_repo audit;
	cf_login_throttle_repo login_throttle;
	/* services */
	cf_clock clock;
	cf_rng rng;
	cf_password_hasher hasher;
	cf_token_signer signer;
	cf_cipher cipher;
	cf_digest digest;
	/* draws (issue 4): optional as a group (version 0: the auction use cases
	 * answer CF_ENOTSUPPORTED); events and overdue are optional on their own */
	cf_auction_repo auctions;
	cf_ledger_repo ledger;
	cf_event_sink events;
	cf_overdue_source overdue;
	/* money (issue 5): optional (version 0: the money use cases answer
	 * CF_ENOTSUPPORTED and the commencement/settlement hooks do nothing) */
	cf_money_repo money;
	/* notifications: optional (version 0: nothing is recorded and the
	 * notification use cases answer CF_ENOTSUPPORTED) */
	cf_notification_repo notifications;
};

#ifdef __cplusplus
}
#endif
#endif
