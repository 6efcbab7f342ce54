/* cmd-store.c: the commands that work on the notmuch database: scan, tag,
 * undo, suppressions, reactivate, config.
 *
 * Every writing command takes --dry-run and then prints what it would
 * change.  Writes go through the store's worker (lib/store.c); a command
 * waits for its write before it exits. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include "bouncetriage/history.h"
#include "bouncetriage/settings.h"
#include "bouncetriage/store.h"
#include "cli.h"

/* What every store command parses. */
typedef struct {
	const char *cmd;
	const char *config;      /* --config FILE (notmuch) */
	bool json, dry_run, csv, new_mail, man;
	GPtrArray *args;         /* the rest, borrowed from argv */
} store_opts_t;

/* Everything a command holds while it runs; closed by cli_close. */
typedef struct {
	bt_kb_t *kb;
	bt_settings_t *settings;
	bt_store_t *store;
	char *journal;
} store_cli_t;

static const char post_new_hook[] =
	"To tag bounces as they arrive, run it from notmuch's post-new hook:\n"
	"  the file post-new in the hook folder (`notmuch config get database.hook_dir`,\n"
	"  by default DATABASE/.notmuch/hooks), made executable, containing:\n"
	"\n"
	"    #!/bin/sh\n"
	"    bouncetriage tag --new\n"
	"\n"
	"  --new limits the run to messages tagged new (notmuch new's new.tags must\n"
	"  include \"new\"; remove it afterwards with `notmuch tag -new -- tag:new`).\n";

/* Mail-derived text for a terminal: control characters become '?'. */
static void
put_safe (GString *out, const char *s)
{
	for (s = s ? s : ""; *s; s++)
		g_string_append_c (out, ((unsigned char) *s < 0x20 || *s == 0x7f) ? '?' : *s);
}

static char *
state_path (const char *sub)
{
	const char *xdg = g_getenv ("XDG_STATE_HOME");

	if (xdg && *xdg && g_path_is_absolute (xdg))
		return g_build_filename (xdg, "bouncetriage", sub, NULL);
	return g_build_filename (g_get_home_dir (), ".local", "state", "bouncetriage", sub, NULL);
}

/* Returns -1 when the options are fine, else the exit status. */
static int
parse_opts (int argc, char **argv, store_opts_t *o)
{
	bool opts_done = false;

	o->cmd = argv[0];
	o->args = g_ptr_array_new ();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (opts_done || a[0] != '-' || a[1] == '\0') {
			g_ptr_array_add (o->args, argv[i]);
			continue;
		}
		if (strcmp (a, "--") == 0)
			opts_done = true;
		else if (strcmp (a, "--config") == 0 && i + 1 < argc)
			o->config = argv[++i];
		else if (g_str_has_prefix (a, "--config="))
			o->config = a + strlen ("--config=");
		else if (strcmp (a, "--json") == 0 && strcmp (o->cmd, "scan") == 0)
			o->json = true;
		else if (strcmp (a, "--csv") == 0 && strcmp (o->cmd, "suppressions") == 0)
			o->csv = true;
		else if (strcmp (a, "--new") == 0 && strcmp (o->cmd, "tag") == 0)
			o->new_mail = true;
		else if (strcmp (a, "--man") == 0 && strcmp (o->cmd, "config") == 0)
			o->man = true;
		else if (strcmp (a, "--dry-run") == 0 && strcmp (o->cmd, "scan") != 0
			 && strcmp (o->cmd, "suppressions") != 0 && strcmp (o->cmd, "config") != 0)
			o->dry_run = true;
		else if (strcmp (a, "--help") == 0 || strcmp (a, "-h") == 0) {
			for (const bt_command_t *c = bt_commands; c->name; c++)
				if (strcmp (c->name, o->cmd) == 0)
					printf ("Usage: bouncetriage %s %s [--config FILE]\n%s.\n", c->name,
						c->args, c->help);
			if (strcmp (o->cmd, "tag") == 0)
				printf ("\n%s", post_new_hook);
			return 0;
		} else
			return bt_cli_usage (o->cmd, "unknown option '%s'", a);
	}
	return -1;
}

