/* actions.c: the action table and its handlers (actions.h).
 *
 * Handlers change the state and return what to redraw; they never draw.
 * Preconditions in the table are checked by bt_action_run first. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bouncetriage/reason.h"
#include "actions.h"
#include "clipboard.h"
#include "export.h"
#include "sanitize.h"

const char *const bt_contexts[] = { "global", "list", "group", "pager", NULL };

static const char *const sort_choices[] = { "date", "recipient", "reason", NULL };
static const char *const group_choices[] = { "reason", "recipient", "domain", "mta", NULL };
static const char *const lane_choices[] = { "failures", "delays", "auto-replies", "feedback", "delivered", NULL };
static const char *const mark_choices[] = { "reason", "domain", "recipient", NULL };
static const char *const limit_choices[] = { "reason", "domain", "recipient", "mta", "hard", "soft", "all", NULL };
static const char *const layout_choices[] = { "side", "stacked", NULL };

/* ---- helpers ---------------------------------------------------------- */

/* The list the view moves in. */
static bt_list_t *
act_current_list (bt_tui_t *tui)
{
	switch (tui->view) {
	case BT_VIEW_GROUP: return &tui->groups_list;
	case BT_VIEW_PAGER: return &tui->pager;
	default: return &tui->list;
	}
}

static bt_draw_t
act_moved (bt_tui_t *tui, bool changed)
{
	if (!changed)
		return BT_DRAW_NONE;
	if (tui->view == BT_VIEW_LIST) {
		tui->moved = true;
		tui->pane_scroll = 0;
		return BT_DRAW_LIST | BT_DRAW_PANE | BT_DRAW_STATUS;
	}
	return BT_DRAW_LIST | BT_DRAW_STATUS;
}

/* Distinct messages of rows, in order. */
static GPtrArray *
act_messages (GPtrArray *rows)
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

static const char *
act_plural (guint n, const char *one)
{
	static char buf[64];

	g_snprintf (buf, sizeof buf, "%u %s%s", n, one, n == 1 ? "" : "s");
	return buf;
}

/* Queue changes for the targets; the label says what was done. */
static bt_draw_t
act_tag_targets (bt_tui_t *tui, const char *changes, const char *what)
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
	msgs = act_messages (rows);
	label = g_strdup_printf ("%s: %s", what, act_plural (msgs->len, "bounce"));
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

/* Distinct values of a row field among all rows, for completion. */
static char **
act_values (bt_tui_t *tui, bt_group_t g)
{
	GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
	GPtrArray *out = g_ptr_array_new ();

	for (guint i = 0; i < tui->rows->len; i++) {
		const char *v = bt_row_group_key (tui->rows->pdata[i], g);

		if (v && g_hash_table_add (seen, (gpointer) v))
			g_ptr_array_add (out, g_strdup (v));
	}
	g_hash_table_destroy (seen);
	g_ptr_array_add (out, NULL);
	return (char **) g_ptr_array_free (out, FALSE);
}

static int
act_choice (const char *const *choices, const char *s)
{
	for (int i = 0; s && choices[i]; i++)
		if (strcmp (choices[i], s) == 0)
			return i;
	return -1;
}

/* ---- movement --------------------------------------------------------- */

static bt_draw_t act_down (bt_tui_t *t, int c, char **v) { return act_moved (t, bt_list_move (act_current_list (t), 1)); }
static bt_draw_t act_up (bt_tui_t *t, int c, char **v) { return act_moved (t, bt_list_move (act_current_list (t), -1)); }
static bt_draw_t act_page_down (bt_tui_t *t, int c, char **v) { return act_moved (t, bt_list_page (act_current_list (t), 1)); }
static bt_draw_t act_page_up (bt_tui_t *t, int c, char **v) { return act_moved (t, bt_list_page (act_current_list (t), -1)); }
static bt_draw_t act_top (bt_tui_t *t, int c, char **v) { return act_moved (t, bt_list_first (act_current_list (t))); }
static bt_draw_t act_bottom (bt_tui_t *t, int c, char **v) { return act_moved (t, bt_list_last (act_current_list (t))); }

