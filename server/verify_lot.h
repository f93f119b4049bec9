/*
 * verify_lot.h - `chitfund-server verify-lot FILE|-`: re-check the lot of a
 * draw from its minutes JSON (GET /api/v1/auctions/{id}/minutes), with no
 * database and no secrets. docs/lot-verification.md explains the procedure.
 */
#ifndef CF_SERVER_VERIFY_LOT_H
#define CF_SERVER_VERIFY_LOT_H

/**
 * Read minutes JSON from `path` ("-": stdin) and check its lot_proof:
 * commitment = SHA-256(seed), and the winner is candidates[index] with
 * index = first 8 bytes of SHA-256(seed + auction_id + "c1,c2,...")
 * (big-endian) mod the number of candidates. Prints one line saying what
 * was checked. Returns the process exit status: 0 when the lot holds (or
 * the draw had no lot: nothing to check), 1 when it does not, 2 when the
 * input cannot be read or is not minutes JSON.
 */
int cf_server_verify_lot(const char *path);

#endif
