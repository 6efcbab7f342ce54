/* fuzz-keymap.c: keymap text -> bt_keymap_load_string (tui/keymap.c), then
 * the keymap's promises: every binding's key has a name that parses back
 * to it, lookups find what was bound, problems name the file and line.
 *
 * `source FILE` must not reach the real file system from a fuzzer (it
 * would read /dev/zero or wait on a terminal): this file defines
 * g_file_get_contents, which the program's own calls resolve to before
 * GLib's.  Every sourced path reads as a small fixed keymap, except
 * names holding "missing", which do not exist. */
#include "config.h"

#include <string.h>
#include "fuzz.h"
#include "keymap.h"

static const char *const fuzz_contexts[] = { "global", "list", "group", "pager", NULL };
static const char fuzz_sourced[] =
	"bind list x tag bounce/checked\n"
	"unbind global q\n"
	"bind pager <PageDown> down\n";

gboolean
g_file_get_contents (const gchar *filename, gchar **contents, gsize *length, GError **error)
{
	if (strstr (filename, "missing") != NULL) {
		/* As GLib's own: the name shown in valid UTF-8. */
		char *shown = g_filename_display_name (filename);
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
			     "Failed to open file “%s”: No such file or directory", shown);
		g_free (shown);
		return FALSE;
	}
	*contents = g_strdup (fuzz_sourced);
	if (length)
		*length = sizeof fuzz_sourced - 1;
	return TRUE;
}

/* Actions the checker knows, with how many arguments each takes. */
static const struct {
	const char *name;
	int min, max;
} fuzz_actions[] = {
	{ "down", 0, 0 }, { "up", 0, 0 }, { "quit", 0, 0 }, { "help", 0, 0 },
	{ "tag", 1, 8 }, { "search", 0, 1 }, { "page-down", 0, 0 },
};

static bool
fuzz_check (const char *context, const char *action, int argc, char **args, char **why, void *data)
{
	(void) data;
	BT_FUZZ_CHECK (context != NULL && action != NULL);
	BT_FUZZ_CHECK (argc >= 0);
	for (int i = 0; i < argc; i++)
		BT_FUZZ_CHECK (args[i] != NULL);
	for (size_t i = 0; i < G_N_ELEMENTS (fuzz_actions); i++) {
		if (strcmp (fuzz_actions[i].name, action) != 0)
			continue;
		if (argc < fuzz_actions[i].min || argc > fuzz_actions[i].max) {
			*why = g_strdup_printf ("%s takes %d to %d arguments", action,
						fuzz_actions[i].min, fuzz_actions[i].max);
			return false;
		}
		return true;
	}
	*why = g_strdup_printf ("unknown action '%s'", action);
	return false;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	/* A GLib critical is a programming error that input reached. */
	g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	return 0;
}

static void
fuzz_keymap_check (const bt_keymap_t *km)
{
	for (const char *const *ctx = bt_keymap_contexts (km); *ctx; ctx++) {
		const GPtrArray *bs = bt_keymap_bindings (km, *ctx);
		BT_FUZZ_CHECK (bs != NULL);
		for (guint i = 0; i < bs->len; i++) {
			const bt_binding_t *b = bs->pdata[i];
			bt_key_t key = bt_binding_key (b);
			char *name = bt_key_name (key);
			const bt_binding_t *found = bt_keymap_lookup (km, *ctx, key);
			BT_FUZZ_CHECK (key != BT_KEY_NONE);
			BT_FUZZ_CHECK (g_utf8_validate (name, -1, NULL));
			/* `bouncetriage keys` prints this name; a user copies it
			 * into a keymap, where it must mean the same key. */
			BT_FUZZ_CHECK (bt_key_parse (name) == key);
			BT_FUZZ_CHECK (found != NULL && bt_binding_key (found) == key);
			BT_FUZZ_CHECK (strcmp (bt_binding_context (b), *ctx) == 0);
			BT_FUZZ_CHECK (bt_binding_action (b) != NULL);
			BT_FUZZ_CHECK (bt_binding_argc (b) >= 0);
			for (int a = 0; a < bt_binding_argc (b); a++)
				BT_FUZZ_CHECK (bt_binding_args (b)[a] != NULL);
			g_free (name);
		}
	}
	BT_FUZZ_CHECK (bt_keymap_bindings (km, "no-such-context") == NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	const char *name = "/fuzz/keys";
	bt_keymap_t *km = bt_keymap_new (fuzz_contexts, fuzz_check, NULL);
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	bt_status_t st;

	st = bt_keymap_load_string (km, (const char *) data, (gssize) size, name, problems);
	BT_FUZZ_CHECK (st == BT_OK || st == BT_ERR_PARSE);
	BT_FUZZ_CHECK ((st == BT_OK) == (problems->len == 0));
	for (guint i = 0; i < problems->len; i++) {
		const char *p = problems->pdata[i];
		BT_FUZZ_CHECK (g_utf8_validate (p, -1, NULL));
		/* Names the file: ours, or a sourced one that is missing
		 * (which may be anywhere, "~/..." included). */
		BT_FUZZ_CHECK (strstr (p, "/fuzz/") != NULL || strstr (p, "missing") != NULL);
	}
	fuzz_keymap_check (km);
	/* Every key name the input could hold parses without harm; a line
	 * holds at most a few. */
	if (size < 64) {
		char *s = g_strndup ((const char *) data, size);
		bt_key_t k = bt_key_parse (s);
		if (k != BT_KEY_NONE) {
			char *n = bt_key_name (k);
			BT_FUZZ_CHECK (bt_key_parse (n) == k);
			g_free (n);
		}
		g_free (s);
	}
	g_ptr_array_free (problems, TRUE);
	bt_keymap_free (km);
	return 0;
}
