/* kb.c: the knowledge base.  Key files (GKeyFile) of entries and code
 * meanings; their rules compiled once at load; the matching the classifier
 * runs for every record.
 *
 * GKeyFile does the parsing.  It gives no line numbers, so a light scan of
 * the file text locates each group and key for the "FILE:LINE: message"
 * problems (and finds the line of a syntax error GKeyFile would refuse). */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "bouncetriage/kb.h"
#include "bouncetriage/reason.h"

/* Literals shorter than this prefilter poorly: the pattern always runs. */
#define BT_KB_LITERAL_MIN 3
/* Buckets of the trigram index (a power of two). */
#define BT_KB_BUCKETS 4096

typedef struct {
	GRegex *re;
	char *source;
	/* One literal (lower case) per top-level branch: a match must contain
	 * one of them.  NULL when no branch has a usable literal. */
	char **literals;
	/* The pattern is its one literal (no regex syntax): where the
	 * prefilter found the literal is the match, no need to run it. */
	bool pure;
	const bt_kb_entry_t *entry;
} bt_kb_pattern_t;

typedef struct {
	int code[3];                 /* class, subject, detail; -1 for '*' */
	int fixed;                   /* how many are not '*' */
	char *source;
} bt_kb_status_rule_t;

struct bt_kb_entry {
	char *id, *title, *explanation, *advice, *tags, *file;
	const char *reason;          /* static, from reason.h */
	bool hard;
	int priority;
	guint order;                 /* position in load order */
	GArray *status;              /* of bt_kb_status_rule_t */
	char **replycodes;           /* NULL-terminated */
	GPtrArray *patterns;         /* of bt_kb_pattern_t * */
};

typedef struct {
	char *title, *description;
} bt_kb_meaning_t;

/* One literal of the trigram index, pointing at its pattern. */
typedef struct {
	const char *text;
	gsize len;
	guint pattern;
} bt_kb_literal_t;

struct bt_kb {
	GPtrArray *entries;          /* of bt_kb_entry_t *, load order, owned */
	GHashTable *by_id;           /* id -> entry */
	/* "X.1.1", "class 5", "550" -> bt_kb_meaning_t *, owned */
	GHashTable *meanings;
	/* "5.1.1", "550" -> one-line meaning, rebuilt after each load */
	GHashTable *lines;
	GChecksum *sum;
	char digest[17];

	/* The matcher, rebuilt after each load: every pattern, best entry
	 * first, and the index of their literals by first three bytes. */
	GPtrArray *patterns;         /* of bt_kb_pattern_t *, owned by entries */
	GPtrArray *buckets[BT_KB_BUCKETS];   /* of bt_kb_literal_t *, owned */
	guint64 *always;             /* a bit per pattern without literals */
	guint64 used[BT_KB_BUCKETS / 64];    /* non-empty buckets */
};

/* What one load needs to report problems at the right line. */
typedef struct {
	const char *path;
	GPtrArray *problems;         /* of g_malloc'd strings */
	GHashTable *lines;           /* "group" and "group\nkey" -> line */
	char *group;                 /* during the scan: current group */
} bt_kb_ctx_t;

static const char *const bt_kb_entry_keys[] = {
	"reason", "title", "explanation", "advice", "hard", "tags",
	"status", "replycode", "pattern", "priority", NULL
};
static const char *const bt_kb_meaning_keys[] = { "title", "description", NULL };
/* Keys that may carry a [locale] suffix (GKeyFile's translations). */
static const char *const bt_kb_localized_keys[] = {
	"title", "explanation", "advice", "description", NULL
};

/* ---- objects ---- */

static void
bt_kb_pattern_free (gpointer p)
{
	bt_kb_pattern_t *pat = p;

	if (pat->re)
		g_regex_unref (pat->re);
	g_free (pat->source);
	g_strfreev (pat->literals);
	g_free (pat);
}

static void
bt_kb_status_rule_clear (gpointer p)
{
	g_free (((bt_kb_status_rule_t *) p)->source);
}

static bt_kb_entry_t *
bt_kb_entry_new (const char *id, const char *file)
{
	bt_kb_entry_t *e = g_new0 (bt_kb_entry_t, 1);

	e->id = g_strdup (id);
	e->file = g_strdup (file);
	e->status = g_array_new (FALSE, TRUE, sizeof (bt_kb_status_rule_t));
	g_array_set_clear_func (e->status, bt_kb_status_rule_clear);
	e->patterns = g_ptr_array_new_with_free_func (bt_kb_pattern_free);
	return e;
}

static void
bt_kb_entry_free (gpointer p)
{
	bt_kb_entry_t *e = p;

	g_free (e->id);
	g_free (e->title);
	g_free (e->explanation);
	g_free (e->advice);
	g_free (e->tags);
	g_free (e->file);
	g_array_unref (e->status);
	g_strfreev (e->replycodes);
	g_ptr_array_unref (e->patterns);
	g_free (e);
}

