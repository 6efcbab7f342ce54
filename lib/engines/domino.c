/* domino.c: IBM (Lotus) Domino ("was not delivered to:" the addresses,
 * "because:" the reason). */
#include "config.h"

#include "engine.h"

static const char *const domino_rcpt_stop[] = { "because:", NULL };

static const bt_engine_phrase_t domino_reasons[] = {
	{ "not listed in domino directory", "userunknown" },
	{ "not listed in public name & address book", "userunknown" },
	{ "routing loop detected", "networkerror" },
	{ "no route found to domain", "hostunknown" },
	{ NULL, NULL },
};

bool
bt_engine_domino (bt_mail_t *mail, bt_report_t *report)
{
	if (bt_engine_body_find (mail, "was not delivered to:") == NULL
	    || bt_engine_body_find (mail, "because:") == NULL)
		return false;
	if (bt_engine_lists (mail, report, "was not delivered to:", domino_rcpt_stop,
			     "because:", bt_engine_original_markers) == 0)
		return false;
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		rec->reason_hint = bt_engine_phrase (domino_reasons, rec->f[BT_F_DIAGNOSTIC]);
	}
	return true;
}
