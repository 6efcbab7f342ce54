/* text.h (private to lib/): small text helpers shared by the engines.
 *
 * All take UTF-8 (or ASCII) text and never allocate unless they return a
 * char * (g_free) or store into a report (owned by it). */
#ifndef BT_TEXT_H
#define BT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include "bouncetriage/report.h"

/* True when the len bytes of s are valid UTF-8 without a NUL, as
 * g_utf8_validate says; the ASCII run at the start goes eight bytes at a
 * time (most of a bounce is ASCII). */
bool bt_text_utf8 (const char *s, size_t len);

/* Iterate over lines: start with *pos = 0; each call sets *line and *len
 * (without the line end, CR stripped) and returns false at the end. */
bool bt_text_next_line (const char *text, size_t text_len, size_t *pos,
			const char **line, size_t *len);

/* Case-insensitive search of needle in the first hay_len bytes of hay;
 * returns a pointer into hay or NULL. */
const char *bt_text_find (const char *hay, size_t hay_len, const char *needle);

/* A lower-case (ASCII) copy of s (len bytes, or a C string when len < 0)
 * for repeated searches with bt_text_find_lc: into buf when it fits
 * (size bytes), else g_malloc'd; free it with bt_text_lc_free (buf).  *out_len
 * is set to its length. */
char *bt_text_lc (const char *s, gssize len, char *buf, size_t size, size_t *out_len);
void bt_text_lc_free (char *lc, char *buf);

/* needle (any case) in the lower-cased text lc; a pointer into lc or NULL. */
const char *bt_text_find_lc (const char *lc, size_t len, const char *needle);

/* True when line (len bytes) starts with prefix, case-insensitively. */
bool bt_text_starts (const char *line, size_t len, const char *prefix);

/* The first e-mail address in s (len bytes), without angle brackets, or NULL;
 * g_free the result.  Handles <a@b>, "rfc822; a@b", bare a@b and quoted
 * local parts. */
char *bt_text_address (const char *s, gssize len);

/* The first RFC 3463 status code (x.y.z with x in 2, 4, 5) in s, copied into
 * buf (at least 16 bytes); returns false when there is none. */
bool bt_text_status (const char *s, gssize len, char buf[16]);

/* The first SMTP reply code (2xx, 4xx, 5xx standing alone, e.g. "550 ",
 * "550-", "550 5.1.1") in s, copied into buf (4 bytes); false when none. */
bool bt_text_replycode (const char *s, gssize len, char buf[4]);

/* The SMTP command a diagnostic answered ("in reply to RCPT TO command",
 * "after MAIL FROM", "after end of data"...), as a static string ("CONN",
 * "HELO", "EHLO", "MAIL", "RCPT", "DATA", "."...), or NULL. */
const char *bt_text_command (const char *s, gssize len);

/* The remote host a diagnostic names ("host mx.example.net[192.0.2.1]
 * said:", "host mx.example.net [192.0.2.1]:", "while talking to
 * mx.example.net.:"), copied into buf (size bytes); false when none. */
bool bt_text_remote_host (const char *s, gssize len, char *buf, size_t size);

/* A status code implied by a reply code and text when the report gives none
 * ("550" -> "5.0.0", "452" with "mailbox full" -> "4.2.2"...); static or
 * NULL. */
const char *bt_text_status_from_reply (const char *replycode, const char *text);

#endif
