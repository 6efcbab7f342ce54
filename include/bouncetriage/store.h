/* store.h: bounces in a notmuch database: find them, cache verdicts, tag
 * them safely with exact undo.
 *
 * Threads.  A bt_store_t belongs to the thread that opened it (the UI
 * thread): every bt_store_* / bt_scan_* call is made from that thread.  It
 * holds a READ-ONLY database handle for browsing.  Every write (tags,
 * cached verdicts) is queued to a worker thread that opens the database
 * read-write for each batch; with libnotmuch's retry_lock that open waits
 * for other writers (notmuch new, hooks), and only the worker waits.  The
 * UI sees the queue (bt_store_queue), each write's age, and the outcome
 * (bt_store_finished); bt_store_notify_fd wakes a poll() loop.
 * bt_loader_t runs a scan on its own thread with its own read-only handle.
 *
 * Configuration.  The database is found exactly as the notmuch command
 * finds it: --config FILE (opts.notmuch_config), else NOTMUCH_CONFIG, else
 * $XDG_CONFIG_HOME/notmuch/PROFILE/config, else ~/.notmuch-config[.PROFILE]
 * (profile from opts.profile or NOTMUCH_PROFILE), then database.path /
 * the default database folders; see notmuch-config(1).
 *
 * Cache.  A verdict is stored in message properties under "bouncetriage.":
 *   version    PACKAGE_VERSION "+" bt_kb_digest: a different one is re-parsed
 *   lane       failures, delays, auto-replies, feedback, delivered, none
 *              ("none": the parser says it is not a bounce)
 *   reason, recipient, status, replycode, kb, hard (true/false), domain
 *              (recipient domain), mta (remote MTA): one value per distinct
 *              value, so `notmuch search property:bouncetriage.reason=userunknown`
 *              works; recipient and domain are lower case
 *   record     one per recipient: the fields above joined by tabs, so a
 *              multi-recipient bounce is rebuilt exactly
 *   subject, origid, origto    original message's subject, Message-ID, To
 * A cached message is listed without opening its file.
 *
 * Strings of the types below are owned by the object that holds them and
 * live as long as it. */
#ifndef BT_STORE_H
#define BT_STORE_H

#include <stdbool.h>
#include <glib.h>
#include "bouncetriage/error.h"
#include "bouncetriage/journal.h"
#include "bouncetriage/kb.h"
#include "bouncetriage/report.h"
#include "bouncetriage/settings.h"

#define BT_STORE_PROPERTY_PREFIX "bouncetriage."

typedef struct bt_store bt_store_t;

typedef struct {
	/* Notmuch configuration file, as `notmuch --config`.  NULL: notmuch's
	 * own discovery (NOTMUCH_CONFIG, XDG, ~/.notmuch-config); "": none. */
	const char *notmuch_config;
	/* Profile; NULL: NOTMUCH_PROFILE or the default. */
	const char *profile;
	/* Journal file ($XDG_STATE_HOME/bouncetriage/journal, built by the
	 * caller).  NULL: every tag change is refused. */
	const char *journal_path;
	/* Borrowed; must outlive the store.  NULL: defaults. */
	const bt_settings_t *settings;
	/* Borrowed; must outlive the store.  Required for verdicts. */
	const bt_kb_t *kb;
	/* Do not write verdicts to message properties (reads still use them). */
	bool no_cache_write;
	/* Folder of the list cache ($XDG_CACHE_HOME/bouncetriage, built by the
	 * caller): the main list of a scan, kept in a file so that a start
	 * with nothing changed reads it back instead of the database.  NULL:
	 * none.  The scan.list-cache setting turns it off. */
	const char *cache_dir;
} bt_store_options_t;

/* Open the database read-only.  NULL with *error set when it cannot be
 * opened; when no database or configuration is found (BT_ERR_NOTFOUND)
 * the message says what notmuch looked for and how to point the tool at
 * one (--config FILE, NOTMUCH_CONFIG=FILE) or try `bouncetriage --demo`.
 * Free with bt_store_close. */
bt_store_t *bt_store_open (const bt_store_options_t *opts, GError **error);

/* Waits for queued writes to finish (call bt_store_cancel_writes first to
 * drop those not started), then closes everything. */