static void
bt_kb_meaning_free (gpointer p)
{
	bt_kb_meaning_t *m = p;

	g_free (m->title);
	g_free (m->description);
	g_free (m);
}

bt_kb_t *
bt_kb_new (void)
{
	bt_kb_t *kb = g_new0 (bt_kb_t, 1);

	kb->entries = g_ptr_array_new_with_free_func (bt_kb_entry_free);
	kb->by_id = g_hash_table_new (g_str_hash, g_str_equal);
	kb->meanings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, bt_kb_meaning_free);
	kb->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	kb->sum = g_checksum_new (G_CHECKSUM_SHA256);
	kb->patterns = g_ptr_array_new ();
	g_strlcpy (kb->digest, g_checksum_get_string (kb->sum), sizeof kb->digest);
	g_checksum_reset (kb->sum);
	return kb;
}

static void
bt_kb_clear_index (bt_kb_t *kb)
{
	for (guint i = 0; i < BT_KB_BUCKETS; i++)
		g_clear_pointer (&kb->buckets[i], g_ptr_array_unref);
	memset (kb->used, 0, sizeof kb->used);
	g_ptr_array_set_size (kb->patterns, 0);
	g_clear_pointer (&kb->always, g_free);
}

void
bt_kb_free (bt_kb_t *kb)
{
	if (kb == NULL)
		return;
	bt_kb_clear_index (kb);
	g_ptr_array_unref (kb->patterns);
	g_hash_table_unref (kb->by_id);
	g_ptr_array_unref (kb->entries);
	g_hash_table_unref (kb->meanings);
	g_hash_table_unref (kb->lines);
	g_checksum_free (kb->sum);
	g_free (kb);
}

/* ---- problems and their lines ---- */

