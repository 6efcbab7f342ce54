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

/* ---- state helpers (tui.h) ------------------------------------------- */

bt_row_t *
bt_tui_selected (bt_tui_t *tui)
{
	if (tui->view != BT_VIEW_LIST || tui->list.sel >= tui->shown->len)
		return NULL;
	return tui->shown->pdata[tui->list.sel];
}

GPtrArray *
bt_tui_targets (bt_tui_t *tui)
{
	GPtrArray *out = g_ptr_array_new ();
	bt_row_t *sel;

	if (tui->marked_prefix) {
		for (guint i = 0; i < tui->shown->len; i++)
			if (((bt_row_t *) tui->shown->pdata[i])->marked)
				g_ptr_array_add (out, tui->shown->pdata[i]);
		if (out->len == 0)
			bt_tui_error (tui, "no marked bounce is listed");
	} else if ((sel = bt_tui_selected (tui)) != NULL) {
		g_ptr_array_add (out, sel);
	} else {
		bt_tui_error (tui, "no bounce selected");
	}
	return out;
}

static void
tui_message (bt_tui_t *tui, bool error, const char *fmt, va_list ap)
{
	g_string_truncate (tui->message, 0);
	g_string_append_vprintf (tui->message, fmt, ap);
	tui->message_error = error;
}

void
bt_tui_note (bt_tui_t *tui, const char *fmt, ...)
{
	va_list ap;

	va_start (ap, fmt);
	tui_message (tui, false, fmt, ap);
	va_end (ap);
}

void
bt_tui_error (bt_tui_t *tui, const char *fmt, ...)
{
	va_list ap;

	va_start (ap, fmt);
	tui_message (tui, true, fmt, ap);
	va_end (ap);
}

const char *
bt_sort_name (bt_sort_t s)
{
	static const char *const names[] = { "date", "recipient", "reason" };

	return (unsigned) s < BT_SORT_COUNT ? names[s] : "date";
}

static bool
tui_match (const char *limit, const char *value)
{
	return limit == NULL || (value && g_ascii_strcasecmp (limit, value) == 0);
}

static bool
tui_row_shown (const bt_tui_t *tui, const bt_row_t *r)
{
	return r->lane == tui->lane &&
	       (tui->limit_hard < 0 || (int) r->hard == tui->limit_hard) &&
	       tui_match (tui->limit_reason, r->reason) &&
	       tui_match (tui->limit_domain, r->domain) &&
	       tui_match (tui->limit_recipient, r->recipient) &&
	       tui_match (tui->limit_mta, r->remote_mta);
}

static int
tui_strcmp0 (const char *a, const char *b)
{
	return g_strcmp0 (a, b);
}

static bt_sort_t tui_sort_key;

static gint
tui_compare (gconstpointer pa, gconstpointer pb)
{
	const bt_row_t *a = *(bt_row_t *const *) pa, *b = *(bt_row_t *const *) pb;
	int c = 0;

	if (tui_sort_key == BT_SORT_RECIPIENT)
		c = tui_strcmp0 (a->recipient, b->recipient);
	else if (tui_sort_key == BT_SORT_REASON)
		c = tui_strcmp0 (a->reason, b->reason);
	if (c == 0 && a->msg->date != b->msg->date)
		c = a->msg->date > b->msg->date ? -1 : 1;   /* newest first */
	if (c == 0)
		c = a->seq < b->seq ? -1 : a->seq > b->seq;
	return c;
}

void
bt_tui_filter (bt_tui_t *tui)
{
	bt_row_t *keep = bt_tui_selected (tui);
	guint sel_before = tui->list.sel;

	g_ptr_array_set_size (tui->shown, 0);
	for (guint i = 0; i < tui->rows->len; i++)
		if (tui_row_shown (tui, tui->rows->pdata[i]))
			g_ptr_array_add (tui->shown, tui->rows->pdata[i]);
	tui_sort_key = tui->sort;
	g_ptr_array_sort (tui->shown, tui_compare);
	tui->list.sel = sel_before;
	/* rows arriving while the list loads keep the user's place; before
	 * the user moved, the place is the top */
	if (keep && tui->moved) {
		guint at;

		if (g_ptr_array_find (tui->shown, keep, &at))
			tui->list.sel = at;
	}
	bt_list_clamp (&tui->list);
	if (tui->view == BT_VIEW_GROUP)
		bt_group_build (tui);
}