/* The settings file; problems are printed, and stop the command. */
static bt_settings_t *
cli_settings (void)
{
	bt_settings_t *s = bt_settings_new ();
	char *path = bt_cli_config_path ("config");
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	GError *e = NULL;
	bt_status_t st = bt_settings_load (s, path, problems, &e);
	bool e_fatal = e != NULL;

	for (guint i = 0; i < problems->len; i++)
		fprintf (stderr, "%s\n", (char *) problems->pdata[i]);
	if (e) {
		bt_cli_error ("%s", e->message);
		g_error_free (e);
	}
	g_ptr_array_unref (problems);
	g_free (path);
	/* A bad setting keeps its default and is reported above; only a file
	 * that cannot be read at all stops the command. */
	if (st != BT_OK && e_fatal) {
		bt_settings_free (s);
		return NULL;
	}
	return s;
}

/* Let queued writes (cached verdicts too) finish before closing, saying
 * so when another program's write lock keeps them waiting. */
static void
cli_drain (store_cli_t *c)
{
	bool told = false;

	if (c->store == NULL)
		return;
	bt_store_flush_cache (c->store);
	for (;;) {
		GPtrArray *q = bt_store_queue (c->store);
		struct pollfd p = { bt_store_notify_fd (c->store), POLLIN, 0 };
		bool overdue = false;
		guint n = q->len;

		for (guint i = 0; i < q->len; i++)
			overdue |= ((bt_write_info_t *) q->pdata[i])->overdue;
		g_ptr_array_unref (q);
		if (n == 0)
			break;
		if (overdue && !told) {
			bt_cli_error ("waiting for the database's write lock (another program, e.g. "
				      "notmuch new, is writing); %u write%s queued", n, n == 1 ? "" : "s");
			told = true;
		}
		if (poll (&p, 1, 250) > 0)
			g_ptr_array_unref (bt_store_finished (c->store));
	}
}

static void
cli_close (store_cli_t *c)
{
	cli_drain (c);
	bt_store_close (c->store);
	bt_settings_free (c->settings);
	bt_kb_free (c->kb);
	g_free (c->journal);
}

static bool
cli_open (store_cli_t *c, const store_opts_t *o)
{
	bt_store_options_t so = { 0 };
	GError *e = NULL;

	memset (c, 0, sizeof *c);
	c->settings = cli_settings ();
	if (c->settings == NULL)
		return false;
	c->kb = bt_cli_kb_load ();
	if (c->kb == NULL)
		return false;
	c->journal = state_path ("journal");
	so.notmuch_config = o->config;
	so.journal_path = c->journal;
	so.settings = c->settings;
	so.kb = c->kb;
	c->store = bt_store_open (&so, &e);
	if (c->store == NULL) {
		bt_cli_error ("%s", e->message);
		g_error_free (e);
		return false;
	}
	return true;
}

/* Wait for write id and say how it went. */
static bool
cli_wait (store_cli_t *c, guint id, const char *done)
{
	GError *e = NULL;
	char *note;

	if (bt_store_wait (c->store, id, &e) != BT_OK) {
		bt_cli_error ("%s", e->message);
		g_error_free (e);
		return false;
	}
	note = bt_store_write_message (c->store, id);
	if (note)
		bt_cli_error ("%s", note);
	g_free (note);
	printf ("%s\n", done);
	return true;
}

static char *
query_of (const store_opts_t *o)
{
	GString *q;

	if (o->args->len == 0)
		return NULL;
	q = g_string_new (NULL);
	for (guint i = 0; i < o->args->len; i++)
		g_string_append_printf (q, "%s%s", i ? " " : "", (char *) o->args->pdata[i]);
	return g_string_free (q, FALSE);
}

/* ---- scan ---- */

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
	for (guint i = 0; i < b->n_rcpt; i++) {
		const bt_bounce_rcpt_t *r = &b->rcpt[i];
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
		put_safe (out, r->recipient ? r->recipient : "?");
		g_string_append_printf (out, " %s%s", r->reason ? r->reason : "-", r->hard ? " (hard)" : "");
		if (r->status) {
			g_string_append_c (out, ' ');
			put_safe (out, r->status);
		}
	}
	g_string_append (out, "  ");
	put_safe (out, b->orig_subject ? b->orig_subject : b->subject);
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

