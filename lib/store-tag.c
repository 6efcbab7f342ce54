/* store-tag.c: tag changes and their undo.  A change is planned on the
 * caller's thread, queued, then journaled and applied by the worker: the
 * journal line is written before the change is made. */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include "store-private.h"
#include "strv.h"

void
bt_job_op_free (job_op_t *op)
{
	g_free (op->message_id);
	g_strfreev (op->add);
	g_strfreev (op->remove);
	g_free (op);
}

/* ---- the worker's side: journal, then apply ---- */

/* One tag job as the worker runs it: every message's tags before and
 * after, keyed by bare message id, in the order first seen. */
typedef struct {
	GHashTable *msgs;      /* key -> notmuch_message_t * */
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
	run->msgs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
					   (GDestroyNotify) notmuch_message_destroy);
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
	g_hash_table_unref (run->msgs);
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
	g_hash_table_insert (run->before, key, bt_store_tags_of (m));
	g_hash_table_insert (run->after, key, bt_store_tags_of (m));
	g_hash_table_insert (run->msgs, key, m);
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
		notmuch_message_t *m = g_hash_table_lookup (run->msgs, key);

		st = retag (m, g_hash_table_lookup (run->before, key),
			    g_hash_table_lookup (run->after, key));
		if (st == NOTMUCH_STATUS_SUCCESS && s->sync_flags)
			sync_maildir_flags (m, key, run->notes);
		/* Done with it: a changed document holds all its terms and
		 * positions until destroyed (~60 KB each; 10,000 at once were
		 * 630 MB). */
		g_hash_table_remove (run->msgs, key);
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
	GPtrArray *parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_job_op_free);
	GString *missing = g_string_new (NULL);
	bt_status_t status;

	status = check_ops (ops, n, parsed, error);
	if (status != BT_OK)
		goto done;
	bt_store_refresh (s);
	for (guint i = 0; i < parsed->len; i++) {
		job_op_t *op = parsed->pdata[i];
		notmuch_message_t *m;
		bt_journal_change_t *c;
		GError *e = NULL;

		if (bt_store_find_message (s->db, op->message_id, &m, &e) != BT_OK) {
			g_string_append_printf (missing, "%s%s", missing->len ? "; " : "", e->message);
			g_error_free (e);
			continue;
		}
		c = g_new0 (bt_journal_change_t, 1);
		c->message_id = g_strdup (notmuch_message_get_message_id (m));
		c->before = bt_store_tags_of (m);
		c->after = bt_strv_edit (c->before, op->add, op->remove);
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
	GPtrArray *parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_job_op_free);
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
	return bt_store_enqueue (s, j);
}

guint
bt_store_apply (bt_store_t *s, const bt_tag_op_t *ops, guint n, const char *label, GError **error)
{
	return store_apply_kind (s, ops, n, "tag", label, error);
}

/* The same changes to n messages, as one journaled job. */
static guint
store_tag_kind (bt_store_t *s, const char *const *ids, guint n, const char *changes,
		const char *kind, const char *label, GError **error)
{
	bt_tag_op_t *ops = g_new0 (bt_tag_op_t, n ? n : 1);
	guint id;

	for (guint i = 0; i < n; i++) {
		ops[i].message_id = ids[i];
		ops[i].changes = changes;
	}
	id = store_apply_kind (s, ops, n, kind, label, error);
	g_free (ops);
	return id;
}

guint
bt_store_tag (bt_store_t *s, const char *const *ids, guint n, const char *changes,
	      const char *label, GError **error)
{
	return store_tag_kind (s, ids, n, changes, "tag", label, error);
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

/* The job that reverses todo's entries; most recent first, so each
 * message is walked back in order. */
static write_job_t *
undo_job (const GPtrArray *todo)
{
	write_job_t *j = g_new0 (write_job_t, 1);
	GPtrArray *undoes = g_ptr_array_new ();
	GString *label = g_string_new ("undo: ");

	j->kind = g_strdup ("undo");
	j->ops = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_job_op_free);
	for (guint i = 0; i < todo->len; i++) {
		const bt_journal_entry_t *e = todo->pdata[i];

		g_string_append_printf (label, "%s%s", i ? ", " : "", *e->label ? e->label : e->id);
		g_ptr_array_add (undoes, g_strdup (e->id));
		for (guint k = 0; k < e->changes->len; k++) {
			const bt_journal_change_t *c = e->changes->pdata[k];
			job_op_t *op = g_new0 (job_op_t, 1);

			op->message_id = g_strdup (c->message_id);
			bt_journal_change_reverse (c, &op->add, &op->remove);
			g_ptr_array_add (j->ops, op);
		}
	}
	g_ptr_array_add (undoes, NULL);
	j->undoes = (char **) g_ptr_array_free (undoes, FALSE);
	j->label = g_string_free (label, FALSE);
	return j;
}

guint
bt_store_undo (bt_store_t *s, guint n, GPtrArray *problems, GError **error)
{
	GPtrArray *todo = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_entry_free);
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
	j = undo_job (todo);
	g_mutex_lock (&s->lock);
	for (char **u = j->undoes; *u; u++)
		g_hash_table_add (s->undo_queued, g_strdup (*u));
	g_mutex_unlock (&s->lock);
	id = bt_store_enqueue (s, j);
done:
	g_ptr_array_unref (todo);
	return id;
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

guint
bt_store_reactivate (bt_store_t *s, const char *address, GError **error)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	char *label = g_strdup_printf ("reactivate %s", address);
	guint id = 0;

	if (bt_store_address_messages (s, address, ids, error) == BT_OK)
		id = store_tag_kind (s, (const char *const *) ids->pdata, ids->len,
				     bt_settings_get (s->settings, "tags.reactivated"),
				     "reactivate", label, error);
	g_free (label);
	g_ptr_array_unref (ids);
	return id;
}