static bt_draw_t
act_pane_scroll (bt_tui_t *tui, int delta)
{
	int max = tui->pane_lines - tui->pane_height;

	tui->pane_scroll += delta;
	if (tui->pane_scroll > max)
		tui->pane_scroll = max;
	if (tui->pane_scroll < 0)
		tui->pane_scroll = 0;
	return BT_DRAW_PANE;
}

static bt_draw_t act_pane_down (bt_tui_t *t, int c, char **v) { return act_pane_scroll (t, c ? atoi (v[0]) : 3); }
static bt_draw_t act_pane_up (bt_tui_t *t, int c, char **v) { return act_pane_scroll (t, -(c ? atoi (v[0]) : 3)); }

/* ---- views ------------------------------------------------------------ */

/* The raw-message pager shows at most this much of a message. */
#define ACT_RAW_LIMIT (4 * 1024 * 1024)

static bt_draw_t
act_open_raw (bt_tui_t *tui, int argc, char **argv)
{
	bt_row_t *row = bt_tui_selected (tui);
	GError *error = NULL;
	gsize len = 0;
	char *raw = tui->feed->ops->raw (tui->feed, row->msg, &len, &error);
	char *title;

	if (raw == NULL) {
		bt_tui_error (tui, "%s", error->message);
		g_error_free (error);
		return BT_DRAW_STATUS;
	}
	title = g_strdup_printf ("Raw message: %s", row->msg->filename ? row->msg->filename : "");
	if (len > ACT_RAW_LIMIT) {
		/* a huge message: its start is what tells the story */
		GString *cut = g_string_new_len (raw, ACT_RAW_LIMIT);

		g_string_append_printf (cut, "\n[... %" G_GSIZE_FORMAT " more bytes not shown]\n",
					len - ACT_RAW_LIMIT);
		g_free (raw);
		len = cut->len;
		raw = g_string_free (cut, FALSE);
	}
	bt_tui_pager_text (tui, title, raw, (gssize) len);
	g_free (title);
	g_free (raw);
	return BT_DRAW_ALL;
}

static bt_draw_t
act_goto_original (bt_tui_t *tui, int argc, char **argv)
{
	bt_row_t *row = bt_tui_selected (tui);
	GError *error = NULL;
	char *text;

	if (tui->feed->ops->original == NULL) {
		bt_tui_error (tui, "the original message can only be found in a notmuch database");
		return BT_DRAW_STATUS;
	}
	text = tui->feed->ops->original (tui->feed, row->msg, &error);
	if (text == NULL) {
		bt_tui_error (tui, "%s", error->message);
		g_error_free (error);
		return BT_DRAW_STATUS;
	}
	bt_tui_pager_text (tui, "Original message", text, -1);
	g_free (text);
	return BT_DRAW_ALL;
}

static bt_draw_t
act_help (bt_tui_t *tui, int argc, char **argv)
{
	GString *text = g_string_new (NULL);

	bt_action_help (tui->keymap, text);
	bt_tui_pager_text (tui, "Help: keys (q closes)", text->str, (gssize) text->len);
	g_string_free (text, TRUE);
	return BT_DRAW_ALL;
}

static bt_draw_t
act_close (bt_tui_t *tui, int argc, char **argv)
{
	if (tui->view == BT_VIEW_PAGER)
		tui->view = tui->pager_return;
	else
		tui->view = BT_VIEW_LIST;
	return BT_DRAW_ALL;
}

static bt_draw_t
act_quit (bt_tui_t *tui, int argc, char **argv)
{
	return BT_DRAW_QUIT;
}

static bt_draw_t
act_redraw (bt_tui_t *tui, int argc, char **argv)
{
	return BT_DRAW_ALL;
}

