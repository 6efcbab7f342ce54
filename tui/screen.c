/* screen.c: curses set-up, teardown on every exit path, styles, keys. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "bouncetriage/settings.h"
#include "sanitize.h"
#include "screen.h"

static bool screen_on;
static bool screen_color;
static volatile sig_atomic_t screen_quit;

/* Style -> attributes: colour pair (0 when monochrome) and video attributes
 * that keep the screen readable without colour. */
static struct {
	short fg, bg;
	attr_t mono;
	attr_t color_attr;
} screen_styles[BT_STYLE_COUNT] = {
	[BT_STYLE_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[BT_STYLE_HEADER] = { -1, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE },
	[BT_STYLE_HARD]   = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[BT_STYLE_SOFT]   = { COLOR_YELLOW, -1, A_NORMAL, A_NORMAL },
	[BT_STYLE_MARKED] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[BT_STYLE_STATUS] = { COLOR_BLACK, COLOR_CYAN, A_REVERSE, A_NORMAL },
	[BT_STYLE_ERROR]  = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[BT_STYLE_LABEL]  = { COLOR_GREEN, -1, A_BOLD, A_NORMAL },
	[BT_STYLE_TITLE]  = { COLOR_BLUE, -1, A_BOLD | A_UNDERLINE, A_BOLD },
	[BT_STYLE_DIM]    = { -1, -1, A_DIM, A_DIM },
	[BT_STYLE_DELAY]  = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[BT_STYLE_INFO]   = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[BT_STYLE_SELECTED] = { COLOR_BLACK, COLOR_CYAN, A_REVERSE, A_NORMAL },
};

void
bt_screen_set_color (bt_style_t style, int fg, int bg, unsigned attrs)
{
	attr_t a = A_NORMAL;

	if ((unsigned) style >= BT_STYLE_COUNT)
		return;
	if (attrs & BT_ATTR_BOLD) a |= A_BOLD;
	if (attrs & BT_ATTR_UNDERLINE) a |= A_UNDERLINE;
	if (attrs & BT_ATTR_REVERSE) a |= A_REVERSE;
	if (attrs & BT_ATTR_DIM) a |= A_DIM;
	screen_styles[style].fg = (short) fg;
	screen_styles[style].bg = (short) bg;
	screen_styles[style].color_attr = a;
}

static attr_t
screen_attr (bt_style_t style, bool selected)
{
	attr_t a;

	if (screen_color) {
		a = screen_styles[style].color_attr;
		if (screen_styles[style].fg != -1 || screen_styles[style].bg != -1)
			a |= COLOR_PAIR (style + 1);
	} else {
		a = screen_styles[style].mono;
	}
	if (selected && screen_color) {
		/* the selected row's colours win, bold and underline stay */
		a = (a & (A_BOLD | A_UNDERLINE)) | screen_styles[BT_STYLE_SELECTED].color_attr |
		    COLOR_PAIR (BT_STYLE_SELECTED + 1);
	} else if (selected) {
		a = (a & ~A_DIM) | A_REVERSE;
	}
	return a;
}

static void
screen_fatal (int sig)
{
	bt_screen_stop ();
	signal (sig, SIG_DFL);
	raise (sig);
}

static void
screen_ask_quit (int sig)
{
	screen_quit = 1;
}

static void
screen_signals (void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;

	memset (&sa, 0, sizeof sa);
	sigemptyset (&sa.sa_mask);
	sa.sa_handler = screen_ask_quit;
	sigaction (SIGINT, &sa, NULL);
	sigaction (SIGTERM, &sa, NULL);
	sigaction (SIGHUP, &sa, NULL);
	sa.sa_handler = screen_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (gsize i = 0; i < G_N_ELEMENTS (fatal); i++)
		sigaction (fatal[i], &sa, NULL);
}

static void
screen_colors (void)
{
	if (!screen_color)
		return;
	start_color ();
	use_default_colors ();
	for (int s = 0; s < BT_STYLE_COUNT; s++) {
		short fg = screen_styles[s].fg, bg = screen_styles[s].bg;

		/* colours beyond what the terminal has fall back to its default */
		if (fg >= COLORS)
			fg = -1;
		if (bg >= COLORS)
			bg = -1;
		init_pair ((short) (s + 1), fg, bg);
	}
}

/* C-s and C-q are keys, not XOFF/XON (cbreak leaves flow control on). */
static void
screen_no_flow_control (void)
{
	struct termios t;

	if (tcgetattr (0, &t) == 0) {
		t.c_iflag &= ~(tcflag_t) (IXON | IXOFF);
		tcsetattr (0, TCSANOW, &t);
		def_prog_mode ();
	}
}

bool
bt_screen_start (bool color, char **why)
{
	static bool once;
	const char *codeset = nl_langinfo (CODESET);

	bt_sanitize_set_ascii (codeset == NULL || g_ascii_strcasecmp (codeset, "UTF-8") != 0);
	if (!isatty (0) || !isatty (1)) {
		*why = g_strdup ("the triage screen needs a terminal (for scripts use 'bouncetriage scan')");
		return false;
	}
	if (newterm (NULL, stdout, stdin) == NULL) {
		*why = g_strdup_printf ("cannot use the terminal '%s'", g_getenv ("TERM") ? g_getenv ("TERM") : "");
		return false;
	}
	screen_on = true;
	if (!once) {
		atexit (bt_screen_stop);
		once = true;
	}
	screen_signals ();
	screen_color = color && has_colors ();
	screen_colors ();
	cbreak ();
	noecho ();
	nonl ();
	screen_no_flow_control ();
	keypad (stdscr, TRUE);
	set_escdelay (25);
	curs_set (0);
	leaveok (stdscr, TRUE);
	return true;
}

void
bt_screen_stop (void)
{
	if (!screen_on)
		return;
	screen_on = false;
	curs_set (1);
	endwin ();
	fflush (stdout);
}

bool
bt_screen_active (void)
{
	return screen_on;
}

bool
bt_screen_quit_requested (void)
{
	return screen_quit != 0;
}

void
bt_screen_size (int *rows, int *cols)
{
	getmaxyx (stdscr, *rows, *cols);
}

void
bt_screen_clear (void)
{
	clearok (curscr, TRUE);
}

void
bt_screen_refresh (void)
{
	refresh ();
}

void
bt_screen_cursor (int y, int x)
{
	if (x < 0) {
		leaveok (stdscr, TRUE);
		curs_set (0);
		return;
	}
	leaveok (stdscr, FALSE);
	curs_set (1);
	move (y, x);
}

int
bt_screen_put (int y, int x, int width, const char *text, bt_style_t style,
	       bool selected, bool pad)
{
	GString *out;
	char *clean;
	int used;

	if (width <= 0)
		return 0;
	/* callers pass sanitised text; sanitising is idempotent, so doing it
	 * again here means no byte reaches the terminal unchecked */
	clean = bt_sanitize (text, -1, BT_SANITIZE_LINE);
	out = g_string_new (NULL);
	used = bt_sanitize_fit (out, clean, width, pad);
	g_free (clean);
	attrset (screen_attr (style, selected));
	mvaddstr (y, x, out->str);
	attrset (A_NORMAL);
	g_string_free (out, TRUE);
	return used;
}

void
bt_screen_blank (int y, int x, int width, bt_style_t style, bool selected)
{
	bt_screen_put (y, x, width, "", style, selected, true);
}

/* A terminal character as a key: control characters become C-letter. */
static bt_key_t
screen_char_key (wint_t c)
{
	switch (c) {
	case '\r': case '\n': return BT_KEY_ENTER;
	case '\t': return BT_KEY_TAB;
	case 0x7f: return BT_KEY_BACKSPACE;   /* 0x08 stays C-h: emacs binds it */
	case 0x1b: return BT_KEY_ESCAPE;
	case 0: return BT_KEY_CTRL | ' ';
	default: break;
	}
	if (c < 0x1b)
		return BT_KEY_CTRL | (bt_key_t) ('a' + c - 1);
	if (c < 0x20)
		return BT_KEY_CTRL | (bt_key_t) ("\\]^_"[c - 0x1c]);
	return (bt_key_t) c;
}

static const struct {
	int code;
	bt_key_t key;
} screen_codes[] = {
	{ KEY_UP, BT_KEY_UP }, { KEY_DOWN, BT_KEY_DOWN },
	{ KEY_LEFT, BT_KEY_LEFT }, { KEY_RIGHT, BT_KEY_RIGHT },
	{ KEY_PPAGE, BT_KEY_PAGEUP }, { KEY_NPAGE, BT_KEY_PAGEDOWN },
	{ KEY_HOME, BT_KEY_HOME }, { KEY_END, BT_KEY_END },
	{ KEY_ENTER, BT_KEY_ENTER }, { KEY_BTAB, BT_KEY_BACKTAB },
	{ KEY_BACKSPACE, BT_KEY_BACKSPACE }, { KEY_DC, BT_KEY_DELETE },
	{ KEY_IC, BT_KEY_INSERT }, { KEY_RESIZE, BT_KEY_RESIZE },
	{ KEY_SR, BT_KEY_SHIFT | BT_KEY_UP }, { KEY_SF, BT_KEY_SHIFT | BT_KEY_DOWN },
};

static bt_key_t
screen_code_key (int code)
{
	if (code >= KEY_F (1) && code <= KEY_F (12))
		return BT_KEY_F1 + (bt_key_t) (code - KEY_F (1));
	for (gsize i = 0; i < G_N_ELEMENTS (screen_codes); i++)
		if (screen_codes[i].code == code)
			return screen_codes[i].key;
	return BT_KEY_NONE;
}

bt_key_t
bt_screen_key (int timeout_ms)
{
	wint_t c;
	int r;
	bt_key_t key;

	timeout (timeout_ms);
	r = get_wch (&c);
	if (r == ERR)
		return BT_KEY_NONE;
	if (r == KEY_CODE_YES)
		return screen_code_key ((int) c);
	key = screen_char_key (c);
	if (key != BT_KEY_ESCAPE)
		return key;
	/* ESC then a key at once is Meta-key; ESC alone is Escape */
	timeout (30);
	r = get_wch (&c);
	if (r == ERR)
		return BT_KEY_ESCAPE;
	if (r == KEY_CODE_YES)
		key = screen_code_key ((int) c);
	else
		key = screen_char_key (c);
	return key == BT_KEY_NONE ? BT_KEY_NONE : key | BT_KEY_META;
}

void
bt_screen_suspend (void)
{
	if (screen_on)
		def_prog_mode ();
	endwin ();
}

void
bt_screen_resume (void)
{
	reset_prog_mode ();
	refresh ();
}
