/* feed-files.c: rows from mail files, parsed a few at a time (feed.h). */
#include "config.h"

#include <string.h>
#include "bouncetriage/classify.h"
#include "bouncetriage/parse.h"
#include "feed.h"

/* Messages parsed per poll: small enough that a key press is handled
 * within a frame or two. */
#define FILES_BATCH 8

typedef struct {
	bt_feed_t base;
	char **paths;
	guint next_path;
	bt_source_t *source;
	const bt_kb_t *kb;
	GPtrArray *msgs;        /* bt_msg_t *, owned; priv is the bt_report_t */
	GPtrArray *rows;        /* bt_row_t *, owned */
	guint given;            /* rows handed to poll's caller */
	guint parsed;
	guint not_bounces, unreadable;
	GStringChunk *strings;
	bool done;
} files_feed_t;

static void
files_msg_free (gpointer p)
{
	bt_msg_t *m = p;

	bt_report_free (m->priv);
	g_strfreev (m->tags);
	g_free (m);
}

static const char *
files_keep (files_feed_t *f, const char *s)
{
	return s ? g_string_chunk_insert_const (f->strings, s) : NULL;
}

static const char *
files_domain (files_feed_t *f, const char *recipient)
{
	const char *at = recipient ? strrchr (recipient, '@') : NULL;
	char *lower;
	const char *kept;

	if (at == NULL || at[1] == '\0')
		return NULL;
	lower = g_ascii_strdown (at + 1, -1);
	kept = files_keep (f, lower);
	g_free (lower);
	return kept;
}

static gint64
files_date (const char *date)
{
	GDateTime *dt;
	gint64 t;

	if (date == NULL)
		return 0;
	dt = g_mime_utils_header_decode_date (date);
	if (dt == NULL)
		return 0;
	t = g_date_time_to_unix (dt);
	g_date_time_unref (dt);
	return t;
}

/* One report becomes one message and a row per record with a lane. */
static void
files_add_report (files_feed_t *f, bt_report_t *report)
{
	bt_msg_t *m;

	if (report->records->len == 0 || bt_report_lane (report) == BT_LANE_NONE) {
		f->not_bounces++;
		bt_report_free (report);
		return;
	}
	bt_classify_report (f->kb, report);
	m = g_new0 (bt_msg_t, 1);
	m->priv = report;
	m->filename = report->file;
	m->message_id = report->message_id;
	m->date = files_date (report->date);
	m->subject = report->orig_subject ? report->orig_subject : report->subject;
	m->orig_to = report->orig_to;
	m->orig_message_id = report->orig_message_id;
	m->orig_date = report->orig_date;
	g_ptr_array_add (f->msgs, m);
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		bt_row_t *r;

		if (bt_record_lane (rec) == BT_LANE_NONE)
			continue;
		r = g_new0 (bt_row_t, 1);
		r->msg = m;
		r->rcpt = i;
		r->recipient = rec->f[BT_F_RECIPIENT];
		r->domain = files_domain (f, r->recipient);
		r->reason = rec->reason;
		r->status = rec->f[BT_F_STATUS];
		r->replycode = rec->f[BT_F_REPLYCODE];
		r->kb = rec->kb;
		r->remote_mta = rec->f[BT_F_REMOTE_MTA];
		r->hard = rec->hard;
		r->lane = bt_record_lane (rec);
		r->seq = f->rows->len;
		g_ptr_array_add (f->rows, r);
	}
}

/* Parse one more message; false when there is nothing left. */
static bool
files_step (files_feed_t *f, GPtrArray *errors)
{
	GError *error = NULL;
	bt_report_t *report;

	while (f->source == NULL) {
		if (f->paths[f->next_path] == NULL)
			return false;
		f->source = bt_source_open (f->paths[f->next_path++], &error);
		if (f->source == NULL) {
			g_ptr_array_add (errors, g_strdup (error->message));
			g_clear_error (&error);
		}
	}
	report = bt_source_next (f->source, &error);
	if (report) {
		f->parsed++;
		files_add_report (f, report);
	} else if (error) {
		f->unreadable++;
		g_ptr_array_add (errors, g_strdup (error->message));
		g_clear_error (&error);
	}
	if (report == NULL && error == NULL && bt_source_done (f->source)) {
		bt_source_free (f->source);
		f->source = NULL;
	}
	return true;
}

