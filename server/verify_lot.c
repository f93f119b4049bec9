/* verify_lot.c - `chitfund-server verify-lot`: re-check a lot from minutes JSON. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/sha.h>

#include "chitfund/auctions.h"
#include "chitfund/domain/lot.h"
#include "verify_lot.h"

#define MAX_MINUTES (8u * 1024u * 1024u)

static void sha256(const void *data, size_t len, uint8_t out[32])
{
	SHA256(data, len, out);
}

static char *read_all(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		size_t n;

		if (len + 4096 + 1 > cap) {
			char *p;

			cap = cap ? cap * 2 : 65536;
			if (cap > MAX_MINUTES || (p = realloc(buf, cap)) == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0) {
			buf[len] = '\0';
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

int cf_server_verify_lot(const char *path)
{
	char *text = read_all(path ? path : "-");
	cJSON *doc, *proof, *c, *result;
	const cJSON *aid, *commitment, *seed, *index, *winner;
	int32_t cands[CF_LOT_MAX_CANDIDATES];
	size_t n = 0;
	int rc = 2;

	if (text == NULL) {
		fprintf(stderr, "verify-lot: cannot read %s\n", path ? path : "-");
		return 2;
	}
	doc = cJSON_Parse(text);
	free(text);
	aid = cJSON_GetObjectItemCaseSensitive(doc, "auction_id");
	proof = cJSON_GetObjectItemCaseSensitive(doc, "lot_proof");
	result = cJSON_GetObjectItemCaseSensitive(doc, "result");
	winner = cJSON_GetObjectItemCaseSensitive(result, "winner_ticket_no");
	if (!cJSON_IsString(aid) || proof == NULL || !cJSON_IsNumber(winner) ||
	    winner->valuedouble < 1 || winner->valuedouble > 1000000 ||
	    winner->valuedouble != (double)(int32_t)winner->valuedouble) {
		fprintf(stderr, "verify-lot: not the minutes of a draw (auction_id, lot_proof and "
		                "result.winner_ticket_no are required)\n");
		goto out;
	}
	if (cJSON_IsNull(proof)) {
		printf("verify-lot: draw %s was not decided by lot; nothing to check\n",
		       aid->valuestring);
		rc = 0;
		goto out;
	}
	commitment = cJSON_GetObjectItemCaseSensitive(proof, "commitment");
	seed = cJSON_GetObjectItemCaseSensitive(proof, "seed");
	index = cJSON_GetObjectItemCaseSensitive(proof, "index");
	if (!cJSON_IsString(commitment) || !cJSON_IsString(seed) || !cJSON_IsNumber(index) ||
	    index->valuedouble < 0 || index->valuedouble > 1000000 ||
	    index->valuedouble != (double)(int32_t)index->valuedouble ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(proof, "candidates"))) {
		fprintf(stderr,
		        "verify-lot: lot_proof needs commitment, seed, candidates, index\n");
		goto out;
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(proof, "candidates"))
	{
		if (!cJSON_IsNumber(c) || n >= CF_LOT_MAX_CANDIDATES || c->valuedouble < 1 ||
		    c->valuedouble > 1000000 || c->valuedouble != (double)(int32_t)c->valuedouble) {
			fprintf(stderr, "verify-lot: candidates must be ticket numbers\n");
			goto out;
		}
		cands[n++] = (int32_t)c->valuedouble;
	}
	if (index->valuedouble < 0 || index->valuedouble >= (double)n ||
	    cf_lot_recheck(commitment->valuestring, seed->valuestring, aid->valuestring, cands, n,
	                   (size_t)index->valuedouble, (int32_t)winner->valuedouble,
	                   sha256) != CF_OK) {
		printf("verify-lot: draw %s: the lot does NOT hold\n", aid->valuestring);
		rc = 1;
		goto out;
	}
	printf("verify-lot: draw %s: commitment matches the seed; index %d of %zu candidates "
	       "gives ticket %d, the recorded winner\n",
	       aid->valuestring, (int)index->valuedouble, n, (int)winner->valuedouble);
	rc = 0;
out:
	cJSON_Delete(doc);
	return rc;
}
