/* test-tui-actions.c: the action handlers without a terminal.  A files
 * feed over our corpus fills the state; each action is run through the
 * dispatcher (preconditions included) and the state and the redraw mask
 * it returns are checked.  The screen functions are stubs. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bouncetriage/parse.h"
#include "../tui/actions.h"
#include "../tui/screen.h"
#include "../tui/tui.h"

/* ---- screen stubs: nothing is drawn ---- */
int bt_screen_put (int y, int x, int w, const char *t, bt_style_t s, bool sel, bool pad) { return w; }
void bt_screen_blank (int y, int x, int w, bt_style_t s, bool sel) { }
void bt_screen_cursor (int y, int x) { }
void bt_screen_size (int *rows, int *cols) { *rows = 30; *cols = 100; }
void bt_screen_clear (void) { }
void bt_screen_refresh (void) { }

static bt_kb_t *kb;

static bt_draw_t
run (bt_tui_t *tui, const char *action, const char *arg)
{
	char *argv[] = { (char *) arg, NULL };

	return bt_action_run (tui, action, arg ? 1 : 0, arg ? argv : NULL);
}

static int
setup (void **state)
{
	bt_tui_t *tui = g_new0 (bt_tui_t, 1);
	char *corpus = g_build_filename (g_getenv ("BT_SRCDIR"), "tests", "corpus", NULL);
	char *paths[] = { corpus, NULL };
	GPtrArray *errors = g_ptr_array_new_with_free_func (g_free);

	bt_tui_init (tui);
	tui->kb = kb;
	tui->feed = bt_feed_files_new (paths, kb, NULL);
	tui->triaged_tags = g_strdup ("+bounce/triaged");
	assert_true (tui->feed->ops->restart (tui->feed, NULL, NULL));
	while (!tui->feed->ops->poll (tui->feed, tui->rows, errors))
		;
	bt_list_set_height (&tui->list, 10);
	bt_tui_filter (tui);
	assert_true (tui->shown->len > 20);
	g_ptr_array_free (errors, TRUE);
	g_free (corpus);
	*state = tui;
	return 0;
}

static int
teardown (void **state)
{
	bt_tui_t *tui = *state;

	bt_tui_clear (tui);
	g_free (tui);
	return 0;
}

static void
test_move_returns_redraw (void **state)
{
	bt_tui_t *tui = *state;
	bt_draw_t d = run (tui, "down", NULL);

	assert_int_equal (tui->list.sel, 1);
	assert_true (d & BT_DRAW_LIST);
	assert_true (d & BT_DRAW_PANE);
	assert_int_equal (run (tui, "up", NULL) & BT_DRAW_LIST, BT_DRAW_LIST);
	assert_int_equal (run (tui, "up", NULL), BT_DRAW_NONE);   /* at the top: nothing to redraw */
	run (tui, "bottom", NULL);
	assert_int_equal (tui->list.sel, tui->shown->len - 1);
	assert_true (run (tui, "quit", NULL) & BT_DRAW_QUIT);
}

static void
test_every_row_is_in_its_lane (void **state)
{
	bt_tui_t *tui = *state;

	for (guint i = 0; i < tui->shown->len; i++)
		assert_int_equal (((bt_row_t *) tui->shown->pdata[i])->lane, BT_LANE_FAILURE);
	assert_true (run (tui, "lane", "delays") & BT_DRAW_FILTER);
	bt_tui_filter (tui);
	assert_true (tui->shown->len > 0);
	for (guint i = 0; i < tui->shown->len; i++)
		assert_int_equal (((bt_row_t *) tui->shown->pdata[i])->lane, BT_LANE_DELAY);
}

