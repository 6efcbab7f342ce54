/* store-private.h: what the store's files (store*.c, loader.c, history.c)
 * share: the handle itself, the write jobs, and the helpers each of them
 * needs from another.
 *
 *   store.c        opening, closing, single messages
 *   store-bounce.c bt_bounce_t, built from a parsed report
 *   store-cache.c  verdicts cached in message properties (read and write)
 *   store-scan.c   scans: the bounce query, cached or parsed verdicts
 *   store-rows.c   the list cache: a scan's rows in one file
 *   store-tag.c    tag changes and undo: planned, checked, queued
 *   store-retag.c  the worker's side: journal, then apply
 *   store-write.c  the write queue and its worker thread
 *   loader.c       a scan on its own thread
 */
#ifndef BT_STORE_PRIVATE_H
#define BT_STORE_PRIVATE_H

#include <notmuch.h>
#include "bouncetriage/store.h"

#define P BT_STORE_PROPERTY_PREFIX

/* Values longer than this are cut: a property is a Xapian term, and terms
 * are limited to 245 bytes with their prefix and key. */
#define PROP_MAX 200

/* One message's tag change in a write job. */
typedef struct {
	char *message_id;
	char **add, **remove;
} job_op_t;

/* One message's cached verdict: the properties to write. */
typedef struct {
	char *message_id;
	GPtrArray *props;   /* key, value, key, value... (g_free) */
} cache_item_t;

/* A write for the worker: tag changes (ops) or cached verdicts (cache). */
typedef struct {
	guint id;
	char *label;
	char *kind;          /* journal kind; NULL: cache write, not journaled */
	char **undoes;
	GPtrArray *ops;      /* of job_op_t * */
	GPtrArray *cache;    /* of cache_item_t * */
	gint64 queued;       /* monotonic µs */
	bt_write_state_t state;
	bt_status_t status;
	char *message;
} write_job_t;

struct bt_store {
	char *config_arg, *profile, *journal_path;
	const bt_settings_t *settings;
	bt_settings_t *own_settings;
	const bt_kb_t *kb;
	bool cache_write;
	char *cache_dir;              /* list cache files; NULL: none */

	notmuch_database_t *db;       /* read-only, the caller's thread */
	char *db_path, *config_path, *version;
	bool sync_flags;
	guint seen_generation;
	guint active_scans;

	/* Shared with the worker and loaders: under lock. */
	GMutex lock;
	GCond cond;
	GThread *worker;
	GQueue jobs;
	write_job_t *running;
	GPtrArray *finished;           /* of bt_write_info_t * */
	GHashTable *results;           /* id -> write_result_t * */
	GHashTable *undo_queued;       /* journal ids queued for undo */
	guint next_id, wait_mark;
	guint generation;
	bool closing;
	int notify[2];
	GPtrArray *cache_pending;      /* of cache_item_t *, not yet a job */
	guint cache_items;             /* verdicts pending or in cache jobs not finished */
	guint cache_max;               /* scan.cache-queue */
};

/* ---- store.c ---- */

/* Open the database as bt_store_open did (same config and profile). */
notmuch_status_t bt_store_db_open (const bt_store_t *s, notmuch_database_mode_t mode,
				   notmuch_database_t **db, char **msg);
const bt_kb_t *bt_store_kb (const bt_store_t *s);
/* Let the read-only handle see what the worker wrote since (caller's thread). */
void bt_store_refresh (bt_store_t *s);
/* id with or without <>; NULL with *error when it is empty or not found.
 * *m: notmuch_message_destroy. */
bt_status_t bt_store_find_message (notmuch_database_t *db, const char *id,
				   notmuch_message_t **m, GError **error);
/* "<id@host>" -> "id@host"; NULL when empty (g_free). */
char *bt_store_strip_id (const char *id);
/* m's tags, sorted, NULL-terminated (g_strfreev). */
char **bt_store_tags_of (notmuch_message_t *m);
/* The lane named name; BT_LANE_NONE for NULL or an unknown name. */
bt_lane_t bt_store_lane_from_name (const char *name);
/* Parse and classify the first readable file of m (bt_report_free);
 * *used_file (g_free) names it. */
bt_report_t *bt_store_parse_message (const bt_store_t *s, notmuch_message_t *m,
				     char **used_file, GError **error);

/* ---- store-bounce.c ---- */

/* An empty bounce; its strings live in its own chunk. */
bt_bounce_t *bt_bounce_new (void);
/* s copied into b's chunk; NULL for NULL or "". */
const char *bt_bounce_str (bt_bounce_t *b, const char *s);
/* *d = *r, its strings copied into b's chunk. */
void bt_bounce_rcpt_set (bt_bounce_t *b, bt_bounce_rcpt_t *d, const bt_bounce_rcpt_t *r);
/* Fields of the bounce that come from the database, not the verdict. */
void bt_bounce_fill_message (bt_bounce_t *b, notmuch_message_t *m, const char *filename);
bt_bounce_t *bt_bounce_from_report (notmuch_message_t *m, const char *filename,
				    const bt_report_t *r);

