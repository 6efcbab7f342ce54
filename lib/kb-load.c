/* kb-load.c: loading the knowledge base.  Key files (GKeyFile) of
 * entries and code meanings; their rules compiled once at load.  GKeyFile
 * does the parsing; kb-lines.c says where each problem is. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "bouncetriage/reason.h"
#include "kb-private.h"
#include "strv.h"

static const char *const bt_kb_entry_keys[] = {
	"reason", "title", "explanation", "advice", "hard", "tags",
	"status", "replycode", "pattern", "priority", NULL
};
static const char *const bt_kb_meaning_keys[] = { "title", "description", NULL };
/* Keys that may carry a [locale] suffix (GKeyFile's translations). */
static const char *const bt_kb_localized_keys[] = {
	"title", "explanation", "advice", "description", NULL
};

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

static void
bt_kb_get_patterns (GKeyFile *kf, const char *group, bt_kb_entry_t *e, bt_kb_ctx_t *c)
{
	/* Raw: GKeyFile's escapes (\s is a space) would corrupt regexes. */
	char *raw = g_key_file_get_value (kf, group, "pattern", NULL);
	char **items = raw ? bt_kb_split_raw (raw) : NULL;

	for (guint i = 0; items && items[i]; i++) {
		GError *err = NULL;
		GRegex *re = g_regex_new (items[i], G_REGEX_CASELESS, 0, &err);
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
	g_ptr_array_sort (names, bt_strv_cmp);
	for (guint i = 0; i < names->len && st != BT_ERR_IO; i++) {
		bt_status_t one = bt_kb_load_file (kb, names->pdata[i], problems, error);
		if (one != BT_OK)
			st = one;
	}
	g_ptr_array_unref (names);
	return st;
}
