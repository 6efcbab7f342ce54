/* list.h: one generic scrolling list, reused by every view.
 *
 * As tmux's mode-tree: the bounce list, the grouped view, the help
 * overlay and the raw-message pager are the same widget with different
 * callbacks.  A list with a cursor moves a selection; one without (a
 * pager) scrolls.  Movement is pure arithmetic (no curses), so handlers
 * can be tested; bt_list_draw draws through screen.h. */
#ifndef BT_LIST_H
#define BT_LIST_H

#include <stdbool.h>
#include <glib.h>

typedef struct {
	guint (*count) (void *data);
	/* Draw row index at (y, x) in width columns. */
	void (*draw) (void *data, guint index, int y, int x, int width, bool selected);
	/* Draw the column titles on one line; NULL for no header. */
	void (*header) (void *data, int y, int x, int width);
} bt_list_ops_t;

typedef struct {
	const bt_list_ops_t *ops;
	void *data;
	bool cursor;        /* false: a pager, movement scrolls */
	guint sel;          /* selected row (cursor lists) */
	guint top;          /* first row shown */
	int height;         /* rows of the last layout (>= 1) */
} bt_list_t;

void bt_list_init (bt_list_t *l, const bt_list_ops_t *ops, void *data, bool cursor);
/* Rows of data shown (layout tells it before movement is used). */
void bt_list_set_height (bt_list_t *l, int height);
guint bt_list_count (const bt_list_t *l);

/* Movement; each returns true when something changed. */
bool bt_list_move (bt_list_t *l, int delta);
bool bt_list_page (bt_list_t *l, int pages);
bool bt_list_first (bt_list_t *l);
bool bt_list_last (bt_list_t *l);
bool bt_list_select (bt_list_t *l, guint index);
/* Keep sel and top inside the data after it changed size. */
void bt_list_clamp (bt_list_t *l);

/* Draw at (y, x), h rows by w columns (header included when there is one). */
void bt_list_draw (bt_list_t *l, int y, int x, int h, int w);

#endif
