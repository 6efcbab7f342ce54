/* services-util.c: helpers shared by the mail-service engines. */
#include "config.h"

#include <string.h>
#include "services-util.h"

bool
svc_has (const char *hay, const char *needle)
{
	return hay != NULL && bt_text_find (hay, strlen (hay), needle) != NULL;
}

bool
svc_has_any (const char *hay, const char *const *needles)
{
	for (; hay && *needles; needles++)
		if (svc_has (hay, *needles))
			return true;
	return false;
}

bool
svc_body_has (const bt_mail_t *mail, const char *needle)
{
	return bt_mail_find (mail, 0, mail->body_len, needle) != NULL;
}

bool
svc_header_has (const bt_mail_t *mail, const char *name, const char *needle)
{
	return svc_has (bt_mail_header (mail, name), needle);
}

static bool
svc_line_has_any (const char *line, size_t len, const char *const *needles)
{
	for (; *needles; needles++)
		if (bt_text_find (line, len, *needles))
			return true;
	return false;
}

bool
svc_section (const char *text, size_t len, const char *const *begin,
	     const char *const *end, const char **out, size_t *out_len)
{
	size_t pos = 0, n, start = begin ? (size_t) -1 : 0;
	const char *line;

	while (start == (size_t) -1 && bt_text_next_line (text, len, &pos, &line, &n))
		if (svc_line_has_any (line, n, begin))
			start = pos;
	if (start == (size_t) -1)
		return false;
	*out = text + start;
	*out_len = len - start;
	if (end == NULL)
		return true;
	pos = start;
	while (bt_text_next_line (text, len, &pos, &line, &n))
		if (svc_line_has_any (line, n, end)) {
			*out_len = (size_t) (line - *out);
			break;
		}
	return true;
}

char *
svc_address_line (const char *line, size_t len)
{
	const char *s = line, *e = line + len;
	char *tok, *addr, *mailto;

	while (s < e && g_ascii_isspace (*s))
		s++;
	while (e > s && (g_ascii_isspace (e[-1]) || e[-1] == ':'))
		e--;
	if (e - s > 10 && g_ascii_strncasecmp (s, "Recipient:", 10) == 0)
		for (s += 10; s < e && g_ascii_isspace (*s); s++)
			;
	if (s >= e || memchr (s, '@', (size_t) (e - s)) == NULL)
		return NULL;
	tok = g_strndup (s, (gsize) (e - s));
	/* Outlook writes "a@b<mailto:a@b>" or "a@b (a@b)<mailto:a@b>". */
	if ((mailto = strstr (tok, "<mailto:")) != NULL)
		*mailto = '\0';
	if ((mailto = strstr (tok, " (")) != NULL && mailto[strlen (mailto) - 1] == ')')
		*mailto = '\0';
	g_strstrip (tok);
	if (*tok == '\0' || strpbrk (tok, " \t,;") != NULL) {
		g_free (tok);
		return NULL;
	}
	addr = bt_text_address (tok, -1);
	g_free (tok);
	return addr;
}

char *
svc_address_prefix (const char *line, size_t len, const char **rest)
{
	const char *s = line, *e = line + len, *colon;
	char *tok, *addr;

	while (s < e && g_ascii_isspace (*s))
		s++;
	colon = memchr (s, ':', (size_t) (e - s));
	/* "<a@b>: text", "a@b: text", "\"a@b\": text": one token, then ':'. */
	if (colon == NULL || colon == s || memchr (s, '@', (size_t) (colon - s)) == NULL)
		return NULL;
	for (const char *p = s; p < colon; p++)
		if (g_ascii_isspace (*p) || *p == ',' || *p == ';')
			return NULL;
	tok = g_strndup (s, (gsize) (colon - s));
	addr = bt_text_address (tok, -1);
	g_free (tok);
	if (addr != NULL)
		*rest = colon + 1;
	return addr;
}

int
svc_read_addresses (bt_report_t *report, const char *text, size_t len)
{
	size_t pos = 0, n;
	const char *line;
	int count = 0;

	while (bt_text_next_line (text, len, &pos, &line, &n)) {
		char *addr = svc_address_line (line, n);
		if (addr != NULL && !bt_report_find (report, addr))
			count += bt_engine_add (report, addr, -1, NULL, 0) != NULL;
		g_free (addr);
	}
	return count;
}

/* A block's diagnostic, without a "Reason:" label before the text. */
static void
svc_block_diag (bt_report_t *report, bt_record_t *rec, const char *diag, const char *end)
{
	if (end - diag > 7 && g_ascii_strncasecmp (diag, "Reason:", 7) == 0)
		diag += 7;
	bt_record_set (report, rec, BT_F_DIAGNOSTIC, diag, end - diag);
}

