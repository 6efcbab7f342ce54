/* state.c: the triage screen's state (tui.h): which rows are shown and
 * in what order, the rows an action works on, status line messages, the
 * pager's text.  No curses here: tests drive it with a feed and actions. */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include "sanitize.h"
#include "tui.h"

void
bt_tui_init (bt_tui_t *tui)
{
	memset (tui, 0, sizeof *tui);
	tui->limit_hard = -1;
	tui->lane = BT_LANE_FAILURE;
	tui->message = g_string_new (NULL);
	tui->rows = g_ptr_array_new ();
	tui->shown = g_ptr_array_new ();
	bt_draw_init_lists (tui);
}

bt_row_t *
bt_tui_selected (bt_tui_t *tui)
{
	if (tui->view != BT_VIEW_LIST || tui->list.sel >= tui->shown->len)
		return NULL;
	return tui->shown->pdata[tui->list.sel];
}

GPtrArray *
bt_tui_targets (bt_tui_t *tui)
{
	GPtrArray *out = g_ptr_array_new ();
	bt_row_t *sel;

	if (tui->marked_prefix) {
		for (guint i = 0; i < tui->shown->len; i++)
			if (((bt_row_t *) tui->shown->pdata[i])->marked)
				g_ptr_array_add (out, tui->shown->pdata[i]);
		if (out->len == 0)
			bt_tui_error (tui, "no marked bounce is listed");
	} else if ((sel = bt_tui_selected (tui)) != NULL) {
		g_ptr_array_add (out, sel);
	} else {
		bt_tui_error (tui, "no bounce selected");
	}
	return out;
}

static void tui_message (bt_tui_t *tui, bool error, const char *fmt, va_list ap)
	G_GNUC_PRINTF (3, 0);

static void
tui_message (bt_tui_t *tui, bool error, const char *fmt, va_list ap)
{
	g_string_truncate (tui->message, 0);
	g_string_append_vprintf (tui->message, fmt, ap);
	tui->message_error = error;
}

void
bt_tui_note (bt_tui_t *tui, const char *fmt, ...)
{
	va_list ap;

	va_start (ap, fmt);
	tui_message (tui, false, fmt, ap);
	va_end (ap);
}

void
bt_tui_error (bt_tui_t *tui, const char *fmt, ...)
{
	va_list ap;

	va_start (ap, fmt);
	tui_message (tui, true, fmt, ap);
	va_end (ap);
}

const char *
bt_sort_name (bt_sort_t s)
{
	static const char *const names[] = { "date", "recipient", "reason" };

	return (unsigned) s < BT_SORT_COUNT ? names[s] : "date";
}

static bool
tui_match (const char *limit, const char *value)
{
	return limit == NULL || (value && g_ascii_strcasecmp (limit, value) == 0);
}

static bool
tui_row_shown (const bt_tui_t *tui, const bt_row_t *r)
{
	return r->lane == tui->lane &&
	       (tui->limit_hard < 0 || (int) r->hard == tui->limit_hard) &&
	       tui_match (tui->limit_reason, r->reason) &&
	       tui_match (tui->limit_domain, r->domain) &&
	       tui_match (tui->limit_recipient, r->recipient) &&
	       tui_match (tui->limit_mta, r->remote_mta);
}

static int
tui_strcmp0 (const char *a, const char *b)
{
	return g_strcmp0 (a, b);
}

static bt_sort_t tui_sort_key;

static gint
tui_compare (gconstpointer pa, gconstpointer pb)
{
	const bt_row_t *a = *(bt_row_t *const *) pa, *b = *(bt_row_t *const *) pb;
	int c = 0;

	if (tui_sort_key == BT_SORT_RECIPIENT)
		c = tui_strcmp0 (a->recipient, b->recipient);
	else if (tui_sort_key == BT_SORT_REASON)
		c = tui_strcmp0 (a->reason, b->reason);
	if (c == 0 && a->msg->date != b->msg->date)
		c = a->msg->date > b->msg->date ? -1 : 1;   /* newest first */
	if (c == 0)
		c = a->seq < b->seq ? -1 : a->seq > b->seq;
	return c;
}

