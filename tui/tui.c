/* tui.c: `bouncetriage` without a command: the triage screen.
 *
 * Start-up reads every configuration first (settings, key bindings,
 * knowledge base) and refuses to start with the problems on stderr; only
 * then does the screen start.  The main loop is the only place that
 * draws: it polls the feed and the write queue, reads a key, runs the
 * bound action and redraws what the action asked for. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "bouncetriage/settings.h"
#include "actions.h"
#include "cli.h"
#include "keys.h"
#include "sanitize.h"
#include "screen.h"
#include "tui.h"

typedef struct {
	bool demo;
	bool no_color;
	const char *config;
	const char *keymap;
	GPtrArray *files;
	char *query;
} tui_opts_t;

/* ---- library messages ------------------------------------------------ */

/* While the screen is up, GLib and GMime warnings (from any thread) are
 * queued here and shown in the status line instead of being written over
 * the screen. */
static GAsyncQueue *tui_log_queue;

static void
tui_log_push (GLogLevelFlags level, const char *message)
{
	if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
		return;
	g_async_queue_push (tui_log_queue, g_strdup (message ? message : "?"));
}

static void
tui_log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
	if (tui_log_queue && bt_screen_active ())
		tui_log_push (level, message);
	else
		g_log_default_handler (domain, level, message, data);
}

static GLogWriterOutput
tui_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
	if (!tui_log_queue || !bt_screen_active ())
		return g_log_writer_default (level, fields, n, data);
	for (gsize i = 0; i < n; i++)
		if (strcmp (fields[i].key, "MESSAGE") == 0)
			tui_log_push (level, fields[i].length < 0 ? fields[i].value : "(message)");
	return G_LOG_WRITER_HANDLED;
}

static void
tui_log_start (void)
{
	static bool once;

	if (!once) {
		tui_log_queue = g_async_queue_new_full (g_free);
		g_log_set_default_handler (tui_log_handler, NULL);
		g_log_set_writer_func (tui_log_writer, NULL, NULL);
		once = true;
	}
}

static bt_draw_t
tui_poll_log (bt_tui_t *tui)
{
	char *msg, *last = NULL;

	while ((msg = g_async_queue_try_pop (tui_log_queue)) != NULL) {
		g_free (last);
		last = msg;
	}
	if (last == NULL)
		return BT_DRAW_NONE;
	bt_tui_error (tui, "%s", last);
	g_free (last);
	return BT_DRAW_STATUS;
}

/* ---- the loop -------------------------------------------------------- */

/* New rows from the feed, and messages about unreadable mail. */
static bt_draw_t
tui_poll_feed (bt_tui_t *tui)
{
	GPtrArray *rows = g_ptr_array_new ();
	GPtrArray *errors = g_ptr_array_new_with_free_func (g_free);
	bt_draw_t d = BT_DRAW_NONE;
	bool done = tui->feed->ops->poll (tui->feed, rows, errors);

	if (rows->len) {
		g_ptr_array_extend (tui->rows, rows, NULL, NULL);
		d |= BT_DRAW_FILTER | BT_DRAW_SCREEN;
	}
	if (errors->len) {
		bt_tui_error (tui, "%s%s", (char *) errors->pdata[errors->len - 1],
			      errors->len > 1 ? " (and more)" : "");
		d |= BT_DRAW_STATUS;
	}
	if (done && tui->loading) {
		tui->loading = false;
		if (strcmp (tui->message->str, "reloading") == 0)
			bt_tui_note (tui, "read %u rows", tui->rows->len);
		d |= BT_DRAW_SCREEN;
	} else if (tui->loading) {
		d |= BT_DRAW_STATUS;
	}
	g_ptr_array_free (rows, TRUE);
	g_ptr_array_free (errors, TRUE);
	return d;
}

/* The write queue line, and what finished writes said. */
static bt_draw_t
tui_poll_writes (bt_tui_t *tui)
{
	GPtrArray *notes, *errors;
	char *line;
	bool changed = false;
	bt_draw_t d = BT_DRAW_NONE;

	if (tui->feed->ops->writes == NULL)
		return d;
	notes = g_ptr_array_new_with_free_func (g_free);
	errors = g_ptr_array_new_with_free_func (g_free);
	line = tui->feed->ops->writes (tui->feed, notes, errors, &changed);
	if (g_strcmp0 (line, tui->writes) != 0)
		d |= BT_DRAW_STATUS;
	g_free (tui->writes);
	tui->writes = line;
	if (errors->len) {
		bt_tui_error (tui, "%s", (char *) errors->pdata[errors->len - 1]);
		d |= BT_DRAW_STATUS;
	} else if (notes->len) {
		bt_tui_note (tui, "%s", (char *) notes->pdata[notes->len - 1]);
		d |= BT_DRAW_STATUS;
	}
	if (changed)
		d |= BT_DRAW_LIST | BT_DRAW_PANE;
	g_ptr_array_free (notes, TRUE);
	g_ptr_array_free (errors, TRUE);
	return d;
}

