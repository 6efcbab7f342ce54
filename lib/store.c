/* store.c: bounces in a notmuch database.
 *
 * Reading happens on a read-only handle owned by the caller's thread (and
 * on the loader's own handle); every write goes through one worker thread
 * that opens the database read-write per job, so waiting for another
 * writer's lock never blocks the user.  Verdicts are cached in message
 * properties so a second start reads no mail file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>
#include <notmuch.h>
#include "bouncetriage/classify.h"
#include "bouncetriage/parse.h"
#include "bouncetriage/store.h"
#include "store-private.h"

/* Values longer than this are cut: a property is a Xapian term, and terms
 * are limited to 245 bytes with their prefix and key. */
#define PROP_MAX 200
/* Verdicts are written in batches of this many messages. */
#define CACHE_BATCH 500

#define P BT_STORE_PROPERTY_PREFIX

typedef struct {
	char *message_id;
	char **add, **remove;
} job_op_t;

typedef struct {
	char *message_id;
	GPtrArray *props;   /* key, value, key, value... (g_free) */
} cache_item_t;

typedef struct {
	guint id;
	char *label;
	char *kind;          /* journal kind; NULL: cache write, not journaled */
	char **undoes;
	GPtrArray *ops;      /* of job_op_t * */
	GPtrArray *cache;    /* of cache_item_t * */
	gint64 queued;       /* monotonic µs */
	bt_write_state_t state;
	bt_status_t status;
	char *message;
} write_job_t;

typedef struct {
	bt_status_t status;
	char *message;
} write_result_t;

struct bt_store {
	char *config_arg, *profile, *journal_path;
	const bt_settings_t *settings;
	bt_settings_t *own_settings;
	const bt_kb_t *kb;
	bool cache_write;

	notmuch_database_t *db;       /* read-only, the caller's thread */
	char *db_path, *config_path, *version;
	bool sync_flags;
	guint seen_generation;
	guint active_scans;

	/* Shared with the worker and loaders: under lock. */
	GMutex lock;
	GCond cond;
	GThread *worker;
	GQueue jobs;
	write_job_t *running;
	GPtrArray *finished;           /* of bt_write_info_t * */
	GHashTable *results;           /* id -> write_result_t * */
	GHashTable *undo_queued;       /* journal ids queued for undo */
	guint next_id, wait_mark;
	guint generation;
	bool closing;
	int notify[2];
	GPtrArray *cache_pending;      /* of cache_item_t *, not yet a job */
};

/* ---- small helpers ---- */

static void
job_op_free (job_op_t *op)
{
	g_free (op->message_id);
	g_strfreev (op->add);
	g_strfreev (op->remove);
	g_free (op);
}

static void
cache_item_free (cache_item_t *c)
{
	g_free (c->message_id);
	g_ptr_array_unref (c->props);
	g_free (c);
}

static void
write_job_free (write_job_t *j)
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

static int
str_cmp (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

static char **
message_tags (notmuch_message_t *m)
{
	GPtrArray *a = g_ptr_array_new ();
	notmuch_tags_t *t;

	for (t = notmuch_message_get_tags (m); notmuch_tags_valid (t); notmuch_tags_move_to_next (t))
		g_ptr_array_add (a, g_strdup (notmuch_tags_get (t)));
	notmuch_tags_destroy (t);
	g_ptr_array_sort (a, str_cmp);
	g_ptr_array_add (a, NULL);
	return (char **) g_ptr_array_free (a, FALSE);
}

/* "<id@host>" -> "id@host" (g_free). */
static char *
strip_id (const char *id)
{
	char *s;
	size_t n;

	if (id == NULL)
		return NULL;
	while (*id == ' ' || *id == '<')
		id++;
	s = g_strdup (id);
	n = strlen (s);
	while (n > 0 && (s[n - 1] == '>' || s[n - 1] == ' '))
		s[--n] = '\0';
	if (*s == '\0') {
		g_free (s);
		return NULL;
	}
	return s;
}

/* A property value: valid UTF-8, no tab or line break, at most PROP_MAX
 * bytes cut at a character boundary (g_free). */
static char *
prop_clip (const char *v)
{
	char *s = g_utf8_make_valid (v ? v : "", -1);
	char *end;

	for (char *p = s; *p; p++)
		if ((unsigned char) *p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (strlen (s) > PROP_MAX) {
		end = g_utf8_find_prev_char (s, s + PROP_MAX + 1);
		if (end)
			*end = '\0';
	}
	return s;
}

static bt_lane_t
lane_from_name (const char *name)
{
	for (int l = BT_LANE_NONE; l <= BT_LANE_DELIVERED; l++)
		if (name && strcmp (bt_lane_name (l), name) == 0)
			return l;
	return BT_LANE_NONE;
}

static void
notify_write (int fd)
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

/* ---- opening ---- */

static bool
status_is_not_found (notmuch_status_t st)
{
	return st == NOTMUCH_STATUS_NO_CONFIG || st == NOTMUCH_STATUS_NO_DATABASE
		|| st == NOTMUCH_STATUS_NO_MAIL_ROOT || st == NOTMUCH_STATUS_FILE_ERROR
		|| st == NOTMUCH_STATUS_PATH_ERROR;
}

notmuch_status_t
bt_store_db_open (const bt_store_t *s, notmuch_database_mode_t mode,
		  notmuch_database_t **db, char **msg)
{
	return notmuch_database_open_with_config (NULL, mode, s->config_arg, s->profile, db, msg);
}

static void *worker_main (void *data);

bt_store_t *
bt_store_open (const bt_store_options_t *opts, GError **error)
{
	bt_store_t *s = g_new0 (bt_store_t, 1);
	char *msg = NULL;
	const char *cp;
	notmuch_bool_t sync = FALSE;
	notmuch_status_t st;
	GError *e = NULL;

	s->config_arg = g_strdup (opts->notmuch_config);
	s->profile = g_strdup (opts->profile);
	s->journal_path = g_strdup (opts->journal_path);
	s->settings = opts->settings;
	if (s->settings == NULL)
		s->settings = s->own_settings = bt_settings_new ();
	s->kb = opts->kb;
	s->cache_write = !opts->no_cache_write && bt_settings_get_bool (s->settings, "scan.cache");
	s->notify[0] = s->notify[1] = -1;
	g_mutex_init (&s->lock);
	g_cond_init (&s->cond);
	g_queue_init (&s->jobs);
	s->finished = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_write_info_free);
	s->results = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
					     (GDestroyNotify) write_result_free);
	s->undo_queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	s->cache_pending = g_ptr_array_new_with_free_func ((GDestroyNotify) cache_item_free);
	s->next_id = 1;

	st = bt_store_db_open (s, NOTMUCH_DATABASE_MODE_READ_ONLY, &s->db, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		char *why = g_strstrip (g_strdup (msg ? msg : notmuch_status_to_string (st)));
		size_t wl;

		/* notmuch's text reads "Error: cannot load config file.\n" */
		if (g_str_has_prefix (why, "Error: "))
			memmove (why, why + 7, strlen (why + 7) + 1);
		wl = strlen (why);
		if (wl > 0 && why[wl - 1] == '.')
			why[wl - 1] = '\0';
		if (status_is_not_found (st))
			bt_error_set (error, BT_ERR_NOTFOUND,
				      "no notmuch database found%s%s%s (%s).\n"
				      "Point bouncetriage at your notmuch configuration with --config FILE "
				      "or NOTMUCH_CONFIG=FILE (its database.path names the database), "
				      "or try the bundled demo: bouncetriage --demo",
				      s->config_arg ? " with " : "", s->config_arg ? s->config_arg : "",
				      s->config_arg && !*s->config_arg ? "no configuration file" : "",
				      why);
		else
			bt_error_set (error, BT_ERR_DB, "cannot open the notmuch database: %s", why);
		g_free (why);
		free (msg);
		goto fail;
	}
	s->db_path = g_strdup (notmuch_database_get_path (s->db));
	cp = notmuch_config_path (s->db);
	s->config_path = cp && *cp ? g_strdup (cp) : NULL;
	if (notmuch_config_get_bool (s->db, NOTMUCH_CONFIG_SYNC_MAILDIR_FLAGS, &sync) == NOTMUCH_STATUS_SUCCESS)
		s->sync_flags = sync;
	s->version = g_strdup_printf ("%s+%s", PACKAGE_VERSION, s->kb ? bt_kb_digest (s->kb) : "nokb");
	if (!g_unix_open_pipe (s->notify, FD_CLOEXEC, &e)
	    || !g_unix_set_fd_nonblocking (s->notify[0], TRUE, NULL)
	    || !g_unix_set_fd_nonblocking (s->notify[1], TRUE, NULL)) {
		bt_error_set (error, BT_ERR_IO, "pipe: %s", e ? e->message : g_strerror (errno));
		g_clear_error (&e);
		goto fail;
	}
	s->worker = g_thread_new ("bt-writer", worker_main, s);
	return s;
fail:
	bt_store_close (s);
	return NULL;
}

