/* postfix.c: Postfix's notices ("This is the mail system at host ...",
 * older ones "This is the Postfix program at host ...").  Most carry a
 * message/delivery-status part; old ones only "<address>: text" paragraphs,
 * which also give the text of the reply and the SMTP command. */
#include "config.h"

#include <string.h>
#include "engine.h"

static const char *const postfix_marks[] = {
	"this is the mail system at host", "this is the postfix program at host",
	"this is the postfix", NULL,
};

static const char *const postfix_start[] = {
	"\nthe mail system", "could not be delivered to one or more", "delayed mail",
	"could not be delivered", "this is the postfix program", "this is the mail system",
	NULL,
};

static const char *const postfix_stop[] = {
	"--- delivery report unavailable", "reporting-mta:", "content-description: delivery report",
	"content-description: undelivered message", "--- undelivered message follows",
	"-- undelivered message headers", "undelivered-message", NULL,
};

static const bt_engine_phrase_t postfix_reasons[] = {
	{ "user unknown in local recipient table", "userunknown" },
	{ "user unknown in virtual mailbox table", "userunknown" },
	{ "user unknown in virtual alias table", "userunknown" },
	{ NULL, NULL },
};

static const bt_engine_layout_t postfix_layout = {
	.start = postfix_start, .stop = postfix_stop, .reasons = postfix_reasons,
};

bool
bt_engine_postfix (bt_mail_t *mail, bt_report_t *report)
{
	if (!bt_engine_body_any (mail, postfix_marks))
		return false;
	bt_engine_dsn_and_text (mail, report, &postfix_layout);
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		if (rec->f[BT_F_DIAGNOSTIC_TYPE] == NULL && rec->f[BT_F_DIAGNOSTIC] != NULL
		    && bt_text_find (rec->f[BT_F_DIAGNOSTIC], strlen (rec->f[BT_F_DIAGNOSTIC]), " said:"))
			rec->f[BT_F_DIAGNOSTIC_TYPE] = "SMTP";
	}
	return report->records->len > 0;
}