int
cmd_scan (int argc, char **argv)
{
	store_opts_t o = { 0 };
	store_cli_t c;
	bt_scan_t *scan;
	JsonGenerator *gen = NULL;
	GError *e = NULL;
	char *query = NULL;
	int status = parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	status = 1;
	if (!cli_open (&c, &o))
		goto done;
	query = query_of (&o);
	scan = bt_scan_new (c.store, query, BT_SCAN_DEFAULT, &e);
	if (scan == NULL) {
		bt_cli_error ("%s", e->message);
		g_error_free (e);
		goto done;
	}
	if (o.json)
		gen = json_generator_new ();
	status = 0;
	while (!bt_scan_done (scan)) {
		bt_bounce_t *b = bt_scan_next (scan, &e);
		if (e) {
			bt_cli_error ("%s", e->message);
			g_clear_error (&e);
			status = 1;
		}
		if (b == NULL)
			continue;
		if (o.json)
			print_json (gen, b);
		else
			print_row (b);
		bt_bounce_free (b);
	}
	fflush (stdout);
	print_stats (o.json ? stderr : stdout, bt_scan_stats (scan));
	bt_scan_free (scan);
	if (gen)
		g_object_unref (gen);
done:
	cli_close (&c);
	g_free (query);
out:
	g_ptr_array_unref (o.args);
	return status;
}

/* ---- tag ---- */

/* "+a -b" of what a change really does (g_free). */
static char *
change_words (const bt_journal_change_t *ch)
{
	GString *w = g_string_new (NULL);

	for (char **t = ch->after; *t; t++)
		if (!g_strv_contains ((const char *const *) ch->before, *t))
			g_string_append_printf (w, "%s+%s", w->len ? " " : "", *t);
	for (char **t = ch->before; *t; t++)
		if (!g_strv_contains ((const char *const *) ch->after, *t))
			g_string_append_printf (w, "%s-%s", w->len ? " " : "", *t);
	return g_string_free (w, FALSE);
}

static void
print_change (const char *prefix, const bt_journal_change_t *ch)
{
	GString *out = g_string_new (prefix);
	char *w = change_words (ch);

	g_string_append (out, "id:");
	put_safe (out, ch->message_id);
	g_string_append_printf (out, "  %s", *w ? w : "(no change)");
	puts (out->str);
	g_free (w);
	g_string_free (out, TRUE);
}

/* Plan ops, print (dry run) or apply the ones that change something. */
static int
plan_and_apply (store_cli_t *c, const store_opts_t *o, bt_tag_op_t *ops, guint n,
		const char *label, bool reactivate, const char *address)
{
	GPtrArray *plan = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_change_free);
	GPtrArray *ids = g_ptr_array_new ();
	GError *e = NULL;
	char *own_label = NULL;
	int status = 0;
	guint id;

	if (n > 0 && bt_store_plan (c->store, ops, n, plan, &e) != BT_OK) {
		bt_cli_error ("%s", e->message);
		g_clear_error (&e);
		status = 1;
	}
	for (guint i = 0; i < plan->len; i++) {
		bt_journal_change_t *ch = plan->pdata[i];
		if (g_strv_equal ((const char *const *) ch->before, (const char *const *) ch->after))
			continue;
		g_ptr_array_add (ids, ch);
		if (o->dry_run)
			print_change ("would change ", ch);
	}
	if (ids->len == 0) {
		printf ("nothing to change\n");
		goto done;
	}
	if (o->dry_run) {
		printf ("%u messages would change (dry run: nothing written)\n", ids->len);
		goto done;
	}
	if (label == NULL)
		label = own_label = g_strdup_printf ("tag %u bounce%s", ids->len, ids->len == 1 ? "" : "s");
	if (reactivate)
		id = bt_store_reactivate (c->store, address, &e);
	else {
		/* Only the messages that change, with their own changes. */
		bt_tag_op_t *todo = g_new0 (bt_tag_op_t, ids->len);
		guint k = 0;
		for (guint i = 0; i < n; i++)
			for (guint j = 0; j < ids->len; j++)
				if (strcmp (((bt_journal_change_t *) ids->pdata[j])->message_id,
					    ops[i].message_id) == 0) {
					todo[k++] = ops[i];
					break;
				}
		id = bt_store_apply (c->store, todo, k, label, &e);
		g_free (todo);
	}
	if (id == 0) {
		bt_cli_error ("%s", e->message);
		g_clear_error (&e);
		status = 1;
	} else {
		char *done = g_strdup_printf ("%u messages changed (undo with 'bouncetriage undo')", ids->len);
		if (!cli_wait (c, id, done))
			status = 1;
		g_free (done);
	}
