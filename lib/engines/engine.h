/* engine.h (private to lib/): one engine per MTA style.
 *
 * An engine is one function: it looks at the mail (mail.h), and when it
 * recognises the style it adds one record per recipient to the report and
 * returns true.  It returns false, adding nothing, when the mail is not
 * its kind.  Engines are tried in the order of the table (table.c, built
 * from the *.def lists: first.def, services.def, mta.def, last.def), the
 * first that returns true wins; RFC 3464, RFC 3834 and the generic text
 * fallback come last.  After the engine, parse.c fills what is still missing
 * (status from the text or the reply code, SMTP command, remote and
 * reporting MTA, original message headers, quoted or attached) so engines
 * need only set what their format states.
 *
 * Adding an engine: write lib/engines/NAME.c with
 *     bool bt_engine_NAME (bt_mail_t *mail, bt_report_t *report)
 * add a line BT_ENGINE (NAME, "DisplayName") to mta.def or services.def,
 * and add the file to the matching .mk fragment.  No other engine changes.
 * Most text notices need only a bt_engine_layout_t (where the list starts
 * and ends, how a recipient line looks, the MTA's phrases for commands and
 * reasons) and bt_engine_text, or bt_engine_dsn_and_text when the notice
 * comes with a message/delivery-status part. */
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
#include "services.def"
#include "mta.def"
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

/* True when hay (len bytes, or a C string when len < 0) holds any of the
 * NULL-terminated needles, case-insensitively. */
bool bt_engine_any (const char *hay, gssize len, const char *const *needles);

/* The same for the mail's body (fast: see bt_mail_find). */
bool bt_engine_body_any (const bt_mail_t *mail, const char *const *needles);
const char *bt_engine_body_find (const bt_mail_t *mail, const char *needle);

/* A phrase of an MTA's own wording and what it tells (a static string). */
typedef struct {
	const char *phrase;
	const char *value;
} bt_engine_phrase_t;

/* The value of the first phrase (a NULL-terminated table) found in text, or
 * NULL. */
const char *bt_engine_phrase (const bt_engine_phrase_t *table, const char *text);

/* How a plain-text notice lists its recipients, for bt_engine_text.
 *
 * The notice is the body from the line after the first start marker (the
 * body's start when start is NULL) up to the first line holding a stop
 * marker (the common "copy of the original message" markers when stop is
 * NULL).  In it a recipient line is one that, once leading blanks and the
 * prefix (when set) are removed, begins with an address (bare or in angle
 * brackets) -- or, with prefix set, holds one anywhere after it.  The rest
 * of that line and the lines after it, up to a blank line (or, with
 * blank_lines, up to the next recipient line), are its diagnostic. */
typedef struct {
	const char *const *start;
	const char *const *stop;
	const char *prefix;
	bool blank_lines;
	/* The rest of a recipient line is not diagnostic text ("a@b on DATE"). */
	bool no_rest;
	/* Lines of the notice that are never diagnostic text (prefixes). */
	const char *const *skip;
	const char *action;                      /* "failed" when NULL */
	const bt_engine_phrase_t *commands;      /* phrase -> SMTP command */
	const bt_engine_phrase_t *reasons;       /* phrase -> reason hint */
} bt_engine_layout_t;

/* The common markers of the copy of the original message in a text
 * notice (NULL-terminated). */
extern const char *const bt_engine_original_markers[];

/* Read the records of a plain-text notice laid out as layout says.  Returns
 * the number of records added. */
int bt_engine_text (bt_mail_t *mail, bt_report_t *report, const bt_engine_layout_t *layout);

/* Apply the layout's command and reason phrases (and action) to rec, filling
 * only what is still empty. */
void bt_engine_apply (bt_report_t *report, bt_record_t *rec, const bt_engine_layout_t *layout);

/* The body between the end of the line holding start (the body's start
 * when NULL) and the first line holding one of stop (the end when NULL):
 * sets *len and returns a pointer into mail->body, or NULL when start is not
 * found. */
const char *bt_engine_section (const bt_mail_t *mail, const char *start,
			       const char *const *stop, size_t *len);

/* Set the diagnostic of every record that has none to text. */
void bt_engine_fill_diagnostic (bt_report_t *report, const char *text, gssize len);

/* When the report has no record yet, add one for the recipient named in the
 * original message's To header (several MTAs name no recipient in their
 * notice).  Returns the record or NULL. */
bt_record_t *bt_engine_add_original_to (bt_mail_t *mail, bt_report_t *report,
					const char *diag, gssize dlen);

/* The original message's headers: mail->orig_headers, or else the header
 * block quoted in the text body after one of bt_engine_original_markers
 * (stored as mail->orig_headers).  NULL when there is none. */
const char *bt_engine_quoted_headers (bt_mail_t *mail);

/* Notices that list the recipients in one section and give one reason for
 * all in another: every address of the section after the line holding
 * rcpt_start (up to a line holding one of rcpt_stop) becomes a record whose
 * diagnostic is the section after diag_start (up to diag_stop), when
 * diag_start is set.  Returns the number of records added. */
int bt_engine_lists (bt_mail_t *mail, bt_report_t *report,
		     const char *rcpt_start, const char *const *rcpt_stop,
		     const char *diag_start, const char *const *diag_stop);

/* Fill what records of into lack from the records of from with the same
 * recipient (or from the only record of each when both have one); with add,
 * records of from that into lacks are copied in. */
void bt_engine_merge (bt_report_t *into, const bt_report_t *from, bool add);

/* Read the report's standard parts (message/delivery-status), then the
 * plain-text notice laid out as layout says, and merge the two: the
 * standard fields win, the text fills the gaps (command, diagnostic) and
 * adds recipients only when there was no standard part.  Returns the number
 * of records. */
int bt_engine_dsn_and_text (bt_mail_t *mail, bt_report_t *report, const bt_engine_layout_t *layout);

/* A report's standard part embedded in the text body (a forwarded or
 * mangled bounce: "Final-Recipient:" lines, possibly quoted with "> "), read
 * as RFC 3464 fields.  Returns the number of records added. */
int bt_rfc3464_read_body (bt_mail_t *mail, bt_report_t *report);

#endif
