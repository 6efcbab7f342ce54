/* test-faults.c: files that fail and mail that attacks, through the public
 * parser API and the `bouncetriage classify` program.
 *
 * Every big or strange input is generated here at run time (nothing big is
 * committed).  Each case checks what must hold: a named error instead of a
 * crash, bounded memory, valid UTF-8 out, every recipient kept. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <cmocka.h>
#include <json-glib/json-glib.h>
#include "bouncetriage/classify.h"
#include "bouncetriage/kb.h"
#include "bouncetriage/parse.h"
#include "bouncetriage/reason.h"
#include "bouncetriage/demo.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* A bounce whose size is in the parts after its delivery status: what a
 * parse limit must keep. */
#define HUGE_SIZE (50u * 1024 * 1024)
/* Reading 50 MB whole costs at least twice that (the file, the copy the
 * parser works on); with the 8 MB limit a parse grows the process by about
 * 10 MB (9 MB here, 11 MB under ASan) and the whole program peaks at 35 MB
 * (62 MB under ASan).  The bounds leave room for both, not for a whole
 * read. */
#define HUGE_MAX_GROWTH_KB (64 * 1024)
#define HUGE_MAX_PROGRAM_KB (100 * 1024)

static bt_kb_t *kb;

typedef struct {
	char *dir;
} fixture_t;

/* ---- helpers ---- */

static int
setup (void **state)
{
	fixture_t *fx = g_new0 (fixture_t, 1);

	fx->dir = g_dir_make_tmp ("bt-test-faults-XXXXXX", NULL);
	assert_non_null (fx->dir);
	*state = fx;
	return 0;
}

static int
teardown (void **state)
{
	fixture_t *fx = *state;

	bt_demo_remove (fx->dir);
	g_free (fx->dir);
	g_free (fx);
	return 0;
}

static char *
fx_path (fixture_t *fx, const char *name)
{
	return g_build_filename (fx->dir, name, NULL);
}

static void
write_bytes (const char *path, const char *data, gsize len)
{
	GError *error = NULL;

	if (!g_file_set_contents (path, data, (gssize) len, &error))
		fail_msg ("%s", error->message);
}

/* The head of a DSN bounce up to (not including) its per-recipient part. */
static void
dsn_head (GString *m, const char *subject)
{
	g_string_append_printf (m,
		"From: MAILER-DAEMON@mx.example.org\n"
		"To: sender@example.net\n"
		"Subject: %s\n"
		"Message-ID: <fault@mx.example.org>\n"
		"Date: Sat, 28 Nov 2026 12:00:00 +0000\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
		"\n--B\nContent-Type: text/plain\n\nDelivery to the following recipients failed.\n"
		"\n--B\nContent-Type: message/delivery-status\n\n"
		"Reporting-MTA: dns; mx.example.org\n", subject);
}

static void
dsn_recipient (GString *m, const char *address)
{
	g_string_append_printf (m, "\nFinal-Recipient: rfc822; %s\nAction: failed\nStatus: 5.1.1\n"
			       "Diagnostic-Code: smtp; 550 5.1.1 <%s>: User unknown\n", address, address);
}

/* A complete one-recipient bounce. */
static char *
dsn_simple (const char *address)
{
	GString *m = g_string_new (NULL);

	dsn_head (m, "Undelivered Mail Returned to Sender");
	dsn_recipient (m, address);
	g_string_append (m, "\n--B--\n");
	return g_string_free (m, FALSE);
}

static void
assert_utf8_or_null (const char *s)
{
	if (s != NULL && !g_utf8_validate (s, -1, NULL))
		fail_msg ("not valid UTF-8: %s", s);
}

/* Every string a report holds is valid UTF-8 with no control character
 * (records' fields), the classifier gives each record a known reason. */
