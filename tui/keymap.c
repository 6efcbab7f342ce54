/* keymap.c: key names, the bind/unbind/source grammar, key tables. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "keymap.h"

/* Named keys, canonical spelling first. */
static const struct {
	const char *name;
	bt_key_t key;
} key_names[] = {
	{ "Up", BT_KEY_UP }, { "Down", BT_KEY_DOWN },
	{ "Left", BT_KEY_LEFT }, { "Right", BT_KEY_RIGHT },
	{ "PageUp", BT_KEY_PAGEUP }, { "PPage", BT_KEY_PAGEUP }, { "PgUp", BT_KEY_PAGEUP },
	{ "PageDown", BT_KEY_PAGEDOWN }, { "NPage", BT_KEY_PAGEDOWN }, { "PgDn", BT_KEY_PAGEDOWN },
	{ "Home", BT_KEY_HOME }, { "End", BT_KEY_END },
	{ "Enter", BT_KEY_ENTER }, { "Return", BT_KEY_ENTER }, { "RET", BT_KEY_ENTER },
	{ "Tab", BT_KEY_TAB }, { "BackTab", BT_KEY_BACKTAB }, { "BTab", BT_KEY_BACKTAB },
	{ "Backspace", BT_KEY_BACKSPACE }, { "BSpace", BT_KEY_BACKSPACE },
	{ "Delete", BT_KEY_DELETE }, { "DC", BT_KEY_DELETE },
	{ "Insert", BT_KEY_INSERT }, { "IC", BT_KEY_INSERT },
	{ "Escape", BT_KEY_ESCAPE }, { "Esc", BT_KEY_ESCAPE },
	{ "Space", ' ' }, { "Hash", '#' }, { "Lt", '<' }, { "Gt", '>' },
	{ "Quote", '\'' }, { "DoubleQuote", '"' },
};

static bt_key_t
key_parse_named (const char *s)
{
	for (gsize i = 0; i < G_N_ELEMENTS (key_names); i++)
		if (g_ascii_strcasecmp (key_names[i].name, s) == 0)
			return key_names[i].key;
	if ((s[0] == 'F' || s[0] == 'f') && g_ascii_isdigit (s[1])) {
		char *end;
		long n = strtol (s + 1, &end, 10);

		if (*end == '\0' && n >= 1 && n <= 12)
			return BT_KEY_F1 + (bt_key_t) (n - 1);
	}
	return BT_KEY_NONE;
}

/* One character, or a named key with or without angle brackets. */
static bt_key_t
key_parse_base (const char *s)
{
	gsize len = strlen (s);
	bt_key_t k;

	if (len == 0)
		return BT_KEY_NONE;
	if (g_utf8_validate (s, len, NULL) && g_utf8_strlen (s, len) == 1) {
		gunichar c = g_utf8_get_char (s);

		return (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) ? BT_KEY_NONE : c;
	}
	if (s[0] == '<' && s[len - 1] == '>' && len > 2) {
		char *inner = g_strndup (s + 1, len - 2);

		k = bt_key_parse (inner);
		g_free (inner);
		return k;
	}
	return key_parse_named (s);
}

bt_key_t
bt_key_parse (const char *name)
{
	bt_key_t mods = 0, base;
	const char *p = name;

	if (name == NULL)
		return BT_KEY_NONE;
	/* "C-" "M-" "S-" prefixes, as long as something follows them */
	while (p[0] && p[1] == '-' && p[2] != '\0') {
		if (p[0] == 'C')
			mods |= BT_KEY_CTRL;
		else if (p[0] == 'M')
			mods |= BT_KEY_META;
		else if (p[0] == 'S')
			mods |= BT_KEY_SHIFT;
		else
			break;
		p += 2;
	}
	base = key_parse_base (p);
	if (base == BT_KEY_NONE)
		return BT_KEY_NONE;
	mods |= base & BT_KEY_MODS;
	base = BT_KEY_BASE (base);
	if ((mods & BT_KEY_CTRL) && base < BT_KEY_NAMED) {
		/* C-a and C-A are one key for a terminal; C-1 does not exist;
		 * C-i, C-m and C-[ are what Tab, Enter and Escape send */
		if (!g_ascii_isalpha (base) && base != ' ' && base != '@' &&
		    base != '[' && base != '\\' && base != ']' && base != '^' && base != '_')
			return BT_KEY_NONE;
		base = g_ascii_tolower (base);
		if (base == '@')
			base = ' ';
		if (base == 'i' || base == 'm' || base == '[') {
			mods &= ~BT_KEY_CTRL;
			base = base == 'i' ? BT_KEY_TAB : base == 'm' ? BT_KEY_ENTER : BT_KEY_ESCAPE;
		}
	}
	if ((mods & BT_KEY_SHIFT) && base < BT_KEY_NAMED)
		return BT_KEY_NONE;   /* write G, not S-g */
	return base | mods;
}

