/* draw.c: everything the main loop draws: layout, list rows, the
 * classifier pane, the grouped view, the pager and the status line.
 * Every piece of mail text passes through bt_sanitize before it reaches
 * bt_screen_put. */
#include "config.h"

#include <string.h>
#include "bouncetriage/classify.h"
#include "actions.h"
#include "sanitize.h"
#include "screen.h"
#include "tui.h"

#define MIN_COLS 40
#define MIN_ROWS 12

/* Put mail text at (y, x): sanitised here. */
static int
draw_text (int y, int x, int width, const char *raw, bt_style_t style, bool sel, bool pad)
{
	char *clean = bt_sanitize (raw ? raw : "", -1, BT_SANITIZE_LINE);
	int n = bt_screen_put (y, x, width, clean, style, sel, pad);

	g_free (clean);
	return n;
}

static char *
draw_date (gint64 t, const char *fmt)
{
	GDateTime *dt;
	char *s;

	if (t <= 0)
		return g_strdup ("");
	dt = g_date_time_new_from_unix_local (t);
	if (dt == NULL)
		return g_strdup ("");
	s = g_date_time_format (dt, fmt);
	g_date_time_unref (dt);
	return s;
}

/* ---- the bounce list ------------------------------------------------- */

typedef struct {
	int flag, date, recipient, reason, remote, subject;
} draw_cols_t;

/* Column widths for a list width: the recipient first (it is what the
 * user acts on), then the subject, then the remote host when room is left. */
static draw_cols_t
draw_columns (int width)
{
	draw_cols_t c = { 2, width >= 60 ? 11 : 6, 0, 16, 0, 0 };
	int rest = width - c.flag - c.date - c.reason, left;

	if (rest < 10) {
		c.reason = 0;
		rest = width - c.flag - c.date;
	}
	if (width < 60) {
		c.recipient = rest;
		return c;
	}
	c.recipient = CLAMP (rest / 2, 26, 34);
	if (c.recipient > rest)
		c.recipient = rest;
	left = rest - c.recipient;
	c.remote = left >= 24 ? MAX (left * 35 / 100, 9) : 0;
	c.subject = left - c.remote;
	return c;
}

static guint
list_count (void *data)
{
	return ((bt_tui_t *) data)->shown->len;
}

/* The first tag "mark triaged" adds, to show triaged rows dim. */
static bool
draw_row_triaged (const bt_tui_t *tui, const bt_row_t *r)
{
	char **words;
	bool yes = false;

	if (r->msg->tags == NULL || tui->triaged_tags == NULL)
		return false;
	words = g_strsplit (tui->triaged_tags, " ", -1);
	for (char **w = words; *w && !yes; w++)
		if ((*w)[0] == '+')
			yes = bt_msg_has_tag (r->msg, *w + 1);
	g_strfreev (words);
	return yes;
}

static bt_style_t
draw_reason_style (const bt_row_t *r)
{
	switch (r->lane) {
	case BT_LANE_FAILURE: return r->hard ? BT_STYLE_HARD : BT_STYLE_SOFT;
	case BT_LANE_DELAY: return BT_STYLE_DELAY;
	default: return BT_STYLE_INFO;
	}
}

/* One column: text in width - 1 columns, then a space between columns. */
static int
draw_cell (int y, int x, int width, const char *raw, bt_style_t style, bool sel)
{
	if (width <= 0)
		return 0;
	draw_text (y, x, width - 1, raw, style, sel, true);
	if (width > 1)
		bt_screen_put (y, x + width - 1, 1, "", BT_STYLE_NORMAL, sel, true);
	return width;
}

