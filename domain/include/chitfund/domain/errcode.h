/*
 * chitfund/domain/errcode.h - status codes shared by every layer.
 *
 * Every function that can fail returns a cf_status: CF_OK (0) on success and
 * a negative code otherwise. Codes are append-only and never renumbered, so a
 * client that stored one keeps its meaning across releases.
 */
#ifndef CHITFUND_DOMAIN_ERRCODE_H
#define CHITFUND_DOMAIN_ERRCODE_H

#ifdef __cplusplus
extern "C" {
#endif

/** Result of every fallible function in libchitfund. */
typedef enum cf_status {
	CF_OK = 0,                /**< success */
	CF_ERROR = -1,            /**< internal error; detail goes to logs only */
	CF_ENOMEM = -2,           /**< allocation failed */
	CF_EINVALID = -3,         /**< an input failed validation */
	CF_ENOTFOUND = -4,        /**< no such entity (or not visible to the caller) */
	CF_EEXISTS = -5,          /**< a unique key is already taken */
	CF_ECONFLICT = -6,        /**< conflicts with the entity's current state */
	CF_ERULE = -7,            /**< a business rule refused the request */
	CF_EUNAUTHENTICATED = -8, /**< no, bad, expired or revoked credentials */
	CF_EFORBIDDEN = -9,       /**< authenticated but not allowed */
	CF_EUNAVAILABLE = -10,    /**< storage or a dependency is down; retry later */
	CF_ERETRY = -11,          /**< serialization failure; retried internally */
	CF_EOVERFLOW = -12,       /**< money or count arithmetic would overflow */
	CF_EVERSION = -13,        /**< a port struct has an unsupported version */
	CF_ENOTSUPPORTED = -14,   /**< an optional port method is absent */
	CF_ERATELIMIT = -15,      /**< a budget (login failures ...) is exhausted */
	CF_EBUFFER = -16,         /**< a caller-supplied buffer is too small */
	CF_ENORESULT = -17        /**< a computation has no unique answer (XIRR) */
} cf_status;

#ifdef __cplusplus
}
#endif
#endif
