/*
 * handlers_money.h - the money routes (api.md "Money", issue 5): payments,
 * receipts, bounce, security, no-security, disbursements, defaulters,
 * member removal/reinstatement/substitution/demand, termination, ledger,
 * statements and reports. Private to adapters/http (routes.c).
 */
#ifndef CF_HANDLERS_MONEY_H
#define CF_HANDLERS_MONEY_H

#include "http_private.h"

int cf_h_payments_create(cf_http_req *r);
int cf_h_payments_get(cf_http_req *r);
int cf_h_payments_bounce(cf_http_req *r);
int cf_h_receipts_get(cf_http_req *r);
int cf_h_receipts_get3(cf_http_req *r);
int cf_h_scheme_payments(cf_http_req *r);
int cf_h_auction_security(cf_http_req *r);
int cf_h_auction_no_security(cf_http_req *r);
int cf_h_auction_disbursement(cf_http_req *r);
int cf_h_disbursements_list(cf_http_req *r);
int cf_h_disbursements_approve(cf_http_req *r);
int cf_h_scheme_defaulters(cf_http_req *r);
int cf_h_member_remove(cf_http_req *r);
int cf_h_member_reinstate(cf_http_req *r);
int cf_h_member_substitute(cf_http_req *r);
int cf_h_member_demand(cf_http_req *r);
int cf_h_member_statement(cf_http_req *r);
int cf_h_scheme_terminate(cf_http_req *r);
int cf_h_scheme_ledger(cf_http_req *r);
int cf_h_reports(cf_http_req *r);

/**
 * Canonical text of a JSON value (object keys sorted, no whitespace), so
 * requests equal as JSON compare equal. malloc'd (free()); NULL on OOM.
 */
char *cf_http_json_canonical(const cJSON *v);

#endif
