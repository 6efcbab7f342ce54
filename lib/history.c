/* history.c: per address, recipient domain and remote MTA: how often each
 * failed, when first and last, for which reasons; and the suppression list. */
#include "config.h"

#include <string.h>
#include "bouncetriage/history.h"
#include "store-private.h"

typedef struct {
	bt_history_entry_t pub;
	GPtrArray *reasons;   /* of const char * (in the chunk), NULL-terminated */
} entry_t;

struct bt_history {
	char *reactivated_tag;
	GStringChunk *strings;
	GHashTable *map[BT_HISTORY_KINDS];      /* key -> entry_t * */
	GPtrArray *sorted[BT_HISTORY_KINDS];    /* NULL when stale */
};

static void
entry_free (entry_t *e)
{
	g_ptr_array_unref (e->reasons);
	g_free (e);
}

bt_history_t *
bt_history_new (const char *reactivated_tag)
{
	bt_history_t *h = g_new0 (bt_history_t, 1);

	/* The setting is written "+tag": keep the tag itself. */
	while (reactivated_tag && (*reactivated_tag == '+' || *reactivated_tag == ' '))
		reactivated_tag++;
	h->reactivated_tag = g_strdup (reactivated_tag && *reactivated_tag ? reactivated_tag
				       : "bounce/reactivated");
	/* Only the first word counts ("+bounce/reactivated -inbox"). */
	h->reactivated_tag[strcspn (h->reactivated_tag, " \t")] = '\0';
	h->strings = g_string_chunk_new (4096);
	for (int k = 0; k < BT_HISTORY_KINDS; k++)
		h->map[k] = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
						   (GDestroyNotify) entry_free);
	return h;
}

void
bt_history_free (bt_history_t *h)
{
	if (h == NULL)
		return;
	for (int k = 0; k < BT_HISTORY_KINDS; k++) {
		g_hash_table_unref (h->map[k]);
		if (h->sorted[k])
			g_ptr_array_unref (h->sorted[k]);
	}
	g_string_chunk_free (h->strings);
	g_free (h->reactivated_tag);
	g_free (h);
}

/* The entry of key (lower case) in map kind, new when first seen. */
static entry_t *
history_entry (bt_history_t *h, bt_history_kind_t kind, const char *key, gint64 date)
{
	char *lc = g_ascii_strdown (key, -1);
	entry_t *e = g_hash_table_lookup (h->map[kind], lc);

	if (e == NULL) {
		e = g_new0 (entry_t, 1);
		e->pub.key = g_string_chunk_insert_const (h->strings, lc);
		e->pub.first_seen = date;
		e->pub.last_seen = date;
		e->reasons = g_ptr_array_new ();
		g_ptr_array_add (e->reasons, NULL);
		g_hash_table_insert (h->map[kind], (char *) e->pub.key, e);
	}
	g_free (lc);
	return e;
}

/* reason added to e's list (NULL-terminated) unless it is there. */
static void
entry_add_reason (bt_history_t *h, entry_t *e, const char *reason)
{
	for (guint i = 0; i + 1 < e->reasons->len; i++)
		if (strcmp (e->reasons->pdata[i], reason) == 0)
			return;
	e->reasons->pdata[e->reasons->len - 1] = g_string_chunk_insert_const (h->strings, reason);
	g_ptr_array_add (e->reasons, NULL);
}

static void
history_count (bt_history_t *h, bt_history_kind_t kind, const char *key,
	       const bt_bounce_rcpt_t *r, gint64 date, bool reactivated)
{
	entry_t *e;

	if (key == NULL || *key == '\0')
		return;
	e = history_entry (h, kind, key, date);
	e->pub.count++;
	if (r->hard)
		e->pub.hard++;
	if (reactivated)
		e->pub.reactivated++;
	if (r->hard && !reactivated && kind == BT_HISTORY_ADDRESS)
		e->pub.suppressed = true;
	if (date < e->pub.first_seen)
		e->pub.first_seen = date;
	if (date >= e->pub.last_seen) {
		e->pub.last_seen = date;
		e->pub.last_reason = r->reason ? g_string_chunk_insert_const (h->strings, r->reason) : NULL;
		e->pub.last_status = r->status ? g_string_chunk_insert_const (h->strings, r->status) : NULL;
	}
	if (e->pub.last_reason == NULL && r->reason)
		e->pub.last_reason = g_string_chunk_insert_const (h->strings, r->reason);
	if (r->reason)
		entry_add_reason (h, e, r->reason);
	e->pub.reasons = (const char *const *) e->reasons->pdata;
	g_clear_pointer (&h->sorted[kind], g_ptr_array_unref);
}

void
bt_history_add (bt_history_t *h, const bt_bounce_t *b)
{
	bool reactivated = bt_bounce_has_tag (b, h->reactivated_tag);

	for (guint i = 0; i < b->n_rcpt; i++) {
		const bt_bounce_rcpt_t *r = &b->rcpt[i];
		if (r->lane != BT_LANE_FAILURE)
			continue;
		history_count (h, BT_HISTORY_ADDRESS, r->recipient, r, b->date, reactivated);
		history_count (h, BT_HISTORY_DOMAIN, r->domain, r, b->date, reactivated);
		history_count (h, BT_HISTORY_MTA, r->remote_mta, r, b->date, reactivated);
	}
}

