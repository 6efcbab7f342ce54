/* loader.c: a scan on its own thread and its own read-only database
 * handle, delivering bounces in batches so that the first screenful shows
 * before the whole result set is read (libnotmuch has no offset/limit). */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib-unix.h>
#include "store-private.h"

/* Bounces handed over but not taken yet, at most: a loader reading a list
 * file outruns any screen, and each bounce waiting is ~1.4 KB. */
#define LOADER_AHEAD 16384

struct bt_loader {
	bt_store_t *store;
	char *query;
	unsigned flags;
	guint batch;
	GThread *thread;
	int pipe[2];

	GMutex lock;
	GCond cond;
	GPtrArray *ready;      /* of bt_bounce_t *, delivered */
	GPtrArray *errors;     /* of char * */
	bt_scan_stats_t stats;
	GError *error;
	GError *query_error;   /* the first search failed: a bad query */
	bool cancel, started, finished;
	bool unbounded;        /* bt_loader_wait: nobody takes until the end */
};

/* Hand pending over under the lock. */
static void
loader_deliver (bt_loader_t *l, GPtrArray *pending, const bt_scan_stats_t *stats, bool end)
{
	g_mutex_lock (&l->lock);
	while (!end && l->ready->len >= LOADER_AHEAD && !l->cancel && !l->unbounded)
		g_cond_wait (&l->cond, &l->lock);
	for (guint i = 0; i < pending->len; i++)
		g_ptr_array_add (l->ready, pending->pdata[i]);
	g_ptr_array_set_size (pending, 0);
	if (stats)
		l->stats = *stats;
	if (end)
		l->finished = true;
	g_cond_broadcast (&l->cond);
	g_mutex_unlock (&l->lock);
	bt_store_wake (l->pipe[1]);
}

static bool
loader_cancelled (bt_loader_t *l)
{
	bool cancel;

	g_mutex_lock (&l->lock);
	cancel = l->cancel;
	g_mutex_unlock (&l->lock);
	return cancel;
}

/* Read scan to its end (or a cancel), handing over every batch. */
static void
loader_run (bt_loader_t *l, bt_scan_t *scan, GPtrArray *pending)
{
	while (!loader_cancelled (l) && !bt_scan_done (scan)) {
		GError *e = NULL;
		bt_bounce_t *b = bt_scan_next (scan, &e);

		if (e) {
			g_mutex_lock (&l->lock);
			g_ptr_array_add (l->errors, g_strdup (e->message));
			g_mutex_unlock (&l->lock);
			g_error_free (e);
			continue;
		}
		if (b == NULL)
			continue;
		g_ptr_array_add (pending, b);
		if (pending->len >= l->batch)
			loader_deliver (l, pending, bt_scan_stats (scan), false);
	}
}

/* The loader's own read-only handle, or NULL with *error. */
static notmuch_database_t *
loader_open (bt_loader_t *l, GError **error)
{
	notmuch_database_t *db = NULL;
	char *msg = NULL;
	notmuch_status_t st = bt_store_db_open (l->store, NOTMUCH_DATABASE_MODE_READ_ONLY, &db, &msg);

	if (st != NOTMUCH_STATUS_SUCCESS)
		bt_error_set (error, BT_ERR_DB, "cannot open the notmuch database: %s",
			      msg ? msg : notmuch_status_to_string (st));
	free (msg);
	return st == NOTMUCH_STATUS_SUCCESS ? db : NULL;
}

/* The first search succeeded or failed (or never ran): bt_loader_start may
 * return.  Takes query_error. */
static void
loader_started (bt_loader_t *l, GError *query_error)
{
	g_mutex_lock (&l->lock);
	l->started = true;
	l->query_error = query_error;
	g_cond_broadcast (&l->cond);
	g_mutex_unlock (&l->lock);
}

static void *
loader_main (void *data)
{
	bt_loader_t *l = data;
	notmuch_database_t *db;
	bt_scan_t *scan = NULL;
	GPtrArray *pending = g_ptr_array_new ();
	GError *e = NULL;

	db = loader_open (l, &e);
	if (db == NULL)
		goto done;
	scan = bt_scan_new_on (l->store, db, l->query, l->flags, &e);
	if (scan == NULL || bt_scan_start (scan, &e) != BT_OK) {
		loader_started (l, e);
		e = NULL;
		goto done;
	}
	loader_started (l, NULL);
	loader_run (l, scan, pending);
done:
	if (scan) {
		bt_scan_stats_t stats = *bt_scan_stats (scan);
		bt_scan_free (scan);
		loader_deliver (l, pending, &stats, false);
	}
	if (db)
		notmuch_database_destroy (db);
	g_mutex_lock (&l->lock);
	l->error = e;
	l->started = true;
	g_mutex_unlock (&l->lock);
	loader_deliver (l, pending, NULL, true);
	g_ptr_array_unref (pending);
	return NULL;
}

