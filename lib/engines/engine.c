/* engine.c: helpers every engine may use. */
#include "config.h"

#include <string.h>
#include "engine.h"

bt_record_t *
bt_engine_add (bt_report_t *report, const char *recipient, gssize rlen,
	       const char *diag, gssize dlen)
{
	char *addr = bt_text_address (recipient, rlen);
	bt_record_t *rec;

	if (addr == NULL)
		return NULL;
	rec = bt_report_add (report);
	bt_record_set (report, rec, BT_F_RECIPIENT, addr, -1);
	g_free (addr);
	if (diag != NULL)
		bt_record_set (report, rec, BT_F_DIAGNOSTIC, diag, dlen);
	return rec;
}

/* A header value for the report: encoded words decoded, white space
 * unfolded. */
static const char *
engine_header_value (bt_report_t *report, const char *headers, gssize len, const char *name)
{
	char *v = bt_engine_field (headers, len, name);
	const char *kept;

	if (v == NULL)
		return NULL;
	if (strstr (v, "=?") != NULL) {
		char *dec = g_mime_utils_header_decode_text (NULL, v);
		g_free (v);
		v = dec;
	}
	kept = bt_report_strdup (report, v, -1);
	g_free (v);
	return kept;
}

/* Read the few fields we show straight from the header text: building a
 * GMime message for them would parse every bounce twice. */
void
bt_engine_original_headers (bt_report_t *report, const char *headers, gssize len)
{
	if (headers == NULL)
		return;
	if (report->orig_message_id == NULL) {
		char *id = bt_engine_field (headers, len, "Message-ID");
		if (id != NULL) {
			char *a = strchr (id, '<'), *b = a ? strchr (a, '>') : NULL;
			report->orig_message_id = a && b ? bt_report_strdup (report, a + 1, b - a - 1)
				: bt_report_strdup (report, id, -1);
		}
		g_free (id);
	}
	if (report->orig_subject == NULL)
		report->orig_subject = engine_header_value (report, headers, len, "Subject");
	if (report->orig_from == NULL)
		report->orig_from = engine_header_value (report, headers, len, "From");
	if (report->orig_to == NULL)
		report->orig_to = engine_header_value (report, headers, len, "To");
	if (report->orig_date == NULL)
		report->orig_date = engine_header_value (report, headers, len, "Date");
}

GPtrArray *
bt_engine_fields (const char *text, gssize slen, const char *name)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	size_t pos = 0, len, n = strlen (name), text_len;
	const char *line;
	GString *cur = NULL;

	if (text == NULL)
		return out;
	text_len = slen < 0 ? strlen (text) : (size_t) slen;
	while (bt_text_next_line (text, text_len, &pos, &line, &len)) {
		if (cur != NULL && len > 0 && (line[0] == ' ' || line[0] == '\t')) {
			g_string_append_c (cur, ' ');
			g_string_append_len (cur, line, (gssize) len);
			continue;
		}
		if (cur != NULL)
			g_ptr_array_add (out, g_strstrip (g_string_free (cur, FALSE)));
		cur = NULL;
		if (len > n && line[n] == ':' && g_ascii_strncasecmp (line, name, n) == 0)
			cur = g_string_new_len (line + n + 1, (gssize) (len - n - 1));
	}
	if (cur != NULL)
		g_ptr_array_add (out, g_strstrip (g_string_free (cur, FALSE)));
	return out;
}

/* The first value only: the scan stops at the end of it, and no array of
 * every value is built (bt_engine_original_headers asks for five fields of
 * every bounce). */
char *
bt_engine_field (const char *text, gssize slen, const char *name)
{
	size_t pos = 0, len, n = strlen (name), text_len;
	const char *line;
	GString *cur = NULL;

	if (text == NULL || n == 0)
		return NULL;
	text_len = slen < 0 ? strlen (text) : (size_t) slen;
	while (bt_text_next_line (text, text_len, &pos, &line, &len)) {
		if (cur != NULL) {
			if (len == 0 || (line[0] != ' ' && line[0] != '\t'))
				break;
			g_string_append_c (cur, ' ');
			g_string_append_len (cur, line, (gssize) len);
		} else if (len > n && line[n] == ':' && g_ascii_tolower (line[0]) == g_ascii_tolower (name[0])
			   && g_ascii_strncasecmp (line, name, n) == 0) {
			cur = g_string_new_len (line + n + 1, (gssize) (len - n - 1));
		}
	}
	return cur ? g_strstrip (g_string_free (cur, FALSE)) : NULL;
}