static bool
files_poll (bt_feed_t *feed, GPtrArray *rows, GPtrArray *errors)
{
	files_feed_t *f = (files_feed_t *) feed;

	for (int i = 0; i < FILES_BATCH && !f->done; i++)
		if (!files_step (f, errors))
			f->done = true;
	for (; f->given < f->rows->len; f->given++)
		g_ptr_array_add (rows, f->rows->pdata[f->given]);
	return f->done;
}

static int
files_fd (bt_feed_t *feed)
{
	return -1;
}

static void
files_progress (bt_feed_t *feed, guint *done, guint *total)
{
	files_feed_t *f = (files_feed_t *) feed;

	*done = f->parsed;
	*total = 0;
}

static void
files_skipped (bt_feed_t *feed, guint *not_bounces, guint *unreadable)
{
	files_feed_t *f = (files_feed_t *) feed;

	*not_bounces = f->not_bounces;
	*unreadable = f->unreadable;
}

static void
files_clear (files_feed_t *f)
{
	if (f->source)
		bt_source_free (f->source);
	f->source = NULL;
	g_ptr_array_set_size (f->rows, 0);
	g_ptr_array_set_size (f->msgs, 0);
	f->next_path = 0;
	f->given = 0;
	f->parsed = 0;
	f->not_bounces = f->unreadable = 0;
	f->done = false;
}

static bool
files_restart (bt_feed_t *feed, const char *query, GError **error)
{
	files_feed_t *f = (files_feed_t *) feed;

	if (query && *query) {
		bt_error_set (error, BT_ERR_INVALID,
			      "queries need a notmuch database; this list comes from files");
		return false;
	}
	files_clear (f);
	return true;
}

static bt_report_t *
files_report (bt_feed_t *feed, bt_msg_t *msg, GError **error)
{
	return msg->priv;
}

static char *
files_raw (bt_feed_t *feed, bt_msg_t *msg, gsize *len, GError **error)
{
	char *text = NULL;

	if (msg->filename == NULL || !g_file_test (msg->filename, G_FILE_TEST_IS_REGULAR)) {
		bt_error_set (error, BT_ERR_NOTFOUND, "the raw message is not available (read from %s)",
			      msg->filename ? msg->filename : "a stream");
		return NULL;
	}
	if (!g_file_get_contents (msg->filename, &text, len, error))
		return NULL;
	return text;
}

static const char *
files_query (bt_feed_t *feed)
{
	return NULL;
}

static void
files_free (bt_feed_t *feed)
{
	files_feed_t *f = (files_feed_t *) feed;

	files_clear (f);
	g_ptr_array_free (f->rows, TRUE);
	g_ptr_array_free (f->msgs, TRUE);
	g_string_chunk_free (f->strings);
	g_strfreev (f->paths);
}

static const bt_feed_ops_t files_ops = {
	.name = "files",
	.poll = files_poll,
	.fd = files_fd,
	.progress = files_progress,
	.skipped = files_skipped,
	.restart = files_restart,
	.report = files_report,
	.raw = files_raw,
	.query = files_query,
	.free = files_free,
};

bt_feed_t *
bt_feed_files_new (char **paths, const bt_kb_t *kb, GError **error)
{
	files_feed_t *f;

	if (paths == NULL || paths[0] == NULL) {
		bt_error_set (error, BT_ERR_INVALID, "no files given");
		return NULL;
	}
	f = g_new0 (files_feed_t, 1);
	f->base.ops = &files_ops;
	f->base.label = g_strjoinv (" ", paths);
	f->paths = g_strdupv (paths);
	f->kb = kb;
	f->msgs = g_ptr_array_new_with_free_func (files_msg_free);
	f->rows = g_ptr_array_new_with_free_func (g_free);
	f->strings = g_string_chunk_new (1024);
	return &f->base;
}

void
bt_feed_free (bt_feed_t *feed)
{
	if (feed == NULL)
		return;
	feed->ops->free (feed);
	g_free (feed->label);
	g_free (feed);
}

bool
bt_msg_has_tag (const bt_msg_t *msg, const char *tag)
{
	for (char **t = msg->tags; t && *t; t++)
		if (strcmp (*t, tag) == 0)
			return true;
	return false;
}
