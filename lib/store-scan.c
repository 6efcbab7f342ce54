/* store-scan.c: scans: the bounce query run on a handle, each message's
 * verdict read from the cache or made by parsing its file. */
#include "config.h"

#include <string.h>
#include <unistd.h>
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
	/* The list cache (store-rows.c): rows served from the file, or the
	 * file written as the search goes.  NULL path: not this scan's. */
	char *rows_path, *rows_key;
	bt_rows_t *rows;
	bt_rows_writer_t *writer;
	guint rows_count, rows_served;
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

/* Only the main list is kept (no limit, no reparse): one file per
 * database and key, named for both.  Not when the query q depends on the
 * clock ("date:7d.."): its answer changes with no change to the database. */
static void
scan_rows_setup (bt_scan_t *scan, const char *query, const char *q, const char *key)
{
	const bt_store_t *s = scan->store;
	char *what, *sum, *name;

	if (s->cache_dir == NULL || (query && *query)
	    || (scan->flags & (BT_SCAN_RAW_QUERY | BT_SCAN_REPARSE))
	    || strstr (q, "date:") || strstr (q, "lastmod:"))
		return;
	what = g_strconcat (s->db_path, "\n", key, NULL);
	sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, what, -1);
	name = g_strdup_printf ("rows-%.32s", sum);
	scan->rows_path = g_build_filename (s->cache_dir, name, NULL);
	scan->rows_key = g_strdup (key);
	g_free (name);
	g_free (sum);
	g_free (what);
}

bt_scan_t *
bt_scan_new_on (bt_store_t *s, notmuch_database_t *db, const char *query, unsigned flags,
		GError **error)
{
	bt_scan_t *scan = g_new0 (bt_scan_t, 1);
	char *q = bt_store_scan_query (s, query, flags);
	notmuch_config_values_t *ex;
	GString *key = g_string_new (NULL);

	scan->store = s;
	scan->db = db;
	scan->flags = flags;
	scan->query = notmuch_query_create (db, q);
	if (scan->query == NULL) {
		bt_error_set (error, BT_ERR_INVALID, "query '%s': out of memory", q);
		g_free (q);
		g_free (scan);
		g_string_free (key, TRUE);
		return NULL;
	}
	g_string_printf (key, "%s\t%s\t%s", s->version, q,
			 (flags & BT_SCAN_OLDEST_FIRST) ? "oldest" : "newest");
	notmuch_query_set_sort (scan->query, (flags & BT_SCAN_OLDEST_FIRST)
				? NOTMUCH_SORT_OLDEST_FIRST : NOTMUCH_SORT_NEWEST_FIRST);
	/* As the notmuch command does: search.exclude_tags (deleted, spam...). */
	for (ex = notmuch_config_get_values (db, NOTMUCH_CONFIG_EXCLUDE_TAGS);
	     ex && notmuch_config_values_valid (ex); notmuch_config_values_move_to_next (ex)) {
		notmuch_query_add_tag_exclude (scan->query, notmuch_config_values_get (ex));
		g_string_append_printf (key, "\t-%s", notmuch_config_values_get (ex));
	}
	if (ex)
		notmuch_config_values_destroy (ex);
	scan_rows_setup (scan, query, q, key->str);
	g_string_free (key, TRUE);
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
		bt_scan_free (scan);
		return NULL;
	}
	scan->own_db_counted = true;
	s->active_scans++;
	return scan;
}

/* Serve the rows when the file is of this very revision (nothing changed
 * since it was written); otherwise write a new one as the search goes. */
static bool
scan_rows_begin (bt_scan_t *scan)
{
	const char *uuid = NULL;
	unsigned long rev = notmuch_database_get_revision (scan->db, &uuid), file_rev = 0;

	scan->rows = bt_rows_open (scan->rows_path, scan->rows_key, uuid, &file_rev,
				   &scan->rows_count);
	if (scan->rows && file_rev == rev)
		return true;
	bt_rows_close (scan->rows);
	scan->rows = NULL;
	scan->writer = bt_rows_create (scan->rows_path, scan->rows_key, uuid ? uuid : "", rev);
	return false;
}