static void store_flush_cache (bt_store_t *s);

void
bt_store_close (bt_store_t *s)
{
	if (s == NULL)
		return;
	if (s->worker) {
		store_flush_cache (s);
		g_mutex_lock (&s->lock);
		s->closing = true;
		g_cond_broadcast (&s->cond);
		g_mutex_unlock (&s->lock);
		g_thread_join (s->worker);
	}
	if (s->db)
		notmuch_database_destroy (s->db);
	for (int i = 0; i < 2; i++)
		if (s->notify[i] >= 0)
			close (s->notify[i]);
	g_queue_clear_full (&s->jobs, (GDestroyNotify) write_job_free);
	g_ptr_array_unref (s->finished);
	g_hash_table_unref (s->results);
	g_hash_table_unref (s->undo_queued);
	g_ptr_array_unref (s->cache_pending);
	g_mutex_clear (&s->lock);
	g_cond_clear (&s->cond);
	bt_settings_free (s->own_settings);
	g_free (s->config_arg);
	g_free (s->profile);
	g_free (s->journal_path);
	g_free (s->db_path);
	g_free (s->config_path);
	g_free (s->version);
	g_free (s);
}

const char *bt_store_database_path (const bt_store_t *s) { return s->db_path; }
const char *bt_store_config_path (const bt_store_t *s) { return s->config_path; }
bool bt_store_sync_flags (const bt_store_t *s) { return s->sync_flags; }
const char *bt_store_cache_version (const bt_store_t *s) { return s->version; }
const bt_settings_t *bt_store_settings (const bt_store_t *s) { return s->settings; }
const bt_kb_t *bt_store_kb (const bt_store_t *s) { return s->kb; }

/* Let the read-only handle see what the worker wrote since. */
static void
store_refresh (bt_store_t *s)
{
	guint gen;

	g_mutex_lock (&s->lock);
	gen = s->generation;
	g_mutex_unlock (&s->lock);
	if (gen != s->seen_generation && s->active_scans == 0) {
		if (notmuch_database_reopen (s->db, NOTMUCH_DATABASE_MODE_READ_ONLY) == NOTMUCH_STATUS_SUCCESS)
			s->seen_generation = gen;
	}
}

static bt_status_t
find_message (notmuch_database_t *db, const char *id, notmuch_message_t **m, GError **error)
{
	char *bare = strip_id (id);
	notmuch_status_t st;

	*m = NULL;
	if (bare == NULL)
		return bt_error_set (error, BT_ERR_INVALID, "empty message id");
	st = notmuch_database_find_message (db, bare, m);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		bt_error_set (error, BT_ERR_DB, "id:%s: %s", bare, notmuch_status_to_string (st));
		g_free (bare);
		return BT_ERR_DB;
	}
	if (*m == NULL) {
		bt_error_set (error, BT_ERR_NOTFOUND, "id:%s is not in the database", bare);
		g_free (bare);
		return BT_ERR_NOTFOUND;
	}
	g_free (bare);
	return BT_OK;
}

/* ---- bounces ---- */

static const char *
bs (bt_bounce_t *b, const char *s)
{
	return s && *s ? g_string_chunk_insert_const (b->strings, s) : NULL;
}

static bt_bounce_t *
bounce_new (void)
{
	bt_bounce_t *b = g_new0 (bt_bounce_t, 1);
	b->strings = g_string_chunk_new (512);
	return b;
}

void
bt_bounce_free (bt_bounce_t *b)
{
	if (b == NULL)
		return;
	g_strfreev (b->tags);
	g_free (b->rcpt);
	g_string_chunk_free (b->strings);
	g_free (b);
}

bt_bounce_t *
bt_bounce_copy (const bt_bounce_t *src)
{
	bt_bounce_t *b = bounce_new ();

	b->message_id = bs (b, src->message_id);
	b->filename = bs (b, src->filename);
	b->date = src->date;
	b->from = bs (b, src->from);
	b->subject = bs (b, src->subject);
	b->orig_message_id = bs (b, src->orig_message_id);
	b->orig_subject = bs (b, src->orig_subject);
	b->orig_to = bs (b, src->orig_to);
	b->lane = src->lane;
	b->tags = g_strdupv (src->tags);
	b->from_cache = src->from_cache;
	b->n_rcpt = src->n_rcpt;
	b->rcpt = g_new0 (bt_bounce_rcpt_t, src->n_rcpt ? src->n_rcpt : 1);
	for (guint i = 0; i < src->n_rcpt; i++) {
		const bt_bounce_rcpt_t *r = &src->rcpt[i];
		bt_bounce_rcpt_t *d = &b->rcpt[i];
		d->recipient = bs (b, r->recipient);
		d->domain = bs (b, r->domain);
		d->reason = bs (b, r->reason);
		d->status = bs (b, r->status);
		d->replycode = bs (b, r->replycode);
		d->kb = bs (b, r->kb);
		d->remote_mta = bs (b, r->remote_mta);
		d->hard = r->hard;
		d->lane = r->lane;
	}
	return b;
}

bool
bt_bounce_hard (const bt_bounce_t *b)
{
	for (guint i = 0; i < b->n_rcpt; i++)
		if (b->rcpt[i].hard && b->rcpt[i].lane == BT_LANE_FAILURE)
			return true;
	return false;
}

bool
bt_bounce_has_tag (const bt_bounce_t *b, const char *tag)
{
	for (char **t = b->tags; t && *t; t++)
		if (strcmp (*t, tag) == 0)
			return true;
	return false;
}