static bt_draw_t
act_layout (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		tui->stacked = strcmp (argv[0], "stacked") == 0;
	else
		tui->stacked = !tui->stacked;
	bt_tui_note (tui, "layout: %s", tui->stacked ? "stacked" : "side by side");
	return BT_DRAW_ALL;
}

static bt_draw_t
act_refresh (bt_tui_t *tui, int argc, char **argv)
{
	GError *error = NULL;

	if (!tui->feed->ops->restart (tui->feed, tui->query, &error)) {
		bt_tui_error (tui, "%s", error->message);
		g_error_free (error);
		return BT_DRAW_STATUS;
	}
	/* the feed freed its rows: forget every pointer to them */
	g_ptr_array_set_size (tui->rows, 0);
	g_ptr_array_set_size (tui->shown, 0);
	tui->list.sel = tui->list.top = 0;
	tui->marked = 0;
	tui->moved = false;
	tui->loading = true;
	bt_tui_note (tui, "reloading");
	return BT_DRAW_FILTER | BT_DRAW_SCREEN;
}

/* ---- tags ------------------------------------------------------------- */

static bt_draw_t
act_default_tags (bt_tui_t *tui, int argc, char **argv)
{
	return act_tag_targets (tui, NULL, "default tags");
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
	d = act_tag_targets (tui, changes->str, *sign == '+' ? "add tags" : "remove tags");
	g_string_free (changes, TRUE);
	g_strfreev (words);
	return d;
}

static bt_draw_t
act_tag_add (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		return act_tag_done (tui, argv[0], (void *) "+");
	return bt_prompt_start (tui, "Add tag: ", NULL, act_complete_tags, act_tag_done, (void *) "+");
}

static bt_draw_t
act_tag_remove (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		return act_tag_done (tui, argv[0], (void *) "-");
	return bt_prompt_start (tui, "Remove tag: ", NULL, act_complete_tags, act_tag_done, (void *) "-");
}

static bt_draw_t
act_triage_next (bt_tui_t *tui, int argc, char **argv)
{
	bool prefix = tui->marked_prefix;
	bt_draw_t d = act_tag_targets (tui, argc > 0 ? argv[0] : tui->triaged_tags, "triage");

	if (!prefix)
		d |= act_moved (tui, bt_list_move (&tui->list, 1));
	return d;
}

static bt_draw_t
act_undo (bt_tui_t *tui, int argc, char **argv)
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

/* ---- marks ------------------------------------------------------------ */

static void
act_set_mark (bt_tui_t *tui, bt_row_t *row, bool on)
{
	if (row->marked == on)
		return;
	row->marked = on;
	if (on)
		tui->marked++;
	else
		tui->marked--;
}

static bt_draw_t
act_toggle_mark (bt_tui_t *tui, int argc, char **argv)
{
	bt_row_t *row = bt_tui_selected (tui);

	act_set_mark (tui, row, !row->marked);
	return BT_DRAW_LIST | BT_DRAW_STATUS | act_moved (tui, bt_list_move (&tui->list, 1));
}

static bt_draw_t
act_mark_same (bt_tui_t *tui, int argc, char **argv)
{
	static const bt_group_t by[] = { BT_GROUP_REASON, BT_GROUP_DOMAIN, BT_GROUP_RECIPIENT };
	bt_group_t g = by[argc > 0 ? act_choice (mark_choices, argv[0]) : 0];
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
			act_set_mark (tui, r, true);
			n++;
		}
	}
	bt_tui_note (tui, "marked %s with %s %s", act_plural (n, "bounce"), bt_group_name (g), key);
	return BT_DRAW_LIST | BT_DRAW_STATUS;
}

