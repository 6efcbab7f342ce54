/* feed-store.c: rows from the notmuch store (feed.h, store.h).
 *
 * Browsing is read-only; the store's loader thread reads bounces in
 * batches (cached verdicts first, uncached ones parsed), so the list fills
 * while the user works.  Tag changes are queued on the store's write
 * worker: nothing here waits for the database lock. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <notmuch.h>
#include <glib/gstdio.h>
#include "bouncetriage/demo.h"
#include "bouncetriage/store.h"
#include "cli.h"
#include "feed.h"

#define STORE_BATCH 60

typedef struct {
	bt_feed_t base;
	bt_store_t *store;
	bt_loader_t *loader;
	char *query;
	char *demo_root;           /* temporary database, removed at the end */
	GPtrArray *msgs;           /* store_msg_t *, owned */
	/* Every string of msgs and rows: reasons, domains, kb ids and the like
	 * are interned (one copy for the whole list), the rest appended.  The
	 * scan's bt_bounce_t (a 512-byte chunk of its own and more) is freed
	 * as soon as its rows are made. */
	GStringChunk *strings;
	/* Tag sets: most messages share one of a few, so each msg's tags point
	 * to the set's one array (of interned tags).  Key: the set encoded as
	 * "len:tag" pieces; value: the NULL-terminated array (g_free). */
	GHashTable *tagsets;
	GPtrArray *rows;           /* bt_row_t *, owned */
	GHashTable *pending;       /* write id -> GPtrArray of bt_msg_t * (msgs to refresh) */
	guint total;
	/* The count for the progress bar is due: it is taken once the first
	 * rows were handed over (so after the first screen), as it evaluates
	 * the query on this thread (0.1-0.2 s at 100,000 messages). */
	bool count_due;
	bt_report_t *report;       /* of report_msg, cached */
	bt_msg_t *report_msg;
} store_feed_t;

/* A message as the list keeps it: what bt_store_default_changes needs of
 * every recipient (rows exist for listed ones only) rides along. */
typedef struct {
	const char *reason, *kb;   /* interned */
} store_rcpt_t;

typedef struct {
	bt_msg_t base;
	guint n_rcpt;
	store_rcpt_t rcpt[];       /* every recipient, listed or not */
} store_msg_t;

/* s copied into the chunk once for the whole list (repeated strings). */
static const char *
store_intern (store_feed_t *f, const char *s)
{
	return s ? g_string_chunk_insert_const (f->strings, s) : NULL;
}

/* s copied into the chunk (strings of one message). */
static const char *
store_str (store_feed_t *f, const char *s)
{
	return s ? g_string_chunk_insert (f->strings, s) : NULL;
}

/* tags (may be NULL) as the feed's shared array for that set. */
static char **
store_tagset (store_feed_t *f, char **tags)
{
	GString *key;
	char **set;
	guint n;

	if (tags == NULL)
		return NULL;
	key = g_string_new (NULL);
	for (n = 0; tags[n]; n++)
		g_string_append_printf (key, "%zu:%s", strlen (tags[n]), tags[n]);
	set = g_hash_table_lookup (f->tagsets, key->str);
	if (set == NULL) {
		set = g_new0 (char *, n + 1);
		for (guint i = 0; i < n; i++)
			set[i] = (char *) store_intern (f, tags[i]);
		g_hash_table_insert (f->tagsets, g_string_free (key, FALSE), set);
	} else
		g_string_free (key, TRUE);
	return set;
}

/* The parts of m that bt_store_default_changes and bt_store_find_original
 * read, as a bt_bounce_t borrowing m's strings; g_free b->rcpt after. */
static void
store_msg_bounce (const bt_msg_t *msg, bt_bounce_t *b)
{
	const store_msg_t *m = (const store_msg_t *) msg;
	bt_bounce_rcpt_t *rc = g_new0 (bt_bounce_rcpt_t, m->n_rcpt ? m->n_rcpt : 1);

	for (guint i = 0; i < m->n_rcpt; i++) {
		rc[i].reason = m->rcpt[i].reason;
		rc[i].kb = m->rcpt[i].kb;
	}
	memset (b, 0, sizeof *b);
	b->message_id = msg->message_id;
	b->filename = msg->filename;
	b->date = msg->date;
	b->orig_message_id = msg->orig_message_id;
	b->orig_to = msg->orig_to;
	b->tags = msg->tags;
	b->n_rcpt = m->n_rcpt;
	b->rcpt = rc;
}

