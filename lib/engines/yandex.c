/* yandex.c: Yandex mail (mailer-daemon@yandex.ru, X-Yandex-* headers): a
 * Russian preface over a Postfix-style report with a delivery-status
 * part. */
#include "config.h"

#include "services-util.h"

bool
bt_engine_yandex (bt_mail_t *mail, bt_report_t *report)
{
	if (!svc_has (mail->from, "mailer-daemon@yandex.") || bt_mail_header (mail, "X-Yandex-Uniq") == NULL)
		return false;
	if (svc_read_dsn (mail, report) == 0)
		return false;
	svc_done (report);
	return true;
}