static void
list_draw_row (void *data, guint index, int y, int x, int width, bool sel)
{
	bt_tui_t *tui = data;
	bt_row_t *r = tui->shown->pdata[index];
	draw_cols_t c = draw_columns (width);
	bool triaged = draw_row_triaged (tui, r);
	bt_style_t base = triaged ? BT_STYLE_DIM : BT_STYLE_NORMAL;
	char flags[3] = { r->marked ? '*' : ' ', triaged ? 'T' : ' ', 0 };
	char *date = draw_date (r->msg->date, c.date > 6 ? "%Y-%m-%d" : "%m-%d");
	int at = x;

	at += bt_screen_put (y, at, c.flag, flags, r->marked ? BT_STYLE_MARKED : base, sel, true);
	at += draw_cell (y, at, c.date, date, base, sel);
	at += draw_cell (y, at, c.recipient, r->recipient ? r->recipient : "(no recipient)", base, sel);
	at += draw_cell (y, at, c.reason, r->reason, draw_reason_style (r), sel);
	at += draw_cell (y, at, c.remote, r->remote_mta ? r->remote_mta : r->domain, base, sel);
	if (c.subject > 0)
		at += draw_text (y, at, x + width - at, r->msg->subject, base, sel, true);
	if (at < x + width)
		bt_screen_blank (y, at, x + width - at, base, sel);
	g_free (date);
}

static void
list_header (void *data, int y, int x, int width)
{
	draw_cols_t c = draw_columns (width);
	int at = x;

	at += bt_screen_put (y, at, c.flag + c.date, "  Date", BT_STYLE_HEADER, false, true);
	at += bt_screen_put (y, at, c.recipient, "Recipient", BT_STYLE_HEADER, false, true);
	if (c.reason)
		at += bt_screen_put (y, at, c.reason, "Reason", BT_STYLE_HEADER, false, true);
	if (c.remote)
		at += bt_screen_put (y, at, c.remote, "Remote", BT_STYLE_HEADER, false, true);
	if (c.subject)
		at += bt_screen_put (y, at, c.subject, "Subject", BT_STYLE_HEADER, false, true);
	if (at < x + width)
		bt_screen_put (y, at, x + width - at, "", BT_STYLE_HEADER, false, true);
}

static const bt_list_ops_t list_ops = { list_count, list_draw_row, list_header };

/* ---- grouped view ---------------------------------------------------- */

static guint
group_count (void *data)
{
	bt_tui_t *tui = data;

	return tui->groups ? tui->groups->len : 0;
}

static void
group_draw_row (void *data, guint index, int y, int x, int width, bool sel)
{
	bt_tui_t *tui = data;
	bt_group_row_t *g = tui->groups->pdata[index];
	char *first = draw_date (g->first, "%Y-%m-%d");
	char *last = draw_date (g->last, "%Y-%m-%d");
	char *nums = g_strdup_printf ("%6u %5u ", g->count, g->hard);
	int at = x;

	at += bt_screen_put (y, at, 13, nums, g->hard ? BT_STYLE_HARD : BT_STYLE_NORMAL, sel, true);
	if (width >= 60) {
		at += bt_screen_put (y, at, 11, first, BT_STYLE_NORMAL, sel, true);
		at += bt_screen_put (y, at, 11, last, BT_STYLE_NORMAL, sel, true);
	}
	draw_text (y, at, x + width - at, g->key, BT_STYLE_NORMAL, sel, true);
	g_free (nums);
	g_free (first);
	g_free (last);
}

static void
group_header (void *data, int y, int x, int width)
{
	bt_tui_t *tui = data;
	char *h = g_strdup_printf (width >= 60 ? " Count  Hard First      Last       %s" : " Count  Hard %s",
				   bt_group_name (tui->group_by));

	bt_screen_put (y, x, width, h, BT_STYLE_HEADER, false, true);
	g_free (h);
}

static const bt_list_ops_t group_ops = { group_count, group_draw_row, group_header };

/* ---- pager ----------------------------------------------------------- */

static guint
pager_count (void *data)
{
	bt_tui_t *tui = data;

	return tui->pager_lines ? tui->pager_lines->len : 0;
}

