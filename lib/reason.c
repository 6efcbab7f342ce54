/* reason.c: the reason identifiers of ../shared/reasons.md and hard/soft. */
#include "config.h"

#include <string.h>
#include "bouncetriage/reason.h"

const bt_reason_t bt_reasons[] = {
	{ "userunknown", BT_HARD_ALWAYS, "the recipient's mailbox does not exist at that domain" },
	{ "hostunknown", BT_HARD_ALWAYS, "the recipient's domain does not exist or has no usable mail host" },
	{ "hasmoved", BT_HARD_ALWAYS, "the mailbox moved and the server does not forward" },
	{ "suspend", BT_HARD_NEVER, "the mailbox exists but is disabled or suspended" },
	{ "notaccept", BT_HARD_IF_5XX, "the destination accepts no mail at all" },
	{ "rejected", BT_HARD_NEVER, "the envelope sender or its domain was refused" },
	{ "norelaying", BT_HARD_NEVER, "the server refused to relay" },
	{ "authfailure", BT_HARD_NEVER, "SPF, DKIM or DMARC failed for the sender's domain" },
	{ "requireptr", BT_HARD_NEVER, "the sending IP has no or an inconsistent reverse DNS record" },
	{ "notcompliantrfc", BT_HARD_NEVER, "the message broke RFC 5322 rules the receiver enforces" },
	{ "blocked", BT_HARD_NEVER, "the sending IP address or host name is refused" },
	{ "badreputation", BT_HARD_NEVER, "refused for the sending IP's or domain's low reputation" },
	{ "spamdetected", BT_HARD_NEVER, "the content was judged to be spam" },
	{ "virusdetected", BT_HARD_NEVER, "a virus scanner found malware" },
	{ "filtered", BT_HARD_NEVER, "refused by a header or content rule, or the recipient's filter" },
	{ "policyviolation", BT_HARD_NEVER, "refused by a site policy" },
	{ "contenterror", BT_HARD_NEVER, "the header or MIME structure was invalid for the receiver" },
	{ "securityerror", BT_HARD_NEVER, "a security setting refused it (TLS or authentication required)" },
	{ "mesgtoobig", BT_HARD_NEVER, "the message is larger than the server accepts" },
	{ "exceedlimit", BT_HARD_NEVER, "a per-recipient or per-message limit was exceeded" },
	{ "mailboxfull", BT_HARD_NEVER, "the recipient's mailbox is over quota" },
	{ "systemfull", BT_HARD_NEVER, "the receiving server's disk or spool is full" },
	{ "toomanyconn", BT_HARD_NEVER, "too many concurrent connections to the receiving host" },
	{ "speeding", BT_HARD_NEVER, "a rate limit was hit" },
	{ "expired", BT_HARD_NEVER, "delivery was retried until the queue lifetime ran out" },
	{ "networkerror", BT_HARD_NEVER, "DNS failure, connection refused or timed out, routing loop" },
	{ "systemerror", BT_HARD_NEVER, "a temporary or internal error on the receiving system" },
	{ "mailererror", BT_HARD_NEVER, "a local delivery program exited with an error" },
	{ "syntaxerror", BT_HARD_NEVER, "an SMTP command was rejected as a syntax error" },
	{ "onhold", BT_HARD_NEVER, "a failure whose evidence is too thin to name a reason" },
	{ "undefined", BT_HARD_NEVER, "a failure whose reason could not be determined" },
	{ "delivered", BT_HARD_NA, "a delivery status notification reporting success" },
	{ "vacation", BT_HARD_NA, "an automatic reply, not a failure" },
	{ "feedback", BT_HARD_NA, "an abuse or feedback report (ARF)" },
	{ NULL, BT_HARD_NEVER, NULL },
};

const bt_reason_t *
bt_reason_lookup (const char *name)
{
	if (name == NULL)
		return NULL;
	for (const bt_reason_t *r = bt_reasons; r->name; r++)
		if (strcmp (r->name, name) == 0)
			return r;
	return NULL;
}

bool
bt_reason_is_hard (const char *reason, const char *status, const char *replycode)
{
	const bt_reason_t *r = bt_reason_lookup (reason);

	if (r == NULL)
		return false;
	switch (r->hardness) {
	case BT_HARD_ALWAYS:
		return true;
	case BT_HARD_IF_5XX:
		if (status && *status)
			return status[0] == '5';
		return replycode && replycode[0] == '5';
	default:
		return false;
	}
}
