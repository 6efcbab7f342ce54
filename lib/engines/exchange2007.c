/* exchange2007.c: Microsoft Exchange Server 2007 and later ("Delivery has
 * failed to these recipients or groups"): a message/delivery-status part
 * and, under "Diagnostic information for administrators", the address and
 * the remote server's reply ("#550 5.1.1 RESOLVER.ADR.RecipNotFound"). */
#include "config.h"

#include "engine.h"

static const char *const ex_marks[] = {
	"delivery has failed to these recipients", "diagnostic information for administrators",
	"microsoft exchange will not try to redeliver", NULL,
};
static const char *const ex_start[] = { "diagnostic information for administrators", NULL };
static const char *const ex_stop[] = { "original message headers", NULL };

static const bt_engine_phrase_t ex_reasons[] = {
	{ "resolver.adr.recipnotfound", "userunknown" },
	{ "resolver.adr.recipientnotfound", "userunknown" },
	{ "resolver.adr.exrecipnotfound", "userunknown" },
	{ "resolver.adr.recipLimit", "exceedlimit" },
	{ "resolver.rst.recipsizelimit", "mesgtoobig" },
	{ "queue.expired", "expired" },
	{ NULL, NULL },
};

static const bt_engine_layout_t ex_layout = {
	.start = ex_start, .stop = ex_stop, .reasons = ex_reasons, .blank_lines = true,
	.skip = (const char *const[]) { "generating server:", "receiving server:", NULL },
};

bool
bt_engine_exchange2007 (bt_mail_t *mail, bt_report_t *report)
{
	if (!bt_engine_body_any (mail, ex_marks))
		return false;
	return bt_engine_dsn_and_text (mail, report, &ex_layout) > 0;
}