/* Fields of the bounce that come from the database, not the verdict. */
static void
bounce_fill_message (bt_bounce_t *b, notmuch_message_t *m, const char *filename)
{
	b->message_id = bs (b, notmuch_message_get_message_id (m));
	b->filename = bs (b, filename ? filename : notmuch_message_get_filename (m));
	b->date = notmuch_message_get_date (m);
	b->from = bs (b, notmuch_message_get_header (m, "from"));
	b->subject = bs (b, notmuch_message_get_header (m, "subject"));
	b->tags = message_tags (m);
}

static char *
lower_domain (const char *addr)
{
	const char *at = addr ? strrchr (addr, '@') : NULL;
	return at && at[1] ? g_ascii_strdown (at + 1, -1) : NULL;
}

static bt_bounce_t *
bounce_from_report (notmuch_message_t *m, const char *filename, const bt_report_t *r)
{
	bt_bounce_t *b = bounce_new ();
	guint n = r->records->len;
	char *oid = strip_id (r->orig_message_id);

	bounce_fill_message (b, m, filename);
	b->orig_message_id = bs (b, oid);
	g_free (oid);
	b->orig_subject = bs (b, r->orig_subject);
	b->orig_to = bs (b, r->orig_to);
	b->lane = bt_report_lane (r);
	b->n_rcpt = n;
	b->rcpt = g_new0 (bt_bounce_rcpt_t, n ? n : 1);
	for (guint i = 0; i < n; i++) {
		const bt_record_t *rec = r->records->pdata[i];
		bt_bounce_rcpt_t *d = &b->rcpt[i];
		char *lc = rec->f[BT_F_RECIPIENT] ? g_ascii_strdown (rec->f[BT_F_RECIPIENT], -1) : NULL;
		char *dom = lower_domain (lc);

		d->recipient = bs (b, lc);
		d->domain = bs (b, dom);
		d->reason = bs (b, rec->reason ? rec->reason : "undefined");
		d->status = bs (b, rec->f[BT_F_STATUS]);
		d->replycode = bs (b, rec->f[BT_F_REPLYCODE]);
		d->kb = bs (b, rec->kb);
		d->remote_mta = bs (b, rec->f[BT_F_REMOTE_MTA]);
		d->hard = rec->hard;
		d->lane = bt_record_lane (rec);
		g_free (lc);
		g_free (dom);
	}
	return b;
}

/* The record property: index, then the fields, tab-separated. */
enum { REC_INDEX, REC_RECIPIENT, REC_DOMAIN, REC_REASON, REC_STATUS, REC_REPLYCODE,
       REC_KB, REC_MTA, REC_HARD, REC_LANE, REC_N };

static bt_bounce_t *
bounce_from_properties (notmuch_message_t *m, bt_lane_t lane)
{
	bt_bounce_t *b = bounce_new ();
	GArray *rc = g_array_new (FALSE, TRUE, sizeof (bt_bounce_rcpt_t));
	notmuch_message_properties_t *p;
	const char *v;

	bounce_fill_message (b, m, NULL);
	b->lane = lane;
	b->from_cache = true;
	if (notmuch_message_get_property (m, P "origid", &v) == NOTMUCH_STATUS_SUCCESS)
		b->orig_message_id = bs (b, v);
	if (notmuch_message_get_property (m, P "subject", &v) == NOTMUCH_STATUS_SUCCESS)
		b->orig_subject = bs (b, v);
	if (notmuch_message_get_property (m, P "origto", &v) == NOTMUCH_STATUS_SUCCESS)
		b->orig_to = bs (b, v);
	/* Values come sorted: the index prefix keeps the report's order. */
	for (p = notmuch_message_get_properties (m, P "record", TRUE);
	     notmuch_message_properties_valid (p); notmuch_message_properties_move_to_next (p)) {
		char **f = g_strsplit (notmuch_message_properties_value (p), "\t", REC_N);
		bt_bounce_rcpt_t d = { 0 };

		if (g_strv_length (f) == REC_N) {
			d.recipient = bs (b, f[REC_RECIPIENT]);
			d.domain = bs (b, f[REC_DOMAIN]);
			d.reason = bs (b, f[REC_REASON]);
			d.status = bs (b, f[REC_STATUS]);
			d.replycode = bs (b, f[REC_REPLYCODE]);
			d.kb = bs (b, f[REC_KB]);
			d.remote_mta = bs (b, f[REC_MTA]);
			d.hard = strcmp (f[REC_HARD], "1") == 0;
			d.lane = lane_from_name (f[REC_LANE]);
			g_array_append_val (rc, d);
		}
		g_strfreev (f);
	}
	notmuch_message_properties_destroy (p);
	b->n_rcpt = rc->len;
	b->rcpt = (bt_bounce_rcpt_t *) g_array_free (rc, FALSE);
	return b;
}

static void
props_add (GPtrArray *props, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	g_ptr_array_add (props, g_strdup (key));
	g_ptr_array_add (props, prop_clip (value));
}

/* A record field stored as it is: no tab or control character. */
static bool
field_plain (const char *v)
{
	for (; v && *v; v++)
		if ((unsigned char) *v < 0x20 || *v == 0x7f)
			return false;
	return true;
}

/* The properties that cache b's verdict (b NULL: not a bounce), or NULL
 * when the verdict cannot be stored exactly (a field too long for a
 * Xapian term, or with control characters): that message is then parsed
 * on every scan, which is slower but right. */
static cache_item_t *
cache_item_for (const bt_store_t *s, const char *message_id, const bt_bounce_t *b)
{
	cache_item_t *c = g_new0 (cache_item_t, 1);

	c->message_id = g_strdup (message_id);
	c->props = g_ptr_array_new_with_free_func (g_free);
	props_add (c->props, P "lane", bt_lane_name (b ? b->lane : BT_LANE_NONE));
	for (guint i = 0; b && i < b->n_rcpt; i++) {
		const bt_bounce_rcpt_t *r = &b->rcpt[i];
		const char *f[REC_N] = {
			[REC_RECIPIENT] = r->recipient, [REC_DOMAIN] = r->domain,
			[REC_REASON] = r->reason, [REC_STATUS] = r->status,
			[REC_REPLYCODE] = r->replycode, [REC_KB] = r->kb,
			[REC_MTA] = "", [REC_HARD] = r->hard ? "1" : "0",
			[REC_LANE] = bt_lane_name (r->lane),
		};
		char idx[16], *mta, **parts;
		gsize len = 0;

		g_snprintf (idx, sizeof idx, "%03u", i);
		f[REC_INDEX] = idx;
		for (int k = 0; k < REC_N; k++) {
			if (!field_plain (f[k])) {
				cache_item_free (c);
				return NULL;
			}
			len += (f[k] ? strlen (f[k]) : 0) + 1;
		}
		if (len + 8 > PROP_MAX) {
			cache_item_free (c);
			return NULL;
		}
		/* The remote MTA is only shown: it may be cut to what is left. */
		mta = prop_clip (r->remote_mta);
		if (len + strlen (mta) > PROP_MAX)
			*g_utf8_find_prev_char (mta, mta + (PROP_MAX - len) + 1) = '\0';
		parts = g_new0 (char *, REC_N + 1);
		for (int k = 0; k < REC_N; k++)
			parts[k] = k == REC_MTA ? mta : g_strdup (f[k] ? f[k] : "");
		g_ptr_array_add (c->props, g_strdup (P "record"));
		g_ptr_array_add (c->props, g_strjoinv ("\t", parts));
		g_strfreev (parts);
		props_add (c->props, P "recipient", r->recipient);
		props_add (c->props, P "domain", r->domain);
		props_add (c->props, P "reason", r->reason);
		props_add (c->props, P "status", r->status);
		props_add (c->props, P "replycode", r->replycode);
		props_add (c->props, P "kb", r->kb);
		props_add (c->props, P "mta", r->remote_mta);
		props_add (c->props, P "hard", r->hard ? "true" : "false");
	}
	if (b) {
		props_add (c->props, P "origid", b->orig_message_id);
		props_add (c->props, P "subject", b->orig_subject);
		props_add (c->props, P "origto", b->orig_to);
	}
	/* Last: a message whose properties were not all written has no
	 * version and is parsed again. */
	props_add (c->props, P "version", s->version);
	return c;
}