static void
loader_destroy (bt_loader_t *l)
{
	g_ptr_array_set_free_func (l->ready, (GDestroyNotify) bt_bounce_free);
	g_ptr_array_unref (l->ready);
	g_ptr_array_unref (l->errors);
	g_clear_error (&l->error);
	g_clear_error (&l->query_error);
	if (l->pipe[0] >= 0) {
		close (l->pipe[0]);
		close (l->pipe[1]);
	}
	g_mutex_clear (&l->lock);
	g_cond_clear (&l->cond);
	g_free (l->query);
	g_free (l);
}

bt_loader_t *
bt_loader_start (bt_store_t *store, const char *query, unsigned flags, guint batch, GError **error)
{
	bt_loader_t *l;
	GError *e = NULL;

	l = g_new0 (bt_loader_t, 1);
	l->store = store;
	l->query = g_strdup (query);
	l->flags = flags;
	l->batch = batch ? batch : 50;
	l->ready = g_ptr_array_new ();
	l->errors = g_ptr_array_new_with_free_func (g_free);
	g_mutex_init (&l->lock);
	g_cond_init (&l->cond);
	if (!g_unix_open_pipe (l->pipe, FD_CLOEXEC, &e)) {
		bt_error_set (error, BT_ERR_IO, "pipe: %s", e->message);
		g_error_free (e);
		l->pipe[0] = l->pipe[1] = -1;
		loader_destroy (l);
		return NULL;
	}
	g_unix_set_fd_nonblocking (l->pipe[0], TRUE, NULL);
	g_unix_set_fd_nonblocking (l->pipe[1], TRUE, NULL);
	l->thread = g_thread_new ("bt-loader", loader_main, l);

	/* A bad query is reported now, not later: wait for the thread's first
	 * search only (evaluating it here as well would run it twice). */
	g_mutex_lock (&l->lock);
	while (!l->started)
		g_cond_wait (&l->cond, &l->lock);
	e = l->query_error;
	l->query_error = NULL;
	g_mutex_unlock (&l->lock);
	if (e) {
		g_propagate_error (error, e);
		g_thread_join (l->thread);
		loader_destroy (l);
		return NULL;
	}
	return l;
}

int
bt_loader_fd (const bt_loader_t *l)
{
	return l->pipe[0];
}

bool
bt_loader_take (bt_loader_t *l, GPtrArray *bounces, GPtrArray *errors)
{
	char buf[64];
	bool end;

	while (read (l->pipe[0], buf, sizeof buf) > 0)
		;
	g_mutex_lock (&l->lock);
	for (guint i = 0; i < l->ready->len; i++)
		g_ptr_array_add (bounces, l->ready->pdata[i]);
	g_ptr_array_set_size (l->ready, 0);
	for (guint i = 0; i < l->errors->len; i++)
		if (errors)
			g_ptr_array_add (errors, g_strdup (l->errors->pdata[i]));
	g_ptr_array_set_size (l->errors, 0);
	end = l->finished;
	g_cond_broadcast (&l->cond);
	g_mutex_unlock (&l->lock);
	return end;
}

void
bt_loader_wait (bt_loader_t *l)
{
	g_mutex_lock (&l->lock);
	l->unbounded = true;
	g_cond_broadcast (&l->cond);
	while (!l->finished)
		g_cond_wait (&l->cond, &l->lock);
	g_mutex_unlock (&l->lock);
}

void
bt_loader_stats (bt_loader_t *l, bt_scan_stats_t *out)
{
	g_mutex_lock (&l->lock);
	*out = l->stats;
	g_mutex_unlock (&l->lock);
}

const GError *
bt_loader_error (const bt_loader_t *l)
{
	bt_loader_t *ml = (bt_loader_t *) l;
	const GError *e;

	g_mutex_lock (&ml->lock);
	e = ml->finished ? ml->error : NULL;
	g_mutex_unlock (&ml->lock);
	return e;
}

void
bt_loader_free (bt_loader_t *l)
{
	if (l == NULL)
		return;
	g_mutex_lock (&l->lock);
	l->cancel = true;
	g_cond_broadcast (&l->cond);
	g_mutex_unlock (&l->lock);
	g_thread_join (l->thread);
	loader_destroy (l);
}
