# tui.mk: the program.  One concept per file: see each file's first comment.
bin_PROGRAMS += tui/bouncetriage
tui_bouncetriage_SOURCES = \
	tui/cli.c tui/cli.h \
	tui/main.c \
	tui/cmd-classify.c \
	tui/jsonl.c tui/jsonl.h \
	tui/cmd-kb.c \
	tui/cmd-store.c tui/cmd-store.h \
	tui/cmd-scan.c \
	tui/cmd-tag.c \
	tui/cmd-config.c \
	tui/tui.c tui/tui.h \
	tui/state.c \
	$(TUI_CORE_SOURCES) \
	tui/keys.c tui/keys.h \
	tui/actions.c tui/actions.h tui/act.h \
	tui/act-move.c tui/act-view.c tui/act-tag.c tui/act-limit.c \
	tui/draw.c tui/pane.c tui/status.c \
	tui/group.c \
	tui/prompt.c \
	tui/screen.c tui/screen.h \
	tui/list.c tui/list.h \
	tui/feed-store.c
tui_bouncetriage_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
tui_bouncetriage_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tui
tui_bouncetriage_LDADD = $(CORE_LIBS) $(NCURSES_LIBS) $(JEMALLOC_LIBS)

# What tests link without curses: sanitiser, keymap, clipboard, export, files feed.
TUI_CORE_SOURCES = \
	tui/sanitize.c tui/sanitize.h \
	tui/keymap.c tui/keymap.h \
	tui/clipboard.c tui/clipboard.h \
	tui/export.c tui/export.h \
	tui/feed.h tui/feed-files.c

# The built-in bindings are keymaps/default.keys, compiled in as a string
# and parsed at start-up by the same parser as the user's file.
nodist_tui_bouncetriage_SOURCES = tui/default-keys.inc
tui/bouncetriage-keys.$(OBJEXT): tui/default-keys.inc
CLEANFILES += tui/default-keys.inc
tui/default-keys.inc: $(top_srcdir)/keymaps/default.keys
	$(AM_V_GEN)$(MKDIR_P) tui && \
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $(top_srcdir)/keymaps/default.keys > $@.tmp && \
	mv $@.tmp $@
