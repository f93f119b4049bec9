/*
 * chitfund/sys/login_throttle_repo.h - failed-login records for throttling,
 * budgeted per account key (the lowercased email, whether or not an account
 * exists) and per client address.
 */
#ifndef CHITFUND_SYS_LOGIN_THROTTLE_REPO_H
#define CHITFUND_SYS_LOGIN_THROTTLE_REPO_H

#include <stdint.h>

#include "chitfund/sys/tx.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_LOGIN_THROTTLE_REPO_VERSION 1

/** Failures counted since an instant. */
typedef struct cf_throttle_counts {
	int64_t account_failures;  /**< failures with this account key at or after since_ms */
	int64_t account_oldest_ms; /**< the oldest of those (0 when none) */
	int64_t address_failures;  /**< failures from this address at or after since_ms */
	int64_t address_oldest_ms; /**< the oldest of those (0 when none) */
} cf_throttle_counts;

/** Login throttle repository port. */
typedef struct cf_login_throttle_repo {
	unsigned int version; /**< CF_LOGIN_THROTTLE_REPO_VERSION */
	void *self;
	/** Required. Record one failure for account_key from client_addr ("" allowed). */
	int (*record_failure)(void *self, cf_tx *tx, const char *account_key,
	                      const char *client_addr, int64_t at_ms);
	/**
	 * Required. Count failures at or after since_ms for the account key and,
	 * separately, for the address (an empty address counts 0).
	 */
	int (*count_since)(void *self, cf_tx *tx, const char *account_key, const char *client_addr,
	                   int64_t since_ms, cf_throttle_counts *out);
	/** Required. Forget every failure of account_key (after a successful login). */
	int (*clear_account)(void *self, cf_tx *tx, const char *account_key);
	/** Optional (NULL: never purged). Delete failures older than before_ms. */
	int (*purge_before)(void *self, cf_tx *tx, int64_t before_ms);
	/* ---- end of version 1 ---- */
} cf_login_throttle_repo;

#ifdef __cplusplus
}
#endif
#endif
