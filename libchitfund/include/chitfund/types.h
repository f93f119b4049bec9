/*
 * chitfund/types.h - the plain value types shared by the public use-case API
 * (chitfund/NAME.h) and the adapter SPI (chitfund/sys/NAME.h).
 *
 * Entities are plain structs with fixed-size, NUL-terminated text fields, so
 * adapters copy them with `=` and no pointer ever crosses a layer. Ids are
 * lowercase canonical UUID text (36 characters). Instants are Unix time in
 * milliseconds (UTC); dates are cf_date. Lists returned to a caller are
 * heap arrays that the caller releases with the matching _free function;
 * adapters allocate their items with malloc/realloc (never an arena).
 */
#ifndef CHITFUND_TYPES_H
#define CHITFUND_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chitfund/domain/date.h"
#include "chitfund/domain/money.h"
#include "chitfund/domain/scheme.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- text field sizes (bytes including the terminating NUL) ---- */
#define CF_ID_SIZE            37  /**< UUID text, 36 chars */
#define CF_EMAIL_SIZE         255 /**< up to 254 chars */
#define CF_NAME_SIZE          513 /**< full/scheme name: 1..128 characters, UTF-8, <= 512 bytes */
#define CF_PHONE_SIZE         21  /**< "+919876543210": up to 20 chars */
#define CF_UCFSIN_SIZE        15  /**< 14 chars */
#define CF_ADDRESS_SIZE       513 /**< postal address, up to 512 chars */
#define CF_MASKED_SIZE        24  /**< masked identity number "XXXXXX234F" */
#define CF_IFSC_SIZE          12  /**< IFSC code, 11 chars */
#define CF_RELATION_SIZE      33  /**< nominee relation, up to 32 chars */
#define CF_ROLE_SIZE          16  /**< role name as text */
#define CF_REQUEST_ID_SIZE    65  /**< request id, up to 64 printable chars */
#define CF_CLIENT_ADDR_SIZE   46  /**< IPv4/IPv6 text */
#define CF_REG_NO_SIZE        65  /**< scheme registration_no, 1..64 chars */
#define CF_REF_SIZE           129 /**< scheme commencement_ref, 1..128 chars */
#define CF_HEX256_SIZE        65  /**< SHA-256 as 64 lowercase hex chars */
#define CF_CURSOR_SIZE        80  /**< opaque pagination cursor text */
#define CF_AUDIT_ACTION_SIZE  48
#define CF_AUDIT_ENTITY_SIZE  32
#define CF_AUDIT_SUMMARY_SIZE 2048

/** Default and largest page size of list use cases (api.md "lists"). */
#define CF_PAGE_DEFAULT 50
#define CF_PAGE_MAX     200

/** A user's role (api.md "Roles"). */
typedef enum cf_role {
	CF_ROLE_NONE = 0,       /**< anonymous (no token) */
	CF_ROLE_SUBSCRIBER = 1, /**< own profile, own tickets */
	CF_ROLE_AGENT = 2,      /**< assigned schemes: payments, members */
	CF_ROLE_FOREMAN = 3,    /**< creates and runs his schemes */
	CF_ROLE_AUDITOR = 4,    /**< read-only everything, audit log */
	CF_ROLE_ADMIN = 5,      /**< everything, manages users */
	/**
	 * The server's own command-line tools (create-admin, verify). Never
	 * carried by a token; cf_auth_authenticate never yields it.
	 */
	CF_ROLE_SYSTEM = 6
} cf_role;

/** "subscriber", "agent", "foreman", "auditor", "admin", "system"; "" for NONE. */
const char *cf_role_name(cf_role r);
/** Parse an exact role name (not "system"); CF_EINVALID otherwise. */
int cf_role_parse(const char *s, cf_role *out);

/**
 * Who is calling a use case. Built by cf_auth_authenticate (or by hand for
 * anonymous calls: zero it and set request_id/client_addr). The use cases
 * trust user_id and role; request_id and client_addr go to the audit log
 * and login throttling ("" allowed).
 */
