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
	    && !bt_text_find (mail->body, mail->body_len, "sent <<< rcpt to:"))
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
		} else if (bt_text_starts (line, len, "received >>> ") && rec != NULL) {
			bt_record_set (report, rec, BT_F_DIAGNOSTIC, line + 13, (gssize) (len - 13));
			rec->f[BT_F_COMMAND] = cmd;
			rec = NULL;
		}
	}
	return report->records->len > 0;
}
