/* outlook.c: the older Hotmail / Outlook.com (Windows Live) notices:
 * "This is an automatically generated Delivery Status Notification." from
 * postmaster@...hotmail/outlook/live/msn (usually with X-Message-Delivery
 * or X-Message-Info headers, not always) and a delivery-status part.  The
 * same sentence in Exchange 2003 notices comes from an organisation's own
 * postmaster, so the sender's domain decides. */
#include "config.h"

#include "services-util.h"

static const char *const outlook_domains[] = { "hotmail", "outlook", "live.com", "msn.com", NULL };
static const char *const outlook_begin[] = {
	"This is an automatically generated Delivery Status Notification", NULL,
};

/* Hotmail answers a missing mailbox with the bare RFC 5321 wording. */
static const svc_hint_t outlook_hints[] = {
	{ "Requested action not taken: mailbox unavailable", "userunknown" },
	{ NULL, NULL },
};

bool
bt_engine_outlook (bt_mail_t *mail, bt_report_t *report)
{
	const char *text;
	size_t len;

	if (!svc_has (mail->from, "postmaster@") || !svc_has_any (mail->from, outlook_domains))
		return false;
	if (!svc_body_has (mail, outlook_begin[0]) || svc_read_dsn (mail, report) == 0)
		return false;
	/* Without a Diagnostic-Code the sentence after the title is all
	 * there is ("Unable to deliver message ... unable to connect ..."). */
	if (svc_section (mail->body, mail->body_len, outlook_begin, NULL, &text, &len)) {
		size_t pos = 0, n;
		const char *line;
		while (bt_text_next_line (text, len, &pos, &line, &n))
			if (n > 0) {
				if (!bt_text_starts (line, n, "Delivery to the following recipients failed"))
					svc_fill_all (report, 0, BT_F_DIAGNOSTIC, line, (gssize) n);
				break;
			}
	}
	svc_hint (report, 0, outlook_hints);
	svc_done (report);
	return true;
}
