/* courier.c: the Courier mail server ("running the Courier mail server"):
 * a message/delivery-status part and a text list of "<address>:" entries
 * with the SMTP exchange (">>> RCPT TO:<...>", "<<< 550 ..."). */
#include "config.h"

#include "engine.h"

static const char *const courier_marks[] = {
	"running the courier mail server", "courier mail server at", NULL,
};
static const char *const courier_start[] = {
	"the following recipients cannot be delivered", "following recipients", NULL,
};
static const char *const courier_stop[] = {
	"------------------------------------------------", "if your message was also sent to additional", NULL,
};

static const bt_engine_phrase_t courier_commands[] = {
	{ ">>> rcpt", "RCPT" }, { ">>> mail", "MAIL" }, { ">>> data", "DATA" },
	{ ">>> ehlo", "EHLO" }, { ">>> helo", "HELO" },
	{ NULL, NULL },
};

static const bt_engine_layout_t courier_layout = {
	.start = courier_start, .stop = courier_stop, .commands = courier_commands,
};

bool
bt_engine_courier (bt_mail_t *mail, bt_report_t *report)
{
	if (!bt_engine_body_any (mail, courier_marks))
		return false;
	return bt_engine_dsn_and_text (mail, report, &courier_layout) > 0;
}
