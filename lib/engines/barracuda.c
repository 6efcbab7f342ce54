/* barracuda.c: Barracuda Spam & Virus Firewall appliances: "Your message to:
 * address" "was blocked by our Spam & Virus Firewall", with or without a
 * message/delivery-status part. */
#include "config.h"

#include "engine.h"

static const char *const bc_marks[] = { "spam & virus firewall", "barracuda", NULL };

static const bt_engine_layout_t bc_layout = {
	.prefix = "your message to:", .stop = (const char *const[]) { "subject:", NULL },
	.blank_lines = true, .reasons = (const bt_engine_phrase_t[]) {
		{ "bulk email filter", "spamdetected" }, { "blocked by our spam", "spamdetected" }, { NULL, NULL } },
};

bool
bt_engine_barracuda (bt_mail_t *mail, bt_report_t *report)
{
	if (!bt_engine_body_any (mail, bc_marks)
	    && !bt_engine_any (mail->subject, -1, bc_marks))
		return false;
	return bt_engine_dsn_and_text (mail, report, &bc_layout) > 0;
}