int
svc_read_blocks (bt_report_t *report, const char *text, size_t len)
{
	size_t pos = 0, n;
	const char *line, *diag = NULL;
	bt_record_t *rec = NULL;
	int count = 0;

	while (bt_text_next_line (text, len, &pos, &line, &n)) {
		const char *rest = NULL;
		char *addr = svc_address_line (line, n);
		if (addr == NULL)
			addr = svc_address_prefix (line, n, &rest);
		/* The same address again inside its own block is part of it. */
		if (addr != NULL && rec != NULL && g_ascii_strcasecmp (addr, rec->f[BT_F_RECIPIENT]) == 0) {
			g_free (addr);
			addr = NULL;
			rest = NULL;
		}
		if (addr == NULL) {
			if (rec != NULL && diag == NULL && n > 0)
				diag = line;
			continue;
		}
		if (rec != NULL && diag != NULL)
			svc_block_diag (report, rec, diag, line);
		diag = NULL;
		rec = bt_report_find (report, addr) ? NULL : bt_engine_add (report, addr, -1, NULL, 0);
		count += rec != NULL;
		g_free (addr);
		if (rec != NULL && rest != NULL) {
			while (rest < line + n && g_ascii_isspace (*rest))
				rest++;
			if (rest < line + n)
				diag = rest;
		}
	}
	if (rec != NULL && diag != NULL)
		svc_block_diag (report, rec, diag, text + len);
	return count;
}

void
svc_fill_from_blocks (bt_report_t *report, const char *text, size_t len)
{
	bt_report_t *blocks = bt_report_new ("blocks");

	svc_read_blocks (blocks, text, len);
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		bt_record_t *other = bt_report_find (blocks, rec->f[BT_F_RECIPIENT]);
		if (other != NULL)
			svc_fill (report, rec, BT_F_DIAGNOSTIC, other->f[BT_F_DIAGNOSTIC], -1);
	}
	bt_report_free (blocks);
}

/* Fields some services write before Final-Recipient in a recipient's
 * block, where a strict reader has not opened the record yet. */
static const struct {
	const char *name;
	bt_field_t field;
} svc_dsn_gaps[] = {
	{ "Action", BT_F_ACTION }, { "Status", BT_F_STATUS },
	{ "Diagnostic-Code", BT_F_DIAGNOSTIC }, { "Remote-MTA", BT_F_REMOTE_MTA },
};

static void
svc_dsn_fill_block (bt_report_t *report, const char *block, size_t len)
{
	char *fr = bt_engine_field (block, (gssize) len, "Final-Recipient");
	char *addr = fr ? bt_text_address (fr, -1) : NULL;
	bt_record_t *rec = addr ? bt_report_find (report, addr) : NULL;

	for (size_t i = 0; rec && i < G_N_ELEMENTS (svc_dsn_gaps); i++) {
		char *v, code[16];
		const char *semi;
		if (rec->f[svc_dsn_gaps[i].field] != NULL
		    || (v = bt_engine_field (block, (gssize) len, svc_dsn_gaps[i].name)) == NULL)
			continue;
		semi = strchr (v, ';');
		if (svc_dsn_gaps[i].field == BT_F_STATUS) {
			if (bt_text_status (v, -1, code))
				bt_record_set (report, rec, BT_F_STATUS, code, -1);
		} else if (svc_dsn_gaps[i].field == BT_F_ACTION || semi == NULL) {
			bt_record_set (report, rec, svc_dsn_gaps[i].field, v, -1);
		} else {
			bt_record_set (report, rec, svc_dsn_gaps[i].field, semi + 1, -1);
		}
		g_free (v);
	}
	g_free (addr);
	g_free (fr);
}

int
svc_read_dsn_text (bt_mail_t *mail, bt_report_t *report, const char *dsn)
{
	const char *block = dsn;
	int n = bt_rfc3464_read (mail, report, dsn);

	/* Then each blank-line separated block again, for fields that came
	 * before their Final-Recipient. */
	for (const char *p = dsn; ; p++) {
		if (*p == '\0' || (p[0] == '\n' && p[1] == '\n')) {
			svc_dsn_fill_block (report, block, (size_t) (p - block));
			if (*p == '\0')
				break;
			block = p + 1;
		}
	}
	return n;
}

int
svc_read_dsn (bt_mail_t *mail, bt_report_t *report)
{
	int n = 0;

	for (guint i = 0; i < mail->dsn->len; i++)
		n += svc_read_dsn_text (mail, report, mail->dsn->pdata[i]);
	return n;
}

int
svc_failed_recipients (bt_mail_t *mail, bt_report_t *report, const char *diag, gssize dlen)
{
	const char *v = bt_mail_header (mail, "X-Failed-Recipients");
	char **parts;
	int n = 0;

	if (v == NULL)
		return 0;
	parts = g_strsplit_set (v, ",", -1);
	for (char **p = parts; *p; p++) {
		char *addr = bt_text_address (*p, -1);
		if (addr != NULL && !bt_report_find (report, addr))
			n += bt_engine_add (report, addr, -1, diag, dlen) != NULL;
		g_free (addr);
	}
	g_strfreev (parts);
	return n;
}

void
svc_fill (bt_report_t *report, bt_record_t *rec, bt_field_t field, const char *s, gssize len)
{
	if (rec->f[field] == NULL && s != NULL)
		bt_record_set (report, rec, field, s, len);
}

