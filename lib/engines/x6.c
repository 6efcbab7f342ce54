/* x6.c: an unnamed MTA ("We had trouble delivering your message. Full
 * details follow:"): "The following recipients returned permanent errors:
 * address. Reason: ..." */
#include "config.h"

#include "engine.h"

static const bt_engine_layout_t x6_layout = {
	.prefix = "the following recipients returned permanent errors:",
	.stop = (const char *const[]) { "the attachment contains the original", NULL },
	.commands = (const bt_engine_phrase_t[]) {
		{ "refused to accept your rcpt", "RCPT" }, { "refused to accept your mail", "MAIL" },
		{ "refused to accept your data", "DATA" }, { NULL, NULL } },
};

bool
bt_engine_x6 (bt_mail_t *mail, bt_report_t *report)
{
	if (bt_engine_body_find (mail, "we had trouble delivering your message") == NULL)
		return false;
	return bt_engine_text (mail, report, &x6_layout) > 0;
}
