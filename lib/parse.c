/* parse.c: read a message with GMime, run the engines, fill the gaps. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>
#include "bouncetriage/parse.h"
#include "engines/engine.h"
#include "mail.h"
#include "text.h"

/* LeakSanitizer builds (--enable-sanitizers, gcc; the fuzz targets, clang)
 * are told to ignore what bt_parse_init allocates: see there. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PARSE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(PARSE_ASAN)
#include <sanitizer/lsan_interface.h>
#define PARSE_LSAN_DISABLE() __lsan_disable ()
#define PARSE_LSAN_ENABLE() __lsan_enable ()
#else
#define PARSE_LSAN_DISABLE() ((void) 0)
#define PARSE_LSAN_ENABLE() ((void) 0)
#endif

/* A forwarded bounce inside a forwarded bounce is fine; deeper is abuse. */
#define PARSE_MAX_NESTING 3

static gint parse_initialised;

/* GMime parses an attached message whole, as deep as it goes; most of
 * that is never read.  Kept as a leaf part, its headers are read as text
 * and the rest is parsed only for a forwarded bounce (parse_message_depth).
 * The types are GMime's, so this holds for the whole process.  GMime's
 * registry drops the four entries it replaces without freeing them (it has
 * no call to unregister a type): a one-time loss that LeakSanitizer cannot
 * tell from ours by its stack (glib has no frame pointers), hence the
 * disabler; tests/valgrind.supp names it for valgrind. */
void
bt_parse_init (void)
{
	static const char *const messages[] = { "rfc822", "rfc2822", "global", "news" };

	if (g_atomic_int_compare_and_exchange (&parse_initialised, 0, 1)) {
		PARSE_LSAN_DISABLE ();
		g_mime_init ();
		for (size_t i = 0; i < G_N_ELEMENTS (messages); i++)
			g_mime_object_register_type ("message", messages[i], GMIME_TYPE_PART);
		PARSE_LSAN_ENABLE ();
	}
}

void
bt_parse_shutdown (void)
{
	if (g_atomic_int_compare_and_exchange (&parse_initialised, 1, 0)) {
		bt_mail_shutdown ();
		g_mime_shutdown ();
	}
}

const char *const *
bt_parse_engine_names (void)
{
	static const char *names[256];

	if (names[0] == NULL) {
		size_t n = 0;
		for (const bt_engine_t *e = bt_engines; e->name && n + 1 < G_N_ELEMENTS (names); e++)
			names[n++] = e->name;
	}
	return names;
}

/* "5.0.0" says less than "5.1.1" in the diagnostic of the same class. */
static void
parse_refine_status (bt_report_t *report, bt_record_t *rec)
{
	const char *st = rec->f[BT_F_STATUS];
	const char *diag = rec->f[BT_F_DIAGNOSTIC];
	char code[16];

	if (diag == NULL || !bt_text_status (diag, -1, code))
		return;
	if (st == NULL) {
		bt_record_set (report, rec, BT_F_STATUS, code, -1);
		return;
	}
	/* The reply quoted in the diagnostic is more precise than the report's
	 * summary status of the same class ("4.4.7" expired, "5.0.0").  A
	 * status the diagnostic itself states was picked from it (a relay's
	 * summary quoting the remote answer): keep it. */
	if (code[0] == st[0] && strcmp (code + 1, ".0.0") != 0 && strcmp (code, st) != 0
	    && strstr (diag, st) == NULL)
		bt_record_set (report, rec, BT_F_STATUS, code, -1);
}

/* Auto-replies and feedback reports carry no delivery status. */
static bool
parse_informational (const bt_record_t *rec)
{
	const char *h = rec->reason_hint;

	return h != NULL && (strcmp (h, "vacation") == 0 || strcmp (h, "feedback") == 0
			     || strcmp (h, "delivered") == 0);
}

static void
parse_fill_record (bt_report_t *report, bt_record_t *rec)
{
	const char *diag = rec->f[BT_F_DIAGNOSTIC];
	char code[4];

	/* An X-Unix diagnostic is a program's exit code, not an SMTP reply. */
	if (rec->f[BT_F_REPLYCODE] == NULL && diag && bt_text_replycode (diag, -1, code)
	    && (rec->f[BT_F_DIAGNOSTIC_TYPE] == NULL || g_ascii_strcasecmp (rec->f[BT_F_DIAGNOSTIC_TYPE], "x-unix") != 0))
		bt_record_set (report, rec, BT_F_REPLYCODE, code, -1);
	parse_refine_status (report, rec);
	if (rec->f[BT_F_STATUS] == NULL && !parse_informational (rec)) {
		const char *st = bt_text_status_from_reply (rec->f[BT_F_REPLYCODE], diag);
		/* No code at all: the class still follows from the action. */
		if (st == NULL && rec->f[BT_F_ACTION])
			st = g_ascii_strcasecmp (rec->f[BT_F_ACTION], "delayed") == 0 ? "4.0.0"
				: g_ascii_strcasecmp (rec->f[BT_F_ACTION], "failed") == 0 ? "5.0.0" : NULL;
		if (st != NULL) {
			bt_record_set (report, rec, BT_F_STATUS, st, -1);
			rec->status_derived = true;
		}
	}
	if (rec->f[BT_F_REMOTE_MTA] == NULL && diag) {
		char host[256];
		if (bt_text_remote_host (diag, -1, host, sizeof host))
			bt_record_set (report, rec, BT_F_REMOTE_MTA, host, -1);
	}
	if (rec->f[BT_F_DIAGNOSTIC_TYPE] == NULL && rec->f[BT_F_REPLYCODE] != NULL)
		rec->f[BT_F_DIAGNOSTIC_TYPE] = "SMTP";
	if (rec->f[BT_F_COMMAND] == NULL && diag) {
		const char *cmd = bt_text_command (diag, -1);
		if (cmd)
			rec->f[BT_F_COMMAND] = cmd;
	}
}

