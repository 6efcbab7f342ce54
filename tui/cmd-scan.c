/* cmd-scan.c: the commands that list what the database holds: scan (the
 * bounces, as rows or JSON lines) and suppressions (addresses that keep
 * failing). */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <time.h>
#include "bouncetriage/history.h"
#include "cli.h"
#include "cmd-store.h"

static void
json_str (JsonBuilder *b, const char *key, const char *value)
{
	json_builder_set_member_name (b, key);
	if (value)
		json_builder_add_string_value (b, value);
	else
		json_builder_add_null_value (b);
}

static void
json_rcpt (JsonBuilder *jb, const bt_bounce_rcpt_t *r)
{
	json_builder_begin_object (jb);
	json_str (jb, "recipient", r->recipient);
	json_str (jb, "reason", r->reason);
	json_builder_set_member_name (jb, "hard");
	json_builder_add_boolean_value (jb, r->hard);
	json_str (jb, "status", r->status);
	json_str (jb, "replycode", r->replycode);
	json_str (jb, "kb", r->kb);
	json_str (jb, "remote_mta", r->remote_mta);
	json_str (jb, "domain", r->domain);
	json_str (jb, "lane", bt_lane_name (r->lane));
	json_builder_end_object (jb);
}

/* One JSON line. */
static void
print_json (JsonGenerator *gen, const bt_bounce_t *b)
{
	JsonBuilder *jb = json_builder_new ();
	JsonNode *root;
	char *line;

	json_builder_begin_object (jb);
	json_str (jb, "message_id", b->message_id);
	json_builder_set_member_name (jb, "date");
	json_builder_add_int_value (jb, b->date);
	json_str (jb, "lane", bt_lane_name (b->lane));
	json_str (jb, "from", b->from);
	json_str (jb, "subject", b->subject);
	json_str (jb, "original_message_id", b->orig_message_id);
	json_str (jb, "original_subject", b->orig_subject);
	json_str (jb, "original_to", b->orig_to);
	json_str (jb, "file", b->filename);
	json_builder_set_member_name (jb, "cached");
	json_builder_add_boolean_value (jb, b->from_cache);
	json_builder_set_member_name (jb, "tags");
	json_builder_begin_array (jb);
	for (char **t = b->tags; t && *t; t++)
		json_builder_add_string_value (jb, *t);
	json_builder_end_array (jb);
	json_builder_set_member_name (jb, "recipients");
	json_builder_begin_array (jb);
	for (guint i = 0; i < b->n_rcpt; i++)
		json_rcpt (jb, &b->rcpt[i]);
	json_builder_end_array (jb);
	json_builder_end_object (jb);
	root = json_builder_get_root (jb);
	json_generator_set_root (gen, root);
	line = json_generator_to_data (gen, NULL);
	puts (line);
	g_free (line);
	json_node_unref (root);
	g_object_unref (jb);
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

/* gen: JSON lines, NULL: rows. */
static void
print_bounce (bt_bounce_t *b, gpointer gen)
{
	if (gen)
		print_json (gen, b);
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
	JsonGenerator *gen = NULL;
	char *query = NULL;
	int status = store_cli_parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	status = 1;
	if (!store_cli_open (&c, &o))
		goto done;
	query = store_cli_query (&o);
	if (o.json)
		gen = json_generator_new ();
	status = store_cli_scan (&c, query, print_bounce, gen, &stats);
	if (status < 0) {
		status = 1;
		goto done;
	}
	fflush (stdout);
	print_stats (o.json ? stderr : stdout, &stats);
done:
	if (gen)
		g_object_unref (gen);
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
