# tests/fuzz/fuzz.mk: fuzz targets (see tests/fuzz/README.md).
#
# Each target is one file, tests/fuzz/fuzz-NAME.c, built two ways:
#  - always, linked with replay.c as the check program tests/fuzz/replay-NAME:
#    `make check` feeds it the seed corpus and every kept crash input
#    (tests/fuzz/regressions/NAME/) without any fuzzer;
#  - with `./configure --enable-fuzzing CC=clang`, as the libFuzzer program
#    tests/fuzz/fuzz-NAME (ASan + UBSan), linked with its own copy of the core
#    built with coverage instrumentation (the normal lib/libbouncetriage.a has
#    none, and a fuzzer blind to the parser's branches finds little).
# tests/fuzz/run-ci does the fuzzing build out of tree and runs every target.

FUZZ_REPLAY_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)

check_PROGRAMS += tests/fuzz/replay-parse tests/fuzz/replay-kb tests/fuzz/replay-keymap
TESTS += tests/fuzz/replay-parse tests/fuzz/replay-kb tests/fuzz/replay-keymap

tests_fuzz_replay_parse_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz-parse.c tests/fuzz/fuzz.h
tests_fuzz_replay_parse_CPPFLAGS = $(AM_CPPFLAGS) -DBT_FUZZ_TARGET='"parse"' \
	-DBT_FUZZ_SEED_DIR='"tests/corpus"' -DBT_FUZZ_SEED_SUFFIX='".eml"'
tests_fuzz_replay_parse_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
tests_fuzz_replay_parse_LDADD = $(TEST_LIBS)

tests_fuzz_replay_kb_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz-kb.c tests/fuzz/fuzz.h
tests_fuzz_replay_kb_CPPFLAGS = $(AM_CPPFLAGS) -DBT_FUZZ_TARGET='"kb"' \
	-DBT_FUZZ_SEED_DIR='"kb"' -DBT_FUZZ_SEED_SUFFIX='".kb"'
tests_fuzz_replay_kb_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
tests_fuzz_replay_kb_LDADD = $(TEST_LIBS)

# The keymap loader lives in tui/ (curses-free): built into the target.
FUZZ_KEYMAP_SOURCES = tests/fuzz/fuzz-keymap.c tests/fuzz/fuzz.h tui/keymap.c tui/keymap.h
tests_fuzz_replay_keymap_SOURCES = tests/fuzz/replay.c $(FUZZ_KEYMAP_SOURCES)
tests_fuzz_replay_keymap_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tui -DBT_FUZZ_TARGET='"keymap"' \
	-DBT_FUZZ_SEED_DIR='"keymaps"' -DBT_FUZZ_SEED_SUFFIX='".keys"'
tests_fuzz_replay_keymap_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
tests_fuzz_replay_keymap_LDADD = $(TEST_LIBS)

EXTRA_DIST += tests/fuzz/README.md tests/fuzz/run-ci tests/fuzz/regressions \
	tests/fuzz/parse.dict

if ENABLE_FUZZING
FUZZ_SAN = address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_LIB_CFLAGS = -g -fsanitize=fuzzer-no-link,$(FUZZ_SAN)
FUZZ_CFLAGS = -g -fsanitize=fuzzer,$(FUZZ_SAN)
FUZZ_LIBS = tests/fuzz/libbt-fuzz.a $(GMIME_LIBS) $(JSON_LIBS) $(GLIB_LIBS) $(NOTMUCH_LIBS) -lpthread

noinst_LIBRARIES += tests/fuzz/libbt-fuzz.a
tests_fuzz_libbt_fuzz_a_SOURCES = $(lib_libbouncetriage_a_SOURCES)
tests_fuzz_libbt_fuzz_a_CFLAGS = $(AM_CFLAGS) $(FUZZ_LIB_CFLAGS)

check_PROGRAMS += tests/fuzz/fuzz-parse tests/fuzz/fuzz-kb tests/fuzz/fuzz-keymap

tests_fuzz_fuzz_parse_SOURCES = tests/fuzz/fuzz-parse.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_parse_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_parse_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_parse_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_kb_SOURCES = tests/fuzz/fuzz-kb.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_kb_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_kb_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_kb_LDADD = $(FUZZ_LIBS)

tests_fuzz_fuzz_keymap_SOURCES = $(FUZZ_KEYMAP_SOURCES)
tests_fuzz_fuzz_keymap_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tui
tests_fuzz_fuzz_keymap_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_keymap_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_keymap_LDADD = $(FUZZ_LIBS)

# `make fuzz-programs`: only the fuzzers, not the whole test suite.
fuzz-programs: tests/fuzz/fuzz-parse$(EXEEXT) tests/fuzz/fuzz-kb$(EXEEXT) \
	tests/fuzz/fuzz-keymap$(EXEEXT)
else
fuzz-programs:
	@echo "fuzz-programs: configure with --enable-fuzzing CC=clang first (tests/fuzz/README.md)" >&2; exit 1
endif
.PHONY: fuzz-programs
