# tests/faults.mk: hardening (hostile mail and failing files).
#  - tests/test-query: quoting mail-derived strings (lib/query.c), against a real temporary notmuch database;
#  - tests/test-faults: unreadable, vanishing, huge and malformed messages
#    through the parser API and `bouncetriage classify`.
# Fuzzing is in tests/fuzz/fuzz.mk; valgrind in tests/valgrind-check.

check_PROGRAMS += tests/test-query
TESTS += tests/test-query
tests_test_query_SOURCES = tests/test-query.c
tests_test_query_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_query_LDADD = $(TEST_LIBS)

EXTRA_DIST += tests/valgrind-check tests/valgrind.supp tests/lsan.supp

check_PROGRAMS += tests/test-faults
TESTS += tests/test-faults
tests_test_faults_SOURCES = tests/test-faults.c
tests_test_faults_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_faults_LDADD = $(TEST_LIBS)
