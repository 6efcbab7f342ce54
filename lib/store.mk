# lib/store.mk: the notmuch store, journal, settings, history, demo
# (store-private.h lists what each store file holds).
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
	lib/store.c lib/store-private.h \
	lib/store-bounce.c \
	lib/store-cache.c \
	lib/store-retag.c \
	lib/store-rows.c \
	lib/store-scan.c \
	lib/store-tag.c \
	lib/store-write.c \
	lib/strv.c lib/strv.h

# The bundled demo (bouncetriage --demo): our own fixtures.
demodir = $(pkgdatadir)/demo
dist_demo_DATA = $(wildcard $(srcdir)/tests/corpus/*.eml)