static void
assert_report_sane (bt_report_t *r)
{
	const char *top[] = { r->file, r->engine, r->message_id, r->date, r->from, r->subject,
			      r->orig_message_id, r->orig_from, r->orig_to, r->orig_subject,
			      r->orig_date };

	for (size_t i = 0; i < G_N_ELEMENTS (top); i++)
		assert_utf8_or_null (top[i]);
	bt_classify_report (kb, r);
	for (guint i = 0; i < r->records->len; i++) {
		bt_record_t *rec = r->records->pdata[i];
		for (int f = 0; f < BT_F_COUNT; f++) {
			assert_utf8_or_null (rec->f[f]);
			if (rec->f[f] && f != BT_F_EXTENSIONS)
				for (const char *p = rec->f[f]; *p; p++)
					if ((unsigned char) *p < 0x20 || *p == 0x7f)
						fail_msg ("control character in %s: %s",
							  bt_record_fields[f].name, rec->f[f]);
		}
		assert_non_null (rec->reason);
		assert_non_null (bt_reason_lookup (rec->reason));
	}
}

typedef struct {
	char *out, *err;
	int status;          /* wait status */
} run_t;

static void
run_clear (run_t *r)
{
	g_free (r->out);
	g_free (r->err);
}

/* The program of this build.  Under `make check` (BT_BUILDDIR set) it
 * must be there; run by hand elsewhere, the program's half of each case is
 * left out (NULL). */
static char *
program_path (void)
{
	const char *b = g_getenv ("BT_BUILDDIR");
	char *p = g_build_filename (b && *b ? b : ".", "tui", "bouncetriage", NULL);

	if (!g_file_test (p, G_FILE_TEST_IS_EXECUTABLE)) {
		if (b && *b)
			fail_msg ("%s is not built", p);
		g_free (p);
		return NULL;
	}
	return p;
}

/* Run `bouncetriage classify ARGS...` with an argument vector (no shell). */
static bool
run_classify (run_t *r, const char *first, ...)
{
	GPtrArray *argv = g_ptr_array_new ();
	char *prog = program_path ();
	GError *error = NULL;
	va_list ap;

	memset (r, 0, sizeof *r);
	if (prog == NULL) {
		g_ptr_array_free (argv, TRUE);
		return false;
	}
	g_ptr_array_add (argv, prog);
	g_ptr_array_add (argv, (gpointer) "classify");
	va_start (ap, first);
	for (const char *a = first; a; a = va_arg (ap, const char *))
		g_ptr_array_add (argv, (gpointer) a);
	va_end (ap);
	g_ptr_array_add (argv, NULL);
	if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
			   &r->out, &r->err, &r->status, &error))
		fail_msg ("cannot run %s: %s", prog, error->message);
	g_free (prog);
	g_ptr_array_free (argv, TRUE);
	return true;
}

/* Exited by itself (no signal, no sanitizer abort) with one of the
 * documented statuses. */
static void
assert_clean_exit (const run_t *r, int want)
{
	if (!WIFEXITED (r->status))
		fail_msg ("bouncetriage died (wait status %d); stderr:\n%s", r->status, r->err);
	if (WEXITSTATUS (r->status) != want)
		fail_msg ("bouncetriage exited %d, wanted %d; stderr:\n%s",
			  WEXITSTATUS (r->status), want, r->err);
}

/* Each line of out is a JSON object; returns how many.  Lines are found
 * by hand: ASan's strstr/strchr measure the whole rest of the string at
 * every call, which makes g_strsplit quadratic on 10,000 lines. */
static guint
assert_json_lines (const char *out)
{
	JsonParser *parser = json_parser_new ();
	guint n = 0;

	assert_true (g_utf8_validate (out, -1, NULL));
	for (const char *l = out, *e; *l; l = *e ? e + 1 : e) {
		GError *error = NULL;
		for (e = l; *e && *e != '\n'; e++)
			;
		if (e == l)
			continue;
		if (!json_parser_load_from_data (parser, l, e - l, &error))
			fail_msg ("not JSON: %.*s (%s)", (int) (e - l), l, error->message);
		assert_int_equal (json_node_get_node_type (json_parser_get_root (parser)), JSON_NODE_OBJECT);
		n++;
	}
	g_object_unref (parser);
	return n;
}

/* ---- files that fail ---- */

/* A message the process may not read.  Root reads anyway, so as root the
 * same promise is checked with a folder where a file is expected. */
