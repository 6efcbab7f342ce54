/* test-tui-sanitize.c: the one function between mail and the terminal. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../tui/sanitize.h"

static void
check (const char *in, gssize len, bt_sanitize_flags_t flags, const char *want)
{
	char *out = bt_sanitize (in, len, flags);

	assert_string_equal (out, want);
	g_free (out);
}

/* Nothing in the output may be a control character or an unsafe code point. */
static void
assert_inert (const char *s)
{
	assert_true (g_utf8_validate (s, -1, NULL));
	for (const char *p = s; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);

		assert_false (bt_sanitize_is_unsafe (c) && c != '\n');
	}
}

static void
test_degenerate (void **state)
{
	check (NULL, -1, BT_SANITIZE_LINE, "");
	check ("", -1, BT_SANITIZE_LINE, "");
	check ("abc", 0, BT_SANITIZE_LINE, "");
	check ("a\0b", 3, BT_SANITIZE_LINE, "a^@b");
}

static void
test_plain_text_unchanged (void **state)
{
	check ("user@example.org", -1, BT_SANITIZE_LINE, "user@example.org");
	check ("Grüße — 東京 🎉", -1, BT_SANITIZE_LINE, "Grüße — 東京 🎉");
}

static void
test_escape_sequences (void **state)
{
	/* retitle, clear screen, cursor move, OSC 52 clipboard write */
	check ("\033]0;pwned\a", -1, BT_SANITIZE_LINE, "^[]0;pwned^G");
	check ("\033[2J\033[H", -1, BT_SANITIZE_LINE, "^[[2J^[[H");
	check ("\033]52;c;ZXZpbA==\033\\", -1, BT_SANITIZE_LINE, "^[]52;c;ZXZpbA==^[\\");
	check ("a\rb\nc\bd\x7f", -1, BT_SANITIZE_LINE, "a^Mb^Jc^Hd^?");
	check ("a\tb", -1, BT_SANITIZE_LINE, "a b");
}

static void
test_c1_controls (void **state)
{
	/* U+009B is CSI on terminals that take 8-bit controls */
	check ("x\xc2\x9b" "2Jy", -1, BT_SANITIZE_LINE, "x<U+009B>2Jy");
	check ("\xc2\x9d" "0;t\xc2\x9c", -1, BT_SANITIZE_LINE, "<U+009D>0;t<U+009C>");
}

static void
test_bidi_and_zero_width (void **state)
{
	check ("evil\xe2\x80\xaegpj.exe", -1, BT_SANITIZE_LINE, "evil<U+202E>gpj.exe");
	check ("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", -1, BT_SANITIZE_LINE,
	       "<U+202A><U+202B><U+202C><U+202D>");
	check ("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", -1, BT_SANITIZE_LINE,
	       "<U+2066><U+2067><U+2068><U+2069>");
	check ("pay\xe2\x80\x8bpal", -1, BT_SANITIZE_LINE, "pay<U+200B>pal");
	check ("\xef\xbb\xbfhi", -1, BT_SANITIZE_LINE, "<U+FEFF>hi");
	check ("a\xe2\x80\xa8" "b", -1, BT_SANITIZE_LINE, "a<U+2028>b");
}

static void
test_invalid_utf8 (void **state)
{
	check ("a\xff" "b", -1, BT_SANITIZE_LINE, "a\\xFFb");
	check ("\xc3", -1, BT_SANITIZE_LINE, "\\xC3");
	check ("\xed\xa0\x80", -1, BT_SANITIZE_LINE, "\\xED\\xA0\\x80");   /* a surrogate */
	check ("\xe2\x80", 2, BT_SANITIZE_LINE, "\\xE2\\x80");
}

static void
test_multiline (void **state)
{
	check ("a\r\nb\n\033c", -1, BT_SANITIZE_MULTILINE, "a\nb\n^[c");
}

static void
test_ascii_terminal (void **state)
{
	bt_sanitize_set_ascii (true);
	check ("caf\xc3\xa9", -1, BT_SANITIZE_LINE, "caf<U+00E9>");
	bt_sanitize_set_ascii (false);
	check ("caf\xc3\xa9", -1, BT_SANITIZE_LINE, "caf\xc3\xa9");
}

static void
test_every_byte_is_inert (void **state)
{
	char buf[512];
	char *out;

	for (int i = 0; i < 256; i++) {
		buf[2 * i] = (char) i;
		buf[2 * i + 1] = (char) (255 - i);
	}
	out = bt_sanitize (buf, sizeof buf, BT_SANITIZE_LINE);
	assert_inert (out);
	assert_null (strchr (out, '\033'));
	g_free (out);
	/* every code point of the control and format ranges */
	for (gunichar c = 0x80; c < 0x3000; c++) {
		char u[8] = { 0 };

		g_unichar_to_utf8 (c, u);
		out = bt_sanitize (u, -1, BT_SANITIZE_LINE);
		assert_inert (out);
		g_free (out);
	}
}

