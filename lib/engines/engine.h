/* engine.h (private to lib/): one engine per MTA style.
 *
 * An engine is one function: it looks at the mail (mail.h), and when it
 * recognises the style it adds one record per recipient to the report and
 * returns true.  It returns false, adding nothing, when the mail is not
 * its kind.  Engines are tried in the order of the table (table.c, built
 * from the *.def lists), the first that returns true wins; RFC 3464, RFC
 * 3834 and the generic text fallback come last.  After the engine, parse.c
 * fills what is still missing (status from the text or the reply code, SMTP
 * command, original message headers, reporting MTA) so engines need only
 * set what their format states.
 *
 * Adding an engine: write lib/engines/NAME.c with
 *     bool bt_engine_NAME (bt_mail_t *mail, bt_report_t *report)
 * add a line BT_ENGINE (NAME, "DisplayName") to mta.def or services.def,
 * and add the file to the matching .mk fragment.  No other engine changes. */
#ifndef BT_ENGINE_H
#define BT_ENGINE_H

#include <stdbool.h>
#include "../mail.h"
#include "../text.h"
#include "bouncetriage/report.h"

typedef bool (*bt_engine_fn) (bt_mail_t *mail, bt_report_t *report);

typedef struct {
	const char *name;
	bt_engine_fn parse;
} bt_engine_t;

/* The table, terminated by { NULL, NULL }. */
extern const bt_engine_t bt_engines[];

#define BT_ENGINE(fn, label) bool bt_engine_##fn (bt_mail_t *mail, bt_report_t *report);
#include "first.def"
#include "mta.def"
#include "services.def"
#include "last.def"
#undef BT_ENGINE

/* Helpers for engines (engine.c). */

/* A record for recipient (an address is extracted from it) with diagnostic
 * text diag (may be NULL); status, reply code and command are taken from
 * the text when it holds them.  Returns NULL, adding nothing, when no
 * address can be found in recipient. */
bt_record_t *bt_engine_add (bt_report_t *report, const char *recipient, gssize rlen,
			    const char *diag, gssize dlen);

/* Read an RFC 3464 delivery-status body into records (rfc3464.c).  Engines
 * whose MTA writes a standard report but adds to it in the text may call
 * this first and then fill gaps.  Returns the number of records added. */
int bt_rfc3464_read (bt_mail_t *mail, bt_report_t *report, const char *dsn);

/* Every value of header-style field name ("Name: value", folded lines
 * joined) in text, in order; the array frees its strings.  Never NULL. */
GPtrArray *bt_engine_fields (const char *text, gssize len, const char *name);

/* The first value of field name in text, or NULL; g_free it. */
char *bt_engine_field (const char *text, gssize len, const char *name);

/* Fill the report's original-message fields from a header block (text). */
void bt_engine_original_headers (bt_report_t *report, const char *headers, gssize len);

#endif
