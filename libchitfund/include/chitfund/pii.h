/*
 * chitfund/pii.h - validation and masking of personal identity numbers
 * (pure functions; no I/O). Encryption happens in the use cases through the
 * cipher port.
 */
#ifndef CHITFUND_PII_H
#define CHITFUND_PII_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * PAN: 10 chars AAAAA9999A, upper case, 4th letter a holder type
 * (ABCFGHJLPT). Normalised (upper-cased) into out (cap >= 11).
 * CF_EINVALID otherwise.
 */
int cf_pan_normalize(const char *s, char *out, size_t cap);

/**
 * Aadhaar: 12 digits (single spaces between groups allowed and dropped), first
 * digit 2..9, Verhoeff check digit. Digits into out (cap >= 13). CF_EINVALID.
 */
int cf_aadhaar_normalize(const char *s, char *out, size_t cap);

/** True when the digit string passes the Verhoeff check (last digit = check). */
bool cf_verhoeff_valid(const char *digits, size_t len);

/** Bank account number: 9..18 digits into out (cap >= 19). CF_EINVALID. */
int cf_bank_account_normalize(const char *s, char *out, size_t cap);

/** IFSC: 4 letters, '0', 6 letters/digits; upper-cased into out (cap >= 12). */
int cf_ifsc_normalize(const char *s, char *out, size_t cap);

/**
 * Mask all but the last 4 characters with 'X' ("ABCDE1234F" ->
 * "XXXXXX234F"). CF_EBUFFER when cap <= strlen(s).
 */
int cf_mask_tail4(const char *s, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
