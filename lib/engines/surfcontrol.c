/* surfcontrol.c: SurfControl (Websense) E-mail Filter: "Your message could
 * not be sent", "Addressed To: address" and the transcript of attempts. */
#include "config.h"

#include "engine.h"

static const char *const sc_marks[] = { "a transcript of the attempts to send the message follows", NULL };

static const bt_engine_layout_t sc_layout = {
	.prefix = "addressed to:", .blank_lines = true,
	.stop = (const char *const[]) { "--- message non-deliverable", NULL },
};

bool
bt_engine_surfcontrol (bt_mail_t *mail, bt_report_t *report)
{
	if (!bt_engine_body_any (mail, sc_marks))
		return false;
	return bt_engine_dsn_and_text (mail, report, &sc_layout) > 0;
}
