/* prompt.c: the one-line editor of the status line, with completion.
 *
 * A prompt is modal: while one is open, keys go to it (not to the
 * keymap).  Its callback runs with the text on Enter, with NULL on Escape
 * or C-g, and returns what to redraw, as an action would. */
#include "config.h"

#include <string.h>
#include "sanitize.h"
#include "screen.h"
#include "tui.h"

struct bt_prompt {
	char *question;
	GString *text;
	gsize cursor;                  /* byte offset, on a character boundary */
	bt_prompt_complete_fn complete;
	bt_prompt_done_fn done;
	void *data;
	guint cycle;                   /* Tab presses without progress */
};

void
bt_prompt_free (bt_prompt_t *p)
{
	if (p == NULL)
		return;
	g_free (p->question);
	g_string_free (p->text, TRUE);
	g_free (p);
}

bt_draw_t
bt_prompt_start (bt_tui_t *tui, const char *question, const char *initial,
		 bt_prompt_complete_fn complete, bt_prompt_done_fn done, void *data)
{
	bt_prompt_t *p = g_new0 (bt_prompt_t, 1);

	bt_prompt_free (tui->prompt);
	p->question = g_strdup (question);
	p->text = g_string_new (initial ? initial : "");
	p->cursor = p->text->len;
	p->complete = complete;
	p->done = done;
	p->data = data;
	tui->prompt = p;
	return BT_DRAW_STATUS;
}

/* Start of the word before the cursor. */
static gsize
prompt_word_start (const bt_prompt_t *p)
{
	gsize i = p->cursor;

	while (i > 0 && p->text->str[i - 1] != ' ')
		i--;
	return i;
}

static void
prompt_delete (bt_prompt_t *p, gsize from, gsize to)
{
	g_string_erase (p->text, (gssize) from, (gssize) (to - from));
	p->cursor = from;
}

static gsize
prompt_prev_char (const bt_prompt_t *p)
{
	const char *prev;

	if (p->cursor == 0)
		return 0;
	prev = g_utf8_find_prev_char (p->text->str, p->text->str + p->cursor);
	return prev ? (gsize) (prev - p->text->str) : 0;
}

static gsize
prompt_next_char (const bt_prompt_t *p)
{
	if (p->cursor >= p->text->len)
		return p->text->len;
	return (gsize) (g_utf8_next_char (p->text->str + p->cursor) - p->text->str);
}

/* Complete the word before the cursor: to the candidates' common prefix,
 * and through the candidates one by one on further presses.  A leading
 * + or - of a tag change stays. */
static void
prompt_complete (bt_tui_t *tui, bt_prompt_t *p)
{
	gsize start = prompt_word_start (p);
	char *word;
	char **all;
	GPtrArray *hits;
	char *fill = NULL;

	if (p->complete == NULL)
		return;
	if (start < p->cursor && (p->text->str[start] == '+' || p->text->str[start] == '-'))
		start++;
	word = g_strndup (p->text->str + start, p->cursor - start);
	all = p->complete (tui, word);
	hits = g_ptr_array_new ();
	for (char **c = all; c && *c; c++)
		if (g_str_has_prefix (*c, word))
			g_ptr_array_add (hits, *c);
	if (hits->len == 1) {
		fill = g_strdup (hits->pdata[0]);
	} else if (hits->len > 1) {
		gsize common = strlen (hits->pdata[0]);

		for (guint i = 1; i < hits->len; i++) {
			gsize k = 0;
			const char *a = hits->pdata[0], *b = hits->pdata[i];

			while (k < common && a[k] == b[k])
				k++;
			common = k;
		}
		if (common > strlen (word))
			fill = g_strndup (hits->pdata[0], common);
		else
			fill = g_strdup (hits->pdata[p->cycle++ % hits->len]);
		{
			GString *list = g_string_new (NULL);

			for (guint i = 0; i < hits->len && i < 20; i++)
				g_string_append_printf (list, "%s%s", i ? " " : "", (char *) hits->pdata[i]);
			bt_tui_note (tui, "%s", list->str);
			g_string_free (list, TRUE);
		}
	}
	if (fill) {
		/* replace the whole word (cycling replaces the previous pick) */
		gsize end = p->cursor;

		prompt_delete (p, start, end);
		g_string_insert (p->text, (gssize) start, fill);
		p->cursor = start + strlen (fill);
		g_free (fill);
	}
	g_ptr_array_free (hits, TRUE);
	g_strfreev (all);
	g_free (word);
}