/* Takes b: its rows are made, then it is freed. */
static void
store_add_bounce (store_feed_t *f, bt_bounce_t *b)
{
	store_msg_t *sm = g_malloc0 (sizeof *sm + b->n_rcpt * sizeof sm->rcpt[0]);
	bt_msg_t *m = &sm->base;

	m->message_id = store_str (f, b->message_id);
	m->filename = store_str (f, b->filename);
	m->date = b->date;
	m->subject = store_str (f, b->orig_subject ? b->orig_subject : b->subject);
	m->orig_to = store_str (f, b->orig_to);
	m->orig_message_id = store_str (f, b->orig_message_id);
	m->tags = store_tagset (f, b->tags);
	sm->n_rcpt = b->n_rcpt;
	g_ptr_array_add (f->msgs, m);
	for (guint i = 0; i < b->n_rcpt; i++) {
		const bt_bounce_rcpt_t *rc = &b->rcpt[i];
		bt_row_t *r;

		sm->rcpt[i].reason = store_intern (f, rc->reason);
		sm->rcpt[i].kb = store_intern (f, rc->kb);
		if (rc->lane == BT_LANE_NONE)
			continue;
		r = g_new0 (bt_row_t, 1);
		r->msg = m;
		r->rcpt = i;
		r->recipient = store_str (f, rc->recipient);
		r->domain = store_intern (f, rc->domain);
		r->reason = sm->rcpt[i].reason;
		r->status = store_intern (f, rc->status);
		r->replycode = store_intern (f, rc->replycode);
		r->kb = sm->rcpt[i].kb;
		r->remote_mta = store_intern (f, rc->remote_mta);
		r->hard = rc->hard;
		r->lane = rc->lane;
		r->seq = f->rows->len;
		g_ptr_array_add (f->rows, r);
	}
	bt_bounce_free (b);
}

/* How many messages the query matches, for the progress bar. */
static guint
store_count (store_feed_t *f, const char *query)
{
	bt_scan_t *scan = bt_scan_new (f->store, query, 0, NULL);
	guint n = scan ? bt_scan_total (scan) : 0;

	if (scan)
		bt_scan_free (scan);
	return n;
}

static bool
store_poll (bt_feed_t *feed, GPtrArray *rows, GPtrArray *errors)
{
	store_feed_t *f = (store_feed_t *) feed;
	GPtrArray *bounces;
	guint first = f->rows->len;
	bool done;

	if (f->loader == NULL)
		return true;
	if (f->count_due && first > 0) {
		f->count_due = false;
		f->total = store_count (f, f->query);
	}
	bounces = g_ptr_array_new ();
	done = bt_loader_take (f->loader, bounces, errors);
	for (guint i = 0; i < bounces->len; i++)
		store_add_bounce (f, bounces->pdata[i]);
	for (guint i = first; i < f->rows->len; i++)
		g_ptr_array_add (rows, f->rows->pdata[i]);
	g_ptr_array_free (bounces, TRUE);
	if (done)
		f->count_due = false;
	if (done && bt_loader_error (f->loader))
		g_ptr_array_add (errors, g_strdup (bt_loader_error (f->loader)->message));
	return done;
}

static int
store_fd (bt_feed_t *feed)
{
	store_feed_t *f = (store_feed_t *) feed;

	return f->loader ? bt_loader_fd (f->loader) : -1;
}

static void
store_progress (bt_feed_t *feed, guint *done, guint *total)
{
	store_feed_t *f = (store_feed_t *) feed;
	bt_scan_stats_t st;

	*done = 0;
	*total = f->total;
	if (f->loader) {
		bt_loader_stats (f->loader, &st);
		*done = st.matched;
	}
	if (*total < *done)
		*total = 0;
}