/* The host that wrote a text notice, from its own introduction ("This is
 * the mail system at host mx.example.org.", "the qmail-send program at
 * mx.example.org."); NULL when it does not say. */
static const char *
parse_reporting_host (bt_report_t *report, bt_mail_t *mail)
{
	static const char *const leads[] = {
		"this is the mail system at host ", "this is the postfix program at host ",
		"this is the qmail-send program at ", "mail agent v", NULL,
	};
	size_t head = MIN (mail->body_len, 2048);

	for (size_t i = 0; leads[i]; i++) {
		const char *m = bt_mail_find (mail, 0, head, leads[i]), *h, *e, *end = mail->body + head;
		if (m == NULL)
			continue;
		h = m + strlen (leads[i]);
		if (i == 3) {
			/* "DragonFly Mail Agent v0.13 at HOST." */
			const char *at = bt_text_find (h, (size_t) (end - h), " at ");
			if (at == NULL || memchr (h, '\n', (size_t) (at - h)) != NULL)
				continue;
			h = at + 4;
		}
		for (e = h; e < end && (g_ascii_isalnum (*e) || *e == '.' || *e == '-'); e++)
			;
		while (e > h && e[-1] == '.')
			e--;
		if (e - h > 2 && memchr (h, '.', (size_t) (e - h)) != NULL)
			return bt_report_strdup (report, h, e - h);
	}
	return NULL;
}

static void
parse_fill_report (bt_report_t *report, bt_mail_t *mail)
{
	const char *v, *host = NULL;
	bool looked = false;

	if (mail->message_id != NULL)
		report->message_id = bt_report_strdup (report, mail->message_id, -1);
	if ((v = bt_mail_header (mail, "Date")))
		report->date = bt_report_strdup (report, v, -1);
	report->from = bt_report_strdup (report, mail->from, -1);
	report->subject = bt_report_strdup (report, mail->subject, -1);
	if (report->records->len > 0 && bt_engine_quoted_headers (mail) != NULL)
		bt_engine_original_headers (report, mail->orig_headers, -1);
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		parse_fill_record (report, rec);
		if (rec->f[BT_F_REPORTING_MTA] == NULL && !looked) {
			host = parse_reporting_host (report, mail);
			looked = true;
		}
		if (rec->f[BT_F_REPORTING_MTA] == NULL)
			rec->f[BT_F_REPORTING_MTA] = host;
	}
}

static bool
parse_run_engines (bt_mail_t *mail, bt_report_t *report)
{
	for (const bt_engine_t *e = bt_engines; e->name; e++) {
		if (e->parse (mail, report)) {
			report->engine = e->name;
			return true;
		}
		/* An engine that said no must leave nothing behind. */
		g_ptr_array_set_size (report->records, 0);
	}
	return false;
}

static bt_report_t *parse_array (GByteArray *buf, const char *name, int depth, GError **error);

static bt_report_t *
parse_message_depth (GMimeObject *top, const char *name, int depth)
{
	bt_report_t *report = bt_report_new (name);
	bt_mail_t *mail = bt_mail_new (top);

	if (!parse_run_engines (mail, report) && mail->attached && depth < PARSE_MAX_NESTING) {
		bt_report_t *inner = parse_array (g_steal_pointer (&mail->attached), name, depth + 1, NULL);
		if (inner != NULL && inner->records->len > 0) {
			bt_mail_free (mail);
			bt_report_free (report);
			return inner;
		}
		if (inner != NULL)
			bt_report_free (inner);
	}
	parse_fill_report (report, mail);
	bt_mail_free (mail);
	return report;
}

bt_report_t *
bt_parse_message (GMimeMessage *message, const char *name, GError **error)
{
	if (message == NULL) {
		bt_error_set (error, BT_ERR_PARSE, "%s: not a mail message", name);
		return NULL;
	}
	return parse_message_depth (GMIME_OBJECT (message), name, 0);
}

