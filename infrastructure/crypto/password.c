/*
 * password.c - libxcrypt hashing behind cf_infra/password.h.
 */
#include "cf_infra/password.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "cf_infra/crypto.h"
#include "chitfund/domain/errcode.h"

static const char *prefix_of(cf_password_method m)
{
	return m == CF_PASSWORD_BCRYPT ? "$2b$" : "$y$";
}

/* A setting string ("$y$j9T$<salt>") for the policy; rbytes NULL = random salt. */
static int make_setting(const cf_password_policy *p, const char *rbytes, int nrbytes, char *out,
                        int cap)
{
	if (!crypt_gensalt_rn(prefix_of(p->method), p->cost, rbytes, nrbytes, out, cap))
		return CF_ERROR;
	if (out[0] == '*')
		return CF_ERROR;
	return CF_OK;
}

/* crypt_r into a heap crypt_data (it is ~32 KiB: too large for small thread stacks). */
static int do_crypt(const char *password, const char *setting, char *out, size_t cap)
{
	struct crypt_data *cd = calloc(1, sizeof *cd);
	const char *h;
	size_t n;
	int rc = CF_ERROR;
	if (!cd)
		return CF_ENOMEM;
	h = crypt_r(password, setting, cd);
	if (h && h[0] != '*') {
		n = strlen(h);
		if (n + 1 > cap)
			rc = CF_EBUFFER;
		else {
			memcpy(out, h, n + 1);
			rc = CF_OK;
		}
	}
	cf_wipe(cd, sizeof *cd);
	free(cd);
	return rc;
}

int cf_password_policy_init(cf_password_policy *p, cf_password_method method, unsigned long cost)
{
	char setting[CF_PASSWORD_HASH_MAX];
	unsigned char pw[24];
	char pwtext[sizeof pw * 2 + 1];
	int rc;
	if (!p || (method != CF_PASSWORD_YESCRYPT && method != CF_PASSWORD_BCRYPT))
		return CF_EINVALID;
	if (cost == 0)
		cost = method == CF_PASSWORD_BCRYPT ? CF_PASSWORD_BCRYPT_COST
		                                    : CF_PASSWORD_YESCRYPT_COST;
	if (method == CF_PASSWORD_YESCRYPT && (cost < 1 || cost > 11))
		return CF_EINVALID;
	if (method == CF_PASSWORD_BCRYPT && (cost < 4 || cost > 31))
		return CF_EINVALID;
	memset(p, 0, sizeof *p);
	p->method = method;
	p->cost = cost;
	if (cf_random_bytes(pw, sizeof pw) != CF_OK)
		return CF_ERROR;
	cf_hex_encode(pw, sizeof pw, pwtext, sizeof pwtext);
	rc = make_setting(p, NULL, 0, setting, sizeof setting);
	if (rc == CF_OK)
		rc = do_crypt(pwtext, setting, p->dummy, sizeof p->dummy);
	cf_wipe(pw, sizeof pw);
	cf_wipe(pwtext, sizeof pwtext);
	return rc;
}

int cf_password_hash(const cf_password_policy *p, const char *password, char *out, size_t cap)
{
	char setting[CF_PASSWORD_HASH_MAX];
	size_t n;
	if (!p || !password || !out)
		return CF_EINVALID;
	n = strlen(password);
	if (n == 0 || n > CF_PASSWORD_MAX || (p->method == CF_PASSWORD_BCRYPT && n > 72))
		return CF_EINVALID;
	if (make_setting(p, NULL, 0, setting, sizeof setting) != CF_OK)
		return CF_ERROR;
	return do_crypt(password, setting, out, cap);
}

int cf_password_verify(const cf_password_policy *p, const char *password, const char *hash,
                       bool *ok)
{
	char out[CF_PASSWORD_HASH_MAX];
	size_t hl;
	int rc;
	if (!password || !hash || !ok)
		return CF_EINVALID;
	*ok = false;
	hl = strlen(hash);
	rc = (hl == 0 || hl >= sizeof out || hash[0] != '$')
	             ? CF_ERROR
	             : do_crypt(password, hash, out, sizeof out);
	if (rc == CF_ENOMEM)
		return rc;
	if (rc != CF_OK) {
		/* unparsable hash: spend the same work, answer "no" */
		if (p)
			cf_password_verify_dummy(p, password);
		return CF_OK;
	}
	*ok = strlen(out) == hl && cf_ct_equal(out, hash, hl);
	cf_wipe(out, sizeof out);
	return CF_OK;
}

void cf_password_verify_dummy(const cf_password_policy *p, const char *password)
{
	char out[CF_PASSWORD_HASH_MAX];
	if (!p || !password || !p->dummy[0])
		return;
	if (do_crypt(password, p->dummy, out, sizeof out) == CF_OK)
		(void)cf_ct_equal(out, p->dummy,
		                  strlen(p->dummy) < strlen(out) ? strlen(p->dummy) : strlen(out));
	cf_wipe(out, sizeof out);
}

/* "$id$params$..." -> length of the "$id$params$" head (0 when not that shape). */
static size_t head_len(const char *h)
{
	const char *a, *b;
	if (!h || h[0] != '$')
		return 0;
	a = strchr(h + 1, '$');
	if (!a)
		return 0;
	b = strchr(a + 1, '$');
	if (!b)
		return 0;
	return (size_t)(b - h) + 1;
}

bool cf_password_needs_rehash(const cf_password_policy *p, const char *hash)
{
	size_t want, have;
	if (!p || !hash)
		return true;
	want = head_len(p->dummy);
	have = head_len(hash);
	if (want == 0 || have != want)
		return true;
	return memcmp(p->dummy, hash, want) != 0;
}
