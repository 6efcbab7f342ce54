/* store-write.c: the write queue and its worker thread.  The worker opens
 * the database read-write for one job at a time (waiting for other
 * writers' locks on its own), and reports each job's end to the caller
 * through a pipe. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib-unix.h>
#include "store-private.h"

typedef struct {
	bt_status_t status;
	char *message;
} write_result_t;

void
bt_write_job_free (write_job_t *j)
{
	if (j == NULL)
		return;
	g_free (j->label);
	g_free (j->kind);
	g_strfreev (j->undoes);
	if (j->ops)
		g_ptr_array_unref (j->ops);
	if (j->cache)
		g_ptr_array_unref (j->cache);
	g_free (j->message);
	g_free (j);
}

static void
write_result_free (write_result_t *r)
{
	g_free (r->message);
	g_free (r);
}

void
bt_write_info_free (bt_write_info_t *w)
{
	if (w == NULL)
		return;
	g_free (w->label);
	g_free (w->message);
	g_free (w);
}

void
bt_store_wake (int fd)
{
	char c = 1;
	ssize_t r;

	do
		r = write (fd, &c, 1);
	while (r < 0 && errno == EINTR);
}

static void
notify_drain (int fd)
{
	char buf[64];

	while (read (fd, buf, sizeof buf) > 0)
		;
}

guint
bt_store_enqueue (bt_store_t *s, write_job_t *j)
{
	guint id;

	g_mutex_lock (&s->lock);
	id = j->id = s->next_id++;
	j->queued = g_get_monotonic_time ();
	j->state = BT_WRITE_QUEUED;
	/* A user's action goes ahead of queued verdict caching (which can
	 * wait), but stays behind earlier actions: their order matters. */
	if (j->kind) {
		GList *l = s->jobs.head;
		while (l && ((write_job_t *) l->data)->kind)
			l = l->next;
		if (l)
			g_queue_insert_before (&s->jobs, l, j);
		else
			g_queue_push_tail (&s->jobs, j);
	} else
		g_queue_push_tail (&s->jobs, j);
	g_cond_broadcast (&s->cond);
	g_mutex_unlock (&s->lock);
	return id;
}

static notmuch_database_t *
worker_open_rw (bt_store_t *s, write_job_t *j)
{
	notmuch_database_t *db = NULL;
	bool retry = notmuch_built_with ("retry_lock");

	for (;;) {
		char *msg = NULL;
		notmuch_status_t st = bt_store_db_open (s, NOTMUCH_DATABASE_MODE_READ_WRITE, &db, &msg);
		bool locked = msg && strstr (msg, "lock") != NULL;

		if (st == NOTMUCH_STATUS_SUCCESS) {
			free (msg);
			return db;
		}
		/* Without retry_lock a locked database fails at once: poll. */
		if (!retry && locked) {
			bool closing;
			g_mutex_lock (&s->lock);
			closing = s->closing;
			g_mutex_unlock (&s->lock);
			if (!closing) {
				free (msg);
				g_usleep (100 * 1000);
				continue;
			}
		}
		j->status = locked ? BT_ERR_LOCKED : BT_ERR_DB;
		j->message = g_strdup_printf ("cannot open the database for writing: %s",
					      g_strstrip (msg ? msg : (char *) notmuch_status_to_string (st)));
		free (msg);
		return NULL;
	}
}

static bt_write_info_t *
job_info (const bt_store_t *s, const write_job_t *j, gint64 now)
{
	bt_write_info_t *w = g_new0 (bt_write_info_t, 1);
	int warn = bt_settings_get_int (s->settings, "ui.write-warn");

	w->id = j->id;
	w->label = g_strdup (j->label);
	w->state = j->state;
	w->journaled = j->kind != NULL;
	w->n_messages = j->ops ? j->ops->len : j->cache ? j->cache->len : 0;
	w->age = (double) (now - j->queued) / G_USEC_PER_SEC;
	w->overdue = (j->state == BT_WRITE_QUEUED || j->state == BT_WRITE_RUNNING) && w->age > warn;
	w->message = g_strdup (j->message);
	return w;
}