/* ---- writes: queueing ---- */

static guint
store_enqueue (bt_store_t *s, write_job_t *j)
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

/* Queue a verdict for caching (any thread); written in batches. */
void
bt_store_cache_verdict (bt_store_t *s, const char *message_id, const bt_bounce_t *b)
{
	write_job_t *j = NULL;
	cache_item_t *item;

	if (!s->cache_write)
		return;
	item = cache_item_for (s, message_id, b);
	if (item == NULL)
		return;
	g_mutex_lock (&s->lock);
	g_ptr_array_add (s->cache_pending, item);
	if (s->cache_pending->len >= CACHE_BATCH) {
		j = g_new0 (write_job_t, 1);
		j->cache = s->cache_pending;
		s->cache_pending = g_ptr_array_new_with_free_func ((GDestroyNotify) cache_item_free);
	}
	g_mutex_unlock (&s->lock);
	if (j) {
		j->label = g_strdup_printf ("cache verdicts of %u messages", j->cache->len);
		store_enqueue (s, j);
	}
}

static void
store_flush_cache (bt_store_t *s)
{
	write_job_t *j = NULL;

	g_mutex_lock (&s->lock);
	if (s->cache_pending->len > 0) {
		j = g_new0 (write_job_t, 1);
		j->cache = s->cache_pending;
		s->cache_pending = g_ptr_array_new_with_free_func ((GDestroyNotify) cache_item_free);
	}
	g_mutex_unlock (&s->lock);
	if (j) {
		j->label = g_strdup_printf ("cache verdicts of %u messages", j->cache->len);
		store_enqueue (s, j);
	}
}

void
bt_store_flush_cache (bt_store_t *s)
{
	store_flush_cache (s);
}

/* ---- writes: the worker ---- */

static bool
strv_has (char *const *v, const char *s)
{
	for (; v && *v; v++)
		if (strcmp (*v, s) == 0)
			return true;
	return false;
}

/* before + add - remove, sorted (g_strfreev). */
static char **
tags_apply (char *const *before, char *const *add, char *const *remove)
{
	GPtrArray *a = g_ptr_array_new ();

	for (char *const *t = before; t && *t; t++)
		if (!strv_has (remove, *t))
			g_ptr_array_add (a, g_strdup (*t));
	for (char *const *t = add; t && *t; t++) {
		bool have = false;
		for (guint i = 0; i < a->len && !have; i++)
			have = strcmp (a->pdata[i], *t) == 0;
		if (!have)
			g_ptr_array_add (a, g_strdup (*t));
	}
	g_ptr_array_sort (a, str_cmp);
	g_ptr_array_add (a, NULL);
	return (char **) g_ptr_array_free (a, FALSE);
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

static void
worker_cache (bt_store_t *s, notmuch_database_t *db, write_job_t *j)
{
	notmuch_status_t st = notmuch_database_begin_atomic (db);
	guint failed = 0;

	for (guint i = 0; i < j->cache->len && st == NOTMUCH_STATUS_SUCCESS; i++) {
		cache_item_t *c = j->cache->pdata[i];
		notmuch_message_t *m = NULL;
		notmuch_status_t ms;

		if (find_message (db, c->message_id, &m, NULL) != BT_OK)
			continue;   /* gone since: nothing to cache */
		/* Frozen: one document write per message, not one per property. */
		ms = notmuch_message_freeze (m);
		if (ms == NOTMUCH_STATUS_SUCCESS)
			ms = notmuch_message_remove_all_properties_with_prefix (m, P);
		for (guint k = 0; k + 1 < c->props->len && ms == NOTMUCH_STATUS_SUCCESS; k += 2)
			ms = notmuch_message_add_property (m, c->props->pdata[k], c->props->pdata[k + 1]);
		/* One message refused (without the version, written last, it is
		 * parsed again next time): the others are still cached. */
		if (ms != NOTMUCH_STATUS_SUCCESS)
			failed++;
		ms = notmuch_message_thaw (m);
		if (ms != NOTMUCH_STATUS_SUCCESS && ms != NOTMUCH_STATUS_UNBALANCED_FREEZE_THAW)
			st = ms;
		notmuch_message_destroy (m);
	}
	if (st == NOTMUCH_STATUS_SUCCESS)
		st = notmuch_database_end_atomic (db);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		j->status = BT_ERR_DB;
		j->message = g_strdup_printf ("caching verdicts: %s", notmuch_status_to_string (st));
	} else if (failed)
		j->message = g_strdup_printf ("%u of %u verdicts could not be cached", failed,
					      j->cache->len);
	(void) s;
}

