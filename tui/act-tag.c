/* act-tag.c: tag changes on the selected or marked bounces (queued on
 * the store's writer), undo, marks, clipboard and export. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "act.h"
#include "clipboard.h"
#include "export.h"
#include "sanitize.h"

/* Distinct messages of rows, in order. */
GPtrArray *
bt_act_messages (GPtrArray *rows)
{
	GPtrArray *msgs = g_ptr_array_new ();
	GHashTable *seen = g_hash_table_new (g_direct_hash, g_direct_equal);

	for (guint i = 0; i < rows->len; i++) {
		bt_msg_t *m = ((bt_row_t *) rows->pdata[i])->msg;

		if (g_hash_table_add (seen, m))
			g_ptr_array_add (msgs, m);
	}
	g_hash_table_destroy (seen);
	return msgs;
}

const char *
bt_act_plural (guint n, const char *one)
{
	static char buf[64];

	g_snprintf (buf, sizeof buf, "%u %s%s", n, one, n == 1 ? "" : "s");
	return buf;
}

/* Queue changes for the targets; the label says what was done. */
bt_draw_t
bt_act_tag_targets (bt_tui_t *tui, const char *changes, const char *what)
{
	GPtrArray *rows = bt_tui_targets (tui);
	GPtrArray *msgs;
	GError *error = NULL;
	char *label;
	guint id;

	if (rows->len == 0) {
		g_ptr_array_unref (rows);
		return BT_DRAW_STATUS;
	}
	msgs = bt_act_messages (rows);
	label = g_strdup_printf ("%s: %s", what, bt_act_plural (msgs->len, "bounce"));
	if (changes)
		id = tui->feed->ops->tag (tui->feed, msgs, changes, label, &error);
	else
		id = tui->feed->ops->default_tags (tui->feed, msgs, label, &error);
	if (id == 0)
		bt_tui_error (tui, "%s", error ? error->message : "the change was refused");
	else
		bt_tui_note (tui, "queued %s%s%s", label, changes ? " " : "", changes ? changes : "");
	g_clear_error (&error);
	g_free (label);
	g_ptr_array_free (msgs, TRUE);
	g_ptr_array_unref (rows);
	return BT_DRAW_LIST | BT_DRAW_STATUS;
}

static char **
act_complete_tags (bt_tui_t *tui, const char *word)
{
	return tui->feed->ops->all_tags ? tui->feed->ops->all_tags (tui->feed) : NULL;
}

bt_draw_t
bt_act_default_tags (bt_tui_t *tui, int argc, char **argv)
{
	return bt_act_tag_targets (tui, NULL, "default tags");
}

static bt_draw_t
act_tag_done (bt_tui_t *tui, const char *text, void *data)
{
	const char *sign = data;
	char **words;
	GString *changes;
	bt_draw_t d;

	if (text == NULL || *text == '\0')
		return BT_DRAW_STATUS;
	words = g_strsplit_set (text, " \t", -1);
	changes = g_string_new (NULL);
	for (char **w = words; *w; w++) {
		if (**w == '\0')
			continue;
		if (changes->len)
			g_string_append_c (changes, ' ');
		/* "tag" means sign+tag; "+tag" and "-tag" are taken as written */
		if (**w != '+' && **w != '-')
			g_string_append (changes, sign);
		g_string_append (changes, *w);
	}
	d = bt_act_tag_targets (tui, changes->str, *sign == '+' ? "add tags" : "remove tags");
	g_string_free (changes, TRUE);
	g_strfreev (words);
	return d;
}

bt_draw_t
bt_act_tag_add (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		return act_tag_done (tui, argv[0], (void *) "+");
	return bt_prompt_start (tui, "Add tag: ", NULL, act_complete_tags, act_tag_done, (void *) "+");
}

bt_draw_t
bt_act_tag_remove (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		return act_tag_done (tui, argv[0], (void *) "-");
	return bt_prompt_start (tui, "Remove tag: ", NULL, act_complete_tags, act_tag_done, (void *) "-");
}

bt_draw_t
bt_act_triage_next (bt_tui_t *tui, int argc, char **argv)
{
	bool prefix = tui->marked_prefix;
	bt_draw_t d = bt_act_tag_targets (tui, argc > 0 ? argv[0] : tui->triaged_tags, "triage");

	if (!prefix)
		d |= bt_act_moved (tui, bt_list_move (&tui->list, 1));
	return d;
}

bt_draw_t
bt_act_undo (bt_tui_t *tui, int argc, char **argv)
{
	GError *error = NULL;

	if (tui->feed->ops->undo (tui->feed, &error) == 0) {
		bt_tui_error (tui, "%s", error ? error->message : "nothing to undo");
		g_clear_error (&error);
	} else {
		bt_tui_note (tui, "undo queued");
	}
	return BT_DRAW_STATUS;
}

void
bt_act_set_mark (bt_tui_t *tui, bt_row_t *row, bool on)
{
	if (row->marked == on)
		return;
	row->marked = on;
	if (on)
		tui->marked++;
	else
		tui->marked--;
}

bt_draw_t
bt_act_toggle_mark (bt_tui_t *tui, int argc, char **argv)
{
	bt_row_t *row = bt_tui_selected (tui);

	bt_act_set_mark (tui, row, !row->marked);
	return BT_DRAW_LIST | BT_DRAW_STATUS | bt_act_moved (tui, bt_list_move (&tui->list, 1));
}

