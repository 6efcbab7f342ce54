/* tui.h: the triage screen's state, shared by its modules.
 *
 * One bt_tui_t lives for the whole session.  Handlers (actions.c) change it
 * and return what must be redrawn (bt_draw_t); only the main loop (tui.c)
 * draws, through draw.c.  Rows come from a feed (feed.h). */
#ifndef BT_TUI_H
#define BT_TUI_H

#include <stdbool.h>
#include <glib.h>
#include "bouncetriage/kb.h"
#include "feed.h"
#include "keymap.h"
#include "list.h"
#include "screen.h"

/* What a handler asks the main loop to do. */
typedef enum {
	BT_DRAW_NONE    = 0,
	BT_DRAW_LIST    = 1 << 0,
	BT_DRAW_PANE    = 1 << 1,
	BT_DRAW_STATUS  = 1 << 2,
	BT_DRAW_ALL     = 1 << 3,   /* clear and repaint everything */
	BT_DRAW_FILTER  = 1 << 4,   /* rebuild the shown rows (limit, sort, lane) */
	BT_DRAW_QUIT    = 1 << 8,
} bt_draw_t;

#define BT_DRAW_SCREEN (BT_DRAW_LIST | BT_DRAW_PANE | BT_DRAW_STATUS)

typedef enum {
	BT_VIEW_LIST,     /* bounces and the classifier pane */
	BT_VIEW_GROUP,    /* grouped counts */
	BT_VIEW_PAGER,    /* help, raw message, original message */
} bt_view_t;

typedef enum { BT_SORT_DATE, BT_SORT_RECIPIENT, BT_SORT_REASON, BT_SORT_COUNT } bt_sort_t;
typedef enum { BT_GROUP_REASON, BT_GROUP_RECIPIENT, BT_GROUP_DOMAIN, BT_GROUP_MTA, BT_GROUP_COUNT } bt_group_t;

typedef struct bt_prompt bt_prompt_t;
typedef struct bt_tui bt_tui_t;

/* Called with the text entered (NULL when cancelled). */
typedef bt_draw_t (*bt_prompt_done_fn) (bt_tui_t *tui, const char *text, void *data);
/* Candidates for completing word (g_strfreev), or NULL. */
typedef char **(*bt_prompt_complete_fn) (bt_tui_t *tui, const char *word);

/* One group of the grouped view. */
typedef struct {
	char *key;
	guint count, hard;
	gint64 first, last;
} bt_group_row_t;

struct bt_tui {
	bt_kb_t *kb;
	bt_keymap_t *keymap;
	bt_feed_t *feed;
	bool writable;
	bool demo;
	char *clipboard_cmd;       /* configured clipboard command, or NULL */
	char *triaged_tags;        /* changes of "mark triaged" */

	GPtrArray *rows;           /* every row the feed gave (borrowed) */
	GPtrArray *shown;          /* rows passing lane and limits, sorted */
	guint shown_gen;           /* bumped whenever shown is rebuilt */
	GString *reasons;          /* the status bar's totals of shown... */
	guint reasons_gen;         /* ...as of this shown_gen */
	bool loading;              /* the feed has more to give */

	bt_view_t view;
	bt_list_t list;            /* over shown */
	bt_list_t groups_list;     /* over groups */
	GPtrArray *groups;         /* bt_group_row_t * */
	bt_group_t group_by;
	bt_list_t pager;           /* over pager_lines */
	GPtrArray *pager_source;   /* sanitised lines as in the text */
	GPtrArray *pager_lines;    /* the same, cut to pager_width */
	GArray *pager_map;         /* guint: the source line of each of pager_lines */
	int pager_width;
	char *pager_title;
	bt_view_t pager_return;    /* view to go back to */

	/* Limits and order. */
	bt_lane_t lane;
	char *limit_reason;
	char *limit_domain;
	char *limit_recipient;
	char *limit_mta;
	int limit_hard;            /* -1 any, 0 soft only, 1 hard only */
	bt_sort_t sort;
	char *query;

	/* The classifier pane. */
	bool stacked;              /* list above pane instead of beside */
	int pane_scroll;
	int pane_lines;            /* lines the pane had at its last draw */
	int pane_height;

	bool moved;                /* the user moved: new rows keep the selection */
	bool marked_prefix;        /* the next action works on the marked rows */
	guint marked;

	GString *message;          /* status line message */
	bool message_error;
	char *writes;              /* queued writes line, or NULL */

	bt_prompt_t *prompt;       /* active prompt or NULL */
};

/* A state with nothing loaded (the lists set up, no feed, kb or keymap);
 * bt_tui_clear frees what it holds, the feed and keymap included (the kb
 * is the caller's). */
void bt_tui_init (bt_tui_t *tui);
void bt_tui_clear (bt_tui_t *tui);

/* The row under the cursor in the list view, or NULL. */
bt_row_t *bt_tui_selected (bt_tui_t *tui);

/* Rows an action applies to: the marked rows after the marked-prefix
 * action, otherwise the selected row.  A new array (g_ptr_array_unref),
 * empty when there is nothing to act on (the message says why). */
GPtrArray *bt_tui_targets (bt_tui_t *tui);

/* Set the status line message (printf style).  The text is sanitised when
 * drawn. */
void bt_tui_note (bt_tui_t *tui, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
void bt_tui_error (bt_tui_t *tui, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* Rebuild shown from rows, keeping the selected row selected. */
void bt_tui_filter (bt_tui_t *tui);

/* Open the pager on text (raw mail or help): split into sanitised lines. */
void bt_tui_pager_text (bt_tui_t *tui, const char *title, const char *text, gssize len);
/* Cut the pager's lines to width columns (when the width changed); the
 * line at the top stays at the top. */
void bt_tui_pager_layout (bt_tui_t *tui, int width);

/* Prompt (prompt.c). */
bt_draw_t bt_prompt_start (bt_tui_t *tui, const char *question, const char *initial,
			   bt_prompt_complete_fn complete, bt_prompt_done_fn done, void *data);
/* A key for the active prompt. */
bt_draw_t bt_prompt_key (bt_tui_t *tui, bt_key_t key);
void bt_prompt_draw (bt_tui_t *tui, int y, int width);
void bt_prompt_free (bt_prompt_t *p);

/* Drawing (draw.c). */
void bt_draw_screen (bt_tui_t *tui, bt_draw_t what);
void bt_draw_init_lists (bt_tui_t *tui);
/* Mail text at (y, x), sanitised here, fitted to width; columns used. */
int bt_draw_text (int y, int x, int width, const char *raw, bt_style_t style, bool sel, bool pad);
/* A date in the local time zone (g_free); "" for 0. */
char *bt_draw_date (gint64 t, const char *fmt);

/* The classifier pane (pane.c): its lines for row at width (sanitised;
 * g_ptr_array_unref), and drawing them in a box with the pane's scroll. */
GPtrArray *bt_pane_lines (bt_tui_t *tui, bt_row_t *row, int width);
void bt_pane_draw (bt_tui_t *tui, int y, int x, int h, int w);

/* The status bar and the message line (status.c). */
void bt_status_draw (bt_tui_t *tui, int bar_y, int message_y, int w);

/* Grouped view (group.c). */
void bt_group_build (bt_tui_t *tui);
const char *bt_group_name (bt_group_t g);
const char *bt_row_group_key (const bt_row_t *row, bt_group_t g);

/* Names of sorts and lanes for arguments and the status line. */
const char *bt_sort_name (bt_sort_t s);

#endif