static void
test_unreadable (void **state)
{
	fixture_t *fx = *state;
	char *bad = fx_path (fx, "unreadable.eml");
	char *good = fx_path (fx, "good.eml");
	char *msg = dsn_simple ("good@example.com");
	GError *error = NULL;
	run_t r;

	write_bytes (good, msg, strlen (msg));
	if (geteuid () == 0) {
		assert_int_equal (g_mkdir (bad, 0700), 0);
	} else {
		write_bytes (bad, msg, strlen (msg));
		assert_int_equal (g_chmod (bad, 0), 0);
	}
	assert_null (bt_parse_file (bad, &error));
	assert_non_null (error);
	assert_int_equal (error->code, BT_ERR_IO);
	assert_non_null (strstr (error->message, bad));
	g_clear_error (&error);

	/* The program names the file, goes on with the next, exits 1.  (A
	 * folder is a valid argument to classify: as root this part is
	 * covered by test_vanished.) */
	if (geteuid () != 0 && run_classify (&r, "--json", bad, good, NULL)) {
		assert_clean_exit (&r, 1);
		assert_non_null (strstr (r.err, bad));
		assert_int_equal (assert_json_lines (r.out), 1);
		assert_non_null (strstr (r.out, "good@example.com"));
		run_clear (&r);
	}
	g_free (msg);
	g_free (bad);
	g_free (good);
}

/* A message removed before it is read: alone, and in the middle of a
 * folder being walked (notmuch new or a mail client moved it). */
static void
test_vanished (void **state)
{
	fixture_t *fx = *state;
	char *gone = fx_path (fx, "gone.eml");
	char *folder = fx_path (fx, "folder");
	char *a = g_build_filename (folder, "a.eml", NULL);
	char *b = g_build_filename (folder, "b.eml", NULL);
	char *c = g_build_filename (folder, "c.eml", NULL);
	char *ma = dsn_simple ("a@example.com"), *mc = dsn_simple ("c@example.com");
	GError *error = NULL;
	bt_source_t *src;
	guint reports = 0, errors = 0;
	run_t run;

	assert_null (bt_parse_file (gone, &error));
	assert_int_equal (error->code, BT_ERR_IO);
	assert_non_null (strstr (error->message, gone));
	g_clear_error (&error);
	assert_null (bt_source_open (gone, &error));
	assert_non_null (error);
	g_clear_error (&error);

	g_mkdir (folder, 0700);
	write_bytes (a, ma, strlen (ma));
	/* The program names the missing path, goes on, exits 1. */
	if (run_classify (&run, "--json", gone, a, NULL)) {
		assert_clean_exit (&run, 1);
		assert_non_null (strstr (run.err, gone));
		assert_int_equal (assert_json_lines (run.out), 1);
		assert_non_null (strstr (run.out, "a@example.com"));
		run_clear (&run);
	}

	write_bytes (b, ma, strlen (ma));
	write_bytes (c, mc, strlen (mc));
	src = bt_source_open (folder, &error);
	assert_non_null (src);
	/* The folder is listed at open: b vanishes after. */
	assert_int_equal (g_unlink (b), 0);
	while (!bt_source_done (src)) {
		bt_report_t *r = bt_source_next (src, &error);
		if (error) {
			assert_non_null (strstr (error->message, b));
			g_clear_error (&error);
			errors++;
		}
		if (r) {
			assert_int_equal (r->records->len, 1);
			reports++;
			bt_report_free (r);
		}
	}
	assert_int_equal (errors, 1);
	assert_int_equal (reports, 2);
	bt_source_free (src);
	g_free (ma);
	g_free (mc);
	g_free (a);
	g_free (b);
	g_free (c);
	g_free (folder);
	g_free (gone);
}

/* A message replaced by a folder between listing and reading. */
static void
test_replaced_by_directory (void **state)
{
	fixture_t *fx = *state;
	char *path = fx_path (fx, "msg.eml");
	char *msg = dsn_simple ("x@example.com");
	GError *error = NULL;
	bt_source_t *src;
	bt_report_t *r;

	write_bytes (path, msg, strlen (msg));
	src = bt_source_open (path, &error);
	assert_non_null (src);
	assert_int_equal (g_unlink (path), 0);
	assert_int_equal (g_mkdir (path, 0700), 0);
	r = bt_source_next (src, &error);
	assert_null (r);
	assert_non_null (error);
	assert_int_equal (error->code, BT_ERR_IO);
	assert_non_null (strstr (error->message, path));
	g_clear_error (&error);
	bt_source_free (src);

	assert_null (bt_parse_file (path, &error));
	assert_int_equal (error->code, BT_ERR_IO);
	g_clear_error (&error);
	g_free (msg);
	g_free (path);
}

