/* kb-lines.c: where each group and key of a knowledge-base file is, for
 * "FILE:LINE: message" problems.  GKeyFile gives no line numbers, so a
 * light scan of the file text locates them (and finds the line of a
 * syntax error GKeyFile would refuse). */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include "kb-private.h"

void
bt_kb_problem (bt_kb_ctx_t *c, guint line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start (ap, fmt);
	msg = g_strdup_vprintf (fmt, ap);
	va_end (ap);
	g_ptr_array_add (c->problems, g_strdup_printf ("%s:%u: %s", c->path, line, msg));
	g_free (msg);
}

guint
bt_kb_line (bt_kb_ctx_t *c, const char *group, const char *key)
{
	char *name = key ? g_strconcat (group, "\n", key, NULL) : g_strdup (group);
	guint line = GPOINTER_TO_UINT (g_hash_table_lookup (c->lines, name));

	g_free (name);
	return line ? line : 1;
}

/* Remember where name first appears; a second time is a problem, since
 * GKeyFile would silently merge the groups or keep the last value. */
static void
bt_kb_note_line (bt_kb_ctx_t *c, char *name, guint line, const char *what)
{
	guint first = GPOINTER_TO_UINT (g_hash_table_lookup (c->lines, name));

	if (first) {
		bt_kb_problem (c, line, "%s again (first at line %u)", what, first);
		g_free (name);
		return;
	}
	g_hash_table_insert (c->lines, name, GUINT_TO_POINTER (line));
}

static bool
bt_kb_key_name_valid (const char *key)
{
	const char *p = key;

	while (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
		p++;
	if (p == key)
		return false;
	if (*p == '\0')
		return true;
	/* A GKeyFile locale suffix: key[de_CH] */
	return *p == '[' && p[1] != ']' && strchr (p, ']') == key + strlen (key) - 1;
}

static void
bt_kb_scan_group (bt_kb_ctx_t *c, const char *s, gsize len, guint line)
{
	char *name, *what;

	if (len < 3 || s[len - 1] != ']' || memchr (s + 1, '[', len - 2) || memchr (s + 1, ']', len - 2)) {
		bt_kb_problem (c, line, "syntax error: bad group header (expected [name])");
		return;
	}
	name = g_strndup (s + 1, len - 2);
	what = g_strdup_printf ("[%s]", name);
	g_free (c->group);
	c->group = g_strdup (name);
	bt_kb_note_line (c, name, line, what);
	g_free (what);
}

static void
bt_kb_scan_key (bt_kb_ctx_t *c, const char *s, const char *eq, guint line)
{
	char *key = g_strstrip (g_strndup (s, (gsize) (eq - s)));
	char *what;

	if (c->group == NULL)
		bt_kb_problem (c, line, "syntax error: key '%s' before any [group]", key);
	else if (!bt_kb_key_name_valid (key))
		bt_kb_problem (c, line, "syntax error: bad key name '%s'", key);
	else {
		what = g_strdup_printf ("key '%s' in [%s]", key, c->group);
		bt_kb_note_line (c, g_strconcat (c->group, "\n", key, NULL), line, what);
		g_free (what);
	}
	g_free (key);
}

static void
bt_kb_scan_line (bt_kb_ctx_t *c, const char *s, gsize len, guint line)
{
	const char *eq;

	if (!g_utf8_validate (s, (gssize) len, NULL)) {
		bt_kb_problem (c, line, "not valid UTF-8");
		return;
	}
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && g_ascii_isspace (s[len - 1]))
		len--;
	if (len == 0 || *s == '#')
		return;
	if (*s == '[') {
		bt_kb_scan_group (c, s, len, line);
		return;
	}
	eq = memchr (s, '=', len);
	if (eq == NULL) {
		bt_kb_problem (c, line, "syntax error: expected [group], key = value or # comment");
		return;
	}
	bt_kb_scan_key (c, s, eq, line);
}

guint
bt_kb_scan (bt_kb_ctx_t *c, const char *data, gsize len)
{
	const char *p = data, *end = data + len;
	guint before = c->problems->len, line = 1;

	for (; p < end; line++) {
		const char *nl = memchr (p, '\n', (gsize) (end - p));
		const char *eol = nl ? nl : end;

		bt_kb_scan_line (c, p, (gsize) (eol - p), line);
		p = nl ? nl + 1 : end;
	}
	g_clear_pointer (&c->group, g_free);
	return c->problems->len - before;
}