static void
pager_draw_row (void *data, guint index, int y, int x, int width, bool sel)
{
	bt_tui_t *tui = data;

	/* lines were sanitised when the pager was opened */
	bt_screen_put (y, x, width, tui->pager_lines->pdata[index], BT_STYLE_NORMAL, false, true);
}

static void
pager_header (void *data, int y, int x, int width)
{
	bt_tui_t *tui = data;

	draw_text (y, x, width, tui->pager_title, BT_STYLE_TITLE, false, true);
}

static const bt_list_ops_t pager_ops = { pager_count, pager_draw_row, pager_header };

void
bt_draw_init_lists (bt_tui_t *tui)
{
	bt_list_init (&tui->list, &list_ops, tui, true);
	bt_list_init (&tui->groups_list, &group_ops, tui, true);
	bt_list_init (&tui->pager, &pager_ops, tui, false);
}

/* ---- the classifier pane --------------------------------------------- */

typedef struct {
	char *label;     /* sanitised, or NULL for a continuation line */
	char *text;      /* sanitised */
	bt_style_t style;
} pane_line_t;

static void
pane_line_free (gpointer p)
{
	pane_line_t *l = p;

	g_free (l->label);
	g_free (l->text);
	g_free (l);
}

#define PANE_LABEL 12

/* A field: label, then the value wrapped beside it. */
static void
pane_add (GPtrArray *out, const char *label, const char *value, bt_style_t style, int width)
{
	char *clean;
	char **lines;
	int room = width - PANE_LABEL;

	if (value == NULL || *value == '\0')
		return;
	clean = bt_sanitize (value, -1, BT_SANITIZE_LINE);
	lines = bt_sanitize_wrap (clean, room > 8 ? room : width);
	for (int i = 0; lines[i]; i++) {
		pane_line_t *l = g_new0 (pane_line_t, 1);

		l->label = i == 0 && label ? g_strdup (label) : NULL;
		l->text = g_strdup (lines[i]);
		l->style = style;
		g_ptr_array_add (out, l);
	}
	g_strfreev (lines);
	g_free (clean);
}

/* A paragraph over the whole width (kb text). */
static void
pane_para (GPtrArray *out, const char *text, bt_style_t style, int width)
{
	char *clean;
	char **lines;

	if (text == NULL || *text == '\0')
		return;
	clean = bt_sanitize (text, -1, BT_SANITIZE_LINE);
	lines = bt_sanitize_wrap (clean, width);
	for (int i = 0; lines[i]; i++) {
		pane_line_t *l = g_new0 (pane_line_t, 1);

		l->text = g_strdup (lines[i]);
		l->style = style;
		l->label = g_strdup ("");
		g_ptr_array_add (out, l);
	}
	g_strfreev (lines);
	g_free (clean);
}

static void
pane_blank (GPtrArray *out)
{
	pane_line_t *l = g_new0 (pane_line_t, 1);

	l->text = g_strdup ("");
	l->label = g_strdup ("");
	g_ptr_array_add (out, l);
}