static void bt_kb_problem (bt_kb_ctx_t *c, guint line, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
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

/* The line of group (key NULL) or of key in group; 1 when not found, which
 * cannot happen for names GKeyFile gave us. */
static guint
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

/* Locate every group and key, and report lines GKeyFile would refuse.
 * Returns the number of problems found. */
static guint
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

/* ---- values ---- */

static bool
bt_kb_key_allowed (const char *key, const char *const *allowed)
{
	const char *bracket = strchr (key, '[');
	char *base;
	bool ok;

	if (bracket == NULL)
		return g_strv_contains (allowed, key);
	base = g_strndup (key, (gsize) (bracket - key));
	ok = g_strv_contains (allowed, base) && g_strv_contains (bt_kb_localized_keys, base);
	g_free (base);
	return ok;
}

static void
bt_kb_check_keys (GKeyFile *kf, const char *group, const char *const *allowed, bt_kb_ctx_t *c)
{
	char **keys = g_key_file_get_keys (kf, group, NULL, NULL);

	for (guint i = 0; keys && keys[i]; i++)
		if (!bt_kb_key_allowed (keys[i], allowed))
			bt_kb_problem (c, bt_kb_line (c, group, keys[i]),
				       "unknown key '%s' in [%s]", keys[i], group);
	g_strfreev (keys);
}

/* A string value (GKeyFile escapes applied), or NULL; missing and required
 * is a problem. */
static char *
bt_kb_get_string (GKeyFile *kf, const char *group, const char *key, bool required, bt_kb_ctx_t *c)
{
	char *v;

	if (!g_key_file_has_key (kf, group, key, NULL)) {
		if (required)
			bt_kb_problem (c, bt_kb_line (c, group, NULL),
				       "missing required key '%s' in [%s]", key, group);
		return NULL;
	}
	v = g_key_file_get_string (kf, group, key, NULL);
	if (v == NULL)
		bt_kb_problem (c, bt_kb_line (c, group, key), "bad value of '%s' in [%s]", key, group);
	else
		g_strstrip (v);
	return v;
}

/* Entry ids are kebab-case: they name files, tags and command arguments. */
static bool
bt_kb_id_valid (const char *id)
{
	static GRegex *re;

	if (g_once_init_enter (&re)) {
		GRegex *r = g_regex_new ("^[a-z0-9]+(-[a-z0-9]+)*$", 0, 0, NULL);
		g_once_init_leave (&re, r);
	}
	return g_regex_match (re, id, 0, NULL);
}

/* "5.1.1", "5.1.*", "*.1.1": class 2, 4, 5 or '*'; subject and detail up
 * to three digits or '*'; not all three '*'. */
static bool
bt_kb_status_parse (const char *s, bt_kb_status_rule_t *rule)
{
	char **parts = g_strsplit (s, ".", -1);
	bool ok = g_strv_length (parts) == 3;

	rule->fixed = 0;
	for (int i = 0; ok && i < 3; i++) {
		const char *p = parts[i];
		gsize n = strlen (p);
		if (strcmp (p, "*") == 0) {
			rule->code[i] = -1;
			continue;
		}
		ok = n >= 1 && n <= 3 && strspn (p, "0123456789") == n;
		rule->code[i] = ok ? atoi (p) : 0;
		ok = ok && (i > 0 || (n == 1 && strchr ("245", *p)));
		rule->fixed++;
	}
	g_strfreev (parts);
	return ok && rule->fixed > 0;
}

static void
bt_kb_get_status (GKeyFile *kf, const char *group, bt_kb_entry_t *e, bt_kb_ctx_t *c)
{
	char **list = g_key_file_get_string_list (kf, group, "status", NULL, NULL);

	for (guint i = 0; list && list[i]; i++) {
		bt_kb_status_rule_t rule;
		char *s = g_strstrip (list[i]);
		if (*s == '\0')
			continue;
		if (!bt_kb_status_parse (s, &rule)) {
			bt_kb_problem (c, bt_kb_line (c, group, "status"), "bad status pattern '%s'", s);
			continue;
		}
		rule.source = g_strdup (s);
		g_array_append_val (e->status, rule);
	}
	g_strfreev (list);
}

static bool
bt_kb_replycode_valid (const char *s)
{
	return strlen (s) == 3 && strchr ("2345", s[0]) && g_ascii_isdigit (s[1])
		&& g_ascii_isdigit (s[2]);
}

static void
bt_kb_get_replycodes (GKeyFile *kf, const char *group, bt_kb_entry_t *e, bt_kb_ctx_t *c)
{
	char **list = g_key_file_get_string_list (kf, group, "replycode", NULL, NULL);
	GPtrArray *codes = g_ptr_array_new ();

	for (guint i = 0; list && list[i]; i++) {
		char *s = g_strstrip (list[i]);
		if (*s == '\0')
			continue;
		if (!bt_kb_replycode_valid (s))
			bt_kb_problem (c, bt_kb_line (c, group, "replycode"), "bad reply code '%s'", s);
		else
			g_ptr_array_add (codes, g_strdup (s));
	}
	g_ptr_array_add (codes, NULL);
	e->replycodes = (char **) g_ptr_array_free (codes, FALSE);
	g_strfreev (list);
}

/* Split a raw value on ';' not preceded by a backslash; "\;" becomes ';',
 * every other backslash stays for the regex.  Empty items are dropped. */
static char **
bt_kb_split_raw (const char *raw)
{
	GPtrArray *items = g_ptr_array_new ();
	GString *cur = g_string_new (NULL);

	for (const char *p = raw;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			if (p[1] != ';')
				g_string_append_c (cur, '\\');
			g_string_append_c (cur, *++p);
			continue;
		}
		if (*p != ';' && *p != '\0') {
			g_string_append_c (cur, *p);
			continue;
		}
		g_strstrip (cur->str);
		if (cur->str[0] != '\0')
			g_ptr_array_add (items, g_strdup (cur->str));
		g_string_truncate (cur, 0);
		if (*p == '\0')
			break;
	}
	g_string_free (cur, TRUE);
	g_ptr_array_add (items, NULL);
	return (char **) g_ptr_array_free (items, FALSE);
}

/* GRegex's message is "Error while compiling regular expression ‘P’ at
 * char N: WHY"; keep "at char N: WHY" (the pattern is quoted already). */
static const char *
bt_kb_regex_why (const char *msg)
{
	const char *at = g_strrstr (msg, " at char ");

	return at ? at + 1 : msg;
}

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
static char **
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

/* ---- entries and meanings ---- */

static void
bt_kb_get_patterns (GKeyFile *kf, const char *group, bt_kb_entry_t *e, bt_kb_ctx_t *c)
{
	/* Raw: GKeyFile's escapes (\s is a space) would corrupt regexes. */
	char *raw = g_key_file_get_value (kf, group, "pattern", NULL);
	char **items = raw ? bt_kb_split_raw (raw) : NULL;

	for (guint i = 0; items && items[i]; i++) {
		GError *err = NULL;
		GRegex *re = g_regex_new (items[i], G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &err);
		bt_kb_pattern_t *pat;
		if (re == NULL) {
			bt_kb_problem (c, bt_kb_line (c, group, "pattern"), "bad regex '%s' %s",
				       items[i], bt_kb_regex_why (err->message));
			g_error_free (err);
			continue;
		}
		pat = g_new0 (bt_kb_pattern_t, 1);
		pat->re = re;
		pat->source = g_strdup (items[i]);
		pat->literals = bt_kb_literals (items[i]);
		pat->pure = pat->literals && pat->literals[1] == NULL
			&& g_ascii_strcasecmp (pat->literals[0], items[i]) == 0;
		pat->entry = e;
		g_ptr_array_add (e->patterns, pat);
	}
	g_strfreev (items);
	g_free (raw);
}

