/* group.c: the grouped view: bounces counted by reason, recipient,
 * recipient domain or remote MTA, with first and last seen.  Built from
 * the rows the list shows (lane and limits apply). */
#include "config.h"

#include <string.h>
#include "tui.h"

static const char *const group_names[BT_GROUP_COUNT] = {
	[BT_GROUP_REASON] = "reason", [BT_GROUP_RECIPIENT] = "recipient",
	[BT_GROUP_DOMAIN] = "domain", [BT_GROUP_MTA] = "remote MTA",
};

const char *
bt_group_name (bt_group_t g)
{
	return (unsigned) g < BT_GROUP_COUNT ? group_names[g] : "?";
}

const char *
bt_row_group_key (const bt_row_t *row, bt_group_t g)
{
	if (row == NULL)
		return NULL;
	switch (g) {
	case BT_GROUP_REASON: return row->reason;
	case BT_GROUP_RECIPIENT: return row->recipient;
	case BT_GROUP_DOMAIN: return row->domain;
	case BT_GROUP_MTA: return row->remote_mta;
	default: return NULL;
	}
}

static void
group_row_free (gpointer p)
{
	bt_group_row_t *g = p;

	g_free (g->key);
	g_free (g);
}

/* Most bounces first, then most recent, then by name. */
static gint
group_compare (gconstpointer a, gconstpointer b)
{
	const bt_group_row_t *x = *(bt_group_row_t *const *) a;
	const bt_group_row_t *y = *(bt_group_row_t *const *) b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->last != y->last)
		return x->last > y->last ? -1 : 1;
	return strcmp (x->key, y->key);
}

void
bt_group_build (bt_tui_t *tui)
{
	GHashTable *by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

	if (tui->groups)
		g_ptr_array_free (tui->groups, TRUE);
	tui->groups = g_ptr_array_new_with_free_func (group_row_free);
	for (guint i = 0; i < tui->shown->len; i++) {
		const bt_row_t *r = tui->shown->pdata[i];
		const char *k = bt_row_group_key (r, tui->group_by);
		char *key = g_utf8_strdown (k ? k : "(none)", -1);
		bt_group_row_t *g = g_hash_table_lookup (by_key, key);
		gint64 t = r->msg->date;

		if (g == NULL) {
			g = g_new0 (bt_group_row_t, 1);
			g->key = g_strdup (key);
			g->first = g->last = t;
			g_hash_table_insert (by_key, key, g);
			g_ptr_array_add (tui->groups, g);
		} else {
			g_free (key);
		}
		g->count++;
		if (r->hard)
			g->hard++;
		if (t && (g->first == 0 || t < g->first))
			g->first = t;
		if (t > g->last)
			g->last = t;
	}
	g_hash_table_destroy (by_key);
	g_ptr_array_sort (tui->groups, group_compare);
	tui->groups_list.sel = 0;
	tui->groups_list.top = 0;
}
