# tests/tests.mk: shared test support.
TESTS += tests/test-doc.sh
EXTRA_DIST += tests/test-doc.sh doc/update-man
