/* mfilter.c: m-FILTER (Digital Arts): the address list, then
 * "-------server message" with the reply and "-------SMTP command" with
 * the command it answered. */
#include "config.h"

#include <string.h>
#include "engine.h"

static const char *const mf_rcpt_stop[] = { "-------server message", NULL };
static const char *const mf_diag_stop[] = { "-------smtp command", "-------original", NULL };
static const char *const mf_cmd_stop[] = { "-------original", NULL };

static const bt_engine_phrase_t mf_commands[] = {
	{ "rcpt", "RCPT" }, { "mail", "MAIL" }, { "data", "DATA" }, { "ehlo", "EHLO" },
	{ "helo", "HELO" }, { "conn", "CONN" },
	{ NULL, NULL },
};

bool
bt_engine_mfilter (bt_mail_t *mail, bt_report_t *report)
{
	size_t clen;
	const char *cmd;

	if (bt_engine_body_find (mail, "-------server message") == NULL)
		return false;
	if (bt_engine_lists (mail, report, NULL, mf_rcpt_stop, "-------server message", mf_diag_stop) == 0)
		return false;
	cmd = bt_engine_section (mail, "-------smtp command", mf_cmd_stop, &clen);
	if (cmd != NULL) {
		char *c = g_strndup (cmd, MIN (clen, 16));
		const char *v = bt_engine_phrase (mf_commands, c);
		for (guint i = 0; v && i < report->records->len; i++)
			((bt_record_t *) report->records->pdata[i])->f[BT_F_COMMAND] = v;
		g_free (c);
	}
	return true;
}
