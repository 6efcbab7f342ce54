/* jsonl.c: JSON Lines output (see jsonl.h). */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include "jsonl.h"

/* True when the eight bytes at p are all printable ASCII but '"' and '\\':
 * such words are skipped whole (most values are all of that). */
static bool
jsonl_plain_word (const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t w, q, b;

	memcpy (&w, p, 8);
	q = w ^ (ones * '"');
	b = w ^ (ones * '\\');
	return ((((w - ones * 0x20) & ~w)            /* a byte < 0x20 */
		 | ((w + ones) | w)                  /* a byte >= 0x7f */
		 | ((q - ones) & ~q)                 /* a '"' */
		 | ((b - ones) & ~b))                /* a '\\' */
		& high) == 0;
}

/* Bytes written as they are: printable ASCII but '"' and '\\', and UTF-8
 * sequence bytes (a C1 control, 0xc2 0x80..0x9f, is caught at 0xc2). */
static bool
jsonl_plain (unsigned char c)
{
	return (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') || (c >= 0x80 && c != 0xc2);
}

void
bt_jsonl_string (GString *out, const char *v, const char *null_as)
{
	char *valid = NULL;
	const unsigned char *p, *run, *end;
	bool checked = false;

	if (v == NULL) {
		g_string_append (out, null_as);
		return;
	}
	g_string_append_c (out, '"');
	/* Runs of plain bytes are appended at once: most values are all plain.
	 * Most are ASCII too: UTF-8 is checked from the first byte that is
	 * not, and what follows made valid when it is not. */
	end = (const unsigned char *) v + strlen (v);
	for (p = run = (const unsigned char *) v;; p++) {
		while (p + 8 <= end && jsonl_plain_word (p))
			p += 8;
		if (*p >= 0x80 && !checked) {
			checked = true;
			if (!g_utf8_validate ((const char *) p, -1, NULL)) {
				g_string_append_len (out, (const char *) run, (gssize) (p - run));
				p = run = (const unsigned char *) (valid = g_utf8_make_valid ((const char *) p, -1));
				end = p + strlen ((const char *) p);
			}
		}
		if (jsonl_plain (*p))
			continue;
		g_string_append_len (out, (const char *) run, (gssize) (p - run));
		run = p + 1;
		switch (*p) {
		case '\0': goto done;
		case '"':  g_string_append (out, "\\\""); break;
		case '\\': g_string_append (out, "\\\\"); break;
		case '\b': g_string_append (out, "\\b"); break;
		case '\f': g_string_append (out, "\\f"); break;
		case '\n': g_string_append (out, "\\n"); break;
		case '\r': g_string_append (out, "\\r"); break;
		case '\t': g_string_append (out, "\\t"); break;
		case 0xc2:
			if (p[1] >= 0x80 && p[1] <= 0x9f)
				g_string_append_printf (out, "\\u%04x", *++p);
			else
				g_string_append_c (out, (char) *p);
			run = p + 1;
			break;
		default:
			g_string_append_printf (out, "\\u%04x", *p);
		}
	}
done:
	g_string_append_c (out, '"');
	g_free (valid);
}

void
bt_jsonl_key (GString *out, const char *key, bool first)
{
	size_t n = strlen (key);
	gsize at = out->len;
	char *o;

	g_string_set_size (out, at + n + (first ? 3 : 4));
	o = out->str + at;
	if (!first)
		*o++ = ',';
	*o++ = '"';
	memcpy (o, key, n);
	o += n;
	*o++ = '"';
	*o = ':';
}

void
bt_jsonl_str (GString *out, const char *key, const char *value, const char *null_as)
{
	bt_jsonl_key (out, key, false);
	bt_jsonl_string (out, value, null_as);
}

void
bt_jsonl_bool (GString *out, const char *key, bool value)
{
	bt_jsonl_key (out, key, false);
	g_string_append (out, value ? "true" : "false");
}
