/* mailru.c: Mail.Ru (mailer-daemon@corp.mail.ru), an Exim with a Russian
 * preface that lists each recipient with the remote answer indented below
 * it, X-Failed-Recipients on the notice. */
#include "config.h"

#include <string.h>
#include "services-util.h"

static const char *const mailru_begin[] = {
	"не может быть доставлено одному или нескольким получателям", NULL,
};
static const char *const mailru_end[] = {
	"Рекомендуем Вам проверить", "**********************", NULL,
};

static const svc_hint_t mailru_hints[] = {
	{ "Unrouteable address", "hostunknown" },
	{ "retry timeout exceeded", "expired" },
	{ NULL, NULL },
};

bool
bt_engine_mailru (bt_mail_t *mail, bt_report_t *report)
{
	const char *text;
	size_t len;

	if (!svc_has (mail->from, "@corp.mail.ru") && !svc_has (mail->from, "mailer-daemon@mail.ru"))
		return false;
	if (!svc_section (mail->body, mail->body_len, mailru_begin, mailru_end, &text, &len))
		return false;
	/* A recipient may be written as its local part only: then
	 * X-Failed-Recipients names it, and the whole list is the diagnostic. */
	if (svc_read_blocks (report, text, len) == 0 && svc_failed_recipients (mail, report, text, (gssize) len) == 0)
		return false;
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		char *host = rec->f[BT_F_DIAGNOSTIC] ? svc_host_after (rec->f[BT_F_DIAGNOSTIC], strlen (rec->f[BT_F_DIAGNOSTIC]), " host ") : NULL;
		if (host != NULL)
			svc_fill (report, rec, BT_F_REMOTE_MTA, host, -1);
		g_free (host);
		svc_fill (report, rec, BT_F_ACTION, "failed", -1);
	}
	svc_hint (report, 0, mailru_hints);
	return true;
}
