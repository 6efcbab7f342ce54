/* powermta.c: PowerMTA ("Hello, this is the mail server on ..."): the
 * recipients as "<address> delivery failed; will not continue trying"
 * lines, and a message/delivery-status part with the details. */
#include "config.h"

#include "engine.h"

static const char *const pm_marks[] = { "hello, this is the mail server on", NULL };

static const bt_engine_layout_t pm_layout = {
	.start = (const char *const[]) { "list of the affected recipients", "the affected recipients",
					 "affected recipients are listed", NULL },
	.blank_lines = true,
};

bool
bt_engine_powermta (bt_mail_t *mail, bt_report_t *report)
{
	if (!bt_engine_body_any (mail, pm_marks)
	    && bt_mail_header (mail, "X-PowerMTA-VirtualMTA") == NULL)
		return false;
	return bt_engine_dsn_and_text (mail, report, &pm_layout) > 0;
}
