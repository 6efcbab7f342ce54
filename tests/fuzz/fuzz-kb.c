/* fuzz-kb.c: bytes written to a temporary file -> bt_kb_load_file, then
 * the loader's promises and a round of matching on what was loaded. */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include "bouncetriage/kb.h"
#include "bouncetriage/reason.h"
#include "fuzz.h"

static char *fuzz_path;

static void
fuzz_kb_cleanup (void)
{
	if (fuzz_path)
		unlink (fuzz_path);
	g_free (fuzz_path);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
	GError *error = NULL;
	int fd = g_file_open_tmp ("bt-fuzz-XXXXXX.kb", &fuzz_path, &error);

	(void) argc;
	(void) argv;
	/* A GLib or GMime critical is a programming error that hostile input
	 * reached: as fatal as a crash. */
	g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	if (fd < 0) {
		fprintf (stderr, "fuzz-kb: %s\n", error->message);
		exit (1);
	}
	close (fd);
	atexit (fuzz_kb_cleanup);
	return 0;
}

static const char *const fuzz_texts[] = {
	"550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown",
	"452 4.2.2 Mailbox full, quota exceeded",
	"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
	"Connection timed out",
	"",
};

static void
fuzz_kb_check (const bt_kb_t *kb)
{
	bt_kb_hit_t hits[8];
	const char *digest = bt_kb_digest (kb);

	BT_FUZZ_CHECK (digest != NULL && strlen (digest) > 0);
	for (guint i = 0; i < bt_kb_count (kb); i++) {
		const bt_kb_entry_t *e = bt_kb_entry_at (kb, i);
		const char *id = bt_kb_entry_id (e);
		BT_FUZZ_CHECK (id != NULL && g_utf8_validate (id, -1, NULL));
		BT_FUZZ_CHECK (bt_kb_get (kb, id) == e);
		BT_FUZZ_CHECK (bt_reason_lookup (bt_kb_entry_reason (e)) != NULL);
		BT_FUZZ_CHECK (bt_kb_entry_file (e) != NULL);
		(void) bt_kb_entry_title (e);
		(void) bt_kb_entry_tags (e);
		(void) bt_kb_entry_hard (e);
		(void) bt_kb_entry_priority (e);
	}
	for (size_t t = 0; t < G_N_ELEMENTS (fuzz_texts); t++) {
		guint n = bt_kb_match_text (kb, fuzz_texts[t], -1, hits, G_N_ELEMENTS (hits));
		BT_FUZZ_CHECK (n <= G_N_ELEMENTS (hits));
		for (guint i = 0; i < n; i++) {
			BT_FUZZ_CHECK (hits[i].entry != NULL && hits[i].pattern != NULL);
			BT_FUZZ_CHECK (hits[i].start <= hits[i].end);
			BT_FUZZ_CHECK (hits[i].end <= strlen (fuzz_texts[t]));
		}
	}
	(void) bt_kb_match_status (kb, "5.1.1", NULL);
	(void) bt_kb_match_status (kb, "4.7.0", NULL);
	(void) bt_kb_match_replycode (kb, "550");
	(void) bt_kb_status_meaning (kb, "5.1.1");
	(void) bt_kb_reply_meaning (kb, "421");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	FILE *f = fopen (fuzz_path, "wb");
	bt_kb_t *kb = bt_kb_new ();
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	GError *error = NULL;
	bt_status_t st;
	guint count;

	BT_FUZZ_CHECK (f != NULL);
	BT_FUZZ_CHECK (fwrite (data, 1, size, f) == size);
	BT_FUZZ_CHECK (fclose (f) == 0);

	st = bt_kb_load_file (kb, fuzz_path, problems, &error);
	BT_FUZZ_CHECK (st == BT_OK || st == BT_ERR_PARSE || st == BT_ERR_IO);
	BT_FUZZ_CHECK ((error != NULL) == (st == BT_ERR_IO));
	g_clear_error (&error);
	if (st == BT_ERR_PARSE) {
		/* A file with problems loads nothing, and says where. */
		BT_FUZZ_CHECK (problems->len > 0);
		BT_FUZZ_CHECK (bt_kb_count (kb) == 0);
	}
	for (guint i = 0; i < problems->len; i++) {
		const char *p = problems->pdata[i];
		BT_FUZZ_CHECK (g_str_has_prefix (p, fuzz_path));
		BT_FUZZ_CHECK (g_utf8_validate (p, -1, NULL));
	}
	if (st == BT_OK) {
		BT_FUZZ_CHECK (problems->len == 0);
		fuzz_kb_check (kb);
		/* Loading the same file again replaces every entry by id. */
		count = bt_kb_count (kb);
		BT_FUZZ_CHECK (bt_kb_load_file (kb, fuzz_path, NULL, NULL) == BT_OK);
		BT_FUZZ_CHECK (bt_kb_count (kb) == count);
	}
	g_ptr_array_free (problems, TRUE);
	bt_kb_free (kb);
	return 0;
}