bt_draw_t
bt_act_mark_same (bt_tui_t *tui, int argc, char **argv)
{
	static const bt_group_t by[] = { BT_GROUP_REASON, BT_GROUP_DOMAIN, BT_GROUP_RECIPIENT };
	bt_group_t g = by[argc > 0 ? bt_act_choice (bt_act_mark_choices, argv[0]) : 0];
	const char *key = bt_row_group_key (bt_tui_selected (tui), g);
	guint n = 0;

	if (key == NULL) {
		bt_tui_error (tui, "this bounce has no %s", bt_group_name (g));
		return BT_DRAW_STATUS;
	}
	for (guint i = 0; i < tui->shown->len; i++) {
		bt_row_t *r = tui->shown->pdata[i];
		const char *k = bt_row_group_key (r, g);

		if (k && g_ascii_strcasecmp (k, key) == 0) {
			bt_act_set_mark (tui, r, true);
			n++;
		}
	}
	bt_tui_note (tui, "marked %s with %s %s", bt_act_plural (n, "bounce"), bt_group_name (g), key);
	return BT_DRAW_LIST | BT_DRAW_STATUS;
}

bt_draw_t
bt_act_unmark_all (bt_tui_t *tui, int argc, char **argv)
{
	for (guint i = 0; i < tui->rows->len; i++)
		((bt_row_t *) tui->rows->pdata[i])->marked = false;
	tui->marked = 0;
	tui->marked_prefix = false;
	return BT_DRAW_LIST | BT_DRAW_STATUS;
}

bt_draw_t
bt_act_marked_prefix (bt_tui_t *tui, int argc, char **argv)
{
	if (tui->marked == 0) {
		bt_tui_error (tui, "no bounce is marked");
		return BT_DRAW_STATUS;
	}
	tui->marked_prefix = true;
	bt_tui_note (tui, "next action applies to %s", bt_act_plural (tui->marked, "marked bounce"));
	return BT_DRAW_STATUS;
}

static bt_draw_t
act_copy_text (bt_tui_t *tui, const char *raw, const char *what)
{
	char *clean, *how = NULL;
	GError *error = NULL;

	if (raw == NULL) {
		bt_tui_error (tui, "this bounce has no %s", what);
		return BT_DRAW_STATUS;
	}
	/* only the sanitised text ever reaches the clipboard */
	clean = bt_sanitize (raw, -1, BT_SANITIZE_LINE);
	if (bt_clipboard_copy (clean, tui->clipboard_cmd, stdout, &how, &error) != BT_OK) {
		bt_tui_error (tui, "copy: %s", error->message);
		g_error_free (error);
	} else {
		bt_tui_note (tui, "%s %s", what, how);
	}
	g_free (how);
	g_free (clean);
	return BT_DRAW_STATUS;
}

bt_draw_t
bt_act_copy_address (bt_tui_t *tui, int argc, char **argv)
{
	return act_copy_text (tui, bt_tui_selected (tui)->recipient, "address");
}

bt_draw_t
bt_act_copy_diagnostic (bt_tui_t *tui, int argc, char **argv)
{
	bt_row_t *row = bt_tui_selected (tui);
	bt_report_t *report = tui->feed->ops->report (tui->feed, row->msg, NULL);
	const char *diag = NULL;

	if (report && row->rcpt < report->records->len)
		diag = ((bt_record_t *) report->records->pdata[row->rcpt])->f[BT_F_DIAGNOSTIC];
	return act_copy_text (tui, diag, "diagnostic");
}

static bt_draw_t
act_export_done (bt_tui_t *tui, const char *path, void *data)
{
	GPtrArray *rows;
	GError *error = NULL;
	char *expanded;
	guint n = 0;

	if (path == NULL || *path == '\0')
		return BT_DRAW_STATUS;
	if (path[0] == '~' && path[1] == '/')
		expanded = g_build_filename (g_get_home_dir (), path + 2, NULL);
	else
		expanded = g_strdup (path);
	if (tui->marked_prefix || tui->marked > 0) {
		rows = g_ptr_array_new ();
		for (guint i = 0; i < tui->shown->len; i++)
			if (((bt_row_t *) tui->shown->pdata[i])->marked)
				g_ptr_array_add (rows, tui->shown->pdata[i]);
	} else {
		rows = g_ptr_array_ref (tui->shown);
	}
	tui->marked_prefix = false;
	if (bt_export_csv_file (rows, expanded, &n, &error) != BT_OK) {
		bt_tui_error (tui, "export: %s", error->message);
		g_error_free (error);
	} else {
		bt_tui_note (tui, "exported %s to %s", bt_act_plural (n, "recipient"), expanded);
	}
	g_ptr_array_unref (rows);
	g_free (expanded);
	return BT_DRAW_STATUS;
}

bt_draw_t
bt_act_export (bt_tui_t *tui, int argc, char **argv)
{
	char *def;
	bt_draw_t d;
	GDateTime *now;
	char *stamp;

	if (argc > 0)
		return act_export_done (tui, argv[0], NULL);
	now = g_date_time_new_now_local ();
	stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
	def = g_strdup_printf ("%s/bounces-%s.csv", g_get_home_dir (), stamp);
	d = bt_prompt_start (tui, tui->marked ? "Export marked to: " : "Export listed to: ",
			     def, NULL, act_export_done, NULL);
	g_free (def);
	g_free (stamp);
	g_date_time_unref (now);
	return d;
}