done:
	g_free (own_label);
	g_ptr_array_unref (ids);
	g_ptr_array_unref (plan);
	return status;
}

int
cmd_tag (int argc, char **argv)
{
	store_opts_t o = { 0 };
	store_cli_t c;
	GPtrArray *bounces = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_bounce_free);
	GPtrArray *changes = g_ptr_array_new_with_free_func (g_free);
	bt_tag_op_t *ops = NULL;
	bt_scan_t *scan;
	GError *e = NULL;
	char *query = NULL;
	int status = parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	status = 1;
	if (!cli_open (&c, &o))
		goto done;
	query = query_of (&o);
	if (o.new_mail) {
		char *q = g_strdup_printf ("tag:new%s%s%s", query ? " and (" : "", query ? query : "",
					   query ? ")" : "");
		g_free (query);
		query = q;
	}
	scan = bt_scan_new (c.store, query, BT_SCAN_DEFAULT, &e);
	if (scan == NULL) {
		bt_cli_error ("%s", e->message);
		g_error_free (e);
		goto done;
	}
	status = 0;
	while (!bt_scan_done (scan)) {
		bt_bounce_t *b = bt_scan_next (scan, &e);
		if (e) {
			bt_cli_error ("%s", e->message);
			g_clear_error (&e);
			status = 1;
		}
		if (b)
			g_ptr_array_add (bounces, b);
	}
	bt_scan_free (scan);
	ops = g_new0 (bt_tag_op_t, bounces->len + 1);
	for (guint i = 0; i < bounces->len; i++) {
		bt_bounce_t *b = bounces->pdata[i];
		char *ch = bt_store_default_changes (c.store, b);
		g_ptr_array_add (changes, ch);
		ops[i].message_id = b->message_id;
		ops[i].changes = ch;
	}
	if (plan_and_apply (&c, &o, ops, bounces->len, NULL, false, NULL) != 0)
		status = 1;
done:
	cli_close (&c);
	g_free (ops);
	g_free (query);
out:
	g_ptr_array_unref (changes);
	g_ptr_array_unref (bounces);
	g_ptr_array_unref (o.args);
	return status;
}

/* ---- undo ---- */

int
cmd_undo (int argc, char **argv)
{
	store_opts_t o = { 0 };
	store_cli_t c;
	GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_entry_free);
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	GError *e = NULL;
	guint n = 1, id;
	int status = parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	if (o.args->len > 1) {
		status = bt_cli_usage ("undo", "give at most one number");
		goto out;
	}
	if (o.args->len == 1) {
		guint64 v;
		if (!g_ascii_string_to_unsigned (o.args->pdata[0], 10, 1, 10000, &v, NULL)) {
			status = bt_cli_usage ("undo", "'%s' is not a count from 1 to 10000",
					       (char *) o.args->pdata[0]);
			goto out;
		}
		n = (guint) v;
	}
	status = 1;
	if (!cli_open (&c, &o))
		goto done;
	if (bt_store_undoable (c.store, n, entries, problems, &e) != BT_OK) {
		bt_cli_error ("%s", e->message);
		g_clear_error (&e);
		goto done;
	}
	for (guint i = 0; i < problems->len; i++)
		bt_cli_error ("%s", (char *) problems->pdata[i]);
	if (entries->len == 0) {
		printf ("nothing to undo\n");
		status = 0;
		goto done;
	}
	for (guint i = 0; i < entries->len; i++) {
		bt_journal_entry_t *en = entries->pdata[i];
		GString *l = g_string_new (NULL);
		put_safe (l, en->label);
		printf ("%s %s (%u messages)\n", o.dry_run ? "would undo" : "undoing", l->str,
			en->changes->len);
		g_string_free (l, TRUE);
		for (guint k = 0; o.dry_run && k < en->changes->len; k++) {
			bt_journal_change_t *ch = en->changes->pdata[k];
			bt_journal_change_t rev = { ch->message_id, ch->after, ch->before };
			print_change ("  would change ", &rev);
		}
	}
	if (o.dry_run) {
		status = 0;
		goto done;
	}
	id = bt_store_undo (c.store, n, NULL, &e);
	if (id == 0) {
		bt_cli_error ("%s", e->message);
		g_clear_error (&e);
		goto done;
	}
	status = cli_wait (&c, id, "undone") ? 0 : 1;
