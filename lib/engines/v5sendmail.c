/* v5sendmail.c: Sendmail 5 and its kin: no address list, only a transcript
 * of "554 <address>... reason" lines between "----- Transcript of session
 * follows -----" and "----- Unsent message follows -----". */
#include "config.h"

#include <string.h>
#include "engine.h"

static const char *const v5_stop[] = {
	"----- unsent message follows", "----- original message follows", NULL,
};

static const bt_engine_phrase_t v5_commands[] = {
	{ ">>> rcpt", "RCPT" }, { ">>> mail", "MAIL" }, { ">>> data", "DATA" },
	{ ">>> helo", "HELO" }, { ">>> ehlo", "EHLO" },
	{ NULL, NULL },
};

bool
bt_engine_v5sendmail (bt_mail_t *mail, bt_report_t *report)
{
	size_t tlen, pos = 0, len;
	const char *t, *line;
	const char *cmd = NULL;
	GString *talk;   /* the current "While talking to" exchange */

	if (mail->dsn->len > 0 || bt_engine_body_find (mail, "----- unsent message follows") == NULL)
		return false;
	talk = g_string_new (NULL);
	t = bt_engine_section (mail, "----- transcript of session follows", v5_stop, &tlen);
	while (t && bt_text_next_line (t, tlen, &pos, &line, &len)) {
		const char *at = memchr (line, '@', len);
		if (bt_text_starts (line, len, "while talking to")) {
			g_string_truncate (talk, 0);
			cmd = NULL;
			continue;
		}
		if (bt_text_starts (line, len, ">>> ") || bt_text_starts (line, len, "<<< ")) {
			for (size_t i = 0; v5_commands[i].phrase; i++)
				if (bt_text_starts (line, len, v5_commands[i].phrase))
					cmd = v5_commands[i].value;
			if (line[0] == '<') {
				g_string_append_len (talk, line + 4, (gssize) (len - 4));
				g_string_append_c (talk, ' ');
			}
			continue;
		}
		if (at != NULL && len > 4 && g_ascii_isdigit (line[0]) && line[3] == ' ') {
			char *addr = bt_text_address (line + 4, (gssize) (len - 4));
			bt_record_t *rec = addr ? bt_report_find (report, addr) : NULL;
			if (rec == NULL && addr != NULL)
				rec = bt_engine_add (report, addr, -1, NULL, 0);
			g_free (addr);
			if (rec == NULL)
				continue;
			g_string_append_len (talk, line, (gssize) len);
			bt_record_set (report, rec, BT_F_DIAGNOSTIC, talk->str, (gssize) talk->len);
			g_string_truncate (talk, 0);
			if (cmd)
				rec->f[BT_F_COMMAND] = cmd;
			rec->f[BT_F_ACTION] = "failed";
			cmd = NULL;
		}
	}
	if (report->records->len == 0 && t != NULL) {
		bt_record_t *rec = bt_engine_add_original_to (mail, report, t, (gssize) tlen);
		if (rec)
			rec->f[BT_F_ACTION] = "failed";
	}
	g_string_free (talk, TRUE);
	return report->records->len > 0;
}
