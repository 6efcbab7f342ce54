/* replay.c: a fuzz target without the fuzzer, for `make check`.
 *
 * Linked with one target file (fuzz-parse.c, fuzz-kb.c...), it feeds every
 * kept regression input, tests/fuzz/regressions/TARGET/, and the target's
 * seed corpus through LLVMFuzzerTestOneInput, one cmocka test per file: a
 * crash or broken invariant found once by a fuzzer stays fixed.
 *
 *   tests/fuzz/replay-parse [FILE...]   replay the given files instead
 *
 * BT_FUZZ_TARGET names the target; BT_FUZZ_SEEDS is its seed corpus:
 * BT_FUZZ_SEED_DIR (relative to $BT_SRCDIR), the files ending in
 * BT_FUZZ_SEED_SUFFIX. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <glib.h>
#include <cmocka.h>
#include "fuzz.h"

/* Targets that need no set-up do not define it. */
__attribute__ ((weak)) int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	return 0;
}

/* The whole file, read with stdio: a target may define its own
 * g_file_get_contents (fuzz-keymap.c does). */
static bool
replay_read (const char *path, GByteArray *buf)
{
	FILE *f = fopen (path, "rb");
	guint8 chunk[65536];
	size_t got;

	if (f == NULL)
		return false;
	while ((got = fread (chunk, 1, sizeof chunk, f)) > 0)
		g_byte_array_append (buf, chunk, (guint) got);
	if (ferror (f)) {
		fclose (f);
		return false;
	}
	fclose (f);
	return true;
}

static void
replay_one (void **state)
{
	const char *path = *state;
	GByteArray *buf = g_byte_array_new ();
	uint8_t *exact;

	if (!replay_read (path, buf))
		fail_msg ("%s: cannot read", path);
	/* libFuzzer hands over exactly len bytes; a copy of that size lets
	 * ASan see any read past the end. */
	exact = g_malloc (buf->len ? buf->len : 1);
	if (buf->len > 0)
		memcpy (exact, buf->data, buf->len);
	assert_int_equal (LLVMFuzzerTestOneInput (exact, buf->len), 0);
	g_free (exact);
	g_byte_array_free (buf, TRUE);
}

/* Append the files of dir whose name ends in suffix ("" for all). */
static void
replay_collect (GPtrArray *paths, const char *dir, const char *suffix)
{
	GDir *d = g_dir_open (dir, 0, NULL);
	const char *name;

	if (d == NULL)
		return;
	while ((name = g_dir_read_name (d)) != NULL) {
		if (name[0] == '.' || !g_str_has_suffix (name, suffix))
			continue;
		if (strcmp (name, "README") == 0 || g_str_has_suffix (name, ".md"))
			continue;
		g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
	}
	g_dir_close (d);
}

static gint
replay_cmp (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

int
main (int argc, char **argv)
{
	const char *env = g_getenv ("BT_SRCDIR");
	const char *src = env && *env ? env : BT_SRCDIR;
	GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
	struct CMUnitTest *tests;
	int failed;

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			g_ptr_array_add (paths, g_strdup (argv[i]));
	} else {
		char *regs = g_build_filename (src, "tests", "fuzz", "regressions", BT_FUZZ_TARGET, NULL);
		char *seeds = g_build_filename (src, BT_FUZZ_SEED_DIR, NULL);
		guint n;
		replay_collect (paths, regs, "");
		n = paths->len;
		replay_collect (paths, seeds, BT_FUZZ_SEED_SUFFIX);
		g_ptr_array_sort (paths, replay_cmp);
		printf ("replay-%s: %u regression inputs, %u seeds\n", BT_FUZZ_TARGET, n, paths->len - n);
		g_free (regs);
		g_free (seeds);
	}
	if (paths->len == 0) {
		printf ("replay-%s: nothing to replay\n", BT_FUZZ_TARGET);
		g_ptr_array_free (paths, TRUE);
		return 77;
	}
	LLVMFuzzerInitialize (&argc, &argv);
	tests = g_new0 (struct CMUnitTest, paths->len);
	for (guint i = 0; i < paths->len; i++) {
		tests[i].name = paths->pdata[i];
		tests[i].test_func = replay_one;
		tests[i].initial_state = paths->pdata[i];
	}
	failed = _cmocka_run_group_tests ("replay-" BT_FUZZ_TARGET, tests, paths->len, NULL, NULL);
	g_free (tests);
	g_ptr_array_free (paths, TRUE);
	return failed ? 1 : 0;
}
