/* settings.c: bouncetriage's own settings, described once in a table that
 * the parser, `bouncetriage config` and the man page share. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "bouncetriage/settings.h"

#define DEFAULT_BOUNCE_QUERY \
	"mimetype:message/delivery-status or mimetype:message/feedback-report" \
	" or from:mailer-daemon or from:postmaster" \
	" or subject:\"Undelivered Mail Returned to Sender\"" \
	" or subject:\"Delivery Status Notification\"" \
	" or subject:\"failure notice\" or subject:\"Mail delivery failed\"" \
	" or subject:\"Returned mail\" or subject:\"Delivery failure\"" \
	" or subject:Undeliverable or subject:Undelivered" \
	" or subject:\"Automatic reply\" or subject:\"Out of office\"" \
	" or tag:bounce"

const bt_setting_info_t bt_settings_table[] = {
	{ "query.bounces", BT_SETTING_QUERY, DEFAULT_BOUNCE_QUERY, 0, 0,
	  "Notmuch query that finds bounces, auto-replies and feedback reports. Messages it "
	  "finds that the parser says are not bounces are left out of the list and counted." },
	{ "query.hide", BT_SETTING_QUERY, "tag:bounce/triaged", 0, 0,
	  "Messages matching this query are left out of the list (what was triaged already). "
	  "Empty: hide nothing." },
	{ "tags.triaged", BT_SETTING_TAGS, "+bounce/triaged -inbox -unread", 0, 0,
	  "Tag changes of the triage action: the bounce was dealt with." },
	{ "tags.ignored", BT_SETTING_TAGS, "+bounce/ignored +bounce/triaged -inbox -unread", 0, 0,
	  "Tag changes of the ignore action: the bounce needs nothing done." },
	{ "tags.deleted", BT_SETTING_TAGS, "+deleted +bounce/triaged -inbox -unread", 0, 0,
	  "Tag changes of the delete action (notmuch deletes nothing by itself)." },
	{ "tags.reactivated", BT_SETTING_TAGS, "+bounce/reactivated", 0, 0,
	  "Tag changes applied to every bounce of an address that is reactivated: the address "
	  "leaves the suppression list until it bounces hard again." },
	{ "ui.clipboard", BT_SETTING_COMMAND, "", 0, 0,
	  "Command that receives copied text on its standard input (run without a shell). "
	  "Empty: the first of wl-copy, xclip -selection clipboard, xsel -b that is installed, "
	  "else the terminal's OSC 52." },
	{ "ui.keymap", BT_SETTING_PATH, "", 0, 0,
	  "Key bindings file loaded instead of the default keymap. Empty: the default." },
	{ "ui.write-warn", BT_SETTING_INT, "5", 1, 86400,
	  "A queued write (tags, cached verdicts) still waiting after this many seconds, "
	  "usually for another program's write lock, is reported in the status line." },
	{ "scan.cache", BT_SETTING_BOOL, "true", 0, 0,
	  "Store each verdict in the message's properties (bouncetriage.*) so the next start "
	  "reads no mail file and notmuch can search by reason." },
	{ "scan.cache-queue", BT_SETTING_INT, "5000", 1, 10000000,
	  "Verdicts waiting to be written to properties, at most.  The screen leaves the "
	  "rest uncached when the writer is behind (they are parsed again at the next start), "
	  "so its memory stays bounded; the commands wait for the writer instead." },
	{ "scan.list-cache", BT_SETTING_BOOL, "true", 0, 0,
	  "Keep the bounce list in a file under $XDG_CACHE_HOME/bouncetriage, so a start "
	  "after no change to the database reads that file, not the database." },
	{ "colors.title", BT_SETTING_COLOR, "white,blue,bold", 0, 0, "Title and column headers." },
	{ "colors.status", BT_SETTING_COLOR, "white,blue", 0, 0, "Status line." },
	{ "colors.selected", BT_SETTING_COLOR, "black,cyan", 0, 0, "The selected row." },
	{ "colors.hard", BT_SETTING_COLOR, "red,default,bold", 0, 0, "Hard failures (the address is bad)." },
	{ "colors.soft", BT_SETTING_COLOR, "yellow", 0, 0, "Soft failures." },
	{ "colors.delay", BT_SETTING_COLOR, "cyan", 0, 0, "Delays." },
	{ "colors.info", BT_SETTING_COLOR, "green", 0, 0, "Auto-replies, feedback and delivery reports." },
	{ "colors.warning", BT_SETTING_COLOR, "black,yellow", 0, 0, "Warnings: overdue writes, errors." },
	{ NULL, 0, NULL, 0, 0, NULL },
};

#define N_SETTINGS (G_N_ELEMENTS (bt_settings_table) - 1)

struct bt_settings {
	char *value[N_SETTINGS];   /* NULL: the default */
	char *path;
};

