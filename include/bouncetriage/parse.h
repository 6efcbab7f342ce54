/* parse.h: from raw mail to reports.
 *
 * bt_parse_* read a message with GMime, run the engines (lib/engines/) and
 * normalise what they found.  They do not classify: pass the report to
 * bt_classify_report (classify.h) for reasons and knowledge-base entries.
 *
 * bt_parse_init must be called once before anything else (it initialises
 * GMime); bt_parse_shutdown at the end is optional.  From then on GMime
 * keeps message/rfc822 parts (and rfc2822, global, news) as leaf parts in
 * the whole process, libnotmuch's indexing included: their content is
 * parsed only when it is needed. */
#ifndef BT_PARSE_H
#define BT_PARSE_H

#include <gmime/gmime.h>
#include "bouncetriage/error.h"
#include "bouncetriage/report.h"

void bt_parse_init (void);
void bt_parse_shutdown (void);

/* Messages larger than this are parsed from their first BT_PARSE_LIMIT bytes
 * only, and the report is marked truncated. */
#define BT_PARSE_LIMIT (8 * 1024 * 1024)

/* Parse one message.  Returns a report (with no records when the message is
 * not a bounce), or NULL with *error set when the message cannot be read at
 * all.  name is copied and used in the report and in error messages.  The
 * caller frees the report with bt_report_free. */
bt_report_t *bt_parse_message (GMimeMessage *message, const char *name, GError **error);
bt_report_t *bt_parse_file (const char *path, GError **error);
bt_report_t *bt_parse_bytes (const char *data, size_t len, const char *name, GError **error);

/* A source of messages: a single message file, an mbox file, a maildir or a
 * folder of message files, or "-" for standard input (a message or an mbox). */
typedef struct bt_source bt_source_t;

/* Opens path; NULL with *error set when it cannot be read.  Free with
 * bt_source_free. */
bt_source_t *bt_source_open (const char *path, GError **error);

/* The next message's report, or NULL at the end.  A message that cannot be
 * read returns NULL with *error set naming it: the caller reports the error
 * and calls again to go on; bt_source_done tells the end. */
bt_report_t *bt_source_next (bt_source_t *source, GError **error);
bool bt_source_done (const bt_source_t *source);
void bt_source_free (bt_source_t *source);

/* Engines by name, for --help and tests: a NULL-terminated static array. */
const char *const *bt_parse_engine_names (void);

#endif
