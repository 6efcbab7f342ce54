/* bt-ptytime: run a full-screen program in a pseudo-terminal, emulate the
 * terminal with libvterm and time what a person would see.
 *
 *   bt-ptytime [--rows N] [--cols N] [--full-regex RE] [--full-lines K]
 *              [--busy-regex RE] [--done-regex RE] [--timeout SECONDS]
 *              [--dump FILE]
 *              -- PROGRAM ARGS...
 *
 * Times from just before the fork:
 *   full     the first moment K screen lines match --full-regex (a full
 *            screen of list rows: the first full screen);
 *   settled  the first moment the screen is full, a line matches
 *            --done-regex (the status line is drawn) and no line matches
 *            --busy-regex (the list is complete: loading has ended);
 *   exit     the program has ended after "q" was typed once settled.
 * and the child's peak resident set (getrusage via wait4, in KB).  Prints
 * one JSON object on stdout.  A time that never came is null, and the exit
 * status is 1 (timeout) so that a caller sees it.
 *
 * The screen is read only after a read from the terminal, so the times are
 * the moment the bytes that complete the screen arrived (resolution: one
 * read; reads are not delayed by polling). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <regex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

typedef struct {
	int rows, cols;
	const char *full_re, *busy_re, *done_re, *dump;
	int full_lines;
	double timeout;
	char **argv;
} opts_t;

static double
now (void)
{
	struct timespec ts;

	clock_gettime (CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Replies of the emulated terminal (e.g. to a cursor position query) go
 * back to the program. */
static void
term_output (const char *s, size_t len, void *user)
{
	int fd = *(int *) user;

	while (len > 0) {
		ssize_t n = write (fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t) n;
	}
}

static size_t
screen_line (VTermScreen *screen, int row, int cols, char *buf, size_t size)
{
	VTermRect rect = { .start_row = row, .end_row = row + 1, .start_col = 0, .end_col = cols };
	size_t n = vterm_screen_get_text (screen, buf, size - 1, rect);

	buf[n] = '\0';
	return n;
}

/* How many lines match full, and whether the screen is busy: a line
 * matches busy, or none matches done. */
static void
screen_check (VTermScreen *screen, const opts_t *o, const regex_t *full, const regex_t *busy,
	      const regex_t *done, int *n_full, bool *is_busy)
{
	char buf[4096];
	bool is_done = done == NULL;

	*n_full = 0;
	*is_busy = false;
	for (int r = 0; r < o->rows; r++) {
		screen_line (screen, r, o->cols, buf, sizeof buf);
		if (regexec (full, buf, 0, NULL, 0) == 0)
			(*n_full)++;
		if (busy && regexec (busy, buf, 0, NULL, 0) == 0)
			*is_busy = true;
		if (done && regexec (done, buf, 0, NULL, 0) == 0)
			is_done = true;
	}
	if (!is_done)
		*is_busy = true;
}

static void
screen_dump (VTermScreen *screen, const opts_t *o)
{
	char buf[4096];
	FILE *f = fopen (o->dump, "w");

	if (f == NULL) {
		perror (o->dump);
		return;
	}
	for (int r = 0; r < o->rows; r++) {
		screen_line (screen, r, o->cols, buf, sizeof buf);
		fprintf (f, "%s\n", buf);
	}
	fclose (f);
}

static void
usage (void)
{
	fprintf (stderr, "usage: bt-ptytime [--rows N] [--cols N] [--full-regex RE] [--full-lines K]\n"
		 "                  [--busy-regex RE] [--done-regex RE] [--timeout S] [--dump FILE]\n"
		 "                  -- PROGRAM ARGS...\n");
	exit (2);
}

static void
parse (int argc, char **argv, opts_t *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp (a, "--") == 0) {
			i++;
			break;
		}
		if (i + 1 >= argc)
			usage ();
		if (strcmp (a, "--rows") == 0)
			o->rows = atoi (argv[++i]);
		else if (strcmp (a, "--cols") == 0)
			o->cols = atoi (argv[++i]);
		else if (strcmp (a, "--full-regex") == 0)
			o->full_re = argv[++i];
		else if (strcmp (a, "--full-lines") == 0)
			o->full_lines = atoi (argv[++i]);
		else if (strcmp (a, "--busy-regex") == 0)
			o->busy_re = argv[++i];
		else if (strcmp (a, "--done-regex") == 0)
			o->done_re = argv[++i];
		else if (strcmp (a, "--timeout") == 0)
			o->timeout = atof (argv[++i]);
		else if (strcmp (a, "--dump") == 0)
			o->dump = argv[++i];
		else
			usage ();
	}
	if (i >= argc || o->rows < 2 || o->cols < 10)
		usage ();
	o->argv = argv + i;
	if (o->full_lines <= 0)
		o->full_lines = o->rows - 3;
}

