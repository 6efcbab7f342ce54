/* apachejames.c: Apache James: "Error message below:" the reply, and under
 * "Message details:" the envelope ("RCPT TO: address"). */
#include "config.h"

#include <string.h>
#include "engine.h"

static const char *const aj_diag_stop[] = { "message details:", NULL };

bool
bt_engine_apachejames (bt_mail_t *mail, bt_report_t *report)
{
	size_t dlen, pos = 0, len;
	const char *d, *line;

	if (bt_engine_body_find (mail, "message details:") == NULL
	    || (d = bt_engine_section (mail, "error message below:", aj_diag_stop, &dlen)) == NULL)
		return false;
	while (bt_text_next_line (mail->body, mail->body_len, &pos, &line, &len)) {
		const char *p = line;
		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
		if (bt_text_starts (p, len, "rcpt to:")) {
			bt_record_t *rec = bt_engine_add (report, p + 8, (gssize) (len - 8), d, (gssize) dlen);
			if (rec)
				rec->f[BT_F_ACTION] = "failed";
		}
	}
	return report->records->len > 0;
}
