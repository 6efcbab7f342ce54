/* pane.c: the classifier pane: everything known about the selected bounce
 * (the record, its meaning, the address's history, the original message)
 * and the knowledge-base entry that explains it, wrapped to the pane and
 * scrolled.  Every value is sanitised before it is laid out. */
#include "config.h"

#include <string.h>
#include "sanitize.h"
#include "screen.h"
#include "tui.h"

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
	a = bt_draw_date (first, "%Y-%m-%d");
	b = bt_draw_date (last, "%Y-%m-%d");
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

void
bt_pane_draw (bt_tui_t *tui, int y, int x, int h, int w)
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