void bt_store_close (bt_store_t *store);

/* Where the database is, and the configuration file notmuch used (NULL when
 * none).  Owned by the store. */
const char *bt_store_database_path (const bt_store_t *store);
const char *bt_store_config_path (const bt_store_t *store);
/* maildir.synchronize_flags of the notmuch configuration. */
bool bt_store_sync_flags (const bt_store_t *store);
/* The cache version string (see above).  Owned by the store. */
const char *bt_store_cache_version (const bt_store_t *store);
const bt_settings_t *bt_store_settings (const bt_store_t *store);

/* ---- Bounces ---- */

typedef struct {
	const char *recipient;     /* lower case; may be NULL for a recipient-less record */
	const char *domain;        /* recipient's domain, lower case */
	const char *reason;        /* reason.h identifier */
	const char *status;        /* "5.1.1" or NULL */
	const char *replycode;     /* "550" or NULL */
	const char *kb;            /* knowledge-base entry id or NULL */
	const char *remote_mta;    /* or NULL */
	bool hard;
	bt_lane_t lane;
} bt_bounce_rcpt_t;

/* One bounce message, as a list row needs it.  Free with bt_bounce_free. */
typedef struct {
	const char *message_id;
	const char *filename;        /* its first file */
	gint64 date;                 /* seconds since the epoch */
	const char *from, *subject;  /* of the bounce */
	const char *orig_message_id; /* of the message that bounced, or NULL */
	const char *orig_subject;
	const char *orig_to;
	bt_lane_t lane;              /* BT_LANE_NONE never reaches a list */
	char **tags;                 /* complete, sorted, NULL-terminated */
	guint n_rcpt;
	bt_bounce_rcpt_t *rcpt;      /* n_rcpt entries */
	bool from_cache;             /* verdict read from properties */
	/* private */
	GStringChunk *strings;
} bt_bounce_t;

void bt_bounce_free (bt_bounce_t *b);
/* A deep copy with its own strings (bt_bounce_free). */
bt_bounce_t *bt_bounce_copy (const bt_bounce_t *b);
/* True when any recipient's verdict is hard. */
bool bt_bounce_hard (const bt_bounce_t *b);
/* True when b has tag. */
bool bt_bounce_has_tag (const bt_bounce_t *b, const char *tag);

typedef enum {
	BT_SCAN_DEFAULT      = 0,
	BT_SCAN_OLDEST_FIRST = 1 << 0,  /* default: newest first */
	BT_SCAN_RAW_QUERY    = 1 << 1,  /* query is used as given, not and-ed with the bounce query */
	BT_SCAN_REPARSE      = 1 << 2,  /* ignore cached verdicts */
	BT_SCAN_NO_CACHE     = 1 << 3,  /* do not queue verdict writes */
	BT_SCAN_ALL          = 1 << 4,  /* include what query.hide hides (history) */
	/* When scan.cache-queue verdicts wait for the writer already, leave the
	 * next ones uncached instead of waiting (for a screen: the list keeps
	 * filling at the parser's pace; the next start parses them again). */
	BT_SCAN_CACHE_SOME   = 1 << 5,
} bt_scan_flags_t;

typedef struct {
	guint matched;      /* messages the query returned so far */
	guint bounces;      /* listed */
	guint not_bounces;  /* found by the query, but the parser says not a bounce */
	guint cached;       /* verdict read from properties */
	guint parsed;       /* verdict made by reading the file */
	guint unreadable;   /* file missing or unreadable */
	guint uncached;     /* parsed, not queued for caching (BT_SCAN_CACHE_SOME) */
	guint lanes[BT_LANE_DELIVERED + 1];
} bt_scan_stats_t;

typedef struct bt_scan bt_scan_t;

/* A scan of query (NULL or "": the settings' bounce query; otherwise the
 * bounce query and-ed with it, unless BT_SCAN_RAW_QUERY).  NULL with
 * *error on a bad query.  Free with bt_scan_free; it must not outlive the
 * store.  The read-only handle sees finished writes when the next scan or
 * lookup starts, but not while a bt_scan_t is open: keep scans short-lived
 * (the UI's long-running listing is bt_loader_t, which has its own handle). */
