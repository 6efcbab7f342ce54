/* demo.h: a temporary notmuch database built from a folder of messages,
 * for `bouncetriage --demo`, the tests and the benchmarks. */
#ifndef BT_DEMO_H
#define BT_DEMO_H

#include <glib.h>
#include "bouncetriage/error.h"

/* Copy every regular file of messages_dir whose name ends in .eml into the
 * maildir root/mail/cur (as maildir files, flag "S" seen), write a notmuch
 * configuration root/notmuch-config (database.path root/mail,
 * new.tags "new", maildir.synchronize_flags true), create the database
 * with notmuch_database_create_with_config and index every file
 * (notmuch_database_index_file), tagging each "new" and "inbox".  root
 * must exist (e.g. from g_dir_make_tmp) and be empty.  On success
 * *config_path_out (if non-NULL) gets the configuration's path (g_free):
 * pass it as bt_store_options_t.notmuch_config.  A file that is not mail
 * is skipped.  BT_ERR_IO / BT_ERR_DB with *error otherwise. */
bt_status_t bt_demo_create (const char *messages_dir, const char *root,
			    char **config_path_out, GError **error);

/* Index one more message file into the demo database at root (copied into
 * the maildir, tagged "new" and "inbox"): tests use it as "new mail
 * arrives".  The message id is returned in *message_id_out (if non-NULL,
 * g_free). */
bt_status_t bt_demo_add (const char *root, const char *message_file,
			 char **message_id_out, GError **error);

/* Remove root and everything under it (for tests; refuses "/" and ""). */
void bt_demo_remove (const char *root);

#endif