static void
bt_kb_get_reason (GKeyFile *kf, const char *group, bt_kb_entry_t *e, bt_kb_ctx_t *c)
{
	char *name = bt_kb_get_string (kf, group, "reason", true, c);
	const bt_reason_t *r = bt_reason_lookup (name);

	if (name && r == NULL)
		bt_kb_problem (c, bt_kb_line (c, group, "reason"), "unknown reason '%s'", name);
	e->reason = r ? r->name : NULL;
	g_free (name);
}

/* hard defaults to the reason's own verdict for a permanent failure. */
static void
bt_kb_get_hard (GKeyFile *kf, const char *group, bt_kb_entry_t *e, bt_kb_ctx_t *c)
{
	GError *err = NULL;

	if (!g_key_file_has_key (kf, group, "hard", NULL)) {
		e->hard = e->reason && bt_reason_is_hard (e->reason, "5.0.0", "550");
		return;
	}
	e->hard = g_key_file_get_boolean (kf, group, "hard", &err);
	if (err) {
		bt_kb_problem (c, bt_kb_line (c, group, "hard"), "'hard' must be true or false");
		g_error_free (err);
	}
}

static void
bt_kb_get_priority (GKeyFile *kf, const char *group, bt_kb_entry_t *e, bt_kb_ctx_t *c)
{
	GError *err = NULL;

	if (!g_key_file_has_key (kf, group, "priority", NULL))
		return;
	e->priority = g_key_file_get_integer (kf, group, "priority", &err);
	if (err) {
		bt_kb_problem (c, bt_kb_line (c, group, "priority"), "'priority' must be an integer");
		g_error_free (err);
	}
}

static void
bt_kb_parse_entry (bt_kb_t *staged, GKeyFile *kf, const char *group, bt_kb_ctx_t *c)
{
	bt_kb_entry_t *e;

	if (!bt_kb_id_valid (group)) {
		bt_kb_problem (c, bt_kb_line (c, group, NULL),
			       "bad entry id [%s]: use lower-case words joined by '-'", group);
		return;
	}
	e = bt_kb_entry_new (group, c->path);
	bt_kb_check_keys (kf, group, bt_kb_entry_keys, c);
	bt_kb_get_reason (kf, group, e, c);
	e->title = bt_kb_get_string (kf, group, "title", true, c);
	e->explanation = bt_kb_get_string (kf, group, "explanation", true, c);
	e->advice = bt_kb_get_string (kf, group, "advice", true, c);
	e->tags = bt_kb_get_string (kf, group, "tags", false, c);
	if (e->tags == NULL && e->reason)
		e->tags = g_strconcat ("+bounce/", e->reason, NULL);
	bt_kb_get_hard (kf, group, e, c);
	bt_kb_get_priority (kf, group, e, c);
	bt_kb_get_status (kf, group, e, c);
	bt_kb_get_replycodes (kf, group, e, c);
	bt_kb_get_patterns (kf, group, e, c);
	g_ptr_array_add (staged->entries, e);
}

/* The key a meaning group is stored under: "X.1.1", "class 5" or "550";
 * NULL when the group name is not one of the three forms. */
static char *
bt_kb_meaning_key (const char *group)
{
	bt_kb_status_rule_t rule;
	const char *s;

	if (g_str_has_prefix (group, "reply "))
		return bt_kb_replycode_valid (group + 6) ? g_strdup (group + 6) : NULL;
	if (!g_str_has_prefix (group, "status "))
		return NULL;
	s = group + 7;
	if (g_str_has_prefix (s, "class "))
		return strlen (s) == 7 && strchr ("245", s[6]) && s[6] ? g_strdup (s) : NULL;
	if (s[0] != 'X' || s[1] != '.')
		return NULL;
	/* Check subject.detail with a stand-in class. */
	{
		char *probe = g_strconcat ("5", s + 1, NULL);
		bool ok = bt_kb_status_parse (probe, &rule) && rule.fixed == 3;
		char *key = ok ? g_strdup_printf ("X.%d.%d", rule.code[1], rule.code[2]) : NULL;
		g_free (probe);
		return key;
	}
}