bt_scan_t *bt_scan_new (bt_store_t *store, const char *query, unsigned flags, GError **error);

/* The next bounce (free with bt_bounce_free), or NULL: at the end, or with
 * *error set when one message could not be read (naming the message and
 * file): report it and call again; bt_scan_done tells the end.  Messages
 * that are not bounces are skipped and counted. */
bt_bounce_t *bt_scan_next (bt_scan_t *scan, GError **error);
bool bt_scan_done (const bt_scan_t *scan);
/* Owned by the scan; valid until bt_scan_free. */
const bt_scan_stats_t *bt_scan_stats (const bt_scan_t *scan);
/* How many messages the query matches (bounces and not), counted by notmuch. */
guint bt_scan_total (bt_scan_t *scan);
void bt_scan_free (bt_scan_t *scan);

/* A scan on its own thread.  Bounces arrive in batches: the first as soon
 * as `batch` bounces are ready (make it a screenful), then every `batch`,
 * then the rest at the end.  NULL with *error on a bad query.  Free with
 * bt_loader_free (cancels and joins); it must not outlive the store. */
typedef struct bt_loader bt_loader_t;

bt_loader_t *bt_loader_start (bt_store_t *store, const char *query, unsigned flags,
			      guint batch, GError **error);
/* Readable when bt_loader_take has something new.  Owned by the loader. */
int bt_loader_fd (const bt_loader_t *loader);
/* Moves the bounces ready so far into bounces (ownership passes: create it
 * with g_ptr_array_new_with_free_func ((GDestroyNotify) bt_bounce_free))
 * and per-message error messages into errors (g_malloc'd; may be NULL to
 * drop them).  Never blocks.  Returns true when the scan has ended and
 * everything was taken. */
bool bt_loader_take (bt_loader_t *loader, GPtrArray *bounces, GPtrArray *errors);
/* Block until the scan ended (for tests and the CLI).  Until then the
 * loader waits whenever 16,384 bounces are ready and not taken (memory);
 * once this is called it no longer does. */
void bt_loader_wait (bt_loader_t *loader);
void bt_loader_stats (bt_loader_t *loader, bt_scan_stats_t *out);
/* Set when the whole scan failed (e.g. the database could not be opened);
 * owned by the loader. */
const GError *bt_loader_error (const bt_loader_t *loader);
void bt_loader_free (bt_loader_t *loader);

/* The full report of one message, parsed from its file and classified
 * (bt_report_free).  NULL with *error (BT_ERR_NOTFOUND, BT_ERR_IO). */
bt_report_t *bt_store_report (bt_store_t *store, const char *message_id, GError **error);

/* The current tags of a message (g_strfreev), NULL with *error. */
char **bt_store_message_tags (bt_store_t *store, const char *message_id, GError **error);

/* The message that bounced, looked up as id:ORIG in the database. */
typedef struct {
	char *message_id, *filename, *from, *to, *subject;
	gint64 date;
	char **tags;
} bt_original_t;

/* NULL with BT_ERR_NOTFOUND when b carries no original Message-ID or the
 * database does not have it.  Free with bt_original_free. */
bt_original_t *bt_store_find_original (bt_store_t *store, const bt_bounce_t *b, GError **error);
void bt_original_free (bt_original_t *o);

/* The tag changes `bouncetriage tag` applies to b: each recipient's
 * knowledge-base tags, plus "+bounce +bounce/REASON" (g_free). */
char *bt_store_default_changes (bt_store_t *store, const bt_bounce_t *b);

/* ---- Writes ---- */

/* One message and the tag changes ("+a -b") for it. */
typedef struct {
	const char *message_id;
	const char *changes;
} bt_tag_op_t;

/* What a change would do, read-only, for --dry-run and confirmations:
 * appends one bt_journal_change_t (current tags as before, the result as
 * after) per op to out (free function bt_journal_change_free).  Messages not
 * in the database are named in *error (BT_ERR_NOTFOUND) after the others
 * were planned. */
bt_status_t bt_store_plan (bt_store_t *store, const bt_tag_op_t *ops, guint n,
			   GPtrArray *out, GError **error);