typedef struct cf_actor {
	char user_id[CF_ID_SIZE]; /**< "" when anonymous */
	cf_role role;             /**< CF_ROLE_NONE when anonymous */
	char request_id[CF_REQUEST_ID_SIZE];
	char client_addr[CF_CLIENT_ADDR_SIZE];
} cf_actor;

/** Fill *a as an anonymous actor with the given request id and address (NULL: ""). */
void cf_actor_anonymous(cf_actor *a, const char *request_id, const char *client_addr);

/**
 * Format a Unix time in ms as RFC 3339 UTC with whole seconds
 * ("2026-04-01T10:00:00Z") into buf (cap >= 21). CF_EBUFFER when too small.
 */
int cf_time_format(int64_t unix_ms, char *buf, size_t cap);

/** A public view of a user (no password hash; identity numbers masked). */
typedef struct cf_user {
	char id[CF_ID_SIZE];
	char email[CF_EMAIL_SIZE]; /**< stored lowercased */
	char full_name[CF_NAME_SIZE];
	char phone[CF_PHONE_SIZE]; /**< "" when not given */
	cf_role role;
	char ucfsin[CF_UCFSIN_SIZE];
	bool is_active;
	int64_t created_at_ms;
	int64_t updated_at_ms;
	char pan_masked[CF_MASKED_SIZE];          /**< "XXXXXX234F" or "" */
	char aadhaar_masked[CF_MASKED_SIZE];      /**< "XXXXXXXX9012" or "" */
	char bank_account_masked[CF_MASKED_SIZE]; /**< "XXXXXXXX1234" or "" */
	char bank_ifsc[CF_IFSC_SIZE];             /**< "" when not given */
	char address[CF_ADDRESS_SIZE];
	char nominee_name[CF_NAME_SIZE];
	char nominee_relation[CF_RELATION_SIZE];
	int64_t row_version; /**< optimistic-concurrency version */
} cf_user;

/** A caller-owned array of users. */
typedef struct cf_user_array {
	cf_user *items;
	size_t count;
} cf_user_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_user_array_free(cf_user_array *l);

/** Lifecycle of a scheme (domain.md "Scheme status"). */
typedef enum cf_scheme_status {
	CF_SCHEME_DRAFT = 0,
	CF_SCHEME_ENROLLING = 1,
	CF_SCHEME_RUNNING = 2,
	CF_SCHEME_COMPLETED = 3,
	CF_SCHEME_TERMINATED = 4
} cf_scheme_status;

/** "draft", "enrolling", "running", "completed", "terminated". */
const char *cf_scheme_status_name(cf_scheme_status s);
/** Parse an exact status name; CF_EINVALID otherwise. */
int cf_scheme_status_parse(const char *s, cf_scheme_status *out);

/**
 * Bits naming the optional scheme parameters a client gave explicitly
 * (cf_scheme.params_given, cf_scheme_create_req.given). A parameter whose
 * bit is clear takes its default, recomputed whenever the scheme changes
 * (min_discount follows the commission unless given).
 */
enum cf_scheme_param_bit {
	CF_SP_FREQUENCY = 1u << 0,
	CF_SP_CURRENCY = 1u << 1,
	CF_SP_COMMISSION_BPS = 1u << 2,
	CF_SP_MAX_DISCOUNT_BPS = 1u << 3,
	CF_SP_MIN_DISCOUNT = 1u << 4,
	CF_SP_BID_INCREMENT = 1u << 5,
	CF_SP_AUCTION_METHOD = 1u << 6,
	CF_SP_LOT_DISCOUNT = 1u << 7,
	CF_SP_FIRST_PRIZE_TO_FOREMAN = 1u << 8,
	CF_SP_DIVIDEND_POLICY = 1u << 9,
	CF_SP_DIVIDEND_TIMING = 1u << 10,
	CF_SP_GST_BPS = 1u << 11,
	CF_SP_GST_BORNE_BY = 1u << 12,
	CF_SP_LATE_FEE_BPS = 1u << 13,
	CF_SP_GRACE_DAYS = 1u << 14,
	CF_SP_RULES_PROFILE = 1u << 15,
	/* required parameters: always given at create; PATCH may change them */
	CF_SP_CHIT_VALUE = 1u << 16,
	CF_SP_MEMBER_COUNT = 1u << 17,
	CF_SP_START_DATE = 1u << 18
};