static void
worker_tags (bt_store_t *s, notmuch_database_t *db, write_job_t *j)
{
	GHashTable *msgs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
						  (GDestroyNotify) notmuch_message_destroy);
	GHashTable *before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
						    (GDestroyNotify) g_strfreev);
	GHashTable *after = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
						   (GDestroyNotify) g_strfreev);
	GHashTable *missing = g_hash_table_new (g_str_hash, g_str_equal);
	GPtrArray *order = g_ptr_array_new ();   /* keys of before, first seen first */
	GString *notes = g_string_new (NULL);
	bt_journal_entry_t *entry = NULL;
	notmuch_status_t st = NOTMUCH_STATUS_SUCCESS;
	GError *e = NULL;
	guint nmissing = 0;
	bool journaled = false, atomic = false;

	for (guint i = 0; i < j->ops->len; i++) {
		job_op_t *op = j->ops->pdata[i];
		char *key = strip_id (op->message_id);
		char **cur, **next;

		if (key == NULL || g_hash_table_contains (missing, op->message_id)) {
			g_free (key);
			continue;
		}
		if (!g_hash_table_contains (before, key)) {
			notmuch_message_t *m = NULL;
			if (find_message (db, key, &m, &e) != BT_OK) {
				g_string_append_printf (notes, "%s%s", notes->len ? "; " : "", e->message);
				g_clear_error (&e);
				g_hash_table_add (missing, op->message_id);
				nmissing++;
				g_free (key);
				continue;
			}
			g_hash_table_insert (before, key, message_tags (m));
			g_hash_table_insert (after, key, message_tags (m));
			g_hash_table_insert (msgs, key, m);
			g_ptr_array_add (order, key);
		} else {
			char *k2 = key;
			key = NULL;
			g_hash_table_lookup_extended (before, k2, (gpointer *) &key, NULL);
			g_free (k2);
		}
		cur = g_hash_table_lookup (after, key);
		next = tags_apply (cur, op->add, op->remove);
		g_hash_table_insert (after, key, next);
	}
	if (order->len == 0 && j->undoes && *j->undoes) {
		/* Undoing actions whose messages are all gone: nothing to
		 * restore, but mark them undone so they stop coming back. */
		entry = bt_journal_entry_new (j->kind, j->label);
		g_strfreev (entry->undoes);
		entry->undoes = g_strdupv (j->undoes);
		if (bt_journal_append (s->journal_path, entry, &e) != BT_OK) {
			j->status = BT_ERR_IO;
			j->message = g_strdup (e->message);
			g_clear_error (&e);
		} else
			j->message = g_strdup_printf ("nothing to restore: %s", notes->str);
		goto done;
	}
	if (order->len == 0) {
		j->status = BT_ERR_NOTFOUND;
		j->message = g_strdup_printf ("nothing applied: %s", notes->len ? notes->str : "no message");
		goto done;
	}
	entry = bt_journal_entry_new (j->kind, j->label);
	if (j->undoes) {
		g_strfreev (entry->undoes);
		entry->undoes = g_strdupv (j->undoes);
	}
	for (guint i = 0; i < order->len; i++)
		bt_journal_entry_add (entry, order->pdata[i],
				      (const char *const *) g_hash_table_lookup (before, order->pdata[i]),
				      (const char *const *) g_hash_table_lookup (after, order->pdata[i]));
	/* The journal first: a change that cannot be undone is not made. */
	if (bt_journal_append (s->journal_path, entry, &e) != BT_OK) {
		j->status = BT_ERR_IO;
		j->message = g_strdup_printf ("change refused, nothing applied: %s", e->message);
		g_clear_error (&e);
		goto done;
	}
	journaled = true;
	st = notmuch_database_begin_atomic (db);
	atomic = st == NOTMUCH_STATUS_SUCCESS;
	for (guint i = 0; i < order->len && st == NOTMUCH_STATUS_SUCCESS; i++) {
		const char *key = order->pdata[i];
		notmuch_message_t *m = g_hash_table_lookup (msgs, key);
		char **b = g_hash_table_lookup (before, key), **a = g_hash_table_lookup (after, key);

		st = notmuch_message_freeze (m);
		for (char **t = b; st == NOTMUCH_STATUS_SUCCESS && *t; t++)
			if (!strv_has (a, *t))
				st = notmuch_message_remove_tag (m, *t);
		for (char **t = a; st == NOTMUCH_STATUS_SUCCESS && *t; t++)
			if (!strv_has (b, *t))
				st = notmuch_message_add_tag (m, *t);
		if (st == NOTMUCH_STATUS_SUCCESS)
			st = notmuch_message_thaw (m);
		if (st == NOTMUCH_STATUS_SUCCESS && s->sync_flags) {
			/* Renaming files is outside the atomic section's reach:
			 * a file that vanished is reported (libnotmuch skips it
			 * silently), the tags still change. */
			notmuch_filenames_t *fn;
			notmuch_status_t fs;

			for (fn = notmuch_message_get_filenames (m); notmuch_filenames_valid (fn);
			     notmuch_filenames_move_to_next (fn))
				if (!g_file_test (notmuch_filenames_get (fn), G_FILE_TEST_EXISTS))
					g_string_append_printf (notes, "%sid:%s: file %s is gone, its maildir "
								"flags were not synced", notes->len ? "; " : "",
								key, notmuch_filenames_get (fn));
			notmuch_filenames_destroy (fn);
			fs = notmuch_message_tags_to_maildir_flags (m);
			if (fs != NOTMUCH_STATUS_SUCCESS)
				g_string_append_printf (notes, "%sid:%s: maildir flags not synced: %s",
							notes->len ? "; " : "", key,
							notmuch_status_to_string (fs));
		}
		/* Done with it: a changed document holds all its terms and
		 * positions until destroyed (~60 KB each; 10,000 at once were
		 * 630 MB). */
		g_hash_table_remove (msgs, key);
	}
	if (st == NOTMUCH_STATUS_SUCCESS && atomic) {
		st = notmuch_database_end_atomic (db);
		atomic = false;
	}
	if (st != NOTMUCH_STATUS_SUCCESS) {
		j->status = BT_ERR_DB;
		j->message = g_strdup_printf ("nothing applied: %s", notmuch_status_to_string (st));
	} else if (notes->len) {
		j->message = g_strdup_printf ("%u of %u messages changed; %s", order->len,
					      order->len + nmissing, notes->str);
	}
done:
	if (j->status != BT_OK && journaled) {
		/* The journal holds an action that did not happen: mark it undone
		 * so that undo skips it. */
		bt_journal_entry_t *u = bt_journal_entry_new ("undo", "not applied");
		g_strfreev (u->undoes);
		u->undoes = g_new0 (char *, 2);
		u->undoes[0] = g_strdup (entry->id);
		bt_journal_append (s->journal_path, u, NULL);
		bt_journal_entry_free (u);
	}
	/* Leaving an atomic section open makes close discard its changes. */
	(void) atomic;
	bt_journal_entry_free (entry);
	g_string_free (notes, TRUE);
	g_ptr_array_unref (order);
	g_hash_table_unref (missing);
	g_hash_table_unref (msgs);
	g_hash_table_unref (after);
	g_hash_table_unref (before);
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
	g_hash_table_insert (s->results, GUINT_TO_POINTER (j->id), r);
	g_ptr_array_add (s->finished, job_info (s, j, g_get_monotonic_time ()));
	if (j->kind && j->undoes)
		for (char **u = j->undoes; *u; u++)
			g_hash_table_remove (s->undo_queued, *u);
	s->generation++;
	g_cond_broadcast (&s->cond);
	notify_write (s->notify[1]);
}

static void *
worker_main (void *data)
{
	bt_store_t *s = data;

	for (;;) {
		write_job_t *j;
		notmuch_database_t *db;

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

		db = worker_open_rw (s, j);
		if (db) {
			if (j->cache)
				worker_cache (s, db, j);
			else
				worker_tags (s, db, j);
			if (notmuch_database_close (db) != NOTMUCH_STATUS_SUCCESS && j->status == BT_OK) {
				j->status = BT_ERR_DB;
				j->message = g_strdup ("the database could not be closed: changes may be lost");
			}
			notmuch_database_destroy (db);
		}

		g_mutex_lock (&s->lock);
		s->running = NULL;
		job_finish_locked (s, j);
		g_mutex_unlock (&s->lock);
		write_job_free (j);
	}
	return NULL;
}

/* ---- writes: the caller's side ---- */

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

bt_status_t
bt_store_wait (bt_store_t *s, guint id, GError **error)
{
	bt_status_t status = BT_OK;

	if (id == 0)
		store_flush_cache (s);
	g_mutex_lock (&s->lock);
	if (id == 0) {
		guint last = s->next_id;
		while (!g_queue_is_empty (&s->jobs) || s->running)
			g_cond_wait (&s->cond, &s->lock);
		for (guint i = s->wait_mark + 1; i < last && status == BT_OK; i++) {
			write_result_t *r = g_hash_table_lookup (s->results, GUINT_TO_POINTER (i));
			if (r && r->status != BT_OK)
				status = bt_error_set (error, r->status, "%s", r->message ? r->message : "write failed");
		}
		s->wait_mark = last - 1;
	} else {
		write_result_t *r;
		if (id >= s->next_id) {
			g_mutex_unlock (&s->lock);
			return bt_error_set (error, BT_ERR_NOTFOUND, "no write %u", id);
		}
		while ((r = g_hash_table_lookup (s->results, GUINT_TO_POINTER (id))) == NULL)
			g_cond_wait (&s->cond, &s->lock);
		if (r->status != BT_OK)
			status = bt_error_set (error, r->status, "%s", r->message ? r->message : "write failed");
	}
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
		write_job_free (j);
	}
	g_mutex_unlock (&s->lock);
}

