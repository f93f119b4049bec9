/* pg_money.h - private to adapters/postgres: the money ports filler. */
#ifndef CF_PG_MONEY_H
#define CF_PG_MONEY_H

#include "pg_adapter.h"

/* Fill out->money and out->overdue over s (call after the draw ports). */
void cf_pgad_money_ports(cf_pg_store *s, cf_ports *out);

#endif