void
bt_tui_filter (bt_tui_t *tui)
{
	bt_row_t *keep = bt_tui_selected (tui);
	guint sel_before = tui->list.sel;

	g_ptr_array_set_size (tui->shown, 0);
	tui->shown_gen++;
	for (guint i = 0; i < tui->rows->len; i++)
		if (tui_row_shown (tui, tui->rows->pdata[i]))
			g_ptr_array_add (tui->shown, tui->rows->pdata[i]);
	tui_sort_key = tui->sort;
	g_ptr_array_sort (tui->shown, tui_compare);
	tui->list.sel = sel_before;
	/* rows arriving while the list loads keep the user's place; before
	 * the user moved, the place is the top */
	if (keep && tui->moved) {
		guint at;

		if (g_ptr_array_find (tui->shown, keep, &at))
			tui->list.sel = at;
	}
	bt_list_clamp (&tui->list);
	if (tui->view == BT_VIEW_GROUP)
		bt_group_build (tui);
}

void
bt_tui_pager_text (bt_tui_t *tui, const char *title, const char *text, gssize len)
{
	char *clean = bt_sanitize (text, len, BT_SANITIZE_MULTILINE);
	char **lines = g_strsplit (clean, "\n", -1);

	if (tui->pager_source)
		g_ptr_array_free (tui->pager_source, TRUE);
	tui->pager_source = g_ptr_array_new_with_free_func (g_free);
	for (char **l = lines; *l; l++)
		g_ptr_array_add (tui->pager_source, *l);
	g_free (lines);   /* the strings moved to pager_source */
	g_free (clean);
	g_free (tui->pager_title);
	tui->pager_title = g_strdup (title);
	if (tui->view != BT_VIEW_PAGER)
		tui->pager_return = tui->view;
	tui->view = BT_VIEW_PAGER;
	tui->pager.top = 0;
	tui->pager_width = 0;
	if (tui->pager_map)
		g_array_set_size (tui->pager_map, 0);
	bt_tui_pager_layout (tui, 80);
}

void
bt_tui_pager_layout (bt_tui_t *tui, int width)
{
	guint top_source = 0;

	if (tui->pager_source == NULL || width == tui->pager_width)
		return;
	/* which text line is at the top now */
	if (tui->pager_map && tui->pager.top < tui->pager_map->len)
		top_source = g_array_index (tui->pager_map, guint, tui->pager.top);
	if (tui->pager_lines)
		g_ptr_array_free (tui->pager_lines, TRUE);
	if (tui->pager_map)
		g_array_free (tui->pager_map, TRUE);
	tui->pager_lines = g_ptr_array_new_with_free_func (g_free);
	tui->pager_map = g_array_new (FALSE, FALSE, sizeof (guint));
	tui->pager.top = 0;
	for (guint i = 0; i < tui->pager_source->len; i++) {
		char **pieces = bt_sanitize_cut (tui->pager_source->pdata[i], width);

		if (i == top_source)
			tui->pager.top = tui->pager_lines->len;
		for (char **p = pieces; *p; p++) {
			g_ptr_array_add (tui->pager_lines, *p);
			g_array_append_val (tui->pager_map, i);
		}
		g_free (pieces);
	}
	tui->pager_width = width;
	bt_list_clamp (&tui->pager);
}

void
bt_tui_clear (bt_tui_t *tui)
{
	bt_prompt_free (tui->prompt);
	bt_feed_free (tui->feed);
	bt_keymap_free (tui->keymap);
	g_ptr_array_free (tui->rows, TRUE);
	g_ptr_array_free (tui->shown, TRUE);
	if (tui->reasons)
		g_string_free (tui->reasons, TRUE);
	if (tui->groups)
		g_ptr_array_free (tui->groups, TRUE);
	if (tui->pager_lines)
		g_ptr_array_free (tui->pager_lines, TRUE);
	if (tui->pager_source)
		g_ptr_array_free (tui->pager_source, TRUE);
	if (tui->pager_map)
		g_array_free (tui->pager_map, TRUE);
	g_free (tui->pager_title);
	g_free (tui->limit_reason);
	g_free (tui->limit_domain);
	g_free (tui->limit_recipient);
	g_free (tui->limit_mta);
	g_free (tui->query);
	g_free (tui->writes);
	g_free (tui->clipboard_cmd);
	g_free (tui->triaged_tags);
	g_string_free (tui->message, TRUE);
}