static void
store_skipped (bt_feed_t *feed, guint *not_bounces, guint *unreadable)
{
	store_feed_t *f = (store_feed_t *) feed;
	bt_scan_stats_t st = { 0 };

	if (f->loader)
		bt_loader_stats (f->loader, &st);
	*not_bounces = st.not_bounces;
	*unreadable = st.unreadable;
}

static void
store_clear (store_feed_t *f)
{
	if (f->loader)
		bt_loader_free (f->loader);
	f->loader = NULL;
	g_clear_pointer (&f->report, bt_report_free);
	f->report_msg = NULL;
	g_hash_table_remove_all (f->pending);
	g_ptr_array_set_size (f->rows, 0);
	g_ptr_array_set_size (f->msgs, 0);
	g_hash_table_remove_all (f->tagsets);
	g_string_chunk_clear (f->strings);
}

static bool
store_restart (bt_feed_t *feed, const char *query, GError **error)
{
	store_feed_t *f = (store_feed_t *) feed;
	bt_loader_t *loader = bt_loader_start (f->store, query, BT_SCAN_CACHE_SOME, STORE_BATCH, error);

	if (loader == NULL)
		return false;
	store_clear (f);
	f->loader = loader;
	g_free (f->query);
	f->query = g_strdup (query);
	f->total = 0;
	f->count_due = true;
	return true;
}

static bt_report_t *
store_report (bt_feed_t *feed, bt_msg_t *msg, GError **error)
{
	store_feed_t *f = (store_feed_t *) feed;

	if (f->report_msg == msg && f->report)
		return f->report;
	g_clear_pointer (&f->report, bt_report_free);
	f->report_msg = msg;
	f->report = bt_store_report (f->store, msg->message_id, error);
	return f->report;
}

static char *
store_raw (bt_feed_t *feed, bt_msg_t *msg, gsize *len, GError **error)
{
	char *text = NULL;

	if (msg->filename == NULL) {
		bt_error_set (error, BT_ERR_NOTFOUND, "the message has no file");
		return NULL;
	}
	if (!g_file_get_contents (msg->filename, &text, len, error))
		return NULL;
	return text;
}

static GPtrArray *
store_ids (GPtrArray *msgs)
{
	GPtrArray *ids = g_ptr_array_new ();

	for (guint i = 0; i < msgs->len; i++)
		g_ptr_array_add (ids, (gpointer) ((bt_msg_t *) msgs->pdata[i])->message_id);
	return ids;
}

static void
store_track (store_feed_t *f, guint id, GPtrArray *msgs)
{
	GPtrArray *copy = g_ptr_array_new ();

	if (id == 0)
		return;
	if (msgs)
		g_ptr_array_extend (copy, msgs, NULL, NULL);
	else
		g_ptr_array_extend (copy, f->msgs, NULL, NULL);
	g_hash_table_insert (f->pending, GUINT_TO_POINTER (id), copy);
}

static guint
store_tag (bt_feed_t *feed, GPtrArray *msgs, const char *changes, const char *label, GError **error)
{
	store_feed_t *f = (store_feed_t *) feed;
	GPtrArray *ids = store_ids (msgs);
	guint id = bt_store_tag (f->store, (const char *const *) ids->pdata, ids->len,
				 changes, label, error);

	store_track (f, id, msgs);
	g_ptr_array_free (ids, TRUE);
	return id;
}

static guint
store_default_tags (bt_feed_t *feed, GPtrArray *msgs, const char *label, GError **error)
{
	store_feed_t *f = (store_feed_t *) feed;
	bt_tag_op_t *ops = g_new0 (bt_tag_op_t, msgs->len);
	char **changes = g_new0 (char *, msgs->len + 1);
	guint id;

	for (guint i = 0; i < msgs->len; i++) {
		bt_msg_t *m = msgs->pdata[i];

		bt_bounce_t b;

		store_msg_bounce (m, &b);
		changes[i] = bt_store_default_changes (f->store, &b);
		g_free (b.rcpt);
		ops[i].message_id = m->message_id;
		ops[i].changes = changes[i];
	}
	id = bt_store_apply (f->store, ops, msgs->len, label, error);
	store_track (f, id, msgs);
	g_strfreev (changes);
	g_free (ops);
	return id;
}

