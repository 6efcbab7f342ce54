/* store-cache.c: verdicts cached in message properties.
 *
 * The format (see store.h) is written here and read here: a verdict is
 * queued by the scan, batched, and written by the worker. */
#include "config.h"

#include <string.h>
#include "store-private.h"

/* Verdicts are written in batches of this many messages. */
#define CACHE_BATCH 500

/* A property value: valid UTF-8, no tab or line break, at most PROP_MAX
 * bytes cut at a character boundary (g_free). */
static char *
prop_clip (const char *v)
{
	char *s = g_utf8_make_valid (v ? v : "", -1);
	char *end;

	for (char *p = s; *p; p++)
		if ((unsigned char) *p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (strlen (s) > PROP_MAX) {
		end = g_utf8_find_prev_char (s, s + PROP_MAX + 1);
		if (end)
			*end = '\0';
	}
	return s;
}

/* The record property: index, then the fields, tab-separated. */
enum { REC_INDEX, REC_RECIPIENT, REC_DOMAIN, REC_REASON, REC_STATUS, REC_REPLYCODE,
       REC_KB, REC_MTA, REC_HARD, REC_LANE, REC_N };

/* A record property's value added to rc (the bounce's recipients, their
 * strings in b); a value that is not a record is passed over. */
static void
record_parse (bt_bounce_t *b, GArray *rc, const char *value)
{
	char **f = g_strsplit (value, "\t", REC_N);

	if (g_strv_length (f) == REC_N) {
		const bt_bounce_rcpt_t raw = {
			.recipient = f[REC_RECIPIENT], .domain = f[REC_DOMAIN],
			.reason = f[REC_REASON], .status = f[REC_STATUS],
			.replycode = f[REC_REPLYCODE], .kb = f[REC_KB],
			.remote_mta = f[REC_MTA], .hard = strcmp (f[REC_HARD], "1") == 0,
			.lane = bt_store_lane_from_name (f[REC_LANE]),
		};
		bt_bounce_rcpt_t d;

		bt_bounce_rcpt_set (b, &d, &raw);
		g_array_append_val (rc, d);
	}
	g_strfreev (f);
}

/* The message-level properties of a verdict, by key without the prefix. */
static const char *const top_keys[] = { "origid", "subject", "origto" };

bt_bounce_t *
bt_bounce_from_properties (notmuch_message_t *m, bt_lane_t lane)
{
	bt_bounce_t *b = bt_bounce_new ();
	GArray *rc = g_array_new (FALSE, TRUE, sizeof (bt_bounce_rcpt_t));
	const char **top[] = { &b->orig_message_id, &b->orig_subject, &b->orig_to };
	notmuch_message_properties_t *p;

	bt_bounce_fill_message (b, m, NULL);
	b->lane = lane;
	b->from_cache = true;
	/* One walk over our properties, not one look-up per key. Values
	 * come sorted: the index prefix keeps the report's order. */
	for (p = notmuch_message_get_properties (m, P, FALSE);
	     notmuch_message_properties_valid (p); notmuch_message_properties_move_to_next (p)) {
		const char *key = notmuch_message_properties_key (p) + strlen (P);
		const char *value = notmuch_message_properties_value (p);

		if (strcmp (key, "record") == 0) {
			record_parse (b, rc, value);
			continue;
		}
		for (guint k = 0; k < G_N_ELEMENTS (top_keys); k++)
			if (*top[k] == NULL && strcmp (key, top_keys[k]) == 0)
				*top[k] = bt_bounce_str (b, value);
	}
	notmuch_message_properties_destroy (p);
	b->n_rcpt = rc->len;
	b->rcpt = (bt_bounce_rcpt_t *) g_array_free (rc, FALSE);
	return b;
}

void
bt_cache_item_free (cache_item_t *c)
{
	g_free (c->message_id);
	g_ptr_array_unref (c->props);
	g_free (c);
}

static void
props_add (GPtrArray *props, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	g_ptr_array_add (props, g_strdup (key));
	g_ptr_array_add (props, prop_clip (value));
}

/* A record field stored as it is: no tab or control character. */
static bool
field_plain (const char *v)
{
	for (; v && *v; v++)
		if ((unsigned char) *v < 0x20 || *v == 0x7f)
			return false;
	return true;
}

/* The record property of recipient i of a bounce: index, then the
 * fields, tab-separated (g_free); NULL when it cannot be stored exactly. */
static char *
record_value (guint i, const bt_bounce_rcpt_t *r)
{
	const char *f[REC_N] = {
		[REC_RECIPIENT] = r->recipient, [REC_DOMAIN] = r->domain,
		[REC_REASON] = r->reason, [REC_STATUS] = r->status,
		[REC_REPLYCODE] = r->replycode, [REC_KB] = r->kb,
		[REC_MTA] = "", [REC_HARD] = r->hard ? "1" : "0",
		[REC_LANE] = bt_lane_name (r->lane),
	};
	char idx[16], *mta, **parts, *value;
	gsize len = 0;

	g_snprintf (idx, sizeof idx, "%03u", i);
	f[REC_INDEX] = idx;
	for (int k = 0; k < REC_N; k++) {
		if (!field_plain (f[k]))
			return NULL;
		len += (f[k] ? strlen (f[k]) : 0) + 1;
	}
	if (len + 8 > PROP_MAX)
		return NULL;
	/* The remote MTA is only shown: it may be cut to what is left. */
	mta = prop_clip (r->remote_mta);
	if (len + strlen (mta) > PROP_MAX)
		*g_utf8_find_prev_char (mta, mta + (PROP_MAX - len) + 1) = '\0';
	parts = g_new0 (char *, REC_N + 1);
	for (int k = 0; k < REC_N; k++)
		parts[k] = k == REC_MTA ? mta : g_strdup (f[k] ? f[k] : "");
	value = g_strjoinv ("\t", parts);
	g_strfreev (parts);
	return value;
}

/* The searchable properties of one recipient: one value per field. */
static void
rcpt_props (GPtrArray *props, const bt_bounce_rcpt_t *r)
{
	props_add (props, P "recipient", r->recipient);
	props_add (props, P "domain", r->domain);
	props_add (props, P "reason", r->reason);
	props_add (props, P "status", r->status);
	props_add (props, P "replycode", r->replycode);
	props_add (props, P "kb", r->kb);
	props_add (props, P "mta", r->remote_mta);
	props_add (props, P "hard", r->hard ? "true" : "false");
}

/* The properties that cache b's verdict (b NULL: not a bounce), or NULL
 * when the verdict cannot be stored exactly (a field too long for a
 * Xapian term, or with control characters): that message is then parsed
 * on every scan, which is slower but right. */
static cache_item_t *
cache_item_for (const bt_store_t *s, const char *message_id, const bt_bounce_t *b)
{
	cache_item_t *c = g_new0 (cache_item_t, 1);

	c->message_id = g_strdup (message_id);
	c->props = g_ptr_array_new_with_free_func (g_free);
	props_add (c->props, P "lane", bt_lane_name (b ? b->lane : BT_LANE_NONE));
	for (guint i = 0; b && i < b->n_rcpt; i++) {
		char *record = record_value (i, &b->rcpt[i]);

		if (record == NULL) {
			bt_cache_item_free (c);
			return NULL;
		}
		g_ptr_array_add (c->props, g_strdup (P "record"));
		g_ptr_array_add (c->props, record);
		rcpt_props (c->props, &b->rcpt[i]);
	}
	if (b) {
		props_add (c->props, P "origid", b->orig_message_id);
		props_add (c->props, P "subject", b->orig_subject);
		props_add (c->props, P "origto", b->orig_to);
	}
	/* Last: a message whose properties were not all written has no
	 * version and is parsed again. */
	props_add (c->props, P "version", s->version);
	return c;
}

/* The pending verdicts as one write job (under lock). */
static write_job_t *
take_pending_locked (bt_store_t *s)
{
	write_job_t *j = g_new0 (write_job_t, 1);

	j->cache = s->cache_pending;
	j->label = g_strdup_printf ("cache verdicts of %u messages", j->cache->len);
	s->cache_pending = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_cache_item_free);
	return j;
}