/* ---- mail that attacks ---- */

static long
maxrss_kb (int who)
{
	struct rusage ru;

	getrusage (who, &ru);
	return ru.ru_maxrss;
}

/* 50 MB: a bounce with two recipients, then an attached original whose
 * body makes up the size.  Written in chunks: the test itself never holds
 * the message in memory, so its own peak memory measures the parser's. */
static void
write_huge (const char *path)
{
	GString *m = g_string_new (NULL);
	char line[1025];
	FILE *f = fopen (path, "wb");
	gsize written;

	assert_non_null (f);
	dsn_head (m, "Undelivered Mail Returned to Sender");
	dsn_recipient (m, "first@example.com");
	dsn_recipient (m, "second@example.com");
	g_string_append (m, "\n--B\nContent-Type: message/rfc822\n\n"
			 "From: sender@example.net\nTo: first@example.com\nSubject: big\n\n");
	assert_int_equal (fwrite (m->str, 1, m->len, f), m->len);
	written = m->len;
	memset (line, 'x', sizeof line - 1);
	line[sizeof line - 2] = '\n';
	while (written < HUGE_SIZE) {
		assert_int_equal (fwrite (line, 1, sizeof line - 1, f), sizeof line - 1);
		written += sizeof line - 1;
	}
	assert_int_equal (fputs ("\n--B--\n", f) >= 0, 1);
	assert_int_equal (fclose (f), 0);
	g_string_free (m, TRUE);
}

static void
test_huge_message (void **state)
{
	fixture_t *fx = *state;
	char *path = fx_path (fx, "huge.eml");
	GError *error = NULL;
	bt_report_t *r;
	long before, after;
	run_t run;

	write_huge (path);
	before = maxrss_kb (RUSAGE_SELF);
	r = bt_parse_file (path, &error);
	after = maxrss_kb (RUSAGE_SELF);
	assert_null (error);
	assert_non_null (r);
	assert_true (r->truncated);
	assert_int_equal (r->records->len, 2);
	assert_non_null (bt_report_find (r, "second@example.com"));
	assert_report_sane (r);
	bt_report_free (r);
	/* Under valgrind the process's size is valgrind's, not ours. */
	if (!RUNNING_ON_VALGRIND && after - before > HUGE_MAX_GROWTH_KB)
		fail_msg ("parsing a 50 MB message grew memory by %ld kB", after - before);

	/* The program says so too, and stays as small. */
	if (run_classify (&run, "--json", path, NULL)) {
		assert_clean_exit (&run, 0);
		assert_int_equal (assert_json_lines (run.out), 2);
		assert_non_null (strstr (run.out, "\"truncated\":true"));
		/* Under valgrind the child starts as a fork of valgrind's
		 * process, whose size its peak then counts. */
		if (!RUNNING_ON_VALGRIND && maxrss_kb (RUSAGE_CHILDREN) > HUGE_MAX_PROGRAM_KB)
			fail_msg ("bouncetriage classify took %ld kB for a 50 MB message",
				  maxrss_kb (RUSAGE_CHILDREN));
		run_clear (&run);
	}
	g_free (path);
}

/* 1 MB of random bytes, alone and after a plausible header. */
static void
test_random_bytes (void **state)
{
	fixture_t *fx = *state;
	char *path = fx_path (fx, "random.eml");
	GRand *rnd = g_rand_new_with_seed (20261128);
	gsize len = 1024 * 1024;
	char *data = g_malloc (len);
	run_t run;

	for (gsize i = 0; i < len; i++)
		data[i] = (char) g_rand_int_range (rnd, 0, 256);
	for (int round = 0; round < 2; round++) {
		GError *error = NULL;
		bt_report_t *r;
		if (round == 1) {
			const char *h = "From: MAILER-DAEMON@x\nContent-Type: multipart/report; boundary=\"\xff\"\n\n";
			memcpy (data, h, strlen (h));
		}
		r = bt_parse_bytes (data, len, "random", &error);
		if (r == NULL) {
			assert_non_null (error);
			g_clear_error (&error);
		} else {
			assert_null (error);
			assert_report_sane (r);
			bt_report_free (r);
		}
	}
	write_bytes (path, data, len);
	if (run_classify (&run, "--json", path, NULL)) {
		/* Not a bounce (0) or not a message (1): never a crash. */
		if (!WIFEXITED (run.status) || WEXITSTATUS (run.status) > 1)
			fail_msg ("bouncetriage on random bytes: wait status %d\n%s", run.status, run.err);
		assert_json_lines (run.out);
		run_clear (&run);
	}
	g_free (data);
	g_rand_free (rnd);
	g_free (path);
}

