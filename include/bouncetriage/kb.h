/* kb.h: the knowledge base: entries that explain an error and say what to
 * do, with the rules that match them; plus the meaning of every status and
 * reply code.
 *
 * Files are GLib key files (kb/NAME.kb, see kb/README.md).  A bt_kb_t owns its
 * entries and every string the accessors return: they stay valid until
 * bt_kb_free.  Rules are compiled once, at load. */
#ifndef BT_KB_H
#define BT_KB_H

#include <stdbool.h>
#include <glib.h>
#include "bouncetriage/error.h"

typedef struct bt_kb bt_kb_t;
typedef struct bt_kb_entry bt_kb_entry_t;

/* An empty knowledge base; free with bt_kb_free. */
bt_kb_t *bt_kb_new (void);
void bt_kb_free (bt_kb_t *kb);

/* Load one file into kb.  Entries with an id already loaded replace it; new
 * ids are added.  Every problem found is appended to problems (if non-NULL)
 * as a g_malloc'd "FILE:LINE: message" string (owned by the array's free
 * function, which the caller sets, e.g. g_ptr_array_new_with_free_func
 * (g_free)).  Returns BT_OK, or BT_ERR_PARSE when the file had problems
 * (nothing of it is loaded then), or BT_ERR_IO with *error set. */
bt_status_t bt_kb_load_file (bt_kb_t *kb, const char *path, GPtrArray *problems, GError **error);

/* Load every *.kb file of dir in name order; a missing dir is not an error. */
bt_status_t bt_kb_load_dir (bt_kb_t *kb, const char *dir, GPtrArray *problems, GError **error);

/* Entries, in load order.  Entries and every string they return are owned
 * by the knowledge base: valid until bt_kb_free, or until a later load
 * replaces an entry of the same id. */
guint bt_kb_count (const bt_kb_t *kb);
const bt_kb_entry_t *bt_kb_entry_at (const bt_kb_t *kb, guint i);
const bt_kb_entry_t *bt_kb_get (const bt_kb_t *kb, const char *id);

const char *bt_kb_entry_id (const bt_kb_entry_t *e);
const char *bt_kb_entry_reason (const bt_kb_entry_t *e);
const char *bt_kb_entry_title (const bt_kb_entry_t *e);
const char *bt_kb_entry_explanation (const bt_kb_entry_t *e);
const char *bt_kb_entry_advice (const bt_kb_entry_t *e);
const char *bt_kb_entry_tags (const bt_kb_entry_t *e);   /* "+bounce/x -inbox" */
bool bt_kb_entry_hard (const bt_kb_entry_t *e);
const char *bt_kb_entry_file (const bt_kb_entry_t *e);   /* where it was defined */

/* The meaning of a status code ("5.1.1": class and subject/detail) or a reply
 * code ("550"), in one line; NULL when unknown.  Owned by the knowledge
 * base; valid until the next load or bt_kb_free. */
const char *bt_kb_status_meaning (const bt_kb_t *kb, const char *status);
const char *bt_kb_reply_meaning (const bt_kb_t *kb, const char *replycode);

/* A short hex digest of everything loaded: changes when any rule changes.
 * Owned by the knowledge base; its text changes with each load. */
const char *bt_kb_digest (const bt_kb_t *kb);

/* Matching, for the classifier (classify.h).  The rules were compiled at
 * load; these calls allocate nothing. */

int bt_kb_entry_priority (const bt_kb_entry_t *e);

/* One entry whose patterns matched a text: the first of its patterns that
 * matched, and where. */
typedef struct {
	const bt_kb_entry_t *entry;
	const char *pattern;     /* the pattern's source, owned by the kb */
	gsize start, end;        /* byte span of the match in the text */
} bt_kb_hit_t;

/* Entries with a pattern matching text (len bytes of UTF-8; len < 0: up to
 * the NUL), best first: higher priority first, then load order.  Fills at
 * most max hits and returns how many were filled. */
guint bt_kb_match_text (const bt_kb_t *kb, const char *text, gssize len,
			bt_kb_hit_t *hits, guint max);

/* The same, but after the best hit only entries of its reason: the
 * verdict and its most specific entry, for a fraction of the cost. */
guint bt_kb_match_verdict (const bt_kb_t *kb, const char *text, gssize len,
			   bt_kb_hit_t *hits, guint max);

/* The entry whose status rule fits status ("5.1.1") best: an exact code
 * beats a pattern, fewer wildcards beat more, then priority, then load
 * order; *rule (if non-NULL) is set to the rule that matched.  NULL when
 * none fits. */
const bt_kb_entry_t *bt_kb_match_status (const bt_kb_t *kb, const char *status,
					 const char **rule);

/* The entry with replycode ("550") in its rules, by priority then load
 * order; NULL when none. */
const bt_kb_entry_t *bt_kb_match_replycode (const bt_kb_t *kb, const char *replycode);

#endif