/* Queue one user action: apply each op's changes to exactly that message
 * (never to a re-run query).  Returns at once with the write's id (> 0), or
 * 0 with *error when it is refused now (bad changes, no journal, journal
 * not writable, store closing).  The worker, holding the write lock,
 * reads every message's tags, appends the action to the journal (fsync),
 * THEN applies it in one atomic section (freeze/thaw per message, maildir
 * flags synced when maildir.synchronize_flags is set).  A journal that
 * cannot be written fails the write with nothing applied.  A message that
 * is gone is left out and named in the write's message; the rest is
 * applied.  label says what the user did ("triage 3 bounces"). */
guint bt_store_apply (bt_store_t *store, const bt_tag_op_t *ops, guint n,
		      const char *label, GError **error);

/* The same changes for every id: a convenience over bt_store_apply. */
guint bt_store_tag (bt_store_t *store, const char *const *message_ids, guint n,
		    const char *changes, const char *label, GError **error);

/* The last n actions that can still be undone, most recent first
 * (appended to out; free function bt_journal_entry_free).  Journal lines
 * that cannot be read go to problems ("PATH:LINE: message", g_malloc'd)
 * and are skipped. */
bt_status_t bt_store_undoable (bt_store_t *store, guint n, GPtrArray *out,
			       GPtrArray *problems, GError **error);

/* Queue the undo of the last n actions still to undo (also those of an
 * earlier run): each message gets back exactly what the action changed (a
 * tag it already had before stays).  The undo is journaled too.  Returns
 * the write id, or 0 with *error (BT_ERR_NOTFOUND: nothing to undo). */
guint bt_store_undo (bt_store_t *store, guint n, GPtrArray *problems, GError **error);

/* The bounces of address (its cached recipient property), for
 * reactivation: ids appended to out (g_malloc'd; set the free function). */
bt_status_t bt_store_address_messages (bt_store_t *store, const char *address,
				       GPtrArray *out, GError **error);

/* Queue tags.reactivated on every bounce of address, as one journaled
 * action (kind "reactivate"): the address leaves the suppression list.
 * 0 with BT_ERR_NOTFOUND when the store has no bounce for it. */
guint bt_store_reactivate (bt_store_t *store, const char *address, GError **error);

typedef enum {
	BT_WRITE_QUEUED,    /* waiting for the worker */
	BT_WRITE_RUNNING,   /* the worker is on it (maybe waiting for the lock) */
	BT_WRITE_DONE,
	BT_WRITE_FAILED,    /* nothing of it was applied */
} bt_write_state_t;

typedef struct {
	guint id;
	char *label;
	bt_write_state_t state;
	bool journaled;     /* a user action (false: cached verdicts) */
	guint n_messages;
	double age;         /* seconds since it was queued (at the snapshot) */
	bool overdue;       /* age above ui.write-warn seconds, not yet done */
	char *message;      /* failure, or the messages left out; NULL when none */
} bt_write_info_t;

/* Frees w and its strings; the arrays below hold bt_write_info_t * with
 * this as their free function. */
void bt_write_info_free (bt_write_info_t *w);

/* Snapshot of the queued and running writes, oldest first (free with
 * g_ptr_array_unref). */
GPtrArray *bt_store_queue (bt_store_t *store);
/* Writes finished since the last call, each reported once (g_ptr_array_unref). */
GPtrArray *bt_store_finished (bt_store_t *store);
/* Readable when a write finished; bt_store_finished drains it. */
int bt_store_notify_fd (const bt_store_t *store);
/* Block until write id (0: every queued write) finished.  Returns its
 * status (for 0: the first failure since the previous wait for 0), with
 * *error carrying its message. */
bt_status_t bt_store_wait (bt_store_t *store, guint id, GError **error);
/* The message of finished write id (messages left out, flags not synced,
 * or the failure), or NULL when none or unknown (g_free). */
char *bt_store_write_message (bt_store_t *store, guint id);
/* Queue the verdicts parsed so far for writing now rather than when a
 * batch is full (bt_scan_free and bt_store_wait do it too). */
void bt_store_flush_cache (bt_store_t *store);
/* Drop the writes not yet started (they fail with "cancelled"). */
void bt_store_cancel_writes (bt_store_t *store);

#endif
