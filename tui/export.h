/* export.h: the marked or listed recipients as CSV.
 *
 * One line per distinct recipient (RFC 4180, header line first):
 * address, reason, status, date, count: the reason and status of its most
 * recent bounce among the rows, that bounce's date (ISO 8601 UTC), and how
 * many rows name it.  A field that a spreadsheet would take for a formula
 * (starting with = + - @) is prefixed with a quote. */
#ifndef BT_EXPORT_H
#define BT_EXPORT_H

#include <glib.h>
#include "bouncetriage/error.h"

/* rows: bt_row_t * (feed.h).  Appended to out; returns the recipients. */
guint bt_export_csv (GPtrArray *rows, GString *out);

/* Write the CSV to path atomically (temporary file, then rename).  *count
 * gets the number of recipients. */
bt_status_t bt_export_csv_file (GPtrArray *rows, const char *path, guint *count, GError **error);

#endif
