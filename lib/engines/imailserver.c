/* imailserver.c: Ipswitch IMail Server ("X-Mailer: <SMTP32 v...>"): one
 * line naming the error and the address ("Unknown user: a@b", "Delivery
 * failed 20 attempts: a@b", "undeliverable to a@b"), then the reply. */
#include "config.h"

#include <string.h>
#include "engine.h"

static const bt_engine_phrase_t im_reasons[] = {
	{ "unknown user:", "userunknown" },
	{ "user mailbox exceeds allowed size", "mailboxfull" },
	{ "requested action not taken: mailbox unavailable", "userunknown" },
	{ "delivery failed ", "expired" },
	{ "smtp session failed", "networkerror" },
	{ NULL, NULL },
};

static const char *const im_prefixes[] = {
	"unknown user:", "delivery failed ", "undeliverable to ", "user mailbox exceeds allowed size:",
	"requested action not taken:", "smtp session failed", NULL,
};

bool
bt_engine_imailserver (bt_mail_t *mail, bt_report_t *report)
{
	const char *xm = bt_mail_header (mail, "X-Mailer");
	size_t nlen, pos = 0, len;
	const char *notice, *line;
	bt_record_t *rec = NULL;
	GString *diag;

	if (xm == NULL || strstr (xm, "SMTP32") == NULL)
		return false;
	notice = bt_engine_section (mail, NULL, bt_engine_original_markers, &nlen);
	diag = g_string_new (NULL);
	while (bt_text_next_line (notice, nlen, &pos, &line, &len)) {
		bool head = false;
		for (size_t i = 0; im_prefixes[i] && !head; i++)
			head = bt_text_starts (line, len, im_prefixes[i]);
		if (head && memchr (line, '@', len)) {
			const char *colon = memchr (line, ':', len);
			const char *a = colon ? colon + 1 : line;
			if (bt_text_starts (line, len, "undeliverable to "))
				a = line + 17;
			rec = bt_engine_add (report, a, (gssize) (len - (size_t) (a - line)), NULL, 0);
			g_string_assign (diag, "");
			g_string_append_len (diag, line, (gssize) len);
			if (rec) {
				rec->f[BT_F_ACTION] = "failed";
				rec->reason_hint = bt_engine_phrase (im_reasons, diag->str);
			}
			continue;
		}
		if (rec != NULL && len > 0 && !bt_text_starts (line, len, "body of message generated response")) {
			g_string_append_c (diag, ' ');
			g_string_append_len (diag, line, (gssize) len);
		}
	}
	if (rec != NULL)
		bt_record_set (report, rec, BT_F_DIAGNOSTIC, diag->str, (gssize) diag->len);
	g_string_free (diag, TRUE);
	return report->records->len > 0;
}
