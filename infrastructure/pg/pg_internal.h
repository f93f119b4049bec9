/* pg_internal.h - private to infrastructure/pg: the pooled connection struct. */
#ifndef CF_INFRA_PG_INTERNAL_H
#define CF_INFRA_PG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cf_infra/pg.h"

/* One statement name prepared on a connection. */
typedef struct cf_pg_prepared {
	uint64_t hash;
	char *name;
} cf_pg_prepared;

struct cf_pg_conn {
	PGconn *pg;
	const char *begin_sql; /* cf_pg_begin_lazy: sent with the next statement */
	cf_pg_pool *pool;      /* NULL for a standalone connection */
	cf_pg_conn *next;      /* idle list */
	cf_pg_prepared *prepared;
	size_t nprepared;
	size_t capprepared;
};

#endif