/* Wait (under lock) until the queue has room; what is pending goes to
 * the writer first, or the wait would never end. */
static void
wait_room_locked (bt_store_t *s)
{
	while (s->cache_items >= s->cache_max && !s->closing) {
		if (s->cache_pending->len > 0) {
			write_job_t *j = take_pending_locked (s);
			g_mutex_unlock (&s->lock);
			bt_store_enqueue (s, j);
			g_mutex_lock (&s->lock);
			continue;
		}
		g_cond_wait (&s->cond, &s->lock);
	}
}

/* Queue a verdict for caching (any thread); written in batches. */
bool
bt_store_cache_verdict (bt_store_t *s, const char *message_id, const bt_bounce_t *b, bool wait)
{
	write_job_t *j = NULL;
	cache_item_t *item;

	if (!s->cache_write)
		return true;
	g_mutex_lock (&s->lock);
	if (wait)
		wait_room_locked (s);
	else if (s->cache_items >= s->cache_max) {
		g_mutex_unlock (&s->lock);
		return false;
	}
	g_mutex_unlock (&s->lock);
	item = cache_item_for (s, message_id, b);
	if (item == NULL)
		return true;
	g_mutex_lock (&s->lock);
	g_ptr_array_add (s->cache_pending, item);
	s->cache_items++;
	if (s->cache_pending->len >= CACHE_BATCH)
		j = take_pending_locked (s);
	g_mutex_unlock (&s->lock);
	if (j)
		bt_store_enqueue (s, j);
	return true;
}