void
bt_tui_pager_text (bt_tui_t *tui, const char *title, const char *text, gssize len)
{
	char *clean = bt_sanitize (text, len, BT_SANITIZE_MULTILINE);
	char **lines = g_strsplit (clean, "\n", -1);

	if (tui->pager_lines)
		g_ptr_array_free (tui->pager_lines, TRUE);
	tui->pager_lines = g_ptr_array_new_with_free_func (g_free);
	for (char **l = lines; *l; l++)
		g_ptr_array_add (tui->pager_lines, *l);
	g_free (lines);   /* the strings moved to pager_lines */
	g_free (clean);
	g_free (tui->pager_title);
	tui->pager_title = g_strdup (title);
	if (tui->view != BT_VIEW_PAGER)
		tui->pager_return = tui->view;
	tui->view = BT_VIEW_PAGER;
	tui->pager.top = 0;
}

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
		key = bt_screen_key (tui->loading ? 0 : 250);
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

/* Print each problem and say whether there were any. */
static bool
tui_report (GPtrArray *problems)
{
	for (guint i = 0; i < problems->len; i++)
		fprintf (stderr, "%s\n", (char *) problems->pdata[i]);
	return problems->len > 0;
}

static void
tui_free (bt_tui_t *tui)
{
	bt_prompt_free (tui->prompt);
	bt_feed_free (tui->feed);
	bt_keymap_free (tui->keymap);
	g_ptr_array_free (tui->rows, TRUE);
	g_ptr_array_free (tui->shown, TRUE);
	if (tui->groups)
		g_ptr_array_free (tui->groups, TRUE);
	if (tui->pager_lines)
		g_ptr_array_free (tui->pager_lines, TRUE);
	g_free (tui->pager_title);
	g_free (tui->limit_reason);
	g_free (tui->limit_domain);
	g_free (tui->limit_recipient);
	g_free (tui->limit_mta);
	g_free (tui->query);
	g_free (tui->writes);
	g_free (tui->clipboard_cmd);
	g_free (tui->triaged_tags);
	g_free (tui->export_dir);
	g_string_free (tui->message, TRUE);
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
	tui_colors (settings);
	const char *clip = bt_settings_get (settings, "ui.clipboard");

	tui->clipboard_cmd = clip && *clip ? g_strdup (clip) : NULL;
	tui->triaged_tags = g_strdup (bt_settings_get (settings, "tags.triaged"));
}

int
cmd_tui (int argc, char **argv)
{
	tui_opts_t o = { 0 };
	bt_tui_t tui = { 0 };
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	bt_settings_t *settings = bt_settings_new ();
	char *settings_path = bt_cli_config_path ("config");
	GError *error = NULL;
	char *why = NULL;
	int status = 1;

	o.files = g_ptr_array_new_with_free_func (g_free);
	if ((status = tui_parse (argc, argv, &o)) != 0)
		goto done;
	status = 1;
	if (bt_settings_load (settings, settings_path, problems, &error) != BT_OK && error) {
		bt_cli_error ("%s", error->message);
		goto done;
	}
	if (o.keymap == NULL && *bt_settings_get (settings, "ui.keymap"))
		o.keymap = bt_settings_get (settings, "ui.keymap");
	tui.keymap = bt_keys_load (o.keymap, problems);
	if (tui_report (problems))
		goto done;
	if ((tui.kb = bt_cli_kb_load ()) == NULL)
		goto done;
	tui.limit_hard = -1;
	tui.lane = BT_LANE_FAILURE;
	tui.message = g_string_new (NULL);
	tui.rows = g_ptr_array_new ();
	tui.shown = g_ptr_array_new ();
	tui.query = o.query;
	o.query = NULL;
	tui_settings_apply (&tui, settings);
	if (o.files->len) {
		g_ptr_array_add (o.files, NULL);
		tui.feed = bt_feed_files_new ((char **) o.files->pdata, tui.kb, &error);
	} else {
		tui.feed = bt_feed_store_new (o.demo, o.config, settings, tui.kb, &error);
		tui.writable = tui.feed != NULL;
		tui.demo = o.demo;
	}
	if (tui.feed == NULL || !tui.feed->ops->restart (tui.feed, tui.query, &error)) {
		bt_cli_error ("%s", error ? error->message : "cannot read bounces");
		goto done;
	}
	tui.loading = true;
	bt_draw_init_lists (&tui);
	tui_log_start ();
	if (!bt_screen_start (!o.no_color && !(g_getenv ("NO_COLOR") && *g_getenv ("NO_COLOR")), &why)) {
		bt_cli_error ("%s", why);
		goto done;
	}
	/* side by side needs room for the list's subject column */
	{
		int rows, cols;

		bt_screen_size (&rows, &cols);
		tui.stacked = cols < 120;
	}
	tui_loop (&tui);
	bt_screen_stop ();
	status = 0;
done:
	g_clear_error (&error);
	g_free (why);
	if (tui.message)
		tui_free (&tui);
	else
		bt_keymap_free (tui.keymap);
	if (tui.kb)
		bt_kb_free (tui.kb);
	bt_settings_free (settings);
	g_free (settings_path);
	g_free (o.query);
	g_ptr_array_free (o.files, TRUE);
	g_ptr_array_free (problems, TRUE);
	return status;
}
