/* journal.h: the append-only record of every tag change, for exact undo.
 *
 * One JSON object a line, one line per user action, written and fsync'd
 * BEFORE the change is applied (a change whose line cannot be written is
 * refused).  The file lives at $XDG_STATE_HOME/bouncetriage/journal; the
 * caller passes the path (lib/ reads no XDG variable).  A line:
 *
 *   {"v":1,"id":"20261128T183000Z-3f9a","time":1796322600,
 *    "kind":"tag","label":"triage 3 bounces","undoes":[],
 *    "messages":[{"id":"<msg-id>","before":["bounce","inbox"],
 *                 "after":["bounce","bounce/triaged"]}]}
 *
 * kind is "tag" (a user action), "undo" (restores the actions named in
 * "undoes") or "reactivate".  An action named in a later "undo" line is
 * undone and is not undone again.  Lines that cannot be read (corrupt,
 * truncated by a crash) are skipped and reported by line number; the rest
 * stays usable. */
#ifndef BT_JOURNAL_H
#define BT_JOURNAL_H

#include <stdbool.h>
#include <time.h>
#include <glib.h>
#include "bouncetriage/error.h"

/* One message's tags around one action.  before and after are complete,
 * sorted, NULL-terminated tag sets. */
typedef struct {
	char *message_id;
	char **before;
	char **after;
} bt_journal_change_t;

void bt_journal_change_free (bt_journal_change_t *c);

/* One action (one journal line).  Everything is owned by the entry: free
 * with bt_journal_entry_free. */
typedef struct {
	char *id;            /* unique: time stamp and random suffix */
	gint64 time;         /* seconds since the epoch */
	char *kind;          /* "tag", "undo", "reactivate" */
	char *label;         /* what the user did, for the undo list */
	char **undoes;       /* NULL-terminated ids of undone actions (may be empty) */
	guint lineno;        /* 1-based line in the file, 0 when not read from one */
	GPtrArray *changes;  /* of bt_journal_change_t *, owned */
} bt_journal_entry_t;

/* A new entry with a fresh id and the current time; kind and label are
 * copied (label may be NULL).  Add changes with bt_journal_entry_add. */
bt_journal_entry_t *bt_journal_entry_new (const char *kind, const char *label);
void bt_journal_entry_free (bt_journal_entry_t *e);

/* Add one message's tag sets; the arrays are copied and sorted.  Messages
 * whose before and after are equal are still recorded (the user acted on
 * them) but undo has nothing to do for them. */
void bt_journal_entry_add (bt_journal_entry_t *e, const char *message_id,
			   const char *const *before, const char *const *after);

/* Append e as one line to the journal at path (folders created, mode 0600),
 * fsync the file.  On any failure nothing may be applied: returns BT_ERR_IO
 * with *error naming the file.  A partial line is never left behind on
 * a write error (the file is truncated back). */
bt_status_t bt_journal_append (const char *path, const bt_journal_entry_t *e, GError **error);

/* Check that the journal can be appended to (creating folder and file if
 * needed) without writing anything: lets a caller refuse a change early. */
bt_status_t bt_journal_check_writable (const char *path, GError **error);

/* Read every entry of path in file order into entries (of
 * bt_journal_entry_t *; the caller creates it with
 * g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_entry_free)).
 * Lines that cannot be read are skipped; each is reported in problems (if
 * non-NULL, g_malloc'd "PATH:LINE: message").  A missing file is an empty
 * journal.  BT_ERR_IO with *error only when the file exists but cannot be
 * read at all. */
bt_status_t bt_journal_read (const char *path, GPtrArray *entries, GPtrArray *problems,
			     GError **error);

/* The last n actions still to undo, most recent first (entries of kind
 * "tag" or "reactivate" not named in any "undo" entry), as pointers into
 * entries (not copies).  Appended to out (a GPtrArray without free
 * function). */
void bt_journal_undoable (GPtrArray *entries, guint n, GPtrArray *out);

/* The tags to add and to remove so that a message back at `after` returns
 * to `before`: only what the action changed is reversed, so a tag the
 * message already had before the action stays, and tags someone else
 * changed since stay as they are.  NULL-terminated, g_strfreev. */
void bt_journal_change_reverse (const bt_journal_change_t *c, char ***add, char ***remove);

#endif
