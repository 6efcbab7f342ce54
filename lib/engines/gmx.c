/* gmx.c: GMX (and WEB.DE, same system): "Mail delivery failed: returning
 * message to sender" from MAILER-DAEMON@...gmx..., X-UI-* headers; the
 * layout is svc_read_united's. */
#include "config.h"

#include "services-util.h"

static const char *const gmx_from[] = { "@mail.gmx.", "@gmx.", "@web.de", NULL };

static const svc_hint_t gmx_hints[] = {
	{ "delivery retry timeout exceeded", "expired" },
	{ NULL, NULL },
};

bool
bt_engine_gmx (bt_mail_t *mail, bt_report_t *report)
{
	if (!svc_has_any (mail->from, gmx_from) || !svc_has (mail->subject, "Mail delivery failed"))
		return false;
	if (svc_read_united (mail, report) == 0)
		return false;
	svc_hint (report, 0, gmx_hints);
	svc_done (report);
	return true;
}
