# tests/kb.mk: knowledge base and classifier tests (included by Makefile.am).
check_PROGRAMS += tests/test-kb
TESTS += tests/test-kb
tests_test_kb_SOURCES = tests/test-kb.c
tests_test_kb_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_kb_LDADD = $(TEST_LIBS)

EXTRA_DIST += \
	tests/kb/valid.kb \
	tests/kb/override.kb \
	tests/kb/rules.kb \
	tests/kb/syntax-error.kb \
	tests/kb/key-before-group.kb \
	tests/kb/bad-group-header.kb \
	tests/kb/duplicate-group.kb \
	tests/kb/duplicate-key.kb \
	tests/kb/bad-utf8.kb \
	tests/kb/bad-id.kb \
	tests/kb/missing-title.kb \
	tests/kb/unknown-key.kb \
	tests/kb/unknown-reason.kb \
	tests/kb/bad-regex.kb \
	tests/kb/bad-status.kb \
	tests/kb/bad-replycode.kb \
	tests/kb/bad-hard.kb \
	tests/kb/bad-priority.kb \
	tests/kb/bad-meaning.kb \
	tests/kb/meaning-no-title.kb \
	tests/kb/partly-bad.kb

check_PROGRAMS += tests/test-classify
TESTS += tests/test-classify
tests_test_classify_SOURCES = tests/test-classify.c
tests_test_classify_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_classify_LDADD = $(TEST_LIBS)
