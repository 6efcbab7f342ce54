/* cmd-classify.c: `bouncetriage classify`: bounces in, verdicts out, as
 * JSON Lines for scripts or a readable summary for people. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include "bouncetriage/classify.h"
#include "bouncetriage/parse.h"
#include "cli.h"

/* The JSON line of one record: the same keys in the same order for every
 * record, so the object is built once and only its values change. */
enum {
	J_FILE, J_FIELDS, J_REASON = J_FIELDS + BT_F_COUNT, J_HARD, J_KB, J_LANE, J_ENGINE,
	J_DATE, J_SUBJECT, J_ORIG_ID, J_ORIG_FROM, J_ORIG_TO, J_ORIG_SUBJECT, J_ORIG_DATE,
	J_TRUNCATED, J_COUNT
};

typedef struct {
	bool json;
	bool explain;
	const bt_kb_t *kb;
	/* For --json: one generator holding the one object, its value nodes
	 * (owned by the object) and the line it is written to. */
	JsonGenerator *gen;
	JsonNode *node[J_COUNT];
	GString *line;
} classify_opts_t;

static void
classify_json_member (classify_opts_t *o, JsonObject *obj, int j, const char *key, bool boolean)
{
	o->node[j] = json_node_new (JSON_NODE_VALUE);
	if (boolean)
		json_node_set_boolean (o->node[j], FALSE);
	else
		json_node_set_string (o->node[j], "");
	json_object_set_member (obj, key, o->node[j]);
}

/* json_object_set_string_member per key and line cost as much as parsing a
 * small bounce: a new object, hash table and nodes for every record. */
static void
classify_json_init (classify_opts_t *o)
{
	static const struct {
		int j;
		const char *key;
	} keys[] = {
		{ J_REASON, "reason" }, { J_HARD, "hard" }, { J_KB, "kb" }, { J_LANE, "lane" },
		{ J_ENGINE, "engine" }, { J_DATE, "date" }, { J_SUBJECT, "subject" },
		{ J_ORIG_ID, "original_message_id" }, { J_ORIG_FROM, "original_from" },
		{ J_ORIG_TO, "original_to" }, { J_ORIG_SUBJECT, "original_subject" },
		{ J_ORIG_DATE, "original_date" }, { J_TRUNCATED, "truncated" },
	};
	JsonObject *obj = json_object_new ();
	JsonNode *root = json_node_new (JSON_NODE_OBJECT);

	classify_json_member (o, obj, J_FILE, "file", false);
	for (int f = 0; f < BT_F_COUNT; f++)
		classify_json_member (o, obj, J_FIELDS + f, bt_record_fields[f].name, false);
	for (size_t k = 0; k < G_N_ELEMENTS (keys); k++)
		classify_json_member (o, obj, keys[k].j, keys[k].key,
				      keys[k].j == J_HARD || keys[k].j == J_TRUNCATED);
	json_node_take_object (root, obj);
	o->gen = json_generator_new ();
	json_generator_set_root (o->gen, root);
	json_node_unref (root);
	o->line = g_string_new (NULL);
}

static void
classify_json_free (classify_opts_t *o)
{
	g_clear_object (&o->gen);
	if (o->line)
		g_string_free (o->line, TRUE);
}

static void
json_str (classify_opts_t *o, int j, const char *value)
{
	json_node_set_string (o->node[j], value ? value : "");
}

static void
classify_print_json (classify_opts_t *o, const bt_report_t *r, const bt_record_t *rec)
{
	json_str (o, J_FILE, r->file);
	for (int f = 0; f < BT_F_COUNT; f++)
		json_str (o, J_FIELDS + f, rec->f[f]);
	json_str (o, J_REASON, rec->reason);
	json_node_set_boolean (o->node[J_HARD], rec->hard);
	json_str (o, J_KB, rec->kb);
	json_str (o, J_LANE, bt_lane_name (bt_record_lane (rec)));
	json_str (o, J_ENGINE, r->engine);
	json_str (o, J_DATE, r->date);
	json_str (o, J_SUBJECT, r->subject);
	json_str (o, J_ORIG_ID, r->orig_message_id);
	json_str (o, J_ORIG_FROM, r->orig_from);
	json_str (o, J_ORIG_TO, r->orig_to);
	json_str (o, J_ORIG_SUBJECT, r->orig_subject);
	json_str (o, J_ORIG_DATE, r->orig_date);
	json_node_set_boolean (o->node[J_TRUNCATED], r->truncated);
	g_string_truncate (o->line, 0);
	json_generator_to_gstring (o->gen, o->line);
	g_string_append_c (o->line, '\n');
	fwrite (o->line->str, 1, o->line->len, stdout);
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
		classify_json_init (&o);
	for (; i < argc; i++, any = true)
		if (!classify_path (&o, argv[i]))
			status = 1;
	(void) any;
	fflush (stdout);
	classify_json_free (&o);
	bt_kb_free (kb);
	return status;
}
