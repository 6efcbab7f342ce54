# parse.mk: fragment of Makefile.am -- parser core and MTA engine tests.
check_PROGRAMS += tests/test-parse tests/test-engines-mta
TESTS += tests/test-parse tests/test-engines-mta
tests_test_parse_SOURCES = tests/test-parse.c
tests_test_parse_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_parse_LDADD = $(TEST_LIBS)
tests_test_engines_mta_SOURCES = tests/test-engines-mta.c
tests_test_engines_mta_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_engines_mta_LDADD = $(TEST_LIBS)
# Our fixtures for the MTA engines without one in the shared corpus list.
EXTRA_DIST += \
	tests/corpus/activehunter-31-userunknown.eml \
	tests/corpus/apachejames-31-userunknown.eml \
	tests/corpus/fml-31-systemerror-loop.eml \
	tests/corpus/imailserver-31-userunknown.eml \
	tests/corpus/mailfoundry-31-mailboxfull.eml \
	tests/corpus/mailmarshal-31-userunknown.eml \
	tests/corpus/surfcontrol-31-userunknown.eml \
	tests/corpus/x1-31-userunknown.eml \
	tests/corpus/x2-31-mailboxfull.eml \
	tests/corpus/x3-31-userunknown.eml \
	tests/corpus/x4-31-mailboxfull.eml \
	tests/corpus/x6-31-userunknown.eml