static void
json_time (const char *name, double t, const char *sep)
{
	if (t < 0)
		printf ("\"%s\": null%s", name, sep);
	else
		printf ("\"%s\": %.4f%s", name, t, sep);
}

int
main (int argc, char **argv)
{
	opts_t o = { .rows = 40, .cols = 120, .full_re = "^[ *][ T][0-9]{4}-[0-9]{2}-[0-9]{2} ",
		     .busy_re = NULL, .timeout = 120 };
	regex_t full, busy, done;
	struct winsize ws;
	struct rusage ru;
	VTerm *vt;
	VTermScreen *screen;
	double t0, t_full = -1, t_settled = -1, t_exit = -1, t_quit = -1;
	int master, wstatus = 0, n_full = 0;
	bool is_busy = true, quit_sent = false, exited = false;
	pid_t pid;
	char buf[65536];

	parse (argc, argv, &o);
	if (regcomp (&full, o.full_re, REG_EXTENDED | REG_NOSUB) != 0 ||
	    (o.busy_re && regcomp (&busy, o.busy_re, REG_EXTENDED | REG_NOSUB) != 0) ||
	    (o.done_re && regcomp (&done, o.done_re, REG_EXTENDED | REG_NOSUB) != 0)) {
		fprintf (stderr, "bt-ptytime: bad regular expression\n");
		return 2;
	}
	memset (&ws, 0, sizeof ws);
	ws.ws_row = (unsigned short) o.rows;
	ws.ws_col = (unsigned short) o.cols;
	setenv ("TERM", "xterm", 1);
	t0 = now ();
	pid = forkpty (&master, NULL, NULL, &ws);
	if (pid < 0) {
		perror ("forkpty");
		return 2;
	}
	if (pid == 0) {
		execvp (o.argv[0], o.argv);
		perror (o.argv[0]);
		_exit (127);
	}
	vt = vterm_new (o.rows, o.cols);
	vterm_set_utf8 (vt, 1);
	vterm_output_set_callback (vt, term_output, &master);
	screen = vterm_obtain_screen (vt);
	vterm_screen_reset (screen, 1);

	while (!exited) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		double t = now () - t0;
		int r;

		if (t > o.timeout + (quit_sent ? 30 : 0))
			break;
		r = poll (&p, 1, 50);
		if (r > 0) {
			ssize_t n = read (master, buf, sizeof buf);

			if (n > 0) {
				vterm_input_write (vt, buf, (size_t) n);
				if (t_settled < 0) {
					double at = now () - t0;

					screen_check (screen, &o, &full, o.busy_re ? &busy : NULL,
						      o.done_re ? &done : NULL, &n_full, &is_busy);
					if (t_full < 0 && n_full >= o.full_lines)
						t_full = at;
					if (t_full >= 0 && !is_busy)
						t_settled = at;
				}
			} else if (n < 0 && errno != EINTR && errno != EAGAIN) {
				/* EIO: the program closed the terminal. */
				p.revents = POLLHUP;
			}
		}
		if (t_settled >= 0 && !quit_sent) {
			if (o.dump)
				screen_dump (screen, &o);
			term_output ("q", 1, &master);
			quit_sent = true;
			t_quit = now () - t0;
		}
		if (r > 0 && (p.revents & (POLLHUP | POLLERR)) && !(p.revents & POLLIN)) {
			if (waitpid (pid, &wstatus, WNOHANG) == pid)
				exited = true;
		} else if (waitpid (pid, &wstatus, WNOHANG) == pid) {
			exited = true;
		}
	}
	if (!exited) {
		if (o.dump && !quit_sent)
			screen_dump (screen, &o);
		kill (pid, SIGTERM);
		waitpid (pid, &wstatus, 0);
	} else {
		t_exit = now () - t0;
	}
	getrusage (RUSAGE_CHILDREN, &ru);
	printf ("{");
	json_time ("full", t_full, ", ");
	json_time ("settled", t_settled, ", ");
	json_time ("quit_sent", t_quit, ", ");
	json_time ("exit", t_exit, ", ");
	printf ("\"full_lines\": %d, \"maxrss_kb\": %ld, \"status\": %d}\n", n_full, ru.ru_maxrss,
		WIFEXITED (wstatus) ? WEXITSTATUS (wstatus) : 128 + WTERMSIG (wstatus));
	vterm_free (vt);
	close (master);
	regfree (&full);
	if (o.busy_re)
		regfree (&busy);
	if (o.done_re)
		regfree (&done);
	return t_settled >= 0 && exited ? 0 : 1;
}
