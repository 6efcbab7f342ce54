/* act-limit.c: what the list shows and in which order: limits, sort,
 * lanes, the notmuch query. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "act.h"
#include "sanitize.h"

/* Distinct values of a row field among all rows, for completion. */
char **
bt_act_values (bt_tui_t *tui, bt_group_t g)
{
	GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
	GPtrArray *out = g_ptr_array_new ();

	for (guint i = 0; i < tui->rows->len; i++) {
		const char *v = bt_row_group_key (tui->rows->pdata[i], g);

		if (v && g_hash_table_add (seen, (gpointer) v))
			g_ptr_array_add (out, g_strdup (v));
	}
	g_hash_table_destroy (seen);
	g_ptr_array_add (out, NULL);
	return (char **) g_ptr_array_free (out, FALSE);
}

int
bt_act_choice (const char *const *choices, const char *s)
{
	for (int i = 0; s && choices[i]; i++)
		if (strcmp (choices[i], s) == 0)
			return i;
	return -1;
}

static char **limit_field (bt_tui_t *tui, const char *kind);

bt_draw_t
bt_act_limit_set (bt_tui_t *tui, const char *kind, const char *value)
{
	char **field = limit_field (tui, kind);

	if (strcmp (kind, "all") == 0) {
		g_clear_pointer (&tui->limit_reason, g_free);
		g_clear_pointer (&tui->limit_domain, g_free);
		g_clear_pointer (&tui->limit_recipient, g_free);
		g_clear_pointer (&tui->limit_mta, g_free);
		tui->limit_hard = -1;
		bt_tui_note (tui, "limit cleared");
	} else if (strcmp (kind, "hard") == 0 || strcmp (kind, "soft") == 0) {
		int want = strcmp (kind, "hard") == 0;

		tui->limit_hard = tui->limit_hard == want ? -1 : want;
		bt_tui_note (tui, tui->limit_hard < 0 ? "showing hard and soft" : "showing %s only", kind);
	} else if (field) {
		g_free (*field);
		*field = value && *value ? g_strdup (value) : NULL;
		bt_tui_note (tui, *field ? "limited to %s %s" : "%s limit cleared", kind, value);
	}
	return BT_DRAW_FILTER | BT_DRAW_SCREEN;
}

static char **
limit_field (bt_tui_t *tui, const char *kind)
{
	if (strcmp (kind, "reason") == 0) return &tui->limit_reason;
	if (strcmp (kind, "domain") == 0) return &tui->limit_domain;
	if (strcmp (kind, "recipient") == 0) return &tui->limit_recipient;
	if (strcmp (kind, "mta") == 0) return &tui->limit_mta;
	return NULL;
}

static bt_group_t
limit_group (const char *kind)
{
	if (strcmp (kind, "domain") == 0) return BT_GROUP_DOMAIN;
	if (strcmp (kind, "recipient") == 0) return BT_GROUP_RECIPIENT;
	if (strcmp (kind, "mta") == 0) return BT_GROUP_MTA;
	return BT_GROUP_REASON;
}

static bt_draw_t
act_limit_done (bt_tui_t *tui, const char *text, void *data)
{
	char **words;
	bt_draw_t d;

	if (text == NULL)
		return BT_DRAW_STATUS;
	if (data)   /* the kind was given; text is the value */
		return bt_act_limit_set (tui, data, text);
	words = g_strsplit (g_strstrip ((char *) text), " ", 2);
	if (words[0] == NULL || bt_act_choice (bt_act_limit_choices, words[0]) < 0) {
		bt_tui_error (tui, "limit: say reason, domain, recipient, mta, hard, soft or all");
		d = BT_DRAW_STATUS;
	} else {
		d = bt_act_limit_set (tui, words[0], words[1]);
	}
	g_strfreev (words);
	return d;
}

static char **
act_limit_complete (bt_tui_t *tui, const char *word)
{
	return g_strdupv ((char **) bt_act_limit_choices);
}

static char **complete_reason (bt_tui_t *t, const char *w) { return bt_act_values (t, BT_GROUP_REASON); }
static char **complete_domain (bt_tui_t *t, const char *w) { return bt_act_values (t, BT_GROUP_DOMAIN); }
static char **complete_recipient (bt_tui_t *t, const char *w) { return bt_act_values (t, BT_GROUP_RECIPIENT); }
static char **complete_mta (bt_tui_t *t, const char *w) { return bt_act_values (t, BT_GROUP_MTA); }

bt_draw_t
bt_act_limit (bt_tui_t *tui, int argc, char **argv)
{
	static const bt_prompt_complete_fn complete[] = {
		complete_reason, complete_recipient, complete_domain, complete_mta,
	};
	bt_row_t *row = bt_tui_selected (tui);
	const char *kind;
	char *question;
	bt_draw_t d;

	if (argc == 0)
		return bt_prompt_start (tui, "Limit (reason|domain|recipient|mta NAME, hard, soft, all): ",
					NULL, act_limit_complete, act_limit_done, NULL);
	kind = argv[0];
	if (argc > 1 || limit_field (tui, kind) == NULL)
		return bt_act_limit_set (tui, kind, argc > 1 ? argv[1] : NULL);
	question = g_strdup_printf ("Limit to %s: ", kind);
	d = bt_prompt_start (tui, question, row ? bt_row_group_key (row, limit_group (kind)) : NULL,
			     complete[limit_group (kind)], act_limit_done, (void *) kind);
	g_free (question);
	return d;
}

bt_draw_t
bt_act_sort (bt_tui_t *tui, int argc, char **argv)
{
	tui->sort = argc > 0 ? (bt_sort_t) bt_act_choice (bt_act_sort_choices, argv[0])
			     : (bt_sort_t) ((tui->sort + 1) % BT_SORT_COUNT);
	bt_tui_note (tui, "sorted by %s", bt_sort_name (tui->sort));
	return BT_DRAW_FILTER | BT_DRAW_SCREEN;
}

bt_draw_t
bt_act_lane (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		tui->lane = (bt_lane_t) (bt_act_choice (bt_act_lane_choices, argv[0]) + BT_LANE_FAILURE);
	else
		tui->lane = tui->lane >= BT_LANE_FEEDBACK ? BT_LANE_FAILURE : tui->lane + 1;
	bt_tui_note (tui, "lane: %s", bt_lane_name (tui->lane));
	return BT_DRAW_FILTER | BT_DRAW_SCREEN;
}

static bt_draw_t
act_query_done (bt_tui_t *tui, const char *text, void *data)
{
	if (text == NULL)
		return BT_DRAW_STATUS;
	g_free (tui->query);
	tui->query = *text ? g_strdup (text) : NULL;
	return bt_act_refresh (tui, 0, NULL);
}

bt_draw_t
bt_act_query (bt_tui_t *tui, int argc, char **argv)
{
	if (argc > 0)
		return act_query_done (tui, argv[0], NULL);
	return bt_prompt_start (tui, "notmuch query: ", tui->query, NULL, act_query_done, NULL);
}
