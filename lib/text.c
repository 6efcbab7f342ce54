/* text.c: small text scanners the engines share.  They are hand-written
 * because they run on every line of every bounce: a regex engine per call
 * would dominate the parse. */
#include "config.h"

/* memmem (glibc, the BSDs and macOS have it). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>
#include "text.h"

bool
bt_text_utf8 (const char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	size_t i = 0;

	/* Stop at a word with a byte >= 0x80 or a NUL. */
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy (&w, s + i, 8);
		if ((w & high) != 0 || ((w - ones) & ~w & high) != 0)
			break;
	}
	return g_utf8_validate_len (s + i, len - i, NULL);
}

bool
bt_text_next_line (const char *text, size_t text_len, size_t *pos,
		   const char **line, size_t *len)
{
	const char *start, *nl;

	if (*pos >= text_len)
		return false;
	start = text + *pos;
	nl = memchr (start, '\n', text_len - *pos);
	*len = nl ? (size_t) (nl - start) : text_len - *pos;
	*pos += *len + (nl ? 1 : 0);
	if (*len > 0 && start[*len - 1] == '\r')
		(*len)--;
	*line = start;
	return true;
}

/* ASCII case folding without a function call: this runs on every byte
 * the engines look at. */
#define TEXT_LC(c) ((unsigned char) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c)))

const char *
bt_text_find (const char *hay, size_t hay_len, const char *needle)
{
	size_t n = strlen (needle), last, at_lo = 0, at_up = 0;
	unsigned char lo, up;
	bool have_lo = false, have_up = false;

	if (n == 0)
		return hay;
	if (n > hay_len)
		return NULL;
	/* Candidates are found with memchr (vectorised in libc) for both cases
	 * of the first byte; only they are compared in full. */
	lo = TEXT_LC (needle[0]);
	up = (lo >= 'a' && lo <= 'z') ? (unsigned char) (lo - 32) : lo;
	last = hay_len - n + 1;    /* candidate starts are < last */
	for (size_t i = 0; i < last;) {
		const char *c;
		size_t at;
		if (!have_lo || at_lo < i) {
			c = memchr (hay + i, lo, last - i);
			at_lo = c ? (size_t) (c - hay) : last;
			have_lo = true;
		}
		if (up != lo && (!have_up || at_up < i)) {
			c = memchr (hay + i, up, last - i);
			at_up = c ? (size_t) (c - hay) : last;
			have_up = true;
		}
		at = (up != lo && at_up < at_lo) ? at_up : at_lo;
		if (at >= last)
			return NULL;
		{
			size_t k = 1;
			while (k < n && TEXT_LC (hay[at + k]) == TEXT_LC (needle[k]))
				k++;
			if (k == n)
				return hay + at;
		}
		i = at + 1;
	}
	return NULL;
}

char *
bt_text_lc (const char *s, gssize slen, char *buf, size_t size, size_t *out_len)
{
	size_t len = slen < 0 ? strlen (s) : (size_t) slen;
	char *lc = len < size ? buf : g_malloc (len + 1);

	for (size_t i = 0; i < len; i++)
		lc[i] = (char) TEXT_LC (s[i]);
	lc[len] = '\0';
	*out_len = len;
	return lc;
}

void
bt_text_lc_free (char *lc, char *buf)
{
	if (lc != buf)
		g_free (lc);
}

const char *
bt_text_find_lc (const char *lc, size_t len, const char *needle)
{
	size_t n = strlen (needle);
	char small[128], *nl;
	const char *hit;

	for (size_t i = 0; i < n; i++)
		if (needle[i] >= 'A' && needle[i] <= 'Z')
			goto fold;
	return memmem (lc, len, needle, n);
fold:
	nl = bt_text_lc (needle, (gssize) n, small, sizeof small, &n);
	hit = memmem (lc, len, nl, n);
	bt_text_lc_free (nl, small);
	return hit;
}

bool
bt_text_starts (const char *line, size_t len, const char *prefix)
{
	size_t i = 0;

	for (; prefix[i]; i++)
		if (i >= len || TEXT_LC (line[i]) != TEXT_LC (prefix[i]))
			return false;
	return true;
}

