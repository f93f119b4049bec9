/* pii.c - validation and masking of PAN, Aadhaar, bank account and IFSC. */
#include <string.h>

#include "internal.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

int cf_pan_normalize(const char *s, char *out, size_t cap)
{
	char t[11];

	if (s == NULL || strlen(s) != 10 || cap < 11)
		return CF_EINVALID;
	for (int i = 0; i < 10; i++)
		t[i] = upper(s[i]);
	t[10] = '\0';
	for (int i = 0; i < 5; i++)
		if (!is_upper(t[i]))
			return CF_EINVALID;
	for (int i = 5; i < 9; i++)
		if (!is_digit(t[i]))
			return CF_EINVALID;
	if (!is_upper(t[9]) || strchr("ABCFGHJLPT", t[3]) == NULL)
		return CF_EINVALID;
	memcpy(out, t, 11);
	return CF_OK;
}

/* Verhoeff tables: multiplication in the dihedral group D5, permutation. */
static const unsigned char verhoeff_d[10][10] = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
        {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
        {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
        {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
        {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
static const unsigned char verhoeff_p[8][10] = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
        {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
        {9, 4, 5, 3, 1, 2, 8, 6, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
        {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};

bool cf_verhoeff_valid(const char *digits, size_t len)
{
	unsigned c = 0;

	if (digits == NULL || len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = digits[len - 1 - i];
		if (!is_digit(ch))
			return false;
		c = verhoeff_d[c][verhoeff_p[i % 8][ch - '0']];
	}
	return c == 0;
}

int cf_aadhaar_normalize(const char *s, char *out, size_t cap)
{
	char t[13];
	size_t n = 0;

	if (s == NULL || cap < 13)
		return CF_EINVALID;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == ' ') {
			/* single spaces between groups of four only */
			if (n == 0 || n % 4 != 0 || s[i + 1] == ' ' || s[i + 1] == '\0' ||
			    (i > 0 && s[i - 1] == ' '))
				return CF_EINVALID;
			continue;
		}
		if (!is_digit(s[i]) || n >= 12)
			return CF_EINVALID;
		t[n++] = s[i];
	}
	if (n != 12 || t[0] < '2' || !cf_verhoeff_valid(t, 12))
		return CF_EINVALID;
	t[12] = '\0';
	memcpy(out, t, 13);
	return CF_OK;
}

int cf_bank_account_normalize(const char *s, char *out, size_t cap)
{
	size_t n;

	if (s == NULL)
		return CF_EINVALID;
	n = strlen(s);
	if (n < 9 || n > 18 || cap < n + 1)
		return CF_EINVALID;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return CF_EINVALID;
	memcpy(out, s, n + 1);
	return CF_OK;
}

int cf_ifsc_normalize(const char *s, char *out, size_t cap)
{
	char t[12];

	if (s == NULL || strlen(s) != 11 || cap < 12)
		return CF_EINVALID;
	for (int i = 0; i < 11; i++)
		t[i] = upper(s[i]);
	t[11] = '\0';
	for (int i = 0; i < 4; i++)
		if (!is_upper(t[i]))
			return CF_EINVALID;
	if (t[4] != '0')
		return CF_EINVALID;
	for (int i = 5; i < 11; i++)
		if (!is_upper(t[i]) && !is_digit(t[i]))
			return CF_EINVALID;
	memcpy(out, t, 12);
	return CF_OK;
}

int cf_mask_tail4(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s);

	if (cap <= n)
		return CF_EBUFFER;
	for (size_t i = 0; i < n; i++)
		out[i] = (i + 4 < n) ? 'X' : s[i];
	out[n] = '\0';
	return CF_OK;
}