static bt_draw_t
act_unmark_all (bt_tui_t *tui, int argc, char **argv)
{
	for (guint i = 0; i < tui->rows->len; i++)
		((bt_row_t *) tui->rows->pdata[i])->marked = false;
	tui->marked = 0;
	tui->marked_prefix = false;
	return BT_DRAW_LIST | BT_DRAW_STATUS;
}

static bt_draw_t
act_marked_prefix (bt_tui_t *tui, int argc, char **argv)
{
	if (tui->marked == 0) {
		bt_tui_error (tui, "no bounce is marked");
		return BT_DRAW_STATUS;
	}
	tui->marked_prefix = true;
	bt_tui_note (tui, "next action applies to %s", act_plural (tui->marked, "marked bounce"));
	return BT_DRAW_STATUS;
}

/* ---- clipboard -------------------------------------------------------- */

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

static bt_draw_t
act_copy_address (bt_tui_t *tui, int argc, char **argv)
{
	return act_copy_text (tui, bt_tui_selected (tui)->recipient, "address");
}

static bt_draw_t
act_copy_diagnostic (bt_tui_t *tui, int argc, char **argv)
{
	bt_row_t *row = bt_tui_selected (tui);
	bt_report_t *report = tui->feed->ops->report (tui->feed, row->msg, NULL);
	const char *diag = NULL;

	if (report && row->rcpt < report->records->len)
		diag = ((bt_record_t *) report->records->pdata[row->rcpt])->f[BT_F_DIAGNOSTIC];
	return act_copy_text (tui, diag, "diagnostic");
}

/* ---- export ----------------------------------------------------------- */

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
		bt_tui_note (tui, "exported %s to %s", act_plural (n, "recipient"), expanded);
	}
	g_ptr_array_unref (rows);
	g_free (expanded);
	return BT_DRAW_STATUS;
}

static bt_draw_t
act_export (bt_tui_t *tui, int argc, char **argv)
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

/* ---- limits, order, lanes, query ------------------------------------- */

static char **limit_field (bt_tui_t *tui, const char *kind);

static bt_draw_t
act_limit_set (bt_tui_t *tui, const char *kind, const char *value)
{
	char **field = limit_field (tui, kind);

	if (strcmp (kind, "all") == 0) {
		g_clear_pointer (&tui->limit_reason, g_free);
		g_clear_pointer (&tui->limit_domain, g_free);
		g_clear_pointer (&tui->limit_recipient, g_free);
		g_clear_pointer (&tui->limit_mta, g_free);
		tui->limit_hard = -1;
		bt_tui_note (tui, "limit cleared");
	} else if (strcmp (kind, "hard") == 0 || strcmp (kind, "soft") == 0) {
		int want = strcmp (kind, "hard") == 0;

		tui->limit_hard = tui->limit_hard == want ? -1 : want;
		bt_tui_note (tui, tui->limit_hard < 0 ? "showing hard and soft" : "showing %s only", kind);
	} else if (field) {
		g_free (*field);
		*field = value && *value ? g_strdup (value) : NULL;
		bt_tui_note (tui, *field ? "limited to %s %s" : "%s limit cleared", kind, value);
	}
	return BT_DRAW_FILTER | BT_DRAW_SCREEN;
}

static char **
limit_field (bt_tui_t *tui, const char *kind)
{
	if (strcmp (kind, "reason") == 0) return &tui->limit_reason;
	if (strcmp (kind, "domain") == 0) return &tui->limit_domain;
	if (strcmp (kind, "recipient") == 0) return &tui->limit_recipient;
	if (strcmp (kind, "mta") == 0) return &tui->limit_mta;
	return NULL;
}

static bt_group_t
limit_group (const char *kind)
{
	if (strcmp (kind, "domain") == 0) return BT_GROUP_DOMAIN;
	if (strcmp (kind, "recipient") == 0) return BT_GROUP_RECIPIENT;
	if (strcmp (kind, "mta") == 0) return BT_GROUP_MTA;
	return BT_GROUP_REASON;
}

