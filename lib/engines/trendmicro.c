/* trendmicro.c: Trend Micro InterScan Messaging Security: the SMTP exchange
 * as "Sent <<< RCPT TO:<address>" and "Received >>> 550 ..." lines. */
#include "config.h"

#include <string.h>
#include "engine.h"

static const bt_engine_phrase_t tm_commands[] = {
	{ "sent <<< rcpt", "RCPT" }, { "sent <<< mail", "MAIL" }, { "sent <<< data", "DATA" },
	{ "sent <<< ehlo", "EHLO" }, { "sent <<< helo", "HELO" },
	{ NULL, NULL },
};

bool
bt_engine_trendmicro (bt_mail_t *mail, bt_report_t *report)
{
	size_t pos = 0, len;
	const char *line, *cmd = NULL;
	bt_record_t *rec = NULL;

	if (!bt_text_find (mail->from, strlen (mail->from), "interscan")
	    && !bt_engine_body_find (mail, "sent <<< rcpt to:"))
		return false;
	while (bt_text_next_line (mail->body, mail->body_len, &pos, &line, &len)) {
		if (bt_text_starts (line, len, "sent <<< ")) {
			for (size_t i = 0; tm_commands[i].phrase; i++)
				if (bt_text_starts (line, len, tm_commands[i].phrase))
					cmd = tm_commands[i].value;
			if (cmd && strcmp (cmd, "RCPT") == 0 && memchr (line, '@', len)) {
				rec = bt_engine_add (report, line + 9, (gssize) (len - 9), NULL, 0);
				if (rec)
					rec->f[BT_F_ACTION] = "failed";
			}
		} else if (bt_text_starts (line, len, "received >>> ") && len > 13
			   && (line[13] == '4' || line[13] == '5')) {
			/* A refusal: of the last RCPT, or after DATA of every
			 * recipient still without one; a transcript that shows no
			 * RCPT names the recipient in the reply. */
			if (report->records->len == 0 && memchr (line, '@', len)) {
				bt_record_t *r = bt_engine_add (report, line + 13, (gssize) (len - 13), NULL, 0);
				if (r)
					r->f[BT_F_ACTION] = "failed";
			}
			for (guint i = 0; i < report->records->len; i++) {
				bt_record_t *r = report->records->pdata[i];
				if ((r == rec || (cmd && strcmp (cmd, "RCPT") != 0)) && r->f[BT_F_DIAGNOSTIC] == NULL) {
					bt_record_set (report, r, BT_F_DIAGNOSTIC, line + 13, (gssize) (len - 13));
					r->f[BT_F_COMMAND] = cmd;
				}
			}
		}
	}
	return report->records->len > 0;
}