static bt_draw_t
tui_key (bt_tui_t *tui, bt_key_t key)
{
	const char *const *chain;
	char *name;

	if (key == BT_KEY_RESIZE)
		return BT_DRAW_ALL;
	if (tui->prompt)
		return bt_prompt_key (tui, key);
	g_string_truncate (tui->message, 0);
	for (chain = bt_action_chain (tui); *chain; chain++) {
		const bt_binding_t *b = bt_keymap_lookup (tui->keymap, *chain, key);

		if (b)
			return bt_action_run (tui, bt_binding_action (b), bt_binding_argc (b),
					      bt_binding_args (b)) | BT_DRAW_STATUS;
	}
	name = bt_key_name (key);
	bt_tui_error (tui, "%s is not bound (? shows the keys)", name);
	g_free (name);
	tui->marked_prefix = false;
	return BT_DRAW_STATUS;
}

/* How long to wait for a key: not at all while a feed parses in this
 * thread, a little while a loader thread works (no busy loop beside it),
 * and a quarter second otherwise so write ages stay current. */
static int
tui_timeout (bt_tui_t *tui)
{
	if (!tui->loading)
		return 250;
	return tui->feed->ops->fd (tui->feed) >= 0 ? 30 : 0;
}

static void
tui_loop (bt_tui_t *tui)
{
	bt_draw_t dirty = BT_DRAW_ALL | BT_DRAW_FILTER;

	for (;;) {
		bt_key_t key;

		if (tui->loading)
			dirty |= tui_poll_feed (tui);
		dirty |= tui_poll_writes (tui);
		dirty |= tui_poll_log (tui);
		if (dirty & BT_DRAW_FILTER)
			bt_tui_filter (tui);
		if (dirty & ~BT_DRAW_FILTER)
			bt_draw_screen (tui, dirty);
		dirty = BT_DRAW_NONE;
		if (bt_screen_quit_requested ())
			break;
		key = bt_screen_key (tui_timeout (tui));
		if (key == BT_KEY_NONE)
			continue;
		dirty = tui_key (tui, key);
		if (dirty & BT_DRAW_QUIT)
			break;
	}
}

/* ---- start-up -------------------------------------------------------- */

static int
tui_usage (const char *what, const char *arg)
{
	fprintf (stderr, "bouncetriage: %s '%s' (see 'bouncetriage --help')\n", what, arg);
	return 2;
}

static int
tui_parse (int argc, char **argv, tui_opts_t *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp (a, "--demo") == 0)
			o->demo = true;
		else if (strcmp (a, "--no-color") == 0)
			o->no_color = true;
		else if ((strcmp (a, "--config") == 0 || strcmp (a, "--keymap") == 0 ||
			  strcmp (a, "--files") == 0) && i + 1 < argc) {
			if (a[2] == 'c')
				o->config = argv[++i];
			else if (a[2] == 'k')
				o->keymap = argv[++i];
			else
				g_ptr_array_add (o->files, g_strdup (argv[++i]));
		} else if (a[0] == '-' && a[1] != '\0') {
			return tui_usage ("unknown option", a);
		} else if (o->files->len > 0) {
			g_ptr_array_add (o->files, g_strdup (a));
		} else if (o->query == NULL) {
			o->query = g_strdup (a);
		} else {
			char *q = g_strdup_printf ("%s %s", o->query, a);

			g_free (o->query);
			o->query = q;
		}
	}
	return 0;
}

/* An error on stderr: messages may quote paths and queries, shown inert. */
static void
tui_fail (const char *message)
{
	char *clean = bt_sanitize (message, -1, BT_SANITIZE_MULTILINE);

	bt_cli_error ("%s", clean);
	g_free (clean);
}

/* Print each problem and say whether there were any. */
static bool
tui_report (GPtrArray *problems)
{
	for (guint i = 0; i < problems->len; i++) {
		/* a problem quotes the file: show its bytes inert */
		char *clean = bt_sanitize (problems->pdata[i], -1, BT_SANITIZE_LINE);

		fprintf (stderr, "%s\n", clean);
		g_free (clean);
	}
	return problems->len > 0;
}