static bt_draw_t
act_limit_done (bt_tui_t *tui, const char *text, void *data)
{
	char **words;
	bt_draw_t d;

	if (text == NULL)
		return BT_DRAW_STATUS;
	if (data)   /* the kind was given; text is the value */
		return act_limit_set (tui, data, text);
	words = g_strsplit (g_strstrip ((char *) text), " ", 2);
	if (words[0] == NULL || act_choice (limit_choices, words[0]) < 0) {
		bt_tui_error (tui, "limit: say reason, domain, recipient, mta, hard, soft or all");
		d = BT_DRAW_STATUS;
	} else {
		d = act_limit_set (tui, words[0], words[1]);
	}
	g_strfreev (words);
	return d;
}

static char **
act_limit_complete (bt_tui_t *tui, const char *word)
{
	return g_strdupv ((char **) limit_choices);
}

static char **complete_reason (bt_tui_t *t, const char *w) { return act_values (t, BT_GROUP_REASON); }
static char **complete_domain (bt_tui_t *t, const char *w) { return act_values (t, BT_GROUP_DOMAIN); }
static char **complete_recipient (bt_tui_t *t, const char *w) { return act_values (t, BT_GROUP_RECIPIENT); }
static char **complete_mta (bt_tui_t *t, const char *w) { return act_values (t, BT_GROUP_MTA); }

static bt_draw_t
act_limit (bt_tui_t *tui, int argc, char **argv)
{
	static const bt_prompt_complete_fn complete[] = {
		complete_reason, complete_recipient, complete_domain, complete_mta,
	};
	bt_row_t *row = bt_tui_selected (tui);
	const char *kind;
	char *question;
	bt_draw_t d;

	if (argc == 0)
		return bt_prompt_start (tui, "Limit (reason|domain|recipient|mta NAME, hard, soft, all): ",
					NULL, act_limit_complete, act_limit_done, NULL);
	kind = argv[0];
	if (argc > 1 || limit_field (tui, kind) == NULL)
		return act_limit_set (tui, kind, argc > 1 ? argv[1] : NULL);
	question = g_strdup_printf ("Limit to %s: ", kind);
	d = bt_prompt_start (tui, question, row ? bt_row_group_key (row, limit_group (kind)) : NULL,
			     complete[limit_group (kind)], act_limit_done, (void *) kind);
	g_free (question);
	return d;
}

static bt_draw_t
act_sort (bt_tui_t *tui, int argc, char **argv)
{
	tui->sort = argc > 0 ? (bt_sort_t) act_choice (sort_choices, argv[0])
			     : (bt_sort_t) ((tui->sort + 1) % BT_SORT_COUNT);
	bt_tui_note (tui, "sorted by %s", bt_sort_name (tui->sort));
	return BT_DRAW_FILTER | BT_DRAW_SCREEN;
}

static bt_draw_t
act_lane (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		tui->lane = (bt_lane_t) (act_choice (lane_choices, argv[0]) + BT_LANE_FAILURE);
	else
		tui->lane = tui->lane >= BT_LANE_FEEDBACK ? BT_LANE_FAILURE : tui->lane + 1;
	bt_tui_note (tui, "lane: %s", bt_lane_name (tui->lane));
	return BT_DRAW_FILTER | BT_DRAW_SCREEN;
}

static bt_draw_t
act_query_done (bt_tui_t *tui, const char *text, void *data)
{
	if (text == NULL)
		return BT_DRAW_STATUS;
	g_free (tui->query);
	tui->query = *text ? g_strdup (text) : NULL;
	return act_refresh (tui, 0, NULL);
}

static bt_draw_t
act_query (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		return act_query_done (tui, argv[0], NULL);
	return bt_prompt_start (tui, "notmuch query: ", tui->query, NULL, act_query_done, NULL);
}

/* ---- grouped view ----------------------------------------------------- */

