/* exchange2003.c: Microsoft Exchange Server 5.5-2003 ("did not reach the
 * following recipient(s)"): "address on DATE" lines, each followed by the
 * reason and an "MSEXCH:" code. */
#include "config.h"

#include "engine.h"

static const char *const ex_marks[] = { "did not reach the following recipient", NULL };
static const char *const ex_start[] = { "did not reach the following recipient", NULL };

static const bt_engine_phrase_t ex_reasons[] = {
	{ "the recipient name is not recognized", "userunknown" },
	{ "(000c05a6)", "userunknown" },
	{ "(000b099c)", "hostunknown" },
	{ "(000b09aa)", "hostunknown" },
	{ "(000c0595)", "networkerror" },
	{ "(000c05a9)", "userunknown" },
	{ "(0006fe39)", "mesgtoobig" },
	{ "the message exceeds the maximum size", "mesgtoobig" },
	{ NULL, NULL },
};

static const bt_engine_layout_t ex_layout = {
	.start = ex_start, .reasons = ex_reasons, .blank_lines = true, .no_rest = true,
};

bool
bt_engine_exchange2003 (bt_mail_t *mail, bt_report_t *report)
{
	/* X-DSNContext: Exchange 2000/2003's own header on its reports. */
	if (!bt_engine_body_any (mail, ex_marks)
	    && bt_mail_header (mail, "X-DSNContext") == NULL)
		return false;
	return bt_engine_dsn_and_text (mail, report, &ex_layout) > 0;
}
