/* kb-literal.c: the literals of a pattern, for the match prefilter. */
#include "config.h"

#include <string.h>
#include "kb-private.h"

/* ---- literal prefilter ----
 * A pattern's literals are ASCII runs every match must contain (one per
 * top-level branch).  Scanning the text once for all literals tells which
 * few patterns can match at all, so only those run.  The scan is
 * conservative: anything it does not understand ends the run. */

typedef struct {
	GString *run, *best;
	int depth;
} bt_kb_lit_t;

static void
bt_kb_lit_end (bt_kb_lit_t *l)
{
	if (l->run->len > l->best->len)
		g_string_assign (l->best, l->run->str);
	g_string_truncate (l->run, 0);
}

/* Skip a character class starting at p ('['); returns the last byte of it. */
static const char *
bt_kb_lit_skip_class (const char *p, const char *end)
{
	p++;
	if (p < end && *p == '^')
		p++;
	if (p < end && *p == ']')
		p++;
	for (; p < end && *p != ']'; p++)
		if (*p == '\\' && p + 1 < end)
			p++;
	return p < end ? p : end - 1;
}

static void
bt_kb_lit_char (bt_kb_lit_t *l, char ch)
{
	if (ch == '?' || ch == '*' || ch == '{') {
		/* The atom before a quantifier may be absent. */
		if (l->run->len > 0)
			g_string_truncate (l->run, l->run->len - 1);
		bt_kb_lit_end (l);
	} else if (ch == '+' || ch == '.' || ch == '^' || ch == '$' || (guchar) ch >= 0x80)
		bt_kb_lit_end (l);
	else
		g_string_append_c (l->run, g_ascii_tolower (ch));
}

/* The longest literal run of one top-level branch [p, end). */
static char *
bt_kb_branch_literal (const char *p, const char *end)
{
	bt_kb_lit_t l = { g_string_new (NULL), g_string_new (NULL), 0 };

	for (; p < end; p++) {
		if (*p == '\\' && p + 1 < end) {
			p++;
			if (l.depth == 0 && !g_ascii_isalnum (*p) && (guchar) *p < 0x80)
				g_string_append_c (l.run, *p);
			else if (l.depth == 0)
				bt_kb_lit_end (&l);
		} else if (*p == '[') {
			bt_kb_lit_end (&l);
			p = bt_kb_lit_skip_class (p, end);
		} else if (*p == '(') {
			bt_kb_lit_end (&l);
			l.depth++;
		} else if (*p == ')') {
			l.depth--;
		} else if (l.depth == 0) {
			bt_kb_lit_char (&l, *p);
			/* Skip the bounds of {n,m}: they are not text. */
			if (*p == '{')
				while (p + 1 < end && *p != '}')
					p++;
		}
	}
	bt_kb_lit_end (&l);
	g_string_free (l.run, TRUE);
	return g_string_free (l.best, FALSE);
}

/* Literals of every top-level branch, or NULL when one branch has none (or
 * the pattern uses option settings, verbs or \Q, which the scan does not
 * follow). */
char **
bt_kb_literals (const char *re)
{
	GPtrArray *lits = g_ptr_array_new_with_free_func (g_free);
	const char *start = re, *p = re;
	int depth = 0;
	bool ok = !strstr (re, "\\Q") && !strstr (re, "(*");

	for (const char *q = re; ok && (q = strstr (q, "(?")); q += 2)
		ok = strchr (":=!<>", q[2]) != NULL && q[2] != '\0';
	for (; ok; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '[') {
			p = bt_kb_lit_skip_class (p, p + strlen (p));
			continue;
		}
		depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
		if (*p == '\0' || (*p == '|' && depth == 0)) {
			char *lit = bt_kb_branch_literal (start, p);
			ok = strlen (lit) >= BT_KB_LITERAL_MIN;
			g_ptr_array_add (lits, lit);
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	if (!ok) {
		g_ptr_array_unref (lits);
		return NULL;
	}
	g_ptr_array_add (lits, NULL);
	g_ptr_array_set_free_func (lits, NULL);
	return (char **) g_ptr_array_free (lits, FALSE);
}
