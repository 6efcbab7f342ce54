/* generic.c: the last resort for any text bounce: when the message looks
 * like a failure notice, every address in the notice (before the copy of the
 * original message) with the paragraph around it becomes a record. */
#include "config.h"

#include <string.h>
#include "engine.h"

static const char *const bounce_subjects[] = {
	"undeliver", "undelivered", "delivery status notification", "delivery failure",
	"failure notice", "returned mail", "mail delivery failed", "delivery failed",
	"could not be delivered", "non remis", "nondeliverable", "non-delivery",
	"mail system error", "delivery notification", "rejected", "message not delivered",
	"warning: could not send", "mail could not be delivered",
};

/* Markers of the copy of the original besides the common ones: headers
 * that only a copied message starts with, and old Exim's rulers. */
static const char *const original_markers[] = {
	"\nreceived: ", "message text follows:", "------ the body of the message", NULL,
};

static bool
generic_looks_bounce (const bt_mail_t *mail)
{
	size_t flen = strlen (mail->from), slen = strlen (mail->subject);

	if (bt_text_find (mail->from, flen, "mailer-daemon") || bt_text_find (mail->from, flen, "postmaster")
	    || bt_text_find (mail->from, flen, "mail delivery"))
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS (bounce_subjects); i++)
		if (bt_text_find (mail->subject, slen, bounce_subjects[i]))
			return true;
	return false;
}

/* Length of the notice part of the body: up to the copy of the original. */
static size_t
generic_notice_len (const bt_mail_t *mail)
{
	size_t end = mail->body_len;
	const char *const *lists[] = { bt_engine_original_markers, original_markers };

	for (size_t l = 0; l < G_N_ELEMENTS (lists); l++)
		for (size_t i = 0; lists[l][i]; i++) {
			const char *m = bt_mail_find (mail, 0, end, lists[l][i]);
			if (m != NULL) {
				if (*m == '\n')
					m++;
				while (m > mail->body && m[-1] != '\n')
					m--;
				end = (size_t) (m - mail->body);
			}
		}
	return end;
}

static bool
generic_skip_address (const bt_mail_t *mail, const char *addr)
{
	const char *to = bt_mail_header (mail, "To");

	if (g_ascii_strncasecmp (addr, "postmaster@", 11) == 0 || g_ascii_strncasecmp (addr, "mailer-daemon@", 14) == 0)
		return true;
	return to != NULL && bt_text_find (to, strlen (to), addr) != NULL;
}

bool
bt_engine_generic (bt_mail_t *mail, bt_report_t *report)
{
	size_t notice, pos = 0, len;
	const char *line;
	bool delayed;
	int n = 0;

	if (!generic_looks_bounce (mail) || mail->body_len == 0)
		return false;
	notice = generic_notice_len (mail);
	/* "Delayed Mail (still being retried)", "Warning: message ... delayed". */
	delayed = bt_text_find (mail->subject, strlen (mail->subject), "delay") != NULL
		|| bt_text_starts (mail->subject, strlen (mail->subject), "warning");
	while (bt_text_next_line (mail->body, notice, &pos, &line, &len)) {
		char *addr = memchr (line, '@', len) ? bt_text_address (line, (gssize) len) : NULL;
		const char *para_end;
		bt_record_t *rec;

		if (addr == NULL)
			continue;
		if (generic_skip_address (mail, addr) || bt_report_find (report, addr)) {
			g_free (addr);
			continue;
		}
		/* The diagnostic is this line and the rest of its paragraph. */
		para_end = strstr (line, "\n\n");
		if (para_end == NULL || para_end > mail->body + notice)
			para_end = mail->body + notice;
		rec = bt_engine_add (report, addr, -1, line, para_end - line);
		g_free (addr);
		if (rec != NULL) {
			rec->f[BT_F_ACTION] = delayed ? "delayed" : "failed";
			n++;
		}
	}
	return n > 0;
}
