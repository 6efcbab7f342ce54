/* cmd-tag.c: the commands that change tags: tag (each bounce with its
 * default changes), undo (the last journaled actions) and reactivate (an
 * address's bounces).  Each takes --dry-run and then prints what it would
 * change; each waits for its write before it exits. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "cmd-store.h"

/* "+a -b" of what a change really does (g_free). */
static char *
change_words (const bt_journal_change_t *ch)
{
	GString *w = g_string_new (NULL);

	for (char **t = ch->after; *t; t++)
		if (!g_strv_contains ((const char *const *) ch->before, *t))
			g_string_append_printf (w, "%s+%s", w->len ? " " : "", *t);
	for (char **t = ch->before; *t; t++)
		if (!g_strv_contains ((const char *const *) ch->after, *t))
			g_string_append_printf (w, "%s-%s", w->len ? " " : "", *t);
	return g_string_free (w, FALSE);
}

static void
print_change (const char *prefix, const bt_journal_change_t *ch)
{
	GString *out = g_string_new (prefix);
	char *w = change_words (ch);

	g_string_append (out, "id:");
	store_cli_put_safe (out, ch->message_id);
	g_string_append_printf (out, "  %s", *w ? w : "(no change)");
	puts (out->str);
	g_free (w);
	g_string_free (out, TRUE);
}

/* The changes of plan that do change something (borrowed from plan);
 * printed in a dry run. */
static GPtrArray *
real_changes (const GPtrArray *plan, bool dry_run)
{
	GPtrArray *real = g_ptr_array_new ();

	for (guint i = 0; i < plan->len; i++) {
		bt_journal_change_t *ch = plan->pdata[i];

		if (g_strv_equal ((const char *const *) ch->before, (const char *const *) ch->after))
			continue;
		g_ptr_array_add (real, ch);
		if (dry_run)
			print_change ("would change ", ch);
	}
	return real;
}

/* Queue the write: the address's reactivation, or only the ops whose
 * messages change, with their own changes.  0 with *e when refused. */
static guint
queue_write (store_cli_t *c, const bt_tag_op_t *ops, guint n, const GPtrArray *changes,
	     const char *label, const char *address, GError **e)
{
	GHashTable *changed;   /* message ids of changes (a set; a scan over
				* changes per op was quadratic) */
	bt_tag_op_t *todo;
	guint k = 0, id;

	if (address)
		return bt_store_reactivate (c->store, address, e);
	changed = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint j = 0; j < changes->len; j++)
		g_hash_table_add (changed, ((bt_journal_change_t *) changes->pdata[j])->message_id);
	todo = g_new0 (bt_tag_op_t, changes->len ? changes->len : 1);
	for (guint i = 0; i < n && k < changes->len; i++)
		if (g_hash_table_contains (changed, ops[i].message_id))
			todo[k++] = ops[i];
	id = bt_store_apply (c->store, todo, k, label, e);
	g_free (todo);
	g_hash_table_unref (changed);
	return id;
}

/* Plan ops, print (dry run) or apply the ones that change something.
 * address: a reactivation of it (ops are its messages). */
static int
plan_and_apply (store_cli_t *c, const store_opts_t *o, const bt_tag_op_t *ops, guint n,
		const char *label, const char *address)
{
	GPtrArray *plan = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_change_free);
	GPtrArray *real = NULL;
	GError *e = NULL;
	char *own_label = NULL, *done_text = NULL;
	int status = 0;
	guint id;

	if (n > 0 && bt_store_plan (c->store, ops, n, plan, &e) != BT_OK)
		status = store_cli_fail (&e);
	real = real_changes (plan, o->dry_run);
	if (real->len == 0) {
		printf ("nothing to change\n");
		goto done;
	}
	if (o->dry_run) {
		printf ("%u messages would change (dry run: nothing written)\n", real->len);
		goto done;
	}
	if (label == NULL)
		label = own_label = g_strdup_printf ("tag %u bounce%s", real->len, real->len == 1 ? "" : "s");
	id = queue_write (c, ops, n, real, label, address, &e);
	if (id == 0) {
		status = store_cli_fail (&e);
		goto done;
	}
	done_text = g_strdup_printf ("%u messages changed (undo with 'bouncetriage undo')", real->len);
	if (!store_cli_wait (c, id, done_text))
		status = 1;
done:
	g_free (done_text);
	g_free (own_label);
	g_ptr_array_unref (real);
	g_ptr_array_unref (plan);
	return status;
}

/* ---- tag ---- */

static void
keep_bounce (bt_bounce_t *b, gpointer bounces)
{
	g_ptr_array_add (bounces, b);
}

/* The query of tag: the arguments, limited to new mail with --new (g_free). */
static char *
tag_query (const store_opts_t *o)
{
	char *query = store_cli_query (o);
	char *q;

	if (!o->new_mail)
		return query;
	q = g_strdup_printf ("tag:new%s%s%s", query ? " and (" : "", query ? query : "",
			     query ? ")" : "");
	g_free (query);
	return q;
}

