/* kb-private.h: what the knowledge base's files share.
 *
 *   kb.c          objects, code meanings, look-ups
 *   kb-load.c     key files read into entries and meanings
 *   kb-lines.c    where each group and key is, for problems
 *   kb-literal.c  a pattern's literals, for the prefilter
 *   kb-match.c    the literal index and the matching
 */
#ifndef BT_KB_PRIVATE_H
#define BT_KB_PRIVATE_H

#include <stdbool.h>
#include <glib.h>
#include "bouncetriage/kb.h"

/* Literals shorter than this prefilter poorly: the pattern always runs. */
#define BT_KB_LITERAL_MIN 3
/* Buckets of the trigram index (a power of two). */
#define BT_KB_BUCKETS 4096

typedef struct {
	/* Compiled at load without PCRE2's JIT: that checks the pattern, and
	 * the JIT's compile is most of a load's time.  The JIT-compiled one is
	 * made the first time the pattern runs (bt_kb_pattern_run; set once,
	 * atomically: the matching may run in two threads at once). */
	GRegex *re;
	GRegex *jit;
	char *source;
	/* One literal (lower case) per top-level branch: a match must contain
	 * one of them.  NULL when no branch has a usable literal. */
	char **literals;
	/* The pattern is its one literal (no regex syntax): where the
	 * prefilter found the literal is the match, no need to run it. */
	bool pure;
	const bt_kb_entry_t *entry;
} bt_kb_pattern_t;

typedef struct {
	int code[3];                 /* class, subject, detail; -1 for '*' */
	int fixed;                   /* how many are not '*' */
	char *source;
} bt_kb_status_rule_t;

struct bt_kb_entry {
	char *id, *title, *explanation, *advice, *tags, *file;
	const char *reason;          /* static, from reason.h */
	bool hard;
	int priority;
	guint order;                 /* position in load order */
	GArray *status;              /* of bt_kb_status_rule_t */
	char **replycodes;           /* NULL-terminated */
	GPtrArray *patterns;         /* of bt_kb_pattern_t * */
};

typedef struct {
	char *title, *description;
} bt_kb_meaning_t;

/* One literal of the trigram index, pointing at its pattern. */
typedef struct {
	const char *text;
	gsize len;
	guint pattern;
} bt_kb_literal_t;

struct bt_kb {
	GPtrArray *entries;          /* of bt_kb_entry_t *, load order, owned */
	GHashTable *by_id;           /* id -> entry */
	/* "X.1.1", "class 5", "550" -> bt_kb_meaning_t *, owned */
	GHashTable *meanings;
	/* "5.1.1", "550" -> one-line meaning, rebuilt after each load */
	GHashTable *lines;
	GChecksum *sum;
	char digest[17];

	/* The matcher, rebuilt after each load: every pattern, best entry
	 * first, and the index of their literals by first three bytes. */
	GPtrArray *patterns;         /* of bt_kb_pattern_t *, owned by entries */
	GPtrArray *buckets[BT_KB_BUCKETS];   /* of bt_kb_literal_t *, owned */
	guint64 *always;             /* a bit per pattern without literals */
	guint64 used[BT_KB_BUCKETS / 64];    /* non-empty buckets */
};

/* kb.c */
bt_kb_entry_t *bt_kb_entry_new (const char *id, const char *file);
void bt_kb_entry_free (gpointer e);
/* "5.1.1", "5.1.*", "*.1.1": class 2, 4, 5 or '*'; subject and detail up
 * to three digits or '*'; not all three '*'. */
bool bt_kb_status_parse (const char *s, bt_kb_status_rule_t *rule);
/* Rebuild kb->lines from kb->meanings (after a load). */
void bt_kb_rebuild_lines (bt_kb_t *kb);

/* What one load needs to report problems at the right line. */
typedef struct {
	const char *path;
	GPtrArray *problems;         /* of g_malloc'd strings */
	GHashTable *lines;           /* "group" and "group\nkey" -> line */
	char *group;                 /* during the scan: current group */
} bt_kb_ctx_t;

/* kb-lines.c */
/* Locate every group and key of data in c->lines, and report lines
 * GKeyFile would refuse.  Returns the number of problems found. */
guint bt_kb_scan (bt_kb_ctx_t *c, const char *data, gsize len);
/* The line of group (key NULL) or of key in group; 1 when not found, which
 * cannot happen for names GKeyFile gave us. */
guint bt_kb_line (bt_kb_ctx_t *c, const char *group, const char *key);
/* "PATH:LINE: message" added to c->problems. */
void bt_kb_problem (bt_kb_ctx_t *c, guint line, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

/* kb-literal.c: literals of every top-level branch (g_strfreev), or NULL
 * when one branch has none. */
char **bt_kb_literals (const char *re);

/* kb-match.c: the pattern index, cleared and rebuilt after a load. */
void bt_kb_clear_index (bt_kb_t *kb);
void bt_kb_rebuild_index (bt_kb_t *kb);

#endif