static bt_status_t
check_ops (const bt_tag_op_t *ops, guint n, GPtrArray *parsed, GError **error)
{
	if (n == 0)
		return bt_error_set (error, BT_ERR_INVALID, "no message to change");
	for (guint i = 0; i < n; i++) {
		job_op_t *op = g_new0 (job_op_t, 1);
		GError *e = NULL;

		if (ops[i].message_id == NULL || *ops[i].message_id == '\0') {
			g_free (op);
			return bt_error_set (error, BT_ERR_INVALID, "empty message id");
		}
		if (!bt_settings_parse_tags (ops[i].changes, &op->add, &op->remove, &e)) {
			bt_status_t st = bt_error_set (error, BT_ERR_INVALID, "%s", e->message);
			g_error_free (e);
			g_free (op);
			return st;
		}
		op->message_id = g_strdup (ops[i].message_id);
		g_ptr_array_add (parsed, op);
	}
	return BT_OK;
}

bt_status_t
bt_store_plan (bt_store_t *s, const bt_tag_op_t *ops, guint n, GPtrArray *out, GError **error)
{
	GPtrArray *parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) job_op_free);
	GString *missing = g_string_new (NULL);
	bt_status_t status;

	status = check_ops (ops, n, parsed, error);
	if (status != BT_OK)
		goto done;
	store_refresh (s);
	for (guint i = 0; i < parsed->len; i++) {
		job_op_t *op = parsed->pdata[i];
		notmuch_message_t *m;
		bt_journal_change_t *c;
		GError *e = NULL;

		if (find_message (s->db, op->message_id, &m, &e) != BT_OK) {
			g_string_append_printf (missing, "%s%s", missing->len ? "; " : "", e->message);
			g_error_free (e);
			continue;
		}
		c = g_new0 (bt_journal_change_t, 1);
		c->message_id = g_strdup (notmuch_message_get_message_id (m));
		c->before = message_tags (m);
		c->after = tags_apply (c->before, op->add, op->remove);
		notmuch_message_destroy (m);
		g_ptr_array_add (out, c);
	}
	if (missing->len)
		status = bt_error_set (error, BT_ERR_NOTFOUND, "%s", missing->str);
done:
	g_string_free (missing, TRUE);
	g_ptr_array_unref (parsed);
	return status;
}

static guint
store_apply_kind (bt_store_t *s, const bt_tag_op_t *ops, guint n, const char *kind,
		  const char *label, GError **error)
{
	GPtrArray *parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) job_op_free);
	write_job_t *j;

	if (check_ops (ops, n, parsed, error) != BT_OK
	    || bt_journal_check_writable (s->journal_path, error) != BT_OK) {
		g_ptr_array_unref (parsed);
		return 0;
	}
	j = g_new0 (write_job_t, 1);
	j->kind = g_strdup (kind);
	j->label = g_strdup (label ? label : "change tags");
	j->ops = parsed;
	return store_enqueue (s, j);
}

guint
bt_store_apply (bt_store_t *s, const bt_tag_op_t *ops, guint n, const char *label, GError **error)
{
	return store_apply_kind (s, ops, n, "tag", label, error);
}

guint
bt_store_tag (bt_store_t *s, const char *const *ids, guint n, const char *changes,
	      const char *label, GError **error)
{
	bt_tag_op_t *ops = g_new0 (bt_tag_op_t, n ? n : 1);
	guint id;

	for (guint i = 0; i < n; i++) {
		ops[i].message_id = ids[i];
		ops[i].changes = changes;
	}
	id = bt_store_apply (s, ops, n, label, error);
	g_free (ops);
	return id;
}

bt_status_t
bt_store_undoable (bt_store_t *s, guint n, GPtrArray *out, GPtrArray *problems, GError **error)
{
	GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_entry_free);
	GPtrArray *pick = g_ptr_array_new ();
	bt_status_t status;

	if (s->journal_path == NULL) {
		status = bt_error_set (error, BT_ERR_NOTFOUND, "no journal: nothing to undo");
		goto done;
	}
	status = bt_journal_read (s->journal_path, all, problems, error);
	if (status != BT_OK)
		goto done;
	/* Skip what an undo queued in this run is already undoing. */
	g_mutex_lock (&s->lock);
	for (guint i = all->len; i > 0; i--) {
		bt_journal_entry_t *e = all->pdata[i - 1];
		if (g_hash_table_contains (s->undo_queued, e->id))
			g_ptr_array_remove_index (all, i - 1);
	}
	g_mutex_unlock (&s->lock);
	bt_journal_undoable (all, n, pick);
	/* Move the picked entries out of all without freeing them. */
	for (guint i = 0; i < pick->len; i++) {
		guint at;
		if (g_ptr_array_find (all, pick->pdata[i], &at))
			g_ptr_array_add (out, g_ptr_array_steal_index (all, at));
	}
done:
	g_ptr_array_unref (pick);
	g_ptr_array_unref (all);
	return status;
}

guint
bt_store_undo (bt_store_t *s, guint n, GPtrArray *problems, GError **error)
{
	GPtrArray *todo = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_entry_free);
	GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) job_op_free);
	GPtrArray *undoes = g_ptr_array_new ();
	GString *label = g_string_new ("undo: ");
	write_job_t *j;
	guint id = 0;

	if (bt_store_undoable (s, n ? n : 1, todo, problems, error) != BT_OK)
		goto done;
	if (todo->len == 0) {
		bt_error_set (error, BT_ERR_NOTFOUND, "nothing to undo");
		goto done;
	}
	if (bt_journal_check_writable (s->journal_path, error) != BT_OK)
		goto done;
	/* Most recent first, so each message is walked back in order. */
	for (guint i = 0; i < todo->len; i++) {
		bt_journal_entry_t *e = todo->pdata[i];
		g_string_append_printf (label, "%s%s", i ? ", " : "", *e->label ? e->label : e->id);
		g_ptr_array_add (undoes, g_strdup (e->id));
		for (guint k = 0; k < e->changes->len; k++) {
			job_op_t *op = g_new0 (job_op_t, 1);
			bt_journal_change_t *c = e->changes->pdata[k];
			op->message_id = g_strdup (c->message_id);
			bt_journal_change_reverse (c, &op->add, &op->remove);
			g_ptr_array_add (ops, op);
		}
	}
	g_ptr_array_add (undoes, NULL);
	j = g_new0 (write_job_t, 1);
	j->kind = g_strdup ("undo");
	j->label = g_string_free (label, FALSE);
	label = NULL;
	j->undoes = (char **) g_ptr_array_free (undoes, FALSE);
	undoes = NULL;
	j->ops = ops;
	ops = NULL;
	g_mutex_lock (&s->lock);
	for (char **u = j->undoes; *u; u++)
		g_hash_table_add (s->undo_queued, g_strdup (*u));
	g_mutex_unlock (&s->lock);
	id = store_enqueue (s, j);