char *
bt_key_name (bt_key_t key)
{
	GString *s = g_string_new (NULL);
	bt_key_t base = BT_KEY_BASE (key);

	if (key & BT_KEY_CTRL)
		g_string_append (s, "C-");
	if (key & BT_KEY_META)
		g_string_append (s, "M-");
	if (key & BT_KEY_SHIFT)
		g_string_append (s, "S-");
	if (base == ' ' || base == '#' || base == '<' || base == '\'' || base == '"' ||
	    base >= BT_KEY_NAMED) {
		const char *n = NULL;

		for (gsize i = 0; i < G_N_ELEMENTS (key_names) && n == NULL; i++)
			if (key_names[i].key == base)
				n = key_names[i].name;
		if (n)
			g_string_append_printf (s, "<%s>", n);
		else if (base >= BT_KEY_F1 && base <= BT_KEY_F12)
			g_string_append_printf (s, "<F%u>", base - BT_KEY_F1 + 1);
		else
			g_string_append_printf (s, "<0x%X>", base);
	} else if (base < 0x20 || base == 0x7f || base > 0x10ffff) {
		g_string_append_printf (s, "<0x%X>", base);
	} else {
		g_string_append_unichar (s, base);
	}
	return g_string_free (s, FALSE);
}

/* ---- key tables ------------------------------------------------------- */

struct bt_binding {
	const char *context;     /* static, from the keymap's list */
	bt_key_t key;
	char *action;
	char **args;
	int argc;
};

struct bt_keymap {
	const char *const *contexts;
	GPtrArray **by_context;   /* one array of bt_binding_t * per context */
	guint ncontexts;
	bt_keymap_check_fn check;
	void *check_data;
	int depth;                /* of `source` nesting */
	GPtrArray *reading;       /* canonical paths of the files being sourced */
};

#define KEYMAP_MAX_DEPTH 8
#define KEYMAP_MAX_LINE 4096

static void
binding_free (gpointer p)
{
	bt_binding_t *b = p;

	g_free (b->action);
	g_strfreev (b->args);
	g_free (b);
}

bt_keymap_t *
bt_keymap_new (const char *const *contexts, bt_keymap_check_fn check, void *data)
{
	bt_keymap_t *km = g_new0 (bt_keymap_t, 1);

	km->contexts = contexts;
	while (contexts[km->ncontexts])
		km->ncontexts++;
	km->by_context = g_new0 (GPtrArray *, km->ncontexts);
	for (guint i = 0; i < km->ncontexts; i++)
		km->by_context[i] = g_ptr_array_new_with_free_func (binding_free);
	km->check = check;
	km->check_data = data;
	km->reading = g_ptr_array_new_with_free_func (free);
	return km;
}

void
bt_keymap_free (bt_keymap_t *km)
{
	if (km == NULL)
		return;
	g_ptr_array_free (km->reading, TRUE);
	for (guint i = 0; i < km->ncontexts; i++)
		g_ptr_array_free (km->by_context[i], TRUE);
	g_free (km->by_context);
	g_free (km);
}

static int
keymap_context_index (const bt_keymap_t *km, const char *context)
{
	for (guint i = 0; context && i < km->ncontexts; i++)
		if (strcmp (km->contexts[i], context) == 0)
			return (int) i;
	return -1;
}

const char *const *
bt_keymap_contexts (const bt_keymap_t *km)
{
	return km->contexts;
}

static int
keymap_find (GPtrArray *list, bt_key_t key)
{
	for (guint i = 0; i < list->len; i++)
		if (((bt_binding_t *) list->pdata[i])->key == key)
			return (int) i;
	return -1;
}

const bt_binding_t *
bt_keymap_lookup (const bt_keymap_t *km, const char *context, bt_key_t key)
{
	int c = keymap_context_index (km, context), i;

	if (c < 0)
		return NULL;
	i = keymap_find (km->by_context[c], key);
	return i < 0 ? NULL : km->by_context[c]->pdata[i];
}

const GPtrArray *
bt_keymap_bindings (const bt_keymap_t *km, const char *context)
{
	int c = keymap_context_index (km, context);

	return c < 0 ? NULL : km->by_context[c];
}

