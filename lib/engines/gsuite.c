/* gsuite.c: Gmail and Google Workspace notices with a delivery-status part
 * ("** Address not found **", "** Message not delivered **",
 * "** Delivery incomplete **").  The standard part often lacks the remote
 * server's answer, which is only in the text after "The response was:". */
#include "config.h"

#include <string.h>
#include "services-util.h"

static const char *const gsuite_titles[] = {
	"** Address not found **", "** Message not delivered **", "** Delivery incomplete **",
	"** Message rejected **", "** Mail delivery failed **",
	"** Delivery failed **", "** Recipient inbox full **", "** Message blocked **", NULL,
};
static const char *const gsuite_response[] = {
	"The response from the remote server was:", "The response was:", NULL,
};

static const svc_hint_t gsuite_hints[] = {
	{ "The email account that you tried to reach does not exist", "userunknown" },
	{ "The email account that you tried to reach is disabled", "suspend" },
	{ "The email account that you tried to reach is inactive", "suspend" },
	{ "The email account that you tried to reach is over quota", "mailboxfull" },
	{ "returned Null MX", "notaccept" },
	{ "rejected due to spam classification", "spamdetected" },
	{ "The recipient server did not accept our requests to connect", "expired" },
	{ NULL, NULL },
};

bool
bt_engine_gsuite (bt_mail_t *mail, bt_report_t *report)
{
	const char *resp;
	size_t rlen;

	if (mail->dsn->len == 0 || !svc_has_any (mail->body, gsuite_titles))
		return false;
	if (!svc_has (mail->from, "@googlemail.com") && !svc_has (mail->from, "@google.com"))
		return false;
	if (svc_read_dsn (mail, report) == 0)
		return false;
	if (svc_section (mail->body, mail->body_len, gsuite_response, NULL, &resp, &rlen))
		svc_fill_all (report, 0, BT_F_DIAGNOSTIC, resp, (gssize) rlen);
	svc_hint (report, 0, gsuite_hints);
	/* "wasn't delivered to x because the address couldn't be found": Google's
	 * own verdict that the mailbox does not exist. */
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		if (rec->reason_hint == NULL && svc_body_has (mail, "because the address couldn't be found. Check for typos"))
			rec->reason_hint = "userunknown";
	}
	svc_done (report);
	return true;
}