static void
pane_record (bt_tui_t *tui, GPtrArray *out, const bt_row_t *row, const bt_record_t *rec, int width)
{
	const char *meaning;
	char *s;

	pane_add (out, "Recipient", row->recipient, BT_STYLE_NORMAL, width);
	if (rec)
		pane_add (out, "Action", rec->f[BT_F_ACTION], BT_STYLE_NORMAL, width);
	s = g_strdup_printf ("%s (%s)", row->reason ? row->reason : "?", row->hard ? "hard" : "soft");
	pane_add (out, "Reason", s, row->hard ? BT_STYLE_HARD : BT_STYLE_SOFT, width);
	g_free (s);
	if (row->status) {
		meaning = bt_kb_status_meaning (tui->kb, row->status);
		s = g_strdup_printf ("%s%s%s", row->status, meaning ? " " : "", meaning ? meaning : "");
		pane_add (out, "Status", s, BT_STYLE_NORMAL, width);
		g_free (s);
	}
	if (row->replycode || (rec && rec->f[BT_F_COMMAND])) {
		const char *cmd = rec ? rec->f[BT_F_COMMAND] : NULL;
		GString *r = g_string_new (row->replycode);

		meaning = row->replycode ? bt_kb_reply_meaning (tui->kb, row->replycode) : NULL;
		if (cmd)
			g_string_append_printf (r, "%sin reply to %s", r->len ? " " : "", cmd);
		if (meaning)
			g_string_append_printf (r, ": %s", meaning);
		pane_add (out, "Reply", r->str, BT_STYLE_NORMAL, width);
		g_string_free (r, TRUE);
	}
	if (rec) {
		pane_add (out, "Diagnostic", rec->f[BT_F_DIAGNOSTIC], BT_STYLE_NORMAL, width);
		pane_add (out, "Remote MTA", rec->f[BT_F_REMOTE_MTA], BT_STYLE_NORMAL, width);
		pane_add (out, "Reporting", rec->f[BT_F_REPORTING_MTA], BT_STYLE_NORMAL, width);
	} else {
		pane_add (out, "Remote MTA", row->remote_mta, BT_STYLE_NORMAL, width);
	}
}

static void
pane_original (GPtrArray *out, const bt_msg_t *m, const bt_report_t *report, int width)
{
	pane_add (out, "Subject", m->subject, BT_STYLE_NORMAL, width);
	pane_add (out, "To", m->orig_to, BT_STYLE_NORMAL, width);
	pane_add (out, "Sent", report && report->orig_date ? report->orig_date : m->orig_date,
		  BT_STYLE_NORMAL, width);
	pane_add (out, "Message-ID", m->orig_message_id, BT_STYLE_NORMAL, width);
	if (m->tags) {
		char *tags = g_strjoinv (" ", m->tags);

		pane_add (out, "Tags", tags, BT_STYLE_DIM, width);
		g_free (tags);
	}
}

/* What this address did among the bounces read: how often, when, why. */
static void
pane_history (bt_tui_t *tui, GPtrArray *out, const bt_row_t *row, int width)
{
	GString *s, *reasons = g_string_new (NULL);
	guint n = 0;
	gint64 first = 0, last = 0;
	char *a, *b;

	if (row->recipient == NULL)
		return;
	for (guint i = 0; i < tui->rows->len; i++) {
		const bt_row_t *r = tui->rows->pdata[i];
		gint64 t = r->msg->date;

		if (r->recipient == NULL || g_ascii_strcasecmp (r->recipient, row->recipient) != 0)
			continue;
		n++;
		if (t && (first == 0 || t < first))
			first = t;
		if (t > last)
			last = t;
		if (r->reason && !strstr (reasons->str, r->reason))
			g_string_append_printf (reasons, "%s%s", reasons->len ? ", " : "", r->reason);
	}
	a = draw_date (first, "%Y-%m-%d");
	b = draw_date (last, "%Y-%m-%d");
	s = g_string_new (NULL);
	g_string_append_printf (s, "%u bounce%s", n, n == 1 ? "" : "s");
	if (n > 1)
		g_string_append_printf (s, ", %s to %s (%s)", a, b, reasons->str);
	pane_add (out, "History", s->str, n > 1 ? BT_STYLE_MARKED : BT_STYLE_NORMAL, width);
	g_string_free (s, TRUE);
	g_string_free (reasons, TRUE);
	g_free (a);
	g_free (b);
}

static void
pane_kb (bt_tui_t *tui, GPtrArray *out, const bt_row_t *row, int width)
{
	const bt_kb_entry_t *e = row->kb ? bt_kb_get (tui->kb, row->kb) : NULL;

	if (e == NULL)
		return;
	pane_blank (out);
	pane_para (out, bt_kb_entry_title (e), BT_STYLE_TITLE, width);
	pane_para (out, bt_kb_entry_explanation (e), BT_STYLE_NORMAL, width);
	if (bt_kb_entry_advice (e)) {
		pane_blank (out);
		pane_para (out, "What to do:", BT_STYLE_LABEL, width);
		pane_para (out, bt_kb_entry_advice (e), BT_STYLE_NORMAL, width);
	}
}