static bool
is_local_char (unsigned char c)
{
	return g_ascii_isalnum (c) || c >= 0x80 || strchr (".!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

static bool
is_domain_char (unsigned char c)
{
	return g_ascii_isalnum (c) || c >= 0x80 || c == '.' || c == '-' || c == '_'
		|| c == '[' || c == ']' || c == ':';
}

/* The address around the '@' at s[at], or NULL when it has no local part or
 * no domain. */
static char *
text_address_at (const char *s, size_t len, size_t at)
{
	size_t b = at, e = at + 1;

	if (b > 0 && s[b - 1] == '"') {
		/* Quoted local part: back to the opening quote. */
		size_t q = b - 1;
		while (q > 0 && s[q - 1] != '"')
			q--;
		if (q == 0)
			return NULL;
		b = q - 1;
	} else {
		while (b > 0 && is_local_char ((unsigned char) s[b - 1]))
			b--;
	}
	while (e < len && is_domain_char ((unsigned char) s[e]))
		e++;
	while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-' || s[e - 1] == ':' || s[e - 1] == ']'))
		e--;
	/* 'a@b' quoted with apostrophes in prose: the quote is not part of it. */
	while (b < at && (s[b] == '.' || s[b] == '\''))
		b++;
	if (b == at || e == at + 1)
		return NULL;
	return g_strndup (s + b, e - b);
}

char *
bt_text_address (const char *s, gssize slen)
{
	size_t len;

	if (s == NULL)
		return NULL;
	len = slen < 0 ? strlen (s) : (size_t) slen;
	/* Prefer an address in angle brackets: "Name <a@b>". */
	for (const char *lt = memchr (s, '<', len); lt; lt = memchr (lt + 1, '<', len - (size_t) (lt + 1 - s))) {
		const char *gt = memchr (lt, '>', len - (size_t) (lt - s));
		const char *at;
		if (gt == NULL)
			break;
		at = memchr (lt, '@', (size_t) (gt - lt));
		if (at != NULL) {
			char *a = text_address_at (s, (size_t) (gt - s), (size_t) (at - s));
			if (a != NULL)
				return a;
		}
		if (lt + 1 >= s + len)
			break;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '@') {
			char *a = text_address_at (s, len, i);
			if (a != NULL)
				return a;
		}
	}
	return NULL;
}

/* Digits at s[i..], at most max; returns their count. */
static size_t
text_digits (const char *s, size_t len, size_t i, size_t max)
{
	size_t n = 0;

	while (i + n < len && n < max + 1 && g_ascii_isdigit (s[i + n]))
		n++;
	return n;
}

