/* fml.c: the fml mailing-list manager's error mail to the list owner
 * (X-MLServer: fml): "Duplicated Message-ID in <address>", "not member",
 * "Your message was not delivered". */
#include "config.h"

#include <string.h>
#include "engine.h"

static const bt_engine_phrase_t fml_reasons[] = {
	{ "duplicated message-id", "systemerror" },
	{ "not member", "rejected" },
	{ "you are not a member", "rejected" },
	{ "is not allowed", "rejected" },
	{ NULL, NULL },
};

bool
bt_engine_fml (bt_mail_t *mail, bt_report_t *report)
{
	const char *ml = bt_mail_header (mail, "X-MLServer");
	size_t pos = 0, len;
	const char *line;

	if (ml == NULL || strstr (ml, "fml") == NULL)
		return false;
	while (bt_text_next_line (mail->body, mail->body_len, &pos, &line, &len)) {
		bt_record_t *rec;
		if (memchr (line, '@', len) == NULL)
			continue;
		rec = bt_engine_add (report, line, (gssize) len, line, (gssize) len);
		if (rec) {
			rec->f[BT_F_ACTION] = "failed";
			rec->reason_hint = bt_engine_phrase (fml_reasons, rec->f[BT_F_DIAGNOSTIC]);
		}
		break;
	}
	return report->records->len > 0;
}
