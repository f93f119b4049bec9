/*
 * routes.c - the route table: every path of docs/openapi.yaml, its method,
 * handler and the roles api.md allows (0 = public). Finer rules (a
 * scheme's own foreman, a subscriber's own ticket) are the use cases'.
 * The e2e contract test checks this table and openapi.yaml list the same
 * operations.
 */
#include "handlers_auctions.h"
#include "handlers_money.h"
#include "handlers_notifications.h"
#include "http_private.h"

#define ANY        CF_HTTP_ROLE_ANY
#define ADMIN      CF_HTTP_ROLE_ADMIN
#define FOREMAN    CF_HTTP_ROLE_FOREMAN
#define AGENT      CF_HTTP_ROLE_AGENT
#define AUDITOR    CF_HTTP_ROLE_AUDITOR
#define SUBSCRIBER CF_HTTP_ROLE_SUBSCRIBER

static const cf_http_route routes[] = {
        /* operations */
        {"GET", "/healthz", cf_h_healthz, 0},
        {"GET", "/readyz", cf_h_readyz, 0},
        {"GET", "/metrics", cf_h_metrics, 0},
        {"GET", "/openapi.json", cf_h_openapi, 0},
        {"GET", "/docs", cf_h_docs, 0},
        {"GET", "/docs/{file}", cf_h_docs_file, 0},
        /* auth */
        {"POST", "/api/v1/auth/register", cf_h_register, 0},
        {"POST", "/api/v1/auth/login", cf_h_login, 0},
        {"POST", "/api/v1/auth/refresh", cf_h_refresh, 0},
        {"POST", "/api/v1/auth/logout", cf_h_logout, ANY},
        /* users */
        {"GET", "/api/v1/users/me", cf_h_me_get, ANY},
        {"PATCH", "/api/v1/users/me", cf_h_me_patch, ANY},
        {"POST", "/api/v1/users/me/password", cf_h_me_password, ANY},
        {"GET", "/api/v1/users/me/tickets", cf_h_me_tickets, ANY},
        {"GET", "/api/v1/users", cf_h_users_list, ADMIN | FOREMAN | AUDITOR},
        {"GET", "/api/v1/users/{id}", cf_h_users_get, ADMIN | FOREMAN | AUDITOR},
        {"PATCH", "/api/v1/users/{id}", cf_h_users_patch, ADMIN},
        /* schemes */
        {"POST", "/api/v1/schemes", cf_h_schemes_create, ADMIN | FOREMAN},
        {"GET", "/api/v1/schemes", cf_h_schemes_list, ANY},
        {"GET", "/api/v1/schemes/{id}", cf_h_schemes_get, ANY},
        {"PATCH", "/api/v1/schemes/{id}", cf_h_schemes_patch, ADMIN | FOREMAN},
        {"POST", "/api/v1/schemes/{id}/open", cf_h_schemes_open, ADMIN | FOREMAN},
        {"POST", "/api/v1/schemes/{id}/agents", cf_h_schemes_agent_add, ADMIN | FOREMAN},
        {"DELETE", "/api/v1/schemes/{id}/agents/{user_id}", cf_h_schemes_agent_del,
         ADMIN | FOREMAN},
        {"POST", "/api/v1/schemes/{id}/members", cf_h_schemes_enrol, ADMIN | FOREMAN | SUBSCRIBER},
        {"GET", "/api/v1/schemes/{id}/members", cf_h_schemes_members, ANY},
        {"POST", "/api/v1/schemes/{id}/commence", cf_h_schemes_commence, ADMIN | FOREMAN},
        {"GET", "/api/v1/schemes/{id}/schedule", cf_h_schemes_schedule, ANY},
        /* audit */
        {"GET", "/api/v1/audit", cf_h_audit_list, ADMIN | AUDITOR},
        /* money (issue 5) */
        {"POST", "/api/v1/payments", cf_h_payments_create, ADMIN | FOREMAN | AGENT | SUBSCRIBER},
        {"GET", "/api/v1/payments/{id}", cf_h_payments_get, ANY},
        {"POST", "/api/v1/payments/{id}/bounce", cf_h_payments_bounce, ADMIN | FOREMAN | AGENT},
        {"GET", "/api/v1/receipts/{receipt_no}", cf_h_receipts_get, ANY},
        {"GET", "/api/v1/receipts/{prefix}/{fy}/{seq}", cf_h_receipts_get3, ANY},
        {"GET", "/api/v1/schemes/{id}/payments", cf_h_scheme_payments, ANY},
        {"GET", "/api/v1/schemes/{id}/ledger", cf_h_scheme_ledger,
         ADMIN | FOREMAN | AGENT | AUDITOR},
        {"GET", "/api/v1/schemes/{id}/defaulters", cf_h_scheme_defaulters,
         ADMIN | FOREMAN | AGENT | AUDITOR},
        {"POST", "/api/v1/schemes/{id}/members/{ticket_no}/remove", cf_h_member_remove,
         ADMIN | FOREMAN},
        {"POST", "/api/v1/schemes/{id}/members/{ticket_no}/reinstate", cf_h_member_reinstate,
         ADMIN | FOREMAN},
        {"POST", "/api/v1/schemes/{id}/members/{ticket_no}/substitute", cf_h_member_substitute,
         ADMIN | FOREMAN},
        {"POST", "/api/v1/schemes/{id}/members/{ticket_no}/demand", cf_h_member_demand,
         ADMIN | FOREMAN},
        {"GET", "/api/v1/schemes/{id}/members/{ticket_no}/statement", cf_h_member_statement, ANY},
        {"POST", "/api/v1/schemes/{id}/terminate", cf_h_scheme_terminate, ADMIN | FOREMAN},
        {"POST", "/api/v1/auctions/{id}/security", cf_h_auction_security, ADMIN | FOREMAN},
        {"POST", "/api/v1/auctions/{id}/no-security", cf_h_auction_no_security,
         ADMIN | FOREMAN | SUBSCRIBER},
        {"POST", "/api/v1/auctions/{id}/disbursement", cf_h_auction_disbursement, ADMIN | FOREMAN},
        {"GET", "/api/v1/disbursements", cf_h_disbursements_list, ADMIN | FOREMAN | AUDITOR},
        {"POST", "/api/v1/disbursements/{id}/approve", cf_h_disbursements_approve, ADMIN | FOREMAN},
        {"GET", "/api/v1/reports/{report}", cf_h_reports, ADMIN | FOREMAN | AGENT | AUDITOR},
        /* draws (issue 4) */
        {"POST", "/api/v1/schemes/{id}/auctions", cf_h_auctions_create, ADMIN | FOREMAN},
        {"GET", "/api/v1/schemes/{id}/auctions", cf_h_auctions_list, ANY},
        {"GET", "/api/v1/auctions/{id}", cf_h_auctions_get, ANY},
        {"POST", "/api/v1/auctions/{id}/open", cf_h_auctions_open, ADMIN | FOREMAN},
        {"POST", "/api/v1/auctions/{id}/bids", cf_h_auctions_bid, ADMIN | FOREMAN | SUBSCRIBER},
        {"POST", "/api/v1/auctions/{id}/close", cf_h_auctions_close, ADMIN | FOREMAN},
        {"GET", "/api/v1/auctions/{id}/minutes", cf_h_auctions_minutes, ANY},
        {"GET", "/api/v1/auctions/{id}/live", cf_h_auctions_live, ANY},
        /* notifications (the outbox; own only) */
        {"GET", "/api/v1/users/me/notifications", cf_h_me_notifications, ANY},
        {"POST", "/api/v1/users/me/notifications/{id}/read", cf_h_me_notification_read, ANY},
};

const cf_http_route *cf_http_routes(size_t *n)
{
	*n = sizeof routes / sizeof routes[0];
	return routes;
}
