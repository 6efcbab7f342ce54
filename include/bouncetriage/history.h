/* history.h: what each failed address, recipient domain and remote MTA
 * did over the whole store: how often, first and last seen, which reasons;
 * and the suppression list made from it.
 *
 * Built from bounces (store.h): bt_store_history scans every failure of
 * the store (cached verdicts, so it reads no mail files once cached), or
 * a caller feeds bt_history_add while it loads. */
#ifndef BT_HISTORY_H
#define BT_HISTORY_H

#include <stdbool.h>
#include <glib.h>
#include "bouncetriage/error.h"
#include "bouncetriage/store.h"

typedef enum {
	BT_HISTORY_ADDRESS,
	BT_HISTORY_DOMAIN,
	BT_HISTORY_MTA,
	BT_HISTORY_KINDS
} bt_history_kind_t;

/* Owned by the history; valid until bt_history_free. */
typedef struct {
	const char *key;            /* address, domain or MTA, lower case */
	guint count;                /* failed records seen */
	guint hard;                 /* of which hard */
	guint reactivated;          /* of which on bounces tagged as reactivated */
	gint64 first_seen, last_seen;
	const char *const *reasons; /* distinct reasons, first seen first, NULL-terminated */
	const char *last_reason, *last_status;
	/* Address only: has a hard bounce not tagged as reactivated. */
	bool suppressed;
} bt_history_entry_t;

typedef struct bt_history bt_history_t;

/* An empty history; reactivated_tag is the tag that marks reactivated
 * bounces (without "+"; copied).  Free with bt_history_free. */
bt_history_t *bt_history_new (const char *reactivated_tag);
void bt_history_free (bt_history_t *h);

/* Count the failed recipients of b (other lanes are ignored). */
void bt_history_add (bt_history_t *h, const bt_bounce_t *b);

/* Every failure of the store, hidden (triaged) ones included; messages
 * that cannot be read are named in problems (g_malloc'd) and skipped.
 * NULL with *error when the scan cannot run. */
bt_history_t *bt_store_history (bt_store_t *store, GPtrArray *problems, GError **error);

/* Entries of one kind, most failures first, then most recent. */
guint bt_history_count (const bt_history_t *h, bt_history_kind_t kind);
const bt_history_entry_t *bt_history_at (const bt_history_t *h, bt_history_kind_t kind, guint i);
/* key is matched case-insensitively; NULL when unknown. */
const bt_history_entry_t *bt_history_lookup (const bt_history_t *h, bt_history_kind_t kind,
					     const char *key);

/* The suppression list: suppressed addresses sorted by address.  Plain:
 * one address a line.  CSV (RFC 4180, with a header line): address,
 * reason, status, first seen, last seen, count (dates as ISO 8601 UTC).
 * Appended to out. */
void bt_history_suppressions (const bt_history_t *h, bool csv, GString *out);

#endif
