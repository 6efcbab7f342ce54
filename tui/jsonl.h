/* jsonl.h: JSON Lines output for classify and scan, written straight into a
 * GString the caller owns and reuses (JSON-GLib's builder and generator
 * made a tree per line: as much time as parsing a small bounce).
 *
 * Strings are escaped as JSON-GLib escapes them, and C1 controls and DEL
 * as well: a line piped to a terminal carries no raw control byte.  Input
 * that is not UTF-8 is made valid first. */
#ifndef BT_JSONL_H
#define BT_JSONL_H

#include <glib.h>
#include <stdbool.h>

/* v as a JSON string; NULL is written as null_as (a JSON literal such as
 * "null", or "\"\"" for an empty string). */
void bt_jsonl_string (GString *out, const char *v, const char *null_as);

/* ,"key": -- without the comma for the first member of an object. */
void bt_jsonl_key (GString *out, const char *key, bool first);

/* A member: ,"key":"value" (NULL as null_as) / ,"key":true. */
void bt_jsonl_str (GString *out, const char *key, const char *value, const char *null_as);
void bt_jsonl_bool (GString *out, const char *key, bool value);

#endif
