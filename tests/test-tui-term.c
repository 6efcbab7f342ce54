/* test-tui-term.c: a pseudo-terminal read back with libvterm. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vterm.h>
#include "test-tui-term.h"

#define TERM_WAIT_MS 15000

struct bt_term {
	pid_t pid;
	int fd;
	int rows, cols;
	VTerm *vt;
	VTermScreen *screen;
	GString *raw;
	int titles;
	bool exited;
	int status;
};

static int
term_settermprop (VTermProp prop, VTermValue *val, void *user)
{
	bt_term_t *t = user;

	if (prop == VTERM_PROP_TITLE || prop == VTERM_PROP_ICONNAME)
		t->titles++;
	return 1;
}

static const VTermScreenCallbacks term_callbacks = {
	.settermprop = term_settermprop,
};

bt_term_t *
bt_term_spawn (int rows, int cols, char **argv, char **env)
{
	bt_term_t *t = g_new0 (bt_term_t, 1);
	struct winsize ws = { .ws_row = (unsigned short) rows, .ws_col = (unsigned short) cols };

	t->rows = rows;
	t->cols = cols;
	t->raw = g_string_new (NULL);
	t->vt = vterm_new (rows, cols);
	vterm_set_utf8 (t->vt, 1);
	t->screen = vterm_obtain_screen (t->vt);
	vterm_screen_set_callbacks (t->screen, &term_callbacks, t);
	vterm_screen_reset (t->screen, 1);
	t->pid = forkpty (&t->fd, NULL, NULL, &ws);
	if (t->pid < 0) {
		perror ("forkpty");
		abort ();
	}
	if (t->pid == 0) {
		execve (argv[0], argv, env);
		fprintf (stderr, "cannot run %s: %s\n", argv[0], strerror (errno));
		_exit (127);
	}
	return t;
}

static void
term_reap (bt_term_t *t)
{
	int status;

	if (!t->exited && waitpid (t->pid, &status, WNOHANG) == t->pid) {
		t->exited = true;
		t->status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
	}
}

/* Read once, waiting at most ms; false when nothing more will come. */
static bool
term_read (bt_term_t *t, int ms)
{
	struct pollfd p = { .fd = t->fd, .events = POLLIN };
	char buf[8192];
	ssize_t n;

	if (poll (&p, 1, ms) <= 0)
		return true;
	n = read (t->fd, buf, sizeof buf);
	if (n <= 0) {
		term_reap (t);
		return false;
	}
	g_string_append_len (t->raw, buf, n);
	vterm_input_write (t->vt, buf, (size_t) n);
	return true;
}

void
bt_term_pump (bt_term_t *t, int ms)
{
	gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

	while (g_get_monotonic_time () < end && term_read (t, 20))
		;
}

/* Pump until nothing came for idle_ms. */
static void
term_settle (bt_term_t *t, int idle_ms)
{
	gint64 end = g_get_monotonic_time () + (gint64) TERM_WAIT_MS * 1000;

	while (g_get_monotonic_time () < end) {
		gsize before = t->raw->len;

		if (!term_read (t, idle_ms) || t->raw->len == before)
			return;
	}
}

/* Is the status bar (the second line from the bottom) still showing the
 * loading progress ("reading... N" or "[##....] n/N")? */
static bool
term_loading (bt_term_t *t)
{
	char *bar = bt_term_row (t, t->rows - 2);
	bool loading = strstr (bar, "reading...") || strstr (bar, " [#") || strstr (bar, " [.");

	g_free (bar);
	return loading;
}

void
bt_term_settle (bt_term_t *t)
{
	gint64 end = g_get_monotonic_time () + (gint64) TERM_WAIT_MS * 1000;

	/* quiet for a moment, and not in the middle of loading */
	do
		term_settle (t, 400);
	while (term_loading (t) && !t->exited && g_get_monotonic_time () < end);
}

char *
bt_term_row (bt_term_t *t, int row)
{
	GString *s = g_string_new (NULL);

	for (int col = 0; col < t->cols; col++) {
		VTermScreenCell cell;
		VTermPos pos = { .row = row, .col = col };

		if (!vterm_screen_get_cell (t->screen, pos, &cell))
			break;
		if (cell.chars[0] == 0) {
			g_string_append_c (s, ' ');
		} else {
			for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]; i++)
				g_string_append_unichar (s, cell.chars[i]);
		}
		if (cell.width == 2)
			col++;
	}
	while (s->len && s->str[s->len - 1] == ' ')
		g_string_truncate (s, s->len - 1);
	return g_string_free (s, FALSE);
}