static void
history_add_one (const bt_bounce_t *b, gpointer h)
{
	bt_history_add (h, b);
}

bt_history_t *
bt_store_history (bt_store_t *store, GPtrArray *problems, GError **error)
{
	const bt_settings_t *set = bt_store_settings (store);
	char *q = g_strdup_printf ("(%s) or property:" BT_STORE_PROPERTY_PREFIX "lane=failures",
				   bt_settings_get (set, "query.bounces"));
	bt_history_t *h = bt_history_new (bt_settings_get (set, "tags.reactivated"));

	if (bt_store_scan_each (store, q, history_add_one, h, problems, error) != BT_OK) {
		bt_history_free (h);
		h = NULL;
	}
	g_free (q);
	return h;
}

static int
entry_rank (gconstpointer a, gconstpointer b)
{
	const entry_t *x = *(entry_t *const *) a, *y = *(entry_t *const *) b;

	if (x->pub.count != y->pub.count)
		return x->pub.count > y->pub.count ? -1 : 1;
	if (x->pub.last_seen != y->pub.last_seen)
		return x->pub.last_seen > y->pub.last_seen ? -1 : 1;
	return strcmp (x->pub.key, y->pub.key);
}

static GPtrArray *
history_sorted (const bt_history_t *ch, bt_history_kind_t kind)
{
	bt_history_t *h = (bt_history_t *) ch;

	if (h->sorted[kind] == NULL) {
		GHashTableIter it;
		gpointer v;

		h->sorted[kind] = g_ptr_array_new ();
		g_hash_table_iter_init (&it, h->map[kind]);
		while (g_hash_table_iter_next (&it, NULL, &v))
			g_ptr_array_add (h->sorted[kind], v);
		g_ptr_array_sort (h->sorted[kind], entry_rank);
	}
	return h->sorted[kind];
}

guint
bt_history_count (const bt_history_t *h, bt_history_kind_t kind)
{
	return (unsigned) kind < BT_HISTORY_KINDS ? g_hash_table_size (h->map[kind]) : 0;
}

const bt_history_entry_t *
bt_history_at (const bt_history_t *h, bt_history_kind_t kind, guint i)
{
	GPtrArray *a;

	if ((unsigned) kind >= BT_HISTORY_KINDS)
		return NULL;
	a = history_sorted (h, kind);
	return i < a->len ? &((entry_t *) a->pdata[i])->pub : NULL;
}

const bt_history_entry_t *
bt_history_lookup (const bt_history_t *h, bt_history_kind_t kind, const char *key)
{
	char *lc;
	entry_t *e;

	if ((unsigned) kind >= BT_HISTORY_KINDS || key == NULL)
		return NULL;
	lc = g_ascii_strdown (key, -1);
	e = g_hash_table_lookup (h->map[kind], lc);
	g_free (lc);
	return e ? &e->pub : NULL;
}

static int
entry_by_key (gconstpointer a, gconstpointer b)
{
	return strcmp ((*(entry_t *const *) a)->pub.key, (*(entry_t *const *) b)->pub.key);
}

/* One CSV cell: quoted when needed; a leading = + - @ is defused so a
 * spreadsheet does not run it as a formula (the address comes from mail). */
static void
csv_cell (GString *out, const char *v)
{
	bool quote;

	v = v ? v : "";
	quote = strpbrk (v, ",\"\r\n") != NULL || (*v && strchr ("=+-@", *v) != NULL);
	if (!quote) {
		g_string_append (out, v);
		return;
	}
	g_string_append_c (out, '"');
	if (*v && strchr ("=+-@", *v))
		g_string_append_c (out, '\'');
	for (; *v; v++) {
		if (*v == '"')
			g_string_append_c (out, '"');
		g_string_append_c (out, *v);
	}
	g_string_append_c (out, '"');
}

static void
iso_date (GString *out, gint64 t)
{
	GDateTime *d = g_date_time_new_from_unix_utc (t);
	char *s = d ? g_date_time_format (d, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");

	g_string_append (out, s);
	g_free (s);
	if (d)
		g_date_time_unref (d);
}

void
bt_history_suppressions (const bt_history_t *h, bool csv, GString *out)
{
	GPtrArray *list = g_ptr_array_new ();
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init (&it, h->map[BT_HISTORY_ADDRESS]);
	while (g_hash_table_iter_next (&it, NULL, &v))
		if (((entry_t *) v)->pub.suppressed)
			g_ptr_array_add (list, v);
	g_ptr_array_sort (list, entry_by_key);
	if (csv)
		g_string_append (out, "address,reason,status,first_seen,last_seen,count\r\n");
	for (guint i = 0; i < list->len; i++) {
		const bt_history_entry_t *e = &((entry_t *) list->pdata[i])->pub;
		if (!csv) {
			g_string_append_printf (out, "%s\n", e->key);
			continue;
		}
		csv_cell (out, e->key);
		g_string_append_c (out, ',');
		csv_cell (out, e->last_reason);
		g_string_append_c (out, ',');
		csv_cell (out, e->last_status);
		g_string_append_c (out, ',');
		iso_date (out, e->first_seen);
		g_string_append_c (out, ',');
		iso_date (out, e->last_seen);
		g_string_append_printf (out, ",%u\r\n", e->count);
	}
	g_ptr_array_unref (list);
}
