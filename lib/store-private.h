/* store-private.h: what store.c shares with loader.c and history.c. */
#ifndef BT_STORE_PRIVATE_H
#define BT_STORE_PRIVATE_H

#include <notmuch.h>
#include "bouncetriage/store.h"

/* Open the database as bt_store_open did (same config and profile). */
notmuch_status_t bt_store_db_open (const bt_store_t *s, notmuch_database_mode_t mode,
				   notmuch_database_t **db, char **msg);

const bt_kb_t *bt_store_kb (const bt_store_t *s);

/* The query string a scan runs (g_free). */
char *bt_store_scan_query (const bt_store_t *s, const char *query, unsigned flags);

/* A scan on db (any thread's own handle); the search starts at the first
 * bt_scan_next or bt_scan_start. */
bt_scan_t *bt_scan_new_on (bt_store_t *s, notmuch_database_t *db, const char *query,
			   unsigned flags, GError **error);
bt_status_t bt_scan_start (bt_scan_t *scan, GError **error);

/* Queue b's verdict (NULL: not a bounce) for caching; thread-safe. */
void bt_store_cache_verdict (bt_store_t *s, const char *message_id, const bt_bounce_t *b);

/* Parse and classify the first readable file of m. */
bt_report_t *bt_store_parse_message (const bt_store_t *s, notmuch_message_t *m,
				     char **used_file, GError **error);

#endif
