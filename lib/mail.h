/* mail.h (private to lib/): one message as the engines see it.
 *
 * bt_mail_new walks the MIME tree once (GMime does all decoding) and keeps
 * the parts engines look at, as UTF-8 text with LF line ends.  Everything is
 * owned by the bt_mail_t and freed by bt_mail_free; the GMime object is
 * referenced, not copied. */
#ifndef BT_MAIL_H
#define BT_MAIL_H

#include <gmime/gmime.h>
#include "bouncetriage/report.h"

typedef struct bt_mail {
	/* The bounce: a GMimeMessage, or the top part of a message parsed with
	 * g_mime_parser_construct_part (it holds every header; GMime then
	 * builds no GMimeMessage: a fifth less work in its parse and free). */
	GMimeObject *top;

	const char *from;        /* decoded From header, "" when absent */
	const char *subject;     /* decoded Subject, "" when absent */
	const char *message_id;  /* Message-ID without <>, or NULL */

	/* Human-readable text: the text/plain parts (text/html stripped of tags
	 * when there is no plain part) outside attached messages, joined with
	 * a blank line.  "" when none. */
	const char *body;
	gsize body_len;
	/* The body with ASCII letters in lower case (same length and offsets):
	 * engines search it with memmem instead of folding case per byte. */
	const char *body_lc;

	/* Which 4-byte sequences body_lc holds at every fourth position,
	 * hashed into 2^gram_bits bits: a needle that cannot be there by them
	 * is not searched for at all (most of the engines' markers are absent
	 * from most bodies).  bt_mail_find's own. */
	guint64 *grams;
	unsigned gram_bits;

	/* Contents of message/delivery-status and message/global-delivery-status
	 * parts (UTF-8), in order.  Never NULL; may be empty. */
	GPtrArray *dsn;

	/* Content of a message/feedback-report part, or NULL. */
	const char *feedback;

	/* Headers of the original message: the header block of an attached
	 * message/rfc822 or the content of text/rfc822-headers, NULL when the
	 * bounce carries neither (engines may find them in the body). */
	const char *orig_headers;

	/* The content of the first attached message (message/rfc822 and its
	 * kin, transfer encoding removed), or NULL.  GMime keeps it as a leaf
	 * part (bt_parse_init); it is parsed only when the outer message is
	 * not a bounce, to read a forwarded one from it.  Owned by the mail;
	 * parse.c may take it over (and set this to NULL). */
	GByteArray *attached;

	/* Set once the body was searched for a quoted copy of the original
	 * headers (bt_engine_quoted_headers), so it is searched only once. */
	bool quoted_done;

	GPtrArray *owned;        /* strings to free */
} bt_mail_t;

bt_mail_t *bt_mail_new (GMimeObject *top);

/* Free what bt_mail_new keeps across messages (charset converters). */
void bt_mail_shutdown (void);
void bt_mail_free (bt_mail_t *mail);

/* The decoded value of header name of the bounce itself, or NULL. */
const char *bt_mail_header (const bt_mail_t *mail, const char *name);

/* The first occurrence of needle (ASCII, any case) in the len bytes of the
 * body from offset from, as a pointer into mail->body, or NULL. */
const char *bt_mail_find (const bt_mail_t *mail, size_t from, size_t len, const char *needle);

/* A copy of s that the mail owns (freed with it). */
const char *bt_mail_keep (bt_mail_t *mail, char *s);

/* Parse the message read from fd (closed here), named path (parse.c). */
bt_report_t *bt_parse_fd (int fd, const char *path, GError **error);

/* The contents of fd (open at its start; not closed), at most BT_PARSE_LIMIT
 * bytes (*truncated set when there was more): free with g_byte_array_free,
 * or hand to bt_parse_array, which takes it over.  NULL with *error set
 * naming path when it cannot be read.  regular: the caller knows fd is a
 * regular file (source.c's folder walk made sure), and no fstat is needed.
 * source.c reads a file this way first and looks at its start for an mbox. */
GByteArray *bt_parse_read (int fd, const char *path, bool regular, bool *truncated, GError **error);
bt_report_t *bt_parse_array (GByteArray *buf, const char *path, bool truncated, GError **error);

#endif
