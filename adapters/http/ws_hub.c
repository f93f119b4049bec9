/*
 * ws_hub.c - WebSocket fan-out with bounded per-subscriber queues and a
 * sender pool (see ws_hub.h).
 *
 * One mutex guards the hub. A published frame is allocated once and shared
 * by reference (an atomic count) between the subscribers' rings. A
 * subscriber with frames to send is on the run queue (`scheduled`); a sender
 * that pops it owns it until it puts it back or lets go, so one subscriber
 * is written by one thread at a time, in order. Writes happen outside the
 * lock with `writing` set; unsubscribe marks the record `closed` and waits
 * for `writing` to clear, after which no sender will touch the connection.
 * Records are refcounted (the hub's list holds one reference, the run queue
 * or the owning sender another) so the sender never reads freed memory when
 * unsubscribe races with it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>

#include "ws_hub.h"

/* Frames one sender writes for a subscriber before giving others a turn. */
#define BATCH       32
#define MAX_SENDERS 64

typedef struct frame {
	atomic_int refs;
	int64_t seq;
	size_t len;
	char data[];
} frame;

typedef struct sub {
	void *conn;
	char auction[CF_WS_HUB_ID_MAX + 1];
	frame **ring;
	size_t cap, head, count, bytes;
	int64_t last_seq;
	int refs;
	bool held, dropped, closed, writing, scheduled, close_pending;
	struct sub *run_next;
} sub;

struct cf_ws_hub {
	pthread_mutex_t mu;
	pthread_cond_t work; /* run queue not empty, or stopping */
	pthread_cond_t idle; /* a write finished, a sender let go */
	cf_ws_write_fn write;
	cf_ws_close_fn close;
	size_t max_frames, max_bytes;
	sub **subs;
	size_t nsubs, capsubs;
	sub *run_head, *run_tail;
	int active; /* senders owning a subscriber */
	bool stopping;
	int nthreads;
	pthread_t *threads;
	cf_ws_hub_stats st;
};

static frame *frame_new(const char *data, size_t len, int64_t seq)
{
	frame *f = malloc(sizeof *f + len + 1);

	if (f == NULL)
		return NULL;
	atomic_init(&f->refs, 1);
	f->seq = seq;
	f->len = len;
	if (len)
		memcpy(f->data, data, len);
	f->data[len] = '\0';
	return f;
}

static void frame_unref(frame *f)
{
	if (f && atomic_fetch_sub(&f->refs, 1) == 1)
		free(f);
}

static void sub_clear_queue(sub *s)
{
	while (s->count) {
		frame_unref(s->ring[s->head]);
		s->head = (s->head + 1) % s->cap;
		s->count--;
	}
}

static void sub_unref_locked(sub *s)
{
	if (--s->refs == 0) {
		sub_clear_queue(s);
		free(s->ring);
		free(s);
	}
}

/* Put a subscriber on the run queue (it holds a reference while there). */
static void schedule_locked(cf_ws_hub *h, sub *s)
{
	if (s->scheduled)
		return;
	s->scheduled = true;
	s->refs++;
	s->run_next = NULL;
	if (h->run_tail)
		h->run_tail->run_next = s;
	else
		h->run_head = s;
	h->run_tail = s;
	pthread_cond_signal(&h->work);
}

static void drop_locked(cf_ws_hub *h, sub *s, bool want_close)
{
	if (s->dropped || s->closed)
		return;
	s->dropped = true;
	sub_clear_queue(s);
	h->st.dropped++;
	if (want_close && h->close) {
		s->close_pending = true;
		schedule_locked(h, s);
	}
}

/* Queue f for s, or drop s when its bounds would be exceeded. True: queued. */
static bool enqueue_locked(cf_ws_hub *h, sub *s, frame *f)
{
	size_t cap = s->cap;

	if (s->dropped || s->closed)
		return false;
	if (f->seq > 0) {
		if (f->seq <= s->last_seq)
			return false;
		s->last_seq = f->seq;
	}
	if (s->count >= cap || s->bytes + f->len > h->max_bytes) {
		drop_locked(h, s, true);
		return false;
	}
	atomic_fetch_add(&f->refs, 1);
	s->ring[(s->head + s->count) % cap] = f;
	s->count++;
	s->bytes += f->len;
	h->st.queued++;
	if (!s->held)
		schedule_locked(h, s);
	return true;
}

static frame *dequeue_locked(sub *s)
{
	frame *f = s->ring[s->head];

	s->head = (s->head + 1) % s->cap;
	s->count--;
	s->bytes -= f->len;
	return f;
}

static sub *find_locked(cf_ws_hub *h, void *conn, size_t *idx)
{
	for (size_t i = 0; i < h->nsubs; i++) {
		if (h->subs[i]->conn == conn) {
			if (idx)
				*idx = i;
			return h->subs[i];
		}
	}
	return NULL;
}

