/* mimecast.c: Mimecast's "[Postmaster] Email Delivery Failure":
 *
 *   an email you addressed to email address :
 *   -- user@example.net
 *   could not be delivered. The problem appears to be :
 *   -- Recipient email address is possibly incorrect
 *   Additional information follows :
 *   -- 5.7.54 SMTP; Unable to relay recipient in non-accepted domain
 *
 * Its delivery-status part writes "Name : value" with a space before the
 * colon, which a strict reader does not see; the text says it all. */
#include "config.h"

#include <string.h>
#include "services-util.h"

/* The first "-- value" line after marker, without its lead. */
static char *
mimecast_item (const char *body, size_t len, const char *marker)
{
	const char *p = bt_text_find (body, len, marker), *line;
	size_t pos, n;

	if (p == NULL)
		return NULL;
	pos = (size_t) (p - body);
	/* Skip the marker's own line, then blank lines. */
	if (!bt_text_next_line (body, len, &pos, &line, &n))
		return NULL;
	while (bt_text_next_line (body, len, &pos, &line, &n)) {
		if (n == 0)
			continue;
		if (n < 3 || line[0] != '-' || line[1] != '-')
			return NULL;
		for (line += 2, n -= 2; n > 0 && *line == ' '; line++, n--)
			;
		return n > 0 ? g_strndup (line, n) : NULL;
	}
	return NULL;
}

bool
bt_engine_mimecast (bt_mail_t *mail, bt_report_t *report)
{
	char *to, *problem, *info;
	bt_record_t *rec;

	if (bt_mail_header (mail, "X-MC-System") == NULL && !svc_has (mail->from, "mimecast"))
		return false;
	if (!svc_body_has (mail, "This is a delivery failure notification message"))
		return false;
	if ((to = mimecast_item (mail->body, mail->body_len, "addressed to email address")) == NULL)
		return false;
	problem = mimecast_item (mail->body, mail->body_len, "The problem appears to be");
	info = mimecast_item (mail->body, mail->body_len, "Additional information follows");
	rec = bt_engine_add (report, to, -1, info ? info : problem, -1);
	if (rec != NULL)
		bt_record_set (report, rec, BT_F_ACTION, "failed", -1);
	g_free (to);
	g_free (problem);
	g_free (info);
	if (rec == NULL)
		return false;
	svc_done (report);
	return true;
}
