/*
 * pg_migrate.c - forward-only migrations: NNNN_name.sql files applied in
 * order, each once, each in its own transaction, recorded with a SHA-256
 * checksum in schema_migrations; concurrent migrators serialised by a
 * session advisory lock.
 *
 * A migration file's text is sent as one simple-protocol query (it holds
 * several DDL statements); it is trusted, static SQL from the repository
 * and never contains values. Everything else here is parameterised.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cf_infra/pg_migrate.h"

/* pg_advisory_lock key: "cfmigrat" as a big-endian 64-bit number. */
#define MIGRATION_LOCK_KEY "7162223103706587508"

typedef struct mfile {
	int64_t version;
	char *name; /* file name, e.g. "0001_init.sql" */
} mfile;

typedef struct mlist {
	mfile *v;
	size_t n, cap;
} mlist;

static void mlist_free(mlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

const char *cf_pg_migrations_dir(void)
{
	const char *d = getenv(CF_MIGRATIONS_DIR_ENV);

	return (d && *d) ? d : CF_MIGRATIONS_DIR_DEFAULT;
}

/* "NNNN_name.sql": 4+ digits, '_', [a-z0-9_]+, ".sql". */
static bool parse_name(const char *s, int64_t *version)
{
	size_t len = strlen(s), i = 0, digits;
	int64_t v = 0;

	if (len < 4 || strcmp(s + len - 4, ".sql") != 0)
		return false;
	while (s[i] >= '0' && s[i] <= '9') {
		if (v > (INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (s[i] - '0');
		i++;
	}
	digits = i;
	if (digits < 4 || s[i] != '_')
		return false;
	i++;
	if (i >= len - 4)
		return false;
	for (; i < len - 4; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
			return false;
	}
	*version = v;
	return true;
}

static int cmp_mfile(const void *a, const void *b)
{
	const mfile *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static int list_dir(const char *dir, mlist *out, cf_error *err)
{
	DIR *d;
	struct dirent *e;
	size_t i;

	memset(out, 0, sizeof *out);
	if (dir == NULL)
		return cf_error_set(err, CF_EINVALID, "migration-dir-invalid", "", "no directory");
	d = opendir(dir);
	if (d == NULL)
		return cf_error_set(err, CF_EINVALID, "migration-dir-invalid", "",
		                    "cannot read migrations directory %s: %s", dir,
		                    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		int64_t v;
		size_t len = strlen(e->d_name);

		if (len < 4 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		if (!parse_name(e->d_name, &v)) {
			cf_error_set(err, CF_EINVALID, "migration-dir-invalid", e->d_name,
			             "migration file %s is not named NNNN_description.sql",
			             e->d_name);
			closedir(d);
			mlist_free(out);
			return CF_EINVALID;
		}
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 16;
			mfile *g = realloc(out->v, cap * sizeof *g);

			if (g == NULL) {
				closedir(d);
				mlist_free(out);
				return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
			}
			out->v = g;
			out->cap = cap;
		}
		out->v[out->n].version = v;
		out->v[out->n].name = strdup(e->d_name);
		if (out->v[out->n].name == NULL) {
			closedir(d);
			mlist_free(out);
			return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
		}
		out->n++;
	}
	closedir(d);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_mfile);
	for (i = 1; i < out->n; i++) {
		if (out->v[i].version == out->v[i - 1].version) {
			cf_error_set(err, CF_EINVALID, "migration-dir-invalid", out->v[i].name,
			             "migrations %s and %s have the same version",
			             out->v[i - 1].name, out->v[i].name);
			mlist_free(out);
			return CF_EINVALID;
		}
	}
	return CF_OK;
}

/* Read a whole file (NUL-terminated copy in *text). */
static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	*text = NULL;
	*len = 0;
	if (f == NULL)
		return CF_EINVALID;
	for (;;) {
		if (cap - n < 4096) {
			size_t ncap = cap ? cap * 2 : 16384;
			char *g = realloc(buf, ncap + 1);

			if (g == NULL) {
				free(buf);
				fclose(f);
				return CF_ENOMEM;
			}
			buf = g;
			cap = ncap;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return CF_EINVALID;
	}
	fclose(f);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return CF_OK;
}

static void sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	static const char digits[] = "0123456789abcdef";

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < mdlen && i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

int cf_pg_file_sha256(const char *path, char *hex, size_t cap)
{
	char *text;
	size_t len;
	int rc;

	if (hex == NULL || cap < 65)
		return CF_EBUFFER;
	rc = read_file(path, &text, &len);
	if (rc != CF_OK)
		return rc;
	sha256_hex(text, len, hex);
	free(text);
	return CF_OK;
}

static int join_path(const char *dir, const char *name, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "%s/%s", dir, name);

	return (n < 0 || (size_t)n >= cap) ? CF_EBUFFER : CF_OK;
}

/* Does schema_migrations exist? */
static int table_exists(cf_pg_conn *c, bool *exists, cf_error *err)
{
	PGresult *r;
	int rc =
	        cf_pg_exec(c, "SELECT to_regclass('schema_migrations') IS NOT NULL", NULL, &r, err);

	if (rc != CF_OK)
		return rc;
	rc = cf_pg_get_bool(r, 0, 0, exists);
	PQclear(r);
	return rc == CF_OK ? CF_OK : cf_error_set(err, CF_ERROR, NULL, "", "unexpected result");
}

/* Checksum recorded for `version`: *found, hex into sum. */
static int applied_checksum(const PGresult *rows, int64_t version, bool *found, char sum[65])
{
	int i, n = rows ? PQntuples(rows) : 0;

	*found = false;
	for (i = 0; i < n; i++) {
		int64_t v;

		if (cf_pg_get_int64(rows, i, 0, &v) != CF_OK)
			return CF_ERROR;
		if (v == version) {
			*found = true;
			return cf_pg_get_text(rows, i, 1, sum, 65) == CF_OK ? CF_OK : CF_ERROR;
		}
	}
	return CF_OK;
}

static int load_applied(cf_pg_conn *c, PGresult **rows, cf_error *err)
{
	return cf_pg_exec(c, "SELECT version, checksum FROM schema_migrations ORDER BY version",
	                  NULL, rows, err);
}

static int apply_one(cf_pg_conn *c, const char *dir, const mfile *m, const char *text,
                     const char *sum, cf_error *err)
{
	PGresult *r;
	cf_pg_params p;
	int rc;

	(void)dir;
	rc = cf_pg_begin(c, CF_PG_READ_COMMITTED, err);
	if (rc != CF_OK)
		return rc;
	r = PQexec(cf_pg_conn_pg(c), text);
	rc = cf_pg_check(cf_pg_conn_pg(c), r, NULL);
	if (rc != CF_OK) {
		const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
		const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

		cf_error_set(err, rc, "migration-failed", m->name, "migration %s failed (%s): %s",
		             m->name, state ? state : "no SQLSTATE", primary ? primary : "");
		PQclear(r);
		cf_pg_rollback(c);
		return rc;
	}
	PQclear(r);
	cf_pg_params_init(&p);
	cf_pg_param_int64(&p, m->version);
	cf_pg_param_text(&p, m->name);
	cf_pg_param_text(&p, sum);
	rc = cf_pg_exec(c,
	                "INSERT INTO schema_migrations (version, name, checksum) "
	                "VALUES ($1::bigint, $2, $3)",
	                &p, NULL, err);
	if (rc == CF_OK)
		rc = cf_pg_commit(c, err);
	if (rc != CF_OK)
		cf_pg_rollback(c);
	return rc;
}

static int migrate_locked(cf_pg_conn *c, const char *dir, const mlist *files, int *applied,
                          cf_error *err)
{
	PGresult *rows = NULL;
	size_t i;
	int rc;
	bool exists;
	char path[4096];

	rc = table_exists(c, &exists, err);
	if (rc != CF_OK)
		return rc;
	if (!exists) {
		rc = cf_pg_exec(c,
		                "CREATE TABLE schema_migrations ("
		                " version bigint PRIMARY KEY,"
		                " name text NOT NULL,"
		                " checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),"
		                " applied_at timestamptz NOT NULL DEFAULT now())",
		                NULL, NULL, err);
		if (rc != CF_OK)
			return rc;
	}
	rc = load_applied(c, &rows, err);
	if (rc != CF_OK)
		return rc;
	for (i = 0; i < files->n; i++) {
		const mfile *m = &files->v[i];
		char sum[65], have[65];
		char *text;
		size_t len;
		bool found;

		if (join_path(dir, m->name, path, sizeof path) != CF_OK) {
			rc = cf_error_set(err, CF_EINVALID, "migration-dir-invalid", m->name,
			                  "path too long");
			break;
		}
		rc = read_file(path, &text, &len);
		if (rc != CF_OK) {
			rc = cf_error_set(err, rc, "migration-dir-invalid", m->name,
			                  "cannot read migration %s", m->name);
			break;
		}
		if (strlen(text) != len) {
			free(text);
			rc = cf_error_set(err, CF_EINVALID, "migration-dir-invalid", m->name,
			                  "migration %s contains a NUL byte", m->name);
			break;
		}
		sha256_hex(text, len, sum);
		if (applied_checksum(rows, m->version, &found, have) != CF_OK) {
			free(text);
			rc = cf_error_set(err, CF_ERROR, NULL, "", "unreadable schema_migrations");
			break;
		}
		if (found) {
			free(text);
			if (strcmp(have, sum) != 0) {
				rc = cf_error_set(err, CF_ECONFLICT, "migration-checksum-mismatch",
				                  m->name,
				                  "migration %s was changed after it was applied "
				                  "(checksum %.12s..., recorded %.12s...)",
				                  m->name, sum, have);
				break;
			}
			continue;
		}
		rc = apply_one(c, dir, m, text, sum, err);
		free(text);
		if (rc != CF_OK)
			break;
		if (applied)
			(*applied)++;
	}
	PQclear(rows);
	return rc;
}

int cf_pg_migrate(cf_pg_conn *c, const char *dir, int *applied, cf_error *err)
{
	mlist files;
	cf_pg_params p;
	int rc, rc2;

	if (applied)
		*applied = 0;
	if (c == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "", "no connection");
	rc = list_dir(dir, &files, err);
	if (rc != CF_OK)
		return rc;
	cf_pg_params_init(&p);
	cf_pg_param_text(&p, MIGRATION_LOCK_KEY);
	rc = cf_pg_exec(c, "SELECT pg_advisory_lock($1::bigint)", &p, NULL, err);
	if (rc != CF_OK) {
		mlist_free(&files);
		return rc;
	}
	rc = migrate_locked(c, dir, &files, applied, err);
	rc2 = cf_pg_exec(c, "SELECT pg_advisory_unlock($1::bigint)", &p, NULL,
	                 rc == CF_OK ? err : NULL);
	mlist_free(&files);
	return rc != CF_OK ? rc : rc2;
}

int cf_pg_pool_migrate(cf_pg_pool *pool, const char *dir, int *applied, cf_error *err)
{
	cf_pg_conn *c;
	int rc = cf_pg_pool_acquire(pool, &c, err);

	if (applied)
		*applied = 0;
	if (rc != CF_OK)
		return rc;
	rc = cf_pg_migrate(c, dir, applied, err);
	cf_pg_pool_release(pool, c);
	return rc;
}

int cf_pg_migrations_current(cf_pg_conn *c, const char *dir, bool *current, int *pending,
                             cf_error *err)
{
	mlist files;
	PGresult *rows = NULL;
	size_t i;
	int rc, missing = 0;
	bool exists;
	char path[4096];

	if (current)
		*current = false;
	if (pending)
		*pending = 0;
	if (c == NULL || current == NULL)
		return cf_error_set(err, CF_EINVALID, NULL, "", "no connection");
	rc = list_dir(dir, &files, err);
	if (rc != CF_OK)
		return rc;
	rc = table_exists(c, &exists, err);
	if (rc == CF_OK && exists)
		rc = load_applied(c, &rows, err);
	for (i = 0; rc == CF_OK && i < files.n; i++) {
		char sum[65], have[65];
		bool found = false;

		if (rows && applied_checksum(rows, files.v[i].version, &found, have) != CF_OK) {
			rc = cf_error_set(err, CF_ERROR, NULL, "", "unreadable schema_migrations");
			break;
		}
		if (!found) {
			missing++;
			continue;
		}
		if (join_path(dir, files.v[i].name, path, sizeof path) != CF_OK ||
		    cf_pg_file_sha256(path, sum, sizeof sum) != CF_OK) {
			rc = cf_error_set(err, CF_EINVALID, "migration-dir-invalid",
			                  files.v[i].name, "cannot read migration %s",
			                  files.v[i].name);
			break;
		}
		if (strcmp(sum, have) != 0)
			rc = cf_error_set(
			        err, CF_ECONFLICT, "migration-checksum-mismatch", files.v[i].name,
			        "migration %s was changed after it was applied", files.v[i].name);
	}
	PQclear(rows);
	mlist_free(&files);
	if (rc != CF_OK)
		return rc;
	if (pending)
		*pending = missing;
	*current = (missing == 0);
	return CF_OK;
}
