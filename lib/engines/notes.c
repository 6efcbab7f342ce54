/* notes.c: Lotus Notes ("------- Failure Reasons --------"): the reason,
 * then the address, before "------- Returned Message --------". */
#include "config.h"

#include <string.h>
#include "engine.h"

static const char *const notes_stop[] = { "------- returned message", NULL };

static const bt_engine_phrase_t notes_reasons[] = {
	{ "not listed in public name & address book", "userunknown" },
	{ "not listed in domino directory", "userunknown" },
	{ NULL, NULL },
};

bool
bt_engine_notes (bt_mail_t *mail, bt_report_t *report)
{
	size_t len, pos = 0, llen;
	const char *s = bt_engine_section (mail, "------- failure reasons", notes_stop, &len);
	const char *line;
	GString *why;

	if (s == NULL)
		return false;
	why = g_string_new (NULL);
	while (bt_text_next_line (s, len, &pos, &line, &llen)) {
		if (memchr (line, '@', llen) == NULL) {
			if (why->len)
				g_string_append_c (why, ' ');
			g_string_append_len (why, line, (gssize) llen);
			continue;
		}
		bt_record_t *rec = bt_engine_add (report, line, (gssize) llen, why->str, (gssize) why->len);
		if (rec) {
			rec->f[BT_F_ACTION] = "failed";
			rec->reason_hint = bt_engine_phrase (notes_reasons, why->str);
		}
	}
	g_string_free (why, TRUE);
	return report->records->len > 0;
}