static bt_draw_t
prompt_finish (bt_tui_t *tui, bool ok)
{
	bt_prompt_t *p = tui->prompt;
	bt_draw_t d;

	tui->prompt = NULL;
	d = p->done (tui, ok ? p->text->str : NULL, p->data);
	tui->marked_prefix = false;   /* it was for the action that asked */
	bt_prompt_free (p);
	return d | BT_DRAW_STATUS;
}

bt_draw_t
bt_prompt_key (bt_tui_t *tui, bt_key_t key)
{
	bt_prompt_t *p = tui->prompt;

	if (key != BT_KEY_TAB)
		p->cycle = 0;
	switch (key) {
	case BT_KEY_ENTER: return prompt_finish (tui, true);
	case BT_KEY_ESCAPE: case BT_KEY_CTRL | 'g': return prompt_finish (tui, false);
	case BT_KEY_TAB: prompt_complete (tui, p); break;
	case BT_KEY_BACKSPACE: case BT_KEY_CTRL | 'h':
		prompt_delete (p, prompt_prev_char (p), p->cursor);
		break;
	case BT_KEY_DELETE: case BT_KEY_CTRL | 'd':
		prompt_delete (p, p->cursor, prompt_next_char (p));
		break;
	case BT_KEY_LEFT: case BT_KEY_CTRL | 'b': p->cursor = prompt_prev_char (p); break;
	case BT_KEY_RIGHT: case BT_KEY_CTRL | 'f': p->cursor = prompt_next_char (p); break;
	case BT_KEY_HOME: case BT_KEY_CTRL | 'a': p->cursor = 0; break;
	case BT_KEY_END: case BT_KEY_CTRL | 'e': p->cursor = p->text->len; break;
	case BT_KEY_CTRL | 'u': prompt_delete (p, 0, p->cursor); break;
	case BT_KEY_CTRL | 'k': g_string_truncate (p->text, p->cursor); break;
	case BT_KEY_CTRL | 'w': prompt_delete (p, prompt_word_start (p), p->cursor); break;
	default:
		if (key < BT_KEY_NAMED && key >= 0x20 && !bt_sanitize_is_unsafe (key)) {
			char buf[8];
			int n = g_unichar_to_utf8 (key, buf);

			g_string_insert_len (p->text, (gssize) p->cursor, buf, n);
			p->cursor += (gsize) n;
		}
		break;
	}
	return BT_DRAW_STATUS;
}

void
bt_prompt_draw (bt_tui_t *tui, int y, int width)
{
	bt_prompt_t *p = tui->prompt;
	char *q = bt_sanitize (p->question, -1, BT_SANITIZE_LINE);
	char *before = bt_sanitize (p->text->str, (gssize) p->cursor, BT_SANITIZE_LINE);
	char *all = bt_sanitize (p->text->str, -1, BT_SANITIZE_LINE);
	int qw = bt_sanitize_width (q), bw = bt_sanitize_width (before);
	int x = qw, room = width - qw - 1;
	const char *shown = all;

	bt_screen_put (y, 0, width, q, BT_STYLE_LABEL, false, true);
	/* keep the cursor on screen: show the tail when the text is long */
	if (room > 0 && bw > room) {
		const char *s = before;

		while (*s && bt_sanitize_width (s) > room)
			s = g_utf8_next_char (s);
		shown = s;
		bw = bt_sanitize_width (s);
	}
	if (room > 0)
		bt_screen_put (y, x, width - x, shown, BT_STYLE_NORMAL, false, true);
	bt_screen_cursor (y, x + bw < width ? x + bw : width - 1);
	g_free (q);
	g_free (before);
	g_free (all);
}
