/* feed.h: where the list's rows come from.
 *
 * A feed produces rows, one per failed recipient (a bounce for three
 * recipients gives three rows of one message).  Two feeds exist: files
 * (feed-files.c: mbox, maildir or message files read with bt_source_*,
 * read-only) and the notmuch store (feed-store.c: paged scans with cached
 * verdicts, tag writes on the store's worker).  The TUI only talks to this
 * interface, as tmux's mode-tree talks to its build/draw callbacks.
 *
 * Rows and their strings are owned by the feed and live until the feed is
 * restarted or freed.  Every string is raw mail text: sanitise before
 * showing it. */
#ifndef BT_FEED_H
#define BT_FEED_H

#include <stdbool.h>
#include <glib.h>
#include "bouncetriage/kb.h"
#include "bouncetriage/report.h"
#include "bouncetriage/settings.h"

typedef struct bt_feed bt_feed_t;

/* One message of a feed; rows point to it. */
typedef struct {
	const char *message_id;     /* of the bounce, may be NULL (files) */
	const char *filename;       /* may be NULL */
	gint64 date;                /* seconds since the epoch, 0 unknown */
	const char *subject;        /* of the original message, else of the bounce */
	const char *orig_to, *orig_message_id, *orig_date;
	char **tags;                /* current tags (NULL for files), owned by the feed */
	void *priv;                 /* the feed's object (bt_bounce_t, bt_report_t) */
} bt_msg_t;

typedef struct {
	bt_msg_t *msg;
	guint rcpt;                 /* index of the recipient in the message */
	const char *recipient, *domain, *reason, *status, *replycode, *kb, *remote_mta;
	bool hard;
	bt_lane_t lane;
	bool marked;
	guint seq;                  /* arrival order */
} bt_row_t;

typedef struct {
	const char *name;           /* "files", "notmuch", "demo" */

	/* Move rows that arrived since the last call into rows (pointers: the
	 * feed keeps them) and error messages into errors (g_malloc'd).  Never
	 * blocks.  Returns true when everything was read. */
	bool (*poll) (bt_feed_t *feed, GPtrArray *rows, GPtrArray *errors);
	/* A file descriptor readable when poll has news, or -1: poll from the
	 * main loop on a timer. */
	int (*fd) (bt_feed_t *feed);
	/* done, total (0 unknown): for the progress bar. */
	void (*progress) (bt_feed_t *feed, guint *done, guint *total);
	/* Messages read but left out: not bounces, or unreadable. */
	void (*skipped) (bt_feed_t *feed, guint *not_bounces, guint *unreadable);
	/* Start over with query (may be NULL): every row given so far is
	 * freed.  NULL or false with *error. */
	bool (*restart) (bt_feed_t *feed, const char *query, GError **error);
	/* The full report of a row's message, owned by the feed (valid until
	 * the next call or restart), or NULL with *error. */
	bt_report_t *(*report) (bt_feed_t *feed, bt_msg_t *msg, GError **error);
	/* The raw message (g_free), NULL with *error. */
	char *(*raw) (bt_feed_t *feed, bt_msg_t *msg, gsize *len, GError **error);
	/* NULL when the feed is read-only: the rest below are then NULL too. */
	guint (*tag) (bt_feed_t *feed, GPtrArray *msgs, const char *changes,
		      const char *label, GError **error);
	guint (*default_tags) (bt_feed_t *feed, GPtrArray *msgs, const char *label, GError **error);
	guint (*undo) (bt_feed_t *feed, GError **error);
	/* One line on queued writes ("2 writes queued, oldest 4s"), NULL when
	 * idle (g_free); finished writes' messages go to errors/notes. */
	char *(*writes) (bt_feed_t *feed, GPtrArray *notes, GPtrArray *errors, bool *changed);
	/* Every tag of the database, for completion (g_strfreev). */
	char **(*all_tags) (bt_feed_t *feed);
	/* The message that bounced, as text to show (g_free), or NULL with
	 * *error (BT_ERR_NOTFOUND when the database does not have it). */
	char *(*original) (bt_feed_t *feed, bt_msg_t *msg, GError **error);
	const char *(*query) (bt_feed_t *feed);
	void (*free) (bt_feed_t *feed);
} bt_feed_ops_t;

struct bt_feed {
	const bt_feed_ops_t *ops;
	char *label;               /* what the status line says: "demo", a path... */
};

/* Read-only rows from files: each path as bt_source_open takes it.  The
 * kb is borrowed.  Parsing happens in poll, a few messages per call, so
 * the list is usable while it goes on.  NULL with *error. */
bt_feed_t *bt_feed_files_new (char **paths, const bt_kb_t *kb, GError **error);

/* Rows from the notmuch database found by notmuch's configuration (or
 * config_path, as `notmuch --config`), or with demo true from a temporary
 * database built from the bundled corpus (removed by bt_feed_free), which
 * also gets its own journal.  settings and kb are borrowed.  NULL with
 * *error (saying how to point at a database, or to try --demo). */
bt_feed_t *bt_feed_store_new (bool demo, const char *config_path, const bt_settings_t *settings,
			      const bt_kb_t *kb, GError **error);

void bt_feed_free (bt_feed_t *feed);

/* Tag set helpers shared by feeds and views. */
bool bt_msg_has_tag (const bt_msg_t *msg, const char *tag);

#endif
