/* keymap.h: key names and key tables, without curses.
 *
 * A key is a bt_key_t: a Unicode code point or one of the named keys below,
 * with modifier bits.  Control letters are stored as the letter with
 * BT_KEY_CTRL (C-n, never 0x0e); input.c turns curses codes into keys.
 *
 * A keymap holds bindings per context.  Files use one grammar, the same for
 * the built-in defaults, the shipped keymaps and the user's file:
 *
 *     # comment
 *     bind CONTEXT KEY ACTION [ARGS...]
 *     unbind CONTEXT KEY
 *     source FILE            (relative to the file that sources it)
 *
 * Tokens are split at white space; '...' and "..." quote (with \" and \\
 * inside double quotes), so a key '#' is written '#' or <Hash>.  Key names:
 * a single character (j, G, ?), C-x, M-x, C-M-x, <Down>, <PageDown>, <Enter>,
 * <Space>, <Tab>, <F1>..., and modifiers on named keys (M-<Down>, <C-Down>).
 *
 * The keymap knows nothing of actions: the caller gives a checker that says
 * whether an action name (and its arguments) is valid in a context. */
#ifndef BT_KEYMAP_H
#define BT_KEYMAP_H

#include <stdbool.h>
#include <glib.h>
#include "bouncetriage/error.h"

typedef guint32 bt_key_t;

#define BT_KEY_NONE   0u
#define BT_KEY_CTRL   (1u << 28)
#define BT_KEY_META   (1u << 29)
#define BT_KEY_SHIFT  (1u << 30)   /* only with named keys: S-<Tab>... */
#define BT_KEY_MODS   (BT_KEY_CTRL | BT_KEY_META | BT_KEY_SHIFT)
#define BT_KEY_BASE(k) ((k) & ~BT_KEY_MODS)

enum {
	BT_KEY_NAMED = 0x110000,
	BT_KEY_UP = BT_KEY_NAMED, BT_KEY_DOWN, BT_KEY_LEFT, BT_KEY_RIGHT,
	BT_KEY_PAGEUP, BT_KEY_PAGEDOWN, BT_KEY_HOME, BT_KEY_END,
	BT_KEY_ENTER, BT_KEY_TAB, BT_KEY_BACKTAB, BT_KEY_BACKSPACE,
	BT_KEY_DELETE, BT_KEY_INSERT, BT_KEY_ESCAPE,
	BT_KEY_F1, BT_KEY_F12 = BT_KEY_F1 + 11,
	BT_KEY_RESIZE,           /* not bindable: the terminal changed size */
	BT_KEY_NAMED_END,
};

/* Parse a key name; BT_KEY_NONE when it is not one. */
bt_key_t bt_key_parse (const char *name);

/* The canonical name of key ("C-n", "<PageDown>", "M-x"); g_free. */
char *bt_key_name (bt_key_t key);

typedef struct bt_keymap bt_keymap_t;
typedef struct bt_binding bt_binding_t;

/* Says whether ACTION with args (argc of them) may be bound in context;
 * when not, returns false and sets *why (g_malloc'd) to the reason. */
typedef bool (*bt_keymap_check_fn) (const char *context, const char *action,
				    int argc, char **args, char **why, void *data);

/* A keymap with the given contexts (a NULL-terminated static array, the
 * first is the fallback context shown first) and checker.  Free with
 * bt_keymap_free. */
bt_keymap_t *bt_keymap_new (const char *const *contexts, bt_keymap_check_fn check, void *data);
void bt_keymap_free (bt_keymap_t *km);

/* Read the grammar above from text (name is used in messages).  Each
 * problem is appended to problems as a g_malloc'd "NAME:LINE: message"; a
 * line with a problem changes nothing, the other lines apply.  Returns BT_OK
 * or BT_ERR_PARSE when there were problems. */
bt_status_t bt_keymap_load_string (bt_keymap_t *km, const char *text, gssize len,
				   const char *name, GPtrArray *problems);

/* The same from a file.  A file that cannot be read is a problem too
 * ("FILE: No such file or directory"), with BT_ERR_IO returned. */
bt_status_t bt_keymap_load_file (bt_keymap_t *km, const char *path, GPtrArray *problems);

/* Binding of key in context (no fallback; the caller chooses the chain), or
 * NULL.  Owned by the keymap, valid until the key is rebound or unbound. */
const bt_binding_t *bt_keymap_lookup (const bt_keymap_t *km, const char *context, bt_key_t key);

/* Bindings of a context in the order they were made; NULL for an unknown
 * context.  The array and its bindings belong to the keymap. */
const GPtrArray *bt_keymap_bindings (const bt_keymap_t *km, const char *context);

/* The first key bound to action in context, or BT_KEY_NONE. */
bt_key_t bt_keymap_key_for (const bt_keymap_t *km, const char *context, const char *action);

const char *const *bt_keymap_contexts (const bt_keymap_t *km);

bt_key_t bt_binding_key (const bt_binding_t *b);
const char *bt_binding_action (const bt_binding_t *b);
/* NULL-terminated, owned by the binding. */
char **bt_binding_args (const bt_binding_t *b);
int bt_binding_argc (const bt_binding_t *b);
const char *bt_binding_context (const bt_binding_t *b);

#endif