/*
 * Write what s has queued (up to BATCH frames), with h->mu held on entry and
 * exit (released around each write). True when s was put back on the run
 * queue for another turn.
 */
static bool serve_locked(cf_ws_hub *h, sub *s)
{
	for (int n = 0;; n++) {
		frame *f;
		int rc;

		if (s->closed)
			return false;
		if (s->dropped) {
			if (s->close_pending) {
				s->close_pending = false;
				s->writing = true;
				pthread_mutex_unlock(&h->mu);
				h->close(s->conn);
				pthread_mutex_lock(&h->mu);
				s->writing = false;
				pthread_cond_broadcast(&h->idle);
			}
			return false;
		}
		if (s->held || s->count == 0)
			return false;
		if (n == BATCH) {
			/* give the others a turn: back to the tail of the run queue */
			s->scheduled = false;
			schedule_locked(h, s);
			return true;
		}
		f = dequeue_locked(s);
		s->writing = true;
		pthread_mutex_unlock(&h->mu);
		rc = h->write(s->conn, f->data, f->len);
		frame_unref(f);
		pthread_mutex_lock(&h->mu);
		s->writing = false;
		if (rc > 0) {
			h->st.sent++;
		} else {
			h->st.write_failures++;
			drop_locked(h, s, false);
		}
		pthread_cond_broadcast(&h->idle);
	}
}

static void *sender_main(void *arg)
{
	cf_ws_hub *h = arg;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		sub *s;

		while (h->run_head == NULL && !h->stopping)
			pthread_cond_wait(&h->work, &h->mu);
		if (h->stopping)
			break;
		s = h->run_head;
		h->run_head = s->run_next;
		if (h->run_head == NULL)
			h->run_tail = NULL;
		s->run_next = NULL;
		h->active++;
		if (!serve_locked(h, s))
			s->scheduled = false;
		h->active--;
		sub_unref_locked(s);
		pthread_cond_broadcast(&h->idle);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

int cf_ws_hub_mg_write(void *conn, const char *data, size_t len)
{
	return mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_TEXT, data, len);
}

void cf_ws_hub_mg_close(void *conn)
{
	static const char body[] = {(char)(CF_WS_HUB_CLOSE_SLOW >> 8),
	                            (char)(CF_WS_HUB_CLOSE_SLOW & 0xff),
	                            's',
	                            'l',
	                            'o',
	                            'w'};

	mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE, body, sizeof body);
}

int cf_ws_hub_new(cf_ws_hub **out, const cf_ws_hub_config *cfg, cf_error *err)
{
	cf_ws_hub *h;
	int n;

	if (out == NULL)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "", "out is NULL");
	*out = NULL;
	n = cfg && cfg->senders ? cfg->senders : CF_WS_HUB_DEFAULT_SENDERS;
	if (n < 1 || n > MAX_SENDERS)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "senders",
		                    "senders must be 1 to %d", MAX_SENDERS);
	h = calloc(1, sizeof *h);
	if (h == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	h->threads = calloc((size_t)n, sizeof *h->threads);
	if (h->threads == NULL) {
		free(h);
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	}
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->work, NULL);
	pthread_cond_init(&h->idle, NULL);
	h->max_frames = cfg && cfg->max_frames ? cfg->max_frames : CF_WS_HUB_DEFAULT_MAX_FRAMES;
	h->max_bytes = cfg && cfg->max_bytes ? cfg->max_bytes : CF_WS_HUB_DEFAULT_MAX_BYTES;
	if (cfg && cfg->write) {
		h->write = cfg->write;
		h->close = cfg->close;
	} else {
		h->write = cf_ws_hub_mg_write;
		h->close = cfg && cfg->close ? cfg->close : cf_ws_hub_mg_close;
	}
	for (int i = 0; i < n; i++) {
		if (pthread_create(&h->threads[i], NULL, sender_main, h) != 0) {
			h->nthreads = i;
			cf_ws_hub_free(h);
			return cf_error_set(err, CF_ERROR, NULL, "", "cannot start sender threads");
		}
	}
	h->nthreads = n;
	*out = h;
	return CF_OK;
}

void cf_ws_hub_free(cf_ws_hub *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->mu);
	h->stopping = true;
	pthread_cond_broadcast(&h->work);
	pthread_mutex_unlock(&h->mu);
	for (int i = 0; i < h->nthreads; i++)
		pthread_join(h->threads[i], NULL);
	/* drain the run queue's references, then the list's */
	while (h->run_head) {
		sub *s = h->run_head;

		h->run_head = s->run_next;
		s->scheduled = false;
		sub_unref_locked(s);
	}
	for (size_t i = 0; i < h->nsubs; i++) {
		h->subs[i]->closed = true;
		sub_unref_locked(h->subs[i]);
	}
	free(h->subs);
	free(h->threads);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->work);
	pthread_cond_destroy(&h->idle);
	free(h);
}