bool
bt_engine_any (const char *hay, gssize slen, const char *const *needles)
{
	size_t len;

	if (hay == NULL || needles == NULL)
		return false;
	len = slen < 0 ? strlen (hay) : (size_t) slen;
	for (size_t i = 0; needles[i]; i++)
		if (bt_text_find (hay, len, needles[i]))
			return true;
	return false;
}

bool
bt_engine_body_any (const bt_mail_t *mail, const char *const *needles)
{
	for (size_t i = 0; needles[i]; i++)
		if (bt_mail_find (mail, 0, mail->body_len, needles[i]))
			return true;
	return false;
}

const char *
bt_engine_body_find (const bt_mail_t *mail, const char *needle)
{
	return bt_mail_find (mail, 0, mail->body_len, needle);
}

/* A search in text, through the body's lower-case copy when text lies in
 * the body. */
static const char *
engine_find (const bt_mail_t *mail, const char *text, size_t len, const char *needle)
{
	if (mail != NULL && text >= mail->body && text + len <= mail->body + mail->body_len)
		return bt_mail_find (mail, (size_t) (text - mail->body), len, needle);
	return bt_text_find (text, len, needle);
}

const char *
bt_engine_phrase (const bt_engine_phrase_t *table, const char *text)
{
	size_t len;

	if (table == NULL || text == NULL)
		return NULL;
	{
		char buf[1024], *lc = bt_text_lc (text, -1, buf, sizeof buf, &len);
		const char *v = NULL;
		for (size_t i = 0; table[i].phrase && v == NULL; i++)
			if (bt_text_find_lc (lc, len, table[i].phrase))
				v = table[i].value;
		bt_text_lc_free (lc, buf);
		return v;
	}
}

/* Where the copy of the original message starts in most text notices. */
const char *const bt_engine_original_markers[] = {
	"original message follows", "this is a copy of the message",
	"this is a copy of your message",
	"below this line is a copy of the message", "----- original message -----",
	"------ original message", "original message header", "--- original message",
	"---- the header of the original message", "--- below is a copy", "content-type: message/rfc822",
	"----- unsent message follows", "----- message header follows", "below is a copy of the original message",
	"message headers follow", "original mail as follows", "-------original mail info",
	"-------original message",
	"------- returned message", "\nreturn-path: <",
	NULL,
};

/* The start of the line that holds needle (a pointer into text). */
static const char *
engine_line_start (const char *text, const char *m)
{
	while (m > text && m[-1] != '\n')
		m--;
	return m;
}

/* Length of text before the first line holding one of stop. */
static size_t
engine_stop_at (const bt_mail_t *mail, const char *text, size_t len, const char *const *stop)
{
	size_t end = len;

	for (size_t i = 0; stop[i]; i++) {
		const char *m = engine_find (mail, text, end, stop[i]);
		if (m == NULL)
			continue;
		if (*m == '\n')
			m++;
		end = (size_t) (engine_line_start (text, m) - text);
	}
	return end;
}

const char *
bt_engine_section (const bt_mail_t *mail, const char *start,
		   const char *const *stop, size_t *len)
{
	const char *s = mail->body;
	size_t n = mail->body_len;

	if (start != NULL) {
		const char *m = engine_find (mail, s, n, start);
		const char *nl;
		if (m == NULL)
			return NULL;
		nl = memchr (m, '\n', n - (size_t) (m - s));
		n -= nl ? (size_t) (nl + 1 - s) : n;
		s = nl ? nl + 1 : s + mail->body_len;
	}
	*len = stop ? engine_stop_at (mail, s, n, stop) : n;
	return s;
}

static bool
engine_token_end (char c)
{
	return g_ascii_isspace (c) || c == '>' || c == '<' || c == ',' || c == ';' || c == '(' || c == '[';
}

/* The address a recipient line begins with (after blanks and prefix), or
 * NULL; *rest is set to what follows it on the line. */