void
svc_fill_all (bt_report_t *report, guint from, bt_field_t field, const char *s, gssize len)
{
	for (guint i = from; i < report->records->len; i++)
		svc_fill (report, report->records->pdata[i], field, s, len);
}

void
svc_hint (bt_report_t *report, guint from, const svc_hint_t *table)
{
	for (guint i = from; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		if (rec->reason_hint != NULL)
			continue;
		for (const svc_hint_t *h = table; h->needle; h++)
			if (svc_has (rec->f[BT_F_DIAGNOSTIC], h->needle)) {
				rec->reason_hint = h->reason;
				break;
			}
	}
}

bool
svc_last_status (const char *s, char buf[16])
{
	bool found = false;
	char code[16];

	while (s != NULL && bt_text_status (s, -1, code)) {
		const char *at = strstr (s, code);
		memcpy (buf, code, sizeof code);
		found = true;
		if (at == NULL)
			break;
		s = at + strlen (code);
	}
	return found;
}

bool
svc_last_replycode (const char *s, char buf[4])
{
	bool found = false;
	char code[4];

	while (s != NULL && bt_text_replycode (s, -1, code)) {
		const char *at = strstr (s, code);
		memcpy (buf, code, sizeof code);
		found = true;
		if (at == NULL)
			break;
		s = at + 3;
	}
	return found;
}

void
svc_prefer_quoted_codes (bt_report_t *report, guint from)
{
	for (guint i = from; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		const char *diag = rec->f[BT_F_DIAGNOSTIC];
		char st[16], rc[4];
		if (diag == NULL)
			continue;
		if (svc_last_status (diag, st))
			bt_record_set (report, rec, BT_F_STATUS, st, -1);
		if (svc_last_replycode (diag, rc))
			bt_record_set (report, rec, BT_F_REPLYCODE, rc, -1);
	}
}

char *
svc_host_after (const char *text, size_t len, const char *marker)
{
	const char *p = bt_text_find (text, len, marker), *e, *end = text + len;

	if (p == NULL)
		return NULL;
	for (p += strlen (marker); p < end && (g_ascii_isspace (*p) || *p == '[' || *p == '('); p++)
		;
	for (e = p; e < end && (g_ascii_isalnum (*e) || *e == '.' || *e == '-' || *e == '_' || *e == ':'); e++)
		;
	while (e > p && (e[-1] == '.' || e[-1] == ':'))
		e--;
	if (e - p < 3 || memchr (p, '.', (size_t) (e - p)) == NULL)
		return NULL;
	return g_strndup (p, (gsize) (e - p));
}

static const char *const united_begin[] = { "failed:", NULL };
static const char *const united_end[] = {
	"--- The header of the original message is following", "--- The original message is following", NULL,
};

/* "SMTP error from remote server for RCPT TO command" / "after RCPT
 * command"; TEXT is the message text, that is DATA. */
static const struct {
	const char *words;
	const char *command;
} united_commands[] = {
	{ "for RCPT TO command", "RCPT" }, { "after RCPT command", "RCPT" },
	{ "for MAIL FROM command", "MAIL" }, { "after MAIL command", "MAIL" },
	{ "for TEXT command", "DATA" }, { "for DATA command", "DATA" }, { "after DATA command", "DATA" },
};

int
svc_read_united (bt_mail_t *mail, bt_report_t *report)
{
	const char *text;
	size_t len;
	int n;

	if (!svc_section (mail->body, mail->body_len, united_begin, united_end, &text, &len))
		return 0;
	n = svc_read_blocks (report, text, len);
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		const char *d = rec->f[BT_F_DIAGNOSTIC];
		char *host = NULL;
		if (d == NULL)
			continue;
		svc_fill (report, rec, BT_F_ACTION, "failed", -1);
		/* "host: mx.example.jp" and the command it answered. */
		if ((host = svc_host_after (d, strlen (d), "host: ")) != NULL)
			svc_fill (report, rec, BT_F_REMOTE_MTA, host, -1);
		g_free (host);
		for (size_t k = 0; k < G_N_ELEMENTS (united_commands); k++)
			if (svc_has (d, united_commands[k].words)) {
				rec->f[BT_F_COMMAND] = united_commands[k].command;
				break;
			}
	}
	return n;
}

void
svc_done (bt_report_t *report)
{
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		const char *diag = rec->f[BT_F_DIAGNOSTIC];
		char st[16], rc[4];
		if (diag == NULL)
			continue;
		if (rec->f[BT_F_REPLYCODE] == NULL && bt_text_replycode (diag, -1, rc))
			bt_record_set (report, rec, BT_F_REPLYCODE, rc, -1);
		if (rec->f[BT_F_STATUS] == NULL && bt_text_status (diag, -1, st))
			bt_record_set (report, rec, BT_F_STATUS, st, -1);
		if (rec->f[BT_F_COMMAND] == NULL)
			rec->f[BT_F_COMMAND] = bt_text_command (diag, -1);
	}
}