/* Sanitising twice gives the same text: the screen can sanitise again. */
static void
test_idempotent (void **state)
{
	const char *in = "\033]0;t\a \xe2\x80\xae \xff \xc2\x9b \t x \x01 東京 🎉";
	char *once = bt_sanitize (in, -1, BT_SANITIZE_LINE);
	char *twice = bt_sanitize (once, -1, BT_SANITIZE_LINE);

	assert_string_equal (once, twice);
	g_free (once);
	g_free (twice);
}

static void
test_width (void **state)
{
	assert_int_equal (bt_sanitize_width ("abc"), 3);
	assert_int_equal (bt_sanitize_width ("東京"), 4);
	assert_int_equal (bt_sanitize_width ("🎉"), 2);
	assert_int_equal (bt_sanitize_width ("e\xcc\x81"), 1);   /* e + combining acute */
}

static void
fit (const char *s, int width, bool pad, const char *want, int want_cols)
{
	GString *out = g_string_new (NULL);
	int cols = bt_sanitize_fit (out, s, width, pad);

	assert_string_equal (out->str, want);
	assert_int_equal (cols, want_cols);
	assert_int_equal (bt_sanitize_width (out->str), want_cols);
	g_string_free (out, TRUE);
}

static void
test_fit (void **state)
{
	fit ("abc", 5, true, "abc  ", 5);
	fit ("abc", 5, false, "abc", 3);
	fit ("abcdef", 4, true, "abc~", 4);
	fit ("東京都", 4, true, "東 ~", 4);       /* 京 would straddle the edge */
	fit ("東京都", 5, true, "東京~", 5);
	fit ("🎉🎉🎉", 3, true, "🎉~", 3);
	fit ("abc", 0, true, "", 0);
	fit ("abcdef", 1, true, "a", 1);
	/* a leading combining mark gets a base of its own */
	fit ("\xcc\x81" "ab", 4, true, " \xcc\x81" "ab ", 4);
}

static void
test_wrap (void **state)
{
	char **l = bt_sanitize_wrap ("550 5.1.1 user unknown here", 10);

	assert_string_equal (l[0], "550 5.1.1");
	assert_string_equal (l[1], "user");
	assert_string_equal (l[2], "unknown");
	assert_string_equal (l[3], "here");
	assert_null (l[4]);
	g_strfreev (l);
	l = bt_sanitize_wrap ("abcdefghij", 4);
	assert_string_equal (l[0], "abcd");
	assert_string_equal (l[1], "efgh");
	assert_string_equal (l[2], "ij");
	g_strfreev (l);
	l = bt_sanitize_wrap ("東京東京東", 4);
	assert_string_equal (l[0], "東京");
	assert_string_equal (l[1], "東京");
	assert_string_equal (l[2], "東");
	g_strfreev (l);
	l = bt_sanitize_wrap ("", 4);
	assert_string_equal (l[0], "");
	assert_null (l[1]);
	g_strfreev (l);
}

static void
test_cut (void **state)
{
	char **l = bt_sanitize_cut ("ab  cdef", 3);

	assert_string_equal (l[0], "ab ");
	assert_string_equal (l[1], " cd");
	assert_string_equal (l[2], "ef");
	assert_null (l[3]);
	g_strfreev (l);
	l = bt_sanitize_cut ("東京都", 3);   /* a wide character never straddles */
	assert_string_equal (l[0], "東");
	assert_string_equal (l[1], "京");
	assert_string_equal (l[2], "都");
	g_strfreev (l);
	l = bt_sanitize_cut ("", 3);
	assert_string_equal (l[0], "");
	assert_null (l[1]);
	g_strfreev (l);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test (test_degenerate),
		cmocka_unit_test (test_plain_text_unchanged),
		cmocka_unit_test (test_escape_sequences),
		cmocka_unit_test (test_c1_controls),
		cmocka_unit_test (test_bidi_and_zero_width),
		cmocka_unit_test (test_invalid_utf8),
		cmocka_unit_test (test_multiline),
		cmocka_unit_test (test_ascii_terminal),
		cmocka_unit_test (test_every_byte_is_inert),
		cmocka_unit_test (test_idempotent),
		cmocka_unit_test (test_width),
		cmocka_unit_test (test_fit),
		cmocka_unit_test (test_wrap),
		cmocka_unit_test (test_cut),
	};

	setlocale (LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests (tests, NULL, NULL);
}
