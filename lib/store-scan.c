/* store-scan.c: scans: the bounce query run on a handle, each message's
 * verdict read from the cache or made by parsing its file. */
#include "config.h"

#include <string.h>
#include "bouncetriage/query.h"
#include "store-private.h"

struct bt_scan {
	bt_store_t *store;
	notmuch_database_t *db;
	bool own_db_counted;      /* counted in store->active_scans */
	notmuch_query_t *query;
	notmuch_messages_t *messages;
	unsigned flags;
	bool started, done;
	bt_scan_stats_t stats;
};

char *
bt_store_scan_query (const bt_store_t *s, const char *query, unsigned flags)
{
	if (flags & BT_SCAN_RAW_QUERY)
		return g_strdup (query && *query ? query : "*");
	if (flags & BT_SCAN_ALL) {
		const char *b = bt_settings_get (s->settings, "query.bounces");
		if (query && *query)
			return g_strdup_printf ("(%s) and (%s)", b, query);
		return g_strdup_printf ("(%s)", b);
	}
	return bt_settings_bounce_query (s->settings, query);
}

bt_scan_t *
bt_scan_new_on (bt_store_t *s, notmuch_database_t *db, const char *query, unsigned flags,
		GError **error)
{
	bt_scan_t *scan = g_new0 (bt_scan_t, 1);
	char *q = bt_store_scan_query (s, query, flags);
	notmuch_config_values_t *ex;

	scan->store = s;
	scan->db = db;
	scan->flags = flags;
	scan->query = notmuch_query_create (db, q);
	if (scan->query == NULL) {
		bt_error_set (error, BT_ERR_INVALID, "query '%s': out of memory", q);
		g_free (q);
		g_free (scan);
		return NULL;
	}
	notmuch_query_set_sort (scan->query, (flags & BT_SCAN_OLDEST_FIRST)
				? NOTMUCH_SORT_OLDEST_FIRST : NOTMUCH_SORT_NEWEST_FIRST);
	/* As the notmuch command does: search.exclude_tags (deleted, spam...). */
	for (ex = notmuch_config_get_values (db, NOTMUCH_CONFIG_EXCLUDE_TAGS);
	     ex && notmuch_config_values_valid (ex); notmuch_config_values_move_to_next (ex))
		notmuch_query_add_tag_exclude (scan->query, notmuch_config_values_get (ex));
	if (ex)
		notmuch_config_values_destroy (ex);
	g_free (q);
	return scan;
}

bt_scan_t *
bt_scan_new (bt_store_t *s, const char *query, unsigned flags, GError **error)
{
	bt_scan_t *scan;

	bt_store_refresh (s);
	scan = bt_scan_new_on (s, s->db, query, flags, error);
	if (scan == NULL)
		return NULL;
	/* Check the query now, so a typo is reported at once. */
	if (bt_scan_start (scan, error) != BT_OK) {
		notmuch_query_destroy (scan->query);
		g_free (scan);
		return NULL;
	}
	scan->own_db_counted = true;
	s->active_scans++;
	return scan;
}

bt_status_t
bt_scan_start (bt_scan_t *scan, GError **error)
{
	notmuch_status_t st;

	if (scan->started)
		return BT_OK;
	scan->started = true;
	st = notmuch_query_search_messages (scan->query, &scan->messages);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		scan->done = true;
		return bt_error_set (error, BT_ERR_INVALID, "bad query '%s': %s",
				     notmuch_query_get_query_string (scan->query),
				     notmuch_status_to_string (st));
	}
	return BT_OK;
}

typedef enum {
	VERDICT_UNKNOWN,       /* nothing (trustworthy) cached */
	VERDICT_NOT_BOUNCE,
	VERDICT_BOUNCE,
	VERDICT_UNREADABLE,    /* no file could be read */
} verdict_t;

/* The verdict cached in m's properties, when it is of this version and
 * complete; *out (bt_bounce_free) for a bounce. */
static verdict_t
cached_verdict (const bt_scan_t *scan, notmuch_message_t *m, bt_bounce_t **out)
{
	const char *version = NULL, *lane_name = NULL;
	bt_lane_t lane;

	if ((scan->flags & BT_SCAN_REPARSE)
	    || notmuch_message_get_property (m, P "version", &version) != NOTMUCH_STATUS_SUCCESS
	    || version == NULL || strcmp (version, scan->store->version) != 0
	    || notmuch_message_get_property (m, P "lane", &lane_name) != NOTMUCH_STATUS_SUCCESS
	    || lane_name == NULL)
		return VERDICT_UNKNOWN;
	lane = bt_store_lane_from_name (lane_name);
	if (lane == BT_LANE_NONE && strcmp (lane_name, "none") == 0)
		return VERDICT_NOT_BOUNCE;
	/* An unknown lane or no record: not ours to trust, parse. */
	if (lane == BT_LANE_NONE)
		return VERDICT_UNKNOWN;
	*out = bt_bounce_from_properties (m, lane);
	if ((*out)->n_rcpt == 0) {
		bt_bounce_free (*out);
		*out = NULL;
		return VERDICT_UNKNOWN;
	}
	return VERDICT_BOUNCE;
}

/* The verdict of parsing m's file, queued for caching unless the scan
 * says not to; *out (bt_bounce_free) for a bounce. */