static int
settings_index (const char *name)
{
	for (guint i = 0; i < N_SETTINGS; i++)
		if (strcmp (bt_settings_table[i].name, name) == 0)
			return (int) i;
	return -1;
}

const bt_setting_info_t *
bt_settings_info (const char *name)
{
	int i = name ? settings_index (name) : -1;
	return i < 0 ? NULL : &bt_settings_table[i];
}

const char *
bt_setting_type_name (bt_setting_type_t type)
{
	static const char *const names[] = {
		[BT_SETTING_STRING] = "string", [BT_SETTING_QUERY] = "query",
		[BT_SETTING_TAGS] = "tags", [BT_SETTING_INT] = "integer",
		[BT_SETTING_BOOL] = "boolean", [BT_SETTING_COLOR] = "colour",
		[BT_SETTING_COMMAND] = "command", [BT_SETTING_PATH] = "path",
	};
	return (unsigned) type < G_N_ELEMENTS (names) ? names[type] : "string";
}

bt_settings_t *
bt_settings_new (void)
{
	return g_new0 (bt_settings_t, 1);
}

void
bt_settings_free (bt_settings_t *s)
{
	if (s == NULL)
		return;
	for (guint i = 0; i < N_SETTINGS; i++)
		g_free (s->value[i]);
	g_free (s->path);
	g_free (s);
}

/* ---- values ---- */

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} color_attrs[] = {
	{ "bold", BT_ATTR_BOLD }, { "underline", BT_ATTR_UNDERLINE },
	{ "reverse", BT_ATTR_REVERSE }, { "dim", BT_ATTR_DIM },
};

/* -2: not a colour. */
static int
color_value (const char *word)
{
	char *end;
	long n;

	if (g_ascii_strcasecmp (word, "default") == 0)
		return -1;
	for (guint i = 0; i < G_N_ELEMENTS (color_names); i++)
		if (g_ascii_strcasecmp (word, color_names[i]) == 0)
			return (int) i;
	errno = 0;
	n = strtol (word, &end, 10);
	if (*word != '\0' && *end == '\0' && errno == 0 && n >= 0 && n <= 255)
		return (int) n;
	return -2;
}

bool
bt_settings_parse_color (const char *text, bt_color_t *out, GError **error)
{
	char **words = g_strsplit_set (text ? text : "", ", ", -1);
	bt_color_t c = { -1, -1, 0 };
	int ncolors = 0;
	bool ok = true;

	for (char **w = words; *w && ok; w++) {
		int v;
		bool attr = false;

		if (**w == '\0')
			continue;
		for (guint i = 0; i < G_N_ELEMENTS (color_attrs); i++)
			if (g_ascii_strcasecmp (*w, color_attrs[i].name) == 0) {
				c.attrs |= color_attrs[i].bit;
				attr = true;
			}
		if (attr)
			continue;
		v = color_value (*w);
		if (v == -2 || ncolors == 2) {
			bt_error_set (error, BT_ERR_INVALID,
				      "'%s' is not a colour (FG[,BG][,bold|underline|reverse|dim], "
				      "colours by name or 0-255)", *w);
			ok = false;
		} else if (ncolors++ == 0)
			c.fg = v;
		else
			c.bg = v;
	}
	if (ok && ncolors == 0 && c.attrs == 0) {
		bt_error_set (error, BT_ERR_INVALID, "empty colour");
		ok = false;
	}
	g_strfreev (words);
	if (ok && out)
		*out = c;
	return ok;
}