static void
test_limits_and_sort (void **state)
{
	bt_tui_t *tui = *state;
	guint all = tui->shown->len;

	run (tui, "limit", "hard");
	bt_tui_filter (tui);
	assert_true (tui->shown->len > 0 && tui->shown->len < all);
	for (guint i = 0; i < tui->shown->len; i++)
		assert_true (((bt_row_t *) tui->shown->pdata[i])->hard);
	run (tui, "limit", "all");
	bt_tui_filter (tui);
	assert_int_equal (tui->shown->len, all);
	run (tui, "sort", "recipient");
	bt_tui_filter (tui);
	for (guint i = 1; i < tui->shown->len; i++)
		assert_true (g_strcmp0 (((bt_row_t *) tui->shown->pdata[i - 1])->recipient,
					((bt_row_t *) tui->shown->pdata[i])->recipient) <= 0);
}

static void
test_marks (void **state)
{
	bt_tui_t *tui = *state;
	const char *reason = bt_tui_selected (tui)->reason;
	guint same = 0;
	GPtrArray *targets;

	for (guint i = 0; i < tui->shown->len; i++)
		same += strcmp (((bt_row_t *) tui->shown->pdata[i])->reason, reason) == 0;
	run (tui, "mark-same", "reason");
	assert_int_equal (tui->marked, same);
	/* without the prefix an action works on the selected row only */
	targets = bt_tui_targets (tui);
	assert_int_equal (targets->len, 1);
	g_ptr_array_unref (targets);
	run (tui, "marked-prefix", NULL);
	assert_true (tui->marked_prefix);
	targets = bt_tui_targets (tui);
	assert_int_equal (targets->len, same);
	g_ptr_array_unref (targets);
	run (tui, "unmark-all", NULL);
	assert_int_equal (tui->marked, 0);
	assert_false (tui->marked_prefix);
	run (tui, "toggle-mark", NULL);
	assert_int_equal (tui->marked, 1);
	assert_int_equal (tui->list.sel, 1);   /* and moved on */
}

static void
test_preconditions (void **state)
{
	bt_tui_t *tui = *state;

	/* the files feed is read-only */
	assert_int_equal (run (tui, "triage-next", NULL), BT_DRAW_STATUS);
	assert_true (tui->message_error);
	assert_non_null (strstr (tui->message->str, "read-only"));
	assert_int_equal (tui->list.sel, 0);   /* refused: did not move on */
	/* nothing selected */
	run (tui, "limit", "all");
	tui->lane = BT_LANE_DELIVERED + 1;
	bt_tui_filter (tui);
	assert_null (bt_tui_selected (tui));
	assert_int_equal (run (tui, "open-raw", NULL), BT_DRAW_STATUS);
	assert_non_null (strstr (tui->message->str, "no bounce selected"));
	/* an action of another context does nothing in this view */
	assert_int_equal (run (tui, "select", NULL), BT_DRAW_NONE);
}

static void
test_group_view (void **state)
{
	bt_tui_t *tui = *state;
	bt_group_row_t *first;
	guint total = 0;

	run (tui, "group", "domain");
	assert_int_equal (tui->view, BT_VIEW_GROUP);
	assert_true (tui->groups->len > 1);
	for (guint i = 0; i < tui->groups->len; i++) {
		bt_group_row_t *g = tui->groups->pdata[i];

		total += g->count;
		assert_true (g->first <= g->last);
		if (i > 0)
			assert_true (((bt_group_row_t *) tui->groups->pdata[i - 1])->count >= g->count);
	}
	assert_int_equal (total, tui->shown->len);
	first = tui->groups->pdata[0];
	assert_true (run (tui, "select", NULL) & BT_DRAW_FILTER);
	assert_int_equal (tui->view, BT_VIEW_LIST);
	bt_tui_filter (tui);
	assert_int_equal (tui->shown->len, first->count);
	for (guint i = 0; i < tui->shown->len; i++)
		assert_string_equal (((bt_row_t *) tui->shown->pdata[i])->domain, tui->limit_domain);
}

static void
type (bt_tui_t *tui, const char *text)
{
	for (const char *p = text; *p; p++)
		bt_prompt_key (tui, (bt_key_t) *p);
}

