/* verizon.c: Verizon Wireless MMS gateway (vzwpix.com / vtext.com):
 *
 *   Message could not be delivered to mobile.
 *   Error: No valid recipients for this MM
 *   Original Message:
 *   From: ...
 *   To: 0000000000@vzwpix.com */
#include "config.h"

#include <string.h>
#include "services-util.h"

static const char *const vz_original[] = { "Original Message:", NULL };

bool
bt_engine_verizon (bt_mail_t *mail, bt_report_t *report)
{
	const char *orig, *err;
	size_t len;
	char *to, *diag = NULL;
	bt_record_t *rec;

	if (!svc_has (mail->from, "vzwpix.com") && !svc_has (mail->from, "vtext.com"))
		return false;
	if (!svc_body_has (mail, "Message could not be delivered to mobile")
	    || !svc_section (mail->body, mail->body_len, vz_original, NULL, &orig, &len))
		return false;
	if ((to = bt_engine_field (orig, (gssize) len, "To")) == NULL)
		return false;
	if ((err = bt_text_find (mail->body, (size_t) (orig - mail->body), "Error:")) != NULL) {
		const char *e = memchr (err, '\n', (size_t) (orig - err));
		diag = g_strndup (err + 6, (gsize) ((e ? e : orig) - (err + 6)));
	}
	rec = bt_engine_add (report, to, -1, diag, -1);
	g_free (to);
	if (rec != NULL) {
		bt_record_set (report, rec, BT_F_ACTION, "failed", -1);
		if (svc_has (diag, "No valid recipients"))
			rec->reason_hint = "userunknown";
	}
	g_free (diag);
	if (rec == NULL)
		return false;
	svc_done (report);
	return true;
}
