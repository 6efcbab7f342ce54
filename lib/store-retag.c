/* store-retag.c: a queued tag job as the worker runs it, holding the
 * write lock: every message's tags read, the action journaled (fsync),
 * THEN applied in one atomic section.  A change that cannot be journaled
 * is not made; an action journaled but not applied is marked undone. */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include "store-private.h"
#include "strv.h"

/* One tag job as the worker runs it: every message's tags before and
 * after, keyed by bare message id, in the order first seen.  No message
 * is held open between reading its tags and changing them: each open
 * notmuch_message_t keeps its document, and a document read again after
 * 10,000 others were read stays cheap while holding them all did not
 * (9,761 messages: 20.9 s -> 10.9 s to apply, peak 182 -> 64 MB). */
typedef struct {
	GHashTable *before;    /* key (owned) -> char ** */
	GHashTable *after;     /* key -> char ** */
	GHashTable *missing;   /* op message ids not found */
	GPtrArray *order;      /* keys of before */
	GString *notes;        /* what the user is told besides the status */
	guint nmissing;
} tag_run_t;

static void
run_init (tag_run_t *run)
{
	run->before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					     (GDestroyNotify) g_strfreev);
	run->after = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
					    (GDestroyNotify) g_strfreev);
	run->missing = g_hash_table_new (g_str_hash, g_str_equal);
	run->order = g_ptr_array_new ();
	run->notes = g_string_new (NULL);
	run->nmissing = 0;
}

static void
run_clear (tag_run_t *run)
{
	g_string_free (run->notes, TRUE);
	g_ptr_array_unref (run->order);
	g_hash_table_unref (run->missing);
	g_hash_table_unref (run->after);
	g_hash_table_unref (run->before);
}

/* Notes are joined by "; ". */
static void G_GNUC_PRINTF (2, 3)
note_add (GString *notes, const char *fmt, ...)
{
	va_list ap;

	if (notes->len)
		g_string_append (notes, "; ");
	va_start (ap, fmt);
	g_string_append_vprintf (notes, fmt, ap);
	va_end (ap);
}

/* The key of op's message, found on db and added to run the first time;
 * NULL (noted) when it is not there.  Owned by run. */
static const char *
run_message (tag_run_t *run, notmuch_database_t *db, const job_op_t *op)
{
	char *key = bt_store_strip_id (op->message_id);
	gpointer have = NULL;
	notmuch_message_t *m = NULL;
	char **tags;
	GError *e = NULL;

	if (key == NULL || g_hash_table_contains (run->missing, op->message_id))
		goto fail;
	if (g_hash_table_lookup_extended (run->before, key, &have, NULL)) {
		g_free (key);
		return have;
	}
	if (bt_store_find_message (db, key, &m, &e) != BT_OK) {
		note_add (run->notes, "%s", e->message);
		g_clear_error (&e);
		g_hash_table_add (run->missing, op->message_id);
		run->nmissing++;
		goto fail;
	}
	/* Read once: after starts as a copy of before. */
	tags = bt_store_tags_of (m);
	notmuch_message_destroy (m);
	g_hash_table_insert (run->before, key, tags);
	g_hash_table_insert (run->after, key, g_strdupv (tags));
	g_ptr_array_add (run->order, key);
	return key;
fail:
	g_free (key);
	return NULL;
}

/* Every op of j folded into run->after. */
static void
run_collect (tag_run_t *run, notmuch_database_t *db, const write_job_t *j)
{
	for (guint i = 0; i < j->ops->len; i++) {
		job_op_t *op = j->ops->pdata[i];
		const char *key = run_message (run, db, op);
		char **cur;

		if (key == NULL)
			continue;
		cur = g_hash_table_lookup (run->after, key);
		g_hash_table_insert (run->after, (gpointer) key, bt_strv_edit (cur, op->add, op->remove));
	}
}

/* The journal entry for j, its changes not yet added (bt_journal_entry_free). */
static bt_journal_entry_t *
job_entry (const write_job_t *j)
{
	bt_journal_entry_t *entry = bt_journal_entry_new (j->kind, j->label);

	if (j->undoes) {
		g_strfreev (entry->undoes);
		entry->undoes = g_strdupv (j->undoes);
	}
	return entry;
}

/* Undoing actions whose messages are all gone: nothing to restore, but
 * mark them undone so they stop coming back. */
static void
journal_gone (bt_store_t *s, write_job_t *j, const tag_run_t *run)
{
	bt_journal_entry_t *entry = job_entry (j);
	GError *e = NULL;

	if (bt_journal_append (s->journal_path, entry, &e) != BT_OK) {
		j->status = BT_ERR_IO;
		j->message = g_strdup (e->message);
		g_clear_error (&e);
	} else
		j->message = g_strdup_printf ("nothing to restore: %s", run->notes->str);
	bt_journal_entry_free (entry);
}

/* The journal holds an action that did not happen: mark it undone so
 * that undo skips it. */
static void
journal_not_applied (bt_store_t *s, const char *id)
{
	bt_journal_entry_t *u = bt_journal_entry_new ("undo", "not applied");

	g_strfreev (u->undoes);
	u->undoes = g_new0 (char *, 2);
	u->undoes[0] = g_strdup (id);
	bt_journal_append (s->journal_path, u, NULL);
	bt_journal_entry_free (u);
}