GPtrArray *
bt_pane_lines (bt_tui_t *tui, bt_row_t *row, int width)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (pane_line_free);
	GError *error = NULL;
	bt_report_t *report;
	const bt_record_t *rec = NULL;

	if (row == NULL) {
		pane_para (out, tui->loading ? "Reading bounces..." : "No bounce in this list.", BT_STYLE_DIM, width);
		return out;
	}
	report = tui->feed->ops->report (tui->feed, row->msg, &error);
	if (report && row->rcpt < report->records->len)
		rec = report->records->pdata[row->rcpt];
	pane_record (tui, out, row, rec, width);
	pane_history (tui, out, row, width);
	pane_original (out, row->msg, report, width);
	if (error) {
		pane_add (out, "Note", error->message, BT_STYLE_ERROR, width);
		g_error_free (error);
	}
	pane_kb (tui, out, row, width);
	return out;
}

static void
draw_pane (bt_tui_t *tui, int y, int x, int h, int w)
{
	GPtrArray *lines = bt_pane_lines (tui, bt_tui_selected (tui), w);

	tui->pane_lines = (int) lines->len;
	tui->pane_height = h;
	if (tui->pane_scroll > tui->pane_lines - h)
		tui->pane_scroll = tui->pane_lines - h > 0 ? tui->pane_lines - h : 0;
	for (int i = 0; i < h; i++) {
		guint n = (guint) (tui->pane_scroll + i);
		pane_line_t *l = n < lines->len ? lines->pdata[n] : NULL;
		int at = x;

		if (l == NULL) {
			bt_screen_blank (y + i, x, w, BT_STYLE_NORMAL, false);
			continue;
		}
		/* NULL: a continuation, indented; "": a paragraph over the width */
		if (l->label == NULL || *l->label)
			at += bt_screen_put (y + i, at, PANE_LABEL, l->label ? l->label : "",
					     BT_STYLE_LABEL, false, true);
		if (at < x + w)
			bt_screen_put (y + i, at, x + w - at, l->text, l->style, false, true);
	}
	g_ptr_array_unref (lines);
}

/* ---- status line ----------------------------------------------------- */

static GHashTable *status_counts;

/* Most frequent reason first, then by name. */
static gint
status_by_count (gconstpointer a, gconstpointer b)
{
	guint x = GPOINTER_TO_UINT (g_hash_table_lookup (status_counts, a));
	guint y = GPOINTER_TO_UINT (g_hash_table_lookup (status_counts, b));

	return x != y ? (x > y ? -1 : 1) : strcmp (a, b);
}

static void
status_reasons (bt_tui_t *tui, GString *s)
{
	GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);
	GList *keys, *k;
	guint hard = 0;

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