/* NUL bytes in header names and values, the body and the DSN fields. */
static void
test_nul_bytes (void **state)
{
	static const char msg[] =
		"From: MAILER-DAEMON@mx.example.org\n"
		"Subj\0ect: Undeliv\0ered\n"
		"X-\0: \0\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
		"\n--B\nContent-Type: text/plain\n\nText \0 with \0\0 NULs.\n"
		"\n--B\nContent-Type: message/delivery-status\n\n"
		"Reporting-MTA: dns; mx.\0example.org\n\n"
		"Final-Recipient: rfc822; nul@example.com\n"
		"Action: fai\0led\nStatus: 5.1.1\n"
		"Diagnostic-Code: smtp; 550\0 5.1.1 User\0 unknown\n"
		"\nFinal-Recipient: rfc822; \0\n"
		"\n--B--\n";
	fixture_t *fx = *state;
	char *path = fx_path (fx, "nul.eml");
	GError *error = NULL;
	bt_report_t *r = bt_parse_bytes (msg, sizeof msg - 1, "nul", &error);
	run_t run;

	assert_null (error);
	assert_non_null (r);
	assert_non_null (bt_report_find (r, "nul@example.com"));
	assert_report_sane (r);
	bt_report_free (r);

	write_bytes (path, msg, sizeof msg - 1);
	r = bt_parse_file (path, &error);
	assert_non_null (r);
	assert_non_null (bt_report_find (r, "nul@example.com"));
	bt_report_free (r);
	if (run_classify (&run, "--json", path, NULL)) {
		assert_clean_exit (&run, 0);
		assert_true (assert_json_lines (run.out) >= 1);
		assert_null (strstr (run.out, "\\u0000"));
		run_clear (&run);
	}
	g_free (path);
}

/* Bytes that are not UTF-8 in every header and every DSN field, declared
 * as UTF-8 and undeclared: everything that comes out is valid UTF-8. */
static void
test_invalid_utf8 (void **state)
{
	static const char msg[] =
		"From: \"M\xe4iler \xff\" <MAILER-DAEMON@mx.\xc3.example.org>\n"
		"To: s\xc3\x28@example.net\n"
		"Subject: =?utf-8?B?/v8=?= Undeliv\xed\xa0\x80red \xf8\x88\x80\x80\x80\n"
		"Message-ID: <\xff\xfe@mx.example.org>\n"
		"Date: Sat, 28 Nov 2026 12:00:00 +0000 \xc0\xaf\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
		"\n--B\nContent-Type: text/plain; charset=utf-8\n\nFail\xe9\xff d\n"
		"\n--B\nContent-Type: message/global-delivery-status; charset=utf-8\n\n"
		"Reporting-MTA: dns; mx.\xff.example.org\n"
		"X-\xfe\xff: \xc3\n\n"
		"Final-Recipient: rfc822; us\xe9r\xff@ex\xc3\x28mple.com\n"
		"Original-Recipient: rfc822; \xf0\x28\x8c\xbc@example.com\n"
		"Action: failed\xff\n"
		"Status: 5.1.1\xa0\n"
		"Remote-MTA: dns; \xe2\x82@mx\n"
		"Diagnostic-Code: smtp; 550 5.1.1 \xc3\xc3\xc3 \\x{D800} \\x{110000} unknown\n"
		"Last-Attempt-Date: \xff\n"
		"\n--B\nContent-Type: message/rfc822\n\n"
		"From: \xff <s@example.net>\nTo: us\xe9r@example.com\nSubject: \xfe\n"
		"Message-ID: <\x80@example.net>\n\nbody\n"
		"\n--B--\n";
	fixture_t *fx = *state;
	char *path = fx_path (fx, "bad-utf8.eml");
	GError *error = NULL;
	bt_report_t *r = bt_parse_bytes (msg, sizeof msg - 1, "bad-utf8", &error);
	run_t run;

	assert_null (error);
	assert_non_null (r);
	assert_true (r->records->len >= 1);
	assert_report_sane (r);
	bt_report_free (r);

	write_bytes (path, msg, sizeof msg - 1);
	if (run_classify (&run, "--json", path, NULL)) {
		assert_clean_exit (&run, 0);
		assert_true (assert_json_lines (run.out) >= 1);
		run_clear (&run);
	}
	/* The human-readable output too. */
	if (run_classify (&run, "--explain", path, NULL)) {
		assert_clean_exit (&run, 0);
		assert_true (g_utf8_validate (run.out, -1, NULL));
		run_clear (&run);
	}
	g_free (path);
}

