/* store.c: bounces in a notmuch database: opening it, and single messages.
 *
 * Reading happens on a read-only handle owned by the caller's thread (and
 * on the loader's own handle); every write goes through one worker thread
 * (store-write.c) that opens the database read-write per job, so waiting
 * for another writer's lock never blocks the user.  Verdicts are cached in
 * message properties (store-cache.c) so a second start reads no mail file. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include "bouncetriage/classify.h"
#include "bouncetriage/parse.h"
#include "store-private.h"
#include "strv.h"

/* "<id@host>" -> "id@host" (g_free). */
char *
bt_store_strip_id (const char *id)
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

bt_lane_t
bt_store_lane_from_name (const char *name)
{
	for (int l = BT_LANE_NONE; l <= BT_LANE_DELIVERED; l++)
		if (name && strcmp (bt_lane_name (l), name) == 0)
			return l;
	return BT_LANE_NONE;
}

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

/* Why notmuch could not open the database, as a sentence part: its text
 * reads "Error: cannot load config file.\n" (g_free). */
static char *
open_failure_text (notmuch_status_t st, const char *msg)
{
	char *why = g_strstrip (g_strdup (msg ? msg : notmuch_status_to_string (st)));
	size_t wl;

	if (g_str_has_prefix (why, "Error: "))
		memmove (why, why + 7, strlen (why + 7) + 1);
	wl = strlen (why);
	if (wl > 0 && why[wl - 1] == '.')
		why[wl - 1] = '\0';
	return why;
}

static bt_status_t
open_failure (const bt_store_t *s, notmuch_status_t st, char *msg, GError **error)
{
	char *why = open_failure_text (st, msg);
	bt_status_t status;

	if (status_is_not_found (st))
		status = bt_error_set (error, BT_ERR_NOTFOUND,
				       "no notmuch database found%s%s%s (%s).\n"
				       "Point bouncetriage at your notmuch configuration with --config FILE "
				       "or NOTMUCH_CONFIG=FILE (its database.path names the database), "
				       "or try the bundled demo: bouncetriage --demo",
				       s->config_arg ? " with " : "", s->config_arg ? s->config_arg : "",
				       s->config_arg && !*s->config_arg ? "no configuration file" : "",
				       why);
	else
		status = bt_error_set (error, BT_ERR_DB, "cannot open the notmuch database: %s", why);
	g_free (why);
	free (msg);
	return status;
}

/* What the store keeps of the database's configuration. */
static void
read_config (bt_store_t *s)
{
	const char *cp = notmuch_config_path (s->db);
	notmuch_bool_t sync = FALSE;

	s->db_path = g_strdup (notmuch_database_get_path (s->db));
	s->config_path = cp && *cp ? g_strdup (cp) : NULL;
	if (notmuch_config_get_bool (s->db, NOTMUCH_CONFIG_SYNC_MAILDIR_FLAGS, &sync) == NOTMUCH_STATUS_SUCCESS)
		s->sync_flags = sync;
	s->version = g_strdup_printf ("%s+%s", PACKAGE_VERSION, s->kb ? bt_kb_digest (s->kb) : "nokb");
}

bt_store_t *
bt_store_open (const bt_store_options_t *opts, GError **error)
{
	bt_store_t *s = g_new0 (bt_store_t, 1);
	char *msg = NULL;
	notmuch_status_t st;

	s->config_arg = g_strdup (opts->notmuch_config);
	s->profile = g_strdup (opts->profile);
	s->journal_path = g_strdup (opts->journal_path);
	s->settings = opts->settings;
	if (s->settings == NULL)
		s->settings = s->own_settings = bt_settings_new ();
	s->kb = opts->kb;
	s->cache_write = !opts->no_cache_write && bt_settings_get_bool (s->settings, "scan.cache");
	s->cache_max = (guint) bt_settings_get_int (s->settings, "scan.cache-queue");
	if (opts->cache_dir && *opts->cache_dir && bt_settings_get_bool (s->settings, "scan.list-cache"))
		s->cache_dir = g_strdup (opts->cache_dir);
	bt_store_writes_init (s);

	st = bt_store_db_open (s, NOTMUCH_DATABASE_MODE_READ_ONLY, &s->db, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		open_failure (s, st, msg, error);
		goto fail;
	}
	read_config (s);
	if (bt_store_writes_start (s, error) != BT_OK)
		goto fail;
	return s;
fail:
	bt_store_close (s);
	return NULL;
}

void
bt_store_close (bt_store_t *s)
{
	if (s == NULL)
		return;
	bt_store_writes_stop (s);
	if (s->db)
		notmuch_database_destroy (s->db);
	bt_store_writes_clear (s);
	bt_settings_free (s->own_settings);
	g_free (s->config_arg);
	g_free (s->profile);
	g_free (s->journal_path);
	g_free (s->cache_dir);
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
void
bt_store_refresh (bt_store_t *s)
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

bt_status_t
bt_store_find_message (notmuch_database_t *db, const char *id, notmuch_message_t **m, GError **error)
{
	char *bare = bt_store_strip_id (id);
	notmuch_status_t st;
	bt_status_t status = BT_OK;

	*m = NULL;
	if (bare == NULL)
		return bt_error_set (error, BT_ERR_INVALID, "empty message id");
	st = notmuch_database_find_message (db, bare, m);
	if (st != NOTMUCH_STATUS_SUCCESS)
		status = bt_error_set (error, BT_ERR_DB, "id:%s: %s", bare, notmuch_status_to_string (st));
	else if (*m == NULL)
		status = bt_error_set (error, BT_ERR_NOTFOUND, "id:%s is not in the database", bare);
	g_free (bare);
	return status;
}

char **
bt_store_tags_of (notmuch_message_t *m)
{
	GPtrArray *a = g_ptr_array_new ();
	notmuch_tags_t *t;

	for (t = notmuch_message_get_tags (m); notmuch_tags_valid (t); notmuch_tags_move_to_next (t))
		g_ptr_array_add (a, g_strdup (notmuch_tags_get (t)));
	notmuch_tags_destroy (t);
	g_ptr_array_sort (a, bt_strv_cmp);
	g_ptr_array_add (a, NULL);
	return (char **) g_ptr_array_free (a, FALSE);
}

char **
bt_store_message_tags (bt_store_t *s, const char *message_id, GError **error)
{
	notmuch_message_t *m;
	char **tags;

	bt_store_refresh (s);
	if (bt_store_find_message (s->db, message_id, &m, error) != BT_OK)
		return NULL;
	tags = bt_store_tags_of (m);
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

	bt_store_refresh (s);
	if (bt_store_find_message (s->db, message_id, &m, error) != BT_OK)
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
	bt_store_refresh (s);
	if (bt_store_find_message (s->db, b->orig_message_id, &m, error) != BT_OK)
		return NULL;
	o = g_new0 (bt_original_t, 1);
	o->message_id = g_strdup (notmuch_message_get_message_id (m));
	o->filename = g_strdup (notmuch_message_get_filename (m));
	o->from = g_strdup (notmuch_message_get_header (m, "from"));
	o->to = g_strdup (notmuch_message_get_header (m, "to"));
	o->subject = g_strdup (notmuch_message_get_header (m, "subject"));
	o->date = notmuch_message_get_date (m);
	o->tags = bt_store_tags_of (m);
	notmuch_message_destroy (m);
	return o;
}
