/* mailfoundry.c: MailFoundry: "Unable to deliver message to: <address>",
 * "Delivery failed for the following reason:" and the reply. */
#include "config.h"

#include "engine.h"

static const char *const mf_stop[] = { "this has been a permanent failure", NULL };

static const bt_engine_layout_t mf_layout = {
	.prefix = "unable to deliver message to:", .blank_lines = true, .stop = mf_stop,
	.skip = (const char *const[]) { "delivery failed for the following reason", NULL },
};

bool
bt_engine_mailfoundry (bt_mail_t *mail, bt_report_t *report)
{
	if (bt_engine_body_find (mail, "delivery failed for the following reason:") == NULL
	    || bt_engine_body_find (mail, "unable to deliver message to:") == NULL)
		return false;
	return bt_engine_text (mail, report, &mf_layout) > 0;
}