static bt_draw_t
act_group (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		tui->group_by = (bt_group_t) act_choice (group_choices, argv[0]);
	else if (tui->view == BT_VIEW_GROUP)
		tui->group_by = (bt_group_t) ((tui->group_by + 1) % BT_GROUP_COUNT);
	tui->view = BT_VIEW_GROUP;
	bt_group_build (tui);
	return BT_DRAW_ALL;
}

static bt_draw_t
act_group_select (bt_tui_t *tui, int argc, char **argv)
{
	static const char *const kinds[] = { "reason", "recipient", "domain", "mta" };
	bt_group_row_t *g;

	if (tui->groups == NULL || tui->groups_list.sel >= tui->groups->len)
		return BT_DRAW_NONE;
	g = tui->groups->pdata[tui->groups_list.sel];
	tui->view = BT_VIEW_LIST;
	act_limit_set (tui, kinds[tui->group_by], g->key);
	tui->list.sel = 0;
	return BT_DRAW_FILTER | BT_DRAW_ALL;
}

/* ---- the table -------------------------------------------------------- */

#define L BT_CTX_LIST
#define ANY BT_CTX_ANY
#define SEL BT_NEEDS_SELECTION
#define WR BT_NEEDS_WRITABLE
#define MK BT_USES_MARKED