done:
	if (label)
		g_string_free (label, TRUE);
	if (undoes) {
		g_ptr_array_set_free_func (undoes, g_free);
		g_ptr_array_unref (undoes);
	}
	if (ops)
		g_ptr_array_unref (ops);
	g_ptr_array_unref (todo);
	return id;
}

/* ---- single messages ---- */

char **
bt_store_message_tags (bt_store_t *s, const char *message_id, GError **error)
{
	notmuch_message_t *m;
	char **tags;

	store_refresh (s);
	if (find_message (s->db, message_id, &m, error) != BT_OK)
		return NULL;
	tags = message_tags (m);
	notmuch_message_destroy (m);
	return tags;
}

/* Parse the first readable file of m.  NULL with *error naming the
 * message and the file(s) when none can be read. */
bt_report_t *
bt_store_parse_message (const bt_store_t *s, notmuch_message_t *m, char **used_file, GError **error)
{
	notmuch_filenames_t *fn;
	bt_report_t *r = NULL;
	GString *why = g_string_new (NULL);

	for (fn = notmuch_message_get_filenames (m); r == NULL && notmuch_filenames_valid (fn);
	     notmuch_filenames_move_to_next (fn)) {
		const char *path = notmuch_filenames_get (fn);
		GError *e = NULL;

		r = bt_parse_file (path, &e);
		if (r == NULL) {
			g_string_append_printf (why, "%s%s", why->len ? "; " : "",
						e ? e->message : path);
			g_clear_error (&e);
		} else if (used_file)
			*used_file = g_strdup (path);
	}
	notmuch_filenames_destroy (fn);
	if (r == NULL)
		bt_error_set (error, BT_ERR_IO, "message id:%s cannot be read (%s); skipped",
			      notmuch_message_get_message_id (m),
			      why->len ? why->str : "it has no file");
	else if (s->kb)
		bt_classify_report (s->kb, r);
	g_string_free (why, TRUE);
	return r;
}

bt_report_t *
bt_store_report (bt_store_t *s, const char *message_id, GError **error)
{
	notmuch_message_t *m;
	bt_report_t *r;

	store_refresh (s);
	if (find_message (s->db, message_id, &m, error) != BT_OK)
		return NULL;
	r = bt_store_parse_message (s, m, NULL, error);
	notmuch_message_destroy (m);
	return r;
}

void
bt_original_free (bt_original_t *o)
{
	if (o == NULL)
		return;
	g_free (o->message_id);
	g_free (o->filename);
	g_free (o->from);
	g_free (o->to);
	g_free (o->subject);
	g_strfreev (o->tags);
	g_free (o);
}

bt_original_t *
bt_store_find_original (bt_store_t *s, const bt_bounce_t *b, GError **error)
{
	notmuch_message_t *m;
	bt_original_t *o;

	if (b == NULL || b->orig_message_id == NULL) {
		bt_error_set (error, BT_ERR_NOTFOUND, "the bounce does not name the original message");
		return NULL;
	}
	store_refresh (s);
	if (find_message (s->db, b->orig_message_id, &m, error) != BT_OK)
		return NULL;
	o = g_new0 (bt_original_t, 1);
	o->message_id = g_strdup (notmuch_message_get_message_id (m));
	o->filename = g_strdup (notmuch_message_get_filename (m));
	o->from = g_strdup (notmuch_message_get_header (m, "from"));
	o->to = g_strdup (notmuch_message_get_header (m, "to"));
	o->subject = g_strdup (notmuch_message_get_header (m, "subject"));
	o->date = notmuch_message_get_date (m);
	o->tags = message_tags (m);
	notmuch_message_destroy (m);
	return o;
}

char *
bt_store_default_changes (bt_store_t *s, const bt_bounce_t *b)
{
	GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
	GString *out = g_string_new (NULL);

	g_ptr_array_add (words, g_strdup ("+bounce"));
	for (guint i = 0; i < b->n_rcpt; i++) {
		const bt_bounce_rcpt_t *r = &b->rcpt[i];
		const bt_kb_entry_t *e = r->kb && s->kb ? bt_kb_get (s->kb, r->kb) : NULL;
		char **kbw;

		if (r->reason)
			g_ptr_array_add (words, g_strdup_printf ("+bounce/%s", r->reason));
		kbw = g_strsplit_set (e && bt_kb_entry_tags (e) ? bt_kb_entry_tags (e) : "", " \t", -1);
		for (char **w = kbw; *w; w++)
			if ((**w == '+' || **w == '-') && (*w)[1])
				g_ptr_array_add (words, g_strdup (*w));
		g_strfreev (kbw);
	}
	for (guint i = 0; i < words->len; i++) {
		bool dup = false;
		for (guint k = 0; k < i && !dup; k++)
			dup = strcmp (words->pdata[k], words->pdata[i]) == 0;
		if (!dup)
			g_string_append_printf (out, "%s%s", out->len ? " " : "", (char *) words->pdata[i]);
	}
	g_ptr_array_unref (words);
	return g_string_free (out, FALSE);
}

/* ---- scanning ---- */

struct bt_scan {
	bt_store_t *store;
	notmuch_database_t *db;
	bool own_db_counted;      /* counted in store->active_scans */
	notmuch_query_t *query;
	notmuch_messages_t *messages;
	unsigned flags;
	bool started, done;
	bt_scan_stats_t stats;
};

char *
bt_store_scan_query (const bt_store_t *s, const char *query, unsigned flags)
{
	if (flags & BT_SCAN_RAW_QUERY)
		return g_strdup (query && *query ? query : "*");
	if (flags & BT_SCAN_ALL) {
		const char *b = bt_settings_get (s->settings, "query.bounces");
		if (query && *query)
			return g_strdup_printf ("(%s) and (%s)", b, query);
		return g_strdup_printf ("(%s)", b);
	}
	return bt_settings_bounce_query (s->settings, query);
}

bt_scan_t *
bt_scan_new_on (bt_store_t *s, notmuch_database_t *db, const char *query, unsigned flags,
		GError **error)
{
	bt_scan_t *scan = g_new0 (bt_scan_t, 1);
	char *q = bt_store_scan_query (s, query, flags);
	notmuch_config_values_t *ex;

	scan->store = s;
	scan->db = db;
	scan->flags = flags;
	scan->query = notmuch_query_create (db, q);
	if (scan->query == NULL) {
		bt_error_set (error, BT_ERR_INVALID, "query '%s': out of memory", q);
		g_free (q);
		g_free (scan);
		return NULL;
	}
	notmuch_query_set_sort (scan->query, (flags & BT_SCAN_OLDEST_FIRST)
				? NOTMUCH_SORT_OLDEST_FIRST : NOTMUCH_SORT_NEWEST_FIRST);
	/* As the notmuch command does: search.exclude_tags (deleted, spam...). */
	for (ex = notmuch_config_get_values (db, NOTMUCH_CONFIG_EXCLUDE_TAGS);
	     ex && notmuch_config_values_valid (ex); notmuch_config_values_move_to_next (ex))
		notmuch_query_add_tag_exclude (scan->query, notmuch_config_values_get (ex));
	if (ex)
		notmuch_config_values_destroy (ex);
	g_free (q);
	return scan;
}

