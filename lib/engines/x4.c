/* x4.c: an unnamed qmail-based MTA ("Your mail message to the following
 * address(es) could not be delivered."): "<address>:" paragraphs. */
#include "config.h"

#include "engine.h"

static const bt_engine_layout_t x4_layout = {
	.start = (const char *const[]) { "could not be delivered. this", "could not be delivered", NULL },
	.stop = (const char *const[]) { "--- below this line is a copy of the message", NULL },
	.reasons = (const bt_engine_phrase_t[]) {
		{ "mailfolder is full", "mailboxfull" }, { "mailbox is full", "mailboxfull" },
		{ "user unknown", "userunknown" }, { NULL, NULL } },
};

bool
bt_engine_x4 (bt_mail_t *mail, bt_report_t *report)
{
	if (bt_engine_body_find (mail, "your mail message to the following address(es) could not be delivered") == NULL)
		return false;
	return bt_engine_text (mail, report, &x4_layout) > 0;
}
