/* cf_test_app.c - use-case test environment over the memory adapter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_test_app.h"

static const char test_key[] = "test-cipher-key-0123456789abcdef";

static void keystream_block(const uint8_t nonce[12], const void *aad, size_t aad_len,
                            uint32_t block, uint8_t out[32])
{
	unsigned char buf[512];
	size_t kl = sizeof test_key - 1, n = 0;

	if (aad_len > sizeof buf - kl - 12 - 4)
		aad_len = sizeof buf - kl - 12 - 4;
	memcpy(buf, test_key, kl);
	n += kl;
	memcpy(buf + n, nonce, 12);
	n += 12;
	memcpy(buf + n, aad, aad_len);
	n += aad_len;
	memcpy(buf + n, &block, 4);
	n += 4;
	cf_memory_sha256(buf, n, out);
}

static void tag_of(const uint8_t nonce[12], const void *aad, size_t aad_len, const uint8_t *ct,
                   size_t len, uint8_t tag[16])
{
	unsigned char buf[1024];
	uint8_t d[32];
	size_t kl = sizeof test_key - 1, n = 0;

	memcpy(buf, "tag:", 4);
	n = 4;
	memcpy(buf + n, test_key, kl);
	n += kl;
	memcpy(buf + n, nonce, 12);
	n += 12;
	memcpy(buf + n, aad, aad_len);
	n += aad_len;
	memcpy(buf + n, ct, len);
	n += len;
	cf_memory_sha256(buf, n, d);
	memcpy(tag, d, 16);
}

static uint64_t nonce_counter;

static int toy_encrypt(void *self, const void *aad, size_t aad_len, const void *plain, size_t len,
                       cf_sealed *out)
{
	const uint8_t *p = plain;
	uint8_t *nonce = out->data, *ct = out->data + 12;

	(void)self;
	if (len == 0 || len > CF_SEALED_PLAIN_MAX || aad_len > 256)
		return CF_EINVALID;
	memset(out, 0, sizeof *out);
	snprintf(out->key_id, sizeof out->key_id, "test-k1");
	nonce_counter++;
	memcpy(nonce, &nonce_counter, sizeof nonce_counter);
	for (size_t i = 0; i < len; i += 32) {
		uint8_t ks[32];
		keystream_block(nonce, aad, aad_len, (uint32_t)(i / 32), ks);
		for (size_t k = 0; k < 32 && i + k < len; k++)
			ct[i + k] = p[i + k] ^ ks[k];
	}
	tag_of(nonce, aad, aad_len, ct, len, ct + len);
	out->len = (uint32_t)(12 + len + 16);
	return CF_OK;
}

static int toy_decrypt(void *self, const void *aad, size_t aad_len, const cf_sealed *in,
                       void *plain, size_t cap, size_t *len)
{
	const uint8_t *nonce = in->data, *ct = in->data + 12;
	uint8_t tag[16];
	uint8_t *p = plain;
	size_t n;

	(void)self;
	if (strcmp(in->key_id, "test-k1") != 0)
		return CF_ENOTFOUND;
	if (in->len < 12 + 16 + 1 || in->len > CF_SEALED_MAX || aad_len > 256)
		return CF_ERROR;
	n = in->len - 12 - 16;
	tag_of(nonce, aad, aad_len, ct, n, tag);
	if (memcmp(tag, ct + n, 16) != 0)
		return CF_ERROR;
	if (cap < n)
		return CF_EBUFFER;
	for (size_t i = 0; i < n; i += 32) {
		uint8_t ks[32];
		keystream_block(nonce, aad, aad_len, (uint32_t)(i / 32), ks);
		for (size_t k = 0; k < 32 && i + k < n; k++)
			p[i + k] = ct[i + k] ^ ks[k];
	}
	*len = n;
	return CF_OK;
}

cf_cipher cf_test_cipher_port(void)
{
	cf_cipher c = {CF_CIPHER_VERSION, NULL, toy_encrypt, toy_decrypt};

	return c;
}

int cf_test_env_init(cf_test_env *e, const cf_app_config *cfg)
{
	int rc;

	memset(e, 0, sizeof *e);
	if ((rc = cf_memory_store_new(&e->store)) < 0 ||
	    (rc = cf_memory_clock_new(&e->clock, CF_TEST_T0_MS)) < 0 ||
	    (rc = cf_memory_rng_new(&e->rng, 42)) < 0)
		goto fail;
	cf_memory_store_ports(e->store, &e->ports);
	e->ports.clock = cf_memory_clock_port(e->clock);
	e->ports.rng = cf_memory_rng_port(e->rng);
	e->ports.hasher = cf_memory_fake_hasher_port();
	e->ports.signer = cf_memory_fake_signer_port();
	e->ports.cipher = cf_test_cipher_port();
	e->ports.digest = cf_memory_digest_port();
	if ((rc = cf_app_new(&e->app, &e->ports, cfg, NULL)) < 0)
		goto fail;
	cf_actor_anonymous(&e->system, "req-setup", "");
	e->system.role = CF_ROLE_SYSTEM;
	return CF_OK;
fail:
	cf_test_env_free(e);
	return rc;
}

void cf_test_env_free(cf_test_env *e)
{
	cf_app_free(e->app);
	cf_memory_store_free(e->store);
	cf_memory_clock_free(e->clock);
	cf_memory_rng_free(e->rng);
	memset(e, 0, sizeof *e);
}

int cf_test_make_user(cf_test_env *e, const char *email, cf_role role, cf_actor *actor,
                      cf_user *user_out)
{
	cf_user_create_req req = {email, CF_TEST_PASSWORD, "Test User", NULL, role};
	cf_user u;
	int rc = cf_users_create(e->app, &e->system, &req, &u, NULL);

	if (rc < 0)
		return rc;
	if (actor != NULL) {
		cf_actor_anonymous(actor, "req-test", "10.0.0.1");
		memcpy(actor->user_id, u.id, sizeof actor->user_id);
		actor->role = role;
	}
	if (user_out != NULL)
		*user_out = u;
	return CF_OK;
}
