/* classify.h: reason, hard/soft and knowledge-base entry for each record.
 *
 * Strength, strongest first: the engine's hint, the diagnostic text
 * patterns, the status code, the reply code.  The record's reason, hard,
 * kb, rule and evidence fields are filled; kb and evidence point into the
 * kb or the report and live as long as both. */
#ifndef BT_CLASSIFY_H
#define BT_CLASSIFY_H

#include <glib.h>
#include "bouncetriage/kb.h"
#include "bouncetriage/report.h"

void bt_classify_record (const bt_kb_t *kb, bt_report_t *report, bt_record_t *rec);
void bt_classify_report (const bt_kb_t *kb, bt_report_t *report);

/* Append to out, one step a line, how rec's verdict was reached. */
void bt_classify_explain (const bt_kb_t *kb, const bt_record_t *rec, GString *out);

#endif