static void
bt_kb_parse_meaning (bt_kb_t *staged, GKeyFile *kf, const char *group, bt_kb_ctx_t *c)
{
	char *key = bt_kb_meaning_key (group);
	bt_kb_meaning_t *m;

	if (key == NULL) {
		bt_kb_problem (c, bt_kb_line (c, group, NULL),
			       "bad group [%s]: expected [status X.S.D], [status class N] or [reply NNN]",
			       group);
		return;
	}
	bt_kb_check_keys (kf, group, bt_kb_meaning_keys, c);
	m = g_new0 (bt_kb_meaning_t, 1);
	m->title = bt_kb_get_string (kf, group, "title", true, c);
	m->description = bt_kb_get_string (kf, group, "description", false, c);
	g_hash_table_replace (staged->meanings, key, m);
}

static void
bt_kb_parse (bt_kb_t *staged, const char *data, gsize len, bt_kb_ctx_t *c)
{
	GKeyFile *kf;
	GError *err = NULL;
	char **groups;

	if (bt_kb_scan (c, data, len) > 0)
		return;
	kf = g_key_file_new ();
	if (!g_key_file_load_from_data (kf, data, len, G_KEY_FILE_NONE, &err)) {
		/* The scan accepts everything GKeyFile does, as far as we know. */
		bt_kb_problem (c, 1, "syntax error: %s", err->message);
		g_error_free (err);
		g_key_file_free (kf);
		return;
	}
	groups = g_key_file_get_groups (kf, NULL);
	for (guint i = 0; groups[i]; i++) {
		if (g_str_has_prefix (groups[i], "status ") || g_str_has_prefix (groups[i], "reply "))
			bt_kb_parse_meaning (staged, kf, groups[i], c);
		else
			bt_kb_parse_entry (staged, kf, groups[i], c);
	}
	g_strfreev (groups);
	g_key_file_free (kf);
}

/* ---- committing a load ---- */

static void
bt_kb_merge (bt_kb_t *kb, bt_kb_t *staged)
{
	GHashTableIter it;
	gpointer key, value;

	for (guint i = 0; i < staged->entries->len; i++) {
		bt_kb_entry_t *e = staged->entries->pdata[i];
		bt_kb_entry_t *old = g_hash_table_lookup (kb->by_id, e->id);
		g_hash_table_replace (kb->by_id, e->id, e);
		if (old) {
			/* Same id: the later file (a user's override) replaces it in place. */
			e->order = old->order;
			kb->entries->pdata[old->order] = e;
			bt_kb_entry_free (old);
		} else {
			e->order = kb->entries->len;
			g_ptr_array_add (kb->entries, e);
		}
	}
	g_ptr_array_set_free_func (staged->entries, NULL);
	g_ptr_array_set_size (staged->entries, 0);
	g_hash_table_iter_init (&it, staged->meanings);
	while (g_hash_table_iter_next (&it, &key, &value)) {
		g_hash_table_iter_steal (&it);
		g_hash_table_replace (kb->meanings, key, value);
	}
}