/* CRLF and bare CR become LF, so GMime sees one kind of line end. */
static gsize
parse_unix_lines (char *data, gsize len)
{
	gsize o = 0;

	if (len == 0 || memchr (data, '\r', len) == NULL)
		return len;
	for (gsize i = 0; i < len; i++) {
		if (data[i] == '\r') {
			data[o++] = '\n';
			if (i + 1 < len && data[i + 1] == '\n')
				i++;
		} else {
			data[o++] = data[i];
		}
	}
	return o;
}

/* Parse the message in buf, which this takes over (GMime's stream owns it
 * from here: no copy), found depth messages deep. */
static bt_report_t *
parse_array (GByteArray *buf, const char *name, int depth, GError **error)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeObject *top;
	bt_report_t *report = NULL;

	if (buf->len == 0) {
		bt_error_set (error, BT_ERR_PARSE, "%s: empty message", name);
		g_byte_array_free (buf, TRUE);
		return NULL;
	}
	g_byte_array_set_size (buf, (guint) parse_unix_lines ((char *) buf->data, buf->len));
	stream = g_mime_stream_mem_new_with_byte_array (buf);
	parser = g_mime_parser_new_with_stream (stream);
	/* The top part with every header, without a GMimeMessage around it;
	 * what GMime cannot read that way (a leading "From " line) is read
	 * again as a message. */
	top = g_mime_parser_construct_part (parser, NULL);
	if (top == NULL) {
		g_mime_stream_reset (stream);
		g_mime_parser_init_with_stream (parser, stream);
		top = (GMimeObject *) g_mime_parser_construct_message (parser, NULL);
	}
	if (top == NULL)
		bt_error_set (error, BT_ERR_PARSE, "%s: not a mail message", name);
	else
		report = parse_message_depth (top, name, depth);
	if (top)
		g_object_unref (top);
	g_object_unref (parser);
	g_object_unref (stream);
	return report;
}

bt_report_t *
bt_parse_bytes (const char *data, size_t len, const char *name, GError **error)
{
	GByteArray *buf;

	if (data == NULL || len == 0) {
		bt_error_set (error, BT_ERR_PARSE, "%s: empty message", name);
		return NULL;
	}
	buf = g_byte_array_sized_new ((guint) len);
	g_byte_array_append (buf, (const guint8 *) data, (guint) len);
	return parse_array (buf, name, 0, error);
}

bt_report_t *
bt_parse_file (const char *path, GError **error)
{
	int fd = open (path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		bt_error_set (error, BT_ERR_IO, "%s: %s", path, g_strerror (errno));
		return NULL;
	}
	return bt_parse_fd (fd, path, error);
}

bt_report_t *
bt_parse_fd (int fd, const char *path, GError **error)
{
	bool truncated = false;
	GByteArray *buf = bt_parse_read (fd, path, false, &truncated, error);

	close (fd);
	return buf ? bt_parse_array (buf, path, truncated, error) : NULL;
}

GByteArray *
bt_parse_read (int fd, const char *path, bool regular, bool *truncated, GError **error)
{
	GByteArray *buf;
	struct stat st;
	gsize want = regular ? 32768 : 65536;

	/* Read straight into the array, sized from the file when fstat says
	 * (one read for the whole of it; a short read is a regular file's
	 * end).  A caller that knows the file is regular saves the fstat (a
	 * system call took 1 us on a virtual machine, a sixtieth of
	 * classifying a message); 9 bounces in 10 fit the first 32 KiB. */
	if (!regular && fstat (fd, &st) == 0 && S_ISREG (st.st_mode)) {
		regular = true;
		if (st.st_size > 0)
			want = (gsize) MIN ((gsize) st.st_size + 1, (gsize) BT_PARSE_LIMIT + 1);
	}
	buf = g_byte_array_sized_new ((guint) want);
	for (;;) {
		ssize_t got;
		guint have = buf->len;
		if (have >= want)
			want = MIN (want * 2, (gsize) BT_PARSE_LIMIT + 1);
		if (have >= want)
			break;
		g_byte_array_set_size (buf, (guint) want);
		got = read (fd, buf->data + have, want - have);
		if (got < 0 && errno == EINTR) {
			g_byte_array_set_size (buf, have);
			continue;
		}
		if (got < 0) {
			bt_error_set (error, BT_ERR_IO, "%s: %s", path, g_strerror (errno));
			g_byte_array_free (buf, TRUE);
			return NULL;
		}
		g_byte_array_set_size (buf, have + (guint) got);
		if (got == 0 || (regular && (gsize) got < want - have))
			break;
	}
	if (buf->len > BT_PARSE_LIMIT) {
		g_byte_array_set_size (buf, BT_PARSE_LIMIT);
		*truncated = true;
	}
	return buf;
}

bt_report_t *
bt_parse_array (GByteArray *buf, const char *path, bool truncated, GError **error)
{
	bt_report_t *report = parse_array (buf, path, 0, error);

	if (report)
		report->truncated = truncated;
	return report;
}
