/* cmd-store.h: what the commands on the notmuch database share (scan,
 * suppressions in cmd-scan.c; tag, undo, reactivate in cmd-tag.c; config
 * in cmd-config.c): their options and a session with the store. */
#ifndef BT_CMD_STORE_H
#define BT_CMD_STORE_H

#include <stdbool.h>
#include <glib.h>
#include "bouncetriage/settings.h"
#include "bouncetriage/store.h"

/* What every store command parses. */
typedef struct {
	const char *cmd;
	const char *config;      /* --config FILE (notmuch) */
	bool json, dry_run, csv, new_mail, man;
	GPtrArray *args;         /* the rest, borrowed from argv; g_ptr_array_unref */
} store_opts_t;

/* Everything a command holds while it runs; closed by store_cli_close. */
typedef struct {
	bt_kb_t *kb;
	bt_settings_t *settings;
	bt_store_t *store;
	char *journal;
} store_cli_t;

/* -1 when the options are fine, else the exit status (--help printed, or
 * a usage error).  o->args is set either way. */
int store_cli_parse_opts (int argc, char **argv, store_opts_t *o);

/* The settings file (bt_settings_free); a bad setting is reported and
 * keeps its default, a file that cannot be read gives NULL. */
bt_settings_t *store_cli_settings (void);

/* Settings, knowledge base and store; false (reported) when one fails.
 * Call store_cli_close either way. */
bool store_cli_open (store_cli_t *c, const store_opts_t *o);
/* Waits for queued writes, then frees all of c. */
void store_cli_close (store_cli_t *c);

/* Wait for write id; print done, or report why it failed. */
bool store_cli_wait (store_cli_t *c, guint id, const char *done);

/* The arguments as one notmuch query, or NULL when none (g_free). */
char *store_cli_query (const store_opts_t *o);

/* Report *e and clear it; returns 1 (the exit status of a failure). */
int store_cli_fail (GError **e);

/* Run query; fn gets every bounce (and frees it or keeps it).  Returns
 * -1 on a bad query, 1 when a message could not be read, else 0 (each
 * reported); *stats (NULL: not wanted) is set unless -1. */
typedef void (*store_cli_bounce_fn) (bt_bounce_t *b, gpointer data);
int store_cli_scan (store_cli_t *c, const char *query, store_cli_bounce_fn fn, gpointer data,
		    bt_scan_stats_t *stats);

/* Mail-derived text for a terminal: control characters become '?'. */
void store_cli_put_safe (GString *out, const char *s);

#endif
