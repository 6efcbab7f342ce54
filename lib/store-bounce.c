/* store-bounce.c: bt_bounce_t, a bounce as a list row needs it; its
 * strings live in one chunk that the bounce owns. */
#include "config.h"

#include <string.h>
#include "store-private.h"
#include "strv.h"

const char *
bt_bounce_str (bt_bounce_t *b, const char *s)
{
	return s && *s ? g_string_chunk_insert (b->strings, s) : NULL;
}

bt_bounce_t *
bt_bounce_new (void)
{
	bt_bounce_t *b = g_new0 (bt_bounce_t, 1);
	b->strings = g_string_chunk_new (512);
	return b;
}

void
bt_bounce_free (bt_bounce_t *b)
{
	if (b == NULL)
		return;
	g_strfreev (b->tags);
	g_free (b->rcpt);
	g_string_chunk_free (b->strings);
	g_free (b);
}

void
bt_bounce_rcpt_set (bt_bounce_t *b, bt_bounce_rcpt_t *d, const bt_bounce_rcpt_t *r)
{
	*d = *r;
	d->recipient = bt_bounce_str (b, r->recipient);
	d->domain = bt_bounce_str (b, r->domain);
	d->reason = bt_bounce_str (b, r->reason);
	d->status = bt_bounce_str (b, r->status);
	d->replycode = bt_bounce_str (b, r->replycode);
	d->kb = bt_bounce_str (b, r->kb);
	d->remote_mta = bt_bounce_str (b, r->remote_mta);
}

bt_bounce_t *
bt_bounce_copy (const bt_bounce_t *src)
{
	bt_bounce_t *b = bt_bounce_new ();

	b->message_id = bt_bounce_str (b, src->message_id);
	b->filename = bt_bounce_str (b, src->filename);
	b->date = src->date;
	b->from = bt_bounce_str (b, src->from);
	b->subject = bt_bounce_str (b, src->subject);
	b->orig_message_id = bt_bounce_str (b, src->orig_message_id);
	b->orig_subject = bt_bounce_str (b, src->orig_subject);
	b->orig_to = bt_bounce_str (b, src->orig_to);
	b->lane = src->lane;
	b->tags = g_strdupv (src->tags);
	b->from_cache = src->from_cache;
	b->n_rcpt = src->n_rcpt;
	b->rcpt = g_new0 (bt_bounce_rcpt_t, src->n_rcpt ? src->n_rcpt : 1);
	for (guint i = 0; i < src->n_rcpt; i++)
		bt_bounce_rcpt_set (b, &b->rcpt[i], &src->rcpt[i]);
	return b;
}

bool
bt_bounce_hard (const bt_bounce_t *b)
{
	for (guint i = 0; i < b->n_rcpt; i++)
		if (b->rcpt[i].hard && b->rcpt[i].lane == BT_LANE_FAILURE)
			return true;
	return false;
}

bool
bt_bounce_has_tag (const bt_bounce_t *b, const char *tag)
{
	return bt_strv_has (b->tags, tag);
}

/* Fields of the bounce that come from the database, not the verdict. */
void
bt_bounce_fill_message (bt_bounce_t *b, notmuch_message_t *m, const char *filename)
{
	b->message_id = bt_bounce_str (b, notmuch_message_get_message_id (m));
	b->filename = bt_bounce_str (b, filename ? filename : notmuch_message_get_filename (m));
	b->date = notmuch_message_get_date (m);
	b->from = bt_bounce_str (b, notmuch_message_get_header (m, "from"));
	b->subject = bt_bounce_str (b, notmuch_message_get_header (m, "subject"));
	b->tags = bt_store_tags_of (m);
}

static char *
lower_domain (const char *addr)
{
	const char *at = addr ? strrchr (addr, '@') : NULL;
	return at && at[1] ? g_ascii_strdown (at + 1, -1) : NULL;
}

bt_bounce_t *
bt_bounce_from_report (notmuch_message_t *m, const char *filename, const bt_report_t *r)
{
	bt_bounce_t *b = bt_bounce_new ();
	guint n = r->records->len;
	char *oid = bt_store_strip_id (r->orig_message_id);

	bt_bounce_fill_message (b, m, filename);
	b->orig_message_id = bt_bounce_str (b, oid);
	g_free (oid);
	b->orig_subject = bt_bounce_str (b, r->orig_subject);
	b->orig_to = bt_bounce_str (b, r->orig_to);
	b->lane = bt_report_lane (r);
	b->n_rcpt = n;
	b->rcpt = g_new0 (bt_bounce_rcpt_t, n ? n : 1);
	for (guint i = 0; i < n; i++) {
		const bt_record_t *rec = r->records->pdata[i];
		bt_bounce_rcpt_t *d = &b->rcpt[i];
		char *lc = rec->f[BT_F_RECIPIENT] ? g_ascii_strdown (rec->f[BT_F_RECIPIENT], -1) : NULL;
		char *dom = lower_domain (lc);
		const bt_bounce_rcpt_t raw = {
			.recipient = lc, .domain = dom,
			.reason = rec->reason ? rec->reason : "undefined",
			.status = rec->f[BT_F_STATUS], .replycode = rec->f[BT_F_REPLYCODE],
			.kb = rec->kb, .remote_mta = rec->f[BT_F_REMOTE_MTA],
			.hard = rec->hard, .lane = bt_record_lane (rec),
		};

		bt_bounce_rcpt_set (b, d, &raw);
		g_free (lc);
		g_free (dom);
	}
	return b;
}
