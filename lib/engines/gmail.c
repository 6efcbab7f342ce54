/* gmail.c: Gmail's own notices (mailer-daemon@googlemail.com), plain text:
 *
 *   Delivery to the following recipient failed permanently:
 *        user@example.jp
 *   Technical details of permanent failure:
 *   Google tried to deliver your message, but it was rejected by the server
 *   for the recipient domain example.jp by mx.example.jp. [192.0.2.1].
 *   The error that the other server returned was:
 *   550 5.1.1 <user@example.jp>... User Unknown
 *   ----- Original message -----
 *
 * The newer multipart/report notices with a delivery-status part are read
 * by gsuite.c. */
#include "config.h"

#include <string.h>
#include "services-util.h"

static const char *const gmail_begin[] = {
	"Delivery to the following recipient", "Delivery to these recipients or groups",
	"Delivery to the following recipients", NULL,
};
static const char *const gmail_end[] = {
	"----- Original message -----", "----- Message header follows -----", NULL,
};
static const char *const gmail_details[] = { "Technical details of ", NULL };

/* Gmail's own sentences, which name the reason whatever the remote said. */
static const svc_hint_t gmail_hints[] = {
	{ "The email account that you tried to reach does not exist", "userunknown" },
	{ "The email account that you tried to reach is disabled", "suspend" },
	{ "The email account that you tried to reach is inactive", "suspend" },
	{ "The email account that you tried to reach is over quota", "mailboxfull" },
	{ "The recipient server did not accept our requests to connect", "expired" },
	{ "Domain name not found", "hostunknown" },
	{ "DNS Error: Could not contact DNS servers", "networkerror" },
	{ NULL, NULL },
};

/* "... for the recipient domain example.jp by mx.example.jp. [192.0.2.1]"
 * or, for connection failures, "[(0) mx.example.jp. [192.0.2.1]:25: ...]"
 * and "[example.jp 192.0.2.1: socket error]". */
static char *
gmail_remote_host (const char *details, size_t len)
{
	const char *dom = bt_text_find (details, len, "for the recipient domain ");
	const char *br;

	if (dom != NULL)
		return svc_host_after (dom, len - (size_t) (dom - details), " by ");
	if ((br = bt_text_find (details, len, "[(0) ")) != NULL)
		return svc_host_after (br, len - (size_t) (br - details), "[(0) ");
	if ((br = bt_text_find (details, len, "\n[")) != NULL)
		return svc_host_after (br, len - (size_t) (br - details), "\n[");
	return NULL;
}

static bool
gmail_is_mine (const bt_mail_t *mail)
{
	if (!svc_has (mail->from, "mailer-daemon@googlemail.com") && !svc_has (mail->from, "mailer-daemon@google.com"))
		return false;
	return svc_body_has (mail, "Technical details of ") && svc_body_has (mail, "Delivery to the following recipient");
}

/* The remote server's own words follow this, on the same line or the
 * next: they are the best diagnostic. */
#define GMAIL_REMOTE_SAID "The error that the other server returned was:"

bool
bt_engine_gmail (bt_mail_t *mail, bt_report_t *report)
{
	const char *notice, *details = NULL;
	size_t notice_len, details_len = 0, list_len;
	bool delayed;

	if (!gmail_is_mine (mail)
	    || !svc_section (mail->body, mail->body_len, gmail_begin, gmail_end, &notice, &notice_len))
		return false;
	list_len = notice_len;
	if (svc_section (notice, notice_len, gmail_details, NULL, &details, &details_len))
		list_len = (size_t) (details - notice);
	/* The recipients come first; the details apply to all of them. */
	if (svc_read_addresses (report, notice, list_len) == 0)
		return false;
	delayed = svc_body_has (mail, "has been delayed") || svc_body_has (mail, "Technical details of temporary failure");
	svc_fill_all (report, 0, BT_F_ACTION, delayed ? "delayed" : "failed", -1);
	if (details != NULL) {
		const char *said = bt_text_find (details, details_len, GMAIL_REMOTE_SAID);
		const char *d = said ? said + strlen (GMAIL_REMOTE_SAID) : details;
		char *host = gmail_remote_host (details, details_len);
		svc_fill_all (report, 0, BT_F_DIAGNOSTIC, d, details + details_len - d);
		if (host != NULL)
			svc_fill_all (report, 0, BT_F_REMOTE_MTA, host, -1);
		g_free (host);
	}
	svc_hint (report, 0, gmail_hints);
	svc_done (report);
	return true;
}
