/* googlegroups.c: Google Groups refusing a post.  Gmail's mailer-daemon
 * sends it, in the sender's language, with the group in
 * X-Failed-Recipients and a link to groups.google.com/support; the group
 * either does not exist or does not let the sender post. */
#include "config.h"

#include "services-util.h"

static const char *const groups_end[] = { "----- Original message -----", NULL };

bool
bt_engine_googlegroups (bt_mail_t *mail, bt_report_t *report)
{
	const char *notice;
	size_t len;

	if (!svc_has (mail->from, "@googlemail.com") && !svc_has (mail->from, "@google.com"))
		return false;
	if (bt_mail_header (mail, "X-Failed-Recipients") == NULL
	    || !svc_body_has (mail, "groups.google.com/support") || !svc_body_has (mail, "Google Groups"))
		return false;
	if (!svc_section (mail->body, mail->body_len, NULL, groups_end, &notice, &len))
		return false;
	if (svc_failed_recipients (mail, report, notice, (gssize) len) == 0)
		return false;
	svc_fill_all (report, 0, BT_F_ACTION, "failed", -1);
	/* Whatever the language, the notice says the group refused the
	 * sender: it does not exist or the sender may not post to it. */
	for (guint i = 0; i < report->records->len; i++)
		((bt_record_t *) report->records->pdata[i])->reason_hint = "rejected";
	svc_done (report);
	return true;
}
