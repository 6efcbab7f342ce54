/* store-tag.c: tag changes and their undo, on the caller's side: planned
 * (read-only), checked and queued; the worker journals and applies them
 * (store-retag.c). */
#include "config.h"

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