const bt_action_t bt_actions[] = {
	{ "down", act_down, ANY, 0, 0, 0, NULL, NULL, "move down a line" },
	{ "up", act_up, ANY, 0, 0, 0, NULL, NULL, "move up a line" },
	{ "page-down", act_page_down, ANY, 0, 0, 0, NULL, NULL, "move down a page" },
	{ "page-up", act_page_up, ANY, 0, 0, 0, NULL, NULL, "move up a page" },
	{ "top", act_top, ANY, 0, 0, 0, NULL, NULL, "go to the first line" },
	{ "bottom", act_bottom, ANY, 0, 0, 0, NULL, NULL, "go to the last line" },
	{ "pane-down", act_pane_down, L, 0, 0, 1, NULL, "[LINES]", "scroll the classifier pane down" },
	{ "pane-up", act_pane_up, L, 0, 0, 1, NULL, "[LINES]", "scroll the classifier pane up" },
	{ "open-raw", act_open_raw, L, SEL, 0, 0, NULL, NULL, "show the raw bounce message" },
	{ "goto-original", act_goto_original, L, SEL, 0, 0, NULL, NULL, "show the message that bounced, when the database has it" },
	{ "apply-default-tags", act_default_tags, L, SEL | WR | MK, 0, 0, NULL, NULL, "apply the knowledge-base entry's tags" },
	{ "tag-add", act_tag_add, L, SEL | WR | MK, 0, 1, NULL, "[TAG]", "add a tag (prompts, with completion)" },
	{ "tag-remove", act_tag_remove, L, SEL | WR | MK, 0, 1, NULL, "[TAG]", "remove a tag (prompts, with completion)" },
	{ "triage-next", act_triage_next, L, SEL | WR | MK, 0, 1, NULL, "[CHANGES]", "mark triaged and move to the next bounce" },
	{ "toggle-mark", act_toggle_mark, L, SEL, 0, 0, NULL, NULL, "mark or unmark the bounce, then move down" },
	{ "mark-same", act_mark_same, L, SEL, 0, 1, mark_choices, "[reason|domain|recipient]", "mark every listed bounce with the same reason, domain or recipient" },
	{ "unmark-all", act_unmark_all, L, 0, 0, 0, NULL, NULL, "unmark every bounce" },
	{ "marked-prefix", act_marked_prefix, L, 0, 0, 0, NULL, NULL, "apply the next action to all marked bounces" },
	{ "copy-address", act_copy_address, L, SEL, 0, 0, NULL, NULL, "copy the failed address to the clipboard" },
	{ "copy-diagnostic", act_copy_diagnostic, L, SEL, 0, 0, NULL, NULL, "copy the diagnostic to the clipboard" },
	{ "export-csv", act_export, L, 0, 0, 1, NULL, "[FILE]", "export the marked (else listed) recipients as CSV" },
	{ "limit", act_limit, L, 0, 0, 2, limit_choices, "[reason|domain|recipient|mta|hard|soft|all [VALUE]]", "limit the list" },
	{ "query", act_query, L, 0, 0, 1, NULL, "[QUERY]", "enter a notmuch query" },
	{ "sort", act_sort, L, 0, 0, 1, sort_choices, "[date|recipient|reason]", "sort the list (cycles without argument)" },
	{ "group", act_group, L | BT_CTX_GROUP, 0, 0, 1, group_choices, "[reason|recipient|domain|mta]", "grouped view with counts and first/last seen (cycles)" },
	{ "select", act_group_select, BT_CTX_GROUP, 0, 0, 0, NULL, NULL, "list the bounces of the group" },
	{ "lane", act_lane, L, 0, 0, 1, lane_choices, "[failures|delays|auto-replies|feedback]", "switch lane (cycles)" },
	{ "undo", act_undo, L | BT_CTX_GROUP, WR, 0, 0, NULL, NULL, "undo the last tag change (again for earlier ones)" },
	{ "refresh", act_refresh, L, 0, 0, 0, NULL, NULL, "read the bounces again" },
	{ "toggle-layout", act_layout, ANY, 0, 0, 1, layout_choices, "[side|stacked]", "pane beside or below the list" },
	{ "redraw", act_redraw, ANY, 0, 0, 0, NULL, NULL, "repaint the screen" },
	{ "help", act_help, ANY, 0, 0, 0, NULL, NULL, "show the keys" },
	{ "close", act_close, BT_CTX_GROUP | BT_CTX_PAGER, 0, 0, 0, NULL, NULL, "close this view" },
	{ "quit", act_quit, ANY, 0, 0, 0, NULL, NULL, "leave bouncetriage" },
	{ NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

const bt_action_t *
bt_action_find (const char *name)
{
	for (const bt_action_t *a = bt_actions; name && a->name; a++)
		if (strcmp (a->name, name) == 0)
			return a;
	return NULL;
}

static unsigned
act_context_bit (const char *context)
{
	for (int i = 0; bt_contexts[i]; i++)
		if (strcmp (bt_contexts[i], context) == 0)
			return 1u << i;
	return 0;
}

bool
bt_action_check (const char *context, const char *action, int argc, char **args,
		 char **why, void *data)
{
	const bt_action_t *a = bt_action_find (action);
	unsigned bit = act_context_bit (context);

	if (a == NULL) {
		*why = g_strdup_printf ("unknown action '%s' (see 'bouncetriage keys')", action);
		return false;
	}
	if ((a->contexts & bit) == 0 && bit != BT_CTX_GLOBAL) {
		*why = g_strdup_printf ("action '%s' cannot be used in context '%s'", action, context);
		return false;
	}
	if (argc < a->min_args || argc > a->max_args) {
		*why = g_strdup_printf ("action '%s' takes %s", action,
					a->args ? a->args : "no arguments");
		return false;
	}
	if (argc > 0 && a->choices && act_choice (a->choices, args[0]) < 0) {
		*why = g_strdup_printf ("action '%s': '%s' is not one of %s", action, args[0], a->args);
		return false;
	}
	return true;
}

/* Whether the action can run in the current view (a global binding of a
 * list action does nothing in the pager). */
static bool
act_fits_view (const bt_tui_t *tui, const bt_action_t *a)
{
	static const unsigned bits[] = {
		[BT_VIEW_LIST] = BT_CTX_LIST, [BT_VIEW_GROUP] = BT_CTX_GROUP, [BT_VIEW_PAGER] = BT_CTX_PAGER,
	};

	return (a->contexts & (bits[tui->view] | BT_CTX_GLOBAL)) != 0 || a->contexts == ANY;
}

bt_draw_t
bt_action_run (bt_tui_t *tui, const char *name, int argc, char **argv)
{
	const bt_action_t *a = bt_action_find (name);
	bt_draw_t d;

	if (a == NULL || !act_fits_view (tui, a))
		return BT_DRAW_NONE;
	if ((a->flags & BT_NEEDS_SELECTION) && bt_tui_selected (tui) == NULL) {
		bt_tui_error (tui, "%s: no bounce selected", name);
		return BT_DRAW_STATUS;
	}
	if ((a->flags & BT_NEEDS_WRITABLE) && !tui->writable) {
		bt_tui_error (tui, "%s: read-only (the list comes from files, not a notmuch database)", name);
		return BT_DRAW_STATUS;
	}
	d = a->run (tui, argc, argv);
	/* the prefix lasts for one action, unless that action opened a prompt */
	if (a->run != act_marked_prefix && tui->prompt == NULL)
		tui->marked_prefix = false;
	return d;
}

const char *const *
bt_action_chain (const bt_tui_t *tui)
{
	static const char *const list[] = { "list", "global", NULL };
	static const char *const group[] = { "group", "global", NULL };
	static const char *const pager[] = { "pager", "global", NULL };

	switch (tui->view) {
	case BT_VIEW_GROUP: return group;
	case BT_VIEW_PAGER: return pager;
	default: return list;
	}
}

/* The action with its bound arguments: "limit hard". */
static char *
act_binding_text (const bt_binding_t *b)
{
	GString *s = g_string_new (bt_binding_action (b));

	for (char **a = bt_binding_args (b); a && *a; a++) {
		g_string_append_c (s, ' ');
		g_string_append (s, *a);
	}
	return g_string_free (s, FALSE);
}

void
bt_action_help (const bt_keymap_t *km, GString *out)
{
	static const char *const titles[] = { "Everywhere", "Bounce list", "Grouped view", "Pager and help" };

	for (int c = 0; bt_contexts[c]; c++) {
		const GPtrArray *list = bt_keymap_bindings (km, bt_contexts[c]);

		g_string_append_printf (out, "%s%s (%s)\n", c ? "\n" : "", titles[c], bt_contexts[c]);
		for (guint i = 0; list && i < list->len; i++) {
			const bt_binding_t *b = list->pdata[i];
			char *key = bt_key_name (bt_binding_key (b));
			char *act = act_binding_text (b);
			const bt_action_t *a = bt_action_find (bt_binding_action (b));

			g_string_append_printf (out, "  %-12s %-22s %s\n", key, act, a ? a->help : "");
			g_free (key);
			g_free (act);
		}
	}
	g_string_append (out, "\nNot bound to a key\n");
	for (const bt_action_t *a = bt_actions; a->name; a++) {
		bool bound = false;

		for (int c = 0; bt_contexts[c] && !bound; c++)
			bound = bt_keymap_key_for (km, bt_contexts[c], a->name) != BT_KEY_NONE;
		if (!bound)
			g_string_append_printf (out, "  %-12s %-22s %s\n", "", a->name, a->help);
	}
}

void
bt_action_list_bindings (const bt_keymap_t *km, GString *out)
{
	for (int c = 0; bt_contexts[c]; c++) {
		const GPtrArray *list = bt_keymap_bindings (km, bt_contexts[c]);

		for (guint i = 0; list && i < list->len; i++) {
			const bt_binding_t *b = list->pdata[i];
			char *key = bt_key_name (bt_binding_key (b));
			char *act = act_binding_text (b);
			const bt_action_t *a = bt_action_find (bt_binding_action (b));

			g_string_append_printf (out, "%s\t%s\t%s\t%s\n", bt_contexts[c], key, act,
						a ? a->help : "");
			g_free (key);
			g_free (act);
		}
	}
}