/* Record the end of j (under lock). */
static void
job_finish_locked (bt_store_t *s, write_job_t *j)
{
	write_result_t *r = g_new0 (write_result_t, 1);

	j->state = j->status == BT_OK ? BT_WRITE_DONE : BT_WRITE_FAILED;
	r->status = j->status;
	r->message = g_strdup (j->message);
	if (j->cache)
		s->cache_items -= j->cache->len;
	g_hash_table_insert (s->results, GUINT_TO_POINTER (j->id), r);
	g_ptr_array_add (s->finished, job_info (s, j, g_get_monotonic_time ()));
	if (j->kind && j->undoes)
		for (char **u = j->undoes; *u; u++)
			g_hash_table_remove (s->undo_queued, *u);
	s->generation++;
	g_cond_broadcast (&s->cond);
	bt_store_wake (s->notify[1]);
}

/* One job, on a read-write handle of its own. */
static void
worker_run (bt_store_t *s, write_job_t *j)
{
	notmuch_database_t *db = worker_open_rw (s, j);

	if (db == NULL)
		return;
	if (j->cache)
		bt_store_cache_write (db, j);
	else
		bt_store_tags_write (s, db, j);
	if (notmuch_database_close (db) != NOTMUCH_STATUS_SUCCESS && j->status == BT_OK) {
		j->status = BT_ERR_DB;
		j->message = g_strdup ("the database could not be closed: changes may be lost");
	}
	notmuch_database_destroy (db);
}

static void *
worker_main (void *data)
{
	bt_store_t *s = data;

	for (;;) {
		write_job_t *j;

		g_mutex_lock (&s->lock);
		while (g_queue_is_empty (&s->jobs) && !s->closing)
			g_cond_wait (&s->cond, &s->lock);
		j = g_queue_pop_head (&s->jobs);
		if (j == NULL) {
			g_mutex_unlock (&s->lock);
			break;
		}
		j->state = BT_WRITE_RUNNING;
		s->running = j;
		g_mutex_unlock (&s->lock);

		worker_run (s, j);

		g_mutex_lock (&s->lock);
		s->running = NULL;
		job_finish_locked (s, j);
		g_mutex_unlock (&s->lock);
		bt_write_job_free (j);
	}
	return NULL;
}

GPtrArray *
bt_store_queue (bt_store_t *s)
{
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_write_info_free);
	gint64 now = g_get_monotonic_time ();

	g_mutex_lock (&s->lock);
	if (s->running)
		g_ptr_array_add (out, job_info (s, s->running, now));
	for (GList *l = s->jobs.head; l; l = l->next)
		g_ptr_array_add (out, job_info (s, l->data, now));
	g_mutex_unlock (&s->lock);
	return out;
}

GPtrArray *
bt_store_finished (bt_store_t *s)
{
	GPtrArray *out;

	notify_drain (s->notify[0]);
	g_mutex_lock (&s->lock);
	out = s->finished;
	s->finished = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_write_info_free);
	g_mutex_unlock (&s->lock);
	return out;
}

int
bt_store_notify_fd (const bt_store_t *s)
{
	return s->notify[0];
}

static bt_status_t
result_status (const write_result_t *r, GError **error)
{
	if (r == NULL || r->status == BT_OK)
		return BT_OK;
	return bt_error_set (error, r->status, "%s", r->message ? r->message : "write failed");
}

/* Every write queued so far (under lock): the first failure since the
 * last such wait. */
static bt_status_t
wait_all_locked (bt_store_t *s, GError **error)
{
	bt_status_t status = BT_OK;
	guint last = s->next_id;

	while (!g_queue_is_empty (&s->jobs) || s->running)
		g_cond_wait (&s->cond, &s->lock);
	for (guint i = s->wait_mark + 1; i < last && status == BT_OK; i++)
		status = result_status (g_hash_table_lookup (s->results, GUINT_TO_POINTER (i)), error);
	s->wait_mark = last - 1;
	return status;
}