/* Each bounce with its default changes (kept in changes); g_free. */
static bt_tag_op_t *
default_ops (store_cli_t *c, const GPtrArray *bounces, GPtrArray *changes)
{
	bt_tag_op_t *ops = g_new0 (bt_tag_op_t, bounces->len + 1);

	for (guint i = 0; i < bounces->len; i++) {
		bt_bounce_t *b = bounces->pdata[i];
		char *ch = bt_store_default_changes (c->store, b);

		g_ptr_array_add (changes, ch);
		ops[i].message_id = b->message_id;
		ops[i].changes = ch;
	}
	return ops;
}

int
cmd_tag (int argc, char **argv)
{
	store_opts_t o = { 0 };
	store_cli_t c;
	GPtrArray *bounces = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_bounce_free);
	GPtrArray *changes = g_ptr_array_new_with_free_func (g_free);
	bt_tag_op_t *ops = NULL;
	char *query = NULL;
	int scanned, status = store_cli_parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	status = 1;
	if (!store_cli_open (&c, &o))
		goto done;
	query = tag_query (&o);
	scanned = store_cli_scan (&c, query, keep_bounce, bounces, NULL);
	if (scanned < 0)
		goto done;
	status = scanned;
	ops = default_ops (&c, bounces, changes);
	if (plan_and_apply (&c, &o, ops, bounces->len, NULL, NULL) != 0)
		status = 1;
done:
	store_cli_close (&c);
	g_free (ops);
	g_free (query);
out:
	g_ptr_array_unref (changes);
	g_ptr_array_unref (bounces);
	g_ptr_array_unref (o.args);
	return status;
}

/* ---- undo ---- */

/* How many actions to undo, from the arguments: -1 when fine, else the
 * exit status of a usage error. */
static int
undo_count (const store_opts_t *o, guint *n)
{
	guint64 v;

	*n = 1;
	if (o->args->len > 1)
		return bt_cli_usage ("undo", "give at most one number");
	if (o->args->len == 0)
		return -1;
	if (!g_ascii_string_to_unsigned (o->args->pdata[0], 10, 1, 10000, &v, NULL))
		return bt_cli_usage ("undo", "'%s' is not a count from 1 to 10000",
				     (char *) o->args->pdata[0]);
	*n = (guint) v;
	return -1;
}

/* What undo does (or would do, with every message in a dry run). */
static void
print_undo (const GPtrArray *entries, bool dry_run)
{
	for (guint i = 0; i < entries->len; i++) {
		bt_journal_entry_t *en = entries->pdata[i];
		GString *l = g_string_new (NULL);

		store_cli_put_safe (l, en->label);
		printf ("%s %s (%u messages)\n", dry_run ? "would undo" : "undoing", l->str,
			en->changes->len);
		g_string_free (l, TRUE);
		for (guint k = 0; dry_run && k < en->changes->len; k++) {
			bt_journal_change_t *ch = en->changes->pdata[k];
			bt_journal_change_t rev = { ch->message_id, ch->after, ch->before };
			print_change ("  would change ", &rev);
		}
	}
}

int
cmd_undo (int argc, char **argv)
{
	store_opts_t o = { 0 };
	store_cli_t c;
	GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_entry_free);
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	GError *e = NULL;
	guint n, id;
	int status = store_cli_parse_opts (argc, argv, &o);

	if (status >= 0 || (status = undo_count (&o, &n)) >= 0)
		goto out;
	status = 1;
	if (!store_cli_open (&c, &o))
		goto done;
	if (bt_store_undoable (c.store, n, entries, problems, &e) != BT_OK) {
		store_cli_fail (&e);
		goto done;
	}
	for (guint i = 0; i < problems->len; i++)
		bt_cli_error ("%s", (char *) problems->pdata[i]);
	if (entries->len == 0)
		printf ("nothing to undo\n");
	print_undo (entries, o.dry_run);
	if (entries->len == 0 || o.dry_run) {
		status = 0;
		goto done;
	}
	id = bt_store_undo (c.store, n, NULL, &e);
	if (id == 0) {
		store_cli_fail (&e);
		goto done;
	}
	status = store_cli_wait (&c, id, "undone") ? 0 : 1;
done:
	store_cli_close (&c);
out:
	g_ptr_array_unref (problems);
	g_ptr_array_unref (entries);
	g_ptr_array_unref (o.args);
	return status;
}

/* ---- reactivate ---- */

int
cmd_reactivate (int argc, char **argv)
{
	store_opts_t o = { 0 };
	store_cli_t c;
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	bt_tag_op_t *ops = NULL;
	GError *e = NULL;
	const char *address;
	char *label = NULL;
	int status = store_cli_parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	if (o.args->len != 1) {
		status = bt_cli_usage ("reactivate", "give one address");
		goto out;
	}
	address = o.args->pdata[0];
	status = 1;
	if (!store_cli_open (&c, &o))
		goto done;
	if (bt_store_address_messages (c.store, address, ids, &e) != BT_OK) {
		store_cli_fail (&e);
		goto done;
	}
	ops = g_new0 (bt_tag_op_t, ids->len);
	for (guint i = 0; i < ids->len; i++) {
		ops[i].message_id = ids->pdata[i];
		ops[i].changes = bt_settings_get (c.settings, "tags.reactivated");
	}
	label = g_strdup_printf ("reactivate %s", address);
	status = plan_and_apply (&c, &o, ops, ids->len, label, address);
done:
	store_cli_close (&c);
	g_free (label);
	g_free (ops);
out:
	g_ptr_array_unref (ids);
	g_ptr_array_unref (o.args);
	return status;
}
