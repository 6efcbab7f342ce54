/* activehunter.c: Active!Hunter (a Japanese mail gateway): Sendmail-like
 * sections, recipients as ">>> address <address>" lines; its messages carry
 * an X-AHMAILID header. */
#include "config.h"

#include "engine.h"

static const char *const ah_start[] = { "the following addresses had permanent fatal errors", NULL };

static const bt_engine_layout_t ah_layout = {
	.start = ah_start, .prefix = ">>> ", .blank_lines = true,
	.skip = (const char *const[]) { "-----", NULL },
};

bool
bt_engine_activehunter (bt_mail_t *mail, bt_report_t *report)
{
	if (bt_mail_header (mail, "X-AHMAILID") == NULL)
		return false;
	return bt_engine_text (mail, report, &ah_layout) > 0;
}