int cf_ws_hub_subscribe(cf_ws_hub *h, const char *auction_id, void *conn, unsigned flags,
                        cf_error *err)
{
	size_t idlen;
	sub *s;

	if (h == NULL || conn == NULL || auction_id == NULL || (flags & ~CF_WS_HUB_HOLD) != 0)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "",
		                    "bad subscribe arguments");
	idlen = strlen(auction_id);
	if (idlen == 0 || idlen > CF_WS_HUB_ID_MAX)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "auction_id",
		                    "auction id must be 1 to %d bytes", CF_WS_HUB_ID_MAX);
	s = calloc(1, sizeof *s);
	if (s) {
		s->cap = h->max_frames;
		s->ring = calloc(s->cap, sizeof *s->ring);
	}
	if (s == NULL || s->ring == NULL) {
		free(s);
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	}
	s->conn = conn;
	memcpy(s->auction, auction_id, idlen + 1);
	s->held = (flags & CF_WS_HUB_HOLD) != 0;
	s->refs = 1;
	pthread_mutex_lock(&h->mu);
	if (find_locked(h, conn, NULL)) {
		pthread_mutex_unlock(&h->mu);
		free(s->ring);
		free(s);
		return cf_error_set(err, CF_EEXISTS, CF_SLUG_CONFLICT, "",
		                    "connection already subscribed");
	}
	if (h->nsubs == h->capsubs) {
		size_t nc = h->capsubs ? h->capsubs * 2 : 16;
		sub **ns = realloc(h->subs, nc * sizeof *ns);

		if (ns == NULL) {
			pthread_mutex_unlock(&h->mu);
			free(s->ring);
			free(s);
			return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
		}
		h->subs = ns;
		h->capsubs = nc;
	}
	h->subs[h->nsubs++] = s;
	pthread_mutex_unlock(&h->mu);
	return CF_OK;
}

int cf_ws_hub_release(cf_ws_hub *h, void *conn, const char *first, size_t len, int64_t first_seq,
                      cf_error *err)
{
	frame *f = NULL;
	sub *s;
	size_t cap;
	int rc = CF_OK;

	if (h == NULL || conn == NULL || (first == NULL && len != 0))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "",
		                    "bad release arguments");
	if (first) {
		f = frame_new(first, len, 0);
		if (f == NULL)
			return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	}
	pthread_mutex_lock(&h->mu);
	s = find_locked(h, conn, NULL);
	if (s == NULL) {
		rc = cf_error_set(err, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "not subscribed");
		goto done;
	}
	if (s->dropped) {
		rc = cf_error_set(err, CF_ECONFLICT, CF_SLUG_CONFLICT, "", "subscriber dropped");
		goto done;
	}
	cap = s->cap;
	if (s->held) {
		/* rebuild the ring: `first`, then held frames newer than first_seq */
		frame **old = malloc(s->count * sizeof *old + 1);
		size_t n = 0;

		if (old == NULL) {
			rc = cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
			goto done;
		}
		while (s->count)
			old[n++] = dequeue_locked(s);
		s->head = 0;
		if (f) {
			s->ring[s->count++] = f;
			s->bytes += f->len;
			h->st.queued++;
			f = NULL;
		}
		for (size_t i = 0; i < n; i++) {
			if (old[i]->seq > 0 && old[i]->seq <= first_seq) {
				frame_unref(old[i]);
			} else if (s->count < cap && s->bytes + old[i]->len <= h->max_bytes) {
				s->ring[(s->head + s->count++) % cap] = old[i];
				s->bytes += old[i]->len;
			} else {
				frame_unref(old[i]);
				drop_locked(h, s, true);
			}
		}
		free(old);
		s->held = false;
		if (first_seq > s->last_seq)
			s->last_seq = first_seq;
		if (!s->dropped && s->count)
			schedule_locked(h, s);
	} else {
		if (first_seq > s->last_seq)
			s->last_seq = first_seq;
		if (f && !enqueue_locked(h, s, f))
			rc = cf_error_set(err, CF_ECONFLICT, CF_SLUG_CONFLICT, "",
			                  "subscriber dropped");
	}
done:
	pthread_mutex_unlock(&h->mu);
	frame_unref(f);
	return rc;
}

void cf_ws_hub_unsubscribe(cf_ws_hub *h, void *conn)
{
	size_t i;
	sub *s;

	if (h == NULL || conn == NULL)
		return;
	pthread_mutex_lock(&h->mu);
	s = find_locked(h, conn, &i);
	if (s) {
		h->subs[i] = h->subs[--h->nsubs];
		s->closed = true;
		sub_clear_queue(s);
		while (s->writing)
			pthread_cond_wait(&h->idle, &h->mu);
		sub_unref_locked(s);
	}
	pthread_mutex_unlock(&h->mu);
}

