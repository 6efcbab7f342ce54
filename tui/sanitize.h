/* sanitize.h: make untrusted text inert before it reaches the terminal.
 *
 * Every string the screen shows (subjects, diagnostics, addresses, raw
 * mail, file names, error messages) goes through bt_sanitize first.  The
 * result holds only printable characters: controls, bidi overrides,
 * zero-width and other format characters and invalid bytes are replaced by
 * visible placeholders, so nothing shown can move the cursor, retitle the
 * terminal, reorder text or reach the clipboard.
 *
 *   C0 and DEL    "^[" "^A" ... "^?"    (caret notation)
 *   C1, format,   "<U+009B>" "<U+202E>" "<U+200B>"
 *   separators,
 *   unassigned
 *   invalid UTF-8 "\xNN" per byte
 *
 * Sanitising is idempotent: placeholders are printable ASCII, so
 * sanitised text passes through unchanged.
 *
 * Tabs become one space; with BT_SANITIZE_MULTILINE a line feed is kept
 * (and CR dropped) so a pager can split lines afterwards.
 *
 * The width helpers count terminal columns with wcwidth semantics on text
 * that was sanitised (every character has width 1 or 2, or 0 for combining
 * marks).  Nothing here uses curses. */
#ifndef BT_SANITIZE_H
#define BT_SANITIZE_H

#include <stdbool.h>
#include <glib.h>

typedef enum {
	BT_SANITIZE_LINE = 0,       /* one line: LF and CR become placeholders */
	BT_SANITIZE_MULTILINE = 1,  /* keep LF, drop CR */
} bt_sanitize_flags_t;

/* Sanitised copy of len bytes of s (up to the NUL when len < 0); NULL gives
 * "".  Never NULL; free with g_free. */
char *bt_sanitize (const char *s, gssize len, bt_sanitize_flags_t flags);

/* Append the sanitised form of s to out (same rules). */
void bt_sanitize_append (GString *out, const char *s, gssize len, bt_sanitize_flags_t flags);

/* When true (a terminal whose locale is not UTF-8), every non-ASCII
 * character is shown as a placeholder too.  Default false. */
void bt_sanitize_set_ascii (bool ascii);

/* True when c would be replaced by a placeholder. */
bool bt_sanitize_is_unsafe (gunichar c);

/* Columns taken by sanitised UTF-8 text. */
int bt_sanitize_width (const char *s);

/* Append to out the longest prefix of sanitised s that fits in width
 * columns, then spaces up to exactly width columns when pad is true.  A wide
 * character that would straddle the edge is replaced by a space.  When the
 * text had to be cut and width > 1, the last column shows '~'.  Returns the
 * columns written. */
int bt_sanitize_fit (GString *out, const char *s, int width, bool pad);

/* Word-wrap sanitised s into lines of at most width columns (width >= 1);
 * long words are broken.  Returns a NULL-terminated array (g_strfreev). */
char **bt_sanitize_wrap (const char *s, int width);

/* Cut sanitised s into pieces of at most width columns (width >= 1),
 * keeping every character and space as it is (for raw mail, where word
 * wrapping would change the text).  NULL-terminated (g_strfreev); "" gives
 * one empty piece. */
char **bt_sanitize_cut (const char *s, int width);

#endif
