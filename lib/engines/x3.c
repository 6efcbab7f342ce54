/* x3.c: an unnamed MTA ("This is an automatically generated Delivery Status
 * Notification." between rules of '='): "* address" lines, then "Technical
 * details:" with the reason for all. */
#include "config.h"

#include "engine.h"

static const char *const x3_rcpt_stop[] = { "=====", "technical details", NULL };

static const bt_engine_phrase_t x3_commands[] = {
	{ "smtp:rcpt", "RCPT" }, { "smtp:mail", "MAIL" }, { "smtp:data", "DATA" },
	{ "smtp:ehlo", "EHLO" }, { "smtp:helo", "HELO" },
	{ NULL, NULL },
};

bool
bt_engine_x3 (bt_mail_t *mail, bt_report_t *report)
{
	const char *start = "delivery to the following recipients", *d;
	size_t dlen;

	if (bt_engine_body_find (mail, "this is an automatically generated delivery status notification") == NULL
	    || bt_engine_body_find (mail, "technical details:") == NULL
	    || bt_engine_body_find (mail, "=====") == NULL)
		return false;
	if (bt_text_find (mail->body, mail->body_len, start) == NULL)
		start = "delevery to the following recipients";  /* sic */
	if (bt_engine_lists (mail, report, start, x3_rcpt_stop, NULL, NULL) == 0)
		return false;
	/* The details sit between the next two rules of '='. */
	if ((d = bt_engine_section (mail, "technical details:", NULL, &dlen)) != NULL) {
		const char *end = d + dlen, *rule;
		while (d < end && (*d == '=' || g_ascii_isspace (*d)))
			d++;
		rule = bt_text_find (d, (size_t) (end - d), "=====");
		bt_engine_fill_diagnostic (report, d, rule ? rule - d : end - d);
	}
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		rec->f[BT_F_COMMAND] = bt_engine_phrase (x3_commands, rec->f[BT_F_DIAGNOSTIC]);
	}
	return true;
}
