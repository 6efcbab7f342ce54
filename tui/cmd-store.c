/* cmd-store.c: what the commands on the notmuch database share: their
 * options, a session with the store (settings, knowledge base, journal)
 * and waiting for its writes.  The commands: cmd-scan.c (scan,
 * suppressions), cmd-tag.c (tag, undo, reactivate), cmd-config.c.
 *
 * Writes go through the store's worker (lib/store-write.c); a command
 * waits for its write before it exits. */
#include "config.h"

#include <poll.h>
#include <stddef.h>
#include <string.h>
#include "cli.h"
#include "cmd-store.h"

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

void
store_cli_put_safe (GString *out, const char *s)
{
	for (s = s ? s : ""; *s; s++)
		g_string_append_c (out, ((unsigned char) *s < 0x20 || *s == 0x7f) ? '?' : *s);
}

/* The flags, and the commands that take them. */
static const struct {
	const char *name;
	const char *const cmds[4];
	size_t field;            /* offsetof the bool in store_opts_t */
} store_flags[] = {
	{ "--json", { "scan" }, offsetof (store_opts_t, json) },
	{ "--csv", { "suppressions" }, offsetof (store_opts_t, csv) },
	{ "--new", { "tag" }, offsetof (store_opts_t, new_mail) },
	{ "--man", { "config" }, offsetof (store_opts_t, man) },
	{ "--dry-run", { "tag", "undo", "reactivate" }, offsetof (store_opts_t, dry_run) },
};

/* Set flag a when o->cmd takes it. */
static bool
set_flag (store_opts_t *o, const char *a)
{
	for (size_t i = 0; i < G_N_ELEMENTS (store_flags); i++) {
		if (strcmp (store_flags[i].name, a) != 0)
			continue;
		for (int k = 0; k < 4 && store_flags[i].cmds[k]; k++)
			if (strcmp (store_flags[i].cmds[k], o->cmd) == 0) {
				*(bool *) ((char *) o + store_flags[i].field) = true;
				return true;
			}
	}
	return false;
}

static int
print_help (const char *cmd)
{
	for (const bt_command_t *c = bt_commands; c->name; c++)
		if (strcmp (c->name, cmd) == 0)
			printf ("Usage: bouncetriage %s %s [--config FILE]\n%s.\n", c->name,
				c->args, c->help);
	if (strcmp (cmd, "tag") == 0)
		printf ("\n%s", post_new_hook);
	return 0;
}

int
store_cli_parse_opts (int argc, char **argv, store_opts_t *o)
{
	bool opts_done = false;

	o->cmd = argv[0];
	o->args = g_ptr_array_new ();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (opts_done || a[0] != '-' || a[1] == '\0')
			g_ptr_array_add (o->args, argv[i]);
		else if (strcmp (a, "--") == 0)
			opts_done = true;
		else if (strcmp (a, "--config") == 0 && i + 1 < argc)
			o->config = argv[++i];
		else if (g_str_has_prefix (a, "--config="))
			o->config = a + strlen ("--config=");
		else if (strcmp (a, "--help") == 0 || strcmp (a, "-h") == 0)
			return print_help (o->cmd);
		else if (!set_flag (o, a))
			return bt_cli_usage (o->cmd, "unknown option '%s'", a);
	}
	return -1;
}

/* Problems in the file are printed. */
bt_settings_t *
store_cli_settings (void)
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
store_cli_drain (store_cli_t *c)
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

void
store_cli_close (store_cli_t *c)
{
	store_cli_drain (c);
	bt_store_close (c->store);
	bt_settings_free (c->settings);
	bt_kb_free (c->kb);
	g_free (c->journal);
}

bool
store_cli_open (store_cli_t *c, const store_opts_t *o)
{
	bt_store_options_t so = { 0 };
	GError *e = NULL;
	char *cache;

	memset (c, 0, sizeof *c);
	c->settings = store_cli_settings ();
	if (c->settings == NULL)
		return false;
	c->kb = bt_cli_kb_load ();
	if (c->kb == NULL)
		return false;
	c->journal = bt_cli_state_path ("journal");
	so.notmuch_config = o->config;
	so.journal_path = c->journal;
	so.settings = c->settings;
	so.kb = c->kb;
	so.cache_dir = cache = bt_cli_cache_path (NULL);
	c->store = bt_store_open (&so, &e);
	g_free (cache);
	if (c->store == NULL) {
		store_cli_fail (&e);
		return false;
	}
	return true;
}

/* Wait for write id and say how it went. */
bool
store_cli_wait (store_cli_t *c, guint id, const char *done)
{
	GError *e = NULL;
	char *note;

	if (bt_store_wait (c->store, id, &e) != BT_OK) {
		store_cli_fail (&e);
		return false;
	}
	note = bt_store_write_message (c->store, id);
	if (note)
		bt_cli_error ("%s", note);
	g_free (note);
	printf ("%s\n", done);
	return true;
}

char *
store_cli_query (const store_opts_t *o)
{
	GString *q;

	if (o->args->len == 0)
		return NULL;
	q = g_string_new (NULL);
	for (guint i = 0; i < o->args->len; i++)
		g_string_append_printf (q, "%s%s", i ? " " : "", (char *) o->args->pdata[i]);
	return g_string_free (q, FALSE);
}

int
store_cli_fail (GError **e)
{
	bt_cli_error ("%s", (*e)->message);
	g_clear_error (e);
	return 1;
}

int
store_cli_scan (store_cli_t *c, const char *query, store_cli_bounce_fn fn, gpointer data,
		bt_scan_stats_t *stats)
{
	GError *e = NULL;
	bt_scan_t *scan = bt_scan_new (c->store, query, BT_SCAN_DEFAULT, &e);
	int status = 0;

	if (scan == NULL) {
		store_cli_fail (&e);
		return -1;
	}
	while (!bt_scan_done (scan)) {
		bt_bounce_t *b = bt_scan_next (scan, &e);

		if (e)
			status = store_cli_fail (&e);
		if (b)
			fn (b, data);
	}
	if (stats)
		*stats = *bt_scan_stats (scan);
	bt_scan_free (scan);
	return status;
}
