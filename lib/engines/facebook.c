/* facebook.c: mx.facebook.com refusing mail to @facebook.com addresses
 * ("This message was created automatically by Facebook.").  Its
 * delivery-status part lists a recipient's fields before Final-Recipient,
 * which svc_read_dsn puts back together.  Its "RCP-P1" code says the
 * address does not exist. */
#include "config.h"

#include "services-util.h"

/* Only the code whose meaning Facebook states in the notice itself. */
static const svc_hint_t facebook_hints[] = {
	{ "RCP-P1", "userunknown" },   /* "Recipient address does not exist" */
	{ NULL, NULL },
};

bool
bt_engine_facebook (bt_mail_t *mail, bt_report_t *report)
{
	if (!svc_has (mail->from, "facebook.com") || !svc_body_has (mail, "This message was created automatically by Facebook"))
		return false;
	if (svc_read_dsn (mail, report) == 0)
		return false;
	svc_hint (report, 0, facebook_hints);
	svc_done (report);
	return true;
}
