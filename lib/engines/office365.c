/* office365.c: Microsoft 365 / Exchange Online / Outlook.com NDRs
 * ("Undeliverable: ...", postmaster@...outlook.com or a tenant's
 * postmaster, Exchange Online Protection headers):
 *
 *   Delivery has failed to these recipients or groups:
 *   user@example.com<mailto:user@example.com>
 *   ...
 *   Diagnostic information for administrators:
 *   Generating server: XXXX.prod.outlook.com
 *   user@example.com
 *   remote.host.example
 *   Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'
 *
 * The delivery-status part is read when there is one; the text fills what
 * it lacks, and is the only source when there is none. */
#include "config.h"

#include <string.h>
#include "services-util.h"

static const char *const o365_begin[] = {
	"Delivery has failed to these recipients or groups",
	"rejected your message to the following email addresses",
	"Your message wasn't delivered to anyone because", NULL,
};
static const char *const o365_admin[] = { "Diagnostic information for administrators", NULL };
static const char *const o365_end[] = {
	"Diagnostic information for administrators", "Original message headers", NULL,
};
static const char *const o365_admin_end[] = { "Original message headers:", NULL };

static bool
o365_is_mine (const bt_mail_t *mail)
{
	if (!svc_has (mail->subject, "Undeliverable") && !svc_has (mail->subject, "Unzustellbar")
	    && !svc_has (mail->subject, "Non remis") && !svc_has (mail->subject, "Onbestelbaar"))
		return false;
	/* A tenant's postmaster, or the fixed system mailbox Exchange sends
	 * NDRs from. */
	if (!svc_has (mail->from, "postmaster@") && !svc_has (mail->from, "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@"))
		return false;
	return svc_has (mail->from, "outlook.com") || svc_has (mail->from, ".onmicrosoft.com")
	       || bt_mail_header (mail, "X-EOPAttributedMessage") != NULL
	       || bt_mail_header (mail, "X-MS-Exchange-CrossTenant-Id") != NULL
	       || bt_mail_header (mail, "X-MS-Office365-Filtering-Correlation-Id") != NULL;
}

/* After "Diagnostic information for administrators": a recipient line,
 * then the remote host (a bare host name) and its answer
 * ("Remote Server returned '...'" or "... returned '...'"). */
static void
o365_admin_info (bt_mail_t *mail, bt_report_t *report)
{
	const char *text, *line;
	size_t len, pos = 0, n;
	bt_record_t *rec = NULL;

	if (!svc_section (mail->body, mail->body_len, o365_admin, o365_admin_end, &text, &len))
		return;
	while (bt_text_next_line (text, len, &pos, &line, &n)) {
		char *addr = svc_address_line (line, n);
		const char *q;
		if (addr != NULL) {
			rec = bt_report_find (report, addr);
			g_free (addr);
			continue;
		}
		if (rec == NULL || n == 0)
			continue;
		if ((q = bt_text_find (line, n, "returned '")) != NULL) {
			const char *start = q + strlen ("returned '");
			const char *end = memchr (start, '\'', (size_t) (line + n - start));
			svc_fill (report, rec, BT_F_DIAGNOSTIC, start, (end ? end : line + n) - start);
		} else if (!memchr (line, ' ', n) && memchr (line, '.', n) && !bt_text_starts (line, n, "Generating")) {
			svc_fill (report, rec, BT_F_REMOTE_MTA, line, (gssize) n);
		}
	}
}

bool
bt_engine_office365 (bt_mail_t *mail, bt_report_t *report)
{
	const char *notice;
	size_t len;

	if (!o365_is_mine (mail))
		return false;
	if (mail->dsn->len > 0)
		svc_read_dsn (mail, report);
	if (report->records->len == 0
	    && svc_section (mail->body, mail->body_len, o365_begin, o365_end, &notice, &len)) {
		/* Only the recipient lines: the advice between them is no
		 * diagnostic. */
		svc_read_addresses (report, notice, len);
		svc_fill_all (report, 0, BT_F_ACTION, "failed", -1);
	}
	if (report->records->len == 0)
		return false;
	o365_admin_info (mail, report);
	svc_done (report);
	return true;
}
