/* actions.c: the action table, its dispatcher, and the help and key
 * listings generated from it (actions.h).  The handlers live in act-*.c:
 * they change the state and return what to redraw; they never draw.
 * Preconditions in the table are checked by bt_action_run first. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bouncetriage/reason.h"
#include "actions.h"
#include "act.h"

const char *const bt_contexts[] = { "global", "list", "group", "pager", NULL };

const char *const bt_act_sort_choices[] = { "date", "recipient", "reason", NULL };
const char *const bt_act_group_choices[] = { "reason", "recipient", "domain", "mta", NULL };
const char *const bt_act_lane_choices[] = { "failures", "delays", "auto-replies", "feedback", "delivered", NULL };
const char *const bt_act_mark_choices[] = { "reason", "domain", "recipient", NULL };
const char *const bt_act_limit_choices[] = { "reason", "domain", "recipient", "mta", "hard", "soft", "all", NULL };
const char *const bt_act_layout_choices[] = { "side", "stacked", NULL };

/* ---- the table -------------------------------------------------------- */

#define L BT_CTX_LIST
#define ANY BT_CTX_ANY
#define SEL BT_NEEDS_SELECTION
#define WR BT_NEEDS_WRITABLE
#define MK BT_USES_MARKED

const bt_action_t bt_actions[] = {
	{ "down", bt_act_down, ANY, 0, 0, 0, NULL, NULL, "move down a line" },
	{ "up", bt_act_up, ANY, 0, 0, 0, NULL, NULL, "move up a line" },
	{ "page-down", bt_act_page_down, ANY, 0, 0, 0, NULL, NULL, "move down a page" },
	{ "page-up", bt_act_page_up, ANY, 0, 0, 0, NULL, NULL, "move up a page" },
	{ "top", bt_act_top, ANY, 0, 0, 0, NULL, NULL, "go to the first line" },
	{ "bottom", bt_act_bottom, ANY, 0, 0, 0, NULL, NULL, "go to the last line" },
	{ "pane-down", bt_act_pane_down, L, 0, 0, 1, NULL, "[LINES]", "scroll the classifier pane down" },
	{ "pane-up", bt_act_pane_up, L, 0, 0, 1, NULL, "[LINES]", "scroll the classifier pane up" },
	{ "open-raw", bt_act_open_raw, L, SEL, 0, 0, NULL, NULL, "show the raw bounce message" },
	{ "goto-original", bt_act_goto_original, L, SEL, 0, 0, NULL, NULL, "show the message that bounced, when the database has it" },
	{ "apply-default-tags", bt_act_default_tags, L, SEL | WR | MK, 0, 0, NULL, NULL, "apply the knowledge-base entry's tags" },
	{ "tag-add", bt_act_tag_add, L, SEL | WR | MK, 0, 1, NULL, "[TAG]", "add a tag (prompts, with completion)" },
	{ "tag-remove", bt_act_tag_remove, L, SEL | WR | MK, 0, 1, NULL, "[TAG]", "remove a tag (prompts, with completion)" },
	{ "triage-next", bt_act_triage_next, L, SEL | WR | MK, 0, 1, NULL, "[CHANGES]", "mark triaged and move to the next bounce" },
	{ "toggle-mark", bt_act_toggle_mark, L, SEL, 0, 0, NULL, NULL, "mark or unmark the bounce, then move down" },
	{ "mark-same", bt_act_mark_same, L, SEL, 0, 1, bt_act_mark_choices, "[reason|domain|recipient]", "mark every listed bounce with the same reason, domain or recipient" },
	{ "unmark-all", bt_act_unmark_all, L, 0, 0, 0, NULL, NULL, "unmark every bounce" },
	{ "marked-prefix", bt_act_marked_prefix, L, 0, 0, 0, NULL, NULL, "apply the next action to all marked bounces" },
	{ "copy-address", bt_act_copy_address, L, SEL, 0, 0, NULL, NULL, "copy the failed address to the clipboard" },
	{ "copy-diagnostic", bt_act_copy_diagnostic, L, SEL, 0, 0, NULL, NULL, "copy the diagnostic to the clipboard" },
	{ "export-csv", bt_act_export, L, 0, 0, 1, NULL, "[FILE]", "export the marked (else listed) recipients as CSV" },
	{ "limit", bt_act_limit, L, 0, 0, 2, bt_act_limit_choices, "[reason|domain|recipient|mta|hard|soft|all [VALUE]]", "limit the list" },
	{ "query", bt_act_query, L, 0, 0, 1, NULL, "[QUERY]", "enter a notmuch query" },
	{ "sort", bt_act_sort, L, 0, 0, 1, bt_act_sort_choices, "[date|recipient|reason]", "sort the list (cycles without argument)" },
	{ "group", bt_act_group, L | BT_CTX_GROUP, 0, 0, 1, bt_act_group_choices, "[reason|recipient|domain|mta]", "grouped view with counts and first/last seen (cycles)" },
	{ "select", bt_act_group_select, BT_CTX_GROUP, 0, 0, 0, NULL, NULL, "list the bounces of the group" },
	{ "lane", bt_act_lane, L, 0, 0, 1, bt_act_lane_choices, "[failures|delays|auto-replies|feedback]", "switch lane (cycles)" },
	{ "undo", bt_act_undo, L | BT_CTX_GROUP, WR, 0, 0, NULL, NULL, "undo the last tag change (again for earlier ones)" },
	{ "refresh", bt_act_refresh, L, 0, 0, 0, NULL, NULL, "read the bounces again" },
	{ "toggle-layout", bt_act_layout, ANY, 0, 0, 1, bt_act_layout_choices, "[side|stacked]", "pane beside or below the list" },
	{ "redraw", bt_act_redraw, ANY, 0, 0, 0, NULL, NULL, "repaint the screen" },
	{ "help", bt_act_help, ANY, 0, 0, 0, NULL, NULL, "show the keys" },
	{ "close", bt_act_close, BT_CTX_GROUP | BT_CTX_PAGER, 0, 0, 0, NULL, NULL, "close this view" },
	{ "quit", bt_act_quit, ANY, 0, 0, 0, NULL, NULL, "leave bouncetriage" },
	{ NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

const bt_action_t *
bt_action_find (const char *name)
{
	for (const bt_action_t *a = bt_actions; name && a->name; a++)
		if (strcmp (a->name, name) == 0)
			return a;
	return NULL;
}

static unsigned
act_context_bit (const char *context)
{
	for (int i = 0; bt_contexts[i]; i++)
		if (strcmp (bt_contexts[i], context) == 0)
			return 1u << i;
	return 0;
}

bool
bt_action_check (const char *context, const char *action, int argc, char **args,
		 char **why, void *data)
{
	const bt_action_t *a = bt_action_find (action);
	unsigned bit = act_context_bit (context);

	if (a == NULL) {
		*why = g_strdup_printf ("unknown action '%s' (see 'bouncetriage keys')", action);
		return false;
	}
	if ((a->contexts & bit) == 0 && bit != BT_CTX_GLOBAL) {
		*why = g_strdup_printf ("action '%s' cannot be used in context '%s'", action, context);
		return false;
	}
	if (argc < a->min_args || argc > a->max_args) {
		*why = g_strdup_printf ("action '%s' takes %s", action,
					a->args ? a->args : "no arguments");
		return false;
	}
	if (argc > 0 && a->choices && bt_act_choice (a->choices, args[0]) < 0) {
		*why = g_strdup_printf ("action '%s': '%s' is not one of %s", action, args[0], a->args);
		return false;
	}
	return true;
}

/* Whether the action can run in the current view (a global binding of a
 * list action does nothing in the pager). */
static bool
act_fits_view (const bt_tui_t *tui, const bt_action_t *a)
{
	static const unsigned bits[] = {
		[BT_VIEW_LIST] = BT_CTX_LIST, [BT_VIEW_GROUP] = BT_CTX_GROUP, [BT_VIEW_PAGER] = BT_CTX_PAGER,
	};

	return (a->contexts & (bits[tui->view] | BT_CTX_GLOBAL)) != 0 || a->contexts == ANY;
}

bt_draw_t
bt_action_run (bt_tui_t *tui, const char *name, int argc, char **argv)
{
	const bt_action_t *a = bt_action_find (name);
	bt_draw_t d;

	if (a == NULL || !act_fits_view (tui, a))
		return BT_DRAW_NONE;
	if ((a->flags & BT_NEEDS_SELECTION) && bt_tui_selected (tui) == NULL) {
		bt_tui_error (tui, "%s: no bounce selected", name);
		return BT_DRAW_STATUS;
	}
	if ((a->flags & BT_NEEDS_WRITABLE) && !tui->writable) {
		bt_tui_error (tui, "%s: read-only (the list comes from files, not a notmuch database)", name);
		return BT_DRAW_STATUS;
	}
	d = a->run (tui, argc, argv);
	/* the prefix lasts for one action, unless that action opened a prompt */
	if (a->run != bt_act_marked_prefix && tui->prompt == NULL)
		tui->marked_prefix = false;
	return d;
}

const char *const *
bt_action_chain (const bt_tui_t *tui)
{
	static const char *const list[] = { "list", "global", NULL };
	static const char *const group[] = { "group", "global", NULL };
	static const char *const pager[] = { "pager", "global", NULL };

	switch (tui->view) {
	case BT_VIEW_GROUP: return group;
	case BT_VIEW_PAGER: return pager;
	default: return list;
	}
}

/* The action with its bound arguments: "limit hard". */
static char *
act_binding_text (const bt_binding_t *b)
{
	GString *s = g_string_new (bt_binding_action (b));

	for (char **a = bt_binding_args (b); a && *a; a++) {
		g_string_append_c (s, ' ');
		g_string_append (s, *a);
	}
	return g_string_free (s, FALSE);
}

void
bt_action_help (const bt_keymap_t *km, GString *out)
{
	static const char *const titles[] = { "Everywhere", "Bounce list", "Grouped view", "Pager and help" };

	for (int c = 0; bt_contexts[c]; c++) {
		const GPtrArray *list = bt_keymap_bindings (km, bt_contexts[c]);

		g_string_append_printf (out, "%s%s (%s)\n", c ? "\n" : "", titles[c], bt_contexts[c]);
		for (guint i = 0; list && i < list->len; i++) {
			const bt_binding_t *b = list->pdata[i];
			char *key = bt_key_name (bt_binding_key (b));
			char *act = act_binding_text (b);
			const bt_action_t *a = bt_action_find (bt_binding_action (b));

			g_string_append_printf (out, "  %-12s %-22s %s\n", key, act, a ? a->help : "");
			g_free (key);
			g_free (act);
		}
	}
	g_string_append (out, "\nNot bound to a key\n");
	for (const bt_action_t *a = bt_actions; a->name; a++) {
		bool bound = false;

		for (int c = 0; bt_contexts[c] && !bound; c++)
			bound = bt_keymap_key_for (km, bt_contexts[c], a->name) != BT_KEY_NONE;
		if (!bound)
			g_string_append_printf (out, "  %-12s %-22s %s\n", "", a->name, a->help);
	}
}

void
bt_action_list_bindings (const bt_keymap_t *km, GString *out)
{
	for (int c = 0; bt_contexts[c]; c++) {
		const GPtrArray *list = bt_keymap_bindings (km, bt_contexts[c]);

		for (guint i = 0; list && i < list->len; i++) {
			const bt_binding_t *b = list->pdata[i];
			char *key = bt_key_name (bt_binding_key (b));
			char *act = act_binding_text (b);
			const bt_action_t *a = bt_action_find (bt_binding_action (b));

			g_string_append_printf (out, "%s\t%s\t%s\t%s\n", bt_contexts[c], key, act,
						a ? a->help : "");
			g_free (key);
			g_free (act);
		}
	}
}
