/* einsundeins.c: 1&1 / IONOS (mailer-daemon@kundenserver.de, @1and1...,
 * X-UI-Out-Filterresults), the layout svc_read_united reads:
 * "SMTP error from remote server for TEXT command, host: ... reason: ...". */
#include "config.h"

#include "services-util.h"

static const char *const eue_from[] = { "@kundenserver.de", "@1and1.", "@1und1.", "@ionos.", NULL };

bool
bt_engine_einsundeins (bt_mail_t *mail, bt_report_t *report)
{
	if (!svc_has_any (mail->from, eue_from) || !svc_has (mail->subject, "Mail delivery failed"))
		return false;
	if (svc_read_united (mail, report) == 0)
		return false;
	svc_done (report);
	return true;
}
