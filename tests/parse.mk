# parse.mk: fragment of Makefile.am -- parser core and MTA engine tests.
check_PROGRAMS += tests/test-parse tests/test-engines-mta
TESTS += tests/test-parse tests/test-engines-mta
tests_test_parse_SOURCES = tests/test-parse.c
tests_test_parse_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_parse_LDADD = $(TEST_LIBS)
tests_test_engines_mta_SOURCES = tests/test-engines-mta.c
tests_test_engines_mta_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_engines_mta_LDADD = $(TEST_LIBS)
