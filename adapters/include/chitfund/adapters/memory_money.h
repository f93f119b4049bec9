/*
 * chitfund/adapters/memory_money.h - the money repository port
 * (chitfund/sys/money_repo.h) and the overdue source in memory, for tests
 * and embedding.
 *
 * cf_memory_money_ports wraps the ports' unit of work like the draw ports
 * do: begin snapshots the money tables, rollback (or a failed commit)
 * restores them. Transactions are serial (the wrapped store's mutex), so
 * the "locks" of the port are no-ops here.
 */
#ifndef CHITFUND_ADAPTERS_MEMORY_MONEY_H
#define CHITFUND_ADAPTERS_MEMORY_MONEY_H

#include "chitfund/sys/ports.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The in-memory money tables (opaque). */
typedef struct cf_memory_money cf_memory_money;

/** Create empty tables. CF_ENOMEM. Free with cf_memory_money_free. */
int cf_memory_money_new(cf_memory_money **out);
/** Free (NULL-safe). No tx may be open. */
void cf_memory_money_free(cf_memory_money *m);

/**
 * Fill p->money and p->overdue over m and wrap p->uow (which must be filled
 * already, by the store and the draw ports): call it last. Borrows m.
 */
void cf_memory_money_ports(cf_memory_money *m, cf_ports *p);

#ifdef __cplusplus
}
#endif
#endif
