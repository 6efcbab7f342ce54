/* x1.c: an unnamed MTA (seen relaying through Mail2000 servers):
 * "---The following addresses had delivery errors---" then
 * "address [reason]" lines. */
#include "config.h"

#include "engine.h"

static const bt_engine_layout_t x1_layout = {
	.start = (const char *const[]) { "the following addresses had delivery errors", NULL },
	.blank_lines = false,
};

bool
bt_engine_x1 (bt_mail_t *mail, bt_report_t *report)
{
	if (bt_engine_body_find (mail, "---the following addresses had delivery errors---") == NULL)
		return false;
	return bt_engine_text (mail, report, &x1_layout) > 0;
}
