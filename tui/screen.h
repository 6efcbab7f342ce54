/* screen.h: the terminal: curses set-up and teardown, styles, keys.
 *
 * The only module besides the drawing functions that talks to curses.
 * bt_screen_start installs handlers so that the terminal is restored on
 * every way out: a normal exit (atexit), SIGTERM/SIGHUP/SIGINT (the main
 * loop is told and leaves cleanly), and fatal signals (restored, then the
 * signal is re-raised).  curses' own SIGTSTP handling restores it around
 * C-z, and SIGWINCH arrives as BT_KEY_RESIZE. */
#ifndef BT_SCREEN_H
#define BT_SCREEN_H

#include <stdbool.h>
#include "keymap.h"

typedef enum {
	BT_STYLE_NORMAL,
	BT_STYLE_HEADER,      /* column titles */
	BT_STYLE_HARD,        /* a hard reason */
	BT_STYLE_SOFT,        /* a soft reason */
	BT_STYLE_MARKED,
	BT_STYLE_STATUS,      /* the status bar */
	BT_STYLE_ERROR,       /* a message that says something failed */
	BT_STYLE_LABEL,       /* "Recipient:" in the pane */
	BT_STYLE_TITLE,       /* pane and overlay titles */
	BT_STYLE_DIM,         /* triaged rows, placeholders */
	BT_STYLE_DELAY,       /* reasons in the delays lane */
	BT_STYLE_INFO,        /* auto-replies, feedback, delivery reports */
	BT_STYLE_SELECTED,    /* the selected row (with colours) */
	BT_STYLE_COUNT
} bt_style_t;

/* Set a style's colours before bt_screen_start: fg and bg -1 (default) or
 * 0-255, attrs BT_ATTR_* bits of settings.h. */
void bt_screen_set_color (bt_style_t style, int fg, int bg, unsigned attrs);

/* Enter curses.  color false (NO_COLOR, --no-color, or a terminal without
 * colours) leaves only bold, underline and reverse.  False when the
 * terminal cannot be used (the message is in *why, g_free). */
bool bt_screen_start (bool color, char **why);
/* Leave curses and restore the terminal; safe to call more than once and
 * from a signal handler path. */
void bt_screen_stop (void);
bool bt_screen_active (void);

void bt_screen_size (int *rows, int *cols);
/* Forget what is on the terminal: the next refresh repaints everything. */
void bt_screen_clear (void);
void bt_screen_refresh (void);
/* Leave the cursor at (y, x) visible (prompt) or hide it (x < 0). */
void bt_screen_cursor (int y, int x);

/* Write text at y, x fitted to width columns (it is sanitised here too, as
 * a last line of defence; callers sanitise mail text first) (padded
 * with the style's background when pad).  selected adds reverse video.
 * Returns the columns used. */
int bt_screen_put (int y, int x, int width, const char *text, bt_style_t style,
		   bool selected, bool pad);
/* Blank width columns at y, x. */
void bt_screen_blank (int y, int x, int width, bt_style_t style, bool selected);

/* The next key, waiting at most timeout_ms (-1: forever).  BT_KEY_NONE on
 * timeout or when a signal interrupted the wait. */
bt_key_t bt_screen_key (int timeout_ms);

/* True once SIGTERM, SIGHUP or SIGINT arrived: the main loop quits. */
bool bt_screen_quit_requested (void);

/* Leave curses for a moment (running a program that writes to the
 * terminal) and come back. */
void bt_screen_suspend (void);
void bt_screen_resume (void);

#endif