bt_key_t
bt_keymap_key_for (const bt_keymap_t *km, const char *context, const char *action)
{
	const GPtrArray *list = bt_keymap_bindings (km, context);

	for (guint i = 0; list && i < list->len; i++) {
		const bt_binding_t *b = list->pdata[i];

		if (strcmp (b->action, action) == 0)
			return b->key;
	}
	return BT_KEY_NONE;
}

bt_key_t bt_binding_key (const bt_binding_t *b) { return b->key; }
const char *bt_binding_action (const bt_binding_t *b) { return b->action; }
char **bt_binding_args (const bt_binding_t *b) { return b->args; }
int bt_binding_argc (const bt_binding_t *b) { return b->argc; }
const char *bt_binding_context (const bt_binding_t *b) { return b->context; }

/* ---- the grammar ------------------------------------------------------ */

/* Split line into tokens.  Returns NULL and sets *why on an unclosed quote. */
static char **
keymap_tokenize (const char *line, char **why)
{
	GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
	GString *tok = g_string_new (NULL);
	const char *p = line;

	for (;;) {
		char quote = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		g_string_truncate (tok, 0);
		while (*p && (quote || (*p != ' ' && *p != '\t'))) {
			if (quote == 0 && (*p == '\'' || *p == '"')) {
				quote = *p++;
			} else if (quote && *p == quote) {
				quote = 0;
				p++;
			} else if (quote == '"' && *p == '\\' && p[1]) {
				g_string_append_c (tok, p[1]);
				p += 2;
			} else {
				g_string_append_c (tok, *p++);
			}
		}
		if (quote) {
			*why = g_strdup_printf ("missing closing %c", quote);
			g_string_free (tok, TRUE);
			g_ptr_array_free (tokens, TRUE);
			return NULL;
		}
		g_ptr_array_add (tokens, g_strdup (tok->str));
	}
	g_string_free (tok, TRUE);
	g_ptr_array_add (tokens, NULL);
	return (char **) g_ptr_array_free (tokens, FALSE);
}

static char *
keymap_cmd_bind (bt_keymap_t *km, char **tok, int n)
{
	int c;
	bt_key_t key;
	bt_binding_t *b;
	char *why = NULL;
	GPtrArray *list;
	int i;

	if (n < 4)
		return g_strdup ("usage: bind CONTEXT KEY ACTION [ARGS...]");
	if ((c = keymap_context_index (km, tok[1])) < 0)
		return g_strdup_printf ("unknown context '%s'", tok[1]);
	if ((key = bt_key_parse (tok[2])) == BT_KEY_NONE)
		return g_strdup_printf ("unknown key '%s'", tok[2]);
	if (km->check && !km->check (tok[1], tok[3], n - 4, tok + 4, &why, km->check_data))
		return why ? why : g_strdup_printf ("unknown action '%s'", tok[3]);
	b = g_new0 (bt_binding_t, 1);
	b->context = km->contexts[c];
	b->key = key;
	b->action = g_strdup (tok[3]);
	b->args = g_strdupv (tok + 4);
	b->argc = n - 4;
	list = km->by_context[c];
	if ((i = keymap_find (list, key)) >= 0) {
		binding_free (list->pdata[i]);
		list->pdata[i] = b;   /* keep its place in the listing */
	} else {
		g_ptr_array_add (list, b);
	}
	return NULL;
}

static char *
keymap_cmd_unbind (bt_keymap_t *km, char **tok, int n)
{
	int c, i;
	bt_key_t key;

	if (n != 3)
		return g_strdup ("usage: unbind CONTEXT KEY");
	if ((c = keymap_context_index (km, tok[1])) < 0)
		return g_strdup_printf ("unknown context '%s'", tok[1]);
	if ((key = bt_key_parse (tok[2])) == BT_KEY_NONE)
		return g_strdup_printf ("unknown key '%s'", tok[2]);
	if ((i = keymap_find (km->by_context[c], key)) >= 0)
		g_ptr_array_remove_index (km->by_context[c], i);
	return NULL;
}

/* Load a sourced file: a regular file not already being read (a file that
 * sources itself, directly or not, would otherwise load 8^depth times). */
