/* actions.h: every action of the triage screen, in one table.
 *
 * The table gives each action its name (what keymaps bind), handler,
 * arguments, help text, the contexts it may be bound in and its
 * preconditions.  The key parser validates bindings against it, the help
 * overlay and `bouncetriage keys` are generated from it, and the
 * dispatcher checks the preconditions before a handler runs, so handlers
 * do not repeat them.  Handlers return what to redraw (bt_draw_t). */
#ifndef BT_ACTIONS_H
#define BT_ACTIONS_H

#include "keymap.h"
#include "tui.h"

/* Contexts, as keymaps name them.  A key is looked up in the view's
 * context, then in "global". */
typedef enum {
	BT_CTX_GLOBAL = 1 << 0,
	BT_CTX_LIST   = 1 << 1,
	BT_CTX_GROUP  = 1 << 2,
	BT_CTX_PAGER  = 1 << 3,
} bt_ctx_t;

#define BT_CTX_ANY (BT_CTX_GLOBAL | BT_CTX_LIST | BT_CTX_GROUP | BT_CTX_PAGER)

/* NULL-terminated, in bt_ctx_t bit order. */
extern const char *const bt_contexts[];

typedef enum {
	BT_NEEDS_SELECTION = 1 << 0,  /* a bounce under the cursor */
	BT_NEEDS_WRITABLE  = 1 << 1,  /* a notmuch store that can be tagged */
	BT_USES_MARKED     = 1 << 2,  /* applies to the marked rows after marked-prefix */
} bt_action_flags_t;

typedef bt_draw_t (*bt_action_fn) (bt_tui_t *tui, int argc, char **argv);

typedef struct {
	const char *name;
	bt_action_fn run;
	unsigned contexts;            /* bt_ctx_t bits where it may be bound */
	unsigned flags;               /* bt_action_flags_t */
	int min_args, max_args;
	const char *const *choices;   /* allowed first argument, or NULL: any */
	const char *args;             /* for help: "[TAG]" */
	const char *help;
} bt_action_t;

/* Terminated by an entry whose name is NULL. */
extern const bt_action_t bt_actions[];

const bt_action_t *bt_action_find (const char *name);

/* The keymap checker (keymap.h) over the table. */
bool bt_action_check (const char *context, const char *action, int argc, char **args,
		      char **why, void *data);

/* Run the binding's action after checking its preconditions (a failed one
 * sets the status line message instead). */
bt_draw_t bt_action_run (bt_tui_t *tui, const char *name, int argc, char **argv);

/* The context names to try for the current view, most specific first
 * (NULL-terminated, static). */
const char *const *bt_action_chain (const bt_tui_t *tui);

/* Help text, generated from the table and the live keymap: one line per
 * binding "  KEY  ACTION ARGS  help", by context, then the unbound
 * actions.  Appended to out. */
void bt_action_help (const bt_keymap_t *km, GString *out);

/* Lines of `bouncetriage keys`: context, key, action with arguments, help,
 * tab-separated.  Appended to out. */
void bt_action_list_bindings (const bt_keymap_t *km, GString *out);

#endif