bt_status_t
bt_scan_start (bt_scan_t *scan, GError **error)
{
	notmuch_status_t st;

	if (scan->started)
		return BT_OK;
	scan->started = true;
	if (scan->rows_path && scan_rows_begin (scan))
		return BT_OK;
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
parsed_verdict (bt_scan_t *scan, notmuch_message_t *m, bt_bounce_t **out, GError **error)
{
	char *file = NULL;
	bt_report_t *r = bt_store_parse_message (scan->store, m, &file, error);
	bt_bounce_t *b;

	if (r == NULL)
		return VERDICT_UNREADABLE;
	b = bt_bounce_from_report (m, file, r);
	bt_report_free (r);
	g_free (file);
	if (!(scan->flags & BT_SCAN_NO_CACHE)
	    && !bt_store_cache_verdict (scan->store, b->message_id, b->lane == BT_LANE_NONE ? NULL : b,
					!(scan->flags & BT_SCAN_CACHE_SOME)))
		scan->stats.uncached++;
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

/* Count a verdict in the stats; true when it lists b. */
static bool
scan_count (bt_scan_t *scan, verdict_t v, const bt_bounce_t *b)
{
	if (v == VERDICT_NOT_BOUNCE) {
		scan->stats.not_bounces++;
		return false;
	}
	scan->stats.bounces++;
	scan->stats.lanes[b->lane]++;
	return true;
}

/* The file went bad half-way: drop it and go on with the search, past
 * the rows served (at one revision the file's row i is the query's
 * message i).  False when the search cannot start. */
static bool
scan_rows_fall_back (bt_scan_t *scan)
{
	bt_rows_close (scan->rows);
	scan->rows = NULL;
	unlink (scan->rows_path);
	if (notmuch_query_search_messages (scan->query, &scan->messages) != NOTMUCH_STATUS_SUCCESS)
		return false;
	for (guint i = 0; i < scan->rows_served && notmuch_messages_valid (scan->messages); i++)
		notmuch_messages_move_to_next (scan->messages);
	return true;
}

/* The next row of the file: its verdict, VERDICT_UNKNOWN at its end or
 * when it is not to be trusted (scan->rows is then NULL). */
static verdict_t
scan_rows_next (bt_scan_t *scan, bt_bounce_t **out)
{
	const char *id;

	switch (bt_rows_next (scan->rows, &id)) {
	case BT_ROW_END:
		if (scan->rows_served == scan->rows_count) {
			scan->done = true;
			return VERDICT_UNKNOWN;
		}
		break;
	case BT_ROW_NOT_BOUNCE:
		scan->rows_served++;
		return VERDICT_NOT_BOUNCE;
	case BT_ROW_BOUNCE:
		if ((*out = bt_rows_bounce (scan->rows)) == NULL)
			break;
		scan->rows_served++;
		return VERDICT_BOUNCE;
	case BT_ROW_BAD:
		break;
	}
	if (!scan_rows_fall_back (scan))
		scan->done = true;
	return VERDICT_UNKNOWN;
}

/* The next message of the search: its verdict, written to the list cache
 * when one is being written; VERDICT_UNKNOWN at the end. */
static verdict_t
scan_search_next (bt_scan_t *scan, bt_bounce_t **out, GError **error)
{
	notmuch_message_t *m;
	verdict_t v;

	if (scan->messages == NULL || !notmuch_messages_valid (scan->messages)) {
		scan->done = true;
		return VERDICT_UNKNOWN;
	}
	m = notmuch_messages_get (scan->messages);
	notmuch_messages_move_to_next (scan->messages);
	scan->stats.matched++;
	v = message_verdict (scan, m, out, error);
	if (scan->writer && v == VERDICT_UNREADABLE) {
		/* a list with a hole would hide the message next time */
		bt_rows_abort (scan->writer);
		scan->writer = NULL;
	} else if (scan->writer && v == VERDICT_BOUNCE) {
		bt_rows_put_bounce (scan->writer, *out);
	} else if (scan->writer) {
		bt_rows_put_not_bounce (scan->writer, notmuch_message_get_message_id (m));
	}
	notmuch_message_destroy (m);
	return v;
}

bt_bounce_t *
bt_scan_next (bt_scan_t *scan, GError **error)
{
	if (!scan->started && bt_scan_start (scan, error) != BT_OK)
		return NULL;
	while (!scan->done) {
		bt_bounce_t *b = NULL;
		verdict_t v;

		if (scan->rows) {
			v = scan_rows_next (scan, &b);
			if (v == VERDICT_UNKNOWN)
				continue;
			scan->stats.matched++;
			scan->stats.cached++;
		} else {
			v = scan_search_next (scan, &b, error);
			if (v == VERDICT_UNREADABLE)
				return NULL;
			if (v == VERDICT_UNKNOWN)
				break;
		}
		if (scan_count (scan, v, b))
			return b;
	}
	if (scan->writer) {
		bt_rows_commit (scan->writer);
		scan->writer = NULL;
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

	if (scan->rows)
		return scan->rows_count;
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
	bt_rows_close (scan->rows);
	bt_rows_abort (scan->writer);
	g_free (scan->rows_path);
	g_free (scan->rows_key);
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
