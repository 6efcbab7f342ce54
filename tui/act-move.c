/* act-move.c: moving in the current view and scrolling the pane. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "act.h"
#include "sanitize.h"

/* The list the view moves in. */
bt_list_t *
bt_act_current_list (bt_tui_t *tui)
{
	switch (tui->view) {
	case BT_VIEW_GROUP: return &tui->groups_list;
	case BT_VIEW_PAGER: return &tui->pager;
	default: return &tui->list;
	}
}

bt_draw_t
bt_act_moved (bt_tui_t *tui, bool changed)
{
	if (!changed)
		return BT_DRAW_NONE;
	if (tui->view == BT_VIEW_LIST) {
		tui->moved = true;
		tui->pane_scroll = 0;
		return BT_DRAW_LIST | BT_DRAW_PANE | BT_DRAW_STATUS;
	}
	return BT_DRAW_LIST | BT_DRAW_STATUS;
}

bt_draw_t bt_act_down (bt_tui_t *t, int c, char **v) { return bt_act_moved (t, bt_list_move (bt_act_current_list (t), 1)); }
bt_draw_t bt_act_up (bt_tui_t *t, int c, char **v) { return bt_act_moved (t, bt_list_move (bt_act_current_list (t), -1)); }
bt_draw_t bt_act_page_down (bt_tui_t *t, int c, char **v) { return bt_act_moved (t, bt_list_page (bt_act_current_list (t), 1)); }
bt_draw_t bt_act_page_up (bt_tui_t *t, int c, char **v) { return bt_act_moved (t, bt_list_page (bt_act_current_list (t), -1)); }
bt_draw_t bt_act_top (bt_tui_t *t, int c, char **v) { return bt_act_moved (t, bt_list_first (bt_act_current_list (t))); }
bt_draw_t bt_act_bottom (bt_tui_t *t, int c, char **v) { return bt_act_moved (t, bt_list_last (bt_act_current_list (t))); }

static bt_draw_t
act_pane_scroll (bt_tui_t *tui, int delta)
{
	int max = tui->pane_lines - tui->pane_height;

	tui->pane_scroll += delta;
	if (tui->pane_scroll > max)
		tui->pane_scroll = max;
	if (tui->pane_scroll < 0)
		tui->pane_scroll = 0;
	return BT_DRAW_PANE;
}

bt_draw_t bt_act_pane_down (bt_tui_t *t, int c, char **v) { return act_pane_scroll (t, c ? atoi (v[0]) : 3); }
bt_draw_t bt_act_pane_up (bt_tui_t *t, int c, char **v) { return act_pane_scroll (t, -(c ? atoi (v[0]) : 3)); }
