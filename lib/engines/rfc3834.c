/* rfc3834.c: automatic replies (out of office, vacation), reason
 * "vacation".  The recipient is the person whose auto-reply this is: the
 * address we wrote to, now in From. */
#include "config.h"

#include <string.h>
#include "engine.h"

static const struct {
	const char *header;
	const char *value;     /* case-insensitive prefix of the value; "" any */
} auto_headers[] = {
	{ "Auto-Submitted", "auto-replied" },
	{ "X-Autoreply", "" },
	{ "X-Autorespond", "" },
	{ "X-Autoresponder", "" },
	{ "Precedence", "auto_reply" },
	{ "X-Auto-Response-Suppress", "" },
};

static const char *const auto_subjects[] = {
	"auto:", "auto reply", "auto-reply", "autoreply", "automatic reply",
	"out of office", "out of the office", "on vacation", "vacation",
	"abwesenheit", "absence", "réponse automatique", "respuesta automática",
};

/* Senders that write failure notices: their auto-submitted mail is a bounce. */
static bool
auto_from_daemon (const bt_mail_t *mail)
{
	return bt_text_find (mail->from, strlen (mail->from), "mailer-daemon")
		|| bt_text_find (mail->from, strlen (mail->from), "postmaster");
}

static bool
auto_is_reply (const bt_mail_t *mail)
{
	size_t slen = strlen (mail->subject);

	for (size_t i = 0; i < G_N_ELEMENTS (auto_headers); i++) {
		const char *v = bt_mail_header (mail, auto_headers[i].header);
		if (v && g_ascii_strncasecmp (v, auto_headers[i].value, strlen (auto_headers[i].value)) == 0)
			return true;
	}
	for (size_t i = 0; i < G_N_ELEMENTS (auto_subjects); i++)
		if (bt_text_starts (mail->subject, slen, auto_subjects[i]))
			return true;
	return false;
}

/* The first non-blank paragraph of the body, as the reply's text. */
static char *
auto_text (const bt_mail_t *mail)
{
	const char *s = mail->body;
	const char *end;

	while (*s == '\n' || *s == ' ')
		s++;
	end = strstr (s, "\n\n");
	return g_strndup (s, end ? (size_t) (end - s) : strlen (s));
}

bool
bt_engine_rfc3834 (bt_mail_t *mail, bt_report_t *report)
{
	bt_record_t *rec;
	char *text;

	if (mail->dsn->len > 0 || auto_from_daemon (mail) || !auto_is_reply (mail))
		return false;
	text = auto_text (mail);
	rec = bt_engine_add (report, mail->from, -1, text, -1);
	g_free (text);
	if (rec == NULL)
		return false;
	rec->reason_hint = "vacation";
	return true;
}