static char *
engine_line_address (const char *line, size_t len, const char *prefix, const char **rest)
{
	const char *p = line, *end = line + len, *t;
	char *addr;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (prefix != NULL) {
		size_t n = strlen (prefix);
		const char *at;
		if ((size_t) (end - p) < n || g_ascii_strncasecmp (p, prefix, n) != 0)
			return NULL;
		p += n;
		if ((at = memchr (p, '@', (size_t) (end - p))) == NULL)
			return NULL;
		addr = bt_text_address (p, end - p);
		if (addr == NULL)
			return NULL;
		t = bt_text_find (p, (size_t) (end - p), addr);
		t = t ? t + strlen (addr) : end;
		/* "a@b <a@b>": the same address again in brackets is not text. */
		{
			const char *q = t, *gt;
			while (q < end && (*q == ' ' || *q == '>'))
				q++;
			if (q < end && *q == '<' && (gt = memchr (q, '>', (size_t) (end - q))) != NULL
			    && (size_t) (gt - q - 1) == strlen (addr) && g_ascii_strncasecmp (q + 1, addr, strlen (addr)) == 0)
				t = gt + 1;
		}
	} else {
		const char *seg;
		if (p < end && *p == '<')
			p++;
		if (p >= end || !(g_ascii_isalnum (*p) || *p == '"' || (unsigned char) *p >= 0x80
				  || strchr ("!#$%&'*+/=?^_`{|}~-.", *p)))
			return NULL;
		for (t = p; t < end && !engine_token_end (*t); t++)
			;
		if (memchr (p, '@', (size_t) (t - p)) == NULL)
			return NULL;
		/* "a@b <c@d>: text" names c@d: an address in angle brackets
		 * right after the first one, before the colon, wins. */
		seg = memchr (t, ':', (size_t) (end - t));
		seg = seg ? seg : end;
		{
			const char *q = t;
			while (q < seg && (*q == ' ' || *q == '\t'))
				q++;
			addr = bt_text_address (p, (q < seg && *q == '<' ? seg : t) - p);
		}
		if (addr == NULL)
			return NULL;
		{
			const char *q = t;
			while (q < seg && (*q == ' ' || *q == '\t'))
				q++;
			if (q < seg && *q == '<')
				t = seg;
		}
	}
	while (t < end && (*t == '>' || *t == ':' || *t == ' ' || *t == '\t' || *t == '.' || *t == ','))
		t++;
	*rest = t;
	return addr;
}

static void
engine_finish (bt_report_t *report, bt_record_t *rec, GString *diag,
	       const bt_engine_layout_t *layout)
{
	if (rec == NULL)
		return;
	if (diag->len > 0) {
		if (rec->f[BT_F_DIAGNOSTIC] != NULL) {
			g_string_prepend_c (diag, ' ');
			g_string_prepend (diag, rec->f[BT_F_DIAGNOSTIC]);
		}
		bt_record_set (report, rec, BT_F_DIAGNOSTIC, diag->str, (gssize) diag->len);
	}
	g_string_truncate (diag, 0);
	bt_engine_apply (report, rec, layout);
}

static bool
engine_skip_line (const char *line, size_t len, const char *const *skip)
{
	if (skip == NULL)
		return false;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	for (size_t i = 0; skip[i]; i++)
		if (bt_text_starts (line, len, skip[i]))
			return true;
	return false;
}