bool
bt_settings_parse_tags (const char *changes, char ***add, char ***remove, GError **error)
{
	char **words = g_strsplit_set (changes ? changes : "", " \t", -1);
	GPtrArray *a = g_ptr_array_new (), *r = g_ptr_array_new ();
	bool ok = true;

	for (char **w = words; *w; w++) {
		if (**w == '\0')
			continue;
		if ((**w != '+' && **w != '-') || (*w)[1] == '\0') {
			bt_error_set (error, BT_ERR_INVALID,
				      "'%s': a tag change is +TAG or -TAG", *w);
			ok = false;
			break;
		}
		g_ptr_array_add (**w == '+' ? a : r, g_strdup (*w + 1));
	}
	g_strfreev (words);
	g_ptr_array_add (a, NULL);
	g_ptr_array_add (r, NULL);
	if (ok && add)
		*add = (char **) g_ptr_array_free (a, FALSE);
	else
		g_strfreev ((char **) g_ptr_array_free (a, FALSE));
	if (ok && remove)
		*remove = (char **) g_ptr_array_free (r, FALSE);
	else
		g_strfreev ((char **) g_ptr_array_free (r, FALSE));
	return ok;
}

static bool
parse_bool (const char *v, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };

	for (guint i = 0; i < G_N_ELEMENTS (yes); i++) {
		if (g_ascii_strcasecmp (v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (g_ascii_strcasecmp (v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool
settings_validate (const bt_setting_info_t *info, const char *value, GError **error)
{
	switch (info->type) {
	case BT_SETTING_INT: {
		char *end;
		long n;

		errno = 0;
		n = strtol (value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0 || n < info->min || n > info->max) {
			bt_error_set (error, BT_ERR_INVALID, "%s: '%s' is not a whole number from %d to %d",
				      info->name, value, info->min, info->max);
			return false;
		}
		return true;
	}
	case BT_SETTING_BOOL: {
		bool b;
		if (!parse_bool (value, &b)) {
			bt_error_set (error, BT_ERR_INVALID, "%s: '%s' is not true or false",
				      info->name, value);
			return false;
		}
		return true;
	}
	case BT_SETTING_TAGS:
	case BT_SETTING_COLOR: {
		GError *e = NULL;
		bool ok = info->type == BT_SETTING_TAGS
			? bt_settings_parse_tags (value, NULL, NULL, &e)
			: bt_settings_parse_color (value, NULL, &e);
		if (!ok) {
			bt_error_set (error, BT_ERR_INVALID, "%s: %s", info->name, e->message);
			g_error_free (e);
		}
		return ok;
	}
	case BT_SETTING_COMMAND:
		if (*value != '\0' && !g_shell_parse_argv (value, NULL, NULL, NULL)) {
			bt_error_set (error, BT_ERR_INVALID, "%s: '%s' is not a command line "
				      "(unbalanced quotes?)", info->name, value);
			return false;
		}
		return true;
	default:
		return true;
	}
}

bt_status_t
bt_settings_set (bt_settings_t *s, const char *name, const char *value, GError **error)
{
	int i = name ? settings_index (name) : -1;

	if (i < 0)
		return bt_error_set (error, BT_ERR_NOTFOUND, "'%s' is not a setting (see 'bouncetriage config')",
				     name ? name : "");
	if (value == NULL)
		value = "";
	if (!settings_validate (&bt_settings_table[i], value, error))
		return BT_ERR_INVALID;
	g_free (s->value[i]);
	s->value[i] = g_strdup (value);
	return BT_OK;
}

const char *
bt_settings_get (const bt_settings_t *s, const char *name)
{
	int i = name ? settings_index (name) : -1;

	if (i < 0)
		return NULL;
	if (s && s->value[i])
		return s->value[i];
	return bt_settings_table[i].def;
}

int
bt_settings_get_int (const bt_settings_t *s, const char *name)
{
	const char *v = bt_settings_get (s, name);
	return v ? atoi (v) : 0;
}

bool
bt_settings_get_bool (const bt_settings_t *s, const char *name)
{
	const char *v = bt_settings_get (s, name);
	bool b = false;

	if (v)
		parse_bool (v, &b);
	return b;
}

bool
bt_settings_get_color (const bt_settings_t *s, const char *name, bt_color_t *out)
{
	const bt_setting_info_t *info = bt_settings_info (name);

	if (info == NULL || info->type != BT_SETTING_COLOR)
		return false;
	if (bt_settings_parse_color (bt_settings_get (s, name), out, NULL))
		return true;
	return bt_settings_parse_color (info->def, out, NULL);
}

bool
bt_settings_is_set (const bt_settings_t *s, const char *name)
{
	int i = name ? settings_index (name) : -1;
	return s && i >= 0 && s->value[i] != NULL;
}

const char *
bt_settings_path (const bt_settings_t *s)
{
	return s ? s->path : NULL;
}

char *
bt_settings_bounce_query (const bt_settings_t *s, const char *extra)
{
	const char *bounces = bt_settings_get (s, "query.bounces");
	const char *hide = bt_settings_get (s, "query.hide");
	GString *q = g_string_new (NULL);

	g_string_append_printf (q, "(%s)", bounces);
	if (hide && *hide)
		g_string_append_printf (q, " and not (%s)", hide);
	if (extra && *extra) {
		g_string_prepend_c (q, '(');
		g_string_append_printf (q, ") and (%s)", extra);
	}
	return g_string_free (q, FALSE);
}

/* ---- the file ---- */

/* The line of key in [group] of text, for messages; 0 when not found. */
static guint
settings_find_line (const char *text, const char *group, const char *key)
{
	char **lines = g_strsplit (text, "\n", -1);
	bool in_group = false;
	guint found = 0;
	size_t klen = strlen (key);

	for (guint i = 0; lines[i] && !found; i++) {
		char *l = g_strstrip (lines[i]);
		if (*l == '[') {
			char *end = strchr (l, ']');
			in_group = end && (size_t) (end - l - 1) == strlen (group)
				&& strncmp (l + 1, group, end - l - 1) == 0;
		} else if (in_group && strncmp (l, key, klen) == 0) {
			const char *rest = l + klen;
			while (*rest == ' ' || *rest == '\t')
				rest++;
			if (*rest == '=')
				found = i + 1;
		}
	}
	g_strfreev (lines);
	return found;
}

bt_status_t
bt_settings_load (bt_settings_t *s, const char *path, GPtrArray *problems, GError **error)
{
	GKeyFile *kf = NULL;
	char *text = NULL, **groups = NULL;
	gsize len;
	GError *e = NULL;
	bt_status_t status = BT_OK;

	if (!g_file_get_contents (path, &text, &len, &e)) {
		if (g_error_matches (e, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_error_free (e);
			return BT_OK;
		}
		status = bt_error_set (error, BT_ERR_IO, "%s", e->message);
		g_error_free (e);
		return status;
	}
	kf = g_key_file_new ();
	if (!g_key_file_load_from_data (kf, text, len, G_KEY_FILE_NONE, &e)) {
		status = bt_error_set (error, BT_ERR_PARSE, "%s: %s", path, e->message);
		g_error_free (e);
		goto done;
	}
	g_free (s->path);
	s->path = g_strdup (path);
	groups = g_key_file_get_groups (kf, NULL);
	for (char **g = groups; *g; g++) {
		char **keys = g_key_file_get_keys (kf, *g, NULL, NULL);
		for (char **k = keys; k && *k; k++) {
			char *name = g_strdup_printf ("%s.%s", *g, *k);
			char *value = g_key_file_get_string (kf, *g, *k, &e);
			guint line = settings_find_line (text, *g, *k);

			if (value == NULL) {
				if (problems)
					g_ptr_array_add (problems, g_strdup_printf ("%s:%u: %s", path, line,
										    e->message));
				g_clear_error (&e);
				status = BT_ERR_PARSE;
			} else if (bt_settings_set (s, name, g_strstrip (value), &e) != BT_OK) {
				if (problems)
					g_ptr_array_add (problems, g_strdup_printf ("%s:%u: %s", path, line,
										    e->message));
				g_clear_error (&e);
				status = BT_ERR_PARSE;
			}
			g_free (value);
			g_free (name);
		}
		g_strfreev (keys);
	}
done:
	g_strfreev (groups);
	g_key_file_free (kf);
	g_free (text);
	return status;
}

/* ---- descriptions ---- */

static void
wrap (GString *out, const char *text, const char *indent, guint width)
{
	char **words = g_strsplit (text, " ", -1);
	guint col = 0;

	for (char **w = words; *w; w++) {
		guint wl = (guint) strlen (*w);
		if (**w == '\0')
			continue;
		if (col == 0) {
			g_string_append (out, indent);
			col = (guint) strlen (indent);
		} else if (col + 1 + wl > width) {
			g_string_append_c (out, '\n');
			g_string_append (out, indent);
			col = (guint) strlen (indent);
		} else {
			g_string_append_c (out, ' ');
			col++;
		}
		g_string_append (out, *w);
		col += wl;
	}
	if (col > 0)
		g_string_append_c (out, '\n');
	g_strfreev (words);
}

void
bt_settings_describe (const bt_settings_t *s, GString *out)
{
	if (s && s->path)
		g_string_append_printf (out, "# read from %s\n", s->path);
	for (guint i = 0; i < N_SETTINGS; i++) {
		const bt_setting_info_t *info = &bt_settings_table[i];
		const char *v = bt_settings_get (s, info->name);
		bool set = bt_settings_is_set (s, info->name) && strcmp (v, info->def) != 0;

		g_string_append_printf (out, "%s = %s%s\n", info->name, v, set ? "    # changed" : "");
		if (set)
			g_string_append_printf (out, "    %s; default: %s\n", bt_setting_type_name (info->type),
						*info->def ? info->def : "(empty)");
		else
			g_string_append_printf (out, "    %s (default)\n", bt_setting_type_name (info->type));
		wrap (out, info->help, "    ", 78);
	}
}

/* Text safe inside a troff line: backslashes doubled, a leading dot or
 * quote escaped. */
static void
man_text (GString *out, const char *text)
{
	if (*text == '.' || *text == '\'')
		g_string_append (out, "\\&");
	for (const char *p = text; *p; p++) {
		if (*p == '\\')
			g_string_append (out, "\\e");
		else if (*p == '-')
			g_string_append (out, "\\-");
		else
			g_string_append_c (out, *p);
	}
}

void
bt_settings_man (GString *out)
{
	g_string_append (out,
		".SH SETTINGS\n"
		"Settings are read from\n"
		".IR $XDG_CONFIG_HOME/bouncetriage/config ,\n"
		"a key file: a setting named\n"
		".B group.key\n"
		"is written as\n"
		".B key = value\n"
		"under a\n"
		".B [group]\n"
		"line.\n"
		".B bouncetriage config\n"
		"prints every setting with its value.\n"
		"The notmuch database itself is found through notmuch's configuration.\n"
		/* Defaults are queries and tags to copy: no hyphenation. */
		".nh\n");
	for (guint i = 0; i < N_SETTINGS; i++) {
		const bt_setting_info_t *info = &bt_settings_table[i];
		g_string_append (out, ".TP\n.B ");
		man_text (out, info->name);
		g_string_append_printf (out, "\n(%s", bt_setting_type_name (info->type));
		if (info->type == BT_SETTING_INT)
			g_string_append_printf (out, ", %d to %d", info->min, info->max);
		g_string_append (out, ")\n");
		man_text (out, info->help);
		g_string_append (out, "\n.br\nDefault: ");
		if (*info->def) {
			g_string_append (out, "\\fB");
			man_text (out, info->def);
			g_string_append (out, "\\fR");
		} else
			g_string_append (out, "empty");
		g_string_append (out, "\n");
	}
	g_string_append (out, ".hy\n");
}
