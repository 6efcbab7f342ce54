/* mailmarshal.c: MailMarshal (Trustwave): "Could not be delivered because
 * of" the reply, "The following recipients were affected:" the addresses. */
#include "config.h"

#include "engine.h"

static const char *const mm_rcpt_stop[] = { "additional information", "=====", NULL };
static const char *const mm_diag_stop[] = { "the following recipients were affected", NULL };

bool
bt_engine_mailmarshal (bt_mail_t *mail, bt_report_t *report)
{
	if (bt_engine_body_find (mail, "the following recipients were affected") == NULL)
		return false;
	return bt_engine_lists (mail, report, "the following recipients were affected", mm_rcpt_stop,
				"could not be delivered because of", mm_diag_stop) > 0;
}
