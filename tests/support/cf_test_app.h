/*
 * cf_test_app.h - test support for use-case tests: an app over the memory
 * adapter with a fixed clock, seeded rng, fake hasher/signer, a toy cipher,
 * and helpers to make users. Tests only.
 */
#ifndef CF_TEST_APP_H
#define CF_TEST_APP_H

#include "chitfund.h"
#include "chitfund/adapters/memory.h"
#include "chitfund/sys/ports.h"

/** 2026-04-01T04:30:00Z (10:00 IST), the default start of the test clock. */
#define CF_TEST_T0_MS INT64_C(1775017800000)

/** Everything one use-case test needs. */
typedef struct cf_test_env {
	cf_memory_store *store;
	cf_memory_clock *clock;
	cf_memory_rng *rng;
	cf_ports ports;
	cf_app *app;
	cf_actor system; /**< CF_ROLE_SYSTEM actor for setup */
} cf_test_env;

/**
 * A toy authenticated cipher (SHA-256 keystream + 16-byte tag, key id
 * "test-k1"). NOT secure; tests only.
 */
cf_cipher cf_test_cipher_port(void);

/** Build the env (cfg NULL: defaults). Returns CF_OK or a negative code. */
int cf_test_env_init(cf_test_env *e, const cf_app_config *cfg);
/** Free everything (NULL-safe members). */
void cf_test_env_free(cf_test_env *e);

/**
 * Create an active user with `role` and password "correct horse battery"
 * and fill *actor as that user (request id "req-test", address "10.0.0.1").
 * *user_out optional.
 */
int cf_test_make_user(cf_test_env *e, const char *email, cf_role role, cf_actor *actor,
                      cf_user *user_out);

/** The password cf_test_make_user gives every user. */
#define CF_TEST_PASSWORD "correct horse battery"

#endif
