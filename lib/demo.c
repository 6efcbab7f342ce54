/* demo.c: a notmuch database built from a folder of .eml files, through
 * libnotmuch alone (no notmuch command needed), for --demo, the tests and
 * the benchmarks. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <notmuch.h>
#include "bouncetriage/demo.h"

static const char *const demo_tags[] = { "new", "inbox", "unread" };

static bt_status_t
demo_db_error (GError **error, notmuch_status_t st, const char *what, char *msg)
{
	bt_status_t status = bt_error_set (error, BT_ERR_DB, "%s: %s%s%s", what,
					   notmuch_status_to_string (st),
					   msg ? ": " : "", msg ? msg : "");
	free (msg);
	return status;
}

/* Copy src into root/mail/cur under a unique maildir name; *dest_out gets
 * the new path. */
static bt_status_t
demo_copy (const char *root, const char *src, char **dest_out, GError **error)
{
	static guint serial;
	char *data = NULL, *base, *name, *dest;
	gsize len;
	GError *e = NULL;
	bt_status_t status = BT_OK;

	if (!g_file_get_contents (src, &data, &len, &e)) {
		status = bt_error_set (error, BT_ERR_IO, "%s", e->message);
		g_error_free (e);
		return status;
	}
	base = g_path_get_basename (src);
	/* Maildir names: unique part, then ":2," and the flags (none: unread). */
	name = g_strdup_printf ("%" G_GINT64_FORMAT ".%u_%u.%s:2,", g_get_real_time (),
				(unsigned) getpid (), ++serial, base);
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	dest = g_build_filename (root, "mail", "cur", name, NULL);
	if (!g_file_set_contents (dest, data, (gssize) len, &e)) {
		status = bt_error_set (error, BT_ERR_IO, "%s", e->message);
		g_error_free (e);
		g_free (dest);
	} else
		*dest_out = dest;
	g_free (name);
	g_free (base);
	g_free (data);
	return status;
}

/* Index path and give it the tags notmuch new would. */
static bt_status_t
demo_index (notmuch_database_t *db, const char *path, char **id_out, GError **error)
{
	notmuch_message_t *msg = NULL;
	notmuch_status_t st = notmuch_database_index_file (db, path, NULL, &msg);

	if (st == NOTMUCH_STATUS_FILE_NOT_EMAIL)
		return BT_ERR_PARSE;
	if (st != NOTMUCH_STATUS_SUCCESS && st != NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID)
		return demo_db_error (error, st, path, NULL);
	notmuch_message_freeze (msg);
	for (guint i = 0; i < G_N_ELEMENTS (demo_tags); i++)
		notmuch_message_add_tag (msg, demo_tags[i]);
	notmuch_message_thaw (msg);
	if (id_out)
		*id_out = g_strdup (notmuch_message_get_message_id (msg));
	notmuch_message_destroy (msg);
	return BT_OK;
}

static int
name_cmp (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

bt_status_t
bt_demo_create (const char *messages_dir, const char *root, char **config_path_out,
		GError **error)
{
	static const char *const sub[] = { "cur", "new", "tmp" };
	char *mail = g_build_filename (root, "mail", NULL);
	char *config = g_build_filename (root, "notmuch-config", NULL);
	char *text = NULL, *msg = NULL;
	GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
	notmuch_database_t *db = NULL;
	notmuch_status_t st;
	GDir *dir = NULL;
	GError *e = NULL;
	bt_status_t status = BT_OK;
	const char *n;

	dir = g_dir_open (messages_dir, 0, &e);
	if (dir == NULL) {
		status = bt_error_set (error, BT_ERR_IO, "%s", e->message);
		g_error_free (e);
		goto done;
	}
	while ((n = g_dir_read_name (dir)) != NULL)
		if (g_str_has_suffix (n, ".eml"))
			g_ptr_array_add (names, g_build_filename (messages_dir, n, NULL));
	g_ptr_array_sort (names, name_cmp);
	for (guint i = 0; i < G_N_ELEMENTS (sub); i++) {
		char *d = g_build_filename (mail, sub[i], NULL);
		int r = g_mkdir_with_parents (d, 0700);
		g_free (d);
		if (r != 0) {
			status = bt_error_set (error, BT_ERR_IO, "%s: %s", mail, g_strerror (errno));
			goto done;
		}
	}
	text = g_strdup_printf ("# notmuch configuration of a bouncetriage demo store\n"
				"[database]\npath=%s\n\n"
				"[user]\nname=Demo User\nprimary_email=demo@example.org\n\n"
				"[new]\ntags=new;inbox;unread;\nignore=\n\n"
				"[search]\nexclude_tags=deleted;spam;\n\n"
				"[maildir]\nsynchronize_flags=true\n", mail);
	if (!g_file_set_contents (config, text, -1, &e)) {
		status = bt_error_set (error, BT_ERR_IO, "%s", e->message);
		g_error_free (e);
		goto done;
	}
	st = notmuch_database_create_with_config (NULL, config, NULL, &db, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		status = demo_db_error (error, st, mail, msg);
		goto done;
	}
	st = notmuch_database_begin_atomic (db);
	for (guint i = 0; i < names->len && status == BT_OK; i++) {
		char *dest = NULL;
		status = demo_copy (root, names->pdata[i], &dest, error);
		if (status == BT_OK) {
			status = demo_index (db, dest, NULL, error);
			if (status == BT_ERR_PARSE) {
				/* Not mail: skip it, as notmuch new would. */
				g_unlink (dest);
				status = BT_OK;
			}
		}
		g_free (dest);
	}
	if (st == NOTMUCH_STATUS_SUCCESS)
		notmuch_database_end_atomic (db);
done:
	if (db) {
		notmuch_database_close (db);
		notmuch_database_destroy (db);
	}
	if (dir)
		g_dir_close (dir);
	if (status == BT_OK && config_path_out)
		*config_path_out = g_strdup (config);
	g_ptr_array_unref (names);
	g_free (text);
	g_free (config);
	g_free (mail);
	return status;
}

bt_status_t
bt_demo_add (const char *root, const char *message_file, char **message_id_out, GError **error)
{
	char *config = g_build_filename (root, "notmuch-config", NULL);
	char *dest = NULL, *msg = NULL;
	notmuch_database_t *db = NULL;
	notmuch_status_t st;
	bt_status_t status;

	st = notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_WRITE, config,
						NULL, &db, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		status = demo_db_error (error, st, config, msg);
		goto done;
	}
	status = demo_copy (root, message_file, &dest, error);
	if (status == BT_OK) {
		status = demo_index (db, dest, message_id_out, error);
		if (status == BT_ERR_PARSE)
			bt_error_set (error, BT_ERR_PARSE, "%s: not a mail message", message_file);
	}
done:
	if (db) {
		notmuch_database_close (db);
		notmuch_database_destroy (db);
	}
	g_free (dest);
	g_free (config);
	return status;
}

static void
demo_rmtree (const char *path)
{
	GDir *dir;
	const char *n;

	if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK)) {
		dir = g_dir_open (path, 0, NULL);
		while (dir && (n = g_dir_read_name (dir)) != NULL) {
			char *child = g_build_filename (path, n, NULL);
			demo_rmtree (child);
			g_free (child);
		}
		if (dir)
			g_dir_close (dir);
		g_rmdir (path);
	} else
		g_unlink (path);
}

void
bt_demo_remove (const char *root)
{
	if (root == NULL || *root == '\0' || strcmp (root, "/") == 0)
		return;
	demo_rmtree (root);
}
