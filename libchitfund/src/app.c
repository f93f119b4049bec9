/* app.c - cf_app construction: configuration defaults and port checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void cf_app_config_init(cf_app_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->access_token_ttl_s = 1800;
	cfg->refresh_token_ttl_s = 14 * 86400;
	cfg->login_failures_per_account = 5;
	cfg->login_failures_per_address = 20;
	cfg->login_window_s = 900;
	cfg->password_min_len = 10;
	cfg->password_max_len = 128;
	cfg->tx_max_attempts = 5;
	cf__copy(cfg->token_issuer, sizeof cfg->token_issuer, "chitfund");
}

#define CHECK_PORT(port, name, ver, ...)                                                           \
	do {                                                                                       \
		const void *req_[] = {__VA_ARGS__};                                                \
		if ((port).version == 0 || (port).version > (ver))                                 \
			return cf_error_set(err, CF_EVERSION, "internal-error", name,              \
			                    "port %s: version %u not supported", name,             \
			                    (port).version);                                       \
		for (size_t i_ = 0; i_ < sizeof req_ / sizeof req_[0]; i_++)                       \
			if (req_[i_] == NULL)                                                      \
				return cf_error_set(err, CF_EINVALID, "internal-error", name,      \
				                    "port %s: required method %zu missing", name,  \
				                    i_);                                           \
	} while (0)

#define FP(p, m) ((p).m != NULL ? (const void *)&(p).m : NULL)

static int check_ports(const cf_ports *p, cf_error *err)
{
	CHECK_PORT(p->uow, "uow", CF_UOW_VERSION, FP(p->uow, begin), FP(p->uow, commit),
	           FP(p->uow, rollback));
	CHECK_PORT(p->users, "users", CF_USER_REPO_VERSION, FP(p->users, insert), FP(p->users, get),
	           FP(p->users, get_by_email), FP(p->users, update), FP(p->users, list),
	           FP(p->users, next_ucfsin_seq));
	CHECK_PORT(p->refresh_tokens, "refresh_tokens", CF_REFRESH_TOKEN_REPO_VERSION,
	           FP(p->refresh_tokens, insert), FP(p->refresh_tokens, get_by_hash),
	           FP(p->refresh_tokens, mark_spent), FP(p->refresh_tokens, revoke_family),
	           FP(p->refresh_tokens, revoke_user));
	CHECK_PORT(p->schemes, "schemes", CF_SCHEME_REPO_VERSION, FP(p->schemes, insert),
	           FP(p->schemes, get), FP(p->schemes, update), FP(p->schemes, list));
	CHECK_PORT(p->tickets, "tickets", CF_TICKET_REPO_VERSION, FP(p->tickets, lock_scheme),
	           FP(p->tickets, insert), FP(p->tickets, get), FP(p->tickets, update),
	           FP(p->tickets, list_by_scheme), FP(p->tickets, list_by_user),
	           FP(p->tickets, count));
	CHECK_PORT(p->scheme_agents, "scheme_agents", CF_SCHEME_AGENT_REPO_VERSION,
	           FP(p->scheme_agents, assign), FP(p->scheme_agents, unassign),
	           FP(p->scheme_agents, is_agent), FP(p->scheme_agents, list));
	CHECK_PORT(p->audit, "audit", CF_AUDIT_REPO_VERSION, FP(p->audit, lock_head),
	           FP(p->audit, insert), FP(p->audit, list));
	CHECK_PORT(p->login_throttle, "login_throttle", CF_LOGIN_THROTTLE_REPO_VERSION,
	           FP(p->login_throttle, record_failure), FP(p->login_throttle, count_since),
	           FP(p->login_throttle, clear_account));
	CHECK_PORT(p->clock, "clock", CF_CLOCK_VERSION, FP(p->clock, now_ms));
	CHECK_PORT(p->rng, "rng", CF_RNG_VERSION, FP(p->rng, fill));
	CHECK_PORT(p->hasher, "hasher", CF_PASSWORD_HASHER_VERSION, FP(p->hasher, hash),
	           FP(p->hasher, verify));
	CHECK_PORT(p->signer, "signer", CF_TOKEN_SIGNER_VERSION, FP(p->signer, issue),
	           FP(p->signer, verify));
	CHECK_PORT(p->cipher, "cipher", CF_CIPHER_VERSION, FP(p->cipher, encrypt),
	           FP(p->cipher, decrypt));
	CHECK_PORT(p->digest, "digest", CF_DIGEST_VERSION, FP(p->digest, sha256));
	return CF_OK;
}

static int check_config(const cf_app_config *c, cf_error *err)
{
	const char *bad = NULL;

	if (c->access_token_ttl_s < 1)
		bad = "access_token_ttl_s";
	else if (c->refresh_token_ttl_s < 1)
		bad = "refresh_token_ttl_s";
	else if (c->login_failures_per_account < 0)
		bad = "login_failures_per_account";
	else if (c->login_failures_per_address < 0)
		bad = "login_failures_per_address";
	else if (c->login_window_s < 1)
		bad = "login_window_s";
	else if (c->password_min_len < 1 || c->password_max_len < c->password_min_len ||
	         c->password_max_len > 1024)
		bad = "password_min_len";
	else if (c->tx_max_attempts < 1 || c->tx_max_attempts > 100)
		bad = "tx_max_attempts";
	else if (memchr(c->token_issuer, '\0', sizeof c->token_issuer) == NULL)
		bad = "token_issuer";
	if (bad != NULL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, bad,
		                    "configuration %s is out of range", bad);
	return CF_OK;
}

int cf_app_new(cf_app **out, const cf_ports *ports, const cf_app_config *cfg, cf_error *err)
{
	cf_app *app;
	uint8_t rnd[24];
	char pw[49];
	int rc;

	if (out == NULL || ports == NULL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "", "missing argument");
	if ((rc = check_ports(ports, err)) < 0)
		return rc;
	app = calloc(1, sizeof *app);
	if (app == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	app->p = *ports;
	if (cfg != NULL)
		app->cfg = *cfg;
	else
		cf_app_config_init(&app->cfg);
	if ((rc = check_config(&app->cfg, err)) < 0)
		goto fail;
	/* a dummy hash of the configured kind, verified for unknown emails */
	if ((rc = app->p.rng.fill(app->p.rng.self, rnd, sizeof rnd)) < 0)
		goto fail;
	cf__hex(rnd, sizeof rnd, pw);
	rc = app->p.hasher.hash(app->p.hasher.self, pw, app->dummy_hash, sizeof app->dummy_hash);
	memset(pw, 0, sizeof pw);
	if (rc < 0)
		goto fail;
	*out = app;
	return CF_OK;
fail:
	free(app);
	return cf_error_default(err, rc);
}

void cf_app_free(cf_app *app)
{
	free(app);
}

const cf_app_config *cf_app_get_config(const cf_app *app)
{
	return &app->cfg;
}
