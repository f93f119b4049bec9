/*
 * chitfund/adapters/postgres_money.h - the money ports in PostgreSQL
 * (migrations/0020_money.sql): the money repository and the overdue source,
 * sharing the store's transactions.
 */
#ifndef CHITFUND_ADAPTERS_POSTGRES_MONEY_H
#define CHITFUND_ADAPTERS_POSTGRES_MONEY_H

#include "chitfund/adapters/postgres.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Fill out->money and out->overdue with ports over s (borrowed). Call after
 * cf_pg_store_ports (the overdue source replaces any earlier one).
 */
void cf_pg_money_ports(cf_pg_store *s, cf_ports *out);

#ifdef __cplusplus
}
#endif
#endif
