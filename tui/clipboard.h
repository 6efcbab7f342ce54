/* clipboard.h: copy a line of text to the user's clipboard.
 *
 * In order: the configured command (e.g. "wl-copy", "xclip -selection
 * clipboard"), split with g_shell_parse_argv and run WITHOUT a shell, the
 * text on its standard input; inside tmux ($TMUX set) `tmux load-buffer
 * -w -` run the same way; otherwise an OSC 52 sequence written to the
 * terminal.  The text must already be sanitised (sanitize.h): the OSC 52
 * payload is its base64 and nothing else. */
#ifndef BT_CLIPBOARD_H
#define BT_CLIPBOARD_H

#include <stdio.h>
#include <glib.h>
#include "bouncetriage/error.h"

typedef enum {
	BT_CLIP_COMMAND,
	BT_CLIP_TMUX,
	BT_CLIP_OSC52,
} bt_clip_method_t;

/* Which method bt_clipboard_copy would use for command (NULL or "" for
 * none) in this environment. */
bt_clip_method_t bt_clipboard_method (const char *command);

/* The OSC 52 sequence for text ("\033]52;c;BASE64\a"); g_free. */
char *bt_clipboard_osc52 (const char *text);

/* Copy text.  tty is where OSC 52 goes (the terminal).  On success *how
 * (g_free) says where it went, for the status line. */
bt_status_t bt_clipboard_copy (const char *text, const char *command, FILE *tty,
			       char **how, GError **error);

#endif
