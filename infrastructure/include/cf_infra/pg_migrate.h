/*
 * cf_infra/pg_migrate.h - the forward-only migration runner.
 *
 * A migrations directory holds files named NNNN_description.sql (four or
 * more digits, an underscore, [a-z0-9_]+, ".sql"); the number is the
 * version. They are applied in version order, each once, each in its own
 * transaction together with its row in schema_migrations(version, name,
 * checksum, applied_at). The checksum is the lowercase hex SHA-256 of the
 * file's bytes; an applied file whose checksum changed is an error naming
 * the file. Concurrent migrators (several servers starting at once) are
 * serialised with a session advisory lock. Migration files must not contain
 * BEGIN/COMMIT or statements that cannot run inside a transaction (CREATE
 * INDEX CONCURRENTLY ...). Versions recorded in the database but absent
 * from the directory (a newer schema than this binary) are tolerated.
 */
#ifndef CF_INFRA_PG_MIGRATE_H
#define CF_INFRA_PG_MIGRATE_H

#include <stdbool.h>

#include "cf_infra/pg.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Environment variable naming the migrations directory. */
#define CF_MIGRATIONS_DIR_ENV "CHITFUND_MIGRATIONS_DIR"
/** Default migrations directory, relative to the working directory. */
#define CF_MIGRATIONS_DIR_DEFAULT "migrations"

/** The directory to use: $CHITFUND_MIGRATIONS_DIR when set and not empty, else "migrations". */
const char *cf_pg_migrations_dir(void);

/**
 * Apply every pending migration of `dir` on connection c (which must not be
 * inside a transaction). *applied (when not NULL) gets the number applied.
 * Errors (err->field names the file where there is one):
 *   CF_EINVALID  "migration-dir-invalid": unreadable directory, a badly
 *                named .sql file, a duplicate version;
 *   CF_ECONFLICT "migration-checksum-mismatch": an applied file changed;
 *   the mapped SQLSTATE status ("migration-failed") when a file fails: its
 *                transaction is rolled back and earlier files stay applied.
 */
int cf_pg_migrate(cf_pg_conn *c, const char *dir, int *applied, cf_error *err);

/** cf_pg_migrate on a connection taken from (and returned to) pool. */
int cf_pg_pool_migrate(cf_pg_pool *pool, const char *dir, int *applied, cf_error *err);

/**
 * Are all migrations of `dir` applied with matching checksums? *current is
 * set (for /readyz); *pending (when not NULL) counts the files not yet
 * applied. A changed checksum sets *current = false and returns
 * CF_ECONFLICT naming the file. CF_EUNAVAILABLE when the database is down.
 * Does not take the advisory lock and changes nothing.
 */
int cf_pg_migrations_current(cf_pg_conn *c, const char *dir, bool *current, int *pending,
                             cf_error *err);

/**
 * SHA-256 of a file's bytes as 64 lowercase hex characters plus NUL in hex
 * (cap >= 65). CF_EINVALID when it cannot be read.
 */
int cf_pg_file_sha256(const char *path, char *hex, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
