/* kb.c: the knowledge base: its entries and code meanings, and the
 * look-ups the rest of the program makes.  Loading is in kb-load.c, the
 * matching the classifier runs for every record in kb-match.c. */
#include "config.h"

#include <string.h>
#include "kb-private.h"

static void
bt_kb_pattern_free (gpointer p)
{
	bt_kb_pattern_t *pat = p;

	if (pat->re)
		g_regex_unref (pat->re);
	if (pat->jit)
		g_regex_unref (pat->jit);
	g_free (pat->source);
	g_strfreev (pat->literals);
	g_free (pat);
}

static void
bt_kb_status_rule_clear (gpointer p)
{
	g_free (((bt_kb_status_rule_t *) p)->source);
}

bt_kb_entry_t *
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

void
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

/* "5.1.1", "5.1.*", "*.1.1": class 2, 4, 5 or '*'; subject and detail up
 * to three digits or '*'; not all three '*'. */
bool
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
void
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
	/* C.0.9NN is the classifier's pseudo code (classify.c), not a server's. */
	if (r.code[1] == 0 && r.code[2] >= 900)
		return "No status code in the bounce: derived from the reason "
			"(a pseudo code outside the RFC 3463 registry)";
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
