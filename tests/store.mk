# tests/store.mk: the notmuch store, journal and settings.
check_PROGRAMS += tests/test-journal tests/test-store
TESTS += tests/test-journal tests/test-store
tests_test_journal_SOURCES = tests/test-journal.c
tests_test_journal_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_journal_LDADD = $(TEST_LIBS)
tests_test_store_SOURCES = tests/test-store.c tests/nm-count.c tests/nm-count.h
tests_test_store_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_store_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/test-cli-store
TESTS += tests/test-cli-store
tests_test_cli_store_SOURCES = tests/test-cli-store.c tests/nm-count.c tests/nm-count.h
tests_test_cli_store_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_cli_store_LDADD = $(TEST_LIBS)
