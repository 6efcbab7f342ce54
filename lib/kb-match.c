/* kb-match.c: the trigram index of the patterns' literals, rebuilt after
 * each load, and the matching the classifier runs for every record. */
#include "config.h"

#include <string.h>
#include "kb-private.h"

void
bt_kb_clear_index (bt_kb_t *kb)
{
	for (guint i = 0; i < BT_KB_BUCKETS; i++)
		g_clear_pointer (&kb->buckets[i], g_ptr_array_unref);
	memset (kb->used, 0, sizeof kb->used);
	g_ptr_array_set_size (kb->patterns, 0);
	g_clear_pointer (&kb->always, g_free);
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

void
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

/* The pattern's JIT-compiled regex, made on its first run.  Should that
 * compile fail (it compiled once already), the plain one does. */
static GRegex *
bt_kb_pattern_regex (const bt_kb_pattern_t *pat)
{
	bt_kb_pattern_t *cache = (bt_kb_pattern_t *) pat;
	GRegex *re = g_atomic_pointer_get (&cache->jit);

	if (re != NULL)
		return re;
	re = g_regex_new (pat->source, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
	if (re == NULL)
		return pat->re;
	if (!g_atomic_pointer_compare_and_exchange (&cache->jit, NULL, re)) {
		g_regex_unref (re);
		re = g_atomic_pointer_get (&cache->jit);
	}
	return re;
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
		ok = g_regex_match_full (bt_kb_pattern_regex (pat), text, (gssize) len, 0, 0, &info, NULL)
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
