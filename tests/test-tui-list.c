/* test-tui-list.c: movement in the generic list (pure arithmetic: the
 * drawing callbacks are stubs here). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include "../tui/list.h"
#include "../tui/screen.h"

static guint rows_in_data;
static int drawn[64];

void
bt_screen_blank (int y, int x, int width, bt_style_t style, bool selected)
{
}

static guint
count (void *data)
{
	return rows_in_data;
}

static void
draw (void *data, guint index, int y, int x, int width, bool selected)
{
	if (y >= 0 && y < 64)
		drawn[y] = selected ? -(int) index - 1 : (int) index;
}

static const bt_list_ops_t ops = { count, draw, NULL };

static void
test_empty (void **state)
{
	bt_list_t l;

	rows_in_data = 0;
	bt_list_init (&l, &ops, NULL, true);
	bt_list_set_height (&l, 10);
	assert_false (bt_list_move (&l, 1));
	assert_false (bt_list_page (&l, 1));
	assert_false (bt_list_last (&l));
	assert_int_equal (l.sel, 0);
	assert_int_equal (l.top, 0);
}

static void
test_cursor_moves_and_scrolls (void **state)
{
	bt_list_t l;

	rows_in_data = 100;
	bt_list_init (&l, &ops, NULL, true);
	bt_list_set_height (&l, 10);
	assert_true (bt_list_move (&l, 1));
	assert_int_equal (l.sel, 1);
	assert_false (bt_list_move (&l, -5) && l.sel != 0);
	assert_int_equal (l.sel, 0);
	bt_list_select (&l, 15);
	assert_int_equal (l.sel, 15);
	assert_int_equal (l.top, 6);          /* the selection stays on screen */
	assert_true (bt_list_last (&l));
	assert_int_equal (l.sel, 99);
	assert_int_equal (l.top, 90);
	assert_false (bt_list_move (&l, 1));
	assert_true (bt_list_first (&l));
	assert_int_equal (l.top, 0);
}

static void
test_page_keeps_screen_position (void **state)
{
	bt_list_t l;

	rows_in_data = 100;
	bt_list_init (&l, &ops, NULL, true);
	bt_list_set_height (&l, 10);
	bt_list_select (&l, 3);
	bt_list_page (&l, 1);
	assert_int_equal (l.top, 9);          /* a page is height - 1 rows */
	assert_int_equal (l.sel, 12);
	bt_list_last (&l);
	bt_list_page (&l, 1);
	assert_int_equal (l.sel, 99);
	bt_list_page (&l, -20);
	assert_int_equal (l.sel, 0);
	assert_int_equal (l.top, 0);
}

static void
test_pager_scrolls (void **state)
{
	bt_list_t l;

	rows_in_data = 25;
	bt_list_init (&l, &ops, NULL, false);
	bt_list_set_height (&l, 10);
	assert_true (bt_list_move (&l, 3));
	assert_int_equal (l.top, 3);
	assert_true (bt_list_last (&l));
	assert_int_equal (l.top, 15);         /* the last page is full */
	assert_false (bt_list_move (&l, 1));
	rows_in_data = 5;
	bt_list_clamp (&l);
	assert_int_equal (l.top, 0);
}

static void
test_shrinking_data (void **state)
{
	bt_list_t l;

	rows_in_data = 50;
	bt_list_init (&l, &ops, NULL, true);
	bt_list_set_height (&l, 10);
	bt_list_select (&l, 40);
	rows_in_data = 12;
	bt_list_clamp (&l);
	assert_int_equal (l.sel, 11);
	assert_int_equal (l.top, 2);
	bt_list_set_height (&l, 0);           /* a tiny terminal */
	assert_int_equal (l.height, 1);
	assert_int_equal (l.top, 11);
}

static void
test_draw_marks_selection (void **state)
{
	bt_list_t l;

	rows_in_data = 3;
	bt_list_init (&l, &ops, NULL, true);
	bt_list_select (&l, 1);
	bt_list_draw (&l, 0, 0, 5, 20);
	assert_int_equal (drawn[0], 0);
	assert_int_equal (drawn[1], -2);
	assert_int_equal (drawn[2], 2);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test (test_empty),
		cmocka_unit_test (test_cursor_moves_and_scrolls),
		cmocka_unit_test (test_page_keeps_screen_position),
		cmocka_unit_test (test_pager_scrolls),
		cmocka_unit_test (test_shrinking_data),
		cmocka_unit_test (test_draw_marks_selection),
	};

	return cmocka_run_group_tests (tests, NULL, NULL);
}
