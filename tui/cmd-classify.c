/* cmd-classify.c: `bouncetriage classify`: bounces in, verdicts out, as
 * JSON Lines for scripts or a readable summary for people. */
#include "config.h"

#include <string.h>
#include "bouncetriage/classify.h"
#include "bouncetriage/parse.h"
#include "cli.h"
#include "jsonl.h"

typedef struct {
	bool json;
	bool explain;
	const bt_kb_t *kb;
	GString *line;          /* --json: the line being written, reused */
} classify_opts_t;

/* A member whose value may be NULL: classify writes "" for it. */
static void
json_str (GString *out, const char *key, const char *value)
{
	bt_jsonl_str (out, key, value, "\"\"");
}

/* One JSON line per record, the same keys in the same order for every
 * record. */
static void
classify_print_json (classify_opts_t *o, const bt_report_t *r, const bt_record_t *rec)
{
	GString *out = o->line;

	g_string_assign (out, "{");
	bt_jsonl_key (out, "file", true);
	bt_jsonl_string (out, r->file, "\"\"");
	for (int f = 0; f < BT_F_COUNT; f++)
		json_str (out, bt_record_fields[f].name, rec->f[f]);
	json_str (out, "reason", rec->reason);
	bt_jsonl_bool (out, "hard", rec->hard);
	json_str (out, "kb", rec->kb);
	json_str (out, "lane", bt_lane_name (bt_record_lane (rec)));
	json_str (out, "engine", r->engine);
	json_str (out, "date", r->date);
	json_str (out, "subject", r->subject);
	json_str (out, "original_message_id", r->orig_message_id);
	json_str (out, "original_from", r->orig_from);
	json_str (out, "original_to", r->orig_to);
	json_str (out, "original_subject", r->orig_subject);
	json_str (out, "original_date", r->orig_date);
	bt_jsonl_bool (out, "truncated", r->truncated);
	g_string_append (out, "}\n");
	fwrite (out->str, 1, out->len, stdout);
}

static void
classify_print_text (const classify_opts_t *o, const bt_report_t *r, const bt_record_t *rec)
{
	const char *kbtitle = NULL;
	const bt_kb_entry_t *e = rec->kb ? bt_kb_get (o->kb, rec->kb) : NULL;

	if (e)
		kbtitle = bt_kb_entry_title (e);
	printf ("  %s\n", rec->f[BT_F_RECIPIENT]);
	printf ("    reason:     %s (%s)%s%s\n", rec->reason ? rec->reason : "-",
		rec->hard ? "hard" : "soft", kbtitle ? ": " : "", kbtitle ? kbtitle : "");
	printf ("    status:     %s%s  reply: %s  command: %s\n",
		rec->f[BT_F_STATUS] ? rec->f[BT_F_STATUS] : "-", rec->status_derived ? " (derived)" : "",
		rec->f[BT_F_REPLYCODE] ? rec->f[BT_F_REPLYCODE] : "-",
		rec->f[BT_F_COMMAND] ? rec->f[BT_F_COMMAND] : "-");
	if (rec->f[BT_F_DIAGNOSTIC])
		printf ("    diagnostic: %s\n", rec->f[BT_F_DIAGNOSTIC]);
	if (rec->f[BT_F_REMOTE_MTA])
		printf ("    remote MTA: %s\n", rec->f[BT_F_REMOTE_MTA]);
	if (o->explain) {
		GString *why = g_string_new (NULL);
		bt_classify_explain (o->kb, rec, why);
		printf ("    decision:\n");
		for (char *l = why->str, *nl; *l; l = nl + 1) {
			nl = strchr (l, '\n');
			if (nl == NULL)
				nl = l + strlen (l) - 1;
			printf ("      %.*s\n", (int) (nl - l + (*nl == '\n' ? 0 : 1)), l);
			if (nl[1] == '\0')
				break;
		}
		g_string_free (why, TRUE);
	}
}

static void
classify_report (classify_opts_t *o, bt_report_t *r)
{
	bt_classify_report (o->kb, r);
	if (r->records->len == 0)
		return;
	if (!o->json)
		printf ("%s: %s, engine %s%s\n", r->file, bt_lane_name (bt_report_lane (r)),
			r->engine ? r->engine : "-", r->truncated ? " (truncated)" : "");
	for (guint i = 0; i < r->records->len; i++) {
		if (o->json)
			classify_print_json (o, r, r->records->pdata[i]);
		else
			classify_print_text (o, r, r->records->pdata[i]);
	}
}

/* Returns false when something in path could not be read. */
static bool
classify_path (classify_opts_t *o, const char *path)
{
	GError *error = NULL;
	bt_source_t *src = bt_source_open (path, &error);
	bool ok = true;

	if (src == NULL) {
		bt_cli_error ("%s", error->message);
		g_error_free (error);
		return false;
	}
	while (!bt_source_done (src)) {
		bt_report_t *r = bt_source_next (src, &error);
		if (error) {
			bt_cli_error ("%s", error->message);
			g_clear_error (&error);
			ok = false;
		}
		if (r) {
			classify_report (o, r);
			bt_report_free (r);
		}
	}
	bt_source_free (src);
	return ok;
}

int
cmd_classify (int argc, char **argv)
{
	classify_opts_t o = { 0 };
	bt_kb_t *kb;
	int i, status = 0;
	bool any = false;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp (argv[i], "--json") == 0)
			o.json = true;
		else if (strcmp (argv[i], "--explain") == 0)
			o.explain = true;
		else if (strcmp (argv[i], "--") == 0) {
			i++;
			break;
		} else
			return bt_cli_usage ("classify", "unknown option '%s'", argv[i]);
	}
	if (i >= argc)
		return bt_cli_usage ("classify", "give one or more paths, or - for standard input");
	kb = bt_cli_kb_load ();
	if (kb == NULL)
		return 1;
	o.kb = kb;
	if (o.json)
		o.line = g_string_new (NULL);
	for (; i < argc; i++, any = true)
		if (!classify_path (&o, argv[i]))
			status = 1;
	(void) any;
	fflush (stdout);
	if (o.line)
		g_string_free (o.line, TRUE);
	bt_kb_free (kb);
	return status;
}