/** A scheme (chit group). Also the scheme repository's row. */
typedef struct cf_scheme {
	char id[CF_ID_SIZE];
	char name[CF_NAME_SIZE];
	cf_scheme_params params; /**< resolved: every default filled in */
	uint32_t params_given;   /**< cf_scheme_param_bit of the explicitly given optionals */
	cf_money subscription;   /**< S = V / N */
	cf_scheme_status status;
	char foreman_id[CF_ID_SIZE];
	char created_by[CF_ID_SIZE];
	char registration_no[CF_REG_NO_SIZE]; /**< "" until commenced */
	char commencement_ref[CF_REF_SIZE];   /**< "" until commenced */
	int64_t created_at_ms;
	int64_t updated_at_ms;
	int64_t commenced_at_ms; /**< 0 until commenced */
	int64_t row_version;     /**< starts at 1; +1 on every update */
} cf_scheme;

/** A caller-owned array of schemes. */
typedef struct cf_scheme_array {
	cf_scheme *items;
	size_t count;
} cf_scheme_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_scheme_array_free(cf_scheme_array *l);

/** A ticket's standing. */
typedef enum cf_ticket_status {
	CF_TICKET_ACTIVE = 0, /**< "active" */
	CF_TICKET_REMOVED = 1 /**< "removed" (defaulter removed) */
} cf_ticket_status;

/** "active" / "removed". */
const char *cf_ticket_status_name(cf_ticket_status s);

/** One ticket of a scheme, held by one user. Also the ticket repository's row. */
typedef struct cf_ticket {
	char id[CF_ID_SIZE];
	char scheme_id[CF_ID_SIZE];
	int32_t ticket_no; /**< 1..member_count, unique per scheme */
	char user_id[CF_ID_SIZE];
	cf_ticket_status status;
	bool prized;
	int32_t prized_installment_no; /**< 0 = null (not prized) */
	int64_t created_at_ms;
	int64_t updated_at_ms;
	int64_t row_version;
} cf_ticket;

/** A caller-owned array of tickets. */
typedef struct cf_ticket_array {
	cf_ticket *items;
	size_t count;
} cf_ticket_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_ticket_array_free(cf_ticket_array *l);

/**
 * One audit log row. `hash` = lowercase hex SHA-256 over `prev_hash` and the
 * row's canonical content (see chitfund/audit.h); the first row's prev_hash is
 * 64 '0' characters. Also the audit repository's row.
 */
typedef struct cf_audit_entry {
	int64_t seq; /**< 1, 2, 3 ... gapless chain position */
	int64_t at_ms;
	char actor_id[CF_ID_SIZE];         /**< "" when anonymous */
	char actor_role[CF_ROLE_SIZE];     /**< cf_role_name of the actor's role */
	char action[CF_AUDIT_ACTION_SIZE]; /**< "user.register", "scheme.open" ... */
	char entity[CF_AUDIT_ENTITY_SIZE]; /**< "user", "scheme", "ticket", "refresh_token" */
	char entity_id[CF_ID_SIZE];
	char summary[CF_AUDIT_SUMMARY_SIZE]; /**< compact JSON {"before":..,"after":..}; no secrets
	                                      */
	char request_id[CF_REQUEST_ID_SIZE];
	char client_addr[CF_CLIENT_ADDR_SIZE];
	char prev_hash[CF_HEX256_SIZE];
	char hash[CF_HEX256_SIZE];
} cf_audit_entry;

/** A caller-owned array of audit entries. */
typedef struct cf_audit_array {
	cf_audit_entry *items;
	size_t count;
} cf_audit_array;
/** Free l->items and zero *l (NULL-safe). */
void cf_audit_array_free(cf_audit_array *l);

#ifdef __cplusplus
}
#endif
#endif
