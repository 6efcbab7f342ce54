/* mxlogic.c: McAfee SaaS Email Protection (MXLogic, X-MX-Bounce header or
 * mxlogic.net), an Exim-like notice:
 *
 *   recipients.  This is a permanent error.  The following address failed:
 *     <user@example.jp>: 550 5.1.1 ... User unknown
 *   Included is a copy of the message header: */
#include "config.h"

#include "services-util.h"

static const char *const mxl_begin[] = { "The following address failed", "The following addresses failed", NULL };
static const char *const mxl_end[] = { "Included is a copy of the message header", NULL };

bool
bt_engine_mxlogic (bt_mail_t *mail, bt_report_t *report)
{
	const char *text;
	size_t len;

	if (bt_mail_header (mail, "X-MX-Bounce") == NULL && !svc_has (mail->from, "mxlogic.net"))
		return false;
	if (!svc_section (mail->body, mail->body_len, mxl_begin, mxl_end, &text, &len))
		return false;
	if (svc_read_blocks (report, text, len) == 0)
		return false;
	svc_fill_all (report, 0, BT_F_ACTION, "failed", -1);
	svc_done (report);
	return true;
}