done:
	cli_close (&c);
out:
	g_ptr_array_unref (problems);
	g_ptr_array_unref (entries);
	g_ptr_array_unref (o.args);
	return status;
}

/* ---- suppressions, reactivate ---- */

int
cmd_suppressions (int argc, char **argv)
{
	store_opts_t o = { 0 };
	store_cli_t c;
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	bt_history_t *h;
	GString *out;
	GError *e = NULL;
	int status = parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	status = 1;
	if (o.args->len) {
		status = bt_cli_usage ("suppressions", "takes no argument");
		goto out;
	}
	if (!cli_open (&c, &o))
		goto done;
	h = bt_store_history (c.store, problems, &e);
	if (h == NULL) {
		bt_cli_error ("%s", e->message);
		g_clear_error (&e);
		goto done;
	}
	for (guint i = 0; i < problems->len; i++)
		bt_cli_error ("%s", (char *) problems->pdata[i]);
	out = g_string_new (NULL);
	bt_history_suppressions (h, o.csv, out);
	/* Addresses come from mail: keep control characters off the terminal. */
	for (gsize i = 0; i < out->len; i++)
		if ((unsigned char) out->str[i] < 0x20 && out->str[i] != '\n' && out->str[i] != '\r')
			out->str[i] = '?';
	fwrite (out->str, 1, out->len, stdout);
	g_string_free (out, TRUE);
	bt_history_free (h);
	status = problems->len ? 1 : 0;
done:
	cli_close (&c);
out:
	g_ptr_array_unref (problems);
	g_ptr_array_unref (o.args);
	return status;
}

int
cmd_reactivate (int argc, char **argv)
{
	store_opts_t o = { 0 };
	store_cli_t c;
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	bt_tag_op_t *ops = NULL;
	GError *e = NULL;
	const char *address;
	char *label = NULL;
	int status = parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	if (o.args->len != 1) {
		status = bt_cli_usage ("reactivate", "give one address");
		goto out;
	}
	address = o.args->pdata[0];
	status = 1;
	if (!cli_open (&c, &o))
		goto done;
	if (bt_store_address_messages (c.store, address, ids, &e) != BT_OK) {
		bt_cli_error ("%s", e->message);
		g_clear_error (&e);
		goto done;
	}
	ops = g_new0 (bt_tag_op_t, ids->len);
	for (guint i = 0; i < ids->len; i++) {
		ops[i].message_id = ids->pdata[i];
		ops[i].changes = bt_settings_get (c.settings, "tags.reactivated");
	}
	label = g_strdup_printf ("reactivate %s", address);
	status = plan_and_apply (&c, &o, ops, ids->len, label, true, address);
done:
	cli_close (&c);
	g_free (label);
	g_free (ops);
out:
	g_ptr_array_unref (ids);
	g_ptr_array_unref (o.args);
	return status;
}

/* ---- config ---- */

int
cmd_config (int argc, char **argv)
{
	store_opts_t o = { 0 };
	bt_settings_t *s;
	GString *out;
	int status = parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	status = 1;
	if (o.args->len) {
		status = bt_cli_usage ("config", "takes no argument");
		goto out;
	}
	out = g_string_new (NULL);
	if (o.man) {
		bt_settings_man (out);
		status = 0;
	} else {
		char *path = bt_cli_config_path ("config");
		s = cli_settings ();
		if (s) {
			if (bt_settings_path (s) == NULL)
				g_string_append_printf (out, "# %s does not exist: every setting has its default\n",
							path);
			bt_settings_describe (s, out);
			bt_settings_free (s);
			status = 0;
		}
		g_free (path);
	}
	fwrite (out->str, 1, out->len, stdout);
	g_string_free (out, TRUE);
out:
	g_ptr_array_unref (o.args);
	return status;
}
