/* fuzz-parse.c: raw message bytes -> bt_parse_bytes -> bt_classify_report
 * with the real knowledge base (kb/ of the source tree, or
 * $BOUNCETRIAGE_DATADIR/kb), then the report's invariants. */
#include "config.h"

#include <string.h>
#include "bouncetriage/classify.h"
#include "bouncetriage/kb.h"
#include "bouncetriage/parse.h"
#include "bouncetriage/reason.h"
#include "fuzz.h"

static bt_kb_t *fuzz_kb;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
	const char *env = getenv ("BOUNCETRIAGE_DATADIR");
	char *dir = g_build_filename (env && *env ? env : BT_SRCDIR, "kb", NULL);
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	GError *error = NULL;

	(void) argc;
	(void) argv;
	/* A GLib or GMime critical is a programming error that hostile input
	 * reached: as fatal as a crash. */
	g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	bt_parse_init ();
	fuzz_kb = bt_kb_new ();
	/* The shipped knowledge base must load cleanly; if it does not, the
	 * fuzzer would exercise a classifier nobody runs. */
	if (bt_kb_load_dir (fuzz_kb, dir, problems, &error) != BT_OK) {
		for (guint i = 0; i < problems->len; i++)
			fprintf (stderr, "%s\n", (char *) problems->pdata[i]);
		fprintf (stderr, "fuzz-parse: cannot load %s: %s\n", dir,
			 error ? error->message : "problems above");
		exit (1);
	}
	g_ptr_array_free (problems, TRUE);
	g_free (dir);
	return 0;
}

/* NULL, or non-empty valid UTF-8. */
static void
check_string (const char *s)
{
	if (s == NULL)
		return;
	BT_FUZZ_CHECK (*s != '\0');
	BT_FUZZ_CHECK (g_utf8_validate (s, -1, NULL));
}

static void
check_record (const bt_report_t *r, const bt_record_t *rec)
{
	for (int f = 0; f < BT_F_COUNT; f++) {
		check_string (rec->f[f]);
		/* Fields are one line each (bt_record_set unfolds them);
		 * extensions alone are "Name: value" lines. */
		if (rec->f[f] && f != BT_F_EXTENSIONS)
			BT_FUZZ_CHECK (strpbrk (rec->f[f], "\n\r") == NULL);
	}
	BT_FUZZ_CHECK (rec->f[BT_F_RECIPIENT] != NULL);
	BT_FUZZ_CHECK (rec->reason != NULL);
	BT_FUZZ_CHECK (bt_reason_lookup (rec->reason) != NULL);
	BT_FUZZ_CHECK (rec->kb == NULL || bt_kb_get (fuzz_kb, rec->kb) != NULL);
	check_string (rec->evidence);
	BT_FUZZ_CHECK (bt_report_find (r, rec->f[BT_F_RECIPIENT]) != NULL);
	BT_FUZZ_CHECK (strcmp (bt_lane_name (bt_record_lane (rec)), "none") != 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	GError *error = NULL;
	bt_report_t *r = bt_parse_bytes ((const char *) data, size, "fuzz", &error);
	GString *why;

	if (r == NULL) {
		BT_FUZZ_CHECK (error != NULL);
		g_error_free (error);
		return 0;
	}
	BT_FUZZ_CHECK (error == NULL);
	BT_FUZZ_CHECK (r->records != NULL);
	check_string (r->engine);
	check_string (r->message_id);
	check_string (r->date);
	check_string (r->from);
	check_string (r->subject);
	check_string (r->orig_message_id);
	check_string (r->orig_from);
	check_string (r->orig_to);
	check_string (r->orig_subject);
	check_string (r->orig_date);
	BT_FUZZ_CHECK (r->records->len == 0 || r->engine != NULL);

	bt_classify_report (fuzz_kb, r);
	why = g_string_new (NULL);
	for (guint i = 0; i < r->records->len; i++) {
		check_record (r, r->records->pdata[i]);
		g_string_truncate (why, 0);
		bt_classify_explain (fuzz_kb, r->records->pdata[i], why);
		BT_FUZZ_CHECK (g_utf8_validate (why->str, (gssize) why->len, NULL));
	}
	BT_FUZZ_CHECK ((r->records->len == 0) == (bt_report_lane (r) == BT_LANE_NONE));
	g_string_free (why, TRUE);
	bt_report_free (r);
	return 0;
}