static bt_status_t
wait_one_locked (bt_store_t *s, guint id, GError **error)
{
	write_result_t *r;

	if (id >= s->next_id)
		return bt_error_set (error, BT_ERR_NOTFOUND, "no write %u", id);
	while ((r = g_hash_table_lookup (s->results, GUINT_TO_POINTER (id))) == NULL)
		g_cond_wait (&s->cond, &s->lock);
	return result_status (r, error);
}

bt_status_t
bt_store_wait (bt_store_t *s, guint id, GError **error)
{
	bt_status_t status;

	if (id == 0)
		bt_store_flush_cache (s);
	g_mutex_lock (&s->lock);
	status = id == 0 ? wait_all_locked (s, error) : wait_one_locked (s, id, error);
	g_mutex_unlock (&s->lock);
	return status;
}

/* The message of a finished write (notes about left-out messages), or NULL;
 * g_free. */
char *
bt_store_write_message (bt_store_t *s, guint id)
{
	write_result_t *r;
	char *m = NULL;

	g_mutex_lock (&s->lock);
	r = g_hash_table_lookup (s->results, GUINT_TO_POINTER (id));
	if (r)
		m = g_strdup (r->message);
	g_mutex_unlock (&s->lock);
	return m;
}

void
bt_store_cancel_writes (bt_store_t *s)
{
	write_job_t *j;

	g_mutex_lock (&s->lock);
	while ((j = g_queue_pop_head (&s->jobs)) != NULL) {
		j->status = BT_ERR_IO;
		j->message = g_strdup ("cancelled");
		job_finish_locked (s, j);
		bt_write_job_free (j);
	}
	g_mutex_unlock (&s->lock);
}

/* ---- the store's write side: set up, start, stop ---- */

void
bt_store_writes_init (bt_store_t *s)
{
	s->notify[0] = s->notify[1] = -1;
	g_mutex_init (&s->lock);
	g_cond_init (&s->cond);
	g_queue_init (&s->jobs);
	s->finished = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_write_info_free);
	s->results = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
					     (GDestroyNotify) write_result_free);
	s->undo_queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	s->cache_pending = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_cache_item_free);
	s->next_id = 1;
}

bt_status_t
bt_store_writes_start (bt_store_t *s, GError **error)
{
	GError *e = NULL;

	if (!g_unix_open_pipe (s->notify, FD_CLOEXEC, &e)
	    || !g_unix_set_fd_nonblocking (s->notify[0], TRUE, NULL)
	    || !g_unix_set_fd_nonblocking (s->notify[1], TRUE, NULL)) {
		bt_error_set (error, BT_ERR_IO, "pipe: %s", e ? e->message : g_strerror (errno));
		g_clear_error (&e);
		return BT_ERR_IO;
	}
	s->worker = g_thread_new ("bt-writer", worker_main, s);
	return BT_OK;
}

void
bt_store_writes_stop (bt_store_t *s)
{
	if (s->worker == NULL)
		return;
	bt_store_flush_cache (s);
	g_mutex_lock (&s->lock);
	s->closing = true;
	g_cond_broadcast (&s->cond);
	g_mutex_unlock (&s->lock);
	g_thread_join (s->worker);
	s->worker = NULL;
}

void
bt_store_writes_clear (bt_store_t *s)
{
	for (int i = 0; i < 2; i++)
		if (s->notify[i] >= 0)
			close (s->notify[i]);
	g_queue_clear_full (&s->jobs, (GDestroyNotify) bt_write_job_free);
	g_ptr_array_unref (s->finished);
	g_hash_table_unref (s->results);
	g_hash_table_unref (s->undo_queued);
	g_ptr_array_unref (s->cache_pending);
	g_mutex_clear (&s->lock);
	g_cond_clear (&s->cond);
}