static int publish(cf_ws_hub *h, const char *auction_id, int64_t seq, const char *json, size_t len,
                   cf_error *err)
{
	frame *f;
	int n = 0;

	if (h == NULL || auction_id == NULL || (json == NULL && len != 0) || seq < 0)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "",
		                    "bad publish arguments");
	f = frame_new(json, len, seq);
	if (f == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	pthread_mutex_lock(&h->mu);
	h->st.published++;
	for (size_t i = 0; i < h->nsubs; i++) {
		sub *s = h->subs[i];

		if (strcmp(s->auction, auction_id) == 0 && enqueue_locked(h, s, f))
			n++;
	}
	pthread_mutex_unlock(&h->mu);
	frame_unref(f);
	return n;
}

int cf_ws_hub_publish(cf_ws_hub *h, const char *auction_id, const char *json, size_t len,
                      cf_error *err)
{
	return publish(h, auction_id, 0, json, len, err);
}

int cf_ws_hub_publish_seq(cf_ws_hub *h, const char *auction_id, int64_t seq, const char *json,
                          size_t len, cf_error *err)
{
	if (seq <= 0)
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "seq", "seq must be > 0");
	return publish(h, auction_id, seq, json, len, err);
}

int cf_ws_hub_send(cf_ws_hub *h, void *conn, const char *json, size_t len, cf_error *err)
{
	frame *f;
	sub *s;
	int rc = CF_OK;

	if (h == NULL || conn == NULL || (json == NULL && len != 0))
		return cf_error_set(err, CF_EINVALID, CF_SLUG_VALIDATION, "", "bad send arguments");
	f = frame_new(json, len, 0);
	if (f == NULL)
		return cf_error_set(err, CF_ENOMEM, NULL, "", "out of memory");
	pthread_mutex_lock(&h->mu);
	s = find_locked(h, conn, NULL);
	if (s == NULL)
		rc = cf_error_set(err, CF_ENOTFOUND, CF_SLUG_NOT_FOUND, "", "not subscribed");
	else if (!enqueue_locked(h, s, f))
		rc = cf_error_set(err, CF_ECONFLICT, CF_SLUG_CONFLICT, "", "subscriber dropped");
	pthread_mutex_unlock(&h->mu);
	frame_unref(f);
	return rc;
}

cf_ws_sub_state cf_ws_hub_state(cf_ws_hub *h, void *conn)
{
	cf_ws_sub_state st = CF_WS_SUB_NONE;
	sub *s;

	if (h == NULL)
		return st;
	pthread_mutex_lock(&h->mu);
	s = find_locked(h, conn, NULL);
	if (s)
		st = s->dropped ? CF_WS_SUB_DROPPED : s->held ? CF_WS_SUB_HELD : CF_WS_SUB_ACTIVE;
	pthread_mutex_unlock(&h->mu);
	return st;
}

int cf_ws_hub_auctions(cf_ws_hub *h, void (*fn)(const char *auction_id, void *user), void *user)
{
	int n = 0;

	if (h == NULL || fn == NULL)
		return 0;
	pthread_mutex_lock(&h->mu);
	for (size_t i = 0; i < h->nsubs; i++) {
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(h->subs[j]->auction, h->subs[i]->auction) == 0;
		if (!seen) {
			fn(h->subs[i]->auction, user);
			n++;
		}
	}
	pthread_mutex_unlock(&h->mu);
	return n;
}

int cf_ws_hub_wait_idle(cf_ws_hub *h, int timeout_ms)
{
	struct timespec until;
	int rc = CF_OK;

	if (h == NULL)
		return CF_EINVALID;
	clock_gettime(CLOCK_REALTIME, &until);
	if (timeout_ms >= 0) {
		until.tv_sec += timeout_ms / 1000;
		until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&h->mu);
	while (h->run_head != NULL || h->active > 0) {
		if (timeout_ms < 0) {
			pthread_cond_wait(&h->idle, &h->mu);
		} else if (pthread_cond_timedwait(&h->idle, &h->mu, &until) == ETIMEDOUT) {
			rc = CF_EUNAVAILABLE;
			break;
		}
	}
	pthread_mutex_unlock(&h->mu);
	return rc;
}

void cf_ws_hub_stats_get(cf_ws_hub *h, cf_ws_hub_stats *out)
{
	if (out == NULL)
		return;
	memset(out, 0, sizeof *out);
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->mu);
	*out = h->st;
	out->subscribers = h->nsubs;
	pthread_mutex_unlock(&h->mu);
}
