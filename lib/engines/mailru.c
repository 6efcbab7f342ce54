/* mailru.c: Mail.Ru (mailer-daemon@corp.mail.ru), an Exim with a Russian
 * preface that lists each recipient, with the remote answer indented below
 * it or after "address: " on the same line, then Exim's English text;
 * X-Failed-Recipients on the notice. */
#include "config.h"

#include <string.h>
#include "services-util.h"

static const char *const mailru_begin[] = {
	"не может быть доставлено одному или нескольким получателям",
	"не удалось доставить одному или нескольким получателям", NULL,
};
static const char *const mailru_end[] = {
	"Рекомендуем Вам проверить", "Проверьте, пожалуйста", "**********************", NULL,
};

/* Exim's own English report below the Russian one. */
static const char *const mailru_exim_begin[] = { "The following address(es) failed", "failed:", NULL };
static const char *const mailru_exim_end[] = {
	"------ This is a copy of the message", "--- The header of the original message", NULL,
};

static const svc_hint_t mailru_hints[] = {
	{ "Unrouteable address", "hostunknown" },
	{ "retry timeout exceeded", "expired" },
	{ "ящик получателя отключён", "suspend" },   /* the recipient's mailbox is disabled */
	{ NULL, NULL },
};

/* The Russian summary names the recipient, Exim's part below it quotes
 * the remote server: when that quote has a reply code it is the better
 * diagnostic. */
static void
mailru_prefer_exim (bt_mail_t *mail, bt_report_t *report)
{
	const char *text;
	size_t len;
	bt_report_t *exim;
	char code[4];

	if (!svc_section (mail->body, mail->body_len, mailru_exim_begin, mailru_exim_end, &text, &len))
		return;
	exim = bt_report_new ("exim");
	svc_read_blocks (exim, text, len);
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		bt_record_t *other = bt_report_find (exim, rec->f[BT_F_RECIPIENT]);
		if (other != NULL && other->f[BT_F_DIAGNOSTIC] && bt_text_replycode (other->f[BT_F_DIAGNOSTIC], -1, code))
			bt_record_set (report, rec, BT_F_DIAGNOSTIC, other->f[BT_F_DIAGNOSTIC], -1);
	}
	bt_report_free (exim);
}

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
	mailru_prefer_exim (mail, report);
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		char *host = rec->f[BT_F_DIAGNOSTIC] ? svc_host_after (rec->f[BT_F_DIAGNOSTIC], strlen (rec->f[BT_F_DIAGNOSTIC]), " host ") : NULL;
		if (host != NULL)
			svc_fill (report, rec, BT_F_REMOTE_MTA, host, -1);
		g_free (host);
		svc_fill (report, rec, BT_F_ACTION, "failed", -1);
	}
	svc_hint (report, 0, mailru_hints);
	svc_done (report);
	return true;
}
