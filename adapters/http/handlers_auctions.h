/*
 * handlers_auctions.h - the draw routes (api.md "Auctions (draws)", issue 4):
 * create and list a scheme's auctions, read, open, bid, close, minutes.
 * Private to adapters/http (routes.c).
 */
#ifndef CF_HANDLERS_AUCTIONS_H
#define CF_HANDLERS_AUCTIONS_H

#include <cjson/cJSON.h>

#include "chitfund/auctions.h"
#include "http_private.h"

int cf_h_auctions_create(cf_http_req *r);
int cf_h_auctions_list(cf_http_req *r);
int cf_h_auctions_get(cf_http_req *r);
int cf_h_auctions_open(cf_http_req *r);
int cf_h_auctions_bid(cf_http_req *r);
int cf_h_auctions_close(cf_http_req *r);
int cf_h_auctions_minutes(cf_http_req *r);
/** GET /auctions/{id}/live without a WebSocket upgrade: 426 upgrade-required. */
int cf_h_auctions_live(cf_http_req *r);

/** The auction object of api.md for a view (bids only when v->staff). NULL on OOM. */
cJSON *cf_json_auction(const cf_auction_view *v);
/** The close response (the settlement) as a cJSON object. NULL on OOM. */
cJSON *cf_json_auction_result(const cf_auction_result *res);
/** A bid object {ticket_no, discount, placed_at, proxy_by, seq}. NULL on OOM. */
cJSON *cf_json_bid(const cf_bid_row *b);

#endif
