/* status.c: the two bottom lines: the status bar (demo, position, marks,
 * loading progress, queued writes, lane, limits, query, totals per reason
 * and hard/soft) and the message line (the last note or error, or the
 * prompt).  Errors are only ever shown here, never over the screen. */
#include "config.h"

#include <string.h>
#include "sanitize.h"
#include "screen.h"
#include "tui.h"

static GHashTable *status_counts;

/* Most frequent reason first, then by name. */
static gint
status_by_count (gconstpointer a, gconstpointer b)
{
	guint x = GPOINTER_TO_UINT (g_hash_table_lookup (status_counts, a));
	guint y = GPOINTER_TO_UINT (g_hash_table_lookup (status_counts, b));

	return x != y ? (x > y ? -1 : 1) : strcmp (a, b);
}

/* Counted again only when shown was rebuilt: while the list loads the bar
 * is redrawn on every pass of the loop, and counting 100,000 rows each time
 * was an eighth of the UI thread's work. */
static void
status_reasons (bt_tui_t *tui, GString *out)
{
	GHashTable *counts;
	GList *keys, *k;
	GString *s;
	guint hard = 0;

	if (tui->reasons && tui->reasons_gen == tui->shown_gen) {
		g_string_append_len (out, tui->reasons->str, tui->reasons->len);
		return;
	}
	if (tui->reasons == NULL)
		tui->reasons = g_string_new (NULL);
	s = tui->reasons;
	g_string_truncate (s, 0);
	tui->reasons_gen = tui->shown_gen;
	counts = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < tui->shown->len; i++) {
		bt_row_t *r = tui->shown->pdata[i];
		const char *key = r->reason ? r->reason : "?";

		g_hash_table_insert (counts, (gpointer) key,
				     GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1));
		hard += r->hard;
	}
	g_string_append_printf (s, " | hard %u soft %u |", hard, tui->shown->len - hard);
	status_counts = counts;
	keys = g_list_sort (g_hash_table_get_keys (counts), status_by_count);
	for (k = keys; k; k = k->next)
		g_string_append_printf (s, " %s %u", (char *) k->data,
					GPOINTER_TO_UINT (g_hash_table_lookup (counts, k->data)));
	status_counts = NULL;
	g_list_free (keys);
	g_hash_table_destroy (counts);
	g_string_append_len (out, s->str, s->len);
}

static void
status_progress (bt_tui_t *tui, GString *s)
{
	guint done = 0, total = 0;

	if (!tui->loading)
		return;
	tui->feed->ops->progress (tui->feed, &done, &total);
	if (total > 0) {
		int fill = (int) (10.0 * done / total);

		g_string_append (s, " [");
		for (int i = 0; i < 10; i++)
			g_string_append_c (s, i < fill ? '#' : '.');
		g_string_append_printf (s, "] %u/%u", done, total);
	} else {
		g_string_append_printf (s, " reading... %u", done);
	}
}

/* Messages the query found that are not in the list, and why. */
static void
status_skipped (bt_tui_t *tui, GString *s)
{
	guint not_bounces = 0, unreadable = 0;

	if (tui->feed->ops->skipped == NULL)
		return;
	tui->feed->ops->skipped (tui->feed, &not_bounces, &unreadable);
	if (not_bounces)
		g_string_append_printf (s, " | %u not bounce%s", not_bounces, not_bounces == 1 ? "" : "s");
	if (unreadable)
		g_string_append_printf (s, " | %u unreadable", unreadable);
}

/* Most important first: a narrow terminal cuts the end. */
static void
status_bar (bt_tui_t *tui, int y, int w)
{
	GString *s = g_string_new (NULL);
	guint pos = tui->shown->len ? tui->list.sel + 1 : 0;

	if (tui->demo)
		g_string_append (s, "DEMO ");
	g_string_append_printf (s, "%u/%u | %s", pos, tui->shown->len, bt_lane_name (tui->lane));
	if (tui->limit_hard >= 0)
		g_string_append_printf (s, " %s only", tui->limit_hard ? "hard" : "soft");
	if (tui->limit_reason || tui->limit_domain || tui->limit_recipient || tui->limit_mta)
		g_string_append_printf (s, " limit:%s%s%s%s",
					tui->limit_reason ? tui->limit_reason : "",
					tui->limit_domain ? tui->limit_domain : "",
					tui->limit_recipient ? tui->limit_recipient : "",
					tui->limit_mta ? tui->limit_mta : "");
	if (tui->marked)
		g_string_append_printf (s, " | %u marked%s", tui->marked, tui->marked_prefix ? " (next action)" : "");
	status_progress (tui, s);
	if (tui->writes)
		g_string_append_printf (s, " | %s", tui->writes);
	if (tui->query)
		g_string_append_printf (s, " | query: %s", tui->query);
	status_reasons (tui, s);
	status_skipped (tui, s);
	bt_draw_text (y, 0, w, s->str, BT_STYLE_STATUS, false, true);
	g_string_free (s, TRUE);
}

static void
draw_message (bt_tui_t *tui, int y, int w)
{
	if (tui->prompt) {
		bt_prompt_draw (tui, y, w);
		return;
	}
	bt_screen_cursor (0, -1);
	if (tui->message->len)
		bt_draw_text (y, 0, w, tui->message->str,
			   tui->message_error ? BT_STYLE_ERROR : BT_STYLE_NORMAL, false, true);
	else if (tui->demo)
		bt_draw_text (y, 0, w, "This is the demo store (a temporary copy): change anything. ? help, q quit",
			   BT_STYLE_DIM, false, true);
	else
		bt_draw_text (y, 0, w, "? help  q quit", BT_STYLE_DIM, false, true);
}

void
bt_status_draw (bt_tui_t *tui, int bar_y, int message_y, int w)
{
	status_bar (tui, bar_y, w);
	draw_message (tui, message_y, w);
}