void
bt_store_flush_cache (bt_store_t *s)
{
	write_job_t *j = NULL;

	g_mutex_lock (&s->lock);
	if (s->cache_pending->len > 0)
		j = take_pending_locked (s);
	g_mutex_unlock (&s->lock);
	if (j)
		bt_store_enqueue (s, j);
}

void
bt_store_cache_write (notmuch_database_t *db, write_job_t *j)
{
	notmuch_status_t st = notmuch_database_begin_atomic (db);
	guint failed = 0;

	for (guint i = 0; i < j->cache->len && st == NOTMUCH_STATUS_SUCCESS; i++) {
		cache_item_t *c = j->cache->pdata[i];
		notmuch_message_t *m = NULL;
		notmuch_status_t ms;

		if (bt_store_find_message (db, c->message_id, &m, NULL) != BT_OK)
			continue;   /* gone since: nothing to cache */
		/* Frozen: one document write per message, not one per property. */
		ms = notmuch_message_freeze (m);
		if (ms == NOTMUCH_STATUS_SUCCESS)
			ms = notmuch_message_remove_all_properties_with_prefix (m, P);
		for (guint k = 0; k + 1 < c->props->len && ms == NOTMUCH_STATUS_SUCCESS; k += 2)
			ms = notmuch_message_add_property (m, c->props->pdata[k], c->props->pdata[k + 1]);
		/* One message refused (without the version, written last, it is
		 * parsed again next time): the others are still cached. */
		if (ms != NOTMUCH_STATUS_SUCCESS)
			failed++;
		ms = notmuch_message_thaw (m);
		if (ms != NOTMUCH_STATUS_SUCCESS && ms != NOTMUCH_STATUS_UNBALANCED_FREEZE_THAW)
			st = ms;
		notmuch_message_destroy (m);
	}
	if (st == NOTMUCH_STATUS_SUCCESS)
		st = notmuch_database_end_atomic (db);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		j->status = BT_ERR_DB;
		j->message = g_strdup_printf ("caching verdicts: %s", notmuch_status_to_string (st));
	} else if (failed)
		j->message = g_strdup_printf ("%u of %u verdicts could not be cached", failed,
					      j->cache->len);
}
