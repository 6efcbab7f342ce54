/* dragonfly.c: the DragonFly Mail Agent (dma): "There was an error
 * delivering your mail to <address>." then the remote host's reply. */
#include "config.h"

#include "engine.h"

static const char *const dma_marks[] = { "this is the dragonfly mail agent", NULL };
static const char *const dma_stop[] = { "message headers follow", NULL };

static const bt_engine_phrase_t dma_commands[] = {
	{ "did not like our rcpt to", "RCPT" },
	{ "did not like our mail from", "MAIL" },
	{ "did not like our final data", "DATA" },
	{ "did not like our data", "DATA" },
	{ "did not like our ehlo", "EHLO" },
	{ "did not like our helo", "HELO" },
	{ "did not like our greeting", "CONN" },
	{ NULL, NULL },
};

static const bt_engine_phrase_t dma_reasons[] = {
	{ "dns lookup failure", "hostunknown" },
	{ "unable to get mx record", "hostunknown" },
	{ NULL, NULL },
};

static const bt_engine_layout_t dma_layout = {
	.stop = dma_stop, .prefix = "there was an error delivering your mail to",
	.blank_lines = true, .commands = dma_commands, .reasons = dma_reasons,
};

bool
bt_engine_dragonfly (bt_mail_t *mail, bt_report_t *report)
{
	if (!bt_engine_body_any (mail, dma_marks))
		return false;
	return bt_engine_text (mail, report, &dma_layout) > 0;
}
