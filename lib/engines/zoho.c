/* zoho.c: Zoho Mail (mailer-daemon@mail.zoho.com, X-ZohoMail):
 *
 *   This message was created automatically by mail delivery software.
 *   A message that you sent could not be delivered to one or more of its
 *   recipients. This is a permanent error.
 *   user@example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 ...
 *   Received:from mail.zoho.com by mx.zohomail.com ...      (the original)
 *
 * and, for a delay, "[Status: Error, Address: <a@b>, ResponseCode 421, ,
 * Host not reachable.]" lines. */
#include "config.h"

#include <string.h>
#include "services-util.h"

static const svc_hint_t zoho_hints[] = {
	{ "Host not reachable", "expired" },
	{ "Invalid Address", "userunknown" },
	{ NULL, NULL },
};

/* "ERROR_CODE :550" / "ResponseCode 421" */
static void
zoho_replycode (bt_report_t *report, bt_record_t *rec, const char *line, size_t n)
{
	static const char *const marks[] = { "ERROR_CODE :", "ResponseCode " };

	for (size_t i = 0; i < G_N_ELEMENTS (marks); i++) {
		const char *p = bt_text_find (line, n, marks[i]);
		if (p != NULL && (size_t) (line + n - p) >= strlen (marks[i]) + 3) {
			p += strlen (marks[i]);
			if ((p[0] == '2' || p[0] == '4' || p[0] == '5') && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2])) {
				bt_record_set (report, rec, BT_F_REPLYCODE, p, 3);
				return;
			}
		}
	}
}

bool
bt_engine_zoho (bt_mail_t *mail, bt_report_t *report)
{
	size_t pos = 0, n;
	const char *line;
	bool delayed = svc_has (mail->subject, "(Delay)");

	if (!svc_has (mail->from, "mailer-daemon@mail.zoho.") && bt_mail_header (mail, "X-ZohoMail") == NULL)
		return false;
	if (!svc_body_has (mail, "This message was created automatically by mail delivery"))
		return false;
	while (bt_text_next_line (mail->body, mail->body_len, &pos, &line, &n)) {
		const char *sp = memchr (line, ' ', n), *addr_at;
		char *addr = NULL;
		bt_record_t *rec;
		/* The copy of the original starts with its header lines. */
		if (bt_text_starts (line, n, "Received:") || bt_text_starts (line, n, "Message will be retried"))
			break;
		if (bt_text_starts (line, n, "[Status:") && (addr_at = bt_text_find (line, n, "Address:")) != NULL)
			addr = bt_text_address (addr_at + 8, line + n - (addr_at + 8));
		else if (sp != NULL && memchr (line, '@', (size_t) (sp - line)) && !memchr (line, ':', (size_t) (sp - line)))
			addr = bt_text_address (line, sp - line);
		if (addr == NULL)
			continue;
		rec = bt_report_find (report, addr) ? NULL : bt_engine_add (report, addr, -1, NULL, 0);
		g_free (addr);
		if (rec == NULL)
			continue;
		if (line[0] == '[')
			bt_record_set (report, rec, BT_F_DIAGNOSTIC, line, (gssize) n);
		else
			bt_record_set (report, rec, BT_F_DIAGNOSTIC, sp + 1, line + n - (sp + 1));
		bt_record_set (report, rec, BT_F_ACTION, delayed ? "delayed" : "failed", -1);
		zoho_replycode (report, rec, line, n);
	}
	if (report->records->len == 0)
		return false;
	svc_hint (report, 0, zoho_hints);
	svc_done (report);
	return true;
}
