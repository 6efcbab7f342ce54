/* list.c: the generic list (list.h). */
#include "config.h"

#include "list.h"
#include "screen.h"

void
bt_list_init (bt_list_t *l, const bt_list_ops_t *ops, void *data, bool cursor)
{
	l->ops = ops;
	l->data = data;
	l->cursor = cursor;
	l->sel = 0;
	l->top = 0;
	l->height = 1;
}

guint
bt_list_count (const bt_list_t *l)
{
	return l->ops->count (l->data);
}

void
bt_list_set_height (bt_list_t *l, int height)
{
	l->height = height < 1 ? 1 : height;
	bt_list_clamp (l);
}

/* The largest top that still fills the view. */
static guint
list_max_top (const bt_list_t *l)
{
	guint n = bt_list_count (l);

	return n > (guint) l->height ? n - (guint) l->height : 0;
}

void
bt_list_clamp (bt_list_t *l)
{
	guint n = bt_list_count (l);

	if (!l->cursor) {
		if (l->top > list_max_top (l))
			l->top = list_max_top (l);
		return;
	}
	if (n == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= n)
		l->sel = n - 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + (guint) l->height)
		l->top = l->sel - (guint) l->height + 1;
	if (l->top > list_max_top (l))
		l->top = list_max_top (l);
}

static bool
list_set (bt_list_t *l, gint64 pos)
{
	guint before_sel = l->sel, before_top = l->top;
	guint n = bt_list_count (l);
	gint64 max = l->cursor ? (gint64) n - 1 : (gint64) list_max_top (l);

	if (pos > max)
		pos = max;
	if (pos < 0)
		pos = 0;
	if (l->cursor)
		l->sel = (guint) pos;
	else
		l->top = (guint) pos;
	bt_list_clamp (l);
	return l->sel != before_sel || l->top != before_top;
}

bool
bt_list_move (bt_list_t *l, int delta)
{
	return list_set (l, (gint64) (l->cursor ? l->sel : l->top) + delta);
}

bool
bt_list_page (bt_list_t *l, int pages)
{
	int step = l->height > 2 ? l->height - 1 : 1;
	bool changed;

	if (!l->cursor)
		return bt_list_move (l, pages * step);
	/* the page scrolls and the cursor keeps its place on screen, as in
	 * mutt; at either end the cursor goes to the first or last row */
	{
		guint offset = l->sel - l->top;
		gint64 top = (gint64) l->top + (gint64) pages * step;
		bool clamped = top < 0 || top > (gint64) list_max_top (l);

		if (clamped) {
			changed = list_set (l, pages > 0 ? (gint64) bt_list_count (l) - 1 : 0);
		} else {
			l->top = (guint) top;
			list_set (l, top + offset);
			changed = true;   /* the page moved even when sel did not */
		}
	}
	return changed;
}

bool
bt_list_first (bt_list_t *l)
{
	return list_set (l, 0);
}

bool
bt_list_last (bt_list_t *l)
{
	return list_set (l, G_MAXINT64);
}

bool
bt_list_select (bt_list_t *l, guint index)
{
	return list_set (l, index);
}

void
bt_list_draw (bt_list_t *l, int y, int x, int h, int w)
{
	guint n;

	if (h <= 0 || w <= 0)
		return;
	if (l->ops->header) {
		l->ops->header (l->data, y, x, w);
		y++;
		h--;
	}
	bt_list_set_height (l, h);
	n = bt_list_count (l);
	for (int i = 0; i < h; i++) {
		guint index = l->top + (guint) i;

		if (index < n)
			l->ops->draw (l->data, index, y + i, x, w, l->cursor && index == l->sel);
		else
			bt_screen_blank (y + i, x, w, BT_STYLE_NORMAL, false);
	}
}
