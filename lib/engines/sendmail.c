/* sendmail.c: Sendmail 8 ("----- The following addresses had permanent fatal
 * errors -----" and a transcript of the SMTP session), usually with a
 * message/delivery-status part.  The transcript names the command the
 * remote host refused (">>> RCPT To:<...>" then "<<< 550 ..."). */
#include "config.h"

#include <string.h>
#include "engine.h"

static const char *const sendmail_marks[] = {
	"----- the following addresses had permanent fatal errors -----",
	"----- the following addresses had transient non-fatal errors -----",
	"----- transcript of session follows -----",
	NULL,
};

static const char *const sendmail_start[] = {
	"the following addresses had permanent fatal errors", "the following addresses had transient non-fatal errors",
	NULL,
};

static const char *const sendmail_stop[] = {
	"----- transcript of session follows", "----- original message", "----- message header follows",
	"----- unsent message follows", "content-type: message/delivery-status", NULL,
};

/* Sendmail's own words for giving up after its queue lifetime. */
static const bt_engine_phrase_t sendmail_reasons[] = {
	{ "message could not be delivered for", "expired" },
	{ "cannot send message for", "expired" },
	{ NULL, NULL },
};

static const bt_engine_layout_t sendmail_layout = {
	.start = sendmail_start, .stop = sendmail_stop, .reasons = sendmail_reasons,
};

/* SMTP commands of a transcript, by the word after ">>> ". */
static const bt_engine_phrase_t sendmail_commands[] = {
	{ "rcpt", "RCPT" }, { "mail", "MAIL" }, { "data", "DATA" }, { "ehlo", "EHLO" },
	{ "helo", "HELO" }, { "quit", "QUIT" }, { "starttls", "STARTTLS" }, { "auth", "AUTH" },
	{ "rset", "RSET" },
	{ NULL, NULL },
};

/* The command the first refusal of the transcript answered: the last
 * ">>> " line before the first "<<< 4xx/5xx" line. */
static const char *
sendmail_transcript_command (const bt_mail_t *mail)
{
	size_t tlen, pos = 0, len;
	const char *t = bt_engine_section (mail, "----- transcript of session follows", bt_engine_original_markers, &tlen);
	const char *line, *cmd = NULL;

	while (t && bt_text_next_line (t, tlen, &pos, &line, &len)) {
		if (bt_text_starts (line, len, ">>> ")) {
			cmd = NULL;
			for (size_t i = 0; sendmail_commands[i].phrase; i++)
				if (bt_text_starts (line + 4, len - 4, sendmail_commands[i].phrase))
					cmd = sendmail_commands[i].value;
		} else if (cmd && len > 4 && bt_text_starts (line, len, "<<< ") && (line[4] == '4' || line[4] == '5')) {
			return cmd;
		}
	}
	return NULL;
}

/* Sendmail's own summary line in the transcript ("554 5.3.0 unknown mailer
 * error 255") says more than a report whose Status is only "5.0.0" with an
 * X-Unix exit code. */
static void
sendmail_transcript_status (const bt_mail_t *mail, bt_report_t *report, bt_record_t *rec)
{
	size_t tlen, pos = 0, len;
	const char *t = bt_engine_section (mail, "----- transcript of session follows", bt_engine_original_markers, &tlen);
	const char *line, *st = rec->f[BT_F_STATUS];
	char code[16], reply[4];

	/* Only when the remote host's reply is not quoted (a local mailer's
	 * exit code, or nothing): an SMTP reply's own code stands. */
	if (st == NULL || strcmp (st + 1, ".0.0") != 0
	    || (rec->f[BT_F_DIAGNOSTIC_TYPE] && g_ascii_strcasecmp (rec->f[BT_F_DIAGNOSTIC_TYPE], "smtp") == 0))
		return;
	while (t && bt_text_next_line (t, tlen, &pos, &line, &len)) {
		if (len < 10 || line[0] != st[0] || !bt_text_replycode (line, 4, reply)
		    || !bt_text_status (line + 4, (gssize) (len - 4), code) || strcmp (code + 1, ".0.0") == 0
		    || code[0] != st[0])
			continue;
		bt_record_set (report, rec, BT_F_STATUS, code, -1);
		if (rec->f[BT_F_REPLYCODE] == NULL)
			bt_record_set (report, rec, BT_F_REPLYCODE, reply, -1);
		return;
	}
}

/* A report whose diagnostic is only a local mailer's exit code ("X-Unix;
 * 77"), or none: the transcript says it in words. */
static void
sendmail_transcript_diagnostic (const bt_mail_t *mail, bt_report_t *report, bt_record_t *rec)
{
	size_t tlen;
	const char *d = rec->f[BT_F_DIAGNOSTIC];
	const char *t;

	if (d != NULL && d[strspn (d, "0123456789")] != '\0')
		return;
	t = bt_engine_section (mail, "----- transcript of session follows", bt_engine_original_markers, &tlen);
	if (t == NULL)
		return;
	while (tlen > 0 && g_ascii_isspace (*t)) {
		t++;
		tlen--;
	}
	if (tlen > 0)
		bt_record_set (report, rec, BT_F_DIAGNOSTIC, t, tlen > 1000 ? g_utf8_find_prev_char (t, t + 1001) - t : (gssize) tlen);
}

bool
bt_engine_sendmail (bt_mail_t *mail, bt_report_t *report)
{
	const char *cmd;

	if (!bt_engine_body_any (mail, sendmail_marks))
		return false;
	if (bt_engine_dsn_and_text (mail, report, &sendmail_layout) == 0)
		return false;
	cmd = sendmail_transcript_command (mail);
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		if (rec->f[BT_F_COMMAND] == NULL && cmd)
			rec->f[BT_F_COMMAND] = cmd;
		sendmail_transcript_status (mail, report, rec);
		sendmail_transcript_diagnostic (mail, report, rec);
		if (rec->reason_hint == NULL)
			rec->reason_hint = bt_engine_phrase (sendmail_reasons, rec->f[BT_F_DIAGNOSTIC]);
		/* "(reason: 550 ...)" in the address list. */
		if (rec->f[BT_F_DIAGNOSTIC] && g_str_has_prefix (rec->f[BT_F_DIAGNOSTIC], "(reason: ")) {
			const char *d = rec->f[BT_F_DIAGNOSTIC] + 9;
			size_t n = strlen (d);
			bt_record_set (report, rec, BT_F_DIAGNOSTIC, d, (gssize) (n && d[n - 1] == ')' ? n - 1 : n));
		}
	}
	return true;
}
