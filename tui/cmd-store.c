/* cmd-store.c: the commands that work on the notmuch database.
 * Placeholder until the store (lib/store.c) lands: each says so. */
#include "config.h"

#include "cli.h"

static int
store_pending (const char *name)
{
	bt_cli_error ("%s: the notmuch store is not built yet", name);
	return 1;
}

int cmd_scan (int argc, char **argv) { (void) argc; (void) argv; return store_pending ("scan"); }
int cmd_tag (int argc, char **argv) { (void) argc; (void) argv; return store_pending ("tag"); }
int cmd_undo (int argc, char **argv) { (void) argc; (void) argv; return store_pending ("undo"); }
int cmd_suppressions (int argc, char **argv) { (void) argc; (void) argv; return store_pending ("suppressions"); }
int cmd_reactivate (int argc, char **argv) { (void) argc; (void) argv; return store_pending ("reactivate"); }
int cmd_config (int argc, char **argv) { (void) argc; (void) argv; return store_pending ("config"); }