bool
bt_text_status (const char *s, gssize slen, char buf[16])
{
	size_t len;

	if (s == NULL)
		return false;
	len = slen < 0 ? strlen (s) : (size_t) slen;
	for (size_t i = 0; i + 4 < len; i++) {
		size_t a, b, j;
		if (s[i] != '2' && s[i] != '4' && s[i] != '5')
			continue;
		if (i > 0 && (g_ascii_isalnum (s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '-'))
			continue;
		if (s[i + 1] != '.')
			continue;
		j = i + 2;
		a = text_digits (s, len, j, 3);
		if (a == 0 || a > 3 || j + a >= len || s[j + a] != '.')
			continue;
		j += a + 1;
		b = text_digits (s, len, j, 3);
		if (b == 0 || b > 3)
			continue;
		j += b;
		/* "5.1.1.2" is an IP-like number, not a status. */
		if (j < len && (g_ascii_isalnum (s[j]) || (s[j] == '.' && j + 1 < len && g_ascii_isdigit (s[j + 1]))))
			continue;
		memcpy (buf, s + i, j - i);
		buf[j - i] = '\0';
		return true;
	}
	return false;
}

bool
bt_text_replycode (const char *s, gssize slen, char buf[4])
{
	size_t len;

	if (s == NULL)
		return false;
	len = slen < 0 ? strlen (s) : (size_t) slen;
	for (size_t i = 0; i + 2 < len; i++) {
		char c = s[i];
		if (c != '2' && c != '4' && c != '5')
			continue;
		if (i > 0 && (g_ascii_isalnum (s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '-'
			      || s[i - 1] == ':' || s[i - 1] == '/' || s[i - 1] == '#'))
			continue;
		if (!g_ascii_isdigit (s[i + 1]) || !g_ascii_isdigit (s[i + 2]) || s[i + 1] > '5')
			continue;
		if (i + 3 < len && s[i + 3] != ' ' && s[i + 3] != '-' && s[i + 3] != '\t'
		    && s[i + 3] != '\n' && s[i + 3] != ']' && s[i + 3] != ')')
			continue;
		memcpy (buf, s + i, 3);
		buf[3] = '\0';
		return true;
	}
	return false;
}

static const struct {
	const char *text;
	const char *command;
} text_commands[] = {
	{ "in reply to end of data", "DATA" },
	{ "after end of data", "DATA" },
	{ "in reply to rcpt to", "RCPT" },
	{ "in reply to rcpt", "RCPT" },
	{ "after rcpt to", "RCPT" },
	{ "after rcpt", "RCPT" },
	{ "in reply to mail from", "MAIL" },
	{ "in reply to mail", "MAIL" },
	{ "after mail from", "MAIL" },
	{ "in reply to data", "DATA" },
	{ "after data", "DATA" },
	{ "in reply to ehlo", "EHLO" },
	{ "after ehlo", "EHLO" },
	{ "in reply to helo", "HELO" },
	{ "after helo", "HELO" },
	{ "in reply to starttls", "STARTTLS" },
	{ "in reply to auth", "AUTH" },
	{ "in reply to bdat", "BDAT" },
	{ "after initial connection", "CONN" },
	{ "refused to talk to me", "CONN" },
	{ "lost connection with", "CONN" },
	{ "while connected to", "CONN" },
	{ "after connect", "CONN" },
	{ "in reply to quit", "QUIT" },
	{ "rcpt to:", "RCPT" },
	{ "mail from:", "MAIL" },
};

const char *
bt_text_command (const char *s, gssize slen)
{
	size_t len;

	if (s == NULL)
		return NULL;
	{
		char buf[1024], *lc = bt_text_lc (s, slen, buf, sizeof buf, &len);
		const char *cmd = NULL;
		/* Most phrases start with one of two leads: when the text lacks
		 * a lead, its phrases cannot match and are not searched for. */
		bool reply = memmem (lc, len, "in reply to ", 12) != NULL;
		bool after = memmem (lc, len, "after ", 6) != NULL;
		for (size_t i = 0; i < G_N_ELEMENTS (text_commands) && cmd == NULL; i++) {
			const char *t = text_commands[i].text;
			if ((!reply && strncmp (t, "in reply to ", 12) == 0) || (!after && strncmp (t, "after ", 6) == 0))
				continue;
			if (bt_text_find_lc (lc, len, t))
				cmd = text_commands[i].command;
		}
		bt_text_lc_free (lc, buf);
		return cmd;
	}
}

const char *
bt_text_status_from_reply (const char *replycode, const char *text)
{
	(void) text;
	if (replycode == NULL || replycode[0] == '\0')
		return NULL;
	switch (replycode[0]) {
	case '2': return "2.0.0";
	case '4': return "4.0.0";
	case '5': return "5.0.0";
	default: return NULL;
	}
}

static bool
text_host_char (char c)
{
	return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_';
}

bool
bt_text_remote_host (const char *s, gssize slen, char *buf, size_t size)
{
	static const char *const leads[] = { "host ", "while talking to ", NULL };
	size_t len;

	if (s == NULL || size < 2)
		return false;
	len = slen < 0 ? strlen (s) : (size_t) slen;
	for (size_t l = 0; leads[l]; l++) {
		const char *p = s;
		size_t left = len;
		const char *m;
		while ((m = bt_text_find (p, left, leads[l])) != NULL) {
			const char *h = m + strlen (leads[l]), *e = h, *end = s + len;
			size_t n;
			while (e < end && text_host_char (*e))
				e++;
			n = (size_t) (e - h);
			while (n > 0 && h[n - 1] == '.')
				n--;
			/* A host name with a dot, followed by its address or the
			 * end of the phrase. */
			if (n > 2 && n < size && memchr (h, '.', n) != NULL
			    && (l == 1 || (e < end && (*e == '[' || (*e == ' ' && e + 1 < end && e[1] == '['))))) {
				memcpy (buf, h, n);
				buf[n] = '\0';
				return true;
			}
			left -= (size_t) (m + 1 - p);
			p = m + 1;
		}
	}
	return false;
}
