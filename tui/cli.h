/* cli.h: the program's command table and what commands share.
 *
 * Each subcommand is one function `int cmd_NAME (int argc, char **argv)`
 * returning the exit status (0 ok, 1 failure, 2 usage).  The table in
 * main.c names them; --help is generated from it. */
#ifndef BT_CLI_H
#define BT_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "bouncetriage/kb.h"

typedef struct {
	const char *name;
	int (*run) (int argc, char **argv);
	const char *args;
	const char *help;
} bt_command_t;

extern const bt_command_t bt_commands[];

/* A data folder (kb, keymaps, demo...) of the installed program: the
 * BOUNCETRIAGE_DATADIR override, the installed data folder, or the source
 * tree of an uninstalled build.  Returns a g_malloc'd path. */
char *bt_cli_data_path (const char *sub);

/* $XDG_CONFIG_HOME/bouncetriage/SUB (g_free). */
char *bt_cli_config_path (const char *sub);

/* $XDG_STATE_HOME/bouncetriage/SUB, $XDG_CACHE_HOME/bouncetriage/SUB, or
 * their defaults under the home folder (g_free; sub NULL: the folder). */
char *bt_cli_state_path (const char *sub);
char *bt_cli_cache_path (const char *sub);

/* The knowledge base: system files, then the user's.  On problems prints
 * each "FILE:LINE: message" to stderr and returns NULL. */
bt_kb_t *bt_cli_kb_load (void);

/* Print "bouncetriage: message" to stderr. */
void bt_cli_error (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

/* Usage error: message and exit status 2. */
int bt_cli_usage (const char *cmd, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

int cmd_tui (int argc, char **argv);
int cmd_classify (int argc, char **argv);
int cmd_kb (int argc, char **argv);
int cmd_keys (int argc, char **argv);
int cmd_scan (int argc, char **argv);
int cmd_tag (int argc, char **argv);
int cmd_undo (int argc, char **argv);
int cmd_suppressions (int argc, char **argv);
int cmd_reactivate (int argc, char **argv);
int cmd_config (int argc, char **argv);

#endif
