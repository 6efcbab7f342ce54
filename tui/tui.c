/* tui.c: the full-screen triage view.  Placeholder until it lands. */
#include "config.h"

#include "cli.h"

int
cmd_tui (int argc, char **argv)
{
	(void) argc;
	(void) argv;
	bt_cli_error ("the triage screen is not built yet; try 'bouncetriage classify'");
	return 1;
}

int
cmd_keys (int argc, char **argv)
{
	(void) argc;
	(void) argv;
	bt_cli_error ("keys: the key bindings are not built yet");
	return 1;
}