/* Sequences GMime's own UTF-8 check lets through (lead bytes F5..F7, as
 * in the 5- and 6-byte forms of old UTF-8) in the raw headers of the
 * bounce and of the original, and in the delivery status. */
static void
test_utf8_beyond_unicode (void **state)
{
#define BIG "\xf5\xb2\x9a\x8c"
	static const char msg[] =
		"From: A " BIG " <mailer-daemon@mx.example.org>\n"
		"To: s\xf6\x80\x80\x80@example.net\n"
		"Subject: S " BIG "\n"
		"Date: Mon, 22 Dec 2025 09:30:11 +0000 " BIG "\n"
		"Message-ID: <" BIG "@mx.example.org>\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
		"\n--B\nContent-Type: text/plain\n\nfailed " BIG "\n"
		"\n--B\nContent-Type: message/delivery-status\n\n"
		"Reporting-MTA: dns; mx" BIG "\n\n"
		"Final-Recipient: rfc822; u" BIG "@example.com\nAction: failed\nStatus: 5.1.1\n"
		"Diagnostic-Code: smtp; 550 " BIG "\nRemote-MTA: dns; r" BIG "\n"
		"\n--B\nContent-Type: message/rfc822\n\n"
		"From: O " BIG " <o@example.net>\nTo: u" BIG "@example.com\nSubject: " BIG "\n"
		"Date: " BIG "\nMessage-ID: <" BIG "@example.net>\n\nbody\n"
		"\n--B--\n";
#undef BIG
	fixture_t *fx = *state;
	char *path = fx_path (fx, "beyond.eml");
	GError *error = NULL;
	bt_report_t *r = bt_parse_bytes (msg, sizeof msg - 1, "beyond", &error);
	run_t run;

	assert_null (error);
	assert_non_null (r);
	assert_int_equal (r->records->len, 1);
	assert_non_null (r->date);
	assert_report_sane (r);
	bt_report_free (r);

	write_bytes (path, msg, sizeof msg - 1);
	if (run_classify (&run, "--json", path, NULL)) {
		assert_clean_exit (&run, 0);
		assert_int_equal (assert_json_lines (run.out), 1);
		run_clear (&run);
	}
	g_free (path);
}

/* 1,000 multiparts inside one another, the delivery status innermost; and
 * 1,000 attached messages inside one another. */
static void
test_nested_multiparts (void **state)
{
	const guint depth = 1000;
	GString *m = g_string_new ("From: MAILER-DAEMON@mx.example.org\nMIME-Version: 1.0\n");
	GError *error = NULL;
	bt_report_t *r;

	(void) state;
	for (guint i = 0; i < depth; i++)
		g_string_append_printf (m, "Content-Type: multipart/mixed; boundary=\"b%u\"\n\n--b%u\n", i, i);
	g_string_append (m, "Content-Type: message/delivery-status\n\n"
			 "Final-Recipient: rfc822; deep@example.com\nAction: failed\nStatus: 5.1.1\n\n");
	for (guint i = depth; i-- > 0;)
		g_string_append_printf (m, "--b%u--\n", i);
	r = bt_parse_bytes (m->str, m->len, "nested", &error);
	assert_null (error);
	assert_non_null (r);
	assert_report_sane (r);
	bt_report_free (r);

	g_string_assign (m, "");
	for (guint i = 0; i < depth; i++)
		g_string_append (m, "From: a@example.com\nContent-Type: message/rfc822\n\n");
	g_string_append (m, "From: MAILER-DAEMON@x\nSubject: inner\n\nbody\n");
	r = bt_parse_bytes (m->str, m->len, "nested-messages", &error);
	assert_null (error);
	assert_non_null (r);
	assert_report_sane (r);
	bt_report_free (r);
	g_string_free (m, TRUE);
}