static char *
keymap_source_path (bt_keymap_t *km, const char *path, GPtrArray *problems)
{
	char *canon = realpath (path, NULL);
	struct stat st;

	if (canon != NULL && stat (canon, &st) == 0 && !S_ISREG (st.st_mode)) {
		free (canon);
		return g_strdup_printf ("source: '%s' is not a regular file", path);
	}
	for (guint i = 0; canon && i < km->reading->len; i++)
		if (strcmp (km->reading->pdata[i], canon) == 0) {
			free (canon);
			return g_strdup_printf ("source: '%s' is already being read (a loop)", path);
		}
	if (canon)
		g_ptr_array_add (km->reading, canon);
	km->depth++;
	bt_keymap_load_file (km, path, problems);
	km->depth--;
	if (canon)
		g_ptr_array_remove_index (km->reading, km->reading->len - 1);   /* frees canon */
	return NULL;
}

static char *
keymap_cmd_source (bt_keymap_t *km, char **tok, int n, const char *from, GPtrArray *problems)
{
	char *path, *dir, *why;

	if (n != 2)
		return g_strdup ("usage: source FILE");
	if (km->depth >= KEYMAP_MAX_DEPTH)
		return g_strdup_printf ("source: files nested more than %d deep", KEYMAP_MAX_DEPTH);
	if (tok[1][0] == '~' && tok[1][1] == '/')
		path = g_build_filename (g_get_home_dir (), tok[1] + 2, NULL);
	else if (g_path_is_absolute (tok[1]))
		path = g_strdup (tok[1]);
	else {
		dir = g_path_get_dirname (from);
		path = g_build_filename (dir, tok[1], NULL);
		g_free (dir);
	}
	why = keymap_source_path (km, path, problems);
	g_free (path);
	return why;
}

/* Run one line; a problem is returned as a g_malloc'd message. */
static char *
keymap_line (bt_keymap_t *km, const char *line, const char *name, GPtrArray *problems)
{
	char *why = NULL;
	char **tok = keymap_tokenize (line, &why);
	int n;

	if (tok == NULL)
		return why;
	n = (int) g_strv_length (tok);
	if (n == 0)
		why = NULL;
	else if (strcmp (tok[0], "bind") == 0)
		why = keymap_cmd_bind (km, tok, n);
	else if (strcmp (tok[0], "unbind") == 0)
		why = keymap_cmd_unbind (km, tok, n);
	else if (strcmp (tok[0], "source") == 0)
		why = keymap_cmd_source (km, tok, n, name, problems);
	else
		why = g_strdup_printf ("unknown command '%s' (bind, unbind or source)", tok[0]);
	g_strfreev (tok);
	return why;
}

static void
keymap_problem (GPtrArray *problems, const char *name, int line, const char *msg)
{
	char *clean = g_utf8_make_valid (msg, -1);

	if (problems)
		g_ptr_array_add (problems, g_strdup_printf ("%s:%d: %s", name, line, clean));
	g_free (clean);
}

bt_status_t
bt_keymap_load_string (bt_keymap_t *km, const char *text, gssize len,
		       const char *name, GPtrArray *problems)
{
	const char *p, *end;
	int lineno = 0;
	bool bad = false;
	guint before = problems ? problems->len : 0;

	end = text + (len < 0 ? (gssize) strlen (text) : len);
	for (p = text; p < end;) {
		const char *nl = memchr (p, '\n', end - p);
		const char *eol = nl ? nl : end;
		char *line, *why;

		lineno++;
		if (eol - p > KEYMAP_MAX_LINE || memchr (p, '\0', eol - p)) {
			keymap_problem (problems, name, lineno, "line too long or holds a NUL byte");
			bad = true;
		} else {
			line = g_strndup (p, eol - p);
			if (eol > p && line[eol - p - 1] == '\r')
				line[eol - p - 1] = '\0';
			if ((why = keymap_line (km, line, name, problems)) != NULL) {
				keymap_problem (problems, name, lineno, why);
				g_free (why);
				bad = true;
			}
			g_free (line);
		}
		p = nl ? nl + 1 : end;
	}
	if (problems && problems->len > before)
		bad = true;   /* a sourced file had problems */
	return bad ? BT_ERR_PARSE : BT_OK;
}

bt_status_t
bt_keymap_load_file (bt_keymap_t *km, const char *path, GPtrArray *problems)
{
	char *text = NULL;
	gsize len = 0;
	GError *error = NULL;
	bt_status_t st;

	if (!g_file_get_contents (path, &text, &len, &error)) {
		if (problems)
			g_ptr_array_add (problems, g_strdup (error->message));
		g_error_free (error);
		return BT_ERR_IO;
	}
	st = bt_keymap_load_string (km, text, (gssize) len, path, problems);
	g_free (text);
	return st;
}
