# tests/tests.mk: shared test support.
TESTS += tests/test-doc.sh
EXTRA_DIST += tests/test-doc.sh doc/update-man
TESTS += tests/test-cli-classify.sh
EXTRA_DIST += tests/test-cli-classify.sh
