# lib/store.mk: the notmuch store, journal, settings, history, demo.
lib_libbouncetriage_a_SOURCES += \
	include/bouncetriage/demo.h \
	include/bouncetriage/history.h \
	include/bouncetriage/journal.h \
	include/bouncetriage/settings.h \
	include/bouncetriage/store.h \
	lib/demo.c \
	lib/history.c \
	lib/journal.c \
	lib/loader.c \
	lib/settings.c \
	lib/store.c lib/store-private.h

# The bundled demo (bouncetriage --demo): our own fixtures.
demodir = $(pkgdatadir)/demo
dist_demo_DATA = $(wildcard $(srcdir)/tests/corpus/*.eml)