static void
draw_status (bt_tui_t *tui, int y, int w)
{
	GString *s = g_string_new (NULL);
	guint pos = tui->shown->len ? tui->list.sel + 1 : 0;

	if (tui->demo)
		g_string_append (s, "DEMO ");
	g_string_append_printf (s, "%u/%u", pos, tui->shown->len);
	if (tui->marked)
		g_string_append_printf (s, " | %u marked%s", tui->marked, tui->marked_prefix ? " (next action)" : "");
	status_progress (tui, s);
	if (tui->writes)
		g_string_append_printf (s, " | %s", tui->writes);
	g_string_append_printf (s, " | %s", bt_lane_name (tui->lane));
	if (tui->limit_hard >= 0)
		g_string_append_printf (s, " %s only", tui->limit_hard ? "hard" : "soft");
	if (tui->limit_reason || tui->limit_domain || tui->limit_recipient || tui->limit_mta)
		g_string_append_printf (s, " limit:%s%s%s%s",
					tui->limit_reason ? tui->limit_reason : "",
					tui->limit_domain ? tui->limit_domain : "",
					tui->limit_recipient ? tui->limit_recipient : "",
					tui->limit_mta ? tui->limit_mta : "");
	if (tui->query)
		g_string_append_printf (s, " | query: %s", tui->query);
	status_reasons (tui, s);
	draw_text (y, 0, w, s->str, BT_STYLE_STATUS, false, true);
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
		draw_text (y, 0, w, tui->message->str,
			   tui->message_error ? BT_STYLE_ERROR : BT_STYLE_NORMAL, false, true);
	else if (tui->demo)
		draw_text (y, 0, w, "This is the demo store (a temporary copy): change anything. ? help, q quit",
			   BT_STYLE_DIM, false, true);
	else
		draw_text (y, 0, w, "? help  q quit", BT_STYLE_DIM, false, true);
}

/* ---- layout ---------------------------------------------------------- */

static void
draw_too_small (int rows, int cols)
{
	for (int y = 0; y < rows; y++)
		bt_screen_blank (y, 0, cols, BT_STYLE_NORMAL, false);
	bt_screen_put (0, 0, cols, "Terminal too small", BT_STYLE_ERROR, false, true);
	if (rows > 1)
		bt_screen_put (1, 0, cols, "need 40x12; q quits", BT_STYLE_NORMAL, false, true);
}

static void
draw_list_view (bt_tui_t *tui, bt_draw_t what, int h, int w)
{
	bool side = !tui->stacked && w >= 80;

	if (side) {
		int lw = w * 55 / 100;

		if (what & BT_DRAW_LIST)
			bt_list_draw (&tui->list, 0, 0, h, lw);
		if (what & (BT_DRAW_LIST | BT_DRAW_PANE)) {
			for (int y = 0; y < h; y++)
				bt_screen_put (y, lw, 1, "|", BT_STYLE_DIM, false, false);
			draw_pane (tui, 0, lw + 1, h, w - lw - 1);
		}
	} else {
		int lh = h * 45 / 100 < 4 ? 4 : h * 45 / 100;

		if (what & BT_DRAW_LIST)
			bt_list_draw (&tui->list, 0, 0, lh, w);
		if (what & (BT_DRAW_LIST | BT_DRAW_PANE)) {
			GString *rule = g_string_new ("-- Classifier ");

			while ((int) rule->len < w)
				g_string_append_c (rule, '-');
			bt_screen_put (lh, 0, w, rule->str, BT_STYLE_DIM, false, true);
			g_string_free (rule, TRUE);
			draw_pane (tui, lh + 1, 0, h - lh - 1, w);
		}
	}
}

void
bt_draw_screen (bt_tui_t *tui, bt_draw_t what)
{
	int rows, cols, h;

	bt_screen_size (&rows, &cols);
	if (what & BT_DRAW_ALL) {
		bt_screen_clear ();
		what |= BT_DRAW_SCREEN;
	}
	if (rows < MIN_ROWS || cols < MIN_COLS) {
		draw_too_small (rows, cols);
		bt_screen_refresh ();
		return;
	}
	h = rows - 2;
	switch (tui->view) {
	case BT_VIEW_LIST:
		draw_list_view (tui, what, h, cols);
		break;
	case BT_VIEW_GROUP:
		if (what & BT_DRAW_LIST)
			bt_list_draw (&tui->groups_list, 0, 0, h, cols);
		break;
	case BT_VIEW_PAGER:
		if (what & BT_DRAW_LIST)
			bt_list_draw (&tui->pager, 0, 0, h, cols);
		break;
	}
	if (what & BT_DRAW_STATUS) {
		draw_status (tui, rows - 2, cols);
		draw_message (tui, rows - 1, cols);
	}
	bt_screen_refresh ();
}
