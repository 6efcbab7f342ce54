/* clipboard.c: OSC 52, tmux buffers or a clipboard command (clipboard.h). */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "clipboard.h"

bt_clip_method_t
bt_clipboard_method (const char *command)
{
	const char *tmux = g_getenv ("TMUX");

	if (command && *command)
		return BT_CLIP_COMMAND;
	if (tmux && *tmux)
		return BT_CLIP_TMUX;
	return BT_CLIP_OSC52;
}

char *
bt_clipboard_osc52 (const char *text)
{
	char *b64 = g_base64_encode ((const guchar *) text, strlen (text));
	char *seq = g_strdup_printf ("\033]52;c;%s\a", b64);

	g_free (b64);
	return seq;
}

/* Write all of text to fd; false on error (errno set). */
static bool
clip_write_all (int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write (fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		text += n;
		len -= (size_t) n;
	}
	return true;
}

/* Run argv with text on its standard input; its output goes nowhere (the
 * terminal belongs to the screen). */
static bt_status_t
clip_run (char **argv, const char *text, GError **error)
{
	GPid pid;
	int in = -1, status = 0;
	GError *spawn_error = NULL;
	bool wrote;

	if (!g_spawn_async_with_pipes (NULL, argv, NULL,
				       G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
				       G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
				       NULL, NULL, &pid, &in, NULL, NULL, &spawn_error)) {
		bt_error_set (error, BT_ERR_IO, "cannot run %s: %s", argv[0], spawn_error->message);
		g_error_free (spawn_error);
		return BT_ERR_IO;
	}
	wrote = clip_write_all (in, text, strlen (text));
	close (in);
	while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
		;
	g_spawn_close_pid (pid);
	if (!wrote || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
		return bt_error_set (error, BT_ERR_IO, "%s failed (exit status %d)", argv[0],
				     WIFEXITED (status) ? WEXITSTATUS (status) : -1);
	return BT_OK;
}

bt_status_t
bt_clipboard_copy (const char *text, const char *command, FILE *tty, char **how, GError **error)
{
	char **argv = NULL;
	bt_status_t st = BT_OK;
	GError *parse_error = NULL;

	switch (bt_clipboard_method (command)) {
	case BT_CLIP_COMMAND:
		if (!g_shell_parse_argv (command, NULL, &argv, &parse_error)) {
			st = bt_error_set (error, BT_ERR_INVALID, "clipboard command '%s': %s",
					   command, parse_error->message);
			g_error_free (parse_error);
			break;
		}
		st = clip_run (argv, text, error);
		if (st == BT_OK)
			*how = g_strdup_printf ("copied with %s", argv[0]);
		g_strfreev (argv);
		break;
	case BT_CLIP_TMUX: {
		char *targv[] = { (char *) "tmux", (char *) "load-buffer", (char *) "-w", (char *) "-", NULL };

		st = clip_run (targv, text, error);
		if (st == BT_OK) {
			*how = g_strdup ("copied to a tmux buffer (and the clipboard where tmux set-clipboard allows)");
		} else if (error && *error) {
			/* say what to do, not only what failed */
			char *hint = g_strdup_printf ("%s; tmux 3.2 or newer is needed (load-buffer -w), or set "
						      "ui.clipboard to a command such as wl-copy or "
						      "'xclip -selection clipboard'", (*error)->message);

			g_free ((*error)->message);
			(*error)->message = hint;
		}
		break;
	}
	case BT_CLIP_OSC52: {
		char *seq = bt_clipboard_osc52 (text);

		fputs (seq, tty);
		fflush (tty);
		g_free (seq);
		*how = g_strdup ("sent to the terminal's clipboard (OSC 52)");
		break;
	}
	}
	return st;
}
