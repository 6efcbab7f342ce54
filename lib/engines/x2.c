/* x2.c: an unnamed MTA (large Japanese and US portals): "Message from
 * DOMAIN.", "Unable to deliver message to the following address(es).", then
 * "<address>:" paragraphs as qmail writes them. */
#include "config.h"

#include "engine.h"

static const bt_engine_layout_t x2_layout = {
	.start = (const char *const[]) { "unable to deliver message to the following address", NULL },
	.stop = (const char *const[]) { "--- original message follows", NULL },
	.blank_lines = true,
	.reasons = (const bt_engine_phrase_t[]) {
		{ "this account is over quota", "mailboxfull" },
		{ "doesn't have a", "userunknown" },
		{ NULL, NULL } },
};

bool
bt_engine_x2 (bt_mail_t *mail, bt_report_t *report)
{
	if (bt_engine_body_find (mail, "unable to deliver message to the following address") == NULL
	    || !bt_text_starts (mail->body, mail->body_len, "message from "))
		return false;
	return bt_engine_text (mail, report, &x2_layout) > 0;
}
