/* aol.c: AOL's own notices (Postmaster@AOL.com, "Undeliverable: ..."), an
 * HTML text and a delivery-status part that holds everything. */
#include "config.h"

#include "services-util.h"

bool
bt_engine_aol (bt_mail_t *mail, bt_report_t *report)
{
	if (!svc_has (mail->from, "postmaster@aol.com") || !svc_has (mail->subject, "Undeliverable"))
		return false;
	if (svc_read_dsn (mail, report) == 0)
		return false;
	svc_done (report);
	return true;
}