static guint
store_undo (bt_feed_t *feed, GError **error)
{
	store_feed_t *f = (store_feed_t *) feed;
	guint id = bt_store_undo (f->store, 1, NULL, error);

	store_track (f, id, NULL);   /* which messages: read them all again */
	return id;
}

static void
store_refresh_tags (store_feed_t *f, GPtrArray *msgs)
{
	for (guint i = 0; i < msgs->len; i++) {
		bt_msg_t *m = msgs->pdata[i];
		char **tags = bt_store_message_tags (f->store, m->message_id, NULL);

		if (tags) {
			m->tags = store_tagset (f, tags);
			g_strfreev (tags);
		}
	}
}

static char *
store_writes (bt_feed_t *feed, GPtrArray *notes, GPtrArray *errors, bool *changed)
{
	store_feed_t *f = (store_feed_t *) feed;
	GPtrArray *finished = bt_store_finished (f->store);
	GPtrArray *queue = bt_store_queue (f->store);
	guint user = 0;
	double oldest = 0;
	bool overdue = false;
	char *line = NULL;

	for (guint i = 0; i < finished->len; i++) {
		bt_write_info_t *w = finished->pdata[i];
		GPtrArray *msgs = g_hash_table_lookup (f->pending, GUINT_TO_POINTER (w->id));

		if (w->state == BT_WRITE_FAILED)
			g_ptr_array_add (errors, g_strdup_printf ("%s: failed: %s", w->label,
								  w->message ? w->message : "?"));
		else if (w->journaled)
			g_ptr_array_add (notes, g_strdup_printf ("done: %s%s%s", w->label,
								 w->message ? "; " : "",
								 w->message ? w->message : ""));
		if (msgs) {
			store_refresh_tags (f, msgs);
			g_hash_table_remove (f->pending, GUINT_TO_POINTER (w->id));
			*changed = true;
		}
	}
	for (guint i = 0; i < queue->len; i++) {
		bt_write_info_t *w = queue->pdata[i];

		if (!w->journaled)
			continue;
		user++;
		if (w->age > oldest)
			oldest = w->age;
		overdue |= w->overdue;
	}
	if (user)
		line = g_strdup_printf ("%u write%s queued, oldest %.0fs%s", user, user == 1 ? "" : "s",
					oldest, overdue ? " (database busy?)" : "");
	g_ptr_array_unref (finished);
	g_ptr_array_unref (queue);
	return line;
}