static void
test_prompt (void **state)
{
	bt_tui_t *tui = *state;

	run (tui, "limit", NULL);
	assert_non_null (tui->prompt);
	type (tui, "ha");
	bt_prompt_key (tui, BT_KEY_BACKSPACE);
	type (tui, "ard");
	bt_prompt_key (tui, BT_KEY_CTRL | 'a');
	bt_prompt_key (tui, BT_KEY_CTRL | 'k');   /* kill the line: "hard" gone */
	type (tui, "s");
	bt_prompt_key (tui, BT_KEY_TAB);           /* completes to "soft" */
	assert_true (bt_prompt_key (tui, BT_KEY_ENTER) & BT_DRAW_FILTER);
	assert_null (tui->prompt);
	assert_int_equal (tui->limit_hard, 0);
	run (tui, "limit", NULL);
	type (tui, "hard");
	bt_prompt_key (tui, BT_KEY_ESCAPE);        /* cancelled: nothing changes */
	assert_null (tui->prompt);
	assert_int_equal (tui->limit_hard, 0);
}

static void
test_pane_and_help (void **state)
{
	bt_tui_t *tui = *state;
	GPtrArray *lines = bt_pane_lines (tui, bt_tui_selected (tui), 60);
	bt_keymap_t *km = bt_keymap_new (bt_contexts, bt_action_check, NULL);
	GString *help = g_string_new (NULL);

	assert_true (lines->len > 5);
	g_ptr_array_unref (lines);
	assert_int_equal (bt_keymap_load_string (km, "bind list x triage-next\n", -1, "t", NULL), BT_OK);
	bt_action_help (km, help);
	assert_non_null (strstr (help->str, "  x            triage-next"));
	assert_non_null (strstr (help->str, "Not bound to a key\n"));
	assert_non_null (strstr (help->str, "  down "));   /* unbound here: listed at the end */
	g_string_free (help, TRUE);
	bt_keymap_free (km);
}

/* The pager cuts long lines to the width and keeps its place when the
 * width changes. */
static void
test_pager_layout (void **state)
{
	bt_tui_t *tui = *state;

	bt_tui_pager_text (tui, "t", "0123456789\nab\nlast line here", -1);
	assert_int_equal (tui->view, BT_VIEW_PAGER);
	bt_tui_pager_layout (tui, 4);
	assert_int_equal (tui->pager_lines->len, 3 + 1 + 4);
	assert_string_equal (tui->pager_lines->pdata[0], "0123");
	assert_string_equal (tui->pager_lines->pdata[3], "ab");
	bt_list_set_height (&tui->pager, 2);
	tui->pager.top = 4;                       /* "last" */
	bt_tui_pager_layout (tui, 20);
	assert_int_equal (tui->pager_lines->len, 3);
	assert_int_equal (tui->pager.top, 1);   /* max top for height 2; its line stays shown */
	assert_true (run (tui, "close", NULL) & BT_DRAW_ALL);
	assert_int_equal (tui->view, BT_VIEW_LIST);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown (test_move_returns_redraw, setup, teardown),
		cmocka_unit_test_setup_teardown (test_every_row_is_in_its_lane, setup, teardown),
		cmocka_unit_test_setup_teardown (test_limits_and_sort, setup, teardown),
		cmocka_unit_test_setup_teardown (test_marks, setup, teardown),
		cmocka_unit_test_setup_teardown (test_preconditions, setup, teardown),
		cmocka_unit_test_setup_teardown (test_group_view, setup, teardown),
		cmocka_unit_test_setup_teardown (test_prompt, setup, teardown),
		cmocka_unit_test_setup_teardown (test_pane_and_help, setup, teardown),
		cmocka_unit_test_setup_teardown (test_pager_layout, setup, teardown),
	};
	char *dir;
	int status;

	if (g_getenv ("BT_SRCDIR") == NULL)
		return 77;
	bt_parse_init ();
	kb = bt_kb_new ();
	dir = g_build_filename (g_getenv ("BT_SRCDIR"), "kb", NULL);
	if (bt_kb_load_dir (kb, dir, NULL, NULL) != BT_OK)
		return 1;
	g_free (dir);
	status = cmocka_run_group_tests (tests, NULL, NULL);
	bt_kb_free (kb);
	return status;
}
