/* act-view.c: views: raw and original message, help, the grouped view,
 * layout, refresh, quit. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "act.h"
#include "sanitize.h"

/* The raw-message pager shows at most this much of a message. */
#define ACT_RAW_LIMIT (4 * 1024 * 1024)

bt_draw_t
bt_act_open_raw (bt_tui_t *tui, int argc, char **argv)
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

bt_draw_t
bt_act_goto_original (bt_tui_t *tui, int argc, char **argv)
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

bt_draw_t
bt_act_help (bt_tui_t *tui, int argc, char **argv)
{
	GString *text = g_string_new (NULL);

	bt_action_help (tui->keymap, text);
	bt_tui_pager_text (tui, "Help: keys (q closes)", text->str, (gssize) text->len);
	g_string_free (text, TRUE);
	return BT_DRAW_ALL;
}

bt_draw_t
bt_act_close (bt_tui_t *tui, int argc, char **argv)
{
	if (tui->view == BT_VIEW_PAGER)
		tui->view = tui->pager_return;
	else
		tui->view = BT_VIEW_LIST;
	return BT_DRAW_ALL;
}

bt_draw_t
bt_act_quit (bt_tui_t *tui, int argc, char **argv)
{
	return BT_DRAW_QUIT;
}

bt_draw_t
bt_act_redraw (bt_tui_t *tui, int argc, char **argv)
{
	return BT_DRAW_ALL;
}

bt_draw_t
bt_act_layout (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		tui->stacked = strcmp (argv[0], "stacked") == 0;
	else
		tui->stacked = !tui->stacked;
	bt_tui_note (tui, "layout: %s", tui->stacked ? "stacked" : "side by side");
	return BT_DRAW_ALL;
}

bt_draw_t
bt_act_refresh (bt_tui_t *tui, int argc, char **argv)
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
	tui->shown_gen++;
	tui->list.sel = tui->list.top = 0;
	tui->marked = 0;
	tui->moved = false;
	tui->loading = true;
	bt_tui_note (tui, "reloading");
	return BT_DRAW_FILTER | BT_DRAW_SCREEN;
}

bt_draw_t
bt_act_group (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		tui->group_by = (bt_group_t) bt_act_choice (bt_act_group_choices, argv[0]);
	else if (tui->view == BT_VIEW_GROUP)
		tui->group_by = (bt_group_t) ((tui->group_by + 1) % BT_GROUP_COUNT);
	tui->view = BT_VIEW_GROUP;
	bt_group_build (tui);
	return BT_DRAW_ALL;
}

bt_draw_t
bt_act_group_select (bt_tui_t *tui, int argc, char **argv)
{
	static const char *const kinds[] = { "reason", "recipient", "domain", "mta" };
	bt_group_row_t *g;

	if (tui->groups == NULL || tui->groups_list.sel >= tui->groups->len)
		return BT_DRAW_NONE;
	g = tui->groups->pdata[tui->groups_list.sel];
	tui->view = BT_VIEW_LIST;
	bt_act_limit_set (tui, kinds[tui->group_by], g->key);
	tui->list.sel = 0;
	return BT_DRAW_FILTER | BT_DRAW_ALL;
}