static verdict_t
parsed_verdict (const bt_scan_t *scan, notmuch_message_t *m, bt_bounce_t **out, GError **error)
{
	char *file = NULL;
	bt_report_t *r = bt_store_parse_message (scan->store, m, &file, error);
	bt_bounce_t *b;

	if (r == NULL)
		return VERDICT_UNREADABLE;
	b = bt_bounce_from_report (m, file, r);
	bt_report_free (r);
	g_free (file);
	if (!(scan->flags & BT_SCAN_NO_CACHE))
		bt_store_cache_verdict (scan->store, b->message_id, b->lane == BT_LANE_NONE ? NULL : b);
	if (b->lane == BT_LANE_NONE) {
		bt_bounce_free (b);
		return VERDICT_NOT_BOUNCE;
	}
	*out = b;
	return VERDICT_BOUNCE;
}

/* m's verdict, cached or parsed, counted in the scan's stats. */
static verdict_t
message_verdict (bt_scan_t *scan, notmuch_message_t *m, bt_bounce_t **out, GError **error)
{
	verdict_t v = cached_verdict (scan, m, out);

	if (v != VERDICT_UNKNOWN) {
		scan->stats.cached++;
		return v;
	}
	v = parsed_verdict (scan, m, out, error);
	if (v == VERDICT_UNREADABLE)
		scan->stats.unreadable++;
	else
		scan->stats.parsed++;
	return v;
}

bt_bounce_t *
bt_scan_next (bt_scan_t *scan, GError **error)
{
	if (!scan->started && bt_scan_start (scan, error) != BT_OK)
		return NULL;
	while (!scan->done) {
		bt_bounce_t *b = NULL;
		notmuch_message_t *m;
		verdict_t v;

		if (scan->messages == NULL || !notmuch_messages_valid (scan->messages)) {
			scan->done = true;
			break;
		}
		m = notmuch_messages_get (scan->messages);
		notmuch_messages_move_to_next (scan->messages);
		scan->stats.matched++;
		v = message_verdict (scan, m, &b, error);
		notmuch_message_destroy (m);
		if (v == VERDICT_UNREADABLE)
			return NULL;
		if (v == VERDICT_NOT_BOUNCE) {
			scan->stats.not_bounces++;
			continue;
		}
		scan->stats.bounces++;
		scan->stats.lanes[b->lane]++;
		return b;
	}
	return NULL;
}

bool
bt_scan_done (const bt_scan_t *scan)
{
	return scan->done;
}

const bt_scan_stats_t *
bt_scan_stats (const bt_scan_t *scan)
{
	return &scan->stats;
}

guint
bt_scan_total (bt_scan_t *scan)
{
	unsigned int count = 0;

	if (notmuch_query_count_messages (scan->query, &count) != NOTMUCH_STATUS_SUCCESS)
		return 0;
	return count;
}

void
bt_scan_free (bt_scan_t *scan)
{
	if (scan == NULL)
		return;
	if (scan->messages)
		notmuch_messages_destroy (scan->messages);
	notmuch_query_destroy (scan->query);
	if (scan->own_db_counted)
		scan->store->active_scans--;
	/* Whatever was parsed gets cached soon, not only when a batch fills. */
	bt_store_flush_cache (scan->store);
	g_free (scan);
}

bt_status_t
bt_store_scan_each (bt_store_t *s, const char *query, bt_scan_each_fn fn, gpointer data,
		    GPtrArray *problems, GError **error)
{
	bt_scan_t *scan = bt_scan_new (s, query, BT_SCAN_RAW_QUERY, error);

	if (scan == NULL)
		return BT_ERR_INVALID;
	while (!bt_scan_done (scan)) {
		GError *e = NULL;
		bt_bounce_t *b = bt_scan_next (scan, &e);

		if (e) {
			if (problems)
				g_ptr_array_add (problems, g_strdup (e->message));
			g_error_free (e);
		}
		if (b) {
			fn (b, data);
			bt_bounce_free (b);
		}
	}
	bt_scan_free (scan);
	return BT_OK;
}

typedef struct {
	const char *addr;
	GPtrArray *out;
} address_search_t;

static void
address_match (const bt_bounce_t *b, gpointer data)
{
	address_search_t *as = data;

	for (guint i = 0; i < b->n_rcpt; i++)
		if (b->rcpt[i].recipient && strcmp (b->rcpt[i].recipient, as->addr) == 0) {
			g_ptr_array_add (as->out, g_strdup (b->message_id));
			return;
		}
}

bt_status_t
bt_store_address_messages (bt_store_t *s, const char *address, GPtrArray *out, GError **error)
{
	char *addr = g_ascii_strdown (address ? address : "", -1);
	char *term = bt_query_recipient (g_strstrip (addr));
	char *q = g_strdup_printf ("(%s) or %s", bt_settings_get (s->settings, "query.bounces"), term);
	address_search_t as = { addr, out };
	guint had = out->len;
	bt_status_t status;

	if (*addr == '\0') {
		status = bt_error_set (error, BT_ERR_INVALID, "no address given");
		goto done;
	}
	/* An unreadable message cannot be about addr: no problems kept. */
	status = bt_store_scan_each (s, q, address_match, &as, NULL, error);
	if (status == BT_OK && out->len == had)
		status = bt_error_set (error, BT_ERR_NOTFOUND, "no bounce for %s in the database", addr);
done:
	g_free (q);
	g_free (term);
	g_free (addr);
	return status;
}
