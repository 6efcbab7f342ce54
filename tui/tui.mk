# tui/tui.mk: the program.
bin_PROGRAMS += tui/bouncetriage
tui_bouncetriage_SOURCES = \
	tui/cli.c tui/cli.h \
	tui/main.c \
	tui/cmd-classify.c \
	tui/cmd-kb.c \
	tui/cmd-store.c \
	tui/tui.c
tui_bouncetriage_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
tui_bouncetriage_LDADD = $(CORE_LIBS) $(NCURSES_LIBS)