static gint
bt_kb_rank_cmp (gconstpointer a, gconstpointer b)
{
	const bt_kb_entry_t *x = *(const bt_kb_entry_t *const *) a;
	const bt_kb_entry_t *y = *(const bt_kb_entry_t *const *) b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static guint
bt_kb_bucket (const char *s)
{
	guint32 t = ((guint32) (guchar) s[0] << 16) | ((guint32) (guchar) s[1] << 8) | (guchar) s[2];

	return (t * 2654435761u) >> 20 & (BT_KB_BUCKETS - 1);
}

static void
bt_kb_index_pattern (bt_kb_t *kb, const bt_kb_pattern_t *pat, guint idx)
{
	if (pat->literals == NULL)
		kb->always[idx / 64] |= G_GUINT64_CONSTANT (1) << (idx % 64);
	for (guint i = 0; pat->literals && pat->literals[i]; i++) {
		bt_kb_literal_t *lit = g_new (bt_kb_literal_t, 1);
		guint b = bt_kb_bucket (pat->literals[i]);
		lit->text = pat->literals[i];
		lit->len = strlen (lit->text);
		lit->pattern = idx;
		if (kb->buckets[b] == NULL)
			kb->buckets[b] = g_ptr_array_new_with_free_func (g_free);
		g_ptr_array_add (kb->buckets[b], lit);
		kb->used[b / 64] |= G_GUINT64_CONSTANT (1) << (b % 64);
	}
}

static void
bt_kb_rebuild_index (bt_kb_t *kb)
{
	GPtrArray *ranked = g_ptr_array_copy (kb->entries, NULL, NULL);
	guint npat = 0;

	/* The copy inherits the free function; it must not own the entries. */
	g_ptr_array_set_free_func (ranked, NULL);
	bt_kb_clear_index (kb);
	g_ptr_array_sort (ranked, bt_kb_rank_cmp);
	for (guint i = 0; i < ranked->len; i++)
		npat += ((const bt_kb_entry_t *) ranked->pdata[i])->patterns->len;
	kb->always = g_new0 (guint64, (npat + 63) / 64 + 1);
	for (guint i = 0; i < ranked->len; i++) {
		const bt_kb_entry_t *e = ranked->pdata[i];
		for (guint j = 0; j < e->patterns->len; j++) {
			bt_kb_index_pattern (kb, e->patterns->pdata[j], kb->patterns->len);
			g_ptr_array_add (kb->patterns, e->patterns->pdata[j]);
		}
	}
	g_ptr_array_unref (ranked);
}

static char *
bt_kb_meaning_line (const bt_kb_meaning_t *cls, const bt_kb_meaning_t *m)
{
	GString *s = g_string_new (NULL);

	if (cls)
		g_string_append_printf (s, "%s: ", cls->title);
	g_string_append (s, m->title);
	if (m->description)
		g_string_append_printf (s, " — %s", m->description);
	return g_string_free (s, FALSE);
}

/* One line per known status code in each class, and per reply code. */
static void
bt_kb_rebuild_lines (bt_kb_t *kb)
{
	GHashTableIter it;
	gpointer key, value;

	g_hash_table_remove_all (kb->lines);
	g_hash_table_iter_init (&it, kb->meanings);
	while (g_hash_table_iter_next (&it, &key, &value)) {
		const char *k = key;
		if (g_ascii_isdigit (k[0])) {
			g_hash_table_replace (kb->lines, g_strdup (k), bt_kb_meaning_line (NULL, value));
			continue;
		}
		for (const char *cls = "245"; k[0] == 'X' && *cls; cls++) {
			char ckey[] = { 'c', 'l', 'a', 's', 's', ' ', *cls, '\0' };
			const bt_kb_meaning_t *cm = g_hash_table_lookup (kb->meanings, ckey);
			if (cm)
				g_hash_table_replace (kb->lines, g_strdup_printf ("%c%s", *cls, k + 1),
						      bt_kb_meaning_line (cm, value));
		}
	}
}

static void
bt_kb_commit (bt_kb_t *kb, bt_kb_t *staged, const char *data, gsize len)
{
	GChecksum *copy;
	guint64 n = GUINT64_TO_LE ((guint64) len);

	bt_kb_merge (kb, staged);
	bt_kb_rebuild_index (kb);
	bt_kb_rebuild_lines (kb);
	/* The length first, so file boundaries count too. */
	g_checksum_update (kb->sum, (const guchar *) &n, sizeof n);
	g_checksum_update (kb->sum, (const guchar *) data, (gssize) len);
	copy = g_checksum_copy (kb->sum);
	g_strlcpy (kb->digest, g_checksum_get_string (copy), sizeof kb->digest);
	g_checksum_free (copy);
}

bt_status_t
bt_kb_load_file (bt_kb_t *kb, const char *path, GPtrArray *problems, GError **error)
{
	GError *err = NULL;
	char *data = NULL;
	gsize len = 0;
	bt_kb_t *staged;
	bt_kb_ctx_t c = { path, NULL, NULL, NULL };
	bt_status_t st = BT_OK;

	if (!g_file_get_contents (path, &data, &len, &err)) {
		st = bt_error_set (error, BT_ERR_IO, "%s", err->message);
		g_error_free (err);
		return st;
	}
	c.problems = g_ptr_array_new_with_free_func (g_free);
	c.lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	staged = bt_kb_new ();
	bt_kb_parse (staged, data, len, &c);
	if (c.problems->len == 0)
		bt_kb_commit (kb, staged, data, len);
	else
		st = BT_ERR_PARSE;
	for (guint i = 0; problems && i < c.problems->len; i++)
		g_ptr_array_add (problems, g_strdup (c.problems->pdata[i]));
	g_ptr_array_unref (c.problems);
	g_hash_table_unref (c.lines);
	bt_kb_free (staged);
	g_free (data);
	return st;
}

static gint
bt_kb_strcmp (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

bt_status_t
bt_kb_load_dir (bt_kb_t *kb, const char *dir, GPtrArray *problems, GError **error)
{
	GError *err = NULL;
	GDir *d = g_dir_open (dir, 0, &err);
	GPtrArray *names;
	const char *name;
	bt_status_t st = BT_OK;

	if (d == NULL) {
		if (g_error_matches (err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			st = BT_OK;
		else
			st = bt_error_set (error, BT_ERR_IO, "%s", err->message);
		g_error_free (err);
		return st;
	}
	names = g_ptr_array_new_with_free_func (g_free);
	while ((name = g_dir_read_name (d)))
		if (g_str_has_suffix (name, ".kb"))
			g_ptr_array_add (names, g_build_filename (dir, name, NULL));
	g_dir_close (d);
	g_ptr_array_sort (names, bt_kb_strcmp);
	for (guint i = 0; i < names->len && st != BT_ERR_IO; i++) {
		bt_status_t one = bt_kb_load_file (kb, names->pdata[i], problems, error);
		if (one != BT_OK)
			st = one;
	}
	g_ptr_array_unref (names);
	return st;
}

/* ---- accessors ---- */

guint
bt_kb_count (const bt_kb_t *kb)
{
	return kb->entries->len;
}

const bt_kb_entry_t *
bt_kb_entry_at (const bt_kb_t *kb, guint i)
{
	return i < kb->entries->len ? kb->entries->pdata[i] : NULL;
}

const bt_kb_entry_t *
bt_kb_get (const bt_kb_t *kb, const char *id)
{
	return id ? g_hash_table_lookup (kb->by_id, id) : NULL;
}

const char *bt_kb_entry_id (const bt_kb_entry_t *e) { return e->id; }
const char *bt_kb_entry_reason (const bt_kb_entry_t *e) { return e->reason; }
const char *bt_kb_entry_title (const bt_kb_entry_t *e) { return e->title; }
const char *bt_kb_entry_explanation (const bt_kb_entry_t *e) { return e->explanation; }
const char *bt_kb_entry_advice (const bt_kb_entry_t *e) { return e->advice; }
const char *bt_kb_entry_tags (const bt_kb_entry_t *e) { return e->tags; }
bool bt_kb_entry_hard (const bt_kb_entry_t *e) { return e->hard; }
const char *bt_kb_entry_file (const bt_kb_entry_t *e) { return e->file; }
int bt_kb_entry_priority (const bt_kb_entry_t *e) { return e->priority; }

const char *
bt_kb_status_meaning (const bt_kb_t *kb, const char *status)
{
	bt_kb_status_rule_t r;
	char key[16];
	const char *line;

	if (status == NULL || !bt_kb_status_parse (status, &r) || r.fixed != 3)
		return NULL;
	/* RFC 3463: an unknown detail is read as X.S.0, an unknown subject as X.0.0. */
	g_snprintf (key, sizeof key, "%d.%d.%d", r.code[0], r.code[1], r.code[2]);
	if ((line = g_hash_table_lookup (kb->lines, key)))
		return line;
	g_snprintf (key, sizeof key, "%d.%d.0", r.code[0], r.code[1]);
	if ((line = g_hash_table_lookup (kb->lines, key)))
		return line;
	g_snprintf (key, sizeof key, "%d.0.0", r.code[0]);
	return g_hash_table_lookup (kb->lines, key);
}

const char *
bt_kb_reply_meaning (const bt_kb_t *kb, const char *replycode)
{
	return replycode ? g_hash_table_lookup (kb->lines, replycode) : NULL;
}

const char *
bt_kb_digest (const bt_kb_t *kb)
{
	return kb->digest;
}

/* ---- matching ---- */

/* Which patterns may match: a bit per pattern (by rank), set when one of
 * its literals occurs in lower, with where it first occurs in at[]. */
typedef struct {
	guint64 *bits;
	guint32 *at;
} bt_kb_cand_t;

static void
bt_kb_prefilter (const bt_kb_t *kb, const char *lower, gsize len, bt_kb_cand_t *c)
{
	for (gsize i = 0; i + BT_KB_LITERAL_MIN <= len; i++) {
		guint b = bt_kb_bucket (lower + i);
		const GPtrArray *bucket;
		if (!(kb->used[b / 64] & (G_GUINT64_CONSTANT (1) << (b % 64))))
			continue;
		bucket = kb->buckets[b];
		for (guint j = 0; j < bucket->len; j++) {
			const bt_kb_literal_t *lit = bucket->pdata[j];
			guint64 bit = G_GUINT64_CONSTANT (1) << (lit->pattern % 64);
			if ((c->bits[lit->pattern / 64] & bit) || lit->len > len - i
			    || memcmp (lower + i, lit->text, lit->len) != 0)
				continue;
			c->bits[lit->pattern / 64] |= bit;
			c->at[lit->pattern] = (guint32) i;
		}
	}
}

static bool
bt_kb_pattern_run (const bt_kb_pattern_t *pat, const char *text, gsize len, guint32 at,
		   bt_kb_hit_t *hit)
{
	GMatchInfo *info = NULL;
	gint start = 0, end = 0;
	bool ok;

	if (pat->pure) {
		start = (gint) at;
		end = start + (gint) strlen (pat->literals[0]);
		ok = true;
	} else {
		ok = g_regex_match_full (pat->re, text, (gssize) len, 0, 0, &info, NULL)
			&& g_match_info_fetch_pos (info, 0, &start, &end);
		g_match_info_free (info);
	}
	if (ok) {
		hit->entry = pat->entry;
		hit->pattern = pat->source;
		hit->start = (gsize) start;
		hit->end = (gsize) end;
	}
	return ok;
}

/* Run the candidate patterns, best entry first, one hit per entry.  With
 * same_reason, after the first hit only entries of its reason are tried:
 * that is all a verdict needs. */
static guint
bt_kb_run (const bt_kb_t *kb, const char *text, gsize n, const bt_kb_cand_t *c,
	   bt_kb_hit_t *hits, guint max, bool same_reason)
{
	const bt_kb_entry_t *last = NULL;
	guint got = 0;

	for (guint w = 0; w * 64 < kb->patterns->len && got < max; w++) {
		for (guint64 bits = c->bits[w]; bits && got < max; bits &= bits - 1) {
			guint i = w * 64 + (guint) __builtin_ctzll (bits);
			const bt_kb_pattern_t *pat = kb->patterns->pdata[i];
			if (pat->entry == last)
				continue;
			if (same_reason && got > 0 && pat->entry->reason != hits[0].entry->reason)
				continue;
			if (bt_kb_pattern_run (pat, text, n, c->at[i], &hits[got]))
				last = hits[got++].entry;
		}
	}
	return got;
}

static guint
bt_kb_match (const bt_kb_t *kb, const char *text, gssize len, bt_kb_hit_t *hits, guint max,
	     bool same_reason)
{
	char small[1024];
	guint64 bsmall[8];
	guint32 asmall[G_N_ELEMENTS (bsmall) * 64];
	gsize n = len < 0 ? strlen (text) : (gsize) len;
	guint words = (kb->patterns->len + 63) / 64, got;
	char *lower = n < sizeof small ? small : g_malloc (n);
	bool big = words > G_N_ELEMENTS (bsmall);
	bt_kb_cand_t c = { big ? g_new (guint64, words) : bsmall,
			   big ? g_new (guint32, words * 64) : asmall };

	for (gsize i = 0; i < n; i++) {
		char ch = text[i];
		lower[i] = ch >= 'A' && ch <= 'Z' ? (char) (ch + 'a' - 'A') : ch;
	}
	/* Patterns without literals always run. */
	if (words > 0)
		memcpy (c.bits, kb->always, words * sizeof *c.bits);
	bt_kb_prefilter (kb, lower, n, &c);
	got = bt_kb_run (kb, text, n, &c, hits, max, same_reason);
	if (lower != small)
		g_free (lower);
	if (big) {
		g_free (c.bits);
		g_free (c.at);
	}
	return got;
}

guint
bt_kb_match_text (const bt_kb_t *kb, const char *text, gssize len, bt_kb_hit_t *hits, guint max)
{
	return bt_kb_match (kb, text, len, hits, max, false);
}

guint
bt_kb_match_verdict (const bt_kb_t *kb, const char *text, gssize len, bt_kb_hit_t *hits, guint max)
{
	return bt_kb_match (kb, text, len, hits, max, true);
}

static bool
bt_kb_status_fits (const bt_kb_status_rule_t *rule, const bt_kb_status_rule_t *s)
{
	for (int i = 0; i < 3; i++)
		if (rule->code[i] >= 0 && rule->code[i] != s->code[i])
			return false;
	return true;
}

/* Entries are in load order: a later entry wins only when strictly better. */
const bt_kb_entry_t *
bt_kb_match_status (const bt_kb_t *kb, const char *status, const char **rule)
{
	bt_kb_status_rule_t s;
	const bt_kb_entry_t *best = NULL;
	const bt_kb_status_rule_t *best_rule = NULL;

	if (status == NULL || !bt_kb_status_parse (status, &s) || s.fixed != 3)
		return NULL;
	for (guint i = 0; i < kb->entries->len; i++) {
		const bt_kb_entry_t *e = kb->entries->pdata[i];
		for (guint j = 0; j < e->status->len; j++) {
			const bt_kb_status_rule_t *r = &g_array_index (e->status, bt_kb_status_rule_t, j);
			if (!bt_kb_status_fits (r, &s))
				continue;
			if (best_rule && (r->fixed < best_rule->fixed
					  || (r->fixed == best_rule->fixed && e->priority <= best->priority)))
				continue;
			best = e;
			best_rule = r;
		}
	}
	if (rule)
		*rule = best_rule ? best_rule->source : NULL;
	return best;
}

const bt_kb_entry_t *
bt_kb_match_replycode (const bt_kb_t *kb, const char *replycode)
{
	const bt_kb_entry_t *best = NULL;

	if (replycode == NULL)
		return NULL;
	for (guint i = 0; i < kb->entries->len; i++) {
		const bt_kb_entry_t *e = kb->entries->pdata[i];
		if (e->replycodes && g_strv_contains ((const char *const *) e->replycodes, replycode)
		    && (best == NULL || e->priority > best->priority))
			best = e;
	}
	return best;
}