int
bt_engine_text (bt_mail_t *mail, bt_report_t *report, const bt_engine_layout_t *layout)
{
	const char *notice = NULL, *line;
	size_t nlen = 0, pos = 0, len;
	bt_record_t *rec = NULL;
	GString *diag;
	guint before = report->records->len;
	size_t indent, rec_indent = 0;

	if (layout->start == NULL) {
		notice = bt_engine_section (mail, NULL, NULL, &nlen);
	} else {
		for (size_t i = 0; layout->start[i] && notice == NULL; i++)
			notice = bt_engine_section (mail, layout->start[i], NULL, &nlen);
		if (notice == NULL)
			return 0;
	}
	nlen = engine_stop_at (mail, notice, nlen, layout->stop ? layout->stop : bt_engine_original_markers);
	diag = g_string_new (NULL);
	while (bt_text_next_line (notice, nlen, &pos, &line, &len)) {
		const char *rest = NULL;
		char *addr;
		bool blank = true;

		for (size_t i = 0; i < len && blank; i++)
			blank = g_ascii_isspace (line[i]);
		if (blank) {
			if (!layout->blank_lines) {
				engine_finish (report, rec, diag, layout);
				rec = NULL;
			}
			continue;
		}
		if (engine_skip_line (line, len, layout->skip))
			continue;
		for (indent = 0; indent < len && (line[indent] == ' ' || line[indent] == '\t'); indent++)
			;
		/* Deeper than its recipient's line, a line continues the
		 * diagnostic even when it starts with an address (Postfix folds
		 * "said: 553 5.1.8\n    <sender@...>... Domain of sender"). */
		addr = (rec == NULL || indent <= rec_indent) && memchr (line, '@', len)
			? engine_line_address (line, len, layout->prefix, &rest) : NULL;
		if (addr != NULL) {
			bt_record_t *seen = bt_report_find (report, addr);
			engine_finish (report, rec, diag, layout);
			rec = seen ? seen : bt_engine_add (report, addr, -1, NULL, 0);
			rec_indent = indent;
			g_free (addr);
			if (rest < line + len && !layout->no_rest)
				g_string_append_len (diag, rest, line + len - rest);
			continue;
		}
		if (rec != NULL) {
			if (diag->len)
				g_string_append_c (diag, ' ');
			g_string_append_len (diag, line, (gssize) len);
		}
	}
	engine_finish (report, rec, diag, layout);
	g_string_free (diag, TRUE);
	return (int) (report->records->len - before);
}

void
bt_engine_apply (bt_report_t *report, bt_record_t *rec, const bt_engine_layout_t *layout)
{
	const char *diag = rec->f[BT_F_DIAGNOSTIC];

	if (rec->f[BT_F_ACTION] == NULL)
		rec->f[BT_F_ACTION] = layout && layout->action ? layout->action : "failed";
	if (layout == NULL || diag == NULL)
		return;
	if (rec->f[BT_F_COMMAND] == NULL)
		rec->f[BT_F_COMMAND] = bt_engine_phrase (layout->commands, diag);
	if (rec->reason_hint == NULL)
		rec->reason_hint = bt_engine_phrase (layout->reasons, diag);
	(void) report;
}

void
bt_engine_fill_diagnostic (bt_report_t *report, const char *text, gssize len)
{
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		if (rec->f[BT_F_DIAGNOSTIC] == NULL)
			bt_record_set (report, rec, BT_F_DIAGNOSTIC, text, len);
	}
}

bt_record_t *
bt_engine_add_original_to (bt_mail_t *mail, bt_report_t *report, const char *diag, gssize dlen)
{
	char *to;
	bt_record_t *rec;

	if (report->records->len > 0 || bt_engine_quoted_headers (mail) == NULL)
		return NULL;
	to = bt_engine_field (mail->orig_headers, -1, "To");
	rec = to ? bt_engine_add (report, to, -1, diag, dlen) : NULL;
	g_free (to);
	return rec;
}

static void
engine_copy_fields (bt_report_t *into, bt_record_t *to, const bt_record_t *from)
{
	for (int f = 0; f < BT_F_COUNT; f++)
		if (to->f[f] == NULL && from->f[f] != NULL)
			to->f[f] = bt_report_strdup (into, from->f[f], -1);
	if (to->reason_hint == NULL)
		to->reason_hint = from->reason_hint;
}

void
bt_engine_merge (bt_report_t *into, const bt_report_t *from, bool add)
{
	for (guint i = 0; i < from->records->len; i++) {
		const bt_record_t *src = from->records->pdata[i];
		bt_record_t *dst = bt_report_find (into, src->f[BT_F_RECIPIENT]);
		if (dst == NULL && into->records->len == 1 && from->records->len == 1)
			dst = into->records->pdata[0];
		if (dst == NULL) {
			if (!add)
				continue;
			dst = bt_report_add (into);
		}
		engine_copy_fields (into, dst, src);
	}
}