char *
bt_term_text (bt_term_t *t)
{
	GString *s = g_string_new (NULL);

	for (int row = 0; row < t->rows; row++) {
		char *line = bt_term_row (t, row);

		g_string_append (s, line);
		g_string_append_c (s, '\n');
		g_free (line);
	}
	return g_string_free (s, FALSE);
}

int
bt_term_find (bt_term_t *t, const char *text)
{
	for (int row = 0; row < t->rows; row++) {
		char *line = bt_term_row (t, row);
		bool hit = strstr (line, text) != NULL;

		g_free (line);
		if (hit)
			return row;
	}
	return -1;
}

static bool
term_wait_for (bt_term_t *t, const char *text, bool present)
{
	gint64 end = g_get_monotonic_time () + (gint64) TERM_WAIT_MS * 1000;

	for (;;) {
		char *screen = bt_term_text (t);
		bool hit = strstr (screen, text) != NULL;

		g_free (screen);
		if (hit == present) {
			/* let the rest of that frame arrive */
			if (present)
				term_settle (t, 100);
			return true;
		}
		if (g_get_monotonic_time () > end || !term_read (t, 50)) {
			if (!present)
				return false;
			screen = bt_term_text (t);
			fprintf (stderr, "--- waited for '%s'; the screen shows:\n%s---\n", text, screen);
			g_free (screen);
			return false;
		}
	}
}

bool
bt_term_wait (bt_term_t *t, const char *text)
{
	return term_wait_for (t, text, true);
}

bool
bt_term_wait_gone (bt_term_t *t, const char *text)
{
	return term_wait_for (t, text, false);
}

void
bt_term_send (bt_term_t *t, const char *bytes)
{
	size_t len = strlen (bytes);

	while (len > 0) {
		ssize_t n = write (t->fd, bytes, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		bytes += n;
		len -= (size_t) n;
	}
}

void
bt_term_signal (bt_term_t *t, int sig)
{
	kill (t->pid, sig);
}

void
bt_term_resize (bt_term_t *t, int rows, int cols)
{
	struct winsize ws = { .ws_row = (unsigned short) rows, .ws_col = (unsigned short) cols };

	t->rows = rows;
	t->cols = cols;
	vterm_set_size (t->vt, rows, cols);
	ioctl (t->fd, TIOCSWINSZ, &ws);
}

const GString *
bt_term_raw (bt_term_t *t)
{
	return t->raw;
}

int
bt_term_titles (bt_term_t *t)
{
	return t->titles;
}

int
bt_term_colored_cells (bt_term_t *t)
{
	int n = 0;

	for (int row = 0; row < t->rows; row++)
		for (int col = 0; col < t->cols; col++) {
			VTermScreenCell cell;
			VTermPos pos = { .row = row, .col = col };

			vterm_screen_get_cell (t->screen, pos, &cell);
			if (!VTERM_COLOR_IS_DEFAULT_FG (&cell.fg) || !VTERM_COLOR_IS_DEFAULT_BG (&cell.bg))
				n++;
		}
	return n;
}

gunichar
bt_term_cell (bt_term_t *t, int row, int col)
{
	VTermScreenCell cell;
	VTermPos pos = { .row = row, .col = col };

	vterm_screen_get_cell (t->screen, pos, &cell);
	return cell.chars[0] == (uint32_t) -1 ? 0 : cell.chars[0];
}

bool
bt_term_reverse (bt_term_t *t, int row, int col)
{
	VTermScreenCell cell;
	VTermPos pos = { .row = row, .col = col };

	vterm_screen_get_cell (t->screen, pos, &cell);
	return cell.attrs.reverse;
}

int
bt_term_wait_exit (bt_term_t *t)
{
	gint64 end = g_get_monotonic_time () + (gint64) TERM_WAIT_MS * 1000;

	while (!t->exited && g_get_monotonic_time () < end) {
		if (!term_read (t, 50))
			break;
		term_reap (t);
	}
	while (!t->exited && g_get_monotonic_time () < end) {
		term_reap (t);
		g_usleep (10000);
	}
	/* The child may have exited with its last output (rmcup, say) still in
	 * the pty: read until the pty says there is no more. */
	while (t->exited && g_get_monotonic_time () < end && term_read (t, 50)) {
		struct pollfd p = { .fd = t->fd, .events = POLLIN };
		if (poll (&p, 1, 0) <= 0)
			break;
	}
	if (!t->exited) {
		kill (t->pid, SIGKILL);
		waitpid (t->pid, NULL, 0);
		t->exited = true;
		return -1;
	}
	return t->status;
}

void
bt_term_free (bt_term_t *t)
{
	if (!t->exited)
		bt_term_wait_exit (t);
	close (t->fd);
	vterm_free (t->vt);
	g_string_free (t->raw, TRUE);
	g_free (t);
}
