/* messagelabs.c: Symantec / Broadcom Email Security.cloud (MessageLabs):
 *
 *   This is the mail delivery agent at messagelabs.com.
 *   I was unable to deliver your message to the following addresses:
 *   user@example.org
 *   Reason: 550 user@example.org... No such user
 *   The message subject was: ... */
#include "config.h"

#include "services-util.h"

static const char *const ml_begin[] = { "I was unable to deliver your message to the following addresses", NULL };
static const char *const ml_end[] = { "The message subject was:", "The message date was:", NULL };

bool
bt_engine_messagelabs (bt_mail_t *mail, bt_report_t *report)
{
	const char *text;
	size_t len;

	if (!svc_has (mail->from, "messagelabs.com") || !svc_body_has (mail, "This is the mail delivery agent at"))
		return false;
	if (!svc_section (mail->body, mail->body_len, ml_begin, ml_end, &text, &len))
		return false;
	/* The delivery-status part when there is one; the text's
	 * "Reason: 550 ..." fills what it lacks, or is all there is. */
	if (svc_read_dsn (mail, report) > 0)
		svc_fill_from_blocks (report, text, len);
	else if (svc_read_blocks (report, text, len) == 0)
		return false;
	svc_fill_all (report, 0, BT_F_ACTION, "failed", -1);
	svc_done (report);
	return true;
}