/* 10,000 recipients in one report: every one kept, in order. */
static void
test_many_recipients (void **state)
{
	const guint n = 10000;
	fixture_t *fx = *state;
	char *path = fx_path (fx, "many.eml");
	GString *m = g_string_new (NULL);
	GError *error = NULL;
	bt_report_t *r;
	run_t run;

	dsn_head (m, "Undelivered Mail Returned to Sender");
	for (guint i = 0; i < n; i++) {
		char addr[64];
		g_snprintf (addr, sizeof addr, "user%05u@example.com", i);
		dsn_recipient (m, addr);
	}
	g_string_append (m, "\n--B--\n");
	r = bt_parse_bytes (m->str, m->len, "many", &error);
	assert_null (error);
	assert_non_null (r);
	assert_int_equal (r->records->len, n);
	assert_string_equal (((bt_record_t *) r->records->pdata[0])->f[BT_F_RECIPIENT], "user00000@example.com");
	assert_string_equal (((bt_record_t *) r->records->pdata[n - 1])->f[BT_F_RECIPIENT], "user09999@example.com");
	assert_report_sane (r);
	bt_report_free (r);

	write_bytes (path, m->str, m->len);
	if (run_classify (&run, "--json", path, NULL)) {
		assert_clean_exit (&run, 0);
		assert_int_equal (assert_json_lines (run.out), n);
		run_clear (&run);
	}
	g_string_free (m, TRUE);
	g_free (path);
}

/* A header line of 1 MB (no folding), and a DSN field as long. */
static void
test_long_header_line (void **state)
{
	const gsize len = 1024 * 1024;
	char *big = g_malloc (len + 1);
	GString *m = g_string_new (NULL);
	GError *error = NULL;
	bt_report_t *r;
	bt_record_t *rec;

	(void) state;
	for (gsize i = 0; i < len; i++)
		big[i] = (char) ('a' + i % 26);
	big[len] = '\0';
	g_string_append_printf (m, "X-Long: %s\n", big);
	dsn_head (m, big);
	dsn_recipient (m, "long@example.com");
	g_string_append_printf (m, "X-Long-Field: %s\n", big);
	g_string_append (m, "\n--B--\n");
	r = bt_parse_bytes (m->str, m->len, "long", &error);
	assert_null (error);
	assert_non_null (r);
	rec = bt_report_find (r, "long@example.com");
	assert_non_null (rec);
	assert_non_null (r->subject);
	assert_true (strlen (r->subject) <= len);
	assert_report_sane (r);
	bt_report_free (r);
	g_string_free (m, TRUE);
	g_free (big);
}

static int
load_kb (void **state)
{
	const char *env = g_getenv ("BOUNCETRIAGE_DATADIR");
	char *dir = g_build_filename (env && *env ? env : BT_SRCDIR, "kb", NULL);

	(void) state;
	kb = bt_kb_new ();
	bt_kb_load_dir (kb, dir, NULL, NULL);
	g_free (dir);
	return 0;
}

static int
free_kb (void **state)
{
	(void) state;
	bt_kb_free (kb);
	return 0;
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown (test_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown (test_vanished, setup, teardown),
		cmocka_unit_test_setup_teardown (test_replaced_by_directory, setup, teardown),
		cmocka_unit_test_setup_teardown (test_huge_message, setup, teardown),
		cmocka_unit_test_setup_teardown (test_random_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown (test_nul_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown (test_invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown (test_utf8_beyond_unicode, setup, teardown),
		cmocka_unit_test_setup_teardown (test_nested_multiparts, setup, teardown),
		cmocka_unit_test_setup_teardown (test_many_recipients, setup, teardown),
		cmocka_unit_test_setup_teardown (test_long_header_line, setup, teardown),
	};

	bt_parse_init ();
	return cmocka_run_group_tests_name ("faults", tests, load_kb, free_kb);
}
