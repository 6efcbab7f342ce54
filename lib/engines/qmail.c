/* qmail.c: qmail-send ("Hi. This is the qmail-send program") and its
 * descendants (netqmail, vpopmail's vdelivermail): "<address>:" lines, each
 * followed by what the remote host or the local delivery said. */
#include "config.h"

#include "engine.h"

static const char *const qmail_marks[] = {
	"this is the qmail-send program", "qmail-send program at",
	"i'm afraid i wasn't able to deliver your message", "i'm not going to try again",
	"i'm afraid i wasn't able to deliver",
	NULL,
};

static const char *const qmail_stop[] = {
	"--- below this line is a copy of the message", "--- enclosed are the original headers",
	"--- below this line is the original", NULL,
};

static const bt_engine_phrase_t qmail_commands[] = {
	{ "does not like recipient", "RCPT" },
	{ "sender was rejected", "MAIL" },
	{ "failed after i sent the message", "DATA" },
	{ "failed on data command", "DATA" },
	{ "didn't like the message", "DATA" },
	{ "but greeting failed", "CONN" },
	{ "but my name was rejected", "EHLO" },
	{ "wasn't able to establish an smtp connection", "CONN" },
	{ NULL, NULL },
};

static const bt_engine_phrase_t qmail_reasons[] = {
	{ "this message is looping", "networkerror" },
	{ "account is locked", "suspend" },
	{ "sorry, no mailbox here by that name", "userunknown" },
	{ "mailbox is full", "mailboxfull" },
	{ "over quota", "mailboxfull" },
	{ NULL, NULL },
};

static const bt_engine_layout_t qmail_layout = {
	.stop = qmail_stop,
	.commands = qmail_commands, .reasons = qmail_reasons,
};

bool
bt_engine_qmail (bt_mail_t *mail, bt_report_t *report)
{
	if (!bt_engine_body_any (mail, qmail_marks))
		return false;
	return bt_engine_text (mail, report, &qmail_layout) > 0;
}