int
bt_engine_dsn_and_text (bt_mail_t *mail, bt_report_t *report, const bt_engine_layout_t *layout)
{
	bt_report_t *text = bt_report_new ("");
	int n = 0;

	for (guint i = 0; i < mail->dsn->len; i++)
		n += bt_rfc3464_read (mail, report, mail->dsn->pdata[i]);
	if (n == 0)
		n = bt_rfc3464_read_body (mail, report);
	if (layout != NULL && bt_engine_text (mail, text, layout) > 0) {
		/* The text often keeps what the standard part drops: Postfix's
		 * "(in reply to RCPT TO command)". */
		for (guint i = 0; i < text->records->len; i++) {
			bt_record_t *t = text->records->pdata[i];
			if (t->f[BT_F_COMMAND] == NULL && t->f[BT_F_DIAGNOSTIC] != NULL)
				t->f[BT_F_COMMAND] = bt_text_command (t->f[BT_F_DIAGNOSTIC], -1);
		}
		bt_engine_merge (report, text, n == 0);
	}
	bt_report_free (text);
	for (guint i = 0; i < report->records->len; i++)
		bt_engine_apply (report, report->records->pdata[i], layout);
	return (int) report->records->len;
}

/* True when line is "Name: value" with a plausible header name. */
static bool
engine_header_line (const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (g_ascii_isalnum (line[i]) || line[i] == '-'))
		i++;
	return i > 0 && i < len && line[i] == ':' && i < 40;
}

const char *
bt_engine_quoted_headers (bt_mail_t *mail)
{
	const char *text = NULL, *line;
	size_t best = mail->body_len, pos, len;
	GString *out;
	int lines = 0, skipped = 0;

	if (mail->orig_headers != NULL || mail->quoted_done)
		return mail->orig_headers;
	mail->quoted_done = true;
	for (size_t i = 0; bt_engine_original_markers[i]; i++) {
		const char *m = bt_mail_find (mail, 0, best, bt_engine_original_markers[i]);
		if (m != NULL) {
			best = (size_t) (m - mail->body);
			text = m;
		}
	}
	if (text == NULL)
		return NULL;
	if (*text == '\n')
		text++;
	/* From the marker's line on: skip up to a few lines of prose, then
	 * take the header block up to the blank line that ends it. */
	pos = (size_t) (text - mail->body);
	out = g_string_new (NULL);
	while (bt_text_next_line (mail->body, mail->body_len, &pos, &line, &len)) {
		if (out->len == 0) {
			if (!engine_header_line (line, len) || bt_text_starts (line, len, "content-type: message/rfc822")) {
				if (++skipped > 6)
					break;
				continue;
			}
		}
		if (engine_header_line (line, len) || (out->len > 0 && len > 0 && (line[0] == ' ' || line[0] == '\t'))) {
			g_string_append_len (out, line, (gssize) len);
			g_string_append_c (out, '\n');
			if (++lines > 200)
				break;
			continue;
		}
		break;
	}
	if (out->len > 0)
		mail->orig_headers = bt_mail_keep (mail, g_string_free (out, FALSE));
	else
		g_string_free (out, TRUE);
	return mail->orig_headers;
}

int
bt_engine_lists (bt_mail_t *mail, bt_report_t *report,
		 const char *rcpt_start, const char *const *rcpt_stop,
		 const char *diag_start, const char *const *diag_stop)
{
	size_t rlen, dlen = 0, pos = 0, len;
	const char *r = bt_engine_section (mail, rcpt_start, rcpt_stop, &rlen);
	const char *d = diag_start ? bt_engine_section (mail, diag_start, diag_stop, &dlen) : NULL;
	const char *line;
	guint before = report->records->len;

	while (r && bt_text_next_line (r, rlen, &pos, &line, &len)) {
		char *addr = memchr (line, '@', len) ? bt_text_address (line, (gssize) len) : NULL;
		if (addr != NULL && bt_report_find (report, addr) == NULL) {
			bt_record_t *rec = bt_engine_add (report, addr, -1, d, (gssize) dlen);
			if (rec)
				rec->f[BT_F_ACTION] = "failed";
		}
		g_free (addr);
	}
	return (int) (report->records->len - before);
}
