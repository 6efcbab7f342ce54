# tests/tests.mk: shared test support.
