/* draw.c: what the main loop draws: the layout, and the rows of the
 * bounce list, the grouped view and the pager (pane.c draws the classifier
 * pane, status.c the two bottom lines).
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
int
bt_draw_text (int y, int x, int width, const char *raw, bt_style_t style, bool sel, bool pad)
{
	char *clean = bt_sanitize (raw ? raw : "", -1, BT_SANITIZE_LINE);
	int n = bt_screen_put (y, x, width, clean, style, sel, pad);

	g_free (clean);
	return n;
}

char *
bt_draw_date (gint64 t, const char *fmt)
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
	bt_draw_text (y, x, width - 1, raw, style, sel, true);
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
	char *date = bt_draw_date (r->msg->date, c.date > 6 ? "%Y-%m-%d" : "%m-%d");
	int at = x;

	at += bt_screen_put (y, at, c.flag, flags, r->marked ? BT_STYLE_MARKED : base, sel, true);
	at += draw_cell (y, at, c.date, date, base, sel);
	at += draw_cell (y, at, c.recipient, r->recipient ? r->recipient : "(no recipient)", base, sel);
	at += draw_cell (y, at, c.reason, r->reason, draw_reason_style (r), sel);
	at += draw_cell (y, at, c.remote, r->remote_mta ? r->remote_mta : r->domain, base, sel);
	if (c.subject > 0)
		at += bt_draw_text (y, at, x + width - at, r->msg->subject, base, sel, true);
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
	char *first = bt_draw_date (g->first, "%Y-%m-%d");
	char *last = bt_draw_date (g->last, "%Y-%m-%d");
	char *nums = g_strdup_printf ("%6u %5u ", g->count, g->hard);
	int at = x;

	at += bt_screen_put (y, at, 13, nums, g->hard ? BT_STYLE_HARD : BT_STYLE_NORMAL, sel, true);
	if (width >= 60) {
		at += bt_screen_put (y, at, 11, first, BT_STYLE_NORMAL, sel, true);
		at += bt_screen_put (y, at, 11, last, BT_STYLE_NORMAL, sel, true);
	}
	bt_draw_text (y, at, x + width - at, g->key, BT_STYLE_NORMAL, sel, true);
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

	bt_draw_text (y, x, width, tui->pager_title, BT_STYLE_TITLE, false, true);
}

static const bt_list_ops_t pager_ops = { pager_count, pager_draw_row, pager_header };

void
bt_draw_init_lists (bt_tui_t *tui)
{
	bt_list_init (&tui->list, &list_ops, tui, true);
	bt_list_init (&tui->groups_list, &group_ops, tui, true);
	bt_list_init (&tui->pager, &pager_ops, tui, false);
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
			bt_pane_draw (tui, 0, lw + 1, h, w - lw - 1);
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
			bt_pane_draw (tui, lh + 1, 0, h - lh - 1, w);
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
		bt_tui_pager_layout (tui, cols);
		if (what & BT_DRAW_LIST)
			bt_list_draw (&tui->pager, 0, 0, h, cols);
		break;
	}
	if (what & BT_DRAW_STATUS)
		bt_status_draw (tui, rows - 2, rows - 1, cols);
	bt_screen_refresh ();
}
