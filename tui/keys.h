/* keys.h: which key bindings a session uses, and `bouncetriage keys`.
 *
 * Order: the built-in defaults (keymaps/default.keys, compiled in) or,
 * when a keymap is chosen (--keymap, ui.keymap), that file instead; then
 * the user's $XDG_CONFIG_HOME/bouncetriage/keys when it exists.  A keymap
 * is a path or the name of a shipped one ("emacs", "mutt"). */
#ifndef BT_KEYS_H
#define BT_KEYS_H

#include <glib.h>
#include "keymap.h"

/* The built-in defaults, in the keymap grammar (static). */
extern const char bt_keys_default[];

/* A keymap with the action table's checker and nothing bound (free with
 * bt_keymap_free). */
bt_keymap_t *bt_keys_new (void);

/* The file for a keymap argument: a shipped name or a path (g_free). */
char *bt_keys_resolve (const char *keymap);

/* Load the session's bindings.  Problems ("FILE:LINE: message",
 * g_malloc'd) are appended; NULL is never returned, but a caller must
 * refuse to start when problems were found. */
bt_keymap_t *bt_keys_load (const char *keymap, GPtrArray *problems);

#endif
