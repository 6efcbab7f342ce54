# tests/tui.mk: the triage screen: unit tests of its curses-free modules,
# the key bindings through the real program, and screen tests that drive
# the real program in a pseudo-terminal read back with libvterm.
check_PROGRAMS += tests/test-tui-sanitize tests/test-keymap tests/test-tui-export tests/test-tui-list
TESTS += tests/test-tui-sanitize tests/test-keymap tests/test-tui-export tests/test-tui-list

tests_test_tui_list_SOURCES = tests/test-tui-list.c tui/list.c tui/list.h
tests_test_tui_list_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_tui_list_LDADD = $(TEST_LIBS)

tests_test_tui_sanitize_SOURCES = tests/test-tui-sanitize.c tui/sanitize.c tui/sanitize.h
tests_test_tui_sanitize_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_tui_sanitize_LDADD = $(TEST_LIBS)

tests_test_keymap_SOURCES = tests/test-keymap.c tui/keymap.c tui/keymap.h
tests_test_keymap_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_keymap_LDADD = $(TEST_LIBS)

tests_test_tui_export_SOURCES = tests/test-tui-export.c tui/export.c tui/clipboard.c \
	tui/sanitize.c tui/feed-files.c
tests_test_tui_export_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_tui_export_LDADD = $(TEST_LIBS)

# The action handlers without a terminal (the screen functions are stubs).
check_PROGRAMS += tests/test-tui-actions
TESTS += tests/test-tui-actions
tests_test_tui_actions_SOURCES = tests/test-tui-actions.c \
	tui/actions.c tui/act-move.c tui/act-view.c tui/act-tag.c tui/act-limit.c tui/state.c tui/group.c tui/prompt.c tui/draw.c tui/pane.c tui/status.c tui/list.c \
	tui/clipboard.c tui/export.c tui/sanitize.c tui/keymap.c tui/feed-files.c
tests_test_tui_actions_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_tui_actions_LDADD = $(TEST_LIBS)

# `bouncetriage keys` for every shipped keymap, and keymap errors.
check_PROGRAMS += tests/test-tui-keys
TESTS += tests/test-tui-keys
tests_test_tui_keys_SOURCES = tests/test-tui-keys.c
tests_test_tui_keys_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_tui_keys_LDADD = $(TEST_LIBS)

if HAVE_VTERM
check_PROGRAMS += tests/test-tui-screen
TESTS += tests/test-tui-screen
tests_test_tui_screen_SOURCES = tests/test-tui-screen.c tests/test-tui-term.c tests/test-tui-term.h tests/nm-count.c tests/nm-count.h
tests_test_tui_screen_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(VTERM_CFLAGS)
tests_test_tui_screen_LDADD = $(TEST_LIBS) $(VTERM_LIBS) -lutil
else
# Without libvterm, a smaller set of the same checks through tmux.
TESTS += tests/test-tui-tmux.sh
endif
EXTRA_DIST += tests/test-tui-tmux.sh tests/test-tui-term.c tests/test-tui-term.h tests/tui/hostile.eml tests/tui/wide.eml tests/tui/original.eml
