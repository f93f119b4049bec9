/*
 * ucfsin.c - UCFSIN construction and validation (ISO 7064 MOD 97-10).
 */
#include "chitfund/domain/ucfsin.h"

#include <stdint.h>

/* 98 - (D * 100 mod 97): 2..98. D < 10^10, so D * 100 fits easily in int64. */
static int64_t check_of(int64_t d)
{
	return 98 - (d * 100) % 97;
}

int cf_ucfsin_make(int32_t year2, int64_t seq, char out[15])
{
	int64_t d, v;

	if (out == NULL || year2 < 0 || year2 > 99 || seq < 1 || seq > CF_UCFSIN_SEQ_MAX)
		return CF_EINVALID;
	d = (int64_t)year2 * INT64_C(100000000) + seq;
	/* the 12 digits after "CF" are D followed by the two check digits */
	v = d * 100 + check_of(d);
	out[0] = 'C';
	out[1] = 'F';
	for (int i = 13; i >= 2; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	out[14] = '\0';
	return CF_OK;
}

int cf_ucfsin_parse(const char *s, size_t len, int32_t *year2, int64_t *seq)
{
	int64_t v = 0, d, sq;

	if (s == NULL || len != CF_UCFSIN_LEN || s[0] != 'C' || s[1] != 'F')
		return CF_EINVALID;
	for (size_t i = 2; i < CF_UCFSIN_LEN; i++) {
		if (s[i] < '0' || s[i] > '9')
			return CF_EINVALID;
		v = v * 10 + (s[i] - '0');
	}
	/*
	 * The check digits must be exactly 98 - (D * 100 mod 97), in 02..98; this
	 * implies (D * 100 + check) mod 97 == 1 and also refuses the aliases
	 * 00, 01 and 99 that the modulus alone would let through.
	 */
	d = v / 100;
	if (v % 100 != check_of(d))
		return CF_EINVALID;
	sq = d % INT64_C(100000000);
	if (sq == 0)
		return CF_EINVALID;
	if (year2 != NULL)
		*year2 = (int32_t)(d / INT64_C(100000000));
	if (seq != NULL)
		*seq = sq;
	return CF_OK;
}

int cf_ucfsin_validate(const char *s, size_t len)
{
	return cf_ucfsin_parse(s, len, NULL, NULL);
}
