/* opensmtpd.c: OpenSMTPD's "Delivery status notification" ("This is the
 * MAILER-DAEMON, please DO NOT REPLY"): "address: reason" lines after "the
 * following list of recipients:". */
#include "config.h"

#include <string.h>
#include "engine.h"

static const char *const smtpd_marks[] = { "this is the mailer-daemon, please do not reply", NULL };
static const char *const smtpd_start[] = { "list of recipients:", NULL };
static const char *const smtpd_stop[] = {
	"below is a copy of the original message", "please note that this is only a temporary failure report",
	NULL,
};

static const bt_engine_phrase_t smtpd_reasons[] = {
	{ "envelope expired", "expired" },
	{ "no mx found for domain", "hostunknown" },
	{ "domain not found", "hostunknown" },
	{ "loop detected", "networkerror" },
	{ NULL, NULL },
};

static const bt_engine_layout_t smtpd_fail = {
	.start = smtpd_start, .stop = smtpd_stop, .reasons = smtpd_reasons,
};

static const bt_engine_layout_t smtpd_delay = {
	.start = smtpd_start, .stop = smtpd_stop, .reasons = smtpd_reasons, .action = "delayed",
};

bool
bt_engine_opensmtpd (bt_mail_t *mail, bt_report_t *report)
{
	bool delayed;

	if (!bt_engine_body_any (mail, smtpd_marks))
		return false;
	delayed = bt_engine_body_find (mail, "message is delayed") != NULL;
	return bt_engine_text (mail, report, delayed ? &smtpd_delay : &smtpd_fail) > 0;
}
