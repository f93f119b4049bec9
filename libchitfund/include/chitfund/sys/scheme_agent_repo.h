/*
 * chitfund/sys/scheme_agent_repo.h - which agents are assigned to which
 * schemes.
 */
#ifndef CHITFUND_SYS_SCHEME_AGENT_REPO_H
#define CHITFUND_SYS_SCHEME_AGENT_REPO_H

#include <stdbool.h>
#include <stdint.h>

#include "chitfund/sys/tx.h"
#include "chitfund/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_SCHEME_AGENT_REPO_VERSION 1

/** Scheme-agent repository port. */
typedef struct cf_scheme_agent_repo {
	unsigned int version; /**< CF_SCHEME_AGENT_REPO_VERSION */
	void *self;
	/** Required. Assign. CF_EEXISTS when already assigned. */
	int (*assign)(void *self, cf_tx *tx, const char *scheme_id, const char *user_id,
	              int64_t at_ms);
	/** Required. Unassign. CF_ENOTFOUND when not assigned. */
	int (*unassign)(void *self, cf_tx *tx, const char *scheme_id, const char *user_id);
	/** Required. *out = whether user_id is assigned to scheme_id. */
	int (*is_agent)(void *self, cf_tx *tx, const char *scheme_id, const char *user_id,
	                bool *out);
	/**
	 * Required. The user ids of a scheme's agents ordered by assignment time:
	 * *out is a malloc'd array of *count ids (caller frees with free()).
	 */
	int (*list)(void *self, cf_tx *tx, const char *scheme_id, char (**out)[CF_ID_SIZE],
	            size_t *count);
	/* ---- end of version 1 ---- */
} cf_scheme_agent_repo;

#ifdef __cplusplus
}
#endif
#endif
