/* mcafee.c: McAfee Email Gateway and Web Security appliances (X-NAI-Header):
 * "--- The following addresses had delivery problems ---", then
 * "<address>   (reason)" lines. */
#include "config.h"

#include "engine.h"

static const char *const mc_start[] = { "the following addresses had delivery problems", NULL };

static const bt_engine_phrase_t mc_reasons[] = {
	{ "unknown user", "userunknown" },
	{ "no such user", "userunknown" },
	{ "user unknown", "userunknown" },
	{ "user not exist", "userunknown" },
	{ NULL, NULL },
};

static const bt_engine_layout_t mc_layout = { .start = mc_start, .reasons = mc_reasons };

bool
bt_engine_mcafee (bt_mail_t *mail, bt_report_t *report)
{
	const char *h = bt_mail_header (mail, "X-NAI-Header");

	if (h == NULL && bt_engine_body_find (mail, "--- the following addresses had delivery problems ---") == NULL)
		return false;
	return bt_engine_text (mail, report, &mc_layout) > 0;
}
