/* sanitize.c: one function between mail and the terminal (see sanitize.h). */
#include "config.h"

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1   /* wcwidth */
#endif

#include <string.h>
#include <wchar.h>
#include "sanitize.h"

static bool sanitize_ascii;

void
bt_sanitize_set_ascii (bool ascii)
{
	sanitize_ascii = ascii;
}

/* Characters that are printable by Unicode's categories but still change
 * how the text around them is shown: bidi marks and embeddings, isolates,
 * joiners, the BOM.  Most are category Cf and caught below; this list is
 * for the ones a future Unicode may move, and for clarity. */
static const gunichar sanitize_always[] = {
	0x061C, 0x115F, 0x1160, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
	0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2061, 0x2062, 0x2063,
	0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0x3164, 0xFEFF, 0xFFA0,
};

bool
bt_sanitize_is_unsafe (gunichar c)
{
	if (c < 0x20 || c == 0x7f)
		return true;
	if (c < 0x7f)
		return false;
	if (sanitize_ascii)
		return true;
	if (c >= 0x80 && c <= 0x9f)
		return true;
	for (gsize i = 0; i < G_N_ELEMENTS (sanitize_always); i++)
		if (sanitize_always[i] == c)
			return true;
	switch (g_unichar_type (c)) {
	case G_UNICODE_CONTROL:
	case G_UNICODE_FORMAT:
	case G_UNICODE_UNASSIGNED:
	case G_UNICODE_SURROGATE:
	case G_UNICODE_LINE_SEPARATOR:
	case G_UNICODE_PARAGRAPH_SEPARATOR:
		return true;
	default:
		return false;
	}
}

static void
sanitize_placeholder (GString *out, gunichar c)
{
	if (c < 0x20)
		g_string_append_printf (out, "^%c", (char) (c + 0x40));
	else if (c == 0x7f)
		g_string_append (out, "^?");
	else
		g_string_append_printf (out, "<U+%04X>", c);
}

void
bt_sanitize_append (GString *out, const char *s, gssize len, bt_sanitize_flags_t flags)
{
	const char *p, *end;

	if (s == NULL)
		return;
	end = s + (len < 0 ? (gssize) strlen (s) : len);
	for (p = s; p < end;) {
		gunichar c = g_utf8_get_char_validated (p, end - p);

		if (*p == '\0') {
			/* an embedded NUL: show it, never end the string early */
			g_string_append (out, "^@");
			p++;
			continue;
		}
		if (c == (gunichar) -1 || c == (gunichar) -2) {
			g_string_append_printf (out, "\\x%02X", (unsigned char) *p);
			p++;
			continue;
		}
		if (c == '\t') {
			g_string_append_c (out, ' ');
		} else if (c == '\n' && (flags & BT_SANITIZE_MULTILINE)) {
			g_string_append_c (out, '\n');
		} else if (c == '\r' && (flags & BT_SANITIZE_MULTILINE)) {
			/* dropped: line ends are LF only on screen */
		} else if (bt_sanitize_is_unsafe (c)) {
			sanitize_placeholder (out, c);
		} else {
			g_string_append_len (out, p, g_utf8_next_char (p) - p);
		}
		p = g_utf8_next_char (p);
	}
}

char *
bt_sanitize (const char *s, gssize len, bt_sanitize_flags_t flags)
{
	GString *out = g_string_sized_new (s ? (len < 0 ? strlen (s) : (gsize) len) + 8 : 1);

	bt_sanitize_append (out, s, len, flags);
	return g_string_free (out, FALSE);
}

/* Columns of one printable character: wcwidth when the locale knows it (so
 * we agree with curses), GLib's tables otherwise. */
static int
text_char_width (gunichar c)
{
	int w = wcwidth ((wchar_t) c);

	if (w >= 0)
		return w;
	if (g_unichar_iszerowidth (c))
		return 0;
	return g_unichar_iswide (c) ? 2 : 1;
}

int
bt_sanitize_width (const char *s)
{
	int w = 0;

	for (const char *p = s; p && *p; p = g_utf8_next_char (p))
		w += text_char_width (g_utf8_get_char (p));
	return w;
}

int
bt_sanitize_fit (GString *out, const char *s, int width, bool pad)
{
	int used = 0;
	const char *p = s ? s : "";
	bool cut = false;

	if (width <= 0)
		return 0;
	if (*p && text_char_width (g_utf8_get_char (p)) == 0) {
		/* a combining mark first would join the cell before the field */
		g_string_append_c (out, ' ');
		used = 1;
	}
	if (used + bt_sanitize_width (p) > width && width > 1) {
		cut = true;   /* the last column shows '~' */
		width--;
	}
	for (; *p; p = g_utf8_next_char (p)) {
		int w = text_char_width (g_utf8_get_char (p));

		if (used + w > width) {
			break;
		}
		g_string_append_len (out, p, g_utf8_next_char (p) - p);
		used += w;
	}
	if (cut) {
		while (used < width) {
			g_string_append_c (out, ' ');
			used++;
		}
		g_string_append_c (out, '~');
		used++;
		return used;
	}
	while (pad && used < width) {
		g_string_append_c (out, ' ');
		used++;
	}
	return used;
}

/* Width and byte length of the word starting at p (up to a space). */
static const char *
wrap_word_end (const char *p, int *w)
{
	*w = 0;
	while (*p && *p != ' ') {
		*w += text_char_width (g_utf8_get_char (p));
		p = g_utf8_next_char (p);
	}
	return p;
}

static void
wrap_flush (GPtrArray *lines, GString *line)
{
	g_ptr_array_add (lines, g_strdup (line->str));
	g_string_truncate (line, 0);
}

char **
bt_sanitize_wrap (const char *s, int width)
{
	GPtrArray *lines = g_ptr_array_new ();
	GString *line = g_string_new (NULL);
	int used = 0;
	const char *p = s ? s : "";

	if (width < 1)
		width = 1;
	while (*p) {
		int w;
		const char *end;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		end = wrap_word_end (p, &w);
		if (used > 0 && used + 1 + w > width) {
			wrap_flush (lines, line);
			used = 0;
		}
		if (used > 0) {
			g_string_append_c (line, ' ');
			used++;
		}
		/* a word longer than the line is broken where it overflows */
		for (; p < end; p = g_utf8_next_char (p)) {
			int cw = text_char_width (g_utf8_get_char (p));

			if (used + cw > width && used > 0) {
				wrap_flush (lines, line);
				used = 0;
			}
			g_string_append_len (line, p, g_utf8_next_char (p) - p);
			used += cw;
		}
	}
	if (line->len > 0 || lines->len == 0)
		wrap_flush (lines, line);
	g_string_free (line, TRUE);
	g_ptr_array_add (lines, NULL);
	return (char **) g_ptr_array_free (lines, FALSE);
}

char **
bt_sanitize_cut (const char *s, int width)
{
	GPtrArray *pieces = g_ptr_array_new ();
	const char *p = s ? s : "", *start = p;
	int used = 0;

	if (width < 1)
		width = 1;
	for (; *p; p = g_utf8_next_char (p)) {
		int w = text_char_width (g_utf8_get_char (p));

		if (used + w > width && used > 0) {
			g_ptr_array_add (pieces, g_strndup (start, p - start));
			start = p;
			used = 0;
		}
		used += w;
	}
	if (p > start || pieces->len == 0)
		g_ptr_array_add (pieces, g_strndup (start, p - start));
	g_ptr_array_add (pieces, NULL);
	return (char **) g_ptr_array_free (pieces, FALSE);
}
