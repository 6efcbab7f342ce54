/* services-util.h (private to the mail-service engines): what the engines
 * for mail services and appliances (gmail.c, yahoo.c, amazonses.c...) share.
 *
 * Services mostly write a human-readable notice ("Delivery to the following
 * recipient failed permanently: ...") and, at best, a thin RFC 3464 part.
 * These helpers find the notice, cut it into one block per recipient and
 * fill what the standard part left out.  Every string they return or set is
 * owned by the report (or static); nothing here allocates for the caller. */
#ifndef BT_SERVICES_UTIL_H
#define BT_SERVICES_UTIL_H

#include "engine.h"

/* A wording of the service and the reason it names (both static). */
typedef struct {
	const char *needle;
	const char *reason;
} svc_hint_t;

/* Case-insensitive substring tests; hay may be NULL (never matches). */
bool svc_has (const char *hay, const char *needle);
/* True when hay holds one of needles (NULL-terminated). */
bool svc_has_any (const char *hay, const char *const *needles);
bool svc_body_has (const bt_mail_t *mail, const char *needle);
/* The bounce's own header name holds needle. */
bool svc_header_has (const bt_mail_t *mail, const char *name, const char *needle);

/* The text between the line holding one of begin (exclusive; NULL begins
 * at the start) and the first later line holding one of end (exclusive;
 * NULL runs to the end).  False when no begin line is found. */
bool svc_section (const char *text, size_t len, const char *const *begin,
		  const char *const *end, const char **out, size_t *out_len);

/* The address when line holds nothing else: "a@b", "<a@b>", "\"a@b\":",
 * "a@b<mailto:a@b>", "Recipient: <a@b>"...; NULL otherwise (g_free). */
char *svc_address_line (const char *line, size_t len);

/* One record (no diagnostic) per address-only line of text, skipping
 * addresses already in the report.  Returns the number added. */
int svc_read_addresses (bt_report_t *report, const char *text, size_t len);

/* The address at the start of line when it is followed by ':' and text
 * ("<a@b>: 550 ...", "a@b: ..."); *rest points after the ':'.  NULL when
 * the line does not start so (g_free). */
char *svc_address_prefix (const char *line, size_t len, const char **rest);

/* Recipient blocks: each address-only line (svc_address_line) or
 * address-prefixed line (svc_address_prefix) opens a record, the text
 * after it up to the next one is its diagnostic (a "Reason:" label in
 * front of it dropped).
 * Returns the number of records added. */
int svc_read_blocks (bt_report_t *report, const char *text, size_t len);

/* Fill the diagnostic of each record of report that has none from the
 * recipient's block in text (svc_read_blocks). */
void svc_fill_from_blocks (bt_report_t *report, const char *text, size_t len);

/* Read delivery-status fields from dsn (NUL-terminated) like
 * bt_rfc3464_read, then take Action, Status, Diagnostic-Code and Remote-MTA
 * that a recipient's block gives before its Final-Recipient (where a strict
 * reader has not opened the record yet).  Returns records added. */
int svc_read_dsn_text (bt_mail_t *mail, bt_report_t *report, const char *dsn);

/* svc_read_dsn_text over every delivery-status part of the mail. */
int svc_read_dsn (bt_mail_t *mail, bt_report_t *report);

/* One record per address of the bounce's X-Failed-Recipients header(s),
 * each with diagnostic diag (may be NULL).  Returns records added. */
int svc_failed_recipients (bt_mail_t *mail, bt_report_t *report, const char *diag, gssize dlen);

/* Set field of rec from s when rec has none yet. */
void svc_fill (bt_report_t *report, bt_record_t *rec, bt_field_t field, const char *s, gssize len);

/* Set every record's field from index `from` on (when unset). */
void svc_fill_all (bt_report_t *report, guint from, bt_field_t field, const char *s, gssize len);

/* For every record from index `from` on without a hint, the reason of the
 * first entry of table (terminated by { NULL, NULL }) whose needle the
 * diagnostic holds. */
void svc_hint (bt_report_t *report, guint from, const svc_hint_t *table);

/* The last RFC 3463 status code and SMTP reply code in s: a relaying
 * service quotes the remote server's answer after its own summary, and
 * the remote answer is the one that says what happened. */
bool svc_last_status (const char *s, char buf[16]);
bool svc_last_replycode (const char *s, char buf[4]);

/* Replace the status and reply code of the records from index `from` on
 * with the last ones of their diagnostic, when it holds any. */
void svc_prefer_quoted_codes (bt_report_t *report, guint from);

/* A host name following marker in text ("by mx.example.jp.", "host: mx..."),
 * trimmed of dots and brackets; NULL when none (g_free). */
char *svc_host_after (const char *text, size_t len, const char *marker);

/* Finish the records of an engine that recognised the mail: the reply
 * code, status and SMTP command its diagnostic states, where the engine
 * set none (so an engine's report is complete on its own). */
void svc_done (bt_report_t *report);

/* The notice of United Internet's mail systems (GMX, WEB.DE, 1&1 / IONOS):
 *   ... The following address(es)
 *   failed:
 *   "user@example.jp":
 *   SMTP error from remote server after RCPT command:
 *   host: mx.example.jp
 *   5.2.2 <user@example.jp>... Mailbox Full
 *   --- The header of the original message is following. ---
 * Returns the number of records added. */
int svc_read_united (bt_mail_t *mail, bt_report_t *report);

#endif