static int
store_strcmp (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Every tag of the database: a short read-only open of our own. */
static char **
store_all_tags (bt_feed_t *feed)
{
	store_feed_t *f = (store_feed_t *) feed;
	notmuch_database_t *db = NULL;
	notmuch_tags_t *tags;
	GPtrArray *out = g_ptr_array_new ();
	char *msg = NULL;
	const char *config = bt_store_config_path (f->store);

	if (notmuch_database_open_with_config (bt_store_database_path (f->store),
					       NOTMUCH_DATABASE_MODE_READ_ONLY,
					       config ? config : "", NULL, &db, &msg) == NOTMUCH_STATUS_SUCCESS) {
		for (tags = notmuch_database_get_all_tags (db);
		     tags && notmuch_tags_valid (tags); notmuch_tags_move_to_next (tags))
			g_ptr_array_add (out, g_strdup (notmuch_tags_get (tags)));
		notmuch_database_destroy (db);
	}
	free (msg);
	g_ptr_array_sort (out, store_strcmp);
	g_ptr_array_add (out, NULL);
	return (char **) g_ptr_array_free (out, FALSE);
}

static char *
store_original (bt_feed_t *feed, bt_msg_t *msg, GError **error)
{
	store_feed_t *f = (store_feed_t *) feed;
	bt_original_t *o;
	bt_bounce_t b;
	char *text = NULL;
	GString *s;

	store_msg_bounce (msg, &b);
	o = bt_store_find_original (f->store, &b, error);
	g_free (b.rcpt);
	if (o == NULL)
		return NULL;
	s = g_string_new (NULL);
	if (o->filename && g_file_get_contents (o->filename, &text, NULL, NULL)) {
		g_string_append (s, text);
		g_free (text);
	} else {
		char *tags = o->tags ? g_strjoinv (" ", o->tags) : g_strdup ("");

		g_string_append_printf (s, "Message-ID: %s\nFrom: %s\nTo: %s\nSubject: %s\nTags: %s\n",
					o->message_id ? o->message_id : "", o->from ? o->from : "",
					o->to ? o->to : "", o->subject ? o->subject : "", tags);
		g_free (tags);
	}
	bt_original_free (o);
	return g_string_free (s, FALSE);
}

static const char *
store_query (bt_feed_t *feed)
{
	return ((store_feed_t *) feed)->query;
}

static void
store_free (bt_feed_t *feed)
{
	store_feed_t *f = (store_feed_t *) feed;

	store_clear (f);
	if (f->store)
		bt_store_close (f->store);   /* waits for queued writes */
	g_ptr_array_free (f->rows, TRUE);
	g_ptr_array_free (f->msgs, TRUE);
	g_hash_table_destroy (f->tagsets);
	g_string_chunk_free (f->strings);
	g_hash_table_destroy (f->pending);
	if (f->demo_root)
		bt_demo_remove (f->demo_root);
	g_free (f->demo_root);
	g_free (f->query);
}

static const bt_feed_ops_t store_ops = {
	.name = "notmuch",
	.poll = store_poll,
	.fd = store_fd,
	.progress = store_progress,
	.skipped = store_skipped,
	.restart = store_restart,
	.report = store_report,
	.raw = store_raw,
	.tag = store_tag,
	.default_tags = store_default_tags,
	.undo = store_undo,
	.writes = store_writes,
	.all_tags = store_all_tags,
	.original = store_original,
	.query = store_query,
	.free = store_free,
};

/* The bundled demo messages: the corpus of the source tree or the
 * installed copy. */
static char *
store_demo_dir (void)
{
	char *dir = bt_cli_data_path ("demo");

	if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
		g_free (dir);
		dir = bt_cli_data_path ("tests/corpus");
	}
	return dir;
}

static bt_status_t
store_demo (store_feed_t *f, char **config, GError **error)
{
	char *src = store_demo_dir ();
	bt_status_t st;

	f->demo_root = g_dir_make_tmp ("bouncetriage-demo-XXXXXX", NULL);
	if (f->demo_root == NULL) {
		g_free (src);
		return bt_error_set (error, BT_ERR_IO, "cannot make a temporary folder for the demo");
	}
	st = bt_demo_create (src, f->demo_root, config, error);
	g_free (src);
	return st;
}

bt_feed_t *
bt_feed_store_new (bool demo, const char *config_path, const bt_settings_t *settings,
		   const bt_kb_t *kb, GError **error)
{
	store_feed_t *f = g_new0 (store_feed_t, 1);
	bt_store_options_t opts = { 0 };
	char *demo_config = NULL, *journal = NULL, *cache = NULL;

	f->base.ops = &store_ops;
	f->msgs = g_ptr_array_new_with_free_func (g_free);
	f->strings = g_string_chunk_new (64 * 1024);
	f->tagsets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	f->rows = g_ptr_array_new_with_free_func (g_free);
	f->pending = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
					    (GDestroyNotify) g_ptr_array_unref);
	if (demo && store_demo (f, &demo_config, error) != BT_OK)
		goto fail;
	/* the demo keeps its own journal and cache: they are not the user's */
	journal = demo ? g_build_filename (f->demo_root, "journal", NULL) : bt_cli_state_path ("journal");
	cache = demo ? g_build_filename (f->demo_root, "cache", NULL) : bt_cli_cache_path (NULL);
	opts.notmuch_config = demo ? demo_config : config_path;
	opts.journal_path = journal;
	opts.cache_dir = cache;
	opts.settings = settings;
	opts.kb = kb;
	f->store = bt_store_open (&opts, error);
	if (f->store == NULL)
		goto fail;
	f->base.label = g_strdup (demo ? "demo" : bt_store_database_path (f->store));
	g_free (demo_config);
	g_free (journal);
	g_free (cache);
	return &f->base;
fail:
	g_free (demo_config);
	g_free (journal);
	g_free (cache);
	f->base.ops->free (&f->base);
	g_free (f);
	return NULL;
}