/* Renaming files is outside the atomic section's reach: a file that
 * vanished is reported (libnotmuch skips it silently), the tags still
 * change. */
static void
sync_maildir_flags (notmuch_message_t *m, const char *key, GString *notes)
{
	notmuch_filenames_t *fn;
	notmuch_status_t fs;

	for (fn = notmuch_message_get_filenames (m); notmuch_filenames_valid (fn);
	     notmuch_filenames_move_to_next (fn))
		if (!g_file_test (notmuch_filenames_get (fn), G_FILE_TEST_EXISTS))
			note_add (notes, "id:%s: file %s is gone, its maildir flags were not synced",
				  key, notmuch_filenames_get (fn));
	notmuch_filenames_destroy (fn);
	fs = notmuch_message_tags_to_maildir_flags (m);
	if (fs != NOTMUCH_STATUS_SUCCESS)
		note_add (notes, "id:%s: maildir flags not synced: %s", key,
			  notmuch_status_to_string (fs));
}

/* m's tags from b to a, as one document write. */
static notmuch_status_t
retag (notmuch_message_t *m, char **b, char **a)
{
	notmuch_status_t st = notmuch_message_freeze (m);

	for (char **t = b; st == NOTMUCH_STATUS_SUCCESS && *t; t++)
		if (!bt_strv_has (a, *t))
			st = notmuch_message_remove_tag (m, *t);
	for (char **t = a; st == NOTMUCH_STATUS_SUCCESS && *t; t++)
		if (!bt_strv_has (b, *t))
			st = notmuch_message_add_tag (m, *t);
	if (st == NOTMUCH_STATUS_SUCCESS)
		st = notmuch_message_thaw (m);
	return st;
}

/* Apply run in one atomic section.  Leaving the section open on failure
 * makes closing the database discard its changes. */
static notmuch_status_t
run_apply (const bt_store_t *s, notmuch_database_t *db, tag_run_t *run)
{
	notmuch_status_t st = notmuch_database_begin_atomic (db);
	bool atomic = st == NOTMUCH_STATUS_SUCCESS;

	for (guint i = 0; i < run->order->len && st == NOTMUCH_STATUS_SUCCESS; i++) {
		const char *key = run->order->pdata[i];
		char **b = g_hash_table_lookup (run->before, key);
		char **a = g_hash_table_lookup (run->after, key);
		notmuch_message_t *m = NULL;

		/* Nothing to change: no document to rewrite (with maildir
		 * flags synced, the files may still need renaming). */
		if (!s->sync_flags && g_strv_equal ((const char *const *) b, (const char *const *) a))
			continue;
		/* Found while collecting, under the same write lock: it is
		 * still there unless the database fails. */
		st = notmuch_database_find_message (db, key, &m);
		if (st == NOTMUCH_STATUS_SUCCESS && m == NULL)
			st = NOTMUCH_STATUS_FILE_ERROR;   /* gone under our lock: refuse all */
		if (st == NOTMUCH_STATUS_SUCCESS)
			st = retag (m, b, a);
		if (st == NOTMUCH_STATUS_SUCCESS && s->sync_flags)
			sync_maildir_flags (m, key, run->notes);
		/* Done with it: a changed document holds all its terms and
		 * positions until destroyed (~60 KB each; 10,000 at once were
		 * 630 MB). */
		if (m)
			notmuch_message_destroy (m);
	}
	if (st == NOTMUCH_STATUS_SUCCESS && atomic)
		st = notmuch_database_end_atomic (db);
	return st;
}

void
bt_store_tags_write (bt_store_t *s, notmuch_database_t *db, write_job_t *j)
{
	bt_journal_entry_t *entry = NULL;
	notmuch_status_t st;
	GError *e = NULL;
	tag_run_t run;

	run_init (&run);
	run_collect (&run, db, j);
	if (run.order->len == 0 && j->undoes && *j->undoes) {
		journal_gone (s, j, &run);
		goto done;
	}
	if (run.order->len == 0) {
		j->status = BT_ERR_NOTFOUND;
		j->message = g_strdup_printf ("nothing applied: %s",
					      run.notes->len ? run.notes->str : "no message");
		goto done;
	}
	entry = job_entry (j);
	for (guint i = 0; i < run.order->len; i++)
		bt_journal_entry_add (entry, run.order->pdata[i],
				      (const char *const *) g_hash_table_lookup (run.before, run.order->pdata[i]),
				      (const char *const *) g_hash_table_lookup (run.after, run.order->pdata[i]));
	/* The journal first: a change that cannot be undone is not made. */
	if (bt_journal_append (s->journal_path, entry, &e) != BT_OK) {
		j->status = BT_ERR_IO;
		j->message = g_strdup_printf ("change refused, nothing applied: %s", e->message);
		g_clear_error (&e);
		goto done;
	}
	st = run_apply (s, db, &run);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		j->status = BT_ERR_DB;
		j->message = g_strdup_printf ("nothing applied: %s", notmuch_status_to_string (st));
		journal_not_applied (s, entry->id);
	} else if (run.notes->len)
		j->message = g_strdup_printf ("%u of %u messages changed; %s", run.order->len,
					      run.order->len + run.nmissing, run.notes->str);
done:
	bt_journal_entry_free (entry);
	run_clear (&run);
}
