/* cmd-scan.c: the commands that list what the database holds: scan (the
 * bounces, as rows or JSON lines) and suppressions (addresses that keep
 * failing). */
#include "config.h"

#include <stdio.h>
#include <time.h>
#include "bouncetriage/history.h"
#include "cli.h"
#include "cmd-store.h"
#include "jsonl.h"

/* A string member; NULL is written as null. */
static void
json_str (GString *out, const char *key, const char *value)
{
	bt_jsonl_str (out, key, value, "null");
}

static void
json_rcpt (GString *out, const bt_bounce_rcpt_t *r)
{
	g_string_append_c (out, '{');
	bt_jsonl_key (out, "recipient", true);
	bt_jsonl_string (out, r->recipient, "null");
	json_str (out, "reason", r->reason);
	bt_jsonl_bool (out, "hard", r->hard);
	json_str (out, "status", r->status);
	json_str (out, "replycode", r->replycode);
	json_str (out, "kb", r->kb);
	json_str (out, "remote_mta", r->remote_mta);
	json_str (out, "domain", r->domain);
	json_str (out, "lane", bt_lane_name (r->lane));
	g_string_append_c (out, '}');
}

/* One JSON line, built in out (cleared first). */
static void
print_json (GString *out, const bt_bounce_t *b)
{
	g_string_truncate (out, 0);
	g_string_append_c (out, '{');
	bt_jsonl_key (out, "message_id", true);
	bt_jsonl_string (out, b->message_id, "null");
	bt_jsonl_key (out, "date", false);
	g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) b->date);
	json_str (out, "lane", bt_lane_name (b->lane));
	json_str (out, "from", b->from);
	json_str (out, "subject", b->subject);
	json_str (out, "original_message_id", b->orig_message_id);
	json_str (out, "original_subject", b->orig_subject);
	json_str (out, "original_to", b->orig_to);
	json_str (out, "file", b->filename);
	bt_jsonl_bool (out, "cached", b->from_cache);
	bt_jsonl_key (out, "tags", false);
	g_string_append_c (out, '[');
	for (char **t = b->tags; t && *t; t++) {
		if (t != b->tags)
			g_string_append_c (out, ',');
		bt_jsonl_string (out, *t, "null");
	}
	g_string_append (out, "],\"recipients\":[");
	for (guint i = 0; i < b->n_rcpt; i++) {
		if (i)
			g_string_append_c (out, ',');
		json_rcpt (out, &b->rcpt[i]);
	}
	g_string_append (out, "]}\n");
	fwrite (out->str, 1, out->len, stdout);
}

static void
print_row (const bt_bounce_t *b)
{
	GString *out = g_string_new (NULL);
	char date[32] = "";
	time_t t = (time_t) b->date;
	struct tm tm;

	if (localtime_r (&t, &tm))
		strftime (date, sizeof date, "%Y-%m-%d", &tm);
	g_string_append_printf (out, "%s  %-12s ", date, bt_lane_name (b->lane));
	for (guint i = 0; i < b->n_rcpt; i++) {
		const bt_bounce_rcpt_t *r = &b->rcpt[i];
		if (i)
			g_string_append (out, ", ");
		store_cli_put_safe (out, r->recipient ? r->recipient : "?");
		g_string_append_printf (out, " %s%s", r->reason ? r->reason : "-", r->hard ? " (hard)" : "");
		if (r->status) {
			g_string_append_c (out, ' ');
			store_cli_put_safe (out, r->status);
		}
	}
	g_string_append (out, "  ");
	store_cli_put_safe (out, b->orig_subject ? b->orig_subject : b->subject);
	puts (out->str);
	g_string_free (out, TRUE);
}

static void
print_stats (FILE *out, const bt_scan_stats_t *st)
{
	fprintf (out, "%u bounces: %u failures, %u delays, %u auto-replies, %u feedback, %u delivered",
		 st->bounces, st->lanes[BT_LANE_FAILURE], st->lanes[BT_LANE_DELAY],
		 st->lanes[BT_LANE_VACATION], st->lanes[BT_LANE_FEEDBACK], st->lanes[BT_LANE_DELIVERED]);
	if (st->not_bounces)
		fprintf (out, "; %u found by the query but not bounces, left out", st->not_bounces);
	if (st->unreadable)
		fprintf (out, "; %u unreadable", st->unreadable);
	fprintf (out, " (%u from cache, %u parsed)\n", st->cached, st->parsed);
}

/* line: the buffer of JSON lines; NULL: rows. */
static void
print_bounce (bt_bounce_t *b, gpointer line)
{
	if (line)
		print_json (line, b);
	else
		print_row (b);
	bt_bounce_free (b);
}

int
cmd_scan (int argc, char **argv)
{
	store_opts_t o = { 0 };
	store_cli_t c;
	bt_scan_stats_t stats;
	GString *line = NULL;
	char *query = NULL;
	int status = store_cli_parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	status = 1;
	if (!store_cli_open (&c, &o))
		goto done;
	query = store_cli_query (&o);
	if (o.json)
		line = g_string_sized_new (1024);
	status = store_cli_scan (&c, query, print_bounce, line, &stats);
	if (status < 0) {
		status = 1;
		goto done;
	}
	fflush (stdout);
	print_stats (o.json ? stderr : stdout, &stats);
done:
	if (line)
		g_string_free (line, TRUE);
	store_cli_close (&c);
	g_free (query);
out:
	g_ptr_array_unref (o.args);
	return status;
}

/* Addresses come from mail: keep control characters off the terminal. */
static void
print_suppressions (const bt_history_t *h, bool csv)
{
	GString *out = g_string_new (NULL);

	bt_history_suppressions (h, csv, out);
	for (gsize i = 0; i < out->len; i++)
		if ((unsigned char) out->str[i] < 0x20 && out->str[i] != '\n' && out->str[i] != '\r')
			out->str[i] = '?';
	fwrite (out->str, 1, out->len, stdout);
	g_string_free (out, TRUE);
}

int
cmd_suppressions (int argc, char **argv)
{
	store_opts_t o = { 0 };
	store_cli_t c;
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	bt_history_t *h;
	GError *e = NULL;
	int status = store_cli_parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	if (o.args->len) {
		status = bt_cli_usage ("suppressions", "takes no argument");
		goto out;
	}
	status = 1;
	if (!store_cli_open (&c, &o))
		goto done;
	h = bt_store_history (c.store, problems, &e);
	if (h == NULL) {
		store_cli_fail (&e);
		goto done;
	}
	for (guint i = 0; i < problems->len; i++)
		bt_cli_error ("%s", (char *) problems->pdata[i]);
	print_suppressions (h, o.csv);
	bt_history_free (h);
	status = problems->len ? 1 : 0;
done:
	store_cli_close (&c);
out:
	g_ptr_array_unref (problems);
	g_ptr_array_unref (o.args);
	return status;
}