bt_scan_t *
bt_scan_new (bt_store_t *s, const char *query, unsigned flags, GError **error)
{
	bt_scan_t *scan;
	notmuch_status_t st;

	store_refresh (s);
	scan = bt_scan_new_on (s, s->db, query, flags, error);
	if (scan == NULL)
		return NULL;
	/* Check the query now, so a typo is reported at once. */
	st = notmuch_query_search_messages (scan->query, &scan->messages);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		bt_error_set (error, BT_ERR_INVALID, "bad query '%s': %s",
			      notmuch_query_get_query_string (scan->query), notmuch_status_to_string (st));
		notmuch_query_destroy (scan->query);
		g_free (scan);
		return NULL;
	}
	scan->started = true;
	scan->own_db_counted = true;
	s->active_scans++;
	return scan;
}

bt_status_t
bt_scan_start (bt_scan_t *scan, GError **error)
{
	notmuch_status_t st;

	if (scan->started)
		return BT_OK;
	scan->started = true;
	st = notmuch_query_search_messages (scan->query, &scan->messages);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		scan->done = true;
		return bt_error_set (error, BT_ERR_INVALID, "bad query '%s': %s",
				     notmuch_query_get_query_string (scan->query),
				     notmuch_status_to_string (st));
	}
	return BT_OK;
}

bt_bounce_t *
bt_scan_next (bt_scan_t *scan, GError **error)
{
	bt_store_t *s = scan->store;

	if (!scan->started && bt_scan_start (scan, error) != BT_OK)
		return NULL;
	while (!scan->done) {
		notmuch_message_t *m;
		const char *version = NULL, *lane_name = NULL;
		bt_bounce_t *b = NULL;
		bt_report_t *r;
		char *file = NULL;

		if (scan->messages == NULL || !notmuch_messages_valid (scan->messages)) {
			scan->done = true;
			break;
		}
		m = notmuch_messages_get (scan->messages);
		notmuch_messages_move_to_next (scan->messages);
		scan->stats.matched++;

		if (!(scan->flags & BT_SCAN_REPARSE)
		    && notmuch_message_get_property (m, P "version", &version) == NOTMUCH_STATUS_SUCCESS
		    && version && strcmp (version, s->version) == 0
		    && notmuch_message_get_property (m, P "lane", &lane_name) == NOTMUCH_STATUS_SUCCESS
		    && lane_name) {
			bt_lane_t lane = lane_from_name (lane_name);
			if (lane == BT_LANE_NONE && strcmp (lane_name, "none") == 0) {
				scan->stats.cached++;
				scan->stats.not_bounces++;
				notmuch_message_destroy (m);
				continue;
			}
			/* An unknown lane or no record: not ours to trust, parse. */
			if (lane != BT_LANE_NONE) {
				b = bounce_from_properties (m, lane);
				if (b->n_rcpt == 0) {
					bt_bounce_free (b);
					b = NULL;
				} else
					scan->stats.cached++;
			}
		}
		if (b == NULL) {
			r = bt_store_parse_message (s, m, &file, error);
			if (r == NULL) {
				scan->stats.unreadable++;
				notmuch_message_destroy (m);
				return NULL;
			}
			scan->stats.parsed++;
			b = bounce_from_report (m, file, r);
			bt_report_free (r);
			g_free (file);
			if (!(scan->flags & BT_SCAN_NO_CACHE))
				bt_store_cache_verdict (s, b->message_id, b->lane == BT_LANE_NONE ? NULL : b);
			if (b->lane == BT_LANE_NONE) {
				scan->stats.not_bounces++;
				bt_bounce_free (b);
				notmuch_message_destroy (m);
				continue;
			}
		}
		notmuch_message_destroy (m);
		scan->stats.bounces++;
		scan->stats.lanes[b->lane]++;
		return b;
	}
	return NULL;
}

bool
bt_scan_done (const bt_scan_t *scan)
{
	return scan->done;
}

const bt_scan_stats_t *
bt_scan_stats (const bt_scan_t *scan)
{
	return &scan->stats;
}

guint
bt_scan_total (bt_scan_t *scan)
{
	unsigned int count = 0;

	if (notmuch_query_count_messages (scan->query, &count) != NOTMUCH_STATUS_SUCCESS)
		return 0;
	return count;
}

void
bt_scan_free (bt_scan_t *scan)
{
	if (scan == NULL)
		return;
	if (scan->messages)
		notmuch_messages_destroy (scan->messages);
	notmuch_query_destroy (scan->query);
	if (scan->own_db_counted)
		scan->store->active_scans--;
	/* Whatever was parsed gets cached soon, not only when a batch fills. */
	store_flush_cache (scan->store);
	g_free (scan);
}

/* ---- addresses ---- */

/* A notmuch query term for a property value: quoted, inner quotes doubled. */
static char *
property_term (const char *key, const char *value)
{
	GString *q = g_string_new ("property:\"");

	g_string_append_printf (q, "%s=", key);
	for (const char *p = value; *p; p++) {
		if (*p == '"')
			g_string_append_c (q, '"');
		g_string_append_c (q, *p);
	}
	g_string_append_c (q, '"');
	return g_string_free (q, FALSE);
}

bt_status_t
bt_store_address_messages (bt_store_t *s, const char *address, GPtrArray *out, GError **error)
{
	char *addr = g_ascii_strdown (address ? address : "", -1);
	char *term = property_term (P "recipient", g_strstrip (addr));
	char *q = g_strdup_printf ("(%s) or %s", bt_settings_get (s->settings, "query.bounces"), term);
	bt_scan_t *scan;
	bt_status_t status = BT_OK;
	guint found = 0;

	if (*addr == '\0') {
		status = bt_error_set (error, BT_ERR_INVALID, "no address given");
		goto done;
	}
	scan = bt_scan_new (s, q, BT_SCAN_RAW_QUERY, error);
	if (scan == NULL) {
		status = BT_ERR_INVALID;
		goto done;
	}
	while (!bt_scan_done (scan)) {
		GError *e = NULL;
		bt_bounce_t *b = bt_scan_next (scan, &e);
		if (e) {
			g_error_free (e);   /* an unreadable message cannot be about addr */
			continue;
		}
		if (b == NULL)
			break;
		for (guint i = 0; i < b->n_rcpt; i++)
			if (b->rcpt[i].recipient && strcmp (b->rcpt[i].recipient, addr) == 0) {
				g_ptr_array_add (out, g_strdup (b->message_id));
				found++;
				break;
			}
		bt_bounce_free (b);
	}
	bt_scan_free (scan);
	if (found == 0)
		status = bt_error_set (error, BT_ERR_NOTFOUND, "no bounce for %s in the database", addr);
done:
	g_free (q);
	g_free (term);
	g_free (addr);
	return status;
}

guint
bt_store_reactivate (bt_store_t *s, const char *address, GError **error)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	const char *changes = bt_settings_get (s->settings, "tags.reactivated");
	bt_tag_op_t *ops;
	char *label;
	guint id = 0;

	if (bt_store_address_messages (s, address, ids, error) != BT_OK)
		goto done;
	ops = g_new0 (bt_tag_op_t, ids->len);
	for (guint i = 0; i < ids->len; i++) {
		ops[i].message_id = ids->pdata[i];
		ops[i].changes = changes;
	}
	label = g_strdup_printf ("reactivate %s", address);
	id = store_apply_kind (s, ops, ids->len, "reactivate", label, error);
	g_free (label);
	g_free (ops);
done:
	g_ptr_array_unref (ids);
	return id;
}