static void
tui_colors (const bt_settings_t *settings)
{
	static const struct {
		const char *name;
		bt_style_t style;
	} map[] = {
		{ "colors.title", BT_STYLE_TITLE }, { "colors.title", BT_STYLE_HEADER },
		{ "colors.status", BT_STYLE_STATUS }, { "colors.selected", BT_STYLE_SELECTED },
		{ "colors.hard", BT_STYLE_HARD }, { "colors.soft", BT_STYLE_SOFT },
		{ "colors.delay", BT_STYLE_DELAY }, { "colors.info", BT_STYLE_INFO },
		{ "colors.warning", BT_STYLE_ERROR },
	};

	for (gsize i = 0; i < G_N_ELEMENTS (map); i++) {
		bt_color_t c;

		if (bt_settings_get_color (settings, map[i].name, &c))
			bt_screen_set_color (map[i].style, c.fg, c.bg, c.attrs);
	}
}

static void
tui_settings_apply (bt_tui_t *tui, const bt_settings_t *settings)
{
	const char *clip = bt_settings_get (settings, "ui.clipboard");

	tui_colors (settings);
	tui->clipboard_cmd = clip && *clip ? g_strdup (clip) : NULL;
	tui->triaged_tags = g_strdup (bt_settings_get (settings, "tags.triaged"));
}

/* The rows: files when given, else the notmuch store (or the demo). */
static bool
tui_open_feed (bt_tui_t *tui, tui_opts_t *o, const bt_settings_t *settings, GError **error)
{
	if (o->files->len) {
		g_ptr_array_add (o->files, NULL);
		tui->feed = bt_feed_files_new ((char **) o->files->pdata, tui->kb, error);
	} else {
		tui->feed = bt_feed_store_new (o->demo, o->config, settings, tui->kb, error);
		tui->writable = tui->feed != NULL;
		tui->demo = o->demo;
	}
	return tui->feed != NULL && tui->feed->ops->restart (tui->feed, tui->query, error);
}

/* The screen for the session; the loop until quit. */
static bool
tui_run (bt_tui_t *tui, const tui_opts_t *o, char **why)
{
	const char *no_color = g_getenv ("NO_COLOR");
	int rows, cols;

	if (!bt_screen_start (!o->no_color && !(no_color && *no_color), why))
		return false;
	/* side by side needs room for the list's subject column */
	bt_screen_size (&rows, &cols);
	tui->stacked = cols < 120;
	tui_loop (tui);
	bt_screen_stop ();
	if (tui->writes)   /* closing the store waits for them: say why */
		fprintf (stderr, "bouncetriage: finishing %s\n", tui->writes);
	return true;
}

int
cmd_tui (int argc, char **argv)
{
	tui_opts_t o = { 0 };
	bt_tui_t tui;
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	bt_settings_t *settings = bt_settings_new ();
	char *settings_path = bt_cli_config_path ("config");
	GError *error = NULL;
	char *why = NULL;
	int status = 1;

	o.files = g_ptr_array_new_with_free_func (g_free);
	bt_tui_init (&tui);
	if ((status = tui_parse (argc, argv, &o)) != 0)
		goto done;
	status = 1;
	if (bt_settings_load (settings, settings_path, problems, &error) != BT_OK && error) {
		tui_fail (error->message);
		goto done;
	}
	if (o.keymap == NULL && *bt_settings_get (settings, "ui.keymap"))
		o.keymap = bt_settings_get (settings, "ui.keymap");
	tui.keymap = bt_keys_load (o.keymap, problems);
	if (tui_report (problems))
		goto done;
	if ((tui.kb = bt_cli_kb_load ()) == NULL)
		goto done;
	tui.query = o.query;
	o.query = NULL;
	tui_settings_apply (&tui, settings);
	if (!tui_open_feed (&tui, &o, settings, &error)) {
		tui_fail (error ? error->message : "cannot read bounces");
		goto done;
	}
	tui.loading = true;
	tui_log_start ();
	if (!tui_run (&tui, &o, &why)) {
		tui_fail (why);
		goto done;
	}
	status = 0;
done:
	g_clear_error (&error);
	g_free (why);
	bt_tui_clear (&tui);
	if (tui.kb)
		bt_kb_free (tui.kb);
	bt_settings_free (settings);
	g_free (settings_path);
	g_free (o.query);
	g_ptr_array_free (o.files, TRUE);
	g_ptr_array_free (problems, TRUE);
	return status;
}
