/* test-tui-term.h: run a program in a pseudo-terminal of a fixed size and
 * read its screen as a person would see it, through libvterm.
 *
 * The harness keeps every byte the program wrote (to look for OSC 52 or
 * raw escapes) and counts attempts to retitle the terminal.  Waits poll
 * with a generous limit: tests wait for what must appear, they never
 * assert on time. */
#ifndef BT_TEST_TUI_TERM_H
#define BT_TEST_TUI_TERM_H

#include <stdbool.h>
#include <glib.h>

typedef struct bt_term bt_term_t;

/* Start argv (argv[0] a path) with env in a rows x cols terminal. */
bt_term_t *bt_term_spawn (int rows, int cols, char **argv, char **env);

/* Read what the program wrote for up to ms milliseconds (returns early
 * when it exits). */
void bt_term_pump (bt_term_t *t, int ms);

/* Pump until the program has written nothing for a moment and its status
 * bar shows no loading progress (it finished loading and drawing). */
void bt_term_settle (bt_term_t *t);

/* Pump until the screen shows text (true) or the limit passes (false). */
bool bt_term_wait (bt_term_t *t, const char *text);
/* Pump until the screen no longer shows text. */
bool bt_term_wait_gone (bt_term_t *t, const char *text);

/* The screen as text, one line per row, trailing blanks trimmed (g_free). */
char *bt_term_text (bt_term_t *t);
/* One row (g_free). */
char *bt_term_row (bt_term_t *t, int row);
/* Row of the first line showing text, or -1. */
int bt_term_find (bt_term_t *t, const char *text);

/* Type keys: bytes as a terminal sends them ("j", "\r", "\033[B"). */
void bt_term_send (bt_term_t *t, const char *bytes);
/* Send a signal to the program. */
void bt_term_signal (bt_term_t *t, int sig);
/* Change the window size (the program gets SIGWINCH). */
void bt_term_resize (bt_term_t *t, int rows, int cols);

/* Every byte written so far. */
const GString *bt_term_raw (bt_term_t *t);
/* Times the program tried to set the window title. */
int bt_term_titles (bt_term_t *t);
/* Cells on screen drawn with a non-default colour. */
int bt_term_colored_cells (bt_term_t *t);
/* The character in the cell at (row, col); 0 for an empty cell or the
 * right half of a wide character. */
gunichar bt_term_cell (bt_term_t *t, int row, int col);
/* Is the cell at (row, col) in reverse video? */
bool bt_term_reverse (bt_term_t *t, int row, int col);

/* Wait for the program to end; its exit status, or -1 when it had to be
 * killed (after the limit). */
int bt_term_wait_exit (bt_term_t *t);
void bt_term_free (bt_term_t *t);

#endif
