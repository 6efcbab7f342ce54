/* act.h (private to tui/): the action handlers, one file per kind
 * (act-move.c, act-view.c, act-tag.c, act-limit.c), and what they share.
 * actions.c puts them in the table; nothing else calls them directly.
 * Each handler has the bt_action_fn signature and returns what to redraw. */
#ifndef BT_ACT_H
#define BT_ACT_H

#include "actions.h"
#include "tui.h"

/* Allowed first arguments, for the table and the handlers (actions.c). */
extern const char *const bt_act_sort_choices[];
extern const char *const bt_act_group_choices[];
extern const char *const bt_act_lane_choices[];
extern const char *const bt_act_mark_choices[];
extern const char *const bt_act_limit_choices[];
extern const char *const bt_act_layout_choices[];

/* act-move.c */
bt_list_t *bt_act_current_list (bt_tui_t *tui);
bt_draw_t bt_act_moved (bt_tui_t *tui, bool changed);
bt_draw_t bt_act_down (bt_tui_t *t, int c, char **v);
bt_draw_t bt_act_up (bt_tui_t *t, int c, char **v);
bt_draw_t bt_act_page_down (bt_tui_t *t, int c, char **v);
bt_draw_t bt_act_page_up (bt_tui_t *t, int c, char **v);
bt_draw_t bt_act_top (bt_tui_t *t, int c, char **v);
bt_draw_t bt_act_bottom (bt_tui_t *t, int c, char **v);
bt_draw_t bt_act_pane_down (bt_tui_t *t, int c, char **v);
bt_draw_t bt_act_pane_up (bt_tui_t *t, int c, char **v);

/* act-view.c */
bt_draw_t bt_act_open_raw (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_goto_original (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_help (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_close (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_quit (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_redraw (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_layout (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_refresh (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_group (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_group_select (bt_tui_t *tui, int argc, char **argv);

/* act-tag.c */
GPtrArray *bt_act_messages (GPtrArray *rows);
const char *bt_act_plural (guint n, const char *one);
bt_draw_t bt_act_tag_targets (bt_tui_t *tui, const char *changes, const char *what);
bt_draw_t bt_act_default_tags (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_tag_add (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_tag_remove (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_triage_next (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_undo (bt_tui_t *tui, int argc, char **argv);
void bt_act_set_mark (bt_tui_t *tui, bt_row_t *row, bool on);
bt_draw_t bt_act_toggle_mark (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_mark_same (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_unmark_all (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_marked_prefix (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_copy_address (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_copy_diagnostic (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_export (bt_tui_t *tui, int argc, char **argv);

/* act-limit.c */
char **bt_act_values (bt_tui_t *tui, bt_group_t g);
int bt_act_choice (const char *const *choices, const char *s);
bt_draw_t bt_act_limit_set (bt_tui_t *tui, const char *kind, const char *value);
bt_draw_t bt_act_limit (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_sort (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_lane (bt_tui_t *tui, int argc, char **argv);
bt_draw_t bt_act_query (bt_tui_t *tui, int argc, char **argv);

#endif
