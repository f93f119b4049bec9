/*
 * chitfund/sys/uow.h - unit of work port: begin, commit, roll back.
 *
 * Every use case runs its repository calls inside one transaction. Isolation
 * must be at least READ COMMITTED with the row locks the repository methods
 * document; an adapter that detects a serialization failure or deadlock
 * (SQLSTATE 40001/40P01) returns CF_ERETRY from the failing call (or from
 * commit), and the core rolls back and retries the whole use case a bounded
 * number of times. CF_ERETRY never reaches a library user.
 */
#ifndef CHITFUND_SYS_UOW_H
#define CHITFUND_SYS_UOW_H

#include "chitfund/sys/tx.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Version 2 added begin_read, version 3 defer_writes. The core accepts
 * version 1 to 3 ports: it calls a later member only when the version has
 * it and the pointer is set.
 */
#define CF_UOW_VERSION 3

/** Unit of work port. */
typedef struct cf_uow {
	unsigned int version; /**< CF_UOW_VERSION; 0 means "not initialised" */
	void *self;           /**< adapter state; the core never looks inside */

	/**
	 * Required. Start a transaction and store its handle in *out.
	 * CF_EUNAVAILABLE when storage is down or no connection is free in time.
	 */
	int (*begin)(void *self, cf_tx **out);
	/**
	 * Required. Commit and release tx (also on failure: tx is gone after the
	 * call). CF_ERETRY on a serialization failure (nothing committed),
	 * CF_EUNAVAILABLE, CF_ERROR.
	 */
	int (*commit)(void *self, cf_tx *tx);
	/** Required. Discard every change made in tx and release it. Never fails. */
	void (*rollback)(void *self, cf_tx *tx);
	/* ---- end of version 1 ---- */
	/**
	 * Optional (version 2). Start a read-only unit of work: the use case will
	 * only read, each statement at READ COMMITTED, so an adapter may skip the
	 * transaction brackets (e.g. no BEGIN/COMMIT round trips: every statement
	 * autocommits, which READ COMMITTED gives the same guarantees as, since it
	 * takes a new snapshot per statement anyway). Such a unit takes no row
	 * locks that outlive a statement. Ended with commit or rollback like any
	 * other. NULL: the core uses begin.
	 */
	int (*begin_read)(void *self, cf_tx **out);
	/* ---- end of version 2 ---- */
	/**
	 * Optional (version 3). From now until commit, nothing this unit of work
	 * reads depends on what it writes: the adapter may hold the writes back
	 * and send them with the COMMIT (one round trip for all of them). Such a
	 * write that fails makes commit fail and roll everything back, so the
	 * use case must have decided everything it could refuse before calling
	 * this. Repository calls that return what they wrote (a generated
	 * sequence number) may leave it unset while deferring: the use case must
	 * not need it. NULL: writes run at once.
	 */
	void (*defer_writes)(void *self, cf_tx *tx);
	/* ---- end of version 3: append below only, then bump the version ---- */
} cf_uow;

#ifdef __cplusplus
}
#endif
#endif
