/*
 * chitfund/sys/clock.h - clock port. Every use case reads time here, never
 * from the system, so tests run on a fixed or steppable clock.
 */
#ifndef CHITFUND_SYS_CLOCK_H
#define CHITFUND_SYS_CLOCK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CF_CLOCK_VERSION 1

/** Clock port. */
typedef struct cf_clock {
	unsigned int version; /**< CF_CLOCK_VERSION */
	void *self;
	/** Required. Current Unix time in milliseconds (UTC). */
	int64_t (*now_ms)(void *self);
	/**
	 * Optional (NULL: the core does not sleep). Sleep about `ms` milliseconds;
	 * used only for the backoff between transaction retries.
	 */
	void (*sleep_ms)(void *self, int64_t ms);
	/* ---- end of version 1 ---- */
} cf_clock;

#ifdef __cplusplus
}
#endif
#endif