/* ---- store-cache.c ---- */

/* The bounce cached in m's properties (its lane read already); n_rcpt 0
 * when no record could be read. */
bt_bounce_t *bt_bounce_from_properties (notmuch_message_t *m, bt_lane_t lane);
/* Queue b's verdict (NULL: not a bounce) for caching; thread-safe.  With
 * s->cache_max verdicts queued already: wait for the writer, or (!wait)
 * return false, leaving it uncached. */
bool bt_store_cache_verdict (bt_store_t *s, const char *message_id, const bt_bounce_t *b,
			     bool wait);
void bt_cache_item_free (cache_item_t *c);
/* Worker: write j->cache on db (read-write); sets j->status, j->message. */
void bt_store_cache_write (notmuch_database_t *db, write_job_t *j);

/* ---- store-scan.c ---- */

/* The query string a scan runs (g_free). */
char *bt_store_scan_query (const bt_store_t *s, const char *query, unsigned flags);
/* A scan on db (any thread's own handle); the search starts at the first
 * bt_scan_next or bt_scan_start. */
bt_scan_t *bt_scan_new_on (bt_store_t *s, notmuch_database_t *db, const char *query,
			   unsigned flags, GError **error);
bt_status_t bt_scan_start (bt_scan_t *scan, GError **error);
/* Run query (raw) to its end: fn sees every bounce (freed after it
 * returns); each unreadable message's error text goes to problems (g_free;
 * NULL: dropped).  BT_ERR_INVALID with *error on a bad query. */
typedef void (*bt_scan_each_fn) (const bt_bounce_t *b, gpointer data);
bt_status_t bt_store_scan_each (bt_store_t *s, const char *query, bt_scan_each_fn fn,
				gpointer data, GPtrArray *problems, GError **error);

/* ---- store-rows.c ---- */

/* A list cache file, read: rows in the order the scan returned them. */
typedef struct bt_rows bt_rows_t;
typedef enum { BT_ROW_END, BT_ROW_BOUNCE, BT_ROW_NOT_BOUNCE, BT_ROW_BAD } bt_row_kind_t;

/* path's rows when the file is complete and was written for key and the
 * database uuid: *rev, the revision it was read at, and *count, its rows.
 * NULL otherwise (missing, other key, cut short): the caller scans.
 * path is borrowed for the reader's life.  Close with bt_rows_close. */
bt_rows_t *bt_rows_open (const char *path, const char *key, const char *uuid,
			 unsigned long *rev, guint *count);
void bt_rows_close (bt_rows_t *r);
/* Move to the next row; *id (owned by r, valid until the next call) is its
 * message.  BT_ROW_BAD: the line is not a row. */
bt_row_kind_t bt_rows_next (bt_rows_t *r, const char **id);
/* The current bounce row (bt_bounce_free); NULL when it is malformed. */
bt_bounce_t *bt_rows_bounce (bt_rows_t *r);

/* A list cache file, written to a temporary name and renamed into place
 * by bt_rows_commit (which frees it); bt_rows_abort removes it. */
typedef struct bt_rows_writer bt_rows_writer_t;

bt_rows_writer_t *bt_rows_create (const char *path, const char *key, const char *uuid,
				  unsigned long rev);
void bt_rows_put_bounce (bt_rows_writer_t *w, const bt_bounce_t *b);
void bt_rows_put_not_bounce (bt_rows_writer_t *w, const char *message_id);
bool bt_rows_commit (bt_rows_writer_t *w);
void bt_rows_abort (bt_rows_writer_t *w);

/* ---- store-tag.c ---- */

void bt_job_op_free (job_op_t *op);

/* ---- store-retag.c ---- */

/* Worker: journal and apply j->ops on db (read-write); sets j->status,
 * j->message. */
void bt_store_tags_write (bt_store_t *s, notmuch_database_t *db, write_job_t *j);

/* ---- store-write.c ---- */

/* Queue j (the queue owns it); its id.  A journaled job goes ahead of
 * cache writes, behind earlier journaled ones. */
guint bt_store_enqueue (bt_store_t *s, write_job_t *j);
void bt_write_job_free (write_job_t *j);
/* bt_store_open: set up the queue, then (database open) start the worker;
 * bt_store_close: stop it (queued writes are finished), then clear. */
void bt_store_writes_init (bt_store_t *s);
bt_status_t bt_store_writes_start (bt_store_t *s, GError **error);
void bt_store_writes_stop (bt_store_t *s);
void bt_store_writes_clear (bt_store_t *s);
/* Wake a poll() on the other end of a pipe. */
void bt_store_wake (int fd);

#endif
