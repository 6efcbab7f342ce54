/* report.c: the per-recipient records a parse produces. */
#include "config.h"

#include <string.h>
#include "bouncetriage/report.h"
#include "text.h"

const bt_field_info_t bt_record_fields[BT_F_COUNT] = {
	[BT_F_RECIPIENT] = { "recipient" },
	[BT_F_ORIGINAL_RECIPIENT] = { "original_recipient" },
	[BT_F_ACTION] = { "action" },
	[BT_F_STATUS] = { "status" },
	[BT_F_REPLYCODE] = { "replycode" },
	[BT_F_COMMAND] = { "command" },
	[BT_F_DIAGNOSTIC] = { "diagnostic" },
	[BT_F_DIAGNOSTIC_TYPE] = { "diagnostic_type" },
	[BT_F_REMOTE_MTA] = { "remote_mta" },
	[BT_F_REPORTING_MTA] = { "reporting_mta" },
	[BT_F_LAST_ATTEMPT] = { "last_attempt" },
	[BT_F_FEEDBACK_TYPE] = { "feedback_type" },
	[BT_F_EXTENSIONS] = { "extensions" },
};

bt_report_t *
bt_report_new (const char *file)
{
	bt_report_t *r = g_new0 (bt_report_t, 1);

	r->strings = g_string_chunk_new (1024);
	r->records = g_ptr_array_new_with_free_func (g_free);
	r->file = bt_report_strdup (r, file, -1);
	return r;
}

void
bt_report_free (bt_report_t *report)
{
	if (report == NULL)
		return;
	g_ptr_array_free (report->records, TRUE);
	g_string_chunk_free (report->strings);
	g_free (report);
}

const char *
bt_report_strdup (bt_report_t *report, const char *s, gssize len)
{
	const char *end;

	if (s == NULL)
		return NULL;
	if (len < 0)
		len = (gssize) strlen (s);
	end = s + len;
	while (s < end && g_ascii_isspace (*s))
		s++;
	while (end > s && g_ascii_isspace (end[-1]))
		end--;
	if (s == end)
		return NULL;
	/* Everything a report holds is printed and shown as UTF-8.  GMime
	 * passes some invalid sequences through (5- and 6-byte forms, F5..F7
	 * lead bytes in a raw Date or From), and engines may cut text anywhere:
	 * repaired here, once for every field. */
	if (!bt_text_utf8 (s, (size_t) (end - s))) {
		char *valid = g_utf8_make_valid (s, end - s);
		const char *kept = g_string_chunk_insert (report->strings, valid);
		g_free (valid);
		return kept;
	}
	return g_string_chunk_insert_len (report->strings, s, end - s);
}

bt_record_t *
bt_report_add (bt_report_t *report)
{
	bt_record_t *rec = g_new0 (bt_record_t, 1);

	g_ptr_array_add (report->records, rec);
	return rec;
}

/* Unfold: every run of white space holding a line break becomes one space;
 * NULs and other C0 controls become spaces too (they are never meaningful in
 * a field, and the rest of the program may then rely on C strings). */
void
bt_record_set (bt_report_t *report, bt_record_t *rec, bt_field_t field,
	       const char *s, gssize len)
{
	char small[512], *buf, *o;
	bool space = false, keep_spaces = field == BT_F_EXTENSIONS;

	if (s == NULL) {
		rec->f[field] = NULL;
		return;
	}
	if (len < 0)
		len = (gssize) strlen (s);
	if (len == 0) {
		rec->f[field] = NULL;
		return;
	}
	buf = o = (gsize) len < sizeof small ? small : g_malloc ((gsize) len + 1);
	for (gssize i = 0; i < len; i++) {
		unsigned char c = (unsigned char) s[i];
		if (c < 0x20 || c == 0x7f || (c == ' ' && !keep_spaces)) {
			space = true;
			continue;
		}
		if (space && o > buf)
			*o++ = ' ';
		space = false;
		*o++ = (char) c;
	}
	rec->f[field] = bt_report_strdup (report, buf, o - buf);
	if (buf != small)
		g_free (buf);
}

bt_record_t *
bt_report_find (const bt_report_t *report, const char *recipient)
{
	if (recipient == NULL)
		return NULL;
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		if (rec->f[BT_F_RECIPIENT] && g_ascii_strcasecmp (rec->f[BT_F_RECIPIENT], recipient) == 0)
			return rec;
	}
	return NULL;
}

bt_lane_t
bt_record_lane (const bt_record_t *rec)
{
	const char *action = rec->f[BT_F_ACTION];

	if (rec->reason && strcmp (rec->reason, "vacation") == 0)
		return BT_LANE_VACATION;
	if (rec->reason && strcmp (rec->reason, "feedback") == 0)
		return BT_LANE_FEEDBACK;
	if (rec->reason && strcmp (rec->reason, "delivered") == 0)
		return BT_LANE_DELIVERED;
	if (action && g_ascii_strcasecmp (action, "delayed") == 0)
		return BT_LANE_DELAY;
	return BT_LANE_FAILURE;
}

/* A message's lane is that of its most urgent record: a failure beats a
 * delay, which beats the informational lanes. */
bt_lane_t
bt_report_lane (const bt_report_t *report)
{
	static const int rank[] = {
		[BT_LANE_NONE] = 0, [BT_LANE_DELIVERED] = 1, [BT_LANE_VACATION] = 2,
		[BT_LANE_FEEDBACK] = 3, [BT_LANE_DELAY] = 4, [BT_LANE_FAILURE] = 5,
	};
	bt_lane_t best = BT_LANE_NONE;

	for (guint i = 0; i < report->records->len; i++) {
		bt_lane_t l = bt_record_lane (report->records->pdata[i]);
		if (rank[l] > rank[best])
			best = l;
	}
	return best;
}

const char *
bt_lane_name (bt_lane_t lane)
{
	static const char *const names[] = {
		[BT_LANE_NONE] = "none", [BT_LANE_FAILURE] = "failures",
		[BT_LANE_DELAY] = "delays", [BT_LANE_VACATION] = "auto-replies",
		[BT_LANE_FEEDBACK] = "feedback", [BT_LANE_DELIVERED] = "delivered",
	};
	return (unsigned) lane < G_N_ELEMENTS (names) ? names[lane] : "none";
}
